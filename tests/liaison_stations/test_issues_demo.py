"""The demo of the loop loads the station's year once, with the numbers of domain.md §5."""

from __future__ import annotations

from decimal import Decimal

from deputies.models import ActivityRecord, Deputy
from liaison_stations.choices import Channel, IssueStatus
from liaison_stations.demo_issues import seed
from liaison_stations.models import IssueEvent, PublicIssue
from suggestions.models import SupervisionCase
from tests.deputies.factories import MandateFactory


def test_demo_seed_loads_once(world, station_user, deputy_user, settings, tmp_path):
    # given the demo station's congress with deputies, the `station` and `deputy` accounts
    MandateFactory.create_batch(12, term=world.a.term)
    messages: list[str] = []
    context = {
        "station": world.a.station,
        "terms": {"heshan": world.a.term},
        "log": messages.append,
        "password": "demo",
        "accounts": [],
    }

    # when it is seeded twice
    seed(context)
    seed(context)

    # then 77 issues: 59 solved, 16 in progress, 2 not accepted, across the channels
    issues = PublicIssue.objects.filter(station=world.a.station)
    assert issues.count() == 77
    assert issues.filter(status=IssueStatus.CLOSED).count() == 59
    assert issues.filter(status=IssueStatus.NOT_ACCEPTED).count() == 2
    assert issues.exclude(status__in=[IssueStatus.CLOSED, IssueStatus.NOT_ACCEPTED]).count() == 16
    assert set(issues.values_list("channel", flat=True)) >= {
        Channel.QR,
        Channel.VISIT,
        Channel.FORUM,
        Channel.HOTLINE,
        Channel.WECHAT,
        Channel.DEPUTY,
    }
    assert issues.filter(status=IssueStatus.CONVERTED, suggestion__isnull=False).count() == 1
    assert set(issues.filter(status=IssueStatus.HANDLING).values_list("tier", flat=True)) == {1, 2, 3}
    # the demo deputy's QR: 11 collected, 8 solved, 3 in progress; the satisfied ones are in their record
    deputy = Deputy.objects.get(user=deputy_user)
    mine = issues.filter(deputy=deputy, channel=Channel.QR)
    assert (mine.count(), mine.filter(status=IssueStatus.CLOSED).count()) == (11, 8)
    assert ActivityRecord.objects.filter(deputy=deputy, activity_type__code="citizen_issue").count() == 8
    # one hotline issue rated unsatisfied, supervised by a committee
    case = SupervisionCase.objects.get(trigger="hotline")
    assert issues.get(supervision_case=case).channel == Channel.HOTLINE
    # outcomes
    assert issues.filter(people_helped=562, money_involved=Decimal("3680000")).exists()
    assert issues.filter(people_helped=240, money_involved=Decimal("12120000")).exists()
    # every issue has its timeline, dated in the story
    assert IssueEvent.objects.filter(issue__in=issues).values("issue").distinct().count() == 77
    assert messages[-1] == "citizen issues: already loaded"
