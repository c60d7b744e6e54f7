"""The planner page: the lines table of one plan, scored as you type, saved explicitly.

The page is one form: the lines table. Posting it saves (with the plan's version checked, so
nobody's work is overwritten silently); its "Add" and "Search" buttons re-render the page with
the unsaved values kept, so everything works without JavaScript. With JavaScript, htmx posts the
same form to the preview endpoint as you type and swaps in the new score.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from plans import presenters, selectors
from plans.domain import scoring
from plans.domain.types import LineInput
from plans.forms import (
    LINES_PREFIX,
    MAX_LINES,
    TOO_MANY_ROWS,
    PlanLinesFormSet,
    PlannerVersionForm,
    check_row_roles,
    line_edits,
    posted_role_ids,
    posted_row_count,
)
from plans.models import Plan, PlanLine
from plans.services.lines import plan_lines_save
from plans.services.plans import StaleVersion
from plans.views.common import plan_or_404, plan_page, score_context
from roles import permissions
from roles.bands import BAND_SHORT_LABELS, BANDS
from roles.models import Role
from roles.selectors import catalog_roles_by_id, catalog_search

ROLE_SEARCH_LIMIT = 12


FIELD_NAMES = ("current_fte", "planned_fte", "cost_override", "note")
CHECKED = {"on", "true", "1", "yes"}


@dataclass
class PlannerRow:
    """A row of the lines table as the template needs it: plain values, no form objects.

    Rendering 200 rows through BoundFields is several times slower than through plain values,
    and the planner page must stay fast for large departments.
    """

    index: int
    role_id: str
    role: Role | None
    values: dict[str, str]
    locked: bool
    removed: bool
    errors: dict[str, str]
    row_errors: list[str]
    line_input: LineInput | None

    @property
    def title(self) -> str:
        return self.role.title if self.role is not None else "Unknown role"

    @property
    def planned_cost(self) -> Decimal | None:
        if self.line_input is None:
            return None
        return (self.line_input.planned_fte * self.line_input.annual_cost).quantize(Decimal("1"))

    @property
    def cost_per_fte(self) -> Decimal | None:
        return None if self.role is None else self.role.annual_cost

    @property
    def band(self) -> str:
        return "" if self.role is None else self.role.discipline.band

    @property
    def band_label(self) -> str:
        return "" if self.role is None else BAND_SHORT_LABELS.get(self.band, self.band)

    @property
    def split_text(self) -> str:
        if self.role is None or not self.role.band_split:
            return ""
        split = self.role.effective_band_split()
        return ", ".join(f"{BAND_SHORT_LABELS[b]} {split[b.value]}%" for b in BANDS if split[b])


def _as_int(raw) -> int | None:
    text = str(raw or "")
    return int(text) if text.isdigit() and len(text) < 19 else None


def _text(value) -> str:
    return "" if value is None else str(value)


def rows_from_lines(lines: list[PlanLine]) -> list[PlannerRow]:
    """Rows of the saved lines (the page as read)."""
    rows = []
    for index, line in enumerate(lines):
        values = {
            "current_fte": line.current_fte,
            "planned_fte": line.planned_fte,
            "cost_override": line.cost_override,
            "locked": line.locked,
        }
        rows.append(
            PlannerRow(
                index=index,
                role_id=str(line.role_id),
                role=line.role,
                values={name: _text(getattr(line, name)) for name in FIELD_NAMES},
                locked=line.locked,
                removed=False,
                errors={},
                row_errors=[],
                line_input=selectors.line_input_from_role(line.role, values, line.id),
            )
        )
    return rows


def rows_from_formset(formset, roles: dict[int, Role]) -> list[PlannerRow]:
    """Rows of a posted table: the values as typed, their errors, and the valid ones scored."""
    rows = []
    for index, form in enumerate(formset.forms):
        raw = {name: form.data.get(form.add_prefix(name), "") for name in (*FIELD_NAMES, "role")}
        valid = form.is_valid()
        cleaned = form.cleaned_data if valid else None
        role = roles.get(_as_int(raw["role"]))
        removed = str(form.data.get(form.add_prefix("remove"), "")).lower() in CHECKED
        line_input = None
        if role is not None and cleaned is not None and not removed:
            line_input = selectors.line_input_from_role(role, cleaned)
        rows.append(
            PlannerRow(
                index=index,
                role_id=_text(raw["role"]),
                role=role,
                values={name: _text(raw[name]) for name in FIELD_NAMES},
                locked=str(form.data.get(form.add_prefix("locked"), "")).lower() in CHECKED,
                removed=removed,
                errors={name: " ".join(errors) for name, errors in form.errors.items()},
                row_errors=list(form.non_field_errors()),
                line_input=line_input,
            )
        )
    return rows


def bound_lines_formset(data, plan: Plan):
    """The posted lines table, validated, with its roles fetched in one query."""
    formset = PlanLinesFormSet(data, prefix=LINES_PREFIX)
    try:
        role_ids = posted_role_ids(formset)
    except ValidationError:  # a broken management form: no rows at all
        role_ids = []
    roles = catalog_roles_by_id(plan.organization_id, role_ids)
    if formset.is_valid():
        check_row_roles(formset, roles)
    return formset, roles


def role_search_results(plan: Plan, query: str, exclude_role_ids=()) -> list[Role]:
    """Active catalog roles the plan may use, matching the query, not yet in the plan."""
    query = query.strip()[:100]
    if not query:
        return []
    return catalog_search(
        plan.organization_id,
        query,
        exclude_plan_id=plan.id,
        exclude_ids=exclude_role_ids,
        limit=ROLE_SEARCH_LIMIT,
    )


def render_planner(
    request: HttpRequest,
    plan: Plan,
    formset,
    roles: dict[int, Role] | None = None,
    *,
    saved_lines: list[PlanLine] | None = None,
    version: int,
    status: int = 200,
    conflict: dict | None = None,
    role_query: str = "",
) -> HttpResponse:
    if formset is None:
        rows = rows_from_lines(saved_lines or [])
        non_form_errors = []
    else:
        rows = rows_from_formset(formset, roles or {})
        non_form_errors = list(formset.non_form_errors())
    inputs = [row.line_input for row in rows if row.line_input is not None]
    score = scoring.score_plan(inputs, selectors.target_input(plan.target_model))
    can_plan = permissions.allows(request.user, "organization.plan", plan.organization_id)
    editable = permissions.allows(request.user, "plan.edit", plan)
    in_table = {row.role.id for row in rows if row.role is not None}
    context = {
        "plan": plan,
        "rows": rows,
        "lines_prefix": LINES_PREFIX,
        "total_forms": len(rows),
        "initial_forms": len(rows),
        "max_forms": MAX_LINES,
        "non_form_errors": non_form_errors,
        "version": version,
        "can_plan": can_plan,
        "editable": editable,
        "unsaved": formset is not None,
        "invalid_rows": sum(1 for row in rows if row.line_input is None and not row.removed),
        "status_actions": [
            (status_code, presenters.STATUS_ACTIONS[status_code])
            for status_code in permissions.allowed_status_changes(request.user, plan)
        ]
        if can_plan
        else [],
        "review": review_actions(request, plan, has_lines=bool(rows)) if can_plan else None,
        "conflict": conflict,
        "role_query": role_query,
        **planner_guidance(request, plan, rows, score, unsaved=formset is not None),
        "role_results": role_search_results(plan, role_query, in_table) if editable else [],
        **score_context(score, plan),
    }
    return plan_page(request, "plans/plan_detail.html", plan, context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The planner: read the plan, edit its lines in place, save explicitly."""
    if request.method == "POST":
        return plan_detail_post(request, pk)
    plan = plan_or_404(request, pk)
    return render_planner(
        request,
        plan,
        None,
        saved_lines=list(selectors.plan_lines(plan)),
        version=plan.version,
        role_query=request.GET.get("role_q", ""),
    )


