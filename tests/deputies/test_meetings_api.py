"""API of meetings: the planner contract (`POST /api/v1/meetings/{id}/propose-attendees/`), meetings,
invitations, opinions with hand-over and answer — shapes, status codes, access and query budgets."""

from __future__ import annotations

import datetime

import pytest
from rest_framework.test import APIClient

from deputies.choices import InvitationSource, OpinionStatus
from deputies.models import Deputy, Invitation, Meeting, MeetingOpinion
from deputies.services.activities import activity_hold, invitation_respond
from deputies.services.meetings import meeting_invite, meeting_opinion_record, meeting_sitting, opinion_hand_over
from tests.congress.factories import TermFactory
from tests.deputies.factories import MandateFactory
from tests.deputies.factories_meetings import MeetingOpinionFactory, meeting_with_sitting
from tests.queries import assert_same_query_count


def propose_url(meeting):
    return f"/api/v1/meetings/{meeting.pk}/propose-attendees/"


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def term(world):
    """A fresh term of A with 40 deputies and two meetings (target ceil(40/2) within 8–16 = 16)."""
    term = TermFactory(congress=world.a.congress, number=9)
    for _ in range(40):
        MandateFactory(term=term)
    return term


@pytest.fixture
def meeting(term):
    first = meeting_with_sitting(term=term, number=1, starts_on=datetime.date(2026, 10, 28))
    meeting_with_sitting(term=term, number=2, starts_on=datetime.date(2026, 12, 23))
    first.topics.create(congress=first.congress, title="财政预算调整")
    return first


@pytest.fixture
def meeting_a(world):
    """A meeting of A's main term (where the signed-in deputy serves)."""
    return meeting_with_sitting(term=world.a.term)


# --- the planner contract -------------------------------------------------------------------------


def test_propose_answers_coverage_and_proposal(api, office_user, meeting):
    # given office staff of A
    api.force_authenticate(office_user)

    # when the planner is asked without inviting
    response = api.post(propose_url(meeting), {"invite": False}, format="json")

    # then 200 with coverage and 16 proposed deputies with reasons, nothing invited
    assert response.status_code == 200
    body = response.json()
    assert body["coverage"] == {
        "deputies_in_term": 40,
        "covered": 0,
        "uncovered": 40,
        "meetings_left": 2,
        "percent": 0,
    }
    assert len(body["proposed"]) == 16
    first = body["proposed"][0]
    assert set(first) == {"deputy", "name", "delegation", "category", "sittings", "reasons"}
    assert first["reasons"]
    assert not Invitation.objects.filter(activity__meeting=meeting).exists()


def test_propose_with_invite_creates_planner_invitations(api, office_user, meeting):
    api.force_authenticate(office_user)

    response = api.post(propose_url(meeting), {"invite": True}, format="json")

    assert response.status_code == 201
    body = response.json()
    invited = Invitation.objects.filter(activity__meeting=meeting)
    assert invited.count() == len(body["invited"]) == 16
    assert set(invited.values_list("source", flat=True)) == {InvitationSource.PLANNER}
    assert {row["deputy"] for row in body["invited"]} == {row["deputy"] for row in body["proposed"]}
    assert body["coverage"]["covered"] == 16


def test_propose_with_size(api, committee_user, meeting):
    api.force_authenticate(committee_user)
    response = api.post(propose_url(meeting), {"invite": True, "size": 9}, format="json")
    assert response.status_code == 201
    assert len(response.json()["invited"]) == 9


def test_propose_beyond_the_most_is_400(api, office_user, meeting):
    # given 10 already invited to a meeting of at most 16
    api.force_authenticate(office_user)
    api.post(propose_url(meeting), {"invite": True, "size": 10}, format="json")

    # when 7 more are asked for
    response = api.post(propose_url(meeting), {"invite": True, "size": 7}, format="json")

    # then 400 naming the size, and nothing more invited
    assert response.status_code == 400
    assert "size" in response.json()["errors"]
    assert Invitation.objects.filter(activity__meeting=meeting).count() == 10


def test_propose_on_a_full_meeting_is_400(api, office_user, meeting):
    api.force_authenticate(office_user)
    api.post(propose_url(meeting), {"invite": True}, format="json")
    response = api.post(propose_url(meeting), {"invite": True}, format="json")
    assert response.status_code == 400


def test_propose_with_invite_on_a_held_meeting_is_409(api, office_user, meeting):
    activity_hold(activity=meeting_sitting(meeting), actor=office_user)
    api.force_authenticate(office_user)
    response = api.post(propose_url(meeting), {"invite": True}, format="json")
    assert response.status_code == 409


def test_propose_rejects_a_bad_size(api, office_user, meeting):
    api.force_authenticate(office_user)
    assert api.post(propose_url(meeting), {"size": "many"}, format="json").status_code == 400


def test_leader_reads_the_proposal_but_cannot_invite(api, leader_user, meeting):
    api.force_authenticate(leader_user)
    assert api.post(propose_url(meeting), {"invite": False}, format="json").status_code == 200
    assert api.post(propose_url(meeting), {"invite": True}, format="json").status_code == 403


