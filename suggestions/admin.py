"""Admin of the suggestion workflow for office and committee staff. Workflow moves are admin
actions that call the services; status fields are never edited directly."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from congress.admin import ScopedAdminMixin, ScopedHistoryAdmin
from congress.admin_filters import ScopedRelatedFilter
from congress.models import HandlingUnit
from congress.privacy import PrivateHistoryAdmin, user_label

from . import services
from .choices import AssignmentMode, ExclusionReason, RequestStatus, ReviewDecision, SuggestionStatus
from .exceptions import ForbiddenMove, NotAllowed
from .models import (
    AdjustmentRequest,
    Assignment,
    Cosigner,
    Evaluation,
    ExtensionRequest,
    HandlingRules,
    KeySuggestionTopic,
    ReminderDispatch,
    Reply,
    ReplyClass,
    Suggestion,
    SuggestionEvent,
    SupervisionAction,
    SupervisionCase,
    UnitProposal,
)


class OverdueFilter(admin.SimpleListFilter):
    title = _("overdue")
    parameter_name = "overdue"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [("yes", _("Overdue now"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if self.value() == "yes":
            today = timezone.localdate()
            if queryset.model is Suggestion:
                return queryset.filter(
                    pk__in=Assignment.objects.awaiting_reply().filter(due_on__lt=today).values("suggestion_id")
                )
            return queryset.awaiting_reply().filter(due_on__lt=today)
        return queryset


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class CosignerInline(ScopedAdminMixin, ReadOnlyInline):
    model = Cosigner
    fields = ["deputy", "status", "responded_at"]
    readonly_fields = fields


class AssignmentInline(ScopedAdminMixin, ReadOnlyInline):
    model = Assignment
    fields = ["unit", "role", "status", "assigned_on", "due_on", "signed_at", "replied_on"]
    readonly_fields = fields


class UnitProposalInline(ScopedAdminMixin, ReadOnlyInline):
    model = UnitProposal
    fields = ["committee", "proposed_units", "reason", "created_at"]
    readonly_fields = fields
    verbose_name_plural = _("committee proposals of units")

    @admin.display(description=_("proposed units"))
    def proposed_units(self, proposal: UnitProposal) -> str:
        return "、".join(unit.name for unit in proposal.units.all())

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).select_related("committee").prefetch_related("units")


class EventInline(ScopedAdminMixin, ReadOnlyInline):
    model = SuggestionEvent
    fields = ["created_at", "action", "assignment", "actor_name", "from_status", "to_status", "note"]
    readonly_fields = fields
    verbose_name_plural = _("timeline")

    @admin.display(description=_("actor"))
    def actor_name(self, event: SuggestionEvent) -> str:
        # Not the account: a deputy's login name is their mobile number (docs/PRIVACY.md).
        return user_label(event.actor)

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).select_related("actor", "assignment__unit")


class UnitsForm(forms.Form):
    """The intermediate page of the (pre-)assign actions."""

    mode = forms.ChoiceField(label=_("mode"), choices=AssignmentMode.choices, initial=AssignmentMode.LEAD)
    lead_units = forms.ModelMultipleChoiceField(label=_("lead (or split) units"), queryset=HandlingUnit.objects.none())
    co_units = forms.ModelMultipleChoiceField(
        label=_("co-handling units"), queryset=HandlingUnit.objects.none(), required=False
    )

    def __init__(self, *args: Any, units: QuerySet[HandlingUnit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["lead_units"].queryset = units
        self.fields["co_units"].queryset = units


class ReviewForm(forms.Form):
    reason = forms.CharField(label=_("reason"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    exclusion_reason = forms.ChoiceField(
        label=_("reason for not accepting"), choices=[("", "---------"), *ExclusionReason.choices], required=False
    )


class NoteForm(forms.Form):
    note = forms.CharField(label=_("note to the deputy"), widget=forms.Textarea(attrs={"rows": 3}))


def _run_each(modeladmin: Any, request: HttpRequest, queryset: QuerySet, call: Any, done: Any) -> None:
    """Call a service for each selected row; report the successes and each refusal by name."""
    count = 0
    for obj in queryset:
        try:
            call(obj)
        except ForbiddenMove as error:
            modeladmin.message_user(request, f"{obj}: {error.message}", messages.WARNING)
        except NotAllowed as error:
            modeladmin.message_user(request, f"{obj}: {error}", messages.ERROR)
        else:
            count += 1
    if count:
        modeladmin.message_user(request, done % {"count": count}, messages.SUCCESS)


@admin.register(Suggestion)
class SuggestionAdmin(ScopedHistoryAdmin, PrivateHistoryAdmin):
    list_display = ["number_display", "title", "lead_deputy", "category", "status", "is_key", "session", "submitted_at"]
    list_display_links = ["number_display", "title"]
    list_filter = [
        ("congress", ScopedRelatedFilter),
        "status",
        "is_key",
        OverdueFilter,
        ("category", ScopedRelatedFilter),
        ("session", ScopedRelatedFilter),
        "raised_in_session",
    ]
    search_fields = ["title", "lead_deputy__name", "=number"]
    list_select_related = ["lead_deputy", "category", "session__term"]
    # Newest first along the primary key: the first page reads 50 rows of an index, whatever the
    # table's size (the model's ordering by congress, session and number sorts every row).
    ordering = ["-pk"]
    autocomplete_fields = ["key_topic"]
    readonly_fields = [
        "congress",
        "session",
        "number",
        "title",
        "body",
        "category",
        "lead_deputy",
        "raised_in_session",
        "status",
        "submitted_at",
        "return_reason",
        "exclusion_reason",
        "review_note",
        "closed_at",
        "close_reason",
        "frozen",
    ]
    fields = [*readonly_fields[:10], "is_key", "key_topic", "confidentiality", "publication", *readonly_fields[10:]]
    inlines = [CosignerInline, AssignmentInline, UnitProposalInline, EventInline]
    actions = ["accept", "return_to_deputy", "reject", "pre_assign", "assign"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # deputies write suggestions in the portal or through the API

    def get_queryset(self, request: HttpRequest) -> QuerySet[Suggestion]:
        return super().get_queryset(request).exclude(status=SuggestionStatus.DRAFT)

    @admin.display(description=_("number"), ordering="number")
    def number_display(self, suggestion: Suggestion) -> str:
        return suggestion.number_display

    @admin.action(description=_("Accept (立案)"))
    def accept(self, request: HttpRequest, queryset: QuerySet[Suggestion]) -> None:
        _run_each(
            self,
            request,
            queryset,
            lambda s: services.suggestion_review(suggestion=s, actor=request.user, decision=ReviewDecision.ACCEPT),
            ngettext_lazy("%(count)d suggestion accepted.", "%(count)d suggestions accepted.", "count"),
        )

    def _review_with_form(
        self, request: HttpRequest, queryset: QuerySet[Suggestion], decision: str, title: str
    ) -> HttpResponse | None:
        form = ReviewForm(request.POST if "apply" in request.POST else None)
        if "apply" in request.POST and form.is_valid():
            _run_each(
                self,
                request,
                queryset,
                lambda s: services.suggestion_review(
                    suggestion=s,
                    actor=request.user,
                    decision=decision,
                    reason=form.cleaned_data["reason"],
                    exclusion_reason=form.cleaned_data["exclusion_reason"],
                ),
                ngettext_lazy("%(count)d suggestion reviewed.", "%(count)d suggestions reviewed.", "count"),
            )
            return None
        return self._intermediate(request, queryset, form, title)

    @admin.action(description=_("Return to the deputy (置回)"))
    def return_to_deputy(self, request: HttpRequest, queryset: QuerySet[Suggestion]) -> HttpResponse | None:
        return self._review_with_form(request, queryset, ReviewDecision.RETURN, _("Return to the deputy"))

    @admin.action(description=_("Do not accept (不予立案)"))
    def reject(self, request: HttpRequest, queryset: QuerySet[Suggestion]) -> HttpResponse | None:
        return self._review_with_form(request, queryset, ReviewDecision.REJECT, _("Do not accept as a suggestion"))

    def _units_action(
        self, request: HttpRequest, queryset: QuerySet[Suggestion], service: Any, title: str
    ) -> HttpResponse | None:
        units = HandlingUnit.objects.visible_to(request.user).active().order_by("name")
        form = UnitsForm(request.POST if "apply" in request.POST else None, units=units)
        if "apply" in request.POST and form.is_valid():
            data = form.cleaned_data
            _run_each(
                self,
                request,
                queryset,
                lambda s: service(
                    suggestion=s,
                    actor=request.user,
                    lead_units=list(data["lead_units"]),
                    co_units=list(data["co_units"]),
                    mode=data["mode"],
                ),
                ngettext_lazy("%(count)d suggestion done.", "%(count)d suggestions done.", "count"),
            )
            return None
        return self._intermediate(request, queryset, form, title)

    @admin.action(description=_("Pre-assign to units (预交办)"))
    def pre_assign(self, request: HttpRequest, queryset: QuerySet[Suggestion]) -> HttpResponse | None:
        return self._units_action(request, queryset, services.suggestion_pre_assign, _("Pre-assign to units"))

    @admin.action(description=_("Assign to units (交办)"))
    def assign(self, request: HttpRequest, queryset: QuerySet[Suggestion]) -> HttpResponse | None:
        return self._units_action(request, queryset, services.suggestion_assign, _("Assign to units"))

    def _intermediate(self, request: HttpRequest, queryset: QuerySet, form: forms.Form, title: str) -> HttpResponse:
        return TemplateResponse(
            request,
            "admin/suggestions/action_form.html",
            {
                **self.admin_site.each_context(request),
                "title": title,
                "objects": queryset,
                "form": form,
                "action": request.POST.get("action"),
                "opts": self.model._meta,
            },
        )


@admin.register(Assignment)
class AssignmentAdmin(ScopedHistoryAdmin):
    list_display = ["suggestion", "unit", "role", "status", "assigned_on", "due_on", "replied_on"]
    list_filter = [
        ("congress", ScopedRelatedFilter),
        "status",
        "role",
        OverdueFilter,
        ("due_on", admin.DateFieldListFilter),
        ("unit", ScopedRelatedFilter),
    ]
    search_fields = ["suggestion__title", "unit__name", "=suggestion__number"]
    list_select_related = ["suggestion", "unit"]
    readonly_fields = [
        "suggestion",
        "unit",
        "role",
        "status",
        "assigned_on",
        "due_on",
        "original_due_on",
        "latest_due_on",
        "adjustment_deadline",
        "signed_at",
        "replied_on",
    ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


class DecisionAdmin(ScopedHistoryAdmin):
    """Pending requests of units, decided by office staff through actions."""

    list_filter = ["status"]
    list_select_related = ["assignment__suggestion", "assignment__unit"]
    search_fields = ["assignment__suggestion__title", "assignment__unit__name"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [field.name for field in self.model._meta.fields]


@admin.register(AdjustmentRequest)
class AdjustmentRequestAdmin(DecisionAdmin):
    list_display = ["assignment", "suggested_unit", "reason", "status", "created_at", "decided_at"]
    list_select_related = [*DecisionAdmin.list_select_related, "suggested_unit"]
    actions = ["approve", "refuse"]

    @admin.action(description=_("Approve: give it to the suggested unit"))
    def approve(self, request: HttpRequest, queryset: QuerySet[AdjustmentRequest]) -> None:
        _run_each(
            self,
            request,
            queryset.filter(status=RequestStatus.PENDING),
            lambda r: services.adjustment_decide(request=r, actor=request.user, approve=True),
            ngettext_lazy("%(count)d request approved.", "%(count)d requests approved.", "count"),
        )

    @admin.action(description=_("Refuse: the unit keeps the item"))
    def refuse(self, request: HttpRequest, queryset: QuerySet[AdjustmentRequest]) -> None:
        _run_each(
            self,
            request,
            queryset.filter(status=RequestStatus.PENDING),
            lambda r: services.adjustment_decide(request=r, actor=request.user, approve=False),
            ngettext_lazy("%(count)d request refused.", "%(count)d requests refused.", "count"),
        )


@admin.register(ExtensionRequest)
class ExtensionRequestAdmin(DecisionAdmin):
    list_display = ["assignment", "requested_due_on", "reason", "status", "created_at", "decided_at"]
    actions = ["approve", "refuse"]

    @admin.action(description=_("Approve, with a note to the deputy"))
    def approve(self, request: HttpRequest, queryset: QuerySet[ExtensionRequest]) -> HttpResponse | None:
        form = NoteForm(request.POST if "apply" in request.POST else None)
        if "apply" in request.POST and form.is_valid():
            _run_each(
                self,
                request,
                queryset.filter(status=RequestStatus.PENDING),
                lambda r: services.extension_decide(
                    request=r, actor=request.user, approve=True, note_to_deputy=form.cleaned_data["note"]
                ),
                ngettext_lazy("%(count)d request approved.", "%(count)d requests approved.", "count"),
            )
            return None
        return TemplateResponse(
            request,
            "admin/suggestions/action_form.html",
            {
                **self.admin_site.each_context(request),
                "title": _("Approve extensions"),
                "objects": queryset,
                "form": form,
                "action": "approve",
                "opts": self.model._meta,
            },
        )

    @admin.action(description=_("Refuse"))
    def refuse(self, request: HttpRequest, queryset: QuerySet[ExtensionRequest]) -> None:
        _run_each(
            self,
            request,
            queryset.filter(status=RequestStatus.PENDING),
            lambda r: services.extension_decide(request=r, actor=request.user, approve=False),
            ngettext_lazy("%(count)d request refused.", "%(count)d requests refused.", "count"),
        )


class SupervisionActionInline(ScopedAdminMixin, ReadOnlyInline):
    model = SupervisionAction
    fields = ["date", "kind", "note", "recorded_by"]
    readonly_fields = fields


@admin.register(SupervisionCase)
class SupervisionCaseAdmin(ScopedHistoryAdmin):
    list_display = ["__str__", "committee", "trigger", "status", "opened_on", "due_on", "closed_on"]
    list_filter = ["status", "trigger", ("committee", ScopedRelatedFilter)]
    search_fields = ["suggestion__title", "=suggestion__number", "subject"]
    list_select_related = ["suggestion", "committee"]
    inlines = [SupervisionActionInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [field.name for field in self.model._meta.fields]


@admin.register(Reply)
class ReplyAdmin(ScopedHistoryAdmin):
    list_display = ["document_number", "assignment", "reply_class", "replied_on", "is_follow_up", "published_at"]
    list_filter = [
        ("congress", ScopedRelatedFilter),
        ("reply_class", ScopedRelatedFilter),
        "is_follow_up",
        "publication",
    ]
    search_fields = ["document_number", "assignment__suggestion__title"]
    list_select_related = ["assignment__suggestion", "assignment__unit", "reply_class"]
    actions = ["publish"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [field.name for field in self.model._meta.fields]

    @admin.action(description=_("Publish on the public page"))
    def publish(self, request: HttpRequest, queryset: QuerySet[Reply]) -> None:
        _run_each(
            self,
            request,
            queryset,
            lambda r: services.reply_publish(reply=r, actor=request.user),
            ngettext_lazy("%(count)d reply published.", "%(count)d replies published.", "count"),
        )


@admin.register(Evaluation)
class EvaluationAdmin(ScopedHistoryAdmin, PrivateHistoryAdmin):
    list_display = ["reply", "deputy", "attitude", "result", "created_at"]
    list_filter = ["result", "attitude"]
    list_select_related = ["reply__reply_class", "deputy"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [field.name for field in self.model._meta.fields]


@admin.register(KeySuggestionTopic)
class KeySuggestionTopicAdmin(ScopedHistoryAdmin):
    list_display = ["title", "year", "leader", "committee", "congress"]
    list_filter = ["year", ("committee", ScopedRelatedFilter)]
    search_fields = ["title", "leader"]
    autocomplete_fields = ["congress", "committee", "lead_units"]
    list_select_related = ["committee", "congress"]


@admin.register(ReplyClass)
class ReplyClassAdmin(ScopedHistoryAdmin):
    list_display = ["code", "name", "counts_as_solved", "counts_as_planned", "needs_follow_up", "congress"]
    list_select_related = ["congress"]
    search_fields = ["code", "name"]
    autocomplete_fields = ["congress"]


@admin.register(HandlingRules)
class HandlingRulesAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = [
        "congress",
        "answer_months",
        "extension_max_months",
        "adjustment_window_working_days",
        "rehandling_months",
        "evaluation_window_working_days",
        "reminder_offsets",
    ]
    list_select_related = ["congress"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[HandlingRules]:
        from congress.models import Congress

        return super().get_queryset(request).filter(congress__in=Congress.objects.visible_to(request.user))


@admin.register(ReminderDispatch)
class ReminderDispatchAdmin(admin.ModelAdmin):
    list_display = ["target_type", "target_id", "kind", "due_on", "sent_at", "recipients"]
    list_filter = ["kind", "target_type"]
    date_hierarchy = None

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_queryset(self, request: HttpRequest) -> QuerySet[ReminderDispatch]:
        queryset = super().get_queryset(request)
        return queryset if request.user.is_superuser else queryset.none()
