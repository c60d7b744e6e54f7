"""Web views: rebalancing suggestions for a plan and "apply as scenario".

GET  /plans/<pk>/suggestions/?mode=&step=&aim=&grow_to=  the suggestions page (saved values);
                                             for htmx, only the result
POST /plans/<pk>/suggestions/preview/        the result for the rows on the planner's screen
                                             (`lines`, JSON, sent by static/js/suggestions.js);
                                             stores nothing, so viewers may ask too
POST /plans/<pk>/suggestions/                apply them as a new draft scenario (with `lines`:
                                             the rows that were shown), then go there
"""

from __future__ import annotations

import json

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
    ("grow", "Grow: additions only"),
    ("budget", "Budget: within the budget cap"),
]
AIM_CHOICES = [
    ("tolerance", "Least change within tolerance"),
    ("best", "Best score"),
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

    aim = forms.ChoiceField(choices=AIM_CHOICES, initial="tolerance")
    grow_to = forms.DecimalField(
        label="Grow to (FTE, optional)",
        required=False,
        max_digits=6,
        decimal_places=1,
        min_value=0,
        help_text="Grow mode: the total the grown plan must reach at least.",
        widget=forms.NumberInput(attrs={"step": "0.1", "min": "0"}),
    )
    lines = forms.CharField(required=False, widget=forms.HiddenInput)

    def clean_step(self):
        try:
            return rebalancing.validate_step(self.cleaned_data["step"])
        except rebalancing.RebalanceInputError as error:
            raise ValidationError(presenters.rebalance_input_message(error)) from None

    def clean_lines(self):
        """The rows on screen (JSON), checked by the same rules as the API; None: saved."""
        raw = self.cleaned_data["lines"]
        if not raw:
            return None
        try:
            rows = json.loads(raw)
        except ValueError:
            raise ValidationError(
                "The rows on screen could not be read: reload the page."
            ) from None
        try:
            return scenarios.screen_lines_parse(rows)
        except ValidationError as error:
            raise ValidationError(error.message_dict["lines"]) from None


def _form_from(data) -> SuggestionForm:
    values = {
        "mode": data.get("mode") or "reassign",
        "step": data.get("step") or str(rebalancing.DEFAULT_STEP),
        "aim": data.get("aim") or "tolerance",
        "grow_to": data.get("grow_to") or "",
        "lines": data.get("lines") or "",
    }
    return SuggestionForm(values)


def _engine_params(form: SuggestionForm) -> dict:
    data = dict(form.cleaned_data)
    data["screen"] = data.pop("lines")
    if data["mode"] != "grow":
        data["grow_to"] = None
    return data


def _screen_json(form: SuggestionForm) -> str:
    """The rows the suggestion was made for, to carry into "Apply" ("" for saved values)."""
    screen = form.cleaned_data.get("lines") if form.is_valid() else None
    if not screen:
        return ""
    rows = [
        {"role": row.role, "planned_fte": str(row.planned_fte), "locked": row.locked}
        for row in screen
    ]
    return json.dumps(rows, separators=(",", ":"))


def _add_errors(form: SuggestionForm, error: ValidationError) -> None:
    for field, problems in error.message_dict.items():
        form.add_error(field if field in form.fields else None, problems)


def _suggest(plan, form: SuggestionForm):
    """The suggestion, or None with the error added to the form."""
    if not form.is_valid():
        return None
    try:
        return scenarios.plan_suggestions(plan=plan, **_engine_params(form))
    except ValidationError as error:
        _add_errors(form, error)
        return None


def _apply(request: HttpRequest, plan, form: SuggestionForm) -> HttpResponse | None:
    """Apply the suggestions as a new scenario and go there; None with the errors on the form."""
    if not form.is_valid():
        return None
    try:
        scenario, _ = scenarios.plan_apply_suggestions(
            plan=plan, user=request.user, **_engine_params(form)
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
    currency = plan.organization.currency
    return {
        "plan": plan,
        "form": form,
        "suggestion": suggestion,
        "summary": presenters.suggestion_summary(suggestion, currency) if shown else "",
        "action_rows": presenters.suggestion_rows(suggestion, currency) if shown else [],
        "warnings": presenters.suggestion_warnings(suggestion) if shown else [],
        "aim_words": presenters.AIM_WORDS.get(suggestion.aim, "") if shown else "",
        "cost_change": presenters.signed_money(suggestion.result.cost - suggestion.before.cost)
        if shown
        else "",
        "binding_reason": presenters.binding_reason(
            suggestion.binding_constraint if shown else None
        ),
        "can_apply": permissions.allows(request.user, "plan.copy", plan),
        "currency": currency,
        "screen_json": _screen_json(form) if shown else "",
        "grow_to": form.cleaned_data.get("grow_to") if shown else None,
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


@login_required
@require_http_methods(["POST"])
def plan_suggestions_preview(request: HttpRequest, pk: int) -> HttpResponse:
    """The result for the rows on the planner's screen (the panel's script posts them).

    Stores nothing: whoever may read the plan may ask, as with the GET.
    """
    plan = plan_or_404(request, pk)
    form = _form_from(request.POST)
    suggestion = _suggest(plan, form)
    status = 200 if suggestion is not None else 400
    context = _result_context(request, plan, form, suggestion)
    return render(request, "plans/suggestions_result.html", context, status=status)


urlpatterns = [
    path("plans/<int:pk>/suggestions/", plan_suggestions_view, name="suggestions"),
    path(
        "plans/<int:pk>/suggestions/preview/",
        plan_suggestions_preview,
        name="suggestions_preview",
    ),
]
