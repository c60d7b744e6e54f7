"""Scoring a plan column against a target model (DESIGN §4). Pure Python, no Django import.

Contract, for a column (`current` or `planned`):

- FTE per band ``h_b = Σ fte_i × split_i,b``; total ``H = Σ h_b``; share ``s_b = h_b / H``.
- Distance (total variation) ``D = ½ Σ_b |s_b − t_b|``; ``moves_needed_fte = D × H``.
- Score ``100 × (1 − D / D_max)`` with ``D_max = 1 − min_b t_b``, rounded half-up to one decimal.
- Band status ``under`` / ``over`` when the share is strictly outside ``t_b ± tolerance``;
  ``gap_fte = t_b × H − h_b`` (positive: the band needs more).
- Shape ``modern`` when shares follow the target order, ``training_centric`` when ``formal`` is
  strictly the largest band, else ``mixed``.
- An empty column (H = 0) scores ``None`` with a reason, never an error.

Everything is exact: sums in `Decimal` with a wide context, ratios in `Fraction`; outputs are
rounded once at the end, so SQLite and PostgreSQL give identical answers.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import ROUND_HALF_UP, Context, Decimal, localcontext
from fractions import Fraction

from plans.domain.types import (
    COLUMNS,
    BandScore,
    Column,
    ColumnScore,
    LineInput,
    PlanScore,
    TargetInput,
)
from roles.bands import BANDS, Band

EXACT = Context(prec=60)
ONE_DECIMAL = Decimal("0.1")
FTE_PLACES = Decimal("0.01")
SHARE_PLACES = Decimal("0.0001")
COST_PLACES = Decimal("0.01")
EMPTY_REASON = "no_fte"  # the column has no FTE; presenters word it


def to_decimal(value: Fraction, places: Decimal) -> Decimal:
    """Round an exact fraction half-up to the given places."""
    with localcontext(EXACT):
        return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(
            places, rounding=ROUND_HALF_UP
        )


def band_totals(lines: Iterable[LineInput], column: Column) -> tuple[dict[Band, Decimal], dict]:
    """FTE and annual cost per band for one column, exactly.

    Lines sharing one split object (the selectors hand out one per distinct split) are summed
    first and spread over the bands once: the same exact result, far fewer operations.
    """
    groups: dict[int, list] = {}
    with localcontext(EXACT):
        for line in lines:
            line_fte = line.current_fte if column == "current" else line.planned_fte
            if not line_fte:
                continue
            group = groups.get(id(line.band_split))
            if group is None:
                group = groups[id(line.band_split)] = [line.band_split, Decimal(0), Decimal(0)]
            group[1] += line_fte
            group[2] += line_fte * line.annual_cost
        fte = dict.fromkeys(BANDS, Decimal(0))
        cost = dict.fromkeys(BANDS, Decimal(0))
        for split, group_fte, group_cost in groups.values():
            for band, part in split.items():
                if part:
                    fte[band] += group_fte * part
                    cost[band] += group_cost * part
    return fte, cost


def distance_max(targets: Mapping[Band, Decimal]) -> Fraction:
    return 1 - Fraction(min(targets[band] for band in BANDS))


def score_from_band_fte(band_fte: Mapping[Band, Decimal | Fraction], target: TargetInput):
    """Exact (score, distance, shares) from FTE per band; score is None for an empty column.

    Exposed for the rebalancing engine, which compares many candidate band mixes.
    """
    total = sum((Fraction(band_fte[band]) for band in BANDS), Fraction(0))
    if total == 0:
        return None, None, None
    shares = {band: Fraction(band_fte[band]) / total for band in BANDS}
    distance = sum(abs(shares[b] - Fraction(target.targets[b])) for b in BANDS) / 2
    score = 100 * (1 - distance / distance_max(target.targets))
    return score, distance, shares


def shape_of(shares: Mapping[Band, Fraction], targets: Mapping[Band, Decimal]) -> str:
    """`modern` if shares follow the target order, `training_centric` if formal leads, else mixed."""
    follows_target_order = all(
        shares[high] >= shares[low]
        for high in BANDS
        for low in BANDS
        if targets[high] > targets[low]
    )
    if follows_target_order:
        return "modern"
    if all(shares[Band.FORMAL] > shares[other] for other in BANDS if other != Band.FORMAL):
        return "training_centric"
    return "mixed"


def band_status(share: Fraction, target: Fraction, tolerance: Fraction) -> str:
    if share < target - tolerance:
        return "under"
    if share > target + tolerance:
        return "over"
    return "on_target"


def score_column(lines: Iterable[LineInput], target: TargetInput, column: Column) -> ColumnScore:
    """Score one column of a plan against a target model."""
    band_fte, band_cost = band_totals(lines, column)
    with localcontext(EXACT):
        total_fte = sum(band_fte.values(), Decimal(0))
        total_cost = sum(band_cost.values(), Decimal(0))
    score, distance, shares = score_from_band_fte(band_fte, target)
    tolerance = Fraction(target.tolerance)
    bands = []
    for band in BANDS:
        band_target = Fraction(target.targets[band])
        gap = band_target * Fraction(total_fte) - Fraction(band_fte[band])
        bands.append(
            BandScore(
                band=band,
                fte=to_decimal(Fraction(band_fte[band]), FTE_PLACES),
                share=None if shares is None else to_decimal(shares[band], SHARE_PLACES),
                target=to_decimal(band_target, SHARE_PLACES),
                status=None
                if shares is None
                else band_status(shares[band], band_target, tolerance),
                gap_fte=to_decimal(gap, FTE_PLACES),
                cost=to_decimal(Fraction(band_cost[band]), COST_PLACES),
            )
        )
    if shares is None:
        return ColumnScore(
            total_fte=to_decimal(Fraction(total_fte), FTE_PLACES),
            score=None,
            distance=None,
            moves_needed_fte=None,
            shape=None,
            bands=tuple(bands),
            cost=to_decimal(Fraction(total_cost), COST_PLACES),
            reason=EMPTY_REASON,
            ordering_holds=None,
        )
    return ColumnScore(
        total_fte=to_decimal(Fraction(total_fte), FTE_PLACES),
        score=to_decimal(score, ONE_DECIMAL),
        distance=to_decimal(distance, SHARE_PLACES),
        moves_needed_fte=to_decimal(distance * Fraction(total_fte), FTE_PLACES),
        shape=shape_of(shares, target.targets),
        bands=tuple(bands),
        cost=to_decimal(Fraction(total_cost), COST_PLACES),
        reason=None,
        ordering_holds=shares[Band.EXPERIENTIAL] >= shares[Band.SOCIAL] >= shares[Band.FORMAL],
    )


def score_plan(lines: Iterable[LineInput], target: TargetInput) -> PlanScore:
    """Score both columns of a plan."""
    lines = list(lines)
    current, planned = (score_column(lines, target, column) for column in COLUMNS)
    return PlanScore(current=current, planned=planned)
