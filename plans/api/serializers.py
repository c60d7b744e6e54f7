"""Serializers of target models, plans, plan lines and scores."""

from decimal import Decimal

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from l_and_d_planner.api_fields import (
    PlainDecimalField,
    PlainIntegerField,
    PlainNumbersModelSerializer,
)
from l_and_d_planner.validation import validate_text
from plans import presenters
from plans.models import MAX_FTE, Plan, PlanLine, TargetModel
from plans.selectors import plans_visible_to, target_models_visible_to
from roles.api.serializers import MemberOrganizationField
from roles.bands import BAND_CHOICES, BANDS
from roles.models import Role
from roles.selectors import roles_visible_to

CENT = Decimal("0.01")


def request_user(serializer):
    request = serializer.context.get("request")
    return getattr(request, "user", None)


def fte_serializer_field(**kwargs) -> serializers.DecimalField:
    return PlainDecimalField(
        max_digits=5,
        decimal_places=1,
        min_value=Decimal("0"),
        max_value=MAX_FTE,
        coerce_to_string=False,
        **kwargs,
    )


def fraction_field(**kwargs) -> serializers.DecimalField:
    return PlainDecimalField(max_digits=5, decimal_places=4, coerce_to_string=False, **kwargs)


class BandTargetsSerializer(serializers.Serializer):
    experiential = fraction_field(min_value=Decimal("0"), max_value=Decimal("1"))
    social = fraction_field(min_value=Decimal("0"), max_value=Decimal("1"))
    formal = fraction_field(min_value=Decimal("0"), max_value=Decimal("1"))


class TargetModelSerializer(serializers.ModelSerializer):
    """Targets and tolerance as fractions (0.7, 0.05); stored as percent."""

    organization = MemberOrganizationField(
        allow_null=True, help_text="Your organization; null for built-in (read-only) models."
    )
    targets = BandTargetsSerializer(help_text="Share per band as fractions summing to 1.")
    tolerance = fraction_field(
        min_value=Decimal("0"),
        max_value=Decimal("0.5"),
        required=False,
        help_text="Tolerance around each target, as a fraction (0.05 = 5 points).",
    )
    is_built_in = serializers.BooleanField(read_only=True)

    class Meta:
        model = TargetModel
        fields = [
            "id",
            "name",
            "organization",
            "description",
            "targets",
            "tolerance",
            "is_built_in",
        ]
        read_only_fields = ["id", "is_built_in"]
        validators = []

    def to_representation(self, target_model):
        return {
            "id": target_model.id,
            "name": target_model.name,
            "organization": target_model.organization_id,
            "description": target_model.description,
            "targets": {band.value: target_model.targets[band] for band in BANDS},
            "tolerance": target_model.tolerance_points / 100,
            "is_built_in": target_model.is_built_in,
        }

    def validate_organization(self, organization):
        if organization is None:
            raise serializers.ValidationError(
                "Give your organization: built-in models are read-only."
            )
        return organization

    def validate_targets(self, targets):
        total = sum(targets.values())
        if total != 1:
            raise serializers.ValidationError(
                f"The targets must sum to 1 (100%); they sum to {total}."
            )
        return targets

    def to_model_fields(self) -> dict:
        """validated_data in the model's terms (percent)."""
        data = dict(self.validated_data)
        targets = data.pop("targets", None)
        if targets is not None:
            for band in BANDS:
                data[f"{band.value}_percent"] = (targets[band.value] * 100).quantize(CENT)
        if "tolerance" in data:
            data["tolerance_points"] = (data.pop("tolerance") * 100).quantize(CENT)
        return data


class VisibleTargetModelField(serializers.PrimaryKeyRelatedField):
    def get_queryset(self):
        return target_models_visible_to(request_user(self.parent))


class VisiblePlanField(serializers.PrimaryKeyRelatedField):
    def get_queryset(self):
        return plans_visible_to(request_user(self.parent))


