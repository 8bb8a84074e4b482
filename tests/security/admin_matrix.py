"""The admin's part of the matrix, generated from `admin.site._registry`.

For every registered model: the changelist, add, change, delete, history, the history version
(django-simple-history), the old-style `<id>/` redirect and, where the admin has them, import, export
and the password form. What each role may do comes from the roles' designed permissions
(`congress.roles.ROLE_PERMISSIONS`) less what a model's admin turns off (`TURNED_OFF`); which staff
find congress A's object follows its queryset's `visible_to` (`FOUND_BY`, the exceptions to "the
congress's staff"). Users who are not staff are sent to the admin's login.

Outside the scope, the admin answers as for a missing object: the change and delete pages send the
user to the admin's index with a message (Django's behaviour), the history pages answer 404
(`ScopedHistoryMixin`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import admin
from django.contrib.auth import get_permission_codename
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from import_export.admin import ExportMixin, ImportMixin
from simple_history.admin import SimpleHistoryAdmin

from congress.admin import ScopedHistoryMixin
from congress.roles import EXCLUDED_CODENAMES, ROLE_PERMISSIONS

from .matrix import (
    ADMIN_INDEX,
    ADMIN_LOGIN,
    ALLOWED,
    FORBIDDEN,
    LOGIN,
    NOT_FOUND,
    OK,
    REDIRECT,
    RoleInfo,
)
from .patterns import Pattern

# What a model's admin turns off for everyone (superusers too), and why.
TURNED_OFF: dict[str, set[str]] = {
    "congress.heartbeat": {"add", "change"},  # written by the beat
    "deputies.dutysnapshot": {"add"},  # written by the nightly snapshot
    "deputies.invitation": {"add"},  # invitations go through the desk or the API
    "deputies.legislativeproposal": {"add"},  # deputies propose in the portal or the API
    "deputies.draftcomment": {"add", "change"},  # deputies comment in the portal or the API
    "deputies.evaluationscore": {"add", "change"},  # deputies score in the portal or the API
    "deputies.materialcompletion": {"add", "change", "delete"},  # a deputy's own record
    "suggestions.suggestion": {"add"},  # deputies write suggestions in the portal or the API
    "suggestions.assignment": {"add"},
    "suggestions.adjustmentrequest": {"add"},
    "suggestions.extensionrequest": {"add"},
    "suggestions.supervisioncase": {"add"},
    "suggestions.reply": {"add"},
    "suggestions.evaluation": {"add"},
    "suggestions.reminderdispatch": {"add", "change"},  # the sweep's own record
    "liaison_stations.publicissue": {"add"},  # recorded on the desk or the API (intake, timeline)
    "liaison_stations.issueanswer": {"add", "change"},  # the timeline is the record
    "liaison_stations.issueevent": {"add", "change", "delete"},
    "liaison_stations.issuephoto": {"add", "change"},
    "axes.accessattempt": {"add"},
    "axes.accesslog": {"add"},
    "axes.accessfailurelog": {"add"},
}

# Staff roles of A that find A's object in the admin, where it is not all of them (office, committee,
# leaders): the `visible_to` rule of the model's queryset says so.
ALL_STAFF = frozenset({"office", "committee", "leader"})
FOUND_BY: dict[str, frozenset[str]] = {
    "congress.staffprofile": frozenset({"office"}),  # office staff of the congress (and the owner)
    "deputies.activityrecord": frozenset({"office", "leader"}),  # the duty record: office and leaders
    "deputies.dutysnapshot": frozenset({"office", "leader"}),  # points and ranks of the duty record
    "liaison_stations.visit": frozenset({"office", "leader"}),  # citizens' words and contacts
    "liaison_stations.publicissue": frozenset({"office", "leader"}),  # those who handle or watch it
    "liaison_stations.issueanswer": frozenset({"office", "leader"}),  # with their issue
    "liaison_stations.issueevent": frozenset({"office", "leader"}),
    "liaison_stations.issuephoto": frozenset({"office", "leader"}),
}
# Rows no congress owns: found by every staff member the permissions let in, except these.
SUPERUSERS_ONLY = {"suggestions.reminderdispatch"}  # ReminderDispatchAdmin.get_queryset

# The object of each shared model (keys of `Everything.shared`).
SHARED_OBJECTS = {
    "auth.group": "group",
    "auth.user": "user",
    "authtoken.tokenproxy": "token",
    "django_celery_beat.periodictask": "periodic_task",
    "django_celery_beat.clockedschedule": "clocked",
    "django_celery_beat.crontabschedule": "crontab",
    "django_celery_beat.solarschedule": "solar",
    "django_celery_beat.intervalschedule": "interval",
    "axes.accessattempt": "access_attempt",
    "axes.accesslog": "access_log",
    "axes.accessfailurelog": "access_failure",
    "congress.calendarday": "calendar_day",
    "congress.heartbeat": "heartbeat",
    "suggestions.reminderdispatch": "reminder_dispatch",
}


def label(model: Any) -> str:
    return model._meta.label_lower


def designed_permission(role: RoleInfo, model: Any, action: str) -> bool:
    """Whether the role's groups carry the permission (`ROLE_PERMISSIONS`); superusers have all."""
    if action in TURNED_OFF.get(label(model), set()):
        return False
    if role.superuser:
        return True
    meta = model._meta
    codename = get_permission_codename(action, meta)
    if codename in EXCLUDED_CODENAMES:
        return False
    for group in role.groups:
        for app_label, actions, *only in ROLE_PERMISSIONS.get(group, []):
            if app_label == meta.app_label and action in actions and (not only or meta.model_name in only[0]):
                return True
    return False


