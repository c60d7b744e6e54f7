"""API: import and export of a plan's lines (CSV, XLSX), as `@action`s of `PlanViewSet`.

`POST plans/{id}/import/` (multipart `file`, optional `version`) replaces the plan's lines;
`GET plans/{id}/export/?as=csv|xlsx` downloads them (the XLSX has a "Score" sheet too).
Who may do either is `roles.permissions`' rule (`plan.edit`, `plan.view`), asked through
`PlanRulePermission`.
"""

from django.core.exceptions import ValidationError
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, serializers
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from l_and_d_planner.api import Conflict
from l_and_d_planner.api_fields import PlainIntegerField
from l_and_d_planner.tabular import MAX_IMPORT_MB, ImportRejected, RowError
from plans.api.permissions import PlanRulePermission
from plans.presenters import export_filename
from plans.services.imports import plan_export, plan_import
from plans.services.plans import StaleVersion
from roles.api.transfer import (
    AS_PARAMETER,
    BAD_FORMAT,
    EXPORT_RENDERERS,
    EXPORT_RESPONSES,
    IMPORT_ERROR_RESPONSES,
    ImportResultSerializer,
    export_format,
    file_response,
    rejected_response,
    request_errors,
    summary_data,
    uploaded_file,
)
from roles.permissions import PlanReadOnly


class PlanImportFileSerializer(serializers.Serializer):
    file = serializers.FileField(
        help_text=f"A CSV (UTF-8) or XLSX file of at most {MAX_IMPORT_MB} MB with the columns "
        "role, current_fte, planned_fte and optionally locked, note."
    )
    version = PlainIntegerField(
        required=False,
        min_value=1,
        help_text="The plan version you read; if the plan moved on since, the answer is 409.",
    )


class PlanImportResultSerializer(ImportResultSerializer):
    version = serializers.IntegerField(help_text="The plan's version after the import.")


class PlanTransferActions:
    """`PlanViewSet`'s import and export of a plan's lines (`plans/{id}/import/`, `/export/`)."""

    @extend_schema(
        operation_id="plans_import",
        request={"multipart/form-data": PlanImportFileSerializer},
        responses={
            200: PlanImportResultSerializer,
            **IMPORT_ERROR_RESPONSES,
            409: OpenApiResponse(description="The plan changed since `version`."),
        },
        tags=["plans"],
    )
    @action(
        detail=True,
        methods=["post"],
        url_path="import",
        url_name="import",
        permission_rule="plan.edit",
        permission_classes=[IsAuthenticated, PlanRulePermission],
        parser_classes=[MultiPartParser, FormParser],
        filter_backends=[],
        pagination_class=None,
    )
    def import_lines(self, request, pk=None):
        """Replace a plan's lines with a file's (planners and admins of the plan's organization)."""
        try:
            plan = self.get_object()
        except exceptions.ValidationError as refusal:  # the plan is frozen: say so as a report
            return rejected_response(
                [RowError(None, "status", str(reason)) for reason in refusal.detail["status"]]
            )
        serializer = PlanImportFileSerializer(data=request.data)
        if not serializer.is_valid():
            return rejected_response(request_errors(serializer.errors))
        upload = uploaded_file(serializer.validated_data)
        if isinstance(upload, list):
            return rejected_response(upload)
        filename, content = upload
        try:
            summary = plan_import(
                plan=plan,
                filename=filename,
                content=content,
                user=request.user,
                expected_version=serializer.validated_data.get("version"),
            )
        except ImportRejected as rejected:
            return rejected_response(rejected.errors)
        except PlanReadOnly:  # moved on from draft since the permission check: 409
            raise
        except ValidationError as error:
            return rejected_response(
                [RowError(None, "status", message) for message in error.messages]
            )
        except StaleVersion as stale:
            raise Conflict(
                f"The plan changed since you read it: it is at version {stale.current_version}."
            ) from None
        return Response(
            PlanImportResultSerializer({**summary_data(summary), "version": plan.version}).data
        )

    @extend_schema(
        operation_id="plans_export",
        parameters=[AS_PARAMETER],
        responses=EXPORT_RESPONSES,
        tags=["plans"],
    )
    @action(
        detail=True,
        methods=["get"],
        url_path="export",
        url_name="export",
        permission_rule="plan.view",
        permission_classes=[IsAuthenticated, PlanRulePermission],
        renderer_classes=EXPORT_RENDERERS,
        filter_backends=[],
        pagination_class=None,
    )
    def export_lines(self, request, pk=None):
        """A plan's lines as CSV or XLSX (with a "Score" sheet), for any member."""
        plan = self.get_object()
        as_format = export_format(request)
        if as_format is None:
            return rejected_response([BAD_FORMAT])
        return file_response(
            plan_export(plan=plan, as_format=as_format),
            filename=export_filename(plan.name, "lines", as_format),
            as_format=as_format,
        )
