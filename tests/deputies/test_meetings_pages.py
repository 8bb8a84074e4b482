"""Pages of meetings: committee desk (list with coverage, detail with planner, opinions with export
and hand-over), units' desk, deputy portal — access for every role, moves, and query budgets."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from congress.roles import Role
from congress.services import user_assign_role
from deputies.choices import InvitationSource, OpinionStatus
from deputies.models import Deputy, Invitation, Meeting, MeetingOpinion
from deputies.services.activities import invitation_respond
from deputies.services.meetings import meeting_invite, meeting_opinion_record, opinion_hand_over
from tests.congress.factories import UserFactory
from tests.deputies.factories import MandateFactory
from tests.deputies.factories_meetings import MeetingOpinionFactory, meeting_with_sitting
from tests.queries import assert_same_query_count


@pytest.fixture
def meeting(world):
    meeting = meeting_with_sitting(term=world.a.term, title="常委会第三十次会议")
    meeting.topics.create(congress=meeting.congress, title="义务教育", committee=world.a.committee)
    return meeting


@pytest.fixture
def meeting_b(world):
    return meeting_with_sitting(term=world.b.term)


@pytest.fixture
def accepted(meeting, office_user, deputy_user):
    """The signed-in deputy invited to the meeting and accepted."""
    deputy = Deputy.objects.get(user=deputy_user)
    meeting_invite(actor=office_user, meeting=meeting, deputy_ids=[deputy.pk])
    invitation_respond(
        invitation=Invitation.objects.get(activity__meeting=meeting, deputy=deputy), actor=deputy_user, accept=True
    )
    return deputy


@pytest.fixture
def opinion(meeting, accepted, deputy_user):
    return meeting_opinion_record(actor=deputy_user, meeting=meeting, content="建议增加学位供给")


# --- access ---------------------------------------------------------------------------------------

DESK_PAGES = [
    ("deputies:work_meetings", False),
    ("deputies:work_meeting", True),
    ("deputies:work_meeting_opinions", True),
]


@pytest.mark.parametrize(("name", "with_pk"), DESK_PAGES)
def test_desk_pages_redirect_anonymous_to_login(client, meeting, name, with_pk):
    response = client.get(reverse(name, args=[meeting.pk] if with_pk else []))
    assert response.status_code == 302
    assert "login" in response["Location"]


@pytest.mark.parametrize(("name", "with_pk"), DESK_PAGES)
@pytest.mark.parametrize("role", ["deputy_user", "unit_user", "station_user"])
def test_desk_pages_refuse_other_roles(client, request, meeting, name, with_pk, role):
    client.force_login(request.getfixturevalue(role))
    assert client.get(reverse(name, args=[meeting.pk] if with_pk else [])).status_code == 403


@pytest.mark.parametrize(("name", "with_pk"), DESK_PAGES)
@pytest.mark.parametrize("role", ["office_user", "committee_user", "leader_user"])
def test_desk_pages_answer_staff_and_leaders(client, request, meeting, opinion, name, with_pk, role):
    client.force_login(request.getfixturevalue(role))
    assert client.get(reverse(name, args=[meeting.pk] if with_pk else [])).status_code == 200


@pytest.mark.parametrize("name", ["deputies:work_meeting", "deputies:work_meeting_opinions"])
def test_meeting_of_another_congress_is_not_found(client, office_user, meeting_b, name):
    client.force_login(office_user)
    assert client.get(reverse(name, args=[meeting_b.pk])).status_code == 404


def test_list_shows_counts_and_the_term_coverage(client, office_user, meeting, accepted):
    # given one of the term's three deputies (two of the world's, the dual one, and the signed-in one) invited
    client.force_login(office_user)

    # when the desk list is read
    response = client.get(reverse("deputies:work_meetings"))

    # then the meeting counts one invited and the coverage is 1 of 4
    listed = list(response.context["page"].object_list)
    assert [(m.pk, m.invited_count, m.attended_count) for m in listed] == [(meeting.pk, 1, 0)]
    coverage = response.context["coverage"]
    assert (coverage.covered, coverage.deputies_in_term) == (1, 4)


def test_detail_shows_the_planner_proposal_with_reasons(client, office_user, meeting):
    client.force_login(office_user)
    response = client.get(reverse("deputies:work_meeting", args=[meeting.pk]))
    proposal = response.context["proposal"]
    assert len(proposal.proposed) == 3  # everyone in the term: fewer than the fewest
    assert all(person.reasons for person in proposal.proposed)
    assert "Invite these" in response.content.decode() or "邀请" in response.content.decode()


def test_leader_sees_the_proposal_without_the_invite_button(client, leader_user, meeting):
    client.force_login(leader_user)
    response = client.get(reverse("deputies:work_meeting", args=[meeting.pk]))
    assert response.context["can_write"] is False


# --- moves ----------------------------------------------------------------------------------------


def test_create_meeting_page_creates_and_redirects(client, world, office_user):
    client.force_login(office_user)
    response = client.post(
        reverse("deputies:work_meeting_create") + f"?term={world.a.term.pk}",
        {"title": "常委会第三十一次会议", "starts_on": "2026-08-27", "ends_on": "2026-08-28"},
    )
    meeting = Meeting.objects.get(title="常委会第三十一次会议")
    assert response.status_code == 302
    assert meeting.activities.filter(kind="sc_sitting").count() == 1


def test_leader_cannot_create_a_meeting(client, leader_user):
    client.force_login(leader_user)
    assert client.get(reverse("deputies:work_meeting_create")).status_code == 403


def test_invite_these_invites_the_planner_proposal(client, world, office_user, meeting):
    # given the proposal shown on the page
    client.force_login(office_user)
    proposed = client.get(reverse("deputies:work_meeting", args=[meeting.pk])).context["proposal"].deputy_ids

    # when "invite these" is pressed
    client.post(reverse("deputies:work_meeting_invite", args=[meeting.pk]), {"planner": "1", "deputies": proposed})

    # then they are invited by the planner
    invited = Invitation.objects.filter(activity__meeting=meeting, source=InvitationSource.PLANNER)
    assert sorted(invited.values_list("deputy_id", flat=True)) == sorted(proposed)


def test_manual_invite_beyond_the_most_shows_the_error(client, world, office_user, meeting):
    # given a meeting of at most 2
    Meeting.objects.filter(pk=meeting.pk).update(invitees_min=1, invitees_max=2)
    client.force_login(office_user)
    ids = [MandateFactory(term=world.a.term).deputy.pk for _ in range(3)]

    # when three are invited by hand
    response = client.post(reverse("deputies:work_meeting_invite", args=[meeting.pk]), {"deputies": ids}, follow=True)

    # then none is invited and the page says why
    assert not Invitation.objects.filter(activity__meeting=meeting).exists()
    assert any("2" in str(message) for message in response.context["messages"])


def test_pre_meeting_activity_form_creates_it(client, office_user, meeting):
    client.force_login(office_user)
    client.post(
        reverse("deputies:work_meeting_pre_activity", args=[meeting.pk]),
        {
            "kind": "pre_meeting_research",
            "title": "会前调研义务教育",
            "starts_at": "2026-06-15T09:00",
            "ends_at": "2026-06-15T17:00",
            "hours": "3",
            "invite_invitees": "on",
        },
    )
    assert meeting.activities.filter(kind="pre_meeting_research", title="会前调研义务教育").exists()


def test_opinions_export_to_excel(client, office_user, meeting, opinion):
    client.force_login(office_user)
    response = client.get(reverse("deputies:work_meeting_opinions", args=[meeting.pk]) + "?format=xlsx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")


def test_hand_over_from_the_opinions_page(client, world, office_user, opinion):
    client.force_login(office_user)
    client.post(reverse("deputies:work_opinion_hand_over", args=[opinion.pk]), {"handling_unit": world.a.unit.pk})
    assert MeetingOpinion.objects.get(pk=opinion.pk).status == OpinionStatus.HANDED


def test_leader_cannot_hand_over(client, world, leader_user, opinion):
    client.force_login(leader_user)
    response = client.post(
        reverse("deputies:work_opinion_hand_over", args=[opinion.pk]), {"handling_unit": world.a.unit.pk}
    )
    assert response.status_code == 403


def test_staff_record_an_opinion_for_an_attending_deputy(client, office_user, meeting, accepted):
    client.force_login(office_user)
    client.post(
        reverse("deputies:work_meeting_opinion_record", args=[meeting.pk]),
        {"deputy": accepted.pk, "content": "会上口头意见"},
    )
    assert MeetingOpinion.objects.filter(deputy=accepted, content="会上口头意见").exists()


# --- units' desk ----------------------------------------------------------------------------------


def test_unit_desk_lists_only_the_units_opinions_and_answers(client, world, office_user, unit_user, meeting, opinion):
    # given one opinion handed to A's unit and one to its child unit
    opinion_hand_over(actor=office_user, opinion=opinion, handling_unit=world.a.unit)
    other = MeetingOpinionFactory(meeting=meeting, deputy=world.a.deputies[0])
    opinion_hand_over(actor=office_user, opinion=other, handling_unit=world.a.child_unit)
    client.force_login(unit_user)

    # when the unit's staff read their desk
    listed = list(client.get(reverse("deputies:desk_meeting_opinions")).context["page"].object_list)

    # then only theirs, and they can answer it but not the other one
    assert listed == [opinion]
    client.post(reverse("deputies:desk_meeting_opinion_answer", args=[opinion.pk]), {"answer": "已研究采纳"})
    assert MeetingOpinion.objects.get(pk=opinion.pk).status == OpinionStatus.ANSWERED
    response = client.post(reverse("deputies:desk_meeting_opinion_answer", args=[other.pk]), {"answer": "答复"})
    assert response.status_code == 404


@pytest.mark.parametrize("role", ["office_user", "deputy_user", "leader_user"])
def test_unit_desk_is_for_unit_staff(client, request, role):
    client.force_login(request.getfixturevalue(role))
    assert client.get(reverse("deputies:desk_meeting_opinions")).status_code == 403


def test_unit_desk_redirects_anonymous(client, world):
    assert client.get(reverse("deputies:desk_meeting_opinions")).status_code == 302


def test_unit_desk_query_count_does_not_grow(client, world, office_user, unit_user, meeting, django_assert_num_queries):
    client.force_login(unit_user)

    def add_rows():
        for n in range(18):
            opinion = MeetingOpinionFactory(meeting=meeting, deputy=world.a.deputies[n % 2])
            opinion_hand_over(actor=office_user, opinion=opinion, handling_unit=world.a.unit)

    for _ in range(2):
        opinion = MeetingOpinionFactory(meeting=meeting, deputy=world.a.deputies[0])
        opinion_hand_over(actor=office_user, opinion=opinion, handling_unit=world.a.unit)
    _few, many = assert_same_query_count(
        django_assert_num_queries,
        fetch=lambda: client.get(reverse("deputies:desk_meeting_opinions")),
        add_rows=add_rows,
    )
    assert len(many.context["page"].object_list) == 20


# --- deputy portal --------------------------------------------------------------------------------


def test_portal_meeting_shows_my_status_and_takes_an_opinion(client, deputy_user, meeting, accepted):
    # given the deputy accepted
    client.force_login(deputy_user)

    # when they read the meeting and send an opinion
    response = client.get(reverse("deputies:portal_meeting", args=[meeting.pk]))
    client.post(reverse("deputies:portal_meeting", args=[meeting.pk]), {"content": "建议加快学校建设"})

    # then they saw their status and the opinion is theirs
    assert response.context["invitation"].status == "accepted"
    assert response.context["may_raise"] is True
    assert MeetingOpinion.objects.filter(deputy=accepted, content="建议加快学校建设").exists()


def test_portal_meeting_refuses_an_opinion_before_accepting(client, deputy_user, office_user, meeting):
    deputy = Deputy.objects.get(user=deputy_user)
    meeting_invite(actor=office_user, meeting=meeting, deputy_ids=[deputy.pk])
    client.force_login(deputy_user)
    response = client.post(reverse("deputies:portal_meeting", args=[meeting.pk]), {"content": "意见"}, follow=True)
    assert not MeetingOpinion.objects.exists()
    assert response.status_code == 200


def test_portal_meeting_shows_the_answer(client, world, deputy_user, office_user, opinion):
    opinion_hand_over(actor=office_user, opinion=opinion, handling_unit=world.a.unit)
    unit_staff = user_assign_role(user=UserFactory(), role=Role.UNIT, congress=world.a.congress, unit=world.a.unit)
    from deputies.services.meetings import opinion_answer

    opinion_answer(actor=unit_staff, opinion=opinion, answer="已纳入年度计划")
    client.force_login(deputy_user)
    response = client.get(reverse("deputies:portal_meeting", args=[opinion.meeting_id]))
    assert "已纳入年度计划" in response.content.decode()


def test_portal_meeting_of_another_congress_is_not_found(client, other_deputy_user, meeting):
    client.force_login(other_deputy_user)
    assert client.get(reverse("deputies:portal_meeting", args=[meeting.pk])).status_code == 404


@pytest.mark.parametrize("name", ["deputies:portal_meetings", "deputies:portal_meeting"])
def test_portal_pages_are_for_deputies(client, office_user, meeting, name):
    args = [meeting.pk] if name == "deputies:portal_meeting" else []
    assert client.get(reverse(name, args=args)).status_code == 302
    client.force_login(office_user)
    assert client.get(reverse(name, args=args)).status_code == 403


def test_portal_list_shows_my_invitations(client, deputy_user, meeting, accepted):
    client.force_login(deputy_user)
    listed = list(client.get(reverse("deputies:portal_meetings")).context["page"].object_list)
    assert [invitation.activity.meeting_id for invitation in listed] == [meeting.pk]


# --- query budgets --------------------------------------------------------------------------------


def test_desk_list_query_count_does_not_grow(client, world, office_user, django_assert_num_queries):
    client.force_login(office_user)
    for n in range(2):
        meeting_with_sitting(term=world.a.term, number=n + 1)

    def add_rows():
        for n in range(18):
            meeting_with_sitting(
                term=world.a.term, number=10 + n, starts_on=datetime.date(2026, 1, 1) + datetime.timedelta(n)
            )

    assert_same_query_count(
        django_assert_num_queries, fetch=lambda: client.get(reverse("deputies:work_meetings")), add_rows=add_rows
    )


def test_detail_query_count_does_not_grow_with_invitees(client, world, office_user, meeting, django_assert_num_queries):
    client.force_login(office_user)
    Meeting.objects.filter(pk=meeting.pk).update(invitees_max=40)
    meeting_invite(actor=office_user, meeting=meeting, deputy_ids=[d.pk for d in world.a.deputies])

    def add_rows():
        ids = [MandateFactory(term=world.a.term).deputy.pk for _ in range(18)]
        meeting_invite(actor=office_user, meeting=meeting, deputy_ids=ids)

    assert_same_query_count(
        django_assert_num_queries,
        fetch=lambda: client.get(reverse("deputies:work_meeting", args=[meeting.pk])),
        add_rows=add_rows,
    )


def test_opinions_page_query_count_does_not_grow(client, world, office_user, meeting, django_assert_num_queries):
    client.force_login(office_user)
    MeetingOpinionFactory.create_batch(2, meeting=meeting, deputy=world.a.deputies[0], handling_unit=world.a.unit)
    assert_same_query_count(
        django_assert_num_queries,
        fetch=lambda: client.get(reverse("deputies:work_meeting_opinions", args=[meeting.pk])),
        add_rows=lambda: MeetingOpinionFactory.create_batch(
            18, meeting=meeting, deputy=world.a.deputies[1], handling_unit=world.a.unit
        ),
    )
