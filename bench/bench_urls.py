"""The project's URLs plus `/bench/bare/`: a bare Django JsonResponse, the baseline."""

from django.http import JsonResponse
from django.urls import include, path


def bare_json(request):
    return JsonResponse({"ok": True})


urlpatterns = [
    path("bench/bare/", bare_json),
    path("", include("l_and_d_planner.urls")),
]
