"""Admin of professional groups: groups with their members inline, outputs (mark adopted through the
service), special supervisors."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from congress.admin import ScopedAdminMixin, ScopedHistoryAdmin
from congress.admin_filters import ScopedRelatedFilter

from ..exceptions import WorkflowError
from ..models import GroupMembership, GroupOutput, ProfessionalGroup, SpecialSupervisor
from ..services.groups import output_mark_adopted


class GroupMembershipInline(ScopedAdminMixin, admin.TabularInline):
    model = GroupMembership
    extra = 0
    fields = ["deputy", "role", "joined_on"]
    autocomplete_fields = ["deputy"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[GroupMembership]:
        return super().get_queryset(request).select_related("deputy")


@admin.register(ProfessionalGroup)
class ProfessionalGroupAdmin(ScopedHistoryAdmin):
    list_display = ["name", "field", "counterpart_committee", "member_count", "is_active", "congress"]
    list_filter = ["is_active", ("counterpart_committee", ScopedRelatedFilter)]
    search_fields = ["name", "field", "keywords"]
    autocomplete_fields = ["congress", "counterpart_committee"]
    list_select_related = ["counterpart_committee", "congress"]
    inlines = [GroupMembershipInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[ProfessionalGroup]:
        return super().get_queryset(request).annotate(_member_count=Count("memberships"))

    @admin.display(description=_("members"), ordering="_member_count")
    def member_count(self, group: ProfessionalGroup) -> int:
        return group._member_count  # type: ignore[attr-defined]


@admin.register(GroupOutput)
class GroupOutputAdmin(ScopedHistoryAdmin):
    list_display = ["title", "group", "kind", "submitted_on", "adopted", "adopted_on", "adopted_where"]
    list_filter = ["kind", "adopted", ("group", ScopedRelatedFilter)]
    search_fields = ["title", "content", "adopted_where"]
    autocomplete_fields = ["congress", "group", "activity", "authors"]
    list_select_related = ["group"]
    date_hierarchy = "submitted_on"
    readonly_fields = ["created_by"]
    actions = ["mark_adopted"]

    @admin.action(description=_("Mark adopted by the standing committee (today, where: the standing committee)"))
    def mark_adopted(self, request: HttpRequest, queryset: QuerySet[GroupOutput]) -> None:
        done = 0
        for output in queryset.filter(adopted=False):
            try:
                output_mark_adopted(
                    output=output,
                    actor=request.user,
                    adopted_on=max(timezone.localdate(), output.submitted_on),
                    where=str(_("The standing committee")),
                )
            except WorkflowError as error:
                self.message_user(request, error.message, messages.WARNING)
            else:
                done += 1
        self.message_user(
            request,
            ngettext("%(count)d output marked adopted.", "%(count)d outputs marked adopted.", done) % {"count": done},
            messages.SUCCESS,
        )


@admin.register(SpecialSupervisor)
class SpecialSupervisorAdmin(ScopedHistoryAdmin):
    list_display = ["deputy", "unit", "term", "appointed_on", "ends_on"]
    list_filter = [("unit", ScopedRelatedFilter), ("term", ScopedRelatedFilter)]
    search_fields = ["deputy__name", "unit__name"]
    autocomplete_fields = ["congress", "deputy", "unit", "term"]
    list_select_related = ["deputy", "unit", "term"]
