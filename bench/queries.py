"""`make bench`, the query counts: how many SQL queries each key page runs, for an account with
`--focus-rows` rows (2,000 by default) and for its twin with 2 (bench/pages.py `SMALL_TWIN`).

Pages are requested in-process with Django's test client, the dashboard cache off (so the counts
are those of a cold page), inside a transaction rolled back at the end: the citizen's POST and the
logins leave nothing behind. On PostgreSQL every SELECT a page ran is also EXPLAINed, and a
sequential scan of a table with more than `BIG_TABLE_ROWS` rows is reported: the indexes are
proven by the plans of the real queries on the scale data. Writes ``<out>/queries.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "congress.settings")

from bench.pages import PAGES, Page  # noqa: E402

BIG_TABLE_ROWS = 20_000
INTAKE = {"content": "压测：小区门口路灯不亮，晚上出行不便。", "location": "", "website": ""}


def big_seq_scans(sql_list: list[str]) -> list[dict]:
    """The sequential scans of big tables in the plans of these queries (PostgreSQL only)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return []
    with connection.cursor() as cursor:
        cursor.execute("SELECT relname, reltuples FROM pg_class WHERE relkind = 'r'")
        sizes = dict(cursor.fetchall())
        found = []
        for sql in sql_list:
            if not sql.lstrip().upper().startswith("SELECT"):
                continue
            cursor.execute("EXPLAIN (FORMAT JSON) " + sql)
            plan = cursor.fetchone()[0]
            plan = json.loads(plan) if isinstance(plan, str) else plan
            for node in walk(plan[0]["Plan"]):
                table = node.get("Relation Name")
                if node["Node Type"] == "Seq Scan" and sizes.get(table, 0) > BIG_TABLE_ROWS:
                    found.append({"table": table, "rows": int(sizes[table]), "sql": sql[:300]})
    return found


def walk(node: dict):
    yield node
    for child in node.get("Plans", []):
        yield from walk(child)


def count_queries(page: Page, manifest: dict, *, small: bool, scans: list | None = None) -> int | None:
    """Queries of one request to `page` (as its account, or its 2-row twin); None when not applicable.
    With `scans`, the big sequential scans of the page's queries are appended to it."""
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    account = page.small_account() if small else page.account
    if small and account is None:
        return None
    client = Client(HTTP_X_FORWARDED_PROTO="https")
    if account:
        client.force_login(get_user_model().objects.get(username=account))
    path = page.url(manifest, small=small)
    with CaptureQueriesContext(connection) as queries:
        response = client.post(path, INTAKE) if page.method == "POST" else client.get(path)
    if response.status_code not in page.ok_status:
        raise SystemExit(f"{page.name}: {page.method} {path} answered {response.status_code}")
    if scans is not None:
        scans.extend(big_seq_scans([query["sql"] for query in queries.captured_queries]))
    return len(queries)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--manifest", default=str(ROOT / "var" / "bench" / "manifest.json"))
    parser.add_argument("--out", default=str(ROOT / "var" / "bench"))
    args = parser.parse_args()
    os.environ["DASHBOARD_CACHE_SECONDS"] = "0"

    import django

    django.setup()
    from django.conf import settings
    from django.db import transaction

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    manifest = json.loads(Path(args.manifest).read_text())
    rows = []
    with transaction.atomic():
        for page in PAGES:
            if page.name == "trivial" or page.server == "cold":
                continue
            scans: list[dict] = []
            many = count_queries(page, manifest, small=False, scans=scans)
            few = count_queries(page, manifest, small=True)
            rows.append(
                {"name": page.name, "label": page.label, "rows_many": many, "rows_two": few, "seq_scans": scans}
            )
            print(f"  {page.name:<22} {many:>4} queries" + (f" ({few} with 2 rows)" if few is not None else ""))
            for scan in scans:
                print(f"      sequential scan of {scan['table']} ({scan['rows']:,} rows): {scan['sql'][:120]}")
        transaction.set_rollback(True)
    path = Path(args.out) / "queries.json"
    Path(args.out).mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"focus_rows": manifest.get("sizes", {}).get("focus_rows"), "rows": rows}, indent=2))
    print(f"Query counts written to {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
