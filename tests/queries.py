"""Query budgets: a page must take as many queries with 20 rows as with 2."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext


def assert_same_query_count(
    django_assert_num_queries: Any, fetch: Callable[[], Any], add_rows: Callable[[], Any]
) -> tuple[Any, Any]:
    """Fetch with the rows there are (2), add rows (to 20), fetch again: the counts must be equal.

    A first fetch warms per-process caches (content types, permissions) so both counts compare alike.
    Returns the two responses.
    """
    fetch()
    with CaptureQueriesContext(connection) as baseline:
        few = fetch()
    add_rows()
    with django_assert_num_queries(len(baseline)):
        many = fetch()
    return few, many
