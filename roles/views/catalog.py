"""Web views: catalog (placeholder until the feature lands)."""

urlpatterns: list = []
