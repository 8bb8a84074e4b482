"""REST API of the registry: scoped deputies (searchable by name) and the Popolo export."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from congress.api import CONGRESS_PARAMETER, CongressFilterMixin
from congress.roles import Role
from congress.scoping import get_scope

from .models import Deputy, Mandate
from .selectors import popolo_export


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
        scope = get_scope(request.user if request else None)
        if scope.is_global or Role.OFFICE in scope.roles or scope.deputy_id == deputy.pk:
            return deputy.phone or ""
        return deputy.masked_phone


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


class PopoloView(APIView):
    """Persons, organizations (congresses, committees, delegations) and memberships, as Popolo JSON."""

    @extend_schema(responses={200: dict})
    def get(self, request: Request) -> Response:
        user: Any = request.user
        return Response(popolo_export(user=user))
