"""API of trainings and the learning area: plans (approve, include in the yearly schedule), courses
with their figures (invite by category, issue certificates), materials (complete) and a congress's
yearly figures. Querysets are scoped (outside scope answers 404); each move calls one service, whose
role check answers 403 and whose refusal answers 409."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Exists, OuterRef, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from congress.api import CONGRESS_PARAMETER, CongressFilterMixin
from congress.scoping import get_scope

from ..choices import DeputyCategory
from ..models import Activity, Invitation, LearningMaterial, MaterialCompletion, PlannedCourse, TrainingPlan
from ..selectors import training as selectors
from ..services import training as services
from .common import parse

READER_ROLES = ("office_staff", "committee_staff", "leaders")


class PlannedCourseSerializer(serializers.ModelSerializer):
    organiser_name = serializers.CharField(source="organiser.name", read_only=True)

    class Meta:
        model = PlannedCourse
        fields = ["id", "title", "kind", "organiser", "organiser_name", "month", "planned_deputies", "audience"]


class TrainingPlanSerializer(serializers.ModelSerializer):
    planned_courses = PlannedCourseSerializer(many=True, read_only=True)

    class Meta:
        model = TrainingPlan
        fields = [
            "id",
            "congress",
            "year",
            "title",
            "notes",
            "status",
            "approved_on",
            "in_yearly_schedule",
            "planned_courses",
        ]


class CourseSerializer(serializers.ModelSerializer):
    organiser_name = serializers.CharField(source="organiser.name", default="", read_only=True)
    invited = serializers.IntegerField(source="invited_count", read_only=True)
    coming = serializers.IntegerField(source="coming_count", read_only=True)
    attended = serializers.IntegerField(source="attended_count", read_only=True)
    certificates = serializers.IntegerField(source="certificate_count", read_only=True)
    credited_hours = serializers.DecimalField(max_digits=9, decimal_places=1, read_only=True, default=0)

    class Meta:
        model = Activity
        fields = [
            "id",
            "congress",
            "title",
            "training_kind",
            "organiser",
            "organiser_name",
            "planned_course",
            "starts_at",
            "ends_at",
            "place",
            "capacity",
            "hours",
            "open_enrollment",
            "state",
            "invited",
            "coming",
            "attended",
            "certificates",
            "credited_hours",
        ]


class CourseInviteSerializer(serializers.Serializer):
    categories = serializers.ListField(
        child=serializers.ChoiceField(choices=DeputyCategory.choices), required=False, default=list
    )
    deputies = serializers.ListField(
        child=serializers.IntegerField(min_value=1), required=False, default=list, max_length=1000
    )
    exclude_trained = serializers.BooleanField(required=False, default=False)

    def validate(self, data: dict[str, Any]) -> dict[str, Any]:
        if not data["categories"] and not data["deputies"]:
            raise serializers.ValidationError(_("Choose categories of deputies or individual deputies."))
        return data


class CertificateSerializer(serializers.ModelSerializer):
    deputy_name = serializers.CharField(source="deputy.name", read_only=True)

    class Meta:
        model = Invitation
        fields = ["id", "deputy", "deputy_name", "hours", "certificate_number"]


class InvitedSerializer(serializers.Serializer):
    invited = serializers.IntegerField()


class MaterialSerializer(serializers.ModelSerializer):
    completed = serializers.BooleanField(source="is_completed", read_only=True, default=False)
    completion_count = serializers.IntegerField(read_only=True, default=None)

    class Meta:
        model = LearningMaterial
        fields = [
            "id",
            "congress",
            "title",
            "kind",
            "url",
            "file",
            "description",
            "course",
            "minutes",
            "is_required",
            "is_published",
            "completed",
            "completion_count",
        ]


class CompletionSerializer(serializers.ModelSerializer):
    class Meta:
        model = MaterialCompletion
        fields = ["id", "material", "deputy", "completed_at"]


class FiguresSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    courses_held = serializers.IntegerField()
    deputies_trained = serializers.IntegerField()
    person_times = serializers.IntegerField()
    hours = serializers.DecimalField(max_digits=12, decimal_places=1)


def _year(request: Request) -> int:
    raw = request.query_params.get("year", "")
    if raw and not (raw.isascii() and raw.isdigit() and 2000 <= int(raw) <= 2100):
        raise ValidationError({"year": [_("Enter a year such as 2026.")]})
    return int(raw) if raw else timezone.localdate().year


@extend_schema(parameters=[CONGRESS_PARAMETER])
class TrainingPlanViewSet(CongressFilterMixin, viewsets.ReadOnlyModelViewSet):
    """Training plans with their planned courses."""

    serializer_class = TrainingPlanSerializer

    def get_queryset(self) -> QuerySet[TrainingPlan]:
        queryset = TrainingPlan.objects.visible_to(self.request.user).prefetch_related("planned_courses__organiser")
        return self.filter_congress(queryset, self.request).order_by("-year", "pk")

    @extend_schema(request=None, responses=TrainingPlanSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk: str | None = None) -> Response:
        """Approve a draft plan (office staff)."""
        plan = services.training_plan_approve(plan=self.get_object(), actor=request.user)
        return Response(TrainingPlanSerializer(self.get_queryset().get(pk=plan.pk)).data)

    @extend_schema(request=None, responses=TrainingPlanSerializer)
    @action(detail=True, methods=["post"], url_path="include-in-schedule")
    def include_in_schedule(self, request: Request, pk: str | None = None) -> Response:
        """Mark an approved plan as included in the standing committee's yearly schedule (office staff)."""
        plan = services.training_plan_include_in_schedule(plan=self.get_object(), actor=request.user)
        return Response(TrainingPlanSerializer(self.get_queryset().get(pk=plan.pk)).data)


