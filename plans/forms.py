"""Forms of the planner pages: new plan, plan settings, the lines table, status and compare.

The lines table is a plain formset keyed by role (one line per role per plan), so the same
posted values can be scored without saving (the live preview) or handed to the lines service as
`LineEdit`s and saved in one step with the plan's version checked first.
"""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError

from l_and_d_planner.validation import (
    NAME_MAX_LENGTH,
    TEXT_MAX_LENGTH,
    PlainDecimalFormField,
    validate_name,
    validate_text,
)
from plans.models import MAX_FTE, Plan, PlanStatus
from plans.services.lines import LineEdit
from roles.models import MAX_ANNUAL_COST, Role

MAX_LINES = 1000
MAX_COMPARED = 4


def fte_form_field(label: str) -> forms.DecimalField:
    return PlainDecimalFormField(
        label=label,
        min_value=Decimal("0"),
        max_value=MAX_FTE,
        max_digits=5,
        decimal_places=1,
        initial=Decimal("0"),
        error_messages={"max_decimal_places": "Use steps of 0.1 FTE."},
    )


class PlanCreateForm(forms.Form):
    """A new plan: empty, or a copy of one of the organization's plans."""

    name = forms.CharField(
        label="Plan name", max_length=NAME_MAX_LENGTH, validators=[validate_name]
    )
    description = forms.CharField(
        label="Description",
        required=False,
        max_length=TEXT_MAX_LENGTH,
        validators=[validate_text],
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    copy_from = forms.ModelChoiceField(
        label="Start from",
        queryset=Plan.objects.none(),
        required=False,
        empty_label="An empty plan",
        help_text="Copy the roles and headcount of an existing plan as a new scenario.",
    )

    def __init__(self, *args, plans=None, **kwargs):
        super().__init__(*args, **kwargs)
        if plans is not None:
            self.fields["copy_from"].queryset = plans


class PlanSettingsForm(forms.ModelForm):
    """The plan's own fields; `version` is the one the user read (optimistic locking)."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = Plan
        fields = [
            "name",
            "description",
            "target_model",
            "headcount_cap",
            "budget_cap",
            "compliance_floor",
            "employees_served",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, target_models=None, **kwargs):
        super().__init__(*args, **kwargs)
        if target_models is not None:
            self.fields["target_model"].queryset = target_models


class PlanLineRowForm(forms.Form):
    """One row of the lines table: a role and its headcount, today and planned."""

    role = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    current_fte = fte_form_field("Current FTE")
    planned_fte = fte_form_field("Planned FTE")
    cost_override = PlainDecimalFormField(
        label="Annual cost per FTE",
        required=False,
        min_value=Decimal("0"),
        max_value=MAX_ANNUAL_COST,
        max_digits=12,
        decimal_places=2,
    )
    locked = forms.BooleanField(label="Locked", required=False)
    note = forms.CharField(label="Note", required=False, max_length=500, validators=[validate_text])
    remove = forms.BooleanField(label="Remove", required=False)


class BasePlanLinesFormSet(forms.BaseFormSet):
    def clean(self):
        if any(self.errors):
            return
        seen = set()
        for form in self.forms:
            role_id = form.cleaned_data.get("role")
            if role_id in seen:
                raise ValidationError("A role appears twice in the table.")
            seen.add(role_id)


PlanLinesFormSet = forms.formset_factory(
    PlanLineRowForm,
    formset=BasePlanLinesFormSet,
    extra=0,
    max_num=MAX_LINES,
    validate_max=True,
    absolute_max=MAX_LINES,
)
LINES_PREFIX = "lines"


class PlannerVersionForm(forms.Form):
    """The plan version the table was read at."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class StatusChangeForm(forms.Form):
    status = forms.ChoiceField(choices=PlanStatus.choices)
    version = forms.IntegerField(min_value=1)
    comment = forms.CharField(required=False, max_length=2000, strip=True)


class CompareForm(forms.Form):
    """`ids=1,2` or `ids=1&ids=2`: two to four plans."""

    ids = forms.CharField(label="Plans", required=True)

    def __init__(self, data=None, **kwargs):
        if data is not None and hasattr(data, "getlist"):
            data = {"ids": ",".join(data.getlist("ids"))}
        super().__init__(data, **kwargs)

    def clean_ids(self) -> list[int]:
        ids = []
        for part in self.cleaned_data["ids"].split(","):
            part = part.strip()
            if not part:
                continue
            if not part.isdigit() or len(part) > 12:
                raise ValidationError(f"'{part[:20]}' is not a plan number.")
            if int(part) not in ids:
                ids.append(int(part))
        if not 2 <= len(ids) <= MAX_COMPARED:
            raise ValidationError(f"Choose two to four plans to compare; you chose {len(ids)}.")
        return ids


TOO_MANY_ROWS = (
    f"The table can hold at most {MAX_LINES} rows: nothing was saved. Reload the plan and try "
    "again."
)


def posted_row_count(data, prefix: str = LINES_PREFIX) -> int | None:
    """The posted table's row count (`TOTAL_FORMS`) when it is a plain number of at most
    MAX_LINES, else None: a client-given count is checked before any row is built, so a forged
    `TOTAL_FORMS=999999999999999999` costs nothing (Django's absolute_max alone still builds
    MAX_LINES empty forms to report the error)."""
    for name in ("TOTAL_FORMS", "INITIAL_FORMS"):
        raw = str(data.get(f"{prefix}-{name}", "0") or "0").strip()
        if not (raw.isascii() and raw.isdigit()) or len(raw) > 6 or int(raw) > MAX_LINES:
            return None
    return int(str(data.get(f"{prefix}-TOTAL_FORMS", "0") or "0").strip())


def posted_role_ids(formset) -> list[int]:
    """Role ids named in a bound formset, read before validation (to fetch the roles at once)."""
    ids = []
    for index in range(min(formset.total_form_count(), MAX_LINES)):
        raw = formset.data.get(f"{formset.prefix}-{index}-role", "")
        if str(raw).isdigit() and len(str(raw)) < 19:
            ids.append(int(raw))
    return ids


def check_row_roles(formset, roles: dict[int, Role]) -> None:
    """Flag rows whose role the plan may not use (unknown, foreign, or gone)."""
    for form in formset.forms:
        role_id = form.cleaned_data.get("role") if hasattr(form, "cleaned_data") else None
        if role_id is not None and role_id not in roles:
            form.add_error(None, "This role is not in the catalog of this plan's organization.")


def line_edits(formset) -> list[LineEdit]:
    """The valid table as the lines service takes it: one edit per row that names a role."""
    edits = []
    for form in formset.forms:
        row = form.cleaned_data
        if not row.get("role"):
            continue
        edits.append(
            LineEdit(
                role_id=row["role"],
                current_fte=row["current_fte"],
                planned_fte=row["planned_fte"],
                cost_override=row.get("cost_override"),
                locked=bool(row.get("locked")),
                note=row.get("note") or "",
                remove=bool(row.get("remove")),
            )
        )
    return edits
