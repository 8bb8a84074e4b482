"""Writes of standing-committee meetings deputies sit in on (列席): the meeting and its agenda,
inviting deputies (8–16 by default, never beyond the meeting's most), pre-meeting research with the
invitees, and the opinions they raise — recorded, handed to a unit, answered.

Invitations and sign-in are those of the meeting's `sc_sitting` activity (deputies.services.activities);
an opinion writes the deputy's duty record (`sc_opinion`)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from congress.calendar import add_working_days
from congress.models import Committee, HandlingUnit, Term
from congress.roles import Role
from congress.scoping import get_scope
from congress.services import notify

from ..choices import (
    PRE_MEETING_KINDS,
    ActivityKind,
    ActivityState,
    InvitationSource,
    InvitationStatus,
    MandateStatus,
    OpinionStatus,
)
from ..duty import duty_record_act
from ..exceptions import NotAllowed, WorkflowError
from ..models import Activity, AgendaTopic, Deputy, Invitation, Mandate, Meeting, MeetingOpinion
from ..models.meetings import DEFAULT_INVITEES_MAX, DEFAULT_INVITEES_MIN
from .activities import acting_deputy, activity_create, activity_invite, ensure_work_staff

# Days a unit has to answer an opinion handed to it, in working days.
ANSWER_WORKING_DAYS = 15
# A sitting runs from the morning of the first day to the evening of the last.
SITTING_STARTS = datetime.time(9, 0)
SITTING_ENDS = datetime.time(18, 0)
# Invitation states that hold a place at the meeting (a declined one frees it).
NOT_DECLINED = (InvitationStatus.INVITED, InvitationStatus.ACCEPTED, InvitationStatus.ATTENDED)
# A deputy who may raise opinions on the meeting: accepted the invitation, or signed in.
MAY_RAISE_OPINIONS = (InvitationStatus.ACCEPTED, InvitationStatus.ATTENDED)


@dataclass(frozen=True)
class InviteOutcome:
    """What an invitation round did: the new invitations, and how many now hold a place."""

    created: list[Invitation] = field(default_factory=list)
    coming: int = 0
    invitees_min: int = DEFAULT_INVITEES_MIN
    invitees_max: int = DEFAULT_INVITEES_MAX

    @property
    def short_by(self) -> int:
        """How many more the meeting needs to reach its fewest (0 when reached)."""
        return max(0, self.invitees_min - self.coming)

    @property
    def warning(self) -> str:
        if not self.short_by:
            return ""
        return _("%(count)s deputies are invited; this meeting should have at least %(min)s.") % {
            "count": self.coming,
            "min": self.invitees_min,
        }


def _aware(day: datetime.date, moment: datetime.time) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, moment))


def lock_meeting(meeting: Meeting) -> Meeting:
    return Meeting.objects.select_for_update().get(pk=meeting.pk)


def meeting_sitting(meeting: Meeting) -> Activity | None:
    """The activity deputies are invited to when they sit in on the meeting."""
    return Activity.objects.filter(meeting=meeting, kind=ActivityKind.SC_SITTING).order_by("pk").first()


def _office_committee(congress_id: int) -> Committee | None:
    return Committee.objects.filter(congress_id=congress_id, is_deputy_affairs_office=True).first()


def _sitting_fields(meeting: Meeting) -> dict[str, Any]:
    return {
        "title": meeting.title,
        "starts_at": _aware(meeting.starts_on, SITTING_STARTS),
        "ends_at": _aware(meeting.ends_on, SITTING_ENDS),
        "place": meeting.place,
    }


def meeting_ensure_sitting(*, meeting: Meeting, actor: Any) -> Activity:
    """The meeting's sitting activity, created when missing (e.g. a meeting added in the admin)."""
    sitting = meeting_sitting(meeting)
    if sitting is not None:
        return sitting
    return activity_create(
        actor=actor,
        congress=meeting.congress,
        kind=ActivityKind.SC_SITTING,
        organiser=_office_committee(meeting.congress_id),
        meeting=meeting,
        **_sitting_fields(meeting),
    )


def _validate_range(invitees_min: int, invitees_max: int) -> None:
    if invitees_min < 1:
        raise ValidationError({"invitees_min": _("Invite at least one deputy.")})
    if invitees_max < invitees_min:
        raise ValidationError(
            {
                "invitees_max": _("The most deputies invited cannot be fewer than the fewest (%(min)s).")
                % {"min": invitees_min}
            }
        )


