"""Admin of campaigns (with their opinion counts) and campaign opinions."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from congress.admin import ScopedHistoryAdmin
from congress.admin_filters import ScopedRelatedFilter

from ..models import Campaign, CampaignOpinion


@admin.register(Campaign)
class CampaignAdmin(ScopedHistoryAdmin):
    list_display = ["title", "theme", "starts_on", "ends_on", "opinion_count", "congress"]
    list_filter = [("congress", ScopedRelatedFilter)]
    search_fields = ["title", "theme"]
    autocomplete_fields = ["congress"]
    list_select_related = ["congress"]
    date_hierarchy = "starts_on"

    def get_queryset(self, request: HttpRequest) -> QuerySet[Campaign]:
        return super().get_queryset(request).annotate(_opinion_count=Count("opinions"))

    @admin.display(description=_("opinions"), ordering="_opinion_count")
    def opinion_count(self, campaign: Campaign) -> int:
        return campaign._opinion_count  # type: ignore[attr-defined]


@admin.register(CampaignOpinion)
class CampaignOpinionAdmin(ScopedHistoryAdmin):
    list_display = ["short_content", "campaign", "deputy", "level", "created_at"]
    list_filter = ["level", ("campaign", ScopedRelatedFilter)]
    search_fields = ["content", "deputy__name"]
    autocomplete_fields = ["congress", "campaign", "deputy"]
    list_select_related = ["campaign", "deputy"]

    @admin.display(description=_("opinion"))
    def short_content(self, opinion: CampaignOpinion) -> str:
        return opinion.content[:60]
