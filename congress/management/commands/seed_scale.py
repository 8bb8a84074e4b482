"""`python manage.py seed_scale`: benchmark data at scale in a dedicated, freshly migrated database,
with the bench accounts and a manifest (JSON) that benchmarks read. See `congress.scale`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from congress.scale.build import DEFAULT_PASSWORD, AlreadySeeded, build
from congress.scale.progress import Progress
from congress.scale.sizes import Sizes

DEFAULT_MANIFEST = Path("var") / "bench" / "manifest.json"


class Command(BaseCommand):
    help = (
        "Fill a dedicated, freshly migrated database with benchmark data (100,000 deputies, 300,000 suggestions, "
        "1,000,000 citizens' issues by default; --small for about 2,000 deputies) and the bench accounts."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--deputies", type=int, help="Deputies (persons), over every level.")
        parser.add_argument(
            "--congresses", type=int, help="Congresses: 1 national, 1 province, cities, counties, townships."
        )
        parser.add_argument("--suggestions", type=int, help="Suggestions in all.")
        parser.add_argument("--issues", type=int, help="Citizens' issues in all.")
        parser.add_argument("--stations", type=int, help="Liaison stations in all.")
        parser.add_argument(
            "--focus-rows",
            type=int,
            help="Rows of the bench accounts with a big list (default 2000; 500 with --small).",
        )
        parser.add_argument("--small", action="store_true", help="About 2,000 deputies: quick on SQLite.")
        parser.add_argument("--seed", type=int, default=1, help="Seed of the random choices (default 1).")
        parser.add_argument(
            "--password", default=DEFAULT_PASSWORD, help=f"Bench accounts' password ({DEFAULT_PASSWORD})."
        )
        parser.add_argument(
            "--manifest", default=None, help=f"Where to write the manifest (default {DEFAULT_MANIFEST})."
        )
        parser.add_argument("--no-progress", action="store_true", help="No progress bar on stderr.")
        parser.add_argument(
            "--force", action="store_true", help="Add the data even though the database has suggestions or issues."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        sizes = (Sizes.small() if options["small"] else Sizes.default()).replace(
            deputies=options["deputies"],
            congresses=options["congresses"],
            suggestions=options["suggestions"],
            issues=options["issues"],
            stations=options["stations"],
            focus_rows=options["focus_rows"],
        )
        progress = Progress(self.stderr._out, enabled=not options["no_progress"])
        try:
            manifest = build(
                sizes, seed=options["seed"], password=options["password"], progress=progress, force=options["force"]
            )
        except AlreadySeeded as error:
            raise CommandError(str(error)) from None
        except ValueError as error:
            raise CommandError(str(error)) from None
        path = Path(options["manifest"]) if options["manifest"] else Path(settings.BASE_DIR) / DEFAULT_MANIFEST
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        self.stdout.write(progress.table())
        self.stdout.write(self.style.SUCCESS(f"Scale data is ready ({manifest['database']}); manifest: {path}"))
        self.stdout.write(
            f"Bench accounts (password {manifest['password']}), focus congress {manifest['focus_congress']}:"
        )
        for account in manifest["accounts"]:
            self.stdout.write(f"  {account['username']:<20} {account['role']}")
