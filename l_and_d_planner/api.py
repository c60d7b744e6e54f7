"""Project-wide API plumbing: pagination, error handling, the conflict exception."""

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import ProtectedError, RestrictedError
from rest_framework import exceptions, pagination, status
from rest_framework.views import exception_handler as drf_exception_handler

from roles.permissions import PlanReadOnly


class PageNumberPagination(pagination.PageNumberPagination):
    """`{count, next, previous, results}`; `page_size` up to 1000."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 1000

    def get_page_size(self, request):
        """`page_size` a whole number from 1 (larger than 1000 reads 1000); anything else is 400."""
        given = request.query_params.get(self.page_size_query_param)
        if given is not None and not (
            given.isascii() and given.isdigit() and len(given) <= 9 and int(given) > 0
        ):
            raise exceptions.ValidationError(
                {self.page_size_query_param: ["Give a whole number from 1 to 1000."]}
            )
        return super().get_page_size(request)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"]["minimum"] = 1
        return parameters


class Conflict(exceptions.APIException):
    """The object changed since the client read it (optimistic locking)."""

    status_code = status.HTTP_409_CONFLICT
    default_detail = "This object was changed by someone else; read it again and retry."
    default_code = "conflict"

    def __init__(self, detail=None, code=None, **extra):
        """`extra` values join the body beside `detail` as they are (a version stays a number):
        `Conflict("…", version=4)` answers `{"detail": "…", "version": 4}`."""
        super().__init__(detail, code)
        self.extra = extra


def read_only_conflict(reason: str, plan_status: str | None) -> Conflict:
    """409 for a change asked of a plan that is in review, approved or archived (DESIGN §12):
    `{"detail": how to move it back to draft, "plan_status": its status}`."""
    return Conflict(reason, plan_status=plan_status)


def exception_handler(exc, context):
    """Turn Django's model-layer ValidationError (and deletes blocked by references) into 400s,
    and a change of a read-only plan (`roles.permissions.PlanReadOnly`) into a 409."""
    if isinstance(exc, PlanReadOnly):
        exc = read_only_conflict(exc.reason, exc.plan_status)
    elif isinstance(exc, DjangoValidationError):
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
    response = drf_exception_handler(exc, context)
    if response is not None and isinstance(exc, Conflict) and exc.extra:
        response.data = {**response.data, **exc.extra}
    return response
