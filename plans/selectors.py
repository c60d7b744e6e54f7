"""Reads of plans, scoped to what a user may see, and "fetch" of the inputs of the maths.

The fetch functions load rows into the frozen dataclasses of `plans.domain` in a fixed number of
queries, whatever the number of plans or lines.
"""

import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from django.db import connection
from django.db.models import Q, QuerySet

from l_and_d_planner import prepared
from l_and_d_planner.tabular import title_key
from plans.domain import readiness, roadmap, scoring, staffing
from plans.domain.staffing import PlanStaffing
from plans.domain.types import LineInput, PlanScore, TargetInput
from plans.models import (
    BUILT_IN_MODEL_NAME,
    Plan,
    PlanLine,
    PlanStatus,
    PlanStatusChange,
    ReadinessAnswer,
    Roadmap,
    RoadmapTransition,
    TargetModel,
)
from roles.bands import Band
from roles.models import (
    REFERENCE_FIELDS,
    Benchmark,
    Discipline,
    Membership,
    Organization,
    Role,
    band_split_fractions,
)
from roles.selectors import catalog_for_organization, organization_ids_for, role_titles_by_id

MAX_ID = 2**63 - 1  # beyond a 64-bit id nothing can match (and SQLite cannot compare it)
SQL_BATCH = 500  # ids per statement (SQLite allows 999 parameters)
ONE_PLAN = " AND p.id = %s"
_LINES_SQL = (
    "SELECT l.plan_id, l.id, l.role_id, r.title, r.band_split, d.band, d.name, r.annual_cost,"
    " l.cost_override, l.current_fte, l.planned_fte, l.locked"
    f" FROM {PlanLine._meta.db_table} l"
    f" JOIN {Role._meta.db_table} r ON r.id = l.role_id"
    f" JOIN {Discipline._meta.db_table} d ON d.id = r.discipline_id"
    " WHERE l.plan_id IN ({ids}) ORDER BY l.plan_id, l.id"
)


# The organization's reference benchmarks ride along wherever a plan's organization is selected,
# so the staffing of a score needs no query of its own.
ORGANIZATION_REFERENCES = tuple(f"organization__{field}" for field in REFERENCE_FIELDS.values())


def plans_visible_to(user) -> QuerySet[Plan]:
    """Plans of the user's organizations (with what their pages show selected)."""
    return Plan.objects.filter(organization_id__in=organization_ids_for(user)).select_related(
        "organization", "target_model", "created_by", "updated_by", *ORGANIZATION_REFERENCES
    )


def target_models_visible_to(user) -> QuerySet[TargetModel]:
    return TargetModel.objects.filter(
        Q(organization__isnull=True) | Q(organization_id__in=organization_ids_for(user))
    )


def built_in_target_model() -> TargetModel:
    return TargetModel.objects.filter(organization__isnull=True, name=BUILT_IN_MODEL_NAME).first()


def target_input(target_model: TargetModel) -> TargetInput:
    return TargetInput(
        targets=target_model.targets,
        tolerance=target_model.tolerance_points / 100,
        name=target_model.name,
        id=target_model.id,
    )


@lru_cache(maxsize=1024)
def _split_fractions(band_split_text: str | None, discipline_band: str) -> dict[Band, Decimal]:
    """Fractions per band of a stored split, parsed once per distinct (split, band).

    Thousands of lines share a handful of splits (most are `{}`), so the JSON is fetched as text
    and decoded here once instead of once a row. The dict is shared: nobody mutates it.
    """
    return band_split_fractions(json.loads(band_split_text or "{}"), discipline_band)


def _line_input(row: tuple) -> LineInput:
    (
        _plan_id,
        line_id,
        role_id,
        title,
        band_split,
        discipline_band,
        discipline_name,
        role_cost,
        cost_override,
        current_fte,
        planned_fte,
        locked,
    ) = row
    return LineInput(
        role_id=role_id,
        title=title,
        band_split=_split_fractions(band_split, discipline_band),
        current_fte=current_fte,
        planned_fte=planned_fte,
        annual_cost=cost_override if cost_override is not None else role_cost,
        locked=locked,
        line_id=line_id,
        discipline=discipline_name,
    )


