"""API: import and export of the role catalog (CSV, XLSX), as `@action`s of `RoleViewSet`.

`POST roles/import/` (multipart: `file`, `organization`) and `GET roles/export/?as=csv|xlsx`.
Importing asks `organization.administer`, exporting one organization's roles
`organization.view` (an organization the user does not belong to is a 404).
The serializers and helpers here are shared with the plan import/export in `plans.api.transfer`.
"""

from django.http import Http404, HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response

from l_and_d_planner.api_fields import PlainIntegerField
from l_and_d_planner.tabular import (
    CSV_MEDIA_TYPE,
    EXPORT_FORMATS,
    MAX_IMPORT_BYTES,
    MAX_IMPORT_MB,
    XLSX_MEDIA_TYPE,
    ImportRejected,
    ImportSummary,
    RowError,
)
from roles import permissions, selectors
from roles.models import Organization
from roles.services import role_import

# --- shared serializers -----------------------------------------------------------------------


class ImportErrorSerializer(serializers.Serializer):
    row = serializers.IntegerField(
        allow_null=True, help_text="Row as a spreadsheet shows it (header = 1); null: the file."
    )
    column = serializers.CharField(allow_null=True, help_text="The column, or null.")
    reason = serializers.CharField()


class ImportErrorsSerializer(serializers.Serializer):
    """A rejected file: every problem; nothing was written."""

    errors = ImportErrorSerializer(many=True)


class ImportResultSerializer(serializers.Serializer):
    """An accepted file: how many objects it created, updated, deleted or left unchanged."""

    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    deleted = serializers.IntegerField()
    unchanged = serializers.IntegerField()


class RoleImportFileSerializer(serializers.Serializer):
    file = serializers.FileField(
        help_text=f"A CSV (UTF-8) or XLSX file of at most {MAX_IMPORT_MB} MB."
    )
    organization = PlainIntegerField(help_text="The organization whose catalog to load.")


class FileRenderer(BaseRenderer):
    """Lets clients ask for the file types the export endpoints answer with."""

    charset = None

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if isinstance(data, bytes):
            return data
        return JSONRenderer().render(data)


class CSVRenderer(FileRenderer):
    media_type = CSV_MEDIA_TYPE
    format = "csv"


class XLSXRenderer(FileRenderer):
    media_type = XLSX_MEDIA_TYPE
    format = "xlsx"


EXPORT_RENDERERS = [JSONRenderer, CSVRenderer, XLSXRenderer]

AS_PARAMETER = OpenApiParameter(
    "as",
    OpenApiTypes.STR,
    enum=list(EXPORT_FORMATS),
    description="File type: csv (default) or xlsx.",
)

EXPORT_RESPONSES = {
    (200, CSV_MEDIA_TYPE): OpenApiResponse(OpenApiTypes.BINARY, description="A CSV file."),
    (200, XLSX_MEDIA_TYPE): OpenApiResponse(OpenApiTypes.BINARY, description="An XLSX file."),
    (400, "application/json"): OpenApiResponse(ImportErrorsSerializer, description="Bad `as`."),
    (404, "application/json"): OpenApiResponse(description="Not found or not yours."),
}

IMPORT_ERROR_RESPONSES = {
    400: OpenApiResponse(ImportErrorsSerializer, description="Rejected: nothing was written."),
    403: OpenApiResponse(description="You may not import here."),
    404: OpenApiResponse(description="Not found or not yours."),
}


def rejected_response(errors: list[RowError]) -> Response:
    """400 with `{errors: [{row, column, reason}]}`."""
    return Response(
        {"errors": [error.as_dict() for error in errors]},
        status=status.HTTP_400_BAD_REQUEST,
        content_type="application/json",
    )


def request_errors(serializer_errors: dict) -> list[RowError]:
    """A request serializer's errors in the import report's shape (no row: the request)."""
    return [
        RowError(None, field, str(message))
        for field, messages in serializer_errors.items()
        for message in messages
    ]


