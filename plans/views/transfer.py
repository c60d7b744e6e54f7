"""Web views: import a plan's lines (upload, preview, confirm), export them, the print report.

The print report is built from sections so that other features can add theirs: call
`register_report_section(template_name, context=..., order=...)` at import time (e.g. from
`plans/views/readiness.py`); the report view renders each registered template after the lines,
with the whole report context plus `section` (what the section's `context(request, plan)` gave).
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.shortcuts import redirect
from django.urls import path
from django.views.decorators.http import require_GET, require_http_methods

from l_and_d_planner.tabular import ImportRejected, RowError
from plans import presenters
from plans.models import Plan
from plans.presenters import export_filename
from plans.selectors import plan_lines, plan_score
from plans.services.imports import plan_export, plan_import, plan_import_preview
from plans.services.plans import StaleVersion
from plans.views.common import plan_or_404, plan_page
from roles.views.transfer import (
    ImportFileForm,
    export_response,
    import_page,
    preview_context,
    requested_format,
    sign_upload,
    unsign_upload,
)

PLAN_IMPORT_SALT = "plans.import"


# --- the report's sections --------------------------------------------------------------------


@dataclass(frozen=True)
class ReportSection:
    """A block of the print report: a template and how to get its own context."""

    template_name: str
    context: Callable[[HttpRequest, Plan], dict] | None = None
    order: int = 100


REPORT_SECTIONS: list[ReportSection] = []


def register_report_section(
    template_name: str,
    *,
    context: Callable[[HttpRequest, Plan], dict] | None = None,
    order: int = 100,
) -> None:
    """Add a section to every plan report (once per template), after the lines table."""
    if any(section.template_name == template_name for section in REPORT_SECTIONS):
        return
    REPORT_SECTIONS.append(ReportSection(template_name, context, order))


def report_sections(request: HttpRequest, plan: Plan) -> list[dict]:
    """The registered sections, in order, each with its context computed for this plan."""
    return [
        {
            "template_name": section.template_name,
            "context": section.context(request, plan) if section.context else {},
        }
        for section in sorted(REPORT_SECTIONS, key=lambda section: section.order)
    ]


# --- views ------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def plan_import_view(request, pk: int):
    """Upload a plan file, see what is wrong or what would change, then confirm."""
    plan = plan_or_404(request, pk, "plan.edit")
    if request.method == "POST" and "token" in request.POST:
        return _confirm_plan_import(request, plan)
    context = {"plan": plan}
    if request.method == "POST":
        form = ImportFileForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            filename, content = upload.name, upload.read()
            try:
                summary = plan_import_preview(plan=plan, filename=filename, content=content)
            except ImportRejected as rejected:
                context.update(preview_context(errors=rejected.errors))
            except ValidationError as error:
                context.update(
                    preview_context(errors=[RowError(None, None, m) for m in error.messages])
                )
            else:
                context.update(preview_context(summary=summary))
                context["token"] = sign_upload(
                    filename=filename, content=content, salt=PLAN_IMPORT_SALT, version=plan.version
                )
            context.update(filename=filename, previewed=True)
    else:
        form = ImportFileForm()
    context["form"] = form
    return import_page(
        request,
        full_template="plans/import.html",
        partial_template="plans/import_preview.html",
        context=context,
    )


def _confirm_plan_import(request, plan: Plan):
    payload = unsign_upload(request.POST["token"], salt=PLAN_IMPORT_SALT)
    if payload is None:
        messages.error(request, "The preview is too old or damaged: upload the file again.")
        return redirect("plans:import", pk=plan.pk)
    try:
        summary = plan_import(
            plan=plan,
            filename=payload["name"],
            content=payload["content"],
            user=request.user,
            expected_version=payload.get("version"),
        )
    except StaleVersion:
        messages.error(
            request,
            "The plan changed since your preview: upload the file again to see the changes.",
        )
        return redirect("plans:import", pk=plan.pk)
    except (ImportRejected, ValidationError) as problem:
        errors = (
            problem.errors
            if isinstance(problem, ImportRejected)
            else [RowError(None, None, message) for message in problem.messages]
        )
        context = {
            "plan": plan,
            "form": ImportFileForm(),
            "filename": payload["name"],
            "previewed": True,
            **preview_context(errors=errors),
        }
        return plan_page(request, "plans/import.html", plan, context, status=400)
    if summary.changed:
        messages.success(
            request,
            f"Imported {payload['name']}: {summary.created} lines created, {summary.updated} "
            f"updated, {summary.deleted} deleted, {summary.unchanged} unchanged.",
        )
    else:
        messages.info(request, f"{payload['name']} matches the plan already: nothing changed.")
    # Straight to the plan, where the new lines and their score show.
    return redirect("plans:detail", pk=plan.pk)


@login_required
@require_GET
def plan_export_view(request, pk: int):
    """Download the plan's lines as CSV, or XLSX with a "Score" sheet (`?as=`)."""
    plan = plan_or_404(request, pk)
    as_format = requested_format(request)
    return export_response(
        plan_export(plan=plan, as_format=as_format),
        filename=export_filename(plan.name, "lines", as_format),
        as_format=as_format,
    )


def report_context(request: HttpRequest, plan: Plan) -> dict:
    """Everything the print report shows, in a fixed number of queries, in presenter words."""
    result = plan_score(plan)
    score = result.score
    return {
        "plan": plan,
        "target_model": result.target_model,
        "columns": [
            presenters.column_summary("current", score.current),
            presenters.column_summary("planned", score.planned),
        ],
        "bands": presenters.band_rows(score),
        "lines": list(plan_lines(plan)),
        "report_sections": report_sections(request, plan),
    }


@login_required
@require_GET
def plan_report_view(request, pk: int):
    """The plan as a print-friendly page: header, scores, bands, lines, added sections."""
    plan = plan_or_404(request, pk)
    return plan_page(request, "plans/report.html", plan, report_context(request, plan))


urlpatterns = [
    path("plans/<int:pk>/import/", plan_import_view, name="import"),
    path("plans/<int:pk>/export/", plan_export_view, name="export"),
    path("plans/<int:pk>/report/", plan_report_view, name="report"),
]
