"""Target models, department plans and their lines."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from simple_history.models import HistoricalRecords

from roles.bands import BANDS, Band
from roles.models import MAX_ANNUAL_COST, Organization, Role

MAX_FTE = Decimal("9999.9")
BUILT_IN_MODEL_NAME = "Modern Learning Department (70/20/10)"


def fte_field(verbose_name: str, **kwargs) -> models.DecimalField:
    """FTE: 0 to 9,999.9, one decimal place."""
    return models.DecimalField(
        verbose_name,
        max_digits=5,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(MAX_FTE)],
        **kwargs,
    )


def percent_field(verbose_name: str, default: str) -> models.DecimalField:
    return models.DecimalField(
        verbose_name,
        max_digits=5,
        decimal_places=2,
        default=Decimal(default),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )


class TargetModel(models.Model):
    """The mix a department is scored against: a share per band (percent) and a tolerance."""

    name = models.CharField(max_length=150)
    organization = models.ForeignKey(
        Organization,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="target_models",
        help_text="Empty for a built-in model every organization can use.",
    )
    description = models.TextField(blank=True)
    experiential_percent = percent_field("experiential target (%)", "70")
    social_percent = percent_field("social target (%)", "20")
    formal_percent = percent_field("formal target (%)", "10")
    tolerance_points = models.DecimalField(
        "tolerance (percentage points)",
        max_digits=4,
        decimal_places=2,
        default=Decimal("5"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("50"))],
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["organization_id", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "name"],
                name="target_model_name_unique_per_org",
                violation_error_message="A target model with this name already exists.",
            ),
            models.UniqueConstraint(
                fields=["name"],
                condition=models.Q(organization__isnull=True),
                name="target_model_name_unique_built_in",
                violation_error_message="A built-in target model with this name already exists.",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def percent(self, band: Band) -> Decimal:
        return getattr(self, f"{band.value}_percent")

    @property
    def targets(self) -> dict[Band, Decimal]:
        """Target shares as fractions (0.7)."""
        return {band: self.percent(band) / 100 for band in BANDS}

    @property
    def is_built_in(self) -> bool:
        return self.organization_id is None

    def clean(self):
        total = sum((self.percent(band) or Decimal(0)) for band in BANDS)
        if total != 100:
            raise ValidationError(f"The band targets must sum to 100%; they sum to {total}%.")


class PlanStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    IN_REVIEW = "in_review", "In review"
    APPROVED = "approved", "Approved"
    ARCHIVED = "archived", "Archived"


class Plan(models.Model):
    """A department plan: headcount per role today and planned, scored against a target model."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="plans")
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    status = models.CharField(max_length=12, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    target_model = models.ForeignKey(TargetModel, on_delete=models.PROTECT, related_name="plans")
    headcount_cap = fte_field("headcount cap (FTE)", null=True, blank=True)
    budget_cap = models.DecimalField(
        "budget cap (annual cost)",
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("999999999999.99"))],
    )
    compliance_floor = fte_field("compliance floor (minimum formal FTE)", null=True, blank=True)
    version = models.PositiveIntegerField(
        default=1, help_text="Optimistic locking: every saved change adds one."
    )
    source_plan = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="scenarios",
        help_text="The plan this one is a scenario of.",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(excluded_fields=["version"])

    class Meta:
        ordering = ["-updated_at", "-id"]
        indexes = [models.Index(fields=["organization", "status"])]

    def __str__(self) -> str:
        return self.name

    @property
    def is_read_only(self) -> bool:
        """Approved and archived plans are frozen until reopened."""
        return self.status in (PlanStatus.APPROVED, PlanStatus.ARCHIVED)

    def clean(self):
        errors = {}
        if self.target_model_id and self.organization_id:
            if self.target_model.organization_id not in (None, self.organization_id):
                errors["target_model"] = "Use a built-in model or one of this organization's."
        if self.source_plan_id and self.organization_id:
            if self.source_plan.organization_id != self.organization_id:
                errors["source_plan"] = "A scenario must belong to the same organization."
        if errors:
            raise ValidationError(errors)


class PlanLine(models.Model):
    """Headcount of one role in a plan: today (current) and planned."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="lines")
    role = models.ForeignKey(Role, on_delete=models.PROTECT, related_name="plan_lines")
    current_fte = fte_field("current FTE", default=Decimal("0"))
    planned_fte = fte_field("planned FTE", default=Decimal("0"))
    cost_override = models.DecimalField(
        "annual cost per FTE (override)",
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(MAX_ANNUAL_COST)],
    )
    locked = models.BooleanField(default=False, help_text="Rebalancing never changes it.")
    note = models.CharField(max_length=500, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "role"],
                name="plan_line_one_per_role",
                violation_error_message="This plan already has a line for this role.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.role} in {self.plan}"

    @property
    def annual_cost(self) -> Decimal:
        """Cost per FTE: the override, else the role's cost."""
        return self.cost_override if self.cost_override is not None else self.role.annual_cost

    def clean(self):
        if self.role_id and self.plan_id:
            if self.role.organization_id not in (None, self.plan.organization_id):
                raise ValidationError(
                    {"role": "This role belongs to another organization's catalog."}
                )
