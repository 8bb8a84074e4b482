"""Roles are Django groups carrying model permissions; scope is data (see `congress.scoping`).

`ROLE_PERMISSIONS` is the one table of what each role may do in the admin; `sync_roles()` makes the
groups match it after every migration, so a new model's permissions reach the roles on deploy.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMINISTRATOR = "administrators", _("Administrators")
    OFFICE = "office_staff", _("Deputy-affairs office staff")
    COMMITTEE = "committee_staff", _("Committee staff")
    UNIT = "unit_staff", _("Handling-unit staff")
    STATION = "station_staff", _("Liaison-station staff")
    LEADER = "leaders", _("Leaders")
    DEPUTY = "deputies", _("Deputies")


# Our apps whose models office staff manage in full.
MANAGED_APPS = ("congress", "deputies", "suggestions", "liaison_stations")

# Models of committee-driven deputy work that committee staff run (add and change, not delete).
COMMITTEE_WORK_MODELS = (
    "activity",
    "invitation",
    "professionalgroup",
    "groupmembership",
    "groupoutput",
    "specialsupervisor",
    "trainingplan",
    "plannedcourse",
    "learningmaterial",
    "meeting",
    "agendatopic",
    "meetingopinion",
    "legislativeround",
    "legislativeproposal",
    "draftregulation",
    "draftprovision",
    "evaluationproject",
    "evaluationgroup",
    "campaign",
)

# role -> list of (app_label, actions) or (app_label, actions, model names); actions are the
# permission verbs granted on every model of the app (or on the listed models only). Object scope
# is not expressed here: querysets limit every role to its congress/unit/...
ROLE_PERMISSIONS: dict[str, list[tuple]] = {
    Role.ADMINISTRATOR: [(app, ("add", "change", "delete", "view")) for app in MANAGED_APPS]
    + [("auth", ("add", "change", "delete", "view")), ("django_celery_beat", ("add", "change", "delete", "view"))],
    Role.OFFICE: [(app, ("add", "change", "delete", "view")) for app in MANAGED_APPS],
    Role.COMMITTEE: [(app, ("view",)) for app in MANAGED_APPS]
    + [("deputies", ("add", "change"), COMMITTEE_WORK_MODELS)],
    Role.LEADER: [(app, ("view",)) for app in MANAGED_APPS],
    Role.UNIT: [],
    Role.STATION: [],
    Role.DEPUTY: [],
}

# Roles whose members work in /admin/ (Django's is_staff flag); leaders only read there (view permissions).
ADMIN_ROLES = frozenset({Role.ADMINISTRATOR, Role.OFFICE, Role.COMMITTEE, Role.LEADER})

# Permissions a role must never get through the app-wide grant (audit rows are written by code).
EXCLUDED_CODENAMES = frozenset({"add_heartbeat", "change_heartbeat", "delete_heartbeat"})


def sync_roles() -> None:
    """Create the role groups and give each exactly the permissions of `ROLE_PERMISSIONS`."""
    from django.contrib.auth.models import Group, Permission

    for role, grants in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=role)
        permissions = []
        for app_label, actions, *only in grants:
            candidates = Permission.objects.filter(content_type__app_label=app_label)
            if only:
                candidates = candidates.filter(content_type__model__in=only[0])
            for permission in candidates:
                action = permission.codename.split("_", 1)[0]
                if action in actions and permission.codename not in EXCLUDED_CODENAMES:
                    permissions.append(permission)
        group.permissions.set(permissions)
