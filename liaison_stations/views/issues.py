"""Pages of the citizens' loop: the station desk (/desk/stations/issues/: new issues to screen, my
tier's to-do with due dates, every issue with filters; one issue with its timeline and a form for
each move; recording an issue of any channel) and the unit desk (/desk/issues/: tier-3 issues of the
unit, answered there). Contacts are shown in full only to those handling the issue."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from congress.permissions import role_required
from congress.privacy import PROBING_DIGITS, mask_phones_in_text, searches_private_digits
from congress.roles import Role
from congress.scoping import get_scope

from ..choices import Channel, IssueStatus, Tier
from ..forms.issues import (
    AnswerForm,
    AssignForm,
    CloseForm,
    ConvertForm,
    EscalateForm,
    OutcomeForm,
    RecordForm,
    ScreenForm,
)
from ..models import Block, PublicIssue, Station
from ..selectors import issues as selectors
from ..services import issues as services
from .common import page_of, perform

DESK_READERS = (Role.STATION, Role.OFFICE, Role.LEADER, Role.COMMITTEE)
DESK_WRITERS = (Role.STATION, Role.OFFICE)
# The desk's short lists above the full one.
SHORT_LIST = 10
PHOTO_TYPES = {"image/jpeg", "image/png", "image/webp"}
PHOTO_MAX_BYTES = 5 * 1024 * 1024


def _issue_or_404(request: HttpRequest, pk: int) -> PublicIssue:
    try:
        return selectors.issue_detail(user=request.user, pk=pk)
    except PublicIssue.DoesNotExist:
        raise Http404 from None


def contact_of(user: Any, issue: PublicIssue) -> dict[str, Any]:
    """The citizen's name, phone and words as this user may see them (docs/PRIVACY.md)."""
    full = services.can_see_contact(user=user, issue=issue)
    return {
        "full": full,
        "name": issue.citizen_name if full else services.mask_name(issue.citizen_name),
        "phone": issue.citizen_phone if full else services.mask_phone(issue.citizen_phone),
        "content": issue.content if full else mask_phones_in_text(issue.content),
    }


def with_content_shown(user: Any, issues: Any) -> list[PublicIssue]:
    """Each issue with `content_shown`: the citizen's words, phone numbers masked unless the user handles it."""
    issues = list(issues)
    for issue in issues:
        full = services.can_see_contact(user=user, issue=issue)
        issue.content_shown = issue.content if full else mask_phones_in_text(issue.content)
    return issues


def _searchable(user: Any, filters: selectors.IssueFilters) -> tuple[selectors.IssueFilters, str]:
    """The filters to query with, and a tracking code to look up instead of the words: a reader who
    sees masked numbers may not search digits in the words (that would probe the hidden ones)."""
    if filters.query and PROBING_DIGITS.search(filters.query) and not searches_private_digits(user):
        return dataclasses.replace(filters, query=""), filters.query.upper()
    return filters, ""


# --- station desk ----------------------------------------------------------------------------


@role_required(*DESK_READERS)
def issue_list(request: HttpRequest) -> HttpResponse:
    """New issues to screen, my tier's to-do, then every issue in view with filters."""
    filters = selectors.IssueFilters.from_params(request.GET)
    today = timezone.localdate()
    scope = get_scope(request.user)
    writer = scope.has_role(*DESK_WRITERS)
    to_screen = (
        selectors.with_urgency(selectors.issues_to_screen(user=request.user)[:SHORT_LIST], today) if writer else []
    )
    to_do = selectors.with_urgency(selectors.my_tier_issues(user=request.user)[:SHORT_LIST], today) if writer else []
    query_filters, code_only = _searchable(request.user, filters)
    issues = selectors.issue_list(user=request.user, filters=query_filters)
    if code_only:
        issues = issues.filter(tracking_code__iexact=code_only)
    page = page_of(request, issues)
    page.object_list = with_content_shown(request.user, selectors.with_urgency(page.object_list, today))
    to_screen = with_content_shown(request.user, to_screen)
    to_do = with_content_shown(request.user, to_do)
    stations = Station.objects.visible_to(request.user).order_by("name", "pk")
    blocks = Block.objects.visible_to(request.user).select_related("station").order_by("station_id", "number")
    if filters.station:
        blocks = blocks.filter(station_id=filters.station)
    return render(
        request,
        "liaison_stations/issues/desk_list.html",
        {
            "page": page,
            "filters": filters,
            "to_screen": to_screen,
            "to_do": to_do,
            "writer": writer,
            "statuses": IssueStatus.choices,
            "tiers": Tier.choices,
            "channels": Channel.choices,
            "stations": stations,
            "blocks": blocks,
            "today": today,
        },
    )


