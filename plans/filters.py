"""FilterSets of plans, shared by the API lists (`plans/`, `scores/`) and the HTML pages."""

import django_filters
from django import forms

from plans.models import Plan, PlanStatus
from plans.selectors import MAX_ID


class PlanFilterSet(django_filters.FilterSet):
    """`organization`, `status`, `source_plan`, `target_model` and a name `search`."""

    search = django_filters.CharFilter(field_name="name", lookup_expr="icontains")

    class Meta:
        model = Plan
        fields = ["organization", "status", "source_plan", "target_model", "search"]


class IdFilter(django_filters.Filter):
    """A database id as digits only: `1.5`, `1e3`, `+1` or ` 1` are refused, never rounded."""

    field_class = forms.RegexField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("regex", r"\A[0-9]{1,30}\Z")
        kwargs.setdefault("strip", False)
        kwargs.setdefault("error_messages", {"invalid": "Give the id as a whole number."})
        super().__init__(*args, **kwargs)

    def filter(self, queryset, value):
        if value in (None, ""):
            return queryset
        value = int(value)
        return queryset.filter(**{self.field_name: value}) if value <= MAX_ID else queryset.none()


class ScoresFilterSet(django_filters.FilterSet):
    """The filters of `scores/`: an organization id and a status, validated with clear words.

    `plans.selectors.plans_score_fetch` applies the cleaned values (its query is hand-written).
    """

    organization = IdFilter(field_name="organization_id", help_text="Organization id")
    status = django_filters.ChoiceFilter(choices=PlanStatus.choices)

    class Meta:
        model = Plan
        fields = ["organization", "status"]
