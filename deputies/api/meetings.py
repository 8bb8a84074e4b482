"""API of standing-committee meetings: meetings with agenda and the term's coverage, the rotation
planner (`POST /api/v1/meetings/{id}/propose-attendees/`, a contract), invitations, and the opinions
deputies raise (recorded, handed over to a unit, answered).

Objects come from `visible_to(user)` querysets (outside scope: 404); each move calls one service,
whose role check answers 403 and whose refusal answers 409; field problems answer 400."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response

from congress.models import HandlingUnit
from congress.roles import Role
from congress.scoping import get_scope

from .. import planner
from ..choices import InvitationSource
from ..exceptions import NotAllowed
from ..models import AgendaTopic, Deputy, Invitation, Meeting, MeetingOpinion
from ..selectors import meetings as selectors
from ..services import meetings as services
from ..services.activities import ensure_work_staff
from .common import parse

READER_ROLES = (Role.OFFICE, Role.COMMITTEE, Role.LEADER)


def _reads_planner(user: Any) -> bool:
    return get_scope(user).has_role(*READER_ROLES)


class AgendaTopicSerializer(serializers.ModelSerializer):
    committee_name = serializers.CharField(source="committee.name", default="", read_only=True)

    class Meta:
        model = AgendaTopic
        fields = ["id", "title", "committee", "committee_name", "keywords", "sort_order"]


class CoverageSerializer(serializers.Serializer):
    deputies_in_term = serializers.IntegerField()
    covered = serializers.IntegerField()
    uncovered = serializers.IntegerField()
    meetings_left = serializers.IntegerField()
    percent = serializers.IntegerField()


class MeetingSerializer(serializers.ModelSerializer):
    invited_count = serializers.IntegerField(read_only=True)
    attended_count = serializers.IntegerField(read_only=True)
    sitting_state = serializers.CharField(read_only=True)

    class Meta:
        model = Meeting
        fields = [
            "id",
            "congress",
            "term",
            "number",
            "title",
            "starts_on",
            "ends_on",
            "place",
            "invitees_min",
            "invitees_max",
            "invited_count",
            "attended_count",
            "sitting_state",
        ]


class MeetingDetailSerializer(MeetingSerializer):
    agenda = AgendaTopicSerializer(source="topics", many=True, read_only=True)
    coverage = serializers.SerializerMethodField()

    class Meta(MeetingSerializer.Meta):
        fields = [*MeetingSerializer.Meta.fields, "agenda", "coverage"]

    @extend_schema(responses=CoverageSerializer(allow_null=True))
    def get_coverage(self, meeting: Meeting) -> dict[str, int] | None:
        """The term's rotation (staff and leaders only)."""
        if not _reads_planner(self.context["request"].user):
            return None
        return planner.meeting_coverage(meeting=meeting).as_dict()


class ProposedDeputySerializer(serializers.Serializer):
    deputy = serializers.IntegerField()
    name = serializers.CharField()
    delegation = serializers.CharField()
    category = serializers.CharField()
    sittings = serializers.IntegerField()
    reasons = serializers.ListField(child=serializers.CharField())


class InvitationOutSerializer(serializers.ModelSerializer):
    deputy_name = serializers.CharField(source="deputy.name", read_only=True)

    class Meta:
        model = Invitation
        fields = ["id", "deputy", "deputy_name", "status", "source"]


class ProposeInputSerializer(serializers.Serializer):
    invite = serializers.BooleanField(default=False)
    size = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=100)


class ProposalSerializer(serializers.Serializer):
    coverage = CoverageSerializer()
    proposed = ProposedDeputySerializer(many=True)
    invited = InvitationOutSerializer(many=True, required=False)
    warning = serializers.CharField(required=False)


class InviteInputSerializer(serializers.Serializer):
    deputies = serializers.ListField(child=serializers.IntegerField(), allow_empty=False)


class InviteOutputSerializer(serializers.Serializer):
    invited = InvitationOutSerializer(many=True)
    coming = serializers.IntegerField()
    warning = serializers.CharField()