def finds(role: RoleInfo, model: Any, variant: str) -> bool:
    """Whether the role's admin queryset holds the object of the variant's congress."""
    if variant == "shared":
        return role.superuser or label(model) not in SUPERUSERS_ONLY
    if role.is_global:
        return True
    return role.congress == variant and role.mirrors in FOUND_BY.get(label(model), ALL_STAFF)


# --- the generated family ----------------------------------------------------------------------------


@dataclass(frozen=True)
class AdminModel:
    model: Any
    model_admin: Any

    @property
    def prefix(self) -> str:
        return f"admin/{self.model._meta.app_label}/{self.model._meta.model_name}/"

    @property
    def shared(self) -> bool:
        return label(self.model) in SHARED_OBJECTS

    @property
    def scoped_history(self) -> bool:
        return isinstance(self.model_admin, ScopedHistoryMixin)

    @property
    def simple_history(self) -> bool:
        return isinstance(self.model_admin, SimpleHistoryAdmin)

    def suffixes(self) -> dict[str, str]:
        """Each page of the model's admin: its route after the prefix -> its kind."""
        pages = {
            "": "changelist",
            "add/": "add",
            "<path:object_id>/history/": "history",
            "<path:object_id>/delete/": "delete",
            "<path:object_id>/change/": "change",
            "<path:object_id>/": "redirect",
        }
        if self.simple_history:
            pages["([^/]+)/history/([^/]+)/$"] = "history_version"
        if isinstance(self.model_admin, ImportMixin):
            pages["import/"] = "import"
            pages["process_import/"] = "process_import"
        if isinstance(self.model_admin, ExportMixin):
            pages["export/"] = "export"
        if label(self.model) == "auth.user":
            pages["<id>/password/"] = "password"
        return pages

    def claims(self, pattern: Pattern) -> bool:
        return pattern.route.startswith(self.prefix) and pattern.route[len(self.prefix) :] in self.suffixes()

    def expected(self, kind: str, role: RoleInfo, variant: str) -> str:
        """The outcome of one page of this model's admin for the role, with the variant's object."""
        if not role.staff:
            return ADMIN_LOGIN
        model = self.model
        can = {action: designed_permission(role, model, action) for action in ("add", "change", "delete", "view")}
        reads = can["view"] or can["change"]
        found = finds(role, model, variant)
        if kind == "changelist":
            return OK if reads else FORBIDDEN
        if kind == "add":
            return OK if can["add"] else FORBIDDEN
        if kind == "redirect":
            return REDIRECT
        if kind == "change":
            return FORBIDDEN if not reads else (OK if found else ADMIN_INDEX)
        if kind == "delete":
            return FORBIDDEN if not can["delete"] else (OK if found else ADMIN_INDEX)
        if kind in ("history", "history_version"):
            history = reads  # whoever reads the object reads its history (phones masked: PrivateHistoryAdmin)
            if kind == "history_version" and not has_history(model):
                return NOT_FOUND if not found or history else FORBIDDEN
            if self.scoped_history:
                return NOT_FOUND if not found else (OK if history else FORBIDDEN)
            if kind == "history" and not self.simple_history:
                return ADMIN_INDEX if not found else (OK if history else FORBIDDEN)
            return OK if history else FORBIDDEN
        if kind == "import":
            return OK if can["add"] else FORBIDDEN  # IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "add"
        if kind == "process_import":
            return ALLOWED if can["add"] else FORBIDDEN
        if kind == "export":
            return OK if can["view"] else FORBIDDEN  # IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "view"
        if kind == "password":
            return OK if can["change"] else FORBIDDEN
        raise AssertionError(kind)


