"""The reskilling roadmap of DESIGN §9: who moves where, and when. Pure Python, no Django import.

Input: per role, its FTE today (`current`) and planned; roles whose FTE goes down *release*
people, roles whose FTE goes up *need* people. All FTE are whole tenths (0.1), the unit in which
everything below is computed, so every result is exact.

Matching (who moves where)
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

Leftovers
    A releasing role whose reduction is not all moved gets an ``exit`` for the rest, a needing
    role whose increase is not all filled gets a ``hire``.

Schedule (when)
    Quarter 1 is the first calendar quarter starting on or after `start` (a start of
    2026-02-15 gives quarter 1 = 2026-04-01; a start of 2026-04-01 is itself quarter 1). Every
    transition is effective on the first day of its quarter. Moves are taken strongest affinity
    first (the easiest reskilling early, to show results), then the largest, then by role
    titles, and fill each quarter up to `max_fte_per_quarter`; a move that does not fit is split
    across quarters, so every quarter but the last is full and the number of quarters,
    ceil(moved ÷ cap), is the least possible. Hires and exits do not use the move capacity:
    hires are effective in quarter 1 (nobody inside can fill those roles, so recruiting starts
    at once); exits in the last quarter of the moves (people leaving keep their posts, and the
    chance to move, until the moves are done). A roadmap longer than `MAX_QUARTERS` is refused
    with the smallest cap that fits.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from roles.catalog import DISCIPLINES

TENTH = Decimal("0.1")
MAX_QUARTERS = 40  # ten years: a longer roadmap is not a plan
MOVE, HIRE, EXIT = "move", "hire", "exit"
KINDS = (MOVE, HIRE, EXIT)
LEARNING_PLAN_FIELDS = ("focus", "target", "define", "align", "outreach", "renew")

STRONG, GOOD, SOME, NONE = 3, 2, 1, 0
MAX_AFFINITY = STRONG
DISCIPLINE_BAND: dict[str, str] = {slug: band for slug, _name, band, _desc in DISCIPLINES}

# (from discipline, to discipline) -> (affinity, why). Same discipline: STRONG; otherwise same
# band: SOME; pairs not listed and in different bands: NONE.
AFFINITIES: dict[tuple[str, str], tuple[int, str]] = {
    ("training-delivery", "coaching-mentoring"): (
        STRONG,
        "Trainers already help people learn face to face; coaching does it in the flow of work.",
    ),
    ("training-delivery", "knowledge-management"): (
        GOOD,
        "Trainers know the subject and where people struggle: the heart of curating knowledge.",
    ),
    ("training-delivery", "community-management"): (
        GOOD,
        "Facilitating a room is close to facilitating a community of practice.",
    ),
    ("training-delivery", "internal-communications"): (
        SOME,
        "Presenting and storytelling carry over to internal communications.",
    ),
    ("training-delivery", "organisation-design"): (
        SOME,
        "Training needs analysis is the first step of performance consulting.",
    ),
    ("training-delivery", "learning-technology"): (
        SOME,
        "Trainers who run virtual classrooms know the platforms from the user's side.",
    ),
    ("instructional-design", "knowledge-management"): (
        STRONG,
        "Designers structure knowledge for learners; knowledge management structures it for work.",
    ),
    ("instructional-design", "organisation-design"): (
        STRONG,
        "Needs analysis and performance consulting lead to redesigning the work itself.",
    ),
    ("instructional-design", "learning-technology"): (
        SOME,
        "Designers of digital journeys know the platforms.",
    ),
    ("instructional-design", "internal-communications"): (
        SOME,
        "Clear writing for learners is clear writing for everyone.",
    ),
    ("elearning-development", "learning-technology"): (
        STRONG,
        "eLearning developers already build on the platforms; learning technology puts them "
        "in the workflow.",
    ),
    ("elearning-development", "social-technology"): (
        GOOD,
        "Configuring tools and digital fluency carry over to collaboration platforms.",
    ),
    ("elearning-development", "knowledge-management"): (
        SOME,
        "Producing content leads naturally to curating it.",
    ),
    ("elearning-development", "internal-communications"): (
        SOME,
        "Media production serves internal campaigns.",
    ),
    ("community-management", "social-technology"): (
        GOOD,
        "Community managers live on the social tools they would then run.",
    ),
    ("community-management", "knowledge-management"): (
        GOOD,
        "Communities of practice are where knowledge is shared first.",
    ),
    ("social-technology", "learning-technology"): (GOOD, "Platform skills carry over."),
    ("social-technology", "community-management"): (
        GOOD,
        "Running the network is half of running its communities.",
    ),
    ("internal-communications", "community-management"): (
        GOOD,
        "Both bring people and stories together.",
    ),
    ("internal-communications", "knowledge-management"): (
        SOME,
        "Editing stories is close to curating knowledge.",
    ),
    ("coaching-mentoring", "organisation-design"): (
        SOME,
        "Coaches see where the system holds people back.",
    ),
    ("knowledge-management", "community-management"): (
        SOME,
        "Knowledge flows through communities.",
    ),
    ("learning-technology", "social-technology"): (GOOD, "Platform skills carry over."),
    ("organisation-design", "coaching-mentoring"): (
        SOME,
        "Performance consultants already coach managers.",
    ),
}


def affinity(from_discipline: str, to_discipline: str) -> int:
    """How naturally people of one discipline reskill into another: 3 strong ... 0 none."""
    if from_discipline == to_discipline:
        return STRONG
    listed = AFFINITIES.get((from_discipline, to_discipline))
    if listed is not None:
        return listed[0]
    same_band = DISCIPLINE_BAND.get(from_discipline) == DISCIPLINE_BAND.get(to_discipline)
    return SOME if same_band and from_discipline in DISCIPLINE_BAND else NONE


def affinity_reason(from_discipline: str, to_discipline: str) -> str:
    """One line saying why a move between these disciplines is natural (or not)."""
    if from_discipline == to_discipline:
        return "Same discipline: the craft carries over whole."
    listed = AFFINITIES.get((from_discipline, to_discipline))
    if listed is not None:
        return listed[1]
    if affinity(from_discipline, to_discipline) == SOME:
        return "Same band of the model: related ways of helping people learn."
    return "No particular affinity: the move needs the most support."


class RoadmapError(ValueError):
    """A roadmap cannot be built from these inputs; `field` names the input to change."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.message = message


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


