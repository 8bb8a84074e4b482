"""The demo of meetings loads on a small city (and a second run adds nothing)."""

from __future__ import annotations

from congress.models import Committee
from deputies.choices import ActivityKind, ActivityState, InvitationStatus
from deputies.demo_meetings import seed
from deputies.models import Activity, Deputy, Invitation, Meeting, MeetingOpinion
from tests.congress.factories import CommitteeFactory
from tests.deputies.factories import DelegationFactory, MandateFactory

KEYS = ["legal", "finance", "education", "social", "environment", "agriculture", "justice"]


def test_demo_seed_loads_once(world, office_user, unit_user, deputy_user):
    # given a city of 60 deputies, its committees and units, and the office, unit and deputy accounts
    delegations = DelegationFactory.create_batch(3, term=world.a.term)
    for n in range(60):
        MandateFactory(term=world.a.term, delegation=delegations[n % 3])
    committees = {key: CommitteeFactory(congress=world.a.congress) for key in KEYS}
    committees["deputy_affairs"] = world.a.office_committee
    world.a.unit.name = "益阳市教育局"
    world.a.unit.save()
    messages = []
    context = {
        "city": world.a.congress,
        "terms": {"city": world.a.term},
        "committees": committees,
        "units": {world.a.unit.name: world.a.unit, world.a.child_unit.name: world.a.child_unit},
        "log": messages.append,
        "password": "demo",
    }

    # when it is seeded twice
    seed(context)
    seed(context)

    # then six meetings, four held, each within 8–16, opinions some handed and answered
    meetings = Meeting.objects.filter(congress=world.a.congress).order_by("starts_on")
    assert meetings.count() == 6
    sittings = Activity.objects.filter(meeting__in=meetings, kind=ActivityKind.SC_SITTING)
    assert sittings.filter(state=ActivityState.HELD).count() == 4
    for meeting in meetings:
        invited = Invitation.objects.filter(activity__meeting=meeting, activity__kind=ActivityKind.SC_SITTING)
        assert 8 <= invited.count() <= 16
    assert MeetingOpinion.objects.count() == 20
    assert MeetingOpinion.objects.filter(status="answered").exists()
    assert Activity.objects.filter(kind=ActivityKind.PRE_MEETING_RESEARCH).count() == 1
    # and the demo deputy sat in once and is invited to an upcoming meeting
    mine = Invitation.objects.filter(deputy=Deputy.objects.get(user=deputy_user), activity__kind="sc_sitting")
    assert sorted(mine.values_list("status", flat=True)) == [InvitationStatus.ATTENDED, InvitationStatus.INVITED]
    assert messages[-1] == "meetings: already loaded"
    assert Committee.objects.filter(congress=world.a.congress).count() >= 8
