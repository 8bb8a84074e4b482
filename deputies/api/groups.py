"""API of professional groups: groups with their members (read), outputs (list, read, record, mark
adopted) and special supervisors (read). Scoped by `visible_to`; every write is one service (role
refused 403, workflow refused 409, bad input 400)."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from congress.api import CONGRESS_PARAMETER, CongressFilterMixin

from ..choices import OutputKind
from ..models import Activity, Deputy, GroupMembership, GroupOutput, ProfessionalGroup, SpecialSupervisor
from ..services import groups as services
from .common import parse


class MemberSerializer(serializers.ModelSerializer):
    deputy_name = serializers.CharField(source="deputy.name", read_only=True)
    role_display = serializers.CharField(source="get_role_display", read_only=True)

    class Meta:
        model = GroupMembership
        fields = ["id", "deputy", "deputy_name", "role", "role_display", "joined_on"]


class GroupSerializer(serializers.ModelSerializer):
    members = MemberSerializer(source="memberships", many=True, read_only=True)
    counterpart_committee_name = serializers.CharField(source="counterpart_committee.name", read_only=True)

    class Meta:
        model = ProfessionalGroup
        fields = [
            "id",
            "congress",
            "name",
            "field",
            "counterpart_committee",
            "counterpart_committee_name",
            "keywords",
            "description",
            "is_active",
            "members",
        ]


@extend_schema(parameters=[CONGRESS_PARAMETER])
class GroupViewSet(CongressFilterMixin, viewsets.ReadOnlyModelViewSet):
    """Professional groups of the user's congress, each with its members and their roles."""

    serializer_class = GroupSerializer
    search_fields = ["name", "field", "keywords"]
    ordering_fields = ["name"]

    def get_queryset(self) -> QuerySet[ProfessionalGroup]:
        memberships = GroupMembership.objects.select_related("deputy").order_by("role", "deputy__name", "pk")
        queryset = (
            ProfessionalGroup.objects.visible_to(self.request.user)
            .select_related("counterpart_committee")
            .prefetch_related(Prefetch("memberships", queryset=memberships))
            .order_by("name", "pk")
        )
        return self.filter_congress(queryset, self.request)


class OutputSerializer(serializers.ModelSerializer):
    group_name = serializers.CharField(source="group.name", read_only=True)
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    author_names = serializers.SerializerMethodField()

    class Meta:
        model = GroupOutput
        fields = [
            "id",
            "congress",
            "group",
            "group_name",
            "activity",
            "kind",
            "kind_display",
            "title",
            "content",
            "file",
            "authors",
            "author_names",
            "submitted_on",
            "adopted",
            "adopted_on",
            "adopted_where",
        ]
        read_only_fields = fields

    def get_author_names(self, output: GroupOutput) -> list[str]:
        return [author.name for author in output.authors.all()]