class MeetingOpinionSerializer(serializers.ModelSerializer):
    deputy_name = serializers.CharField(source="deputy.name", read_only=True)
    topic_title = serializers.CharField(source="topic.title", default="", read_only=True)
    handling_unit_name = serializers.CharField(source="handling_unit.name", default="", read_only=True)

    class Meta:
        model = MeetingOpinion
        fields = [
            "id",
            "meeting",
            "deputy",
            "deputy_name",
            "topic",
            "topic_title",
            "content",
            "status",
            "handling_unit",
            "handling_unit_name",
            "handed_on",
            "due_on",
            "answer",
            "answered_on",
        ]
        read_only_fields = fields


class MeetingOpinionInputSerializer(serializers.Serializer):
    content = serializers.CharField()
    topic = serializers.IntegerField(required=False, allow_null=True)
    deputy = serializers.IntegerField(required=False, allow_null=True, help_text="Staff: the attending deputy.")


class HandOverInputSerializer(serializers.Serializer):
    handling_unit = serializers.IntegerField()
    due_on = serializers.DateField(required=False, allow_null=True)


class AnswerInputSerializer(serializers.Serializer):
    answer = serializers.CharField()


def _invalid(field: str, message: str) -> serializers.ValidationError:
    return serializers.ValidationError({field: [message]})