def admin_models() -> list[AdminModel]:
    return [AdminModel(model, model_admin) for model, model_admin in admin.site._registry.items()]


# The admin site's own pages: name -> (method, outcome for staff); users not staff go to the admin's login.
SITE_PAGES: dict[str, tuple[str, str]] = {
    "admin:index": ("GET", OK),
    "admin:password_change": ("GET", OK),
    "admin:password_change_done": ("GET", OK),
    "admin:jsi18n": ("GET", OK),
    # signs out and, as LOGOUT_REDIRECT_URL says, goes to the login page (the runner signs in again);
    # users who are not staff are sent to the admin's index (Django's admin_view special case)
    "admin:logout": ("POST", LOGIN),
}
SITE_NAMES = {
    *SITE_PAGES,
    "admin:login",
    "admin:autocomplete",
    "admin:app_list",
    "admin:view_on_site",
}
CATCH_ALL_ROUTE = "admin/(?P<url>.*)$"


def site_claims(pattern: Pattern) -> bool:
    return pattern.name in SITE_NAMES or pattern.route == CATCH_ALL_ROUTE


# Apps whose models a role may see some of in the admin (the app index answers 404 otherwise).
def app_list_expected(role: RoleInfo, app_label: str) -> str:
    if not role.staff:
        return ADMIN_LOGIN
    models = [m.model for m in admin_models() if m.model._meta.app_label == app_label]
    visible = any(designed_permission(role, model, action) for model in models for action in ("view", "change"))
    return OK if visible else NOT_FOUND


@dataclass(frozen=True)
class AdminRequest:
    """One admin request: its path (built for a congress's object), the pattern it must hit, and the
    outcome for each role."""

    entry: str
    route: str
    method: str
    path: str
    variant: str
    expect: Callable[[RoleInfo], str]
    data: dict[str, Any] | None = None
    relogin: bool = False


def _admin_object_id(model: Any, obj: Any) -> Any:
    """The id the admin's URLs use: DRF's token admin finds a token by its user."""
    return obj.user_id if label(model) == "authtoken.tokenproxy" else obj.pk


def has_history(model: Any) -> bool:
    """Whether the model keeps django-simple-history rows (some history admins serve models that do not)."""
    attribute = getattr(model._meta, "simple_history_manager_attribute", None)
    return attribute is not None and hasattr(model, attribute)


def _history_id(obj: Any) -> Any:
    if not has_history(type(obj)):
        return 1  # no version can exist: the page must say so (404), not fail
    return obj.history.order_by("-history_id").values_list("history_id", flat=True).first()


def admin_requests(everything: Any, object_of: Callable[[Any, str], Any]) -> list[AdminRequest]:
    """Every admin request of the matrix. `object_of(model, variant)` is the model's object of the
    variant's congress ("a", "b") or the shared one ("shared")."""
    requests: list[AdminRequest] = []
    for entry in admin_models():
        meta = entry.model._meta
        variants = ["shared"] if entry.shared else ["a", "b"]
        for route_suffix, kind in entry.suffixes().items():
            route = entry.prefix + route_suffix
            name = f"admin:{meta.app_label}_{meta.model_name}"
            for variant in (
                variants if kind not in ("changelist", "add", "import", "export", "process_import") else ["-"]
            ):
                obj = object_of(entry.model, variant) if variant != "-" else None
                object_id = _admin_object_id(entry.model, obj) if obj is not None else None
                if kind == "changelist":
                    path = reverse(f"{name}_changelist")
                elif kind in ("add", "change", "delete", "history"):
                    args = [] if kind == "add" else [object_id]
                    path = reverse(f"{name}_{kind}", args=args)
                elif kind == "redirect":
                    path = f"/{entry.prefix}{object_id}/"
                elif kind == "history_version":
                    version = _history_id(obj)
                    assert version is not None, f"{meta.label} {obj.pk} has no history row"
                    path = reverse(f"{name}_simple_history", args=[object_id, version])
                elif kind == "password":
                    path = reverse("admin:auth_user_password_change", args=[object_id])
                else:
                    path = reverse(f"{name}_{kind}")
                method = "POST" if kind == "process_import" else "GET"
                requests.append(
                    AdminRequest(
                        entry=f"admin {meta.label_lower} {kind}",
                        route=route,
                        method=method,
                        path=path,
                        variant=variant,
                        expect=lambda role, e=entry, k=kind, v=variant: e.expected(k, role, v),
                    )
                )
    requests += _site_requests(everything)
    return requests


