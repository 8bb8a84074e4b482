"""REST API of the registry: scoped deputies (searchable by name) and the Popolo export."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from congress.api import CONGRESS_PARAMETER, CongressFilterMixin
from congress.privacy import deputy_phone_for
from congress.roles import Role
from congress.scoping import get_scope

from ..duty import duty_record_for
from ..models import ActivityRecord, Deputy, Mandate
from ..selectors import popolo_export


class MandateSerializer(serializers.ModelSerializer):
    term_number = serializers.IntegerField(source="term.number", read_only=True)
    delegation_name = serializers.CharField(source="delegation.name", default="", read_only=True)

    class Meta:
        model = Mandate
        fields = [
            "id",
            "congress",
            "term",
            "term_number",
            "delegation",
            "delegation_name",
            "constituency",
            "start_date",
            "end_date",
            "status",
        ]


class DeputySerializer(serializers.ModelSerializer):
    mandates = MandateSerializer(many=True, read_only=True)
    phone = serializers.SerializerMethodField()

    class Meta:
        model = Deputy
        fields = [
            "id",
            "name",
            "gender",
            "ethnicity",
            "party",
            "education",
            "category",
            "work_unit",
            "job_title",
            "status",
            "public_code",
            "phone",
            "mandates",
        ]

    def get_phone(self, deputy: Deputy) -> str:
        """The full number only for the deputy and office staff; a masked one for everyone else."""
        request = self.context.get("request")
        return deputy_phone_for(request.user if request else None, deputy)


class DutyTypeSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    points = serializers.DecimalField(max_digits=7, decimal_places=1)
    count = serializers.IntegerField()


class ActivityRecordSerializer(serializers.ModelSerializer):
    activity = serializers.CharField(source="activity_type.name", read_only=True)
    code = serializers.CharField(source="activity_type.code", read_only=True)

    class Meta:
        model = ActivityRecord
        fields = ["id", "date", "code", "activity", "description", "points", "status"]


class DutyRecordSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    base = serializers.DecimalField(max_digits=7, decimal_places=1)
    total = serializers.DecimalField(max_digits=7, decimal_places=1)
    rank = serializers.IntegerField(allow_null=True)
    by_type = DutyTypeSerializer(many=True)
    records = ActivityRecordSerializer(many=True)


@extend_schema(parameters=[CONGRESS_PARAMETER])
class DeputyViewSet(CongressFilterMixin, viewsets.ReadOnlyModelViewSet):
    """Deputies of the user's congress; `?search=` matches names (for picking co-signers)."""

    serializer_class = DeputySerializer
    search_fields = ["name"]

    def get_queryset(self) -> QuerySet[Deputy]:
        queryset = Deputy.objects.visible_to(self.request.user)
        raw = self.request.query_params.get("congress")
        if raw not in (None, ""):
            self.filter_congress(Mandate.objects.none(), self.request)  # validates the parameter
            queryset = queryset.in_congress(int(raw))
        mandates = (
            Mandate.objects.visible_to(self.request.user)
            .select_related("term", "delegation")
            .order_by("-start_date", "pk")
        )
        return queryset.prefetch_related(Prefetch("mandates", queryset=mandates)).order_by("name", "pk")

    @extend_schema(
        parameters=[OpenApiParameter("year", int, description="The year (default: this year).")],
        responses=DutyRecordSerializer,
    )
    @action(detail=True, methods=["get"], url_path="duty-record")
    def duty_record(self, request: Request, pk: str | None = None) -> Response:
        """The deputy's duty record and points for a year: the deputy, office staff and leaders only."""
        deputy = self.get_object()
        scope = get_scope(request.user)
        seats = set(deputy.mandates.values_list("congress_id", flat=True))
        congress_ids = seats if scope.is_global else seats & scope.congress_ids
        allowed = scope.is_global or scope.deputy_id == deputy.pk or bool(scope.roles & {Role.OFFICE, Role.LEADER})
        if not allowed or not congress_ids:
            raise NotFound
        raw = request.query_params.get("year", "")
        if raw and not (raw.isascii() and raw.isdigit() and 2000 <= int(raw) <= 2100):
            raise ValidationError({"year": [_("Enter a year such as 2026.")]})
        year = int(raw) if raw else timezone.localdate().year
        record = duty_record_for(deputy=deputy, congress_id=min(congress_ids), year=year)
        return Response(DutyRecordSerializer(record).data)


class PopoloView(APIView):
    """Persons, organizations (congresses, committees, delegations) and memberships, as Popolo JSON."""

    @extend_schema(responses={200: dict})
    def get(self, request: Request) -> Response:
        user: Any = request.user
        return Response(popolo_export(user=user))
