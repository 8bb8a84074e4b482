"""Dashboard reads from a PostgreSQL streaming replica, when one is configured.

With ``DATABASE_REPLICA_URL`` set, settings add the database alias ``replica`` and this router.
Code that only reads aggregates (the dashboard's pages, drill-down lists and report, the stats
API) runs inside `replica_reads()`; every read there goes to the replica, every write and every
read elsewhere to ``default``. Without a replica the block changes nothing.

Replicas lag the primary by a moment; the dashboard tolerates that (its figures are cached for
`DASHBOARD_CACHE_SECONDS` anyway). Workflow pages never read the replica: a user who just saved
must see their change. docs/SCALING.md describes the deployment.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import wraps
from typing import Any

from django.conf import settings

REPLICA = "replica"

_reading_replica: ContextVar[bool] = ContextVar("reading_replica", default=False)


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


@contextmanager
def replica_reads() -> Iterator[None]:
    """Send the reads of this block to the replica (if there is one)."""
    token = _reading_replica.set(True)
    try:
        yield
    finally:
        _reading_replica.reset(token)


def reads_from_replica(view: Callable[..., Any]) -> Callable[..., Any]:
    """Decorator form of `replica_reads` for views that only read."""

    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        with replica_reads():
            return view(*args, **kwargs)

    return wrapped


class ReplicaRouter:
    """Reads inside `replica_reads()` go to ``replica``; everything else to ``default``."""

    def db_for_read(self, model: type, **hints: Any) -> str | None:
        if _reading_replica.get() and replica_configured():
            return REPLICA
        return None

    def db_for_write(self, model: type, **hints: Any) -> str | None:
        return "default"

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool | None:
        # Both aliases hold the same rows, so objects read from either may be related.
        return True

    def allow_migrate(self, db: str, app_label: str, model_name: str | None = None, **hints: Any) -> bool | None:
        return db != REPLICA
