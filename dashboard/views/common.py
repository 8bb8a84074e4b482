"""What the dashboard's pages share: who may see them and the filter they all read."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from congress.db_router import replica_reads
from congress.scoping import get_scope

from ..filters import FILTER_NAMES, FilterError, StatsFilter, StatsFilterForm, can_view_dashboard

PAGE_SIZE = 50
# Exports stop here; a list longer than this is narrowed with the filters first.
EXPORT_LIMIT = 50_000


def dashboard_view(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Leaders and office staff (and administrators) only; others get 403, anonymous users the login.
    The pages only read, so their reads go to the replica when there is one (congress.db_router)."""

    @login_required
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not can_view_dashboard(request.user):
            raise PermissionDenied
        with replica_reads():
            return view(request, *args, **kwargs)

    return wrapped


def filter_form(request: HttpRequest) -> StatsFilterForm:
    """The filter form as the page shows it (bound to the query string)."""
    data = {name: request.GET.get(name) for name in FILTER_NAMES if request.GET.get(name)}
    return StatsFilterForm(data or None, scope=get_scope(request.user))


def page_filter(request: HttpRequest, *, default_year: bool = False) -> StatsFilter | HttpResponse:
    """The page's filter, or the page of filter errors (400) to return instead. With `default_year`
    and no period chosen (year, month, dates, term or session), the current year is shown."""
    try:
        f = StatsFilter.parse(request.user, request.GET)
        return f.with_default_year() if default_year else f
    except FilterError as error:
        return render(
            request,
            "dashboard/filter_errors.html",
            {"errors": labelled(error.errors), "form": filter_form(request)},
            status=400,
        )


def labelled(errors: dict[str, list[str]]) -> list[tuple[str, list[str]]]:
    """Field errors keyed by the field's label (empty for errors of the whole form)."""
    fields = StatsFilterForm.base_fields
    return [(str(fields[name].label) if name in fields else "", messages) for name, messages in errors.items()]
