"""The loop in the daily sweep: each milestone once (run twice → once), overdue to the station and
the district, a new tier brings new reminders, dry runs write nothing, quiet closing, and the sweep
is registered with the suggestions' run_reminders."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from congress.models import Notification
from liaison_stations.choices import Channel, IssueStatus
from liaison_stations.models import PublicIssue
from liaison_stations.reminders import TARGET_TYPE, sweep_issues
from liaison_stations.services import issues as services
from suggestions.models import ReminderDispatch
from tests.queries import assert_same_query_count

pytestmark = pytest.mark.django_db

MONDAY = datetime.date(2030, 3, 4)


@pytest.fixture
def accept(world, station_user):
    def make(tier: int = 1, **kwargs: Any) -> PublicIssue:
        issue = services.issue_submit(
            congress=world.a.congress,
            channel=Channel.VISIT,
            content="菜市场门口积水严重，雨天无法通行",
            station=world.a.station,
            actor=station_user,
            on=MONDAY,
            **kwargs,
        )
        # The intake went out (the task's job); these tests are about the deadlines.
        PublicIssue.objects.filter(pk=issue.pk).update(intake_notified_at=issue.created_at)
        return services.issue_screen(
            issue=issue,
            actor=station_user,
            accept=True,
            tier=tier,
            handling_unit=world.a.unit if tier == 3 else None,
            on=MONDAY,
        )

    return make


def kinds() -> list[tuple[int, str, datetime.date]]:
    return sorted(ReminderDispatch.objects.filter(target_type=TARGET_TYPE).values_list("target_id", "kind", "due_on"))


def test_before_due_and_overdue_go_out_once_each(accept, station_user, office_user):
    # given an issue at tier 1 due on Wednesday (accepted Monday, 2 working days)
    issue = accept(1)
    assert issue.due_on == datetime.date(2030, 3, 6)

    # when the sweep runs on Monday: nothing yet
    assert sweep_issues(as_of=MONDAY)["reminders"] == 0

    # Tuesday (1 working day before), twice
    first = sweep_issues(as_of=datetime.date(2030, 3, 5))
    second = sweep_issues(as_of=datetime.date(2030, 3, 5))
    assert (first["reminders"], second["reminders"]) == (1, 0)

    # Wednesday (due), Thursday (overdue) twice, Friday
    sweep_issues(as_of=datetime.date(2030, 3, 6))
    overdue = sweep_issues(as_of=datetime.date(2030, 3, 7))
    sweep_issues(as_of=datetime.date(2030, 3, 7))
    sweep_issues(as_of=datetime.date(2030, 3, 8))

    # then each milestone went out once, keyed by the due date
    due = issue.due_on
    assert kinds() == [(issue.pk, "tier1_before", due), (issue.pk, "tier1_due", due), (issue.pk, "tier1_overdue", due)]
    assert overdue["overdue"] == 1
    # the station had all three; the district (office) heard only that it is overdue
    assert Notification.objects.filter(user=station_user).count() == 3
    assert Notification.objects.filter(user=office_user).count() == 1
    assert str(due) in Notification.objects.get(user=office_user).title


def test_a_missed_week_sends_only_the_overdue_notice(accept):
    issue = accept(1)
    result = sweep_issues(as_of=datetime.date(2030, 3, 15))
    assert result["reminders"] == 1
    assert kinds() == [(issue.pk, "tier1_overdue", issue.due_on)]


def test_a_new_tier_brings_new_reminders(accept, station_user):
    # given an issue overdue at tier 1, told once
    issue = accept(1)
    sweep_issues(as_of=datetime.date(2030, 3, 7))

    # when it is raised to tier 2 on Thursday and becomes overdue there too
    issue = services.issue_escalate(issue=issue, actor=station_user, on=datetime.date(2030, 3, 7))
    sweep_issues(as_of=issue.due_on + datetime.timedelta(days=1))

    # then tier 2's overdue notice went out as well
    assert [kind for _pk, kind, _due in kinds()] == ["tier1_overdue", "tier2_overdue"]


def test_screening_is_reminded_while_submitted(world, station_user):
    issue = services.issue_submit(
        congress=world.a.congress, channel=Channel.QR, content="路灯坏了好几天了", station=world.a.station, on=MONDAY
    )
    sweep_issues(as_of=issue.due_on)
    assert [kind for _pk, kind, _due in kinds()] == ["screening_due"]


def test_tier_3_reminders_go_to_the_unit(accept, unit_user, station_user):
    issue = accept(3)
    sweep_issues(as_of=issue.due_on)
    assert Notification.objects.filter(user=unit_user).count() == 1
    assert not Notification.objects.filter(user=station_user, title__contains=issue.tracking_code).exists()


def test_answered_issues_are_not_reminded(accept, station_user):
    issue = accept(1)
    services.issue_answer(issue=issue, actor=station_user, body="已处理")
    assert sweep_issues(as_of=datetime.date(2030, 3, 7))["reminders"] == 0


def test_a_dry_run_writes_and_sends_nothing(accept):
    accept(1)
    result = sweep_issues(as_of=datetime.date(2030, 3, 7), dry_run=True)
    assert result["reminders"] == 1
    assert not ReminderDispatch.objects.exists()
    assert not Notification.objects.exists()


def test_the_sweep_closes_quiet_issues(accept, station_user):
    issue = services.issue_answer(issue=accept(1), actor=station_user, body="已处理")
    day = PublicIssue.objects.get(pk=issue.pk).answered_at.date() + datetime.timedelta(days=7)
    assert sweep_issues(as_of=day)["closed_quiet"] == 1
    assert PublicIssue.objects.get(pk=issue.pk).status == IssueStatus.CLOSED


def test_the_sweep_reads_in_chunks_with_constant_queries(accept, django_assert_num_queries):
    # given two overdue issues, then twenty: the sweep's reads do not grow per row beyond sending
    accept(1)
    accept(1)
    day = datetime.date(2030, 3, 7)
    assert_same_query_count(
        django_assert_num_queries,
        lambda: sweep_issues(as_of=day, dry_run=True, chunk_size=50),
        lambda: [accept(1) for _ in range(18)],
    )


def test_the_sweep_runs_inside_run_reminders_when_registered(accept):
    from suggestions import reminders

    reminders.register_sweep("stations.issues", sweep_issues)
    accept(1)
    report = reminders.run_reminders(as_of=datetime.date(2030, 3, 7))
    assert report.other_sweeps["stations.issues"]["overdue"] == 1


def test_sending_takes_as_many_queries_for_twenty_issues_as_for_two(accept, world, office_user):
    # given two tier-1 issues, each written to its own deputy (with an account), overdue on Thursday
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.congress.factories import UserFactory
    from tests.deputies.factories import DeputyFactory, MandateFactory

    def written_to_a_deputy() -> PublicIssue:
        deputy = MandateFactory(term=world.a.term, deputy=DeputyFactory(user=UserFactory())).deputy
        return accept(1, deputy=deputy)

    thursday = datetime.date(2030, 3, 7)
    first = [written_to_a_deputy() for _ in range(2)]

    # when the sweep sends their reminders, and later those of twenty more
    with CaptureQueriesContext(connection) as two:
        assert sweep_issues(as_of=thursday, chunk_size=50)["reminders"] == 2
    more = [written_to_a_deputy() for _ in range(20)]
    with CaptureQueriesContext(connection) as twenty:
        assert sweep_issues(as_of=thursday, chunk_size=50)["reminders"] == 20

    # then the people are read per batch, not per issue: as many queries either way
    assert len(twenty) == len(two)
    # and each deputy written to heard of their own issue once
    for issue in first + more:
        assert Notification.objects.filter(user=issue.deputy.user).count() == 1
    assert ReminderDispatch.objects.filter(target_type=TARGET_TYPE).count() == 22
