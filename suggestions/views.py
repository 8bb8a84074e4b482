"""Pages of the suggestion workflow: the deputy portal (phone-first) and the unit desk."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from congress.permissions import deputy_required

from .models import Suggestion
from .selectors import suggestion_detail, suggestions_of_deputy


@deputy_required
def portal_list(request: HttpRequest) -> HttpResponse:
    return render(request, "suggestions/portal_list.html", {"suggestions": suggestions_of_deputy(user=request.user)})


@deputy_required
def portal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        suggestion = suggestion_detail(user=request.user, pk=pk)
    except Suggestion.DoesNotExist:
        raise Http404 from None
    return render(request, "suggestions/portal_detail.html", {"suggestion": suggestion})
