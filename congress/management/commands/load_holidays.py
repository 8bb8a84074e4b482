"""`python manage.py load_holidays [--year YYYY ...]`: load official holidays and make-up working days."""

from typing import Any

from django.core.management.base import BaseCommand

from congress.services import HOLIDAY_DATA, calendar_load_official


class Command(BaseCommand):
    help = "Load the official holidays and make-up working days (调休) into the working calendar."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--year", type=int, action="append", help="Only this year (repeatable).")

    def handle(self, *args: Any, **options: Any) -> None:
        written = calendar_load_official(years=options["year"])
        self.stdout.write(self.style.SUCCESS(f"{written} calendar days loaded from {HOLIDAY_DATA.name}."))
