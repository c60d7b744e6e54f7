"""What guards every request (DESIGN §12): headers, the sign-in lockout answer, database outages.

- `PermissionsPolicyMiddleware` (and `static_headers.add_static_headers`) put the Permissions-Policy, the
  Content-Security-Policy (django-csp's, from settings) and `X-Frame-Options: DENY` on pages, API
  answers and static files alike (WhiteNoise answers static files before the other middleware).
- `lockout_response` is what django-axes answers once an account or an address is locked: JSON
  with 429 on the API, the sign-in page with the reason in the browser.
- `DatabaseUnavailableMiddleware` and `server_error` turn "the database cannot be reached" into
  503 with Retry-After (JSON on the API, a page in the browser) instead of a 500; every request
  tries the database again, so the app recovers by itself.
"""

import sys

from django.conf import settings
from django.db import DatabaseError, InterfaceError, OperationalError
from django.http import JsonResponse
from django.shortcuts import render
from django.views import defaults

API_PREFIX = "/api/"
API_DOCUMENTS = ("/api/v1/docs/", "/api/v1/schema/")  # the docs page asks `?script=`
RETRY_AFTER_SECONDS = 5
DATABASE_DOWN = (
    "The database cannot be reached just now; nothing was changed. Try again in a few seconds."
)


class PermissionsPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        response.headers.setdefault("X-Frame-Options", settings.X_FRAME_OPTIONS)
        return response


# --- sign-in lockout --------------------------------------------------------------------------


def lockout_minutes() -> int:
    return max(int(settings.AXES_COOLOFF_TIME.total_seconds() // 60), 1)


def lockout_message() -> str:
    return (
        f"Too many failed sign-in attempts for this account or from this address: sign-in is "
        f"locked for {lockout_minutes()} minutes. Try again later, or ask an admin to unlock it."
    )


def lockout_response(request, original_response=None, credentials=None):
    """django-axes' answer to a locked-out sign-in: 429, JSON on the API, the page otherwise."""
    retry_after = str(int(settings.AXES_COOLOFF_TIME.total_seconds()))
    if request.path.startswith(API_PREFIX):
        response = JsonResponse({"detail": lockout_message()}, status=429)
    else:
        from django.contrib.auth.forms import AuthenticationForm

        form = AuthenticationForm(request, initial={"username": request.POST.get("username")})
        response = render(
            request,
            "registration/login.html",
            {"form": form, "locked_out": lockout_message(), "next": request.POST.get("next", "")},
            status=429,
        )
    response["Retry-After"] = retry_after
    return response


# --- database outages -------------------------------------------------------------------------


def is_database_unreachable(error: BaseException | None) -> bool:
    """A lost or refused connection, not a query the database rejected (that stays a bug)."""
    if isinstance(error, OperationalError | InterfaceError):
        return True
    return isinstance(error, DatabaseError) and "connection" in str(error).lower()


def database_unavailable_response(request):
    if request.path.startswith(API_PREFIX):
        response = JsonResponse({"detail": DATABASE_DOWN}, status=503)
    else:
        from django.contrib.auth.models import AnonymousUser

        # The user and the messages live in the database: the page does without them.
        context = {
            "message": DATABASE_DOWN,
            "retry_after": RETRY_AFTER_SECONDS,
            "user": AnonymousUser(),
            "messages": [],
        }
        response = render(request, "503.html", context, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


class DatabaseUnavailableMiddleware:
    """A view that cannot reach the database answers 503 (see also `server_error`)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if is_database_unreachable(exception):
            return database_unavailable_response(request)
        return None


def server_error(request, template_name="500.html"):
    """handler500: an outage met outside a view (sessions, middleware) is a 503 too."""
    if is_database_unreachable(sys.exc_info()[1]):
        try:
            return database_unavailable_response(request)
        except Exception:  # the page itself needs the database (a context processor): plain text
            from django.http import HttpResponse

            response = HttpResponse(DATABASE_DOWN, status=503, content_type="text/plain")
            response["Retry-After"] = str(RETRY_AFTER_SECONDS)
            return response
    return defaults.server_error(request, template_name)


def page_not_found(request, exception, template_name="404.html"):
    """handler404: under /api/ a path that matches no endpoint answers JSON like the API does."""
    if request.path.startswith(API_PREFIX):
        return JsonResponse({"detail": "Not found."}, status=404)
    return defaults.page_not_found(request, exception, template_name)


class ApiQueryMiddleware:
    """An API query parameter is given once and not empty: `?page=&page=2` is a 400, not a guess
    at which one was meant (the schema says so: one value, strings at least one character)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            request.GET
            and request.path.startswith(API_PREFIX)
            and not request.path.startswith(API_DOCUMENTS)
        ):
            for name, values in request.GET.lists():
                if len(values) > 1:
                    return JsonResponse({name: [f"Give '{name}' once."]}, status=400)
                if values[0] == "":
                    return JsonResponse(
                        {name: [f"'{name}' is empty: leave it out or give a value."]}, status=400
                    )
        return self.get_response(request)
