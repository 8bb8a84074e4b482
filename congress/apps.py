from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _sync_roles(sender: AppConfig, **kwargs: object) -> None:
    """Runs after each app's post_migrate: that app's permissions exist only from then on, so the
    roles are synced again whenever an app they are granted on has been migrated."""
    from .roles import ROLE_PERMISSIONS, sync_roles

    granted_apps = {app_label for grants in ROLE_PERMISSIONS.values() for app_label, _actions, *_models in grants}
    if sender.label in granted_apps:
        sync_roles()


class CongressConfig(AppConfig):
    name = "congress"
    verbose_name = _("Congress organisation")

    def ready(self) -> None:
        # Groups and their permissions follow `roles.ROLE_PERMISSIONS` after every migrate.
        post_migrate.connect(_sync_roles, dispatch_uid="congress_sync_roles")