def line_input_from_role(role, values: dict, line_id: int | None = None) -> LineInput:
    """A LineInput for the maths from a role and a row's values (saved or unsaved)."""
    override = values.get("cost_override")
    return LineInput(
        role_id=role.id,
        title=role.title,
        band_split=band_split_fractions(role.band_split, role.discipline.band),
        current_fte=values.get("current_fte") or Decimal(0),
        planned_fte=values.get("planned_fte") or Decimal(0),
        annual_cost=override if override is not None else role.annual_cost,
        locked=bool(values.get("locked")),
        line_id=line_id,
        discipline=role.discipline.name,
    )


def plan_line_inputs(plan_ids: Iterable[int]) -> dict[int, list[LineInput]]:
    """Every line of the given plans, as LineInputs, in one query (per 500 plans).

    The score read is the API's hot path and the ORM spends far longer compiling this join
    than the database spends running it, so it is written out once (`_LINES_SQL`); the result
    is the same LineInputs the ORM version built (tests compare the two on both databases).
    """
    by_plan: dict[int, list[LineInput]] = defaultdict(list)
    ids = list(plan_ids)
    with connection.cursor() as cursor:
        for start in range(0, len(ids), SQL_BATCH):
            batch = ids[start : start + SQL_BATCH]
            sql = _LINES_SQL.format(ids=", ".join(["%s"] * len(batch)))
            if len(batch) == 1:  # one plan: the score read, planned once per connection
                prepared.execute(cursor, "lnd_plan_lines", sql, batch)
            else:
                cursor.execute(sql, batch)
            for row in cursor.fetchall():
                by_plan[row[0]].append(_line_input(_line_row(row)))
    return by_plan


def _number(value) -> Decimal | None:
    """A number as the database returned it: PostgreSQL a Decimal, SQLite an int or a float
    (whose shortest repr is the stored decimal, for these few digits)."""
    if value is None or isinstance(value, Decimal):
        return value
    return Decimal(str(value))


def _line_row(row: tuple) -> tuple:
    """A `_LINES_SQL` row with its numbers as Decimals and its split as JSON text."""
    plan_id, line_id, role_id, title, split, band, name, *numbers, locked = row
    if split is not None and not isinstance(split, str):
        split = json.dumps(split)
    numbers = [_number(value) for value in numbers]  # cost, override, current, planned
    return (plan_id, line_id, role_id, title, split, band, name, *numbers, bool(locked))


def plan_lines(plan: Plan) -> QuerySet[PlanLine]:
    return plan.lines.select_related("role__discipline").order_by("id")


def plan_visible(user, plan_id: int) -> Plan | None:
    """The plan if the user belongs to its organization, else None (the caller answers 404)."""
    return plans_visible_to(user).filter(pk=plan_id).first()


def plans_by_ids(user, plan_ids: Iterable[int]) -> dict[int, Plan]:
    return {plan.id: plan for plan in plans_visible_to(user).filter(id__in=list(plan_ids))}


def organization_plans(user, organization_id: int | None) -> QuerySet[Plan]:
    """The plans of one of the user's organizations (none for None)."""
    if organization_id is None:
        return Plan.objects.none()
    return plans_visible_to(user).filter(organization_id=organization_id)


def plan_fresh(plan_id: int) -> Plan:
    """The plan as stored now (after a conflict), with what its pages show."""
    return Plan.objects.select_related(
        "organization", "target_model", "created_by", "updated_by", *ORGANIZATION_REFERENCES
    ).get(pk=plan_id)


def plan_for_update(plan_id: int) -> Plan:
    """The plan, row-locked until the transaction ends (one SELECT … FOR UPDATE)."""
    return (
        Plan.objects.select_for_update(of=("self",))
        .select_related("organization", "target_model")
        .get(pk=plan_id)
    )


def target_models_for_organization(user, organization_id: int) -> QuerySet[TargetModel]:
    """Built-in models and the organization's own, for a plan's settings."""
    return target_models_visible_to(user).filter(
        Q(organization__isnull=True) | Q(organization_id=organization_id)
    )


def plan_history_records(plan_id: int) -> tuple[list, list, dict[int, str]]:
    """The plan's own history, its lines' history, and the titles of the roles named."""
    plan_records = list(
        Plan.history.filter(id=plan_id).select_related("history_user").order_by("history_date")
    )
    line_records = list(
        PlanLine.history.filter(plan_id=plan_id)
        .select_related("history_user")
        .order_by("id", "history_date", "history_id")
    )
    role_titles = role_titles_by_id({record.role_id for record in line_records})
    return plan_records, line_records, role_titles


