"""Web views: the readiness check and the reskilling roadmap of a plan (DESIGN §9).

Both pages work without JavaScript (plain forms, post/redirect/get); with htmx, saving a
learning plan swaps only that transition. The roadmap page draws its timeline as server-side SVG
and prints cleanly. The print report gets a readiness-and-roadmap section.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from plans import charts, presenters
from plans.domain import readiness, roadmap
from plans.models import MAX_FTE, Plan, Roadmap, RoadmapTransition
from plans.selectors import plan_readiness, plan_roadmap, roadmap_transition_for
from plans.services.readiness import readiness_answers_save
from plans.services.roadmap import roadmap_build, roadmap_transition_update
from plans.views.common import plan_or_404, plan_page
from plans.views.transfer import register_report_section
from roles import permissions
from roles.bands import BAND_SHORT_LABELS

DEFAULT_MAX_FTE_PER_QUARTER = Decimal("2")

# --- forms ---------------------------------------------------------------------------------


class ReadinessForm(forms.Form):
    """One radio group (0-4, optional) and one note per question of the questionnaire."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [
            (str(value), presenters.answer_choice_label(value)) for value in readiness.ANSWERS
        ]
        for question in readiness.QUESTIONS:
            self.fields[f"answer_{question.code}"] = forms.TypedChoiceField(
                label=presenters.question_text(question.code),
                choices=choices,
                coerce=int,
                required=False,
                empty_value=None,
                widget=forms.RadioSelect,
            )
            self.fields[f"note_{question.code}"] = forms.CharField(
                label="Note (optional)",
                required=False,
                max_length=readiness.NOTE_MAX_LENGTH,
                widget=forms.Textarea(attrs={"rows": 1, "cols": 60}),
            )

    @classmethod
    def initial_from(cls, report) -> dict:
        initial = {}
        for item in report.answers:
            initial[f"answer_{item.code}"] = str(item.answer)
            initial[f"note_{item.code}"] = item.note
        return initial

    def answers(self) -> list[dict]:
        """The answered questions as the service takes them (a note without an answer is
        dropped: a note belongs to an answer)."""
        return [
            {
                "code": question.code,
                "answer": self.cleaned_data[f"answer_{question.code}"],
                "note": self.cleaned_data[f"note_{question.code}"].strip(),
            }
            for question in readiness.QUESTIONS
            if self.cleaned_data.get(f"answer_{question.code}") is not None
        ]


def next_quarter_start(today: date) -> date:
    return roadmap.first_quarter_start(today)


class RoadmapBuildForm(forms.Form):
    start = forms.DateField(
        label="Start",
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Quarter 1 is the first calendar quarter starting on or after this day.",
    )
    max_fte_per_quarter = forms.DecimalField(
        label="Most FTE moved a quarter",
        min_value=Decimal("0.1"),
        max_value=MAX_FTE,
        max_digits=5,
        decimal_places=1,
        widget=forms.NumberInput(attrs={"step": "0.1", "min": "0.1"}),
    )


class LearningPlanForm(forms.Form):
    focus = forms.CharField(label="Focus on your goals", required=False, max_length=4000)
    target = forms.CharField(label="Target the people you need", required=False, max_length=4000)
    define = forms.CharField(
        label="Define how you can make them successful", required=False, max_length=4000
    )
    align = forms.CharField(label="Align your efforts to that", required=False, max_length=4000)
    outreach = forms.CharField(label="Plan your outreach", required=False, max_length=4000)
    renew = forms.CharField(label="Constantly renew it", required=False, max_length=4000)

    def __init__(self, *args, transition_id: int, **kwargs):
        kwargs.setdefault("prefix", f"t{transition_id}")
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget = forms.Textarea(attrs={"rows": 2})


