"""Celery tasks of the citizens' loop: thin wrappers that take ids and call services, and the
messages they send (who is told about what)."""

from __future__ import annotations

import datetime
from typing import Any

from celery import shared_task
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from congress.roles import Role
from congress.services import notify
from suggestions import recipients
from suggestions.models import ReminderDispatch

from .choices import Channel, IssueStatus
from .models import PublicIssue

Message = tuple[list[Any], str, str, str]  # users, title, body, url
# A move's notice is keyed by its event, not by a day: a fixed date in the dispatch key.
ONCE = datetime.date(2000, 1, 1)
NOTICE_TARGET = "public_issue_event"


# --- who -----------------------------------------------------------------------------------------


class People:
    """The users behind a station, the office, a unit, a committee, deputies; remembered for the
    length of one sweep (few stations, units and congresses), so a sweep's reads do not grow per row."""

    def __init__(self) -> None:
        self._memo: dict[tuple[str, Any], list[Any]] = {}

    def _get(self, key: tuple[str, Any], compute: Any) -> list[Any]:
        if key not in self._memo:
            self._memo[key] = list(compute())
        return self._memo[key]

    def station(self, station_id: int | None) -> list[Any]:
        if station_id is None:
            return []
        return self._get(
            ("station", station_id),
            lambda: (
                get_user_model()
                .objects.filter(is_active=True, station_posts__station_id=station_id, groups__name=Role.STATION)
                .distinct()
            ),
        )

    def office(self, congress_id: int) -> list[Any]:
        return self._get(("office", congress_id), lambda: recipients.office_users(congress_id))

    def unit(self, unit_id: int) -> list[Any]:
        return self._get(("unit", unit_id), lambda: recipients.unit_users(unit_id))

    def committee(self, committee_id: int) -> list[Any]:
        return self._get(("committee", committee_id), lambda: recipients.committee_users(committee_id))

    def deputies(self, *deputy_ids: int | None) -> list[Any]:
        ids = tuple(sorted(pk for pk in deputy_ids if pk))
        return self._get(("deputies", ids), lambda: recipients.deputy_users(list(ids)) if ids else [])

    def preload(self, issues: list[PublicIssue]) -> None:
        """Read the people of many issues at once (a sweep's batch): the staff of their stations and
        units, the deputies written to, their congresses' offices. A few queries per batch instead
        of one per station or deputy met (a province's sweep meets thousands)."""
        self._preload("station", {issue.station_id for issue in issues}, "station_posts__station_id", Role.STATION)
        self._preload(
            "unit", {issue.handling_unit_id for issue in issues}, "staff_profile__handling_unit_id", Role.UNIT
        )
        self._preload("deputies", {issue.deputy_id for issue in issues}, "deputy__pk", None, single=True)
        self._preload("office", {issue.congress_id for issue in issues}, "staff_profile__congress_id", Role.OFFICE)

    def _preload(self, kind: str, ids: set[int | None], path: str, role: str | None, *, single: bool = False) -> None:
        def key(pk: int) -> tuple[str, Any]:
            return (kind, (pk,)) if single else (kind, pk)

        wanted = {pk for pk in ids if pk and key(pk) not in self._memo}
        if not wanted:
            return
        users = get_user_model().objects.filter(is_active=True, **{f"{path}__in": wanted})
        if role:
            users = users.filter(groups__name=role)
        found: dict[int, dict[int, Any]] = {pk: {} for pk in wanted}
        for user in users.annotate(_owner=F(path)).order_by("pk"):
            found[user._owner].setdefault(user.pk, user)
        for pk, people in found.items():
            self._memo[key(pk)] = list(people.values())


def station_users(station_id: int | None) -> list[Any]:
    return People().station(station_id)


def handlers(issue: PublicIssue, people: People | None = None) -> list[Any]:
    """Who must act now: the station's staff while it waits for screening (the office when the issue
    has no station); at tier 1 the deputy written to and the station; at tier 2 the station; at tier 3
    the unit (the station while no unit is named)."""
    people = people or People()
    station = people.station(issue.station_id) or people.office(issue.congress_id)
    if issue.status == IssueStatus.SUBMITTED:
        return station
    if issue.tier == 1:
        return _unique(people.deputies(issue.deputy_id), station)
    if issue.tier == 3 and issue.handling_unit_id:
        return people.unit(issue.handling_unit_id)
    return station


def overseers(issue: PublicIssue, people: People | None = None) -> list[Any]:
    """Who hears when it is overdue: the station's staff and the district (office staff)."""
    people = people or People()
    return _unique(people.station(issue.station_id), people.office(issue.congress_id))


def _unique(*groups: Any) -> list[Any]:
    seen: dict[int, Any] = {}
    for group in groups:
        for user in group:
            seen.setdefault(user.pk, user)
    return list(seen.values())


def desk_url(issue: PublicIssue) -> str:
    return reverse("liaison_stations:issue_detail", args=[issue.pk])


def unit_url(issue: PublicIssue) -> str:
    return reverse("liaison_stations:unit_issue_detail", args=[issue.pk])


def issue_line(issue: PublicIssue) -> str:
    return f"{issue.tracking_code}「{Truncator(issue.content).chars(30)}」"


def _url_for(users: list[Any], issue: PublicIssue) -> str:
    return unit_url(issue) if issue.tier == 3 and issue.handling_unit_id else desk_url(issue)


# --- what ----------------------------------------------------------------------------------------


