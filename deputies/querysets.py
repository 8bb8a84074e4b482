"""Chainable filters of the registry; `visible_to(user)` limits each to the user's scope."""

from __future__ import annotations

from typing import Any

from django.db import models

from congress.querysets import TenantQuerySet
from congress.scoping import get_scope

from .choices import MandateStatus


class DelegationQuerySet(TenantQuerySet):
    pass


class MandateQuerySet(TenantQuerySet):
    def serving(self) -> MandateQuerySet:
        return self.filter(status=MandateStatus.SERVING)


class DeputyQuerySet(models.QuerySet):
    def visible_to(self, user: Any) -> DeputyQuerySet:
        """Deputies holding a mandate in a congress of the user's scope (a deputy sees their peers)."""
        from .models import Mandate

        scope = get_scope(user)
        if scope.is_global:
            return self
        if not scope.congress_ids:
            return self.none()
        seats = Mandate.objects.filter(deputy=models.OuterRef("pk"), congress_id__in=scope.congress_ids)
        return self.filter(models.Exists(seats))

    def in_congress(self, congress_id: int) -> DeputyQuerySet:
        from .models import Mandate

        return self.filter(models.Exists(Mandate.objects.filter(deputy=models.OuterRef("pk"), congress_id=congress_id)))


class ActivityRecordQuerySet(TenantQuerySet):
    def visible_to(self, user: Any) -> ActivityRecordQuerySet:
        """A deputy's record is theirs, and their congress's office staff's and leaders' to read."""
        from congress.roles import Role

        scope = get_scope(user)
        if scope.is_global:
            return self
        visible = self.none()
        if scope.roles & {Role.OFFICE, Role.LEADER}:
            visible = self.filter(congress_id__in=scope.congress_ids)
        if scope.deputy_id:
            visible = visible | self.filter(deputy_id=scope.deputy_id)
        return visible

    def counting(self) -> ActivityRecordQuerySet:
        return self.filter(status__in=["recorded", "verified"])
