from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def deputy_scope(user: Any) -> dict[str, Any]:
    """A deputy user acts for their Deputy and sees the congresses where they serve."""
    from .choices import MandateStatus
    from .models import Deputy, Mandate

    deputy_id = Deputy.objects.filter(user=user).values_list("pk", flat=True).first()
    if deputy_id is None:
        return {}
    congress_ids = Mandate.objects.filter(deputy_id=deputy_id, status=MandateStatus.SERVING).values_list(
        "congress_id", flat=True
    )
    return {"deputy_id": deputy_id, "congress_ids": set(congress_ids)}


class DeputiesConfig(AppConfig):
    name = "deputies"
    verbose_name = _("Deputies")

    def ready(self) -> None:
        from congress.api_errors import register_conflict_exception
        from congress.scoping import register_scope_extension

        from .exceptions import WorkflowError

        register_scope_extension(deputy_scope)
        register_conflict_exception(WorkflowError)
