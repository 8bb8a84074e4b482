"""Two workers, two beat runs at once (PostgreSQL: row locks, SKIP LOCKED): the daily sweep of
suggestions and citizens' issues, the outbox sweeper and the intake sweeper each send every reminder
and notice exactly once between them."""

from __future__ import annotations

import datetime
import time
from typing import Any

import pytest
from django.utils import timezone

import congress.services
import suggestions.tasks
from congress.models import Notification, OutboxMessage
from congress.outbox import deliver, deliver_owed
from congress.tasks import deliver_outbox_message
from liaison_stations.choices import Channel
from liaison_stations.models import PublicIssue
from liaison_stations.reminders import TARGET_TYPE as ISSUE_TARGET
from liaison_stations.reminders import send_owed_intake
from liaison_stations.services import issues
from suggestions import services
from suggestions.models import ReminderDispatch
from suggestions.reminders import run_reminders
from tests.faults.conftest import at_once, last_notification, needs_postgres, notified_since
from tests.liaison_stations.factories_public import StationDeputyFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

LATER = datetime.timedelta(minutes=5)


@pytest.fixture(autouse=True)
def _postgres():
    needs_postgres()


def broker_down(monkeypatch):
    def refuse(*args, **kwargs):
        raise OSError("connection refused")

    monkeypatch.setattr(deliver_outbox_message, "apply_async", refuse)
    monkeypatch.setattr("liaison_stations.tasks.issue_intake_task.delay", refuse)


def slow_notify(monkeypatch, module: Any, seconds: float = 0.05) -> None:
    """Each notice takes a while, so the two runs overlap for certain."""
    real = module.notify

    def notify(**kwargs):
        time.sleep(seconds)
        return real(**kwargs)

    monkeypatch.setattr(module, "notify", notify)


def test_two_daily_sweeps_at_once_send_each_reminder_once(flow, station_user, world):
    # given 6 suggestions assigned on 30 January with a lead and a co-unit (on 9 April: the lead unit's
    # T-15 reminder, the co-unit overdue), and 4 citizens' issues overdue at tier 1 on 9 April
    for _ in range(6):
        flow.assigned(on=datetime.date(2026, 1, 30))
    screened_on = datetime.date(2026, 4, 1)
    for number in range(4):
        issue = issues.issue_submit(
            congress=world.a.congress,
            channel=Channel.VISIT,
            content=f"菜市场门口积水{number}",
            station=world.a.station,
            actor=station_user,
            on=screened_on,
        )
        issues.issue_screen(issue=issue, actor=station_user, accept=True, on=screened_on)
    first = last_notification()

    # when two workers run the daily sweep of 9 April at the same moment, in chunks of 2
    day = datetime.date(2026, 4, 9)
    reports = at_once(*[lambda: run_reminders(as_of=day, chunk_size=2)] * 2)

    # then between them every reminder went out once: 6 lead units, 6 co-units, 4 issues
    assert sum(report.total_reminders for report in reports) == 12
    assert sum(report.other_sweeps["stations.issues"]["reminders"] for report in reports) == 4
    assert ReminderDispatch.objects.filter(target_type="assignment").count() == 12
    assert ReminderDispatch.objects.filter(target_type=ISSUE_TARGET).count() == 4
    assert notified_since(first) == {
        flow.unit_user.username: 6,
        flow.co_unit_user.username: 6,
        flow.office_user.username: 6 + 4,  # the co-units overdue, the issues overdue
        station_user.username: 4,
    }
    # and a third run sends nothing
    third = run_reminders(as_of=day)
    assert third.total_reminders == 0
    assert third.other_sweeps["stations.issues"]["reminders"] == 0
    assert Notification.objects.filter(pk__gt=first).count() == 6 + 6 + 10 + 4


def test_two_outbox_sweepers_and_a_worker_at_once_run_each_message_once(flow, monkeypatch):
    # given 10 suggestions accepted while the broker was down: 10 notices owed
    drafts = [flow.submitted() for _ in range(10)]
    broker_down(monkeypatch)
    for suggestion in drafts:
        services.suggestion_review(suggestion=suggestion, actor=flow.office_user, decision="accept")
    owed = list(OutboxMessage.objects.filter(delivered_at__isnull=True).values_list("pk", flat=True))
    assert len(owed) == 10
    slow_notify(monkeypatch, suggestions.tasks)
    first = last_notification()

    # when two beat runs of the sweeper (batches of 2) and a worker given one of the messages run at once
    now = timezone.now() + LATER
    swept_a, swept_b, by_worker = at_once(
        lambda: deliver_owed(now=now, batch_size=2),
        lambda: deliver_owed(now=now, batch_size=2),
        lambda: deliver(owed[-1]),
    )

    # then each message ran once: delivered, one attempt each, the deputy told of each review once
    assert swept_a + swept_b + int(by_worker) == 10
    assert set(OutboxMessage.objects.filter(pk__in=owed).values_list("attempts", flat=True)) == {1}
    assert not OutboxMessage.objects.filter(pk__in=owed, delivered_at__isnull=True).exists()
    assert notified_since(first) == {flow.deputy_user.username: 10}
    assert ReminderDispatch.objects.filter(target_type="move:reviewed").count() == 10
    # and the next sweep has nothing to do
    assert deliver_owed(now=now) == 0


def test_two_intake_sweepers_at_once_tell_each_new_issue_once(world, station_user, deputy_user, monkeypatch):
    # given 6 citizens' issues written to a deputy while the broker was down
    StationDeputyFactory(station=world.a.station, deputy=deputy_user.deputy)
    broker_down(monkeypatch)
    for number in range(6):
        issues.issue_submit(
            congress=world.a.congress, channel=Channel.QR, content=f"路灯坏了{number}", deputy=deputy_user.deputy
        )
    assert PublicIssue.objects.filter(intake_notified_at__isnull=True).count() == 6
    slow_notify(monkeypatch, congress.services)
    first = last_notification()

    # when two intake sweeps run at the same moment
    now = timezone.now() + LATER
    told = at_once(lambda: send_owed_intake(now=now), lambda: send_owed_intake(now=now))

    # then each issue was told once: the station's staff and the deputy, 6 each
    assert sum(told) == 6
    assert notified_since(first) == {station_user.username: 6, deputy_user.username: 6}
    assert not PublicIssue.objects.filter(intake_notified_at__isnull=True).exists()
    assert send_owed_intake(now=now) == 0