@transaction.atomic
def meeting_create(
    *,
    actor: Any,
    term: Term,
    title: str,
    starts_on: datetime.date,
    ends_on: datetime.date | None = None,
    number: int | None = None,
    place: str = "",
    invitees_min: int | None = None,
    invitees_max: int | None = None,
) -> Meeting:
    """A standing-committee meeting of the term, with the sitting activity deputies are invited to.
    The fewest/most invited default to the congress's previous meeting's (else 8 and 16)."""
    ensure_work_staff(actor, term.congress_id)
    previous = (
        Meeting.objects.filter(congress_id=term.congress_id, starts_on__lte=starts_on).order_by("-starts_on", "-pk")
    ).first() or Meeting.objects.filter(congress_id=term.congress_id).order_by("-starts_on", "-pk").first()
    if invitees_min is None:
        invitees_min = previous.invitees_min if previous else DEFAULT_INVITEES_MIN
    if invitees_max is None:
        invitees_max = max(previous.invitees_max if previous else DEFAULT_INVITEES_MAX, invitees_min)
    _validate_range(invitees_min, invitees_max)
    if number is None:
        number = (Meeting.objects.filter(term=term).aggregate(most=Max("number"))["most"] or 0) + 1
    meeting = Meeting(
        congress_id=term.congress_id,
        term=term,
        number=number,
        title=title.strip(),
        starts_on=starts_on,
        ends_on=ends_on or starts_on,
        place=place,
        invitees_min=invitees_min,
        invitees_max=invitees_max,
    )
    if meeting.ends_on < meeting.starts_on:
        raise ValidationError({"ends_on": _("The meeting cannot end before it starts.")})
    meeting.full_clean()
    meeting.save()
    meeting_ensure_sitting(meeting=meeting, actor=actor)
    return meeting


@transaction.atomic
def meeting_update(*, actor: Any, meeting: Meeting, **fields: Any) -> Meeting:
    """Change the meeting's title, dates, place or invitee range; a planned sitting follows its dates."""
    ensure_work_staff(actor, meeting.congress_id)
    meeting = lock_meeting(meeting)
    allowed = {"title", "starts_on", "ends_on", "place", "invitees_min", "invitees_max", "number"}
    for name, value in fields.items():
        if name not in allowed:
            raise ValueError(name)
        setattr(meeting, name, value)
    _validate_range(meeting.invitees_min, meeting.invitees_max)
    if meeting.ends_on < meeting.starts_on:
        raise ValidationError({"ends_on": _("The meeting cannot end before it starts.")})
    meeting.full_clean()
    meeting.save()
    sitting = meeting_sitting(meeting)
    if sitting is not None and sitting.state == ActivityState.PLANNED:
        for name, value in _sitting_fields(meeting).items():
            setattr(sitting, name, value)
        sitting.save()
    return meeting


def _ensure_topic_committee(meeting: Meeting, committee: Committee | None) -> None:
    if committee is not None and committee.congress_id != meeting.congress_id:
        raise ValidationError({"committee": _("Choose a committee of this congress.")})


@transaction.atomic
def agenda_topic_add(
    *,
    actor: Any,
    meeting: Meeting,
    title: str,
    committee: Committee | None = None,
    keywords: str = "",
    sort_order: int | None = None,
) -> AgendaTopic:
    """Add an item to the agenda; its committee and keywords steer whom the planner proposes."""
    ensure_work_staff(actor, meeting.congress_id)
    _ensure_topic_committee(meeting, committee)
    if sort_order is None:
        sort_order = (AgendaTopic.objects.filter(meeting=meeting).aggregate(most=Max("sort_order"))["most"] or 0) + 1
    topic = AgendaTopic(
        congress_id=meeting.congress_id,
        meeting=meeting,
        title=title.strip(),
        committee=committee,
        keywords=keywords.strip(),
        sort_order=sort_order,
    )
    topic.full_clean()
    topic.save()
    return topic


@transaction.atomic
def agenda_topic_edit(*, actor: Any, topic: AgendaTopic, **fields: Any) -> AgendaTopic:
    """Change an agenda item's title, committee, keywords or place in the order."""
    ensure_work_staff(actor, topic.congress_id)
    topic = AgendaTopic.objects.select_for_update().select_related("meeting").get(pk=topic.pk)
    allowed = {"title", "committee", "keywords", "sort_order"}
    for name, value in fields.items():
        if name not in allowed:
            raise ValueError(name)
        setattr(topic, name, value.strip() if isinstance(value, str) else value)
    _ensure_topic_committee(topic.meeting, topic.committee)
    topic.full_clean()
    topic.save()
    return topic


@transaction.atomic
def agenda_topic_delete(*, actor: Any, topic: AgendaTopic) -> None:
    """Take an item off the agenda (opinions raised on it stay, without a topic)."""
    ensure_work_staff(actor, topic.congress_id)
    topic.delete()