def add_errors(form: forms.Form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form: on its field when the form has it."""
    if hasattr(error, "error_dict"):
        for field, messages_ in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages_)
    else:
        form.add_error(None, error.messages)


# --- readiness -----------------------------------------------------------------------------


def may_change(request: HttpRequest, plan: Plan) -> bool:
    """Whether the page offers its forms: the `plan.readiness` rule the API asks too."""
    return permissions.allows(request.user, "plan.readiness", plan)


def state_refusal(request: HttpRequest, plan: Plan) -> ValidationError | None:
    """Ask the `plan.readiness` rule before a change: a user without the role gets the 403 page
    (PermissionDenied); a refusal for the plan's state (archived) is returned, for the form to
    show with a 400, as a refusal by the service would be."""
    try:
        permissions.require(request.user, "plan.readiness", plan)
    except ValidationError as error:
        return error
    return None


def readiness_groups(form: ReadinessForm, report) -> list[dict]:
    """The questionnaire by group, each question with its bound fields and group score."""
    stored = report.answers_by_code
    return [
        {
            "group": group,
            "label": presenters.readiness_group_label(group),
            "score": report.result.group(group),
            "questions": [
                {
                    "question": question,
                    "text": presenters.question_text(question.code),
                    "answer": form[f"answer_{question.code}"],
                    "note": form[f"note_{question.code}"],
                    "stored": stored.get(question.code),
                }
                for question in readiness.QUESTIONS
                if question.group == group
            ],
        }
        for group in readiness.GROUPS
    ]


@login_required
@require_http_methods(["GET", "POST"])
def readiness_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The readiness questionnaire of a plan, its scores, weakest items and risk flags."""
    plan = plan_or_404(request, pk)
    report = plan_readiness(plan)
    status = 200
    if request.method == "POST":
        refusal = state_refusal(request, plan)
        form = ReadinessForm(request.POST)
        if refusal is not None:
            add_errors(form, refusal)
        elif form.is_valid():
            try:
                readiness_answers_save(plan=plan, answers=form.answers(), user=request.user)
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(request, "Readiness answers saved.")
                return redirect("plans:readiness", pk=plan.pk)
        status = 400
    else:
        form = ReadinessForm(initial=ReadinessForm.initial_from(report))
    context = {
        "plan": plan,
        "report": report,
        "form": form,
        "groups": readiness_groups(form, report),
        "scale": presenters.ANSWER_WORDS,
        "editable": may_change(request, plan),
    }
    return plan_page(request, "plans/readiness.html", plan, context, status=status)


# --- roadmap -------------------------------------------------------------------------------


def transition_label(transition: RoadmapTransition) -> str:
    return presenters.transition_label(
        transition.kind,
        transition.from_role.title if transition.from_role else None,
        transition.to_role.title if transition.to_role else None,
    )


def band_of(transition: RoadmapTransition) -> str:
    role = transition.to_role or transition.from_role
    return role.discipline.band if role else ""


def roadmap_timeline(found: Roadmap) -> tuple[charts.Timeline, list[str]]:
    """The SVG geometry for a roadmap's transitions, one column per quarter."""
    transitions = found.loaded_transitions
    quarters = max((t.quarter for t in transitions), default=1)
    first = roadmap.first_quarter_start(found.start)
    labels = [presenters.quarter_label(roadmap.add_quarters(first, q)) for q in range(quarters)]
    items = [
        charts.TimelineItem(
            kind=t.kind,
            label=transition_label(t),
            fte=t.fte,
            quarter=t.quarter,
            band=band_of(t),
        )
        for t in transitions
    ]
    return charts.timeline_layout(items, labels), labels


def transition_rows(found: Roadmap, forms_by_id: dict[int, LearningPlanForm] | None = None):
    """Each transition with its label, quarter label, learning plan and edit form."""
    forms_by_id = forms_by_id or {}
    rows = []
    for t in found.loaded_transitions:
        rows.append(
            {
                "transition": t,
                "label": transition_label(t),
                "quarter_label": presenters.quarter_label(t.effective_date),
                "band": band_of(t),
                "band_label": BAND_SHORT_LABELS.get(band_of(t), ""),
                "reason": presenters.affinity_reason(
                    t.from_role.discipline.slug, t.to_role.discipline.slug
                )
                if t.kind == "move"
                else "",
                "learning_plan": [
                    (LearningPlanForm.base_fields[name].label, getattr(t, name))
                    for name in roadmap.LEARNING_PLAN_FIELDS
                ],
                "form": forms_by_id.get(t.id)
                or LearningPlanForm(initial=t.learning_plan, transition_id=t.id),
            }
        )
    return rows


def roadmap_summary(found: Roadmap) -> dict:
    totals = {"move": Decimal(0), "hire": Decimal(0), "exit": Decimal(0)}
    for t in found.loaded_transitions:
        totals[t.kind] += t.fte
    return totals


def roadmap_context(request: HttpRequest, plan: Plan, **overrides) -> dict:
    """Everything the roadmap page shows (a fixed number of queries)."""
    found = plan_roadmap(plan)
    build_form = overrides.pop("build_form", None)
    if build_form is None:
        initial = (
            {"start": found.start, "max_fte_per_quarter": found.max_fte_per_quarter}
            if found
            else {
                "start": next_quarter_start(timezone.localdate()),
                "max_fte_per_quarter": DEFAULT_MAX_FTE_PER_QUARTER,
            }
        )
        build_form = RoadmapBuildForm(initial=initial)
    context = {
        "plan": plan,
        "roadmap": found,
        "build_form": build_form,
        "editable": may_change(request, plan),
    }
    if found is not None:
        timeline, labels = roadmap_timeline(found)
        context.update(
            {
                "timeline": timeline,
                "quarter_labels": labels,
                "rows": transition_rows(found, overrides.pop("forms_by_id", None)),
                "totals": roadmap_summary(found),
                "stale": found.plan_version != plan.version,
            }
        )
    context.update(overrides)
    return context


@login_required
@require_http_methods(["GET"])
def roadmap_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The roadmap page: build form, SVG timeline by quarter, learning plans beneath."""
    plan = plan_or_404(request, pk)
    return plan_page(request, "plans/roadmap.html", plan, roadmap_context(request, plan))


@login_required
@require_POST
def roadmap_build_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Build or rebuild the roadmap from the form; errors re-render the page (400)."""
    plan = plan_or_404(request, pk)
    refusal = state_refusal(request, plan)
    form = RoadmapBuildForm(request.POST)
    if refusal is not None:
        add_errors(form, refusal)
    elif form.is_valid():
        try:
            roadmap_build(plan=plan, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, "Roadmap built.")
            return redirect("plans:roadmap", pk=plan.pk)
    return plan_page(
        request,
        "plans/roadmap.html",
        plan,
        roadmap_context(request, plan, build_form=form),
        status=400,
    )


@login_required
@require_POST
def roadmap_transition_view(request: HttpRequest, pk: int, tid: int) -> HttpResponse:
    """Save one transition's learning plan; with htmx, answer only that transition's block."""
    plan = plan_or_404(request, pk)
    refusal = state_refusal(request, plan)
    transition = roadmap_transition_for(plan, tid)
    if transition is None:
        raise Http404("This plan's roadmap has no such transition.")
    form = LearningPlanForm(request.POST, transition_id=transition.id)
    if refusal is not None:
        add_errors(form, refusal)
    elif form.is_valid():
        try:
            roadmap_transition_update(
                transition=transition, learning_plan=form.cleaned_data, user=request.user
            )
        except ValidationError as error:
            add_errors(form, error)
    saved = form.is_valid()
    if request.htmx:
        found = plan_roadmap(plan)
        row = next(
            row
            for row in transition_rows(found, {transition.id: form} if not saved else None)
            if row["transition"].id == transition.id
        )
        return render(
            request,
            "plans/roadmap_transition.html",
            {"plan": plan, "row": row, "editable": True, "saved": saved},
            status=200 if saved else 400,
        )
    if saved:
        messages.success(request, f"Learning plan saved: {transition_label(transition)}.")
        return redirect(reverse("plans:roadmap", args=[plan.pk]) + f"#transition-{transition.id}")
    return plan_page(
        request,
        "plans/roadmap.html",
        plan,
        roadmap_context(request, plan, forms_by_id={transition.id: form}),
        status=400,
    )


# --- the print report's section ------------------------------------------------------------


def report_section_context(request: HttpRequest, plan: Plan) -> dict:
    """Readiness and roadmap for the print report (four queries)."""
    found = plan_roadmap(plan)
    context = {"report": plan_readiness(plan), "roadmap": found}
    if found is not None:
        context["stale"] = presenters.roadmap_stale_words(found.plan_version, plan.version)
        timeline, _labels = roadmap_timeline(found)
        context.update(
            {
                "timeline": timeline,
                "rows": transition_rows(found),
                "totals": roadmap_summary(found),
            }
        )
    return context


register_report_section(
    "plans/readiness_report_section.html", context=report_section_context, order=200
)

urlpatterns = [
    path("plans/<int:pk>/readiness/", readiness_view, name="readiness"),
    path("plans/<int:pk>/roadmap/", roadmap_view, name="roadmap"),
    path("plans/<int:pk>/roadmap/build/", roadmap_build_view, name="roadmap_build"),
    path(
        "plans/<int:pk>/roadmap/transitions/<int:tid>/",
        roadmap_transition_view,
        name="roadmap_transition",
    ),
]
