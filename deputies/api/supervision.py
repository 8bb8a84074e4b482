"""API of supervision participation: evaluation projects (staff: with results per unit) and scores
(a deputy's own; giving one again before the closing date changes it). Inspections, budget reviews
and law-enforcement checks are activities, served by the activity API."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from congress.models import HandlingUnit
from congress.scoping import get_scope

from ..models import EvaluationGroup, EvaluationProject, EvaluationScore
from ..selectors import supervision as selectors
from ..selectors.legislation import is_work_staff_reader
from ..services import supervision as services
from .common import parse


class EvaluationGroupBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = EvaluationGroup
        fields = ["id", "name", "members", "units"]


class EvaluationProjectSerializer(serializers.ModelSerializer):
    class Meta:
        model = EvaluationProject
        fields = ["id", "congress", "year", "kind", "title", "description", "committee", "scoring_closes_on"]


class UnitResultSerializer(serializers.Serializer):
    rank = serializers.IntegerField()
    unit = serializers.IntegerField(source="unit_id")
    unit_name = serializers.CharField()
    average = serializers.DecimalField(max_digits=5, decimal_places=2)
    count = serializers.IntegerField()
    minimum = serializers.IntegerField()
    maximum = serializers.IntegerField()
    comments = serializers.SerializerMethodField()

    def get_comments(self, result: Any) -> list[dict[str, Any]]:
        return [{"deputy_name": name, "score": score, "comment": comment} for name, score, comment in result.comments]


class EvaluationProjectDetailSerializer(EvaluationProjectSerializer):
    groups = EvaluationGroupBriefSerializer(many=True, read_only=True)
    results = serializers.SerializerMethodField()

    class Meta(EvaluationProjectSerializer.Meta):
        fields = [*EvaluationProjectSerializer.Meta.fields, "groups", "results"]

    def get_results(self, project: EvaluationProject) -> list[dict[str, Any]] | None:
        """Results per unit, ranked; staff only (null for deputies)."""
        if not self.context.get("staff"):
            return None
        return UnitResultSerializer(selectors.project_results(project=project), many=True).data


class EvaluationScoreSerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    deputy_name = serializers.CharField(source="deputy.name", read_only=True)

    class Meta:
        model = EvaluationScore
        fields = ["id", "group", "unit", "unit_name", "deputy", "deputy_name", "score", "comment", "updated_at"]
        read_only_fields = fields


@extend_schema_field(OpenApiTypes.INT)
class ScopedGroupField(serializers.PrimaryKeyRelatedField):
    def get_queryset(self) -> QuerySet[EvaluationGroup]:
        return EvaluationGroup.objects.visible_to(self.context["request"].user)


@extend_schema_field(OpenApiTypes.INT)
class ScopedUnitField(serializers.PrimaryKeyRelatedField):
    def get_queryset(self) -> QuerySet[HandlingUnit]:
        return HandlingUnit.objects.visible_to(self.context["request"].user)


class ScoreCreateSerializer(serializers.Serializer):
    group = ScopedGroupField()
    unit = ScopedUnitField()
    score = serializers.IntegerField(min_value=0, max_value=100)
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class EvaluationProjectViewSet(viewsets.ReadOnlyModelViewSet):
    """Staff see their congress's projects with results; a deputy the projects they evaluate in."""

    def get_queryset(self) -> QuerySet[EvaluationProject]:
        user = self.request.user
        projects = EvaluationProject.objects.visible_to(user)
        if not is_work_staff_reader(user):
            projects = projects.filter(groups__members=get_scope(user).deputy_id).distinct()
        if self.action == "retrieve":
            projects = projects.prefetch_related("groups__members", "groups__units")
        return projects.order_by("-year", "kind", "pk")

    def get_serializer_class(self) -> type[serializers.Serializer]:
        return EvaluationProjectDetailSerializer if self.action == "retrieve" else EvaluationProjectSerializer

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), "staff": is_work_staff_reader(self.request.user)}


class EvaluationScoreViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """A deputy's own scores (staff: all of their congress). POST scores a unit of the deputy's group."""

    serializer_class = EvaluationScoreSerializer

    def get_queryset(self) -> QuerySet[EvaluationScore]:
        scores = selectors.scores_visible_to(user=self.request.user)
        raw = self.request.query_params.get("project", "")
        if raw.isascii() and raw.isdigit():
            scores = scores.filter(group__project_id=int(raw))
        return scores.order_by("group_id", "unit_id", "deputy_id")

    @extend_schema(
        request=ScoreCreateSerializer,
        responses={201: EvaluationScoreSerializer, 200: EvaluationScoreSerializer},
        description="Scoring a unit again before the closing date changes the score (200).",
    )
    def create(self, request: Request) -> Response:
        data = parse(request, ScoreCreateSerializer)
        score, created = services.evaluation_score_submit(
            group=data["group"], unit=data["unit"], actor=request.user, score=data["score"], comment=data["comment"]
        )
        return Response(
            EvaluationScoreSerializer(score).data, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK
        )


ROUTES: list[tuple[str, Any, str]] = [
    ("evaluation-projects", EvaluationProjectViewSet, "evaluation-project"),
    ("evaluation-scores", EvaluationScoreViewSet, "evaluation-score"),
]