class PlanSerializer(PlainNumbersModelSerializer):
    organization = MemberOrganizationField()
    target_model = VisibleTargetModelField(
        required=False, help_text="Defaults to the organization's model, else 70/20/10."
    )
    source_plan = VisiblePlanField(required=False, allow_null=True)
    headcount_cap = fte_serializer_field(required=False, allow_null=True)
    compliance_floor = fte_serializer_field(
        required=False, allow_null=True, help_text="Minimum FTE in the formal band."
    )
    budget_cap = PlainDecimalField(
        max_digits=14,
        decimal_places=2,
        min_value=Decimal("0"),
        required=False,
        allow_null=True,
        coerce_to_string=False,
    )
    version = PlainIntegerField(
        required=False,
        min_value=1,
        help_text="Read it, send it back on PUT/PATCH; a stale or missing version answers 409.",
    )
    created_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    updated_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    status_comment = serializers.CharField(
        write_only=True,
        required=False,
        allow_blank=True,
        max_length=2000,
        validators=[validate_text],
        help_text="With a `status` move only: the review comment kept in the plan's history. "
        "Sending a plan back from review to draft needs one (unless you withdraw your own).",
    )

    class Meta:
        model = Plan
        fields = [
            "id",
            "organization",
            "name",
            "description",
            "status",
            "status_comment",
            "target_model",
            "headcount_cap",
            "budget_cap",
            "compliance_floor",
            "employees_served",
            "version",
            "source_plan",
            "created_by",
            "updated_by",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "created_by", "updated_by", "created_at", "updated_at"]

    def validate(self, attrs):
        organization = attrs.get("organization") or getattr(self.instance, "organization", None)
        target_model = attrs.get("target_model")
        if target_model and target_model.organization_id not in (None, organization.id):
            raise serializers.ValidationError(
                {"target_model": "Use a built-in model or one of this organization's."}
            )
        source = attrs.get("source_plan")
        if source and source.organization_id != organization.id:
            raise serializers.ValidationError(
                {"source_plan": "A scenario must belong to the same organization."}
            )
        return attrs


class VisibleRoleField(serializers.PrimaryKeyRelatedField):
    def get_queryset(self):
        return roles_visible_to(request_user(self.parent))


class PlanLineSerializer(serializers.ModelSerializer):
    role = VisibleRoleField(help_text="The role's id: shared catalog or the plan's organization.")
    role_title = serializers.CharField(source="role.title", read_only=True)
    band = serializers.ChoiceField(
        choices=BAND_CHOICES, source="role.discipline.band", read_only=True
    )
    current_fte = fte_serializer_field(required=False)
    planned_fte = fte_serializer_field(required=False)
    cost_override = PlainDecimalField(
        max_digits=12,
        decimal_places=2,
        min_value=Decimal("0"),
        required=False,
        allow_null=True,
        coerce_to_string=False,
    )
    annual_cost = serializers.DecimalField(
        max_digits=12,
        decimal_places=2,
        read_only=True,
        coerce_to_string=False,
        help_text="Per FTE: the override, else the role's cost.",
    )
    version = PlainIntegerField(
        required=False,
        min_value=1,
        help_text="Read it, send it back on PUT/PATCH (and DELETE); stale or missing: 409.",
    )

    class Meta:
        model = PlanLine
        fields = [
            "id",
            "plan",
            "role",
            "role_title",
            "band",
            "current_fte",
            "planned_fte",
            "cost_override",
            "annual_cost",
            "locked",
            "note",
            "version",
        ]
        read_only_fields = ["id", "plan"]
        validators = []

    def validate_role(self, role: Role) -> Role:
        plan = self.context.get("plan")
        if plan is not None and role.organization_id not in (None, plan.organization_id):
            raise serializers.ValidationError("This role belongs to another organization.")
        return role


# --- scores -------------------------------------------------------------------------------


def decimal_out(**kwargs):
    return serializers.DecimalField(
        max_digits=20, decimal_places=4, coerce_to_string=False, read_only=True, **kwargs
    )


class BandScoreSerializer(serializers.Serializer):
    band = serializers.ChoiceField(choices=BAND_CHOICES)
    fte = decimal_out()
    share = decimal_out(allow_null=True, help_text="Fraction of the column's FTE.")
    target = decimal_out(help_text="Target share, a fraction.")
    status = serializers.ChoiceField(
        choices=["under", "on_target", "over"], allow_null=True, read_only=True
    )
    gap_fte = decimal_out(help_text="FTE the band needs more (negative: fewer).")
    cost = decimal_out(help_text="Annual cost of the band.")


