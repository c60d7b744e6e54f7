"""Frozen dataclasses: the inputs and outputs of the plan maths (scoring, rebalancing).

Pure Python, no Django import. Selectors load database rows into these; the pure modules compute
on them. Quantities are `Decimal`: FTE, costs, and band splits as fractions summing to 1.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from roles.bands import Band

Column = Literal["current", "planned"]
COLUMNS: tuple[Column, ...] = ("current", "planned")


@dataclass(frozen=True, slots=True)
class LineInput:
    """One plan line as the maths sees it."""

    role_id: int
    title: str
    band_split: dict[Band, Decimal]  # fractions per band, summing to 1
    current_fte: Decimal
    planned_fte: Decimal
    annual_cost: Decimal  # per FTE: the line's override, else the role's cost
    locked: bool = False
    line_id: int | None = None
    discipline: str = ""

    def fte(self, column: Column) -> Decimal:
        return self.current_fte if column == "current" else self.planned_fte

    @property
    def primary_band(self) -> Band:
        """The band holding the largest part of the split (first in band order on ties)."""
        return max(self.band_split, key=lambda band: (self.band_split[band], -_band_index(band)))


def _band_index(band: Band) -> int:
    return list(Band).index(band)


@dataclass(frozen=True, slots=True)
class TargetInput:
    """A target model: share per band (fractions summing to 1) and tolerance (a fraction)."""

    targets: dict[Band, Decimal]
    tolerance: Decimal = Decimal("0.05")
    name: str = ""
    id: int | None = None


@dataclass(frozen=True, slots=True)
class BandScore:
    band: Band
    fte: Decimal
    share: Decimal | None
    target: Decimal
    status: Literal["under", "on_target", "over"] | None
    gap_fte: Decimal
    cost: Decimal


@dataclass(frozen=True, slots=True)
class ColumnScore:
    """The score of one column (current or planned) of a plan."""

    total_fte: Decimal
    score: Decimal | None
    distance: Decimal | None
    moves_needed_fte: Decimal | None
    shape: Literal["modern", "mixed", "training_centric"] | None
    bands: tuple[BandScore, ...]
    cost: Decimal
    reason: str | None = None
    ordering_holds: bool | None = None  # the plain "Most >= Much >= Some" test

    def band(self, band: Band) -> BandScore:
        return next(item for item in self.bands if item.band == band)


@dataclass(frozen=True, slots=True)
class PlanScore:
    current: ColumnScore
    planned: ColumnScore
