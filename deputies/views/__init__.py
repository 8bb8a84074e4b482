"""The deputy portal (phone-first). The foundation has "我的信息": profile and mandates."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from congress.permissions import deputy_required

from ..duty import duty_record_for
from ..selectors import deputy_for_user, mandates_of_deputy
from .common import desk_congress_id, year_param


@deputy_required
def portal_home(request: HttpRequest) -> HttpResponse:
    deputy = deputy_for_user(user=request.user)
    if deputy is None:
        raise Http404
    return render(
        request,
        "deputies/portal_home.html",
        {"deputy": deputy, "mandates": mandates_of_deputy(deputy=deputy)},
    )


@deputy_required
def portal_record(request: HttpRequest) -> HttpResponse:
    """My duty record (履职档案) for a year: acts, points per type with caps, total and rank."""
    deputy = deputy_for_user(user=request.user)
    if deputy is None:
        raise Http404
    record = duty_record_for(deputy=deputy, congress_id=desk_congress_id(request), year=year_param(request))
    return render(request, "deputies/portal_record.html", {"deputy": deputy, **record})
