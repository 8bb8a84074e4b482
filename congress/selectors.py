"""Reads of the organisation app."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.utils import timezone

from .models import Congress, Heartbeat
from .scoping import get_scope


def congress_for_user(*, user: Any) -> Congress | None:
    """The congress a user works for (the first of their scope); None for global users without one."""
    scope = get_scope(user)
    if not scope.congress_ids:
        return None
    return Congress.objects.filter(pk__in=scope.congress_ids).order_by("level", "pk").first()


def health_report() -> dict[str, Any]:
    """Status of the database, broker, cache and the last heartbeat, for /healthz."""
    checks: dict[str, Any] = {}
    checks["database"] = _check(_check_database)
    checks["cache"] = _check(_check_cache)
    checks["broker"] = _check(_check_broker)
    heartbeat = Heartbeat.objects.filter(name="celery").first() if checks["database"]["ok"] else None
    if heartbeat is None:
        checks["heartbeat"] = {"ok": False, "last_run_at": None, "detail": "never ran"}
    else:
        age = (timezone.now() - heartbeat.last_run_at).total_seconds()
        checks["heartbeat"] = {
            "ok": age <= settings.HEARTBEAT_STALE_AFTER_SECONDS,
            "last_run_at": heartbeat.last_run_at.isoformat(),
            "age_seconds": round(age, 1),
            "runs": heartbeat.run_count,
        }
    checks["outbox"] = _check_outbox() if checks["database"]["ok"] else {"ok": False, "detail": "database down"}
    # The service is up when it can serve requests; a stale heartbeat or notices owed too long degrade
    # it (work is delayed, nothing is lost).
    serving = all(checks[name]["ok"] for name in ("database", "cache", "broker"))
    if not serving:
        status = "error"
    elif not checks["heartbeat"]["ok"] or not checks["outbox"]["ok"]:
        status = "degraded"
    else:
        status = "ok"
    return {"status": status, "checks": checks, "time": timezone.now().isoformat()}


def _check_outbox() -> dict[str, Any]:
    """Notices still owed (congress/outbox.py). The sweeper runs every minute, so a message owed longer
    than `OUTBOX_STALE_AFTER_SECONDS` means the workers or the broker are away."""
    from .outbox import owed

    stale_after = settings.OUTBOX_STALE_AFTER_SECONDS
    pending = owed()
    oldest = pending.order_by("created_at").values_list("created_at", flat=True).first()
    age = (timezone.now() - oldest).total_seconds() if oldest else 0.0
    return {"ok": age <= stale_after, "owed": pending.count(), "oldest_age_seconds": round(age, 1)}


def _check(function: Any) -> dict[str, Any]:
    try:
        detail = function()
    except Exception as error:
        return {"ok": False, "detail": f"{type(error).__name__}: {error}"[:200]}
    return {"ok": True, "detail": detail}


def _check_database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return connection.vendor


def _check_cache() -> str:
    cache.set("healthz", "1", timeout=10)
    if cache.get("healthz") != "1":
        raise RuntimeError("cache did not return the value just written")
    return settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]


def _check_broker() -> str:
    from congress.celery import app

    with app.connection_for_write() as connection_:
        connection_.ensure_connection(max_retries=1, timeout=2)
        return connection_.transport_cls if isinstance(connection_.transport_cls, str) else "connected"
