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


# --- Committee-driven deputy work ---

# Roles that read all committee work of their congress (office and committee staff run it, leaders watch).
WORK_READER_ROLES = frozenset({"office_staff", "committee_staff", "leaders"})


def _reads_all_of_congress(scope: Any) -> bool:
    return bool(scope.roles & WORK_READER_ROLES)


class CommitteeWorkQuerySet(TenantQuerySet):
    """Groups, plans, meetings, drafts, campaigns: the staff and the deputies of the congress see them;
    unit and station staff do not."""

    def visible_to(self, user: Any) -> CommitteeWorkQuerySet:
        scope = get_scope(user)
        if scope.is_global:
            return self
        if _reads_all_of_congress(scope) or scope.deputy_id:
            return self.filter(congress_id__in=scope.congress_ids)
        return self.none()


class DeputyOwnedQuerySet(TenantQuerySet):
    """Rows a deputy owns (invitations, proposals, comments, scores, opinions): theirs, and the
    congress staff's."""

    def visible_to(self, user: Any) -> DeputyOwnedQuerySet:
        scope = get_scope(user)
        if scope.is_global:
            return self
        visible = self.none()
        if _reads_all_of_congress(scope):
            visible = self.filter(congress_id__in=scope.congress_ids)
        if scope.deputy_id:
            visible = visible | self.filter(deputy_id=scope.deputy_id, congress_id__in=scope.congress_ids)
        return visible


class InvitationQuerySet(DeputyOwnedQuerySet):
    def attended(self) -> InvitationQuerySet:
        return self.filter(status="attended")

    def counting_as_coming(self) -> InvitationQuerySet:
        """Invitations that hold a seat: accepted or already attended."""
        return self.filter(status__in=["accepted", "attended"])


class ActivityQuerySet(TenantQuerySet):
    """Staff of the congress see its activities; a deputy sees those they are invited to and courses
    open for enrollment in their congress."""

    def visible_to(self, user: Any) -> ActivityQuerySet:
        scope = get_scope(user)
        if scope.is_global:
            return self
        visible = self.none()
        if _reads_all_of_congress(scope):
            visible = self.filter(congress_id__in=scope.congress_ids)
        if scope.deputy_id:
            invited = models.Q(invitations__deputy_id=scope.deputy_id) | models.Q(open_enrollment=True)
            visible = visible | self.filter(invited, congress_id__in=scope.congress_ids)
        return visible.distinct() if scope.deputy_id else visible

    def trainings(self) -> ActivityQuerySet:
        return self.filter(kind="training_course")


class GroupOutputQuerySet(TenantQuerySet):
    """Staff of the congress see every output; a deputy sees their groups' outputs."""

    def visible_to(self, user: Any) -> GroupOutputQuerySet:
        scope = get_scope(user)
        if scope.is_global:
            return self
        visible = self.none()
        if _reads_all_of_congress(scope):
            visible = self.filter(congress_id__in=scope.congress_ids)
        if scope.deputy_id:
            from .models import GroupMembership

            groups = GroupMembership.objects.filter(deputy_id=scope.deputy_id).values("group_id")
            visible = visible | self.filter(group_id__in=groups, congress_id__in=scope.congress_ids)
        return visible


class MeetingOpinionQuerySet(DeputyOwnedQuerySet):
    """As deputy-owned rows, plus the opinions handed to a unit for that unit's staff."""

    def visible_to(self, user: Any) -> MeetingOpinionQuerySet:
        scope = get_scope(user)
        visible = super().visible_to(user)
        if not scope.is_global and scope.unit_id:
            visible = visible | self.filter(handling_unit_id=scope.unit_id, status__in=["handed", "answered"])
        return visible
