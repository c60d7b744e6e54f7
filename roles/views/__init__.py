"""Web views of the catalog, one module per feature; each exposes `urlpatterns`."""
