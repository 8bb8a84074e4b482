"""`python manage.py workflows_doc`: regenerate docs/WORKFLOWS.md from the models' state machines."""

from typing import Any

from django.core.management.base import BaseCommand

from suggestions.workflow_doc import document_path, render


class Command(BaseCommand):
    help = "Write docs/WORKFLOWS.md from the state machines declared on the models."

    def handle(self, *args: Any, **options: Any) -> None:
        path = document_path()
        path.write_text(render(), encoding="utf-8")
        self.stdout.write(self.style.SUCCESS(f"Wrote {path}"))
