"""Writes of reception days, visits and forums, and the daily reminder of deputies on duty.

- A reception day's deputies on duty are deputies of the station (`StationDeputy`). Its duty record
  is written when staff **confirm** the day (`reception_confirm`, on or after its date): one
  `station_reception` act per deputy who came, source ``reception:<pk>`` (idempotent). Recording a
  visit does not write the duty record, so a day without visitors still counts for those on duty.
- A visit's disposition needs its note: the answer for "answered on the spot", the reason for "not
  accepted". "Taken into the loop" creates the citizen issue through `issues.issue_submit`.
- A forum held (today or earlier) writes a `forum` act for each deputy present, source
  ``forum:<pk>:<deputy pk>``.
- `reception_duty_reminders` is the daily sweep (registered with `suggestions.reminders`): each
  deputy on duty is told the day before, once (`ReminderDispatch` reception/duty/date)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from congress.privacy import sees_visitor_contact
from congress.services import notify
from deputies.choices import MandateStatus
from deputies.duty import duty_record_act
from deputies.models import Deputy

from ..choices import Confidentiality, VisitDisposition
from ..exceptions import WorkflowError
from ..models import Block, Forum, ReceptionDay, Station, StationDeputy, Visit
from . import issues as issue_services
from .stations import _ensure_eligible, ensure_station_staff

REMINDER_TARGET, REMINDER_KIND = "reception", "duty"


def _station_deputy_ids(station: Station, deputy_ids: set[int]) -> set[int]:
    return set(
        StationDeputy.objects.filter(station=station, deputy_id__in=deputy_ids).values_list("deputy_id", flat=True)
    )


# --- reception days -----------------------------------------------------------------------------


@transaction.atomic
def reception_save(
    *,
    station: Station,
    actor: Any,
    date: datetime.date,
    deputy_ids: Iterable[int],
    starts_at: datetime.time = datetime.time(9, 0),
    ends_at: datetime.time = datetime.time(11, 30),
    topic: str = "",
    note: str = "",
    reception: ReceptionDay | None = None,
) -> ReceptionDay:
    """Plan (or change) a reception day with its deputies on duty, who must be deputies of the station."""
    ensure_station_staff(actor, station)
    wanted = set(deputy_ids)
    if not wanted:
        raise ValidationError({"deputies": _("Choose at least one deputy on duty.")})
    outside = wanted - _station_deputy_ids(station, wanted)
    if outside:
        names = "、".join(Deputy.objects.filter(pk__in=outside).values_list("name", flat=True))
        raise ValidationError({"deputies": _("Not deputies of this station: %(names)s") % {"names": names}})
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": _("The reception must end after it starts.")})
    if reception is None:
        reception = ReceptionDay(congress_id=station.congress_id, station=station)
    else:
        reception = ReceptionDay.objects.select_for_update().get(pk=reception.pk)
        if reception.station_id != station.pk:
            raise ValidationError({"station": _("This reception day belongs to another station.")})
    reception.date, reception.starts_at, reception.ends_at = date, starts_at, ends_at
    reception.topic, reception.note = topic.strip(), note.strip()
    reception.full_clean()
    reception.save()
    reception.deputies.set(sorted(wanted))
    return reception


def reception_confirmed(reception: ReceptionDay) -> bool:
    """Whether staff confirmed the day (its duty record is written)."""
    from deputies.models import ActivityRecord

    return ActivityRecord.objects.filter(
        source_key=f"reception:{reception.pk}", activity_type__code="station_reception"
    ).exists()


@transaction.atomic
def reception_delete(*, reception: ReceptionDay, actor: Any) -> None:
    """Cancel a reception day that has no visits and was not confirmed."""
    ensure_station_staff(actor, reception.station)
    reception = ReceptionDay.objects.select_for_update().get(pk=reception.pk)
    if reception.visits.exists() or reception_confirmed(reception):
        raise WorkflowError(_("Visits were recorded on this day or it was confirmed; it can no longer be removed."))
    reception.delete()


@transaction.atomic
def reception_confirm(
    *, reception: ReceptionDay, actor: Any, absent_ids: Iterable[int] = (), today: datetime.date | None = None
) -> list[int]:
    """Staff confirm the day was held: each deputy on duty who came (all but `absent_ids`) gets a
    `station_reception` act in the duty record. Confirming again adds nothing twice. Returns the ids
    of the deputies credited."""
    ensure_station_staff(actor, reception.station)
    reception = ReceptionDay.objects.select_for_update().select_related("station").get(pk=reception.pk)
    if reception.date > (today or timezone.localdate()):
        raise WorkflowError(_("A reception day can be confirmed on its date or later."))
    on_duty = set(reception.deputies.values_list("pk", flat=True))
    present = sorted(on_duty - set(absent_ids))
    if not present:
        raise ValidationError({"deputies": _("Nobody on duty came: there is nothing to confirm.")})
    for deputy_id in present:
        duty_record_act(
            deputy_id=deputy_id,
            congress_id=reception.congress_id,
            code="station_reception",
            on=reception.date,
            source_key=f"reception:{reception.pk}",
            description=f"{reception.station.name} {reception.date:%Y-%m-%d}",
        )
    if reception.confirmed_at is None:
        reception.confirmed_at = timezone.now()
        reception.save(update_fields=["confirmed_at", "updated_at"])
    return present


# --- the reminder sweep -------------------------------------------------------------------------


def reception_duty_reminders(*, as_of: datetime.date, dry_run: bool = False) -> dict[str, int]:
    """Remind the deputies on duty of tomorrow's reception days (or today's, if yesterday's sweep did
    not run), once per day: a `ReminderDispatch` (reception, duty, its date) is written with the
    notifications in one transaction, so running the sweep again sends nothing."""
    from suggestions.models import ReminderDispatch

    due = (
        ReceptionDay.objects.filter(date__gte=as_of, date__lte=as_of + datetime.timedelta(days=1))
        .select_related("station")
        .prefetch_related("deputies__user")
        .order_by("date", "pk")
    )
    sent = set(
        ReminderDispatch.objects.filter(
            target_type=REMINDER_TARGET, kind=REMINDER_KIND, target_id__in=[r.pk for r in due]
        ).values_list("target_id", "due_on")
    )
    count = 0
    for reception in due:
        if (reception.pk, reception.date) in sent:
            continue
        users = [deputy.user for deputy in reception.deputies.all() if deputy.user_id]
        if dry_run:
            count += len(users)
            continue
        try:
            with transaction.atomic():
                ReminderDispatch.objects.create(
                    target_type=REMINDER_TARGET,
                    target_id=reception.pk,
                    kind=REMINDER_KIND,
                    due_on=reception.date,
                    recipients=len(users),
                )
                notify(
                    users=users,
                    title=_("On duty at %(station)s on %(date)s")
                    % {"station": reception.station.name, "date": reception.date.strftime("%Y-%m-%d")},
                    body=_("Reception from %(start)s to %(end)s at %(address)s. %(topic)s")
                    % {
                        "start": reception.starts_at.strftime("%H:%M"),
                        "end": reception.ends_at.strftime("%H:%M"),
                        "address": reception.station.address,
                        "topic": reception.topic,
                    },
                    url=reverse("liaison_stations:portal_blocks"),
                )
        except IntegrityError:  # another sweep sent it meanwhile
            continue
        count += len(users)
    return {"count": count}


def register_reminders() -> None:
    """Called from `LiaisonStationsConfig.ready()`: the daily sweep runs `reception_duty_reminders`."""
    from suggestions.reminders import register_sweep

    register_sweep("stations.receptions", reception_duty_reminders)


def _serves_in(deputy: Deputy, congress_id: int) -> bool:
    return deputy.mandates.filter(congress_id=congress_id, status=MandateStatus.SERVING).exists()


# --- visits -------------------------------------------------------------------------------------


def can_read_words(user: Any, visit: Visit) -> bool:
    """A confidential visit's words are for those who handle the visit (the office staff of the
    congress, the station's staff, the deputy who received it, administrators: the same people who
    see the visitor's phone, `congress.privacy.sees_visitor_contact`); a public visit's for all who
    see it."""
    if visit.confidentiality != Confidentiality.CONFIDENTIAL:
        return True
    return sees_visitor_contact(user, visit)


@transaction.atomic
def visit_record(
    *,
    station: Station,
    actor: Any,
    visited_on: datetime.date,
    words: str,
    disposition: str,
    disposition_note: str = "",
    reception_day: ReceptionDay | None = None,
    deputy: Deputy | None = None,
    visitor_name: str = "",
    visitor_phone: str = "",
    visitors: int = 1,
    category: Any = None,
    confidentiality: str = Confidentiality.PUBLIC,
    consent: bool = False,
) -> Visit:
    """Record a citizen's visit: their words as spoken and what was done. Answered on the spot needs
    the answer, not accepted needs the reason; taken into the loop creates the citizen issue (channel
    visit) linked to the visit, handled from then on like any other issue."""
    ensure_station_staff(actor, station)
    words = words.strip()
    note = disposition_note.strip()
    errors: dict[str, str] = {}
    if not words:
        errors["words"] = _("Write down what the visitor said.")
    if disposition not in VisitDisposition.values:
        errors["disposition"] = _("Choose what was done with it.")
    elif disposition == VisitDisposition.ANSWERED and not note:
        errors["disposition_note"] = _("Write down the answer given on the spot.")
    elif disposition == VisitDisposition.NOT_ACCEPTED and not note:
        errors["disposition_note"] = _("Give the reason it was not accepted.")
    if confidentiality not in Confidentiality.values:
        errors["confidentiality"] = _("Choose whether it may be published.")
    if reception_day is not None and reception_day.station_id != station.pk:
        errors["reception_day"] = _("This reception day belongs to another station.")
    elif reception_day is not None and reception_day.date != visited_on:
        errors["visited_on"] = _("The visit's date differs from the reception day's.")
    if visited_on > timezone.localdate():
        errors["visited_on"] = _("A visit cannot be recorded ahead of its date.")
    if errors:
        raise ValidationError(errors)
    if deputy is not None:
        _ensure_eligible({deputy.pk}, station.congress_id, "deputy")
    visit = Visit(
        congress_id=station.congress_id,
        station=station,
        reception_day=reception_day,
        deputy=deputy,
        visited_on=visited_on,
        visitor_name=visitor_name.strip(),
        visitor_phone=visitor_phone.strip(),
        visitors=visitors,
        words=words,
        category=category,
        confidentiality=confidentiality,
        disposition=disposition,
        disposition_note=note,
        recorded_by=actor,
    )
    visit.full_clean()
    visit.save()
    if disposition == VisitDisposition.LOOP:
        # The issue's deputy handles it at tier 1, so must serve in the station's congress; a deputy of
        # the parent or a child congress who received the visit stays on the visit only.
        handler = deputy if deputy is not None and _serves_in(deputy, station.congress_id) else None
        issue_services.issue_submit(
            congress=station.congress,
            channel="visit",
            content=words,
            visit=visit,
            station=station,
            deputy=handler,
            category=category,
            citizen_name=visit.visitor_name,
            citizen_phone=visit.visitor_phone,
            consent=consent,
            actor=actor,
        )
    return visit


# --- forums -------------------------------------------------------------------------------------


def forum_credit_deputies(forum: Forum, today: datetime.date) -> None:
    """Each deputy present at a held forum gets a `forum` act (idempotent per forum and deputy)."""
    if forum.held_on > today:
        return
    for deputy_id in forum.deputies.values_list("pk", flat=True):
        duty_record_act(
            deputy_id=deputy_id,
            congress_id=forum.congress_id,
            code="forum",
            on=forum.held_on,
            source_key=f"forum:{forum.pk}:{deputy_id}",
            description=forum.topic,
        )


@transaction.atomic
def forum_save(
    *,
    station: Station,
    actor: Any,
    held_on: datetime.date,
    topic: str,
    deputy_ids: Iterable[int] = (),
    block: Block | None = None,
    place: str = "",
    residents: int = 0,
    summary: str = "",
    forum: Forum | None = None,
    today: datetime.date | None = None,
) -> Forum:
    """Record (or plan, or correct) a residents' forum. Once held, each deputy present gets a `forum`
    act in the duty record (once per forum and deputy; a deputy removed later keeps the act, which the
    office can withdraw in the duty record)."""
    ensure_station_staff(actor, station)
    wanted = set(deputy_ids)
    _ensure_eligible(wanted, station.congress_id, "deputies")
    if block is not None and block.station_id != station.pk:
        raise ValidationError({"block": _("This block belongs to another station.")})
    if not topic.strip():
        raise ValidationError({"topic": _("Give the forum's topic.")})
    if forum is None:
        forum = Forum(congress_id=station.congress_id, station=station)
    else:
        forum = Forum.objects.select_for_update().get(pk=forum.pk)
        if forum.station_id != station.pk:
            raise ValidationError({"station": _("This forum belongs to another station.")})
    forum.block, forum.held_on, forum.topic, forum.place = block, held_on, topic.strip(), place.strip()
    forum.residents, forum.summary = residents, summary.strip()
    forum.full_clean()
    forum.save()
    forum.deputies.set(sorted(wanted))
    forum_credit_deputies(forum, today or timezone.localdate())
    return forum


@transaction.atomic
def forum_delete(*, forum: Forum, actor: Any) -> None:
    """Remove a forum with no issues collected."""
    ensure_station_staff(actor, forum.station)
    forum = Forum.objects.select_for_update().get(pk=forum.pk)
    if forum.issues.exists():
        raise WorkflowError(_("Issues were collected at this forum; it can no longer be removed."))
    forum.delete()
