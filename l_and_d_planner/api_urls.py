"""`/api/v1/`: authentication, the schema and its docs, then each app's `api/urls.py`."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from l_and_d_planner.auth_token import ObtainToken

urlpatterns = [
    path("auth/token/", ObtainToken.as_view(), name="api-token"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # Swagger UI from local static files, its set-up script a file too (no inline script).
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="api-docs"),
    path("", include("roles.api.urls")),
    path("", include("plans.api.urls")),
]
