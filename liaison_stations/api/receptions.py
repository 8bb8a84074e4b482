"""API of reception days, visits and forums: scoped lists (filters `station`, `year`) and create for
station staff and office staff (403 for other roles, 404 for a station outside the user's scope, 400
with the field problems). Confidential visits' words and the visitor's contact are left out for
those who may not read them."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from congress.models import SubjectCategory
from congress.privacy import mask_phone, mask_phones_in_text, sees_visitor_contact
from deputies.api.common import Pages, parse
from deputies.models import Deputy

from ..models import Block, Forum, ReceptionDay, Station, Visit
from ..services import receptions as services


def _station(request: Request, pk: int) -> Station:
    station = Station.objects.visible_to(request.user).filter(pk=pk).first()
    if station is None:
        raise Http404
    return station


def _filtered(queryset: QuerySet, request: Request, date_field: str) -> QuerySet:
    station = request.query_params.get("station", "")
    if station.isdigit():
        queryset = queryset.filter(station_id=int(station))
    year = request.query_params.get("year", "")
    if year.isdigit():
        queryset = queryset.filter(**{f"{date_field}__year": int(year)})
    return queryset


# --- reception days ------------------------------------------------------------------------------


class ReceptionDaySerializer(serializers.ModelSerializer):
    deputies = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    deputy_names = serializers.SerializerMethodField()
    visits = serializers.IntegerField(source="visit_count", read_only=True)

    class Meta:
        model = ReceptionDay
        fields = [
            "id",
            "station",
            "date",
            "starts_at",
            "ends_at",
            "topic",
            "note",
            "deputies",
            "deputy_names",
            "visits",
        ]

    def get_deputy_names(self, reception: ReceptionDay) -> list[str]:
        return [deputy.name for deputy in reception.deputies.all()]


class ReceptionInput(serializers.Serializer):
    station = serializers.IntegerField(min_value=1)
    date = serializers.DateField()
    starts_at = serializers.TimeField(required=False)
    ends_at = serializers.TimeField(required=False)
    topic = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    note = serializers.CharField(required=False, allow_blank=True, default="")
    deputies = serializers.ListField(child=serializers.IntegerField(min_value=1), max_length=50)


class ReceptionDayViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """Reception days with their deputies on duty (filters: station, year)."""

    serializer_class = ReceptionDaySerializer
    pagination_class = Pages

    def get_queryset(self) -> QuerySet[ReceptionDay]:
        queryset = ReceptionDay.objects.visible_to(self.request.user)
        return (
            _filtered(queryset, self.request, "date")
            .prefetch_related("deputies")
            .annotate(visit_count=Count("visits", distinct=True))
            .order_by("-date", "starts_at", "pk")
        )

    @extend_schema(request=ReceptionInput, responses=ReceptionDaySerializer)
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Plan a reception day; the deputies on duty must be deputies of the station."""
        data = parse(request, ReceptionInput)
        station = _station(request, data.pop("station"))
        reception = services.reception_save(
            station=station, actor=request.user, deputy_ids=data.pop("deputies"), **data
        )
        return Response(self.get_serializer(self.get_queryset().get(pk=reception.pk)).data, status=201)


# --- visits --------------------------------------------------------------------------------------


class VisitSerializer(serializers.ModelSerializer):
    words = serializers.SerializerMethodField()
    disposition_note = serializers.SerializerMethodField()
    visitor_phone = serializers.SerializerMethodField()
    disposition = serializers.CharField(read_only=True)
    confidentiality = serializers.CharField(read_only=True)
    deputy_name = serializers.CharField(source="deputy.name", read_only=True, default="")

    class Meta:
        model = Visit
        fields = [
            "id",
            "station",
            "reception_day",
            "deputy",
            "deputy_name",
            "visited_on",
            "visitor_name",
            "visitor_phone",
            "visitors",
            "words",
            "category",
            "confidentiality",
            "disposition",
            "disposition_note",
        ]

    def _readable(self, visit: Visit) -> bool:
        return services.can_read_words(self.context["request"].user, visit)

    def _handles(self, visit: Visit) -> bool:
        return sees_visitor_contact(self.context["request"].user, visit)

    def get_words(self, visit: Visit) -> str | None:
        """None for a confidential visit the user may not read; phone numbers in the words masked
        for those who do not handle the visit."""
        if not self._readable(visit):
            return None
        return visit.words if self._handles(visit) else mask_phones_in_text(visit.words)

    def get_disposition_note(self, visit: Visit) -> str | None:
        return visit.disposition_note if self._readable(visit) else None

    def get_visitor_phone(self, visit: Visit) -> str:
        """In full for those handling the visit (docs/PRIVACY.md), masked for everyone else."""
        return visit.visitor_phone if self._handles(visit) else mask_phone(visit.visitor_phone)


