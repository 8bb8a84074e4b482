"""Reads of the citizens' loop: the desk's lists with their filters, one issue with its timeline, and
the unit's tier-3 list. Each owns its joins, so a page takes the same queries for 2 rows and 20."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import F, Prefetch, Q, QuerySet
from django.utils import timezone

from congress.roles import Role
from congress.scoping import get_scope

from ..choices import Channel, IssueStatus
from ..models import IssueAnswer, IssueEvent, PublicIssue

LIST_RELATED = ("station", "block", "deputy", "reported_by", "handling_unit", "category")
# The desk shows amber from the day before the due date.
AMBER_DAYS = 1


@dataclass(frozen=True)
class IssueFilters:
    """What a desk list is narrowed to (all optional)."""

    status: str = ""
    tier: int | None = None
    channel: str = ""
    station: int | None = None
    block: int | None = None
    query: str = ""

    @classmethod
    def from_params(cls, params: Any) -> IssueFilters:
        def number(name: str) -> int | None:
            raw = (params.get(name) or "").strip()
            return int(raw) if raw.isascii() and raw.isdigit() else None

        status = params.get("status", "")
        channel = params.get("channel", "")
        return cls(
            status=status if status in IssueStatus.values or status == "open" else "",
            tier=number("tier") if number("tier") in {1, 2, 3, 4} else None,
            channel=channel if channel in Channel.values else "",
            station=number("station"),
            block=number("block"),
            query=(params.get("q") or "").strip()[:100],
        )


def issue_list(*, user: Any, filters: IssueFilters | None = None) -> QuerySet[PublicIssue]:
    """The issues the user sees, filtered; open ones first by due date, then the newest."""
    filters = filters or IssueFilters()
    queryset = PublicIssue.objects.visible_to(user)
    if filters.status == "open":
        queryset = queryset.open()
    elif filters.status:
        queryset = queryset.filter(status=filters.status)
    if filters.tier:
        queryset = queryset.filter(tier=filters.tier)
    if filters.channel:
        queryset = queryset.filter(channel=filters.channel)
    if filters.station:
        queryset = queryset.filter(station_id=filters.station)
    if filters.block:
        queryset = queryset.filter(block_id=filters.block)
    if filters.query:
        text = filters.query
        queryset = queryset.filter(
            Q(tracking_code__iexact=text.upper()) | Q(content__icontains=text) | Q(location__icontains=text)
        )
    return queryset.select_related(*LIST_RELATED).order_by(F("due_on").asc(nulls_last=True), "-created_at", "-pk")


def issues_to_screen(*, user: Any) -> QuerySet[PublicIssue]:
    return (
        PublicIssue.objects.visible_to(user)
        .filter(status=IssueStatus.SUBMITTED)
        .select_related(*LIST_RELATED)
        .order_by("due_on", "created_at", "pk")
    )


def my_tier_issues(*, user: Any) -> QuerySet[PublicIssue]:
    """What the user's desk must answer now: station staff tiers 1–2 of their stations; office staff
    every tier of the congress; unit staff tier 3 of their unit."""
    scope = get_scope(user)
    queryset = PublicIssue.objects.visible_to(user).filter(status=IssueStatus.HANDLING)
    if not scope.is_global and Role.OFFICE not in scope.roles:
        mine = Q(pk__in=[])
        if Role.STATION in scope.roles:
            mine |= Q(station_id__in=scope.station_ids, tier__in=[1, 2]) | Q(
                station_id__in=scope.station_ids, tier=3, handling_unit__isnull=True
            )
        if Role.UNIT in scope.roles and scope.unit_id:
            mine |= Q(handling_unit_id=scope.unit_id, tier=3)
        queryset = queryset.filter(mine)
    return queryset.select_related(*LIST_RELATED).order_by("due_on", "pk")


def unit_issues(*, user: Any, status: str = "handling") -> QuerySet[PublicIssue]:
    """Tier-3 issues of the user's unit (its desk), the open ones by due date."""
    scope = get_scope(user)
    if scope.unit_id is None:
        return PublicIssue.objects.none()
    queryset = PublicIssue.objects.filter(handling_unit_id=scope.unit_id, tier__gte=3)
    if status in IssueStatus.values:
        queryset = queryset.filter(status=status)
    return queryset.select_related(*LIST_RELATED).order_by(F("due_on").asc(nulls_last=True), "-pk")


def issue_detail(*, user: Any, pk: int) -> PublicIssue:
    """One issue the user sees, with photos, answers and the timeline (DoesNotExist outside scope)."""
    return (
        PublicIssue.objects.visible_to(user)
        .select_related(*LIST_RELATED, "suggestion", "supervision_case__committee", "visit", "forum")
        .prefetch_related(
            "photos",
            Prefetch("answers", queryset=IssueAnswer.objects.order_by("created_at", "pk")),
            Prefetch("events", queryset=IssueEvent.objects.select_related("actor").order_by("created_at", "pk")),
        )
        .get(pk=pk)
    )


def urgency(issue: PublicIssue, today: datetime.date | None = None) -> str:
    """Red when overdue, amber on the last day before it, green otherwise; grey when no clock runs."""
    if issue.due_on is None or issue.status not in {IssueStatus.SUBMITTED, IssueStatus.HANDLING}:
        return "secondary"
    days = (issue.due_on - (today or timezone.localdate())).days
    if days < 0:
        return "danger"
    return "warning" if days <= AMBER_DAYS else "success"


def with_urgency(issues: Any, today: datetime.date | None = None) -> list[PublicIssue]:
    today = today or timezone.localdate()
    rows = list(issues)
    for issue in rows:
        issue.urgency = urgency(issue, today)
    return rows
