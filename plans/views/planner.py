"""Web views of the planner: dashboard, new plan, the planner page, compare, history, workflow.

The planner page is one form: the lines table. Posting it saves (with the plan's version
checked, so nobody's work is overwritten silently); its "Add" and "Search" buttons re-render
the page with the unsaved values kept, so everything works without JavaScript. With JavaScript,
htmx posts the same form to the preview endpoint as you type and swaps in the new score.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from plans.access import plan_for_user
from plans.charts import band_chart_svg
from plans.domain import scoring
from plans.domain.types import LineInput, PlanScore
from plans.forms import (
    LINES_PREFIX,
    MAX_LINES,
    CompareForm,
    PlanCreateForm,
    PlanLinesFormSet,
    PlannerVersionForm,
    PlanSettingsForm,
    StatusChangeForm,
    check_row_roles,
    line_input_for,
    plan_lines_save,
    posted_role_ids,
    roles_for_plan,
)
from plans.models import Plan, PlanLine, PlanStatus
from plans.presenters import chart_description, percent_text, score_badge, shape_words
from plans.selectors import (
    plan_line_inputs,
    plan_lines,
    plans_visible_to,
    target_input,
    target_models_visible_to,
)
from plans.services.plans import (
    StaleVersion,
    allowed_status_changes,
    plan_create,
    plan_update,
    plans_score,
)
from plans.services.scenarios import plan_clone
from roles.bands import BAND_SHORT_LABELS, BAND_WORDS, BANDS
from roles.models import Organization, Role
from roles.selectors import organizations_for, user_can_plan

SESSION_ORGANIZATION = "current_organization_id"
ROLE_SEARCH_LIMIT = 12
HISTORY_LIMIT = 300
STATUS_WORDS = {"under": "under target", "over": "over target", "on_target": "on target"}
STATUS_ACTIONS = {
    PlanStatus.DRAFT: "Reopen as draft",
    PlanStatus.IN_REVIEW: "Submit for review",
    PlanStatus.APPROVED: "Approve",
    PlanStatus.ARCHIVED: "Archive",
}


# --- organization switcher -------------------------------------------------------------------


def organization_context(request: HttpRequest) -> dict:
    """The user's organizations and the current one (kept in the session), for every page."""
    organizations = list(organizations_for(request.user))
    chosen = request.session.get(SESSION_ORGANIZATION)
    current = next((org for org in organizations if org.id == chosen), None)
    if current is None and organizations:
        current = organizations[0]
    return {"organizations": organizations, "current_organization": current}


def remember_organization(request: HttpRequest, organization_id: int) -> None:
    if request.session.get(SESSION_ORGANIZATION) != organization_id:
        request.session[SESSION_ORGANIZATION] = organization_id


@login_required
@require_POST
def organization_switch(request: HttpRequest) -> HttpResponse:
    """Make another of the user's organizations the current one."""
    organizations = {org.id: org for org in organizations_for(request.user)}
    raw = request.POST.get("organization", "")
    if not raw.isdigit() or int(raw) not in organizations:
        raise Http404("No such organization.")
    remember_organization(request, int(raw))
    messages.success(request, f"Now working in {organizations[int(raw)].name}.")
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = reverse("plans:dashboard")
    return redirect(target)


def page(request: HttpRequest, template: str, context: dict, status: int = 200) -> HttpResponse:
    return render(request, template, {**organization_context(request), **context}, status=status)


def plan_page(
    request: HttpRequest, template: str, plan: Plan, context: dict, status: int = 200
) -> HttpResponse:
    """A full page about one plan: its organization is the current one in the navigation."""
    remember_organization(request, plan.organization_id)
    return page(request, template, context, status=status)


# --- scores and the chart --------------------------------------------------------------------


def column_view(column) -> dict:
    return {
        "score": column.score,
        "badge": score_badge(column.score),
        "shape": shape_words(column.shape),
        "column": column,
    }


