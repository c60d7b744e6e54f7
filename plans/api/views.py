"""API views of target models, plans, plan lines and scores."""

import django_filters
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, filters, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from l_and_d_planner.api import Conflict
from plans import selectors
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
from plans.models import Plan, PlanLine, PlanStatus, TargetModel
from plans.selectors import plans_readiness_scores
from plans.services import plans as services
from roles.selectors import user_can_plan, user_is_admin

MAX_ID = 2**63 - 1


def require_planner(user, organization_id) -> None:
    if not user_can_plan(user, organization_id):
        raise exceptions.PermissionDenied(
            "Only planners and admins of this organization may edit plans."
        )


class TargetModelViewSet(viewsets.ModelViewSet):
    """Target models: the built-in ones (read-only) and your organizations' own."""

    serializer_class = TargetModelSerializer
    queryset = TargetModel.objects.none()
    filterset_fields = ["organization"]
    ordering = ["id"]

    def get_queryset(self):
        return selectors.target_models_visible_to(self.request.user).order_by("id")

    def _require_admin(self, organization_id):
        if organization_id is None or not user_is_admin(self.request.user, organization_id):
            raise exceptions.PermissionDenied(
                "Built-in models are read-only; an organization's admins edit its own."
            )

    def perform_create(self, serializer):
        self._require_admin(serializer.validated_data["organization"].id)
        fields = serializer.to_model_fields()
        serializer.instance = services.target_model_save(target_model=TargetModel(), **fields)

    def perform_update(self, serializer):
        self._require_admin(serializer.instance.organization_id)
        fields = serializer.to_model_fields()
        if "organization" in fields and fields["organization"].id != (
            serializer.instance.organization_id
        ):
            raise exceptions.ValidationError({"organization": "A model cannot change owner."})
        serializer.instance = services.target_model_save(target_model=serializer.instance, **fields)

    def perform_destroy(self, target_model):
        self._require_admin(target_model.organization_id)
        if target_model.plans.exists():
            raise exceptions.ValidationError(
                {"target_model": "Plans use this model: point them at another one first."}
            )
        target_model.delete()


class PlanFilterSet(django_filters.FilterSet):
    search = django_filters.CharFilter(field_name="name", lookup_expr="icontains")

    class Meta:
        model = Plan
        fields = ["organization", "status", "source_plan", "target_model", "search"]


class PlanViewSet(
    PlanSuggestionActions, PlanReadinessActions, PlanTransferActions, viewsets.ModelViewSet
):
    """Department plans. PUT and PATCH must carry the `version` read, else 409.

    Feature modules add their `@action`s through the mixins; each action names its rule with
    `permission_rule` (see `plans.api.permissions`).
    """

    permission_rule: str | None = None

    serializer_class = PlanSerializer
    queryset = Plan.objects.none()
    filterset_class = PlanFilterSet
    ordering_fields = ["updated_at", "created_at", "name", "id"]
    ordering = ["-updated_at", "-id"]

    def get_queryset(self):
        return selectors.plans_visible_to(self.request.user)

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        require_planner(self.request.user, data["organization"].id)
        data.pop("version", None)
        if data.pop("status", PlanStatus.DRAFT) != PlanStatus.DRAFT:
            raise exceptions.ValidationError({"status": "A new plan starts as a draft."})
        serializer.instance = services.plan_create(user=self.request.user, **data)

    def perform_update(self, serializer):
        plan = serializer.instance
        require_planner(self.request.user, plan.organization_id)
        data = dict(serializer.validated_data)
        expected = data.pop("version", None)
        if expected is None:
            raise Conflict(
                f"Send the plan's `version` you read; the plan is at version {plan.version}."
            )
        if "organization" in data and data.pop("organization").id != plan.organization_id:
            raise exceptions.ValidationError({"organization": "A plan cannot change owner."})
        data.pop("source_plan", None)
        try:
            serializer.instance = services.plan_update(
                plan=plan, expected_version=expected, user=self.request.user, **data
            )
        except services.StaleVersion as stale:
            raise Conflict(
                f"The plan changed since you read it (you sent version {expected}, it is at "
                f"{stale.current_version}). Read it again and retry."
            ) from None

    def perform_destroy(self, plan):
        require_planner(self.request.user, plan.organization_id)
        plan.delete()

    @extend_schema(responses=PlanScoreSerializer, filters=False)
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def score(self, request, pk=None):
        """The plan's current and planned columns scored against its target model."""
        plan = self.get_object()
        readiness = plans_readiness_scores([plan.id])
        return Response(plan_score_payload(services.plan_score(plan), readiness.get(plan.id)))


class PlanLineViewSet(viewsets.ModelViewSet):
    """The lines of a plan: headcount per role, today and planned."""

    serializer_class = PlanLineSerializer
    queryset = PlanLine.objects.none()
    filter_backends = [filters.OrderingFilter]
    ordering_fields = ["id", "current_fte", "planned_fte"]
    ordering = ["id"]

    def get_plan(self) -> Plan:
        if not hasattr(self, "_plan"):
            self._plan = get_object_or_404(
                selectors.plans_visible_to(self.request.user), pk=self.kwargs["plan_pk"]
            )
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

    def perform_create(self, serializer):
        plan = self.get_plan()
        require_planner(self.request.user, plan.organization_id)
        serializer.instance = services.plan_line_create(
            plan=plan, user=self.request.user, **serializer.validated_data
        )

    def perform_update(self, serializer):
        require_planner(self.request.user, self.get_plan().organization_id)
        serializer.instance = services.plan_line_update(
            line=serializer.instance, user=self.request.user, **serializer.validated_data
        )

    def perform_destroy(self, line):
        require_planner(self.request.user, self.get_plan().organization_id)
        services.plan_line_delete(line=line, user=self.request.user)


class ScoresView(APIView):
    """Every plan's score in one response, for dashboards."""

    @extend_schema(
        parameters=[
            OpenApiParameter("organization", OpenApiTypes.INT, description="Organization id"),
            OpenApiParameter("status", OpenApiTypes.STR, enum=PlanStatus.values),
        ],
        responses=ScoresSerializer,
    )
    def get(self, request):
        plans = selectors.plans_visible_to(request.user).order_by("id")
        organization = request.query_params.get("organization")
        if organization not in (None, ""):
            if not organization.isdigit():
                raise exceptions.ValidationError(
                    {"organization": "Give the organization's id (an integer)."}
                )
            organization_id = int(organization)
            # Beyond a 64-bit id nothing can match (and SQLite cannot even compare it).
            plans = (
                plans.filter(organization_id=organization_id)
                if (organization_id <= MAX_ID)
                else plans.none()
            )
        plan_status = request.query_params.get("status")
        if plan_status not in (None, ""):
            if plan_status not in PlanStatus.values:
                raise exceptions.ValidationError(
                    {"status": f"Use one of {', '.join(PlanStatus.values)}."}
                )
            plans = plans.filter(status=plan_status)
        results = services.plans_score(list(plans))
        readiness = plans_readiness_scores(result.plan.id for result in results)
        return Response(
            {
                "count": len(results),
                "results": [
                    plan_score_payload(result, readiness.get(result.plan.id)) for result in results
                ],
            }
        )
