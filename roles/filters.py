"""FilterSets of the catalog and members, shared by the HTML catalog page and the API."""

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from roles import selectors
from roles.bands import BAND_CHOICES
from roles.models import Discipline, Invitation, Membership, Organization, Role


class StrictBooleanField(forms.NullBooleanField):
    """true/false (or 1/0); anything else is a 400 with the reason, not silently ignored."""

    widget = forms.TextInput

    def to_python(self, value):
        text = "" if value is None else str(value).strip().lower()
        if text == "":
            return None
        if text in ("true", "1"):
            return True
        if text in ("false", "0"):
            return False
        raise ValidationError("Give true or false.", code="invalid")

    def validate(self, value):
        pass


class StrictBooleanFilter(django_filters.BooleanFilter):
    field_class = StrictBooleanField


class StrictFilterSet(django_filters.FilterSet):
    """A FilterSet whose generated yes/no filters refuse other words (see StrictBooleanField)."""

    FILTER_DEFAULTS = {
        **django_filters.FilterSet.FILTER_DEFAULTS,
        models.BooleanField: {"filter_class": StrictBooleanFilter},
    }


def member_organizations(request):
    """The organizations an id filter may name: the caller's own. Another organization's id
    then answers exactly like an unknown one (400, the same words), revealing nothing."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return Organization.objects.none()
    return selectors.organizations_for(user)


def organization_filter(**kwargs) -> django_filters.ModelChoiceFilter:
    return django_filters.ModelChoiceFilter(queryset=member_organizations, **kwargs)


class RoleFilterSet(StrictFilterSet):
    """Search, band, discipline, shared-only and (for the page) whether to show inactive roles."""

    q = django_filters.CharFilter(method="filter_text", label="Search")
    band = django_filters.ChoiceFilter(
        field_name="discipline__band", choices=BAND_CHOICES, empty_label="All bands"
    )
    discipline = django_filters.ModelChoiceFilter(queryset=Discipline.objects.all())
    shared = StrictBooleanFilter(
        field_name="organization", lookup_expr="isnull", label="Only the shared catalog"
    )
    organization = organization_filter()

    class Meta:
        model = Role
        fields = ["q", "discipline", "band", "active", "organization", "shared"]

    def filter_text(self, queryset, name, value):
        return queryset.filter(Q(title__icontains=value) | Q(description__icontains=value))


class MembershipFilterSet(django_filters.FilterSet):
    organization = organization_filter()

    class Meta:
        model = Membership
        fields = ["organization", "role"]


class InvitationFilterSet(django_filters.FilterSet):
    organization = organization_filter()

    class Meta:
        model = Invitation
        fields = ["organization", "role"]


class RoleCatalogPageFilterSet(RoleFilterSet):
    """The catalog page's filter: the API's, with disciplines named by slug in the address
    (readable, bookmarkable links) and inactive roles hidden unless asked for."""

    discipline = django_filters.ModelChoiceFilter(
        queryset=Discipline.objects.all(), to_field_name="slug", empty_label="All disciplines"
    )
    inactive = django_filters.BooleanFilter(
        method="filter_inactive", label="Include inactive roles", widget=forms.CheckboxInput
    )

    class Meta(RoleFilterSet.Meta):
        fields = ["q", "band", "discipline", "inactive"]

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        if not self.form.cleaned_data.get("inactive"):
            queryset = queryset.filter(active=True)
        return queryset

    def filter_inactive(self, queryset, name, value):
        return queryset  # applied in filter_queryset, where a missing value also counts