class ColumnScoreSerializer(serializers.Serializer):
    total_fte = decimal_out()
    score = decimal_out(allow_null=True, help_text="0-100, one decimal; null when empty.")
    distance = decimal_out(allow_null=True)
    moves_needed_fte = decimal_out(allow_null=True)
    shape = serializers.ChoiceField(
        choices=["modern", "mixed", "training_centric"], allow_null=True, read_only=True
    )
    ordering_holds = serializers.BooleanField(
        allow_null=True, read_only=True, help_text='The plain test "Most >= Much >= Some".'
    )
    reason = serializers.SerializerMethodField(help_text="Why the column has no score, in words.")
    cost = decimal_out(help_text="Annual cost of the column.")
    bands = BandScoreSerializer(many=True, read_only=True)

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_reason(self, column) -> str | None:
        if isinstance(column, dict):  # a body already built (the suggestions' result)
            return column.get("reason")
        return presenters.column_reason(column)


class StaffingReferenceSerializer(serializers.Serializer):
    """One reference benchmark against a column (DESIGN §10)."""

    benchmark = serializers.IntegerField(source="reference.id")
    name = serializers.CharField(source="reference.name")
    source = serializers.CharField(source="reference.source")
    source_url = serializers.CharField(source="reference.source_url")
    year = serializers.IntegerField(source="reference.year", allow_null=True)
    metric = serializers.CharField()
    value = decimal_out(source="reference.value", help_text="As published, in `currency`.")
    low = decimal_out(source="reference.low", allow_null=True)
    high = decimal_out(source="reference.high", allow_null=True)
    currency = serializers.CharField(source="reference.currency")
    converted_value = serializers.SerializerMethodField(
        help_text="A money value in the organization's currency, through its exchange rate."
    )
    implied_fte = decimal_out(allow_null=True, help_text="FTE the reference implies.")
    gap_fte = decimal_out(allow_null=True, help_text="implied_fte - fte (positive: more).")
    status = serializers.ChoiceField(
        choices=["below", "within", "above"], allow_null=True, read_only=True
    )
    reason = serializers.SerializerMethodField(help_text="Why nothing is implied, in words.")

    @extend_schema_field(decimal_out(allow_null=True))
    def get_converted_value(self, comparison) -> Decimal | None:
        return comparison.value if comparison.converted else None

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_reason(self, comparison) -> str | None:
        return presenters.staffing_reason_words(
            comparison.reason, currency=comparison.reference.currency
        )


class StaffingSerializer(serializers.Serializer):
    """A column's size: employees served, its ratios and the references' implied FTE."""

    employees = serializers.IntegerField(allow_null=True)
    fte = decimal_out()
    employees_per_fte = decimal_out(allow_null=True)
    fte_per_1000 = decimal_out(allow_null=True)
    cost_per_employee = decimal_out(allow_null=True, help_text="In `currency`, a year.")
    currency = serializers.CharField()
    reasons = serializers.SerializerMethodField(help_text="Why figures are null, in words.")
    references = StaffingReferenceSerializer(many=True, read_only=True)

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_reasons(self, staffing) -> list[str]:
        return [presenters.staffing_reason_words(code) for code in staffing.reasons]


class ScoredColumnSerializer(ColumnScoreSerializer):
    """A column's score and its `staffing`; reads the whole PlanScoreResult (`source="*"`)."""

    staffing = StaffingSerializer(read_only=True, allow_null=True)

    def __init__(self, *args, column: str = "current", **kwargs):
        self.column = column
        super().__init__(*args, **kwargs)

    def to_representation(self, result):
        data = ColumnScoreSerializer(getattr(result.score, self.column), context=self.context).data
        sized = result.staffing.column(self.column) if result.staffing else None
        data["staffing"] = None if sized is None else StaffingSerializer(sized).data
        return data


class ScorePlanSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    organization = serializers.IntegerField(source="organization_id")
    status = serializers.CharField()
    version = serializers.IntegerField()


class ScoreTargetModelSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    targets = BandTargetsSerializer()
    tolerance = decimal_out()

    def to_representation(self, target_model):
        return {
            "id": target_model.id,
            "name": target_model.name,
            "targets": {band.value: target_model.targets[band] for band in BANDS},
            "tolerance": target_model.tolerance_points / 100,
        }


