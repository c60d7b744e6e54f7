"""API: the readiness check and the reskilling roadmap of a plan (DESIGN §9), under /api/v1/.

- `readiness-questions/` GET: the questionnaire `[{code, group, question}]`.
- `plans/{id}/readiness/` GET; PUT `{answers: [{code, answer, note}]}` replaces the answers
  (all or nothing) and answers the same body as GET.
- `plans/{id}/roadmap/` POST `{start, max_fte_per_quarter}` builds or rebuilds it (201); GET reads.
- `plans/{id}/roadmap/transitions/{tid}/` GET; PATCH `{learning_plan: {...}}` edits its text.

The per-plan routes are `@action`s of `PlanViewSet` (the mixin `PlanReadinessActions` below).
Members read (`plan.view`); planners and admins write unless the plan is archived
(`plan.readiness`: 403 for the role, 400 `{"status": [...]}` for the state); another
organization's plan is 404.
"""

from decimal import Decimal

from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from l_and_d_planner.api_fields import PlainDecimalField, PlainIntegerField
from l_and_d_planner.validation import validate_text
from plans import presenters, selectors
from plans.api.permissions import PlanRulePermission
from plans.domain import readiness, roadmap
from plans.models import MAX_FTE, Plan, TransitionKind
from plans.services import readiness as readiness_services
from plans.services import roadmap as roadmap_services
from roles import permissions

# --- serializers ---------------------------------------------------------------------------

QUESTION_CODES = [question.code for question in readiness.QUESTIONS]
LEARNING_PLAN_TEXT_MAX = 4000


class ReadinessQuestionSerializer(serializers.Serializer):
    code = serializers.CharField()
    group = serializers.ChoiceField(choices=list(readiness.GROUPS))
    question = serializers.CharField()


class ReadinessAnswerSerializer(serializers.Serializer):
    code = serializers.ChoiceField(choices=QUESTION_CODES, help_text="A question's code.")
    answer = PlainIntegerField(
        min_value=readiness.MIN_ANSWER,
        max_value=readiness.MAX_ANSWER,
        help_text="0 never, 1 rarely, 2 sometimes, 3 often, 4 always.",
    )
    note = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=readiness.NOTE_MAX_LENGTH,
        validators=[validate_text],
    )


class ReadinessAnswersInputSerializer(serializers.Serializer):
    answers = ReadinessAnswerSerializer(
        many=True,
        max_length=len(readiness.QUESTIONS),
        help_text="Every answer the plan should have; questions left out are unanswered.",
    )


def score_field(**kwargs) -> serializers.DecimalField:
    """A 0-100 score with one decimal, null when nothing is answered."""
    return serializers.DecimalField(
        max_digits=4,
        decimal_places=1,
        min_value=0,
        max_value=100,
        allow_null=True,
        coerce_to_string=False,
        **kwargs,
    )


class ReadinessGroupSerializer(serializers.Serializer):
    group = serializers.ChoiceField(choices=list(readiness.GROUPS))
    score = score_field()
    answered = serializers.IntegerField()
    total = serializers.IntegerField()


class ReadinessWeakItemSerializer(serializers.Serializer):
    code = serializers.CharField()
    group = serializers.ChoiceField(choices=list(readiness.GROUPS))
    question = serializers.CharField()
    answer = serializers.IntegerField()


class ReadinessFlagSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="system_lags: a modern plan on an old system.")
    message = serializers.CharField(help_text="What the risk is and what to do about it.")


class ReadinessSerializer(serializers.Serializer):
    """`{score, groups, answers, weakest, flags}` of one plan."""

    score = score_field(
        help_text="Mean of the answered items ÷ 4 × 100, one decimal; null when none answered."
    )
    groups = ReadinessGroupSerializer(many=True)
    answers = ReadinessAnswerSerializer(many=True)
    weakest = ReadinessWeakItemSerializer(many=True, help_text="The three lowest answers.")
    flags = ReadinessFlagSerializer(many=True)

    def to_representation(self, report):
        result = report.result
        return super().to_representation(
            {
                "score": result.score,
                "groups": result.groups,
                "answers": report.answers,
                "weakest": presenters.readiness_weakest_rows(result),
                "flags": presenters.readiness_flag_rows(result),
            }
        )


