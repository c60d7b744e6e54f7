"""The engine's entry point: a plan's lines in, a `Suggestion` of line-level actions out.

`suggest` prepares the band-level problem (`distribution.prepare`), solves it for the mode
(`solve_band_problem`), spreads each band's change over its roles and scores the resulting
column. Actions and results carry codes and numbers only (why a line moves, by how many points
its band is off target, what limits the result); `plans.presenters` words them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal

from plans.domain.rebalancing.distribution import (
    MIN_STEP,
    Prepared,
    distribute_additions,
    distribute_cuts,
    prepare,
    pure_band,
)
from plans.domain.rebalancing.exact import AIMS, solve_exact
from plans.domain.rebalancing.problem import MODES, BandProblem, Bands, BandSolution, Mode
from plans.domain.scoring import score_column
from plans.domain.types import ColumnScore, LineInput, TargetInput
from roles.bands import BANDS, Band

DEFAULT_STEP = Decimal("0.5")
# A suggestion that removes more than this share of the planned FTE, or adds more than that
# share, carries a warning (DESIGN §5).
REMOVES_MUCH = Decimal("0.2")
ADDS_MUCH = Decimal("0.5")
MAX_STEP = Decimal("5")

# Why a line moves (`Action.reason_code`), from its band's state before the change.
REASON_CODES = (
    "below_compliance_floor",  # an addition to formal, below the compliance floor
    "under_target",  # an addition to a band under target
    "keeps_share",  # an addition to a band on or over target (the department changes)
    "over_target",  # a cut from a band over target
    "frees_budget",  # a cut in budget mode from a band not over target
    "makes_room",  # a cut so that the bands under target can grow
)


class RebalanceInputError(ValueError):
    """A bad mode or step: the caller turns it into a 400 (`plans.presenters` words `code`).

    Codes: ``unknown_mode``, ``not_a_number``, ``out_of_range``, ``not_a_multiple``.
    """

    def __init__(self, field_name: str, code: str, value: object = None):
        super().__init__(f"{field_name}: {code}")
        self.field_name = field_name
        self.code = code
        self.value = value


def validate_mode(mode: str | None) -> Mode:
    """The mode, defaulting to ``reassign``; raises RebalanceInputError for an unknown one."""
    if mode in (None, ""):
        return "reassign"
    if mode not in MODES:
        raise RebalanceInputError("mode", "unknown_mode", mode)
    return mode  # type: ignore[return-value]


def validate_step(step: Decimal | str | None) -> Decimal:
    """The step in FTE: 0.1 to 5, a multiple of 0.1; default 0.5."""
    if step in (None, ""):
        return DEFAULT_STEP
    try:
        value = Decimal(str(step))
    except ArithmeticError:
        raise RebalanceInputError("step", "not_a_number", step) from None
    if not value.is_finite() or value < MIN_STEP or value > MAX_STEP:
        raise RebalanceInputError("step", "out_of_range", step)
    if value % MIN_STEP != 0:
        raise RebalanceInputError("step", "not_a_multiple", step)
    return value.quantize(MIN_STEP)


def validate_aim(aim: str | None) -> str:
    """The aim, defaulting to ``tolerance``; raises RebalanceInputError for an unknown one."""
    if aim in (None, ""):
        return "tolerance"
    if aim not in AIMS:
        raise RebalanceInputError("aim", "unknown_aim", aim)
    return aim


def solve_band_problem(problem: BandProblem, mode: Mode, aim: str = "tolerance") -> BandSolution:
    """The exactly optimal band-level change for the mode and aim (see the package docstring)."""
    bands = Bands(problem, mode)
    return bands.solution(solve_exact(bands, aim))


@dataclass(frozen=True)
class Action:
    """One suggested line change, and why: `reason_code` (one of REASON_CODES)."""

    role_id: int
    title: str
    band: Band
    from_fte: Decimal
    to_fte: Decimal
    delta: Decimal
    cost_delta: Decimal
    reason_code: str
    points_off_target: int  # the band's share minus its target before, in whole points
    line_id: int | None = None
    new_line: bool = False


@dataclass(frozen=True)
class Suggestion:
    """The engine's answer: actions, the resulting column and what limited it."""

    mode: Mode
    step: Decimal
    actions: tuple[Action, ...]
    lines: tuple[LineInput, ...]  # the plan's lines (and new ones) with the suggested planned FTE
    before: ColumnScore
    result: ColumnScore
    target_reached: bool
    binding_constraint: str | None  # one of BINDING_CONSTRAINTS
    band_changes: dict[Band, Decimal] = field(default_factory=dict)
    optimal: bool = True  # always: the search is exact, with no work limit
    compliance_floor: Decimal | None = None  # the floor the suggestion was asked to keep
    aim: str = "tolerance"
    budget_cap: Decimal | None = None  # budget mode: the cap the suggestion keeps
    grow_to: Decimal | None = None  # grow mode: the total FTE asked for

    @property
    def warnings(self) -> tuple[str, ...]:
        """Codes of what a leader must see before accepting: `removes_much` (more than
        `REMOVES_MUCH` of the planned FTE go) and `adds_much` (more than `ADDS_MUCH` added)."""
        before = self.before.total_fte
        codes = []
        if before > 0 and self.fte_removed > before * REMOVES_MUCH:
            codes.append("removes_much")
        if self.fte_added > before * ADDS_MUCH:
            codes.append("adds_much")
        return tuple(codes)

    @property
    def fte_added(self) -> Decimal:
        return sum((a.delta for a in self.actions if a.delta > 0), Decimal(0))

    @property
    def fte_removed(self) -> Decimal:
        return -sum((a.delta for a in self.actions if a.delta < 0), Decimal(0))

    @property
    def cost_delta(self) -> Decimal:
        return sum((a.cost_delta for a in self.actions), Decimal(0))


