"""The README's 12-FTE example, computed by the engine: the README quotes these numbers.

A training-heavy department of 12 FTE (10 formal, 2 experiential) whose planned cost is
903,000 EUR against a budget cap of 880,000 EUR, scored against 70/20/10 with a 5-point
tolerance, step 0.5, the standard catalog's prices and roles. No database.
"""

from decimal import Decimal

import pytest

from plans.domain.rebalancing import suggest
from plans.domain.types import LineInput, TargetInput
from roles.bands import BANDS, Band
from roles.catalog import ROLES

D = Decimal
E, S, F = Band.EXPERIENTIAL, Band.SOCIAL, Band.FORMAL
MODERN = TargetInput(targets={E: D("0.7"), S: D("0.2"), F: D("0.1")}, tolerance=D("0.05"))
BAND_OF = {
    "knowledge-management": E,
    "organisation-design": E,
    "learning-technology": E,
    "social-technology": S,
    "community-management": S,
    "internal-communications": S,
    "coaching-mentoring": S,
    "training-delivery": F,
    "instructional-design": F,
    "elearning-development": F,
}
DEPARTMENT = {
    "Senior Trainer": "3",
    "Senior Instructional Designer": "2",
    "Instructional Designer": "2",
    "eLearning Developer": "2",
    "Multimedia Developer": "1",
    "Knowledge Manager": "1",
    "Performance Consultant": "1",
}
CAP = D("880000")


def catalog():
    rows = []
    for index, (title, slug, cost, split, _text) in enumerate(ROLES, start=1):
        if split:
            fractions = {b: D(split.get(b.value, 0)) / 100 for b in BANDS}
        else:
            fractions = {b: D(1 if b == BAND_OF[slug] else 0) for b in BANDS}
        fte = D(DEPARTMENT.get(title, "0"))
        rows.append(LineInput(index, title, fractions, fte, fte, D(cost)))
    lines = [row for row in rows if row.title in DEPARTMENT]
    candidates = [row for row in rows if row.title not in DEPARTMENT]
    return lines, candidates


def run(mode, aim):
    lines, candidates = catalog()
    cap = CAP if mode == "budget" else None
    return suggest(
        lines, MODERN, mode=mode, aim=aim, step=D("0.5"), budget_cap=cap, candidates=candidates
    )


def test_the_department_is_12_fte_at_903000_eur_over_its_cap():
    lines, _ = catalog()
    assert sum(line.planned_fte for line in lines) == 12
    assert sum(line.planned_fte * line.annual_cost for line in lines) == D("903000")


# mode, aim: (FTE after, cost after, score before, score after, FTE removed, FTE added)
README = {
    ("budget", "tolerance"): ("10.00", "790500.00", "18.5", "94.4", "8.5", "6.5"),
    ("budget", "best"): ("10.00", "798000.00", "18.5", "100.0", "9.0", "7.0"),
    ("grow", "tolerance"): ("67.00", "5488500.00", "18.5", "94.5", "0", "55.0"),
    ("grow", "best"): ("100.00", "8173000.00", "18.5", "100.0", "0", "88.0"),
    ("reassign", "tolerance"): ("12.00", "975500.00", "18.5", "96.3", "8.5", "8.5"),
    ("reassign", "best"): ("12.00", "973500.00", "18.5", "98.1", "9.0", "9.0"),
}


@pytest.mark.parametrize("mode, aim", list(README))
def test_the_readme_numbers(mode, aim):
    result = run(mode, aim)
    after = (
        f"{result.result.total_fte}",
        f"{result.result.cost}",
        f"{result.before.score}",
        f"{result.result.score}",
        f"{result.fte_removed}",
        f"{result.fte_added}",
    )
    assert after == README[(mode, aim)]
    assert result.optimal is True and result.target_reached
    if mode == "budget":
        assert result.result.cost <= CAP


def test_the_words_of_the_budget_example_name_the_cap_and_sign_the_changes():
    from plans import presenters

    result = run("budget", "tolerance")
    rows = {row["action"].title: row for row in presenters.suggestion_rows(result, "EUR")}
    cut = rows["Senior Trainer"]
    assert cut["delta_text"] == "−3.0" and cut["cost_delta_text"] == "−210,000"
    assert cut["reason"] == (
        "Formal is 73 points over its target. Budget cap 880,000 EUR: 23,000 EUR over."
    )
    added = rows["Knowledge Manager"]
    assert added["delta_text"] == "+4.5" and added["cost_delta_text"] == "+382,500"
    assert presenters.suggestion_summary(result, "EUR") == (
        "Move 6.5 FTE between bands and take 2.0 FTE out over 6 roles (−112,500 EUR a year): "
        "score 18.5 → 94.4."
    )
    codes = [w["code"] for w in presenters.suggestion_warnings(result)]
    assert codes == ["removes_much", "adds_much"]
    assert (
        presenters.budget_flag(CAP, D("903000"), "EUR") == "Budget cap 880,000 EUR: 23,000 EUR over"
    )
    assert presenters.budget_flag(CAP, D("880000"), "EUR") is None


def test_plurals_and_signs():
    from plans import presenters

    assert presenters.plural(1, "point") == "1 point"
    assert presenters.plural(2, "point") == "2 points"
    assert presenters.plural(0, "role") == "0 roles"
    assert presenters.signed_fte(D("1.5")) == "+1.5" and presenters.signed_fte(D("-1")) == "−1.0"
    assert presenters.signed_money(D("12500")) == "+12,500"
    assert presenters.fte_text(D("1")) == "1.0 FTE"
