"""REST API of the suggestion workflow: categories, suggestions and their moves, the units'
assignments and their moves, supervision cases and the user's notifications.

Every object an endpoint reads or moves comes from the user's scoped queryset (outside scope answers
404, like a missing id); input is parsed by a serializer (400 with errors by field); each move calls
one service, whose role check answers 403 (`NotAllowed`) and whose refusal answers 409 (`ForbiddenMove`).
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.exceptions import ValidationError as InputError
from rest_framework.filters import SearchFilter
from rest_framework.generics import get_object_or_404
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response

from congress.models import HandlingUnit, Notification, Session, SubjectCategory
from congress.privacy import user_label
from congress.scoping import get_scope
from congress.services import notification_mark_read
from deputies.models import Deputy

from . import selectors, services
from .choices import (
    AssignmentMode,
    AssignmentStatus,
    Confidentiality,
    CosignerStatus,
    ExclusionReason,
    Publication,
    Rating,
    RequestStatus,
    ReviewDecision,
    SuggestionStatus,
    SupervisionStatus,
)
from .exceptions import ForbiddenMove, NotAllowed
from .models import (
    AdjustmentRequest,
    Assignment,
    Cosigner,
    CoUnitOpinion,
    ExtensionRequest,
    HandlingRound,
    Reply,
    ReplyClass,
    Suggestion,
    SuggestionEvent,
    SupervisionCase,
)

# --- errors, as the exception handler shapes them (for the schema) --------------------------------


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()
    errors = serializers.DictField(child=serializers.ListField(child=serializers.CharField()))


ERRORS = {
    400: OpenApiResponse(ErrorSerializer, description=gettext_lazy("Input errors, by field.")),
    403: OpenApiResponse(ErrorSerializer, description=gettext_lazy("The user's role does not allow this move.")),
    404: OpenApiResponse(ErrorSerializer, description=gettext_lazy("No such object in the user's scope.")),
    409: OpenApiResponse(ErrorSerializer, description=gettext_lazy("The workflow does not allow this move now.")),
}
READ_ERRORS = {404: ERRORS[404]}
LIST_ERRORS = {400: ERRORS[400]}


def _responses(success: int, serializer: Any, *, with_input: bool = True) -> dict[int, Any]:
    return {success: serializer, **{code: response for code, response in ERRORS.items() if with_input or code != 400}}


def _pk(raw: str) -> int:
    """The id in a URL; anything but a whole number is simply not found."""
    if not (raw.isascii() and raw.isdigit()):
        raise NotFound
    return int(raw)


def _is_schema_generation(view: Any) -> bool:
    return getattr(view, "swagger_fake_view", False)


# --- fields -----------------------------------------------------------------------------------------


class EnumChoiceField(serializers.ChoiceField):
    """A choice over one TextChoices class. Its schema is a component named after the class
    (`SuggestionStatusEnum`): several choice sets here share a field name ("status"), which
    drf-spectacular would otherwise name by a hash."""

    def __init__(self, choices_class: type[models.TextChoices], **kwargs: Any) -> None:
        self.choices_class = choices_class
        super().__init__(choices=choices_class.choices, **kwargs)


class EnumChoiceFieldExtension(OpenApiSerializerFieldExtension):
    target_class = EnumChoiceField

    def get_name(self) -> str:
        return f"{self.target.choices_class.__name__}Enum"

    def map_serializer_field(self, auto_schema: Any, direction: Any) -> dict[str, Any]:
        choices = self.target.choices_class
        return {
            "type": "string",
            "enum": list(choices.values),
            "description": "\n".join(f"* `{value}` - {label}" for value, label in choices.choices),
        }


class ScopedPrimaryKeyRelatedField(serializers.PrimaryKeyRelatedField):
    """An id chosen among the rows the requesting user may see (others read as unknown ids)."""

    def get_queryset(self) -> QuerySet:
        return super().get_queryset().visible_to(self.context["request"].user)


class ActiveCategoryField(ScopedPrimaryKeyRelatedField):
    def get_queryset(self) -> QuerySet:
        return super().get_queryset().filter(is_active=True)


class SuggestionReplyField(ScopedPrimaryKeyRelatedField):
    """A reply to the suggestion the request is about."""

    def get_queryset(self) -> QuerySet:
        return super().get_queryset().filter(assignment__suggestion_id=self.context["suggestion"].pk)


@extend_schema_field(
    {"oneOf": [{"type": "string"}, {"type": "integer"}], "description": "The class's code (e.g. B) or its id."}
)
class ReplyClassField(serializers.RelatedField):
    """A reply class of the assignment's congress, given by its code ("A".."D") or its id."""

    default_error_messages = {
        "does_not_exist": gettext_lazy("Choose a reply class of this congress: its code (e.g. A) or its id."),
    }

    def get_queryset(self) -> QuerySet[ReplyClass]:
        return ReplyClass.objects.filter(congress_id=self.context["assignment"].congress_id)

    def to_internal_value(self, data: Any) -> ReplyClass:
        if isinstance(data, bool) or not isinstance(data, int | str):
            self.fail("does_not_exist")
        queryset = self.get_queryset()
        text = str(data).strip()
        if not text.isascii() or len(text) > ReplyClass._meta.get_field("code").max_length:
            self.fail("does_not_exist")  # codes are short ASCII; anything else is not looked up
        if isinstance(data, str):
            by_code = queryset.filter(code=text).first()
            if by_code is not None:
                return by_code
        if not (text.isascii() and text.isdigit()):
            self.fail("does_not_exist")
        by_id = queryset.filter(pk=int(text)).first()
        if by_id is None:
            self.fail("does_not_exist")
        return by_id

    def to_representation(self, value: ReplyClass) -> str:
        return value.code


