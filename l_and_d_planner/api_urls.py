"""`/api/v1/`: the REST API's routes."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.authtoken.views import obtain_auth_token
from rest_framework.routers import DefaultRouter

from plans.api import readiness as plans_readiness_api
from plans.api import suggestions as plans_suggestions_api
from plans.api import transfer as plans_transfer_api
from plans.api.views import PlanLineViewSet, PlanViewSet, ScoresView, TargetModelViewSet
from roles.api import transfer as roles_transfer_api
from roles.api.views import (
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
router.register("target-models", TargetModelViewSet, basename="target-model")
router.register("plans", PlanViewSet, basename="plan")
router.register(r"plans/(?P<plan_pk>\d+)/lines", PlanLineViewSet, basename="plan-line")

# Feature modules add their routes in their own `urlpatterns`.
feature_urlpatterns = [
    *plans_suggestions_api.urlpatterns,
    *plans_transfer_api.urlpatterns,
    *plans_readiness_api.urlpatterns,
    *roles_transfer_api.urlpatterns,
]

urlpatterns = [
    path("auth/token/", obtain_auth_token, name="api-token"),
    path("scores/", ScoresView.as_view(), name="scores"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api-docs"),
    *feature_urlpatterns,
    path("", include(router.urls)),
]
