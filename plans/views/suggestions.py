"""Web views: rebalancing suggestions for a plan and "apply as scenario".

GET  /plans/<pk>/suggestions/?mode=&step=  the suggestions page; for htmx, only the result
POST /plans/<pk>/suggestions/              apply them as a new draft scenario, then go there
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.html import format_html
from django.views.decorators.http import require_http_methods

from plans import presenters
from plans.domain import rebalancing
from plans.services import scenarios
from plans.views.common import plan_or_404, plan_page
from roles import permissions

MODE_CHOICES = [
    ("reassign", "Reassign: total FTE unchanged"),
    ("grow", "Grow: additions only, fewest FTE"),
    ("budget", "Budget: within the budget cap"),
]


class SuggestionForm(forms.Form):
    """Mode and step of the suggestions (GET for reading, POST for applying)."""

    mode = forms.ChoiceField(choices=MODE_CHOICES, initial="reassign")
    step = forms.DecimalField(
        label="Step (FTE)",
        max_digits=3,
        decimal_places=1,
        initial=rebalancing.DEFAULT_STEP,
        min_value=rebalancing.MIN_STEP,
        max_value=rebalancing.MAX_STEP,
        help_text="Every change is a multiple of it: 0.1 to 5.",
        widget=forms.NumberInput(attrs={"step": "0.1", "min": "0.1", "max": "5"}),
    )

    def clean_step(self):
        try:
            return rebalancing.validate_step(self.cleaned_data["step"])
        except rebalancing.RebalanceInputError as error:
            raise ValidationError(presenters.rebalance_input_message(error)) from None


def _form_from(data) -> SuggestionForm:
    values = {
        "mode": data.get("mode") or "reassign",
        "step": data.get("step") or str(rebalancing.DEFAULT_STEP),
    }
    return SuggestionForm(values)


def _add_errors(form: SuggestionForm, error: ValidationError) -> None:
    for field, problems in error.message_dict.items():
        form.add_error(field if field in form.fields else None, problems)


def _suggest(plan, form: SuggestionForm):
    """The suggestion, or None with the error added to the form."""
    if not form.is_valid():
        return None
    try:
        return scenarios.plan_suggestions(plan=plan, **form.cleaned_data)
    except ValidationError as error:
        _add_errors(form, error)
        return None


def _apply(request: HttpRequest, plan, form: SuggestionForm) -> HttpResponse | None:
    """Apply the suggestions as a new scenario and go there; None with the errors on the form."""
    if not form.is_valid():
        return None
    try:
        scenario, _ = scenarios.plan_apply_suggestions(
            plan=plan, user=request.user, **form.cleaned_data
        )
    except ValidationError as error:
        _add_errors(form, error)
        return None
    compare = f"{reverse('plans:compare')}?ids={plan.pk},{scenario.pk}"
    messages.success(
        request,
        format_html(
            'Suggestions applied as the new scenario “{}”. <a href="{}">Compare it with “{}”</a>.',
            scenario.name,
            compare,
            plan.name,
        ),
    )
    return redirect("plans:detail", pk=scenario.pk)


def _result_context(request: HttpRequest, plan, form: SuggestionForm, suggestion) -> dict:
    """The suggestions panel: the form, the result and its words (from the presenters)."""
    shown = suggestion is not None
    return {
        "plan": plan,
        "form": form,
        "suggestion": suggestion,
        "summary": presenters.suggestion_summary(suggestion) if shown else "",
        "action_rows": presenters.suggestion_rows(suggestion) if shown else [],
        "binding_reason": presenters.binding_reason(
            suggestion.binding_constraint if shown else None
        ),
        "can_apply": permissions.allows(request.user, "plan.copy", plan),
        "currency": plan.organization.currency,
    }


@login_required
@require_http_methods(["GET", "POST"])
def plan_suggestions_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Read the suggestions (anyone who sees the plan); apply them (planners and admins)."""
    if request.method == "POST":
        plan = plan_or_404(request, pk, "plan.copy")
        form = _form_from(request.POST)
        applied = _apply(request, plan, form)
        if applied is not None:
            return applied
        suggestion = None
    else:
        plan = plan_or_404(request, pk)
        form = _form_from(request.GET)
        suggestion = _suggest(plan, form)
    status = 200 if suggestion is not None else 400
    context = _result_context(request, plan, form, suggestion)
    if getattr(request, "htmx", False) and request.method == "GET":
        return render(request, "plans/suggestions_result.html", context, status=status)
    return plan_page(request, "plans/suggestions.html", plan, context, status=status)


urlpatterns = [
    path("plans/<int:pk>/suggestions/", plan_suggestions_view, name="suggestions"),
]
