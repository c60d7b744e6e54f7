"""The reskilling roadmap of DESIGN §9 as plain functions: no database.

Hypothesis checks the invariants on random plans; brute force over every matching of small
cases proves the min-cost flow picks a best one (most FTE, then most affinity, then least pay
change).
"""

import itertools
import math
from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from plans import presenters
from plans.charts import TimelineItem, timeline_layout
from plans.domain.roadmap import (
    AFFINITIES,
    DISCIPLINE_BAND,
    EXIT,
    HIRE,
    LEARNING_PLAN_FIELDS,
    MAX_QUARTERS,
    MOVE,
    RoadmapError,
    RoleChange,
    add_quarters,
    affinity,
    build_roadmap,
    first_quarter_start,
    match,
)
from plans.presenters import AFFINITY_REASONS, LEARNING_PLANS, learning_plan_prefill

D = Decimal
TENTH = D("0.1")
DISCIPLINES = sorted(DISCIPLINE_BAND)


def change(role_id, discipline, current, planned, cost="60000", title=None):
    return RoleChange(
        role_id=role_id,
        title=title or f"Role {role_id:02d}",
        discipline=discipline,
        current_fte=D(current),
        planned_fte=D(planned),
        annual_cost=D(cost),
    )


# --- dates ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "first"),
    [
        (date(2026, 1, 1), date(2026, 1, 1)),
        (date(2026, 4, 1), date(2026, 4, 1)),
        (date(2026, 2, 15), date(2026, 4, 1)),
        (date(2026, 4, 2), date(2026, 7, 1)),
        (date(2026, 12, 31), date(2027, 1, 1)),
        (date(2026, 3, 1), date(2026, 4, 1)),
    ],
)
def test_quarter_one_is_the_first_calendar_quarter_starting_on_or_after_start(start, first):
    assert first_quarter_start(start) == first


def test_quarters_follow_each_other_across_years():
    assert add_quarters(date(2026, 10, 1), 1) == date(2027, 1, 1)
    assert add_quarters(date(2026, 1, 1), 7) == date(2027, 10, 1)


# --- the demo: a training-centric department going modern -----------------------------------

DEMO = [
    change(1, "training-delivery", "4", "1", "60000", "Trainer"),
    change(2, "training-delivery", "1", "0", "70000", "Senior Trainer"),
    change(3, "instructional-design", "3", "0.5", "72000", "Instructional Designer"),
    change(4, "elearning-development", "2", "0", "70000", "eLearning Developer"),
    change(5, "training-delivery", "1", "0", "52000", "Training Coordinator"),
    change(6, "knowledge-management", "1", "3", "85000", "Knowledge Manager"),
    change(7, "organisation-design", "0", "1.5", "98000", "Organisation Design Consultant"),
    change(8, "learning-technology", "0", "2", "76000", "Learning Technologist"),
    change(9, "learning-technology", "0", "1.5", "88000", "Learning Platform Engineer"),
    change(10, "community-management", "0", "1", "68000", "Community Manager"),
    change(11, "coaching-mentoring", "0", "1", "78000", "Coach"),
    change(12, "internal-communications", "0", "0.5", "66000", "Internal Communications"),
]


def test_the_demo_moves_everyone_and_trainers_go_to_coaching_and_knowledge_roles():
    result = build_roadmap(DEMO, start=date(2026, 2, 15), max_fte_per_quarter=D("2"))
    moves = [t for t in result.transitions if t.kind == MOVE]
    assert result.moved_fte == D("9.5") and result.hired_fte == 0 and result.exited_fte == 0
    assert result.first_quarter == date(2026, 4, 1)
    assert result.quarters == 5  # ceil(9.5 / 2)
    by_pair: dict[tuple[int, int], Decimal] = {}
    for move in moves:
        key = (move.from_role_id, move.to_role_id)
        by_pair[key] = by_pair.get(key, D(0)) + move.fte
    trainers = {1, 2, 5}
    into = {to for (frm, to) in by_pair if frm in trainers}
    assert 11 in into and 6 in into  # Coach and Knowledge Manager
    assert by_pair[(4, 8)] == D("2.0")  # eLearning developers into learning technology
    # the instructional designers fill organisation design and knowledge management
    assert by_pair.get((3, 7)) == D("1.5")
    # every quarter but the last is full
    per_quarter = [sum(t.fte for t in moves if t.quarter == q) for q in range(1, 6)]
    assert per_quarter == [D(2), D(2), D(2), D(2), D("1.5")]


