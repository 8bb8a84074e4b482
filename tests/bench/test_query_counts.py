"""Every key page of `make bench` runs the same number of queries with 2 rows and with 2,000.

The data are seed_scale's (`congress.scale.build` with `Sizes.tiny`), built twice in one test, each
inside a transaction rolled back after counting: once with the bench accounts' lists at 2 rows,
once at 2,000. The pages and accounts are bench/pages.py's, counted as bench/queries.py counts
them (the dashboard's cache off, so its figures are computed)."""

from __future__ import annotations

import pytest
from django.db import transaction

from bench.pages import PAGES
from bench.queries import count_queries
from congress.scale.build import build
from congress.scale.sizes import Sizes

KEY_PAGES = [page for page in PAGES if page.name != "trivial" and page.server != "cold"]


def counts_with(rows: int) -> dict[str, int]:
    """Queries per key page on a fresh tiny world whose bench accounts' lists have `rows` rows."""
    with transaction.atomic():
        manifest = build(Sizes.tiny(focus_rows=rows))
        counts = {page.name: count_queries(page, manifest, small=False) for page in KEY_PAGES}
        transaction.set_rollback(True)
    return counts


@pytest.mark.django_db
def test_every_key_page_runs_as_many_queries_with_2000_rows_as_with_2(settings):
    # given the dashboard computes its figures (no cache)
    settings.DASHBOARD_CACHE_SECONDS = 0

    # when each key page is requested on a world with 2-row lists and on one with 2,000-row lists
    few = counts_with(2)
    many = counts_with(2000)

    # then every page answered, and no count grew with the rows
    assert set(few) == set(many) == {page.name for page in KEY_PAGES}
    grown = {name: (few[name], many[name]) for name in few if few[name] != many[name]}
    assert grown == {}, f"queries grew with the rows (2 rows, 2,000 rows): {grown}"
