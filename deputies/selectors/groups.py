"""Reads of professional groups: the desk list with counts, a group with its members, activities and
outputs, the outputs list with filters, special supervisors, and a deputy's own groups."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from congress.scoping import get_scope

from ..choices import ActivityKind, ActivityState
from ..models import Activity, GroupMembership, GroupOutput, ProfessionalGroup, SpecialSupervisor


def _count(queryset: QuerySet) -> Any:
    """A correlated count subquery (several counts over joins would multiply each other)."""
    return Coalesce(
        Subquery(queryset.order_by().values("group_id").annotate(n=Count("pk")).values("n")[:1]),
        Value(0),
        output_field=IntegerField(),
    )


def groups_with_counts(*, user: Any, query: str = "") -> QuerySet[ProfessionalGroup]:
    """Groups the user may see, each with members, activities, outputs and adopted outputs counted."""
    outputs = GroupOutput.objects.filter(group_id=OuterRef("pk"))
    queryset = (
        ProfessionalGroup.objects.visible_to(user)
        .select_related("counterpart_committee")
        .annotate(
            member_count=_count(GroupMembership.objects.filter(group_id=OuterRef("pk"))),
            activity_count=_count(Activity.objects.filter(group_id=OuterRef("pk"))),
            output_count=_count(outputs),
            adopted_count=_count(outputs.filter(adopted=True)),
        )
        .order_by("name", "pk")
    )
    if query:
        queryset = queryset.filter(Q(name__icontains=query) | Q(field__icontains=query) | Q(keywords__icontains=query))
    return queryset


def group_memberships(*, group: ProfessionalGroup) -> QuerySet[GroupMembership]:
    return GroupMembership.objects.filter(group=group).select_related("deputy").order_by("role", "deputy__name", "pk")


def group_activities(*, group: ProfessionalGroup) -> QuerySet[Activity]:
    return (
        Activity.objects.filter(group=group)
        .annotate(
            invited_count=Count("invitations", distinct=True),
            attended_count=Count("invitations", filter=Q(invitations__status="attended"), distinct=True),
        )
        .order_by("-starts_at", "pk")
    )


def outputs_list(
    *,
    user: Any,
    kind: str = "",
    adopted: bool | None = None,
    group_id: int | None = None,
    year: int | None = None,
    query: str = "",
) -> QuerySet[GroupOutput]:
    queryset = (
        GroupOutput.objects.visible_to(user)
        .select_related("group", "activity")
        .prefetch_related("authors")
        .order_by("-submitted_on", "-pk")
    )
    if kind:
        queryset = queryset.filter(kind=kind)
    if adopted is not None:
        queryset = queryset.filter(adopted=adopted)
    if group_id:
        queryset = queryset.filter(group_id=group_id)
    if year:
        queryset = queryset.filter(submitted_on__year=year)
    if query:
        queryset = queryset.filter(title__icontains=query)
    return queryset


def output_years(*, user: Any) -> list[int]:
    return sorted(
        {day.year for day in GroupOutput.objects.visible_to(user).dates("submitted_on", "year")}, reverse=True
    )


def invitable_activities(*, group: ProfessionalGroup) -> QuerySet[Activity]:
    """Planned activities of the congress a group's members may be invited to: the group's own, and
    key-suggestion supervision and special evaluations."""
    kinds = [ActivityKind.KEY_SUGGESTION_SUPERVISION, ActivityKind.EVALUATION_VISIT]
    return (
        Activity.objects.filter(congress_id=group.congress_id, state=ActivityState.PLANNED)
        .filter(Q(group=group) | Q(kind__in=kinds))
        .order_by("starts_at", "pk")
    )


def special_supervisors(*, user: Any, query: str = "", current: bool | None = None) -> QuerySet[SpecialSupervisor]:
    queryset = (
        SpecialSupervisor.objects.visible_to(user)
        .select_related("deputy", "unit", "term")
        .order_by("unit__name", "deputy__name", "pk")
    )
    if query:
        queryset = queryset.filter(Q(deputy__name__icontains=query) | Q(unit__name__icontains=query))
    if current is True:
        queryset = queryset.filter(ends_on__isnull=True)
    elif current is False:
        queryset = queryset.filter(ends_on__isnull=False)
    return queryset


def groups_of_deputy(*, user: Any) -> list[ProfessionalGroup]:
    """The deputy's groups with their role, activities and outputs (a fixed number of queries)."""
    deputy_id = get_scope(user).deputy_id
    if deputy_id is None:
        return []
    memberships = GroupMembership.objects.filter(deputy_id=deputy_id)
    groups = list(
        ProfessionalGroup.objects.visible_to(user)
        .filter(pk__in=memberships.values("group_id"))
        .select_related("counterpart_committee")
        .prefetch_related(
            Prefetch("memberships", queryset=memberships, to_attr="my_memberships"),
            Prefetch(
                "activities",
                queryset=Activity.objects.visible_to(user).order_by("-starts_at", "pk"),
                to_attr="recent_activities",
            ),
            Prefetch(
                "outputs",
                queryset=GroupOutput.objects.prefetch_related("authors").order_by("-submitted_on", "-pk"),
                to_attr="recent_outputs",
            ),
        )
        .order_by("name", "pk")
    )
    for group in groups:
        group.my_role = group.my_memberships[0].get_role_display() if group.my_memberships else ""
    return groups
