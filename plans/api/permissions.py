"""DRF's door to `roles.permissions`: the API asks the same rules as the web pages.

A view (or an `@action(..., permission_rule="plan.copy")`) names the rule of its action; reads
default to `plan.view`, writes to `plan.edit`. A refusal about the user's role answers 403 with
the rule's reason; a refusal about the plan's state (an approved plan is frozen) answers 400
`{"status": [reason]}`, as the services' own checks do.
"""

from rest_framework import exceptions
from rest_framework.permissions import SAFE_METHODS, BasePermission

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
        if decision.about_state:
            raise exceptions.ValidationError({"status": [decision.reason]})
        self.message = decision.reason
        return False
