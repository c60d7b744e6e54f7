"""Pathological inputs on a 2,000-line plan: exact, every hard constraint kept. No database.

Step 0.1 with a tight budget, a high compliance floor or a headcount cap at half the FTE made the
old search huge (8 to 70 s without its work limit, `optimal: false` with it). The exact search
answers them optimally: the best scores below were measured once by the old exhaustive search
with its limit off, and the tolerance aim never changes more FTE than the best aim does.
"""

import random
from decimal import Decimal

import pytest

from plans.domain.rebalancing import suggest
from plans.domain.scoring import band_totals
from plans.domain.types import LineInput, TargetInput
from roles.bands import BANDS, Band

D = Decimal
E, S, F = Band.EXPERIENTIAL, Band.SOCIAL, Band.FORMAL
MODERN = TargetInput(targets={E: D("0.7"), S: D("0.2"), F: D("0.1")}, tolerance=D("0.05"))


def pure(band):
    return {b: D(1 if b == band else 0) for b in BANDS}


def training_centric(count=2000):
    """Like the benchmark's plan: 70% formal lines, 8% split roles, 5% locked."""
    rng = random.Random(count)
    lines = []
    for index in range(count):
        band = rng.choices([F, S, E], weights=[7, 1, 2])[0]
        split = {E: D(0), S: D("0.4"), F: D("0.6")} if rng.random() < 0.08 else pure(band)
        fte = D(rng.choice(["0.5", "1", "1", "1", "1.5", "2", "3"]))
        lines.append(
            LineInput(
                role_id=index + 1,
                title=f"Role {index}",
                band_split=split,
                current_fte=fte,
                planned_fte=fte,
                annual_cost=D(rng.randrange(50_000, 110_000, 500)),
                locked=rng.random() < 0.05,
            )
        )
    return lines


CANDIDATES = [
    LineInput(
        role_id=10_000 + index,
        title=title,
        band_split=pure(band),
        current_fte=D(0),
        planned_fte=D(0),
        annual_cost=D(cost),
    )
    for index, (title, band, cost) in enumerate(
        [
            ("Learning Technologist", E, 80000),
            ("Community Manager", S, 76000),
            ("Trainer", F, 60000),
        ]
    )
]
LINES = training_centric()
FTE = sum(line.planned_fte for line in LINES)  # 2,775
COST = sum(line.planned_fte * line.annual_cost for line in LINES)
FORMAL_FTE = band_totals(LINES, "planned")[0][F]
HIGH_FLOOR = (FORMAL_FTE * D("0.9")).quantize(D("0.1"))
NO_SOCIAL = [line for line in LINES if line.band_split[S] != 1]

# (options, the optimal score measured with the limit off, or None when unknown)
PATHOLOGICAL = {
    "budget at 30% of today's cost": (dict(mode="budget", budget_cap=COST * D("0.3")), "81.8"),
    "budget with a floor at 90% of formal": (
        dict(mode="budget", budget_cap=COST, compliance_floor=HIGH_FLOOR),
        "50.0",
    ),
    "budget with the headcount cap at half the FTE": (
        dict(mode="budget", budget_cap=COST, headcount_cap=(FTE / 2).quantize(D("0.1"))),
        "92.8",
    ),
    "grow with no social role anywhere": (dict(mode="grow", lines=NO_SOCIAL, candidates=()), None),
}


def total(lines):
    return sum((line.planned_fte for line in lines), D(0))


def cost(lines):
    return sum((line.planned_fte * line.annual_cost for line in lines), D(0))


def assert_hard_constraints(lines, result, step, options):
    before = {line.role_id: line for line in lines}
    for action in result.actions:
        assert action.delta % step == 0 and action.delta != 0
        assert action.to_fte >= 0
        old = before.get(action.role_id)
        if old is not None:
            assert not old.locked
    for line in result.lines:
        assert line.planned_fte >= 0
        if line.role_id in before and before[line.role_id].locked:
            assert line.planned_fte == before[line.role_id].planned_fte
    if options["mode"] == "grow":
        assert all(action.delta > 0 for action in result.actions)
    if options.get("compliance_floor") is not None:
        assert band_totals(result.lines, "planned")[0][F] >= options["compliance_floor"]
    if options.get("headcount_cap") is not None:
        assert total(result.lines) <= options["headcount_cap"]
    if options.get("budget_cap") is not None and options["budget_cap"] >= COST * D("0.5"):
        assert cost(result.lines) <= options["budget_cap"]


@pytest.mark.parametrize("name", list(PATHOLOGICAL))
def test_pathological_inputs_are_exact_and_keep_every_constraint(name):
    options, optimal_score = PATHOLOGICAL[name]
    options = dict(options)
    lines = options.pop("lines", LINES)
    candidates = options.pop("candidates", CANDIDATES)
    best = suggest(lines, MODERN, step=D("0.1"), candidates=candidates, aim="best", **options)
    least = suggest(lines, MODERN, step=D("0.1"), candidates=candidates, **options)
    for result in (best, least):
        assert result.optimal is True
        assert_hard_constraints(lines, result, D("0.1"), {**options})
        assert result.result.score > result.before.score
    if optimal_score is not None:
        assert best.result.score == D(optimal_score)
    # the tolerance aim: within tolerance with fewer changes, or the same best score
    changed = [sum(abs(a.delta) for a in r.actions) for r in (least, best)]
    assert changed[0] <= changed[1]
    if not least.target_reached:
        assert least.result.score == best.result.score


def test_a_budget_below_what_cutting_everything_saves_is_kept_as_well_as_it_can_be():
    result = suggest(
        LINES, MODERN, mode="budget", step=D("0.1"), budget_cap=COST * D("0.3"), candidates=()
    )
    # 30% is out of reach (locked and split lines cost more): the cheapest mix is the floor
    assert result.binding_constraint in ("budget_cap", "locked_lines")
    assert cost(result.lines) < COST * D("0.5")