def plan_detail_post(request: HttpRequest, pk: int) -> HttpResponse:
    plan = plan_or_404(request, pk, "plan.edit")
    decision = permissions.decide(request.user, "plan.edit", plan)
    if not decision.allowed:
        messages.error(request, decision.reason)
        return redirect("plans:detail", pk=plan.pk)
    version_form = PlannerVersionForm(request.POST)
    version = version_form.cleaned_data["version"] if version_form.is_valid() else plan.version
    if posted_row_count(request.POST) is None:
        messages.error(request, TOO_MANY_ROWS)
        saved = list(selectors.plan_lines(plan))
        return render_planner(
            request, plan, None, saved_lines=saved, version=plan.version, status=400
        )
    role_query = request.POST.get("role_q", "")
    add_role_id = _as_int(request.POST.get("add_role"))
    if add_role_id is not None:
        return planner_add_role(request, plan, add_role_id, version, role_query)
    formset, roles = bound_lines_formset(request.POST, plan)
    if "search" in request.POST:
        return render_planner(request, plan, formset, roles, version=version, role_query=role_query)
    if not version_form.is_valid():
        messages.error(request, "The form lost its version number: reload the plan.")
        return render_planner(request, plan, formset, roles, version=version, status=400)
    if not formset.is_valid():
        messages.error(request, "Nothing was saved: fix the values marked below.")
        return render_planner(request, plan, formset, roles, version=version, status=400)
    try:
        result = plan_lines_save(
            plan_id=plan.pk, expected_version=version, edits=line_edits(formset), user=request.user
        )
    except StaleVersion as stale:
        return render_conflict(request, plan, formset, roles, stale.current_version)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return render_planner(request, plan, formset, roles, version=version, status=400)
    if result.changed:
        messages.success(
            request,
            f"Saved: {result.created} added, {result.updated} changed, {result.removed} "
            f"removed (version {result.plan.version}).",
        )
    else:
        messages.info(request, "Nothing had changed: nothing to save.")
    return redirect("plans:detail", pk=plan.pk)


