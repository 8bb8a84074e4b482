"""Celery tasks of the deputies app: thin wrappers that take ISO dates and call services."""

from __future__ import annotations

import datetime
from typing import Any

from celery import shared_task
from django.utils import timezone


@shared_task(
    name="deputies.tasks.duty_snapshots",
    autoretry_for=(Exception,),
    retry_backoff=60,
    max_retries=3,
    ignore_result=True,
)
def duty_snapshots(as_of: str | None = None) -> dict[str, Any]:
    """Nightly (beat, 01:30): points and ranks of every serving deputy for the year and the quarter to
    date. Safe to retry: a second run rewrites the same snapshot rows."""
    from .duty import duty_snapshot_run

    day = datetime.date.fromisoformat(as_of) if as_of else timezone.localdate()
    return duty_snapshot_run(as_of=day)
