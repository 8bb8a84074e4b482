"""Periodic tasks of the organisation app, and the outbox's delivery: thin wrappers over services."""

from celery import shared_task

from . import outbox
from .services import heartbeat_record


@shared_task(name="congress.tasks.heartbeat", ignore_result=True)
def heartbeat() -> str:
    """Runs every minute under beat; /healthz shows when it last ran."""
    beat = heartbeat_record(name="celery")
    return beat.last_run_at.isoformat()


@shared_task(
    name="congress.tasks.deliver_outbox_message",
    autoretry_for=(Exception,),
    retry_backoff=True,
    max_retries=5,
    ignore_result=True,
)
def deliver_outbox_message(message_id: int) -> bool:
    """Run one outbox message published after its commit, and mark it delivered. A redelivery, a
    retry or a message the sweeper took meanwhile finds nothing owed and does nothing."""
    return outbox.deliver(message_id)


@shared_task(name="congress.tasks.deliver_outbox", ignore_result=True)
def deliver_outbox() -> int:
    """The outbox sweeper (beat, every minute): what the broker did not carry. Returns how many went out."""
    return outbox.deliver_owed()
