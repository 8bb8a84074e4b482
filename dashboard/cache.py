"""Short-lived caching of the heavy aggregates, dropped as soon as a write changes them.

Each congress has a generation number in the cache; a save or delete of any record a figure counts
bumps its congress's generation (and the global one) once the transaction commits, so the next
read computes afresh. Cached payloads also expire after `DASHBOARD_CACHE_SECONDS` (default 60) as
a bound on anything written around the ORM.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import translation

from .filters import StatsFilter

logger = logging.getLogger(__name__)

ANY = "any"  # bumped by every write: payloads over every congress depend on it
NONE = "none"  # bumped by writes of records without a congress (a deputy's person data)


def timeout() -> int:
    return int(getattr(settings, "DASHBOARD_CACHE_SECONDS", 60))


def prefix() -> str:
    """The namespace of the dashboard's keys (tests give each test its own)."""
    return str(getattr(settings, "DASHBOARD_CACHE_PREFIX", "dashboard"))


def _generation_key(congress: int | str) -> str:
    return f"{prefix()}:gen:{congress}"


def generation(f: StatsFilter) -> str:
    """The generations the filter's figures depend on, as one string."""
    if f.congress_ids is None or len(f.congress_ids) > 20:
        keys = [_generation_key(ANY)]
    else:
        keys = [_generation_key(NONE)] + [_generation_key(congress_id) for congress_id in sorted(f.congress_ids)]
    values = cache.get_many(keys)
    return ".".join(str(values.get(key, 0)) for key in keys)


def bump(congress_id: int | None) -> None:
    """A write changed figures of this congress (or, without one, of any): later reads compute afresh.
    Runs after the commit: a cache that is down must not fail the request whose data is saved."""
    try:
        for key in (_generation_key(ANY), _generation_key(congress_id or NONE)):
            try:
                cache.incr(key)
            except ValueError:  # not set yet, or evicted: start from the clock so no old value comes back
                cache.set(key, time.time_ns(), None)
    except Exception:  # the cache server is away; the short timeout bounds what stays stale
        logger.warning("dashboard: could not invalidate the cached figures", exc_info=True)


def cached(name: str, f: StatsFilter, compute: Callable[[StatsFilter], Any]) -> Any:
    """The payload of `compute(f)`, from the cache while no write touched its congresses. Without a
    cache server, or with `DASHBOARD_CACHE_SECONDS` 0, the figures are computed every time (and
    nothing is read from the cache: another process may have filled it)."""
    if timeout() <= 0:
        return compute(f)
    try:
        key = f"{prefix()}:{name}:{translation.get_language()}:{generation(f)}:{f.cache_key()}"
        payload = cache.get(key)
    except Exception:
        logger.warning("dashboard: cache unavailable, computing the figures", exc_info=True)
        return compute(f)
    if payload is None:
        payload = compute(f)
        try:
            cache.set(key, payload, timeout())
        except Exception:
            logger.warning("dashboard: could not cache the figures", exc_info=True)
    return payload


def _on_write(sender: Any, instance: Any, **kwargs: Any) -> None:
    """Remember the congress; one callback per transaction (and savepoint) bumps every congress
    written to in it."""
    congress_id = getattr(instance, "congress_id", None)
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        bump(congress_id)
        return
    # Reuse the callback queued at this same savepoint level only: a savepoint rolled back drops
    # its own callback (and only its own), and a write inside a later savepoint (a service called
    # after others in one request, or in a test's captured block) gets a callback of its own
    # rather than joining one queued earlier that may run apart from it.
    savepoints = set(connection.savepoint_ids)
    flush = next(
        (
            callback
            for sids, callback, *_robust in connection.run_on_commit
            if sids == savepoints and getattr(callback, "dashboard_invalidation", False)
        ),
        None,
    )
    if flush is None:
        written: set[int | None] = set()

        def flush() -> None:
            for written_id in written:
                bump(written_id)

        flush.written = written  # type: ignore[attr-defined]
        flush.dashboard_invalidation = True  # type: ignore[attr-defined]
        transaction.on_commit(flush)
    flush.written.add(congress_id)


def connect(models: list[type]) -> None:
    """Invalidate on every save, delete and many-to-many change of these models."""
    for model in models:
        uid = f"dashboard-{model._meta.label_lower}"
        post_save.connect(_on_write, sender=model, dispatch_uid=f"{uid}-save", weak=False)
        post_delete.connect(_on_write, sender=model, dispatch_uid=f"{uid}-delete", weak=False)
        for field in model._meta.many_to_many:
            m2m_changed.connect(
                _on_write, sender=field.remote_field.through, dispatch_uid=f"{uid}-{field.name}", weak=False
            )
