"""Web views: suggestions (placeholder until the feature lands)."""

urlpatterns: list = []