def test_the_strongest_affinities_come_first_in_the_schedule():
    result = build_roadmap(DEMO, start=date(2026, 1, 1), max_fte_per_quarter=D("9.5"))
    affinities = [t.affinity for t in result.transitions if t.kind == MOVE]
    assert affinities == sorted(affinities, reverse=True)


# --- leftovers, capacity, errors -------------------------------------------------------------


def test_leftover_increases_are_hired_in_quarter_one_and_leftover_reductions_exit_last():
    growing = [
        change(1, "training-delivery", "2", "0"),
        change(2, "coaching-mentoring", "0", "3"),
    ]
    result = build_roadmap(growing, start=date(2026, 5, 5), max_fte_per_quarter=D("1"))
    hires = [t for t in result.transitions if t.kind == HIRE]
    assert [(h.to_role_id, h.fte, h.quarter, h.effective_date) for h in hires] == [
        (2, D("1.0"), 1, date(2026, 7, 1))
    ]
    assert hires[0].from_role_id is None
    shrinking = [
        change(1, "training-delivery", "5", "0"),
        change(2, "coaching-mentoring", "0", "2"),
    ]
    result = build_roadmap(shrinking, start=date(2026, 1, 1), max_fte_per_quarter=D("1"))
    exits = [t for t in result.transitions if t.kind == EXIT]
    assert [(e.from_role_id, e.to_role_id, e.fte, e.quarter) for e in exits] == [
        (1, None, D("3.0"), 2)
    ]


def test_a_move_is_split_across_quarters_at_the_cap():
    plan = [change(1, "training-delivery", "1", "0"), change(2, "coaching-mentoring", "0", "1")]
    result = build_roadmap(plan, start=date(2026, 1, 1), max_fte_per_quarter=D("0.3"))
    assert [(t.quarter, t.fte) for t in result.transitions] == [
        (1, D("0.3")),
        (2, D("0.3")),
        (3, D("0.3")),
        (4, D("0.1")),
    ]


def test_a_plan_without_changes_has_an_empty_roadmap():
    result = build_roadmap(
        [change(1, "training-delivery", "2", "2")], start=date(2026, 1, 1), max_fte_per_quarter=D(1)
    )
    assert result.transitions == () and result.quarters == 1


@pytest.mark.parametrize("cap", [D("0"), D("-1"), D("0.05"), D("NaN")])
def test_a_cap_that_is_not_a_positive_tenth_is_refused(cap):
    with pytest.raises(RoadmapError) as error:
        build_roadmap(DEMO, start=date(2026, 1, 1), max_fte_per_quarter=cap)
    assert error.value.field == "max_fte_per_quarter"


def test_a_roadmap_longer_than_ten_years_is_refused_with_the_cap_that_fits():
    with pytest.raises(RoadmapError) as error:
        build_roadmap(DEMO, start=date(2026, 1, 1), max_fte_per_quarter=D("0.1"))
    assert error.value.field == "max_fte_per_quarter"
    assert error.value.code == "too_many_quarters"
    assert error.value.details["least"] == D("0.3")  # 9.5 / 40 = 0.2375 -> 0.3
    words = presenters.roadmap_error_words(error.value.code, error.value.details)
    assert "give at least 0.3" in words
    assert MAX_QUARTERS == 40


def test_a_start_too_late_for_the_calendar_is_refused():
    with pytest.raises(RoadmapError) as error:
        build_roadmap(DEMO, start=date(9999, 11, 1), max_fte_per_quarter=D("1"))
    assert error.value.field == "start"


# --- learning plans ------------------------------------------------------------------------


def test_every_catalog_discipline_has_a_concrete_learning_network_plan():
    assert set(LEARNING_PLANS) == set(DISCIPLINE_BAND)
    for texts in LEARNING_PLANS.values():
        assert set(texts) == set(LEARNING_PLAN_FIELDS)
        assert all(len(text) > 40 for text in texts.values())
        assert "{opening}" in texts["focus"]


