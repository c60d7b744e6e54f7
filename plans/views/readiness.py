"""Web views: readiness. PLACEHOLDER routes (404) until the feature lands: the names are fixed."""

from django.http import Http404
from django.urls import path


def not_built_yet(request, **kwargs):
    raise Http404("Not built yet.")


urlpatterns = [
    path("plans/<int:pk>/readiness/", not_built_yet, name="readiness"),
    path("plans/<int:pk>/roadmap/", not_built_yet, name="roadmap"),
]
