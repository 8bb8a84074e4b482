"""A task that fails or is killed half-way, then runs again, has one effect: its writes roll back
with it, its outbox row stays owed, and the retry (Celery's, or the sweeper's) writes everything once."""

from __future__ import annotations

import datetime
import os
import select
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

import congress.services
import suggestions.tasks
from congress.models import Notification, OutboxMessage
from congress.outbox import deliver, deliver_owed
from congress.tasks import deliver_outbox_message
from liaison_stations.choices import Channel, IssueStatus
from liaison_stations.models import PublicIssue
from liaison_stations.reminders import send_owed_intake
from liaison_stations.services import issues
from suggestions import services
from suggestions.choices import Rating
from suggestions.models import ReminderDispatch, SupervisionCase
from tests.faults.conftest import last_notification, needs_postgres, notified_since
from tests.liaison_stations.factories_public import PublicIssueFactory, StationDeputyFactory

LATER = datetime.timedelta(minutes=5)
ROOT = Path(settings.BASE_DIR)
PUDDLE = "菜市场门口积水"


class Crash(Exception):
    """The worker dies here (in-process stand-in for a lost connection or a killed process)."""


def failing_notify(real, *, fail_on_calls: set[int]):
    """`notify` that writes, and raises on the given calls (1-based) instead of writing."""
    calls = {"n": 0}

    def notify(**kwargs):
        calls["n"] += 1
        if calls["n"] in fail_on_calls:
            raise Crash(f"killed at notify call {calls['n']}")
        return real(**kwargs)

    notify.calls = calls
    return notify


def broker_down(monkeypatch):
    def refuse(*args, **kwargs):
        raise OSError("connection refused")

    monkeypatch.setattr(deliver_outbox_message, "apply_async", refuse)


# --- Celery retries a task that failed half-way ------------------------------------------------------


@pytest.mark.django_db
def test_a_notice_that_fails_half_way_is_retried_by_celery_with_one_effect(flow, committee_user, monkeypatch):
    # given the 不满意 notice owed after the commit (the earlier notices went out)
    _suggestion, reply = flow.replied()
    OutboxMessage.objects.update(delivered_at=timezone.now())
    broker_down(monkeypatch)
    flow.rate(reply, Rating.UNSATISFIED)
    case = SupervisionCase.objects.get()
    message = OutboxMessage.objects.get(delivered_at__isnull=True)
    assert message.args[:2] == ["unsatisfied", case.pk]
    first = last_notification()

    # when the worker runs it and dies after telling the committee (the first of three messages), and
    # Celery retries it (autoretry; run here as a worker would, a failure becoming a retry)
    notify = failing_notify(suggestions.tasks.notify, fail_on_calls={2})
    monkeypatch.setattr(suggestions.tasks, "notify", notify)
    result = deliver_outbox_message.apply(args=[message.pk], throw=False)

    # then the first run's writes were rolled back and the retry told each of the three once
    assert (result.state, result.result) == ("SUCCESS", True)
    assert notify.calls["n"] == 1 + 1 + 3  # the failed run's two calls, then three
    told = {committee_user.username: 1, flow.unit_user.username: 1, flow.deputy_user.username: 1}
    assert notified_since(first) == told
    assert ReminderDispatch.objects.filter(target_type="move:unsatisfied").count() == 1
    stored = OutboxMessage.objects.get(pk=message.pk)
    assert (stored.delivered_at is not None, stored.attempts, stored.last_error) == (True, 2, "")

    # and a redelivery of the message, or the sweeper, adds nothing
    deliver_outbox_message.apply(args=[message.pk])
    deliver_owed(now=timezone.now() + LATER)
    assert notified_since(first) == told


