"""Web routes of the roles app: catalog, transfer, members, audit log, department size."""

from roles.views import audit, benchmarks, catalog, members, transfer

app_name = "roles"

urlpatterns = [
    *catalog.urlpatterns,
    *transfer.urlpatterns,
    *members.urlpatterns,
    *audit.urlpatterns,
    *benchmarks.urlpatterns,
]