def uploaded_file(validated) -> tuple[str, bytes] | list[RowError]:
    """(filename, bytes) of the upload, or the error when it is over the size limit."""
    upload = validated["file"]
    if upload.size > MAX_IMPORT_BYTES:
        return [
            RowError(
                None,
                "file",
                f"The file is {upload.size / 1024 / 1024:.1f} MB; the limit is {MAX_IMPORT_MB} MB.",
            )
        ]
    return upload.name or "upload", upload.read()


def export_format(request) -> str | None:
    """The `as` query parameter, csv by default; None for anything but csv or xlsx."""
    as_format = (request.query_params.get("as") or "csv").lower()
    return as_format if as_format in EXPORT_FORMATS else None


BAD_FORMAT = RowError(None, "as", "Use csv or xlsx.")


def file_response(content: bytes, *, filename: str, as_format: str) -> HttpResponse:
    """A download of `content` as `filename`."""
    media_type = XLSX_MEDIA_TYPE if as_format == "xlsx" else f"{CSV_MEDIA_TYPE}; charset=utf-8"
    response = HttpResponse(content, content_type=media_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def summary_data(summary: ImportSummary) -> dict[str, int]:
    return summary.counts()


# --- catalog ----------------------------------------------------------------------------------


def _member_organization(user, organization_id: int) -> Organization:
    """An organization the user belongs to; 404 for any other."""
    organization = selectors.organization_visible_to(user, organization_id)
    if organization is None:
        raise Http404("No such organization.")
    return organization


class RoleTransferActions:
    """`RoleViewSet`'s catalog import and export (`roles/import/`, `roles/export/`)."""

    @extend_schema(
        operation_id="roles_import",
        request={"multipart/form-data": RoleImportFileSerializer},
        responses={200: ImportResultSerializer, **IMPORT_ERROR_RESPONSES},
        tags=["roles"],
    )
    @action(
        detail=False,
        methods=["post"],
        url_path="import",
        url_name="import",
        parser_classes=[MultiPartParser, FormParser],
        filter_backends=[],
        pagination_class=None,
    )
    def import_catalog(self, request):
        """Create and update an organization's roles from a CSV or XLSX file (admins)."""
        serializer = RoleImportFileSerializer(data=request.data)
        if not serializer.is_valid():
            return rejected_response(request_errors(serializer.errors))
        organization = _member_organization(request.user, serializer.validated_data["organization"])
        permissions.require(request.user, "organization.administer", organization.id)
        upload = uploaded_file(serializer.validated_data)
        if isinstance(upload, list):
            return rejected_response(upload)
        filename, content = upload
        try:
            summary = role_import(
                organization=organization, filename=filename, content=content, user=request.user
            )
        except ImportRejected as rejected:
            return rejected_response(rejected.errors)
        return Response(ImportResultSerializer(summary_data(summary)).data)

    @extend_schema(
        operation_id="roles_export",
        parameters=[
            AS_PARAMETER,
            OpenApiParameter(
                "organization",
                OpenApiTypes.INT,
                description="Only the shared catalog and this organization's roles.",
            ),
        ],
        responses=EXPORT_RESPONSES,
        tags=["roles"],
    )
    @action(
        detail=False,
        methods=["get"],
        url_path="export",
        url_name="export",
        renderer_classes=EXPORT_RENDERERS,
        filter_backends=[],
        pagination_class=None,
    )
    def export_catalog(self, request):
        """The catalog you can see as CSV or XLSX, in the shape the import reads back."""
        as_format = export_format(request)
        if as_format is None:
            return rejected_response([BAD_FORMAT])
        raw_organization = request.query_params.get("organization")
        organization_id = None
        if raw_organization:
            if not raw_organization.isdecimal():
                return rejected_response([RowError(None, "organization", "Give an id.")])
            organization_id = int(raw_organization)
            if not permissions.allows(request.user, "organization.view", organization_id):
                raise Http404("No such organization.")
        roles = selectors.roles_for_export(request.user, organization_id)
        return file_response(
            selectors.role_export(roles=roles, as_format=as_format),
            filename=f"roles.{as_format}",
            as_format=as_format,
        )
