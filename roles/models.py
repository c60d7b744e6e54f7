"""Organizations (tenants), their members, the disciplines and the role catalog."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models.functions import Lower
from simple_history.models import HistoricalRecords

from l_and_d_planner.validation import (
    NAME_MAX_LENGTH,
    TEXT_MAX_LENGTH,
    validate_name,
    validate_text,
)
from roles.bands import BAND_CHOICES, BANDS, Band

MAX_ANNUAL_COST = Decimal("9999999999.99")


class Organization(models.Model):
    """A tenant: its members see its plans and its own roles, nobody else does."""

    name = models.CharField(max_length=NAME_MAX_LENGTH, validators=[validate_name])
    slug = models.SlugField(max_length=80, unique=True)
    currency = models.CharField(
        max_length=3,
        default="EUR",
        validators=[RegexValidator(r"^[A-Z]{3}$", "Use a three-letter ISO 4217 code, e.g. EUR.")],
        help_text="ISO 4217 code, e.g. EUR, USD, GBP.",
    )
    default_target_model = models.ForeignKey(
        "plans.TargetModel",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="New plans use this model; empty means the built-in 70/20/10 model.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        if self.currency:
            self.currency = self.currency.upper()
        target = self.default_target_model
        if target is not None and target.organization_id not in (None, self.pk):
            raise ValidationError(
                {"default_target_model": "Use a built-in model or one of this organization's."}
            )


class MembershipRole(models.TextChoices):
    ADMIN = "admin", "Admin (catalog, members, all plans)"
    PLANNER = "planner", "Planner (create and edit plans)"
    VIEWER = "viewer", "Viewer (read only)"


class Membership(models.Model):
    """A user's place in an organization, and so what they may do there."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(
        max_length=10, choices=MembershipRole.choices, default=MembershipRole.VIEWER
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["organization__name", "user__username"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organization"], name="membership_one_per_user_and_org"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.organization} ({self.role})"


class Discipline(models.Model):
    """A professional discipline of a learning department, sitting in one band."""

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    band = models.CharField(max_length=20, choices=BAND_CHOICES)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["band", "name"]

    def __str__(self) -> str:
        return self.name


def validate_band_split(value) -> dict[str, int]:
    """Check a band split: known band codes, whole percentages 0-100, summing to 100.

    Returns the normalised split (every band present). Raises ValidationError with a reason.
    """
    if value in (None, "", {}):
        return {}
    if not isinstance(value, dict):
        raise ValidationError("Give the band split as an object of band code to percent.")
    unknown = sorted(set(value) - {band.value for band in BANDS})
    if unknown:
        raise ValidationError(
            f"Unknown band {', '.join(map(str, unknown))}: use experiential, social or formal."
        )
    normalised = {}
    for band in BANDS:
        raw = value.get(band.value, 0)
        if isinstance(raw, bool) or not isinstance(raw, int | float | Decimal | str):
            raise ValidationError(f"{band.value}: give a whole percentage from 0 to 100.")
        try:
            number = Decimal(str(raw))
        except ArithmeticError:
            raise ValidationError(f"{band.value}: '{raw}' is not a number.") from None
        if not number.is_finite() or number != number.to_integral_value():
            raise ValidationError(f"{band.value}: give a whole percentage from 0 to 100.")
        if number < 0 or number > 100:
            raise ValidationError(f"{band.value}: {number} is outside 0-100.")
        normalised[band.value] = int(number)
    total = sum(normalised.values())
    if total != 100:
        raise ValidationError(f"The band split must sum to 100; it sums to {total}.")
    return normalised


class Role(models.Model):
    """A role of the catalog: the shared standard catalog (no organization) or an org's own."""

    organization = models.ForeignKey(
        Organization,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="roles",
        help_text="Empty for the shared standard catalog.",
    )
    title = models.CharField(max_length=150, validators=[validate_name])
    discipline = models.ForeignKey(Discipline, on_delete=models.PROTECT, related_name="roles")
    description = models.TextField(
        blank=True, max_length=TEXT_MAX_LENGTH, validators=[validate_text]
    )
    annual_cost = models.DecimalField(
        "annual cost per FTE",
        max_digits=12,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(MAX_ANNUAL_COST)],
    )
    band_split = models.JSONField(
        default=dict,
        blank=True,
        help_text=(
            'Percent per band summing to 100, e.g. {"social": 60, "formal": 40}. '
            "Empty means 100% in the discipline's band."
        ),
    )
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["title"]
        constraints = [
            models.UniqueConstraint(
                Lower("title"),
                "organization",
                name="role_title_unique_per_org",
                violation_error_message="This organization already has a role with this title.",
            ),
            models.UniqueConstraint(
                Lower("title"),
                condition=models.Q(organization__isnull=True),
                name="role_title_unique_in_shared_catalog",
                violation_error_message="The shared catalog already has a role with this title.",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def band(self) -> str:
        """The discipline's band: where the role mainly sits."""
        return self.discipline.band

    def effective_band_split(self) -> dict[str, int]:
        """Percent per band, every band present; the default is all in the discipline's band."""
        if self.band_split:
            return {band.value: int(self.band_split.get(band.value, 0)) for band in BANDS}
        return {band.value: (100 if band.value == self.discipline.band else 0) for band in BANDS}

    def clean(self):
        try:
            self.band_split = validate_band_split(self.band_split)
        except ValidationError as error:
            raise ValidationError({"band_split": error.messages}) from None
        if self.title:
            self.title = self.title.strip()


def band_split_fractions(band_split: dict | None, discipline_band: str) -> dict[Band, Decimal]:
    """Turn a stored split (percent) into fractions per band for the maths."""
    if band_split:
        return {band: Decimal(int(band_split.get(band.value, 0))) / 100 for band in BANDS}
    return {band: Decimal(1 if band.value == discipline_band else 0) for band in BANDS}
