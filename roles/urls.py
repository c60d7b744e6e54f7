"""Web routes of the role catalog."""

from roles.views import catalog, transfer

app_name = "roles"

urlpatterns = [*catalog.urlpatterns, *transfer.urlpatterns]
