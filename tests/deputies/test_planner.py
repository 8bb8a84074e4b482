"""The rotation planner: full coverage over a term, sizes within the meeting's range, preference for
deputies who have not sat in, topic matches and spread; deterministic, with constant queries."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError

from congress.models import Committee
from deputies.choices import DeputyCategory, InvitationSource
from deputies.models import Deputy, Invitation, Mandate
from deputies.planner import propose_attendees, split_keywords
from deputies.services.activities import activity_hold, invitation_mark_attended
from deputies.services.meetings import meeting_invite, meeting_sitting
from tests.congress.factories import CommitteeFactory, TermFactory
from tests.deputies.factories import DelegationFactory, DeputyFactory, MandateFactory
from tests.deputies.factories_meetings import (
    AgendaTopicFactory,
    MembershipForMeetingsFactory,
    ProfessionalGroupForMeetingsFactory,
    meeting_with_sitting,
)

CATEGORIES = list(DeputyCategory.values)


@pytest.fixture
def term(world):
    """A fresh term of congress A (so only the deputies made here serve in it)."""
    return TermFactory(congress=world.a.congress, number=8)


def seat(term, count, *, delegations=None, prefix="代表", category=None):
    made = []
    for n in range(count):
        deputy = DeputyFactory(name=f"{prefix}{n:03d}", category=category or CATEGORIES[n % 4])
        MandateFactory(term=term, deputy=deputy, delegation=delegations[n % len(delegations)] if delegations else None)
        made.append(deputy)
    return made


def meetings(term, count, **fields):
    return [
        meeting_with_sitting(term=term, number=n + 1, starts_on=datetime.date(2026, 2 + 2 * n, 25), **fields)
        for n in range(count)
    ]


def hold_with_everyone_attending(meeting, actor):
    for invitation in Invitation.objects.filter(activity__meeting=meeting):
        invitation_mark_attended(invitation=invitation, actor=actor)
    activity_hold(activity=meeting_sitting(meeting), actor=actor)


def test_full_coverage_over_a_term(world, office_user, term):
    # given 60 deputies in 4 delegations and 5 meetings of 8–16
    delegations = DelegationFactory.create_batch(4, term=term)
    deputies = seat(term, 60, delegations=delegations)
    plan = meetings(term, 5)

    # when each meeting invites the planner's proposal, and everyone invited attends
    sizes = []
    for meeting in plan:
        proposal = propose_attendees(meeting=meeting)
        sizes.append(len(proposal.proposed))
        meeting_invite(
            actor=office_user, meeting=meeting, deputy_ids=proposal.deputy_ids, source=InvitationSource.PLANNER
        )
        hold_with_everyone_attending(meeting, office_user)

    # then every deputy has sat in once, each meeting within 8–16
    attended = set(
        Invitation.objects.filter(activity__meeting__term=term, status="attended").values_list("deputy", flat=True)
    )
    assert attended == {d.pk for d in deputies}
    assert sizes == [12, 12, 12, 12, 12]
    final = propose_attendees(meeting=plan[-1])
    assert (final.coverage.covered, final.coverage.uncovered) == (60, 0)


@pytest.mark.parametrize(("deputies", "meetings_count", "expected"), [(200, 2, 16), (20, 5, 8), (45, 4, 12)])
def test_target_size_is_kept_within_the_range(world, term, deputies, meetings_count, expected):
    # given the deputies and meetings of a term
    seat(term, deputies)
    plan = meetings(term, meetings_count)

    # when the first meeting is planned
    proposal = propose_attendees(meeting=plan[0])

    # then the size is ceil(uncovered / meetings left) within 8–16
    assert len(proposal.proposed) == proposal.target == expected
    assert proposal.coverage.meetings_left == meetings_count


def test_already_invited_count_against_the_target(world, office_user, term):
    # given 5 of 40 deputies invited to the only meeting (target 16)
    deputies = seat(term, 40)
    (meeting,) = meetings(term, 1)
    meeting_invite(actor=office_user, meeting=meeting, deputy_ids=[d.pk for d in deputies[:5]])

    # when planned
    proposal = propose_attendees(meeting=meeting)

    # then 11 more are proposed, none of those already invited
    assert len(proposal.proposed) == 11
    assert not set(proposal.deputy_ids) & {d.pk for d in deputies[:5]}
    assert proposal.already_invited == 5


def test_fewer_candidates_than_the_fewest_proposes_all_there_are(world, term):
    seat(term, 5)
    (meeting,) = meetings(term, 1)
    assert len(propose_attendees(meeting=meeting).proposed) == 5


def test_never_attended_come_first(world, office_user, term):
    # given a deputy who sat in at an earlier meeting and one who never did, named to sort after
    attended, never = seat(term, 2)
    first, second = meetings(term, 2, invitees_min=1, invitees_max=1)
    meeting_invite(actor=office_user, meeting=first, deputy_ids=[attended.pk])
    hold_with_everyone_attending(first, office_user)

    # when one is proposed for the next meeting
    proposal = propose_attendees(meeting=second)

    # then it is the one who never sat in, saying so
    assert proposal.deputy_ids == [never.pk]
    assert proposal.proposed[0].reasons[0] == "本届尚未列席常委会会议"  # "Has not sat in on a meeting this term"


def test_fewest_sittings_among_those_who_sat_in(world, office_user, term):
    # given everyone covered: one deputy twice, the other once
    twice, once = seat(term, 2)
    m1, m2, m3 = meetings(term, 3, invitees_min=1, invitees_max=2)
    meeting_invite(actor=office_user, meeting=m1, deputy_ids=[twice.pk, once.pk])
    hold_with_everyone_attending(m1, office_user)
    meeting_invite(actor=office_user, meeting=m2, deputy_ids=[twice.pk])
    hold_with_everyone_attending(m2, office_user)

    # when one is asked for
    proposal = propose_attendees(meeting=m3, size=1)

    # then the one with fewer sittings
    assert proposal.deputy_ids == [once.pk]
    assert proposal.proposed[0].sittings == 1


def test_topic_match_by_counterpart_group_wins_among_equals(world, term):
    # given an agenda item of the education committee, and a member of its counterpart group sorting last
    deputies = seat(term, 3, category=DeputyCategory.GRASSROOTS)
    (meeting,) = meetings(term, 1, invitees_min=1, invitees_max=1)
    AgendaTopicFactory(meeting=meeting, title="义务教育工作报告", committee=world.a.committee)
    group = ProfessionalGroupForMeetingsFactory(counterpart_committee=world.a.committee, name="教育专业小组")
    MembershipForMeetingsFactory(group=group, deputy=deputies[2])

    # when one is proposed
    proposal = propose_attendees(meeting=meeting)

    # then the group member, with the reason naming the group and item
    assert proposal.deputy_ids == [deputies[2].pk]
    assert any("教育专业小组" in reason and "义务教育工作报告" in reason for reason in proposal.proposed[0].reasons)


def test_topic_match_by_keyword_in_work(world, term):
    # given an item with keywords, and a deputy whose work unit holds one
    deputies = seat(term, 3, category=DeputyCategory.GRASSROOTS)
    Deputy.objects.filter(pk=deputies[1].pk).update(work_unit="市第一人民医院")
    (meeting,) = meetings(term, 1, invitees_min=1, invitees_max=1)
    AgendaTopicFactory(meeting=meeting, title="医疗卫生", keywords="医院，卫生")

    # when one is proposed
    proposal = propose_attendees(meeting=meeting)

    # then that deputy
    assert proposal.deputy_ids == [deputies[1].pk]


def test_topic_match_does_not_beat_never_attended(world, office_user, term):
    # given a group member who already sat in and a non-member who never did
    member, other = seat(term, 2)
    first, second = meetings(term, 2, invitees_min=1, invitees_max=1)
    meeting_invite(actor=office_user, meeting=first, deputy_ids=[member.pk])
    hold_with_everyone_attending(first, office_user)
    AgendaTopicFactory(meeting=second, title="教育", committee=world.a.committee)
    MembershipForMeetingsFactory(group__counterpart_committee=world.a.committee, deputy=member)

    # then the one who never sat in is proposed
    assert propose_attendees(meeting=second).deputy_ids == [other.pk]


def test_spreads_delegations(world, term):
    # given two deputies of delegation A sorting first, and one of delegation B
    delegation_a, delegation_b = DelegationFactory.create_batch(2, term=term)
    a1, _a2 = seat(term, 2, delegations=[delegation_a], prefix="A", category=DeputyCategory.GRASSROOTS)
    (b1,) = seat(term, 1, delegations=[delegation_b], prefix="B", category=DeputyCategory.GRASSROOTS)
    (meeting,) = meetings(term, 1, invitees_min=1, invitees_max=3)

    # when two are asked for
    proposal = propose_attendees(meeting=meeting, size=2)

    # then one of each delegation
    assert proposal.deputy_ids == [a1.pk, b1.pk]


def test_spreads_categories(world, term):
    # given two enterprise deputies sorting first and a grassroots one
    e1, _e2 = seat(term, 2, prefix="A", category=DeputyCategory.ENTERPRISE)
    (g1,) = seat(term, 1, prefix="B", category=DeputyCategory.GRASSROOTS)
    (meeting,) = meetings(term, 1, invitees_min=1, invitees_max=3)

    # then two asked for are of both categories
    assert propose_attendees(meeting=meeting, size=2).deputy_ids == [e1.pk, g1.pk]


def test_proposal_is_deterministic(world, term):
    delegations = DelegationFactory.create_batch(3, term=term)
    seat(term, 30, delegations=delegations)
    meeting, _later = meetings(term, 2)
    AgendaTopicFactory(meeting=meeting, keywords="社区 党委")
    assert propose_attendees(meeting=meeting) == propose_attendees(meeting=meeting)


def test_size_beyond_the_most_is_refused(world, term):
    seat(term, 30)
    (meeting,) = meetings(term, 1)
    with pytest.raises(ValidationError):
        propose_attendees(meeting=meeting, size=17)
    with pytest.raises(ValidationError):
        propose_attendees(meeting=meeting, size=0)


def test_declined_are_not_proposed_again_and_free_their_place(world, office_user, term):
    # given a deputy who declined this meeting
    deputies = seat(term, 20)
    (meeting,) = meetings(term, 1)
    meeting_invite(actor=office_user, meeting=meeting, deputy_ids=[deputies[0].pk])
    invitation = Invitation.objects.get(deputy=deputies[0])
    invitation.decline()
    invitation.save()

    # when planned
    proposal = propose_attendees(meeting=meeting)

    # then they are not proposed, and a full 16 are (the declined place is free)
    assert deputies[0].pk not in proposal.deputy_ids
    assert len(proposal.proposed) == 16


def test_only_serving_deputies_of_the_term_are_candidates(world, term):
    # given a resigned deputy and a deputy of another term of the same congress
    serving = seat(term, 1)
    resigned = seat(term, 1, prefix="辞职")
    Mandate.objects.filter(deputy=resigned[0]).update(status="resigned")
    (meeting,) = meetings(term, 1)

    # then only the serving one is proposed, and only they count
    proposal = propose_attendees(meeting=meeting)
    assert proposal.deputy_ids == [serving[0].pk]
    assert proposal.coverage.deputies_in_term == 1


def test_query_count_does_not_grow_with_deputies(world, term, django_assert_num_queries):
    # given 10 deputies with groups and an agenda
    committee = CommitteeFactory(congress=world.a.congress)
    group = ProfessionalGroupForMeetingsFactory(counterpart_committee=committee, keywords="农业")
    delegations = DelegationFactory.create_batch(2, term=term)
    for deputy in seat(term, 10, delegations=delegations):
        MembershipForMeetingsFactory(group=group, deputy=deputy)
    (meeting,) = meetings(term, 1)
    AgendaTopicFactory(meeting=meeting, committee=committee, keywords="农业")
    assert Committee.objects.filter(pk=committee.pk).exists()

    with django_assert_num_queries(5):
        propose_attendees(meeting=meeting)

    # when 50 more deputies serve
    for deputy in seat(term, 50, delegations=delegations, prefix="新"):
        MembershipForMeetingsFactory(group=group, deputy=deputy)

    # then the same number of queries
    with django_assert_num_queries(5):
        proposal = propose_attendees(meeting=meeting)
    assert len(proposal.proposed) == 16


def test_split_keywords():
    assert split_keywords("教育、学校, 医疗 养老；住房") == ["教育", "学校", "医疗", "养老", "住房"]
