"""`/api/v1/` routes of roles: organizations, memberships, disciplines, the catalog."""

from django.urls import include, path
from rest_framework.routers import DefaultRouter

from roles.api.members import AuditView, InvitationViewSet
from roles.api.views import (
    BenchmarkViewSet,
    DisciplineViewSet,
    MembershipViewSet,
    OrganizationViewSet,
    RoleViewSet,
)

router = DefaultRouter()
router.register("organizations", OrganizationViewSet, basename="organization")
router.register("memberships", MembershipViewSet, basename="membership")
router.register("disciplines", DisciplineViewSet, basename="discipline")
router.register("roles", RoleViewSet, basename="role")
router.register("invitations", InvitationViewSet, basename="invitation")
router.register("benchmarks", BenchmarkViewSet, basename="benchmark")

urlpatterns = [
    path("audit/", AuditView.as_view(), name="audit"),
    path("", include(router.urls)),
]
