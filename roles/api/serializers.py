"""Serializers of organizations, memberships, disciplines, roles and benchmarks."""

from datetime import datetime, time
from decimal import Decimal

from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from l_and_d_planner.api_fields import PlainDecimalField, PlainNumbersModelSerializer
from roles.bands import BAND_CHOICES
from roles.models import (
    BENCHMARK_EDITABLE_FIELDS,
    REFERENCE_FIELDS,
    Benchmark,
    Discipline,
    Invitation,
    Membership,
    MembershipRole,
    Organization,
    Role,
)
from roles.selectors import benchmarks_visible_to, organizations_for


class MemberOrganizationField(serializers.PrimaryKeyRelatedField):
    """An organization the requesting user belongs to; any other id is simply unknown."""

    def get_queryset(self):
        request = self.context.get("request")
        user = getattr(request, "user", None)
        return organizations_for(user)


@extend_schema_field(
    {"type": "string", "maxLength": 3, "description": "ISO 4217 code, e.g. USD; may be empty."}
)
class OptionalCurrencyField(serializers.CharField):
    """A currency code or empty (the model validates the code)."""

    def __init__(self, **kwargs):
        super().__init__(max_length=3, allow_blank=True, required=False, **kwargs)


@extend_schema_field(
    {"type": "string", "maxLength": 500, "description": "An http(s) URL, or empty."}
)
class OptionalURLField(serializers.URLField):
    def __init__(self, **kwargs):
        super().__init__(max_length=500, allow_blank=True, required=False, **kwargs)


class VisibleBenchmarkField(serializers.PrimaryKeyRelatedField):
    """A benchmark the requesting user may see (shared or of their organizations)."""

    def get_queryset(self):
        request = self.context.get("request")
        return benchmarks_visible_to(getattr(request, "user", None))


def reference_field(metric: str) -> VisibleBenchmarkField:
    return VisibleBenchmarkField(
        allow_null=True,
        required=False,
        help_text=f"The benchmark this organization compares {metric} with (null: none).",
    )


class OrganizationSerializer(PlainNumbersModelSerializer):
    my_role = serializers.SerializerMethodField(help_text="Your membership role here.")
    reference_employees_per_ld_fte = reference_field("employees per L&D FTE")
    reference_ld_fte_per_1000_employees = reference_field("L&D FTE per 1,000 employees")
    reference_spend_per_employee = reference_field("spend per employee")
    exchange_currency = OptionalCurrencyField(help_text="A foreign currency, e.g. USD.")
    exchange_rate = PlainDecimalField(
        max_digits=14,
        decimal_places=6,
        min_value=Decimal("0.000001"),
        allow_null=True,
        required=False,
        coerce_to_string=False,
        help_text="Units of the organization's currency for one `exchange_currency`.",
    )

    class Meta:
        model = Organization
        fields = [
            "id",
            "name",
            "slug",
            "currency",
            "default_target_model",
            "my_role",
            "employees",
            *REFERENCE_FIELDS.values(),
            "exchange_currency",
            "exchange_rate",
        ]
        read_only_fields = ["id", "slug", "my_role"]

    @extend_schema_field(serializers.ChoiceField(choices=MembershipRole.choices))
    def get_my_role(self, organization) -> str:
        roles = self.context.get("membership_roles", {})
        return roles.get(organization.id)


class BenchmarkSerializer(PlainNumbersModelSerializer):
    """A published figure (shared: `organization` null, read-only) or an organization's own."""

    organization = MemberOrganizationField(
        allow_null=True, help_text="Your organization (null: a shared benchmark, read-only)."
    )
    source_url = OptionalURLField()
    currency = OptionalCurrencyField(help_text="For spend per employee only.")
    value = PlainDecimalField(
        max_digits=12, decimal_places=2, min_value=Decimal("0.01"), coerce_to_string=False
    )
    low = PlainDecimalField(
        max_digits=12,
        decimal_places=2,
        min_value=Decimal("0.01"),
        allow_null=True,
        required=False,
        coerce_to_string=False,
    )
    high = PlainDecimalField(
        max_digits=12,
        decimal_places=2,
        min_value=Decimal("0.01"),
        allow_null=True,
        required=False,
        coerce_to_string=False,
    )
    shared = serializers.BooleanField(source="is_shared", read_only=True)

    class Meta:
        model = Benchmark
        fields = [
            "id",
            "organization",
            "shared",
            *BENCHMARK_EDITABLE_FIELDS,
            "active",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "shared", "created_at", "updated_at"]


class MembershipSerializer(serializers.ModelSerializer):
    organization = MemberOrganizationField()
    username = serializers.CharField(source="user.username", max_length=150)
    email = serializers.EmailField(source="user.email", read_only=True)

    class Meta:
        model = Membership
        fields = ["id", "organization", "username", "email", "role", "created_at"]
        read_only_fields = ["id", "email", "created_at"]


class MembershipUpdateSerializer(serializers.ModelSerializer):
    class Meta:
        model = Membership
        fields = ["role"]


class DisciplineSerializer(serializers.ModelSerializer):
    class Meta:
        model = Discipline
        fields = ["id", "name", "slug", "band", "description"]


