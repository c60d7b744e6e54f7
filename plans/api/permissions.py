"""DRF's door to `roles.permissions`: the API asks the same rules as the web pages.

A view (or an `@action(..., permission_rule="plan.copy")`) names the rule of its action; reads
default to `plan.view`, writes to `plan.edit`. A refusal about the user's role answers 403 with
the rule's reason; a plan in review, approved or archived answers 409 with how to move it back
to draft (as the services' own `PlanReadOnly` does); another refusal about the plan's state
answers 400 `{"status": [reason]}`.
"""

from rest_framework import exceptions
from rest_framework.permissions import SAFE_METHODS, BasePermission

from l_and_d_planner.api import read_only_conflict
from roles import permissions


def rule_for(request, view) -> str:
    rule = getattr(view, "permission_rule", None)
    if rule:
        return rule
    return "plan.view" if request.method in SAFE_METHODS else "plan.edit"


class PlanRulePermission(BasePermission):
    """Object permission for a plan (or an object with a `.plan`) by the view's rule."""

    def has_object_permission(self, request, view, obj) -> bool:
        plan = getattr(obj, "plan", obj)
        decision = permissions.decide(request.user, rule_for(request, view), plan)
        if decision.allowed:
            return True
        if decision.read_only:
            raise read_only_conflict(decision.reason, plan.status)
        if decision.about_state:
            raise exceptions.ValidationError({"status": [decision.reason]})
        self.message = decision.reason
        return False
