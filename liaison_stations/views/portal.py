"""The deputy's portal for stations: the citizens' issues written to me or that I reported on the
deputies' hotline (with the rating of hotline answers), and my QR code and placard. (My blocks are
in views/stations.py.)"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from congress.permissions import deputy_required
from congress.privacy import mask_phones_in_text
from congress.scoping import get_scope
from deputies.views.common import page_of

from ..choices import Channel, IssueStatus
from ..exceptions import WorkflowError
from ..forms.public import RatingForm
from ..models import PublicIssue
from ..selectors import public as selectors
from ..services.issues import can_see_contact, issue_rate, mask_name, mask_phone
from .public import PLACARD_SIZES, intake_link, render_placards


def _with_contact(request: HttpRequest, issue: PublicIssue) -> PublicIssue:
    """The citizen's name, phone and words as this user may see them (masked unless they handle it)."""
    issue.contact_visible = can_see_contact(user=request.user, issue=issue)
    issue.phone_shown = issue.citizen_phone if issue.contact_visible else mask_phone(issue.citizen_phone)
    issue.name_shown = issue.citizen_name if issue.contact_visible else mask_name(issue.citizen_name)
    issue.content_shown = issue.content if issue.contact_visible else mask_phones_in_text(issue.content)
    return issue


def _can_rate(issue: PublicIssue, deputy_id: int) -> bool:
    """The reporting deputy rates the answer to a problem they raised on the hotline."""
    return (
        issue.channel == Channel.HOTLINE and issue.reported_by_id == deputy_id and issue.status == IssueStatus.ANSWERED
    )


@deputy_required
def portal_issues(request: HttpRequest) -> HttpResponse:
    """Issues written to me or reported by me: state, tier, due date and contact."""
    deputy_id = get_scope(request.user).deputy_id
    filters = {key: request.GET.get(key, "").strip() for key in ("status", "mine", "q")}
    page = page_of(request, selectors.portal_issues(user=request.user, deputy_id=deputy_id, filters=filters))
    for issue in page:
        _with_contact(request, issue)
    return render(
        request,
        "liaison_stations/portal/issues.html",
        {
            "page": page,
            "filters": filters,
            "statuses": IssueStatus.choices,
            "status": filters["status"],
            "query": filters["q"],
            "deputy_id": deputy_id,
        },
    )


def _own_issue(request: HttpRequest, pk: int) -> tuple[PublicIssue, int]:
    deputy_id = get_scope(request.user).deputy_id
    issue = selectors.portal_issue(user=request.user, deputy_id=deputy_id, pk=pk)
    if issue is None:
        raise Http404
    return issue, deputy_id


@deputy_required
def portal_issue(request: HttpRequest, pk: int) -> HttpResponse:
    """One issue: what was written, the answers, the timeline, and for my hotline reports the rating."""
    issue, deputy_id = _own_issue(request, pk)
    _with_contact(request, issue)
    return render(
        request,
        "liaison_stations/portal/issue.html",
        {
            "issue": issue,
            "answers": list(issue.answers.all()),
            "events": list(issue.events.all()),
            "photos": list(issue.photos.all()),
            "rating_form": RatingForm() if _can_rate(issue, deputy_id) else None,
        },
    )


@deputy_required
@require_POST
def portal_issue_rate(request: HttpRequest, pk: int) -> HttpResponse:
    issue, deputy_id = _own_issue(request, pk)
    form = RatingForm(request.POST)
    if not _can_rate(issue, deputy_id):
        messages.error(request, _("This matter cannot be rated now."))
    elif not form.is_valid():
        messages.error(request, _("Choose how satisfied you are with the answer."))
    else:
        try:
            issue_rate(
                issue=issue,
                rating=form.cleaned_data["rating"],
                comment=form.cleaned_data["comment"],
                actor=request.user,
            )
        except WorkflowError as error:
            messages.error(request, error.message)
        except ValidationError as error:
            for text in error.messages:
                messages.error(request, text)
        else:
            messages.success(request, _("Your rating was recorded."))
    return redirect("liaison_stations:portal_issue", pk=issue.pk)


@deputy_required
def portal_qr(request: HttpRequest) -> HttpResponse:
    """My QR code (SVG to view, PNG and SVG to download), its link, and my placard in A5 or A4."""
    deputy = request.user.deputy
    works = selectors.printable_deputies().filter(pk=deputy.pk).exists()
    return render(
        request,
        "liaison_stations/portal/qr.html",
        {
            "deputy": deputy,
            "works": works,
            "link": intake_link(request, deputy.public_code),
            "sizes": PLACARD_SIZES,
        },
    )


@deputy_required
def portal_placard(request: HttpRequest) -> HttpResponse:
    """My placard, ready to print."""
    placard = selectors.placard_for_user(user=request.user, deputy_id=get_scope(request.user).deputy_id)
    if placard is None:
        raise Http404
    return render_placards(request, [placard], title=placard.deputy.name)


urlpatterns = [
    path("portal/issues/", portal_issues, name="portal_issues"),
    path("portal/issues/<int:pk>/", portal_issue, name="portal_issue"),
    path("portal/issues/<int:pk>/rate/", portal_issue_rate, name="portal_issue_rate"),
    path("portal/qr/", portal_qr, name="portal_qr"),
    path("portal/qr/placard/", portal_placard, name="portal_placard"),
]
