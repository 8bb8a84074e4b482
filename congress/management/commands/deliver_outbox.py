"""`python manage.py deliver_outbox [--batch-size N] [--now]`: run the outbox messages still owed (what
the broker did not carry after a commit) in this process; beat runs the same code every minute."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from congress import outbox


class Command(BaseCommand):
    help = "Deliver the outbox messages still owed a minute after their commit (each only once)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--batch-size", type=int, default=outbox.BATCH_SIZE, help="Rows claimed per transaction.")
        parser.add_argument(
            "--now",
            action="store_true",
            help="Deliver also the messages written in the last minute (after an outage, with no worker running).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["batch_size"] < 1:
            raise CommandError("--batch-size takes a number of rows, 1 or more.")
        grace = datetime.timedelta(0) if options["now"] else outbox.GRACE
        delivered = outbox.deliver_owed(batch_size=options["batch_size"], grace=grace)
        self.stdout.write(f"Delivered {delivered} owed outbox message(s).")
