"""Admin of the citizens' loop for office staff: issues (read-mostly; moves go through the desk, the
API or the actions here, which call the services), the congress's loop numbers, answers, the
timeline and photos."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from congress.admin import ScopedAdminMixin, ScopedHistoryAdmin
from congress.admin_filters import ScopedRelatedFilter
from congress.models import Congress
from congress.privacy import (
    PROBING_DIGITS,
    PrivateHistoryAdmin,
    mask_phones_in_text,
    searches_private_digits,
    sees_deputies_phones,
)

from ..exceptions import WorkflowError
from ..models import IssueAnswer, IssueEvent, IssuePhoto, IssueRules, PublicIssue
from ..services import issues as services


class ReadOnlyInline(ScopedAdminMixin, admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class AnswerInline(ReadOnlyInline):
    model = IssueAnswer
    fields = ["tier", "answerer_name", "body", "created_at"]
    readonly_fields = fields


class EventInline(ReadOnlyInline):
    model = IssueEvent
    fields = ["created_at", "action", "actor_label", "from_status", "to_status", "tier", "note"]
    readonly_fields = fields


class PhotoInline(ReadOnlyInline):
    model = IssuePhoto
    fields = ["image"]
    readonly_fields = fields


def _run_each(modeladmin: Any, request: HttpRequest, queryset: QuerySet, call: Any, done: Any) -> None:
    """Call a service for each selected row; report the successes and each refusal by its code."""
    count = 0
    for obj in queryset:
        try:
            call(obj)
        except WorkflowError as error:
            modeladmin.message_user(request, f"{obj.tracking_code}: {error.message}", messages.WARNING)
        except (PermissionDenied, ValidationError) as error:
            text = "; ".join(getattr(error, "messages", [str(error)]))
            modeladmin.message_user(request, f"{obj.tracking_code}: {text}", messages.ERROR)
        else:
            count += 1
    if count:
        modeladmin.message_user(request, done % {"count": count}, messages.SUCCESS)


# Shown in their place to those who do not handle the issue (docs/PRIVACY.md).
CONTACT_FIELDS = ("citizen_name", "citizen_phone", "content")


@admin.register(PublicIssue)
class PublicIssueAdmin(ScopedHistoryAdmin, PrivateHistoryAdmin):
    list_display = ["tracking_code", "short_content", "channel", "status", "tier", "station", "due_on", "created_at"]
    list_filter = [
        ("congress", ScopedRelatedFilter),
        "status",
        "tier",
        "channel",
        ("station", ScopedRelatedFilter),
        ("handling_unit", ScopedRelatedFilter),
    ]
    search_fields = ["=tracking_code", "content"]
    list_select_related = ["station"]
    date_hierarchy = "created_at"
    inlines = [AnswerInline, EventInline, PhotoInline]
    actions = ["close_confirmed", "send_intake_notice"]
    private_phone_fields = ("citizen_phone",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # recorded on the station desk or the API, so the intake and the timeline follow

    @staticmethod
    def _sees_contact(request: HttpRequest, issue: PublicIssue | None) -> bool:
        """The citizen's name, phone and the numbers in their words, in full: those handling the issue."""
        if issue is None:
            return sees_deputies_phones(request.user)  # office staff and administrators
        return services.can_see_contact(user=request.user, issue=issue)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        names = [field.name for field in self.model._meta.fields]
        if self._sees_contact(request, obj):
            return names
        return [f"shown_{name}" if name in CONTACT_FIELDS else name for name in names]

    def get_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return self.get_readonly_fields(request, obj)

    def get_exclude(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [] if self._sees_contact(request, obj) else list(CONTACT_FIELDS)

    def get_search_results(self, request: HttpRequest, queryset: QuerySet, search_term: str) -> tuple[QuerySet, bool]:
        # A digits search over the words would let a reader who sees masked numbers probe the hidden ones.
        if PROBING_DIGITS.search(search_term) and not searches_private_digits(request.user):
            return queryset.filter(tracking_code__iexact=search_term.strip()), False
        return super().get_search_results(request, queryset, search_term)

    def get_list_display(self, request: HttpRequest) -> list[Any]:
        # The content column masks phone numbers per row for a reader who does not handle the issue.
        def short_content(issue: PublicIssue) -> str:
            full = self._sees_contact(request, issue)
            return (issue.content if full else mask_phones_in_text(issue.content))[:40]

        short_content.short_description = _("content")  # type: ignore[attr-defined]
        return [short_content if name == "short_content" else name for name in super().get_list_display(request)]

    @admin.display(description=_("content"))
    def short_content(self, issue: PublicIssue) -> str:
        """Masked; `get_list_display` puts a per-reader column in its place."""
        return mask_phones_in_text(issue.content)[:40]

    @admin.display(description=_("citizen's name"))
    def shown_citizen_name(self, issue: PublicIssue) -> str:
        return services.mask_name(issue.citizen_name)

    @admin.display(description=_("citizen's phone"))
    def shown_citizen_phone(self, issue: PublicIssue) -> str:
        return services.mask_phone(issue.citizen_phone)

    @admin.display(description=_("content"))
    def shown_content(self, issue: PublicIssue) -> str:
        return mask_phones_in_text(issue.content)

    def history_shows_phones(self, request: HttpRequest, obj: Any) -> bool:
        return self._sees_contact(request, obj)

    def history_maskers(self, request: HttpRequest, obj: Any) -> dict[str, Any]:
        maskers = super().history_maskers(request, obj)
        if maskers:
            maskers.update(citizen_name=services.mask_name, content=mask_phones_in_text)
        return maskers

    @admin.action(description=_("Close: the citizen confirmed the answer"))
    def close_confirmed(self, request: HttpRequest, queryset: QuerySet[PublicIssue]) -> None:
        _run_each(
            self,
            request,
            queryset,
            lambda issue: services.issue_close(issue=issue, actor=request.user, note=str(_("Closed in the admin"))),
            ngettext_lazy("%(count)d issue closed.", "%(count)d issues closed.", "count"),
        )

    @admin.action(description=_("Tell the handlers about new issues not yet notified"))
    def send_intake_notice(self, request: HttpRequest, queryset: QuerySet[PublicIssue]) -> None:
        count = sum(
            1 for pk in queryset.values_list("pk", flat=True) if services.issue_intake_notify(issue_id=pk) is not None
        )
        self.message_user(
            request,
            ngettext_lazy("%(count)d issue notified.", "%(count)d issues notified.", "count") % {"count": count},
            messages.SUCCESS,
        )


@admin.register(IssueRules)
class IssueRulesAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = [
        "congress",
        "screening_days",
        "tier1_days",
        "tier2_days",
        "tier3_days",
        "remind_days_before",
        "quiet_days",
        "intake_per_hour",
    ]
    list_select_related = ["congress"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[IssueRules]:
        # One row per congress, not a tenant row: scoped through the congress.
        return super().get_queryset(request).filter(congress__in=Congress.objects.visible_to(request.user))

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "congress":
            kwargs["queryset"] = Congress.objects.visible_to(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class ReadOnlyAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_per_page = 50
    show_full_result_count = False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(IssueAnswer)
class IssueAnswerAdmin(ReadOnlyAdmin):
    list_display = ["issue", "tier", "answerer_name", "created_at"]
    list_filter = ["tier"]
    search_fields = ["=issue__tracking_code", "body", "answerer_name"]
    list_select_related = ["issue"]


@admin.register(IssueEvent)
class IssueEventAdmin(ReadOnlyAdmin):
    list_display = ["issue", "action", "actor_label", "from_status", "to_status", "tier", "created_at"]
    list_filter = ["action"]
    search_fields = ["=issue__tracking_code", "note"]
    list_select_related = ["issue"]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # the timeline is the record


@admin.register(IssuePhoto)
class IssuePhotoAdmin(ReadOnlyAdmin):
    """Office staff may remove a photo that should not be kept (delete), never change one."""

    list_display = ["issue", "image", "created_at"]
    search_fields = ["=issue__tracking_code"]
    list_select_related = ["issue"]
