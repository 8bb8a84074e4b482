"""API of the citizens' loop: staff record an issue of any channel (`POST /api/v1/issues/`), scoped
list and detail (answers, events, photos; the citizen's phone masked unless the reader handles the
issue), and one action per move: `/api/v1/issues/{id}/{screen|assign|answer|escalate|close|convert}/`
plus `rate` (the hotline's reporting deputy) and `outcome`. A wrong role answers 403, a move the loop
does not allow 409, bad input 400 by field, an issue out of scope 404."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models
from django.db.models import Prefetch, Q, QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response

from congress.privacy import PROBING_DIGITS, mask_phones_in_text, searches_private_digits
from congress.scoping import get_scope

from ..choices import Channel, CloseReason, IssueAction, IssueRating, IssueStatus, Tier
from ..models import IssueAnswer, IssueEvent, IssuePhoto, PublicIssue, Station
from ..selectors.issues import LIST_RELATED
from ..services import issues as services
from ..services.public import photo_check

PHOTO_TYPES = {"image/jpeg", "image/png", "image/webp"}
PHOTO_MAX_BYTES = 5 * 1024 * 1024


class IssuePages(PageNumberPagination):
    """50 a page; `?page_size=` up to 200."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


class IssueEnumField(serializers.ChoiceField):
    """A choice over one choices class, its schema a component of its own name (the loop's status,
    rating and close reason share field names with the suggestions' enums)."""

    def __init__(self, choices_class: Any, name: str, **kwargs: Any) -> None:
        self.choices_class = choices_class
        self.enum_name = name
        super().__init__(choices=choices_class.choices, **kwargs)


class IssueEnumFieldExtension(OpenApiSerializerFieldExtension):
    target_class = IssueEnumField

    def get_name(self) -> str:
        return self.target.enum_name

    def map_serializer_field(self, auto_schema: Any, direction: Any) -> dict[str, Any]:
        choices = self.target.choices_class
        return {
            "type": "integer" if issubclass(choices, models.IntegerChoices) else "string",
            "enum": list(choices.values),
            "description": "\n".join(f"* `{value}` - {label}" for value, label in choices.choices),
        }


def choice(choices_class: Any, name: str, **kwargs: Any) -> IssueEnumField:
    return IssueEnumField(choices_class, f"{name}Enum", **kwargs)


# --- output --------------------------------------------------------------------------------------


