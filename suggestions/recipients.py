"""Who is told about what: the users behind a unit, a committee, the office, a deputy."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import QuerySet

from congress.roles import Role


def _users() -> QuerySet:
    return get_user_model().objects.filter(is_active=True)


def unit_users(unit_id: int, *, heads_only: bool = False) -> QuerySet:
    users = _users().filter(staff_profile__handling_unit_id=unit_id, groups__name=Role.UNIT)
    return users.filter(staff_profile__is_head=True) if heads_only else users


def committee_users(committee_id: int) -> QuerySet:
    return _users().filter(staff_profile__committee_id=committee_id, groups__name=Role.COMMITTEE)


def office_users(congress_id: int) -> QuerySet:
    return _users().filter(staff_profile__congress_id=congress_id, groups__name=Role.OFFICE)


def deputy_users(deputy_ids: list[int]) -> list[Any]:
    return list(_users().filter(deputy__pk__in=deputy_ids))
