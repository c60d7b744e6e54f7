"""The dashboard (the current organization's plans, scored) and the new-plan page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_GET, require_http_methods

from plans import presenters, selectors
from plans.forms import PlanCreateForm
from plans.services.plans import plan_create, plan_update
from plans.services.scenarios import plan_clone
from plans.views.staffing import staffing_summary
from roles import permissions
from roles.views.organization import organization_context, organization_switch, page


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    """The current organization's plans with their scores, and a new plan form."""
    org_context = organization_context(request)
    organization = org_context["current_organization"]
    organization_id = organization.id if organization else None
    plans = list(
        selectors.organization_plans(request.user, organization_id).order_by("-updated_at", "-id")
    )
    currency = organization.currency if organization else ""
    scored = [
        {
            "plan": result.plan,
            "budget_flag": presenters.budget_flag(
                result.plan.budget_cap, result.score.planned.cost, currency
            ),
            "current": presenters.column_summary("current", result.score.current),
            "planned": presenters.column_summary("planned", result.score.planned),
            "staffing": staffing_summary(result),
        }
        for result in selectors.plans_score(plans)
    ]
    can_plan = permissions.allows(request.user, "organization.plan", organization_id)
    form = PlanCreateForm(plans=selectors.organization_plans(request.user, organization_id))
    form.fields["copy_from"].choices = [("", "An empty plan")] + [
        (plan.id, plan.name) for plan in plans
    ]
    over_budget = [item for item in scored if item["budget_flag"]]  # flagged above the table
    context = {
        "scored_plans": scored,
        "can_plan": can_plan,
        "create_form": form,
        "over_budget": over_budget,
    }
    return render(request, "plans/dashboard.html", {**org_context, **context})


@login_required
@require_http_methods(["GET", "POST"])
def plan_create_view(request: HttpRequest) -> HttpResponse:
    """A new plan in the current organization: empty, or a copy of one of its plans."""
    organization = organization_context(request)["current_organization"]
    permissions.require(request.user, "organization.plan", organization and organization.id)
    plans = selectors.organization_plans(request.user, organization.id)
    status = 200
    if request.method == "POST":
        form = PlanCreateForm(request.POST, plans=plans)
        if form.is_valid():
            source = form.cleaned_data["copy_from"]
            name, description = form.cleaned_data["name"], form.cleaned_data["description"]
            try:
                if source is not None:
                    plan = plan_clone(source=source, name=name, user=request.user)
                    if description:
                        plan = plan_update(
                            plan=plan,
                            expected_version=plan.version,
                            user=request.user,
                            description=description,
                        )
                else:
                    plan = plan_create(
                        organization=organization,
                        name=name,
                        description=description,
                        user=request.user,
                    )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, f"Created “{plan.name}”. Add roles to start planning.")
                return redirect("plans:detail", pk=plan.pk)
        status = 400
    else:
        form = PlanCreateForm(plans=plans, initial={"copy_from": request.GET.get("copy_from")})
    return page(request, "plans/plan_form.html", {"form": form}, status=status)


urlpatterns = [
    path("", dashboard, name="dashboard"),
    path("organizations/switch/", organization_switch, name="organization_switch"),
    path("plans/new/", plan_create_view, name="create"),
]
