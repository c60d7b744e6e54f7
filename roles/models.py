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
MAX_EMPLOYEES = 10_000_000
CURRENCY_CODE = RegexValidator(r"^[A-Z]{3}$", "Use a three-letter ISO 4217 code, e.g. EUR.")


class BenchmarkMetric(models.TextChoices):
    EMPLOYEES_PER_LD_FTE = "employees_per_ld_fte", "employees per L&D FTE"
    LD_FTE_PER_1000_EMPLOYEES = "ld_fte_per_1000_employees", "L&D FTE per 1,000 employees"
    SPEND_PER_EMPLOYEE = "spend_per_employee", "L&D spend per employee"


# Metric -> the Organization field holding its chosen reference.
REFERENCE_FIELDS = {
    BenchmarkMetric.EMPLOYEES_PER_LD_FTE.value: "reference_employees_per_ld_fte",
    BenchmarkMetric.LD_FTE_PER_1000_EMPLOYEES.value: "reference_ld_fte_per_1000_employees",
    BenchmarkMetric.SPEND_PER_EMPLOYEE.value: "reference_spend_per_employee",
}


def reference_field(metric_words: str) -> models.ForeignKey:
    """The benchmark an organization compares one metric with."""
    return models.ForeignKey(
        "roles.Benchmark",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=f"reference: {metric_words}",
    )


def shared_default_references() -> dict[str, int]:
    """Metric -> id of the shared benchmark marked as the default reference (one query)."""
    rows = Benchmark.objects.filter(
        organization__isnull=True, shared_default=True, active=True
    ).values_list("metric", "id")
    return dict(rows)


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
    # Department size (DESIGN §10): the people the L&D department serves, the reference figure
    # picked per metric (new organizations start with the shared defaults), and one exchange
    # rate so money benchmarks in a foreign currency can be compared.
    employees = models.PositiveIntegerField(
        "employees served",
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_EMPLOYEES)],
        help_text="The people the L&D department serves; empty: unknown.",
    )
    reference_employees_per_ld_fte = reference_field("employees per L&D FTE")
    reference_ld_fte_per_1000_employees = reference_field("L&D FTE per 1,000 employees")
    reference_spend_per_employee = reference_field("spend per employee")
    exchange_currency = models.CharField(
        "foreign currency",
        max_length=3,
        blank=True,
        validators=[CURRENCY_CODE],
        help_text="A currency benchmarks use, e.g. USD; empty: none converted.",
    )
    exchange_rate = models.DecimalField(
        "exchange rate",
        max_digits=14,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.000001")), MaxValueValidator(Decimal("99999999"))],
        help_text="Units of the organization's currency for one unit of the foreign currency.",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        """A new organization starts with the shared default reference of each metric."""
        if self._state.adding:
            for metric, benchmark_id in shared_default_references().items():
                field = REFERENCE_FIELDS[metric]
                if getattr(self, f"{field}_id") is None:
                    setattr(self, f"{field}_id", benchmark_id)
        super().save(*args, **kwargs)

    def references(self) -> dict[str, "Benchmark | None"]:
        """Metric -> the reference figure the organization compares with (None: none)."""
        return {metric: getattr(self, field) for metric, field in REFERENCE_FIELDS.items()}

    def clean(self):
        if self.currency:
            self.currency = self.currency.upper()
        if self.exchange_currency:
            self.exchange_currency = self.exchange_currency.upper()
        target = self.default_target_model
        if target is not None and target.organization_id not in (None, self.pk):
            raise ValidationError(
                {"default_target_model": "Use a built-in model or one of this organization's."}
            )
        errors = self._reference_errors()
        if bool(self.exchange_currency) != (self.exchange_rate is not None):
            errors["exchange_rate"] = "Give both the foreign currency and its rate, or neither."
        elif self.exchange_currency and self.exchange_currency == self.currency:
            errors["exchange_currency"] = "Name a currency other than the organization's own."
        if errors:
            raise ValidationError(errors)

    def _reference_errors(self) -> dict[str, str]:
        errors = {}
        for metric, field in REFERENCE_FIELDS.items():
            benchmark = getattr(self, field)
            if benchmark is None:
                continue
            if benchmark.organization_id not in (None, self.pk):
                errors[field] = "Use a shared benchmark or one of this organization's."
            elif benchmark.metric != metric:
                errors[field] = f"This benchmark measures {benchmark.get_metric_display()}."
            elif not benchmark.active:
                errors[field] = "This benchmark is retired."
        return errors


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


INVITATION_LIFETIME_DAYS = 7


class Invitation(models.Model):
    """An admin's invitation of an email address into an organization, with a role.

    The link carries a random token; only its SHA-256 hash is stored, so the table alone lets
    nobody accept an invitation. The link works once, for 7 days, unless revoked.
    """

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField(max_length=254)
    role = models.CharField(
        max_length=10, choices=MembershipRole.choices, default=MembershipRole.VIEWER
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="invitations_sent",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="invitations_accepted",
    )
    revoked_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["token_hash"])

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["organization", "accepted_at", "revoked_at"])]

    def __str__(self) -> str:
        return f"{self.email} to {self.organization} ({self.role})"

    def state(self, now) -> str:
        """pending, accepted, revoked or expired (at `now`)."""
        if self.accepted_at is not None:
            return "accepted"
        if self.revoked_at is not None:
            return "revoked"
        if self.expires_at <= now:
            return "expired"
        return "pending"


