"""Helpers every page module of the stations shares: running a service, paging, the year asked for."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest
from django.utils import timezone

from ..exceptions import WorkflowError

PAGE_SIZE = 20


def perform(
    request: HttpRequest, call: Callable[[], Any], success: str, form: Any = None, *, always_message: bool = False
) -> bool:
    """Run a service; True (with the success message) when it went through. A refused move becomes a
    message; field problems go on the form when there is one (and also become messages with
    `always_message`, for forms shown collapsed on a busy page), else they become messages."""
    try:
        call()
    except WorkflowError as error:
        messages.error(request, error.message)
        return False
    except ValidationError as error:
        on_form = form is not None and hasattr(error, "error_dict")
        if on_form:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        if not on_form or always_message:
            for text in error.messages:
                messages.error(request, text)
        return False
    messages.success(request, success)
    return True


def page_of(request: HttpRequest, items: Any) -> Any:
    return Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))


def year_param(request: HttpRequest) -> int:
    raw = request.GET.get("year", "")
    return int(raw) if raw.isascii() and raw.isdigit() and 2000 <= int(raw) <= 2100 else timezone.localdate().year