@pytest.mark.django_db
def test_a_task_failing_in_the_sweep_stays_owed_and_the_others_go_out(flow, station_user, world, monkeypatch):
    # given three notices owed after a broker outage: two reviews and an issue taken in at tier 1
    broker_down(monkeypatch)
    accepted = [flow.submitted(), flow.submitted()]
    for suggestion in accepted:
        services.suggestion_review(suggestion=suggestion, actor=flow.office_user, decision="accept")
    issue = issues.issue_submit(
        congress=world.a.congress,
        channel=Channel.VISIT,
        content="菜市场门口积水",
        station=world.a.station,
        actor=station_user,
    )
    issues.issue_screen(issue=issue, actor=station_user, accept=True, tier=1)
    assert OutboxMessage.objects.filter(delivered_at__isnull=True).count() == 3
    first = last_notification()

    # when the sweeper runs and the issue's notice fails half-way (its task dies at its first write)
    monkeypatch.setattr("liaison_stations.tasks.notify", failing_notify(congress.services.notify, fail_on_calls={1}))
    delivered = deliver_owed(now=timezone.now() + LATER, batch_size=2)

    # then the reviews went out, the issue's notice did not and stays owed with its error
    assert delivered == 2
    assert notified_since(first) == {flow.deputy_user.username: 2}
    failed = OutboxMessage.objects.get(delivered_at__isnull=True)
    assert failed.task == "liaison_stations.tasks.issue_notify"
    assert (failed.attempts, failed.last_error) == (1, "Crash: killed at notify call 1")
    assert not ReminderDispatch.objects.filter(target_type="public_issue_event").exists()

    # when the next sweep runs with the fault gone, twice
    monkeypatch.setattr("liaison_stations.tasks.notify", congress.services.notify)
    assert deliver_owed(now=timezone.now() + LATER) == 1
    assert deliver_owed(now=timezone.now() + LATER) == 0

    # then the station's staff were told once
    assert notified_since(first) == {flow.deputy_user.username: 2, station_user.username: 1}
    assert OutboxMessage.objects.get(pk=failed.pk).attempts == 2


@pytest.mark.django_db
def test_a_message_delivered_and_delivered_again_tells_once(flow, monkeypatch):
    # given an accepted suggestion whose notice went out
    broker_down(monkeypatch)
    suggestion = flow.submitted()
    services.suggestion_review(suggestion=suggestion, actor=flow.office_user, decision="accept")
    message = OutboxMessage.objects.get(delivered_at__isnull=True)
    first = last_notification()
    assert deliver(message.pk) is True

    # when the broker delivers the message again (acks late: the worker died after the commit), and
    # the task body runs again on its own
    assert deliver(message.pk) is False
    suggestions.tasks.notify_event_task(*message.args)

    # then the deputy was told once
    assert notified_since(first) == {flow.deputy_user.username: 1}
    assert OutboxMessage.objects.get(pk=message.pk).attempts == 1


# --- a worker process killed half-way (PostgreSQL: the server rolls back the dead connection) --------


