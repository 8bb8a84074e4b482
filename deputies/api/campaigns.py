"""API of campaigns: campaigns with their opinion counts per level (read), and opinions (list; a
serving deputy sends one while the campaign runs). Scoped by `visible_to`."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from congress.api import CONGRESS_PARAMETER, CongressFilterMixin

from ..models import Campaign, CampaignOpinion
from ..selectors import campaigns as selectors
from ..services import campaigns as services


class LevelCountsSerializer(serializers.Serializer):
    national = serializers.IntegerField()
    province = serializers.IntegerField()
    city = serializers.IntegerField()
    county = serializers.IntegerField()
    township = serializers.IntegerField()


class CampaignSerializer(serializers.ModelSerializer):
    counts_by_level = LevelCountsSerializer(read_only=True)
    total_opinions = serializers.IntegerField(read_only=True)

    class Meta:
        model = Campaign
        fields = [
            "id",
            "congress",
            "title",
            "theme",
            "description",
            "starts_on",
            "ends_on",
            "counts_by_level",
            "total_opinions",
        ]


@extend_schema(parameters=[CONGRESS_PARAMETER])
class CampaignViewSet(CongressFilterMixin, viewsets.ReadOnlyModelViewSet):
    """Campaigns of the user's congress with the number of opinions per deputy level (one query per page)."""

    serializer_class = CampaignSerializer
    search_fields = ["title", "theme"]

    def get_queryset(self) -> QuerySet[Campaign]:
        queryset = Campaign.objects.visible_to(self.request.user).order_by("-starts_on", "-pk")
        return self.filter_congress(queryset, self.request)

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        page = list(self.paginate_queryset(self.filter_queryset(self.get_queryset())))
        selectors.attach_counts(page)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        campaign = selectors.campaign_with_counts(campaign=self.get_object())
        return Response(self.get_serializer(campaign).data)


class CampaignOpinionSerializer(serializers.ModelSerializer):
    deputy_name = serializers.CharField(source="deputy.name", read_only=True)
    campaign = serializers.PrimaryKeyRelatedField(queryset=Campaign.objects.none())

    class Meta:
        model = CampaignOpinion
        fields = ["id", "campaign", "deputy", "deputy_name", "level", "content", "created_at"]
        read_only_fields = ["deputy", "level", "created_at"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["campaign"].queryset = Campaign.objects.visible_to(request.user)


@extend_schema(parameters=[CONGRESS_PARAMETER, OpenApiParameter("campaign", int)])
class CampaignOpinionViewSet(
    CongressFilterMixin, mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """Opinions: staff see their congress's, a deputy their own; `?campaign=` narrows the list."""

    serializer_class = CampaignOpinionSerializer
    search_fields = ["content", "deputy__name"]

    def get_queryset(self) -> QuerySet[CampaignOpinion]:
        queryset = (
            CampaignOpinion.objects.visible_to(self.request.user)
            .select_related("deputy")
            .order_by("-created_at", "-pk")
        )
        raw = self.request.query_params.get("campaign", "")
        if raw.isascii() and raw.isdigit():
            queryset = queryset.filter(campaign_id=int(raw))
        return self.filter_congress(queryset, self.request)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """A serving deputy of the campaign's congress sends an opinion while the campaign runs."""
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        opinion = services.campaign_opinion_submit(
            campaign=serializer.validated_data["campaign"],
            actor=request.user,
            content=serializer.validated_data["content"],
        )
        return Response(self.get_serializer(opinion).data, status=status.HTTP_201_CREATED)


# (prefix, viewset, basename) registered by congress/api_urls.py
ROUTES: list[tuple[str, Any, str]] = [
    ("campaigns", CampaignViewSet, "campaign"),
    ("campaign-opinions", CampaignOpinionViewSet, "campaign-opinion"),
]