# --- scores: fetch, then compute ---------------------------------------------------------


@dataclass(frozen=True)
class PlanScoreResult:
    """A plan's score with the plan and target model it was computed for, and the size of each
    column against the organization's reference benchmarks (DESIGN §10)."""

    plan: Plan
    target_model: TargetModel
    score: PlanScore
    staffing: PlanStaffing | None = None


def benchmark_reference(benchmark: Benchmark) -> staffing.Reference:
    return staffing.Reference(
        id=benchmark.id,
        name=benchmark.name,
        metric=benchmark.metric,
        value=benchmark.value,
        year=benchmark.year,
        source=benchmark.source,
        source_url=benchmark.source_url,
        low=benchmark.low,
        high=benchmark.high,
        currency=benchmark.currency,
    )


def staffing_input(plan: Plan) -> staffing.StaffingInput:
    """Who the plan's department serves and what it is compared with: the plan's
    `employees_served`, else its organization's `employees`, and the organization's active
    reference per metric. No query when the references were selected with the organization
    (`ORGANIZATION_REFERENCES`, or the score read's hand-written join)."""
    organization = plan.organization
    employees = plan.employees_served or organization.employees
    references = tuple(
        benchmark_reference(benchmark)
        for benchmark in organization.references().values()
        if benchmark is not None and benchmark.active
    )
    return staffing.StaffingInput(
        employees=employees,
        currency=organization.currency,
        exchange_currency=organization.exchange_currency or "",
        exchange_rate=organization.exchange_rate,
        references=references,
    )


def plan_staffing(plan: Plan, score: PlanScore) -> PlanStaffing:
    """The size of both columns of a scored plan."""
    return staffing.plan_staffing(score, staffing_input(plan))


def plans_score(plans: list[Plan]) -> list[PlanScoreResult]:
    """Score many plans in one query for their lines (plans need `target_model` selected, and
    their organization with its references to size them without more queries)."""
    lines = plan_line_inputs(plan.id for plan in plans)
    results = []
    for plan in plans:
        score = scoring.score_plan(lines.get(plan.id, []), target_input(plan.target_model))
        results.append(
            PlanScoreResult(
                plan=plan,
                target_model=plan.target_model,
                score=score,
                staffing=plan_staffing(plan, score),
            )
        )
    return results


def staffing_implied_fte(plan: Plan) -> Decimal | None:
    """The FTE the organization's default reference implies for the plan's employees (the
    employees-per-FTE reference first, then per 1,000, then spend at the planned column's
    cost per FTE), or None when nothing can be implied. One query for the lines when the
    plan's organization came with its references."""
    result = plan_score(plan)
    return staffing.default_implied_fte(result.staffing.planned)


def plan_score(plan: Plan) -> PlanScoreResult:
    return plans_score([plan])[0]


@dataclass(frozen=True)
class ScoreFetch:
    """A score read: the plan's score and its overall readiness score (None: unanswered)."""

    result: PlanScoreResult
    readiness: Decimal | None


_BENCHMARK_COLUMNS = (
    "id",
    "name",
    "source",
    "source_url",
    "year",
    "metric",
    "value",
    "low",
    "high",
    "currency",
    "active",
)
# One LEFT JOIN per metric: the organization's reference benchmarks come with the plan.
_REFERENCE_ALIASES = {field: f"b{index}" for index, field in enumerate(REFERENCE_FIELDS.values())}
_REFERENCE_SELECT = "".join(
    f", {', '.join(f'{alias}.{column}' for column in _BENCHMARK_COLUMNS)}"
    for alias in _REFERENCE_ALIASES.values()
)
_REFERENCE_JOINS = "".join(
    f" LEFT JOIN {Benchmark._meta.db_table} {alias} ON {alias}.id = o.{field}_id"
    for field, alias in _REFERENCE_ALIASES.items()
)
_CALLER_PLANS_SQL = (
    "SELECT p.id, p.name, p.organization_id, p.status, p.version, p.target_model_id, m.role,"
    " o.name, o.currency, t.name, t.organization_id, t.experiential_percent, t.social_percent,"
    " t.formal_percent, t.tolerance_points,"
    f" (SELECT SUM(a.answer) FROM {ReadinessAnswer._meta.db_table} a"
    "  WHERE a.plan_id = p.id AND a.code IN ({codes})),"
    f" (SELECT COUNT(*) FROM {ReadinessAnswer._meta.db_table} a"
    "  WHERE a.plan_id = p.id AND a.code IN ({codes})),"
    " p.employees_served, o.employees, o.exchange_currency, o.exchange_rate"
    f"{_REFERENCE_SELECT}"
    f" FROM {Plan._meta.db_table} p"
    f" JOIN {Membership._meta.db_table} m ON m.organization_id = p.organization_id"
    f" JOIN {Organization._meta.db_table} o ON o.id = p.organization_id"
    f" JOIN {TargetModel._meta.db_table} t ON t.id = p.target_model_id"
    f"{_REFERENCE_JOINS}"
    " WHERE m.user_id = %s{where} ORDER BY p.id"
)
_CALLER_PLAN_COLUMNS = 21  # the columns before the reference benchmarks'


