"""A plan's history: who changed what and when, the plan's own fields and its lines."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.urls import path
from django.views.decorators.http import require_GET

from plans import presenters, selectors
from plans.views.common import plan_or_404
from roles.views.organization import page

HISTORY_LIMIT = 300  # newest events shown; the page says when older ones are left out

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


def group_imports(events: list[dict]) -> list[dict]:
    """Line changes of one import become one event naming the file, with each change listed."""
    out: list[dict] = []
    imports: dict[tuple, dict] = {}
    for event in events:
        reason = event.get("reason", "")
        if not reason.startswith(presenters.IMPORT_REASON_PREFIX):
            out.append(event)
            continue
        key = (reason, event["when"])
        grouped = imports.get(key)
        if grouped is None:
            grouped = {**event, "what": reason, "action": "", "changes": []}
            imports[key] = grouped
            out.append(grouped)
        grouped["changes"] = [
            *grouped["changes"],
            *(f"{event['what']} {event['action']}: {change}" for change in event["changes"]),
        ]
        if not event["changes"]:
            grouped["changes"].append(f"{event['what']} {event['action']}")
    return out


@login_required
@require_GET
def plan_history(request: HttpRequest, pk: int) -> HttpResponse:
    """Who changed what and when: the plan's own fields and its lines, newest first."""
    plan = plan_or_404(request, pk)
    events = []
    plan_records, line_records, role_titles = selectors.plan_history_records(plan.pk)
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
                    "reason": record.history_change_reason or "",
                }
            )
        previous_by_line[record.id] = record
    events = group_imports(events)
    for change in selectors.plan_status_changes(plan.pk):
        events.append(
            {
                "when": change.created_at,
                "who": change.user,
                "what": "Review",
                "action": presenters.status_change_words(change.from_status, change.to_status),
                "changes": [],
                "comment": change.comment,
            }
        )
    events.sort(key=lambda event: event["when"], reverse=True)
    context = {
        "plan": plan,
        "events": events[:HISTORY_LIMIT],
        "truncated": len(events) > HISTORY_LIMIT,
    }
    return page(request, "plans/plan_history.html", context)


urlpatterns = [path("plans/<int:pk>/history/", plan_history, name="history")]
