"""API views of organizations, memberships, disciplines and the role catalog."""

import django_filters
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import exceptions, filters, mixins, viewsets

from roles import permissions, selectors, services
from roles.api.serializers import (
    BenchmarkSerializer,
    DisciplineSerializer,
    MembershipSerializer,
    MembershipUpdateSerializer,
    OrganizationSerializer,
    RoleSerializer,
)
from roles.api.transfer import RoleTransferActions
from roles.filters import (
    MembershipFilterSet,
    RoleFilterSet,
    StrictBooleanFilter,
    StrictFilterSet,
    organization_filter,
)
from roles.models import Benchmark, BenchmarkMetric, Discipline, Membership, Organization, Role


def require_admin(user, organization_id) -> None:
    permissions.require(user, "organization.administer", organization_id)


class OrganizationViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """The organizations you belong to; admins may rename them and set their defaults."""

    serializer_class = OrganizationSerializer
    queryset = Organization.objects.none()
    filter_backends = []

    def get_queryset(self):
        return selectors.organizations_for(self.request.user).order_by("name")

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["membership_roles"] = selectors.membership_roles(self.request.user)
        return context

    def perform_update(self, serializer):
        require_admin(self.request.user, serializer.instance.id)
        target = serializer.validated_data.get("default_target_model")
        if target is not None and target.organization_id not in (None, serializer.instance.id):
            raise exceptions.ValidationError({"default_target_model": "Unknown target model."})
        serializer.instance = services.organization_update(
            organization=serializer.instance, **serializer.validated_data
        )


@extend_schema_view(
    partial_update=extend_schema(request=MembershipUpdateSerializer),
    update=extend_schema(request=MembershipUpdateSerializer),
)
class MembershipViewSet(viewsets.ModelViewSet):
    """Members of your organizations; admins add them (by username), change roles, remove them."""

    serializer_class = MembershipSerializer
    queryset = Membership.objects.none()
    filterset_class = MembershipFilterSet

    def get_queryset(self):
        return selectors.memberships_visible_to(self.request.user).order_by("id")

    def perform_create(self, serializer):
        organization = serializer.validated_data["organization"]
        if not permissions.allows(self.request.user, "organization.view", organization.id):
            raise exceptions.ValidationError({"organization": "Unknown organization."})
        require_admin(self.request.user, organization.id)
        serializer.instance = services.membership_create(
            organization=organization,
            username=serializer.validated_data["user"]["username"],
            role=serializer.validated_data.get("role", "viewer"),
            added_by=self.request.user,
        )

    def update(self, request, *args, **kwargs):
        membership = self.get_object()
        require_admin(request.user, membership.organization_id)
        serializer = MembershipUpdateSerializer(membership, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        services.membership_update(
            membership=membership, role=serializer.validated_data.get("role", membership.role)
        )
        return self.retrieve(request, *args, **kwargs)

    def perform_destroy(self, membership):
        require_admin(self.request.user, membership.organization_id)
        services.membership_delete(membership=membership)


class DisciplineViewSet(viewsets.ReadOnlyModelViewSet):
    """The ten disciplines of the model and their bands."""

    serializer_class = DisciplineSerializer
    queryset = Discipline.objects.all()
    filterset_fields = ["band"]
    filter_backends = [
        django_filters.rest_framework.DjangoFilterBackend,
        filters.SearchFilter,
    ]
    search_fields = ["name"]


class RoleViewSet(RoleTransferActions, viewsets.ModelViewSet):
    """The role catalog: the shared standard roles and your organizations' own.

    Organization admins create, edit and delete their organization's roles; the shared catalog
    is read-only here (HR admins keep it in the Django admin).
    """

    serializer_class = RoleSerializer
    queryset = Role.objects.none()
    filterset_class = RoleFilterSet
    filter_backends = [
        django_filters.rest_framework.DjangoFilterBackend,
        filters.SearchFilter,
        filters.OrderingFilter,
    ]
    search_fields = ["title", "description", "discipline__name"]
    ordering_fields = ["title", "annual_cost", "id"]
    ordering = ["title", "id"]

    def get_queryset(self):
        return selectors.roles_visible_to(self.request.user)

    def _check_organization(self, organization):
        if organization is None:
            raise exceptions.ValidationError(
                {"organization": "Give your organization: the shared catalog is read-only here."}
            )
        if not permissions.allows(self.request.user, "organization.view", organization.id):
            raise exceptions.ValidationError({"organization": "Unknown organization."})
        require_admin(self.request.user, organization.id)

    def perform_create(self, serializer):
        self._check_organization(serializer.validated_data.get("organization"))
        serializer.instance = services.role_create(**serializer.validated_data)

    def perform_update(self, serializer):
        role = serializer.instance
        self._check_organization(role.organization)
        if "organization" in serializer.validated_data and (
            serializer.validated_data["organization"] != role.organization
        ):
            raise exceptions.ValidationError({"organization": "A role cannot change owner."})
        serializer.instance = services.role_update(role=role, **serializer.validated_data)

    def perform_destroy(self, role):
        self._check_organization(role.organization)
        services.role_delete(role=role)


class BenchmarkFilterSet(StrictFilterSet):
    metric = django_filters.ChoiceFilter(choices=BenchmarkMetric.choices)
    shared = StrictBooleanFilter(field_name="organization", lookup_expr="isnull")
    organization = organization_filter()

    class Meta:
        model = Benchmark
        fields = ["metric", "organization", "active", "shared"]


class BenchmarkViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Staffing and spend benchmarks (DESIGN §10): the shared, seeded ones (read-only) and your
    organizations' own. Admins add their organization's and edit or retire them
    (`PATCH {"active": false}`); nothing is deleted, so what a report cited stays readable."""

    serializer_class = BenchmarkSerializer
    queryset = Benchmark.objects.none()
    filterset_class = BenchmarkFilterSet
    http_method_names = ["get", "post", "patch", "head", "options"]
    ordering = ["metric", "id"]

    def get_queryset(self):
        return selectors.benchmarks_visible_to(self.request.user).order_by("metric", "id")

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        organization = data.pop("organization")
        if organization is None:
            raise exceptions.ValidationError(
                {"organization": "Give your organization: shared benchmarks are read-only."}
            )
        require_admin(self.request.user, organization.id)
        serializer.instance = services.benchmark_create(organization=organization, **data)

    def perform_update(self, serializer):
        benchmark = serializer.instance
        permissions.require(self.request.user, "benchmark.edit", benchmark)
        data = dict(serializer.validated_data)
        if "organization" in data and (
            getattr(data.pop("organization"), "id", None) != benchmark.organization_id
        ):
            raise exceptions.ValidationError({"organization": "A benchmark cannot change owner."})
        serializer.instance = services.benchmark_update(benchmark=benchmark, **data)
