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


@admin.register(PublicIssue)
class PublicIssueAdmin(ScopedHistoryAdmin):
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

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # recorded on the station desk or the API, so the intake and the timeline follow

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [field.name for field in self.model._meta.fields]

    @admin.display(description=_("content"))
    def short_content(self, issue: PublicIssue) -> str:
        return issue.content[:40]

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