class OutputCreateSerializer(serializers.Serializer):
    group = serializers.PrimaryKeyRelatedField(queryset=ProfessionalGroup.objects.none())
    kind = serializers.ChoiceField(choices=OutputKind.choices)
    title = serializers.CharField(max_length=200)
    content = serializers.CharField(required=False, allow_blank=True, default="")
    authors = serializers.PrimaryKeyRelatedField(queryset=Deputy.objects.none(), many=True, required=False)
    activity = serializers.PrimaryKeyRelatedField(queryset=Activity.objects.none(), required=False, allow_null=True)
    file = serializers.FileField(required=False, allow_null=True)
    submitted_on = serializers.DateField(required=False, allow_null=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        user = request.user if request is not None else None  # None when the schema is generated: no choices
        self.fields["group"].queryset = ProfessionalGroup.objects.visible_to(user)
        self.fields["activity"].queryset = Activity.objects.visible_to(user)
        self.fields["authors"].child_relation.queryset = Deputy.objects.visible_to(user)


class AdoptSerializer(serializers.Serializer):
    adopted_on = serializers.DateField()
    adopted_where = serializers.CharField(max_length=200)


@extend_schema(parameters=[CONGRESS_PARAMETER])
class GroupOutputViewSet(
    CongressFilterMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Outputs of the groups: staff see all of their congress, deputies those of their groups.
    Filters: `kind`, `adopted` (true/false), `group`, `year`."""

    serializer_class = OutputSerializer
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    search_fields = ["title"]
    ordering_fields = ["submitted_on"]

    def get_queryset(self) -> QuerySet[GroupOutput]:
        queryset = (
            GroupOutput.objects.visible_to(self.request.user)
            .select_related("group")
            .prefetch_related("authors")
            .order_by("-submitted_on", "-pk")
        )
        params = self.request.query_params
        if params.get("kind") in OutputKind.values:
            queryset = queryset.filter(kind=params["kind"])
        if params.get("adopted") in ("true", "false"):
            queryset = queryset.filter(adopted=params["adopted"] == "true")
        for name, lookup in (("group", "group_id"), ("year", "submitted_on__year")):
            raw = params.get(name, "")
            if raw.isascii() and raw.isdigit():
                queryset = queryset.filter(**{lookup: int(raw)})
        return self.filter_congress(queryset, self.request)

    @extend_schema(
        parameters=[
            OpenApiParameter("kind", str, enum=OutputKind.values),
            OpenApiParameter("adopted", bool),
            OpenApiParameter("group", int),
            OpenApiParameter("year", int),
        ]
    )
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(request=OutputCreateSerializer, responses={201: OutputSerializer})
    def create(self, request: Request) -> Response:
        """Record an output: staff for any group of their congress, a member for their own group."""
        data = parse(request, OutputCreateSerializer)
        output = services.output_record(
            group=data["group"],
            actor=request.user,
            kind=data["kind"],
            title=data["title"],
            content=data.get("content", ""),
            authors=data.get("authors", []),
            file=data.get("file"),
            activity=data.get("activity"),
            submitted_on=data.get("submitted_on"),
        )
        return Response(OutputSerializer(output, context={"request": request}).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=AdoptSerializer, responses={200: OutputSerializer})
    @action(detail=True, methods=["post"])
    def adopt(self, request: Request, pk: str | None = None) -> Response:
        """Office or committee staff mark the output adopted by the standing committee."""
        output = self.get_object()
        data = parse(request, AdoptSerializer)
        output = services.output_mark_adopted(
            output=output, actor=request.user, adopted_on=data["adopted_on"], where=data["adopted_where"]
        )
        return Response(OutputSerializer(output, context={"request": request}).data)


class SpecialSupervisorSerializer(serializers.ModelSerializer):
    deputy_name = serializers.CharField(source="deputy.name", read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)

    class Meta:
        model = SpecialSupervisor
        fields = ["id", "congress", "deputy", "deputy_name", "unit", "unit_name", "term", "appointed_on", "ends_on"]


@extend_schema(parameters=[CONGRESS_PARAMETER])
class SpecialSupervisorViewSet(CongressFilterMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """Special supervisors (特约监督员): staff see their congress's; a deputy their own appointments."""

    serializer_class = SpecialSupervisorSerializer
    search_fields = ["deputy__name", "unit__name"]

    def get_queryset(self) -> QuerySet[SpecialSupervisor]:
        queryset = (
            SpecialSupervisor.objects.visible_to(self.request.user)
            .select_related("deputy", "unit")
            .order_by("unit__name", "deputy__name", "pk")
        )
        return self.filter_congress(queryset, self.request)


# (prefix, viewset, basename) registered by congress/api_urls.py
ROUTES: list[tuple[str, Any, str]] = [
    ("groups", GroupViewSet, "group"),
    ("group-outputs", GroupOutputViewSet, "group-output"),
    ("special-supervisors", SpecialSupervisorViewSet, "special-supervisor"),
]
