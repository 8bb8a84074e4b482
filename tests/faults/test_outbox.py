"""The transactional outbox itself (congress/outbox.py): a row with the transaction or none, the
publish after the commit that never raises, the sweeper's grace, batches, give-up and pruning, the
worker's task, the beat task and the command. The heartbeat task stands in for a task body: its run
count says how often the body ran."""

from __future__ import annotations

import datetime
from io import StringIO

import pytest
import redis.exceptions
from django.core.management import CommandError, call_command
from django.db import transaction
from django.utils import timezone
from kombu.exceptions import OperationalError

from congress import outbox
from congress.celery import app
from congress.models import Heartbeat, OutboxMessage
from congress.tasks import deliver_outbox, deliver_outbox_message, heartbeat

LATER = datetime.timedelta(minutes=5)


def runs() -> int:
    return Heartbeat.objects.filter(name="celery").values_list("run_count", flat=True).first() or 0


@pytest.fixture
def published(monkeypatch):
    """The messages handed to the broker (nothing runs)."""
    sent: list[int] = []
    monkeypatch.setattr(deliver_outbox_message, "apply_async", lambda args: sent.append(args[0]))
    return sent


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_transaction_owes_nothing_and_publishes_nothing(published):
    # when the business transaction fails after enqueueing
    @transaction.atomic
    def move() -> None:
        outbox.enqueue(heartbeat)
        raise RuntimeError("the move failed")

    with pytest.raises(RuntimeError):
        move()

    # then there is no row and nothing was published
    assert not OutboxMessage.objects.exists()
    assert published == []


@pytest.mark.django_db(transaction=True)
def test_a_committed_transaction_publishes_its_row_after_the_commit(published):
    # when
    with transaction.atomic():
        message = outbox.enqueue("congress.tasks.heartbeat")
        assert published == []  # not before the commit

    # then
    assert published == [message.pk]
    assert (message.task, message.args) == ("congress.tasks.heartbeat", [])


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    "error",
    [OperationalError("Error 111 connecting"), redis.exceptions.ConnectionError("refused"), TimeoutError("timed out")],
    ids=["kombu", "redis", "timeout"],
)
def test_a_broker_error_at_publish_is_not_raised_and_the_row_stays_owed(monkeypatch, error):
    # given a broker that fails in any way
    def fail(*args, **kwargs):
        raise error

    monkeypatch.setattr(deliver_outbox_message, "apply_async", fail)

    # when a transaction enqueues and commits: nothing is raised to the caller
    with transaction.atomic():
        message = outbox.enqueue(heartbeat)

    # then the row is owed, untouched, and the body did not run
    stored = OutboxMessage.objects.get(pk=message.pk)
    assert (stored.delivered_at, stored.attempts) == (None, 0)
    assert runs() == 0


@pytest.mark.django_db
def test_the_sweeper_leaves_young_rows_to_the_worker_and_runs_older_ones_once():
    # given a message written now
    message = outbox.enqueue(heartbeat)

    # when the sweeper runs at once, then five minutes later, twice
    assert outbox.deliver_owed() == 0
    assert outbox.deliver_owed(now=timezone.now() + LATER) == 1
    assert outbox.deliver_owed(now=timezone.now() + LATER) == 0

    # then the body ran once and the row is delivered
    assert runs() == 1
    stored = OutboxMessage.objects.get(pk=message.pk)
    assert stored.delivered_at is not None
    assert stored.attempts == 1


@pytest.mark.django_db
def test_the_sweeper_works_in_batches_through_every_owed_row():
    # given 7 owed messages
    for _ in range(7):
        outbox.enqueue(heartbeat)

    # when the sweeper runs in batches of 3
    assert outbox.deliver_owed(now=timezone.now() + LATER, batch_size=3) == 7

    # then each ran once
    assert runs() == 7
    assert not outbox.owed().exists()


@pytest.mark.django_db
def test_the_worker_task_runs_a_message_once_however_often_it_is_delivered():
    message = outbox.enqueue(heartbeat)

    first = deliver_outbox_message.apply(args=[message.pk]).get()
    second = deliver_outbox_message.apply(args=[message.pk]).get()

    assert (first, second) == (True, False)
    assert runs() == 1


@pytest.mark.django_db
def test_an_unknown_task_is_recorded_and_given_up_after_the_last_attempt(monkeypatch):
    # given a message for a task no worker knows
    message = outbox.enqueue("no.such.task", 1)
    later = timezone.now() + LATER

    # when the sweeper tries it
    assert outbox.deliver_owed(now=later) == 0

    # then it stays owed with its error
    stored = OutboxMessage.objects.get(pk=message.pk)
    assert (stored.delivered_at, stored.attempts) == (None, 1)
    assert stored.last_error == "LookupError: No task named 'no.such.task' is registered."

    # and once it failed MAX_ATTEMPTS times the sweeper leaves it alone (it stays visible)
    OutboxMessage.objects.filter(pk=message.pk).update(attempts=outbox.MAX_ATTEMPTS)
    assert outbox.deliver_owed(now=later) == 0
    assert OutboxMessage.objects.get(pk=message.pk).attempts == outbox.MAX_ATTEMPTS


@pytest.mark.django_db
def test_delivered_rows_are_kept_a_week_then_dropped():
    # given rows delivered 8 and 2 days ago, and one owed for 8 days
    now = timezone.now()
    old = outbox.enqueue(heartbeat)
    recent = outbox.enqueue(heartbeat)
    owed = outbox.enqueue("no.such.task")
    OutboxMessage.objects.filter(pk=old.pk).update(delivered_at=now - datetime.timedelta(days=8))
    OutboxMessage.objects.filter(pk=recent.pk).update(delivered_at=now - datetime.timedelta(days=2))
    OutboxMessage.objects.filter(pk=owed.pk).update(created_at=now - datetime.timedelta(days=8))

    # when the sweeper runs
    outbox.deliver_owed(now=now)

    # then only the old delivered row is gone: what is owed is never dropped
    assert set(OutboxMessage.objects.values_list("pk", flat=True)) == {recent.pk, owed.pk}


@pytest.mark.django_db
def test_the_command_delivers_what_is_owed():
    # given two owed messages, one written just now
    old = outbox.enqueue(heartbeat)
    OutboxMessage.objects.filter(pk=old.pk).update(created_at=timezone.now() - LATER)
    outbox.enqueue(heartbeat)
    out = StringIO()

    # when the command runs, then again with --now
    call_command("deliver_outbox", stdout=out)
    call_command("deliver_outbox", "--now", stdout=out)

    # then the old one went first, the young one with --now
    assert out.getvalue().splitlines() == [
        "Delivered 1 owed outbox message(s).",
        "Delivered 1 owed outbox message(s).",
    ]
    assert runs() == 2
    with pytest.raises(CommandError, match="--batch-size"):
        call_command("deliver_outbox", "--batch-size", "0")


@pytest.mark.django_db
def test_the_beat_task_is_registered_and_sweeps():
    # given an owed message a few minutes old
    message = outbox.enqueue(heartbeat)
    OutboxMessage.objects.filter(pk=message.pk).update(created_at=timezone.now() - LATER)
    app.loader.import_default_modules()

    # when beat's task runs
    assert "congress.tasks.deliver_outbox" in app.tasks
    assert deliver_outbox.apply().get() == 1

    # then the body ran
    assert runs() == 1
