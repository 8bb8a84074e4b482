"""Chainable filters of the suggestion workflow; `visible_to(user)` applies each role's scope.

- office staff and leaders: every submitted suggestion of their congress (drafts stay the deputy's);
- committee staff: suggestions in their counterpart categories, those they supervise, and drafts
  on which the deputy asked them for guidance;
- unit staff: suggestions with a live assignment of their unit (pre-assignments included);
- deputies: suggestions they lead or were invited to co-sign.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import models

from congress.querysets import TenantQuerySet
from congress.roles import Role
from congress.scoping import get_scope

from .choices import AssignmentRole, AssignmentStatus, SuggestionStatus, SupervisionStatus

PRIVATE_STATUSES = (SuggestionStatus.DRAFT,)


def suggestion_scope_filter(user: Any, prefix: str = "") -> models.Q | None:
    """The Q object (over Suggestion, or a relation to it named by `prefix`) a user may see;
    None means everything (global users)."""
    scope = get_scope(user)
    if scope.is_global:
        return None
    p = prefix
    nothing = models.Q(pk__in=[]) if not p else models.Q(**{f"{p}pk__in": []})
    visible = nothing
    in_congress = models.Q(**{f"{p}congress_id__in": scope.congress_ids})
    # Drafts — and drafts withdrawn before they were ever submitted (no number) — stay the deputy's.
    submitted = ~models.Q(**{f"{p}status__in": PRIVATE_STATUSES}) & ~models.Q(
        **{f"{p}status": SuggestionStatus.WITHDRAWN, f"{p}number__isnull": True}
    )
    if scope.roles & {Role.OFFICE, Role.LEADER}:
        visible |= in_congress & submitted
    if Role.COMMITTEE in scope.roles and scope.committee_id:
        committee = scope.committee_id
        visible |= in_congress & (
            (models.Q(**{f"{p}category__counterpart_committee_id": committee}) & submitted)
            | models.Q(**{f"{p}supervision_cases__committee_id": committee})
            | models.Q(**{f"{p}guidance_requests__committee_id": committee})
        )
    if Role.UNIT in scope.roles and scope.unit_id:
        visible |= models.Q(**{f"{p}assignments__unit_id": scope.unit_id}) & ~models.Q(
            **{f"{p}assignments__status": AssignmentStatus.CANCELLED}
        )
    if scope.deputy_id:
        visible |= models.Q(**{f"{p}lead_deputy_id": scope.deputy_id}) | models.Q(
            **{f"{p}cosigners__deputy_id": scope.deputy_id}
        )
    return visible


class SuggestionQuerySet(TenantQuerySet):
    def visible_to(self, user: Any) -> SuggestionQuerySet:
        condition = suggestion_scope_filter(user)
        if condition is None:
            return self
        # Joins over to-many relations would repeat rows: filter by id instead.
        from .models import Suggestion

        return self.filter(pk__in=Suggestion.objects.filter(condition).values("pk"))

    def of_deputy(self, deputy_id: int) -> SuggestionQuerySet:
        """Led or co-signed by the deputy. The co-signed ids are read first (one small query): a join
        repeats rows and needs a DISTINCT over every column, and an OR with a subquery makes
        PostgreSQL scan the whole table; OR-ing two id lookups uses the indexes (docs/PERFORMANCE.md)."""
        from .models import Cosigner

        cosigned = list(Cosigner.objects.filter(deputy_id=deputy_id).values_list("suggestion_id", flat=True))
        return self.filter(models.Q(lead_deputy_id=deputy_id) | models.Q(pk__in=cosigned))

    def open(self) -> SuggestionQuerySet:
        return self.exclude(status__in=[SuggestionStatus.CLOSED, SuggestionStatus.REJECTED, SuggestionStatus.WITHDRAWN])


class SuggestionChildQuerySet(TenantQuerySet):
    """Rows hanging off a suggestion are visible with their suggestion."""

    def visible_to(self, user: Any) -> SuggestionChildQuerySet:
        from .models import Suggestion

        scope = get_scope(user)
        if scope.is_global:
            return self
        path = f"{self.model.suggestion_path}__in"
        return self.filter(**{path: Suggestion.objects.visible_to(user).values("pk")})


class AssignmentQuerySet(SuggestionChildQuerySet):
    def live(self) -> AssignmentQuerySet:
        return self.exclude(status=AssignmentStatus.CANCELLED)

    def answering(self) -> AssignmentQuerySet:
        return self.filter(role__in=[AssignmentRole.LEAD, AssignmentRole.SPLIT])

    def of_unit(self, unit_id: int) -> AssignmentQuerySet:
        return self.filter(unit_id=unit_id)

    def awaiting_reply(self) -> AssignmentQuerySet:
        return self.filter(status__in=[AssignmentStatus.ASSIGNED, AssignmentStatus.SIGNED])

    def due_on_or_before(self, day: datetime.date) -> AssignmentQuerySet:
        return self.filter(due_on__lte=day)


class SupervisionCaseQuerySet(SuggestionChildQuerySet):
    def visible_to(self, user: Any) -> SupervisionCaseQuerySet:
        scope = get_scope(user)
        if scope.is_global:
            return self
        visible = super().visible_to(user)
        if Role.COMMITTEE in scope.roles and scope.committee_id:
            visible = visible | self.filter(committee_id=scope.committee_id, congress_id__in=scope.congress_ids)
        if scope.roles & {Role.OFFICE, Role.LEADER}:
            # Cases on something other than a suggestion (a hotline issue): the congress's office and leaders.
            visible = visible | self.filter(suggestion__isnull=True, congress_id__in=scope.congress_ids)
        return visible

    def open(self) -> SupervisionCaseQuerySet:
        return self.filter(status=SupervisionStatus.OPEN)


class SupervisionActionQuerySet(SuggestionChildQuerySet):
    """A committee's actions are visible with their case (also cases without a suggestion)."""

    def visible_to(self, user: Any) -> SupervisionActionQuerySet:
        from .models import SupervisionCase

        if get_scope(user).is_global:
            return self
        return self.filter(case__in=SupervisionCase.objects.visible_to(user).values("pk"))
