"""The shared benchmarks of DESIGN §10: published staffing and spend figures with their sources.

Loaded by migration `roles.0003_seed_benchmarks`; plain data so tests can load it again after a
flush. The figures are as published in the reports' summaries (each note says so).
"""

from decimal import Decimal

AS_PUBLISHED = (
    "As published in the report's summary; averages of the organisations surveyed, not a target."
)

SEEDS = [
    {
        "name": "ATD 2021",
        "source": "Association for Talent Development (ATD), 2021 State of the Industry (2020 data)",
        "source_url": "https://www.td.org/content/td-magazine/what-effect-has-the-pandemic-had-on-ld",
        "year": 2021,
        "metric": "employees_per_ld_fte",
        "value": Decimal("385"),
        "note": f"385 employees per talent development staff member, 223 organisations. {AS_PUBLISHED}",
        "shared_default": True,
    },
    {
        "name": "ATD 2018, BEST award winners",
        "source": "ATD, 2018 State of the Industry (2017 data, BEST award winners)",
        "source_url": "https://atdmac.org/Blog/8752194",
        "year": 2018,
        "metric": "employees_per_ld_fte",
        "value": Decimal("335"),
        "note": f"BEST award winners, not adjusted for outsourcing. {AS_PUBLISHED}",
    },
    {
        "name": "ATD 2018, BEST, adjusted for outsourcing",
        "source": "ATD, 2018 State of the Industry (2017 data, BEST award winners)",
        "source_url": "https://atdmac.org/Blog/8752194",
        "year": 2018,
        "metric": "employees_per_ld_fte",
        "value": Decimal("293"),
        "note": f"BEST award winners, adjusted for outsourcing. {AS_PUBLISHED}",
    },
    {
        "name": "Bersin 2011",
        "source": "Bersin & Associates (Bersin by Deloitte), The Corporate Learning Factbook 2011",
        "source_url": "",
        "year": 2011,
        "metric": "ld_fte_per_1000_employees",
        "value": Decimal("5.2"),
        "note": f"5.2 L&D staff per 1,000 learners, all organisations. {AS_PUBLISHED}",
        "shared_default": True,
    },
    {
        "name": "Bersin 2011, high-impact learning organisations",
        "source": "Bersin & Associates (Bersin by Deloitte), The Corporate Learning Factbook 2011",
        "source_url": "",
        "year": 2011,
        "metric": "ld_fte_per_1000_employees",
        "value": Decimal("4.3"),
        "note": f"4.3 L&D staff per 1,000 learners in high-impact learning organisations. {AS_PUBLISHED}",
    },
    {
        "name": "Training magazine 2006",
        "source": "Training magazine, 2006 Industry Report",
        "source_url": "",
        "year": 2006,
        "metric": "ld_fte_per_1000_employees",
        "value": Decimal("6.7"),
        "note": f"6.7 training staff per 1,000 learners. {AS_PUBLISHED}",
    },
    {
        "name": "ATD 2024",
        "source": "ATD, 2024 State of the Industry (2023 data)",
        "source_url": "",
        "year": 2024,
        "metric": "spend_per_employee",
        "value": Decimal("1283"),
        "currency": "USD",
        "note": f"Average direct learning expenditure per employee, USD. {AS_PUBLISHED}",
    },
    {
        "name": "ATD 2025",
        "source": "ATD, 2025 State of the Industry (2024 data)",
        "source_url": "https://www.prweb.com/releases/atd-research-optimism-remains-strong-for-future-of-learning-in-organizations-302456683.html",
        "year": 2025,
        "metric": "spend_per_employee",
        "value": Decimal("1054"),
        "currency": "USD",
        "note": f"Average direct learning expenditure per employee, USD, 539 organisations. {AS_PUBLISHED}",
        "shared_default": True,
    },
]

REFERENCE_FIELDS = {
    "employees_per_ld_fte": "reference_employees_per_ld_fte",
    "ld_fte_per_1000_employees": "reference_ld_fte_per_1000_employees",
    "spend_per_employee": "reference_spend_per_employee",
}


def load_shared_benchmarks(benchmark_model, organization_model) -> None:
    """Create or refresh the seeded shared benchmarks; organizations without a reference for a
    metric get the shared default (idempotent)."""
    Benchmark, Organization = benchmark_model, organization_model
    defaults = {}
    for fields in SEEDS:
        values = {"currency": "", "source_url": "", "shared_default": False, **fields}
        benchmark, _ = Benchmark.objects.update_or_create(
            organization=None, name=fields["name"], defaults=values
        )
        if fields.get("shared_default"):
            defaults[fields["metric"]] = benchmark.id
    for metric, field in REFERENCE_FIELDS.items():
        Organization.objects.filter(**{f"{field}__isnull": True}).update(
            **{f"{field}_id": defaults[metric]}
        )
