"""API: catalog import/export (placeholder until the feature lands)."""

urlpatterns: list = []