class RoadmapBuildSerializer(serializers.Serializer):
    start = serializers.DateField(help_text="Quarter 1 is the first quarter starting on or after.")
    max_fte_per_quarter = PlainDecimalField(
        max_digits=5,
        decimal_places=1,
        min_value=Decimal("0.1"),
        max_value=MAX_FTE,
        coerce_to_string=False,
        help_text="Most FTE moved in any quarter (a positive number, steps of 0.1).",
    )


def learning_plan_text(**kwargs) -> serializers.CharField:
    return serializers.CharField(
        allow_blank=True,
        max_length=LEARNING_PLAN_TEXT_MAX,
        validators=[validate_text],
        **kwargs,
    )


class LearningPlanSerializer(serializers.Serializer):
    """The learning-network action plan F-T-D-A-O-R."""

    focus = learning_plan_text(help_text="Focus on your goals.")
    target = learning_plan_text(help_text="Target the people you need.")
    define = learning_plan_text(help_text="Define how you can make them successful.")
    align = learning_plan_text(help_text="Align your efforts to that.")
    outreach = learning_plan_text(help_text="Plan your outreach.")
    renew = learning_plan_text(help_text="Constantly renew your outreach and network.")


class RoadmapTransitionSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    kind = serializers.ChoiceField(choices=TransitionKind.choices, read_only=True)
    from_role = serializers.IntegerField(
        source="from_role_id", allow_null=True, read_only=True, help_text="Null for a hire."
    )
    to_role = serializers.IntegerField(
        source="to_role_id", allow_null=True, read_only=True, help_text="Null for an exit."
    )
    fte = serializers.DecimalField(
        max_digits=5, decimal_places=1, coerce_to_string=False, read_only=True
    )
    quarter = serializers.IntegerField(read_only=True, help_text="1 = the first quarter.")
    effective_date = serializers.DateField(read_only=True)
    learning_plan = LearningPlanSerializer()


class LearningPlanPatchSerializer(serializers.Serializer):
    """Any of the six fields; those left out keep their text."""

    focus = learning_plan_text(required=False)
    target = learning_plan_text(required=False)
    define = learning_plan_text(required=False)
    align = learning_plan_text(required=False)
    outreach = learning_plan_text(required=False)
    renew = learning_plan_text(required=False)


class RoadmapTransitionPatchSerializer(serializers.Serializer):
    learning_plan = LearningPlanPatchSerializer()

    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        unknown = set(data.get("learning_plan") or {}) - set(roadmap.LEARNING_PLAN_FIELDS)
        if isinstance(data.get("learning_plan"), dict) and unknown:
            raise serializers.ValidationError(
                {"learning_plan": f"Unknown field(s): {', '.join(sorted(map(str, unknown)))}."}
            )
        return value


class RoadmapSerializer(serializers.Serializer):
    start = serializers.DateField()
    max_fte_per_quarter = serializers.DecimalField(
        max_digits=5, decimal_places=1, coerce_to_string=False
    )
    transitions = RoadmapTransitionSerializer(many=True, source="loaded_transitions")


# --- views ---------------------------------------------------------------------------------


def readiness_body(plan: Plan) -> dict:
    return ReadinessSerializer(selectors.plan_readiness(plan)).data


class ReadinessQuestionsView(APIView):
    """The readiness questionnaire: each question's stable code, group and wording."""

    @extend_schema(responses=ReadinessQuestionSerializer(many=True))
    def get(self, request):
        return Response(
            ReadinessQuestionSerializer(presenters.readiness_questions(), many=True).data
        )


urlpatterns = [
    path("readiness-questions/", ReadinessQuestionsView.as_view(), name="readiness-questions"),
]

