"""FilterSets of plans, shared by the API lists (`plans/`, `scores/`) and the HTML pages."""

import django_filters

from plans.models import Plan, PlanStatus
from plans.selectors import MAX_ID


class PlanFilterSet(django_filters.FilterSet):
    """`organization`, `status`, `source_plan`, `target_model` and a name `search`."""

    search = django_filters.CharFilter(field_name="name", lookup_expr="icontains")

    class Meta:
        model = Plan
        fields = ["organization", "status", "source_plan", "target_model", "search"]


class ScoresFilterSet(django_filters.FilterSet):
    """The filters of `scores/`: an organization id and a status, validated with clear words."""

    organization = django_filters.NumberFilter(
        method="filter_organization", min_value=0, help_text="Organization id"
    )
    status = django_filters.ChoiceFilter(choices=PlanStatus.choices)

    class Meta:
        model = Plan
        fields = ["organization", "status"]

    def filter_organization(self, queryset, name, value):
        if value != int(value):
            return queryset.none()
        value = int(value)
        return queryset.filter(organization_id=value) if value <= MAX_ID else queryset.none()
