"""congress.pagination: exact counts up to a bound, the planner's estimate beyond (PostgreSQL)."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from congress.models import CalendarDay
from congress.pagination import EstimatedCountPaginator, planner_estimate
from tests.congress.factories import CalendarDayFactory


class SmallBound(EstimatedCountPaginator):
    exact_up_to = 5


@pytest.fixture
def twelve_days(db):
    start = datetime.date(2026, 1, 1)
    for offset in range(12):
        CalendarDayFactory(date=start + datetime.timedelta(days=offset))
    return CalendarDay.objects.order_by("date")


def test_below_the_bound_the_count_is_exact(twelve_days):
    # when a list of 12 rows is paged with the default bound (10,000)
    paginator = EstimatedCountPaginator(twelve_days, 5)

    # then it is counted exactly, in one query that stops at the bound
    with CaptureQueriesContext(connection) as queries:
        assert paginator.count == 12
    assert paginator.is_estimate is False
    assert paginator.num_pages == 3
    assert len(queries) == 1
    assert "LIMIT" in queries[0]["sql"].upper()


def test_above_the_bound_sqlite_counts_exactly_and_postgresql_estimates(twelve_days):
    # when the rows are more than the bound
    paginator = SmallBound(twelve_days, 5)

    # then PostgreSQL's planner estimate is used (never below the bound), elsewhere an exact count
    if connection.vendor == "postgresql":
        assert paginator.is_estimate is True
        assert paginator.count >= SmallBound.exact_up_to + 1
    else:
        assert paginator.is_estimate is False
        assert paginator.count == 12
    assert list(paginator.page(1).object_list) == list(twelve_days[:5])


def test_a_list_is_counted_by_its_length(db):
    paginator = SmallBound(list(range(8)), 5)
    assert paginator.count == 8
    assert paginator.is_estimate is False


@pytest.mark.postgres
def test_the_planner_estimate_reads_explain(twelve_days):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (DATABASE_URL)")
    # when the estimate of a filtered list is asked
    estimate = planner_estimate(twelve_days.filter(date__gte=datetime.date(2026, 1, 6)))

    # then it is a row count from EXPLAIN
    assert isinstance(estimate, int)
    assert estimate >= 1


def test_there_is_no_estimate_outside_postgresql(twelve_days):
    if connection.vendor == "postgresql":
        pytest.skip("SQLite and others only")
    assert planner_estimate(twelve_days) is None
