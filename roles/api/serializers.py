"""Serializers of organizations, memberships, disciplines and roles."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from l_and_d_planner.api_fields import PlainDecimalField
from roles.bands import BAND_CHOICES
from roles.models import Discipline, Membership, MembershipRole, Organization, Role
from roles.selectors import organizations_for


class MemberOrganizationField(serializers.PrimaryKeyRelatedField):
    """An organization the requesting user belongs to; any other id is simply unknown."""

    def get_queryset(self):
        request = self.context.get("request")
        user = getattr(request, "user", None)
        return organizations_for(user)


class OrganizationSerializer(serializers.ModelSerializer):
    my_role = serializers.SerializerMethodField(help_text="Your membership role here.")

    class Meta:
        model = Organization
        fields = ["id", "name", "slug", "currency", "default_target_model", "my_role"]
        read_only_fields = ["id", "slug", "my_role"]

    @extend_schema_field(serializers.ChoiceField(choices=MembershipRole.choices))
    def get_my_role(self, organization) -> str:
        roles = self.context.get("membership_roles", {})
        return roles.get(organization.id)


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