@extend_schema(
    parameters=[
        CONGRESS_PARAMETER,
        OpenApiParameter("year", int, description="Only courses starting in this year."),
    ]
)
class TrainingCourseViewSet(CongressFilterMixin, viewsets.ReadOnlyModelViewSet):
    """Training courses with invited/attended counts, certificates and credited hours."""

    serializer_class = CourseSerializer

    def get_queryset(self) -> QuerySet[Activity]:
        queryset = selectors.with_course_figures(
            Activity.objects.visible_to(self.request.user).trainings().select_related("organiser")
        )
        raw = self.request.query_params.get("year")
        if raw:
            queryset = queryset.filter(starts_at__year=_year(self.request))
        return self.filter_congress(queryset, self.request).order_by("-starts_at", "pk")

    @extend_schema(request=CourseInviteSerializer, responses=InvitedSerializer)
    @action(detail=True, methods=["post"])
    def invite(self, request: Request, pk: str | None = None) -> Response:
        """Invite deputies by category and/or id, optionally leaving out those trained this year."""
        course = self.get_object()
        data = parse(request, CourseInviteSerializer)
        created = services.course_invite(
            course=course,
            actor=request.user,
            categories=data["categories"],
            deputy_ids=data["deputies"],
            exclude_trained=data["exclude_trained"],
        )
        return Response({"invited": len(created)})

    @extend_schema(request=None, responses=CertificateSerializer(many=True))
    @action(detail=True, methods=["post"], url_path="issue-certificates")
    def issue_certificates(self, request: Request, pk: str | None = None) -> Response:
        """Number a certificate for every attendee of the held course who has none (idempotent)."""
        course = self.get_object()
        services.course_issue_certificates(course=course, actor=request.user)
        return Response(CertificateSerializer(selectors.course_certificates(course=course), many=True).data)


@extend_schema(parameters=[CONGRESS_PARAMETER])
class LearningMaterialViewSet(CongressFilterMixin, viewsets.ReadOnlyModelViewSet):
    """Learning materials: deputies see the published ones with `completed`; staff see all with counts."""

    serializer_class = MaterialSerializer

    def get_queryset(self) -> QuerySet[LearningMaterial]:
        scope = get_scope(self.request.user)
        queryset = LearningMaterial.objects.visible_to(self.request.user)
        if scope.is_global or scope.has_role(*READER_ROLES):
            queryset = queryset.annotate(completion_count=Count("completions"))
        else:
            done = MaterialCompletion.objects.filter(material=OuterRef("pk"), deputy_id=scope.deputy_id)
            queryset = queryset.filter(is_published=True).annotate(is_completed=Exists(done))
        return self.filter_congress(queryset, self.request).order_by("-is_required", "title", "pk")

    @extend_schema(request=None, responses=CompletionSerializer)
    @action(detail=True, methods=["post"])
    def complete(self, request: Request, pk: str | None = None) -> Response:
        """The signed-in deputy marks the material as studied (once)."""
        completion = services.material_complete(material=self.get_object(), actor=request.user)
        return Response(CompletionSerializer(completion).data, status=201)


class TrainingFiguresViewSet(viewsets.ViewSet):
    """Courses held, deputies trained, person-times and hours of the user's congress in a year."""

    @extend_schema(
        parameters=[OpenApiParameter("year", int, description="The year (default: this year)."), CONGRESS_PARAMETER],
        responses=FiguresSerializer,
    )
    def list(self, request: Request) -> Response:
        scope = get_scope(request.user)
        if not (scope.is_global or scope.has_role(*READER_ROLES)):
            raise PermissionDenied
        year = _year(request)
        raw = request.query_params.get("congress", "")
        if raw and not (raw.isascii() and raw.isdigit()):
            raise ValidationError({"congress": [_("Enter a valid congress id (a whole number).")]})
        congress = selectors.desk_congress(user=request.user, raw=raw or None)
        return Response(FiguresSerializer(selectors.training_figures(congress_id=congress.pk, year=year)).data)


# (prefix, viewset, basename) registered by congress/api_urls.py
ROUTES: list[tuple[str, Any, str]] = [
    ("training-plans", TrainingPlanViewSet, "training-plan"),
    ("training-courses", TrainingCourseViewSet, "training-course"),
    ("learning-materials", LearningMaterialViewSet, "learning-material"),
    ("training-figures", TrainingFiguresViewSet, "training-figures"),
]
