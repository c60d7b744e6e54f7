"""Every "may this user …" rule of L&D Planner, asked by the web views and the API alike.

Plain functions rather than the `rules` library: the rules are a dozen lines over one lookup (the
user's membership role per organization, cached on the user for the request), they need the
reason of a refusal (which `rules` predicates do not return), and one more dependency would buy
nothing here.

Each rule answers with `Decision`: allowed, or refused with the sentence people read and whether
the refusal is about *who* asks (a member without the right role: 403) or about the *state* of
the object (a plan in review, approved or archived is read-only: `PlanReadOnly`, 409 on the
API, a message on the web; a status move the workflow does not allow: 400). Objects of an
organization the user does not belong to are never found in the first place (selectors scope
every read), so they answer 404 before any rule is asked.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError

from roles.models import MembershipRole
from roles.selectors import membership_roles, organization_ids_of_user

ADMIN = MembershipRole.ADMIN
PLANNER = MembershipRole.PLANNER
VIEWER = MembershipRole.VIEWER
CAN_PLAN = frozenset({ADMIN, PLANNER})

# Plan statuses, spelled here so that `roles` (the ground floor) imports nothing from `plans`.
DRAFT, IN_REVIEW, APPROVED, ARCHIVED = "draft", "in_review", "approved", "archived"
FROZEN_STATUSES = frozenset({IN_REVIEW, APPROVED, ARCHIVED})
STATUS_WORDS = {
    DRAFT: "a draft",
    IN_REVIEW: "in review",
    APPROVED: "approved",
    ARCHIVED: "archived",
}

# (from, to) -> the membership roles allowed to make that move.
STATUS_TRANSITIONS: dict[tuple[str, str], frozenset[str]] = {
    (DRAFT, IN_REVIEW): CAN_PLAN,
    (IN_REVIEW, DRAFT): CAN_PLAN,
    (IN_REVIEW, APPROVED): frozenset({ADMIN}),
    (APPROVED, DRAFT): frozenset({ADMIN}),
    (DRAFT, ARCHIVED): CAN_PLAN,
    (IN_REVIEW, ARCHIVED): frozenset({ADMIN}),
    (APPROVED, ARCHIVED): frozenset({ADMIN}),
    (ARCHIVED, DRAFT): frozenset({ADMIN}),
}

PLANNERS_ONLY = "Only planners and admins of this organization may change plans."
ADMINS_ONLY = "Only an admin of this organization may do this."


@dataclass(frozen=True, slots=True)
class Decision:
    """The answer to one "may …" question; `reason` says why not."""

    allowed: bool
    reason: str = ""
    about_state: bool = False  # refused because of the object's state, not the user's role
    read_only: bool = False  # the plan is in review, approved or archived (409 on the API)

    def __bool__(self) -> bool:
        return self.allowed


ALLOWED = Decision(True)


def refused(reason: str) -> Decision:
    return Decision(False, reason)


def frozen(reason: str) -> Decision:
    return Decision(False, reason, about_state=True)


class PlanReadOnly(ValidationError):
    """A change asked of a plan that is in review, approved or archived (DESIGN §12).

    A Django ValidationError with a plain message, so every web form shows it as a form error
    (never a 500); the API's exception handler answers it with 409 and the same sentence.
    """

    def __init__(self, reason: str, plan_status: str | None = None):
        super().__init__(reason, code="read_only")
        self.reason = reason
        self.plan_status = plan_status


def read_only(reason: str) -> Decision:
    return Decision(False, reason, about_state=True, read_only=True)


def membership_role(user, organization_id: int | None) -> str | None:
    """The user's membership role in the organization, or None."""
    if organization_id is None:
        return None
    return membership_roles(user).get(organization_id)


def plan_role(user, plan) -> str | None:
    """The user's role in the plan's organization; a plan fetched joined with the caller's
    membership carries it as `caller_role`, which saves the memberships query."""
    known = getattr(plan, "caller_role", None)
    return known if known is not None else membership_role(user, plan.organization_id)