def test_deputy_gets_no_planner(api, deputy_user, meeting_a):
    api.force_authenticate(deputy_user)
    assert api.post(propose_url(meeting_a), {}, format="json").status_code == 403


@pytest.mark.parametrize("role", ["unit_user", "station_user", "office_user_b", "other_deputy_user"])
def test_planner_of_a_meeting_out_of_scope_is_404(api, request, meeting, role):
    api.force_authenticate(request.getfixturevalue(role))
    assert api.post(propose_url(meeting), {}, format="json").status_code == 404


def test_planner_needs_a_login(api, meeting):
    assert api.post(propose_url(meeting), {}, format="json").status_code in {401, 403}


def test_planner_query_count_does_not_grow(api, office_user, world, term, meeting, django_assert_num_queries):
    api.force_authenticate(office_user)
    assert_same_query_count(
        django_assert_num_queries,
        fetch=lambda: api.post(propose_url(meeting), {}, format="json"),
        add_rows=lambda: [MandateFactory(term=term) for _ in range(30)],
    )


# --- meetings -------------------------------------------------------------------------------------


def test_deputy_lists_meetings_of_their_congress_without_coverage(api, deputy_user, meeting_a, world):
    # given a meeting in A and one in B
    meeting_with_sitting(term=world.b.term)
    api.force_authenticate(deputy_user)

    # when the deputy lists and reads
    listed = api.get("/api/v1/meetings/").json()["results"]
    detail = api.get(f"/api/v1/meetings/{meeting_a.pk}/").json()

    # then only A's meeting, and no coverage for them
    assert [row["id"] for row in listed] == [meeting_a.pk]
    assert detail["coverage"] is None


def test_staff_read_a_meeting_with_agenda_and_coverage(api, office_user, meeting):
    api.force_authenticate(office_user)
    body = api.get(f"/api/v1/meetings/{meeting.pk}/").json()
    assert [topic["title"] for topic in body["agenda"]] == ["财政预算调整"]
    assert body["coverage"]["deputies_in_term"] == 40


@pytest.mark.parametrize("role", ["unit_user", "office_user_b"])
def test_meeting_out_of_scope_is_404(api, request, meeting, role):
    api.force_authenticate(request.getfixturevalue(role))
    assert api.get(f"/api/v1/meetings/{meeting.pk}/").status_code == 404


def test_meeting_list_query_count_does_not_grow(api, office_user, world, django_assert_num_queries):
    api.force_authenticate(office_user)
    for n in range(2):
        meeting_with_sitting(term=world.a.term, number=n + 1)
    assert_same_query_count(
        django_assert_num_queries,
        fetch=lambda: api.get("/api/v1/meetings/"),
        add_rows=lambda: [meeting_with_sitting(term=world.a.term, number=10 + n) for n in range(18)],
    )


def test_invite_action(api, office_user, meeting, term):
    api.force_authenticate(office_user)
    ids = list(Deputy.objects.filter(mandates__term=term).values_list("pk", flat=True)[:3])
    response = api.post(f"/api/v1/meetings/{meeting.pk}/invite/", {"deputies": ids}, format="json")
    assert response.status_code == 201
    assert response.json()["coming"] == 3
    assert response.json()["warning"]


def test_invite_beyond_the_most_is_400(api, office_user, meeting, term):
    api.force_authenticate(office_user)
    ids = list(Deputy.objects.filter(mandates__term=term).values_list("pk", flat=True)[:17])
    response = api.post(f"/api/v1/meetings/{meeting.pk}/invite/", {"deputies": ids}, format="json")
    assert response.status_code == 400
    assert "deputies" in response.json()["errors"]
    assert not Invitation.objects.filter(activity__meeting=meeting).exists()


@pytest.mark.parametrize("role", ["leader_user", "deputy_user"])
def test_invite_is_for_work_staff(api, request, meeting_a, world, role):
    api.force_authenticate(request.getfixturevalue(role))
    response = api.post(
        f"/api/v1/meetings/{meeting_a.pk}/invite/", {"deputies": [world.a.deputies[0].pk]}, format="json"
    )
    assert response.status_code == 403


# --- opinions -------------------------------------------------------------------------------------


@pytest.fixture
def accepted(meeting_a, office_user, deputy_user):
    deputy = Deputy.objects.get(user=deputy_user)
    meeting_invite(actor=office_user, meeting=meeting_a, deputy_ids=[deputy.pk])
    invitation_respond(
        invitation=Invitation.objects.get(activity__meeting=meeting_a, deputy=deputy), actor=deputy_user, accept=True
    )
    return deputy


def test_deputy_raises_an_opinion(api, deputy_user, meeting_a, accepted):
    api.force_authenticate(deputy_user)
    topic = meeting_a.topics.create(congress=meeting_a.congress, title="教育")

    response = api.post(
        f"/api/v1/meetings/{meeting_a.pk}/opinions/", {"content": "建议", "topic": topic.pk}, format="json"
    )

    assert response.status_code == 201
    assert response.json()["topic_title"] == "教育"
    assert api.get(f"/api/v1/meetings/{meeting_a.pk}/opinions/").json()["count"] == 1


