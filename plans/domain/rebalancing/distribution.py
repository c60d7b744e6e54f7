"""From plan lines to the band-level problem, and from band changes back to roles.

`prepare` scales the lines' FTE, targets and costs to integers and builds the `BandProblem`
(which lines are movable, what each band can lose, the price of a step added or cut);
`distribute_additions` and `distribute_cuts` turn a band's step count into steps per role, by
the role-level rules of the package docstring.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from plans.domain.rebalancing.problem import BandProblem, Mode
from plans.domain.types import LineInput, TargetInput
from roles.bands import BANDS, Band

MIN_STEP = Decimal("0.1")
# Without a cap or budget, additions are searched up to this many times the plan's FTE.
HORIZON_FACTOR = 20
HORIZON_MIN_FTE = Decimal("50")


def pure_band(line: LineInput) -> Band | None:
    """The band a role sits in wholly, or None for a split role."""
    bands = [band for band, part in line.band_split.items() if part]
    if len(bands) == 1 and line.band_split[bands[0]] == 1:
        return bands[0]
    return None


def scale_of(values: Iterable[Decimal]) -> int:
    """The power of ten that makes every value an integer."""
    places = 0
    for value in set(values):
        exponent = value.normalize().as_tuple().exponent
        if isinstance(exponent, int) and exponent < 0:
            places = max(places, -exponent)
    return 10**places


@dataclass
class Prepared:
    """The band-level problem of a plan and what maps its answer back to the lines."""

    problem: BandProblem
    fte_scale: int
    cost_scale: int
    movable: dict[Band, list[LineInput]]
    cut_order: dict[Band, list[LineInput]]
    recipients: dict[Band, list[LineInput]]  # movable lines in the plan, else [candidate]
    cheapest_recipient: dict[Band, LineInput | None]


@dataclass
class _Lines:
    """The plan's lines summed up: movable lines per band, FTE per band, today's cost."""

    movable: dict[Band, list[LineInput]]
    band_fte: dict[Band, Decimal]
    total_cost: Decimal


def _sum_lines(lines: Sequence[LineInput]) -> _Lines:
    movable: dict[Band, list[LineInput]] = {band: [] for band in BANDS}
    band_fte = dict.fromkeys(BANDS, Decimal(0))
    total_cost = Decimal(0)
    for line in lines:
        fte = line.planned_fte
        total_cost += fte * line.annual_cost
        band = pure_band(line)
        if band is not None and not line.locked:
            movable[band].append(line)
        for b, part in line.band_split.items():
            if part and fte:
                band_fte[b] += fte * part
    return _Lines(movable, band_fte, total_cost)


def _cheapest_candidates(candidates: Sequence[LineInput]) -> dict[Band, LineInput]:
    """Per band, the cheapest catalog candidate sitting wholly in it (ties by title, id)."""
    by_band: dict[Band, LineInput] = {}
    for candidate in sorted(candidates, key=lambda c: (c.annual_cost, c.title, c.role_id)):
        band = pure_band(candidate)
        if band is not None and band not in by_band:
            by_band[band] = candidate
    return by_band


def _role_orders(
    movable: dict[Band, list[LineInput]], candidates: Sequence[LineInput]
) -> tuple[dict, dict, dict]:
    """(recipients, cheapest recipient, cut order) per band, by the role-level rules."""
    candidate_by_band = _cheapest_candidates(candidates)
    recipients: dict[Band, list[LineInput]] = {}
    cheapest: dict[Band, LineInput | None] = {}
    cut_order: dict[Band, list[LineInput]] = {}
    for band in BANDS:
        in_plan = movable[band]
        recipients[band] = in_plan or (
            [candidate_by_band[band]] if band in candidate_by_band else []
        )
        cheapest[band] = min(
            recipients[band],
            key=lambda li: (li.annual_cost, -li.planned_fte, li.role_id),
            default=None,
        )
        cut_order[band] = sorted(
            (li for li in in_plan if li.planned_fte > 0),
            key=lambda li: (-li.annual_cost, -li.planned_fte, li.role_id),
        )
    return recipients, cheapest, cut_order


def _cut_segments(
    cut_order: dict[Band, list[LineInput]], fte_scale: int, step_units: int, cost_per_step
) -> tuple[tuple, tuple]:
    """Per band, the (steps, price per step) segments of its cuts and the steps it can lose."""
    cut_segments = []
    cuttable = []
    for band in BANDS:
        segments = []
        for line in cut_order[band]:
            count = int(line.planned_fte * fte_scale) // step_units
            if count:
                segments.append((count, cost_per_step(line)))
        cut_segments.append(tuple(segments))
        cuttable.append(sum(count for count, _ in segments))
    return tuple(cut_segments), tuple(cuttable)


def _budget_units(
    budget_cap: Decimal | None, total_cost: Decimal, cost_scale: int, fte_scale: int
) -> int | None:
    """The cost increase the budget cap allows, in cost units (negative: the plan must save)."""
    if budget_cap is None:
        return None
    return int(budget_cap * cost_scale) * fte_scale - int(total_cost * cost_scale * fte_scale)


def prepare(
    lines: Sequence[LineInput],
    target: TargetInput,
    *,
    mode: Mode,
    step: Decimal,
    headcount_cap: Decimal | None,
    budget_cap: Decimal | None,
    compliance_floor: Decimal | None,
    candidates: Sequence[LineInput],
    grow_to: Decimal | None = None,
) -> Prepared:
    """The band-level problem of the plan, on integers (see `BandProblem` for the units)."""
    summed = _sum_lines(lines)
    movable, band_fte = summed.movable, summed.band_fte
    values = [step, *band_fte.values()]
    values += [v for v in (headcount_cap, compliance_floor, grow_to) if v is not None]
    values += [line.planned_fte for lines_ in movable.values() for line in lines_]
    fte_scale = scale_of(values)
    target_scale = scale_of([*target.targets.values(), target.tolerance])
    recipients, cheapest, cut_order = _role_orders(movable, candidates)
    prices = [line.annual_cost for line in lines] + [c.annual_cost for c in candidates]
    cost_scale = scale_of(prices + ([budget_cap] if budget_cap is not None else []))
    step_units = int(step * fte_scale)

    def cost_per_step(line: LineInput) -> int:
        return int(line.annual_cost * cost_scale) * step_units

    cut_segments, cuttable = _cut_segments(cut_order, fte_scale, step_units, cost_per_step)
    add_price = tuple(
        cost_per_step(cheapest[band]) if cheapest[band] is not None else 0 for band in BANDS
    )
    horizon_fte = max(sum(band_fte.values()) * HORIZON_FACTOR, HORIZON_MIN_FTE, grow_to or 0)
    budget = _budget_units(budget_cap, summed.total_cost, cost_scale, fte_scale)
    problem = BandProblem(
        base=tuple(int(band_fte[band] * fte_scale) for band in BANDS),  # type: ignore[arg-type]
        step=step_units,
        cuttable=cuttable,  # type: ignore[arg-type]
        can_add=tuple(bool(recipients[band]) for band in BANDS),  # type: ignore[arg-type]
        targets=tuple(int(target.targets[band] * target_scale) for band in BANDS),  # type: ignore[arg-type]
        target_scale=target_scale,
        tolerance=int(target.tolerance * target_scale),
        floor=None if compliance_floor is None else int(compliance_floor * fte_scale),
        cap=None if headcount_cap is None else int(headcount_cap * fte_scale),
        budget=budget,
        add_price=add_price,  # type: ignore[arg-type]
        cut_segments=cut_segments,
        horizon=int(horizon_fte / step) + 1,
        base_step=int(MIN_STEP * fte_scale),
        min_total=None if grow_to is None else int(grow_to * fte_scale),
    )
    return Prepared(
        problem=problem,
        fte_scale=fte_scale,
        cost_scale=cost_scale,
        movable=movable,
        cut_order=cut_order,
        recipients=recipients,
        cheapest_recipient=cheapest,
    )


def distribute_additions(band: Band, steps: int, prepared: Prepared, mode: Mode) -> dict[int, int]:
    """Steps added per role id in the band (see the role-level rules)."""
    recipients = prepared.recipients[band]
    cheapest = prepared.cheapest_recipient[band]
    scale = prepared.fte_scale
    weights = {line.role_id: int(line.planned_fte * scale) for line in recipients}
    total = sum(weights.values())
    if mode == "budget" or total == 0:
        return {cheapest.role_id: steps}
    given = {role: steps * weight // total for role, weight in weights.items()}
    left = steps - sum(given.values())
    if left:
        remainders = sorted(
            recipients,
            key=lambda li: (-(steps * weights[li.role_id] % total), -li.planned_fte, li.role_id),
        )
        for line in remainders[:left]:
            given[line.role_id] += 1
    return {role: n for role, n in given.items() if n}


def distribute_cuts(band: Band, steps: int, prepared: Prepared, step_units: int) -> dict[int, int]:
    """Steps cut per role id in the band: the most expensive lines first, never below 0."""
    taken: dict[int, int] = {}
    left = steps
    for line in prepared.cut_order[band]:
        if left <= 0:
            break
        available = int(line.planned_fte * prepared.fte_scale) // step_units
        take = min(available, left)
        if take:
            taken[line.role_id] = -take
            left -= take
    return taken
