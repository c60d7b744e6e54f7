"""The engine against an independent exact solver (OR-Tools CP-SAT) on plans of 50-2,000 lines.

Slow group (`xdist_group("rebalancing-large")`): the real band-level problems of generated
training-centric plans (`distribution.prepare`, the engine's own input), every mode and aim,
several steps. CP-SAT works in integers (FTE, targets and costs scaled exactly, as the engine's
problem is), so its optimum is exact: the score threshold "score ≥ S" is six linear inequalities
once ``Y = S·H`` is modelled as a product, the cost of a band is its add price above 0 and the
maximum of its cut pieces below (convex), and a band either adds or cuts. The test compares the
objective keys (score, FTE changed, cost), not the points: ties may pick different points.
No database.
"""

from decimal import Decimal

import pytest
from ortools.sat.python import cp_model

from plans.domain.rebalancing import solve_band_problem
from plans.domain.rebalancing.distribution import prepare
from plans.domain.rebalancing.problem import Bands
from tests.plans.domain.test_rebalancing_limits import CANDIDATES, MODERN, training_centric

pytestmark = pytest.mark.xdist_group("rebalancing-large")
D = Decimal


def cp_model_of(problem, mode):
    """(model, k, changes, cost, H) with every hard constraint of the problem."""
    m = cp_model.CpModel()
    s = problem.step
    ks, changes, costs = [], [], []
    big = 10**15
    for b in range(3):
        low = 0 if mode == "grow" else -problem.cuttable[b]
        high = problem.horizon if problem.can_add[b] else 0
        k = m.new_int_var(low, high, f"k{b}")
        up = m.new_int_var(0, max(high, 0), f"up{b}")
        down = m.new_int_var(0, max(-low, 0), f"down{b}")
        adds = m.new_bool_var(f"adds{b}")
        m.add(k == up - down)
        m.add(down == 0).only_enforce_if(adds)
        m.add(up == 0).only_enforce_if(~adds)
        cut_cost = m.new_int_var(-big, 0, f"cut{b}")
        done, saved = 0, 0
        for count, price in problem.cut_segments[b]:
            m.add(cut_cost >= -(saved + price * (down - done)))  # convex: the max of its pieces
            done += count
            saved += count * price
        if not problem.cut_segments[b]:
            m.add(cut_cost == 0)
        cost = m.new_int_var(-big, big, f"cost{b}")
        m.add(cost == problem.add_price[b] * up + cut_cost)
        ks.append(k)
        changes.append(up + down)
        costs.append(cost)
    total = problem.total + s * sum(ks)
    h = m.new_int_var(0, problem.total + s * 3 * problem.horizon, "H")
    m.add(h == total)
    if mode == "reassign":
        m.add(sum(ks) == 0)
    if problem.floor is not None:
        m.add(problem.base[2] + s * ks[2] >= problem.floor)
    if problem.cap is not None and mode != "reassign":
        m.add(h <= problem.cap)
    if mode == "budget":
        m.add(sum(costs) <= problem.budget)
    net = m.new_int_var(0, 3 * problem.horizon + sum(problem.cuttable), "net")
    m.add_abs_equality(net, sum(ks))  # a move counts once: Σ|k| + |Σk| = 2·people touched
    return m, ks, sum(changes) + net, sum(costs), h


def deviations(problem, ks, h):
    s, ts = problem.step, problem.target_scale
    return [(problem.base[b] + s * ks[b]) * ts - problem.targets[b] * h for b in range(3)]


def solve(m):
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.max_time_in_seconds = 60
    status = solver.solve(m)
    assert status in (cp_model.OPTIMAL, cp_model.INFEASIBLE), solver.status_name(status)
    return solver if status == cp_model.OPTIMAL else None