# --- organizations ---------------------------------------------------------------------------


def can_view_organization(user, organization_id: int | None) -> Decision:
    """Members see their organization; everyone signed in sees the shared catalog (None)."""
    if organization_id is None:
        return ALLOWED if getattr(user, "is_authenticated", False) else refused("Sign in first.")
    if membership_role(user, organization_id) is None:
        return refused("You are not a member of this organization.")
    return ALLOWED


def can_plan_in(user, organization_id: int | None) -> Decision:
    """Create plans (new, copies, scenarios) in the organization."""
    if membership_role(user, organization_id) in CAN_PLAN:
        return ALLOWED
    return refused(PLANNERS_ONLY)


def can_administer(user, organization_id: int | None) -> Decision:
    """The organization's catalog, members, target models and settings."""
    if membership_role(user, organization_id) == ADMIN:
        return ALLOWED
    return refused(ADMINS_ONLY)


def can_edit_role(user, role) -> Decision:
    """Shared catalog roles are read-only; an organization's admins edit its own roles."""
    if role.organization_id is None:
        return refused("Roles of the shared catalog are read-only: add one of your own instead.")
    return can_administer(user, role.organization_id)


def can_edit_target_model(user, target_model) -> Decision:
    if target_model.organization_id is None:
        return refused("Built-in models are read-only; an organization's admins edit its own.")
    return can_administer(user, target_model.organization_id)


# --- plans -----------------------------------------------------------------------------------


def can_edit_benchmark(user, benchmark) -> Decision:
    """Shared benchmarks are read-only; an organization's admins add, edit and retire its own."""
    if benchmark.organization_id is None:
        return refused("Shared benchmarks are read-only: add one of your own instead.")
    return can_administer(user, benchmark.organization_id)


def can_view_plan(user, plan) -> Decision:
    if plan_role(user, plan) is None:
        return refused("You are not a member of this organization.")
    return ALLOWED


def can_change_plan(user, plan) -> Decision:
    """Ask to change a plan at all (its status, or its fields while not frozen): planners and
    admins of its organization. The service then checks the status move or the frozen state."""
    if plan_role(user, plan) in CAN_PLAN:
        return ALLOWED
    return refused(PLANNERS_ONLY)


# How each read-only status goes back to draft, in the words people read.
BACK_TO_DRAFT = {
    IN_REVIEW: "withdraw it to a draft (or have an admin send it back) to change it",
    APPROVED: "an admin can reopen it as a draft to change it",
    ARCHIVED: "an admin can reopen it as a draft to change it",
}


def status_read_only_reason(status: str) -> str | None:
    """Why a plan in `status` cannot change (in review, approved or archived), or None."""
    if status in FROZEN_STATUSES:
        return f"This plan is {STATUS_WORDS[status]}: {BACK_TO_DRAFT[status]}."
    return None


def plan_frozen_reason(plan) -> str | None:
    """Why the plan cannot change now (in review, approved or archived), or None.

    Read-only means read-only (DESIGN §12): lines, settings, imports, readiness answers, the
    roadmap and deletion alike. Only a status move (the workflow) is left, by its own rule. The
    services ask it too, whoever calls them (the state rule is one rule, not two).
    """
    return status_read_only_reason(plan.status)


def plan_archived_reason(plan) -> str | None:
    """Why the plan's readiness answers and roadmap cannot change now: the same rule as the
    plan's lines (kept by name for its callers)."""
    return plan_frozen_reason(plan)


def ensure_plan_editable(plan) -> None:
    """Raise PlanReadOnly unless the plan is a draft; the one check every write path asks."""
    reason = plan_frozen_reason(plan)
    if reason:
        raise PlanReadOnly(reason, plan.status)


def can_edit_plan(user, plan) -> Decision:
    """Fields, lines and imports: planners and admins, while the plan is not frozen."""
    decision = can_change_plan(user, plan)
    if not decision:
        return decision
    reason = plan_frozen_reason(plan)
    return read_only(reason) if reason else ALLOWED


