"""``grow``: additions only, the fewest FTE that bring every band within tolerance.

Totals are tried from the smallest that can possibly be within tolerance up; at a fixed total
the band box of "within tolerance" is known exactly and `allocate` picks the closest mix in it.
When no total is within tolerance under the cap (or the work limit stops that scan), a spread of
totals is scored first and then every total, nearest the best of the spread first, so that a
stopped search is near its best: the best score (as reported, one decimal), then fewest added.
"""

from __future__ import annotations

from plans.domain.rebalancing.problem import (
    SEED_TOTALS,
    Bands,
    Point,
    SearchStopped,
    allocate,
    ceil_div,
    outward,
    spread,
)


def solve_grow(bands: Bands) -> Point:
    """Fewest steps added with every band within tolerance, else best score, fewest added."""
    n_min = sum(bands.lo)
    n_max = sum(bands.hi) if bands.ncap is None else min(sum(bands.hi), bands.ncap)
    start = _smallest_possible_total(bands, n_min)
    try:
        for units in range(start, n_max + 1):
            bands.tick()
            k = _within_tolerance_at(bands, units)
            if k is not None:
                return k
    except SearchStopped:
        # the scan stopped: the smallest total within tolerance in a spread, if any, is the
        # best answer known (fewest added is the objective; the scan below cannot beat it)
        for units in spread(start, n_max, SEED_TOTALS):
            k = _within_tolerance_at(bands, units)
            if k is not None:
                return k
    return _best_score(bands, n_min, n_max)


def _smallest_possible_total(bands: Bands, n_min: int) -> int:
    """Steps added below which some band must end above (target + tolerance) of the total."""
    p = bands.p
    s, ts, tol = p.step, p.target_scale, p.tolerance
    start = n_min
    for b in range(3):
        upper_share = p.targets[b] + tol
        if upper_share <= 0:
            continue
        x_b = p.base[b] + bands.lo[b] * s
        need_total = ceil_div(x_b * ts, upper_share)
        start = max(start, ceil_div(need_total - p.total, s))
    return start


def _within_tolerance_at(bands: Bands, units: int) -> Point | None:
    """The closest mix adding `units` steps with every band within tolerance, if any."""
    p = bands.p
    s, ts, tol = p.step, p.target_scale, p.tolerance
    total = p.total + units * s
    if total <= 0:
        return None  # an empty department is never "within tolerance"
    box_lo, box_hi = [], []
    for b in range(3):
        low = ceil_div((p.targets[b] - tol) * total - p.base[b] * ts, s * ts)
        high = ((p.targets[b] + tol) * total - p.base[b] * ts) // (s * ts)
        box_lo.append(max(bands.lo[b], low))
        box_hi.append(min(bands.hi[b], high))
    if any(box_lo[b] > box_hi[b] for b in range(3)):
        return None
    return allocate(p, box_lo, box_hi, total, units)


def _best_score(bands: Bands, n_min: int, n_max: int) -> Point:
    """Not reachable (or not found): the best score, then the fewest steps added."""
    p, lo, hi = bands.p, bands.lo, bands.hi
    best: Point = (lo[0], lo[1], lo[2])
    best_key = (bands.measure(best)[0], -n_min)

    def consider_total(units: int) -> None:
        nonlocal best, best_key
        k = allocate(p, lo, hi, p.total + units * p.step, units)
        if k is None:
            return
        key = (bands.measure(k)[0], -units)
        if key > best_key:
            best, best_key = k, key

    for units in spread(n_min, n_max, SEED_TOTALS):
        consider_total(units)
    if not bands.stopped and n_min <= n_max:
        centre = min(max(-best_key[1], n_min), n_max)
        try:
            for units in outward(centre, n_min, n_max):
                bands.tick()
                consider_total(units)
        except SearchStopped:
            pass
    return best