@dataclass(frozen=True, slots=True)
class Transition:
    """One scheduled step: a move, a hire (no from role) or an exit (no to role)."""

    kind: str
    from_role_id: int | None
    to_role_id: int | None
    fte: Decimal
    quarter: int
    effective_date: date
    affinity: int | None = None


@dataclass(frozen=True, slots=True)
class Roadmap:
    start: date
    first_quarter: date
    max_fte_per_quarter: Decimal
    transitions: tuple[Transition, ...]
    quarters: int  # quarters holding moves (at least 1)
    moved_fte: Decimal = Decimal(0)
    hired_fte: Decimal = Decimal(0)
    exited_fte: Decimal = Decimal(0)


# --- units and dates -----------------------------------------------------------------------


def to_units(value: Decimal, what: str = "fte") -> int:
    """FTE as whole tenths; anything finer, negative or not finite is refused."""
    if not isinstance(value, Decimal) or not value.is_finite() or value < 0:
        raise RoadmapError(what, f"{value} is not an FTE of zero or more.")
    units = value / TENTH
    if units != units.to_integral_value():
        raise RoadmapError(what, f"{value} is not in steps of 0.1 FTE.")
    return int(units)


def from_units(units: int) -> Decimal:
    return (Decimal(units) * TENTH).quantize(TENTH)


