"""Web views of plans, one module per feature; each exposes `urlpatterns`."""