def test_a_move_gets_its_target_disciplines_plan_and_an_exit_gets_none():
    plan = learning_plan_prefill(
        MOVE, from_title="Trainer", to_title="Coach", to_discipline="coaching-mentoring"
    )
    assert plan["focus"].startswith("From Trainer to Coach:")
    assert "coach" in plan["target"].lower() and "quarter" in plan["renew"].lower()
    hire = learning_plan_prefill(HIRE, from_title=None, to_title="Coach", to_discipline="x")
    assert hire["focus"].startswith("As a new Coach:")
    assert set(
        learning_plan_prefill(
            EXIT, from_title="Trainer", to_title=None, to_discipline=None
        ).values()
    ) == {""}


def test_the_documented_affinities():
    assert affinity("training-delivery", "coaching-mentoring") == 3
    assert affinity("instructional-design", "knowledge-management") == 3
    assert affinity("elearning-development", "learning-technology") == 3
    assert affinity("training-delivery", "training-delivery") == 3
    assert affinity("training-delivery", "instructional-design") == 1  # same band
    assert affinity("coaching-mentoring", "learning-technology") == 0
    assert set(AFFINITY_REASONS) == set(AFFINITIES)  # every documented pair says why
    for (frm, to), strength in AFFINITIES.items():
        why = AFFINITY_REASONS[(frm, to)]
        assert frm in DISCIPLINE_BAND and to in DISCIPLINE_BAND and frm != to
        assert 1 <= strength <= 3 and why


def test_the_timeline_puts_each_bar_in_its_row_and_quarter():
    items = [
        TimelineItem(MOVE, "Trainer → Coach", D("1"), 1, "social"),
        TimelineItem(HIRE, "Hire: Coach", D("0.5"), 1, "social"),
        TimelineItem(MOVE, "Trainer → Coach", D("0.5"), 2, "social"),
    ]
    layout = timeline_layout(items, ["2026 Q2", "2026 Q3"])
    assert [row.label for row in layout.rows] == ["Trainer → Coach", "Hire: Coach"]
    assert [bar.x for bar in layout.rows[0].bars] == [c.x + 4 for c in layout.columns]
    assert [c.moved for c in layout.columns] == [D("1"), D("0.5")]
    assert layout.width == layout.label_width + 2 * layout.columns[0].width


# --- invariants (hypothesis) -------------------------------------------------------------------

tenths = st.integers(min_value=0, max_value=60).map(lambda units: D(units) * TENTH)
role_changes = st.lists(
    st.tuples(st.sampled_from(DISCIPLINES), tenths, tenths, st.sampled_from([50000, 70000, 90000])),
    min_size=1,
    max_size=9,
).map(
    lambda rows: [
        change(index + 1, discipline, current, planned, cost)
        for index, (discipline, current, planned, cost) in enumerate(rows)
    ]
)
caps = st.integers(min_value=1, max_value=40).map(lambda units: D(units) * TENTH)
starts = st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31))


@settings(max_examples=200, deadline=None)
@given(role_changes, caps, starts)
def test_roadmap_invariants(changes, cap, start):
    reductions = sum((c.reduction for c in changes), D(0))
    increases = sum((c.increase for c in changes), D(0))
    moved = min(reductions, increases)
    if moved and math.ceil(moved / cap) > MAX_QUARTERS:
        with pytest.raises(RoadmapError):
            build_roadmap(changes, start=start, max_fte_per_quarter=cap)
        return
    result = build_roadmap(changes, start=start, max_fte_per_quarter=cap)
    steps = result.transitions
    # per role: FTE leaving = its reduction, FTE arriving = its increase
    for c in changes:
        leaving = sum((t.fte for t in steps if t.from_role_id == c.role_id), D(0))
        arriving = sum((t.fte for t in steps if t.to_role_id == c.role_id), D(0))
        assert leaving == c.reduction
        assert arriving == c.increase
    # people move before anyone is hired: FTE moved = min(total reductions, total increases)
    assert sum((t.fte for t in steps if t.kind == MOVE), D(0)) == moved == result.moved_fte
    assert result.hired_fte == increases - moved and result.exited_fte == reductions - moved
    # capacity per quarter, and no more quarters than needed
    quarters = {t.quarter for t in steps}
    for quarter in quarters:
        assert sum((t.fte for t in steps if t.kind == MOVE and t.quarter == quarter), D(0)) <= cap
    assert result.quarters == max(1, math.ceil(moved / cap))
    # effective dates: the first day of their quarter, from start on
    first = first_quarter_start(start)
    assert first >= start and first - start < timedelta(days=92)
    for t in steps:
        assert t.effective_date == add_quarters(first, t.quarter - 1)
        assert t.effective_date.day == 1 and t.effective_date.month in (1, 4, 7, 10)
        assert t.effective_date >= start
        assert t.fte > 0 and t.fte == t.fte.quantize(TENTH)
        assert (t.kind == HIRE) == (t.from_role_id is None)
        assert (t.kind == EXIT) == (t.to_role_id is None)


