"""Rebalancing suggestions (DESIGN §5). Pure Python, no Django import.

Contract
--------
Input: a plan's lines (`LineInput`, the `planned` column), its target model, the mode, the step
and the plan's constraints, plus catalog *candidates* (`LineInput` with ``planned_fte = 0``) the
engine may propose when a band has no role of its own to grow. Output: a `Suggestion` with the
line-level actions and the resulting column score (computed with `plans.scoring`).

Which lines move
    *Movable* lines are the unlocked lines whose role sits 100% in one band. Locked lines never
    change. Lines of split roles (people wearing several hats, e.g. 40% social / 60% formal) are
    kept as they are and count exactly by their split: changing them would move several bands at
    once, and the engine keeps the band-level problem exact rather than approximate.

The band-level problem (what is proved optimal)
    Band ``b`` holds ``a_b`` FTE today; the engine chooses an integer ``k_b`` and the band ends at
    ``a_b + k_b × step``. A band can shrink by at most the sum over its movable lines of
    ``floor(planned / step)`` steps (no line below 0), and grow only if it has a movable line or
    a catalog candidate. The compliance floor bounds ``formal`` from below, the headcount cap
    bounds the total. Objectives, per mode:

    - ``reassign``: ``Σ k_b = 0``; minimise the distance ``D``, then the FTE changed ``Σ|k_b|``.
    - ``grow``: ``k_b ≥ 0``; the fewest FTE added so that every band ends within tolerance (then
      the smallest ``D``); if no such total exists under the cap, the best score (as reported,
      one decimal), then the fewest FTE added.
    - ``budget``: ``k_b`` of either sign; the total annual cost must stay within the budget cap;
      the best score (as reported, one decimal), then the fewest FTE changed, then lowest cost.

    When the plan's constraints cannot all hold, the violation is minimised in the order
    compliance floor, headcount cap, budget cap (floor first: it is a compliance duty), and the
    constraint is named in ``binding_constraint``; never an error.

Role-level rules (documented, deterministic)
    - Cuts in a band come from its most expensive movable lines first (then the larger line,
      then role id), each by whole steps and never below 0.
    - Additions go to the band's movable lines already in the plan. In ``reassign`` and ``grow``
      they are split proportionally to the lines' planned FTE in whole steps (largest remainder,
      ties to the larger line, then role id; all at 0 FTE: to the cheapest). In ``budget`` they
      all go to the cheapest movable line of the band, so that a band's cost is a fixed function
      of ``k_b`` (adds at the cheapest price, cuts from the most expensive) and the band-level
      optimum is exact for cost too.
    - A band with no movable line gets the cheapest candidate of that band (pure band, from the
      catalog roles the caller passes in; ties by title) as a new line.

The work limit
    ``grow`` and ``budget`` search a lattice that can be huge (step 0.1, a tight budget, a high
    floor on a large plan). They count their inner-loop work and stop at `WORK_LIMIT`, returning
    the best point found so far, which lies inside the same bounds as the optimum (locks, no
    negative line, step multiples, floor, cap, budget), with ``optimal = False``. Before the
    exact search a bounded coarse-to-fine pass (``budget``) or a spread of totals (``grow``)
    finds good points first, so a stopped search is usually at the optimal score already.

All arithmetic is on integers (FTE, targets and costs scaled by powers of ten), so results are
exact and identical on every database.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from fractions import Fraction
from typing import Literal

from plans.domain.scoring import score_column
from plans.domain.types import ColumnScore, LineInput, TargetInput
from roles.bands import BAND_SHORT_LABELS, BANDS, Band

Mode = Literal["reassign", "grow", "budget"]
MODES: tuple[Mode, ...] = ("reassign", "grow", "budget")
DEFAULT_STEP = Decimal("0.5")
MIN_STEP = Decimal("0.1")
MAX_STEP = Decimal("5")
FORMAL = BANDS.index(Band.FORMAL)
# Without a cap or budget, additions are searched up to this many times the plan's FTE.
HORIZON_FACTOR = 20
HORIZON_MIN_FTE = Decimal("50")
# The work limit: the searches of `grow` and `budget` count their inner-loop iterations (points
# scored, rows and pairs visited, totals tried) and stop once the count passes this, returning
# the best mix found so far (every hard constraint holds) with ``optimal = False``. A count, not
# a clock, so that the same input always gives the same answer. A unit costs 3-10 µs; 120,000
# keeps the worst case we know (budget mode, a high floor or a tight budget, step 0.1, 2,000
# lines) near 1 s on a 2-core machine, under gunicorn's 30 s by far. The small problems of the
# optimality tests stay far below it.
WORK_LIMIT = 120_000
# Points always tried before the limit applies (a bounded spread of totals), so that a search
# stopped early still has a sensible answer.
SEED_TOTALS = 48

BINDING_CONSTRAINTS = (
    "locked_lines",
    "compliance_floor",
    "headcount_cap",
    "budget_cap",
    "no_role",
    "step",
    "mode",
)


class RebalanceInputError(ValueError):
    """A bad mode or step: the caller turns it into a 400."""

    def __init__(self, field_name: str, message: str):
        super().__init__(message)
        self.field_name = field_name


def validate_mode(mode: str | None) -> Mode:
    """The mode, defaulting to ``reassign``; raises RebalanceInputError for an unknown one."""
    if mode in (None, ""):
        return "reassign"
    if mode not in MODES:
        raise RebalanceInputError("mode", f"Use one of {', '.join(MODES)}.")
    return mode  # type: ignore[return-value]


def validate_step(step: Decimal | str | None) -> Decimal:
    """The step in FTE: 0.1 to 5, a multiple of 0.1; default 0.5."""
    if step in (None, ""):
        return DEFAULT_STEP
    try:
        value = Decimal(str(step))
    except ArithmeticError:
        raise RebalanceInputError("step", f"'{step}' is not a number.") from None
    if not value.is_finite() or value < MIN_STEP or value > MAX_STEP:
        raise RebalanceInputError("step", "Give a step from 0.1 to 5 FTE.")
    if value % MIN_STEP != 0:
        raise RebalanceInputError("step", "The step must be a multiple of 0.1 FTE.")
    return value.quantize(MIN_STEP)


# --- the band-level problem, on integers ------------------------------------------------------


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
    optimal: bool = True  # False: the search hit WORK_LIMIT; the best mix found so far
    work: int = 0  # inner-loop iterations the search used


class _SearchStopped(Exception):
    """Raised by `_Bands.tick` once the work limit is passed."""


class _Bands:
    """Precomputed helpers for one problem and mode: bounds, cost functions, evaluation."""

    def __init__(self, problem: BandProblem, mode: Mode, work_limit: int | None = None):
        self.p = problem
        self.mode = mode
        self.work = 0
        self.work_limit = WORK_LIMIT if work_limit is None else work_limit
        self.stopped = False
        ts = problem.target_scale
        self.dm = ts - min(problem.targets)  # D_max in target units
        s = problem.step
        self.relaxed: list[str] = []
        # cut cost curves: cumulative steps and savings
        self.cum_steps: list[list[int]] = []
        self.cum_save: list[list[int]] = []
        for segments in problem.cut_segments:
            steps, saves, total_steps, total_save = [0], [0], 0, 0
            for count, price in segments:
                total_steps += count
                total_save += count * price
                steps.append(total_steps)
                saves.append(total_save)
            self.cum_steps.append(steps)
            self.cum_save.append(saves)
        lo = [-problem.cuttable[b] if mode != "grow" else 0 for b in range(3)]
        horizon = max(problem.horizon, 0)
        hi = [horizon if problem.can_add[b] else 0 for b in range(3)]
        if mode == "reassign":
            hi = [min(hi[b], sum(-lo[c] for c in range(3) if c != b)) for b in range(3)]
        # compliance floor: as close as the mode allows
        if problem.floor is not None:
            need = _ceil_div(problem.floor - problem.base[FORMAL], s)
            reachable = hi[FORMAL]
            if mode == "grow" and problem.cap is not None:
                pass  # the floor outranks the headcount cap
            if need > reachable:
                self.relaxed.append("compliance_floor")
                need = reachable
            lo[FORMAL] = max(lo[FORMAL], need)
        self.lo, self.hi = lo, hi
        # headcount cap on Σk (reassign keeps the total: the cap cannot move)
        self.ncap: int | None = None
        if problem.cap is not None and mode != "reassign":
            ncap = (problem.cap - problem.total) // s
            if ncap < sum(lo):
                self.relaxed.append("headcount_cap")
                ncap = sum(lo)
            self.ncap = ncap
            self.hi = [min(self.hi[b], ncap - sum(lo) + lo[b]) for b in range(3)]
        self.budget: int | None = None
        if mode == "budget" and problem.budget is not None:
            floor_cost = sum(self.cost(b, lo[b]) for b in range(3))
            budget = problem.budget
            if budget < floor_cost:
                self.relaxed.append("budget_cap")
                budget = floor_cost
            self.budget = budget
            for b in range(3):
                others = sum(self.cost(c, lo[c]) for c in range(3) if c != b)
                top = self.max_k_within(b, budget - others)
                self.hi[b] = min(self.hi[b], top if top is not None else lo[b])

    def tick(self, amount: int = 1) -> None:
        """Count search work; raise _SearchStopped once the limit is passed."""
        self.work += amount
        if self.work > self.work_limit:
            self.stopped = True
            self.work = self.work_limit + 1  # "past the limit", whatever the last unit weighed
            raise _SearchStopped

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

    # cost of k steps in band b, relative to today
    def cost(self, b: int, k: int) -> int:
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
        return -(steps[j - 1] + _ceil_div(need - saves[j - 1], price))

    def measure(self, k: Sequence[int]) -> tuple[int, int, int, int]:
        """(score10, changes, cost, error E) for a k vector; score10 = -1 for an empty column."""
        p = self.p
        s = p.step
        x0, x1, x2 = p.base[0] + k[0] * s, p.base[1] + k[1] * s, p.base[2] + k[2] * s
        h = x0 + x1 + x2
        changes = abs(k[0]) + abs(k[1]) + abs(k[2])
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
        for b in over:
            if k[b] == self.lo[b]:
                if b == FORMAL and p.floor is not None and self.lo[b] > -p.cuttable[b]:
                    return "compliance_floor"
                if self.mode != "grow":
                    return "locked_lines"
        for b in under:
            if not p.can_add[b]:
                return "no_role"
        if self.mode != "reassign" and under:
            if self.ncap is not None and sum(k) >= self.ncap:
                return "headcount_cap"
            if self.budget is not None and any(cost + p.add_price[b] > self.budget for b in under):
                return "budget_cap"
        if p.base_step and p.step > p.base_step:
            return "step"
        return "mode"

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
            binding=None if self.within_tolerance(k) else self.binding(k, cost),
            optimal=not self.stopped,
            work=self.work,
        )


def _ceil_div(a: int, b: int) -> int:
    return -((-a) // b)


def allocate(
    problem: BandProblem, lo: Sequence[int], hi: Sequence[int], total: int, units: int
) -> tuple[int, int, int] | None:
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


# --- the three modes --------------------------------------------------------------------------


def solve_band_problem(
    problem: BandProblem, mode: Mode, *, work_limit: int | None = None
) -> BandSolution:
    """The optimal band-level change for the mode (see the module docstring).

    `grow` and `budget` search; once their work passes `work_limit` they stop with the best
    change found so far (``optimal = False``): it keeps every hard constraint all the same.
    `work_limit` defaults to `WORK_LIMIT`, read at call time.
    """
    bands = _Bands(problem, mode, work_limit)
    if mode == "reassign":
        k = allocate(problem, bands.lo, bands.hi, problem.total, 0)
        if k is None:  # cannot happen: k = lo..0 is always within reach; keep the plan
            k = (0, 0, 0)
        return bands.solution(k)
    if mode == "grow":
        return bands.solution(_solve_grow(bands))
    return bands.solution(_solve_budget(bands))


def _spread(low: int, high: int, count: int) -> list[int]:
    """Up to `count` + 1 evenly spread integers from `low` to `high`, both ends included."""
    if high < low:
        return []
    gap = max(1, (high - low) // count)
    points = list(range(low, high + 1, gap))
    if points[-1] != high:
        points.append(high)
    return points


def _outward(centre: int, low: int, high: int) -> Iterable[int]:
    """low..high, nearest to `centre` first (below before above on a tie)."""
    yield centre
    for gap in range(1, max(centre - low, high - centre) + 1):
        if centre - gap >= low:
            yield centre - gap
        if centre + gap <= high:
            yield centre + gap


def _solve_grow(bands: _Bands) -> tuple[int, int, int]:
    """Fewest steps added with every band within tolerance, else best score, fewest added.

    Totals are tried from the smallest that can possibly be within tolerance up. When none is
    (or the work limit stops that scan), a spread of totals is scored first and then every
    total, nearest the best of the spread first, so that a stopped search is near its best.
    """
    p = bands.p
    s, ts, tol = p.step, p.target_scale, p.tolerance
    lo, hi = bands.lo, bands.hi
    n_min = sum(lo)
    n_max = sum(hi) if bands.ncap is None else min(sum(hi), bands.ncap)
    # a band cannot end above (t + tol) of the total: that bounds the total from below
    start = n_min
    for b in range(3):
        upper_share = p.targets[b] + tol
        if upper_share <= 0:
            continue
        x_b = p.base[b] + lo[b] * s
        need_total = _ceil_div(x_b * ts, upper_share)
        start = max(start, _ceil_div(need_total - p.total, s))

    def within_at(units: int) -> tuple[int, int, int] | None:
        total = p.total + units * s
        if total <= 0:
            return None  # an empty department is never "within tolerance"
        box_lo, box_hi = [], []
        for b in range(3):
            low = _ceil_div((p.targets[b] - tol) * total - p.base[b] * ts, s * ts)
            high = ((p.targets[b] + tol) * total - p.base[b] * ts) // (s * ts)
            box_lo.append(max(lo[b], low))
            box_hi.append(min(hi[b], high))
        if any(box_lo[b] > box_hi[b] for b in range(3)):
            return None
        return allocate(p, box_lo, box_hi, total, units)

    try:
        for units in range(start, n_max + 1):
            bands.tick()
            k = within_at(units)
            if k is not None:
                return k
    except _SearchStopped:
        # the scan stopped: the smallest total within tolerance in a spread, if any, is the
        # best answer known (fewest added is the objective; the scan below cannot beat it)
        for units in _spread(start, n_max, SEED_TOTALS):
            k = within_at(units)
            if k is not None:
                return k
    # not reachable (or not found): best score, then fewest FTE added
    best: tuple[int, int, int] = (lo[0], lo[1], lo[2])
    best_key = (bands.measure(best)[0], -n_min)

    def consider_total(units: int) -> None:
        nonlocal best, best_key
        k = allocate(p, lo, hi, p.total + units * s, units)
        if k is None:
            return
        key = (bands.measure(k)[0], -units)
        if key > best_key:
            best, best_key = k, key

    for units in _spread(n_min, n_max, SEED_TOTALS):
        consider_total(units)
    if not bands.stopped and n_min <= n_max:
        centre = min(max(-best_key[1], n_min), n_max)
        try:
            for units in _outward(centre, n_min, n_max):
                bands.tick()
                consider_total(units)
        except _SearchStopped:
            pass
    return best


def _solve_budget(bands: _Bands) -> tuple[int, int, int]:
    """Best score (one decimal), then fewest steps changed, then lowest cost; exact.

    Two passes over the same lattice. The largest-target band P is enumerated, the next band Q
    within a window that any point scoring at least S must lie in, and the last band R within
    its *exact* interval: with three bands the distance is ``max_b |s_b − t_b|`` (the deviations
    sum to zero), so "score ≥ S" is six linear inequalities in ``x_R`` once ``x_P`` and ``x_Q``
    are fixed (`r_interval`).

    1. Best score: only points scoring strictly more than the best so far are searched; on each
       piece between the breakpoints of D and of |k_R| the score is monotone in k_R, so a
       piece's best is one of its ends or the first point of its best score plateau.
    2. Fewest changes (then cost, then k) among the points with that score: every point of the
       exact interval qualifies, so the best k_R of a (k_P, k_Q) pair is the one nearest 0; rows
       and k_Q are cut off once |k_P| + |k_Q| (+ a convex lower bound for the rest) exceeds the
       best change count found so far.
    """
    p = bands.p
    s, ts = p.step, p.target_scale
    t = p.targets
    lo, hi, ncap, budget = bands.lo, bands.hi, bands.ncap, bands.budget
    order = sorted(range(3), key=lambda b: (-t[b], b))
    bp, bq, br = order
    measure, cost, tick, in_box = bands.measure, bands.cost, bands.tick, bands.in_box
    a_r = p.base[br]

    best_key: tuple | None = None
    best_k: tuple[int, int, int] = (lo[0], lo[1], lo[2])

    def point(kp: int, kq: int, kr: int) -> tuple[int, int, int]:
        k = [0, 0, 0]
        k[bp], k[bq], k[br] = kp, kq, kr
        return (k[0], k[1], k[2])

    def consider(k):
        nonlocal best_key, best_k
        tick()
        if not in_box(k):  # the bounds hold every hard constraint: never keep a point outside
            return
        score10, changes, cost_delta, _ = measure(k)
        key = (-score10, changes, cost_delta, k)
        if best_key is None or key < best_key:
            best_key, best_k = key, k

    best_key = (-measure(best_k)[0], *measure(best_k)[1:3], best_k)  # lo: always allowed
    seeds = [(0, 0, 0)]
    seed = allocate(p, lo, hi, p.total, 0)
    if seed is not None:
        seeds.append(seed)
    # more seeds: the best mix at a spread of totals, so that the bounds below bite early;
    # a seed over the budget or the cap is pulled back towards lo until it fits
    n_low, n_high = sum(lo), sum(hi) if ncap is None else min(sum(hi), ncap)
    for units in _spread(n_low, n_high, SEED_TOTALS):
        k = allocate(p, lo, hi, p.total + units * s, units)
        if k is not None:
            seeds.append(k)
    for k in seeds:
        fitted = _pull_back(bands, k)
        if fitted is not None:
            score10, changes, cost_delta, _ = measure(fitted)
            key = (-score10, changes, cost_delta, fitted)
            if key < best_key:
                best_key, best_k = key, fitted

    h_min = p.total + sum(lo) * s
    h_max = p.total + sum(hi) * s
    if ncap is not None:
        h_max = min(h_max, p.total + ncap * s)

    def threshold(score10: int) -> tuple[int, int]:
        """(n, d): a point scores ≥ score10 iff d·|x_b·ts − t_b·H| ≤ n·H for every band b."""
        return bands.dm * (2001 - 2 * max(score10, 0)), 2000

    def k_range(b, x_lo_num, x_lo_den, x_hi_num, x_hi_den):
        """Steps of band b keeping x_b within [x_lo, x_hi] (given as fractions)."""
        a = p.base[b]
        k_low = _ceil_div(x_lo_num - a * x_lo_den, s * x_lo_den) if x_lo_den else lo[b]
        k_high = (x_hi_num - a * x_hi_den) // (s * x_hi_den) if x_hi_den else hi[b]
        return max(lo[b], k_low), min(hi[b], k_high)

    def window(b, x_anchor, n, d):
        """A range of k_b holding every point scoring ≥ S, given x_P = x_anchor > 0."""
        # H ∈ [x_P·ts·d/(t_P·d + n), x_P·ts·d/(t_P·d − n)]; x_b ∈ [(t_b − δ)H, (t_b + δ)H]/ts
        lo_num = (t[b] * d - n) * x_anchor
        lo_den = t[bp] * d + n
        if lo_num < 0:
            lo_num, lo_den = 0, 1
        if t[bp] * d > n:
            hi_num, hi_den = (t[b] * d + n) * x_anchor, t[bp] * d - n
        else:
            hi_num, hi_den = h_max, 1
        return k_range(b, lo_num, lo_den, hi_num, hi_den)

    def r_bounds(x_p: int, x_q: int, n: int, d: int) -> tuple[int, int, int, int]:
        """The exact k_R bounds of the points scoring ≥ S on the (P, Q) pair, split by trend.

        Returns (rising_low, falling_low, rising_high, falling_high): lower and upper bounds on
        k_R that rise or fall (weakly) as k_Q grows, with k_P fixed. Their max/min is the exact
        interval; the split lets the k_Q loops stop once no further k_Q can have a point.
        """
        big_x = x_p + x_q
        # x_R ≥ num/den and x_R ≤ num/den, with den > 0 (n > 0 because D_max > 0)
        rising_lows = [((d * t[br] - n) * big_x, d * (ts - t[br]) + n)]  # R's own lower
        falling_lows = []
        rising_highs = []
        falling_highs = []
        if d * (ts - t[br]) > n:  # R's own upper
            rising_highs.append(((d * t[br] + n) * big_x, d * (ts - t[br]) - n))
        for b, x_b in ((bp, x_p), (bq, x_q)):
            up = d * t[b] + n  # x_b ≤ (t_b + δ)·H: H ≥ d·x_b·ts/up
            (rising_lows if b == bq else falling_lows).append((d * x_b * ts - big_x * up, up))
            down = d * t[b] - n  # x_b ≥ (t_b − δ)·H: H ≤ d·x_b·ts/down
            if down > 0:
                (rising_highs if b == bq else falling_highs).append(
                    (d * x_b * ts - big_x * down, down)
                )
        if big_x == 0:
            falling_lows.append((1, 1))  # an empty column scores nothing
        rising_low = falling_low = lo[br]
        rising_high = falling_high = hi[br]
        for num, den in rising_lows:
            rising_low = max(rising_low, _ceil_div(num - a_r * den, s * den))
        for num, den in falling_lows:
            falling_low = max(falling_low, _ceil_div(num - a_r * den, s * den))
        for num, den in rising_highs:
            rising_high = min(rising_high, (num - a_r * den) // (s * den))
        for num, den in falling_highs:
            falling_high = min(falling_high, (num - a_r * den) // (s * den))
        return rising_low, falling_low, rising_high, falling_high

    def r_interval(x_p: int, x_q: int, n: int, d: int) -> tuple[int, int]:
        """The exact k_R range (within the box) of the points scoring ≥ S on the (P, Q) pair."""
        rising_low, falling_low, rising_high, falling_high = r_bounds(x_p, x_q, n, d)
        return max(rising_low, falling_low), min(rising_high, falling_high)

    def r_allowed(kp: int, kq: int, n: int, d: int) -> tuple[int, int]:
        """k_R range for the pair: exact score window, box, headcount cap and budget."""
        x_p, x_q = p.base[bp] + kp * s, p.base[bq] + kq * s
        r_lo, r_hi = r_interval(x_p, x_q, n, d)
        if ncap is not None:
            r_hi = min(r_hi, ncap - kp - kq)
        if budget is not None and r_lo <= r_hi:
            top = bands.max_k_within(br, budget - cost(bp, kp) - cost(bq, kq))
            r_hi = min(r_hi, top) if top is not None else r_lo - 1
        return r_lo, r_hi

    def best_score_on_pair(kp: int, kq: int) -> None:
        """Pass 1: the best score on a pair, among the points beating the best so far."""
        tick()
        n, d = threshold(-best_key[0] + 1)
        r_lo, r_hi = r_allowed(kp, kq, n, d)
        if r_lo > r_hi:
            return
        if r_hi - r_lo <= 6:
            for kr in range(r_lo, r_hi + 1):
                consider(point(kp, kq, kr))
            return
        # breakpoints of D in k_R (a band meets its target share) and of |k_R| (at 0)
        x_p, x_q = p.base[bp] + kp * s, p.base[bq] + kq * s
        h_pq = x_p + x_q
        marks = {r_lo, r_hi, 0}
        fractions = []
        if ts > t[br]:
            fractions.append((t[br] * h_pq, ts - t[br]))
        for b, x_b in ((bp, x_p), (bq, x_q)):
            if t[b] > 0:
                fractions.append((x_b * ts - h_pq * t[b], t[b]))
        for num, den in fractions:
            k_floor = (num - a_r * den) // (s * den)
            marks.update((k_floor, k_floor + 1))
        marks = sorted(m for m in marks if r_lo <= m <= r_hi)
        for left, right in zip(marks, marks[1:], strict=False):
            kl, kr_ = point(kp, kq, left), point(kp, kq, right)
            consider(kl)
            consider(kr_)
            sl, sr = measure(kl)[0], measure(kr_)[0]
            if sl == sr or right - left < 2:
                continue
            low, high = left, right
            if sr > sl:  # the smallest k_R scoring sr
                while high - low > 1:
                    mid = (low + high) // 2
                    tick()
                    if measure(point(kp, kq, mid))[0] >= sr:
                        high = mid
                    else:
                        low = mid
                consider(point(kp, kq, high))
            else:  # the largest k_R scoring sl
                while high - low > 1:
                    mid = (low + high) // 2
                    tick()
                    if measure(point(kp, kq, mid))[0] >= sl:
                        low = mid
                    else:
                        high = mid
                consider(point(kp, kq, low))

    def pair_fewest_changes(kp: int, kq: int, r_lo: int, rising_high: int, falling_high: int):
        """Pass 2: every k_R in the exact interval scores the best; the one nearest 0 wins."""
        tick()
        r_hi = min(rising_high, falling_high)
        if ncap is not None:
            r_hi = min(r_hi, ncap - kp - kq)
        if budget is not None and r_lo <= r_hi:
            top = bands.max_k_within(br, budget - cost(bp, kp) - cost(bq, kq))
            r_hi = min(r_hi, top) if top is not None else r_lo - 1
        if r_lo <= r_hi:
            consider(point(kp, kq, min(max(0, r_lo), r_hi)))

    def relaxed_changes(kp, n, d) -> Fraction:
        """A lower bound of |k| over the windows of k_P, without rounding: convex in k_P.

        Fraction arithmetic: it counts as ten units of work.

        Each window end is an affine function of k_P clipped by a box bound, so the distance
        from 0 to a window is a maximum of affine functions; so is the sum with |k_P|.
        """
        tick(10)
        x_p = p.base[bp] + kp * s
        least = Fraction(abs(kp))
        for b in (bq, br):
            low = Fraction(max(0, t[b] * d - n) * x_p, t[bp] * d + n)
            k_low = max(Fraction(lo[b]), (low - p.base[b]) / s)
            if t[bp] * d > n:
                high = Fraction((t[b] * d + n) * x_p, t[bp] * d - n)
            else:
                high = Fraction(h_max)
            k_high = min(Fraction(hi[b]), (high - p.base[b]) / s)
            least += max(Fraction(0), k_low, -k_high)
        return least

    def visit_p(kp: int, direction: int, fewest: bool) -> bool:
        """Search the points with this k_P; False once going further cannot help any more."""
        tick()
        x_p = p.base[bp] + kp * s
        if fewest:
            n, d = threshold(-best_key[0])
        else:
            if best_key[0] <= -1000:
                return False  # 100.0: nothing scores better
            n, d = threshold(-best_key[0] + 1)
        # Each test below fails for every larger k_P once it fails (they rise with k_P): going
        # up, stop; going down, skip this row only. The x_P window also fails for every smaller
        # k_P once x_P is below it.
        # x_P ∈ [(t_P − δ)·H_min, (t_P + δ)·H_max] / ts for any point scoring ≥ S
        if x_p * ts * d > (t[bp] * d + n) * h_max:
            return direction < 0
        if x_p * ts * d < (t[bp] * d - n) * h_min:
            return direction > 0
        if ncap is not None and kp + lo[bq] + lo[br] > ncap:
            return direction < 0
        if budget is not None and cost(bp, kp) + cost(bq, lo[bq]) + cost(br, lo[br]) > budget:
            return direction < 0
        if x_p <= 0:
            q_lo, q_hi = lo[bq], hi[bq]
        else:
            q_lo, q_hi = window(bq, x_p, n, d)
            r_lo, r_hi = window(br, x_p, n, d)
            if q_lo > q_hi or r_lo > r_hi:
                return True
            # the windows' lower ends only rise with k_P, and cost rises with every k
            if budget is not None and cost(bp, kp) + cost(bq, q_lo) + cost(br, r_lo) > budget:
                return direction < 0
        if fewest:
            cap_changes = best_key[1]
            spare = cap_changes - abs(kp)
            if spare < 0:
                return False
            if x_p > 0:
                least = abs(kp) + max(0, q_lo, -q_hi) + max(0, r_lo, -r_hi)
                if least > cap_changes:
                    # convex bound rising past the cap: every further k_P is out too
                    here = relaxed_changes(kp, n, d)
                    before = p.base[bp] + (kp - direction) * s
                    if here > cap_changes and before > 0:
                        return not here > relaxed_changes(kp - direction, n, d)
                    return True
            q_lo, q_hi = max(q_lo, -spare), min(q_hi, spare)
            start = min(max(0, q_lo), q_hi)
            base_cost = cost(bp, kp)
            for kq in range(start, q_hi + 1):
                # every larger k_Q (≥ 0 here): |k_Q| grows, k_R ≥ rising_low, ≤ falling_high
                rising_low, falling_low, rising_high, falling_high = r_bounds(
                    x_p, p.base[bq] + kq * s, n, d
                )
                if rising_low > falling_high:
                    break
                if abs(kp) + kq + max(0, rising_low, -falling_high) > best_key[1]:
                    break
                if budget is not None and base_cost + cost(bq, kq) + cost(br, rising_low) > budget:
                    break
                pair_fewest_changes(kp, kq, max(rising_low, falling_low), rising_high, falling_high)
            for kq in range(start - 1, q_lo - 1, -1):
                # every smaller k_Q (< 0 here): |k_Q| grows, k_R ≥ falling_low, ≤ rising_high
                rising_low, falling_low, rising_high, falling_high = r_bounds(
                    x_p, p.base[bq] + kq * s, n, d
                )
                if falling_low > rising_high:
                    break
                if -kq + abs(kp) + max(0, falling_low, -rising_high) > best_key[1]:
                    break
                pair_fewest_changes(kp, kq, max(rising_low, falling_low), rising_high, falling_high)
            return True
        start = min(max(seed_k[bq], q_lo), q_hi) if q_lo <= q_hi else q_lo
        base_cost = cost(bp, kp)
        for kq in range(start, q_hi + 1):
            # for every larger k_Q: k_R ≥ rising_low here, ≤ falling_high here, and Q costs more
            n, d = threshold(-best_key[0] + 1)
            rising_low, _, _, falling_high = r_bounds(x_p, p.base[bq] + kq * s, n, d)
            if rising_low > falling_high or (ncap is not None and kp + kq + rising_low > ncap):
                break
            if budget is not None and base_cost + cost(bq, kq) + cost(br, rising_low) > budget:
                break
            best_score_on_pair(kp, kq)
        for kq in range(start - 1, q_lo - 1, -1):
            # for every smaller k_Q: k_R ≥ falling_low here and ≤ rising_high here
            n, d = threshold(-best_key[0] + 1)
            _, falling_low, rising_high, _ = r_bounds(x_p, p.base[bq] + kq * s, n, d)
            if falling_low > rising_high:
                break
            best_score_on_pair(kp, kq)
        return True

    def coarse_to_fine() -> None:
        """A grid of (k_P, k_Q) pairs, then finer grids around the best: good points early.

        A bounded number of pairs (~17² + 25 per halving); each gets its best k_R exactly.
        It only finds a good point soon, so that the bounds bite and a search stopped by the
        work limit is near the optimum; the passes below still prove it.
        """
        p_lo, p_hi, q_lo, q_hi = lo[bp], hi[bp], lo[bq], hi[bq]
        if p_lo > p_hi or q_lo > q_hi:
            return
        gap_p, gap_q = max(1, (p_hi - p_lo) // 16), max(1, (q_hi - q_lo) // 16)
        cells = [(kp, kq) for kp in _spread(p_lo, p_hi, 16) for kq in _spread(q_lo, q_hi, 16)]
        while True:
            for kp, kq in cells:
                if best_key[0] <= -1000:
                    return  # 100.0: nothing scores better
                best_score_on_pair(kp, kq)
            if gap_p == 1 and gap_q == 1:
                return
            cp, cq = best_k[bp], best_k[bq]
            cells = [
                (kp, kq)
                for kp in _spread(max(p_lo, cp - gap_p), min(p_hi, cp + gap_p), 4)
                for kq in _spread(max(q_lo, cq - gap_q), min(q_hi, cq + gap_q), 4)
            ]
            gap_p, gap_q = max(1, gap_p // 2), max(1, gap_q // 2)

    try:
        coarse_to_fine()
        for fewest in (False, True):
            seed_k = best_k
            anchor = min(max(seed_k[bp], lo[bp]), hi[bp])
            for kp in range(anchor, hi[bp] + 1):
                if not visit_p(kp, 1, fewest):
                    break
            for kp in range(anchor - 1, lo[bp] - 1, -1):
                if not visit_p(kp, -1, fewest):
                    break
    except _SearchStopped:
        pass  # best_k: the best point found, within every bound
    return best_k


def _pull_back(bands: _Bands, k: Sequence[int]) -> tuple[int, int, int] | None:
    """The point furthest along the segment lo → k that fits the cap and the budget.

    Cost and total rise with every k_b, and each coordinate of lo + (k − lo)·j/J rises with j,
    so the fitting part of the segment is an interval from lo: bisection finds its end. None
    when k lies outside the box.
    """
    lo, hi = bands.lo, bands.hi
    if any(not lo[b] <= k[b] <= hi[b] for b in range(3)):
        return None
    if bands.in_box(k):
        return (k[0], k[1], k[2])
    parts = max(k[b] - lo[b] for b in range(3))

    def at(j: int) -> tuple[int, int, int]:
        x = [lo[b] + (k[b] - lo[b]) * j // parts for b in range(3)]
        return (x[0], x[1], x[2])

    good, bad = 0, parts  # at(0) = lo always fits: the bounds were relaxed to it
    while bad - good > 1:
        mid = (good + bad) // 2
        if bands.in_box(at(mid)):
            good = mid
        else:
            bad = mid
    return at(good)


# --- from lines to the band problem and back ------------------------------------------------


@dataclass(frozen=True)
class Action:
    """One suggested line change."""

    role_id: int
    title: str
    band: Band
    from_fte: Decimal
    to_fte: Decimal
    delta: Decimal
    cost_delta: Decimal
    reason: str
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
    binding_constraint: str | None
    binding_reason: str | None
    band_changes: dict[Band, Decimal] = field(default_factory=dict)
    optimal: bool = True  # False: the search stopped at WORK_LIMIT with the best mix found
    search_work: int = 0  # inner-loop iterations the band-level search used

    @property
    def fte_added(self) -> Decimal:
        return sum((a.delta for a in self.actions if a.delta > 0), Decimal(0))

    @property
    def fte_removed(self) -> Decimal:
        return -sum((a.delta for a in self.actions if a.delta < 0), Decimal(0))

    @property
    def cost_delta(self) -> Decimal:
        return sum((a.cost_delta for a in self.actions), Decimal(0))


def _is_pure(line: LineInput) -> Band | None:
    bands = [band for band, part in line.band_split.items() if part]
    if len(bands) == 1 and line.band_split[bands[0]] == 1:
        return bands[0]
    return None


def _scale_of(values: Iterable[Decimal]) -> int:
    places = 0
    for value in set(values):
        exponent = value.normalize().as_tuple().exponent
        if isinstance(exponent, int) and exponent < 0:
            places = max(places, -exponent)
    return 10**places


@dataclass
class _Prepared:
    problem: BandProblem
    fte_scale: int
    cost_scale: int
    movable: dict[Band, list[LineInput]]
    cut_order: dict[Band, list[LineInput]]
    recipients: dict[Band, list[LineInput]]  # movable lines in the plan, else [candidate]
    cheapest_recipient: dict[Band, LineInput | None]


def _prepare(
    lines: Sequence[LineInput],
    target: TargetInput,
    *,
    mode: Mode,
    step: Decimal,
    headcount_cap: Decimal | None,
    budget_cap: Decimal | None,
    compliance_floor: Decimal | None,
    candidates: Sequence[LineInput],
    unlock: bool = False,
) -> _Prepared:
    movable: dict[Band, list[LineInput]] = {band: [] for band in BANDS}
    band_fte = dict.fromkeys(BANDS, Decimal(0))
    values = [step]
    total_cost = Decimal(0)
    for line in lines:
        fte = line.planned_fte
        total_cost += fte * line.annual_cost
        band = _is_pure(line)
        if band is not None and (unlock or not line.locked):
            movable[band].append(line)
        for b, part in line.band_split.items():
            if part and fte:
                amount = fte * part
                band_fte[b] += amount
    values += list(band_fte.values())
    values += [v for v in (headcount_cap, compliance_floor) if v is not None]
    values += [line.planned_fte for lines_ in movable.values() for line in lines_]
    fte_scale = _scale_of(values)
    target_scale = _scale_of([*target.targets.values(), target.tolerance])
    candidate_by_band: dict[Band, LineInput] = {}
    for candidate in sorted(candidates, key=lambda c: (c.annual_cost, c.title, c.role_id)):
        band = _is_pure(candidate)
        if band is not None and band not in candidate_by_band:
            candidate_by_band[band] = candidate
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
    prices = [line.annual_cost for line in lines] + [c.annual_cost for c in candidates]
    cost_scale = _scale_of(prices + ([budget_cap] if budget_cap is not None else []))
    step_units = int(step * fte_scale)

    def cost_per_step(line: LineInput) -> int:
        return int(line.annual_cost * cost_scale) * step_units

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
    add_price = tuple(
        cost_per_step(cheapest[band]) if cheapest[band] is not None else 0 for band in BANDS
    )
    total = sum(band_fte.values())
    horizon_fte = max(total * HORIZON_FACTOR, HORIZON_MIN_FTE)
    budget = None
    if budget_cap is not None:
        budget = int(budget_cap * cost_scale) * fte_scale - int(total_cost * cost_scale * fte_scale)
    problem = BandProblem(
        base=tuple(int(band_fte[band] * fte_scale) for band in BANDS),  # type: ignore[arg-type]
        step=step_units,
        cuttable=tuple(cuttable),  # type: ignore[arg-type]
        can_add=tuple(bool(recipients[band]) for band in BANDS),  # type: ignore[arg-type]
        targets=tuple(int(target.targets[band] * target_scale) for band in BANDS),  # type: ignore[arg-type]
        target_scale=target_scale,
        tolerance=int(target.tolerance * target_scale),
        floor=None if compliance_floor is None else int(compliance_floor * fte_scale),
        cap=None if headcount_cap is None else int(headcount_cap * fte_scale),
        budget=budget,
        add_price=add_price,  # type: ignore[arg-type]
        cut_segments=tuple(cut_segments),
        horizon=int(horizon_fte / step),
        base_step=int(MIN_STEP * fte_scale),
    )
    return _Prepared(
        problem=problem,
        fte_scale=fte_scale,
        cost_scale=cost_scale,
        movable=movable,
        cut_order=cut_order,
        recipients=recipients,
        cheapest_recipient=cheapest,
    )


def _distribute_additions(
    band: Band, steps: int, prepared: _Prepared, mode: Mode
) -> dict[int, int]:
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


def _distribute_cuts(band: Band, steps: int, prepared: _Prepared, step_units: int) -> dict:
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


def _points(share: Decimal | None, target: Decimal) -> int:
    if share is None:
        return 0
    return int(((share - target) * 100).to_integral_value())


def _reason(
    band: Band, delta: Decimal, before: ColumnScore, mode: Mode, floor: Decimal | None
) -> str:
    label = BAND_SHORT_LABELS[band]
    band_score = before.band(band)
    points = _points(band_score.share, band_score.target)
    if delta > 0:
        if band == Band.FORMAL and floor is not None and band_score.fte < floor:
            return f"Formal is below the compliance floor of {floor} FTE."
        if points < 0:
            return f"{label} is {-points} points under target."
        return f"{label} needs more FTE to keep its share as the department changes."
    if points > 0:
        return f"{label} is {points} points over target."
    if mode == "budget":
        return f"Frees budget: {label.lower()} roles cost the most to keep."
    return f"{label} gives up FTE so that the bands under target can grow."


def _binding_reason(name: str) -> str:
    return {
        "locked_lines": "Locked lines (or roles split across bands, which suggestions keep) "
        "hold FTE in a band over target.",
        "compliance_floor": "The compliance floor keeps more formal FTE than the target wants.",
        "headcount_cap": "The headcount cap stops the additions the target needs.",
        "budget_cap": "The budget cap does not pay for the mix the target needs.",
        "no_role": "A band under target has no role to grow: add one to the catalog.",
        "step": "The step is too coarse for this plan: try a smaller one.",
        "mode": "The mode's own rule (total unchanged, or additions only) stops the target.",
    }[name]


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
) -> Suggestion:
    """Suggest line changes for the plan's planned column (see the module docstring)."""
    mode = validate_mode(mode)
    step = validate_step(step)
    lines = list(lines)
    options = {
        "mode": mode,
        "step": step,
        "headcount_cap": headcount_cap,
        "budget_cap": budget_cap if mode == "budget" else None,
        "compliance_floor": compliance_floor,
        "candidates": candidates,
    }
    prepared = _prepare(lines, target, **options)
    solution = solve_band_problem(prepared.problem, mode)
    step_units = prepared.problem.step
    before = score_column(lines, target, "planned")

    changes: dict[int, int] = {}
    for index, band in enumerate(BANDS):
        k = solution.k[index]
        if k > 0:
            changes.update(_distribute_additions(band, k, prepared, mode))
        elif k < 0:
            changes.update(_distribute_cuts(band, -k, prepared, step_units))

    by_role = {line.role_id: line for line in lines}
    new_lines = []
    actions = []
    result_lines = []
    for line in lines:
        steps = changes.get(line.role_id, 0)
        if steps:
            line = replace(line, planned_fte=line.planned_fte + steps * step)
        result_lines.append(line)
    for role_id, steps in changes.items():
        if role_id not in by_role:
            candidate = next(c for c in candidates if c.role_id == role_id)
            added = replace(candidate, planned_fte=steps * step, current_fte=Decimal(0))
            new_lines.append(added)
    result_lines.extend(new_lines)
    changed = [line for line in lines if line.role_id in changes] + new_lines
    reasons: dict[tuple[Band, bool], str] = {}
    for line in sorted(
        changed, key=lambda li: (BANDS.index(_is_pure(li) or li.primary_band), li.title)
    ):
        steps = changes[line.role_id]
        is_new = line.role_id not in by_role
        old = Decimal(0) if is_new else line.planned_fte
        delta = steps * step
        band = _is_pure(line) or line.primary_band
        actions.append(
            Action(
                role_id=line.role_id,
                title=line.title,
                band=band,
                from_fte=old,
                to_fte=old + delta,
                delta=delta,
                cost_delta=delta * line.annual_cost,
                reason=reasons.get((band, delta > 0))
                or reasons.setdefault(
                    (band, delta > 0), _reason(band, delta, before, mode, compliance_floor)
                ),
                line_id=line.line_id,
                new_line=is_new,
            )
        )
    result = score_column(result_lines, target, "planned")
    reached = solution.within_tolerance
    binding = solution.binding
    return Suggestion(
        mode=mode,
        step=step,
        actions=tuple(actions),
        lines=tuple(result_lines),
        before=before,
        result=result,
        target_reached=reached,
        binding_constraint=binding,
        binding_reason=None if binding is None else _binding_reason(binding),
        band_changes={
            band: Decimal(solution.k[i] * step_units) / prepared.fte_scale
            for i, band in enumerate(BANDS)
        },
        optimal=solution.optimal,
        search_work=solution.work,
    )
