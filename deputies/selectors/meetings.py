"""Reads of standing-committee meetings: meetings of a term with their counts, a meeting's agenda,
invitees and pre-meeting activities, compiled opinions, a unit's opinions to answer, and a
deputy's view of a meeting. Every list is scoped with `visible_to(user)`."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from congress.models import Term
from congress.scoping import get_scope

from ..choices import PRE_MEETING_KINDS, ActivityKind, InvitationStatus, MandateStatus, OpinionStatus
from ..models import Activity, AgendaTopic, Deputy, Invitation, Mandate, Meeting, MeetingOpinion

NOT_DECLINED = (InvitationStatus.INVITED, InvitationStatus.ACCEPTED, InvitationStatus.ATTENDED)


def _sitting_count(**filters: Any) -> Coalesce:
    counted = (
        Invitation.objects.filter(activity__meeting=OuterRef("pk"), activity__kind=ActivityKind.SC_SITTING, **filters)
        .order_by()
        .values("activity__meeting")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def meeting_terms(*, user: Any) -> list[Term]:
    """Terms of the user's congresses, newest first (the desk picks one)."""
    scope = get_scope(user)
    terms = Term.objects.select_related("congress").order_by("-start_date", "-pk")
    if not scope.is_global:
        terms = terms.filter(congress_id__in=scope.congress_ids)
    return list(terms)


def meeting_default_term(*, terms: list[Term], raw: str = "") -> Term | None:
    """The term asked for (`?term=`), else the first current one, else the newest."""
    if raw.isascii() and raw.isdigit():
        chosen = next((term for term in terms if term.pk == int(raw)), None)
        if chosen is not None:
            return chosen
    today = timezone.localdate()
    current = [term for term in terms if term.start_date <= today and (term.end_date is None or term.end_date >= today)]
    return (current or terms or [None])[0]


def meeting_list(*, user: Any, term: Term | None = None, query: str = "") -> QuerySet[Meeting]:
    """Meetings the user sees (of one term), with invited (not declined) and attended counts."""
    meetings = (
        Meeting.objects.visible_to(user)
        .select_related("term")
        .annotate(
            invited_count=_sitting_count(status__in=NOT_DECLINED),
            attended_count=_sitting_count(status=InvitationStatus.ATTENDED),
            opinion_count=Coalesce(
                Subquery(
                    MeetingOpinion.objects.filter(meeting=OuterRef("pk"))
                    .order_by()
                    .values("meeting")
                    .annotate(n=Count("pk"))
                    .values("n"),
                    output_field=IntegerField(),
                ),
                Value(0),
            ),
            sitting_state=Subquery(
                Activity.objects.filter(meeting=OuterRef("pk"), kind=ActivityKind.SC_SITTING)
                .order_by("pk")
                .values("state")[:1]
            ),
        )
        .order_by("starts_on", "number", "pk")
    )
    if term is not None:
        meetings = meetings.filter(term=term)
    if query:
        meetings = meetings.filter(Q(title__icontains=query) | Q(topics__title__icontains=query)).distinct()
    return meetings


def meeting_detail(*, user: Any, pk: int) -> Meeting:
    """One meeting the user sees, with its agenda (raises Meeting.DoesNotExist outside scope)."""
    return (
        Meeting.objects.visible_to(user)
        .select_related("term", "congress")
        .prefetch_related(Prefetch("topics", queryset=AgendaTopic.objects.select_related("committee")))
        .get(pk=pk)
    )


def meeting_sitting(*, meeting: Meeting) -> Activity | None:
    return Activity.objects.filter(meeting=meeting, kind=ActivityKind.SC_SITTING).order_by("pk").first()


def meeting_invitees(*, meeting: Meeting) -> QuerySet[Invitation]:
    """The sitting's invitations with each deputy's delegation in the meeting's term."""
    delegation = Mandate.objects.filter(deputy=OuterRef("deputy_id"), term_id=meeting.term_id).values(
        "delegation__name"
    )[:1]
    return (
        Invitation.objects.filter(activity__meeting=meeting, activity__kind=ActivityKind.SC_SITTING)
        .select_related("deputy")
        .annotate(delegation_name=Subquery(delegation))
        .order_by("deputy__name", "pk")
    )