# What a person gives for an organization's own benchmark (the form, the API and the services).
BENCHMARK_EDITABLE_FIELDS = (
    "name",
    "source",
    "source_url",
    "year",
    "metric",
    "value",
    "low",
    "high",
    "currency",
    "note",
)


class Benchmark(models.Model):
    """A published figure a department's size is compared with (DESIGN §10).

    Shared benchmarks (no organization) are seeded with their sources and read-only for
    organizations; an organization's admins add, edit and retire its own. `value` is in the
    metric's unit: employees per L&D FTE, L&D FTE per 1,000 employees, or money per employee
    (then in `currency`).
    """

    organization = models.ForeignKey(
        Organization,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="benchmarks",
        help_text="Empty for the shared, seeded benchmarks.",
    )
    name = models.CharField(max_length=200)
    source = models.CharField(max_length=200, help_text="Who published it, and where.")
    source_url = models.URLField("source URL", max_length=500, blank=True)
    year = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1900), MaxValueValidator(2100)],
        help_text="The year of publication.",
    )
    metric = models.CharField(max_length=30, choices=BenchmarkMetric.choices)
    value = models.DecimalField(
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(MAX_ANNUAL_COST)],
    )
    low = models.DecimalField(
        "range low",
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(MAX_ANNUAL_COST)],
    )
    high = models.DecimalField(
        "range high",
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(MAX_ANNUAL_COST)],
    )
    currency = models.CharField(
        max_length=3,
        blank=True,
        validators=[CURRENCY_CODE],
        help_text="For spend per employee only: the ISO 4217 code of the value.",
    )
    note = models.TextField(max_length=5000, blank=True)
    active = models.BooleanField(default=True, help_text="Retired benchmarks are kept, not used.")
    shared_default = models.BooleanField(
        default=False,
        help_text="Shared only: the reference new organizations start with for its metric.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["metric", "-year", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.year})"

    @property
    def is_shared(self) -> bool:
        return self.organization_id is None

    @property
    def is_money(self) -> bool:
        return self.metric == BenchmarkMetric.SPEND_PER_EMPLOYEE

    def clean(self):
        errors = {}
        if self.name:
            self.name = self.name.strip()
        if self.currency:
            self.currency = self.currency.upper()
        if self.metric == BenchmarkMetric.SPEND_PER_EMPLOYEE and not self.currency:
            errors["currency"] = "A spend per employee needs its currency, e.g. USD."
        elif self.metric and self.metric != BenchmarkMetric.SPEND_PER_EMPLOYEE and self.currency:
            errors["currency"] = "Only a spend per employee has a currency."
        if self.value is not None:
            if self.low is not None and self.low > self.value:
                errors["low"] = "The range's low end cannot exceed the value."
            if self.high is not None and self.high < self.value:
                errors["high"] = "The range's high end cannot be below the value."
        if self.shared_default and self.organization_id is not None:
            errors["shared_default"] = "Only a shared benchmark can be the shared default."
        if errors:
            raise ValidationError(errors)
