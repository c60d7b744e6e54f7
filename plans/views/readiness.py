"""Web views: readiness (placeholder until the feature lands)."""

urlpatterns: list = []
