"""Services of standing-committee meetings: create, agenda, invite within 8–16, pre-meeting work,
opinions recorded, handed over and answered (with the duty record and notifications)."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError

from congress.calendar import add_working_days
from congress.models import Notification
from congress.roles import Role
from congress.services import user_assign_role
from deputies.choices import ActivityKind, ActivityState, InvitationSource, InvitationStatus, OpinionStatus
from deputies.exceptions import NotAllowed, WorkflowError
from deputies.models import Activity, ActivityRecord, Deputy, Invitation, MeetingOpinion
from deputies.services.activities import activity_hold, invitation_mark_attended, invitation_respond
from deputies.services.meetings import (
    agenda_topic_add,
    agenda_topic_edit,
    meeting_create,
    meeting_invite,
    meeting_opinion_record,
    meeting_sitting,
    opinion_answer,
    opinion_hand_over,
    pre_meeting_activity_create,
)
from tests.congress.factories import UserFactory
from tests.deputies.factories import MandateFactory
from tests.deputies.factories_meetings import meeting_with_sitting

TZ = datetime.timezone(datetime.timedelta(hours=8))


def serving(world, count):
    return [MandateFactory(term=world.a.term).deputy for _ in range(count)]


def sitting_of(meeting):
    return meeting_sitting(meeting)


# --- meeting_create -------------------------------------------------------------------------------


def test_meeting_create_makes_its_sitting_organised_by_the_office(world, office_user):
    # given office staff of A
    # when they create a meeting
    meeting = meeting_create(
        actor=office_user, term=world.a.term, title="常委会第三十次会议", starts_on=datetime.date(2026, 6, 25)
    )

    # then it is numbered, has the default range, and a planned sitting activity on its dates
    sitting = sitting_of(meeting)
    assert (meeting.number, meeting.invitees_min, meeting.invitees_max) == (1, 8, 16)
    assert sitting.kind == ActivityKind.SC_SITTING
    assert sitting.organiser == world.a.office_committee
    assert sitting.state == ActivityState.PLANNED
    assert sitting.starts_at.astimezone(TZ).date() == datetime.date(2026, 6, 25)


def test_meeting_create_takes_the_range_of_the_previous_meeting(world, committee_user):
    # given an earlier meeting inviting 10 to 12
    meeting_create(
        actor=committee_user,
        term=world.a.term,
        title="第一次",
        starts_on=datetime.date(2026, 2, 25),
        invitees_min=10,
        invitees_max=12,
    )

    # when committee staff create the next one without a range
    meeting = meeting_create(
        actor=committee_user, term=world.a.term, title="第二次", starts_on=datetime.date(2026, 4, 25)
    )

    # then it keeps 10 to 12
    assert (meeting.number, meeting.invitees_min, meeting.invitees_max) == (2, 10, 12)


@pytest.mark.parametrize(("low", "high", "field"), [(0, 16, "invitees_min"), (12, 10, "invitees_max")])
def test_meeting_create_refuses_a_bad_range(world, office_user, low, high, field):
    # when the range is not 1 <= min <= max
    with pytest.raises(ValidationError) as error:
        meeting_create(
            actor=office_user,
            term=world.a.term,
            title="会议",
            starts_on=datetime.date(2026, 6, 25),
            invitees_min=low,
            invitees_max=high,
        )

    # then the field is named and nothing is written
    assert field in error.value.message_dict
    assert not Activity.objects.filter(kind=ActivityKind.SC_SITTING).exists()


@pytest.mark.parametrize("role", ["leader_user", "unit_user", "deputy_user", "office_user_b"])
def test_meeting_create_is_for_office_and_committee_staff_of_the_congress(world, request, role):
    with pytest.raises(NotAllowed):
        meeting_create(
            actor=request.getfixturevalue(role), term=world.a.term, title="会议", starts_on=datetime.date(2026, 6, 25)
        )


def test_agenda_topics_are_added_in_order_and_edited(world, office_user):
    # given a meeting
    meeting = meeting_with_sitting(term=world.a.term)

    # when two topics are added and the first is edited
    first = agenda_topic_add(actor=office_user, meeting=meeting, title="义务教育", committee=world.a.committee)
    second = agenda_topic_add(actor=office_user, meeting=meeting, title="养老服务", keywords="养老 医疗")
    agenda_topic_edit(actor=office_user, topic=first, keywords="教育、学校")

    # then they are ordered and the edit is kept
    first.refresh_from_db()
    assert (first.sort_order, second.sort_order) == (1, 2)
    assert first.keywords == "教育、学校"


def test_agenda_topic_refuses_another_congress_committee(world, office_user):
    meeting = meeting_with_sitting(term=world.a.term)
    with pytest.raises(ValidationError):
        agenda_topic_add(actor=office_user, meeting=meeting, title="议题", committee=world.b.committee)


# --- meeting_invite -------------------------------------------------------------------------------


def test_invite_creates_invitations_and_warns_below_the_fewest(world, office_user):
    # given a meeting of 8–16 and three deputies
    meeting = meeting_with_sitting(term=world.a.term)
    deputies = serving(world, 3)

    # when they are invited
    outcome = meeting_invite(actor=office_user, meeting=meeting, deputy_ids=[d.pk for d in deputies])

    # then three invitations exist and the outcome says five more are needed
    assert Invitation.objects.filter(activity__meeting=meeting).count() == 3
    assert (outcome.coming, outcome.short_by) == (3, 5)
    assert "8" in outcome.warning


def test_invite_never_goes_beyond_the_most(world, office_user):
    # given a meeting of at most 4 with 3 invited, one of whom declined
    meeting = meeting_with_sitting(term=world.a.term, invitees_min=1, invitees_max=4)
    deputies = serving(world, 6)
    meeting_invite(actor=office_user, meeting=meeting, deputy_ids=[d.pk for d in deputies[:3]])
    declined = Invitation.objects.get(activity__meeting=meeting, deputy=deputies[0])
    declined.decline()
    declined.save()

    # when three more are invited (2 coming + 3 > 4)
    with pytest.raises(ValidationError) as error:
        meeting_invite(actor=office_user, meeting=meeting, deputy_ids=[d.pk for d in deputies[3:]])

    # then it is refused, naming the numbers, and nothing is written
    assert "4" in error.value.message_dict["deputies"][0]
    assert Invitation.objects.filter(activity__meeting=meeting).count() == 3

    # and two more fit, since the declined one frees a place
    outcome = meeting_invite(actor=office_user, meeting=meeting, deputy_ids=[d.pk for d in deputies[3:5]])
    assert outcome.coming == 4


def test_invite_refuses_deputies_not_serving_in_the_term(world, office_user):
    meeting = meeting_with_sitting(term=world.a.term)
    with pytest.raises(ValidationError):
        meeting_invite(actor=office_user, meeting=meeting, deputy_ids=[world.b.deputies[0].pk])


def test_invite_to_a_held_meeting_is_a_workflow_error(world, office_user):
    meeting = meeting_with_sitting(term=world.a.term)
    activity_hold(activity=sitting_of(meeting), actor=office_user)
    with pytest.raises(WorkflowError):
        meeting_invite(actor=office_user, meeting=meeting, deputy_ids=[world.a.deputies[0].pk])


def test_invite_twice_adds_nothing(world, office_user):
    meeting = meeting_with_sitting(term=world.a.term)
    ids = [d.pk for d in world.a.deputies]
    meeting_invite(actor=office_user, meeting=meeting, deputy_ids=ids, source=InvitationSource.PLANNER)
    outcome = meeting_invite(actor=office_user, meeting=meeting, deputy_ids=ids)
    assert outcome.created == []
    assert Invitation.objects.filter(activity__meeting=meeting, source=InvitationSource.PLANNER).count() == 2


def test_pre_meeting_activity_invites_the_meeting_invitees(world, committee_user, office_user):
    # given a meeting with two invitees, one declined
    meeting = meeting_with_sitting(term=world.a.term)
    meeting_invite(actor=office_user, meeting=meeting, deputy_ids=[d.pk for d in world.a.deputies])
    declined = Invitation.objects.get(activity__meeting=meeting, deputy=world.a.deputies[1])
    declined.decline()
    declined.save()

    # when committee staff create a pre-meeting research
    activity = pre_meeting_activity_create(
        actor=committee_user,
        meeting=meeting,
        kind=ActivityKind.PRE_MEETING_RESEARCH,
        title="会前调研",
        starts_at=datetime.datetime(2026, 6, 10, 9, tzinfo=TZ),
        ends_at=datetime.datetime(2026, 6, 10, 17, tzinfo=TZ),
    )

    # then it is the committee's, linked to the meeting, with the not-declined invitee invited
    assert activity.meeting == meeting
    assert activity.organiser == world.a.committee
    assert list(activity.invitations.values_list("deputy", flat=True)) == [world.a.deputies[0].pk]


def test_pre_meeting_activity_needs_a_pre_meeting_kind(world, office_user):
    meeting = meeting_with_sitting(term=world.a.term)
    with pytest.raises(ValidationError):
        pre_meeting_activity_create(
            actor=office_user,
            meeting=meeting,
            kind=ActivityKind.GROUP_RESEARCH,
            title="调研",
            starts_at=datetime.datetime(2026, 6, 10, 9, tzinfo=TZ),
            ends_at=datetime.datetime(2026, 6, 10, 17, tzinfo=TZ),
        )


# --- opinions -------------------------------------------------------------------------------------


@pytest.fixture
def invited(world, office_user, deputy_user):
    """A meeting with the signed-in deputy invited."""
    meeting = meeting_with_sitting(term=world.a.term)
    deputy = Deputy.objects.get(user=deputy_user)
    meeting_invite(actor=office_user, meeting=meeting, deputy_ids=[deputy.pk])
    return meeting, deputy, Invitation.objects.get(activity__meeting=meeting, deputy=deputy)


def test_deputy_who_accepted_raises_an_opinion_recorded_in_the_duty_record(invited, deputy_user):
    # given the deputy accepted the invitation
    meeting, deputy, invitation = invited
    invitation_respond(invitation=invitation, actor=deputy_user, accept=True)

    # when they raise an opinion on an agenda item
    topic = meeting.topics.create(congress=meeting.congress, title="义务教育")
    opinion = meeting_opinion_record(actor=deputy_user, meeting=meeting, content=" 建议增加学位 ", topic=topic)

    # then it is recorded, theirs, and their duty record has one sc_opinion act for it
    assert (opinion.status, opinion.deputy_id, opinion.content) == (OpinionStatus.RECORDED, deputy.pk, "建议增加学位")
    record = ActivityRecord.objects.get(deputy=deputy, source_key=f"meeting-opinion:{opinion.pk}")
    assert record.activity_type.code == "sc_opinion"


def test_deputy_only_invited_cannot_raise_an_opinion(invited, deputy_user):
    meeting, _deputy, _invitation = invited
    with pytest.raises(WorkflowError):
        meeting_opinion_record(actor=deputy_user, meeting=meeting, content="意见")
    assert not MeetingOpinion.objects.exists()


def test_deputy_not_invited_cannot_raise_an_opinion(world, deputy_user):
    meeting = meeting_with_sitting(term=world.a.term)
    with pytest.raises(WorkflowError):
        meeting_opinion_record(actor=deputy_user, meeting=meeting, content="意见")


def test_deputy_of_another_congress_cannot_raise_an_opinion(invited, other_deputy_user):
    meeting, _deputy, _invitation = invited
    with pytest.raises(NotAllowed):
        meeting_opinion_record(actor=other_deputy_user, meeting=meeting, content="意见")


def test_staff_record_an_opinion_for_an_attending_deputy(invited, office_user):
    # given the deputy attended (marked by staff)
    meeting, deputy, invitation = invited
    invitation_mark_attended(invitation=invitation, actor=office_user)

    # when staff record the deputy's spoken opinion
    opinion = meeting_opinion_record(actor=office_user, meeting=meeting, content="口头意见", deputy=deputy)

    # then it is the deputy's, with the record act
    assert opinion.deputy == deputy
    assert ActivityRecord.objects.filter(deputy=deputy, source_key=f"meeting-opinion:{opinion.pk}").count() == 1


def test_topic_of_another_meeting_is_refused(invited, deputy_user, world):
    meeting, _deputy, invitation = invited
    invitation_respond(invitation=invitation, actor=deputy_user, accept=True)
    other = meeting_with_sitting(term=world.a.term)
    topic = other.topics.create(congress=other.congress, title="别的议题")
    with pytest.raises(ValidationError):
        meeting_opinion_record(actor=deputy_user, meeting=meeting, content="意见", topic=topic)


@pytest.fixture
def opinion(invited, deputy_user):
    meeting, _deputy, invitation = invited
    invitation_respond(invitation=invitation, actor=deputy_user, accept=True)
    return meeting_opinion_record(actor=deputy_user, meeting=meeting, content="建议加快学校建设")


def test_hand_over_sets_due_in_15_working_days_and_tells_the_unit(world, opinion, office_user, unit_user):
    # given a recorded opinion
    today = datetime.date(2026, 7, 1)

    # when staff hand it to A's unit
    handed = opinion_hand_over(actor=office_user, opinion=opinion, handling_unit=world.a.unit, today=today)

    # then it is handed, due 15 working days later, and the unit's staff are told
    assert handed.status == OpinionStatus.HANDED
    assert (handed.handed_on, handed.due_on) == (today, add_working_days(today, 15))
    assert Notification.objects.filter(user=unit_user).count() == 1


def test_hand_over_twice_is_a_workflow_error(world, opinion, office_user):
    opinion_hand_over(actor=office_user, opinion=opinion, handling_unit=world.a.unit)
    with pytest.raises(WorkflowError):
        opinion_hand_over(actor=office_user, opinion=opinion, handling_unit=world.a.child_unit)


def test_hand_over_to_another_congress_unit_is_refused(world, opinion, office_user):
    with pytest.raises(ValidationError):
        opinion_hand_over(actor=office_user, opinion=opinion, handling_unit=world.b.unit)


@pytest.mark.parametrize("role", ["leader_user", "unit_user", "deputy_user"])
def test_hand_over_is_for_work_staff(world, opinion, request, role):
    with pytest.raises(NotAllowed):
        opinion_hand_over(actor=request.getfixturevalue(role), opinion=opinion, handling_unit=world.a.unit)


def test_unit_answers_and_the_deputy_is_told(world, opinion, office_user, unit_user, deputy_user):
    # given an opinion handed to A's unit
    opinion_hand_over(actor=office_user, opinion=opinion, handling_unit=world.a.unit)

    # when the unit's staff answer
    answered = opinion_answer(actor=unit_user, opinion=opinion, answer="已列入明年计划")

    # then it is answered by them and the deputy is notified
    assert (answered.status, answered.answer, answered.answered_by) == (
        OpinionStatus.ANSWERED,
        "已列入明年计划",
        unit_user,
    )
    assert Notification.objects.filter(user=deputy_user).exists()


def test_another_unit_cannot_answer(world, opinion, office_user):
    # given an opinion handed to A's unit and staff of its child unit
    opinion_hand_over(actor=office_user, opinion=opinion, handling_unit=world.a.unit)
    other = user_assign_role(user=UserFactory(), role=Role.UNIT, congress=world.a.congress, unit=world.a.child_unit)

    # then they cannot answer it, and nor can office staff
    with pytest.raises(NotAllowed):
        opinion_answer(actor=other, opinion=opinion, answer="答复")
    with pytest.raises(NotAllowed):
        opinion_answer(actor=office_user, opinion=opinion, answer="答复")


def test_answer_before_hand_over_is_a_workflow_error(world, opinion):
    unit_staff = user_assign_role(user=UserFactory(), role=Role.UNIT, congress=world.a.congress, unit=world.a.unit)
    MeetingOpinion.objects.filter(pk=opinion.pk).update(handling_unit=world.a.unit)
    with pytest.raises(WorkflowError):
        opinion_answer(actor=unit_staff, opinion=MeetingOpinion.objects.get(pk=opinion.pk), answer="答复")


def test_answer_needs_text(world, opinion, office_user, unit_user):
    opinion_hand_over(actor=office_user, opinion=opinion, handling_unit=world.a.unit)
    with pytest.raises(ValidationError):
        opinion_answer(actor=unit_user, opinion=opinion, answer="  ")
    assert MeetingOpinion.objects.get(pk=opinion.pk).status == OpinionStatus.HANDED


def test_attendance_status_after_hold(world, office_user):
    # given two invitees, one attended
    meeting = meeting_with_sitting(term=world.a.term)
    meeting_invite(actor=office_user, meeting=meeting, deputy_ids=[d.pk for d in world.a.deputies])
    first = Invitation.objects.get(activity__meeting=meeting, deputy=world.a.deputies[0])
    invitation_mark_attended(invitation=first, actor=office_user)

    # when the sitting is held
    activity_hold(activity=sitting_of(meeting), actor=office_user)

    # then the other is absent
    statuses = dict(Invitation.objects.filter(activity__meeting=meeting).values_list("deputy", "status"))
    assert statuses == {
        world.a.deputies[0].pk: InvitationStatus.ATTENDED,
        world.a.deputies[1].pk: InvitationStatus.ABSENT,
    }
