"""The exact band-level search every mode and aim uses: branch and bound over the total.

The variable that couples the three bands is the number of steps added in total, ``N = Σ k_b``
(the department's new size ``H = T + N·step``). Fixing N turns every share condition into a box
per band: "band b is within ``t_b ± δ``" reads ``(t_b − δ)·H ≤ x_b ≤ (t_b + δ)·H``, and "the score
is at least S" is the same with ``δ`` from S (with three bands the distance is the largest
deviation, so a score threshold is six linear inequalities; see `Threshold`). At a fixed N:

- without a budget, the fewest steps changed is closed form: each band starts at the point of
  its box nearest 0 (``c_b``), and the rest ``N − Σ c_b`` is one-signed, one change per step
  (``|k_b| = |c_b| + |k_b − c_b|`` inside a box holding ``c_b``, so nothing does better); among
  those the closest mix is `allocate`'s greedy;
- with a budget, the changes are ``Σ|c_b| + |N − Σc_b| + 2j`` for ``j`` swaps (a step cut in one
  band and one added in another): the cost of ``j`` swaps, with additions at each band's price
  cheapest first and cuts most expensive first, is convex in ``j``, so the fewest swaps that fit
  the budget, and the cheapest way to make them, are found by bisection (`CostCurves`).

Over N the search is a branch and bound on intervals of N: an interval's boxes are the union of
its members' boxes (each end is linear in N, so the union is read at the interval's ends), which
bounds from below both the changes (same closed form with ``Σk`` in an interval) and the cost
(the least cost of the union box at the interval's smallest total: cost rises with every k).
An interval whose bound cannot beat the best point found is dropped; a single N is solved
exactly as above. Nothing is cut off for time: the answer is optimal for its key every time.

The aims:

- ``tolerance``: every band within ``target ± tolerance``, fewest steps changed (then, without
  a budget, the best score; with one, the lowest cost); when no allowed point is within
  tolerance, the ``best`` answer.
- ``best``: the best score as reported (tenths), found by bisection on the score threshold
  with a feasibility search, then the fewest steps changed at that score (then lowest cost).
"""

from __future__ import annotations

import bisect
import heapq
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import product

from plans.domain.rebalancing.problem import (
    PERFECT_SCORE10,
    Bands,
    Point,
    allocate,
    ceil_div,
    people_key,
)


@dataclass(frozen=True)
class Threshold:
    """``d·|x_b·ts − t_b·H| ≤ n·H`` for every band, and ``H > 0``."""

    n: int
    d: int


def tolerance_threshold(bands: Bands) -> Threshold:
    return Threshold(bands.p.tolerance, 1)


def score_threshold(bands: Bands, score10: int) -> Threshold:
    """A point scores at least `score10` (tenths, half-up rounding) iff it meets this."""
    return Threshold(bands.dm * (2001 - 2 * max(score10, 0)), 2000)


class CostCurves:
    """Band costs as step functions of their marginal prices, for the budget's bisections.

    Raising a band at or above 0 costs its add price a step; lowering it from depth m (m steps
    already cut) saves the price of the (m+1)-th step of its cut order, most expensive first.
    """

    def __init__(self, bands: Bands):
        p = bands.p
        self.bands = bands
        self.cum_steps = bands.cum_steps
        self.neg_prices = [[-price for _count, price in segs] for segs in p.cut_segments]
        prices = {price for segs in p.cut_segments for _c, price in segs}
        self.desc_prices = sorted(prices, reverse=True)
        self.memo: dict[tuple[int, int], int] = {}

    def steps_priced_at_least(self, b: int, price: int) -> int:
        """Steps of band b's whole cut order whose price is ≥ `price` (memoised)."""
        key = (b, price)
        got = self.memo.get(key)
        if got is None:
            got = self.memo[key] = self.cum_steps[b][
                bisect.bisect_right(self.neg_prices[b], -price)
            ]
        return got

    def saving(self, b: int, depth: int, m: int) -> int:
        """What cutting m more steps of band b saves, starting `depth` steps deep."""
        cost = self.bands.cost
        return cost(b, -depth) - cost(b, -depth - m)

    def count_at_least(self, lowerers, price: int) -> int:
        total = 0
        for b, depth, cap in lowerers:
            got = self.steps_priced_at_least(b, price) - depth
            total += min(max(got, 0), cap)
        return total

    def split_lowering(self, lowerers, total: int) -> list[int]:
        """Steps cut per lowerer so that `total` steps save the most (most expensive first)."""
        takes = [0] * len(lowerers)
        if total <= 0:
            return takes
        prices = self.desc_prices
        low, high = 0, len(prices) - 1  # the smallest index i with count(prices[i]) ≥ total
        while low < high:
            mid = (low + high) // 2
            if self.count_at_least(lowerers, prices[mid]) >= total:
                high = mid
            else:
                low = mid + 1
        left = total
        above = prices[low - 1] if low > 0 else None
        for index, (b, depth, cap) in enumerate(lowerers):
            if above is None:
                got = 0
            else:
                got = min(max(self.steps_priced_at_least(b, above) - depth, 0), cap)
            takes[index] = got
            left -= got
        price = prices[low]
        for index, (b, depth, cap) in enumerate(lowerers):
            if left <= 0:
                break
            at_price = min(max(self.steps_priced_at_least(b, price) - depth, 0), cap)
            extra = min(at_price - takes[index], left)
            if extra > 0:
                takes[index] += extra
                left -= extra
        return takes

    def lowering_saving(self, lowerers, total: int) -> int:
        takes = self.split_lowering(lowerers, total)
        return sum(
            self.saving(b, depth, take)
            for (b, depth, _cap), take in zip(lowerers, takes, strict=True)
        )


