"""API: rebalancing suggestions, applying them as a scenario, cloning a plan.

`@action`s of `PlanViewSet` (through `PlanSuggestionActions`), under /api/v1/:
- GET  plans/{id}/suggestions/?mode=&step=  -> {mode, step, actions, summary, result}
- POST plans/{id}/apply-suggestions/ {mode, step, name?} -> 201, the new draft plan
- POST plans/{id}/clone/ {name?} -> 201, the new draft plan
"""

from decimal import Decimal

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from plans import presenters
from plans.api.permissions import PlanRulePermission
from plans.api.serializers import ColumnScoreSerializer, PlanSerializer, decimal_out
from plans.domain import rebalancing
from plans.domain.rebalancing import BINDING_CONSTRAINTS, MODES, Suggestion
from plans.services import scenarios
from roles.bands import BAND_CHOICES


class SuggestionParamsSerializer(serializers.Serializer):
    mode = serializers.ChoiceField(
        choices=list(MODES),
        default="reassign",
        help_text="reassign: total FTE unchanged; grow: additions only; budget: within the "
        "plan's budget cap.",
    )
    step = serializers.DecimalField(
        max_digits=3,
        decimal_places=1,
        default=rebalancing.DEFAULT_STEP,
        min_value=rebalancing.MIN_STEP,
        max_value=rebalancing.MAX_STEP,
        coerce_to_string=False,
        help_text="FTE per change: 0.1 to 5, a multiple of 0.1 (default 0.5).",
    )

    def validate_step(self, step: Decimal) -> Decimal:
        try:
            return rebalancing.validate_step(step)
        except rebalancing.RebalanceInputError as error:
            raise serializers.ValidationError(presenters.rebalance_input_message(error)) from None


class ApplySuggestionsSerializer(SuggestionParamsSerializer):
    name = serializers.CharField(
        required=False, max_length=200, help_text="The new plan's name (default: derived)."
    )


class CloneSerializer(serializers.Serializer):
    name = serializers.CharField(
        required=False, max_length=200, help_text="The copy's name (default: Copy of …)."
    )


class SuggestionActionSerializer(serializers.Serializer):
    role = serializers.IntegerField(source="role_id")
    role_title = serializers.CharField(source="title")
    band = serializers.ChoiceField(choices=BAND_CHOICES)
    line = serializers.IntegerField(
        source="line_id", allow_null=True, help_text="The plan line; null for a new role."
    )
    new_line = serializers.BooleanField(help_text="A catalog role the plan does not have yet.")
    from_fte = decimal_out()
    to_fte = decimal_out()
    delta = decimal_out()
    cost_delta = decimal_out(help_text="Change of annual cost.")
    reason = serializers.CharField()


class SuggestionSummarySerializer(serializers.Serializer):
    text = serializers.CharField(help_text="One sentence a person reads.")
    step = decimal_out()
    actions = serializers.IntegerField()
    fte_before = decimal_out()
    fte_after = decimal_out()
    fte_added = decimal_out()
    fte_removed = decimal_out()
    cost_before = decimal_out()
    cost_after = decimal_out()
    cost_delta = decimal_out()
    currency = serializers.CharField()
    score_before = decimal_out(allow_null=True)
    score_after = decimal_out(allow_null=True)


class SuggestionResultSerializer(ColumnScoreSerializer):
    """The resulting planned column (the score endpoint's shape) and what limited it."""

    target_reached = serializers.BooleanField(
        help_text="Every band ends within the target model's tolerance."
    )
    binding_constraint = serializers.ChoiceField(
        choices=list(BINDING_CONSTRAINTS),
        allow_null=True,
        help_text="When the target is not reached: the constraint that stops it.",
    )
    binding_reason = serializers.CharField(allow_null=True)
    optimal = serializers.BooleanField(
        help_text="True: the search completed and the mix is optimal for the mode. False: the "
        "search stopped at its work limit (a fine step on a large plan) and this is the best mix "
        "found within it; every constraint still holds. A coarser step finds the exact optimum "
        "faster."
    )


class SuggestionsSerializer(serializers.Serializer):
    mode = serializers.ChoiceField(choices=list(MODES))
    actions = SuggestionActionSerializer(many=True)
    summary = SuggestionSummarySerializer()
    result = SuggestionResultSerializer()

    def to_representation(self, payload):
        # thousands of actions: plain dicts (the same fields as SuggestionActionSerializer),
        # ten times faster than DRF's field machinery
        return {
            "mode": payload["mode"],
            "actions": [
                {
                    "role": row["action"].role_id,
                    "role_title": row["action"].title,
                    "band": row["action"].band.value,
                    "line": row["action"].line_id,
                    "new_line": row["action"].new_line,
                    "from_fte": row["action"].from_fte,
                    "to_fte": row["action"].to_fte,
                    "delta": row["action"].delta,
                    "cost_delta": row["action"].cost_delta,
                    "reason": row["reason"],
                }
                for row in payload["actions"]
            ],
            "summary": SuggestionSummarySerializer(payload["summary"]).data,
            "result": SuggestionResultSerializer(payload["result"]).data,
        }


