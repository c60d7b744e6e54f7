"""Forms of the role catalog pages (the filter, the role editor with its band split) and of the
department size pages (the organization's size settings, its own benchmarks)."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from roles.bands import BAND_SHORT_LABELS, BANDS
from roles.models import (
    BENCHMARK_EDITABLE_FIELDS,
    REFERENCE_FIELDS,
    Benchmark,
    MembershipRole,
    Organization,
    Role,
    validate_band_split,
)


def split_field_name(band) -> str:
    return f"split_{band.value}"


class RoleForm(forms.ModelForm):
    """An organization's own role; the band split is three whole percentages (blank: default)."""

    class Meta:
        model = Role
        fields = ["title", "discipline", "description", "annual_cost", "active"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:
            # A new role has no cost yet: an empty field asks for one instead of offering 0.
            self.initial.pop("annual_cost", None)
            self.fields["annual_cost"].initial = None
        split = self.instance.band_split or {}
        for band in BANDS:
            self.fields[split_field_name(band)] = forms.IntegerField(
                label=f"{BAND_SHORT_LABELS[band]} share (%)",
                required=False,
                min_value=0,
                max_value=100,
                initial=split.get(band.value) if split else None,
                help_text="Leave all three blank for 100% in the discipline's band."
                if band == BANDS[0]
                else "",
            )

    def split_fields(self):
        return [self[split_field_name(band)] for band in BANDS]

    def main_fields(self):
        return [self[name] for name in self.Meta.fields]

    def clean(self):
        cleaned = super().clean()
        values = {band.value: cleaned.get(split_field_name(band)) for band in BANDS}
        if all(value is None for value in values.values()):
            cleaned["band_split"] = {}
        else:
            try:
                cleaned["band_split"] = validate_band_split(
                    {band: value or 0 for band, value in values.items()}
                )
            except ValidationError as error:
                self.add_error(None, error)
        return cleaned

    def _post_clean(self):
        # The services validate the model (full_clean) when saving; skip the form's own pass.
        pass

    def role_fields(self) -> dict:
        """The cleaned values as keyword arguments of role_create / role_update."""
        fields = {name: self.cleaned_data[name] for name in self.Meta.fields}
        fields["band_split"] = self.cleaned_data.get("band_split", {})
        return fields


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form's fields, or on the form as a whole."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error)


class MemberRoleForm(forms.Form):
    """A member's new role on the members page."""

    role = forms.ChoiceField(choices=MembershipRole.choices)


class InvitationForm(forms.Form):
    """Invite an email address with a role."""

    email = forms.EmailField(max_length=254, label="Email")
    role = forms.ChoiceField(
        choices=MembershipRole.choices, initial=MembershipRole.VIEWER, label="Role"
    )


class InvitationSignUpForm(forms.Form):
    """Create an account (for the invited email) with a password."""

    username = forms.CharField(max_length=150, label="Username")
    password1 = forms.CharField(
        label="Password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label="Password again",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("password1") and cleaned.get("password1") != cleaned.get("password2"):
            self.add_error("password2", "The two passwords differ.")
        return cleaned


class AuditFilterForm(forms.Form):
    """The audit log's filters: object type, user, from and to dates (all optional)."""

    type = forms.ChoiceField(required=False, label="Object type")
    user = forms.CharField(
        required=False,
        max_length=150,
        label="User",
        widget=forms.TextInput(attrs={"list": "audit-users", "autocomplete": "off"}),
    )
    since = forms.DateField(
        required=False, label="From", widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        required=False, label="To (inclusive)", widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, type_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["type"].choices = [("", "All types"), *type_choices]


class BenchmarkForm(forms.ModelForm):
    """An organization's own benchmark (the shared ones are read-only)."""

    source_url = forms.URLField(
        label="Source URL", max_length=500, required=False, assume_scheme="https"
    )

    class Meta:
        model = Benchmark
        fields = list(BENCHMARK_EDITABLE_FIELDS)
        widgets = {"note": forms.Textarea(attrs={"rows": 3, "maxlength": 5000})}

    def _post_clean(self):
        # The services validate the model (full_clean) when saving.
        pass

    def benchmark_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class OrganizationSizeForm(forms.ModelForm):
    """Who the L&D department serves, the reference per metric, and one exchange rate."""

    class Meta:
        model = Organization
        fields = [
            "employees",
            *REFERENCE_FIELDS.values(),
            "exchange_currency",
            "exchange_rate",
        ]

    def __init__(self, *args, benchmarks, **kwargs):
        """`benchmarks`: the queryset of those the organization may pick (shared and its own)."""
        super().__init__(*args, **kwargs)
        for metric, field in REFERENCE_FIELDS.items():
            self.fields[field].queryset = benchmarks.filter(metric=metric, active=True)
            self.fields[field].empty_label = "None: do not compare"

    def _post_clean(self):
        pass

    def organization_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}