def split_raising(raisers, total: int) -> list[int]:
    """Steps added per raiser, cheapest add price first (ties: band order)."""
    takes = [0] * len(raisers)
    left = total
    for index in sorted(range(len(raisers)), key=lambda i: (raisers[i][2], raisers[i][0])):
        take = min(raisers[index][1], left)
        takes[index] = take
        left -= take
    return takes


def raising_cost(raisers, total: int) -> int:
    takes = split_raising(raisers, total)
    return sum(price * take for (_b, _cap, price), take in zip(raisers, takes, strict=True))


@dataclass
class Swaps:
    """One way to spread a fixed total over boxes: which bands rise, which fall, from c."""

    c: list[int]
    raisers: list[tuple[int, int, int]]  # (band, capacity, add price per step)
    lowerers: list[tuple[int, int, int]]  # (band, depth already cut, capacity)
    raise_base: int
    lower_base: int
    base_cost: int

    @property
    def swap_room(self) -> int:
        raise_cap = sum(cap for _b, cap, _p in self.raisers) - self.raise_base
        lower_cap = sum(cap for _b, _d, cap in self.lowerers) - self.lower_base
        return min(raise_cap, lower_cap)


class ExactSearch:
    """The branch and bound of the module docstring for one problem and mode."""

    def __init__(self, bands: Bands, n_low: int, n_high: int, *, with_budget: bool = True):
        p = bands.p
        self.bands, self.p = bands, p
        self.lo, self.hi = bands.lo, bands.hi
        self.n_low, self.n_high = n_low, n_high
        self.budget = bands.budget if with_budget else None
        self.curves = CostCurves(bands) if self.budget is not None else None
        # an empty department has no score: every threshold needs H ≥ 1 FTE unit
        self.n_scored = max(n_low, ceil_div(1 - p.total, p.step))

    # --- boxes ----------------------------------------------------------------------------

    def box(self, th: Threshold, n1: int, n2: int):
        """The union of the boxes of N in [n1, n2] (exact when n1 == n2), or None if empty."""
        p, lo, hi = self.p, self.lo, self.hi
        s, ts, d, n = p.step, p.target_scale, th.d, th.n
        den = s * d * ts
        low, high = [], []
        for b in range(3):
            coef_low = p.targets[b] * d - n
            h_low = p.total + s * (n1 if coef_low >= 0 else n2)
            k_low = max(lo[b], ceil_div(coef_low * h_low - p.base[b] * d * ts, den))
            h_high = p.total + s * n2
            k_high = min(hi[b], ((p.targets[b] * d + n) * h_high - p.base[b] * d * ts) // den)
            if k_low > k_high:
                return None
            low.append(k_low)
            high.append(k_high)
        return low, high

    def node(self, th: Threshold, n1: int, n2: int, *, people: bool = True):
        """(changes bound, cost bound, box, n1, n2) of an interval, or None when it is empty.

        `people`: bound the people key (`people_key`); False orders a feasibility search by
        steps changed alone, which finds a feasible point in far fewer nodes when the answer
        needs a large |N| (any feasible point will do there, so the order is free).
        """
        got = self.box(th, n1, n2)
        if got is None:
            return None
        low, high = got
        t1, t2 = max(n1, sum(low)), min(n2, sum(high))
        if t1 > t2:
            return None
        if t1 == t2 and n1 != n2:
            return self.node(th, t1, t1, people=people)  # one total left: its own (exact) box
        n1, n2 = t1, t2
        c = [min(max(0, low[b]), high[b]) for b in range(3)]
        sc = sum(c)
        changes = abs(c[0]) + abs(c[1]) + abs(c[2]) + max(0, n1 - sc, sc - n2)
        if people:
            changes += 0 if n1 <= 0 <= n2 else min(abs(n1), abs(n2))  # see `people_key`
        if self.budget is None:
            # no cost: the second part of the key is minus the score, at best a perfect one
            return changes, -PERFECT_SCORE10, low, high, n1, n2
        cost = self.least_cost(low, high, n1)
        if cost > self.budget:
            return None
        return changes, cost, low, high, n1, n2

    # --- budget: the cost side of a fixed total ---------------------------------------------

    def swap_plans(self, low: Sequence[int], high: Sequence[int], total: int) -> list[Swaps]:
        """Every way (by the sign of the bands that may go either way) to spread `total`."""
        c = [min(max(0, low[b]), high[b]) for b in range(3)]
        rest = total - sum(c)
        either = [b for b in range(3) if low[b] < 0 < high[b]]
        plans = []
        cost = self.bands.cost
        base_cost = cost(0, c[0]) + cost(1, c[1]) + cost(2, c[2])
        add_price = self.p.add_price
        for signs in product((True, False), repeat=len(either)):
            rising = dict(zip(either, signs, strict=True))
            raisers, lowerers = [], []
            for b in range(3):
                up = rising.get(b, c[b] >= 0) and high[b] > c[b]
                down = not rising.get(b, c[b] > 0) and low[b] < c[b]
                if up:
                    raisers.append((b, high[b] - c[b], add_price[b]))
                if down:
                    lowerers.append((b, -c[b], c[b] - low[b]))
            plans.append(Swaps(c, raisers, lowerers, max(rest, 0), max(-rest, 0), base_cost))
        return plans

    def swap_cost(self, plan: Swaps, j: int) -> int | None:
        """The least cost of the plan with j swaps; None beyond its capacity."""
        raise_total, lower_total = plan.raise_base + j, plan.lower_base + j
        if raise_total > sum(cap for _b, cap, _p in plan.raisers):
            return None
        if lower_total > sum(cap for _b, _d, cap in plan.lowerers):
            return None
        curves = self.curves
        return (
            plan.base_cost
            + raising_cost(plan.raisers, raise_total)
            - curves.lowering_saving(plan.lowerers, lower_total)
        )

    def best_swaps(self, plan: Swaps) -> int:
        """The number of swaps that minimises the plan's cost.

        Swap j adds the (base + j)-th cheapest raise step and cuts the (base + j)-th most
        expensive lowering step: it pays while that cut saves more than that addition costs,
        which holds for every j up to some j* and for none after (costs rise, savings fall).
        """
        room = plan.swap_room
        if room <= 0:
            return 0
        best = 0
        start = 0
        for _b, cap, price in sorted(plan.raisers, key=lambda r: (r[2], r[0])):
            end = start + cap
            first_j = max(1, start - plan.raise_base + 1)
            last_j = min(end - plan.raise_base, room)
            if last_j >= first_j:
                worth = self.curves.count_at_least(plan.lowerers, price + 1) - plan.lower_base
                j = min(last_j, worth)
                if j < first_j:
                    break
                best = j
                if j < last_j:
                    break
            start = end
        return best

    def least_cost(self, low, high, total: int) -> int:
        """The least cost of a point of the box with Σk = total."""
        best = None
        for plan in self.swap_plans(low, high, total):
            j = self.best_swaps(plan)
            cost = self.swap_cost(plan, j)
            if cost is not None and (best is None or cost < best):
                best = cost
        return best if best is not None else 1 << 62

    def fewest_with_budget(self, low, high, total: int):
        """(changes, cost, k) of the fewest changes at this total within the budget, or None."""
        budget = self.budget
        best = None
        for plan in self.swap_plans(low, high, total):
            j_cheapest = self.best_swaps(plan)
            cheapest = self.swap_cost(plan, j_cheapest)
            if cheapest is None or cheapest > budget:
                continue
            lo_j, hi_j = 0, j_cheapest  # cost is non-increasing on [0, j_cheapest]
            while lo_j < hi_j:
                mid = (lo_j + hi_j) // 2
                cost = self.swap_cost(plan, mid)
                if cost is not None and cost <= budget:
                    hi_j = mid
                else:
                    lo_j = mid + 1
            cost = self.swap_cost(plan, lo_j)
            changes = sum(abs(v) for v in plan.c) + plan.raise_base + plan.lower_base + 2 * lo_j
            changes += abs(total)
            key = (changes, cost)
            if best is None or key < best[0]:
                best = (key, plan, lo_j)
        if best is None:
            return None
        (changes, cost), plan, j = best
        return changes, cost, self.swap_point(plan, j)

    def swap_point(self, plan: Swaps, j: int) -> Point:
        k = list(plan.c)
        for (b, _cap, _p), take in zip(
            plan.raisers, split_raising(plan.raisers, plan.raise_base + j), strict=True
        ):
            k[b] += take
        takes = self.curves.split_lowering(plan.lowerers, plan.lower_base + j)
        for (b, _d, _cap), take in zip(plan.lowerers, takes, strict=True):
            k[b] -= take
        return (k[0], k[1], k[2])

    # --- one total, exactly ---------------------------------------------------------------

    def fewest_at(self, low, high, total: int):
        """(key, k) of the fewest changes at this total in the box (budget: then lowest cost;
        otherwise: then the closest mix), or None."""
        if self.budget is not None:
            got = self.fewest_with_budget(low, high, total)
            if got is None:
                return None
            changes, cost, k = got
            return (changes, cost), k
        c = [min(max(0, low[b]), high[b]) for b in range(3)]
        rest = total - sum(c)
        if rest >= 0:
            box_lo, box_hi = c, [high[b] if c[b] >= 0 else c[b] for b in range(3)]
        else:
            box_lo, box_hi = [low[b] if c[b] <= 0 else c[b] for b in range(3)], c
        p = self.p
        k = allocate(p, box_lo, box_hi, p.total + total * p.step, total)
        if k is None:
            return None
        return (people_key(k), -self.bands.measure(k)[0]), k

    # --- the branch and bound -------------------------------------------------------------

    def search(self, th: Threshold, *, first: bool = False):
        """The best (key, k) over N for the threshold; `first`: any feasible point will do."""
        n1, n2 = self.n_scored, self.n_high
        if n1 > n2:
            return None
        root = self.node(th, n1, n2, people=not first)
        if root is None:
            return None
        heap = [(root[0], root[1], root[4], root[5], root[2], root[3])]
        best = None
        while heap:
            changes, cost, a, z, low, high = heapq.heappop(heap)
            if best is not None and (changes, cost) >= best[0]:
                break  # the bound cannot beat the best point found (ties keep the first)
            if a == z:
                got = self.fewest_at(low, high, a)
                if got is not None and (best is None or got[0] < best[0]):
                    best = got
                    if first:
                        return best
                continue
            mid = (a + z) // 2
            for left, right in ((a, mid), (mid + 1, z)):
                child = self.node(th, left, right, people=not first)
                if child is not None:
                    heapq.heappush(
                        heap, (child[0], child[1], child[4], child[5], child[2], child[3])
                    )
        return best

    def best_score(self) -> int:
        """The best score (tenths) any allowed point reaches; -1 when none has FTE.

        The best score without the budget bounds it from above (fewer constraints), and is
        quick to find (no cost to bound); it is tried first, as is a perfect score: often the
        answer, found by one feasibility search. Then bisection on the threshold.
        """
        high_s = PERFECT_SCORE10
        if self.budget is not None:
            unbudgeted = ExactSearch(self.bands, self.n_low, self.n_high, with_budget=False)
            high_s = unbudgeted.best_score()
        if high_s < 0 or self.search(score_threshold(self.bands, high_s), first=True):
            return high_s
        low_s, high_s = -1, high_s - 1  # low_s: reachable (or -1), answer in [low_s, high_s]
        while low_s < high_s:
            mid = (low_s + high_s + 1) // 2
            got = self.search(score_threshold(self.bands, mid), first=True)
            if got is not None:
                low_s = max(mid, self.bands.measure(got[1])[0])  # the point found may do better
            else:
                high_s = mid - 1
        return low_s


AIMS = ("tolerance", "best")


def solve_exact(bands: Bands, aim: str) -> Point:
    """The optimal k for the aim (see the module docstring); every hard bound of `bands` holds.

    When no allowed point has any FTE (nothing to score), the allowed point nearest today.
    """
    search = ExactSearch(bands, bands.n_low, bands.n_high)
    if aim == "tolerance":
        got = search.search(tolerance_threshold(bands))
        if got is not None:
            return got[1]
    score10 = search.best_score()
    if score10 >= 0:
        got = search.search(score_threshold(bands, score10))
        if got is not None:
            return got[1]
    return _nearest_allowed(bands)


def _nearest_allowed(bands: Bands) -> Point:
    """No point scores: the fewest changes within the bounds (an empty department)."""
    p, lo, hi = bands.p, bands.lo, bands.hi
    n = min(max(0, bands.n_low), bands.n_high)
    k = allocate(p, lo, hi, p.total + n * p.step, n)
    return k if k is not None else (lo[0], lo[1], lo[2])