def score_context(score: PlanScore, plan: Plan, *, chart_id: str = "mix") -> dict:
    """Everything the score panel shows, for the saved plan or for unsaved values."""
    target = target_input(plan.target_model)
    bands = []
    for band in BANDS:
        current, planned = score.current.band(band), score.planned.band(band)
        bands.append(
            {
                "code": band.value,
                "label": BAND_SHORT_LABELS[band],
                "word": BAND_WORDS[band],
                "target": current.target,
                "target_pct": percent_text(current.target),
                "current": current,
                "current_pct": percent_text(current.share),
                "current_status": STATUS_WORDS.get(current.status, "–"),
                "planned": planned,
                "planned_pct": percent_text(planned.share),
                "planned_status": STATUS_WORDS.get(planned.status, "–"),
            }
        )
    return {
        "score": score,
        "current": column_view(score.current),
        "planned": column_view(score.planned),
        "bands": bands,
        "tolerance": target.tolerance,
        "tolerance_points": percent_text(target.tolerance).rstrip("%"),
        "chart_svg": mark_safe(
            band_chart_svg(score.current, score.planned, target, chart_id=chart_id)
        ),  # noqa: S308 - built from numbers and escaped text
        "chart_text": chart_description(score.current, score.planned, target),
        "cost_delta": score.planned.cost - score.current.cost,
        "fte_delta": score.planned.total_fte - score.current.total_fte,
    }


# --- the planner page ------------------------------------------------------------------------


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
                line_input=line_input_for(line.role, values, line.id),
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
            line_input = line_input_for(role, cleaned)
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
    roles = roles_for_plan(plan, role_ids)
    if formset.is_valid():
        check_row_roles(formset, roles)
    return formset, roles


