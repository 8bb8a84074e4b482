"""`python manage.py duty_snapshots [--as-of YYYY-MM-DD]`: keep the duty-record points and ranks for
the year and the quarter to date (beat runs the same code nightly)."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from deputies.duty import duty_snapshot_run, snapshot_periods


class Command(BaseCommand):
    help = "Snapshot every serving deputy's duty-record points and rank for the periods of a day."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--as-of", dest="as_of", metavar="YYYY-MM-DD", help="Run as of this date (default: today).")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            day = datetime.date.fromisoformat(options["as_of"]) if options["as_of"] else timezone.localdate()
        except ValueError:
            raise CommandError(f"--as-of takes a date written YYYY-MM-DD; got {options['as_of']!r}.") from None
        result = duty_snapshot_run(as_of=day)
        periods = ", ".join(f"{year} Q{quarter}" if quarter else f"{year}" for year, quarter in snapshot_periods(day))
        self.stdout.write(f"{result['snapshots']} snapshots in {result['congresses']} congresses ({periods}).")