def _benchmark_from_row(values: Sequence) -> Benchmark | None:
    """A Benchmark from its `_BENCHMARK_COLUMNS` (None when the LEFT JOIN found none)."""
    if values[0] is None:
        return None
    fields = dict(zip(_BENCHMARK_COLUMNS, values, strict=True))
    for name in ("value", "low", "high"):
        fields[name] = _number(fields[name])
    fields["active"] = bool(fields["active"])
    return Benchmark(**fields)


def _attach_references(organization: Organization, values: Sequence) -> None:
    """Set the organization's reference benchmarks from a `_CALLER_PLANS_SQL` row's tail."""
    width = len(_BENCHMARK_COLUMNS)
    for index, field in enumerate(REFERENCE_FIELDS.values()):
        setattr(
            organization, field, _benchmark_from_row(values[index * width : (index + 1) * width])
        )


def _caller_plan(row: tuple) -> Plan:
    """A Plan (with organization and target model) from a `_CALLER_PLANS_SQL` row.

    It carries `caller_role`, which `roles.permissions` reads instead of querying the
    memberships again, and the totals of its readiness answers.
    """
    (plan_id, name, organization_id, status, version, target_id, role) = row[:7]
    (org_name, currency, target_name, target_org, experiential, social, formal) = row[7:14]
    (tolerance, readiness_total, readiness_count) = row[14:17]
    (employees_served, employees, exchange_currency, exchange_rate) = row[17:_CALLER_PLAN_COLUMNS]
    plan = Plan(
        id=plan_id,
        name=name,
        organization_id=organization_id,
        status=status,
        version=version,
        target_model_id=target_id,
        employees_served=employees_served,
    )
    plan.organization = Organization(
        id=organization_id,
        name=org_name,
        currency=currency,
        employees=employees,
        exchange_currency=exchange_currency,
        exchange_rate=_number(exchange_rate),
    )
    _attach_references(plan.organization, row[_CALLER_PLAN_COLUMNS:])
    plan.target_model = TargetModel(
        id=target_id,
        name=target_name,
        organization_id=target_org,
        experiential_percent=_number(experiential),
        social_percent=_number(social),
        formal_percent=_number(formal),
        tolerance_points=_number(tolerance),
    )
    plan.caller_role = role
    plan.readiness_total, plan.readiness_count = readiness_total, readiness_count
    return plan


def _caller_plans(user, where: str = "", params: Sequence = ()) -> list[Plan]:
    """Plans joined with the caller's own membership (visibility in the same query), with
    their organization, target model and readiness totals: one hand-written query, because
    this is the score read's hot path (see `plan_line_inputs`)."""
    if not getattr(user, "is_authenticated", False):
        return []
    codes = list(readiness.QUESTIONS_BY_CODE)
    sql = _CALLER_PLANS_SQL.format(codes=", ".join(["%s"] * len(codes)), where=where)
    with connection.cursor() as cursor:
        if where == ONE_PLAN:  # the score read, planned once per connection
            prepared.execute(cursor, "lnd_caller_plan", sql, [*codes, *codes, user.pk, *params])
        else:
            cursor.execute(sql, [*codes, *codes, user.pk, *params])
        return [_caller_plan(row) for row in cursor.fetchall()]


