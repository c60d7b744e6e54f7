"""Who moves where: discipline affinity and the exact min-cost matching of the roadmap (§9).

Pure Python, no Django import. Input: per role, its FTE today (`current`) and planned; roles
whose FTE goes down *release* people, roles whose FTE goes up *need* people. All FTE are whole
tenths (0.1), the unit in which everything below is computed, so every result is exact.

A transportation problem solved exactly as a min-cost max-flow (successive shortest paths,
Dijkstra with potentials) on the network source → releasing roles → needing roles → sink.
The flow is maximal, so the FTE moved equals min(total reductions, total increases): people
move before anyone is hired. Among the matchings that move that much, the one chosen, in
this order of priority:

1. maximises the total discipline affinity (Σ FTE × affinity, see `AFFINITIES`);
2. then minimises the total change in annual cost per FTE (Σ FTE × |cost from − cost to|):
   people land in roles paid most like the ones they leave;
3. remaining ties break by the order of roles (title, then id): the solver visits them in
   that order and keeps the first optimum it finds, so the same plan always gives the same
   roadmap.

The tiers are combined into one integer cost per tenth, ``(3 − affinity) × BIG + |Δcost|``,
with ``BIG`` larger than any possible total of the second tier, so the optimum is
lexicographic. Tests check tiers 1 and 2 against brute force on small cases.

Why a move between two disciplines is natural is worded in `plans.presenters`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from roles.catalog import DISCIPLINES

TENTH = Decimal("0.1")

STRONG, GOOD, SOME, NONE = 3, 2, 1, 0
MAX_AFFINITY = STRONG
DISCIPLINE_BAND: dict[str, str] = {slug: band for slug, _name, band, _desc in DISCIPLINES}

# (from discipline, to discipline) -> affinity. Same discipline: STRONG; otherwise same band:
# SOME; pairs not listed and in different bands: NONE.
AFFINITIES: dict[tuple[str, str], int] = {
    ("training-delivery", "coaching-mentoring"): STRONG,
    ("training-delivery", "knowledge-management"): GOOD,
    ("training-delivery", "community-management"): GOOD,
    ("training-delivery", "internal-communications"): SOME,
    ("training-delivery", "organisation-design"): SOME,
    ("training-delivery", "learning-technology"): SOME,
    ("instructional-design", "knowledge-management"): STRONG,
    ("instructional-design", "organisation-design"): STRONG,
    ("instructional-design", "learning-technology"): SOME,
    ("instructional-design", "internal-communications"): SOME,
    ("elearning-development", "learning-technology"): STRONG,
    ("elearning-development", "social-technology"): GOOD,
    ("elearning-development", "knowledge-management"): SOME,
    ("elearning-development", "internal-communications"): SOME,
    ("community-management", "social-technology"): GOOD,
    ("community-management", "knowledge-management"): GOOD,
    ("social-technology", "learning-technology"): GOOD,
    ("social-technology", "community-management"): GOOD,
    ("internal-communications", "community-management"): GOOD,
    ("internal-communications", "knowledge-management"): SOME,
    ("coaching-mentoring", "organisation-design"): SOME,
    ("knowledge-management", "community-management"): SOME,
    ("learning-technology", "social-technology"): GOOD,
    ("organisation-design", "coaching-mentoring"): SOME,
}


def affinity(from_discipline: str, to_discipline: str) -> int:
    """How naturally people of one discipline reskill into another: 3 strong ... 0 none."""
    if from_discipline == to_discipline:
        return STRONG
    listed = AFFINITIES.get((from_discipline, to_discipline))
    if listed is not None:
        return listed
    same_band = DISCIPLINE_BAND.get(from_discipline) == DISCIPLINE_BAND.get(to_discipline)
    return SOME if same_band and from_discipline in DISCIPLINE_BAND else NONE


class RoadmapError(ValueError):
    """A roadmap cannot be built from these inputs.

    `field` names the input to change, `code` the problem and `details` its numbers; the words
    come from `plans.presenters.roadmap_error_words`.
    """

    def __init__(self, field: str, code: str, **details):
        super().__init__(f"{field}: {code} {details}")
        self.field = field
        self.code = code
        self.details = details


@dataclass(frozen=True, slots=True)
class RoleChange:
    """One role of a plan as the roadmap sees it: FTE today and planned."""

    role_id: int
    title: str
    discipline: str  # the discipline's slug
    current_fte: Decimal
    planned_fte: Decimal
    annual_cost: Decimal = Decimal(0)

    @property
    def reduction(self) -> Decimal:
        return max(self.current_fte - self.planned_fte, Decimal(0))

    @property
    def increase(self) -> Decimal:
        return max(self.planned_fte - self.current_fte, Decimal(0))


@dataclass(frozen=True, slots=True)
class Move:
    """A matched flow of FTE from a releasing role to a needing role (before scheduling)."""

    from_role_id: int
    to_role_id: int
    fte: Decimal
    affinity: int


# --- units ---------------------------------------------------------------------------------


def to_units(value: Decimal, what: str = "fte") -> int:
    """FTE as whole tenths; anything finer, negative or not finite is refused."""
    if not isinstance(value, Decimal) or not value.is_finite() or value < 0:
        raise RoadmapError(what, "not_fte", value=value)
    units = value / TENTH
    if units != units.to_integral_value():
        raise RoadmapError(what, "not_tenths", value=value)
    return int(units)


def from_units(units: int) -> Decimal:
    return (Decimal(units) * TENTH).quantize(TENTH)


# --- matching ------------------------------------------------------------------------------


def role_order(change: RoleChange) -> tuple:
    """The order in which roles are visited and listed: title (case-blind), then id."""
    return (change.title.casefold(), change.role_id)


def match(changes: Sequence[RoleChange]) -> list[Move]:
    """Match released FTE to needed FTE: most FTE moved, then most affinity, then least pay
    change, then role order (see the module docstring). Returns one Move per (from, to) pair."""
    releasing = sorted((c for c in changes if c.reduction > 0), key=role_order)
    needing = sorted((c for c in changes if c.increase > 0), key=role_order)
    supply = [to_units(c.reduction) for c in releasing]
    demand = [to_units(c.increase) for c in needing]
    total = min(sum(supply), sum(demand))
    if total == 0:
        return []
    pay = [[abs(int((r.annual_cost - n.annual_cost) * 100)) for n in needing] for r in releasing]
    big = total * max((max(row) for row in pay), default=0) + 1
    aff = [[affinity(r.discipline, n.discipline) for n in needing] for r in releasing]
    cost = [
        [(MAX_AFFINITY - aff[i][j]) * big + pay[i][j] for j in range(len(needing))]
        for i in range(len(releasing))
    ]
    flows = _transport(supply, demand, cost)
    return [
        Move(
            from_role_id=releasing[i].role_id,
            to_role_id=needing[j].role_id,
            fte=from_units(flows[i][j]),
            affinity=aff[i][j],
        )
        for i in range(len(releasing))
        for j in range(len(needing))
        if flows[i][j]
    ]


class _FlowNetwork:
    """The dense residual network of a complete bipartite transportation problem.

    Node 0 is the source, 1..n the suppliers, n+1..n+m the consumers, n+m+1 the sink.
    """

    def __init__(self, supply: list[int], demand: list[int], cost: list[list[int]]):
        n, m = len(supply), len(demand)
        self.n, self.m = n, m
        self.size = n + m + 2
        self.source, self.sink = 0, n + m + 1
        self.capacity = [[0] * self.size for _ in range(self.size)]
        self.weight = [[0] * self.size for _ in range(self.size)]
        self.potential = [0] * self.size
        self.infinite = sum(supply)
        for i in range(n):
            self.capacity[self.source][1 + i] = supply[i]
            for j in range(m):
                self.capacity[1 + i][1 + n + j] = self.infinite
                self.weight[1 + i][1 + n + j] = cost[i][j]
                self.weight[1 + n + j][1 + i] = -cost[i][j]
        for j in range(m):
            self.capacity[1 + n + j][self.sink] = demand[j]

    def _closest_open(self, distance: list[int | None], done: list[bool]) -> int:
        """The unsettled node nearest the source (the first in node order on ties), or -1."""
        node, best = -1, None
        for candidate in range(self.size):
            value = distance[candidate]
            if not done[candidate] and value is not None and (best is None or value < best):
                node, best = candidate, value
        return node

    def shortest_paths(self) -> tuple[list[int | None], list[int]]:
        """Dijkstra on reduced costs from the source: (distance, previous node) per node."""
        distance: list[int | None] = [None] * self.size
        previous = [-1] * self.size
        done = [False] * self.size
        distance[self.source] = 0
        while (node := self._closest_open(distance, done)) >= 0:
            done[node] = True
            best = distance[node]
            for other in range(self.size):
                if self.capacity[node][other] > 0 and not done[other]:
                    reduced = (
                        best
                        + self.weight[node][other]
                        + self.potential[node]
                        - self.potential[other]
                    )
                    if distance[other] is None or reduced < distance[other]:
                        distance[other] = reduced
                        previous[other] = node
        return distance, previous

    def augment(self, previous: list[int], limit: int) -> int:
        """Push as much as the path to the sink allows (at most `limit`); the amount pushed."""
        push, node = limit, self.sink
        while node != self.source:
            push = min(push, self.capacity[previous[node]][node])
            node = previous[node]
        node = self.sink
        while node != self.source:
            self.capacity[previous[node]][node] -= push
            self.capacity[node][previous[node]] += push
            node = previous[node]
        return push

    def flows(self) -> list[list[int]]:
        n, m = self.n, self.m
        return [
            [self.infinite - self.capacity[1 + i][1 + n + j] for j in range(m)] for i in range(n)
        ]


def _transport(supply: list[int], demand: list[int], cost: list[list[int]]) -> list[list[int]]:
    """Min-cost max-flow of a complete bipartite transportation problem (non-negative costs).

    Successive shortest paths with Dijkstra on reduced costs (potentials), dense O(V²) per path.
    """
    network = _FlowNetwork(supply, demand, cost)
    flow_total, target = 0, min(sum(supply), sum(demand))
    while flow_total < target:
        distance, previous = network.shortest_paths()
        if distance[network.sink] is None:  # cannot happen on a complete bipartite network
            break
        for node, value in enumerate(distance):
            if value is not None:
                network.potential[node] += value
        flow_total += network.augment(previous, target - flow_total)
    return network.flows()
