"""API views of target models, plans, plan lines and scores.

Thin: they translate requests to services and selectors; `roles.permissions` decides who may do
what (through `plans.api.permissions`), `plans.filters` filters the lists.
"""

from contextlib import contextmanager

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, filters, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from l_and_d_planner.api import Conflict
from plans import presenters, selectors
from plans.api.permissions import PlanRulePermission
from plans.api.readiness import PlanReadinessActions
from plans.api.serializers import (
    PlanLineSerializer,
    PlanScoreSerializer,
    PlanSerializer,
    ScoresSerializer,
    TargetModelSerializer,
    plan_score_payload,
)
from plans.api.suggestions import PlanSuggestionActions
from plans.api.transfer import PlanTransferActions
from plans.filters import PlanFilterSet, ScoresFilterSet, TargetModelFilterSet
from plans.models import Plan, PlanLine, PlanStatus, TargetModel
from plans.services import lines as line_services
from plans.services import plans as plan_services
from roles import permissions


def stale_conflict(expected: int, stale: plan_services.StaleVersion) -> Conflict:
    return Conflict(
        f"The plan changed since you read it (you sent version {expected}, it is at "
        f"{stale.current_version}). Read it again and retry.",
        version=stale.current_version,
    )


LINE_VERSION = OpenApiParameter(
    "version",
    OpenApiTypes.INT,
    description="The line's `version` you read (or send it as `If-Match`); stale or missing: 409.",
)


def sent_line_version(request) -> int | None:
    """The version a DELETE carries: `?version=`, an `If-Match` header or a JSON body field.

    Plain ASCII digits only (as every number the API reads); anything else counts as missing.
    """
    raw = request.query_params.get("version") or request.headers.get("If-Match", "")
    if not raw and isinstance(request.data, dict):
        raw = request.data.get("version", "")
    text = str(raw).strip().strip('"')
    if isinstance(raw, bool) or not (text.isascii() and text.isdigit()) or len(text) > 9:
        return None
    return int(text)


@contextmanager
def line_conflicts(expected: int | None):
    """A stale or missing line version answers 409 with the line's current version; a line
    deleted meanwhile answers 404."""
    try:
        yield
    except line_services.StaleLine as stale:
        if expected is None:
            detail = f"Send the line's `version` you read; the line is at version {stale.current_version}."
        else:
            detail = (
                f"The line changed since you read it (you sent version {expected}, it is at "
                f"{stale.current_version}). Read it again and retry."
            )
        raise Conflict(detail, version=stale.current_version) from None
    except PlanLine.DoesNotExist:
        raise Http404("No such line.") from None


class TargetModelViewSet(viewsets.ModelViewSet):
    """Target models: the built-in ones (read-only) and your organizations' own."""

    serializer_class = TargetModelSerializer
    queryset = TargetModel.objects.none()
    filterset_class = TargetModelFilterSet
    ordering = ["id"]

    def get_queryset(self):
        return selectors.target_models_visible_to(self.request.user).order_by("id")

    def perform_create(self, serializer):
        fields = serializer.to_model_fields()
        permissions.require(self.request.user, "target_model.edit", TargetModel(**fields))
        serializer.instance = plan_services.target_model_save(target_model=TargetModel(), **fields)

    def perform_update(self, serializer):
        permissions.require(self.request.user, "target_model.edit", serializer.instance)
        fields = serializer.to_model_fields()
        if "organization" in fields and fields["organization"].id != (
            serializer.instance.organization_id
        ):
            raise exceptions.ValidationError({"organization": "A model cannot change owner."})
        serializer.instance = plan_services.target_model_save(
            target_model=serializer.instance, **fields
        )

    def perform_destroy(self, target_model):
        permissions.require(self.request.user, "target_model.edit", target_model)
        plan_services.target_model_delete(target_model=target_model)


