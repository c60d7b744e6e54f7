"""Workflow pages of a plan: move its status, change its settings, copy it as a scenario."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import path
from django.views.decorators.http import require_http_methods, require_POST

from plans import selectors
from plans.forms import PlanSettingsForm, StatusChangeForm
from plans.services.plans import StaleVersion, plan_status_change, plan_update
from plans.services.scenarios import plan_clone
from plans.views.common import plan_or_404, plan_page
from roles import permissions
from roles.permissions import PlanReadOnly


@login_required
@require_POST
def plan_status(request: HttpRequest, pk: int) -> HttpResponse:
    """Move the plan along draft → in review → approved → archived (or back), if permitted."""
    plan = plan_or_404(request, pk, "plan.change")
    form = StatusChangeForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose a status to move the plan to.")
        return redirect("plans:detail", pk=plan.pk)
    new_status = form.cleaned_data["status"]
    try:
        plan = plan_status_change(
            plan=plan,
            expected_version=form.cleaned_data["version"],
            user=request.user,
            status=new_status,
            # the review form always sends a comment field; the plain buttons send none
            comment=form.cleaned_data["comment"] if "comment" in request.POST else None,
        )
    except StaleVersion:
        messages.error(
            request,
            "Someone saved this plan since you opened it; its status was not changed. "
            "Check their changes, then try again.",
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"The plan is now {plan.get_status_display().lower()}.")
    return redirect("plans:detail", pk=plan.pk)


@login_required
@require_http_methods(["GET", "POST"])
def plan_settings(request: HttpRequest, pk: int) -> HttpResponse:
    """Edit the plan's name, description, target model and caps (version-checked)."""
    plan = plan_or_404(request, pk, "plan.edit")
    target_models = selectors.target_models_for_organization(request.user, plan.organization_id)
    status = 200
    if request.method == "POST":
        form = PlanSettingsForm(
            request.POST, instance=selectors.plan_fresh(plan.pk), target_models=target_models
        )
        if form.is_valid():
            changes = {field: form.cleaned_data[field] for field in PlanSettingsForm.Meta.fields}
            try:
                plan_update(
                    plan=plan,
                    expected_version=form.cleaned_data["version"],
                    user=request.user,
                    **changes,
                )
            except StaleVersion as stale:
                theirs = selectors.plan_fresh(plan.pk)
                data = request.POST.copy()
                data["version"] = str(stale.current_version)
                form = PlanSettingsForm(data, instance=theirs, target_models=target_models)
                form.is_valid()
                form.add_error(
                    None,
                    f"{theirs.updated_by or 'Someone'} saved this plan first (now version "
                    f"{stale.current_version}); nothing of yours was saved. Their values: "
                    f"name '{theirs.name}', target model '{theirs.target_model}', headcount cap "
                    f"{theirs.headcount_cap or '–'}, budget cap {theirs.budget_cap or '–'}, "
                    f"compliance floor {theirs.compliance_floor or '–'}. Save again to keep yours.",
                )
                status = 409
            except PlanReadOnly as refusal:
                form.add_error(None, refusal.reason)
                status = 409
            except ValidationError as error:
                form.add_error(None, "; ".join(error.messages))
                status = 400
            else:
                messages.success(request, "Plan settings saved.")
                return redirect("plans:detail", pk=plan.pk)
        else:
            status = 400
    else:
        form = PlanSettingsForm(
            instance=plan, initial={"version": plan.version}, target_models=target_models
        )
        read_only = permissions.plan_frozen_reason(plan)
        if read_only:
            messages.warning(request, read_only)
    return plan_page(
        request, "plans/plan_settings.html", plan, {"plan": plan, "form": form}, status
    )


@login_required
@require_POST
def plan_copy_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Copy a plan as a new draft scenario."""
    source = plan_or_404(request, pk, "plan.copy")
    name = (request.POST.get("name") or "").strip() or f"Copy of {source.name}"
    copied = plan_clone(source=source, name=name[:200], user=request.user)
    messages.success(request, f"Created “{copied.name}”, a copy of “{source.name}”.")
    return redirect("plans:detail", pk=copied.pk)


urlpatterns = [
    path("plans/<int:pk>/status/", plan_status, name="status"),
    path("plans/<int:pk>/settings/", plan_settings, name="settings"),
    path("plans/<int:pk>/copy/", plan_copy_view, name="copy"),
]
