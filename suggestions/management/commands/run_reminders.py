"""`python manage.py run_reminders [--as-of YYYY-MM-DD] [--dry-run]`: the daily reminder sweep as of a
date; beat runs the same code every morning (suggestions.tasks.run_reminders)."""

from __future__ import annotations

import datetime
import re
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from suggestions.reminders import run_reminders

ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def parse_day(value: str) -> datetime.date:
    if not ISO_DATE.match(value):
        raise CommandError(f"--as-of takes a date written YYYY-MM-DD, for example 2026-04-09; got {value!r}.")
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--as-of {value} is not a day of the calendar; check the month and the day.") from None


class Command(BaseCommand):
    help = (
        "Send the reminders of the suggestion workflow due on or before a date (each only once) and close "
        "replied suggestions left unrated past their evaluation window."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--as-of", dest="as_of", metavar="YYYY-MM-DD", help="Run as of this date (default: today).")
        parser.add_argument(
            "--dry-run", action="store_true", help="Report what would be sent and closed; write and send nothing."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        as_of = parse_day(options["as_of"]) if options["as_of"] else timezone.localdate()
        report = run_reminders(as_of=as_of, dry_run=options["dry_run"])
        for line in report.summary_lines():
            self.stdout.write(line)
        if report.errors:
            self.stderr.write(f"{report.errors} reminders failed; see the log. The next run retries them.")
