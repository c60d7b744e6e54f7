"""Web views: transfer. PLACEHOLDER routes (404) until the feature lands: the names are fixed."""

from django.http import Http404
from django.urls import path


def not_built_yet(request, **kwargs):
    raise Http404("Not built yet.")


urlpatterns = [
    path("plans/<int:pk>/import/", not_built_yet, name="import"),
    path("plans/<int:pk>/export/", not_built_yet, name="export"),
    path("plans/<int:pk>/report/", not_built_yet, name="report"),
]