@role_required(*DESK_WRITERS)
def issue_create(request: HttpRequest) -> HttpResponse:
    """Staff record an issue of any channel (a visit, the hotline, a WeChat group...)."""
    scope = get_scope(request.user)
    congress_id = min(scope.congress_ids, default=None)
    if congress_id is None:
        raise Http404
    form = RecordForm(request.POST or None, congress_id=congress_id, user=request.user)
    photos = request.FILES.getlist("photos")
    if any(photo.content_type not in PHOTO_TYPES or photo.size > PHOTO_MAX_BYTES for photo in photos):
        form.add_error(None, _("Send JPEG, PNG or WebP photos of at most 5 MB."))
    if request.method == "POST" and form.is_valid():
        created: list[PublicIssue] = []
        data = form.cleaned_data

        def submit() -> None:
            created.append(
                services.issue_submit(
                    congress=congress_id,
                    channel=data["channel"],
                    content=data["content"],
                    station=data["station"],
                    block=data["block"],
                    deputy=data["deputy"],
                    reported_by=data["reported_by"],
                    category=data["category"],
                    location=data["location"],
                    citizen_name=data["citizen_name"],
                    citizen_phone=data["citizen_phone"],
                    consent=data["consent"],
                    photos=photos[: services.MAX_PHOTOS],
                    actor=request.user,
                )
            )

        if perform(request, submit, _("The issue was recorded."), form, always_message=True):
            return redirect("liaison_stations:issue_detail", pk=created[0].pk)
    return render(request, "liaison_stations/issues/desk_form.html", {"form": form})


@role_required(*DESK_READERS)
def issue_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One issue: the citizen's words, contact (masked unless handling), photos, answers, the
    timeline, and the forms of the moves the state allows."""
    issue = _issue_or_404(request, pk)
    handle = services.can_handle(user=request.user, issue=issue)
    congress_id = issue.congress_id
    context = {
        "issue": issue,
        "contact": contact_of(request.user, issue),
        "can_handle": handle,
        "can_answer": services.can_answer(user=request.user, issue=issue),
        "urgency": selectors.urgency(issue),
    }
    if handle:
        context.update(
            screen_form=ScreenForm(congress_id=congress_id, initial={"category": issue.category_id}),
            assign_form=AssignForm(congress_id=congress_id),
            escalate_form=EscalateForm(congress_id=congress_id),
            close_form=CloseForm(),
            convert_form=ConvertForm(congress_id=congress_id, initial={"lead_deputy": issue.deputy_id}),
            outcome_form=OutcomeForm(
                initial={"people_helped": issue.people_helped, "money_involved": issue.money_involved}
            ),
        )
    context["answer_form"] = AnswerForm()
    return render(request, "liaison_stations/issues/desk_detail.html", context)


def _run_move(request: HttpRequest, issue: PublicIssue, action: str) -> None:
    """Parse the move's form and call its service (the service checks who may)."""
    user, post = request.user, request.POST
    congress = {"congress_id": issue.congress_id}
    forms: dict[str, tuple[Any, Callable[[dict[str, Any]], Any], str]] = {
        "screen": (
            ScreenForm(post, **congress),
            lambda d: services.issue_screen(
                issue=issue,
                actor=user,
                accept=d["decision"] == "accept",
                tier=d["tier"] or 1,
                reason=d["reason"],
                category=d["category"],
                handling_unit=d["handling_unit"],
                deputy=d["deputy"],
            ),
            _("The issue was screened."),
        ),
        "assign": (
            AssignForm(post, **congress),
            lambda d: services.issue_assign(
                issue=issue, actor=user, handling_unit=d["handling_unit"], deputy=d["deputy"]
            ),
            _("The issue was assigned."),
        ),
        "escalate": (
            EscalateForm(post, **congress),
            lambda d: services.issue_escalate(
                issue=issue, actor=user, note=d["note"], handling_unit=d["handling_unit"]
            ),
            _("The issue was raised a tier."),
        ),
        "answer": (
            AnswerForm(post),
            lambda d: services.issue_answer(issue=issue, actor=user, **d),
            _("The answer was saved; the citizen sees it on the tracking page."),
        ),
        "close": (
            CloseForm(post),
            lambda d: services.issue_close(issue=issue, actor=user, note=d["note"]),
            _("The issue was closed."),
        ),
        "convert": (
            ConvertForm(post, **congress),
            lambda d: services.issue_convert(issue=issue, actor=user, lead_deputy=d["lead_deputy"], title=d["title"]),
            _("A draft suggestion was made for the deputy."),
        ),
        "outcome": (
            OutcomeForm(post),
            lambda d: services.issue_record_outcome(issue=issue, actor=user, **d),
            _("The outcome was recorded."),
        ),
    }
    if action not in forms:
        raise Http404
    form, call, success = forms[action]
    if not form.is_valid():
        for errors in form.errors.values():
            for text in errors:
                messages.error(request, text)
        return
    data = form.cleaned_data
    perform(request, lambda: call(data), success)


