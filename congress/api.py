"""REST API of the organisation: who am I, congresses, committees, units. Read-only and scoped."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from .models import Committee, Congress, HandlingUnit, SubjectCategory
from .scoping import get_scope
from .selectors import congress_for_user

CONGRESS_PARAMETER = OpenApiParameter("congress", int, description="Only rows of this congress (id).")


class CongressFilterMixin:
    """`?congress=<id>` narrows a scoped list; a malformed id is a field error, not a 500."""

    def filter_congress(self, queryset: QuerySet, request: Request) -> QuerySet:
        raw = request.query_params.get("congress")
        if raw in (None, ""):
            return queryset
        if not (raw.isascii() and raw.isdigit()):
            raise ValidationError({"congress": [_("Enter a valid congress id (a whole number).")]})
        return queryset.filter(congress_id=int(raw))


class CongressSerializer(serializers.ModelSerializer):
    class Meta:
        model = Congress
        fields = ["id", "name", "short_name", "level", "area_name", "area_code", "parent"]


class SubjectCategoryBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = SubjectCategory
        fields = ["id", "name", "code"]


class CommitteeSerializer(serializers.ModelSerializer):
    subject_categories = SubjectCategoryBriefSerializer(many=True, read_only=True)

    class Meta:
        model = Committee
        fields = ["id", "congress", "name", "short_name", "kind", "is_deputy_affairs_office", "subject_categories"]


class HandlingUnitSerializer(serializers.ModelSerializer):
    class Meta:
        model = HandlingUnit
        fields = [
            "id",
            "congress",
            "name",
            "short_name",
            "kind",
            "parent",
            "is_active",
            "contact_name",
            "contact_phone",
        ]


class CongressViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = CongressSerializer
    search_fields = ["name", "area_name", "area_code"]

    def get_queryset(self) -> QuerySet[Congress]:
        return Congress.objects.visible_to(self.request.user).order_by("area_code", "level", "pk")


@extend_schema(parameters=[CONGRESS_PARAMETER])
class CommitteeViewSet(CongressFilterMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = CommitteeSerializer
    search_fields = ["name", "short_name"]

    def get_queryset(self) -> QuerySet[Committee]:
        queryset = Committee.objects.visible_to(self.request.user).prefetch_related("subject_categories")
        return self.filter_congress(queryset, self.request).order_by("congress_id", "kind", "name")


@extend_schema(parameters=[CONGRESS_PARAMETER])
class HandlingUnitViewSet(CongressFilterMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = HandlingUnitSerializer
    search_fields = ["name", "short_name"]

    def get_queryset(self) -> QuerySet[HandlingUnit]:
        queryset = HandlingUnit.objects.visible_to(self.request.user)
        return self.filter_congress(queryset, self.request).order_by("congress_id", "name")


class MeSerializer(serializers.Serializer):
    username = serializers.CharField()
    full_name = serializers.CharField()
    roles = serializers.ListField(child=serializers.CharField())
    is_global = serializers.BooleanField()
    congress = CongressSerializer(allow_null=True)
    congress_ids = serializers.ListField(child=serializers.IntegerField())
    deputy_id = serializers.IntegerField(allow_null=True)
    committee_id = serializers.IntegerField(allow_null=True)
    unit_id = serializers.IntegerField(allow_null=True)
    station_ids = serializers.ListField(child=serializers.IntegerField())


class MeView(APIView):
    """The signed-in user's roles and scope."""

    @extend_schema(responses=MeSerializer)
    def get(self, request: Request) -> Response:
        user: Any = request.user
        scope = get_scope(user)
        data = {
            "username": user.get_username(),
            "full_name": user.get_full_name(),
            "roles": sorted(scope.roles),
            "is_global": scope.is_global,
            "congress": congress_for_user(user=user),
            "congress_ids": sorted(scope.congress_ids),
            "deputy_id": scope.deputy_id,
            "committee_id": scope.committee_id,
            "unit_id": scope.unit_id,
            "station_ids": sorted(scope.station_ids),
        }
        return Response(MeSerializer(data).data)
