"""Admin of legislation: rounds (with their proposals, read-only), proposals (include in or leave out
of the plan), drafts (provisions read-only; send for comments, close) and comments (read-only: they
are the deputies' words)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from congress.admin import ScopedAdminMixin, ScopedHistoryAdmin
from congress.admin_filters import ScopedRelatedFilter

from ..choices import DraftStatus
from ..models import DraftComment, DraftProvision, DraftRegulation, LegislativeProposal, LegislativeRound
from ..services import legislation as services
from .activities import run_each


class ReadOnlyInline(ScopedAdminMixin, admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ProposalInline(ReadOnlyInline):
    model = LegislativeProposal
    fields = ["title", "deputy", "status", "plan_note"]
    readonly_fields = fields

    def get_queryset(self, request: HttpRequest) -> QuerySet[LegislativeProposal]:
        return super().get_queryset(request).select_related("deputy")


@admin.register(LegislativeRound)
class LegislativeRoundAdmin(ScopedHistoryAdmin):
    list_display = ["title", "year", "deadline", "committee", "proposal_count", "status"]
    list_filter = ["status", "year", ("committee", ScopedRelatedFilter)]
    search_fields = ["title"]
    autocomplete_fields = ["congress", "committee"]
    list_select_related = ["committee"]
    readonly_fields = ["status"]
    inlines = [ProposalInline]
    actions = ["close_rounds"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[LegislativeRound]:
        return super().get_queryset(request).annotate(_proposal_count=Count("proposals"))

    @admin.display(description=_("proposals"), ordering="_proposal_count")
    def proposal_count(self, legislative_round: LegislativeRound) -> int:
        return legislative_round._proposal_count  # type: ignore[attr-defined]

    @admin.action(description=_("Close the selected rounds"))
    def close_rounds(self, request: HttpRequest, queryset: QuerySet[LegislativeRound]) -> None:
        run_each(self, request, queryset, lambda row: services.round_close(legislative_round=row, actor=request.user))


@admin.register(LegislativeProposal)
class LegislativeProposalAdmin(ScopedHistoryAdmin):
    list_display = ["title", "deputy", "round", "status", "plan_note", "created_at"]
    list_filter = ["status", "round__year", ("round", ScopedRelatedFilter)]
    search_fields = ["title", "deputy__name", "reason"]
    list_select_related = ["deputy", "round"]
    fields = ["round", "deputy", "title", "reason", "content", "status", "plan_note"]
    readonly_fields = ["round", "deputy", "title", "reason", "content", "status"]
    actions = ["include_in_plan", "leave_out_of_plan"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # deputies propose in the portal or through the API (the duty record follows)

    @admin.action(description=_("Include in the legislative plan"))
    def include_in_plan(self, request: HttpRequest, queryset: QuerySet[LegislativeProposal]) -> None:
        run_each(self, request, queryset, lambda row: services.proposal_include(proposal=row, actor=request.user))

    @admin.action(description=_("Leave out of the plan"))
    def leave_out_of_plan(self, request: HttpRequest, queryset: QuerySet[LegislativeProposal]) -> None:
        run_each(self, request, queryset, lambda row: services.proposal_exclude(proposal=row, actor=request.user))


class ProvisionInline(ReadOnlyInline):
    model = DraftProvision
    fields = ["position", "kind", "label", "text"]
    readonly_fields = fields
    show_change_link = False


@admin.register(DraftRegulation)
class DraftRegulationAdmin(ScopedHistoryAdmin):
    list_display = ["title", "committee", "comment_deadline", "comment_count", "status"]
    list_filter = ["status", ("committee", ScopedRelatedFilter)]
    search_fields = ["title"]
    autocomplete_fields = ["congress", "committee"]
    list_select_related = ["committee"]
    inlines = [ProvisionInline]
    actions = ["open_for_comments", "close_comments"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[DraftRegulation]:
        return super().get_queryset(request).annotate(_comment_count=Count("comments"))

    def get_readonly_fields(self, request: HttpRequest, obj: DraftRegulation | None = None) -> list[str]:
        if obj is not None and obj.status != DraftStatus.PREPARING:
            return ["status", "congress", "title", "text", "recipients"]
        return ["status", "recipients"]

    @admin.display(description=_("comments"), ordering="_comment_count")
    def comment_count(self, draft: DraftRegulation) -> int:
        return draft._comment_count  # type: ignore[attr-defined]

    def save_model(self, request: HttpRequest, obj: DraftRegulation, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        if obj.status == DraftStatus.PREPARING:
            services.draft_parse_provisions(draft=obj)

    @admin.action(description=_("Send to all serving deputies for comments"))
    def open_for_comments(self, request: HttpRequest, queryset: QuerySet[DraftRegulation]) -> None:
        run_each(self, request, queryset, lambda row: services.draft_open_for_comments(draft=row, actor=request.user))

    @admin.action(description=_("Close comments"))
    def close_comments(self, request: HttpRequest, queryset: QuerySet[DraftRegulation]) -> None:
        run_each(self, request, queryset, lambda row: services.draft_close(draft=row, actor=request.user))


@admin.register(DraftComment)
class DraftCommentAdmin(ScopedHistoryAdmin):
    list_display = ["short_content", "draft", "provision", "deputy", "created_at"]
    list_filter = [("draft", ScopedRelatedFilter)]
    search_fields = ["content", "deputy__name", "draft__title"]
    list_select_related = ["draft", "provision", "deputy"]
    fields = ["draft", "provision", "deputy", "content", "created_at"]
    readonly_fields = fields

    @admin.display(description=_("comment"))
    def short_content(self, comment: DraftComment) -> str:
        return comment.content[:60]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
