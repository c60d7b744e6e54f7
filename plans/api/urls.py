"""`/api/v1/` routes of plans: target models, plans and their actions, lines, scores."""

from django.urls import include, path
from rest_framework.routers import DefaultRouter

from plans.api import readiness as readiness_api
from plans.api.views import PlanLineViewSet, PlanViewSet, ScoresView, TargetModelViewSet

router = DefaultRouter()
router.register("target-models", TargetModelViewSet, basename="target-model")
router.register("plans", PlanViewSet, basename="plan")
router.register(r"plans/(?P<plan_pk>\d+)/lines", PlanLineViewSet, basename="plan-line")

urlpatterns = [
    path("scores/", ScoresView.as_view(), name="scores"),
    *readiness_api.urlpatterns,
    path("", include(router.urls)),
]
