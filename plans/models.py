"""Target models, department plans and their lines."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from simple_history.models import HistoricalRecords

from l_and_d_planner.validation import (
    NAME_MAX_LENGTH,
    TEXT_MAX_LENGTH,
    validate_name,
    validate_text,
)
from roles.bands import BANDS, Band
from roles.models import MAX_ANNUAL_COST, MAX_EMPLOYEES, Organization, Role

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

    name = models.CharField(max_length=150, validators=[validate_name])
    organization = models.ForeignKey(
        Organization,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="target_models",
        help_text="Empty for a built-in model every organization can use.",
    )
    description = models.TextField(
        blank=True, max_length=TEXT_MAX_LENGTH, validators=[validate_text]
    )
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
    name = models.CharField(max_length=NAME_MAX_LENGTH, validators=[validate_name])
    description = models.TextField(
        blank=True, max_length=TEXT_MAX_LENGTH, validators=[validate_text]
    )
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
    employees_served = models.PositiveIntegerField(
        "employees served",
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_EMPLOYEES)],
        help_text="A division's employees; empty: the organization's.",
    )
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
        """Plans in review, approved or archived are read-only until moved back to draft (the
        rule of roles.permissions)."""
        return self.status != PlanStatus.DRAFT

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
    note = models.CharField(max_length=500, blank=True, validators=[validate_text])
    version = models.PositiveIntegerField(
        default=1, help_text="Optimistic locking: every saved change of the line adds one."
    )
    history = HistoricalRecords(excluded_fields=["version"])

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


# --- readiness and the reskilling roadmap (DESIGN §9) ---------------------------------------


class ReadinessAnswer(models.Model):
    """A plan's answer (0-4, never ... always) to one question of the readiness check.

    `code` is a question code of `plans.readiness.QUESTIONS` (validated there, not as choices, so
    that wording changes need no migration).
    """

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="readiness_answers")
    code = models.CharField(max_length=40)
    answer = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(0), MaxValueValidator(4)],
        help_text="0 never, 1 rarely, 2 sometimes, 3 often, 4 always.",
    )
    note = models.CharField(max_length=1000, blank=True, validators=[validate_text])
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["plan_id", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "code"],
                name="readiness_answer_one_per_question",
                violation_error_message="This plan already has an answer to this question.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.code}={self.answer} for {self.plan}"

    def clean(self):
        from plans.domain.readiness import QUESTIONS_BY_CODE

        if self.code and self.code not in QUESTIONS_BY_CODE:
            raise ValidationError({"code": f"Unknown question code {self.code!r}."})


class Roadmap(models.Model):
    """The reskilling roadmap of a plan: from its current FTE to its planned FTE, by quarter."""

    plan = models.OneToOneField(Plan, on_delete=models.CASCADE, related_name="roadmap")
    start = models.DateField(help_text="Quarter 1 is the first calendar quarter from this day.")
    max_fte_per_quarter = models.DecimalField(
        "most FTE moved a quarter",
        max_digits=5,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0.1")), MaxValueValidator(MAX_FTE)],
    )
    plan_version = models.PositiveIntegerField(
        default=0, help_text="The plan's version the roadmap was built from."
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    def __str__(self) -> str:
        return f"Roadmap of {self.plan}"


def learning_text(help_text: str) -> models.TextField:
    """One of the six learning-plan texts: at most 5,000 characters of plain text."""
    return models.TextField(
        blank=True, max_length=TEXT_MAX_LENGTH, validators=[validate_text], help_text=help_text
    )


class TransitionKind(models.TextChoices):
    MOVE = "move", "Move"
    HIRE = "hire", "Hire"
    EXIT = "exit", "Exit"


class RoadmapTransition(models.Model):
    """One step of a roadmap: FTE moving between roles, hired into one, or leaving one.

    Each carries a learning-network plan (F-T-D-A-O-R), prefilled from the target discipline and
    edited by the planner.
    """

    roadmap = models.ForeignKey(Roadmap, on_delete=models.CASCADE, related_name="transitions")
    kind = models.CharField(max_length=4, choices=TransitionKind.choices)
    from_role = models.ForeignKey(
        Role, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    to_role = models.ForeignKey(
        Role, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    fte = fte_field("FTE")
    quarter = models.PositiveSmallIntegerField(help_text="1 = the roadmap's first quarter.")
    effective_date = models.DateField()
    affinity = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Discipline affinity of a move, 0 none ... 3 strong."
    )
    focus = learning_text("Focus on your goals.")
    target = learning_text("Target the people you need.")
    define = learning_text("Define how you can make them successful.")
    align = learning_text("Align your efforts to that.")
    outreach = learning_text("Plan your outreach.")
    renew = learning_text("Constantly renew it.")
    history = HistoricalRecords()

    class Meta:
        ordering = ["quarter", "id"]

    def __str__(self) -> str:
        return f"{self.kind} {self.fte} FTE in quarter {self.quarter}"

    @property
    def learning_plan(self) -> dict[str, str]:
        """The six F-T-D-A-O-R fields."""
        return {
            name: getattr(self, name)
            for name in ("focus", "target", "define", "align", "outreach", "renew")
        }

    def clean(self):
        errors = {}
        if self.kind in (TransitionKind.MOVE, TransitionKind.EXIT) and not self.from_role_id:
            errors["from_role"] = "A move or an exit leaves a role."
        if self.kind in (TransitionKind.MOVE, TransitionKind.HIRE) and not self.to_role_id:
            errors["to_role"] = "A move or a hire joins a role."
        if self.kind == TransitionKind.HIRE and self.from_role_id:
            errors["from_role"] = "A hire comes from outside: no from role."
        if self.kind == TransitionKind.EXIT and self.to_role_id:
            errors["to_role"] = "An exit leaves the department: no to role."
        if self.fte is not None and self.fte <= 0:
            errors["fte"] = "A transition moves more than 0 FTE."
        if errors:
            raise ValidationError(errors)


class PlanStatusChange(models.Model):
    """One move of a plan's status (submit, withdraw, approve, send back…) with the reviewer's
    comment: the review trail the History page shows."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(max_length=12, choices=PlanStatus.choices)
    to_status = models.CharField(max_length=12, choices=PlanStatus.choices)
    comment = models.TextField(blank=True, max_length=2000)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["plan", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.from_status} → {self.to_status}"