def points_off_target(share: Decimal | None, target: Decimal) -> int:
    """The share minus the target in whole points; 0 for an empty column."""
    if share is None:
        return 0
    return int(((share - target) * 100).to_integral_value())


def reason_code(
    band: Band, delta: Decimal, before: ColumnScore, mode: Mode, floor: Decimal | None
) -> tuple[str, int]:
    """Why the band's lines move by `delta`: (reason code, points off target before)."""
    band_score = before.band(band)
    points = points_off_target(band_score.share, band_score.target)
    if delta > 0:
        if band == Band.FORMAL and floor is not None and band_score.fte < floor:
            return "below_compliance_floor", points
        return ("under_target" if points < 0 else "keeps_share"), points
    if points > 0:
        return "over_target", points
    return ("frees_budget" if mode == "budget" else "makes_room"), points


def _role_changes(solution: BandSolution, prepared: Prepared, mode: Mode) -> dict[int, int]:
    """Steps per role id: each band's change spread by the role-level rules."""
    changes: dict[int, int] = {}
    for index, band in enumerate(BANDS):
        k = solution.k[index]
        if k > 0:
            changes.update(distribute_additions(band, k, prepared, mode))
        elif k < 0:
            changes.update(distribute_cuts(band, -k, prepared, prepared.problem.step))
    return changes


def _new_lines(
    changes: dict[int, int], in_plan: dict[int, LineInput], candidates, step: Decimal
) -> list[LineInput]:
    """The catalog candidates the changes add, as lines with their suggested FTE."""
    new_lines = []
    for role_id, steps in changes.items():
        if role_id not in in_plan:
            candidate = next(c for c in candidates if c.role_id == role_id)
            new_lines.append(replace(candidate, planned_fte=steps * step, current_fte=Decimal(0)))
    return new_lines


def _actions(
    changed: list[LineInput],
    changes: dict[int, int],
    in_plan: dict[int, LineInput],
    *,
    step: Decimal,
    before: ColumnScore,
    mode: Mode,
    floor: Decimal | None,
) -> tuple[Action, ...]:
    """One action per changed line, by band then title."""
    actions = []
    for line in sorted(
        changed, key=lambda li: (BANDS.index(pure_band(li) or li.primary_band), li.title)
    ):
        is_new = line.role_id not in in_plan
        old = Decimal(0) if is_new else line.planned_fte
        delta = changes[line.role_id] * step
        band = pure_band(line) or line.primary_band
        code, points = reason_code(band, delta, before, mode, floor)
        actions.append(
            Action(
                role_id=line.role_id,
                title=line.title,
                band=band,
                from_fte=old,
                to_fte=old + delta,
                delta=delta,
                cost_delta=delta * line.annual_cost,
                reason_code=code,
                points_off_target=points,
                line_id=line.line_id,
                new_line=is_new,
            )
        )
    return tuple(actions)


def suggest(
    lines: Sequence[LineInput],
    target: TargetInput,
    *,
    mode: Mode = "reassign",
    step: Decimal = DEFAULT_STEP,
    headcount_cap: Decimal | None = None,
    budget_cap: Decimal | None = None,
    compliance_floor: Decimal | None = None,
    candidates: Sequence[LineInput] = (),
    aim: str = "tolerance",
    grow_to: Decimal | None = None,
) -> Suggestion:
    """Suggest line changes for the plan's planned column (see the package docstring).

    `grow_to` (grow mode only): the total FTE the grown plan must reach at least (rounded up
    to the step), on top of the aim.
    """
    mode = validate_mode(mode)
    step = validate_step(step)
    aim = validate_aim(aim)
    lines = list(lines)
    prepared = prepare(
        lines,
        target,
        mode=mode,
        step=step,
        headcount_cap=headcount_cap,
        budget_cap=budget_cap if mode == "budget" else None,
        compliance_floor=compliance_floor,
        candidates=candidates,
        grow_to=grow_to if mode == "grow" else None,
    )
    solution = solve_band_problem(prepared.problem, mode, aim)
    before = score_column(lines, target, "planned")
    changes = _role_changes(solution, prepared, mode)
    in_plan = {line.role_id: line for line in lines}
    new_lines = _new_lines(changes, in_plan, candidates, step)
    result_lines = [
        replace(line, planned_fte=line.planned_fte + changes[line.role_id] * step)
        if changes.get(line.role_id, 0)
        else line
        for line in lines
    ] + new_lines
    changed = [line for line in lines if line.role_id in changes] + new_lines
    step_units = prepared.problem.step
    return Suggestion(
        mode=mode,
        step=step,
        actions=_actions(
            changed, changes, in_plan, step=step, before=before, mode=mode, floor=compliance_floor
        ),
        lines=tuple(result_lines),
        before=before,
        result=score_column(result_lines, target, "planned"),
        target_reached=solution.within_tolerance,
        binding_constraint=solution.binding,
        band_changes={
            band: Decimal(solution.k[i] * step_units) / prepared.fte_scale
            for i, band in enumerate(BANDS)
        },
        optimal=solution.optimal,
        compliance_floor=compliance_floor,
        aim=aim,
        budget_cap=budget_cap if mode == "budget" else None,
        grow_to=grow_to if mode == "grow" else None,
    )