# --- output: categories, suggestions ---------------------------------------------------------------


class SubjectCategorySerializer(serializers.ModelSerializer):
    counterpart_committee_name = serializers.CharField(source="counterpart_committee.name", read_only=True)

    class Meta:
        model = SubjectCategory
        fields = ["id", "congress", "name", "code", "counterpart_committee", "counterpart_committee_name", "is_active"]


class SuggestionSerializer(serializers.ModelSerializer):
    """A suggestion as a list row (also the answer to a move on it)."""

    number_display = serializers.CharField(read_only=True)
    status = EnumChoiceField(SuggestionStatus, read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    category_name = serializers.CharField(source="category.name", read_only=True)
    lead_deputy_name = serializers.CharField(source="lead_deputy.name", read_only=True)

    class Meta:
        model = Suggestion
        fields = [
            "id",
            "congress",
            "session",
            "number",
            "number_display",
            "title",
            "status",
            "status_label",
            "category",
            "category_name",
            "lead_deputy",
            "lead_deputy_name",
            "is_key",
            "raised_in_session",
            "confidentiality",
            "publication",
            "created_at",
            "submitted_at",
            "closed_at",
        ]


class CosignerSerializer(serializers.ModelSerializer):
    deputy_name = serializers.CharField(source="deputy.name", read_only=True)
    status = EnumChoiceField(CosignerStatus, read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = Cosigner
        fields = ["deputy", "deputy_name", "status", "status_label", "responded_at"]


class EvaluationBriefSerializer(serializers.Serializer):
    attitude = serializers.CharField()
    result = serializers.CharField()
    comment = serializers.CharField()
    created_at = serializers.DateTimeField()


class ReplyBriefSerializer(serializers.ModelSerializer):
    reply_class = serializers.CharField(source="reply_class.code", read_only=True)
    reply_class_name = serializers.CharField(source="reply_class.name", read_only=True)
    evaluation = serializers.SerializerMethodField()

    class Meta:
        model = Reply
        fields = [
            "id",
            "reply_class",
            "reply_class_name",
            "document_number",
            "signer",
            "text",
            "publication",
            "replied_on",
            "is_follow_up",
            "evaluation_due_on",
            "follow_up_due_on",
            "evaluation",
        ]

    @extend_schema_field(EvaluationBriefSerializer(allow_null=True))
    def get_evaluation(self, reply: Reply) -> dict[str, Any] | None:
        evaluation = getattr(reply, "evaluation", None)
        return EvaluationBriefSerializer(evaluation).data if evaluation is not None else None


class HandlingRoundSerializer(serializers.ModelSerializer):
    """A handling round with its replies (taken from the assignment's prefetched replies)."""

    unit_name = serializers.CharField(source="assignment.unit.name", read_only=True)
    replies = ReplyBriefSerializer(source="round_replies", many=True, read_only=True)

    class Meta:
        model = HandlingRound
        fields = ["id", "assignment", "unit_name", "number", "reason", "opened_on", "due_on", "replies"]


def _rounds_with_replies(assignment: Assignment) -> list[HandlingRound]:
    """The assignment's rounds, each carrying its replies, without a query per round."""
    replies: dict[int, list[Reply]] = {}
    for reply in assignment.replies.all():
        replies.setdefault(reply.round_id, []).append(reply)
    rounds = list(assignment.rounds.all())
    for round_ in rounds:
        round_.round_replies = replies.get(round_.pk, [])
    return rounds


class AssignmentInSuggestionSerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    role_label = serializers.CharField(source="get_role_display", read_only=True)
    status = EnumChoiceField(AssignmentStatus, read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    rounds = serializers.SerializerMethodField()

    class Meta:
        model = Assignment
        fields = [
            "id",
            "unit",
            "unit_name",
            "role",
            "role_label",
            "status",
            "status_label",
            "assigned_on",
            "due_on",
            "original_due_on",
            "latest_due_on",
            "adjustment_deadline",
            "signed_at",
            "replied_on",
            "rounds",
        ]

    @extend_schema_field(HandlingRoundSerializer(many=True))
    def get_rounds(self, assignment: Assignment) -> list[dict[str, Any]]:
        return HandlingRoundSerializer(_rounds_with_replies(assignment), many=True).data


class SupervisionCaseBriefSerializer(serializers.ModelSerializer):
    committee_name = serializers.CharField(source="committee.name", read_only=True)
    trigger_label = serializers.CharField(source="get_trigger_display", read_only=True)
    status = EnumChoiceField(SupervisionStatus, read_only=True)

    class Meta:
        model = SupervisionCase
        fields = [
            "id",
            "committee",
            "committee_name",
            "assignment",
            "round",
            "trigger",
            "trigger_label",
            "status",
            "opened_on",
            "due_on",
            "closed_on",
            "outcome",
        ]


class TimelineEventSerializer(serializers.ModelSerializer):
    time = serializers.DateTimeField(source="created_at", read_only=True)
    actor_name = serializers.SerializerMethodField()
    action_label = serializers.CharField(source="get_action_display", read_only=True)
    unit_name = serializers.SerializerMethodField()

    class Meta:
        model = SuggestionEvent
        fields = ["id", "time", "actor_name", "action", "action_label", "from_status", "to_status", "unit_name", "note"]

    def get_actor_name(self, event: SuggestionEvent) -> str:
        # A deputy's login name is their mobile number: masked when they have no name (docs/PRIVACY.md).
        return user_label(event.actor)

    def get_unit_name(self, event: SuggestionEvent) -> str:
        return event.assignment.unit.name if event.assignment_id else ""


class SuggestionDetailSerializer(SuggestionSerializer):
    """Everything about one suggestion; reads what `selectors.suggestion_detail` prefetched."""

    cosigners = CosignerSerializer(many=True, read_only=True)
    assignments = serializers.SerializerMethodField()
    rounds = serializers.SerializerMethodField()
    supervision_cases = SupervisionCaseBriefSerializer(many=True, read_only=True)
    timeline = TimelineEventSerializer(source="events", many=True, read_only=True)

    class Meta(SuggestionSerializer.Meta):
        fields = [
            *SuggestionSerializer.Meta.fields,
            "body",
            "return_reason",
            "exclusion_reason",
            "review_note",
            "close_reason",
            "cosigners",
            "assignments",
            "rounds",
            "supervision_cases",
            "timeline",
        ]

    @extend_schema_field(AssignmentInSuggestionSerializer(many=True))
    def get_assignments(self, suggestion: Suggestion) -> list[dict[str, Any]]:
        return AssignmentInSuggestionSerializer(suggestion.assignments.all(), many=True).data

    @extend_schema_field(HandlingRoundSerializer(many=True))
    def get_rounds(self, suggestion: Suggestion) -> list[dict[str, Any]]:
        """Every unit's rounds in one list (the same rounds as under each assignment)."""
        rounds = [round_ for assignment in suggestion.assignments.all() for round_ in _rounds_with_replies(assignment)]
        return HandlingRoundSerializer(rounds, many=True).data


# --- input: suggestions ---------------------------------------------------------------------------


class SuggestionFilterSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=SuggestionStatus.choices, required=False)
    category = serializers.IntegerField(required=False, min_value=1, help_text=gettext_lazy("A category id."))


class SuggestionCreateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    body = serializers.CharField()
    category = ActiveCategoryField(queryset=SubjectCategory.objects.all())
    cosigners = ScopedPrimaryKeyRelatedField(queryset=Deputy.objects.all(), many=True, required=False)
    session = ScopedPrimaryKeyRelatedField(
        queryset=Session.objects.all(),
        required=False,
        help_text=gettext_lazy("Defaults to the latest session of the category's congress."),
    )
    confidentiality = serializers.ChoiceField(choices=Confidentiality.choices, required=False)
    publication = serializers.ChoiceField(choices=Publication.choices, required=False)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs.get("session") is None:
            session = (
                Session.objects.filter(congress_id=attrs["category"].congress_id).order_by("-start_date", "-pk").first()
            )
            if session is None:
                raise InputError({"session": [_("The congress has no session yet; ask the deputy-affairs office.")]})
            attrs["session"] = session
        return attrs


class CosignSerializer(serializers.Serializer):
    accept = serializers.BooleanField(help_text=gettext_lazy("true to co-sign, false to decline."))


class WithdrawSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class ReviewSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=ReviewDecision.choices)
    reason = serializers.CharField(required=False, allow_blank=True, default="")
    exclusion_reason = serializers.ChoiceField(choices=ExclusionReason.choices, required=False, allow_blank=True)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        decision = attrs["decision"]
        if decision == ReviewDecision.RETURN and not attrs["reason"].strip():
            raise InputError({"reason": [_("Give the deputy a reason for returning the suggestion.")]})
        if decision == ReviewDecision.REJECT and not attrs.get("exclusion_reason"):
            raise InputError({"exclusion_reason": [_("Choose the reason why it is not accepted as a suggestion.")]})
        if decision != ReviewDecision.REJECT:
            attrs.pop("exclusion_reason", None)
        return attrs


class UnitsSerializer(serializers.Serializer):
    lead_units = ScopedPrimaryKeyRelatedField(
        queryset=HandlingUnit.objects.all(),
        many=True,
        allow_empty=False,
        help_text=gettext_lazy("Lead unit (or split units)."),
    )
    co_units = ScopedPrimaryKeyRelatedField(queryset=HandlingUnit.objects.all(), many=True, required=False)
    mode = serializers.ChoiceField(choices=AssignmentMode.choices, default=AssignmentMode.LEAD)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        lead_units, co_units = attrs["lead_units"], attrs.setdefault("co_units", [])
        if attrs["mode"] == AssignmentMode.LEAD and len(lead_units) != 1:
            raise InputError({"lead_units": [_("A suggestion has exactly one lead unit; use split mode for several.")]})
        if attrs["mode"] == AssignmentMode.SPLIT and co_units:
            raise InputError(
                {"co_units": [_("In split mode every unit answers separately; there are no co-handling units.")]}
            )
        if {unit.pk for unit in lead_units} & {unit.pk for unit in co_units}:
            raise InputError({"co_units": [_("A unit cannot be both lead and co-handling unit.")]})
        return attrs


class EvaluateSerializer(serializers.Serializer):
    reply = SuggestionReplyField(
        queryset=Reply.objects.all(),
        required=False,
        help_text=gettext_lazy("Needed only when several units' replies wait for a rating."),
    )
    attitude = EnumChoiceField(Rating)
    result = EnumChoiceField(Rating)
    comment = serializers.CharField(required=False, allow_blank=True, default="")


def _unrated_replies(suggestion: Suggestion) -> list[Reply]:
    """Each unit's latest reply that has no rating yet, read from the prefetched detail. Whether it
    may be rated now is the service's to judge (in split mode a unit's reply waits for its rating
    while another unit re-handles, so the suggestion's status alone does not say)."""
    unrated = []
    for assignment in suggestion.assignments.all():
        replies = [reply for reply in assignment.replies.all() if not reply.is_follow_up]
        if replies and getattr(replies[-1], "evaluation", None) is None:
            unrated.append(replies[-1])
    return unrated


def _reply_to_rate(*, suggestion: Suggestion, user: Any, chosen: Reply | None) -> Reply:
    """The reply an evaluation is about: the one chosen, or the only one without a rating."""
    if chosen is not None:
        return chosen
    unrated = _unrated_replies(suggestion)
    if len(unrated) > 1:
        raise InputError({"reply": [_("Several replies wait for your rating; say which one (its id).")]})
    if unrated:
        return unrated[0]
    if get_scope(user).deputy_id != suggestion.lead_deputy_id:
        raise NotAllowed(_("Only the lead deputy can do this."))
    raise ForbiddenMove(_("No reply is waiting for your rating."))


class MoveMixin:
    """What every move does first: find the object in the user's scope (404 otherwise) and parse
    the input with a serializer (400 with errors by field)."""

    def _scoped(self, pk: Any) -> Any:
        return get_object_or_404(self.get_queryset(), pk=pk)  # type: ignore[attr-defined]

    def _parse(self, serializer_class: type[serializers.Serializer], **context: Any) -> dict[str, Any]:
        request = self.request  # type: ignore[attr-defined]
        serializer = serializer_class(data=request.data, context={"request": request, **context})
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data


# --- suggestions ------------------------------------------------------------------------------------


class SuggestionViewSet(MoveMixin, viewsets.GenericViewSet):
    """Suggestions the user may see; a deputy drafts their own; each move is an action."""

    serializer_class = SuggestionSerializer
    filter_backends = [SearchFilter]
    search_fields = ["title"]

    def get_queryset(self) -> QuerySet[Suggestion]:
        return Suggestion.objects.visible_to(self.request.user)

    def _moved(self, suggestion: Suggestion) -> Response:
        return Response(SuggestionSerializer(suggestion).data)

    @extend_schema(
        parameters=[SuggestionFilterSerializer], responses={200: SuggestionSerializer(many=True), **LIST_ERRORS}
    )
    def list(self, request: Request) -> Response:
        filters = SuggestionFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        queryset = selectors.suggestion_list_for_user(user=request.user, status=filters.validated_data.get("status"))
        if "category" in filters.validated_data:
            queryset = queryset.filter(category_id=filters.validated_data["category"])
        page = self.paginate_queryset(self.filter_queryset(queryset))
        return self.get_paginated_response(SuggestionSerializer(page, many=True).data)

    @extend_schema(responses={200: SuggestionDetailSerializer, **READ_ERRORS})
    def retrieve(self, request: Request, pk: str) -> Response:
        try:
            suggestion = selectors.suggestion_detail(user=request.user, pk=_pk(pk))
        except Suggestion.DoesNotExist:
            raise NotFound from None
        return Response(SuggestionDetailSerializer(suggestion).data)

    @extend_schema(request=SuggestionCreateSerializer, responses=_responses(201, SuggestionDetailSerializer))
    def create(self, request: Request) -> Response:
        deputy_id = get_scope(request.user).deputy_id
        if deputy_id is None:
            raise PermissionDenied(_("Only deputies draft suggestions."))
        data = self._parse(SuggestionCreateSerializer)
        suggestion = services.suggestion_create(
            actor=request.user,
            deputy=Deputy.objects.get(pk=deputy_id),
            session=data["session"],
            title=data["title"],
            body=data["body"],
            category=data["category"],
            cosigners=data.get("cosigners", []),
            **{key: data[key] for key in ("confidentiality", "publication") if key in data},
        )
        return Response(SuggestionDetailSerializer(suggestion).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=_responses(200, SuggestionSerializer, with_input=False))
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk: str) -> Response:
        """The lead deputy submits the draft (every invited co-signer must have answered)."""
        suggestion = services.suggestion_submit(suggestion=self._scoped(pk), actor=request.user)
        return self._moved(suggestion)

    @extend_schema(request=CosignSerializer, responses=_responses(200, SuggestionSerializer))
    @action(detail=True, methods=["post"])
    def cosign(self, request: Request, pk: str) -> Response:
        """An invited deputy co-signs (附议) or declines."""
        suggestion = self._scoped(pk)
        data = self._parse(CosignSerializer)
        services.cosigner_respond(suggestion=suggestion, actor=request.user, accept=data["accept"])
        return self._moved(suggestion)

    @extend_schema(request=ReviewSerializer, responses=_responses(200, SuggestionSerializer))
    @action(detail=True, methods=["post"])
    def review(self, request: Request, pk: str) -> Response:
        """The office accepts (立案), returns (置回, with a reason) or does not accept (不予立案)."""
        suggestion = self._scoped(pk)
        data = self._parse(ReviewSerializer)
        suggestion = services.suggestion_review(suggestion=suggestion, actor=request.user, **data)
        return self._moved(suggestion)

    @extend_schema(request=UnitsSerializer, responses=_responses(200, SuggestionSerializer))
    @action(detail=True, methods=["post"], url_path="pre-assign")
    def pre_assign(self, request: Request, pk: str) -> Response:
        """预交办 during the session: units see the item; no clock runs yet."""
        suggestion = self._scoped(pk)
        data = self._parse(UnitsSerializer)
        suggestion = services.suggestion_pre_assign(suggestion=suggestion, actor=request.user, **data)
        return self._moved(suggestion)

    @extend_schema(request=UnitsSerializer, responses=_responses(200, SuggestionSerializer))
    @action(detail=True, methods=["post"])
    def assign(self, request: Request, pk: str) -> Response:
        """交办: the clock starts today for every unit."""
        suggestion = self._scoped(pk)
        data = self._parse(UnitsSerializer)
        suggestion = services.suggestion_assign(suggestion=suggestion, actor=request.user, **data)
        return self._moved(suggestion)

    @extend_schema(request=EvaluateSerializer, responses=_responses(200, SuggestionSerializer))
    @action(detail=True, methods=["post"])
    def evaluate(self, request: Request, pk: str) -> Response:
        """The lead deputy rates the current round's reply; 不满意 opens re-handling and supervision."""
        try:
            suggestion = selectors.suggestion_detail(user=request.user, pk=_pk(pk))
        except Suggestion.DoesNotExist:
            raise NotFound from None
        data = self._parse(EvaluateSerializer, suggestion=suggestion)
        reply = _reply_to_rate(suggestion=suggestion, user=request.user, chosen=data.get("reply"))
        services.evaluation_submit(
            reply=reply, actor=request.user, attitude=data["attitude"], result=data["result"], comment=data["comment"]
        )
        suggestion.refresh_from_db()
        return self._moved(suggestion)

    @extend_schema(request=WithdrawSerializer, responses=_responses(200, SuggestionSerializer))
    @action(detail=True, methods=["post"])
    def withdraw(self, request: Request, pk: str) -> Response:
        """撤回 by the lead deputy, before the suggestion is accepted."""
        suggestion = self._scoped(pk)
        data = self._parse(WithdrawSerializer)
        suggestion = services.suggestion_withdraw(suggestion=suggestion, actor=request.user, reason=data["reason"])
        return self._moved(suggestion)