def _readiness_from_totals(plan: Plan) -> Decimal | None:
    if not plan.readiness_count:
        return None
    return readiness.score_from_totals(int(plan.readiness_total), plan.readiness_count)


def score_fetches(plans: list[Plan]) -> list[ScoreFetch]:
    """Scores of plans fetched by `plan_for_caller` / `_caller_plans` (one more query)."""
    return [
        ScoreFetch(result=result, readiness=_readiness_from_totals(result.plan))
        for result in plans_score(plans)
    ]


def plan_for_caller(user, plan_id) -> Plan | None:
    """One plan joined with the caller's membership, or None when the caller may not see it."""
    if not str(plan_id).isdigit() or int(plan_id) > MAX_ID:
        return None
    found = _caller_plans(user, ONE_PLAN, [int(plan_id)])
    return found[0] if found else None


def plans_score_fetch(user, filters: dict) -> list[ScoreFetch]:
    """Every plan the caller may see (filtered by organization and status), scored (two queries)."""
    where, params = "", []
    organization_id = filters.get("organization")
    if organization_id not in (None, ""):
        if int(organization_id) > MAX_ID:
            return []
        where, params = " AND p.organization_id = %s", [int(organization_id)]
    if filters.get("status"):
        where, params = f"{where} AND p.status = %s", [*params, filters["status"]]
    return score_fetches(_caller_plans(user, where, params))


# --- readiness and roadmap ---------------------------------------------------------------------
# Stored answers, readiness reports and scores, role changes, roadmaps with their transitions.


@dataclass(frozen=True)
class StoredAnswer:
    code: str
    answer: int
    note: str


@dataclass(frozen=True)
class ReadinessReport:
    """A plan's readiness: its stored answers and what the pure scoring makes of them."""

    plan: Plan
    answers: tuple[StoredAnswer, ...]
    result: readiness.ReadinessResult
    planned_shape: str | None

    @property
    def answers_by_code(self) -> dict[str, StoredAnswer]:
        return {item.code: item for item in self.answers}


def stored_answers(plan: Plan) -> tuple[StoredAnswer, ...]:
    """The plan's answers to known questions, in questionnaire order (one query)."""
    rows = ReadinessAnswer.objects.filter(plan=plan).values_list("code", "answer", "note")
    by_code = {code: StoredAnswer(code, answer, note) for code, answer, note in rows}
    return tuple(by_code[q.code] for q in readiness.QUESTIONS if q.code in by_code)


def plan_planned_shape(plan: Plan) -> str | None:
    """The shape of the plan's planned column (one query for its lines; the plan needs its
    `target_model`)."""
    lines = plan_line_inputs([plan.id]).get(plan.id, [])
    return scoring.score_plan(lines, target_input(plan.target_model)).planned.shape


_SCORE_THE_PLAN = object()


def plan_readiness(plan: Plan, *, planned_shape=_SCORE_THE_PLAN) -> ReadinessReport:
    """The plan's readiness report: two queries (answers, and lines for the planned shape).

    Pass `planned_shape` (str or None) when the caller already scored the plan, to save the
    second query.
    """
    if planned_shape is _SCORE_THE_PLAN:
        planned_shape = plan_planned_shape(plan)
    answers = stored_answers(plan)
    result = readiness.score_readiness(
        {item.code: item.answer for item in answers}, planned_shape=planned_shape
    )
    return ReadinessReport(plan=plan, answers=answers, result=result, planned_shape=planned_shape)


def plans_readiness_scores(plan_ids: Iterable[int]) -> dict[int, Decimal | None]:
    """Every given plan's overall readiness score (None: nothing answered), in one query."""
    plan_ids = list(plan_ids)
    answers: dict[int, dict[str, int]] = defaultdict(dict)
    rows = ReadinessAnswer.objects.filter(plan_id__in=plan_ids).values_list(
        "plan_id", "code", "answer"
    )
    for plan_id, code, answer in rows:
        answers[plan_id][code] = answer
    return {
        plan_id: readiness.score_readiness(answers.get(plan_id, {})).score for plan_id in plan_ids
    }