class IssueSerializer(serializers.ModelSerializer):
    channel = choice(Channel, "IssueChannel", read_only=True)
    status = choice(IssueStatus, "IssueStatus", read_only=True)
    tier = choice(Tier, "IssueTier", read_only=True, allow_null=True)
    rating = choice(IssueRating, "IssueRatingOrBlank", read_only=True, allow_blank=True)
    close_reason = choice(CloseReason, "IssueCloseReason", read_only=True, allow_blank=True)
    channel_label = serializers.CharField(source="get_channel_display", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    station_name = serializers.SerializerMethodField()
    block_name = serializers.SerializerMethodField()
    deputy_name = serializers.SerializerMethodField()
    reported_by_name = serializers.SerializerMethodField()
    handling_unit_name = serializers.SerializerMethodField()
    category_name = serializers.SerializerMethodField()
    citizen_name = serializers.SerializerMethodField()
    citizen_phone = serializers.SerializerMethodField()
    contact_masked = serializers.SerializerMethodField()

    class Meta:
        model = PublicIssue
        fields = [
            "id",
            "tracking_code",
            "congress",
            "channel",
            "channel_label",
            "status",
            "status_label",
            "tier",
            "due_on",
            "station",
            "station_name",
            "block",
            "block_name",
            "deputy",
            "deputy_name",
            "reported_by",
            "reported_by_name",
            "handling_unit",
            "handling_unit_name",
            "category",
            "category_name",
            "content",
            "location",
            "citizen_name",
            "citizen_phone",
            "contact_masked",
            "consent",
            "rating",
            "rated_at",
            "close_reason",
            "reopen_count",
            "suggestion",
            "supervision_case",
            "people_helped",
            "money_involved",
            "created_at",
            "screened_at",
            "answered_at",
            "closed_at",
            "rejection_reason",
        ]
        read_only_fields = fields

    def _sees(self, issue: PublicIssue) -> bool:
        return services.can_see_contact(user=self.context["request"].user, issue=issue)

    def to_representation(self, issue: PublicIssue) -> dict[str, Any]:
        data = super().to_representation(issue)
        if not self._sees(issue):
            # The citizen's words keep any phone number they wrote masked, like the contact fields.
            data["content"] = mask_phones_in_text(data["content"])
        return data

    def get_contact_masked(self, issue: PublicIssue) -> bool:
        return not self._sees(issue)

    def get_citizen_name(self, issue: PublicIssue) -> str:
        return issue.citizen_name if self._sees(issue) else services.mask_name(issue.citizen_name)

    def get_citizen_phone(self, issue: PublicIssue) -> str:
        return issue.citizen_phone if self._sees(issue) else services.mask_phone(issue.citizen_phone)

    def get_station_name(self, issue: PublicIssue) -> str:
        return issue.station.name if issue.station_id else ""

    def get_block_name(self, issue: PublicIssue) -> str:
        return issue.block.name if issue.block_id else ""

    def get_deputy_name(self, issue: PublicIssue) -> str:
        return issue.deputy.name if issue.deputy_id else ""

    def get_reported_by_name(self, issue: PublicIssue) -> str:
        return issue.reported_by.name if issue.reported_by_id else ""

    def get_handling_unit_name(self, issue: PublicIssue) -> str:
        return issue.handling_unit.name if issue.handling_unit_id else ""

    def get_category_name(self, issue: PublicIssue) -> str:
        return issue.category.name if issue.category_id else ""


class IssueAnswerSerializer(serializers.ModelSerializer):
    tier = choice(Tier, "IssueTier", read_only=True)

    class Meta:
        model = IssueAnswer
        fields = ["id", "tier", "body", "answerer_name", "created_at"]


class IssueEventSerializer(serializers.ModelSerializer):
    action = choice(IssueAction, "IssueAction", read_only=True)
    action_label = serializers.CharField(source="get_action_display", read_only=True)

    class Meta:
        model = IssueEvent
        fields = [
            "id",
            "action",
            "action_label",
            "actor_label",
            "from_status",
            "to_status",
            "tier",
            "note",
            "created_at",
        ]


class IssuePhotoSerializer(serializers.ModelSerializer):
    class Meta:
        model = IssuePhoto
        fields = ["id", "image"]


class IssueDetailSerializer(IssueSerializer):
    answers = IssueAnswerSerializer(many=True, read_only=True)
    events = IssueEventSerializer(many=True, read_only=True)
    photos = IssuePhotoSerializer(many=True, read_only=True)

    class Meta(IssueSerializer.Meta):
        fields = [*IssueSerializer.Meta.fields, "answers", "events", "photos"]
        read_only_fields = fields


# --- input ---------------------------------------------------------------------------------------


def _id() -> serializers.IntegerField:
    return serializers.IntegerField(min_value=1, required=False, allow_null=True)


class IssueRecordSerializer(serializers.Serializer):
    congress = _id()
    channel = choice(Channel, "IssueChannel")
    content = serializers.CharField(max_length=2000)
    station = _id()
    block = _id()
    deputy = _id()
    reported_by = _id()
    category = _id()
    visit = _id()
    forum = _id()
    location = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    citizen_name = serializers.CharField(max_length=50, required=False, allow_blank=True, default="")
    citizen_phone = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    consent = serializers.BooleanField(required=False, default=False)
    photos = serializers.ListField(child=serializers.ImageField(), required=False, max_length=services.MAX_PHOTOS)

    def validate_photos(self, photos: list[Any]) -> list[Any]:
        messages: list[str] = []
        for photo in photos:
            if getattr(photo, "content_type", "") not in PHOTO_TYPES or photo.size > PHOTO_MAX_BYTES:
                raise serializers.ValidationError(_("Send JPEG, PNG or WebP photos of at most 5 MB."))
            # The citizens' check too: it decodes the pixels, which the photo's saving does (a photo
            # damaged in transit passes the image field's structural check and fails only there).
            try:
                photo_check(photo)
            except DjangoValidationError as error:
                messages.extend(error.messages)
        if messages:
            raise serializers.ValidationError(messages)
        return photos


class IssueScreenSerializer(serializers.Serializer):
    accept = serializers.BooleanField()
    tier = serializers.IntegerField(min_value=1, max_value=3, required=False, default=1)
    reason = serializers.CharField(max_length=1000, required=False, allow_blank=True, default="")
    category = _id()
    handling_unit = _id()
    deputy = _id()


class IssueAssignSerializer(serializers.Serializer):
    handling_unit = _id()
    deputy = _id()


class IssueEscalateSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=1000, required=False, allow_blank=True, default="")
    handling_unit = _id()