# --- assignments (the units' work) ------------------------------------------------------------------


# A unit still owes its answer (or opinion) in these states; past the due date they are overdue.
AWAITING = (AssignmentStatus.ASSIGNED, AssignmentStatus.SIGNED)


class AssignmentSerializer(serializers.ModelSerializer):
    suggestion_number = serializers.IntegerField(source="suggestion.number", read_only=True)
    suggestion_title = serializers.CharField(source="suggestion.title", read_only=True)
    suggestion_status = serializers.CharField(source="suggestion.status", read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    role_label = serializers.CharField(source="get_role_display", read_only=True)
    status = EnumChoiceField(AssignmentStatus, read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    days_left = serializers.SerializerMethodField()
    is_overdue = serializers.SerializerMethodField()

    class Meta:
        model = Assignment
        fields = [
            "id",
            "suggestion",
            "suggestion_number",
            "suggestion_title",
            "suggestion_status",
            "unit",
            "unit_name",
            "role",
            "role_label",
            "status",
            "status_label",
            "assigned_on",
            "due_on",
            "original_due_on",
            "latest_due_on",
            "adjustment_deadline",
            "signed_at",
            "replied_on",
            "days_left",
            "is_overdue",
        ]

    def get_days_left(self, assignment: Assignment) -> int | None:
        return assignment.days_left()

    def get_is_overdue(self, assignment: Assignment) -> bool:
        days_left = assignment.days_left()
        return days_left is not None and days_left < 0 and assignment.status in AWAITING


class AssignmentFilterSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=AssignmentStatus.choices, required=False)
    overdue = serializers.BooleanField(
        required=False,
        allow_null=True,
        default=None,
        help_text=gettext_lazy("true: only items past their due date, unanswered."),
    )


class AdjustmentRequestInputSerializer(serializers.Serializer):
    reason = serializers.CharField()
    suggested_unit = ScopedPrimaryKeyRelatedField(
        queryset=HandlingUnit.objects.all(), required=False, allow_null=True, default=None
    )


class AdjustmentRequestSerializer(serializers.ModelSerializer):
    status = EnumChoiceField(RequestStatus, read_only=True)

    class Meta:
        model = AdjustmentRequest
        fields = ["id", "assignment", "reason", "suggested_unit", "status", "created_at"]


class ExtensionRequestInputSerializer(serializers.Serializer):
    reason = serializers.CharField()
    requested_due_on = serializers.DateField()


class ExtensionRequestSerializer(serializers.ModelSerializer):
    status = EnumChoiceField(RequestStatus, read_only=True)

    class Meta:
        model = ExtensionRequest
        fields = ["id", "assignment", "reason", "requested_due_on", "status", "created_at"]


class OpinionInputSerializer(serializers.Serializer):
    text = serializers.CharField()


class OpinionSerializer(serializers.ModelSerializer):
    class Meta:
        model = CoUnitOpinion
        fields = ["id", "assignment", "text", "created_at"]


class ReplyInputSerializer(serializers.Serializer):
    reply_class = ReplyClassField()
    text = serializers.CharField()
    document_number = serializers.CharField(max_length=50)
    signer = serializers.CharField(max_length=50)
    publication = serializers.ChoiceField(choices=Publication.choices, required=False)
    public_summary = serializers.CharField(required=False, allow_blank=True, default="")


class ReplySerializer(ReplyBriefSerializer):
    round = serializers.IntegerField(source="round.number", read_only=True)

    class Meta(ReplyBriefSerializer.Meta):
        fields = ["assignment", "round", *ReplyBriefSerializer.Meta.fields, "public_summary"]


class AssignmentViewSet(MoveMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Suggestions given to units; the unit's moves are actions."""

    serializer_class = AssignmentSerializer
    filter_backends = [SearchFilter]
    search_fields = ["suggestion__title"]

    def get_queryset(self) -> QuerySet[Assignment]:
        if _is_schema_generation(self):
            return Assignment.objects.none()
        return selectors.assignments_for(user=self.request.user)

    @extend_schema(
        parameters=[AssignmentFilterSerializer], responses={200: AssignmentSerializer(many=True), **LIST_ERRORS}
    )
    def list(self, request: Request) -> Response:
        filters = AssignmentFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        queryset = self.get_queryset()
        if filters.validated_data.get("status"):
            queryset = queryset.filter(status=filters.validated_data["status"])
        overdue = filters.validated_data.get("overdue")
        if overdue is not None:
            late = {"status__in": AWAITING, "due_on__lt": timezone.localdate()}
            queryset = queryset.filter(**late) if overdue else queryset.exclude(**late)
        page = self.paginate_queryset(self.filter_queryset(queryset))
        return self.get_paginated_response(AssignmentSerializer(page, many=True).data)

    @extend_schema(responses={200: AssignmentSerializer, **READ_ERRORS})
    def retrieve(self, request: Request, pk: str) -> Response:
        return Response(AssignmentSerializer(self._scoped(pk)).data)

    @extend_schema(request=None, responses=_responses(200, AssignmentSerializer, with_input=False))
    @action(detail=True, methods=["post"])
    def sign(self, request: Request, pk: str) -> Response:
        """签收 (the clock already runs from the assignment date)."""
        assignment = services.assignment_sign(assignment=self._scoped(pk), actor=request.user)
        return Response(AssignmentSerializer(assignment).data)

    @extend_schema(request=AdjustmentRequestInputSerializer, responses=_responses(201, AdjustmentRequestSerializer))
    @action(detail=True, methods=["post"], url_path="request-adjustment")
    def request_adjustment(self, request: Request, pk: str) -> Response:
        """申请调整: "not ours", within the window, naming the right unit if known."""
        assignment = self._scoped(pk)
        data = self._parse(AdjustmentRequestInputSerializer)
        adjustment = services.adjustment_request_create(assignment=assignment, actor=request.user, **data)
        return Response(AdjustmentRequestSerializer(adjustment).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ExtensionRequestInputSerializer, responses=_responses(201, ExtensionRequestSerializer))
    @action(detail=True, methods=["post"], url_path="request-extension")
    def request_extension(self, request: Request, pk: str) -> Response:
        """Ask the office for a later due date."""
        assignment = self._scoped(pk)
        data = self._parse(ExtensionRequestInputSerializer)
        extension = services.extension_request_create(assignment=assignment, actor=request.user, **data)
        return Response(ExtensionRequestSerializer(extension).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=OpinionInputSerializer, responses=_responses(201, OpinionSerializer))
    @action(detail=True, methods=["post"])
    def opinion(self, request: Request, pk: str) -> Response:
        """A co-handling unit's opinion (会办意见) to the lead unit."""
        assignment = self._scoped(pk)
        data = self._parse(OpinionInputSerializer)
        opinion = services.co_opinion_send(assignment=assignment, actor=request.user, text=data["text"])
        return Response(OpinionSerializer(opinion).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ReplyInputSerializer, responses=_responses(201, ReplySerializer))
    @action(detail=True, methods=["post"])
    def reply(self, request: Request, pk: str) -> Response:
        """答复 by a lead or split unit in the current round."""
        assignment = self._scoped(pk)
        data = self._parse(ReplyInputSerializer, assignment=assignment)
        reply = services.reply_submit(assignment=assignment, actor=request.user, **data)
        return Response(ReplySerializer(reply).data, status=status.HTTP_201_CREATED)


# --- supervision cases, categories ----------------------------------------------------------------


class SupervisionCaseSerializer(SupervisionCaseBriefSerializer):
    suggestion_number = serializers.SerializerMethodField()
    suggestion_title = serializers.SerializerMethodField()
    unit_name = serializers.SerializerMethodField()

    class Meta(SupervisionCaseBriefSerializer.Meta):
        fields = [
            "id",
            "suggestion",
            "suggestion_number",
            "suggestion_title",
            "subject",
            "subject_url",
            *SupervisionCaseBriefSerializer.Meta.fields[1:],
            "unit_name",
        ]

    def get_suggestion_number(self, case: SupervisionCase) -> int | None:
        """Empty for a case on something else than a suggestion (a hotline issue: see `subject`)."""
        return case.suggestion.number if case.suggestion_id else None

    def get_suggestion_title(self, case: SupervisionCase) -> str:
        return case.suggestion.title if case.suggestion_id else ""

    def get_unit_name(self, case: SupervisionCase) -> str:
        return case.assignment.unit.name if case.assignment_id else ""


class SupervisionCaseFilterSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=SupervisionStatus.choices, required=False)


@extend_schema_view(retrieve=extend_schema(responses={200: SupervisionCaseSerializer, **READ_ERRORS}))
class SupervisionCaseViewSet(viewsets.ReadOnlyModelViewSet):
    """Supervision cases (督办) in the user's view: their committee's, and those on suggestions they see."""

    serializer_class = SupervisionCaseSerializer
    filter_backends = [SearchFilter]
    search_fields = ["suggestion__title", "subject"]

    def get_queryset(self) -> QuerySet[SupervisionCase]:
        return (
            SupervisionCase.objects.visible_to(self.request.user)
            .select_related("suggestion", "committee", "assignment__unit")
            .order_by("-opened_on", "-pk")
        )

    @extend_schema(
        parameters=[SupervisionCaseFilterSerializer],
        responses={200: SupervisionCaseSerializer(many=True), **LIST_ERRORS},
    )
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        filters = SupervisionCaseFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        queryset = self.get_queryset()
        if filters.validated_data.get("status"):
            queryset = queryset.filter(status=filters.validated_data["status"])
        page = self.paginate_queryset(self.filter_queryset(queryset))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


@extend_schema_view(
    list=extend_schema(responses={200: SubjectCategorySerializer(many=True)}),
    retrieve=extend_schema(responses={200: SubjectCategorySerializer, **READ_ERRORS}),
)
class SubjectCategoryViewSet(viewsets.ReadOnlyModelViewSet):
    """Subject categories of the user's congress(es), each with its counterpart committee (对口)."""

    serializer_class = SubjectCategorySerializer
    search_fields = ["name", "code"]

    def get_queryset(self) -> QuerySet[SubjectCategory]:
        return (
            SubjectCategory.objects.visible_to(self.request.user)
            .select_related("counterpart_committee")
            .order_by("congress_id", "sort_order", "name", "pk")
        )


# --- the user's notifications -----------------------------------------------------------------------


class NotificationSerializer(serializers.ModelSerializer):
    is_read = serializers.SerializerMethodField()

    class Meta:
        model = Notification
        fields = ["id", "title", "body", "url", "created_at", "read_at", "is_read"]

    def get_is_read(self, notification: Notification) -> bool:
        return notification.read_at is not None


class NotificationFilterSerializer(serializers.Serializer):
    unread = serializers.BooleanField(
        required=False, allow_null=True, default=None, help_text=gettext_lazy("true: unread only.")
    )


class NotificationPagination(PageNumberPagination):
    """A page of notifications, with how many of all the user's notifications are unread."""

    unread_count = 0

    def get_paginated_response(self, data: Any) -> Response:
        response = super().get_paginated_response(data)
        response.data["unread_count"] = self.unread_count
        return response

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        paginated = super().get_paginated_response_schema(schema)
        paginated["properties"]["unread_count"] = {"type": "integer", "example": 3}
        paginated["required"] = [*paginated.get("required", []), "unread_count"]
        return paginated


class NotificationViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """The signed-in user's own notifications, newest first, with the unread count."""

    serializer_class = NotificationSerializer
    pagination_class = NotificationPagination
    filter_backends: list[Any] = []

    def get_queryset(self) -> QuerySet[Notification]:
        if _is_schema_generation(self):
            return Notification.objects.none()
        return Notification.objects.filter(user=self.request.user).order_by("-created_at", "-pk")

    @extend_schema(
        parameters=[NotificationFilterSerializer], responses={200: NotificationSerializer(many=True), **LIST_ERRORS}
    )
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        filters = NotificationFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        queryset = self.get_queryset()
        self.paginator.unread_count = queryset.filter(read_at__isnull=True).count()
        if filters.validated_data.get("unread") is not None:
            queryset = queryset.filter(read_at__isnull=filters.validated_data["unread"])
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(request=None, responses={200: NotificationSerializer, **READ_ERRORS})
    @action(detail=True, methods=["post"])
    def read(self, request: Request, pk: str) -> Response:
        notification = notification_mark_read(notification=get_object_or_404(self.get_queryset(), pk=pk))
        return Response(NotificationSerializer(notification).data)