def first_quarter_start(start: date) -> date:
    """The first day of the first calendar quarter starting on or after `start`."""
    quarter_month = 3 * ((start.month - 1) // 3) + 1
    if start.day == 1 and start.month == quarter_month:
        return start
    return add_quarters(date(start.year, quarter_month, 1), 1)


def add_quarters(day: date, quarters: int) -> date:
    """The same day of the month `quarters` quarters later (day is a quarter's first day)."""
    months = day.year * 12 + (day.month - 1) + 3 * quarters
    return date(months // 12, months % 12 + 1, day.day)


def quarter_label(day: date) -> str:
    """`2026 Q2` for any day of April-June 2026."""
    return f"{day.year} Q{(day.month - 1) // 3 + 1}"


# --- matching ------------------------------------------------------------------------------


def _role_order(change: RoleChange) -> tuple:
    return (change.title.casefold(), change.role_id)


def match(changes: Sequence[RoleChange]) -> list[Move]:
    """Match released FTE to needed FTE: most FTE moved, then most affinity, then least pay
    change, then role order (see the module docstring). Returns one Move per (from, to) pair."""
    releasing = sorted((c for c in changes if c.reduction > 0), key=_role_order)
    needing = sorted((c for c in changes if c.increase > 0), key=_role_order)
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


def _transport(supply: list[int], demand: list[int], cost: list[list[int]]) -> list[list[int]]:
    """Min-cost max-flow of a complete bipartite transportation problem (non-negative costs).

    Successive shortest paths with Dijkstra on reduced costs (potentials), dense O(V²) per path.
    Node 0 is the source, 1..n the suppliers, n+1..n+m the consumers, n+m+1 the sink.
    """
    n, m = len(supply), len(demand)
    size = n + m + 2
    source, sink = 0, n + m + 1
    capacity = [[0] * size for _ in range(size)]
    weight = [[0] * size for _ in range(size)]
    infinite = sum(supply)
    for i in range(n):
        capacity[source][1 + i] = supply[i]
        for j in range(m):
            capacity[1 + i][1 + n + j] = infinite
            weight[1 + i][1 + n + j] = cost[i][j]
            weight[1 + n + j][1 + i] = -cost[i][j]
    for j in range(m):
        capacity[1 + n + j][sink] = demand[j]
    potential = [0] * size
    flow_total, target = 0, min(sum(supply), sum(demand))
    while flow_total < target:
        distance: list[int | None] = [None] * size
        previous = [-1] * size
        done = [False] * size
        distance[source] = 0
        while True:
            node, best = -1, None
            for candidate in range(size):
                value = distance[candidate]
                if not done[candidate] and value is not None and (best is None or value < best):
                    node, best = candidate, value
            if node < 0:
                break
            done[node] = True
            for other in range(size):
                if capacity[node][other] > 0 and not done[other]:
                    reduced = best + weight[node][other] + potential[node] - potential[other]
                    if distance[other] is None or reduced < distance[other]:
                        distance[other] = reduced
                        previous[other] = node
        if distance[sink] is None:  # cannot happen on a complete bipartite network
            break
        for node in range(size):
            if distance[node] is not None:
                potential[node] += distance[node]
        push, node = target - flow_total, sink
        while node != source:
            push = min(push, capacity[previous[node]][node])
            node = previous[node]
        node = sink
        while node != source:
            capacity[previous[node]][node] -= push
            capacity[node][previous[node]] += push
            node = previous[node]
        flow_total += push
    return [[infinite - capacity[1 + i][1 + n + j] for j in range(m)] for i in range(n)]


# --- schedule ------------------------------------------------------------------------------


def build_roadmap(
    changes: Iterable[RoleChange], *, start: date, max_fte_per_quarter: Decimal
) -> Roadmap:
    """Match and schedule the transitions taking a plan from its current to its planned FTE."""
    changes = list(changes)
    if len({change.role_id for change in changes}) != len(changes):
        raise RoadmapError("lines", "Each role may appear only once.")
    cap = to_units(max_fte_per_quarter, "max_fte_per_quarter")
    if cap <= 0:
        raise RoadmapError("max_fte_per_quarter", "Give a positive FTE per quarter, e.g. 2.")
    for change in changes:
        to_units(change.current_fte)
        to_units(change.planned_fte)
    by_id = {change.role_id: change for change in changes}
    moves = match(changes)
    moved = sum(to_units(move.fte) for move in moves)
    quarters = max(1, math.ceil(moved / cap))
    if quarters > MAX_QUARTERS:
        least = from_units(math.ceil(moved / MAX_QUARTERS))
        raise RoadmapError(
            "max_fte_per_quarter",
            f"At {max_fte_per_quarter} FTE a quarter the {from_units(moved)} FTE of moves take "
            f"{quarters} quarters; give at least {least} to finish within {MAX_QUARTERS} "
            "quarters.",
        )
    try:
        first = first_quarter_start(start)
        dates = [add_quarters(first, index) for index in range(quarters)]
    except (ValueError, OverflowError):
        raise RoadmapError("start", "Give a start date well before the year 9990.") from None

    transitions: list[Transition] = []
    ordered = sorted(
        moves,
        key=lambda move: (
            -move.affinity,
            -move.fte,
            _role_order(by_id[move.from_role_id]),
            _role_order(by_id[move.to_role_id]),
        ),
    )
    quarter, room = 1, cap
    for move in ordered:
        left = to_units(move.fte)
        while left:
            if room == 0:
                quarter, room = quarter + 1, cap
            part = min(left, room)
            transitions.append(
                Transition(
                    kind=MOVE,
                    from_role_id=move.from_role_id,
                    to_role_id=move.to_role_id,
                    fte=from_units(part),
                    quarter=quarter,
                    effective_date=dates[quarter - 1],
                    affinity=move.affinity,
                )
            )
            left -= part
            room -= part
    moved_out = {change.role_id: 0 for change in changes}
    moved_in = dict(moved_out)
    for move in moves:
        moved_out[move.from_role_id] += to_units(move.fte)
        moved_in[move.to_role_id] += to_units(move.fte)
    hired = exited = 0
    for change in sorted(changes, key=_role_order):
        still_needed = to_units(change.increase) - moved_in[change.role_id]
        if still_needed > 0:
            hired += still_needed
            transitions.append(
                Transition(HIRE, None, change.role_id, from_units(still_needed), 1, dates[0])
            )
        still_leaving = to_units(change.reduction) - moved_out[change.role_id]
        if still_leaving > 0:
            exited += still_leaving
            transitions.append(
                Transition(
                    EXIT, change.role_id, None, from_units(still_leaving), quarters, dates[-1]
                )
            )
    transitions.sort(key=lambda t: (t.quarter, KINDS.index(t.kind)))
    return Roadmap(
        start=start,
        first_quarter=first,
        max_fte_per_quarter=max_fte_per_quarter,
        transitions=tuple(transitions),
        quarters=quarters,
        moved_fte=from_units(moved),
        hired_fte=from_units(hired),
        exited_fte=from_units(exited),
    )


# --- learning-network plans (F-T-D-A-O-R) --------------------------------------------------

# Per target discipline: Focus on your goals, Target the people you need, Define how you can
# make them successful, Align your efforts to that, plan your Outreach, constantly Renew.
# "{opening}" becomes "From Trainer to Coach" for a move, "As a new Coach" for a hire.
LEARNING_PLANS: dict[str, dict[str, str]] = {
    "knowledge-management": {
        "focus": "{opening}: within two quarters, run one team's knowledge base so that its "
        "people find answers in minutes, not days.",
        "target": "The team's go-to experts (the people everyone already asks), the owners of "
        "the main work systems, the knowledge management lead, and two knowledge managers in "
        "other companies met through a KM community.",
        "define": "Experts succeed when they are asked the same question less often: offer to "
        "capture their answers once, credit them by name and spare them the repeats.",
        "align": "Pick the ten questions the team asks most; turn each into a findable answer "
        "with its expert within a month, and report the time saved to their managers.",
        "outreach": "A 30-minute conversation with each expert in the first four weeks; join "
        "one external KM community and post what you learn in the team's channel.",
        "renew": "Every quarter: thank contributors in public, retire stale pages, add the "
        "newest experts; meet the external peers twice a year.",
    },
    "organisation-design": {
        "focus": "{opening}: within two quarters, diagnose one performance problem and fix the "
        "role, process or measure behind it, not the course.",
        "target": "HR business partners, the managers of the teams you serve, the owner of "
        "rewards and recognition, finance's performance analyst, and a senior organisation "
        "design consultant as mentor.",
        "define": "Managers succeed when their team's results improve: offer each a quick "
        "diagnosis of one problem they care about, with the data to make the case upwards.",
        "align": "Agree one measurable result with each manager before changing anything; "
        "bring HR into every change to roles, rewards or measures so that it sticks.",
        "outreach": "Shadow the mentor on two engagements in the first quarter; meet each HR "
        "partner monthly; present the first diagnosis at a management meeting.",
        "renew": "Every quarter, check with each manager whether the change held; share the "
        "case with the L&D team and refresh the list of sponsors as people move.",
    },
    "learning-technology": {
        "focus": "{opening}: within two quarters, put one learning resource inside a work tool "
        "people use daily (the CRM, the ticket system, the intranet).",
        "target": "IT's integration and security owners, the administrators of the main work "
        "systems, the platform vendor's customer success contact, and five power users from "
        "the business.",
        "define": "IT succeeds when integrations are secure and supportable: offer clean "
        "requirements, test scripts and first-line support; power users succeed when their "
        "tools get easier.",
        "align": "Follow IT's change process from day one; pilot with the power users and fix "
        "what they report within the sprint.",
        "outreach": "Meet IT's architects in the first week; a fortnightly 30-minute check-in "
        "with the power users; join the vendor's user group.",
        "renew": "Every quarter, share usage data with IT and the business owners, retire what "
        "nobody uses and recruit new power users.",
    },
    "social-technology": {
        "focus": "{opening}: within two quarters, make the enterprise social network the place "
        "where one business unit asks and answers its work questions.",
        "target": "The network's administrators, the internal communications lead, a dozen "
        "active posters in the business, and the managers whose teams should join.",
        "define": "Active posters succeed when their help is seen: offer public recognition "
        "and quick fixes to what annoys them in the tool.",
        "align": "Set up groups around real work, not around L&D; make sure every question is "
        "answered within a day for the first three months.",
        "outreach": "Meet each active poster in the first month; run a 20-minute 'working out "
        "loud' session in two team meetings a quarter.",
        "renew": "Monthly, look at who asks and who answers and invite new helpers; every "
        "quarter, thank the regulars in public and archive dead groups.",
    },
    "community-management": {
        "focus": "{opening}: within two quarters, launch or revive one community of practice "
        "around a skill the business needs, with a sponsor and a steady rhythm.",
        "target": "A business sponsor, three to five respected practitioners willing to "
        "co-lead, a community of practice lead as mentor, and community managers in other "
        "companies.",
        "define": "Co-leads succeed when the community makes their own work easier and raises "
        "their profile: offer to do the organising, and give them visibility with the sponsor.",
        "align": "Agree the community's purpose and one result with the sponsor; let the "
        "practitioners choose the topics while you handle the logistics.",
        "outreach": "A one-to-one conversation with every co-lead before the launch; a monthly "
        "community session; a short monthly update to the sponsor.",
        "renew": "Every quarter, ask members what to keep and what to drop, rotate co-leads "
        "before they tire, and bring in new members through each co-lead's network.",
    },
    "internal-communications": {
        "focus": "{opening}: within two quarters, tell the stories of people learning and "
        "sharing at work so that new ideas reach the whole organisation.",
        "target": "The internal communications lead, the editors of the intranet and "
        "newsletters, team leaders with good stories, and the executives' speech writers.",
        "define": "Editors succeed with stories people read: offer a steady supply of real, "
        "checked stories from the work, ready to publish.",
        "align": "Fit the stories to the communications calendar and the company's priorities; "
        "let each storyteller review before publishing.",
        "outreach": "Join the communications team's weekly meeting; meet two team leaders a "
        "week in the first two months to collect stories.",
        "renew": "Every quarter, review what was read and shared, thank the storytellers in "
        "public, and refresh the list of sources as teams change.",
    },
    "coaching-mentoring": {
        "focus": "{opening}: within two quarters, coach people and teams on real problems in "
        "the flow of their work, in a supervised coaching practice.",
        "target": "An experienced coach as your own coach and supervisor, the managers of the "
        "teams you will serve, HR for the mentoring programme, and a coaching peer group.",
        "define": "Managers succeed when their people grow on the job: offer coaching on a real "
        "problem of their team and a short, confidential note on progress.",
        "align": "Agree each engagement's goal with the coachee and their manager; log the "
        "practice hours and supervision a coaching qualification asks for.",
        "outreach": "Fortnightly sessions with your own coach; meet each manager before "
        "starting with their team; join an internal or external coaching peer group.",
        "renew": "Every quarter, review outcomes with the managers, take new coachees through "
        "them, and renew your supervision and peer group.",
    },
    "training-delivery": {
        "focus": "{opening}: within two quarters, deliver the formal courses that remain in "
        "less time, blended with practice on the job.",
        "target": "Subject-matter experts, the managers who send people to courses, other "
        "trainers in a train-the-trainer circle, and the instructional designers.",
        "define": "Managers succeed when people apply the course at work: offer follow-up on "
        "the job and a short note of what changed.",
        "align": "Cut every course to what people will use in their next month of work; agree "
        "the follow-up with each manager before the course.",
        "outreach": "Meet each sending manager before the first run; join the trainers' circle "
        "monthly.",
        "renew": "Every quarter, retire a course nobody needs and refresh the network of "
        "experts and managers.",
    },
    "instructional-design": {
        "focus": "{opening}: within two quarters, design the few formal programmes that must "
        "remain (compliance, safety, onboarding) short and close to the work.",
        "target": "Compliance and legal owners, subject-matter experts, the eLearning "
        "developers, and a senior instructional designer as reviewer.",
        "define": "Compliance owners succeed when audits pass with little disruption: offer "
        "short, evidence-ready programmes and clear completion data.",
        "align": "Start each design from the performance needed and the audit requirement; "
        "review drafts with the experts in short cycles.",
        "outreach": "Meet each compliance owner in the first month; a design review with the "
        "senior designer every fortnight.",
        "renew": "Every quarter, check the programmes against rule changes and learner data, "
        "and thank the experts who helped.",
    },
    "elearning-development": {
        "focus": "{opening}: within two quarters, build short digital resources people use at "
        "the moment of need.",
        "target": "The learning technologists, the platform owners, subject-matter experts and "
        "an eLearning developer community outside the company.",
        "define": "Experts succeed when they are not asked the same questions again: offer fast, "
        "good-looking resources built from their answers.",
        "align": "Build small, test with five users, and publish where people already work.",
        "outreach": "A weekly stand-up with the learning technologists; share work in progress "
        "in the developer community every month.",
        "renew": "Every quarter, retire resources nobody opened and ask the experts what to "
        "build next.",
    },
}
GENERIC_LEARNING_PLAN: dict[str, str] = {
    "focus": "{opening}: agree with your manager what you must be able to do, and by when.",
    "target": "Two or three people who already do this work well, inside or outside the "
    "company, and the managers of the teams you will serve.",
    "define": "Ask each what would make their work easier, and offer that in return for their "
    "help.",
    "align": "Put your learning into real work from the first month, with one of them "
    "reviewing it.",
    "outreach": "Meet each of them in the first month, then monthly.",
    "renew": "Every quarter, review who helped, thank them and add the people you now need.",
}


def learning_plan_prefill(
    kind: str, *, from_title: str | None, to_title: str | None, to_discipline: str | None
) -> dict[str, str]:
    """The six F-T-D-A-O-R fields for a transition, from its target discipline.

    A move and a hire get the target discipline's plan; an exit has no target role and gets
    empty fields.
    """
    if kind == EXIT or not to_title:
        return dict.fromkeys(LEARNING_PLAN_FIELDS, "")
    opening = f"From {from_title} to {to_title}" if from_title else f"As a new {to_title}"
    texts = LEARNING_PLANS.get(to_discipline or "", GENERIC_LEARNING_PLAN)
    return {name: texts[name].format(opening=opening) for name in LEARNING_PLAN_FIELDS}


# --- timeline drawing (geometry only; the template draws the SVG) --------------------------


@dataclass(frozen=True, slots=True)
class TimelineItem:
    """A transition as the timeline needs it."""

    kind: str
    label: str  # "Trainer → Coach", "Hire: Coach", "Exit: Trainer"
    fte: Decimal
    quarter: int
    band: str = ""


@dataclass(frozen=True, slots=True)
class TimelineBar:
    x: int
    y: int
    width: int
    height: int
    fte: Decimal
    kind: str
    band: str
    text_x: int
    text_y: int


@dataclass(frozen=True, slots=True)
class TimelineRow:
    label: str
    y: int
    text_y: int
    bars: tuple[TimelineBar, ...]


@dataclass(frozen=True, slots=True)
class TimelineColumn:
    x: int
    width: int
    label: str
    text_x: int
    moved: Decimal


@dataclass(frozen=True, slots=True)
class Timeline:
    width: int
    height: int
    label_width: int
    header_height: int
    columns: tuple[TimelineColumn, ...]
    rows: tuple[TimelineRow, ...]


def timeline_layout(
    items: Sequence[TimelineItem],
    quarter_labels: Sequence[str],
    *,
    label_width: int = 300,
    column_width: int = 110,
    row_height: int = 30,
    header_height: int = 44,
) -> Timeline:
    """Coordinates of a quarter-by-quarter timeline: one row per (kind, label), one column per
    quarter; a bar sits in the row of its transition and the column of its quarter."""
    labels: list[tuple[str, str]] = []
    for item in items:
        if (item.kind, item.label) not in labels:
            labels.append((item.kind, item.label))
    labels.sort(key=lambda pair: KINDS.index(pair[0]))  # stable: moves, then hires, exits
    columns = tuple(
        TimelineColumn(
            x=label_width + index * column_width,
            width=column_width,
            label=label,
            text_x=label_width + index * column_width + column_width // 2,
            moved=sum(
                (i.fte for i in items if i.kind == MOVE and i.quarter == index + 1), Decimal(0)
            ),
        )
        for index, label in enumerate(quarter_labels)
    )
    rows = []
    for index, (kind, label) in enumerate(labels):
        y = header_height + index * row_height
        bars = tuple(
            TimelineBar(
                x=columns[item.quarter - 1].x + 4,
                y=y + 4,
                width=column_width - 8,
                height=row_height - 8,
                fte=item.fte,
                kind=item.kind,
                band=item.band,
                text_x=columns[item.quarter - 1].text_x,
                text_y=y + row_height // 2 + 5,
            )
            for item in items
            if (item.kind, item.label) == (kind, label) and 0 < item.quarter <= len(columns)
        )
        rows.append(TimelineRow(label=label, y=y, text_y=y + row_height // 2 + 5, bars=bars))
    return Timeline(
        width=label_width + column_width * max(len(columns), 1),
        height=header_height + row_height * max(len(rows), 1) + 8,
        label_width=label_width,
        header_height=header_height,
        columns=columns,
        rows=tuple(rows),
    )