def planner_add_role(
    request: HttpRequest, plan: Plan, role_id: int, version: int, role_query: str
) -> HttpResponse:
    """Add a catalog role as a new, unsaved row; the user's other edits are kept."""
    data = request.POST.copy()
    total = posted_row_count(data) or 0
    posted = set()
    for index in range(total):
        role = _as_int(data.get(f"{LINES_PREFIX}-{index}-role"))
        if role is not None:
            posted.add(role)
    new_role = catalog_roles_by_id(plan.organization_id, [role_id]).get(role_id)
    if new_role is None or not new_role.active:
        messages.error(request, "That role is not in this plan's catalog.")
    elif role_id in posted:
        messages.info(request, f"{new_role.title} is already in the table.")
    else:
        prefix = f"{LINES_PREFIX}-{total}"
        data[f"{prefix}-role"] = str(role_id)
        data[f"{prefix}-current_fte"] = "0"
        data[f"{prefix}-planned_fte"] = "0"
        data[f"{LINES_PREFIX}-TOTAL_FORMS"] = str(total + 1)
        data.setdefault(f"{LINES_PREFIX}-INITIAL_FORMS", "0")
        messages.info(request, f"Added {new_role.title}. Not saved yet: enter FTE, then Save.")
        role_query = ""
    formset, roles = bound_lines_formset(data, plan)
    return render_planner(request, plan, formset, roles, version=version, role_query=role_query)


