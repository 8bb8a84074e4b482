"""The yearly report on the handling of deputies' suggestions: a print-ready page and its workbook."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from congress.scoping import get_scope

from ..filters import StatsFilter, StatsFilterForm
from ..report import report_data, report_xlsx_response, summary_paragraphs
from .common import dashboard_view, page_filter


def report_filter(request: HttpRequest) -> StatsFilter | HttpResponse:
    """The page's filter with the current year when no period, term or session is chosen (or the 400 page)."""
    return page_filter(request, default_year=True)


@dashboard_view
def report(request: HttpRequest) -> HttpResponse:
    f = report_filter(request)
    if isinstance(f, HttpResponse):
        return f
    data = report_data(f)
    query = f.query_string()
    form = StatsFilterForm(None, scope=get_scope(request.user), initial={"year": f.year, "session": f.session})
    session = form.fields["session"]
    session.queryset = session.queryset.select_related("term")  # the choice's label names the term
    session.widget.attrs["class"] = "form-select form-select-sm"
    congresses = list(form.congress_queryset.order_by("pk"))
    return render(
        request,
        "dashboard/report.html",
        {
            "report": data,
            "paragraphs": summary_paragraphs(data),
            "filter": f,
            "form": form,
            # a choice only for users who see several congresses
            "congresses": congresses if len(congresses) > 1 else [],
            "xlsx_url": f"{reverse('dashboard:report_xlsx')}?{query}",
            "overview_url": f"{reverse('dashboard:overview')}?{query}",
        },
    )


@dashboard_view
def report_xlsx(request: HttpRequest) -> HttpResponse:
    f = report_filter(request)
    if isinstance(f, HttpResponse):
        return f
    return report_xlsx_response(report_data(f))
