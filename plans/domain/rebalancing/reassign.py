"""``reassign``: the total stays, the bands trade FTE.

With ``Σ k_b = 0`` the objective (the distance, then the FTE changed) is exactly what `allocate`
minimises, so no search is needed and the work count stays at 0.
"""

from __future__ import annotations

from plans.domain.rebalancing.problem import Bands, Point, allocate


def solve_reassign(bands: Bands) -> Point:
    """The closest mix at today's total, fewest steps changed on a tie."""
    problem = bands.p
    k = allocate(problem, bands.lo, bands.hi, problem.total, 0)
    if k is None:  # cannot happen: k = lo..0 is always within reach; keep the plan
        return (0, 0, 0)
    return k