def meeting_uninvited_deputies(*, meeting: Meeting) -> QuerySet[Deputy]:
    """Deputies serving in the meeting's term without an invitation to it (for manual invitations)."""
    serving = Mandate.objects.filter(term_id=meeting.term_id, status=MandateStatus.SERVING).values("deputy_id")
    invited = Invitation.objects.filter(activity__meeting=meeting, activity__kind=ActivityKind.SC_SITTING).values(
        "deputy_id"
    )
    return Deputy.objects.filter(pk__in=serving).exclude(pk__in=invited).order_by("name", "pk")


def meeting_pre_activities(*, meeting: Meeting) -> QuerySet[Activity]:
    return (
        Activity.objects.filter(meeting=meeting, kind__in=PRE_MEETING_KINDS)
        .select_related("organiser")
        .annotate(invited_count=Count("invitations"))
        .order_by("starts_at", "pk")
    )


def meeting_attending_deputies(*, meeting: Meeting) -> QuerySet[Deputy]:
    """Deputies who accepted or attended: those opinions can be recorded for."""
    return Deputy.objects.filter(
        invitations__activity__meeting=meeting,
        invitations__activity__kind=ActivityKind.SC_SITTING,
        invitations__status__in=[InvitationStatus.ACCEPTED, InvitationStatus.ATTENDED],
    ).order_by("name", "pk")


def meeting_opinions(
    *, user: Any, meeting: Meeting | None = None, status: str | None = None, query: str = ""
) -> QuerySet[MeetingOpinion]:
    """Opinions the user sees (of one meeting), compiled by agenda item."""
    opinions = MeetingOpinion.objects.visible_to(user).select_related(
        "meeting", "deputy", "topic", "handling_unit", "answered_by"
    )
    if meeting is not None:
        opinions = opinions.filter(meeting=meeting)
    if status in OpinionStatus.values:
        opinions = opinions.filter(status=status)
    if query:
        opinions = opinions.filter(Q(content__icontains=query) | Q(deputy__name__icontains=query))
    return opinions.order_by("meeting__starts_on", "topic__sort_order", "topic_id", "pk")


def unit_meeting_opinions(*, user: Any, status: str | None = None) -> QuerySet[MeetingOpinion]:
    """Opinions handed to the user's unit, the earliest due first."""
    unit_id = get_scope(user).unit_id
    if unit_id is None:
        return MeetingOpinion.objects.none()
    opinions = (
        MeetingOpinion.objects.visible_to(user)
        .filter(handling_unit_id=unit_id, status__in=[OpinionStatus.HANDED, OpinionStatus.ANSWERED])
        .select_related("meeting", "deputy", "topic")
    )
    if status in (OpinionStatus.HANDED, OpinionStatus.ANSWERED):
        opinions = opinions.filter(status=status)
    return opinions.order_by("status", "due_on", "pk")


def unit_meeting_opinion(*, user: Any, pk: int) -> MeetingOpinion:
    """One opinion handed to the user's unit (DoesNotExist otherwise)."""
    return unit_meeting_opinions(user=user).get(pk=pk)


def portal_meetings(*, user: Any) -> QuerySet[Invitation]:
    """The deputy's invitations to sit in, newest meeting first."""
    deputy_id = get_scope(user).deputy_id
    return (
        Invitation.objects.visible_to(user)
        .filter(deputy_id=deputy_id, activity__kind=ActivityKind.SC_SITTING, activity__meeting__isnull=False)
        .select_related("activity__meeting")
        .order_by("-activity__meeting__starts_on", "pk")
    )


def portal_meeting(*, user: Any, pk: int) -> dict[str, Any]:
    """A meeting as the deputy sees it: agenda, their invitation, their opinions and answers."""
    meeting = meeting_detail(user=user, pk=pk)
    deputy_id = get_scope(user).deputy_id
    invitation = (
        Invitation.objects.filter(
            activity__meeting=meeting, activity__kind=ActivityKind.SC_SITTING, deputy_id=deputy_id
        )
        .select_related("activity")
        .first()
    )
    opinions = (
        MeetingOpinion.objects.filter(meeting=meeting, deputy_id=deputy_id)
        .select_related("topic", "handling_unit")
        .order_by("pk")
    )
    pre_activities = (
        Activity.objects.filter(meeting=meeting, kind__in=PRE_MEETING_KINDS, invitations__deputy_id=deputy_id)
        .order_by("starts_at", "pk")
        .distinct()
    )
    return {"meeting": meeting, "invitation": invitation, "opinions": opinions, "pre_activities": pre_activities}