class MeetingViewSet(viewsets.ReadOnlyModelViewSet):
    """Standing-committee meetings of the user's congresses (staff, leaders, deputies)."""

    search_fields = ["title"]
    ordering_fields = ["starts_on", "number"]

    def get_queryset(self) -> QuerySet[Meeting]:
        meetings = selectors.meeting_list(user=self.request.user)
        if self.action == "retrieve":
            meetings = meetings.prefetch_related(
                Prefetch("topics", queryset=AgendaTopic.objects.select_related("committee"))
            )
        return meetings

    def get_serializer_class(self) -> type[serializers.Serializer]:
        return MeetingDetailSerializer if self.action == "retrieve" else MeetingSerializer

    def _meeting(self, pk: str | None) -> Meeting:
        if not (pk and pk.isascii() and pk.isdigit()):
            raise NotFound
        try:
            return Meeting.objects.visible_to(self.request.user).get(pk=int(pk))
        except Meeting.DoesNotExist:
            raise NotFound from None

    @extend_schema(request=ProposeInputSerializer, responses=ProposalSerializer)
    @action(detail=True, methods=["post"], url_path="propose-attendees")
    def propose_attendees(self, request: Request, pk: str | None = None) -> Response:
        """The rotation planner's proposal (staff and leaders); with `invite` true, staff invite them."""
        meeting = self._meeting(pk)
        data = parse(request, ProposeInputSerializer)
        if data["invite"]:
            ensure_work_staff(request.user, meeting.congress_id)
        elif not _reads_planner(request.user):
            raise NotAllowed(_("Only committee staff and leaders see the rotation planner."))
        proposal = planner.propose_attendees(meeting=meeting, size=data.get("size"))
        body: dict[str, Any] = {
            "coverage": proposal.coverage.as_dict(),
            "proposed": [person.as_dict() for person in proposal.proposed],
        }
        if data["invite"]:
            if not proposal.proposed:
                raise _invalid("invite", _("The planner proposes nobody to invite."))
            outcome = services.meeting_invite(
                actor=request.user, meeting=meeting, deputy_ids=proposal.deputy_ids, source=InvitationSource.PLANNER
            )
            body["invited"] = InvitationOutSerializer(
                Invitation.objects.filter(pk__in=[i.pk for i in outcome.created]).select_related("deputy"), many=True
            ).data
            body["coverage"] = planner.meeting_coverage(meeting=meeting).as_dict()
            body["warning"] = outcome.warning
        return Response(body, status=status.HTTP_201_CREATED if data["invite"] else status.HTTP_200_OK)

    @extend_schema(request=InviteInputSerializer, responses={201: InviteOutputSerializer})
    @action(detail=True, methods=["post"])
    def invite(self, request: Request, pk: str | None = None) -> Response:
        """Invite deputies to sit in (office and committee staff; never beyond the meeting's most)."""
        meeting = self._meeting(pk)
        data = parse(request, InviteInputSerializer)
        outcome = services.meeting_invite(actor=request.user, meeting=meeting, deputy_ids=data["deputies"])
        invited = Invitation.objects.filter(pk__in=[i.pk for i in outcome.created]).select_related("deputy")
        return Response(
            {
                "invited": InvitationOutSerializer(invited, many=True).data,
                "coming": outcome.coming,
                "warning": outcome.warning,
            },
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(methods=["get"], responses=MeetingOpinionSerializer(many=True))
    @extend_schema(methods=["post"], request=MeetingOpinionInputSerializer, responses={201: MeetingOpinionSerializer})
    @action(detail=True, methods=["get", "post"])
    def opinions(self, request: Request, pk: str | None = None) -> Response:
        """The meeting's opinions the user sees; POST raises one (a deputy who accepted or attended, or
        staff for such a deputy with `deputy`)."""
        meeting = self._meeting(pk)
        if request.method == "GET":
            opinions = selectors.meeting_opinions(user=request.user, meeting=meeting)
            page = self.paginate_queryset(opinions)
            return self.get_paginated_response(MeetingOpinionSerializer(page, many=True).data)
        data = parse(request, MeetingOpinionInputSerializer)
        topic = None
        if data.get("topic"):
            topic = AgendaTopic.objects.filter(meeting=meeting, pk=data["topic"]).first()
            if topic is None:
                raise _invalid("topic", _("Choose an item of this meeting's agenda."))
        deputy = None
        if data.get("deputy"):
            deputy = Deputy.objects.filter(pk=data["deputy"]).first()
            if deputy is None:
                raise _invalid("deputy", _("Unknown deputy."))
        opinion = services.meeting_opinion_record(
            actor=request.user, meeting=meeting, content=data["content"], topic=topic, deputy=deputy
        )
        return Response(MeetingOpinionSerializer(opinion).data, status=status.HTTP_201_CREATED)


class MeetingOpinionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Opinions raised at meetings: the deputy's own, all of the congress for staff, those handed to
    a unit for its staff."""

    serializer_class = MeetingOpinionSerializer
    search_fields = ["content", "deputy__name"]
    ordering_fields = ["due_on", "pk"]

    def get_queryset(self) -> QuerySet[MeetingOpinion]:
        opinions = selectors.meeting_opinions(user=self.request.user)
        status_filter = self.request.query_params.get("status")
        return opinions.filter(status=status_filter) if status_filter else opinions

    @extend_schema(request=HandOverInputSerializer, responses=MeetingOpinionSerializer)
    @action(detail=True, methods=["post"], url_path="hand-over")
    def hand_over(self, request: Request, pk: str | None = None) -> Response:
        """Hand the opinion to a handling unit of the congress (office and committee staff)."""
        opinion = self.get_object()
        data = parse(request, HandOverInputSerializer)
        unit = HandlingUnit.objects.filter(pk=data["handling_unit"]).first()
        if unit is None:
            raise _invalid("handling_unit", _("Choose an active handling unit of this congress."))
        opinion = services.opinion_hand_over(
            actor=request.user, opinion=opinion, handling_unit=unit, due_on=data.get("due_on")
        )
        return Response(MeetingOpinionSerializer(opinion).data)

    @extend_schema(request=AnswerInputSerializer, responses=MeetingOpinionSerializer)
    @action(detail=True, methods=["post"])
    def answer(self, request: Request, pk: str | None = None) -> Response:
        """Answer an opinion handed to the user's unit."""
        opinion = self.get_object()
        data = parse(request, AnswerInputSerializer)
        opinion = services.opinion_answer(actor=request.user, opinion=opinion, answer=data["answer"])
        return Response(MeetingOpinionSerializer(opinion).data)


# (prefix, viewset, basename) registered by congress/api_urls.py
ROUTES: list[tuple[str, Any, str]] = [
    ("meetings", MeetingViewSet, "meeting"),
    ("meeting-opinions", MeetingOpinionViewSet, "meeting-opinion"),
]
