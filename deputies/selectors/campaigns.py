"""Reads of campaigns: counts of opinions per campaign and level (one aggregate query), campaign
opinions with search, the campaigns open to a deputy and their own opinions."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from congress.choices import CongressLevel
from congress.scoping import get_scope

from ..models import Campaign, CampaignOpinion
from ..services.campaigns import LEVEL_ORDER


def opinion_counts_by_level(*, campaign_ids: Iterable[int]) -> dict[int, dict[str, int]]:
    """{campaign id: {level: opinions, ..., "total": n}}, every level present (0 when none). One query."""
    ids = list(campaign_ids)
    counts: dict[int, dict[str, int]] = {pk: dict.fromkeys([*LEVEL_ORDER, "total"], 0) for pk in ids}
    rows = (
        CampaignOpinion.objects.filter(campaign_id__in=ids)
        .order_by()
        .values("campaign_id", "level")
        .annotate(n=Count("pk"))
    )
    for row in rows:
        counts[row["campaign_id"]][row["level"]] = row["n"]
        counts[row["campaign_id"]]["total"] += row["n"]
    return counts


def level_columns() -> list[tuple[str, str]]:
    labels = dict(CongressLevel.choices)
    return [(level, labels[level]) for level in LEVEL_ORDER]


def campaigns_with_counts(*, user: Any, query: str = "") -> list[Campaign]:
    """Campaigns the user may see, each with `level_counts` as a list in level order and `total`."""
    queryset = Campaign.objects.visible_to(user).order_by("-starts_on", "-pk")
    if query:
        queryset = queryset.filter(Q(title__icontains=query) | Q(theme__icontains=query))
    campaigns = list(queryset)
    attach_counts(campaigns)
    return campaigns


def attach_counts(campaigns: list[Campaign]) -> None:
    """Put `counts_by_level`, `level_counts` (in level order) and `total_opinions` on each campaign."""
    counts = opinion_counts_by_level(campaign_ids=[campaign.pk for campaign in campaigns])
    for campaign in campaigns:
        by_level = counts[campaign.pk]
        campaign.counts_by_level = {level: by_level[level] for level in LEVEL_ORDER}
        campaign.level_counts = [by_level[level] for level in LEVEL_ORDER]
        campaign.total_opinions = by_level["total"]


def campaign_with_counts(*, campaign: Campaign) -> Campaign:
    attach_counts([campaign])
    return campaign


def campaign_opinions(*, user: Any, campaign: Campaign, query: str = "", level: str = "") -> QuerySet[CampaignOpinion]:
    queryset = (
        CampaignOpinion.objects.visible_to(user)
        .filter(campaign=campaign)
        .select_related("deputy")
        .order_by("-created_at", "-pk")
    )
    if query:
        queryset = queryset.filter(Q(content__icontains=query) | Q(deputy__name__icontains=query))
    if level:
        queryset = queryset.filter(level=level)
    return queryset


def open_campaigns(*, user: Any, on: datetime.date | None = None) -> QuerySet[Campaign]:
    today = on or timezone.localdate()
    return Campaign.objects.visible_to(user).filter(starts_on__lte=today, ends_on__gte=today).order_by("ends_on", "pk")


def opinions_of_deputy(*, user: Any) -> QuerySet[CampaignOpinion]:
    deputy_id = get_scope(user).deputy_id
    if deputy_id is None:
        return CampaignOpinion.objects.none()
    return (
        CampaignOpinion.objects.visible_to(user)
        .filter(deputy_id=deputy_id)
        .select_related("campaign")
        .order_by("-created_at", "-pk")
    )
