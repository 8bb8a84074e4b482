"""API of the stations: `GET /api/v1/stations/` (the user's scope: name, managing body, address,
hours, model flag and counts) and `GET /api/v1/stations/{id}/` (with its blocks and their 1+1+1 teams)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from rest_framework import serializers, viewsets

from deputies.api.common import Pages

from ..models import Block, Station
from ..selectors import stations as selectors


class BlockSerializer(serializers.ModelSerializer):
    supervising_deputy_name = serializers.CharField(source="supervising_deputy.name", read_only=True, default="")

    class Meta:
        model = Block
        fields = [
            "id",
            "number",
            "name",
            "area",
            "wechat_group",
            "instructor_name",
            "instructor_phone",
            "liaison_name",
            "liaison_phone",
            "supervising_deputy",
            "supervising_deputy_name",
            "geometry",
        ]


class StationSerializer(serializers.ModelSerializer):
    blocks = serializers.IntegerField(source="block_count", read_only=True)
    deputies = serializers.IntegerField(source="deputy_count", read_only=True)
    forums_this_year = serializers.IntegerField(source="forum_count", read_only=True)

    class Meta:
        model = Station
        fields = [
            "id",
            "congress",
            "name",
            "managing_body",
            "address",
            "opening_hours",
            "phone",
            "is_model_station",
            "notice_days",
            "is_active",
            "blocks",
            "deputies",
            "forums_this_year",
        ]


class StationDetailSerializer(StationSerializer):
    block_list = serializers.SerializerMethodField()

    class Meta(StationSerializer.Meta):
        fields = [*StationSerializer.Meta.fields, "description", "block_list"]

    def get_block_list(self, station: Station) -> list[dict[str, Any]]:
        return BlockSerializer(selectors.station_blocks(station=station), many=True).data


class StationViewSet(viewsets.ReadOnlyModelViewSet):
    """Liaison stations in the user's scope (`?q=` searches name, managing body and address)."""

    pagination_class = Pages

    def get_queryset(self) -> QuerySet[Station]:
        return selectors.stations_for_user(user=self.request.user, query=self.request.query_params.get("q", "").strip())

    def get_serializer_class(self) -> type[serializers.Serializer]:
        return StationDetailSerializer if self.action == "retrieve" else StationSerializer


# (prefix, viewset, basename) registered by congress/api_urls.py
ROUTES: list[tuple[str, Any, str]] = [("stations", StationViewSet, "station")]