def render_conflict(
    request: HttpRequest, plan: Plan, formset, roles: dict[int, Role], their_version: int
) -> HttpResponse:
    """Someone saved first: show their version beside the user's, keep the user's values."""
    fresh = selectors.plan_fresh(plan.pk)
    their_lines = {line.role_id: line for line in selectors.plan_lines(fresh)}
    roles = {**{line.role_id: line.role for line in their_lines.values()}, **roles}
    mine = {}
    for form in formset.forms:
        if form.cleaned_data.get("role"):
            mine[form.cleaned_data["role"]] = form.cleaned_data
    comparison = []
    for role_id in dict.fromkeys([*mine, *their_lines]):
        theirs, yours = their_lines.get(role_id), mine.get(role_id)
        your_removed = bool(yours and yours.get("remove"))
        row = {
            "title": roles[role_id].title if role_id in roles else f"Role {role_id}",
            "theirs": theirs,
            "yours": None if (yours is None or your_removed) else yours,
            "yours_missing_reason": "removed by you"
            if your_removed
            else ("not in your table" if yours is None else ""),
        }
        row["differs"] = (
            theirs is None
            or row["yours"] is None
            or theirs.current_fte != yours["current_fte"]
            or theirs.planned_fte != yours["planned_fte"]
        )
        comparison.append(row)
    their_score = selectors.plan_score(fresh).score
    conflict = {
        "their_version": their_version,
        "their_user": fresh.updated_by,
        "their_time": fresh.updated_at,
        "rows": comparison,
        "their_planned": presenters.column_summary("planned", their_score.planned),
        "their_current": presenters.column_summary("current", their_score.current),
    }
    messages.error(
        request,
        "Someone saved this plan while you were editing. Nothing of yours was saved. "
        "Compare both versions below, then save yours over theirs or reload theirs.",
    )
    return render_planner(
        request, fresh, formset, roles, version=their_version, status=409, conflict=conflict
    )


@login_required
@require_POST
def plan_preview(request: HttpRequest, pk: int) -> HttpResponse:
    """Score the posted, unsaved table and return the score panel (for htmx). Saves nothing."""
    plan = plan_or_404(request, pk)
    if posted_row_count(request.POST) is None:
        return HttpResponseBadRequest(TOO_MANY_ROWS)
    formset, roles = bound_lines_formset(request.POST, plan)
    rows = rows_from_formset(formset, roles)
    inputs = [row.line_input for row in rows if row.line_input is not None]
    score = scoring.score_plan(inputs, selectors.target_input(plan.target_model))
    context = {
        "plan": plan,
        "rows": rows,
        "unsaved": True,
        "preview": True,
        "invalid_rows": sum(1 for row in rows if row.line_input is None and not row.removed),
        **score_context(score, plan),
    }
    context.update(planner_guidance(request, plan, rows, score, unsaved=True, preview=True))
    return render(request, "plans/partials/plan_score.html", context)


@login_required
@require_GET
def plan_role_search(request: HttpRequest, pk: int) -> HttpResponse:
    """Catalog roles matching `role_q`, with buttons that add them to the table (htmx)."""
    plan = plan_or_404(request, pk)
    editable = permissions.allows(request.user, "plan.edit", plan)
    query = request.GET.get("role_q", "")
    in_table = [
        role_id
        for key, value in request.GET.items()
        if key.startswith(f"{LINES_PREFIX}-") and key.endswith("-role")
        for role_id in [_as_int(value)]
        if role_id is not None
    ][:MAX_LINES]
    results = role_search_results(plan, query, in_table) if editable else []
    return render(
        request,
        "plans/partials/role_search_results.html",
        {"plan": plan, "role_results": results, "role_query": query, "editable": editable},
    )


def planner_words() -> dict:
    """The planner's fixed sentences (from the presenters), for the template and its script."""
    return {
        "save": presenters.pending_words(0),
        "pending": presenters.PENDING_MANY,
        "kept": presenters.KEPT_UNSAVED,
        "hint": presenters.SAVE_HINT,
        "unsaved_prompt": presenters.UNSAVED_PROMPT,
        "add_heading": presenters.ADD_ROLES_HEADING,
        "add_help": presenters.ADD_ROLES_HELP,
        "thresholds": presenters.SCORE_THRESHOLDS,
    }


def planner_guidance(
    request: HttpRequest, plan: Plan, rows, score, *, unsaved: bool, preview: bool = False
) -> dict:
    """The next step named from the band gaps, and whether the page opens on "add your roles"."""
    editable = permissions.allows(request.user, "plan.edit", plan)
    live_rows = [row for row in rows if not row.removed]
    context = {
        "editable": editable,
        "words": planner_words(),
        "guided": editable and not rows,
        "next_step": presenters.next_step(
            row_count=len(live_rows), planned=score.planned, unsaved=unsaved, editable=editable
        ),
    }
    if not preview:
        context["roadmap_stale"] = presenters.roadmap_stale_words(
            selectors.roadmap_built_version(plan.pk), plan.version
        )
    return context