def _site_requests(everything: Any) -> list[AdminRequest]:
    requests = [
        AdminRequest(
            entry=name,
            route="",
            method=method,
            path=reverse(name),
            variant="-",
            expect=lambda role, outcome=outcome, name=name: (
                outcome if role.staff else (ADMIN_INDEX if name == "admin:logout" else ADMIN_LOGIN)
            ),
            relogin=name == "admin:logout",
        )
        for name, (method, outcome) in SITE_PAGES.items()
    ]
    requests.append(
        AdminRequest(
            entry="admin:login",
            route="",
            method="GET",
            path=reverse("admin:login"),
            variant="-",
            # staff are sent on to the index; others (signed in or not) get the form
            expect=lambda role: ADMIN_INDEX if role.staff else OK,
        )
    )
    for app_label in sorted({m.model._meta.app_label for m in admin_models()}):
        requests.append(
            AdminRequest(
                entry="admin:app_list",
                route="",
                method="GET",
                path=reverse("admin:app_list", args=[app_label]),
                variant=app_label,
                expect=lambda role, app=app_label: app_list_expected(role, app),
            )
        )
    # The term's congress picker: staff who may read terms get the congresses they may see.
    requests.append(
        AdminRequest(
            entry="admin:autocomplete",
            route="",
            method="GET",
            path=reverse("admin:autocomplete") + "?app_label=congress&model_name=term&field_name=congress&term=",
            variant="-",
            expect=lambda role: (
                OK
                if role.staff and designed_permission(role, _model("congress.term"), "view")
                else (FORBIDDEN if role.staff else ADMIN_LOGIN)
            ),
        )
    )
    # "View on site" of objects whose model has a public address: like every admin page, an object
    # outside the user's scope must look missing (404); within it, the user is sent to its page.
    for key, model_label in (
        ("deputy", "deputies.deputy"),
        ("suggestion", "suggestions.suggestion"),
        ("issue", "liaison_stations.publicissue"),
    ):
        for variant in ("a", "b"):
            obj = everything.of(variant)[key]
            content_type = ContentType.objects.get_for_model(obj)
            requests.append(
                AdminRequest(
                    entry="admin:view_on_site",
                    route="",
                    method="GET",
                    path=reverse("admin:view_on_site", args=[content_type.pk, obj.pk]),
                    variant=f"{variant} {model_label}",
                    expect=lambda role, m=model_label, v=variant: _view_on_site(role, m, v),
                )
            )
    requests.append(
        AdminRequest(
            entry="admin catch-all",
            route=CATCH_ALL_ROUTE,
            method="GET",
            path="/admin/no-such-page/",
            variant="-",
            expect=lambda role: NOT_FOUND if role.staff else ADMIN_LOGIN,
        )
    )
    return requests


def _model(model_label: str) -> Any:
    return next(m.model for m in admin_models() if label(m.model) == model_label)


def _view_on_site(role: RoleInfo, model_label: str, variant: str) -> str:
    if not role.staff:
        return ADMIN_LOGIN
    model = _model(model_label)
    if not hasattr(model, "get_absolute_url"):
        return NOT_FOUND  # the citizen's issue has no public address here: its code is a secret
    reads = designed_permission(role, model, "view") or designed_permission(role, model, "change")
    return REDIRECT if reads and finds(role, model, variant) else NOT_FOUND
