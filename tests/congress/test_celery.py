"""Celery for real: a worker in this process consumes the heartbeat task from a real broker."""

import os
import time

import pytest
from celery.contrib.testing.worker import start_worker
from kombu import pools

from congress.celery import app
from congress.models import Heartbeat
from congress.tasks import heartbeat

WAIT_SECONDS = 60  # a bound, not a delay: the loop ends as soon as the heartbeat is there
CHANGED_SETTINGS = (
    "broker_url",
    "broker_transport_options",
    "task_always_eager",
    "worker_hijack_root_logger",
)


def _forget_connections():
    """Drop pooled broker connections (kombu keeps them process-wide), so the next publish connects
    with the current settings."""
    pools.reset()
    app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture
def broker(monkeypatch):
    """Points the project's Celery app at a broker for one test, then puts its settings back."""
    saved = {name: app.conf[name] for name in CHANGED_SETTINGS}
    monkeypatch.setenv("CELERY_SKIP_CHECKS", "1")  # Django's system checks already ran for the test run

    def configure(url, transport_options):
        _forget_connections()
        app.conf.update(
            broker_url=url,
            broker_transport_options=transport_options,
            task_always_eager=False,
            worker_hijack_root_logger=False,
        )

    yield configure
    _forget_connections()
    app.conf.update(saved)


def run_heartbeat_through_a_worker():
    with start_worker(app, pool="solo", perform_ping_check=False, loglevel="WARNING", shutdown_timeout=15):
        heartbeat.delay()
        deadline = time.monotonic() + WAIT_SECONDS
        while time.monotonic() < deadline and not Heartbeat.objects.filter(name="celery").exists():
            time.sleep(0.1)


@pytest.mark.django_db(transaction=True)
def test_worker_runs_the_heartbeat_from_the_filesystem_broker(broker, tmp_path):
    # given the filesystem broker (the embedded default) in a folder of its own, and tasks not run eagerly
    queue = tmp_path / "q"
    processed = tmp_path / "p"
    queue.mkdir()
    processed.mkdir()
    broker(
        "filesystem://",
        {
            "data_folder_in": str(queue),
            "data_folder_out": str(queue),
            "processed_folder": str(processed),
            "store_processed": False,
            # exchange tables; kombu's default is "control" in the working directory
            "control_folder": str(tmp_path / "control"),
            "polling_interval": 0.1,
        },
    )

    # when the heartbeat task is sent and a worker runs
    run_heartbeat_through_a_worker()

    # then the worker ran it: the heartbeat row is written and the queue is empty
    assert Heartbeat.objects.get(name="celery").run_count == 1
    assert list(queue.iterdir()) == []


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_worker_runs_the_heartbeat_from_redis(broker):
    # given the Redis broker of production
    url = os.environ.get("REDIS_URL")
    if not url:
        pytest.skip("REDIS_URL is not set")
    broker(url, {"visibility_timeout": 3600})

    # when the heartbeat task is sent and a worker runs
    run_heartbeat_through_a_worker()

    # then the worker ran it
    assert Heartbeat.objects.get(name="celery").run_count == 1


def test_settings_are_put_back_after_the_worker_tests(settings):
    # given the worker tests above changed the app's broker for a while
    # then the app is back to the project's settings (eager tasks in tests)
    assert app.conf.task_always_eager is True
    assert app.conf.broker_url == settings.CELERY_BROKER_URL