@require_POST
@role_required(*DESK_WRITERS)
def issue_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    issue = _issue_or_404(request, pk)
    _run_move(request, issue, action)
    return redirect("liaison_stations:issue_detail", pk=issue.pk)


# --- unit desk -------------------------------------------------------------------------------


@role_required(Role.UNIT)
def unit_issue_list(request: HttpRequest) -> HttpResponse:
    """Tier-3 issues of the unit: open ones by due date (red/amber/green), or answered and closed."""
    status = request.GET.get("status", IssueStatus.HANDLING)
    page = page_of(request, selectors.unit_issues(user=request.user, status=status))
    page.object_list = with_content_shown(request.user, selectors.with_urgency(page.object_list))
    return render(
        request,
        "liaison_stations/issues/unit_list.html",
        {"page": page, "status": status, "statuses": IssueStatus.choices},
    )


def _unit_issue_or_404(request: HttpRequest, pk: int) -> PublicIssue:
    issue = _issue_or_404(request, pk)
    if issue.handling_unit_id is None or issue.handling_unit_id != get_scope(request.user).unit_id:
        raise Http404
    return issue


@role_required(Role.UNIT)
def unit_issue_detail(request: HttpRequest, pk: int) -> HttpResponse:
    issue = _unit_issue_or_404(request, pk)
    return render(
        request,
        "liaison_stations/issues/unit_detail.html",
        {
            "issue": issue,
            "contact": contact_of(request.user, issue),
            "can_answer": services.can_answer(user=request.user, issue=issue),
            "answer_form": AnswerForm(initial={"answerer_name": issue.handling_unit.name}),
            "urgency": selectors.urgency(issue),
        },
    )


@require_POST
@role_required(Role.UNIT)
def unit_issue_answer(request: HttpRequest, pk: int) -> HttpResponse:
    issue = _unit_issue_or_404(request, pk)
    _run_move(request, issue, "answer")
    return redirect("liaison_stations:unit_issue_detail", pk=issue.pk)


urlpatterns = [
    path("desk/stations/issues/", issue_list, name="issue_list"),
    path("desk/stations/issues/new/", issue_create, name="issue_create"),
    path("desk/stations/issues/<int:pk>/", issue_detail, name="issue_detail"),
    path("desk/stations/issues/<int:pk>/<slug:action>/", issue_action, name="issue_action"),
    path("desk/issues/", unit_issue_list, name="unit_issue_list"),
    path("desk/issues/<int:pk>/", unit_issue_detail, name="unit_issue_detail"),
    path("desk/issues/<int:pk>/answer/", unit_issue_answer, name="unit_issue_answer"),
]