@transaction.atomic
def meeting_invite(
    *,
    actor: Any,
    meeting: Meeting,
    deputy_ids: Iterable[int],
    source: str = InvitationSource.STAFF,
) -> InviteOutcome:
    """Invite deputies of the meeting's term to sit in. Those invited and not declined never exceed the
    meeting's most; fewer than its fewest is allowed but reported (`InviteOutcome.warning`)."""
    ensure_work_staff(actor, meeting.congress_id)
    meeting = lock_meeting(meeting)
    sitting = meeting_ensure_sitting(meeting=meeting, actor=actor)
    if sitting.state != ActivityState.PLANNED:
        raise WorkflowError(
            _("The meeting's sitting is %(state)s; no more deputies can be invited.")
            % {"state": sitting.get_state_display()}
        )
    wanted = {int(pk) for pk in deputy_ids}
    if not wanted:
        raise ValidationError({"deputies": _("Choose the deputies to invite.")})
    in_term = set(
        Mandate.objects.filter(term_id=meeting.term_id, deputy_id__in=wanted, status=MandateStatus.SERVING).values_list(
            "deputy_id", flat=True
        )
    )
    if wanted - in_term:
        names = "、".join(
            Deputy.objects.filter(pk__in=wanted - in_term).order_by("name").values_list("name", flat=True)
        )
        raise ValidationError({"deputies": _("Not serving deputies of this term: %(names)s") % {"names": names or "?"}})
    existing = dict(Invitation.objects.filter(activity=sitting).values_list("deputy_id", "status"))
    coming = sum(1 for status in existing.values() if status in NOT_DECLINED)
    new = wanted - set(existing)
    if coming + len(new) > meeting.invitees_max:
        raise ValidationError(
            {
                "deputies": _(
                    "At most %(max)s deputies may sit in on this meeting: %(coming)s are invited already, "
                    "so %(left)s more can be invited, not %(asked)s."
                )
                % {
                    "max": meeting.invitees_max,
                    "coming": coming,
                    "left": max(0, meeting.invitees_max - coming),
                    "asked": len(new),
                }
            }
        )
    created = activity_invite(activity=sitting, deputy_ids=sorted(new), actor=actor, source=source) if new else []
    return InviteOutcome(
        created=created,
        coming=coming + len(created),
        invitees_min=meeting.invitees_min,
        invitees_max=meeting.invitees_max,
    )


@transaction.atomic
def pre_meeting_activity_create(
    *,
    actor: Any,
    meeting: Meeting,
    kind: str,
    title: str,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    place: str = "",
    description: str = "",
    hours: Any = 0,
    organiser: Committee | None = None,
    invite_invitees: bool = True,
) -> Activity:
    """Research, an inspection, training or a symposium before the meeting, with the deputies who will
    sit in (those invited and not declined) invited by default."""
    ensure_work_staff(actor, meeting.congress_id)
    if kind not in PRE_MEETING_KINDS:
        raise ValidationError({"kind": _("Choose a kind of pre-meeting activity.")})
    if timezone.localtime(starts_at).date() > meeting.ends_on:
        raise ValidationError({"starts_at": _("A pre-meeting activity takes place before the meeting ends.")})
    if organiser is None:
        scope = get_scope(actor)
        organiser = (
            Committee.objects.filter(pk=scope.committee_id, congress_id=meeting.congress_id).first()
            if scope.committee_id
            else None
        ) or _office_committee(meeting.congress_id)
    activity = activity_create(
        actor=actor,
        congress=meeting.congress,
        kind=kind,
        title=title.strip(),
        starts_at=starts_at,
        ends_at=ends_at,
        place=place,
        description=description,
        hours=hours,
        organiser=organiser,
        meeting=meeting,
    )
    if invite_invitees:
        sitting = meeting_sitting(meeting)
        invitees = (
            list(
                Invitation.objects.filter(activity=sitting, status__in=NOT_DECLINED).values_list("deputy_id", flat=True)
            )
            if sitting
            else []
        )
        if invitees:
            activity_invite(activity=activity, deputy_ids=invitees, actor=actor)
    return activity


# --- opinions ------------------------------------------------------------------------------------


def _sitting_status(meeting: Meeting, deputy_id: int) -> str | None:
    return (
        Invitation.objects.filter(
            activity__meeting=meeting, activity__kind=ActivityKind.SC_SITTING, deputy_id=deputy_id
        )
        .values_list("status", flat=True)
        .first()
    )


