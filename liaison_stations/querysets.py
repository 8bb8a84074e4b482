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


# Roles that read every station row of their congress (the office runs stations; leaders watch).
CONGRESS_READERS = frozenset({Role.OFFICE, Role.LEADER, Role.COMMITTEE})


class StationOwnedQuerySet(TenantQuerySet):
    """Rows of a station (blocks, receptions, forums, checklist, documents, station deputies): station
    staff see their stations'; office, committee staff, leaders and deputies their congress's."""

    station_path = "station"

    def visible_to(self, user: Any) -> StationOwnedQuerySet:
        scope = get_scope(user)
        if scope.is_global:
            return self
        visible = self.none()
        if scope.roles & CONGRESS_READERS or scope.deputy_id:
            visible = self.filter(congress_id__in=scope.congress_ids)
        if Role.STATION in scope.roles:
            visible = visible | self.filter(**{f"{self.station_path}_id__in": scope.station_ids})
        return visible


class EvidenceQuerySet(StationOwnedQuerySet):
    station_path = "status__station"


class BlockTaskQuerySet(StationOwnedQuerySet):
    station_path = "block__station"


class VisitQuerySet(TenantQuerySet):
    """Visits hold citizens' words and contacts: station staff of the station, office staff and
    leaders of the congress, and the deputy who received the visit."""

    def visible_to(self, user: Any) -> VisitQuerySet:
        scope = get_scope(user)
        if scope.is_global:
            return self
        visible = self.none()
        if scope.roles & {Role.OFFICE, Role.LEADER}:
            visible = self.filter(congress_id__in=scope.congress_ids)
        if Role.STATION in scope.roles:
            visible = visible | self.filter(station_id__in=scope.station_ids)
        if scope.deputy_id:
            visible = visible | self.filter(deputy_id=scope.deputy_id, congress_id__in=scope.congress_ids)
        return visible


class PublicIssueQuerySet(TenantQuerySet):
    """A citizen's issue is seen by those who handle or watch it: office staff and leaders of the
    congress, the station's staff, the deputy written to or who reported it, the unit it is assigned
    to, and the committee supervising it. (The citizen sees it through the tracking code only.)"""

    def visible_to(self, user: Any) -> PublicIssueQuerySet:
        scope = get_scope(user)
        if scope.is_global:
            return self
        visible = self.none()
        if scope.roles & {Role.OFFICE, Role.LEADER}:
            visible = self.filter(congress_id__in=scope.congress_ids)
        if Role.STATION in scope.roles:
            visible = visible | self.filter(station_id__in=scope.station_ids)
        if scope.deputy_id:
            mine = models.Q(deputy_id=scope.deputy_id) | models.Q(reported_by_id=scope.deputy_id)
            visible = visible | self.filter(mine)
        if Role.UNIT in scope.roles and scope.unit_id:
            visible = visible | self.filter(handling_unit_id=scope.unit_id)
        if Role.COMMITTEE in scope.roles and scope.committee_id:
            visible = visible | self.filter(supervision_case__committee_id=scope.committee_id)
        return visible

    def open(self) -> PublicIssueQuerySet:
        return self.filter(status__in=["submitted", "handling", "answered"])


class IssueChildQuerySet(TenantQuerySet):
    """Photos, answers and events of an issue: visible with their issue."""

    def visible_to(self, user: Any) -> IssueChildQuerySet:
        from .models import PublicIssue

        return self.filter(issue__in=PublicIssue.objects.visible_to(user))