class VisitInput(serializers.Serializer):
    station = serializers.IntegerField(min_value=1)
    visited_on = serializers.DateField()
    words = serializers.CharField()
    disposition = serializers.CharField(max_length=12, help_text="answered, loop, suggestion or not_accepted")
    disposition_note = serializers.CharField(required=False, allow_blank=True, default="")
    confidentiality = serializers.CharField(max_length=12, required=False, default="public")
    reception_day = serializers.IntegerField(min_value=1, required=False, allow_null=True)
    deputy = serializers.IntegerField(min_value=1, required=False, allow_null=True)
    category = serializers.IntegerField(min_value=1, required=False, allow_null=True)
    visitor_name = serializers.CharField(max_length=50, required=False, allow_blank=True, default="")
    visitor_phone = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    visitors = serializers.IntegerField(min_value=1, max_value=999, required=False, default=1)
    consent = serializers.BooleanField(required=False, default=False)


def _related(model: Any, pk: int | None, field: str, **scope: Any) -> Any:
    if pk is None:
        return None
    row = model.objects.filter(pk=pk, **scope).first()
    if row is None:
        raise serializers.ValidationError({field: [_("Not found, or not of this station.")]})
    return row


class VisitViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    """Visits received at stations (filters: station, year, disposition)."""

    serializer_class = VisitSerializer
    pagination_class = Pages

    def get_queryset(self) -> QuerySet[Visit]:
        queryset = _filtered(Visit.objects.visible_to(self.request.user), self.request, "visited_on")
        disposition = self.request.query_params.get("disposition")
        if disposition:
            queryset = queryset.filter(disposition=disposition)
        return queryset.select_related("deputy").order_by("-visited_on", "-pk")

    @extend_schema(request=VisitInput, responses=VisitSerializer)
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Record a visit; `loop` also creates the citizen issue (channel visit)."""
        data = parse(request, VisitInput)
        station = _station(request, data.pop("station"))
        data["reception_day"] = _related(
            ReceptionDay, data.pop("reception_day", None), "reception_day", station=station
        )
        data["deputy"] = _related(Deputy, data.pop("deputy", None), "deputy")
        data["category"] = _related(
            SubjectCategory, data.pop("category", None), "category", congress_id=station.congress_id
        )
        visit = services.visit_record(station=station, actor=request.user, **data)
        return Response(self.get_serializer(visit).data, status=201)


# --- forums --------------------------------------------------------------------------------------


class ForumSerializer(serializers.ModelSerializer):
    deputies = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    issues = serializers.IntegerField(source="issue_count", read_only=True)

    class Meta:
        model = Forum
        fields = ["id", "station", "block", "held_on", "topic", "place", "deputies", "residents", "summary", "issues"]


class ForumInput(serializers.Serializer):
    station = serializers.IntegerField(min_value=1)
    held_on = serializers.DateField()
    topic = serializers.CharField(max_length=200)
    block = serializers.IntegerField(min_value=1, required=False, allow_null=True)
    place = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    deputies = serializers.ListField(
        child=serializers.IntegerField(min_value=1), max_length=100, required=False, default=list
    )
    residents = serializers.IntegerField(min_value=0, max_value=100000, required=False, default=0)
    summary = serializers.CharField(required=False, allow_blank=True, default="")


class ForumViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    """Residents' forums (民情恳谈会) with deputies present and issues collected (filters: station, year)."""

    serializer_class = ForumSerializer
    pagination_class = Pages

    def get_queryset(self) -> QuerySet[Forum]:
        queryset = _filtered(Forum.objects.visible_to(self.request.user), self.request, "held_on")
        return (
            queryset.prefetch_related("deputies")
            .annotate(issue_count=Count("issues", distinct=True))
            .order_by("-held_on", "-pk")
        )

    @extend_schema(request=ForumInput, responses=ForumSerializer)
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Record a forum; once held, each deputy present gets it in their duty record."""
        data = parse(request, ForumInput)
        station = _station(request, data.pop("station"))
        data["block"] = _related(Block, data.pop("block", None), "block", station=station)
        forum = services.forum_save(station=station, actor=request.user, deputy_ids=data.pop("deputies"), **data)
        return Response(self.get_serializer(self.get_queryset().get(pk=forum.pk)).data, status=201)


# (prefix, viewset, basename) registered by congress/api_urls.py
ROUTES: list[tuple[str, Any, str]] = [
    ("reception-days", ReceptionDayViewSet, "reception-day"),
    ("visits", VisitViewSet, "visit"),
    ("forums", ForumViewSet, "forum"),
]