@transaction.atomic
def meeting_opinion_record(
    *,
    actor: Any,
    meeting: Meeting,
    content: str,
    topic: AgendaTopic | None = None,
    deputy: Deputy | None = None,
) -> MeetingOpinion:
    """An opinion raised by a deputy sitting in: submitted by the deputy in the portal, or recorded by
    staff for a deputy (`deputy`). Only a deputy who accepted the invitation or attended may raise one.
    Writes the deputy's duty record (sc_opinion)."""
    if deputy is None:
        deputy_id = acting_deputy(actor, meeting.congress_id)
    else:
        ensure_work_staff(actor, meeting.congress_id)
        deputy_id = deputy.pk
    sitting = meeting_sitting(meeting)
    if sitting is not None and sitting.state == ActivityState.CANCELLED:
        raise WorkflowError(_("The meeting's sitting was cancelled."))
    if _sitting_status(meeting, deputy_id) not in MAY_RAISE_OPINIONS:
        raise WorkflowError(_("Only a deputy who accepted the invitation or attended the meeting can raise opinions."))
    if topic is not None and topic.meeting_id != meeting.pk:
        raise ValidationError({"topic": _("Choose an item of this meeting's agenda.")})
    content = content.strip()
    if not content:
        raise ValidationError({"content": _("Write the opinion.")})
    opinion = MeetingOpinion(
        congress_id=meeting.congress_id, meeting=meeting, deputy_id=deputy_id, topic=topic, content=content
    )
    opinion.full_clean(exclude=["status"])  # a protected FSM field cannot be re-set by clean_fields
    opinion.save()
    duty_record_act(
        deputy_id=deputy_id,
        congress_id=meeting.congress_id,
        code="sc_opinion",
        on=timezone.localdate(),
        source_key=f"meeting-opinion:{opinion.pk}",
        description=_("Opinion on %(meeting)s") % {"meeting": meeting.title},
    )
    return opinion


def lock_opinion(opinion: MeetingOpinion) -> MeetingOpinion:
    return MeetingOpinion.objects.select_for_update().select_related("meeting").get(pk=opinion.pk)


@transaction.atomic
def opinion_hand_over(
    *,
    actor: Any,
    opinion: MeetingOpinion,
    handling_unit: HandlingUnit,
    due_on: datetime.date | None = None,
    today: datetime.date | None = None,
) -> MeetingOpinion:
    """Hand a recorded opinion to a unit of the congress to answer, by default within 15 working days,
    and tell the unit's staff."""
    ensure_work_staff(actor, opinion.congress_id)
    opinion = lock_opinion(opinion)
    if handling_unit.congress_id != opinion.congress_id or not handling_unit.is_active:
        raise ValidationError({"handling_unit": _("Choose an active handling unit of this congress.")})
    if opinion.status != OpinionStatus.RECORDED:
        raise WorkflowError(_("This opinion is already %(status)s.") % {"status": opinion.get_status_display()})
    today = today or timezone.localdate()
    due_on = due_on or add_working_days(today, ANSWER_WORKING_DAYS)
    if due_on < today:
        raise ValidationError({"due_on": _("The answer cannot be due before today.")})
    opinion.hand_over()
    opinion.handling_unit = handling_unit
    opinion.handed_on = today
    opinion.due_on = due_on
    opinion.save()
    staff = get_user_model().objects.filter(staff_profile__handling_unit=handling_unit, is_active=True)
    notify(
        users=list(staff),
        title=_("Opinion to answer: %(meeting)s") % {"meeting": opinion.meeting.title},
        body=_("Answer by %(due)s.") % {"due": due_on.isoformat()},
        url=reverse("deputies:desk_meeting_opinions"),
    )
    return opinion


@transaction.atomic
def opinion_answer(*, actor: Any, opinion: MeetingOpinion, answer: str) -> MeetingOpinion:
    """The unit the opinion was handed to answers it; the deputy is told."""
    opinion = lock_opinion(opinion)
    scope = get_scope(actor)
    if not scope.is_global and not (
        scope.has_role(Role.UNIT) and scope.unit_id is not None and scope.unit_id == opinion.handling_unit_id
    ):
        raise NotAllowed(_("Only staff of the unit the opinion was handed to can answer it."))
    if opinion.status != OpinionStatus.HANDED:
        raise WorkflowError(_("Only an opinion handed to a unit and not yet answered can be answered."))
    answer = answer.strip()
    if not answer:
        raise ValidationError({"answer": _("Write the answer.")})
    opinion.answer_it()
    opinion.answer = answer
    opinion.answered_on = timezone.localdate()
    opinion.answered_by = actor
    opinion.save()
    deputy = Deputy.objects.select_related("user").get(pk=opinion.deputy_id)
    notify(
        users=[deputy.user],
        title=_("Your opinion on %(meeting)s was answered") % {"meeting": opinion.meeting.title},
        url=reverse("deputies:portal_meeting", args=[opinion.meeting_id]),
    )
    return opinion