def suggestion_payload(suggestion: Suggestion, *, currency: str) -> dict:
    """The response body as plain data for SuggestionsSerializer."""
    result = suggestion.result
    column = {name: getattr(result, name) for name in ColumnScoreSerializer().fields}
    column["reason"] = presenters.column_reason(result)
    return {
        "mode": suggestion.mode,
        "actions": presenters.suggestion_rows(suggestion),
        "summary": {
            "text": presenters.suggestion_summary(suggestion),
            "step": suggestion.step,
            "actions": len(suggestion.actions),
            "fte_before": suggestion.before.total_fte,
            "fte_after": result.total_fte,
            "fte_added": suggestion.fte_added,
            "fte_removed": suggestion.fte_removed,
            "cost_before": suggestion.before.cost,
            "cost_after": result.cost,
            "cost_delta": result.cost - suggestion.before.cost,
            "currency": currency,
            "score_before": suggestion.before.score,
            "score_after": result.score,
        },
        "result": {
            **column,
            "target_reached": suggestion.target_reached,
            "binding_constraint": suggestion.binding_constraint,
            "binding_reason": presenters.binding_reason(suggestion.binding_constraint),
            "optimal": suggestion.optimal,
        },
    }


def parsed(serializer_class, data) -> dict:
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


# Reads ask `plan.view`, the copies `plan.copy` (see plans.api.permissions).
PLAN_RULES = [IsAuthenticated, PlanRulePermission]


class PlanSuggestionActions:
    """The `@action`s of this feature on `PlanViewSet`: suggestions, applying them, cloning."""

    @extend_schema(
        parameters=[
            OpenApiParameter("mode", str, enum=list(MODES), description="Default reassign."),
            OpenApiParameter(
                "step",
                {
                    "type": "number",
                    "minimum": float(rebalancing.MIN_STEP),
                    "maximum": float(rebalancing.MAX_STEP),
                },
                description="0.1 to 5 FTE, a multiple of 0.1, default 0.5.",
            ),
        ],
        responses=SuggestionsSerializer,
        filters=False,
    )
    @action(
        detail=True,
        methods=["get"],
        url_path="suggestions",
        url_name="suggestions",
        permission_classes=PLAN_RULES,
        filter_backends=[],
        pagination_class=None,
    )
    def suggestions(self, request, pk=None):
        """Rebalancing suggestions for the plan's planned column (DESIGN §5)."""
        plan = self.get_object()
        params = parsed(SuggestionParamsSerializer, request.query_params)
        suggestion = scenarios.plan_suggestions(plan=plan, **params)
        payload = suggestion_payload(suggestion, currency=plan.organization.currency)
        return Response(SuggestionsSerializer(payload).data)

    @extend_schema(request=ApplySuggestionsSerializer, responses={201: PlanSerializer})
    @action(
        detail=True,
        methods=["post"],
        url_path="apply-suggestions",
        url_name="apply-suggestions",
        permission_classes=PLAN_RULES,
        permission_rule="plan.copy",
        filter_backends=[],
        pagination_class=None,
    )
    def apply_suggestions(self, request, pk=None):
        """Create a draft scenario with the suggested planned FTE; the original is untouched."""
        plan = self.get_object()
        params = parsed(ApplySuggestionsSerializer, request.data)
        scenario, _ = scenarios.plan_apply_suggestions(plan=plan, user=request.user, **params)
        body = PlanSerializer(scenario, context={"request": request}).data
        return Response(body, status=status.HTTP_201_CREATED)

    @extend_schema(request=CloneSerializer, responses={201: PlanSerializer})
    @action(
        detail=True,
        methods=["post"],
        url_path="clone",
        url_name="clone",
        permission_classes=PLAN_RULES,
        permission_rule="plan.copy",
        filter_backends=[],
        pagination_class=None,
    )
    def clone(self, request, pk=None):
        """Copy a plan (settings and lines) into a new draft whose source is the original."""
        plan = self.get_object()
        params = parsed(CloneSerializer, request.data)
        scenario = scenarios.plan_clone(source=plan, user=request.user, **params)
        body = PlanSerializer(scenario, context={"request": request}).data
        return Response(body, status=status.HTTP_201_CREATED)
