"""Pages of reception days, visits and forums at the station desk (/desk/stations/…). Station staff
and office staff plan reception days and confirm them (which writes the duty record), record visits
and forums; leaders read. Confidential visits' words are shown only to those `can_read_words` allows."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from congress.models import SubjectCategory
from congress.permissions import role_required
from congress.privacy import mask_phone, mask_phones_in_text, sees_visitor_contact
from deputies.models import Deputy

from ..choices import Confidentiality, VisitDisposition
from ..forms.receptions import ConfirmForm, ForumForm, ReceptionForm, VisitForm
from ..models import Block, Forum, PublicIssue, ReceptionDay, Station, Visit
from ..selectors import receptions as selectors
from ..services import receptions as services
from ..services.stations import can_run_station
from .common import page_of, perform, year_param
from .issues import with_content_shown
from .stations import DESK_READERS, DESK_WRITERS, desk_station, station_context


def _station_deputies(station: Station) -> Any:
    return Deputy.objects.filter(station_posts__station=station).order_by("name", "pk")


def _desk_reception(request: HttpRequest, reception_pk: int) -> ReceptionDay:
    return get_object_or_404(
        ReceptionDay.objects.visible_to(request.user).select_related("station", "station__congress"), pk=reception_pk
    )


def _ensure_writer(request: HttpRequest, station: Station) -> None:
    if not can_run_station(request.user, station):
        raise PermissionDenied


# --- reception days ------------------------------------------------------------------------------


@role_required(*DESK_READERS)
def receptions(request: HttpRequest, pk: int) -> HttpResponse:
    """The station's schedule: coming reception days, then the year's past ones (confirmed or not)."""
    station = desk_station(request, pk)
    today = timezone.localdate()
    year = year_param(request)
    return render(
        request,
        "liaison_stations/receptions/list.html",
        station_context(
            request,
            station,
            "receptions",
            today=today,
            year=year,
            coming=selectors.station_receptions(station=station, upcoming=True, today=today),
            page=page_of(
                request, selectors.station_receptions(station=station, upcoming=False, year=year, today=today)
            ),
        ),
    )


@role_required(*DESK_WRITERS)
def reception_form(request: HttpRequest, pk: int | None = None, reception_pk: int | None = None) -> HttpResponse:
    reception = _desk_reception(request, reception_pk) if reception_pk else None
    station = reception.station if reception else desk_station(request, pk)
    initial: dict[str, Any] = {}
    if reception:
        initial = {
            "date": reception.date,
            "starts_at": reception.starts_at,
            "ends_at": reception.ends_at,
            "topic": reception.topic,
            "note": reception.note,
            "deputies": list(reception.deputies.values_list("pk", flat=True)),
        }
    form = ReceptionForm(request.POST or None, initial=initial, deputies=_station_deputies(station))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        saved: dict[str, ReceptionDay] = {}

        def save() -> None:
            saved["reception"] = services.reception_save(
                station=station,
                actor=request.user,
                date=data["date"],
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
                topic=data["topic"],
                note=data["note"],
                deputy_ids=[deputy.pk for deputy in data["deputies"]],
                reception=reception,
            )

        if perform(request, save, _("The reception day was saved."), form):
            return redirect("liaison_stations:desk_reception", reception_pk=saved["reception"].pk)
    return render(
        request,
        "liaison_stations/receptions/form.html",
        station_context(request, station, "receptions", form=form, reception=reception),
    )


@role_required(*DESK_READERS)
def reception_detail(request: HttpRequest, reception_pk: int) -> HttpResponse:
    """A reception day: deputies on duty, the visits received, and confirming it was held."""
    reception = _desk_reception(request, reception_pk)
    visits = list(selectors.reception_visits(reception=reception, user=request.user))
    _hide_words(request, visits)
    deputies = reception.deputies.order_by("name", "pk")
    return render(
        request,
        "liaison_stations/receptions/detail.html",
        station_context(
            request,
            reception.station,
            "receptions",
            reception=reception,
            deputies=list(deputies),
            visits=visits,
            confirmed=services.reception_confirmed(reception),
            can_confirm=reception.date <= timezone.localdate(),
            confirm_form=ConfirmForm(deputies=deputies),
        ),
    )


@role_required(*DESK_WRITERS)
@require_POST
def reception_confirm(request: HttpRequest, reception_pk: int) -> HttpResponse:
    reception = _desk_reception(request, reception_pk)
    form = ConfirmForm(request.POST, deputies=reception.deputies.all())
    absent = [deputy.pk for deputy in form.cleaned_data["absent"]] if form.is_valid() else []
    perform(
        request,
        lambda: services.reception_confirm(reception=reception, actor=request.user, absent_ids=absent),
        _("The reception day is confirmed; the deputies who came have it in their duty record."),
    )
    return redirect("liaison_stations:desk_reception", reception_pk=reception.pk)


@role_required(*DESK_WRITERS)
@require_POST
def reception_delete(request: HttpRequest, reception_pk: int) -> HttpResponse:
    reception = _desk_reception(request, reception_pk)
    if perform(
        request,
        lambda: services.reception_delete(reception=reception, actor=request.user),
        _("The reception day was removed."),
    ):
        return redirect("liaison_stations:desk_receptions", pk=reception.station_id)
    return redirect("liaison_stations:desk_reception", reception_pk=reception.pk)


# --- visits --------------------------------------------------------------------------------------


# What `can_see_contact` reads of an issue (loaded with the forum's issues, not one query each).
CONTACT_RULE_FIELDS = ("congress_id", "station_id", "deputy_id", "reported_by_id", "handling_unit_id")


def _hide_words(request: HttpRequest, visits: list[Visit]) -> None:
    """Mark each visit with what the user may read: confidential words stay hidden from those
    `can_read_words` does not allow; the visitor's phone (and phone numbers in the words) are shown
    in full only to those handling the visit (docs/PRIVACY.md)."""
    for visit in visits:
        visit.readable = services.can_read_words(request.user, visit)
        handles = sees_visitor_contact(request.user, visit)
        visit.phone_shown = visit.visitor_phone if handles else mask_phone(visit.visitor_phone)
        visit.words_shown = visit.words if handles else mask_phones_in_text(visit.words)


@role_required(*DESK_READERS)
def visits(request: HttpRequest, pk: int) -> HttpResponse:
    station = desk_station(request, pk)
    filters = {
        key: request.GET.get(key, "").strip() for key in ("disposition", "confidentiality", "month", "deputy", "q")
    }
    page = page_of(request, selectors.visits_for_station(station=station, user=request.user, filters=filters))
    _hide_words(request, list(page))
    return render(
        request,
        "liaison_stations/receptions/visits.html",
        station_context(
            request,
            station,
            "visits",
            page=page,
            filters=filters,
            dispositions=VisitDisposition.choices,
            confidentialities=Confidentiality.choices,
            deputies=_station_deputies(station),
        ),
    )


@role_required(*DESK_WRITERS)
def visit_create(request: HttpRequest, pk: int) -> HttpResponse:
    station = desk_station(request, pk)
    _ensure_writer(request, station)
    receptions_qs = ReceptionDay.objects.filter(station=station, date__lte=timezone.localdate()).order_by("-date")[:60]
    initial: dict[str, Any] = {"visited_on": timezone.localdate()}
    chosen = request.GET.get("reception", "")
    if chosen.isdigit():
        reception = ReceptionDay.objects.filter(station=station, pk=int(chosen)).first()
        if reception:
            initial.update(reception_day=reception.pk, visited_on=reception.date)
    form = VisitForm(
        request.POST or None,
        initial=initial,
        receptions=ReceptionDay.objects.filter(pk__in=[r.pk for r in receptions_qs]).order_by("-date", "pk"),
        deputies=_station_deputies(station),
        categories=SubjectCategory.objects.filter(congress_id=station.congress_id, is_active=True),
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        saved: dict[str, Visit] = {}

        def save() -> None:
            saved["visit"] = services.visit_record(station=station, actor=request.user, **data)

        if perform(request, save, _("The visit was recorded."), form):
            return redirect("liaison_stations:desk_visit", visit_pk=saved["visit"].pk)
    return render(
        request, "liaison_stations/receptions/visit_form.html", station_context(request, station, "visits", form=form)
    )


@role_required(*DESK_READERS)
def visit_detail(request: HttpRequest, visit_pk: int) -> HttpResponse:
    visit = get_object_or_404(
        Visit.objects.visible_to(request.user).select_related(
            "station", "station__congress", "deputy", "category", "reception_day", "recorded_by"
        ),
        pk=visit_pk,
    )
    _hide_words(request, [visit])
    issue = PublicIssue.objects.filter(visit=visit).only("pk", "tracking_code", "status").first()
    return render(
        request,
        "liaison_stations/receptions/visit.html",
        station_context(request, visit.station, "visits", visit=visit, issue=issue),
    )


# --- forums --------------------------------------------------------------------------------------


@role_required(*DESK_READERS)
def forums(request: HttpRequest, pk: int) -> HttpResponse:
    station = desk_station(request, pk)
    year = year_param(request)
    return render(
        request,
        "liaison_stations/receptions/forums.html",
        station_context(
            request,
            station,
            "forums",
            year=year,
            page=page_of(request, selectors.station_forums(station=station, year=year)),
        ),
    )


def _desk_forum(request: HttpRequest, forum_pk: int) -> Forum:
    return get_object_or_404(
        Forum.objects.visible_to(request.user).select_related("station", "station__congress", "block"), pk=forum_pk
    )


@role_required(*DESK_WRITERS)
def forum_form(request: HttpRequest, pk: int | None = None, forum_pk: int | None = None) -> HttpResponse:
    forum = _desk_forum(request, forum_pk) if forum_pk else None
    station = forum.station if forum else desk_station(request, pk)
    _ensure_writer(request, station)
    initial: dict[str, Any] = {"held_on": timezone.localdate()}
    if forum:
        initial = {
            "held_on": forum.held_on,
            "block": forum.block_id,
            "topic": forum.topic,
            "place": forum.place,
            "residents": forum.residents,
            "summary": forum.summary,
            "deputies": list(forum.deputies.values_list("pk", flat=True)),
        }
    form = ForumForm(
        request.POST or None,
        initial=initial,
        blocks=Block.objects.filter(station=station).order_by("number"),
        deputies=_station_deputies(station),
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        deputy_ids = [deputy.pk for deputy in data.pop("deputies")]
        saved: dict[str, Forum] = {}

        def save() -> None:
            saved["forum"] = services.forum_save(
                station=station, actor=request.user, deputy_ids=deputy_ids, forum=forum, **data
            )

        if perform(request, save, _("The forum was saved."), form):
            return redirect("liaison_stations:desk_forum", forum_pk=saved["forum"].pk)
    return render(
        request,
        "liaison_stations/receptions/forum_form.html",
        station_context(request, station, "forums", form=form, forum=forum),
    )


@role_required(*DESK_READERS)
def forum_detail(request: HttpRequest, forum_pk: int) -> HttpResponse:
    """A forum with the deputies present and the issues collected (citizen issues with this forum)."""
    forum = _desk_forum(request, forum_pk)
    issues = (
        PublicIssue.objects.visible_to(request.user)
        .filter(forum=forum)
        .only("pk", "tracking_code", "status", "content", "tier", "created_at", *CONTACT_RULE_FIELDS)
        .order_by("created_at", "pk")
    )
    return render(
        request,
        "liaison_stations/receptions/forum.html",
        station_context(
            request,
            forum.station,
            "forums",
            forum=forum,
            deputies=forum.deputies.order_by("name", "pk"),
            issues=with_content_shown(request.user, issues),
            total_issues=PublicIssue.objects.filter(forum=forum).count(),
        ),
    )


@role_required(*DESK_WRITERS)
@require_POST
def forum_delete(request: HttpRequest, forum_pk: int) -> HttpResponse:
    forum = _desk_forum(request, forum_pk)
    if perform(request, lambda: services.forum_delete(forum=forum, actor=request.user), _("The forum was removed.")):
        return redirect("liaison_stations:desk_forums", pk=forum.station_id)
    return redirect("liaison_stations:desk_forum", forum_pk=forum.pk)


urlpatterns = [
    path("desk/stations/<int:pk>/receptions/", receptions, name="desk_receptions"),
    path("desk/stations/<int:pk>/receptions/new/", reception_form, name="desk_reception_create"),
    path("desk/stations/receptions/<int:reception_pk>/", reception_detail, name="desk_reception"),
    path("desk/stations/receptions/<int:reception_pk>/edit/", reception_form, name="desk_reception_edit"),
    path("desk/stations/receptions/<int:reception_pk>/confirm/", reception_confirm, name="desk_reception_confirm"),
    path("desk/stations/receptions/<int:reception_pk>/delete/", reception_delete, name="desk_reception_delete"),
    path("desk/stations/<int:pk>/visits/", visits, name="desk_visits"),
    path("desk/stations/<int:pk>/visits/new/", visit_create, name="desk_visit_create"),
    path("desk/stations/visits/<int:visit_pk>/", visit_detail, name="desk_visit"),
    path("desk/stations/<int:pk>/forums/", forums, name="desk_forums"),
    path("desk/stations/<int:pk>/forums/new/", forum_form, name="desk_forum_create"),
    path("desk/stations/forums/<int:forum_pk>/", forum_detail, name="desk_forum"),
    path("desk/stations/forums/<int:forum_pk>/edit/", forum_form, name="desk_forum_edit"),
    path("desk/stations/forums/<int:forum_pk>/delete/", forum_delete, name="desk_forum_delete"),
]