class PlanViewSet(
    PlanSuggestionActions, PlanReadinessActions, PlanTransferActions, viewsets.ModelViewSet
):
    """Department plans. PUT and PATCH must carry the `version` read, else 409.

    Feature modules add their `@action`s through the mixins; each action names its rule with
    `permission_rule` (see `plans.api.permissions`).
    """

    serializer_class = PlanSerializer
    queryset = Plan.objects.none()
    permission_classes = [IsAuthenticated, PlanRulePermission]
    permission_rule: str | None = None
    filterset_class = PlanFilterSet
    lookup_value_regex = r"[0-9]+"
    ordering_fields = ["updated_at", "created_at", "name", "id"]
    ordering = ["-updated_at", "-id"]

    def get_queryset(self):
        return selectors.plans_visible_to(self.request.user)

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        permissions.require(self.request.user, "organization.plan", data["organization"].id)
        data.pop("version", None)
        if data.pop("status", PlanStatus.DRAFT) != PlanStatus.DRAFT:
            raise exceptions.ValidationError({"status": "A new plan starts as a draft."})
        serializer.instance = plan_services.plan_create(user=self.request.user, **data)

    def perform_update(self, serializer):
        plan = serializer.instance
        data = dict(serializer.validated_data)
        expected = data.pop("version", None)
        if expected is None:
            raise Conflict(
                f"Send the plan's `version` you read; the plan is at version {plan.version}.",
                version=plan.version,
            )
        if "organization" in data and data.pop("organization").id != plan.organization_id:
            raise exceptions.ValidationError({"organization": "A plan cannot change owner."})
        data.pop("source_plan", None)
        comment = data.pop("status_comment", None)
        try:
            if comment is None:
                serializer.instance = plan_services.plan_update(
                    plan=plan, expected_version=expected, user=self.request.user, **data
                )
            else:
                serializer.instance = self.status_move_with_comment(plan, expected, data, comment)
        except plan_services.StaleVersion as stale:
            raise stale_conflict(expected, stale) from None

    def status_move_with_comment(self, plan, expected: int, data: dict, comment: str):
        """A review: a status move and its comment, alone in the request (as on the web)."""
        if "status" not in data or set(data) - {"status"}:
            raise exceptions.ValidationError({"status_comment": [presenters.COMMENT_ALONE]})
        try:
            return plan_services.plan_status_change(
                plan=plan,
                expected_version=expected,
                user=self.request.user,
                status=data["status"],
                comment=comment,
            )
        except DjangoValidationError as error:
            if hasattr(error, "message_dict") and "comment" in error.message_dict:
                raise exceptions.ValidationError(
                    {"status_comment": error.message_dict["comment"]}
                ) from None
            raise

    def get_object(self):
        # A status change is its own rule (an approved plan may be reopened): the service
        # checks it; field changes of a frozen plan are refused there too, with the reason.
        if self.action in ("update", "partial_update"):
            self.permission_rule = "plan.change"
        elif self.action == "destroy":
            self.permission_rule = "plan.delete"
        return super().get_object()

    def perform_destroy(self, plan):
        plan_services.plan_delete(plan=plan)

    @extend_schema(responses=PlanScoreSerializer, filters=False)
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def score(self, request, pk=None):
        """The plan's current and planned columns scored against its target model.

        Fetch, then compute: the plan joined with the caller's membership and its readiness
        sums (one query), its lines (one query), then the pure scoring.
        """
        plan = selectors.plan_for_caller(request.user, pk)
        if plan is None:
            raise Http404("No such plan.")
        permissions.require(request.user, "plan.view", plan)
        fetched = selectors.score_fetches([plan])[0]
        return Response(plan_score_payload(fetched.result, fetched.readiness))


class PlanLineViewSet(viewsets.ModelViewSet):
    """The lines of a plan: headcount per role, today and planned."""

    serializer_class = PlanLineSerializer
    queryset = PlanLine.objects.none()
    filter_backends = [filters.OrderingFilter]
    ordering_fields = ["id", "current_fte", "planned_fte"]
    ordering = ["id"]

    def get_plan(self) -> Plan:
        if not hasattr(self, "_plan"):
            plan = selectors.plan_visible(self.request.user, self.kwargs["plan_pk"])
            if plan is None:
                raise Http404("No such plan.")
            self._plan = plan
        return self._plan

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return PlanLine.objects.none()
        return selectors.plan_lines(self.get_plan())

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if not getattr(self, "swagger_fake_view", False):
            context["plan"] = self.get_plan()
        return context

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if request.method not in ("GET", "HEAD", "OPTIONS"):
            permissions.require(request.user, "plan.edit", self.get_plan())

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        data.pop("version", None)
        serializer.instance = line_services.plan_line_create(
            plan=self.get_plan(), user=self.request.user, **data
        )

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        expected = data.pop("version", None)
        with line_conflicts(expected):
            serializer.instance = line_services.plan_line_update(
                line=serializer.instance, expected_version=expected, user=self.request.user, **data
            )

    @extend_schema(parameters=[LINE_VERSION])
    def destroy(self, request, *args, **kwargs):
        """Delete a line: send the `version` you read (query `?version=`, or `If-Match`)."""
        return super().destroy(request, *args, **kwargs)

    def perform_destroy(self, line):
        expected = sent_line_version(self.request)
        with line_conflicts(expected):
            line_services.plan_line_delete(
                line=line, expected_version=expected, user=self.request.user
            )


class ScoresView(APIView):
    """Every plan's score in one response, for dashboards (filtered by `plans.filters`)."""

    @extend_schema(
        parameters=[
            OpenApiParameter("organization", OpenApiTypes.INT, description="Organization id"),
            OpenApiParameter("status", OpenApiTypes.STR, enum=PlanStatus.values),
        ],
        responses=ScoresSerializer,
    )
    def get(self, request):
        filterset = ScoresFilterSet(request.query_params, queryset=Plan.objects.all())
        if not filterset.is_valid():
            raise exceptions.ValidationError(filterset.errors)
        fetched = selectors.plans_score_fetch(request.user, filterset.form.cleaned_data)
        return Response(
            {
                "count": len(fetched),
                "results": [plan_score_payload(item.result, item.readiness) for item in fetched],
            }
        )
