"""Writes to plans and their lines, and the computed plan score.

Every write validates with full_clean, runs in a transaction and moves the plan's `version` on,
so that a client holding an older version is told of the conflict instead of overwriting.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from plans.domain import scoring
from plans.domain.types import PlanScore
from plans.models import Plan, PlanLine, PlanStatus, TargetModel
from plans.selectors import built_in_target_model, plan_line_inputs, target_input
from roles.models import MembershipRole, Organization, Role
from roles.selectors import membership_roles


class StaleVersion(Exception):
    """The plan changed since the caller read it."""

    def __init__(self, current_version: int):
        super().__init__(f"The plan is now at version {current_version}.")
        self.current_version = current_version


PLAN_EDITABLE_FIELDS = (
    "name",
    "description",
    "target_model",
    "headcount_cap",
    "budget_cap",
    "compliance_floor",
)

# (from, to) -> the membership roles allowed to make that move.
STATUS_TRANSITIONS: dict[tuple[str, str], tuple[str, ...]] = {
    (PlanStatus.DRAFT, PlanStatus.IN_REVIEW): (MembershipRole.PLANNER, MembershipRole.ADMIN),
    (PlanStatus.IN_REVIEW, PlanStatus.DRAFT): (MembershipRole.PLANNER, MembershipRole.ADMIN),
    (PlanStatus.IN_REVIEW, PlanStatus.APPROVED): (MembershipRole.ADMIN,),
    (PlanStatus.APPROVED, PlanStatus.DRAFT): (MembershipRole.ADMIN,),
    (PlanStatus.DRAFT, PlanStatus.ARCHIVED): (MembershipRole.PLANNER, MembershipRole.ADMIN),
    (PlanStatus.IN_REVIEW, PlanStatus.ARCHIVED): (MembershipRole.ADMIN,),
    (PlanStatus.APPROVED, PlanStatus.ARCHIVED): (MembershipRole.ADMIN,),
    (PlanStatus.ARCHIVED, PlanStatus.DRAFT): (MembershipRole.ADMIN,),
}


def allowed_status_changes(*, plan: Plan, user) -> list[str]:
    """The statuses this user may move the plan to now."""
    role = membership_roles(user).get(plan.organization_id)
    return [
        to
        for (frm, to), roles in STATUS_TRANSITIONS.items()
        if frm == plan.status and role in roles
    ]


def default_target_model(organization: Organization) -> TargetModel:
    return organization.default_target_model or built_in_target_model()


def _bump_version(plan: Plan, user) -> None:
    Plan.objects.filter(pk=plan.pk).update(
        version=F("version") + 1, updated_by=user, updated_at=timezone.now()
    )
    plan.refresh_from_db(fields=["version", "updated_by", "updated_at"])


def ensure_editable(plan: Plan) -> None:
    if plan.is_read_only:
        raise ValidationError(
            {"status": f"The plan is {plan.get_status_display().lower()}: reopen it to edit."}
        )


@transaction.atomic
def target_model_save(*, target_model: TargetModel, **fields) -> TargetModel:
    """Create or change a target model; its targets must sum to 100%."""
    for field, value in fields.items():
        setattr(target_model, field, value)
    target_model.full_clean()
    target_model.save()
    return target_model


@transaction.atomic
def plan_create(
    *,
    organization: Organization,
    name: str,
    user=None,
    description: str = "",
    target_model: TargetModel | None = None,
    headcount_cap: Decimal | None = None,
    budget_cap: Decimal | None = None,
    compliance_floor: Decimal | None = None,
    source_plan: Plan | None = None,
) -> Plan:
    """Create a draft plan; its target model defaults to the organization's, else the built-in."""
    plan = Plan(
        organization=organization,
        name=name,
        description=description,
        target_model=target_model or default_target_model(organization),
        headcount_cap=headcount_cap,
        budget_cap=budget_cap,
        compliance_floor=compliance_floor,
        source_plan=source_plan,
        created_by=user,
        updated_by=user,
    )
    plan.full_clean()
    plan.save()
    return plan


@transaction.atomic
def plan_update(*, plan: Plan, expected_version: int, user=None, **changes) -> Plan:
    """Change a plan's fields and/or status if nobody saved since `expected_version`."""
    locked = Plan.objects.select_for_update().get(pk=plan.pk)
    if locked.version != expected_version:
        raise StaleVersion(locked.version)
    new_status = changes.pop("status", None)
    unknown = set(changes) - set(PLAN_EDITABLE_FIELDS)
    if unknown:
        raise ValidationError({field: "This field cannot be changed." for field in unknown})
    resulting_status = new_status or locked.status
    if any(getattr(locked, f) != v for f, v in changes.items()) and resulting_status in (
        PlanStatus.APPROVED,
        PlanStatus.ARCHIVED,
    ):
        raise ValidationError(
            {"status": f"The plan is {resulting_status}: reopen it to edit its fields."}
        )
    if new_status is not None and new_status != locked.status:
        if new_status not in allowed_status_changes(plan=locked, user=user):
            raise ValidationError(
                {"status": f"You cannot move this plan from {locked.status} to {new_status}."}
            )
        locked.status = new_status
    for field, value in changes.items():
        setattr(locked, field, value)
    locked.version = locked.version + 1
    locked.updated_by = user
    locked.full_clean()
    locked.save()
    return locked


@transaction.atomic
def plan_line_create(
    *,
    plan: Plan,
    role: Role,
    current_fte: Decimal = Decimal("0"),
    planned_fte: Decimal = Decimal("0"),
    cost_override: Decimal | None = None,
    locked: bool = False,
    note: str = "",
    user=None,
) -> PlanLine:
    ensure_editable(plan)
    line = PlanLine(
        plan=plan,
        role=role,
        current_fte=current_fte,
        planned_fte=planned_fte,
        cost_override=cost_override,
        locked=locked,
        note=note,
    )
    line.full_clean()
    line.save()
    _bump_version(plan, user)
    return line


@transaction.atomic
def plan_line_update(*, line: PlanLine, user=None, **changes) -> PlanLine:
    ensure_editable(line.plan)
    for field, value in changes.items():
        setattr(line, field, value)
    line.full_clean()
    line.save()
    _bump_version(line.plan, user)
    return line


@transaction.atomic
def plan_line_delete(*, line: PlanLine, user=None) -> None:
    ensure_editable(line.plan)
    plan = line.plan
    line.delete()
    _bump_version(plan, user)


@dataclass(frozen=True)
class PlanScoreResult:
    """A plan's score with the plan and target model it was computed for."""

    plan: Plan
    target_model: TargetModel
    score: PlanScore


def plans_score(plans: list[Plan]) -> list[PlanScoreResult]:
    """Score many plans in one query for their lines (plans need `target_model` selected)."""
    lines = plan_line_inputs(plan.id for plan in plans)
    return [
        PlanScoreResult(
            plan=plan,
            target_model=plan.target_model,
            score=scoring.score_plan(lines.get(plan.id, []), target_input(plan.target_model)),
        )
        for plan in plans
    ]


def plan_score(plan: Plan) -> PlanScoreResult:
    return plans_score([plan])[0]
