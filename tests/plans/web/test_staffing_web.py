"""Department size in the pages: the planner panel, the benchmarks page and its forms."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils.html import escape

from roles.models import Benchmark, Organization
from tests.factories import PlanFactory, PlanLineFactory, RoleFactory
from tests.support import lines_post_data

pytestmark = pytest.mark.django_db

EXAMPLE = (
    "5,000 employees: 1 L&D FTE per 417; ATD 2021 reports 385 — the reference implies 13.0 FTE, "
    "the plan has 12.0"
)

HTML_EXAMPLE = escape(EXAMPLE)


@pytest.fixture
def sized(organization):
    Organization.objects.filter(pk=organization.pk).update(employees=5000)
    plan = PlanFactory(organization=organization, name="Sized plan")
    role = RoleFactory(organization=organization, title="Trainer of trainers")
    PlanLineFactory(plan=plan, role=role, current_fte=Decimal("11"), planned_fte=Decimal("12"))
    return plan


def test_the_planner_shows_the_department_size_panel(planner_web, sized):
    response = planner_web.get(reverse("plans:detail", args=[sized.pk]))
    html = response.content.decode()
    assert 'data-testid="staffing-panel"' in html
    rows = response.context["staffing_panel"]["rows"]
    assert rows[0]["sentence"] == EXAMPLE
    assert "Benchmarks describe averages of surveyed organisations, not targets" in html
    atd = Benchmark.objects.get(name="ATD 2021")
    assert f'href="{reverse("roles:benchmarks")}#benchmark-{atd.pk}"' in html
    assert f'href="{atd.source_url}"' in html


def test_the_preview_sends_the_panel_out_of_band_with_unsaved_values(planner_web, sized):
    data = lines_post_data(sized, {"Trainer of trainers": {"planned_fte": "13"}})
    response = planner_web.post(reverse("plans:preview", args=[sized.pk]), data)
    html = response.content.decode()
    assert 'id="staffing-panel"' in html and 'hx-swap-oob="true"' in html
    first = response.context["staffing_panel"]["rows"][0]
    assert first["sentence"].endswith("the reference implies 13.0 FTE, the plan has 13.0")
    assert first["status"] == "within"


def test_unknown_employees_are_said_not_an_error(planner_web, sized, organization):
    Organization.objects.filter(pk=organization.pk).update(employees=None)
    response = planner_web.get(reverse("plans:detail", args=[sized.pk]))
    assert response.status_code == 200
    assert "Employees served unknown" in response.content.decode()


def test_members_read_the_benchmarks_page_admins_edit_it(viewer_web, admin_web, organization):
    page = viewer_web.get(reverse("roles:benchmarks"))
    html = page.content.decode()
    assert page.status_code == 200
    assert "ATD 2021" in html and "Bersin 2011" in html and "Training magazine 2006" in html
    assert "New benchmark" not in html
    refused = viewer_web.post(reverse("roles:benchmarks"), {"employees": "10"})
    assert refused.status_code == 403
    saved = admin_web.post(
        reverse("roles:benchmarks"),
        {
            "employees": "4200",
            "reference_employees_per_ld_fte": Benchmark.objects.get(name="ATD 2021").pk,
            "reference_ld_fte_per_1000_employees": "",
            "reference_spend_per_employee": Benchmark.objects.get(name="ATD 2025").pk,
            "exchange_currency": "USD",
            "exchange_rate": "0.92",
        },
    )
    assert saved.status_code == 302
    organization.refresh_from_db()
    assert organization.employees == 4200
    assert organization.reference_ld_fte_per_1000_employees_id is None
    assert organization.exchange_rate == Decimal("0.920000")


def test_the_size_form_refuses_bad_values_with_400(admin_web, organization):
    response = admin_web.post(reverse("roles:benchmarks"), {"employees": "-4"})
    assert response.status_code == 400
    assert "employees" in response.context["size_form"].errors
    response = admin_web.post(
        reverse("roles:benchmarks"), {"employees": "10", "exchange_rate": "1.1"}
    )
    assert response.status_code == 400
    assert "exchange_rate" in response.context["size_form"].errors
    organization.refresh_from_db()
    assert organization.employees is None


def test_admins_add_edit_and_retire_a_benchmark(admin_web, viewer_web, organization):
    created = admin_web.post(
        reverse("roles:benchmark_create"),
        {
            "name": "Sector survey",
            "source": "Sector body",
            "year": "2024",
            "metric": "employees_per_ld_fte",
            "value": "310",
        },
    )
    assert created.status_code == 302
    benchmark = Benchmark.objects.get(organization=organization, name="Sector survey")
    bad = admin_web.post(
        reverse("roles:benchmark_update", args=[benchmark.pk]),
        {
            "name": "Sector survey",
            "source": "x",
            "year": "2024",
            "metric": "spend_per_employee",
            "value": "310",
        },
    )
    assert bad.status_code == 400 and "currency" in bad.context["form"].errors
    retired = admin_web.post(
        reverse("roles:benchmark_retire", args=[benchmark.pk]), {"active": "no"}
    )
    assert retired.status_code == 302
    benchmark.refresh_from_db()
    assert benchmark.active is False
    assert (
        viewer_web.post(
            reverse("roles:benchmark_retire", args=[benchmark.pk]), {"active": "yes"}
        ).status_code
        == 403
    )
    shared = Benchmark.objects.get(name="ATD 2021")
    # Shared benchmarks have no edit page.
    assert admin_web.get(reverse("roles:benchmark_update", args=[shared.pk])).status_code == 404
    assert admin_web.post(reverse("roles:benchmark_retire", args=[shared.pk])).status_code == 404


def test_another_organizations_benchmark_is_not_found(admin_web, other_organization):
    theirs = Benchmark.objects.create(
        organization=other_organization,
        name="Theirs",
        source="x",
        year=2020,
        metric="employees_per_ld_fte",
        value=Decimal("100"),
    )
    assert admin_web.get(reverse("roles:benchmark_update", args=[theirs.pk])).status_code == 404
    assert admin_web.post(reverse("roles:benchmark_retire", args=[theirs.pk])).status_code == 404
    assert "Theirs" not in admin_web.get(reverse("roles:benchmarks")).content.decode()


def test_the_plan_settings_form_sets_employees_served(planner_web, sized):
    response = planner_web.post(
        reverse("plans:settings", args=[sized.pk]),
        {
            "name": sized.name,
            "description": "",
            "target_model": sized.target_model_id,
            "employees_served": "800",
            "version": sized.version,
        },
    )
    assert response.status_code == 302, response.content.decode()[:500]
    sized.refresh_from_db()
    assert sized.employees_served == 800
    page = planner_web.get(reverse("plans:detail", args=[sized.pk]))
    assert page.context["staffing_panel"]["employees_text"] == "800 employees"


def test_dashboard_compare_report_and_xlsx_carry_the_same_sentence(planner_web, sized):
    other = PlanFactory(organization=sized.organization, name="Other plan")
    dashboard = planner_web.get(reverse("plans:dashboard"))
    assert HTML_EXAMPLE in dashboard.content.decode()
    compare = planner_web.get(reverse("plans:compare") + f"?ids={sized.pk},{other.pk}")
    assert compare.status_code == 200
    html = compare.content.decode()
    assert 'data-testid="compare-staffing"' in html and HTML_EXAMPLE in html
    report = planner_web.get(reverse("plans:report", args=[sized.pk])).content.decode()
    assert 'data-testid="report-staffing"' in report and HTML_EXAMPLE in report
    assert "not targets" in report
    import io

    from openpyxl import load_workbook

    exported = planner_web.get(reverse("plans:export", args=[sized.pk]) + "?as=xlsx")
    workbook = load_workbook(
        io.BytesIO(b"".join(exported.streaming_content) if exported.streaming else exported.content)
    )
    cells = [cell for row in workbook["Score"].iter_rows(values_only=True) for cell in row]
    assert EXAMPLE in cells
    assert "Department size" in cells
