"""Forms of the role catalog pages: the filter and the role editor (band split included)."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from roles.bands import BAND_SHORT_LABELS, BANDS
from roles.models import Role, validate_band_split


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