# --- optimality against brute force ------------------------------------------------------------


def objective(changes, flows: dict[tuple[int, int], int]) -> tuple[int, int, int]:
    """(FTE moved, total affinity, -total pay change), all in tenths: larger is better."""
    by_id = {c.role_id: c for c in changes}
    moved = sum(flows.values())
    aff = sum(
        units * affinity(by_id[f].discipline, by_id[t].discipline)
        for (f, t), units in flows.items()
    )
    pay = sum(
        units * abs(int(by_id[f].annual_cost - by_id[t].annual_cost))
        for (f, t), units in flows.items()
    )
    return moved, aff, -pay


def every_matching(changes):
    """Every integer flow from releasing to needing roles (tenths) within their changes."""
    releasing = [c for c in changes if c.reduction > 0]
    needing = [c for c in changes if c.increase > 0]
    cells = list(itertools.product(releasing, needing))
    supply = {c.role_id: int(c.reduction * 10) for c in releasing}
    demand = {c.role_id: int(c.increase * 10) for c in needing}

    def walk(index, flows):
        if index == len(cells):
            yield dict(flows)
            return
        frm, to = cells[index]
        for units in range(min(supply[frm.role_id], demand[to.role_id]) + 1):
            supply[frm.role_id] -= units
            demand[to.role_id] -= units
            if units:
                flows[(frm.role_id, to.role_id)] = units
            yield from walk(index + 1, flows)
            flows.pop((frm.role_id, to.role_id), None)
            supply[frm.role_id] += units
            demand[to.role_id] += units

    yield from walk(0, {})


def chosen_flows(changes) -> dict[tuple[int, int], int]:
    return {(m.from_role_id, m.to_role_id): int(m.fte * 10) for m in match(changes)}


small_tenths = st.integers(min_value=0, max_value=4).map(lambda units: D(units) * TENTH)
small_changes = st.lists(
    st.tuples(
        st.sampled_from(DISCIPLINES),
        small_tenths,
        small_tenths,
        st.sampled_from([50000, 60000, 85000]),
    ),
    min_size=2,
    max_size=5,
).map(
    lambda rows: [
        change(index + 1, discipline, current, planned, cost)
        for index, (discipline, current, planned, cost) in enumerate(rows)
    ]
)


@settings(max_examples=120, deadline=None)
@given(small_changes)
def test_the_matching_is_optimal_against_brute_force(changes):
    best = max(objective(changes, flows) for flows in every_matching(changes))
    assert objective(changes, chosen_flows(changes)) == best


def test_the_optimum_where_taking_the_strongest_pair_first_fails():
    # The designers (2 FTE) fit knowledge management and organisation design equally well (3);
    # the shrinking knowledge role fits only knowledge management well. Taking a strongest pair
    # first (designers -> knowledge management) leaves the knowledge role to organisation
    # design (1): 7 in all. The optimum sends the designers to organisation design: 9.
    changes = [
        change(1, "instructional-design", "2", "0"),
        change(2, "knowledge-management", "1", "0"),
        change(3, "knowledge-management", "0", "1"),
        change(4, "organisation-design", "0", "2"),
    ]
    assert chosen_flows(changes) == {(1, 4): 20, (2, 3): 10}
    best = max(objective(changes, flows) for flows in every_matching(changes))
    assert objective(changes, chosen_flows(changes)) == best == (30, 90, 0)


def test_the_same_plan_always_gives_the_same_roadmap():
    first = build_roadmap(DEMO, start=date(2026, 1, 1), max_fte_per_quarter=D("1.5"))
    again = build_roadmap(
        list(reversed(DEMO)), start=date(2026, 1, 1), max_fte_per_quarter=D("1.5")
    )
    assert first.transitions == again.transitions
