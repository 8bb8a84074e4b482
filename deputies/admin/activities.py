"""Admin of activities and invitations; moves (hold, cancel, mark present) are actions calling services."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from congress.admin import ScopedAdminMixin, ScopedHistoryAdmin
from congress.admin_filters import ScopedRelatedFilter

from ..choices import InvitationStatus
from ..exceptions import WorkflowError
from ..models import Activity, Invitation
from ..services import activities as services


def run_each(
    admin_page: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet, move: Callable[[Any], Any]
) -> None:
    """Apply a service to each selected row; report how many moved and why the others did not."""
    done, refused = 0, []
    for row in queryset:
        try:
            move(row)
        except (WorkflowError, ValidationError) as error:
            refused.append(f"{row}: {getattr(error, 'message', None) or '; '.join(error.messages)}")
        else:
            done += 1
    if done:
        admin_page.message_user(
            request, ngettext("%(count)d row done.", "%(count)d rows done.", done) % {"count": done}, messages.SUCCESS
        )
    for text in refused:
        admin_page.message_user(request, text, messages.WARNING)


class InvitationInline(ScopedAdminMixin, admin.TabularInline):
    model = Invitation
    extra = 0
    fields = [
        "deputy",
        "status",
        "source",
        "signed_in_at",
        "sign_in_method",
        "hours",
        "certificate_number",
        "decline_reason",
    ]
    readonly_fields = [
        "status",
        "source",
        "signed_in_at",
        "sign_in_method",
        "hours",
        "certificate_number",
        "decline_reason",
    ]
    autocomplete_fields = ["deputy"]
    can_delete = False

    def get_queryset(self, request: HttpRequest) -> QuerySet[Invitation]:
        return super().get_queryset(request).select_related("deputy")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # invitations go through the desk or the API, which check the deputies


@admin.register(Activity)
class ActivityAdmin(ScopedHistoryAdmin):
    list_display = ["title", "kind", "starts_at", "organiser", "place", "invited", "attended", "state"]
    list_filter = ["kind", "state", ("organiser", ScopedRelatedFilter), "starts_at"]
    search_fields = ["title", "topic", "place"]
    autocomplete_fields = ["organiser"]
    raw_id_fields = ["group", "meeting", "planned_course"]
    readonly_fields = ["state", "sign_in_code", "sign_in_token", "created_by"]
    list_select_related = ["organiser"]
    inlines = [InvitationInline]
    actions = ["hold", "cancel"]
    fieldsets = [
        (None, {"fields": ["kind", "title", "topic", "description", "organiser"]}),
        (_("When and where"), {"fields": ["starts_at", "ends_at", "place", "hours", "capacity", "open_enrollment"]}),
        (_("Links"), {"fields": ["group", "meeting", "planned_course", "training_kind"]}),
        (_("Sign-in"), {"fields": ["state", "sign_in_code", "sign_in_token", "created_by"]}),
    ]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Activity]:
        return (
            super()
            .get_queryset(request)
            .annotate(
                _invited=Count("invitations", distinct=True),
                _attended=Count("invitations", filter=Q(invitations__status=InvitationStatus.ATTENDED), distinct=True),
            )
        )

    def save_model(self, request: HttpRequest, obj: Activity, form: Any, change: bool) -> None:
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    @admin.display(description=_("invited"), ordering="_invited")
    def invited(self, activity: Activity) -> int:
        return activity._invited  # type: ignore[attr-defined]

    @admin.display(description=_("attended"), ordering="_attended")
    def attended(self, activity: Activity) -> int:
        return activity._attended  # type: ignore[attr-defined]

    @admin.action(description=_("Close sign-in (mark the rest absent)"), permissions=["change"])
    def hold(self, request: HttpRequest, queryset: QuerySet[Activity]) -> None:
        run_each(self, request, queryset, lambda a: services.activity_hold(activity=a, actor=request.user))

    @admin.action(description=_("Cancel the selected activities"), permissions=["change"])
    def cancel(self, request: HttpRequest, queryset: QuerySet[Activity]) -> None:
        run_each(self, request, queryset, lambda a: services.activity_cancel(activity=a, actor=request.user))


@admin.register(Invitation)
class InvitationAdmin(ScopedHistoryAdmin):
    list_display = ["deputy", "activity", "status", "source", "signed_in_at", "sign_in_method", "hours"]
    list_filter = ["status", "source", "sign_in_method", "activity__kind"]
    search_fields = ["deputy__name", "activity__title"]
    list_select_related = ["deputy", "activity"]
    readonly_fields = [
        "activity",
        "deputy",
        "status",
        "source",
        "responded_at",
        "decline_reason",
        "signed_in_at",
        "sign_in_method",
        "hours",
        "certificate_number",
    ]
    actions = ["mark_attended"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # invitations go through the desk or the API, which check the deputies

    @admin.action(description=_("Mark present"), permissions=["change"])
    def mark_attended(self, request: HttpRequest, queryset: QuerySet[Invitation]) -> None:
        run_each(self, request, queryset, lambda i: services.invitation_mark_attended(invitation=i, actor=request.user))
