"""``budget``: cuts and additions within the budget cap; best score, fewest FTE changed, cheapest.

Two passes over the same lattice. The largest-target band P is enumerated (one *row* per k_P),
the next band Q within a window that any point scoring at least S must lie in, and the last band
R within its *exact* interval: with three bands the distance is ``max_b |s_b − t_b|`` (the
deviations sum to zero), so "score ≥ S" is six linear inequalities in ``x_R`` once ``x_P`` and
``x_Q`` are fixed (`BudgetSearch.r_bounds`).

1. Best score: only points scoring strictly more than the best so far are searched; on each
   piece between the breakpoints of D and of |k_R| the score is monotone in k_R, so a piece's
   best is one of its ends or the first point of its best score plateau.
2. Fewest changes (then cost, then k) among the points with that score: every point of the
   exact interval qualifies, so the best k_R of a (k_P, k_Q) pair is the one nearest 0; rows and
   k_Q are cut off once |k_P| + |k_Q| (+ a convex lower bound for the rest) exceeds the best
   change count found so far.

Before both, seeds (the best mix at a spread of totals, pulled back into the cap and budget)
and a coarse-to-fine grid of pairs find good points early, so that the bounds bite and a search
stopped by the work limit is near the optimum. Every unit of work is counted by `Bands.tick`.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import NamedTuple

from plans.domain.rebalancing.problem import (
    PERFECT_SCORE10,
    SEED_TOTALS,
    Bands,
    Point,
    SearchStopped,
    allocate,
    ceil_div,
    spread,
)

# Pairs with at most this many k_R values are scored point by point.
SMALL_INTERVAL = 6
# The coarse grid: this many gaps a side, then this many around the best at each halving.
COARSE_CELLS = 16
FINE_CELLS = 4


def solve_budget(bands: Bands) -> Point:
    """Best score (one decimal), then fewest steps changed, then lowest cost; exact.

    Stopped by the work limit, it returns the best point found, within every bound.
    """
    return BudgetSearch(bands).run()


class RBounds(NamedTuple):
    """Bounds on k_R for one (k_P, k_Q) pair, split by how they move as k_Q grows (k_P fixed).

    Their max/min is the exact interval; the split lets the k_Q loops stop once no further k_Q
    can have a point.
    """

    rising_low: int
    falling_low: int
    rising_high: int
    falling_high: int


@dataclass
class Row:
    """One k_P of a pass, with the score threshold (n, d) and the windows of k_Q and k_R."""

    kp: int
    x_p: int
    n: int
    d: int
    q_lo: int
    q_hi: int
    r_lo: int | None = None  # the k_R window; None when x_P ≤ 0 (no window known)
    r_hi: int | None = None


def pull_back(bands: Bands, k: Point) -> Point | None:
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

    def at(j: int) -> Point:
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


class BudgetSearch:
    """The search state of one budget problem: the bands' order, bounds and the best so far.

    `best_key` is ``(-score10, changes, cost, k)``: smaller is better.
    """

    def __init__(self, bands: Bands):
        p = bands.p
        self.bands = bands
        self.p = p
        self.s, self.ts, self.t = p.step, p.target_scale, p.targets
        self.lo, self.hi, self.ncap, self.budget = bands.lo, bands.hi, bands.ncap, bands.budget
        self.bp, self.bq, self.br = sorted(range(3), key=lambda b: (-self.t[b], b))
        self.measure, self.cost, self.tick = bands.measure, bands.cost, bands.tick
        self.a_r = p.base[self.br]
        self.h_min = p.total + sum(self.lo) * self.s
        self.h_max = p.total + sum(self.hi) * self.s
        if self.ncap is not None:
            self.h_max = min(self.h_max, p.total + self.ncap * self.s)
        lo = self.lo
        self.best_k: Point = (lo[0], lo[1], lo[2])  # lo: always allowed
        self.best_key: tuple = self.key_of(self.best_k)
        self.seed_k: Point = self.best_k  # where a pass starts its rows and k_Q loops

    # --- the best so far ------------------------------------------------------------------

    def key_of(self, k: Point) -> tuple:
        score10, changes, cost_delta, _ = self.measure(k)
        return (-score10, changes, cost_delta, k)

    def point(self, kp: int, kq: int, kr: int) -> Point:
        k = [0, 0, 0]
        k[self.bp], k[self.bq], k[self.br] = kp, kq, kr
        return (k[0], k[1], k[2])

    def consider(self, k: Point) -> None:
        self.tick()
        if not self.bands.in_box(k):  # the bounds hold every hard constraint: never keep outside
            return
        key = self.key_of(k)
        if key < self.best_key:
            self.best_key, self.best_k = key, k

    def seed(self) -> None:
        """Today, the closest mix at today's total and at a spread of totals, pulled back.

        A seed over the budget or the cap is pulled back towards lo until it fits.
        """
        p, lo, hi, ncap = self.p, self.lo, self.hi, self.ncap
        seeds: list[Point] = [(0, 0, 0)]
        closest = allocate(p, lo, hi, p.total, 0)
        if closest is not None:
            seeds.append(closest)
        n_low, n_high = sum(lo), sum(hi) if ncap is None else min(sum(hi), ncap)
        for units in spread(n_low, n_high, SEED_TOTALS):
            k = allocate(p, lo, hi, p.total + units * self.s, units)
            if k is not None:
                seeds.append(k)
        for k in seeds:
            fitted = pull_back(self.bands, k)
            if fitted is not None:
                key = self.key_of(fitted)
                if key < self.best_key:
                    self.best_key, self.best_k = key, fitted

    def run(self) -> Point:
        self.seed()
        try:
            self.coarse_to_fine()
            for fewest in (False, True):
                self.search_rows(fewest)
        except SearchStopped:
            pass  # best_k: the best point found, within every bound
        return self.best_k

    def search_rows(self, fewest: bool) -> None:
        """One pass: rows of k_P from the best so far upwards, then downwards."""
        bp, lo, hi = self.bp, self.lo, self.hi
        self.seed_k = self.best_k
        anchor = min(max(self.seed_k[bp], lo[bp]), hi[bp])
        for kp in range(anchor, hi[bp] + 1):
            if not self.visit_p(kp, 1, fewest):
                break
        for kp in range(anchor - 1, lo[bp] - 1, -1):
            if not self.visit_p(kp, -1, fewest):
                break

    # --- bounds of the points scoring at least S ------------------------------------------

    def threshold(self, score10: int) -> tuple[int, int]:
        """(n, d): a point scores ≥ score10 iff d·|x_b·ts − t_b·H| ≤ n·H for every band b."""
        return self.bands.dm * (2001 - 2 * max(score10, 0)), 2000

    def k_range(
        self, b: int, x_lo_num: int, x_lo_den: int, x_hi_num: int, x_hi_den: int
    ) -> tuple[int, int]:
        """Steps of band b keeping x_b within [x_lo, x_hi] (given as fractions)."""
        a, s, lo, hi = self.p.base[b], self.s, self.lo, self.hi
        k_low = ceil_div(x_lo_num - a * x_lo_den, s * x_lo_den) if x_lo_den else lo[b]
        k_high = (x_hi_num - a * x_hi_den) // (s * x_hi_den) if x_hi_den else hi[b]
        return max(lo[b], k_low), min(hi[b], k_high)

    def window(self, b: int, x_anchor: int, n: int, d: int) -> tuple[int, int]:
        """A range of k_b holding every point scoring ≥ S, given x_P = x_anchor > 0."""
        t, bp = self.t, self.bp
        # H ∈ [x_P·ts·d/(t_P·d + n), x_P·ts·d/(t_P·d − n)]; x_b ∈ [(t_b − δ)H, (t_b + δ)H]/ts
        lo_num = (t[b] * d - n) * x_anchor
        lo_den = t[bp] * d + n
        if lo_num < 0:
            lo_num, lo_den = 0, 1
        if t[bp] * d > n:
            hi_num, hi_den = (t[b] * d + n) * x_anchor, t[bp] * d - n
        else:
            hi_num, hi_den = self.h_max, 1
        return self.k_range(b, lo_num, lo_den, hi_num, hi_den)

    def r_bounds(self, x_p: int, x_q: int, n: int, d: int) -> RBounds:
        """The exact k_R bounds of the points scoring ≥ S on the (P, Q) pair, split by trend.

        The hottest function of the search: plain loops on local names.
        """
        t, ts, br, bp, bq, a_r, s = self.t, self.ts, self.br, self.bp, self.bq, self.a_r, self.s
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
        rising_low = falling_low = self.lo[br]
        rising_high = falling_high = self.hi[br]
        # k_R ≥ ceil((num/den − a_R)/s) and k_R ≤ floor((num/den − a_R)/s)
        for num, den in rising_lows:
            rising_low = max(rising_low, -((a_r * den - num) // (s * den)))
        for num, den in falling_lows:
            falling_low = max(falling_low, -((a_r * den - num) // (s * den)))
        for num, den in rising_highs:
            rising_high = min(rising_high, (num - a_r * den) // (s * den))
        for num, den in falling_highs:
            falling_high = min(falling_high, (num - a_r * den) // (s * den))
        return RBounds(rising_low, falling_low, rising_high, falling_high)

    def r_step_floor(self, num: int, den: int) -> int:
        """The largest k_R with x_R ≤ num/den."""
        return (num - self.a_r * den) // (self.s * den)

    def r_fits(self, kp: int, kq: int, r_lo: int, r_hi: int) -> int:
        """`r_hi` lowered to the headcount cap and the budget left after k_P and k_Q."""
        if self.ncap is not None:
            r_hi = min(r_hi, self.ncap - kp - kq)
        if self.budget is not None and r_lo <= r_hi:
            allowance = self.budget - self.cost(self.bp, kp) - self.cost(self.bq, kq)
            top = self.bands.max_k_within(self.br, allowance)
            r_hi = min(r_hi, top) if top is not None else r_lo - 1
        return r_hi

    def r_allowed(self, kp: int, kq: int, n: int, d: int) -> tuple[int, int]:
        """k_R range for the pair: exact score window, box, headcount cap and budget."""
        s, base = self.s, self.p.base
        x_p, x_q = base[self.bp] + kp * s, base[self.bq] + kq * s
        bounds = self.r_bounds(x_p, x_q, n, d)
        r_lo = max(bounds.rising_low, bounds.falling_low)
        r_hi = min(bounds.rising_high, bounds.falling_high)
        return r_lo, self.r_fits(kp, kq, r_lo, r_hi)

    # --- pass 1: the best score -----------------------------------------------------------

    def best_score_on_pair(self, kp: int, kq: int) -> None:
        """The best score on a pair, among the points beating the best so far."""
        self.tick()
        n, d = self.threshold(-self.best_key[0] + 1)
        r_lo, r_hi = self.r_allowed(kp, kq, n, d)
        if r_lo > r_hi:
            return
        if r_hi - r_lo <= SMALL_INTERVAL:
            for kr in range(r_lo, r_hi + 1):
                self.consider(self.point(kp, kq, kr))
            return
        marks = self.breakpoints(kp, kq, r_lo, r_hi)
        for left, right in zip(marks, marks[1:], strict=False):
            self.best_on_piece(kp, kq, left, right)

    def breakpoints(self, kp: int, kq: int, r_lo: int, r_hi: int) -> list[int]:
        """Where D bends in k_R (a band meets its target share) or |k_R| does (at 0)."""
        t, ts, s, base = self.t, self.ts, self.s, self.p.base
        x_p, x_q = base[self.bp] + kp * s, base[self.bq] + kq * s
        h_pq = x_p + x_q
        marks = {r_lo, r_hi, 0}
        fractions = []
        if ts > t[self.br]:
            fractions.append((t[self.br] * h_pq, ts - t[self.br]))
        for b, x_b in ((self.bp, x_p), (self.bq, x_q)):
            if t[b] > 0:
                fractions.append((x_b * ts - h_pq * t[b], t[b]))
        for num, den in fractions:
            k_floor = self.r_step_floor(num, den)
            marks.update((k_floor, k_floor + 1))
        return sorted(m for m in marks if r_lo <= m <= r_hi)

    def best_on_piece(self, kp: int, kq: int, left: int, right: int) -> None:
        """Score is monotone on the piece: its ends, or the edge of the better end's plateau."""
        k_left, k_right = self.point(kp, kq, left), self.point(kp, kq, right)
        self.consider(k_left)
        self.consider(k_right)
        score_left, score_right = self.measure(k_left)[0], self.measure(k_right)[0]
        if score_left == score_right or right - left < 2:
            return
        if score_right > score_left:
            kr = self.plateau_edge(kp, kq, left, right, score_right, from_right=True)
        else:
            kr = self.plateau_edge(kp, kq, left, right, score_left, from_right=False)
        self.consider(self.point(kp, kq, kr))

    def plateau_edge(
        self, kp: int, kq: int, low: int, high: int, score: int, *, from_right: bool
    ) -> int:
        """Bisection: the smallest k_R scoring `score` (plateau on the right), else the largest."""
        while high - low > 1:
            mid = (low + high) // 2
            self.tick()
            reaches = self.measure(self.point(kp, kq, mid))[0] >= score
            if reaches == from_right:
                high = mid
            else:
                low = mid
        return high if from_right else low

    def best_score_row(self, row: Row) -> None:
        """Pass 1 on a row: k_Q from the seed up, then down, while a pair can still score."""
        kp, x_p, s, base = row.kp, row.x_p, self.s, self.p.base
        q_lo, q_hi = row.q_lo, row.q_hi
        start = min(max(self.seed_k[self.bq], q_lo), q_hi) if q_lo <= q_hi else q_lo
        base_cost = self.cost(self.bp, kp)
        for kq in range(start, q_hi + 1):
            # for every larger k_Q: k_R ≥ rising_low here, ≤ falling_high here, and Q costs more
            n, d = self.threshold(-self.best_key[0] + 1)
            bounds = self.r_bounds(x_p, base[self.bq] + kq * s, n, d)
            if bounds.rising_low > bounds.falling_high:
                break
            if self.ncap is not None and kp + kq + bounds.rising_low > self.ncap:
                break
            if self.over_budget(base_cost + self.cost(self.bq, kq), bounds.rising_low):
                break
            self.best_score_on_pair(kp, kq)
        for kq in range(start - 1, q_lo - 1, -1):
            # for every smaller k_Q: k_R ≥ falling_low here and ≤ rising_high here
            n, d = self.threshold(-self.best_key[0] + 1)
            bounds = self.r_bounds(x_p, base[self.bq] + kq * s, n, d)
            if bounds.falling_low > bounds.rising_high:
                break
            self.best_score_on_pair(kp, kq)

    def over_budget(self, cost_pq: int, kr: int) -> bool:
        return self.budget is not None and cost_pq + self.cost(self.br, kr) > self.budget

    def coarse_to_fine(self) -> None:
        """A grid of (k_P, k_Q) pairs, then finer grids around the best: good points early.

        A bounded number of pairs (~17² + 25 per halving); each gets its best k_R exactly.
        It only finds a good point soon, so that the bounds bite and a search stopped by the
        work limit is near the optimum; the passes still prove it.
        """
        bp, bq = self.bp, self.bq
        p_lo, p_hi, q_lo, q_hi = self.lo[bp], self.hi[bp], self.lo[bq], self.hi[bq]
        if p_lo > p_hi or q_lo > q_hi:
            return
        gap_p = max(1, (p_hi - p_lo) // COARSE_CELLS)
        gap_q = max(1, (q_hi - q_lo) // COARSE_CELLS)
        cells = [
            (kp, kq)
            for kp in spread(p_lo, p_hi, COARSE_CELLS)
            for kq in spread(q_lo, q_hi, COARSE_CELLS)
        ]
        while True:
            for kp, kq in cells:
                if self.best_key[0] <= -PERFECT_SCORE10:
                    return  # 100.0: nothing scores better
                self.best_score_on_pair(kp, kq)
            if gap_p == 1 and gap_q == 1:
                return
            cp, cq = self.best_k[bp], self.best_k[bq]
            cells = [
                (kp, kq)
                for kp in spread(max(p_lo, cp - gap_p), min(p_hi, cp + gap_p), FINE_CELLS)
                for kq in spread(max(q_lo, cq - gap_q), min(q_hi, cq + gap_q), FINE_CELLS)
            ]
            gap_p, gap_q = max(1, gap_p // 2), max(1, gap_q // 2)

    # --- the rows of both passes ----------------------------------------------------------

    def visit_p(self, kp: int, direction: int, fewest: bool) -> bool:
        """Search the points with this k_P; False once going further cannot help any more."""
        self.tick()
        if not fewest and self.best_key[0] <= -PERFECT_SCORE10:
            return False  # 100.0: nothing scores better
        # pass 1 looks for a better score, pass 2 for fewer changes at the best score
        n, d = self.threshold(-self.best_key[0] + (0 if fewest else 1))
        row = self.row(kp, n, d, direction)
        if isinstance(row, bool):
            return row
        if fewest:
            return self.fewest_changes_row(row, direction)
        self.best_score_row(row)
        return True

    def row(self, kp: int, n: int, d: int, direction: int) -> Row | bool:
        """The row's k_Q and k_R windows, or whether to go on when the row holds no point.

        Each test below fails for every larger k_P once it fails (they rise with k_P): going up,
        stop; going down, skip this row only. The x_P window also fails for every smaller k_P
        once x_P is below it.
        """
        t, ts, bp, bq, br = self.t, self.ts, self.bp, self.bq, self.br
        lo, ncap, cost = self.lo, self.ncap, self.cost
        x_p = self.p.base[bp] + kp * self.s
        # x_P ∈ [(t_P − δ)·H_min, (t_P + δ)·H_max] / ts for any point scoring ≥ S
        if x_p * ts * d > (t[bp] * d + n) * self.h_max:
            return direction < 0
        if x_p * ts * d < (t[bp] * d - n) * self.h_min:
            return direction > 0
        if ncap is not None and kp + lo[bq] + lo[br] > ncap:
            return direction < 0
        if self.over_budget(cost(bp, kp) + cost(bq, lo[bq]), lo[br]):
            return direction < 0
        if x_p <= 0:
            return Row(kp, x_p, n, d, lo[bq], self.hi[bq])
        q_lo, q_hi = self.window(bq, x_p, n, d)
        r_lo, r_hi = self.window(br, x_p, n, d)
        if q_lo > q_hi or r_lo > r_hi:
            return True
        # the windows' lower ends only rise with k_P, and cost rises with every k
        if self.over_budget(cost(bp, kp) + cost(bq, q_lo), r_lo):
            return direction < 0
        return Row(kp, x_p, n, d, q_lo, q_hi, r_lo, r_hi)

    # --- pass 2: the fewest changes at the best score -------------------------------------

    def fewest_changes_row(self, row: Row, direction: int) -> bool:
        """Pass 2 on a row: k_Q outwards from 0 while |k_P| + |k_Q| + |k_R| can still win."""
        kp = row.kp
        cap_changes = self.best_key[1]
        spare = cap_changes - abs(kp)
        if spare < 0:
            return False
        if row.r_lo is not None and row.r_hi is not None:
            least = abs(kp) + max(0, row.q_lo, -row.q_hi) + max(0, row.r_lo, -row.r_hi)
            if least > cap_changes:
                return self.past_change_cap(row, direction, cap_changes)
        q_lo, q_hi = max(row.q_lo, -spare), min(row.q_hi, spare)
        start = min(max(0, q_lo), q_hi)
        self.fewest_q_up(row, start, q_hi)
        self.fewest_q_down(row, start, q_lo)
        return True

    def past_change_cap(self, row: Row, direction: int, cap_changes: int) -> bool:
        """The row needs too many changes; go on unless the convex bound says all further do."""
        here = self.relaxed_changes(row.kp, row.n, row.d)
        before = self.p.base[self.bp] + (row.kp - direction) * self.s
        if here > cap_changes and before > 0:
            return not here > self.relaxed_changes(row.kp - direction, row.n, row.d)
        return True

    def fewest_q_up(self, row: Row, start: int, q_hi: int) -> None:
        """k_Q ≥ 0: |k_Q| grows, k_R ≥ rising_low and ≤ falling_high for every larger k_Q."""
        kp, s, base = row.kp, self.s, self.p.base
        base_cost = self.cost(self.bp, kp)
        for kq in range(start, q_hi + 1):
            bounds = self.r_bounds(row.x_p, base[self.bq] + kq * s, row.n, row.d)
            if bounds.rising_low > bounds.falling_high:
                break
            least = abs(kp) + kq + max(0, bounds.rising_low, -bounds.falling_high)
            if least > self.best_key[1]:
                break
            if self.over_budget(base_cost + self.cost(self.bq, kq), bounds.rising_low):
                break
            self.fewest_changes_on_pair(kp, kq, bounds)

    def fewest_q_down(self, row: Row, start: int, q_lo: int) -> None:
        """k_Q < 0: |k_Q| grows, k_R ≥ falling_low and ≤ rising_high for every smaller k_Q."""
        kp, s, base = row.kp, self.s, self.p.base
        for kq in range(start - 1, q_lo - 1, -1):
            bounds = self.r_bounds(row.x_p, base[self.bq] + kq * s, row.n, row.d)
            if bounds.falling_low > bounds.rising_high:
                break
            least = -kq + abs(kp) + max(0, bounds.falling_low, -bounds.rising_high)
            if least > self.best_key[1]:
                break
            self.fewest_changes_on_pair(kp, kq, bounds)

    def fewest_changes_on_pair(self, kp: int, kq: int, bounds: RBounds) -> None:
        """Every k_R in the exact interval scores the best; the one nearest 0 wins."""
        self.tick()
        r_lo = max(bounds.rising_low, bounds.falling_low)
        r_hi = self.r_fits(kp, kq, r_lo, min(bounds.rising_high, bounds.falling_high))
        if r_lo <= r_hi:
            self.consider(self.point(kp, kq, min(max(0, r_lo), r_hi)))

    def relaxed_changes(self, kp: int, n: int, d: int) -> Fraction:
        """A lower bound of |k| over the windows of k_P, without rounding: convex in k_P.

        Fraction arithmetic: it counts as ten units of work.

        Each window end is an affine function of k_P clipped by a box bound, so the distance
        from 0 to a window is a maximum of affine functions; so is the sum with |k_P|.
        """
        self.tick(10)
        p, s, t, bp = self.p, self.s, self.t, self.bp
        x_p = p.base[bp] + kp * s
        least = Fraction(abs(kp))
        for b in (self.bq, self.br):
            low = Fraction(max(0, t[b] * d - n) * x_p, t[bp] * d + n)
            k_low = max(Fraction(self.lo[b]), (low - p.base[b]) / s)
            if t[bp] * d > n:
                high = Fraction((t[b] * d + n) * x_p, t[bp] * d - n)
            else:
                high = Fraction(self.h_max)
            k_high = min(Fraction(self.hi[b]), (high - p.base[b]) / s)
            least += max(Fraction(0), k_low, -k_high)
        return least