def plan_role_changes(plan: Plan) -> list[roadmap.RoleChange]:
    """The plan's lines as the roadmap sees them (one query)."""
    rows = (
        PlanLine.objects.filter(plan=plan)
        .order_by("id")
        .values_list(
            "role_id",
            "role__title",
            "role__discipline__slug",
            "role__annual_cost",
            "cost_override",
            "current_fte",
            "planned_fte",
        )
    )
    return [
        roadmap.RoleChange(
            role_id=role_id,
            title=title,
            discipline=slug,
            current_fte=current,
            planned_fte=planned,
            annual_cost=override if override is not None else cost,
        )
        for role_id, title, slug, cost, override, current, planned in rows
    ]


def plan_roadmap(plan: Plan) -> Roadmap | None:
    """The plan's roadmap with its transitions and their roles loaded (two queries)."""
    found = Roadmap.objects.filter(plan=plan).first()
    if found is None:
        return None
    transitions = list(
        found.transitions.select_related("from_role__discipline", "to_role__discipline").order_by(
            "quarter", "id"
        )
    )
    found.loaded_transitions = transitions
    return found


def roadmap_transition_for(plan: Plan, transition_id: int) -> RoadmapTransition | None:
    """A transition of this plan's roadmap, or None (never another plan's)."""
    return (
        RoadmapTransition.objects.filter(roadmap__plan=plan, pk=transition_id)
        .select_related("from_role", "to_role", "roadmap__plan")
        .first()
    )


# --- imports and exports ---------------------------------------------------------------------


def plan_by_id(plan_id: int) -> Plan | None:
    """Any plan, with its organization (for the management commands, which see every plan)."""
    return Plan.objects.select_related("organization").filter(pk=plan_id).first()


def catalog_titles_for_plan(plan: Plan) -> dict[str, tuple[int, str]]:
    """`title_key` -> (role id, title) of the roles the plan may use, in one query.

    The shared catalog and the plan's organization's roles; the organization's own role wins
    when both have a title.
    """
    lookup: dict[str, tuple[int, str]] = {}
    rows = catalog_for_organization(plan.organization_id).values_list(
        "id", "title", "organization_id"
    )
    for role_id, title, organization_id in rows:
        key = title_key(title)
        if organization_id is not None or key not in lookup:
            lookup[key] = (role_id, title)
    return lookup


def plan_lines_by_role(plan: Plan) -> dict[int, PlanLine]:
    """Role id -> the plan's line of that role, with the role's title, in one query."""
    lines = PlanLine.objects.filter(plan_id=plan.id).select_related("role").order_by("id")
    return {line.role_id: line for line in lines}


# --- rebalancing inputs ---


def catalog_line_inputs(*, organization_id: int, plan_id: int) -> list[LineInput]:
    """Active catalog roles (shared or the organization's) not in the plan, as 0-FTE lines.

    One query. The rebalancing engine keeps those sitting wholly in one band and, for a band
    with no role of its own in the plan, proposes the cheapest of them.
    """
    rows = (
        catalog_for_organization(organization_id)
        .filter(active=True)
        .exclude(plan_lines__plan_id=plan_id)
        .order_by("annual_cost", "title", "id")
        .values_list(
            "id", "title", "band_split", "discipline__band", "discipline__name", "annual_cost"
        )
    )
    return [
        LineInput(
            role_id=role_id,
            title=title,
            band_split=band_split_fractions(split, band),
            current_fte=Decimal(0),
            planned_fte=Decimal(0),
            annual_cost=cost,
            discipline=discipline,
        )
        for role_id, title, split, band, discipline, cost in rows
    ]


def roadmap_built_version(plan_id: int) -> int | None:
    """The plan version the plan's roadmap was built from, or None without a roadmap."""
    return Roadmap.objects.filter(plan_id=plan_id).values_list("plan_version", flat=True).first()


def plan_submitted_by_id(plan_id: int) -> int | None:
    """Who sent the plan into review most recently (None if nobody did, as far as recorded)."""
    return (
        PlanStatusChange.objects.filter(plan_id=plan_id, to_status=PlanStatus.IN_REVIEW)
        .order_by("-created_at", "-id")
        .values_list("user_id", flat=True)
        .first()
    )


def plan_status_changes(plan_id: int) -> list:
    """The plan's status moves with their comments and users, newest first."""
    return list(
        PlanStatusChange.objects.filter(plan_id=plan_id)
        .select_related("user")
        .order_by("-created_at", "-id")[:300]
    )
