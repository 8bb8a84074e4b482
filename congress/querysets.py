"""Chainable filters of the organisation models; `visible_to(user)` is the one gate of scope."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import models

from .scoping import get_scope


class TenantQuerySet(models.QuerySet):
    """Rows owned by a congress: a user sees the rows of the congress(es) in their scope."""

    def visible_to(self, user: Any) -> TenantQuerySet:
        scope = get_scope(user)
        if scope.is_global:
            return self
        if not scope.congress_ids:
            return self.none()
        return self.filter(congress_id__in=scope.congress_ids)

    def of_congress(self, congress: Any) -> TenantQuerySet:
        return self.filter(congress=congress)


class CongressQuerySet(models.QuerySet):
    def visible_to(self, user: Any) -> CongressQuerySet:
        scope = get_scope(user)
        if scope.is_global:
            return self
        return self.filter(pk__in=scope.congress_ids)

    def active(self) -> CongressQuerySet:
        return self.filter(is_active=True)


class TermQuerySet(TenantQuerySet):
    def current_on(self, day: datetime.date) -> TermQuerySet:
        return self.filter(start_date__lte=day).filter(models.Q(end_date__gte=day) | models.Q(end_date__isnull=True))


class SessionQuerySet(TenantQuerySet):
    def in_session_on(self, day: datetime.date) -> SessionQuerySet:
        return self.filter(start_date__lte=day, end_date__gte=day)


class HandlingUnitQuerySet(TenantQuerySet):
    def active(self) -> HandlingUnitQuerySet:
        return self.filter(is_active=True)


class StaffProfileQuerySet(TenantQuerySet):
    def visible_to(self, user: Any) -> StaffProfileQuerySet:
        """Office staff see their congress's profiles; everyone else only their own."""
        from .roles import Role

        scope = get_scope(user)
        if scope.is_global:
            return self
        if Role.OFFICE in scope.roles:
            return self.filter(congress_id__in=scope.congress_ids)
        if not scope.authenticated:
            return self.none()
        return self.filter(user=user)
