from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _sync_roles(sender: AppConfig, **kwargs: object) -> None:
    from .roles import sync_roles

    sync_roles()


class CongressConfig(AppConfig):
    name = "congress"
    verbose_name = _("Congress organisation")

    def ready(self) -> None:
        # Groups and their permissions follow `roles.ROLE_PERMISSIONS` after every migrate.
        post_migrate.connect(_sync_roles, sender=self, dispatch_uid="congress_sync_roles")
