"""Helpers every area's pages share: run a service and say how it went, the desk's congress, the
`?year=` parameter and the page size of lists."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest
from django.utils import timezone

from congress.scoping import get_scope

from ..exceptions import WorkflowError

PAGE_SIZE = 20


def perform(
    request: HttpRequest, call: Callable[[], Any], success: str, form: Any = None, *, always_message: bool = False
) -> bool:
    """Run a service; True (with the success message) when it went through.

    A refused move (`WorkflowError`) or bad input (`ValidationError`) becomes an error message saying
    why. With a form, the errors go on the form instead: field problems on their fields (or on the
    form as a whole when it has no such field), a refused move on the form as a whole. With
    `always_message` the form gets the field problems and the messages are shown as well."""
    try:
        call()
    except WorkflowError as error:
        if form is not None and not always_message:
            form.add_error(None, error.message)
        else:
            messages.error(request, error.message)
        return False
    except ValidationError as error:
        on_form = form is not None and hasattr(error, "error_dict")
        if on_form:
            form_errors(form, error)
        if always_message or not on_form:
            for text in error.messages:
                messages.error(request, text)
        return False
    messages.success(request, success)
    return True


def form_errors(form: Any, error: ValidationError) -> None:
    """Put a service's `ValidationError` on the form: by field where it has one, else on the form."""
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def desk_congress_id(request: HttpRequest) -> int:
    """The congress a desk user works for (the first of their scope); 404 for users without one."""
    congress_id = min(get_scope(request.user).congress_ids, default=None)
    if congress_id is None:
        raise Http404
    return congress_id


def year_param(request: HttpRequest) -> int:
    """`?year=` between 2000 and 2100; this year when missing or out of range."""
    raw = request.GET.get("year", "")
    return int(raw) if raw.isascii() and raw.isdigit() and 2000 <= int(raw) <= 2100 else timezone.localdate().year


def page_of(request: HttpRequest, items: Any) -> Any:
    """The `?page=` page of a list, PAGE_SIZE rows a page."""
    return Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
