"""Per-address rate limits kept in Django's cache (fixed windows), and the client's address.

Used by the login page (failed sign-ins from one address), the public intake and the tracking
lookups (liaison_stations.services.public). The limits fail open: with the cache server down nothing
is counted and every request goes through, because a citizen's message matters more than a limit
(django-axes still locks accounts, in the database).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.core.cache import cache

logger = logging.getLogger(__name__)

HOUR = 3600


def client_ip(meta: Mapping[str, Any]) -> str | None:
    """The address a request came from. REMOTE_ADDR, unless `TRUSTED_PROXY_COUNT` proxies stand in
    front: each appends the address it saw to X-Forwarded-For, so the client is the entry that many
    places from the right (entries further left were written by the client and could be forged)."""
    proxies = int(getattr(settings, "TRUSTED_PROXY_COUNT", 0) or 0)
    if proxies > 0:
        forwarded = [part.strip() for part in str(meta.get("HTTP_X_FORWARDED_FOR", "")).split(",") if part.strip()]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return meta.get("REMOTE_ADDR") or None


def _key(bucket: str, who: str | None) -> str:
    return f"ratelimit:{bucket}:{who or 'unknown'}"


def count(*, bucket: str, who: str | None) -> int:
    """How many requests `who` made in its current window (nothing is counted); 0 with the cache down."""
    try:
        return int(cache.get(_key(bucket, who), 0))
    except Exception:  # the cache server is down or unreachable
        logger.warning("Rate-limit cache unavailable; %s limit not applied to %s", bucket, who, exc_info=True)
        return 0


def exceeded(*, bucket: str, who: str | None, limit: int) -> bool:
    """Whether `who` has used up its window: the next request is refused (429)."""
    return count(bucket=bucket, who=who) >= limit


def hit(*, bucket: str, who: str | None, window: int = HOUR) -> int:
    """Count one request and return the count in the window (the first request opens it). With the
    cache down nothing is counted and 1 is returned."""
    key = _key(bucket, who)
    try:
        cache.add(key, 0, timeout=window)
        try:
            return int(cache.incr(key))
        except ValueError:  # the window expired between add and incr
            cache.set(key, 1, timeout=window)
            return 1
    except Exception:  # the cache server is down or unreachable
        logger.warning("Rate-limit cache unavailable; %s request of %s not counted", bucket, who, exc_info=True)
        return 1
