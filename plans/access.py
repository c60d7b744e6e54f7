"""Who may see and change which plan, for the web views (the API has its own checks).

A plan of an organization the user does not belong to is a 404, never a 403: its existence is
not revealed.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from plans.models import Plan
from plans.selectors import plans_visible_to
from roles.selectors import user_can_plan, user_is_admin


def plan_for_user(user, pk, *, write: bool = False, admin: bool = False) -> Plan:
    """The plan if the user may see it (404 otherwise); with write/admin, check that too (403)."""
    plan = plans_visible_to(user).filter(pk=pk).first()
    if plan is None:
        raise Http404("No such plan.")
    if admin and not user_is_admin(user, plan.organization_id):
        raise PermissionDenied("Only an admin of this organization may do this.")
    if write and not user_can_plan(user, plan.organization_id):
        raise PermissionDenied("Only planners and admins of this organization may change plans.")
    return plan