def _database_url() -> str:
    """The test database, for the worker process."""
    db = connection.settings_dict
    user, password = quote(db["USER"] or "", safe=""), quote(db["PASSWORD"] or "", safe="")
    return f"postgres://{user}:{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def _run_until_killed(kind: str, pk: int) -> tuple[int, int]:
    """Start the dying worker, wait until it has written part of the task, kill it (SIGKILL), and
    wait until the server has dropped its connection. Returns (rows it wrote, its backend pid)."""
    notifications = Notification.objects.count()
    env = {**os.environ, "DATABASE_URL": _database_url(), "DJANGO_ENV": "test"}
    env.pop("REDIS_URL", None)
    process = subprocess.Popen(  # noqa: S603 - our own module, with our interpreter
        [sys.executable, "-m", "tests.faults.killed_worker", kind, str(pk)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        ready, _, _ = select.select([process.stdout], [], [], 60)
        line = process.stdout.readline() if ready else ""
        assert line.startswith("WROTE"), f"the worker did not reach the task: {line!r} {process.stderr.read()}"
        _word, rows, backend = line.split()
        # (while it is half-way, its rows are not visible and its claim keeps the sweeper off)
        assert Notification.objects.count() == notifications
        if kind == "outbox":
            assert deliver_owed(now=timezone.now() + LATER) == 0
    finally:
        process.kill()
        process.wait(timeout=30)
        process.stdout.close()
        process.stderr.close()
    deadline = time.monotonic() + 30
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE pid = %s", [int(backend)])
            if cursor.fetchone()[0] == 0:
                break
            time.sleep(0.1)
    return int(rows), int(backend)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_while_telling_the_committee_leaves_nothing_and_the_sweeper_tells_once(
    flow, committee_user, monkeypatch
):
    needs_postgres()
    # given the 不满意 notice owed (broker down at the commit)
    _suggestion, reply = flow.replied()
    Notification.objects.all().delete()
    broker_down(monkeypatch)
    flow.rate(reply, Rating.UNSATISFIED)
    message = OutboxMessage.objects.get(delivered_at__isnull=True)

    # when a worker runs it and is killed after writing the committee's notification
    rows, _backend = _run_until_killed("outbox", message.pk)
    assert rows == 1

    # then nothing of it remains, and the message is still owed
    assert not Notification.objects.exists()
    assert not ReminderDispatch.objects.filter(target_type="move:unsatisfied").exists()
    assert OutboxMessage.objects.get(pk=message.pk).delivered_at is None

    # when the sweeper runs, twice
    assert deliver_owed(now=timezone.now() + LATER) == 1
    assert deliver_owed(now=timezone.now() + LATER) == 0

    # then the committee, the unit and the deputy are told once each
    assert notified_since(0) == {committee_user.username: 1, flow.unit_user.username: 1, flow.deputy_user.username: 1}
    assert ReminderDispatch.objects.filter(target_type="move:unsatisfied").count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_while_telling_of_a_new_issue_leaves_nothing_and_the_intake_sweeper_tells_once(
    world, deputy_user, station_user, monkeypatch
):
    needs_postgres()

    # given a citizen's issue whose intake notice could not be queued
    def refuse(*args, **kwargs):
        raise OSError("connection refused")

    monkeypatch.setattr("liaison_stations.tasks.issue_intake_task.delay", refuse)
    StationDeputyFactory(station=world.a.station, deputy=deputy_user.deputy)
    issue = issues.issue_submit(
        congress=world.a.congress, channel=Channel.QR, content="路灯坏了两个星期", deputy=deputy_user.deputy
    )

    # when a worker tells the station, and is killed before telling the deputy
    rows, _backend = _run_until_killed("intake", issue.pk)
    assert rows == 1

    # then nobody was told and the issue is still owed its notice
    assert not Notification.objects.exists()
    assert PublicIssue.objects.get(pk=issue.pk).intake_notified_at is None

    # when the intake sweeper runs, twice
    assert send_owed_intake(now=timezone.now() + LATER) == 1
    assert send_owed_intake(now=timezone.now() + LATER) == 0

    # then the station's staff and the deputy are told once each
    assert notified_since(0) == {station_user.username: 1, deputy_user.username: 1}


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_while_telling_of_a_tier_leaves_nothing_and_the_sweeper_tells_once(
    world, station_user, monkeypatch
):
    needs_postgres()
    # given an issue handled at tier 1, raised to tier 2 while the broker is down: its notice is owed
    issue = PublicIssueFactory(station=world.a.station, status=IssueStatus.HANDLING, tier=1)
    broker_down(monkeypatch)
    issues.issue_escalate(issue=issue, actor=station_user)
    message = OutboxMessage.objects.get(delivered_at__isnull=True)
    assert message.args[:2] == ["tier", issue.pk]

    # when a worker runs it and is killed after writing the notification
    rows, _backend = _run_until_killed("outbox", message.pk)
    assert rows == 1

    # then nothing remains and it is still owed
    assert not Notification.objects.exists()
    assert not ReminderDispatch.objects.filter(target_type="public_issue_event").exists()

    # when the sweeper runs, twice; then the station's staff are told once
    assert deliver_owed(now=timezone.now() + LATER) == 1
    assert deliver_owed(now=timezone.now() + LATER) == 0
    assert notified_since(0) == {station_user.username: 1}
