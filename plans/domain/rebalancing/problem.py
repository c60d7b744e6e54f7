"""The band-level problem on integers, shared by the three modes.

`BandProblem` is what the engine solves (see the package docstring for its objectives),
`BandSolution` its answer. `Bands` precomputes, for one problem and mode, the box of allowed
step counts (locks, no negative line, the compliance floor, the headcount cap, the budget, the
grow-to total, each relaxed to what can hold), the cost curves and the scoring of a point.
`allocate` is the greedy optimum for a fixed total and box that the exact search uses.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Literal

from roles.bands import BANDS, Band

Mode = Literal["reassign", "grow", "budget"]
MODES: tuple[Mode, ...] = ("reassign", "grow", "budget")
FORMAL = BANDS.index(Band.FORMAL)
# Scores are in tenths of a point: 1000 is 100.0, nothing scores better.
PERFECT_SCORE10 = 1000

BINDING_CONSTRAINTS = (
    "locked_lines",
    "compliance_floor",
    "headcount_cap",
    "budget_cap",
    "grow_to",
    "no_role",
    "step",
    "mode",
)

Point = tuple[int, int, int]


@dataclass(frozen=True)
class BandProblem:
    """The band-level problem on integers. Index order is `BANDS`; ``k`` counts steps.

    FTE quantities are in FTE units (``1 / fte_scale`` FTE), targets in target units
    (``targets`` sum to ``target_scale``), costs in cost units (``fte unit × cost / cost_scale``).
    """

    base: tuple[int, int, int]
    step: int
    cuttable: tuple[int, int, int]  # steps each band can lose
    can_add: tuple[bool, bool, bool]
    targets: tuple[int, int, int]
    target_scale: int
    tolerance: int
    floor: int | None = None  # formal FTE units
    cap: int | None = None  # total FTE units
    budget: int | None = None  # allowed cost increase (cost units); negative: must save
    add_price: tuple[int, int, int] = (0, 0, 0)  # cost units per step added
    cut_segments: tuple[tuple[tuple[int, int], ...], ...] = ((), (), ())  # (steps, price/step)
    horizon: int = 0  # max steps added in total when nothing else bounds additions
    base_step: int = 0  # the smallest step allowed (0.1 FTE) in FTE units; 0: unknown
    min_total: int | None = None  # grow: the total FTE units the plan must reach (grow_to)

    @property
    def total(self) -> int:
        return sum(self.base)


@dataclass(frozen=True)
class BandSolution:
    """The optimum of a band-level problem and what limited it."""

    k: tuple[int, int, int]
    score10: int  # score in tenths, -1 when the column is empty
    distance: Fraction | None
    within_tolerance: bool
    cost_delta: int
    relaxed: tuple[str, ...] = ()  # constraints that could not hold (violation minimised)
    binding: str | None = None  # what stops the target, when it is not reached
    optimal: bool = True  # always: the search is exact (kept for the API's `optimal`)


def ceil_div(a: int, b: int) -> int:
    return -((-a) // b)


def cut_curves(problem: BandProblem) -> tuple[list[list[int]], list[list[int]]]:
    """Per band, the cumulative steps and savings of its cut segments (both from 0)."""
    cum_steps: list[list[int]] = []
    cum_save: list[list[int]] = []
    for segments in problem.cut_segments:
        steps, saves, total_steps, total_save = [0], [0], 0, 0
        for count, price in segments:
            total_steps += count
            total_save += count * price
            steps.append(total_steps)
            saves.append(total_save)
        cum_steps.append(steps)
        cum_save.append(saves)
    return cum_steps, cum_save


def people_key(k: Sequence[int]) -> int:
    """Twice the people a change touches: ``Σ|k_b| + |Σk_b|`` = 2·max(steps added, cut).

    A step cut in one band and added in another is one person reskilled, not two changes; a cut
    or a hire is one person. So the budget mode prefers moving people to shedding them. At a
    fixed total N it orders points as ``Σ|k_b|`` does (|N| is constant), which is why the
    search's per-total reasoning holds unchanged; over N it adds ``|N|``, bounded below on an
    interval by its ``|N|`` nearest 0. In reassign mode (N = 0) and grow mode (N = Σ|k_b|) the
    order is the same as ``Σ|k_b|``.
    """
    return sum(abs(v) for v in k) + abs(sum(k))


class Bands:
    """Precomputed helpers for one problem and mode: bounds, cost functions, evaluation.

    The bounds are set in the order the constraints yield when they cannot all hold: the
    compliance floor, then the headcount cap, then the budget; each one that cannot hold is
    relaxed to the least violation and named in `relaxed`.
    """

    def __init__(self, problem: BandProblem, mode: Mode):
        self.p = problem
        self.mode = mode
        self.dm = problem.target_scale - min(problem.targets)  # D_max in target units
        self.relaxed: list[str] = []
        self.cum_steps, self.cum_save = cut_curves(problem)
        self.lo, self.hi = self._box_with_floor()
        self.ncap: int | None = self._apply_cap()
        self.budget: int | None = self._apply_budget()
        self.n_low, self.n_high = self._total_range()

    def _box_with_floor(self) -> tuple[list[int], list[int]]:
        """Steps each band may move (locks, no negative line, roles to grow), then the floor."""
        problem, mode = self.p, self.mode
        lo = [-problem.cuttable[b] if mode != "grow" else 0 for b in range(3)]
        horizon = max(problem.horizon, 0)
        hi = [horizon if problem.can_add[b] else 0 for b in range(3)]
        if mode == "reassign":
            hi = [min(hi[b], sum(-lo[c] for c in range(3) if c != b)) for b in range(3)]
        # compliance floor: as close as the mode allows (in grow it outranks the headcount cap)
        if problem.floor is not None:
            need = ceil_div(problem.floor - problem.base[FORMAL], problem.step)
            if need > hi[FORMAL]:
                self.relaxed.append("compliance_floor")
                need = hi[FORMAL]
            lo[FORMAL] = max(lo[FORMAL], need)
        return lo, hi

    def _apply_cap(self) -> int | None:
        """The headcount cap on Σk (reassign keeps the total: the cap cannot move)."""
        problem = self.p
        if problem.cap is None or self.mode == "reassign":
            return None
        lo = self.lo
        ncap = (problem.cap - problem.total) // problem.step
        if ncap < sum(lo):
            self.relaxed.append("headcount_cap")
            ncap = sum(lo)
        self.hi = [min(self.hi[b], ncap - sum(lo) + lo[b]) for b in range(3)]
        return ncap

    def _apply_budget(self) -> int | None:
        """The budget on the cost change (budget mode only), and each band's top within it."""
        if self.mode != "budget" or self.p.budget is None:
            return None
        lo = self.lo
        floor_cost = sum(self.cost(b, lo[b]) for b in range(3))
        budget = self.p.budget
        if budget < floor_cost:
            self.relaxed.append("budget_cap")
            budget = floor_cost
        for b in range(3):
            others = sum(self.cost(c, lo[c]) for c in range(3) if c != b)
            top = self.max_k_within(b, budget - others)
            self.hi[b] = min(self.hi[b], top if top is not None else lo[b])
        return budget

    def _total_range(self) -> tuple[int, int]:
        """The steps added in total: 0 in reassign; else the box, the cap and grow-to."""
        if self.mode == "reassign":
            return 0, 0
        n_low, n_high = sum(self.lo), sum(self.hi)
        if self.ncap is not None:
            n_high = min(n_high, self.ncap)
        n_high = max(n_high, n_low)
        if self.p.min_total is not None and self.mode == "grow":
            need = ceil_div(self.p.min_total - self.p.total, self.p.step)
            if need > n_high:
                self.relaxed.append("grow_to")
                need = n_high
            n_low = max(n_low, need)
        return n_low, n_high

    def in_box(self, k: Sequence[int]) -> bool:
        """Within the bounds: locks, no negative line, floor, roles to grow, cap and budget."""
        if any(not self.lo[b] <= k[b] <= self.hi[b] for b in range(3)):
            return False
        if self.mode == "reassign" and sum(k) != 0:
            return False
        if self.ncap is not None and sum(k) > self.ncap:
            return False
        if (
            self.budget is not None
            and self.cost(0, k[0]) + self.cost(1, k[1]) + self.cost(2, k[2]) > self.budget
        ):
            return False
        return True

    def cost(self, b: int, k: int) -> int:
        """The cost of k steps in band b, relative to today."""
        if k >= 0:
            return k * self.p.add_price[b]
        m = -k
        steps, saves = self.cum_steps[b], self.cum_save[b]
        j = bisect.bisect_right(steps, m) - 1
        if j >= len(steps) - 1:
            return -saves[-1]
        price = self.p.cut_segments[b][j][1]
        return -(saves[j] + (m - steps[j]) * price)

    def max_k_within(self, b: int, allowance: int) -> int | None:
        """The largest k (≥ -cuttable) whose cost fits `allowance`; None if none does."""
        if allowance >= 0:
            price = self.p.add_price[b]
            if price == 0 or not self.p.can_add[b]:
                return self.hi[b]
            return allowance // price
        need = -allowance
        steps, saves = self.cum_steps[b], self.cum_save[b]
        if saves[-1] < need:
            return None
        j = bisect.bisect_left(saves, need)  # saves[j] >= need, saves[j-1] < need
        if saves[j] == need:
            return -steps[j]
        price = self.p.cut_segments[b][j - 1][1]
        return -(steps[j - 1] + ceil_div(need - saves[j - 1], price))

    def measure(self, k: Sequence[int]) -> tuple[int, int, int, int]:
        """(score10, changes, cost, error E) for a k vector; score10 = -1 for an empty column."""
        p = self.p
        s = p.step
        x0, x1, x2 = p.base[0] + k[0] * s, p.base[1] + k[1] * s, p.base[2] + k[2] * s
        h = x0 + x1 + x2
        changes = people_key(k)
        cost = self.cost(0, k[0]) + self.cost(1, k[1]) + self.cost(2, k[2])
        if h <= 0:
            return -1, changes, cost, 0
        ts = p.target_scale
        t = p.targets
        error = abs(x0 * ts - t[0] * h) + abs(x1 * ts - t[1] * h) + abs(x2 * ts - t[2] * h)
        den = 2 * h * self.dm
        num = 1000 * (den - error)
        return (2 * num + den) // (2 * den), changes, cost, error

    def within_tolerance(self, k: Sequence[int]) -> bool:
        p = self.p
        x = [p.base[b] + k[b] * p.step for b in range(3)]
        h = sum(x)
        if h <= 0:
            return False
        return all(
            abs(x[b] * p.target_scale - p.targets[b] * h) <= p.tolerance * h for b in range(3)
        )

    def binding(self, k: Sequence[int], cost: int) -> str:
        """The constraint that is tight at `k` and blocks the way to the target.

        A band over target that cannot shrink further is held by the compliance floor (formal,
        when the floor keeps it up) or by its locked and split lines; a band under target that
        cannot grow is held by the headcount cap, the budget cap or the lack of a role.
        """
        if self.relaxed:
            return self.relaxed[0]
        p = self.p
        x = [p.base[b] + k[b] * p.step for b in range(3)]
        h = sum(x)
        if h <= 0:
            return "mode"
        over = [b for b in range(3) if x[b] * p.target_scale - p.targets[b] * h > p.tolerance * h]
        under = [b for b in range(3) if p.targets[b] * h - x[b] * p.target_scale > p.tolerance * h]
        held = self._holding_over(k, over) or self._holding_under(k, cost, under)
        if held:
            return held
        if p.base_step and p.step > p.base_step:
            return "step"
        return "mode"

    def _holding_over(self, k: Sequence[int], over: list[int]) -> str | None:
        """What keeps a band over target from shrinking further, if anything."""
        p = self.p
        for b in over:
            if k[b] == self.lo[b]:
                if b == FORMAL and p.floor is not None and self.lo[b] > -p.cuttable[b]:
                    return "compliance_floor"
                if self.mode != "grow":
                    return "locked_lines"
        return None

    def _holding_under(self, k: Sequence[int], cost: int, under: list[int]) -> str | None:
        """What keeps a band under target from growing further, if anything."""
        p = self.p
        for b in under:
            if not p.can_add[b]:
                return "no_role"
        if self.mode != "reassign" and under:
            if self.ncap is not None and sum(k) >= self.ncap:
                return "headcount_cap"
            if self.budget is not None and any(cost + p.add_price[b] > self.budget for b in under):
                return "budget_cap"
        return None

    def solution(self, k: Sequence[int]) -> BandSolution:
        score10, _changes, cost, error = self.measure(k)
        h = sum(self.p.base[b] + k[b] * self.p.step for b in range(3))
        distance = None if h <= 0 else Fraction(error, 2 * h * self.p.target_scale)
        return BandSolution(
            k=tuple(k),
            score10=score10,
            distance=distance,
            within_tolerance=self.within_tolerance(k),
            cost_delta=cost,
            relaxed=tuple(self.relaxed),
            # a constraint that could not hold is named even when the target is reached
            binding=(self.relaxed[0] if self.relaxed else None)
            if self.within_tolerance(k)
            else self.binding(k, cost),
            optimal=True,
        )


