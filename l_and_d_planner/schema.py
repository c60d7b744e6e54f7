"""The OpenAPI schema's AutoSchema: every operation documents every status the API can answer.

Each view documents its success answers (and may document its own errors with
`@extend_schema`); this adds, to every operation of every app, the error answers that the
project-wide machinery gives, with one `Error` (or `ValidationError`) component:

- 400 bad input (a field and its reasons, or a `detail`), 401 no or a bad token, 403 not
  allowed, 404 not found (or not visible to you), 429 throttled or signed-in too often, 503 the
  database cannot be reached (with Retry-After);
- on writes also 409 (the object changed since you read it, or its state refuses the change)
  and 415 (a body that is not JSON).

A view's own documentation of a status wins. Parameters say what the API reads: a path id is
a whole number; a query parameter is given once and never empty (ApiQueryMiddleware). New endpoints inherit all of this by using the
default schema class (settings.REST_FRAMEWORK["DEFAULT_SCHEMA_CLASS"]).
"""

from drf_spectacular import openapi
from drf_spectacular.plumbing import ResolvedComponent
from rest_framework.permissions import AllowAny

DIGITS = frozenset({"^[0-9]+$", "^\\d+$"})  # a router's `\\d+` lookup
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})

ERROR_SCHEMA = {
    "type": "object",
    "description": "Why the request was refused.",
    "properties": {"detail": {"type": "string", "description": "The reason, in words."}},
    "required": ["detail"],
    "additionalProperties": True,
}
VALIDATION_ERROR_SCHEMA = {
    "type": "object",
    "description": (
        "Bad input: each refused field with its reasons (`non_field_errors` for the whole "
        "request), or `detail` for a body that could not be read."
    ),
    "additionalProperties": True,
}
RETRY_AFTER = {
    "Retry-After": {
        "description": "Seconds to wait before trying again.",
        "schema": {"type": "integer"},
    }
}

ANSWERS = {
    "400": ("ValidationError", "Bad input: the reasons, per field.", None),
    "401": ("Error", "No token or session, or an invalid token.", None),
    "403": ("Error", "Signed in, but not allowed to do this.", None),
    "404": ("Error", "Not found, or not visible to you.", None),
    "409": (
        "Error",
        "The object changed since you read it, or its state refuses the change: read it again.",
        None,
    ),
    "415": ("Error", "The body is not JSON.", None),
    "429": (
        "Error",
        "Too many requests, or too many failed sign-ins: wait `Retry-After` seconds.",
        RETRY_AFTER,
    ),
    "503": (
        "Error",
        "The database cannot be reached just now: retry after `Retry-After` seconds.",
        RETRY_AFTER,
    ),
}
WRITE_ONLY_ANSWERS = frozenset({"409", "415"})


class AutoSchema(openapi.AutoSchema):
    def _error_ref(self, name: str) -> dict:
        schema = ERROR_SCHEMA if name == "Error" else VALIDATION_ERROR_SCHEMA
        component = ResolvedComponent(
            name=name, type=ResolvedComponent.SCHEMA, object=name, schema=schema
        )
        self.registry.register_on_missing(component)
        return component.ref

    def _answers_anonymously(self) -> bool:
        permissions = getattr(self.view, "permission_classes", ())
        return all(permission is AllowAny for permission in permissions)

    def _error_codes(self) -> list[str]:
        codes = []
        for code in ANSWERS:
            if code in WRITE_ONLY_ANSWERS and self.method not in WRITE_METHODS:
                continue
            if code in {"401", "403"} and self._answers_anonymously():
                continue
            codes.append(code)
        return codes

    def get_operation(self, *args, **kwargs):
        operation = super().get_operation(*args, **kwargs)
        for parameter in (operation or {}).get("parameters", []):
            schema = parameter.get("schema", {})
            if parameter["in"] == "path" and schema.get("pattern") in DIGITS:
                parameter["schema"] = {"type": "integer", "minimum": 0}
            elif parameter["in"] == "query" and schema.get("type") == "string":
                schema.setdefault("minLength", 1)
        return operation

    def _admit_generic_400(self, code: str, answer: dict) -> None:
        """A view's own 400 body, or the project-wide one (a bad query parameter, a body that is
        not JSON), which the view never sees."""
        media = answer.get("content", {}).get("application/json")
        if code != "400" or not media or "schema" not in media:
            return
        media["schema"] = {"anyOf": [media["schema"], self._error_ref("ValidationError")]}

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        for code in self._error_codes():
            if code in responses:
                self._admit_generic_400(code, responses[code])
                continue
            name, description, headers = ANSWERS[code]
            answer = {
                "content": {"application/json": {"schema": self._error_ref(name)}},
                "description": description,
            }
            if headers:
                answer["headers"] = headers
            responses[code] = answer
        return dict(sorted(responses.items()))
