"""API: rebalancing suggestions, applying them as a scenario, cloning a plan.

`@action`s of `PlanViewSet` (through `PlanSuggestionActions`), under /api/v1/:
- GET  plans/{id}/suggestions/?mode=&step=&aim=&grow_to=
       -> {mode, aim, actions, summary, result, warnings} for the saved plan
- POST plans/{id}/suggestions/ {mode, step, aim, grow_to?, lines: [{role, planned_fte, locked}]}
       -> the same for the values on a planner's screen; stores nothing (viewers too)
- POST plans/{id}/apply-suggestions/ {mode, step, aim?, grow_to?, name?, lines?} -> 201
- POST plans/{id}/clone/ {name?} -> 201, the new draft plan
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from l_and_d_planner.api_fields import PlainDecimalField
from plans import presenters, selectors
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
    step = PlainDecimalField(
        max_digits=3,
        decimal_places=1,
        default=rebalancing.DEFAULT_STEP,
        min_value=rebalancing.MIN_STEP,
        max_value=rebalancing.MAX_STEP,
        coerce_to_string=False,
        help_text="FTE per change: 0.1 to 5, a multiple of 0.1 (default 0.5).",
    )
    aim = serializers.ChoiceField(
        choices=list(rebalancing.AIMS),
        default="tolerance",
        help_text="tolerance: the fewest FTE changed that bring every band within target ± "
        "tolerance (else the best score); best: the best score, then the fewest FTE changed.",
    )
    grow_to = PlainDecimalField(
        max_digits=6,
        decimal_places=1,
        min_value=Decimal(0),
        max_value=Decimal("99999.9"),
        required=False,
        allow_null=True,
        default=None,
        coerce_to_string=False,
        help_text="Grow mode: the total FTE the grown plan must reach at least (rounded up "
        "to the step).",
    )

    size = serializers.ChoiceField(
        choices=["benchmark"],
        required=False,
        help_text="Grow mode: `benchmark` grows to the FTE the organization's default reference "
        "implies for the employees served (DESIGN §10), instead of `grow_to`.",
    )

    def validate(self, attrs):
        if attrs.get("size"):
            if attrs.get("mode") != "grow":
                raise serializers.ValidationError({"size": presenters.SIZE_NEEDS_GROW})
            if attrs.get("grow_to") is not None:
                raise serializers.ValidationError({"size": presenters.SIZE_OR_GROW_TO})
        return attrs

    def validate_step(self, step: Decimal) -> Decimal:
        try:
            return rebalancing.validate_step(step)
        except rebalancing.RebalanceInputError as error:
            raise serializers.ValidationError(presenters.rebalance_input_message(error)) from None


class ScreenLineSerializer(serializers.Serializer):
    """One row of the planner as on screen (documentation; `scenarios` checks the rows)."""

    role = serializers.IntegerField()
    planned_fte = PlainDecimalField(max_digits=5, decimal_places=1)
    locked = serializers.BooleanField(default=False)


class ScreenSuggestionsSerializer(SuggestionParamsSerializer):
    lines = serializers.JSONField(
        help_text="The whole table as on the planner's screen: [{role, planned_fte, locked}] "
        f"(at most {scenarios.MAX_SCREEN_LINES}); roles not listed count as absent."
    )

    def validate_lines(self, raw):
        try:
            return scenarios.screen_lines_parse(raw)
        except ValidationError as error:
            raise serializers.ValidationError(error.message_dict["lines"]) from None


class ApplySuggestionsSerializer(SuggestionParamsSerializer):
    name = serializers.CharField(
        required=False, max_length=200, help_text="The new plan's name (default: derived)."
    )
    lines = serializers.JSONField(
        required=False,
        help_text="The rows as on screen, to apply what was shown; default: the saved lines.",
    )

    def validate_lines(self, raw):
        return ScreenSuggestionsSerializer.validate_lines(self, raw)


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
    delta_text = serializers.CharField(help_text="The signed change as people read it: +1.5.")
    cost_delta_text = serializers.CharField(help_text="Signed cost change: +12,500 / −3,000.")
    reason = serializers.CharField()


class SuggestionWarningSerializer(serializers.Serializer):
    code = serializers.ChoiceField(choices=["removes_much", "adds_much"])
    message = serializers.CharField()


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
        help_text="Always true: the answer is exactly optimal for the mode and aim."
    )


class SuggestionsSerializer(serializers.Serializer):
    mode = serializers.ChoiceField(choices=list(MODES))
    aim = serializers.ChoiceField(choices=list(rebalancing.AIMS))
    actions = SuggestionActionSerializer(many=True)
    summary = SuggestionSummarySerializer()
    result = SuggestionResultSerializer()
    warnings = SuggestionWarningSerializer(many=True)

    def to_representation(self, payload):
        # thousands of actions: plain dicts (the same fields as SuggestionActionSerializer),
        # ten times faster than DRF's field machinery
        return {
            "mode": payload["mode"],
            "aim": payload["aim"],
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
                    "delta_text": row["delta_text"],
                    "cost_delta_text": row["cost_delta_text"],
                    "reason": row["reason"],
                }
                for row in payload["actions"]
            ],
            "summary": SuggestionSummarySerializer(payload["summary"]).data,
            "result": SuggestionResultSerializer(payload["result"]).data,
            "warnings": payload["warnings"],
        }


def suggestion_payload(suggestion: Suggestion, *, currency: str) -> dict:
    """The response body as plain data for SuggestionsSerializer."""
    result = suggestion.result
    column = {name: getattr(result, name) for name in ColumnScoreSerializer().fields}
    column["reason"] = presenters.column_reason(result)
    return {
        "mode": suggestion.mode,
        "aim": suggestion.aim,
        "actions": presenters.suggestion_rows(suggestion, currency),
        "warnings": presenters.suggestion_warnings(suggestion),
        "summary": {
            "text": presenters.suggestion_summary(suggestion, currency),
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


def parsed(serializer_class, data, plan) -> dict:
    """The validated parameters; `size=benchmark` becomes the `grow_to` the reference implies."""
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    params = dict(serializer.validated_data)
    if params.pop("size", None) == "benchmark":
        implied = selectors.staffing_implied_fte(plan)
        if implied is None:
            raise serializers.ValidationError({"size": presenters.SIZE_NO_REFERENCE})
        params["grow_to"] = implied
    return params


# Reads ask `plan.view`, the copies `plan.copy` (see plans.api.permissions).
PLAN_RULES = [IsAuthenticated, PlanRulePermission]


class PlanSuggestionActions:
    """The `@action`s of this feature on `PlanViewSet`: suggestions, applying them, cloning."""

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "aim", str, enum=list(rebalancing.AIMS), description="Default tolerance."
            ),
            OpenApiParameter("grow_to", float, description="Grow mode: total FTE to reach."),
            OpenApiParameter("mode", str, enum=list(MODES), description="Default reassign."),
            OpenApiParameter(
                "size",
                str,
                enum=["benchmark"],
                description="Grow mode: grow to the size the default reference implies.",
            ),
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
        request=ScreenSuggestionsSerializer,
        responses=SuggestionsSerializer,
        filters=False,
    )
    @action(
        detail=True,
        methods=["get", "post"],
        url_path="suggestions",
        url_name="suggestions",
        permission_classes=PLAN_RULES,
        permission_rule="plan.view",  # the POST stores nothing: whoever reads the plan may ask
        filter_backends=[],
        pagination_class=None,
    )
    def suggestions(self, request, pk=None):
        """Rebalancing suggestions for the plan's planned column (DESIGN §5).

        GET: for the saved plan. POST: for the rows on a planner's screen (`lines`, the
        whole table); stores nothing, so it asks what a GET asks (`plan.view`).
        """
        plan = self.get_object()
        if request.method == "POST":
            params = parsed(ScreenSuggestionsSerializer, request.data, plan)
            params["screen"] = params.pop("lines")
        else:
            params = parsed(SuggestionParamsSerializer, request.query_params, plan)
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
        params = parsed(ApplySuggestionsSerializer, request.data, plan)
        params["screen"] = params.pop("lines", None)
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
        params = parsed(CloneSerializer, request.data, plan)
        scenario = scenarios.plan_clone(source=plan, user=request.user, **params)
        body = PlanSerializer(scenario, context={"request": request}).data
        return Response(body, status=status.HTTP_201_CREATED)
