"""The inventory of phone numbers: every model field, import-export resource field, DRF serializer field
and admin option named like *phone* must be in the tables below, each with how the rule of
docs/PRIVACY.md is kept there. A new exporter, serializer or admin with a phone fails here until
someone decides (and tests) who may see it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.apps import apps
from django.contrib import admin
from django.test import RequestFactory
from django.urls import get_resolver
from import_export.mixins import BaseExportMixin
from import_export.resources import Resource
from rest_framework import serializers
from simple_history.admin import SimpleHistoryAdmin

from congress.privacy import PrivateHistoryAdmin

OUR_APPS = ("congress", "deputies", "suggestions", "liaison_stations", "dashboard")

PERSONAL, WORK = "personal", "work contact"

# model field -> personal (the rule applies) or a work contact (a published office line)
MODEL_FIELDS = {
    "deputies.Deputy.phone": PERSONAL,
    "liaison_stations.PublicIssue.citizen_phone": PERSONAL,
    "liaison_stations.Visit.visitor_phone": PERSONAL,
    "congress.StaffProfile.phone": PERSONAL,  # admin only, StaffProfile rows: office staff and the owner
    "congress.HandlingUnit.contact_phone": WORK,
    "liaison_stations.Station.phone": WORK,
    "liaison_stations.Block.instructor_phone": WORK,
    "liaison_stations.Block.liaison_phone": WORK,
}

# import-export resource field -> how it is kept
RESOURCE_FIELDS = {
    "deputies.resources.DeputyImportResource.phone": "import key: read from the office's file, never exported",
    "deputies.resources.DeputyExportWithPhonesResource.phone": "opt-in export, office staff only, logged",
    "congress.resources.HandlingUnitResource.contact_phone": WORK,
}

# serializer field -> how it is kept (masked ones are tested role by role in test_*_phone.py)
SERIALIZER_FIELDS = {
    "deputies.api.DeputySerializer.phone": "masked: congress.privacy.deputy_phone_for",
    "liaison_stations.api.issues.IssueSerializer.citizen_phone": "masked: can_see_contact",
    "liaison_stations.api.issues.IssueDetailSerializer.citizen_phone": "masked: can_see_contact",
    "liaison_stations.api.public.PublicIssueDetailSerializer.citizen_phone": "always masked (public)",
    "liaison_stations.api.receptions.VisitSerializer.visitor_phone": "masked: sees_visitor_contact",
    "liaison_stations.api.issues.IssueRecordSerializer.citizen_phone": "input only",
    "liaison_stations.api.public.PublicIssueSubmitSerializer.citizen_phone": "input only",
    "liaison_stations.api.receptions.VisitInput.visitor_phone": "input only",
    "congress.api.HandlingUnitSerializer.contact_phone": WORK,
    "liaison_stations.api.stations.StationSerializer.phone": WORK,
    "liaison_stations.api.stations.StationDetailSerializer.phone": WORK,
    "liaison_stations.api.stations.BlockSerializer.instructor_phone": WORK,
    "liaison_stations.api.stations.BlockSerializer.liaison_phone": WORK,
}

# Admins that name a personal phone field in their options, each switching it per reader (tested).
ADMINS_WITH_PERSONAL_PHONES = {
    "deputies.admin.DeputyAdmin": "full for office staff and administrators, masked_phone for others",
    "liaison_stations.admin.issues.PublicIssueAdmin": "shown_* masked fields for readers not handling it",
    "liaison_stations.admin.receptions.VisitAdmin": "shown_* masked fields for readers not handling it",
    "congress.admin.StaffProfileAdmin": "rows visible to office staff of the congress and the owner only",
}


def name_of(cls: type) -> str:
    return f"{cls.__module__}.{cls.__qualname__}"


def subclasses(cls: type) -> Iterator[type]:
    for sub in cls.__subclasses__():
        yield sub
        yield from subclasses(sub)


def ours(cls: type) -> bool:
    return cls.__module__.split(".")[0] in OUR_APPS


@pytest.fixture(scope="module", autouse=True)
def _everything_imported() -> None:
    """Load every URL module (so every API module, serializer and admin is imported)."""
    get_resolver().url_patterns  # noqa: B018


def field_label(model: Any, path: str) -> str:
    """`app.Model.field` of an admin option such as "phone" or "deputy__phone"; "" when it is no field."""
    parts = path.split("__")
    for part in parts[:-1]:
        try:
            model = model._meta.get_field(part).related_model
        except Exception:  # a method or an annotation
            return ""
        if model is None:
            return ""
    return f"{model._meta.label}.{parts[-1]}"


def test_every_phone_column_of_a_model_is_classified():
    found = {
        f"{model._meta.label}.{field.name}"
        for model in apps.get_models()
        if model._meta.app_label in OUR_APPS and not model.__name__.startswith("Historical")
        for field in model._meta.get_fields()
        if "phone" in field.name
    }
    assert found == set(MODEL_FIELDS), "classify the new phone field in MODEL_FIELDS and docs/PRIVACY.md"


def test_every_phone_field_of_an_import_export_resource_is_classified():
    found = {
        f"{name_of(resource)}.{name}"
        for resource in subclasses(Resource)
        if ours(resource)
        for name, field in resource.fields.items()
        if "phone" in name or "phone" in (field.attribute or "")
    }
    assert found == set(RESOURCE_FIELDS), "a new resource exports a phone: decide who may export it"


def test_every_phone_field_of_a_serializer_is_classified():
    found = set()
    for serializer in subclasses(serializers.BaseSerializer):
        if not ours(serializer):
            continue
        for name, field in serializer().fields.items():
            if "phone" in name or "phone" in (getattr(field, "source", "") or ""):
                found.add(f"{name_of(serializer)}.{name}")
                label = SERIALIZER_FIELDS.get(f"{name_of(serializer)}.{name}", "")
                if label.startswith("masked") or label.startswith("always masked"):
                    # masked per reader: computed, never the model's value as it is
                    assert isinstance(field, serializers.SerializerMethodField), f"{name_of(serializer)}.{name}"
    assert found == set(SERIALIZER_FIELDS), "a new serializer shows a phone: mask it per reader and list it here"


def _admin_option_names(model_admin: Any) -> set[str]:
    names: set[str] = set()
    for option in ("list_display", "search_fields", "list_filter", "fields", "readonly_fields", "exclude"):
        for value in getattr(model_admin, option, None) or ():
            if isinstance(value, str):
                names.add(value.lstrip("=^@"))
            elif isinstance(value, tuple | list) and value and isinstance(value[0], str):
                names.add(value[0])
    for _title, options in getattr(model_admin, "fieldsets", None) or ():
        for value in options.get("fields", ()):
            names.update(value if isinstance(value, tuple | list) else [value])
    return names


def test_only_the_listed_admins_name_a_personal_phone():
    naming = {
        name_of(type(model_admin))
        for model, model_admin in admin.site._registry.items()
        if any(MODEL_FIELDS.get(field_label(model, name)) == PERSONAL for name in _admin_option_names(model_admin))
    }
    assert {"deputies.admin.DeputyAdmin", "congress.admin.StaffProfileAdmin"} <= naming  # the walk finds them
    assert naming <= set(ADMINS_WITH_PERSONAL_PHONES), "an admin shows a phone: mask it per reader and test it"


def _requests(office_user: Any, leader_user: Any) -> list[Any]:
    made = []
    for user in (office_user, leader_user):
        request = RequestFactory().get("/admin/")
        request.user = user
        made.append(request)
    return made


@pytest.mark.django_db
def test_no_admin_exports_a_personal_phone_by_default(office_user, leader_user):
    # given every admin with an Excel export, asked by office staff and by a leader
    exporters = [ma for ma in admin.site._registry.values() if isinstance(ma, BaseExportMixin)]
    assert exporters
    office, leader = _requests(office_user, leader_user)
    for model_admin in exporters:
        for request in (office, leader):
            offered = list(model_admin.get_export_resource_classes(request))
            default = offered[0]
            # then the default export has no personal phone column
            assert not personal_columns(default), f"{name_of(type(model_admin))}: {default}"
            if request is leader:
                # and a leader is offered none with one
                assert not [resource for resource in offered if personal_columns(resource)]


def personal_columns(resource: type) -> list[str]:
    return [
        name
        for name, field in resource.fields.items()
        if RESOURCE_FIELDS.get(f"{name_of(resource)}.{name}", WORK) != WORK
    ]


def test_history_pages_of_what_deputies_write_keep_the_rule():
    """A deputy's login name is their mobile number and the history's "changed by" column prints it:
    every history admin must name people by `user_label` (congress.privacy.PrivateHistoryAdmin)."""
    missing = sorted(
        name_of(type(model_admin))
        for model_admin in admin.site._registry.values()
        if isinstance(model_admin, SimpleHistoryAdmin)
        and model_admin.model._meta.app_label in OUR_APPS
        and model_admin.model._meta.label not in HISTORY_WRITTEN_BY_STAFF_ONLY
        and not isinstance(model_admin, PrivateHistoryAdmin)
    )
    assert not missing, (
        "history admins not based on PrivateHistoryAdmin (fix: base congress.admin.ScopedHistoryAdmin on it): "
        + ", ".join(missing)
    )


# Rows only the office's staff change (from the admin): their "changed by" is a staff account.
HISTORY_WRITTEN_BY_STAFF_ONLY = {"congress.CalendarDay"}
