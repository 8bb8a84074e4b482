"""The list of records behind any figure (the drill-down), as a page and as Excel."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from congress.excel import xlsx_response

from ..kinds import KINDS, Kind
from .common import EXPORT_LIMIT, PAGE_SIZE, dashboard_view, page_filter


def admin_url(kind: Kind, pk: int) -> str:
    """The record's page in the admin (read-only for leaders), if the model has one."""
    meta = kind.model._meta
    try:
        return reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[pk])
    except NoReverseMatch:
        return ""


def cells(kind: Kind, obj: Any) -> list[Any]:
    return [column.value(obj) for column in kind.columns]


@dashboard_view
def records(request: HttpRequest, kind: str, figure: str) -> HttpResponse:
    """Exactly the records a figure counts, under the same filters (narrowed by the clicked element)."""
    record_kind = KINDS.get(kind)
    if record_kind is None or figure not in record_kind.figures:
        raise Http404("No such figure.")
    f = page_filter(request)
    if isinstance(f, HttpResponse):
        return f
    queryset = record_kind.records(f, figure)
    title = f"{record_kind.label} · {record_kind.figures[figure].label}"
    if request.GET.get("format") == "xlsx":
        rows = (cells(record_kind, obj) for obj in queryset[:EXPORT_LIMIT])
        return xlsx_response(title, _("Records"), [column.label for column in record_kind.columns], rows)
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [(admin_url(record_kind, obj.pk), cells(record_kind, obj)) for obj in page.object_list]
    return render(
        request,
        "dashboard/records.html",
        {
            "title": title,
            "kind": record_kind,
            "figure": figure,
            "filter": f,
            "applied": f.given(),
            "ignored": record_kind.ignored(f),
            "headers": [column.label for column in record_kind.columns],
            "rows": rows,
            "page": page,
            "export_url": f"{request.path}?{f.query_string(format='xlsx')}",
        },
    )
