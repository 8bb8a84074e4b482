"""The API's error shape: {"detail": message, "errors": {field: [messages]}}, in the user's language.

Workflow errors that apps raise (a forbidden move) are registered by those apps with
`register_conflict_exception`, and answer 409 with their message.

Every error of every endpoint passes here, so two guards live here too: DRF's few untranslated
messages (a body that is not JSON, a JSON null) are told in the user's language, and text echoed
from the input (an invalid choice quotes it) is made sendable as UTF-8.
"""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from rest_framework import status
from rest_framework.exceptions import ErrorDetail, ParseError, ValidationError
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

_conflicts: list[type[Exception]] = []

# A lone surrogate ("\ud800" in JSON) is a valid JSON string but cannot be encoded as UTF-8: an error
# quoting it would fail to render (a 500). Each one is shown as U+FFFD, the replacement character.
LONE_SURROGATE = re.compile(r"[\ud800-\udfff]")
# DRF's wording for a JSON null body (not marked for translation by DRF).
NO_DATA = "No data provided"


def register_conflict_exception(exception_class: type[Exception]) -> None:
    if exception_class not in _conflicts:
        _conflicts.append(exception_class)


def sendable(value: Any) -> Any:
    """The error structure with every text (keys too) encodable as UTF-8; error codes are kept."""
    if isinstance(value, str):
        if not LONE_SURROGATE.search(value):
            return value
        text = LONE_SURROGATE.sub("\ufffd", value)
        return ErrorDetail(text, code=value.code) if isinstance(value, ErrorDetail) else text
    if isinstance(value, dict):
        return {sendable(key): sendable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [sendable(item) for item in value]
    return value


def _translated(message: Any) -> Any:
    """DRF's untranslated message for a JSON null body, in the words DRF uses (translated) for a body
    that is a list or a string."""
    if isinstance(message, ErrorDetail) and message.code == "null" and str(message) == NO_DATA:
        return ErrorDetail(
            _("Invalid data. Expected a dictionary, but got {datatype}.").format(datatype="null"), "invalid"
        )
    return message


def _unreadable_body(context: dict[str, Any]) -> str:
    """What to tell a client whose body could not be parsed (DRF's parse errors are English)."""
    request = context.get("request")
    if "json" in (getattr(request, "content_type", "") or ""):
        return _("The request body is not valid JSON. Send the fields as a JSON object.")
    return _("The request body could not be read.")


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, tuple(_conflicts)):
        message = getattr(exc, "message", str(exc))
        return Response({"detail": sendable(message), "errors": {}}, status=status.HTTP_409_CONFLICT)
    if isinstance(exc, DjangoValidationError):
        exc = ValidationError(exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages})
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, ValidationError):
        errors = response.data if isinstance(response.data, dict) else {"non_field_errors": response.data}
        errors = {
            key: [_translated(message) for message in value] if isinstance(value, list) else value
            for key, value in errors.items()
        }
        response.data = {"detail": _("Please correct the errors below."), "errors": errors}
    elif isinstance(exc, ParseError):
        response.data = {"detail": _unreadable_body(context), "errors": {}}
    elif isinstance(response.data, dict) and "detail" in response.data:
        response.data = {"detail": response.data["detail"], "errors": {}}
    response.data = sendable(response.data)
    return response
