from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def station_scope(user: Any) -> dict[str, Any]:
    """Station staff act for the stations they are attached to (and see those stations' congress)."""
    from .models import StationStaff

    rows = list(StationStaff.objects.filter(user=user).values_list("station_id", "station__congress_id"))
    if not rows:
        return {}
    return {"station_ids": frozenset(row[0] for row in rows), "congress_ids": {row[1] for row in rows}}


class LiaisonStationsConfig(AppConfig):
    name = "liaison_stations"
    verbose_name = _("Liaison stations")

    def ready(self) -> None:
        from congress.api_errors import register_conflict_exception
        from congress.scoping import register_scope_extension

        from .exceptions import WorkflowError

        register_scope_extension(station_scope)
        register_conflict_exception(WorkflowError)

        # The daily sweeps run inside suggestions' `run_reminders` (beat and `--as-of`).
        from suggestions.reminders import register_sweep
        from suggestions.workflow_doc import register_machine

        from .reminders import sweep_issues
        from .services.receptions import register_reminders

        register_reminders()
        register_sweep("stations.issues", sweep_issues)

        from .models import PublicIssue

        register_machine("Citizen issue (群众意见闭环)", PublicIssue, "status")
