"""Paging long tables without counting them: exact up to a bound, the planner's estimate beyond.

`COUNT(*)` reads every matching row; on a table of hundreds of thousands of suggestions or a
million citizens' issues that is most of a changelist's time. `EstimatedCountPaginator` counts at
most `exact_up_to` + 1 rows (``SELECT COUNT(*) FROM (… LIMIT n)``, which stops early). When there
are more, it takes PostgreSQL's estimate of the row count from ``EXPLAIN`` (never below the bound)
and says so (`is_estimate`), so pages show "about 300,000". Other databases count exactly.
"""

from __future__ import annotations

import json
from functools import cached_property

from django.core.paginator import Paginator
from django.db import connections
from django.db.models import QuerySet

EXACT_UP_TO = 10_000


def planner_estimate(queryset: QuerySet) -> int | None:
    """PostgreSQL's estimate of how many rows `queryset` returns, or None elsewhere."""
    connection = connections[queryset.db]
    if connection.vendor != "postgresql":
        return None
    sql, params = queryset.order_by().values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        plan = cursor.fetchone()[0]
    if isinstance(plan, str):
        plan = json.loads(plan)
    return int(plan[0]["Plan"]["Plan Rows"])


class EstimatedCountPaginator(Paginator):
    exact_up_to = EXACT_UP_TO

    @cached_property
    def count(self) -> int:
        return self._counted[0]

    @cached_property
    def is_estimate(self) -> bool:
        return self._counted[1]

    @cached_property
    def _counted(self) -> tuple[int, bool]:
        """(the count, whether it is the planner's estimate)."""
        rows = self.object_list
        if not isinstance(rows, QuerySet):
            return len(rows), False
        capped = rows[: self.exact_up_to + 1].count()
        if capped <= self.exact_up_to:
            return capped, False
        estimate = planner_estimate(rows)
        if estimate is None:
            return rows.count(), False
        return max(estimate, capped), True