class IssueAnswerInputSerializer(serializers.Serializer):
    body = serializers.CharField(max_length=services.ANSWER_MAX)
    answerer_name = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")


class IssueCloseSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=1000, required=False, allow_blank=True, default="")


class IssueConvertSerializer(serializers.Serializer):
    lead_deputy = _id()
    title = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class IssueRateSerializer(serializers.Serializer):
    rating = choice(IssueRating, "IssueRatingChoice")
    comment = serializers.CharField(max_length=1000, required=False, allow_blank=True, default="")


class IssueOutcomeSerializer(serializers.Serializer):
    people_helped = serializers.IntegerField(min_value=0, required=False, allow_null=True, default=None)
    money_involved = serializers.DecimalField(
        max_digits=14, decimal_places=2, min_value=0, required=False, allow_null=True, default=None
    )


class IssueFilterSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=[*IssueStatus.values, "open"], required=False)
    tier = serializers.IntegerField(min_value=1, max_value=4, required=False)
    channel = serializers.ChoiceField(choices=Channel.values, required=False)
    station = serializers.IntegerField(min_value=1, required=False)


def _parse(request: Request, serializer_class: type[serializers.Serializer]) -> dict[str, Any]:
    serializer = serializer_class(data=request.data, context={"request": request})
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


# --- the viewset ---------------------------------------------------------------------------------


class IssueViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Citizen issues in the user's view (filters: status, tier, channel, station; search: tracking
    code and content)."""

    pagination_class = IssuePages
    filter_backends: list[Any] = []

    def get_serializer_class(self) -> type[serializers.Serializer]:
        return IssueSerializer if self.action == "list" else IssueDetailSerializer

    def get_queryset(self) -> QuerySet[PublicIssue]:
        queryset = PublicIssue.objects.visible_to(self.request.user).select_related(*LIST_RELATED)
        if self.action != "list":
            queryset = queryset.prefetch_related(
                "photos",
                Prefetch("answers", queryset=IssueAnswer.objects.order_by("created_at", "pk")),
                Prefetch("events", queryset=IssueEvent.objects.order_by("created_at", "pk")),
            )
        return queryset.order_by("-created_at", "-pk")

    @extend_schema(parameters=[IssueFilterSerializer], responses=IssueSerializer(many=True))
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        filters = IssueFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        queryset = self.get_queryset()
        data = filters.validated_data
        if data.get("status") == "open":
            queryset = queryset.open()
        elif data.get("status"):
            queryset = queryset.filter(status=data["status"])
        for name in ("tier", "channel"):
            if data.get(name):
                queryset = queryset.filter(**{name: data[name]})
        if data.get("station"):
            queryset = queryset.filter(station_id=data["station"])
        search = (request.query_params.get("search") or "").strip()
        if search and PROBING_DIGITS.search(search) and not searches_private_digits(request.user):
            # Digits searched in the words would let a reader who sees masked numbers probe the hidden ones.
            queryset = queryset.filter(tracking_code__iexact=search.upper())
        elif search:
            queryset = queryset.filter(Q(tracking_code__iexact=search.upper()) | Q(content__icontains=search))
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def _detail(self, issue: PublicIssue, status: int = 200) -> Response:
        fresh = self.get_queryset().get(pk=issue.pk)
        return Response(IssueDetailSerializer(fresh, context={"request": self.request}).data, status=status)

    @extend_schema(request=IssueRecordSerializer, responses={201: IssueDetailSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Staff record an issue of any channel; a deputy records what they collected or the hotline."""
        data = _parse(request, IssueRecordSerializer)
        congress_id = data.pop("congress", None)
        if data.get("station"):
            station = Station.objects.filter(pk=data["station"]).values_list("congress_id", flat=True).first()
            congress_id = congress_id or station
        if congress_id is None:
            congress_id = min(get_scope(request.user).congress_ids, default=None)
        if congress_id is None:
            raise serializers.ValidationError({"congress": [_("Choose the congress.")]})
        issue = services.issue_submit(
            congress=congress_id,
            actor=request.user,
            ip=request.META.get("REMOTE_ADDR"),
            photos=data.pop("photos", []),
            **data,
        )
        return self._detail(issue, status=201)

    @extend_schema(request=IssueScreenSerializer, responses=IssueDetailSerializer)
    @action(detail=True, methods=["post"])
    def screen(self, request: Request, pk: str) -> Response:
        """后台审: accept at tier 1–3 (tier 3 with a unit), or not accept with a reason."""
        data = _parse(request, IssueScreenSerializer)
        return self._detail(services.issue_screen(issue=self.get_object(), actor=request.user, **data))

    @extend_schema(request=IssueAssignSerializer, responses=IssueDetailSerializer)
    @action(detail=True, methods=["post"])
    def assign(self, request: Request, pk: str) -> Response:
        data = _parse(request, IssueAssignSerializer)
        return self._detail(services.issue_assign(issue=self.get_object(), actor=request.user, **data))

    @extend_schema(request=IssueAnswerInputSerializer, responses=IssueDetailSerializer)
    @action(detail=True, methods=["post"])
    def answer(self, request: Request, pk: str) -> Response:
        data = _parse(request, IssueAnswerInputSerializer)
        return self._detail(services.issue_answer(issue=self.get_object(), actor=request.user, **data))

    @extend_schema(request=IssueEscalateSerializer, responses=IssueDetailSerializer)
    @action(detail=True, methods=["post"])
    def escalate(self, request: Request, pk: str) -> Response:
        data = _parse(request, IssueEscalateSerializer)
        return self._detail(services.issue_escalate(issue=self.get_object(), actor=request.user, **data))

    @extend_schema(request=IssueCloseSerializer, responses=IssueDetailSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk: str) -> Response:
        data = _parse(request, IssueCloseSerializer)
        return self._detail(services.issue_close(issue=self.get_object(), actor=request.user, **data))

    @extend_schema(request=IssueConvertSerializer, responses=IssueDetailSerializer)
    @action(detail=True, methods=["post"])
    def convert(self, request: Request, pk: str) -> Response:
        data = _parse(request, IssueConvertSerializer)
        return self._detail(services.issue_convert(issue=self.get_object(), actor=request.user, **data))

    @extend_schema(request=IssueRateSerializer, responses=IssueDetailSerializer)
    @action(detail=True, methods=["post"])
    def rate(self, request: Request, pk: str) -> Response:
        """The deputy who reported a hotline problem rates the answer (citizens rate on the public API)."""
        data = _parse(request, IssueRateSerializer)
        return self._detail(services.issue_rate(issue=self.get_object(), actor=request.user, **data))

    @extend_schema(request=IssueOutcomeSerializer, responses=IssueDetailSerializer)
    @action(detail=True, methods=["post"])
    def outcome(self, request: Request, pk: str) -> Response:
        data = _parse(request, IssueOutcomeSerializer)
        return self._detail(services.issue_record_outcome(issue=self.get_object(), actor=request.user, **data))


# (prefix, viewset, basename) registered by congress/api_urls.py
ROUTES: list[tuple[str, Any, str]] = [("issues", IssueViewSet, "issue")]
