"""The citizens' API, without an account: submit an issue to a deputy (their QR code) or a station and get
a tracking code; read the issue by that code (status, tier, due date, public timeline, answers, the
suggestion it became; the phone masked); rate the answer. Per-address limit and a honeypot on submit."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, Throttled
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response

from congress.privacy import mask_phones_in_text
from suggestions.api import EnumChoiceField

from ..choices import Channel, IssueRating, IssueStatus
from ..models import PublicIssue, new_tracking_code
from ..selectors.open311 import public_issue_by_tracking_code
from ..services import open311 as intake
from ..services import public as guards
from ..services.issues import issue_rate, issue_submit, mask_phone


class PublicIssueSubmitSerializer(serializers.Serializer):
    deputy_code = serializers.CharField(
        required=False, allow_blank=True, max_length=20, help_text=gettext_lazy("The code on the deputy's QR placard.")
    )
    station = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=1,
        help_text=gettext_lazy("A liaison station's number, instead of a deputy."),
    )
    content = serializers.CharField(max_length=intake.DESCRIPTION_MAX)
    location = serializers.CharField(required=False, allow_blank=True, max_length=200)
    citizen_name = serializers.CharField(required=False, allow_blank=True, max_length=50)
    citizen_phone = serializers.CharField(required=False, allow_blank=True, max_length=20)
    consent = serializers.BooleanField(
        default=False, help_text=gettext_lazy("Agrees to being contacted; needed with a name or phone.")
    )
    website = serializers.CharField(required=False, allow_blank=True, help_text=gettext_lazy("Leave empty."))


class PublicIssueCreatedSerializer(serializers.Serializer):
    tracking_code = serializers.CharField()


class PublicIssueRateSerializer(serializers.Serializer):
    # A component named IssueRatingEnum: "rating" of suggestions is another choice set.
    rating = EnumChoiceField(IssueRating)
    comment = serializers.CharField(required=False, allow_blank=True, max_length=1000)


class PublicIssueAnswerSerializer(serializers.Serializer):
    tier = serializers.IntegerField()
    body = serializers.CharField()
    answerer_name = serializers.CharField()
    answered_at = serializers.DateTimeField(source="created_at")


class PublicIssueEventSerializer(serializers.Serializer):
    action = serializers.CharField()
    action_label = serializers.CharField(source="get_action_display")
    by = serializers.CharField(source="public_by")
    tier = serializers.IntegerField(allow_null=True)
    note = serializers.CharField()
    at = serializers.DateTimeField(source="created_at")


class PublicSuggestionProgressSerializer(serializers.Serializer):
    number = serializers.IntegerField(allow_null=True)
    title = serializers.CharField()
    status = serializers.CharField()
    status_label = serializers.CharField(source="get_status_display")


class PublicIssueDetailSerializer(serializers.Serializer):
    tracking_code = serializers.CharField()
    status = serializers.CharField()
    status_label = serializers.CharField(source="get_status_display")
    tier = serializers.IntegerField(allow_null=True)
    tier_label = serializers.SerializerMethodField()
    due_on = serializers.DateField(allow_null=True)
    submitted_at = serializers.DateTimeField(source="created_at")
    updated_at = serializers.DateTimeField()
    channel_label = serializers.CharField(source="get_channel_display")
    deputy_name = serializers.SerializerMethodField()
    station_name = serializers.SerializerMethodField()
    category_name = serializers.SerializerMethodField()
    content = serializers.SerializerMethodField()
    location = serializers.CharField()
    citizen_phone = serializers.SerializerMethodField()
    rejection_reason = serializers.CharField()
    rating = serializers.CharField()
    can_rate = serializers.SerializerMethodField()
    answers = PublicIssueAnswerSerializer(many=True)
    timeline = PublicIssueEventSerializer(many=True, source="public_events")
    suggestion = PublicSuggestionProgressSerializer(allow_null=True)

    @extend_schema_field(OpenApiTypes.STR)
    def get_tier_label(self, issue: PublicIssue) -> str:
        return issue.get_tier_display() if issue.tier else ""

    @extend_schema_field(OpenApiTypes.STR)
    def get_deputy_name(self, issue: PublicIssue) -> str:
        return issue.deputy.name if issue.deputy else ""

    @extend_schema_field(OpenApiTypes.STR)
    def get_station_name(self, issue: PublicIssue) -> str:
        return issue.station.name if issue.station else ""

    @extend_schema_field(OpenApiTypes.STR)
    def get_category_name(self, issue: PublicIssue) -> str:
        return issue.category.name if issue.category else ""

    @extend_schema_field(OpenApiTypes.STR)
    def get_content(self, issue: PublicIssue) -> str:
        # Whoever holds the code may not be the citizen: a phone number written in the words is masked too.
        return mask_phones_in_text(issue.content)

    @extend_schema_field(OpenApiTypes.STR)
    def get_citizen_phone(self, issue: PublicIssue) -> str:
        # Whoever holds the code sees only the masked phone; the name is never shown here.
        return mask_phone(issue.citizen_phone)

    @extend_schema_field(OpenApiTypes.BOOL)
    def get_can_rate(self, issue: PublicIssue) -> bool:
        return issue.status == IssueStatus.ANSWERED and not issue.rating


def _issue(request: Request, tracking_code: str) -> PublicIssue:
    """The issue of the code; wrong codes count against the address like on the tracking page."""
    ip = intake.client_ip(request.META)
    if guards.throttle_exceeded(bucket=guards.TRACKING_BUCKET, ip=ip, limit=guards.tracking_limit()):
        raise Throttled(
            wait=intake.retry_after(),
            detail=_("Too many wrong tracking codes from this network. Please try again in an hour."),
        )
    issue = public_issue_by_tracking_code(tracking_code=tracking_code)
    if issue is None:
        guards.throttle_hit(bucket=guards.TRACKING_BUCKET, ip=ip)
        raise NotFound(_("There is no issue with this tracking code."))
    return issue


class PublicIssueViewSet(viewsets.GenericViewSet):
    """Citizens' issues by tracking code; no account, so no session and no CSRF token either."""

    authentication_classes: list[Any] = []
    permission_classes = [AllowAny]
    filter_backends: list[Any] = []
    pagination_class = None
    queryset = PublicIssue.objects.none()
    serializer_class = PublicIssueDetailSerializer
    lookup_field = "tracking_code"
    lookup_value_regex = "[0-9A-Za-z]{4,16}"

    @extend_schema(
        request=PublicIssueSubmitSerializer,
        responses={
            201: PublicIssueCreatedSerializer,
            400: OpenApiResponse(description="Bad input, by field."),
            429: OpenApiResponse(description="Too many submissions from this address this hour."),
        },
    )
    def create(self, request: Request) -> Response:
        # A body that is not a JSON object (null, a list, a string) is left to the serializer to refuse.
        if isinstance(request.data, Mapping) and str(request.data.get("website", "")).strip():
            # A bot filled the hidden field: answer as if it went through, keep nothing.
            return Response({"tracking_code": new_tracking_code()}, status=status.HTTP_201_CREATED)
        serializer = PublicIssueSubmitSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        target = intake.intake_target(deputy_code=data.get("deputy_code", ""), station_id=data.get("station"))
        name, phone = data.get("citizen_name", "").strip(), data.get("citizen_phone", "").strip()
        intake.check_contact(name=name, phone=phone, consent=data["consent"])
        ip = intake.client_ip(request.META)
        if not intake.intake_allowed(ip=ip, limit=intake.intake_limit(target.congress)):
            raise Throttled(
                wait=intake.retry_after(),
                detail=_("Too many submissions from your address; please try again in an hour."),
            )
        issue = issue_submit(
            congress=target.congress,
            # The API is the phone page's channel (码上找代表), whether to a deputy or to a station.
            channel=Channel.QR,
            content=data["content"],
            deputy=target.deputy,
            station=target.station,
            location=data.get("location", ""),
            citizen_name=name,
            citizen_phone=phone,
            consent=data["consent"],
            ip=ip,
        )
        return Response({"tracking_code": issue.tracking_code}, status=status.HTTP_201_CREATED)

    @extend_schema(
        responses={
            200: PublicIssueDetailSerializer,
            404: OpenApiResponse(description="Unknown code."),
            429: OpenApiResponse(description="Too many wrong codes from this address this hour."),
        }
    )
    def retrieve(self, request: Request, tracking_code: str) -> Response:
        return Response(PublicIssueDetailSerializer(_issue(request, tracking_code)).data)

    @extend_schema(
        request=PublicIssueRateSerializer,
        responses={
            200: PublicIssueDetailSerializer,
            404: OpenApiResponse(description="Unknown code."),
            429: OpenApiResponse(description="Too many wrong codes from this address this hour."),
            409: OpenApiResponse(description="Not answered yet, or already rated."),
        },
    )
    @action(detail=True, methods=["post"])
    def rate(self, request: Request, tracking_code: str) -> Response:
        issue = _issue(request, tracking_code)
        serializer = PublicIssueRateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        issue_rate(
            issue=issue,
            rating=serializer.validated_data["rating"],
            comment=serializer.validated_data.get("comment", ""),
            tracking_code=issue.tracking_code,
        )
        return Response(PublicIssueDetailSerializer(_issue(request, issue.tracking_code)).data)


# (prefix, viewset, basename) registered by congress/api_urls.py
ROUTES: list[tuple[str, Any, str]] = [("public/issues", PublicIssueViewSet, "public-issue")]
