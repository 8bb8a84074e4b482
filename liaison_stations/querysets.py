"""Scoped querysets of the stations."""

from __future__ import annotations

from typing import Any

from django.db import models

from congress.querysets import TenantQuerySet
from congress.roles import Role
from congress.scoping import get_scope


class StationQuerySet(TenantQuerySet):
    def visible_to(self, user: Any) -> StationQuerySet:
        """Station staff see their own stations; other roles every station of their congress."""
        scope = get_scope(user)
        if not scope.is_global and Role.STATION in scope.roles:
            return self.filter(pk__in=scope.station_ids)
        return super().visible_to(user)


class StationStaffQuerySet(models.QuerySet):
    def visible_to(self, user: Any) -> StationStaffQuerySet:
        from .models import Station

        return self.filter(station__in=Station.objects.visible_to(user))
