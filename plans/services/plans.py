"""Writes to plans: create, change fields and status, move the version on, delete.

Every write validates with full_clean, runs in a transaction and moves the plan's `version` on,
so that a client holding an older version is told of the conflict instead of overwriting.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from plans.models import Plan, PlanStatus, PlanStatusChange, TargetModel
from plans.selectors import built_in_target_model
from roles import permissions
from roles.models import Organization


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
    "employees_served",
)


def default_target_model(organization: Organization) -> TargetModel:
    return organization.default_target_model or built_in_target_model()


def plan_bump_version(*, plan: Plan, user) -> None:
    """Move the plan's version on by one (its lines changed); `plan` is updated in place."""
    Plan.objects.filter(pk=plan.pk).update(
        version=F("version") + 1, updated_by=user, updated_at=timezone.now()
    )
    plan.refresh_from_db(fields=["version", "updated_by", "updated_at"])


def ensure_editable(plan: Plan) -> None:
    """Refuse changes to a plan in review, approved or archived (`roles.permissions`): raises
    `permissions.PlanReadOnly` (409 on the API, a message on the web)."""
    permissions.ensure_plan_editable(plan)


SCORED_TARGET_FIELDS = (
    "experiential_percent",
    "social_percent",
    "formal_percent",
    "tolerance_points",
    "name",
)


def ensure_no_read_only_plan_uses(target_model: TargetModel, fields: dict) -> None:
    """A change of what a model scores (its targets, tolerance or name) would change the score
    of every plan using it: refused while one of those plans is read-only (DESIGN §12)."""
    changed = [
        name
        for name in SCORED_TARGET_FIELDS
        if name in fields and getattr(target_model, name) != fields[name]
    ]
    if not target_model.pk or not changed:
        return
    frozen = (
        Plan.objects.select_for_update()
        .filter(target_model=target_model)
        .exclude(status=PlanStatus.DRAFT)
        .order_by("id")
        .first()
    )
    if frozen is not None:
        reason = permissions.plan_frozen_reason(frozen)
        raise permissions.PlanReadOnly(
            f"The plan '{frozen.name}' uses this model. {reason[0].upper()}{reason[1:]} "
            "Or copy this model and change the copy.",
            frozen.status,
        )


@transaction.atomic
def target_model_save(*, target_model: TargetModel, **fields) -> TargetModel:
    """Create or change a target model; its targets must sum to 100%.

    Two concurrent creates of one name: the second is refused with a 400 naming `name` (the
    unique constraint's violation is caught in a savepoint), never a database error.
    """
    ensure_no_read_only_plan_uses(target_model, fields)
    for field, value in fields.items():
        setattr(target_model, field, value)
    target_model.full_clean()
    try:
        with transaction.atomic():
            target_model.save()
    except IntegrityError:
        raise ValidationError({"name": "A target model with this name already exists."}) from None
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
    employees_served: int | None = None,
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
        employees_served=employees_served,
        source_plan=source_plan,
        created_by=user,
        updated_by=user,
    )
    plan.full_clean()
    plan.save()
    return plan


@transaction.atomic
def plan_update(
    *, plan: Plan, expected_version: int, user=None, status_comment: str = "", **changes
) -> Plan:
    """Change a plan's fields and/or status if nobody saved since `expected_version`.

    A status move, from either door, is kept as a `PlanStatusChange` with `status_comment`.
    """
    locked = Plan.objects.select_for_update().get(pk=plan.pk)
    if locked.version != expected_version:
        raise StaleVersion(locked.version)
    before_status = locked.status
    new_status = changes.pop("status", None)
    unknown = set(changes) - set(PLAN_EDITABLE_FIELDS)
    if unknown:
        raise ValidationError({field: "This field cannot be changed." for field in unknown})
    if any(getattr(locked, f) != v for f, v in changes.items()):
        # Fields change only on a draft, and only while it stays one.
        ensure_editable(locked)
        reason = permissions.status_read_only_reason(new_status or locked.status)
        if reason:
            raise permissions.PlanReadOnly(
                "Change the plan's fields first, then move it on: " + reason, new_status
            )
    if new_status is not None and new_status != locked.status:
        if not permissions.allows(user, "plan.status", locked, new_status):
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
    if before_status != locked.status:
        record = PlanStatusChange(
            plan=locked,
            from_status=before_status,
            to_status=locked.status,
            comment=status_comment,
            user=user,
        )
        record.full_clean()
        record.save()
    return locked


@transaction.atomic
def target_model_delete(*, target_model: TargetModel) -> None:
    """Delete an organization's target model that no plan uses."""
    if target_model.plans.exists():
        raise ValidationError(
            {"target_model": "Plans use this model: point them at another one first."}
        )
    target_model.delete()


@transaction.atomic
def plan_delete(*, plan: Plan) -> None:
    """Delete a draft plan with its lines, readiness answers and roadmap (history is kept).

    The plan's row is locked first, so a delete racing a status move sees the moved status.
    """
    locked = Plan.objects.select_for_update().get(pk=plan.pk)
    ensure_editable(locked)
    locked.delete()


@transaction.atomic
def plan_status_change(
    *, plan: Plan, expected_version: int, user, status: str, comment: str | None = None
) -> Plan:
    """Move a plan's status and keep the move, with its review comment, for the History page.

    Who may make which move is `roles.permissions` (the same rule as the API). A review (a
    `comment` given, possibly empty, as the review form sends) that sends a plan back from
    review to draft must say why; a withdrawal by the planner who submitted it needs no comment.
    """
    from plans import presenters, selectors

    if comment is not None:
        comment = comment.strip()
        sending_back = plan.status == PlanStatus.IN_REVIEW and status == PlanStatus.DRAFT
        if sending_back and not comment:
            if getattr(user, "pk", None) != selectors.plan_submitted_by_id(plan.pk):
                raise ValidationError({"comment": presenters.COMMENT_REQUIRED})
    return plan_update(
        plan=plan,
        expected_version=expected_version,
        user=user,
        status=status,
        status_comment=comment or "",
    )
