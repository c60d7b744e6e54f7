"""Web views: planner (placeholder until the feature lands)."""

urlpatterns: list = []
