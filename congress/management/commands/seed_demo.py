"""`python manage.py seed_demo`: idempotent demo data for every app, and the demo accounts.

Each of our apps may have a `demo` module with `seed(context)`; they run in the order of
INSTALLED_APPS (lower apps first) and share `context`, so this command never imports a higher app.
"""

from __future__ import annotations

import importlib
import os
from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

DEFAULT_DEMO_PASSWORD = "demo-2026"  # noqa: S105 - a documented demo default, printed at the end
PROJECT_APPS = ("congress", "deputies", "suggestions", "liaison_stations", "dashboard")


class Command(BaseCommand):
    help = "Load the demo congress, registry and accounts (safe to run again)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--password", help="Password of the demo accounts (default: $DEMO_PASSWORD).")

    def handle(self, *args: Any, **options: Any) -> None:
        password = options["password"] or os.environ.get("DEMO_PASSWORD") or DEFAULT_DEMO_PASSWORD
        context: dict[str, Any] = {"password": password, "accounts": [], "log": self.stdout.write}
        with transaction.atomic():
            for config in apps.get_app_configs():
                if config.name not in PROJECT_APPS:
                    continue
                try:
                    module = importlib.import_module(f"{config.name}.demo")
                except ModuleNotFoundError as error:
                    if error.name != f"{config.name}.demo":
                        raise
                    continue
                module.seed(context)
        self.stdout.write(self.style.SUCCESS("Demo data is ready."))
        self.stdout.write(f"Demo accounts (username — role), password: {password}")
        for username, role in context["accounts"]:
            self.stdout.write(f"  {username:<10} {role}")
