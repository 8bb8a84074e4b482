"""API of activities and invitations: list and read (scoped), invite, hold and cancel for staff;
accept, decline, enrol and sign in for deputies; staff mark attendance. Every move is one service:
its role check answers 403, its refusal 409, bad input 400."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from ..choices import InvitationStatus, SignInMethod
from ..models import Activity, Invitation
from ..services import activities as services
from .common import Pages, parse


class ActivitySerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    invited = serializers.IntegerField(read_only=True, source="invited_count")
    attended = serializers.IntegerField(read_only=True, source="attended_count")

    class Meta:
        model = Activity
        fields = [
            "id",
            "congress",
            "kind",
            "kind_display",
            "title",
            "topic",
            "organiser",
            "group",
            "meeting",
            "planned_course",
            "training_kind",
            "starts_at",
            "ends_at",
            "place",
            "capacity",
            "hours",
            "open_enrollment",
            "state",
            "invited",
            "attended",
        ]


class InvitationSerializer(serializers.ModelSerializer):
    deputy_name = serializers.CharField(source="deputy.name", read_only=True)
    activity_title = serializers.CharField(source="activity.title", read_only=True)

    class Meta:
        model = Invitation
        fields = [
            "id",
            "activity",
            "activity_title",
            "deputy",
            "deputy_name",
            "status",
            "source",
            "responded_at",
            "decline_reason",
            "signed_in_at",
            "sign_in_method",
            "hours",
            "certificate_number",
        ]


class InviteSerializer(serializers.Serializer):
    deputies = serializers.ListField(child=serializers.IntegerField(min_value=1), min_length=1, max_length=500)


class SignInSerializer(serializers.Serializer):
    code = serializers.RegexField(r"^\d{6}$", required=False)
    token = serializers.CharField(required=False, max_length=20)

    def validate(self, data: dict[str, Any]) -> dict[str, Any]:
        if bool(data.get("code")) == bool(data.get("token")):
            raise serializers.ValidationError(_("Give either the sign-in code or the QR token."))
        return data


class DeclineSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=200)


class ActivityViewSet(viewsets.ReadOnlyModelViewSet):
    """Activities deputies are invited to (filters: kind, state, meeting, group)."""

    serializer_class = ActivitySerializer
    pagination_class = Pages

    def get_queryset(self) -> QuerySet[Activity]:
        queryset = Activity.objects.visible_to(self.request.user)
        for field in ("kind", "state", "meeting", "group"):
            value = self.request.query_params.get(field)
            if value:
                queryset = queryset.filter(**{field: value})
        return queryset.annotate(
            invited_count=Count("invitations", distinct=True),
            attended_count=Count("invitations", filter=Q(invitations__status=InvitationStatus.ATTENDED), distinct=True),
        ).order_by("-starts_at", "pk")

    @extend_schema(request=InviteSerializer, responses=InvitationSerializer(many=True))
    @action(detail=True, methods=["post"])
    def invite(self, request: Request, pk: str) -> Response:
        """Invite serving deputies of the congress (those already invited are skipped)."""
        data = parse(request, InviteSerializer)
        created = services.activity_invite(activity=self.get_object(), deputy_ids=data["deputies"], actor=request.user)
        return Response(InvitationSerializer(created, many=True).data, status=201 if created else 200)

    @extend_schema(request=SignInSerializer, responses=InvitationSerializer)
    @action(detail=True, methods=["post"], url_path="sign-in")
    def sign_in(self, request: Request, pk: str) -> Response:
        """The deputy signs in with the six-digit code or the QR token, once."""
        data = parse(request, SignInSerializer)
        method = SignInMethod.CODE if data.get("code") else SignInMethod.QR
        invitation = services.activity_sign_in(
            activity=self.get_object(),
            actor=request.user,
            method=method,
            code=data.get("code", ""),
            token=data.get("token", ""),
        )
        return Response(InvitationSerializer(invitation).data)

    @extend_schema(request=None, responses=InvitationSerializer)
    @action(detail=True, methods=["post"])
    def enroll(self, request: Request, pk: str) -> Response:
        """The deputy enrols in an activity open for enrollment."""
        return Response(
            InvitationSerializer(services.activity_enroll(activity=self.get_object(), actor=request.user)).data
        )

    @extend_schema(request=None, responses=ActivitySerializer)
    @action(detail=True, methods=["post"])
    def hold(self, request: Request, pk: str) -> Response:
        """Close sign-in; invitees who did not sign in are marked absent."""
        services.activity_hold(activity=self.get_object(), actor=request.user)
        return Response(self.get_serializer(self.get_queryset().get(pk=pk)).data)

    @extend_schema(request=None, responses=ActivitySerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, pk: str) -> Response:
        services.activity_cancel(activity=self.get_object(), actor=request.user)
        return Response(self.get_serializer(self.get_queryset().get(pk=pk)).data)


class InvitationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Invitations: a deputy's own; the congress's for its staff (filters: activity, status)."""

    serializer_class = InvitationSerializer
    pagination_class = Pages

    def get_queryset(self) -> QuerySet[Invitation]:
        queryset = Invitation.objects.visible_to(self.request.user).select_related("deputy", "activity")
        for field in ("activity", "status"):
            value = self.request.query_params.get(field)
            if value:
                queryset = queryset.filter(**{field: value})
        return queryset.order_by("-activity__starts_at", "pk")

    @extend_schema(request=None, responses=InvitationSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request: Request, pk: str) -> Response:
        invitation = services.invitation_respond(invitation=self.get_object(), actor=request.user, accept=True)
        return Response(InvitationSerializer(invitation).data)

    @extend_schema(request=DeclineSerializer, responses=InvitationSerializer)
    @action(detail=True, methods=["post"])
    def decline(self, request: Request, pk: str) -> Response:
        data = parse(request, DeclineSerializer)
        invitation = services.invitation_respond(
            invitation=self.get_object(), actor=request.user, accept=False, reason=data["reason"]
        )
        return Response(InvitationSerializer(invitation).data)

    @extend_schema(request=None, responses=InvitationSerializer)
    @action(detail=True, methods=["post"], url_path="mark-attended")
    def mark_attended(self, request: Request, pk: str) -> Response:
        """Staff record that the deputy attended (a paper sheet, no phone)."""
        invitation = services.invitation_mark_attended(invitation=self.get_object(), actor=request.user)
        return Response(InvitationSerializer(invitation).data)


ROUTES = [("activities", ActivityViewSet, "activity"), ("invitations", InvitationViewSet, "invitation")]