def cp_key(problem, mode, aim):
    """The optimal key by CP-SAT: tolerance first if reachable, else the best score."""
    dm = problem.target_scale - min(problem.targets)
    if aim == "tolerance":
        m, ks, changes, cost, h = cp_model_of(problem, mode)
        m.add(h >= 1)
        for e in deviations(problem, ks, h):
            m.add(e <= problem.tolerance * h)
            m.add(-e <= problem.tolerance * h)
        m.minimize(changes)
        solver = solve(m)
        if solver is not None:
            least = round(solver.objective_value)
            m.add(changes == least)
            if mode == "budget":
                m.minimize(cost)
                return (0, least, round(solve(m).objective_value))
            score = m.new_int_var(0, 1000, "S")
            y = m.new_int_var(0, 1000 * (problem.total + 3 * problem.step * problem.horizon), "Y")
            m.add_multiplication_equality(y, [score, h])
            for e in deviations(problem, ks, h):
                m.add(2000 * e <= dm * 2001 * h - 2 * dm * y)
                m.add(-2000 * e <= dm * 2001 * h - 2 * dm * y)
            m.maximize(score)
            return (0, least, -round(solve(m).objective_value))
    m, ks, changes, cost, h = cp_model_of(problem, mode)
    m.add(h >= 1)
    score = m.new_int_var(0, 1000, "S")
    y = m.new_int_var(0, 1000 * (problem.total + 3 * problem.step * problem.horizon), "Y")
    m.add_multiplication_equality(y, [score, h])
    for e in deviations(problem, ks, h):
        m.add(2000 * e <= dm * 2001 * h - 2 * dm * y)
        m.add(-2000 * e <= dm * 2001 * h - 2 * dm * y)
    m.maximize(score)
    best = round(solve(m).objective_value)
    m.add(score >= best)
    m.minimize(changes)
    least = round(solve(m).objective_value)
    if mode != "budget":
        return (-best, least)
    m.add(changes == least)
    m.minimize(cost)
    return (-best, least, round(solve(m).objective_value))


def engine_key(problem, mode, aim):
    solution = solve_band_problem(problem, mode, aim)
    assert solution.optimal is True
    bands = Bands(problem, mode)
    assert bands.relaxed == [], "the cases are chosen so that every constraint can hold"
    score10, changes, cost, _ = bands.measure(solution.k)
    if aim == "tolerance" and solution.within_tolerance:
        return (0, changes, cost if mode == "budget" else -score10)
    return (-score10, changes, cost) if mode == "budget" else (-score10, changes)


def problem_of(count, mode, step, **constraints):
    lines = training_centric(count)
    return prepare(
        lines,
        MODERN,
        mode=mode,
        step=D(step),
        headcount_cap=constraints.get("headcount_cap"),
        budget_cap=constraints.get("budget_cap"),
        compliance_floor=constraints.get("compliance_floor"),
        candidates=CANDIDATES,
    ).problem


def cost_of(count):
    return sum(line.planned_fte * line.annual_cost for line in training_centric(count))


def fte_of(count):
    return sum(line.planned_fte for line in training_centric(count))


CASES = [
    # (lines, mode, step, constraints as a share of today's cost / FTE)
    (50, "reassign", "0.5", {}),
    (50, "grow", "0.5", {"headcount_cap": 3}),
    (50, "budget", "0.5", {"budget_cap": 1}),
    (50, "budget", "0.1", {"budget_cap": D("0.6")}),
    (400, "reassign", "0.1", {"compliance_floor": D("0.5")}),
    (400, "grow", "1", {"headcount_cap": 2}),
    (400, "budget", "0.5", {"budget_cap": D("0.8"), "headcount_cap": 1}),
    (2000, "reassign", "0.5", {}),
    (2000, "grow", "2", {"headcount_cap": 3}),
    (2000, "budget", "1", {"budget_cap": D("0.3")}),
    (2000, "budget", "0.5", {"budget_cap": 1, "headcount_cap": D("0.5")}),
]


def constraints_for(count, shares):
    fields = {}
    if "budget_cap" in shares:
        fields["budget_cap"] = (cost_of(count) * D(shares["budget_cap"])).quantize(D("1"))
    if "headcount_cap" in shares:
        fields["headcount_cap"] = (fte_of(count) * D(shares["headcount_cap"])).quantize(D("0.1"))
    if "compliance_floor" in shares:
        lines = training_centric(count)
        formal = sum(line.planned_fte for line in lines if line.band_split[MODERN_FORMAL] == 1)
        fields["compliance_floor"] = (formal * D(shares["compliance_floor"])).quantize(D("0.1"))
    return fields


MODERN_FORMAL = next(band for band in MODERN.targets if MODERN.targets[band] == D("0.1"))


@pytest.mark.parametrize("aim", ["tolerance", "best"])
@pytest.mark.parametrize("count, mode, step, shares", CASES)
def test_the_engine_matches_an_independent_exact_solver(count, mode, step, shares, aim):
    problem = problem_of(count, mode, step, **constraints_for(count, shares))
    assert engine_key(problem, mode, aim) == cp_key(problem, mode, aim)
