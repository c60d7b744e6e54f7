"""Forms of the planner pages: new plan, plan settings, the lines table, status and compare.

The lines table is a plain formset keyed by role (one line per role per plan), so the same
posted values can be scored without saving (the live preview) or saved in one step with the
plan's version checked first (`plan_lines_save`).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from plans.domain.types import LineInput
from plans.models import MAX_FTE, Plan, PlanStatus
from plans.services.plans import (
    StaleVersion,
    ensure_editable,
    plan_line_create,
    plan_line_delete,
    plan_line_update,
)
from roles.models import MAX_ANNUAL_COST, Role, band_split_fractions

LINE_FIELDS = ("current_fte", "planned_fte", "cost_override", "locked", "note")
MAX_LINES = 1000
MAX_COMPARED = 4


def fte_form_field(label: str) -> forms.DecimalField:
    return forms.DecimalField(
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

    name = forms.CharField(label="Plan name", max_length=200)
    description = forms.CharField(
        label="Description", required=False, widget=forms.Textarea(attrs={"rows": 3})
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
    cost_override = forms.DecimalField(
        label="Annual cost per FTE",
        required=False,
        min_value=Decimal("0"),
        max_value=MAX_ANNUAL_COST,
        max_digits=12,
        decimal_places=2,
    )
    locked = forms.BooleanField(label="Locked", required=False)
    note = forms.CharField(label="Note", required=False, max_length=500)
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


def roles_for_plan(plan: Plan, role_ids) -> dict[int, Role]:
    """The roles a plan may use (shared catalog or the plan's organization), by id, one query."""
    ids = [role_id for role_id in role_ids if isinstance(role_id, int)]
    if not ids:
        return {}
    roles = Role.objects.filter(
        Q(organization__isnull=True) | Q(organization_id=plan.organization_id), id__in=ids
    ).select_related("discipline")
    return {role.id: role for role in roles}


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


def line_input_for(role: Role, values: dict, line_id: int | None = None) -> LineInput:
    """A LineInput for the maths from a role and a row's values (saved or unsaved)."""
    override = values.get("cost_override")
    return LineInput(
        role_id=role.id,
        title=role.title,
        band_split=band_split_fractions(role.band_split, role.discipline.band),
        current_fte=values.get("current_fte") or Decimal(0),
        planned_fte=values.get("planned_fte") or Decimal(0),
        annual_cost=override if override is not None else role.annual_cost,
        locked=bool(values.get("locked")),
        line_id=line_id,
        discipline=role.discipline.name,
    )


@dataclass(frozen=True)
class LinesSaveResult:
    plan: Plan
    created: int
    updated: int
    removed: int

    @property
    def changed(self) -> int:
        return self.created + self.updated + self.removed


@transaction.atomic
def plan_lines_save(
    *, plan: Plan, expected_version: int, rows: list[dict], roles: dict[int, Role], user=None
) -> LinesSaveResult:
    """Save the lines table if nobody saved since `expected_version` (else StaleVersion).

    Rows are keyed by role: a row for a role without a line creates one, `remove` deletes it,
    changed values update it. Lines that are not in the table (added by someone else since) are
    left alone. Each change goes through the line services, which record history.
    """
    locked_plan = Plan.objects.select_for_update().select_related("organization").get(pk=plan.pk)
    if locked_plan.version != expected_version:
        raise StaleVersion(locked_plan.version)
    ensure_editable(locked_plan)
    existing = {line.role_id: line for line in locked_plan.lines.select_related("role__discipline")}
    created = updated = removed = 0
    for row in rows:
        line = existing.get(row["role"])
        if row.get("remove"):
            if line is not None:
                line.plan = locked_plan
                plan_line_delete(line=line, user=user)
                removed += 1
            continue
        values = {field: row.get(field) for field in LINE_FIELDS}
        values["note"] = values["note"] or ""
        values["locked"] = bool(values["locked"])
        if line is None:
            plan_line_create(plan=locked_plan, role=roles[row["role"]], user=user, **values)
            created += 1
        elif any(getattr(line, field) != value for field, value in values.items()):
            line.plan = locked_plan
            plan_line_update(line=line, user=user, **values)
            updated += 1
    return LinesSaveResult(plan=locked_plan, created=created, updated=updated, removed=removed)
