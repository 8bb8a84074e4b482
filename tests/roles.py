"""What each role fixture of conftest.py may see: every congress, congress A, congress B, or nothing."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import models

from deputies.models import Deputy
from liaison_stations.models import StationStaff

EVERYTHING = "everything"

# role fixture -> the congress (key of the World) whose rows the role sees
ROLE_SCOPE: dict[str, str | None] = {
    "admin_user": EVERYTHING,
    "administrator_user": EVERYTHING,
    "office_user": "a",
    "committee_user": "a",
    "unit_user": "a",
    "leader_user": "a",
    "station_user": "a",
    "deputy_user": "a",
    "other_deputy_user": "b",
    "office_user_b": "b",
    "resigned_deputy_user": "b",
    "plain_user": None,
    "anonymous_user": None,
}

ROLES = pytest.mark.parametrize("role", list(ROLE_SCOPE))


def rows_of_congress(model: type[models.Model], congress: Any) -> set[int]:
    """The ids of a model's rows that belong to a congress, found without `visible_to`."""
    if model._meta.label == "congress.Congress":
        queryset = model._default_manager.filter(pk=congress.pk)
    elif model is Deputy:
        queryset = model._default_manager.filter(mandates__congress=congress)
    elif model is StationStaff:
        queryset = model._default_manager.filter(station__congress=congress)
    else:
        queryset = model._default_manager.filter(congress=congress)
    return set(queryset.values_list("pk", flat=True))


def expected_rows(model: type[models.Model], role: str, world: Any) -> set[int]:
    scope = ROLE_SCOPE[role]
    if scope == EVERYTHING:
        return set(model._default_manager.values_list("pk", flat=True))
    if scope is None:
        return set()
    return rows_of_congress(model, getattr(world, scope).congress)


def visible_ids(model: type[models.Model], user: Any) -> set[int]:
    return set(model._default_manager.visible_to(user).values_list("pk", flat=True))
