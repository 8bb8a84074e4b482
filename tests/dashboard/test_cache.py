"""Caching of the figures: a payload is computed once and served from the cache (no query) until a
write of its congress commits; a write of another congress leaves it cached; the language is part
of the key; and a cache that is down costs the cache, never the figures or the write.

NB: pytest-django runs each test in a transaction, so `transaction.on_commit` callbacks (which drop
the cached figures) run only inside `django_capture_on_commit_callbacks(execute=True)`.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from unittest import mock

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from dashboard.stats import STATS, suggestion_stats
from suggestions import services
from tests.dashboard.builders import SUBMITTED_ON, Known, build_known, stats, stats_filter

pytestmark = pytest.mark.django_db


@pytest.fixture
def known(request: Any) -> Known:
    return build_known(request)


def new_suggestion(deputy_user: Any, tenant: Any) -> Any:
    suggestion = services.suggestion_create(
        actor=deputy_user,
        deputy=deputy_user.deputy,
        session=tenant.session,
        title="关于缓存的建议",
        body="建议……",
        category=tenant.subject_category,
    )
    return services.suggestion_submit(suggestion=suggestion, actor=deputy_user, on=SUBMITTED_ON)


def queries_of(compute: Any) -> tuple[Any, int]:
    with CaptureQueriesContext(connection) as captured:
        result = compute()
    return result, len(captured)


@contextmanager
def cache_down() -> Iterator[None]:
    """Every call to the cache server fails, as when Redis is away."""
    backend = caches["default"]
    error = ConnectionError("cache server unreachable")
    with (
        mock.patch.object(backend, "get", side_effect=error),
        mock.patch.object(backend, "get_many", side_effect=error),
        mock.patch.object(backend, "set", side_effect=error),
        mock.patch.object(backend, "incr", side_effect=error),
    ):
        yield


def test_a_payload_is_served_from_the_cache(known, leader_user):
    f = stats_filter(leader_user)
    for name, compute in STATS.items():
        first, computing = queries_of(lambda compute=compute: compute(f))
        second, cached = queries_of(lambda compute=compute: compute(f))
        assert computing > 0, name
        assert cached == 0, name
        assert second == first, name


def test_a_committed_write_makes_the_next_read_fresh(
    known, leader_user, deputy_user, django_capture_on_commit_callbacks
):
    f = stats_filter(leader_user)
    assert suggestion_stats(f)["total"] == 15

    # A write whose commit callbacks do not run (as in any test) leaves the cached figures.
    new_suggestion(deputy_user, known.a)
    assert suggestion_stats(f)["total"] == 15

    # when a write commits
    with django_capture_on_commit_callbacks(execute=True):
        new_suggestion(deputy_user, known.a)

    # then the next read computes afresh
    fresh, count = queries_of(lambda: suggestion_stats(f))
    assert count > 0
    assert fresh["total"] == 17


def test_a_write_of_another_congress_leaves_the_cache(
    client, known, leader_user, admin_user, other_deputy_user, django_capture_on_commit_callbacks
):
    a = stats_filter(leader_user)
    everything = stats_filter(admin_user)
    suggestion_stats(a), suggestion_stats(everything)

    with django_capture_on_commit_callbacks(execute=True):
        new_suggestion(other_deputy_user, known.b)

    of_a, count = queries_of(lambda: suggestion_stats(a))
    assert (of_a["total"], count) == (15, 0)
    # The figures over every congress depend on B's: computed afresh.
    assert suggestion_stats(everything)["total"] == 15 + 1 + 1


def test_the_api_serves_fresh_figures_after_a_committed_write(
    client, known, leader_user, deputy_user, django_capture_on_commit_callbacks
):
    assert stats(client, leader_user, "suggestions")["total"] == 15

    with django_capture_on_commit_callbacks(execute=True):
        new_suggestion(deputy_user, known.a)

    assert stats(client, leader_user, "suggestions")["total"] == 16


def test_each_language_has_its_own_payload(known, leader_user):
    f = stats_filter(leader_user)

    with translation.override("zh-hans"):
        chinese = {row["status"]: row["label"] for row in suggestion_stats(f)["by_status"]}
    with translation.override("en"):
        english = {row["status"]: row["label"] for row in suggestion_stats(f)["by_status"]}

    assert chinese["closed"] != english["closed"] == "Closed"


def test_without_a_ttl_nothing_is_cached(known, leader_user, settings):
    settings.DASHBOARD_CACHE_SECONDS = 0
    f = stats_filter(leader_user)

    suggestion_stats(f)
    _again, count = queries_of(lambda: suggestion_stats(f))

    assert count > 0


def test_a_cache_that_is_down_still_gives_the_figures_and_takes_the_writes(
    client, known, leader_user, deputy_user, django_capture_on_commit_callbacks
):
    f = stats_filter(leader_user)
    expected = {name: compute(f) for name, compute in STATS.items()}  # computed while the cache works

    with cache_down():
        # the figures are computed without the cache
        for name, compute in STATS.items():
            assert compute(f) == expected[name], name
        assert stats(client, leader_user, "suggestions")["total"] == 15
        # a write succeeds: dropping the cached figures after the commit fails quietly
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            suggestion = new_suggestion(deputy_user, known.a)
        assert callbacks
        assert suggestion.number is not None
        # and the next read has it
        assert suggestion_stats(f)["total"] == 16
        assert stats(client, leader_user, "suggestions")["total"] == 16
