"""Refuse a NUL character anywhere in a request's address, query string or form/JSON body with a
400 before any view runs (DESIGN §12): PostgreSQL cannot store or even compare text holding
NUL, so a `%00` would otherwise reach the database as a server error.

File uploads (multipart) are left to their readers: a spreadsheet is binary; their text cells go
through `l_and_d_planner.validation` like every other text.
"""

from __future__ import annotations

import re
from urllib.parse import unquote_to_bytes

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, JsonResponse

NUL_MESSAGE = "The request contains a NUL character (\\0, %00): remove it and send it again."
# `\u0000` in JSON text, unless its backslash is itself escaped (`\\u0000` is six characters).
JSON_NUL = re.compile(rb"(?<!\\)(?:\\\\)*\\u0000", re.IGNORECASE)
FORM_TYPES = ("application/x-www-form-urlencoded",)
JSON_TYPES = ("application/json",)


def _body(request: HttpRequest) -> bytes:
    """The body, or nothing when it is over the limit: the parser then refuses it with a 400
    that names the limit (Django checks the length before reading, every time it is asked)."""
    try:
        return request.body
    except RequestDataTooBig:
        return b""


def has_nul(request: HttpRequest) -> bool:
    if "\x00" in request.path or b"\x00" in unquote_to_bytes(request.META.get("QUERY_STRING", "")):
        return True
    content_type = request.META.get("CONTENT_TYPE", "").split(";")[0].strip().lower()
    if content_type in FORM_TYPES:
        return b"\x00" in unquote_to_bytes(_body(request))
    if content_type in JSON_TYPES or content_type.endswith("+json"):
        body = _body(request)
        return b"\x00" in body or JSON_NUL.search(body) is not None
    return False


class RefuseNulMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if has_nul(request):
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": NUL_MESSAGE}, status=400)
            return HttpResponse(NUL_MESSAGE, status=400, content_type="text/plain; charset=utf-8")
        return self.get_response(request)
