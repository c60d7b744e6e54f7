"""FilterSets of plans, shared by the API lists (`plans/`, `scores/`) and the HTML pages."""

import django_filters
from django import forms

from plans.models import Plan, PlanStatus, TargetModel
from plans.selectors import MAX_ID, plans_visible_to, target_models_visible_to
from roles.filters import organization_filter


def visible_plans(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return Plan.objects.none()
    return plans_visible_to(user)


def visible_target_models(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return TargetModel.objects.none()
    return target_models_visible_to(user)


class PlanFilterSet(django_filters.FilterSet):
    """`organization`, `status`, `source_plan`, `target_model` and a name `search`.

    Every id filter chooses among what the caller may see: another organization's id (or its
    plan's, or its model's) answers exactly like an unknown id.
    """

    search = django_filters.CharFilter(field_name="name", lookup_expr="icontains")
    organization = organization_filter()
    source_plan = django_filters.ModelChoiceFilter(queryset=visible_plans)
    target_model = django_filters.ModelChoiceFilter(queryset=visible_target_models)

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


class TargetModelFilterSet(django_filters.FilterSet):
    """`organization`: one of the caller's (another's id answers like an unknown one)."""

    organization = organization_filter()

    class Meta:
        model = TargetModel
        fields = ["organization"]


class ScoresFilterSet(django_filters.FilterSet):
    """The filters of `scores/`: an organization id and a status, validated with clear words.

    `plans.selectors.plans_score_fetch` applies the cleaned values (its query is hand-written).
    """

    organization = IdFilter(field_name="organization_id", help_text="Organization id")
    status = django_filters.ChoiceFilter(choices=PlanStatus.choices)

    class Meta:
        model = Plan
        fields = ["organization", "status"]
