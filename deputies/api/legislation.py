"""API of legislation: proposal rounds (close), legislative proposals (a deputy's own; staff include or
leave out), drafts with their provisions, comments on them and the compiled comment report. Scoped:
deputies see and write only their own proposals and comments, and only drafts sent to them."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from ..models import DraftComment, DraftProvision, DraftRegulation, LegislativeProposal, LegislativeRound
from ..selectors import legislation as selectors
from ..services import legislation as services
from .common import parse


class LegislativeRoundSerializer(serializers.ModelSerializer):
    proposal_count = serializers.IntegerField(read_only=True)
    in_plan_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = LegislativeRound
        fields = [
            "id",
            "congress",
            "year",
            "title",
            "call",
            "deadline",
            "committee",
            "status",
            "proposal_count",
            "in_plan_count",
        ]


class LegislativeProposalSerializer(serializers.ModelSerializer):
    deputy_name = serializers.CharField(source="deputy.name", read_only=True)
    round_title = serializers.CharField(source="round.title", read_only=True)

    class Meta:
        model = LegislativeProposal
        fields = [
            "id",
            "congress",
            "round",
            "round_title",
            "deputy",
            "deputy_name",
            "title",
            "reason",
            "content",
            "status",
            "plan_note",
            "created_at",
        ]
        read_only_fields = fields


@extend_schema_field(OpenApiTypes.INT)
class ScopedRoundField(serializers.PrimaryKeyRelatedField):
    def get_queryset(self) -> QuerySet[LegislativeRound]:
        return LegislativeRound.objects.visible_to(self.context["request"].user)


class ProposalCreateSerializer(serializers.Serializer):
    round = ScopedRoundField()
    title = serializers.CharField(max_length=200)
    reason = serializers.CharField()
    content = serializers.CharField(required=False, allow_blank=True, default="")


class PlanNoteSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class DraftProvisionSerializer(serializers.ModelSerializer):
    class Meta:
        model = DraftProvision
        fields = ["id", "kind", "label", "text", "position"]


class DraftRegulationSerializer(serializers.ModelSerializer):
    class Meta:
        model = DraftRegulation
        fields = ["id", "congress", "title", "committee", "comment_deadline", "status"]


class DraftRegulationDetailSerializer(DraftRegulationSerializer):
    provisions = DraftProvisionSerializer(many=True, read_only=True)

    class Meta(DraftRegulationSerializer.Meta):
        fields = [*DraftRegulationSerializer.Meta.fields, "text", "provisions"]


class DraftCommentSerializer(serializers.ModelSerializer):
    deputy_name = serializers.CharField(source="deputy.name", read_only=True)
    provision_label = serializers.CharField(source="provision.label", default="", read_only=True)

    class Meta:
        model = DraftComment
        fields = ["id", "draft", "provision", "provision_label", "deputy", "deputy_name", "content", "created_at"]
        read_only_fields = fields


class CommentCreateSerializer(serializers.Serializer):
    provision = serializers.IntegerField(required=False, allow_null=True, default=None)
    content = serializers.CharField()


class ReportCommentSerializer(serializers.Serializer):
    deputy = serializers.IntegerField(source="deputy_id")
    deputy_name = serializers.CharField(source="deputy.name")
    content = serializers.CharField()


class ReportEntrySerializer(serializers.Serializer):
    provision = DraftProvisionSerializer()
    commenters = serializers.ListField(child=serializers.CharField())
    comments = ReportCommentSerializer(many=True)


class CommentReportSerializer(serializers.Serializer):
    comment_count = serializers.IntegerField()
    commenter_count = serializers.IntegerField()
    recipient_count = serializers.IntegerField()
    provisions_commented = serializers.IntegerField()
    provisions = ReportEntrySerializer(many=True, source="commented_entries")
    general = ReportCommentSerializer(many=True)


class LegislativeRoundViewSet(viewsets.ReadOnlyModelViewSet):
    """Calls for legislative proposals of the user's congress, with proposal counts."""

    serializer_class = LegislativeRoundSerializer

    def get_queryset(self) -> QuerySet[LegislativeRound]:
        return selectors.round_list(user=self.request.user)

    @extend_schema(request=None, responses=LegislativeRoundSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk: str) -> Response:
        """Office or committee staff close the round."""
        legislative_round = services.round_close(legislative_round=self.get_object(), actor=request.user)
        return Response(LegislativeRoundSerializer(self.get_queryset().get(pk=legislative_round.pk)).data)


class LegislativeProposalViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """A deputy's own proposals (staff: all of their congress). `?round=` narrows the list."""

    serializer_class = LegislativeProposalSerializer

    def get_queryset(self) -> QuerySet[LegislativeProposal]:
        raw = self.request.query_params.get("round", "")
        round_id = int(raw) if raw.isascii() and raw.isdigit() else None
        return selectors.proposal_list(user=self.request.user, round_id=round_id)

    @extend_schema(request=ProposalCreateSerializer, responses={201: LegislativeProposalSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """A serving deputy proposes a regulation while the round is open."""
        data = parse(request, ProposalCreateSerializer)
        proposal = services.proposal_submit(
            legislative_round=data["round"],
            actor=request.user,
            title=data["title"],
            reason=data["reason"],
            content=data["content"],
        )
        return Response(LegislativeProposalSerializer(proposal).data, status=status.HTTP_201_CREATED)

    def _sort(self, request: Request, include: bool) -> Response:
        proposal = self.get_object()
        note = parse(request, PlanNoteSerializer)["note"]
        move = services.proposal_include if include else services.proposal_exclude
        return Response(LegislativeProposalSerializer(move(proposal=proposal, actor=request.user, note=note)).data)

    @extend_schema(request=PlanNoteSerializer, responses=LegislativeProposalSerializer)
    @action(detail=True, methods=["post"])
    def include(self, request: Request, pk: str) -> Response:
        """Staff take the proposal into the legislative plan list."""
        return self._sort(request, include=True)

    @extend_schema(request=PlanNoteSerializer, responses=LegislativeProposalSerializer)
    @action(detail=True, methods=["post"])
    def exclude(self, request: Request, pk: str) -> Response:
        """Staff leave the proposal out of this year's plan."""
        return self._sort(request, include=False)


class DraftRegulationViewSet(viewsets.ReadOnlyModelViewSet):
    """Drafts: staff see their congress's, a deputy those sent to them. Comments and the report hang
    off each draft."""

    def get_queryset(self) -> QuerySet[DraftRegulation]:
        drafts = selectors.drafts_visible_to(user=self.request.user).select_related("committee")
        if self.action == "retrieve":
            drafts = drafts.prefetch_related("provisions")
        return drafts.order_by("-comment_deadline", "-pk")

    def get_serializer_class(self) -> type[serializers.Serializer]:
        return DraftRegulationDetailSerializer if self.action == "retrieve" else DraftRegulationSerializer

    @extend_schema(
        methods=["get"],
        request=None,
        responses=DraftCommentSerializer(many=True),
        description="The comments you may see.",
    )
    @extend_schema(methods=["post"], request=CommentCreateSerializer, responses={201: DraftCommentSerializer})
    @action(detail=True, methods=["get", "post"])
    def comments(self, request: Request, pk: str) -> Response:
        """GET: my comments (staff: all). POST: comment on a provision (its id) or on the whole draft."""
        draft = self.get_object()
        if request.method == "GET":
            queryset = selectors.comments_of_draft(user=request.user, draft=draft)
            page = self.paginate_queryset(queryset)
            return self.get_paginated_response(DraftCommentSerializer(page, many=True).data)
        data = parse(request, CommentCreateSerializer)
        provision = None
        if data["provision"] is not None:
            provision = DraftProvision.objects.filter(draft=draft, pk=data["provision"]).first()
            if provision is None:
                raise serializers.ValidationError({"provision": [_("Choose a provision of this draft.")]})
        comment = services.draft_comment_add(
            draft=draft, actor=request.user, provision=provision, content=data["content"]
        )
        return Response(DraftCommentSerializer(comment).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=CommentReportSerializer)
    @action(detail=True, methods=["get"])
    def report(self, request: Request, pk: str) -> Response:
        """The compiled comment report (office and committee staff, leaders)."""
        draft = get_object_or_404(self.get_queryset(), pk=pk)
        if not selectors.is_work_staff_reader(request.user):
            raise PermissionDenied(_("Only staff read the compiled comment report."))
        return Response(CommentReportSerializer(selectors.draft_comment_report(draft=draft)).data)


ROUTES: list[tuple[str, Any, str]] = [
    ("legislative-rounds", LegislativeRoundViewSet, "legislative-round"),
    ("legislative-proposals", LegislativeProposalViewSet, "legislative-proposal"),
    ("drafts", DraftRegulationViewSet, "draft"),
]