def intake_messages(issue: PublicIssue) -> list[Message]:
    """A new issue: the station's staff (or the office), and the deputy it was written to."""
    title = _("New citizen issue: %(issue)s") % {"issue": issue_line(issue)}
    body = _("%(channel)s · screen it by %(day)s") % {"channel": issue.get_channel_display(), "day": issue.due_on}
    staff = station_users(issue.station_id) or list(recipients.office_users(issue.congress_id))
    messages: list[Message] = [(staff, title, body, desk_url(issue))]
    if issue.deputy_id:
        messages.append((recipients.deputy_users([issue.deputy_id]), title, issue.content[:200], ""))
    return messages


def _tier(issue: PublicIssue) -> list[Message]:
    title = _("Citizen issue to handle at tier %(tier)s: %(issue)s") % {"tier": issue.tier, "issue": issue_line(issue)}
    body = _("Answer by %(day)s.") % {"day": issue.due_on}
    users = handlers(issue)
    if issue.tier == 3 and not issue.handling_unit_id:
        body = _("Name the handling unit; answer by %(day)s.") % {"day": issue.due_on}
    return [(users, title, body, _url_for(users, issue))]


def _reporter(issue: PublicIssue, title: str, body: str) -> list[Message]:
    if issue.channel != Channel.HOTLINE or not issue.reported_by_id:
        return []
    return [(recipients.deputy_users([issue.reported_by_id]), title, body, "")]


def _rejected(issue: PublicIssue) -> list[Message]:
    title = _("The problem you reported was not accepted: %(issue)s") % {"issue": issue_line(issue)}
    return _reporter(issue, title, issue.rejection_reason)


def _answered(issue: PublicIssue) -> list[Message]:
    answer = issue.answers.order_by("-created_at", "-pk").first()
    title = _("Answered: %(issue)s") % {"issue": issue_line(issue)}
    body = answer.body[:300] if answer else ""
    messages = _reporter(issue, title, body + "\n" + _("Please rate the answer."))
    if issue.tier == 3:  # the station follows what the unit answered
        messages.append((station_users(issue.station_id), title, body, desk_url(issue)))
    return messages


def _reopened(issue: PublicIssue) -> list[Message]:
    title = _("Unsatisfied: %(issue)s is handled again at tier %(tier)s") % {
        "issue": issue_line(issue),
        "tier": issue.tier,
    }
    body = _("Answer by %(day)s.") % {"day": issue.due_on}
    if issue.tier == 3 and not issue.handling_unit_id:
        body = _("Name the handling unit; answer by %(day)s.") % {"day": issue.due_on}
    users = _unique(handlers(issue), station_users(issue.station_id))
    messages: list[Message] = [(users, title, body, _url_for(users, issue))]
    case = issue.supervision_case
    if issue.channel == Channel.HOTLINE and case is not None:
        messages.append(
            (
                list(recipients.committee_users(case.committee_id)),
                _("Supervision case: a deputy is unsatisfied with hotline issue %(issue)s")
                % {"issue": issue_line(issue)},
                body,
                reverse("suggestions:committee_case", args=[case.pk]),
            )
        )
    return messages


def _closed(issue: PublicIssue) -> list[Message]:
    if issue.deputy_id is None or issue.close_reason != "confirmed":
        return []
    title = _("Closed: %(issue)s") % {"issue": issue_line(issue)}
    return [(recipients.deputy_users([issue.deputy_id]), title, issue.get_rating_display() or "", "")]


def _converted(issue: PublicIssue) -> list[Message]:
    suggestion = issue.suggestion
    if suggestion is None:
        return []
    title = _("A citizen issue became a draft suggestion for you: %(title)s") % {"title": suggestion.title}
    body = _("Edit the draft and submit it.")
    return [(recipients.deputy_users([suggestion.lead_deputy_id]), title, body, suggestion.get_absolute_url())]


BUILDERS = {
    "tier": _tier,
    "rejected": _rejected,
    "answered": _answered,
    "reopened": _reopened,
    "closed": _closed,
    "converted": _converted,
}


# --- tasks ---------------------------------------------------------------------------------------


@shared_task(
    name="liaison_stations.tasks.issue_intake",
    autoretry_for=(Exception,),
    retry_backoff=True,
    max_retries=5,
    ignore_result=True,
)
def issue_intake_task(issue_id: int) -> int:
    """Tell the handlers a new issue arrived (once; the sweeper sends what this did not)."""
    from .services.issues import issue_intake_notify

    with translation.override("zh-hans"):
        return issue_intake_notify(issue_id=issue_id) or 0


@shared_task(
    name="liaison_stations.tasks.issue_notify",
    autoretry_for=(Exception,),
    retry_backoff=True,
    max_retries=5,
    ignore_result=True,
)
def issue_notify_task(kind: str, issue_id: int, event_id: int) -> int:
    """Tell the people concerned about one move, once: the dispatch row (keyed by the move's event)
    is written with the notifications, so a retry or a second worker sends nothing twice."""
    builder = BUILDERS.get(kind)
    if builder is None:
        return 0
    with translation.override("zh-hans"):
        try:
            with transaction.atomic():
                dispatch, created = ReminderDispatch.objects.get_or_create(
                    target_type=NOTICE_TARGET, target_id=event_id, kind=kind, due_on=ONCE
                )
                if not created:
                    return 0
                issue = PublicIssue.objects.select_related("suggestion", "supervision_case").get(pk=issue_id)
                sent = 0
                for users, title, body, url in builder(issue):
                    sent += len(notify(users=users, title=title[:200], body=body, url=url))
                dispatch.recipients = min(sent, 32767)
                dispatch.save(update_fields=["recipients"])
                return sent
        except IntegrityError:
            return 0


@shared_task(name="liaison_stations.tasks.intake_sweep", ignore_result=True)
def intake_sweep_task() -> int:
    """The intake outbox on its own (beat, every few minutes): issues whose notice did not go out."""
    from .reminders import send_owed_intake

    with translation.override("zh-hans"):
        return send_owed_intake(now=timezone.now())