def test_deputy_not_accepted_gets_409(api, deputy_user, meeting_a):
    api.force_authenticate(deputy_user)
    response = api.post(f"/api/v1/meetings/{meeting_a.pk}/opinions/", {"content": "建议"}, format="json")
    assert response.status_code == 409


def test_opinion_without_content_is_400(api, deputy_user, meeting_a, accepted):
    api.force_authenticate(deputy_user)
    assert api.post(f"/api/v1/meetings/{meeting_a.pk}/opinions/", {}, format="json").status_code == 400


@pytest.fixture
def opinion(meeting_a, accepted, deputy_user):
    return meeting_opinion_record(actor=deputy_user, meeting=meeting_a, content="建议加快建设")


def test_hand_over_and_answer(api, world, office_user, unit_user, opinion):
    # given office staff hand the opinion to A's unit
    api.force_authenticate(office_user)
    response = api.post(
        f"/api/v1/meeting-opinions/{opinion.pk}/hand-over/", {"handling_unit": world.a.unit.pk}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["status"] == OpinionStatus.HANDED

    # when the unit's staff answer
    api.force_authenticate(unit_user)
    response = api.post(f"/api/v1/meeting-opinions/{opinion.pk}/answer/", {"answer": "已采纳"}, format="json")

    # then it is answered
    assert response.status_code == 200
    assert MeetingOpinion.objects.get(pk=opinion.pk).status == OpinionStatus.ANSWERED

    # and answering again is 409
    response = api.post(f"/api/v1/meeting-opinions/{opinion.pk}/answer/", {"answer": "再答"}, format="json")
    assert response.status_code == 409


def test_hand_over_twice_is_409(api, world, office_user, opinion):
    api.force_authenticate(office_user)
    url = f"/api/v1/meeting-opinions/{opinion.pk}/hand-over/"
    api.post(url, {"handling_unit": world.a.unit.pk}, format="json")
    assert api.post(url, {"handling_unit": world.a.unit.pk}, format="json").status_code == 409


def test_hand_over_by_a_deputy_is_403(api, world, deputy_user, opinion):
    api.force_authenticate(deputy_user)
    response = api.post(
        f"/api/v1/meeting-opinions/{opinion.pk}/hand-over/", {"handling_unit": world.a.unit.pk}, format="json"
    )
    assert response.status_code == 403


def test_unit_staff_see_only_their_units_opinions(api, world, office_user, unit_user, opinion, meeting_a):
    # given one opinion handed to A's unit and one to another unit, and one not handed
    opinion_hand_over(actor=office_user, opinion=opinion, handling_unit=world.a.unit)
    other = MeetingOpinionFactory(meeting=meeting_a, deputy=world.a.deputies[0])
    opinion_hand_over(actor=office_user, opinion=other, handling_unit=world.a.child_unit)
    not_handed = MeetingOpinionFactory(meeting=meeting_a, deputy=world.a.deputies[1])
    api.force_authenticate(unit_user)

    # then the unit lists only theirs, and the others are 404
    assert [row["id"] for row in api.get("/api/v1/meeting-opinions/").json()["results"]] == [opinion.pk]
    assert api.get(f"/api/v1/meeting-opinions/{other.pk}/").status_code == 404
    assert api.get(f"/api/v1/meeting-opinions/{not_handed.pk}/").status_code == 404
    response = api.post(f"/api/v1/meeting-opinions/{other.pk}/answer/", {"answer": "答复"}, format="json")
    assert response.status_code == 404


def test_other_congress_staff_do_not_see_opinions(api, office_user_b, opinion):
    api.force_authenticate(office_user_b)
    assert api.get(f"/api/v1/meeting-opinions/{opinion.pk}/").status_code == 404


def test_opinion_list_query_count_does_not_grow(api, world, office_user, meeting_a, django_assert_num_queries):
    api.force_authenticate(office_user)
    MeetingOpinionFactory.create_batch(2, meeting=meeting_a, deputy=world.a.deputies[0], handling_unit=world.a.unit)
    assert_same_query_count(
        django_assert_num_queries,
        fetch=lambda: api.get("/api/v1/meeting-opinions/"),
        add_rows=lambda: MeetingOpinionFactory.create_batch(
            18,
            meeting=meeting_a,
            deputy=world.a.deputies[1],
            topic=meeting_a.topics.create(congress=meeting_a.congress, title="议题"),
        ),
    )


def test_meetings_are_ordered_by_date(api, office_user, term):
    later = meeting_with_sitting(term=term, number=5, starts_on=datetime.date(2026, 12, 1))
    earlier = meeting_with_sitting(term=term, number=4, starts_on=datetime.date(2026, 3, 1))
    api.force_authenticate(office_user)
    ids = [row["id"] for row in api.get("/api/v1/meetings/").json()["results"]]
    assert ids.index(earlier.pk) < ids.index(later.pk)
    assert Meeting.objects.count() == 2
