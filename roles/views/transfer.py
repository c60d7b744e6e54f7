"""Web views: import the role catalog from a file (upload, preview, confirm) and export it.

The upload is validated and previewed without writing; the preview carries the file back in a
signed, compressed form field, so that "confirm" imports exactly the file that was previewed and
the app servers keep no state between the two steps. The helpers here serve the plan import too.
"""

import base64

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_GET, require_http_methods

from l_and_d_planner.tabular import (
    CSV_MEDIA_TYPE,
    EXPORT_FORMATS,
    MAX_IMPORT_BYTES,
    MAX_IMPORT_MB,
    MAX_IMPORT_ROWS,
    XLSX_MEDIA_TYPE,
    ImportRejected,
    ImportSummary,
    RowError,
)
from roles import permissions, selectors
from roles.services import role_import, role_import_preview
from roles.views.organization import organization_context

PREVIEW_MAX_AGE_SECONDS = 60 * 60
PREVIEW_ERRORS_SHOWN = 500
PREVIEW_CHANGES_SHOWN = 200
ACCEPTED_FILES = ".csv,.xlsx,text/csv," + XLSX_MEDIA_TYPE


class ImportFileForm(forms.Form):
    """The upload of an import file."""

    file = forms.FileField(
        label="File (CSV or XLSX)",
        help_text=f"UTF-8 CSV or XLSX (first sheet), at most {MAX_IMPORT_MB} MB and "
        f"{MAX_IMPORT_ROWS:,} rows; the header is row 1.",
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPTED_FILES}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError(
                f"The file is {upload.size / 1024 / 1024:.1f} MB; the limit is {MAX_IMPORT_MB} MB."
            )
        return upload


class RoleImportForm(ImportFileForm):
    """The upload of a catalog file into one of the organizations the user administers."""

    organization = forms.ModelChoiceField(queryset=None, label="Organization", empty_label=None)
    field_order = ["organization", "file"]

    def __init__(self, *args, organizations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations


def sign_upload(*, filename: str, content: bytes, salt: str, **extra) -> str:
    """The file (and e.g. the plan version seen) as a tamper-proof form value for "confirm"."""
    payload = {"name": filename, "content": base64.b64encode(content).decode("ascii"), **extra}
    return signing.dumps(payload, salt=salt, compress=True)


def unsign_upload(token: str, *, salt: str) -> dict | None:
    """The signed payload with `content` as bytes, or None when it is forged or too old."""
    try:
        payload = signing.loads(token, salt=salt, max_age=PREVIEW_MAX_AGE_SECONDS)
        payload["content"] = base64.b64decode(payload["content"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None
    return payload


def preview_context(
    *, summary: ImportSummary | None = None, errors: list[RowError] | None = None
) -> dict:
    """What the preview partial shows: the error report, or the changes."""
    errors = errors or []
    changes = list(summary.changes) if summary else []
    return {
        "summary": summary,
        "errors": errors[:PREVIEW_ERRORS_SHOWN],
        "errors_hidden": max(0, len(errors) - PREVIEW_ERRORS_SHOWN),
        "error_rows": len({error.row for error in errors if error.row is not None}),
        "changes": changes[:PREVIEW_CHANGES_SHOWN],
        "changes_hidden": max(0, len(changes) - PREVIEW_CHANGES_SHOWN),
    }


def import_page(request, *, full_template: str, partial_template: str, context: dict):
    """htmx uploads get the preview partial; a plain form post gets the whole page."""
    if getattr(request, "htmx", False):
        return render(request, partial_template, context)
    return render(request, full_template, {**organization_context(request), **context})


def export_response(content: bytes, *, filename: str, as_format: str) -> HttpResponse:
    media_type = XLSX_MEDIA_TYPE if as_format == "xlsx" else f"{CSV_MEDIA_TYPE}; charset=utf-8"
    response = HttpResponse(content, content_type=media_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def requested_format(request) -> str:
    as_format = (request.GET.get("as") or "csv").lower()
    if as_format not in EXPORT_FORMATS:
        raise Http404("Export as csv or xlsx.")
    return as_format


ROLE_IMPORT_SALT = "roles.import"


@login_required
@require_http_methods(["GET", "POST"])
def role_import_view(request):
    """Upload a catalog file, see what is wrong or what would change, then confirm."""
    organizations = selectors.organizations_by_ids(
        organization_id
        for organization_id in selectors.organization_ids_for(request.user)
        if permissions.allows(request.user, "organization.administer", organization_id)
    )
    if not organizations:
        raise PermissionDenied("Only organization admins may import roles.")
    context = {"organizations": organizations}
    if request.method == "POST" and "token" in request.POST:
        return _confirm_role_import(request, organizations)
    if request.method == "POST":
        form = RoleImportForm(request.POST, request.FILES, organizations=organizations)
        if form.is_valid():
            organization = form.cleaned_data["organization"]
            upload = form.cleaned_data["file"]
            filename, content = upload.name, upload.read()
            try:
                summary = role_import_preview(
                    organization=organization, filename=filename, content=content
                )
            except ImportRejected as rejected:
                context.update(preview_context(errors=rejected.errors))
            else:
                context.update(preview_context(summary=summary))
                context["token"] = sign_upload(
                    filename=filename,
                    content=content,
                    salt=ROLE_IMPORT_SALT,
                    organization=organization.id,
                )
            context.update(filename=filename, organization=organization, previewed=True)
    else:
        form = RoleImportForm(organizations=organizations)
    context["form"] = form
    return import_page(
        request,
        full_template="roles/import.html",
        partial_template="roles/import_preview.html",
        context=context,
    )


def _confirm_role_import(request, organizations):
    payload = unsign_upload(request.POST["token"], salt=ROLE_IMPORT_SALT)
    if payload is None:
        messages.error(request, "The preview is too old or damaged: upload the file again.")
        return redirect("roles:import")
    organization = selectors.organization_visible_to(request.user, payload.get("organization"))
    if organization is None or not permissions.allows(
        request.user, "organization.administer", organization.id
    ):
        raise Http404("No such organization.")
    try:
        summary = role_import(
            organization=organization,
            filename=payload["name"],
            content=payload["content"],
            user=request.user,
        )
    except ImportRejected as rejected:
        context = {
            "organizations": organizations,
            "form": RoleImportForm(organizations=organizations),
            "filename": payload["name"],
            "organization": organization,
            "previewed": True,
            **preview_context(errors=rejected.errors),
        }
        return render(
            request, "roles/import.html", {**organization_context(request), **context}, status=400
        )
    messages.success(
        request,
        f"Imported {payload['name']} into {organization.name}: {summary.created} created, "
        f"{summary.updated} updated, {summary.unchanged} unchanged.",
    )
    return redirect("roles:import")


@login_required
@require_GET
def role_export_view(request):
    """Download the catalog you can see (or one organization's, `?organization=`)."""
    as_format = requested_format(request)
    raw_organization = request.GET.get("organization")
    organization_id = None
    if raw_organization:
        if not raw_organization.isdecimal() or not permissions.allows(
            request.user, "organization.view", int(raw_organization)
        ):
            raise Http404("No such organization.")
        organization_id = int(raw_organization)
    roles = selectors.roles_for_export(request.user, organization_id)
    return export_response(
        selectors.role_export(roles=roles, as_format=as_format),
        filename=f"roles.{as_format}",
        as_format=as_format,
    )


urlpatterns = [
    path("roles/import/", role_import_view, name="import"),
    path("roles/export/", role_export_view, name="export"),
]
