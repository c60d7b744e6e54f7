"""Project-wide API plumbing: pagination, error handling, the conflict exception."""

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import ProtectedError, RestrictedError
from rest_framework import exceptions, pagination, status, throttling
from rest_framework.views import exception_handler as drf_exception_handler


class PageNumberPagination(pagination.PageNumberPagination):
    """`{count, next, previous, results}`; `page_size` up to 1000."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 1000


class Conflict(exceptions.APIException):
    """The object changed since the client read it (optimistic locking)."""

    status_code = status.HTTP_409_CONFLICT
    default_detail = "This object was changed by someone else; read it again and retry."
    default_code = "conflict"


def exception_handler(exc, context):
    """Turn Django's model-layer ValidationError (and deletes blocked by references) into 400s."""
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            detail = {
                ("non_field_errors" if field == "__all__" else field): messages
                for field, messages in exc.message_dict.items()
            }
        else:
            detail = {"non_field_errors": exc.messages}
        exc = exceptions.ValidationError(detail)
    elif isinstance(exc, RequestDataTooBig):  # Django refuses to read a body over the limit
        exc = exceptions.ParseError(
            f"The request body is larger than "
            f"{settings.DATA_UPLOAD_MAX_MEMORY_SIZE // 1024 // 1024} MB."
        )
    elif isinstance(exc, ProtectedError | RestrictedError):
        exc = exceptions.ValidationError(
            {"detail": "Other records still use this object: change or remove them first."}
        )
    return drf_exception_handler(exc, context)


class RatesFromSettings:
    """DRF's throttles read their rates once, at import; these read them on each request, so a
    deployment (or a test) changes them through settings alone."""

    def get_rate(self):
        from rest_framework.settings import api_settings

        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)


class AnonRateThrottle(RatesFromSettings, throttling.AnonRateThrottle):
    """Requests without a token or session, per address (`anon` rate)."""


class UserRateThrottle(RatesFromSettings, throttling.UserRateThrottle):
    """Requests of a signed-in user or token (`user` rate)."""
