"""The issue's story end to end on the pages: a citizen scans a deputy's QR code on a phone, writes,
gets a tracking code; station staff see it arrive and move it through the tiers; the citizen comes
back, reads the answer and rates it; the loop closes and the deputy's record counts it."""

from __future__ import annotations

from django.urls import reverse

from deputies.models import ActivityRecord
from liaison_stations.choices import IssueStatus
from liaison_stations.models import PublicIssue, StationDeputy
from tests.deputies.factories import DeputyFactory, MandateFactory

PHONE = {"HTTP_USER_AGENT": "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Mobile/15E148"}


def test_scan_write_track_screen_escalate_answer_rate(client, world, station_user):
    # given a deputy of congress A who works at A's station
    deputy = MandateFactory(term=world.a.term, deputy=DeputyFactory(name="万楼代表")).deputy
    StationDeputy.objects.create(congress=world.a.congress, station=world.a.station, deputy=deputy)

    # when a citizen scans the QR code and writes on the phone
    form = client.get(reverse("liaison_stations:intake", args=[deputy.public_code]), **PHONE)
    sent = client.post(
        reverse("liaison_stations:intake", args=[deputy.public_code]),
        {
            "content": "桃花仑路三号小区门口路灯坏了一个月，晚上很不安全。",
            "citizen_phone": "13907370001",
            "consent": "on",
        },
        **PHONE,
    )
    thanks = client.get(sent.url, **PHONE)

    # then the issue is saved for that deputy at that station, and the citizen holds its tracking code
    assert form.status_code == 200
    issue = PublicIssue.objects.get()
    assert (issue.deputy, issue.station, issue.status) == (deputy, world.a.station, IssueStatus.SUBMITTED)
    assert issue.tracking_code in thanks.content.decode()

    # when station staff find it on their desk, accept it at tier 1, raise it to tier 2 and answer it
    staff = client.__class__()
    staff.force_login(station_user)
    listed = staff.get(reverse("liaison_stations:issue_list"))
    action = "liaison_stations:issue_action"
    staff.post(reverse(action, args=[issue.pk, "screen"]), {"decision": "accept", "tier": 1})
    staff.post(reverse(action, args=[issue.pk, "escalate"]), {"note": "需街道协调供电所"})
    staff.post(reverse(action, args=[issue.pk, "answer"]), {"body": "街道已协调供电所，路灯已于本周修复。"})

    # then it went through the tiers to answered, one event per move
    assert issue.pk in [row.pk for row in listed.context["page"]]
    issue = PublicIssue.objects.get(pk=issue.pk)
    assert (issue.status, issue.tier) == (IssueStatus.ANSWERED, 2)
    assert list(issue.events.values_list("action", flat=True)) == ["submit", "accept", "escalate", "answer"]

    # when the citizen comes back with the code, reads the answer and rates it satisfied
    tracking = client.get(reverse("liaison_stations:track", args=[issue.tracking_code]), **PHONE)
    client.post(
        reverse("liaison_stations:track", args=[issue.tracking_code]),
        {"rating": "satisfied", "comment": "谢谢"},
        **PHONE,
    )

    # then the answer was shown (the phone masked), the loop is closed, and the deputy's record counts it
    page = tracking.content.decode()
    assert "路灯已于本周修复" in page
    assert "13907370001" not in page
    issue = PublicIssue.objects.get(pk=issue.pk)
    assert (issue.status, issue.rating, issue.close_reason) == (IssueStatus.CLOSED, "satisfied", "confirmed")
    assert ActivityRecord.objects.filter(deputy=deputy, activity_type__code="citizen_issue").count() == 1