def allocate(
    problem: BandProblem, lo: Sequence[int], hi: Sequence[int], total: int, units: int
) -> Point | None:
    """Minimise (Σ|x_b − t_b·H|, Σ|k_b|) lexicographically with Σk = units, lo ≤ k ≤ hi.

    H is the resulting total (FTE units). Each term is convex piecewise linear in k_b, so taking
    the cheapest marginal steps first (greedy, by segments of constant marginal) is optimal.
    """
    if sum(lo) > units or sum(hi) < units:
        return None
    s, ts = problem.step, problem.target_scale
    segments = []
    for b in range(3):
        a, target = problem.base[b] * ts, problem.targets[b] * total
        lo_b, hi_b = lo[b], hi[b]
        if hi_b <= lo_b:
            continue
        crossing = (target - a) // (s * ts)
        cuts = sorted(c for c in {lo_b, hi_b, 0, crossing, crossing + 1} if lo_b <= c <= hi_b)
        for start, end in zip(cuts, cuts[1:], strict=False):
            here = abs(a + start * s * ts - target)
            there = abs(a + (start + 1) * s * ts - target)
            marginal = (there - here, abs(start + 1) - abs(start))
            segments.append((marginal, b, start, end - start))
    segments.sort()
    k = list(lo)
    left = units - sum(lo)
    for _marginal, b, _start, length in segments:
        if left <= 0:
            break
        take = min(length, left)
        k[b] += take
        left -= take
    return (k[0], k[1], k[2])
