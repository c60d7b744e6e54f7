"""The audit log page (admins of the current organization) and its streamed CSV export."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_GET

from l_and_d_planner.tabular import csv_lines
from roles import permissions, presenters, selectors
from roles.forms import AuditFilterForm
from roles.views.organization import organization_context


def _start_of(day) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def audit_query_from(form: AuditFilterForm, organization_ids) -> selectors.AuditQuery:
    data = form.cleaned_data
    return selectors.AuditQuery(
        organization_ids=tuple(organization_ids),
        type=data.get("type") or "",
        username=(data.get("user") or "").strip(),
        since=_start_of(data["since"]) if data.get("since") else None,
        until=_start_of(data["until"] + timedelta(days=1)) if data.get("until") else None,
    )


def _filtered(request: HttpRequest):
    context = organization_context(request)
    organization = context["current_organization"]
    permissions.require(request.user, "organization.administer", organization and organization.id)
    form = AuditFilterForm(
        request.GET,
        type_choices=presenters.audit_type_choices(selectors.audit_sources()),
    )
    if not form.is_valid():
        return context, form, None
    return context, form, selectors.audit_log(audit_query_from(form, [organization.id]))


@login_required
@require_GET
def audit_list(request: HttpRequest) -> HttpResponse:
    """Every change in the organization, newest first, 50 a page."""
    context, form, log = _filtered(request)
    page = None
    entries = []
    if log is not None:
        page = Paginator(log, selectors.AUDIT_PAGE_SIZE).get_page(request.GET.get("page"))
        entries = [presenters.audit_entry(item) for item in page.object_list]
    query = request.GET.copy()
    query.pop("page", None)
    page_context = {
        "form": form,
        "page": page,
        "entries": entries,
        "query": query.urlencode(),
        "usernames": selectors.audit_usernames([context["current_organization"].id]),
    }
    status = 200 if log is not None else 400
    return render(request, "roles/audit.html", {**context, **page_context}, status=status)


def audit_csv_rows(log: selectors.AuditLog):
    for batch in log.batches():
        for item in batch:
            yield from presenters.audit_csv_rows(presenters.audit_entry(item))


@login_required
@require_GET
def audit_export(request: HttpRequest) -> HttpResponse:
    """The filtered log as CSV, streamed (one row per changed field)."""
    context, form, log = _filtered(request)
    if log is None:
        return render(request, "roles/audit.html", {**context, "form": form}, status=400)
    response = StreamingHttpResponse(
        csv_lines(presenters.AUDIT_CSV_COLUMNS, audit_csv_rows(log)),
        content_type="text/csv; charset=utf-8",
    )
    slug = context["current_organization"].slug
    response["Content-Disposition"] = f'attachment; filename="audit-{slug}.csv"'
    return response


urlpatterns = [
    path("audit/", audit_list, name="audit"),
    path("audit/export.csv", audit_export, name="audit_export"),
]
