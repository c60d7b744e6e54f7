"""When people move: the quarterly schedule of the reskilling roadmap (DESIGN §9). Pure Python.

Quarter 1 is the first calendar quarter starting on or after `start` (a start of 2026-02-15 gives
quarter 1 = 2026-04-01; a start of 2026-04-01 is itself quarter 1). Every transition is effective
on the first day of its quarter. Moves are taken strongest affinity first (the easiest reskilling
early, to show results), then the largest, then by role titles, and fill each quarter up to
`max_fte_per_quarter`; a move that does not fit is split across quarters, so every quarter but
the last is full and the number of quarters, ceil(moved ÷ cap), is the least possible.

Leftovers: a releasing role whose reduction is not all moved gets an ``exit`` for the rest, a
needing role whose increase is not all filled gets a ``hire``. Hires and exits do not use the
move capacity: hires are effective in quarter 1 (nobody inside can fill those roles, so
recruiting starts at once); exits in the last quarter of the moves (people leaving keep their
posts, and the chance to move, until the moves are done). A roadmap longer than `MAX_QUARTERS`
is refused with the smallest cap that fits.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from plans.domain.roadmap.matching import (
    Move,
    RoadmapError,
    RoleChange,
    from_units,
    match,
    role_order,
    to_units,
)

MAX_QUARTERS = 40  # ten years: a longer roadmap is not a plan
MOVE, HIRE, EXIT = "move", "hire", "exit"
KINDS = (MOVE, HIRE, EXIT)
LEARNING_PLAN_FIELDS = ("focus", "target", "define", "align", "outreach", "renew")


@dataclass(frozen=True, slots=True)
class Transition:
    """One scheduled step: a move, a hire (no from role) or an exit (no to role)."""

    kind: str
    from_role_id: int | None
    to_role_id: int | None
    fte: Decimal
    quarter: int
    effective_date: date
    affinity: int | None = None


@dataclass(frozen=True, slots=True)
class Roadmap:
    start: date
    first_quarter: date
    max_fte_per_quarter: Decimal
    transitions: tuple[Transition, ...]
    quarters: int  # quarters holding moves (at least 1)
    moved_fte: Decimal = Decimal(0)
    hired_fte: Decimal = Decimal(0)
    exited_fte: Decimal = Decimal(0)


# --- dates ---------------------------------------------------------------------------------


def first_quarter_start(start: date) -> date:
    """The first day of the first calendar quarter starting on or after `start`."""
    quarter_month = 3 * ((start.month - 1) // 3) + 1
    if start.day == 1 and start.month == quarter_month:
        return start
    return add_quarters(date(start.year, quarter_month, 1), 1)


def add_quarters(day: date, quarters: int) -> date:
    """The same day of the month `quarters` quarters later (day is a quarter's first day)."""
    months = day.year * 12 + (day.month - 1) + 3 * quarters
    return date(months // 12, months % 12 + 1, day.day)


# --- schedule ------------------------------------------------------------------------------


def _checked_cap(changes: Sequence[RoleChange], max_fte_per_quarter: Decimal) -> int:
    """The cap in tenths, once every input is known to be usable."""
    if len({change.role_id for change in changes}) != len(changes):
        raise RoadmapError("lines", "role_twice")
    cap = to_units(max_fte_per_quarter, "max_fte_per_quarter")
    if cap <= 0:
        raise RoadmapError("max_fte_per_quarter", "not_positive")
    for change in changes:
        to_units(change.current_fte)
        to_units(change.planned_fte)
    return cap


def _quarter_dates(start: date, moved: int, cap: int, max_fte_per_quarter: Decimal) -> list[date]:
    """The first day of every quarter holding moves (at least one quarter)."""
    quarters = max(1, math.ceil(moved / cap))
    if quarters > MAX_QUARTERS:
        least = from_units(math.ceil(moved / MAX_QUARTERS))
        raise RoadmapError(
            "max_fte_per_quarter",
            "too_many_quarters",
            per_quarter=max_fte_per_quarter,
            moved=from_units(moved),
            quarters=quarters,
            least=least,
            max_quarters=MAX_QUARTERS,
        )
    try:
        first = first_quarter_start(start)
        return [add_quarters(first, index) for index in range(quarters)]
    except (ValueError, OverflowError):
        raise RoadmapError("start", "too_late") from None


def _scheduled_moves(
    moves: Sequence[Move], by_id: dict[int, RoleChange], cap: int, dates: list[date]
) -> list[Transition]:
    """The moves, strongest affinity first, filling each quarter up to the cap."""
    ordered = sorted(
        moves,
        key=lambda move: (
            -move.affinity,
            -move.fte,
            role_order(by_id[move.from_role_id]),
            role_order(by_id[move.to_role_id]),
        ),
    )
    transitions = []
    quarter, room = 1, cap
    for move in ordered:
        left = to_units(move.fte)
        while left:
            if room == 0:
                quarter, room = quarter + 1, cap
            part = min(left, room)
            transitions.append(
                Transition(
                    kind=MOVE,
                    from_role_id=move.from_role_id,
                    to_role_id=move.to_role_id,
                    fte=from_units(part),
                    quarter=quarter,
                    effective_date=dates[quarter - 1],
                    affinity=move.affinity,
                )
            )
            left -= part
            room -= part
    return transitions


def _leftovers(
    changes: Sequence[RoleChange], moves: Sequence[Move], dates: list[date]
) -> list[Transition]:
    """Hires for increases no move filled (quarter 1), exits for reductions no move took
    (the last quarter)."""
    moved_out = {change.role_id: 0 for change in changes}
    moved_in = dict(moved_out)
    for move in moves:
        moved_out[move.from_role_id] += to_units(move.fte)
        moved_in[move.to_role_id] += to_units(move.fte)
    transitions = []
    for change in sorted(changes, key=role_order):
        still_needed = to_units(change.increase) - moved_in[change.role_id]
        if still_needed > 0:
            transitions.append(
                Transition(HIRE, None, change.role_id, from_units(still_needed), 1, dates[0])
            )
        still_leaving = to_units(change.reduction) - moved_out[change.role_id]
        if still_leaving > 0:
            transitions.append(
                Transition(
                    EXIT, change.role_id, None, from_units(still_leaving), len(dates), dates[-1]
                )
            )
    return transitions


def _total(transitions: Iterable[Transition], kind: str) -> Decimal:
    return from_units(sum(to_units(t.fte) for t in transitions if t.kind == kind))


def build_roadmap(
    changes: Iterable[RoleChange], *, start: date, max_fte_per_quarter: Decimal
) -> Roadmap:
    """Match and schedule the transitions taking a plan from its current to its planned FTE."""
    changes = list(changes)
    cap = _checked_cap(changes, max_fte_per_quarter)
    moves = match(changes)
    moved = sum(to_units(move.fte) for move in moves)
    dates = _quarter_dates(start, moved, cap, max_fte_per_quarter)
    by_id = {change.role_id: change for change in changes}
    transitions = _scheduled_moves(moves, by_id, cap, dates) + _leftovers(changes, moves, dates)
    transitions.sort(key=lambda t: (t.quarter, KINDS.index(t.kind)))
    return Roadmap(
        start=start,
        first_quarter=dates[0],
        max_fte_per_quarter=max_fte_per_quarter,
        transitions=tuple(transitions),
        quarters=len(dates),
        moved_fte=from_units(moved),
        hired_fte=_total(transitions, HIRE),
        exited_fte=_total(transitions, EXIT),
    )
