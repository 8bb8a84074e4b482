"""`make bench`, the reminder sweep: time and memory of the daily sweep with many open items.

Inside a transaction that is rolled back at the end (the database is left as it was), the script
makes the day a normal one (`push_back_seeded`), adds open citizens' issues (copies of the seeded
ones, handled at tier 1), `--due` of them due on the sweep's day and the rest two months later,
then runs the whole daily sweep (`suggestions.reminders.run_reminders`, which runs the issue sweep
too) as of that day. It does so twice, with `--open-small` and with `--open` open items, to show
that time and memory follow the items due, not the items open. Memory is the peak resident size
above the size before the sweep, sampled every 20 ms.

Run by bench/run.sh with the bench database in DATABASE_URL; writes ``<out>/sweep.json``.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "congress.settings")


def rss_bytes() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


class PeakMemory:
    """The highest resident size seen while the block runs, above the size when it started."""

    def __init__(self) -> None:
        self.start = self.peak = rss_bytes()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)

    def _watch(self) -> None:
        while not self._stop.wait(0.02):
            self.peak = max(self.peak, rss_bytes())

    def __enter__(self) -> PeakMemory:
        self.start = self.peak = rss_bytes()
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, rss_bytes())

    @property
    def grown_mb(self) -> float:
        return round((self.peak - self.start) / 2**20, 1)


def add_open_issues(*, total: int, due: int, as_of: datetime.date) -> int:
    """`total` open issues handled at tier 1, copied from the seeded ones in one INSERT … SELECT per pass."""
    from django.db import connection
    from django.utils import timezone

    from liaison_stations.choices import IssueStatus
    from liaison_stations.models import PublicIssue

    table = connection.ops.quote_name(PublicIssue._meta.db_table)
    fields = [field for field in PublicIssue._meta.concrete_fields if not field.primary_key]
    source = PublicIssue.objects.count()
    last = PublicIssue.objects.order_by("-pk").values_list("pk", flat=True).first()
    if not source:
        raise SystemExit("No public issues to copy: seed the database with `manage.py seed_scale` first.")
    later = as_of + datetime.timedelta(days=60)
    added = 0
    sweep_pass = 0
    with connection.cursor() as cursor:
        while added < total:
            take = min(source, total - added)
            overrides = {
                "status": "%s",
                "tier": "1",
                "handling_unit_id": "NULL",
                "due_on": f"CASE WHEN id <= (SELECT MIN(id) FROM {table}) + %s THEN %s ELSE %s END",  # noqa: S608
                "tracking_code": f"'Z{sweep_pass}-' || CAST(id AS VARCHAR(12))",
                "intake_notified_at": "%s",
                "answered_at": "NULL",
                "closed_at": "NULL",
                "close_reason": "''",
                "rating": "''",
            }
            params: list = []
            select = []
            for field in fields:
                expression = overrides.get(field.attname, connection.ops.quote_name(field.column))
                if field.attname == "status":
                    params.append(IssueStatus.HANDLING)
                elif field.attname == "due_on":
                    params += [max(0, due - added - 1), as_of, later] if added < due else [-1, as_of, later]
                elif field.attname == "intake_notified_at":
                    params.append(timezone.now())
                select.append(expression)
            columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
            cursor.execute(
                f"INSERT INTO {table} ({columns}) SELECT {', '.join(select)} FROM {table} "  # noqa: S608
                f"WHERE id <= %s ORDER BY id LIMIT %s",
                [*params, last, take],
            )
            added += take
            sweep_pass += 1
    return added


def push_back_seeded(*, as_of: datetime.date) -> int:
    """Make the day a normal day. The seed leaves open, overdue issues that daily sweeps would have
    reminded about on earlier days (bench/run.sh runs the sweep of yesterday once after seeding, which
    sends the rest of the backlog), and the bench's own QR submissions wait for intake notices that a
    worker (not running during the bench) would have sent. So: the seeded open issues' due dates move
    past the window, and owed intake notices count as sent. Returns the issues moved."""
    from django.db import connection
    from django.utils import timezone

    from liaison_stations.choices import IssueStatus
    from liaison_stations.models import PublicIssue

    table = connection.ops.quote_name(PublicIssue._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET intake_notified_at = %s WHERE intake_notified_at IS NULL",  # noqa: S608
            [timezone.now()],
        )
        cursor.execute(
            f"UPDATE {table} SET due_on = %s WHERE status IN (%s, %s) AND due_on IS NOT NULL",  # noqa: S608
            [as_of + datetime.timedelta(days=90), IssueStatus.SUBMITTED, IssueStatus.HANDLING],
        )
        return cursor.rowcount


def one_sweep(*, open_items: int, due: int, as_of: datetime.date) -> dict:
    from django.db import transaction

    from liaison_stations.choices import IssueStatus
    from liaison_stations.models import PublicIssue
    from suggestions.reminders import run_reminders

    with transaction.atomic():
        started = time.monotonic()
        push_back_seeded(as_of=as_of)
        add_open_issues(total=open_items, due=due, as_of=as_of)
        prepared = round(time.monotonic() - started, 1)
        open_now = PublicIssue.objects.filter(status__in=[IssueStatus.SUBMITTED, IssueStatus.HANDLING]).count()
        due_now = PublicIssue.objects.filter(
            status__in=[IssueStatus.SUBMITTED, IssueStatus.HANDLING], due_on__lte=as_of
        ).count()
        with PeakMemory() as memory:
            started = time.monotonic()
            report = run_reminders(as_of=as_of)
            seconds = round(time.monotonic() - started, 2)
        transaction.set_rollback(True)
    counts = report.as_dict() if hasattr(report, "as_dict") else {"summary": report.summary_lines()}
    return {
        "open_items": open_now,
        "due_items": due_now,
        "seconds": seconds,
        "memory_grown_mb": memory.grown_mb,
        "prepare_seconds": prepared,
        "report": counts,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--open", type=int, default=1_000_000, help="open items in the big run")
    parser.add_argument("--open-small", type=int, default=100_000, help="open items in the small run")
    parser.add_argument("--due", type=int, default=10_000)
    parser.add_argument("--as-of", default=None, help="YYYY-MM-DD (default: today)")
    parser.add_argument("--out", default=str(ROOT / "var" / "bench"))
    args = parser.parse_args()

    import django

    django.setup()
    from django.utils import timezone

    as_of = datetime.date.fromisoformat(args.as_of) if args.as_of else timezone.localdate()
    runs = []
    for open_items in (args.open_small, args.open):
        print(f"  sweep with {open_items:,} open items, {args.due:,} due …", flush=True)
        run = one_sweep(open_items=open_items, due=args.due, as_of=as_of)
        print(
            f"    {run['seconds']} s, memory +{run['memory_grown_mb']} MB ({run['open_items']:,} open, "
            f"{run['due_items']:,} due)",
            flush=True,
        )
        runs.append(run)
    Path(args.out).mkdir(parents=True, exist_ok=True)
    path = Path(args.out) / "sweep.json"
    path.write_text(json.dumps({"as_of": as_of.isoformat(), "runs": runs}, ensure_ascii=False, indent=2))
    print(f"Sweep figures written to {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
