"""Shared activity services: invite, answer, enrol, sign in once (code or QR), mark present, hold,
cancel; and the duty record they write."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError

from deputies.choices import ActivityState, InvitationStatus, SignInMethod
from deputies.exceptions import NotAllowed, WorkflowError
from deputies.models import ActivityRecord, Invitation
from deputies.services import activities as services
from tests.deputies.factories import ActivityFactory, DeputyFactory, InvitationFactory, MandateFactory

START = datetime.datetime(2026, 6, 10, 1, 0, tzinfo=datetime.UTC)  # 09:00 in Shanghai
DURING = START + datetime.timedelta(hours=1)


@pytest.fixture
def activity(world):
    return ActivityFactory(congress=world.a.congress, starts_at=START, ends_at=START + datetime.timedelta(hours=8))


@pytest.fixture
def invited(activity, deputy_user):
    return InvitationFactory(activity=activity, deputy=deputy_user.deputy)


def reread(invitation):
    return Invitation.objects.get(pk=invitation.pk)


# --- invite ---


def test_staff_invite_serving_deputies_once(world, activity, committee_user, mailoutbox):
    # given two serving deputies of A, one already invited
    first, second = world.a.deputies
    InvitationFactory(activity=activity, deputy=first)

    # when committee staff invite both
    created = services.activity_invite(activity=activity, deputy_ids=[first.pk, second.pk], actor=committee_user)

    # then only the second is new, and both have exactly one invitation
    assert [invitation.deputy for invitation in created] == [second]
    assert Invitation.objects.filter(activity=activity).count() == 2


def test_deputies_of_another_congress_cannot_be_invited(world, activity, office_user):
    # given a deputy serving only in B
    outsider = world.b.deputies[0]

    # when office staff of A invite them, then it is refused by name and nothing is written
    with pytest.raises(ValidationError) as error:
        services.activity_invite(activity=activity, deputy_ids=[outsider.pk], actor=office_user)
    assert outsider.name in str(error.value)
    assert not Invitation.objects.filter(activity=activity).exists()


@pytest.mark.parametrize("role", ["unit_user", "leader_user", "office_user_b", "deputy_user"])
def test_only_office_and_committee_staff_of_the_congress_invite(request, world, activity, role):
    with pytest.raises(NotAllowed):
        services.activity_invite(
            activity=activity, deputy_ids=[world.a.deputies[0].pk], actor=request.getfixturevalue(role)
        )


# --- answer and enrol ---


def test_a_deputy_accepts_then_declines_with_a_reason(invited, deputy_user):
    services.invitation_respond(invitation=invited, actor=deputy_user, accept=True)
    assert reread(invited).status == InvitationStatus.ACCEPTED

    with pytest.raises(ValidationError):
        services.invitation_respond(invitation=invited, actor=deputy_user, accept=False, reason=" ")

    services.invitation_respond(invitation=invited, actor=deputy_user, accept=False, reason="出差")
    invitation = reread(invited)
    assert (invitation.status, invitation.decline_reason) == (InvitationStatus.DECLINED, "出差")


def test_a_deputy_cannot_answer_someone_elses_invitation(world, activity, deputy_user):
    others = InvitationFactory(activity=activity, deputy=world.a.deputies[0])
    with pytest.raises(NotAllowed):
        services.invitation_respond(invitation=others, actor=deputy_user, accept=True)


def test_accepting_takes_a_seat_and_a_full_activity_refuses(world, activity, invited, deputy_user):
    # given one place, taken by another deputy
    activity.capacity = 1
    activity.save()
    taken = InvitationFactory(activity=activity, deputy=world.a.deputies[0])
    taken.accept()
    taken.save()

    # when the deputy accepts, then it is refused as full
    with pytest.raises(WorkflowError, match="1"):
        services.invitation_respond(invitation=invited, actor=deputy_user, accept=True)
    assert reread(invited).status == InvitationStatus.INVITED


def test_enrolling_needs_open_enrollment(activity, deputy_user):
    with pytest.raises(WorkflowError):
        services.activity_enroll(activity=activity, actor=deputy_user)

    activity.open_enrollment = True
    activity.save()
    invitation = services.activity_enroll(activity=activity, actor=deputy_user)
    assert invitation.status == InvitationStatus.ACCEPTED
    # enrolling again changes nothing
    assert services.activity_enroll(activity=activity, actor=deputy_user).pk == invitation.pk


# --- sign in ---


def test_signing_in_by_code_credits_hours_and_writes_the_duty_record(activity, invited, deputy_user):
    # when the deputy types the right code during the activity
    invitation = services.activity_sign_in(
        activity=activity, actor=deputy_user, method=SignInMethod.CODE, code=activity.sign_in_code, now=DURING
    )

    # then they attended, with the activity's hours, and the record has one group activity act
    assert (invitation.status, invitation.hours, invitation.sign_in_method) == (
        InvitationStatus.ATTENDED,
        activity.hours,
        SignInMethod.CODE,
    )
    record = ActivityRecord.objects.get(deputy=deputy_user.deputy)
    assert record.activity_type.code == "group_activity"
    assert record.date == datetime.date(2026, 6, 10)
    assert record.source_key == f"invitation:{invitation.pk}"


def test_a_deputy_signs_in_once(activity, invited, deputy_user):
    services.activity_sign_in(
        activity=activity, actor=deputy_user, method=SignInMethod.QR, token=activity.sign_in_token, now=DURING
    )

    # when they scan again, then it is refused and nothing more is recorded
    with pytest.raises(WorkflowError):
        services.activity_sign_in(
            activity=activity, actor=deputy_user, method=SignInMethod.CODE, code=activity.sign_in_code, now=DURING
        )
    assert ActivityRecord.objects.filter(deputy=deputy_user.deputy).count() == 1


def test_a_wrong_code_or_token_is_refused(activity, invited, deputy_user):
    with pytest.raises(ValidationError):
        services.activity_sign_in(activity=activity, actor=deputy_user, method=SignInMethod.CODE, code="x", now=DURING)
    with pytest.raises(ValidationError):
        services.activity_sign_in(
            activity=activity, actor=deputy_user, method=SignInMethod.QR, token="nope", now=DURING
        )
    assert reread(invited).status == InvitationStatus.INVITED


@pytest.mark.parametrize(
    "moment",
    [START - datetime.timedelta(hours=2), START + datetime.timedelta(hours=9)],
    ids=["too early", "after the end"],
)
def test_sign_in_is_open_from_an_hour_before_until_the_end(activity, invited, deputy_user, moment):
    with pytest.raises(WorkflowError):
        services.activity_sign_in(
            activity=activity, actor=deputy_user, method=SignInMethod.CODE, code=activity.sign_in_code, now=moment
        )


def test_uninvited_deputies_cannot_sign_in_unless_enrollment_is_open(activity, deputy_user):
    with pytest.raises(NotAllowed):
        services.activity_sign_in(
            activity=activity, actor=deputy_user, method=SignInMethod.CODE, code=activity.sign_in_code, now=DURING
        )
    activity.open_enrollment = True
    activity.save()
    invitation = services.activity_sign_in(
        activity=activity, actor=deputy_user, method=SignInMethod.CODE, code=activity.sign_in_code, now=DURING
    )
    assert invitation.status == InvitationStatus.ATTENDED


def test_a_deputy_of_another_congress_cannot_sign_in(activity, other_deputy_user):
    with pytest.raises(NotAllowed):
        services.activity_sign_in(
            activity=activity, actor=other_deputy_user, method=SignInMethod.CODE, code=activity.sign_in_code, now=DURING
        )


# --- staff: mark present, hold, cancel ---


def test_staff_mark_present_once(activity, invited, committee_user):
    services.invitation_mark_attended(invitation=invited, actor=committee_user)
    assert reread(invited).sign_in_method == SignInMethod.STAFF
    with pytest.raises(WorkflowError):
        services.invitation_mark_attended(invitation=invited, actor=committee_user)
    assert ActivityRecord.objects.filter(source_key=f"invitation:{invited.pk}").count() == 1


def test_holding_marks_the_rest_absent_and_freezes_the_activity(world, activity, invited, office_user, deputy_user):
    present = InvitationFactory(activity=activity, deputy=world.a.deputies[0])
    services.invitation_mark_attended(invitation=present, actor=office_user)

    services.activity_hold(activity=activity, actor=office_user)

    assert reread(invited).status == InvitationStatus.ABSENT
    assert reread(present).status == InvitationStatus.ATTENDED
    with pytest.raises(WorkflowError):
        services.activity_hold(activity=activity, actor=office_user)
    with pytest.raises(WorkflowError):
        services.invitation_respond(invitation=invited, actor=deputy_user, accept=True)


def test_cancelling_is_refused_once_someone_signed_in(activity, invited, office_user):
    services.invitation_mark_attended(invitation=invited, actor=office_user)
    with pytest.raises(WorkflowError):
        services.activity_cancel(activity=activity, actor=office_user)


def test_cancelling_tells_the_invitees(activity, invited, office_user, deputy_user):
    services.activity_cancel(activity=activity, actor=office_user)
    assert activity.__class__.objects.get(pk=activity.pk).state == ActivityState.CANCELLED
    assert deputy_user.notifications.filter(title__contains=activity.title).exists()


def test_attendance_records_the_type_of_the_activity_kind(world, office_user):
    # given a training course and a sitting-in activity with the same deputy present
    deputy = MandateFactory(term=world.a.term, deputy=DeputyFactory()).deputy
    codes = []
    for kind in ("training_course", "sc_sitting", "inspection"):
        activity = ActivityFactory(congress=world.a.congress, kind=kind)
        invitation = InvitationFactory(activity=activity, deputy=deputy)
        services.invitation_mark_attended(invitation=invitation, actor=office_user)
        codes.append(ActivityRecord.objects.get(source_key=f"invitation:{invitation.pk}").activity_type.code)

    # then each counts under its own type
    assert codes == ["training", "sc_meeting", "inspection"]
