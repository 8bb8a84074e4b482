"""The API's error shape: {"detail": message, "errors": {field: [messages]}}, in the user's language.

Workflow errors that apps raise (a forbidden move) are registered by those apps with
`register_conflict_exception`, and answer 409 with their message.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

_conflicts: list[type[Exception]] = []


def register_conflict_exception(exception_class: type[Exception]) -> None:
    if exception_class not in _conflicts:
        _conflicts.append(exception_class)


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, tuple(_conflicts)):
        message = getattr(exc, "message", str(exc))
        return Response({"detail": message, "errors": {}}, status=status.HTTP_409_CONFLICT)
    if isinstance(exc, DjangoValidationError):
        exc = ValidationError(exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages})
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, ValidationError):
        errors = response.data if isinstance(response.data, dict) else {"non_field_errors": response.data}
        response.data = {"detail": _("Please correct the errors below."), "errors": errors}
    elif isinstance(response.data, dict) and "detail" in response.data:
        response.data = {"detail": response.data["detail"], "errors": {}}
    return response