class BandSplitField(serializers.JSONField):
    """Percent per band, e.g. {"experiential": 0, "social": 60, "formal": 40}."""


@extend_schema_field(
    {
        "type": "object",
        "properties": {
            code: {"type": "integer", "minimum": 0, "maximum": 100} for code, _ in BAND_CHOICES
        },
        "additionalProperties": False,
        "description": "Whole percent per band, summing to 100. Omit for 100% in the "
        "discipline's band.",
    }
)
class BandSplitSchemaField(BandSplitField):
    pass


class RoleSerializer(serializers.ModelSerializer):
    band = serializers.ChoiceField(choices=BAND_CHOICES, source="discipline.band", read_only=True)
    discipline_name = serializers.CharField(source="discipline.name", read_only=True)
    organization = MemberOrganizationField(
        allow_null=True, required=False, help_text="null for the shared standard catalog."
    )
    band_split = BandSplitSchemaField(required=False)
    annual_cost = PlainDecimalField(
        max_digits=12, decimal_places=2, min_value=0, required=False, coerce_to_string=False
    )

    class Meta:
        model = Role
        fields = [
            "id",
            "organization",
            "title",
            "discipline",
            "discipline_name",
            "band",
            "band_split",
            "description",
            "annual_cost",
            "active",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "created_at", "updated_at"]
        # Uniqueness is a model-level (case-insensitive) constraint checked by full_clean.
        validators = []

    def to_representation(self, role):
        representation = super().to_representation(role)
        representation["band_split"] = role.effective_band_split()
        return representation


class InvitationSerializer(serializers.ModelSerializer):
    """An invitation; `link` is given once, in the answer that creates it."""

    organization = MemberOrganizationField()
    state = serializers.SerializerMethodField()
    invited_by = serializers.CharField(source="invited_by.username", read_only=True, default=None)
    link = serializers.SerializerMethodField(
        help_text="The link to send (only in the answer to the create request)."
    )

    class Meta:
        model = Invitation
        fields = [
            "id",
            "organization",
            "email",
            "role",
            "state",
            "invited_by",
            "created_at",
            "expires_at",
            "accepted_at",
            "revoked_at",
            "link",
        ]
        read_only_fields = [
            "id",
            "state",
            "invited_by",
            "created_at",
            "expires_at",
            "accepted_at",
            "revoked_at",
        ]

    @extend_schema_field(
        serializers.ChoiceField(choices=["pending", "accepted", "revoked", "expired"])
    )
    def get_state(self, invitation) -> str:
        return invitation.state(timezone.now())

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_link(self, invitation) -> str | None:
        links = self.context.get("links", {})
        return links.get(invitation.pk)


class AuditChangeSerializer(serializers.Serializer):
    field = serializers.CharField()
    old = serializers.CharField()
    new = serializers.CharField()


class AuditEntrySerializer(serializers.Serializer):
    """One change: who, when, which object, and each field's old and new value."""

    id = serializers.CharField(help_text="type:history id, unique in the log.")
    when = serializers.DateTimeField()
    who = serializers.CharField(help_text="Username, or 'system' for changes nobody signed.")
    type = serializers.CharField(help_text="The object's type (model name), e.g. plan, planline.")
    object_id = serializers.IntegerField()
    object = serializers.CharField()
    action = serializers.ChoiceField(choices=["created", "changed", "deleted"])
    is_import = serializers.BooleanField()
    reason = serializers.CharField()
    changes = AuditChangeSerializer(many=True)


class AuditQuerySerializer(serializers.Serializer):
    """`?since=&until=&type=&user=&organization=`, all optional."""

    since = serializers.CharField(required=False, max_length=40)
    until = serializers.CharField(required=False, max_length=40)
    type = serializers.CharField(required=False, max_length=100)
    user = serializers.CharField(required=False, max_length=150)
    organization = serializers.CharField(required=False, max_length=20)

    def _moment(self, value: str, field: str):
        moment = parse_datetime(value) if "T" in value or " " in value else None
        if moment is None:
            day = None
            try:
                day = parse_date(value)
            except ValueError:
                day = None
            if day is None:
                raise serializers.ValidationError(
                    "Give a date (2026-01-31) or a date and time (2026-01-31T09:00:00Z)."
                )
            moment = datetime.combine(day, time.min)
        if timezone.is_naive(moment):
            moment = timezone.make_aware(moment)
        return moment

    def validate_since(self, value):
        try:
            return self._moment(value, "since")
        except ValueError:
            raise serializers.ValidationError("Not a valid date or time.") from None

    def validate_until(self, value):
        try:
            return self._moment(value, "until")
        except ValueError:
            raise serializers.ValidationError("Not a valid date or time.") from None

    def validate_type(self, value):
        known = {key for key, _ in self.context["type_choices"]}
        if value not in known:
            raise serializers.ValidationError(f"Use one of: {', '.join(sorted(known))}.")
        return value

    def validate_organization(self, value):
        administered = self.context["administered"]
        if not value.isdigit() or int(value) not in administered:
            raise serializers.ValidationError("Unknown organization.")
        return int(value)
