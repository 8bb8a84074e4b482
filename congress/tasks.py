"""Periodic tasks of the organisation app: thin wrappers over services."""

from celery import shared_task

from .services import heartbeat_record


@shared_task(name="congress.tasks.heartbeat", ignore_result=True)
def heartbeat() -> str:
    """Runs every minute under beat; /healthz shows when it last ran."""
    beat = heartbeat_record(name="celery")
    return beat.last_run_at.isoformat()
