"""Web routes of plans: each page group contributes its own `urlpatterns`."""

from plans.views import (
    compare,
    dashboard,
    history,
    planner,
    readiness,
    staffing,
    suggestions,
    transfer,
    workflow,
)

app_name = "plans"

urlpatterns = [
    *dashboard.urlpatterns,
    *compare.urlpatterns,
    *planner.urlpatterns,
    *workflow.urlpatterns,
    *history.urlpatterns,
    *suggestions.urlpatterns,
    *transfer.urlpatterns,
    *readiness.urlpatterns,
    *staffing.urlpatterns,
]