def review_actions(request: HttpRequest, plan: Plan, *, has_lines: bool) -> dict:
    """The status buttons of the planner: the step forward is primary, going back secondary.

    In review, an admin approves (optional comment) or sends back (comment required) in one
    form; a planner withdraws it.
    """
    allowed = permissions.allowed_status_changes(request.user, plan)
    is_admin = permissions.allows(request.user, "organization.administer", plan.organization_id)
    # A planner takes a plan out of review by withdrawing it; an admin reviews it.
    withdraw = plan.status == permissions.IN_REVIEW and not is_admin
    buttons = []
    for to in allowed:
        is_withdraw = withdraw and to == permissions.DRAFT
        primary = (plan.status, to) in presenters.PRIMARY_MOVES and (
            has_lines or to != permissions.IN_REVIEW
        )
        buttons.append(
            {
                "to": to,
                "label": presenters.review_action_label(plan.status, to, withdraw=is_withdraw),
                "primary": primary,
            }
        )
    buttons.sort(key=lambda button: not button["primary"])
    return {
        "buttons": buttons,
        "reviewing": plan.status == permissions.IN_REVIEW and is_admin,
        "comment_required": presenters.COMMENT_REQUIRED,
    }


@login_required
@require_POST
def plan_add_row(request: HttpRequest, pk: int) -> HttpResponse:
    """Add a catalog role as a new, unsaved row (htmx): answers the row alone, no page reload.

    The posted table is only read for its row count and roles; nothing is saved.
    """
    plan = plan_or_404(request, pk, "plan.edit")
    decision = permissions.decide(request.user, "plan.edit", plan)
    if not decision.allowed:
        response = render(
            request, "plans/partials/add_role_status.html", {"message": decision.reason}
        )
        response["HX-Reswap"] = "none"
        return response
    total = min(_as_int(request.POST.get(f"{LINES_PREFIX}-TOTAL_FORMS")) or 0, MAX_LINES)
    posted = {_as_int(request.POST.get(f"{LINES_PREFIX}-{index}-role")) for index in range(total)}
    role_id = _as_int(request.POST.get("add_role"))
    role = catalog_roles_by_id(plan.organization_id, [role_id]).get(role_id) if role_id else None
    if role is None or not role.active or role_id in posted or total >= MAX_LINES:
        message = (
            f"{role.title} is already in the table."
            if role is not None and role_id in posted
            else "That role cannot be added to this plan."
        )
        response = render(request, "plans/partials/add_role_status.html", {"message": message})
        response["HX-Reswap"] = "none"
        return response
    values = {"current_fte": "0", "planned_fte": "0", "cost_override": "", "note": ""}
    row = PlannerRow(
        index=total,
        role_id=str(role.id),
        role=role,
        values=values,
        locked=False,
        removed=False,
        errors={},
        row_errors=[],
        line_input=selectors.line_input_from_role(
            role, {"current_fte": Decimal(0), "planned_fte": Decimal(0), "cost_override": None}
        ),
    )
    context = {
        "plan": plan,
        "row": row,
        "editable": True,
        "new_row": True,
        "total_forms": total + 1,
        "message": f"Added {role.title}. Not saved yet: enter FTE, then Save.",
    }
    response = render(request, "plans/partials/line_row_added.html", context)
    # After the swap: the re-score must see the new row and the new row count.
    response["HX-Trigger-After-Settle"] = "rows-changed"
    return response


urlpatterns = [
    path("plans/<int:pk>/rows/add/", plan_add_row, name="add_row"),
    path("plans/<int:pk>/", plan_detail, name="detail"),
    path("plans/<int:pk>/preview/", plan_preview, name="preview"),
    path("plans/<int:pk>/roles/search/", plan_role_search, name="role_search"),
]
