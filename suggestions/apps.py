from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SuggestionsConfig(AppConfig):
    name = "suggestions"
    verbose_name = _("Suggestions")

    def ready(self) -> None:
        from congress.api_errors import register_conflict_exception

        from .exceptions import ForbiddenMove

        register_conflict_exception(ForbiddenMove)
