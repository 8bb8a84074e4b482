"""The deputy portal (phone-first). The foundation has "我的信息": profile and mandates."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from congress.permissions import deputy_required

from .selectors import deputy_for_user, mandates_of_deputy


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
