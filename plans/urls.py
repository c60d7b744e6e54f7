"""Web routes of plans: each feature module contributes its own `urlpatterns`."""

from plans.views import planner, readiness, suggestions, transfer

app_name = "plans"

urlpatterns = [
    *planner.urlpatterns,
    *suggestions.urlpatterns,
    *transfer.urlpatterns,
    *readiness.urlpatterns,
]
