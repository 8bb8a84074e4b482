"""A user's scope: which congress(es) and which committee, unit, station or deputy they act for.

Computed once per user object from the staff profile, the deputy link and the group names, and
cached on it. Querysets' `visible_to(user)` read it; nothing else decides what a user may see.
Apps above `congress` add scope facts (e.g. stations) through `register_scope_extension`, so this
module never imports them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .roles import Role

_CACHE_ATTRIBUTE = "_congress_scope"
_extensions: list[Callable[[Any], dict[str, Any]]] = []


@dataclass(frozen=True)
class Scope:
    """What a user acts for. `is_global` users (superusers, administrators) see every tenant."""

    authenticated: bool = False
    is_global: bool = False
    roles: frozenset[str] = frozenset()
    congress_ids: frozenset[int] = frozenset()
    committee_id: int | None = None
    unit_id: int | None = None
    deputy_id: int | None = None
    station_ids: frozenset[int] = frozenset()
    extra: dict[str, Any] = field(default_factory=dict)

    def has_role(self, *roles: str) -> bool:
        return self.is_global or any(role in self.roles for role in roles)


def register_scope_extension(function: Callable[[Any], dict[str, Any]]) -> None:
    """Register a function ``user -> {field: value}`` adding facts (e.g. ``station_ids``) to scopes."""
    if function not in _extensions:
        _extensions.append(function)


def get_scope(user: Any) -> Scope:
    """The user's scope, computed once per user object."""
    if user is None or not user.is_authenticated:
        return Scope()
    cached = getattr(user, _CACHE_ATTRIBUTE, None)
    if cached is not None:
        return cached
    scope = _compute_scope(user)
    setattr(user, _CACHE_ATTRIBUTE, scope)
    return scope


def clear_scope(user: Any) -> None:
    """Forget a cached scope (after its profile or groups changed)."""
    if hasattr(user, _CACHE_ATTRIBUTE):
        delattr(user, _CACHE_ATTRIBUTE)


def _compute_scope(user: Any) -> Scope:
    from .models import StaffProfile

    roles = frozenset(group.name for group in user.groups.all())
    is_global = bool(user.is_superuser or Role.ADMINISTRATOR in roles)
    values: dict[str, Any] = {"congress_ids": frozenset()}
    profile = StaffProfile.objects.filter(user=user).first()
    if profile is not None:
        values.update(
            congress_ids=frozenset({profile.congress_id}),
            committee_id=profile.committee_id,
            unit_id=profile.handling_unit_id,
        )
    extra: dict[str, Any] = {}
    for extension in _extensions:
        for key, value in extension(user).items():
            if key == "congress_ids":
                values["congress_ids"] = values["congress_ids"] | frozenset(value)
            elif key in Scope.__dataclass_fields__:
                values[key] = value
            else:
                extra[key] = value
    return Scope(authenticated=True, is_global=is_global, roles=roles, extra=extra, **values)