def role_search_results(plan: Plan, query: str, exclude_role_ids=()) -> list[Role]:
    """Active catalog roles the plan may use, matching the query, not yet in the plan."""
    query = query.strip()[:100]
    if not query:
        return []
    roles = (
        Role.objects.filter(
            Q(organization__isnull=True) | Q(organization_id=plan.organization_id), active=True
        )
        .filter(Q(title__icontains=query) | Q(discipline__name__icontains=query))
        .exclude(id__in=PlanLine.objects.filter(plan=plan).values("role_id"))
        .exclude(id__in=list(exclude_role_ids))
        .select_related("discipline")
        .order_by("title")
    )
    return list(roles[:ROLE_SEARCH_LIMIT])


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
    score = scoring.score_plan(inputs, target_input(plan.target_model))
    can_plan = user_can_plan(request.user, plan.organization_id)
    editable = can_plan and not plan.is_read_only
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
            (status_code, STATUS_ACTIONS[status_code])
            for status_code in allowed_status_changes(plan=plan, user=request.user)
        ]
        if can_plan
        else [],
        "conflict": conflict,
        "role_query": role_query,
        "role_results": role_search_results(plan, role_query, in_table) if editable else [],
        **score_context(score, plan),
    }
    return page(request, "plans/plan_detail.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The planner: read the plan, edit its lines in place, save explicitly."""
    if request.method == "POST":
        return plan_detail_post(request, pk)
    plan = plan_for_user(request.user, pk)
    remember_organization(request, plan.organization_id)
    return render_planner(
        request,
        plan,
        None,
        saved_lines=list(plan_lines(plan)),
        version=plan.version,
        role_query=request.GET.get("role_q", ""),
    )


def plan_detail_post(request: HttpRequest, pk: int) -> HttpResponse:
    plan = plan_for_user(request.user, pk, write=True)
    if plan.is_read_only:
        messages.error(
            request, f"This plan is {plan.get_status_display().lower()}: reopen it to edit."
        )
        return redirect("plans:detail", pk=plan.pk)
    version_form = PlannerVersionForm(request.POST)
    version = version_form.cleaned_data["version"] if version_form.is_valid() else plan.version
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
    rows = [form.cleaned_data for form in formset.forms if form.cleaned_data.get("role")]
    try:
        result = plan_lines_save(
            plan=plan, expected_version=version, rows=rows, roles=roles, user=request.user
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
    total = _as_int(data.get(f"{LINES_PREFIX}-TOTAL_FORMS")) or 0
    posted = set()
    for index in range(total):
        role = _as_int(data.get(f"{LINES_PREFIX}-{index}-role"))
        if role is not None:
            posted.add(role)
    new_role = roles_for_plan(plan, [role_id]).get(role_id)
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
    fresh = plans_visible_to(request.user).get(pk=plan.pk)
    their_lines = {line.role_id: line for line in plan_lines(fresh)}
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
    their_score = plans_score([fresh])[0].score
    conflict = {
        "their_version": their_version,
        "their_user": fresh.updated_by,
        "their_time": fresh.updated_at,
        "rows": comparison,
        "their_planned": column_view(their_score.planned),
        "their_current": column_view(their_score.current),
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
    plan = plan_for_user(request.user, pk)
    formset, roles = bound_lines_formset(request.POST, plan)
    rows = rows_from_formset(formset, roles)
    inputs = [row.line_input for row in rows if row.line_input is not None]
    score = scoring.score_plan(inputs, target_input(plan.target_model))
    context = {
        "plan": plan,
        "rows": rows,
        "unsaved": True,
        "preview": True,
        "invalid_rows": sum(1 for row in rows if row.line_input is None and not row.removed),
        **score_context(score, plan),
    }
    return render(request, "plans/partials/plan_score.html", context)


@login_required
@require_GET
def plan_role_search(request: HttpRequest, pk: int) -> HttpResponse:
    """Catalog roles matching `role_q`, with buttons that add them to the table (htmx)."""
    plan = plan_for_user(request.user, pk)
    editable = user_can_plan(request.user, plan.organization_id) and not plan.is_read_only
    query = request.GET.get("role_q", "")
    results = role_search_results(plan, query) if editable else []
    return render(
        request,
        "plans/partials/role_search_results.html",
        {"plan": plan, "role_results": results, "role_query": query, "editable": editable},
    )


# --- workflow, settings, copy ----------------------------------------------------------------


@login_required
@require_POST
def plan_status(request: HttpRequest, pk: int) -> HttpResponse:
    """Move the plan along draft → in review → approved → archived (or back), if permitted."""
    plan = plan_for_user(request.user, pk, write=True)
    form = StatusChangeForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose a status to move the plan to.")
        return redirect("plans:detail", pk=plan.pk)
    new_status = form.cleaned_data["status"]
    try:
        plan = plan_update(
            plan=plan,
            expected_version=form.cleaned_data["version"],
            user=request.user,
            status=new_status,
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
    plan = plan_for_user(request.user, pk, write=True)
    target_models = target_models_visible_to(request.user).filter(
        Q(organization__isnull=True) | Q(organization_id=plan.organization_id)
    )
    status = 200
    if request.method == "POST":
        form = PlanSettingsForm(
            request.POST, instance=Plan.objects.get(pk=plan.pk), target_models=target_models
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
                theirs = Plan.objects.get(pk=plan.pk)
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
            except ValidationError as error:
                form.add_error(None, error)
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
    return page(request, "plans/plan_settings.html", {"plan": plan, "form": form}, status=status)


@login_required
@require_POST
def plan_copy_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Copy a plan as a new draft scenario."""
    source = plan_for_user(request.user, pk, write=True)
    name = (request.POST.get("name") or "").strip() or f"Copy of {source.name}"
    copied = plan_clone(source=source, name=name[:200], user=request.user)
    messages.success(request, f"Created “{copied.name}”, a copy of “{source.name}”.")
    return redirect("plans:detail", pk=copied.pk)


# --- dashboard and new plan ------------------------------------------------------------------


def current_organization_plans(request: HttpRequest, organization: Organization | None):
    if organization is None:
        return Plan.objects.none()
    return plans_visible_to(request.user).filter(organization=organization)


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    """The current organization's plans with their scores, and a new plan form."""
    org_context = organization_context(request)
    organization = org_context["current_organization"]
    plans = list(current_organization_plans(request, organization).order_by("-updated_at", "-id"))
    scored = [
        {
            "plan": result.plan,
            "current": column_view(result.score.current),
            "planned": column_view(result.score.planned),
        }
        for result in plans_score(plans)
    ]
    can_plan = organization is not None and user_can_plan(request.user, organization.id)
    form = PlanCreateForm(plans=current_organization_plans(request, organization))
    form.fields["copy_from"].choices = [("", "An empty plan")] + [
        (plan.id, plan.name) for plan in plans
    ]
    context = {"scored_plans": scored, "can_plan": can_plan, "create_form": form}
    return render(request, "plans/dashboard.html", {**org_context, **context})


@login_required
@require_http_methods(["GET", "POST"])
def plan_create_view(request: HttpRequest) -> HttpResponse:
    """A new plan in the current organization: empty, or a copy of one of its plans."""
    organization = organization_context(request)["current_organization"]
    if organization is None or not user_can_plan(request.user, organization.id):
        raise PermissionDenied("Only planners and admins can create plans.")
    plans = current_organization_plans(request, organization)
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


# --- compare ---------------------------------------------------------------------------------


def compare_lines(plans: list[Plan]) -> list[dict]:
    """Planned FTE per role across the plans (one query), roles that differ first."""
    inputs = plan_line_inputs(plan.id for plan in plans)
    titles: dict[int, str] = {}
    per_plan: list[dict[int, LineInput]] = []
    for plan in plans:
        by_role = {line.role_id: line for line in inputs.get(plan.id, [])}
        per_plan.append(by_role)
        for line in by_role.values():
            titles.setdefault(line.role_id, line.title)
    rows = []
    for role_id, title in sorted(titles.items(), key=lambda item: item[1].lower()):
        values = [
            by_role[role_id].planned_fte if role_id in by_role else Decimal(0)
            for by_role in per_plan
        ]
        rows.append({"title": title, "values": values, "differs": len(set(values)) > 1})
    return sorted(rows, key=lambda row: not row["differs"])


@login_required
@require_GET
def plan_compare(request: HttpRequest) -> HttpResponse:
    """Two to four plans side by side: scores, band shares, FTE, cost and the differences."""
    org_context = organization_context(request)
    organization = org_context["current_organization"]
    choices = list(current_organization_plans(request, organization).order_by("name"))
    form = CompareForm(request.GET if "ids" in request.GET else None)
    context = {"choices": choices, "form": form, "columns": [], "selected": []}
    if form.is_bound and form.is_valid():
        ids = form.cleaned_data["ids"]
        found = {plan.id: plan for plan in plans_visible_to(request.user).filter(id__in=ids)}
        if len(found) != len(ids):
            raise Http404("No such plan.")
        plans = [found[plan_id] for plan_id in ids]
        results = plans_score(plans)
        base = results[0].score.planned
        columns = []
        for result in results:
            planned = result.score.planned
            bands = []
            for band in BANDS:
                share = planned.band(band).share
                base_share = base.band(band).share
                bands.append(
                    {
                        "label": BAND_SHORT_LABELS[band],
                        "code": band.value,
                        "band": planned.band(band),
                        "pct": percent_text(share),
                        "status": STATUS_WORDS.get(planned.band(band).status, "–"),
                        "delta_points": None
                        if share is None or base_share is None
                        else ((share - base_share) * 100).quantize(Decimal("0.1")),
                    }
                )
            columns.append(
                {
                    "plan": result.plan,
                    "current": column_view(result.score.current),
                    "planned": column_view(planned),
                    "bands": bands,
                    "score_delta": None
                    if planned.score is None or base.score is None
                    else planned.score - base.score,
                    "fte_delta": planned.total_fte - base.total_fte,
                    "cost_delta": planned.cost - base.cost,
                }
            )
        context.update(
            {
                "columns": columns,
                "selected": ids,
                "line_rows": compare_lines(plans),
                "band_rows": [
                    {
                        "label": BAND_SHORT_LABELS[band],
                        "word": BAND_WORDS[band],
                        "cells": [column["bands"][index] for column in columns],
                    }
                    for index, band in enumerate(BANDS)
                ],
            }
        )
    status = 400 if form.is_bound and not form.is_valid() else 200
    return render(request, "plans/plan_compare.html", {**org_context, **context}, status=status)


# --- history ---------------------------------------------------------------------------------

LINE_HISTORY_FIELDS = {
    "current_fte": "current FTE",
    "planned_fte": "planned FTE",
    "cost_override": "cost per FTE",
    "locked": "locked",
    "note": "note",
}
PLAN_HISTORY_FIELDS = {
    "name": "name",
    "description": "description",
    "status": "status",
    "target_model_id": "target model",
    "headcount_cap": "headcount cap",
    "budget_cap": "budget cap",
    "compliance_floor": "compliance floor",
}
HISTORY_TYPES = {"+": "created", "~": "changed", "-": "removed"}


def _changes(previous, record, fields: dict[str, str]) -> list[str]:
    if previous is None:
        return []
    out = []
    for field, label in fields.items():
        before, after = getattr(previous, field), getattr(record, field)
        if before != after:
            out.append(
                f"{label}: {before if before not in (None, '') else '–'} → "
                f"{after if after not in (None, '') else '–'}"
            )
    return out


@login_required
@require_GET
def plan_history(request: HttpRequest, pk: int) -> HttpResponse:
    """Who changed what and when: the plan's own fields and its lines, newest first."""
    plan = plan_for_user(request.user, pk)
    events = []
    plan_records = list(
        Plan.history.filter(id=plan.pk).select_related("history_user").order_by("history_date")
    )
    previous = None
    for record in plan_records:
        changes = _changes(previous, record, PLAN_HISTORY_FIELDS)
        if record.history_type != "~" or changes:
            events.append(
                {
                    "when": record.history_date,
                    "who": record.history_user,
                    "what": "Plan",
                    "action": HISTORY_TYPES.get(record.history_type, record.history_type),
                    "changes": changes,
                }
            )
        previous = record
    line_records = list(
        PlanLine.history.filter(plan_id=plan.pk)
        .select_related("history_user")
        .order_by("id", "history_date", "history_id")
    )
    role_titles = dict(
        Role.objects.filter(id__in={record.role_id for record in line_records}).values_list(
            "id", "title"
        )
    )
    previous_by_line: dict[int, object] = {}
    for record in line_records:
        previous = previous_by_line.get(record.id)
        changes = _changes(previous, record, LINE_HISTORY_FIELDS)
        if record.history_type == "+":
            changes = [f"current {record.current_fte}, planned {record.planned_fte} FTE"]
        if record.history_type != "~" or changes:
            events.append(
                {
                    "when": record.history_date,
                    "who": record.history_user,
                    "what": role_titles.get(record.role_id, f"Role {record.role_id}"),
                    "action": HISTORY_TYPES.get(record.history_type, record.history_type),
                    "changes": changes,
                }
            )
        previous_by_line[record.id] = record
    events.sort(key=lambda event: event["when"], reverse=True)
    context = {"plan": plan, "events": events[:HISTORY_LIMIT], "truncated": len(events) > 300}
    return page(request, "plans/plan_history.html", context)


urlpatterns = [
    path("", dashboard, name="dashboard"),
    path("organizations/switch/", organization_switch, name="organization_switch"),
    path("plans/new/", plan_create_view, name="create"),
    path("plans/compare/", plan_compare, name="compare"),
    path("plans/<int:pk>/", plan_detail, name="detail"),
    path("plans/<int:pk>/preview/", plan_preview, name="preview"),
    path("plans/<int:pk>/roles/search/", plan_role_search, name="role_search"),
    path("plans/<int:pk>/status/", plan_status, name="status"),
    path("plans/<int:pk>/settings/", plan_settings, name="settings"),
    path("plans/<int:pk>/copy/", plan_copy_view, name="copy"),
    path("plans/<int:pk>/history/", plan_history, name="history"),
]
