"""Web routes of the role catalog."""

from roles.views import audit, catalog, members, transfer

app_name = "roles"

urlpatterns = [
    *catalog.urlpatterns,
    *transfer.urlpatterns,
    *members.urlpatterns,
    *audit.urlpatterns,
]
