"""Fixtures of the fault tests: Redis down (cache and broker at a closed port) and back, a Celery
worker on a queue of the test's own, a snapshot of every row a workflow writes, and the suggestion
workflow's fixtures (`flow` …) shared from tests/suggestions.

Tests that need PostgreSQL or a real Redis carry the markers `postgres` / `redis` and skip
themselves without them (`needs_postgres()`, `needs_redis()`); CI runs them with DATABASE_URL and
REDIS_URL set.
"""

from __future__ import annotations

import datetime
import os
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from celery.contrib.testing.worker import start_worker
from django.apps import apps
from django.db import connection, connections
from django.db.models import F
from kombu import pools

from congress.celery import app
from congress.models import Heartbeat, Notification, OutboxMessage
from congress.tasks import heartbeat
from tests.suggestions.conftest import (  # noqa: F401 - fixtures shared with the suggestion tests
    co_unit,
    co_unit_user,
    cosigner_user,
    flow,
    reply_classes,
    second_deputy_user,
    split_unit_user,
)

# Nothing listens here: connecting is refused at once, as when the Redis server is down.
CLOSED_PORT_URL = "redis://127.0.0.1:1/0"
WAIT_SECONDS = 60  # a bound, not a delay: waits end as soon as their condition holds
CELERY_SETTINGS = ("broker_url", "broker_transport_options", "task_always_eager", "task_default_queue")
# The apps a workflow writes to; `snapshot()` reads every row of them.
WORKFLOW_APPS = ("congress", "deputies", "suggestions", "liaison_stations")


def needs_postgres() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (DATABASE_URL)")


def redis_url() -> str:
    return os.environ.get("REDIS_URL", "")


def needs_redis() -> None:
    if not redis_url():
        pytest.skip("needs Redis (REDIS_URL)")


def at_once(*calls: Callable[[], Any]) -> list[Any]:
    """Run the calls in threads released together (each with its own database connection); their
    results in order. An exception in any fails the test."""
    barrier = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)
    errors: list[BaseException] = []

    def run(index: int, call: Callable[[], Any]) -> None:
        try:
            barrier.wait()
            results[index] = call()
        except BaseException as error:  # surfaced below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(index, call)) for index, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    return results


def _forget_connections() -> None:
    """Drop pooled broker connections (kombu keeps them process-wide), so the next publish connects
    with the current settings."""
    pools.reset()
    app._pool = None
    app.amqp._producer_pool = None


class Redis:
    """Switches the cache and the Celery broker between a Redis that is down and the real one."""

    def __init__(self, settings: Any) -> None:
        self.settings = settings
        self.queue = f"faults-{uuid.uuid4().hex}"

    def _use(self, url: str, transport_options: dict[str, Any]) -> None:
        self.settings.CACHES = {
            "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url},
        }
        _forget_connections()
        app.conf.update(
            broker_url=url,
            broker_transport_options=transport_options,
            task_always_eager=False,
            # A queue of this test's own: a worker here never takes another test's messages.
            task_default_queue=self.queue,
        )

    def down(self) -> None:
        self._use(CLOSED_PORT_URL, {"max_retries": 1})

    def back(self) -> None:
        needs_redis()
        self._use(redis_url(), {"visibility_timeout": 3600})


@pytest.fixture
def redis(settings: Any, monkeypatch: Any) -> Iterator[Redis]:
    """`redis.down()` / `redis.back()`; the project's settings are put back afterwards."""
    saved = {name: app.conf[name] for name in CELERY_SETTINGS}
    monkeypatch.setenv("CELERY_SKIP_CHECKS", "1")  # Django's system checks already ran for the test run
    switch = Redis(settings)
    yield switch
    _forget_connections()
    app.conf.update(saved)
    if redis_url():
        try:
            import redis as redis_client

            # the queue and the exchange bindings kombu keeps for it
            redis_client.Redis.from_url(redis_url()).delete(
                switch.queue, f"_kombu.binding.{switch.queue}", f"_kombu.binding_permanent.{switch.queue}"
            )
        except Exception:  # noqa: S110 - the queue is empty after the test anyway; nothing to tidy
            pass


@contextmanager
def worker(queue: str) -> Iterator[Callable[..., None]]:
    """A Celery worker in this process consuming `queue`. Yields `run(*signatures)`: publishes the
    tasks and returns once the worker ran them (a heartbeat sent last marks the end: one solo worker
    runs its queue in order)."""

    def run(*tasks: Any) -> None:
        before = Heartbeat.objects.filter(name="celery").values_list("run_count", flat=True).first() or 0
        for task in tasks:
            task.apply_async()
        heartbeat.apply_async()
        deadline = time.monotonic() + WAIT_SECONDS
        while time.monotonic() < deadline:
            if (Heartbeat.objects.filter(name="celery").values_list("run_count", flat=True).first() or 0) > before:
                return
            time.sleep(0.1)
        raise AssertionError(f"the worker did not run {tasks} within {WAIT_SECONDS} s")

    with start_worker(
        app, pool="solo", perform_ping_check=False, loglevel="WARNING", shutdown_timeout=15, queues=[queue]
    ):
        yield run


def age_outbox(minutes: int = 2) -> None:
    """Let time pass for the sweepers: the owed rows were written `minutes` ago."""
    OutboxMessage.objects.update(created_at=F("created_at") - datetime.timedelta(minutes=minutes))


def notified_since(last_pk: int) -> dict[str, int]:
    """Notifications written after `last_pk`, counted by username."""
    counts: dict[str, int] = {}
    for username in Notification.objects.filter(pk__gt=last_pk).values_list("user__username", flat=True):
        counts[username] = counts.get(username, 0) + 1
    return counts


def last_notification() -> int:
    return Notification.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def snapshot() -> dict[str, list[tuple[Any, ...]]]:
    """Every row of the workflow apps (history and through tables included), read with plain SQL."""
    state = {}
    with connection.cursor() as cursor:
        for label in WORKFLOW_APPS:
            for model in apps.get_app_config(label).get_models(include_auto_created=True):
                table = connection.ops.quote_name(model._meta.db_table)
                cursor.execute(f"SELECT * FROM {table} ORDER BY 1")  # noqa: S608 - table names from the models
                state[model._meta.db_table] = cursor.fetchall()
    return state


def changed_tables(before: dict[str, list[tuple[Any, ...]]], after: dict[str, list[tuple[Any, ...]]]) -> list[str]:
    return sorted(table for table in after if after[table] != before.get(table))