class ScoreCostSerializer(serializers.Serializer):
    currency = serializers.CharField()
    current = decimal_out()
    planned = decimal_out()
    delta = decimal_out(help_text="planned - current")


class PlanScoreSerializer(serializers.Serializer):
    """`{plan, target_model, current, planned, cost}` for one plan."""

    plan = ScorePlanSerializer()
    target_model = ScoreTargetModelSerializer()
    current = ScoredColumnSerializer(source="*", column="current")
    planned = ScoredColumnSerializer(source="*", column="planned")
    cost = serializers.SerializerMethodField()
    readiness = serializers.SerializerMethodField()

    @extend_schema_field(
        serializers.DecimalField(
            max_digits=4,
            decimal_places=1,
            min_value=0,
            max_value=100,
            allow_null=True,
            coerce_to_string=False,
        )
    )
    def get_readiness(self, result) -> Decimal | None:
        """The readiness check's overall score (0-100), null when nothing is answered.

        The view passes every plan's score in the context as `readiness` (one query for all).
        """
        return self.context.get("readiness", {}).get(result.plan.id)

    @extend_schema_field(ScoreCostSerializer)
    def get_cost(self, result) -> dict:
        current, planned = result.score.current.cost, result.score.planned.cost
        return {
            "currency": result.plan.organization.currency,
            "current": current,
            "planned": planned,
            "delta": planned - current,
        }


class ScoresSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    results = PlanScoreSerializer(many=True)


def _column_payload(column) -> dict:
    return {
        "total_fte": column.total_fte,
        "score": column.score,
        "distance": column.distance,
        "moves_needed_fte": column.moves_needed_fte,
        "shape": column.shape,
        "ordering_holds": column.ordering_holds,
        "reason": presenters.column_reason(column),
        "cost": column.cost,
        "bands": [
            {
                "band": band.band.value,
                "fte": band.fte,
                "share": band.share,
                "target": band.target,
                "status": band.status,
                "gap_fte": band.gap_fte,
                "cost": band.cost,
            }
            for band in column.bands
        ],
    }


def plan_score_payload(result, readiness: Decimal | None) -> dict:
    """The body PlanScoreSerializer describes, built directly: the score endpoints are hot paths.

    tests/plans/api/test_score_payload.py keeps the two identical.
    """
    plan, target_model = result.plan, result.target_model
    current, planned = result.score.current, result.score.planned
    return {
        "plan": {
            "id": plan.id,
            "name": plan.name,
            "organization": plan.organization_id,
            "status": plan.status,
            "version": plan.version,
        },
        "target_model": {
            "id": target_model.id,
            "name": target_model.name,
            "targets": {band.value: target_model.targets[band] for band in BANDS},
            "tolerance": target_model.tolerance_points / 100,
        },
        "current": {**_column_payload(current), "staffing": _staffing_payload(result, "current")},
        "planned": {**_column_payload(planned), "staffing": _staffing_payload(result, "planned")},
        "cost": {
            "currency": plan.organization.currency,
            "current": current.cost,
            "planned": planned.cost,
            "delta": planned.cost - current.cost,
        },
        "readiness": readiness,
    }


def _staffing_payload(result, column: str) -> dict | None:
    """The body StaffingSerializer describes, built directly (see `plan_score_payload`)."""
    if result.staffing is None:
        return None
    sized = result.staffing.column(column)
    return {
        "employees": sized.employees,
        "fte": sized.fte,
        "employees_per_fte": sized.employees_per_fte,
        "fte_per_1000": sized.fte_per_1000,
        "cost_per_employee": sized.cost_per_employee,
        "currency": sized.currency,
        "reasons": [presenters.staffing_reason_words(code) for code in sized.reasons],
        "references": [
            {
                "benchmark": item.reference.id,
                "name": item.reference.name,
                "source": item.reference.source,
                "source_url": item.reference.source_url,
                "year": item.reference.year,
                "metric": item.metric,
                "value": item.reference.value,
                "low": item.reference.low,
                "high": item.reference.high,
                "currency": item.reference.currency,
                "converted_value": item.value if item.converted else None,
                "implied_fte": item.implied_fte,
                "gap_fte": item.gap_fte,
                "status": item.status,
                "reason": presenters.staffing_reason_words(
                    item.reason, currency=item.reference.currency
                ),
            }
            for item in sized.references
        ],
    }
