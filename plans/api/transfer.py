"""API: transfer (placeholder until the feature lands). Exposes `urlpatterns` under /api/v1/."""

urlpatterns: list = []