# Each action serves a read and a write: the object permission asks `plan.view` (members read),
# and the write asks `plan.readiness` inside its method, before reading the body.
PLAN_ACTION = {
    "detail": True,
    "permission_rule": "plan.view",
    "permission_classes": [IsAuthenticated, PlanRulePermission],
    "filter_backends": [],
    "pagination_class": None,
}
TRANSITION_ID = OpenApiParameter(
    "tid", OpenApiTypes.INT, OpenApiParameter.PATH, description="The transition's id."
)


class PlanReadinessActions:
    """The readiness check and the reskilling roadmap of a plan, as `@action`s of `PlanViewSet`."""

    @extend_schema(responses=ReadinessSerializer, filters=False)
    @action(methods=["get"], url_path="readiness", url_name="readiness", **PLAN_ACTION)
    def readiness(self, request, pk=None):
        """A plan's readiness check: scores per group and overall, weakest items, risk flags."""
        return Response(readiness_body(self.get_object()))

    @extend_schema(
        request=ReadinessAnswersInputSerializer, responses=ReadinessSerializer, filters=False
    )
    @readiness.mapping.put
    def readiness_answers(self, request, pk=None):
        """Replace the plan's answers (all or nothing); answers the same body as GET."""
        plan = self.get_object()
        permissions.require(request.user, "plan.readiness", plan)
        serializer = ReadinessAnswersInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        readiness_services.readiness_answers_save(
            plan=plan, answers=serializer.validated_data["answers"], user=request.user
        )
        return Response(readiness_body(plan))

    @extend_schema(responses=RoadmapSerializer, filters=False)
    @action(methods=["get"], url_path="roadmap", url_name="roadmap", **PLAN_ACTION)
    def roadmap(self, request, pk=None):
        """A plan's reskilling roadmap: moves, hires and exits, quarter by quarter."""
        found = selectors.plan_roadmap(self.get_object())
        if found is None:
            raise exceptions.NotFound(
                "This plan has no roadmap yet: POST {start, max_fte_per_quarter} to build one."
            )
        return Response(RoadmapSerializer(found).data)

    @extend_schema(
        request=RoadmapBuildSerializer, responses={201: RoadmapSerializer}, filters=False
    )
    @roadmap.mapping.post
    def roadmap_rebuild(self, request, pk=None):
        """Build or rebuild the plan's roadmap from its current to its planned FTE."""
        plan = self.get_object()
        permissions.require(request.user, "plan.readiness", plan)
        serializer = RoadmapBuildSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        roadmap_services.roadmap_build(plan=plan, user=request.user, **serializer.validated_data)
        found = selectors.plan_roadmap(plan)
        return Response(RoadmapSerializer(found).data, status=status.HTTP_201_CREATED)

    def transition_of(self, plan: Plan, tid: int):
        transition = selectors.roadmap_transition_for(plan, tid)
        if transition is None:
            raise exceptions.NotFound("This plan's roadmap has no such transition.")
        return transition

    @extend_schema(parameters=[TRANSITION_ID], responses=RoadmapTransitionSerializer, filters=False)
    @action(
        methods=["get"],
        url_path=r"roadmap/transitions/(?P<tid>[0-9]+)",
        url_name="roadmap-transition",
        **PLAN_ACTION,
    )
    def roadmap_transition(self, request, pk=None, tid=None):
        """One transition of a plan's roadmap with its learning-network plan."""
        transition = self.transition_of(self.get_object(), int(tid))
        return Response(RoadmapTransitionSerializer(transition).data)

    @extend_schema(
        parameters=[TRANSITION_ID],
        request=RoadmapTransitionPatchSerializer,
        responses=RoadmapTransitionSerializer,
        filters=False,
    )
    @roadmap_transition.mapping.patch
    def roadmap_transition_edit(self, request, pk=None, tid=None):
        """Edit a transition's learning-network plan (the fields left out keep their text)."""
        plan = self.get_object()
        transition = self.transition_of(plan, int(tid))
        permissions.require(request.user, "plan.readiness", plan)
        serializer = RoadmapTransitionPatchSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        transition = roadmap_services.roadmap_transition_update(
            transition=transition,
            learning_plan=serializer.validated_data["learning_plan"],
            user=request.user,
        )
        return Response(RoadmapTransitionSerializer(transition).data)
