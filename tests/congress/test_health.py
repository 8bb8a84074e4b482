"""/healthz: database, cache, broker and the worker's heartbeat."""

import datetime

import pytest
from django.utils import timezone

from congress import selectors
from congress.models import Heartbeat
from congress.services import heartbeat_record
from congress.tasks import heartbeat


def test_health_reports_every_check(client, db):
    # when /healthz is read anonymously
    response = client.get("/healthz")

    # then it answers JSON with each check
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/json"
    body = response.json()
    assert set(body["checks"]) == {"database", "cache", "broker", "heartbeat", "outbox"}
    assert body["checks"]["database"]["ok"] is True
    assert body["checks"]["cache"]["ok"] is True
    assert body["checks"]["broker"]["ok"] is True


def test_without_a_heartbeat_the_service_is_degraded(client, db):
    # given no periodic task has run
    # when /healthz is read
    body = client.get("/healthz").json()

    # then the heartbeat is missing and the status is degraded (still 200: requests are served)
    assert body["checks"]["heartbeat"]["ok"] is False
    assert body["checks"]["heartbeat"]["last_run_at"] is None
    assert body["status"] == "degraded"


def test_after_the_heartbeat_task_ran_the_service_is_ok(client, db):
    # given the heartbeat task ran (eagerly, in tests)
    heartbeat.delay()

    # when /healthz is read
    response = client.get("/healthz")

    # then the run is reported and all is ok
    body = response.json()
    assert response.status_code == 200
    assert body["status"] == "ok"
    assert body["checks"]["heartbeat"]["ok"] is True
    recorded = Heartbeat.objects.get(name="celery").last_run_at
    assert datetime.datetime.fromisoformat(body["checks"]["heartbeat"]["last_run_at"]) == recorded
    assert body["checks"]["heartbeat"]["runs"] == 1


def test_the_heartbeat_task_run_twice_keeps_one_row(db):
    # when the heartbeat task runs twice
    heartbeat.delay()
    heartbeat.delay()

    # then there is one row that counted both runs
    assert Heartbeat.objects.get(name="celery").run_count == 2
    assert Heartbeat.objects.count() == 1


def test_a_stale_heartbeat_degrades_the_service(client, db, settings):
    # given the last heartbeat is older than allowed
    heartbeat_record(now=timezone.now() - datetime.timedelta(seconds=settings.HEARTBEAT_STALE_AFTER_SECONDS + 60))

    # when /healthz is read
    body = client.get("/healthz").json()

    # then the heartbeat is reported, but stale
    assert body["checks"]["heartbeat"]["ok"] is False
    assert body["checks"]["heartbeat"]["last_run_at"] is not None
    assert body["status"] == "degraded"


def test_a_failing_database_is_an_error(client, db, monkeypatch):
    # given the database check fails
    def broken():
        raise RuntimeError("database is gone")

    monkeypatch.setattr(selectors, "_check_database", broken)
    heartbeat_record()

    # when /healthz is read
    response = client.get("/healthz")

    # then it answers 503 with status error and the cause
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert body["checks"]["database"]["ok"] is False
    assert "database is gone" in body["checks"]["database"]["detail"]


def test_a_failing_cache_is_an_error(client, db, monkeypatch):
    # given the cache check fails
    monkeypatch.setattr(selectors, "_check_cache", lambda: (_ for _ in ()).throw(RuntimeError("cache down")))

    # when /healthz is read
    response = client.get("/healthz")

    # then it answers 503
    assert response.status_code == 503
    assert response.json()["checks"]["cache"]["ok"] is False


@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_health_only_answers_get(client, db, method):
    # when /healthz is called with another method
    response = getattr(client, method)("/healthz")

    # then it is not allowed
    assert response.status_code == 405


def test_health_is_never_cached(client, db):
    # when /healthz is read
    response = client.get("/healthz")

    # then caches are told not to keep it
    assert "no-cache" in response.headers["Cache-Control"]


def test_the_liveness_probe_touches_nothing(client, db, django_assert_num_queries):
    # when /livez is read anonymously
    with django_assert_num_queries(0):
        response = client.get("/livez")

    # then the process answers plain text without a query
    assert response.status_code == 200
    assert response.content == b"ok\n"
    assert response.headers["Content-Type"].startswith("text/plain")


def test_notices_owed_too_long_degrade_the_service(client, db, settings):
    from congress.models import OutboxMessage

    # given the heartbeat ran, and one notice has waited in the outbox longer than allowed
    heartbeat.delay()
    settings.OUTBOX_STALE_AFTER_SECONDS = 600
    message = OutboxMessage.objects.create(task="suggestions.tasks.notify_event", args=["replied", 1, None])
    OutboxMessage.objects.filter(pk=message.pk).update(created_at=timezone.now() - datetime.timedelta(minutes=11))
    OutboxMessage.objects.create(task="suggestions.tasks.notify_event", args=["replied", 2, None])

    # when /healthz is read
    body = client.get("/healthz").json()

    # then the outbox check fails with the count and the age, and the service is degraded (still 200)
    assert body["checks"]["outbox"]["ok"] is False
    assert body["checks"]["outbox"]["owed"] == 2
    assert body["checks"]["outbox"]["oldest_age_seconds"] >= 660
    assert body["status"] == "degraded"

    # and once it went out, the service is ok again
    OutboxMessage.objects.filter(pk=message.pk).update(delivered_at=timezone.now())
    body = client.get("/healthz").json()
    assert body["checks"]["outbox"]["ok"] is True
    assert body["status"] == "ok"