def can_change_readiness(user, plan) -> Decision:
    """Readiness answers and the roadmap: planners and admins, unless the plan is archived."""
    decision = can_change_plan(user, plan)
    if not decision:
        return decision
    reason = plan_archived_reason(plan)
    return read_only(reason) if reason else ALLOWED


def can_copy_plan(user, plan) -> Decision:
    """Clone a plan or apply suggestions as a new scenario (the source is left untouched)."""
    return can_change_plan(user, plan)


def can_delete_plan(user, plan) -> Decision:
    """Planners and admins delete drafts; a plan in review, approved or archived is kept."""
    return can_edit_plan(user, plan)


def allowed_status_changes(user, plan) -> list[str]:
    """The statuses this user may move the plan to now."""
    role = plan_role(user, plan)
    return [
        to
        for (start, to), roles in STATUS_TRANSITIONS.items()
        if start == plan.status and role in roles
    ]


def can_change_status(user, plan, to_status: str) -> Decision:
    if to_status == plan.status:
        return ALLOWED
    if to_status in allowed_status_changes(user, plan):
        return ALLOWED
    if plan_role(user, plan) not in CAN_PLAN:
        return refused(PLANNERS_ONLY)
    return frozen(f"You cannot move this plan from {plan.status} to {to_status}.")


# --- one way to ask --------------------------------------------------------------------------

RULES: dict[str, Callable[..., Decision]] = {
    "organization.view": can_view_organization,
    "organization.plan": can_plan_in,
    "organization.administer": can_administer,
    "role.edit": can_edit_role,
    "target_model.edit": can_edit_target_model,
    "benchmark.edit": can_edit_benchmark,
    "plan.view": can_view_plan,
    "plan.change": can_change_plan,
    "plan.edit": can_edit_plan,
    "plan.readiness": can_change_readiness,
    "plan.copy": can_copy_plan,
    "plan.delete": can_delete_plan,
    "plan.status": can_change_status,
}


def decide(user, action: str, subject, *args) -> Decision:
    """Ask rule `action` about `subject` (an organization id, a plan, a role…)."""
    return RULES[action](user, subject, *args)


def allows(user, action: str, subject, *args) -> bool:
    return decide(user, action, subject, *args).allowed


def require(user, action: str, subject, *args) -> None:
    """Raise unless allowed: PermissionDenied (403) for the role, ValidationError for the state.

    Both doors turn these into the same answer: the web shows the 403 page or the form error,
    the API's exception handler answers 403 or 400 `{"status": [reason]}`.
    """
    decision = decide(user, action, subject, *args)
    if decision.allowed:
        return
    if decision.read_only:
        raise PlanReadOnly(decision.reason, getattr(subject, "status", None))
    if decision.about_state:
        raise ValidationError({"status": decision.reason})
    raise PermissionDenied(decision.reason)


# --- members ---------------------------------------------------------------------------------


def can_erase_member(user, organization_id: int | None, target) -> Decision:
    """Erase a former member's personal data (see `roles.services.member_erase`).

    The safe rule: only an admin of the organization; never oneself nor site staff; only someone
    who is no longer a member here and belongs to no organization the admin does not
    administer (so that no other organization loses a working account it did not agree to lose).
    """
    decision = can_administer(user, organization_id)
    if not decision:
        return decision
    if target.pk == user.pk:
        return refused("You cannot erase your own account.")
    if target.is_staff or target.is_superuser:
        return refused("Site staff accounts are erased by the site's administrators.")
    memberships = organization_ids_of_user(target.pk)
    if organization_id in memberships:
        return refused("Remove this member first: only former members can be erased.")
    administered = {org for org, role in membership_roles(user).items() if role == ADMIN}
    if memberships - administered:
        return refused(
            "This person still belongs to an organization you do not administer: ask its "
            "admins to remove them first."
        )
    return ALLOWED


RULES["member.erase"] = can_erase_member
