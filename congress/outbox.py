"""The transactional outbox: work owed after a commit survives a broker outage.

A service calls `enqueue(task, *args)` inside its transaction: an `OutboxMessage` row is written
with the change it follows (a rollback drops both). After the commit the message is published to
the broker; if the broker is away the row simply stays owed and the request is not troubled. The
worker's `congress.tasks.deliver_outbox_message` runs the task's body and marks the row delivered;
the sweeper (`deliver_owed`: beat task `congress.tasks.deliver_outbox`, command `deliver_outbox`)
runs the rows still owed a minute after they were written, in batches claimed with
`select_for_update(skip_locked=True)`, so two sweepers never take the same row. A task may thus run
twice (published, then swept before it was marked): the tasks sent through here are idempotent
(each records its dispatch under a unique key), so the second run has no effect.
"""

from __future__ import annotations

import datetime
import logging
from typing import Any

from celery import current_app
from django.db import connection, transaction
from django.db.models import F, QuerySet
from django.utils import timezone

from .models import OutboxMessage

logger = logging.getLogger(__name__)

# Rows younger than this are left to the publish after the commit (and the worker that runs it).
GRACE = datetime.timedelta(minutes=1)
BATCH_SIZE = 100
# A message whose task failed this often is left alone (it stays in the admin with its last error).
MAX_ATTEMPTS = 20
# Delivered rows are kept a week (what went out when), then dropped by the sweeper.
KEEP_DELIVERED = datetime.timedelta(days=7)
ERROR_LENGTH = 2000


def enqueue(task: Any, *args: Any) -> OutboxMessage:
    """Owe `task(*args)` once the current transaction commits. Call it inside the business
    transaction; `args` must be JSON values (ids, kinds, ISO dates)."""
    name = task if isinstance(task, str) else task.name
    message = OutboxMessage.objects.create(task=name, args=list(args))
    message_id = message.pk
    transaction.on_commit(lambda: publish(message_id))
    return message


def publish(message_id: int) -> None:
    """Hand one message to the broker. The change is committed already, so nothing is raised: with
    the broker away the row stays owed and the sweeper delivers it."""
    from .tasks import deliver_outbox_message

    try:
        deliver_outbox_message.apply_async(args=[message_id])
    except Exception:
        logger.warning("Outbox message %s not handed to the broker; left for the sweeper", message_id, exc_info=True)


def owed() -> QuerySet[OutboxMessage]:
    return OutboxMessage.objects.filter(delivered_at__isnull=True, attempts__lt=MAX_ATTEMPTS)


def deliver(message_id: int) -> bool:
    """Run one owed message in this process and mark it delivered. False when nothing is owed: it
    went out already, or another worker holds it right now. A failure of the task is recorded on the
    row (attempts, last error) and raised, so the caller may retry."""
    try:
        with transaction.atomic():
            message = _claim(owed().filter(pk=message_id)).first()
            if message is None:
                return False
            _run(message)
            _mark_delivered(message.pk)
            return True
    except Exception as error:
        _record_failure(message_id, error)
        raise


def deliver_owed(
    *, now: datetime.datetime | None = None, batch_size: int = BATCH_SIZE, grace: datetime.timedelta = GRACE
) -> int:
    """The sweeper: run every message still owed `grace` after it was written, batch by batch, each
    batch claimed (rows another sweeper holds are skipped) and committed on its own. A failing task
    undoes only its own writes and stays owed for the next sweep. Returns how many were delivered."""
    now = now or timezone.now()
    due = owed().filter(created_at__lte=now - grace).order_by("pk")
    delivered = 0
    after = 0
    while True:
        with transaction.atomic():
            batch = list(_claim(due.filter(pk__gt=after))[: max(1, batch_size)])
            if not batch:
                break
            for message in batch:
                try:
                    with transaction.atomic():  # a savepoint: a failure undoes this task's writes only
                        _run(message)
                except Exception as error:
                    logger.exception("Outbox message %s (%s) failed; it stays owed", message.pk, message.task)
                    _record_failure(message.pk, error)
                else:
                    _mark_delivered(message.pk)
                    delivered += 1
            after = batch[-1].pk
    OutboxMessage.objects.filter(delivered_at__lt=now - KEEP_DELIVERED).delete()
    if delivered:
        logger.info("Outbox: %s owed message(s) delivered by the sweeper", delivered)
    return delivered


def _claim(queryset: QuerySet[OutboxMessage]) -> QuerySet[OutboxMessage]:
    """Lock the rows for this transaction; rows locked by another worker are skipped, not awaited."""
    if connection.features.has_select_for_update:
        return queryset.select_for_update(skip_locked=connection.features.has_select_for_update_skip_locked)
    return queryset


def _run(message: OutboxMessage) -> Any:
    """The task's body, run here and now (no broker)."""
    app = current_app._get_current_object()
    if message.task not in app.tasks:
        app.loader.import_default_modules()  # a web process or a command: tasks are discovered lazily
    task = app.tasks.get(message.task)
    if task is None:
        raise LookupError(f"No task named {message.task!r} is registered.")
    return task(*message.args)


def _mark_delivered(message_id: int) -> None:
    OutboxMessage.objects.filter(pk=message_id).update(
        delivered_at=timezone.now(), attempts=F("attempts") + 1, last_error=""
    )


def _record_failure(message_id: int, error: BaseException) -> None:
    try:
        OutboxMessage.objects.filter(pk=message_id).update(
            attempts=F("attempts") + 1, last_error=f"{type(error).__name__}: {error}"[:ERROR_LENGTH]
        )
    except Exception:  # the database itself is away: the row stays owed as it was
        logger.warning("Outbox message %s: could not record its failure", message_id, exc_info=True)
