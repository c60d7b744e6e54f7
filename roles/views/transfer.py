"""Web views: transfer (placeholder until the feature lands)."""

urlpatterns: list = []
