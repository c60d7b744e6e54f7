"""Web routes of the role catalog."""

from roles.views import benchmarks, catalog, transfer

app_name = "roles"

urlpatterns = [*catalog.urlpatterns, *transfer.urlpatterns, *benchmarks.urlpatterns]
