"""Admin of the organisation, and the scoped base every app's admin builds on."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.db.models import ForeignKey, QuerySet
from django.forms import ModelChoiceField
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportMixin
from simple_history.admin import SimpleHistoryAdmin

from .admin_filters import ScopedRelatedFilter
from .models import (
    CalendarDay,
    Committee,
    Congress,
    HandlingUnit,
    Heartbeat,
    Session,
    StaffProfile,
    SubjectCategory,
    Term,
)
from .pagination import EstimatedCountPaginator
from .privacy import PrivateHistoryAdmin
from .resources import HandlingUnitResource


class ScopedAdminMixin:
    """Limits the changelist, the object pages and every foreign-key choice to the user's scope,
    so an object outside it answers 404 in the admin exactly as elsewhere."""

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        queryset = super().get_queryset(request)  # type: ignore[misc]
        if hasattr(queryset, "visible_to"):
            queryset = queryset.visible_to(request.user)
        return queryset

    def formfield_for_foreignkey(self, db_field: ForeignKey, request: HttpRequest, **kwargs: Any) -> ModelChoiceField:
        related = db_field.remote_field.model._default_manager.all()
        if "queryset" not in kwargs and hasattr(related, "visible_to"):
            kwargs["queryset"] = related.visible_to(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)  # type: ignore[misc]


class ScopedHistoryMixin:
    """django-simple-history falls back to the historical rows when an object is missing from
    `get_queryset`, which would show another tenant's object; out of scope must look missing."""

    def _ensure_in_scope(self, request: HttpRequest, object_id: str) -> None:
        if not self.get_queryset(request).filter(pk=unquote(object_id)).exists():  # type: ignore[attr-defined]
            raise Http404

    def history_view(self, request: HttpRequest, object_id: str, extra_context: Any = None) -> HttpResponse:
        self._ensure_in_scope(request, object_id)
        return super().history_view(request, object_id, extra_context)  # type: ignore[misc]

    def history_form_view(
        self, request: HttpRequest, object_id: str, version_id: str, extra_context: Any = None
    ) -> HttpResponse:
        self._ensure_in_scope(request, object_id)
        return super().history_form_view(request, object_id, version_id, extra_context)  # type: ignore[misc]


class ScopedHistoryAdmin(ScopedAdminMixin, ScopedHistoryMixin, PrivateHistoryAdmin):
    """The base of our model admins: scoped, with change history."""

    list_per_page = 50
    show_full_result_count = False  # no COUNT(*) over the whole table on every changelist
    paginator = EstimatedCountPaginator  # exact up to 10,000 rows, the planner's estimate beyond


@admin.register(Congress)
class CongressAdmin(ScopedHistoryAdmin):
    list_display = ["name", "short_name", "level", "area_name", "area_code", "parent", "is_active"]
    list_filter = ["level", "is_active"]
    search_fields = ["name", "short_name", "area_name", "area_code"]
    autocomplete_fields = ["parent"]
    list_select_related = ["parent"]


@admin.register(Term)
class TermAdmin(ScopedHistoryAdmin):
    list_display = ["__str__", "congress", "number", "start_date", "end_date"]
    list_filter = [("congress", ScopedRelatedFilter)]
    search_fields = ["congress__name"]
    autocomplete_fields = ["congress"]
    list_select_related = ["congress"]


@admin.register(Session)
class SessionAdmin(ScopedHistoryAdmin):
    list_display = ["__str__", "congress", "start_date", "end_date", "is_in_session"]
    list_filter = [("congress", ScopedRelatedFilter)]
    search_fields = ["congress__name"]
    autocomplete_fields = ["congress", "term"]
    list_select_related = ["congress", "term"]


class SubjectCategoryInline(ScopedAdminMixin, admin.TabularInline):
    model = SubjectCategory
    fk_name = "counterpart_committee"
    extra = 0
    fields = ["name", "code", "sort_order", "is_active", "congress"]


@admin.register(Committee)
class CommitteeAdmin(ScopedHistoryAdmin):
    list_display = ["name", "short_name", "kind", "is_deputy_affairs_office", "congress", "is_active"]
    list_filter = ["kind", "is_active", ("congress", ScopedRelatedFilter)]
    search_fields = ["name", "short_name"]
    autocomplete_fields = ["congress"]
    list_select_related = ["congress"]
    inlines = [SubjectCategoryInline]


@admin.register(SubjectCategory)
class SubjectCategoryAdmin(ScopedHistoryAdmin):
    list_display = ["name", "code", "counterpart_committee", "congress", "sort_order", "is_active"]
    list_filter = ["is_active", ("counterpart_committee", ScopedRelatedFilter)]
    search_fields = ["name", "code"]
    autocomplete_fields = ["congress", "counterpart_committee"]
    list_select_related = ["counterpart_committee", "congress"]


@admin.register(HandlingUnit)
class HandlingUnitAdmin(ScopedAdminMixin, ScopedHistoryMixin, ImportExportMixin, PrivateHistoryAdmin):
    list_display = ["name", "short_name", "kind", "parent", "congress", "contact_name", "contact_phone", "is_active"]
    list_filter = ["kind", "is_active", ("congress", ScopedRelatedFilter)]
    search_fields = ["name", "short_name", "contact_name"]
    autocomplete_fields = ["congress", "parent"]
    list_select_related = ["parent", "congress"]
    list_per_page = 50
    show_full_result_count = False

    def get_import_resource_classes(self, request: HttpRequest) -> list[type]:
        return [HandlingUnitResource]

    def get_export_resource_classes(self, request: HttpRequest) -> list[type]:
        return [HandlingUnitResource]

    def get_resource_kwargs(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        return {"user": request.user}


@admin.register(CalendarDay)
class CalendarDayAdmin(SimpleHistoryAdmin):
    list_display = ["date", "kind", "name"]
    list_filter = ["kind"]
    search_fields = ["name", "date"]
    date_hierarchy = "date"


@admin.register(StaffProfile)
class StaffProfileAdmin(ScopedHistoryAdmin):
    list_display = ["user", "congress", "committee", "handling_unit", "is_head", "phone"]
    list_filter = [("congress", ScopedRelatedFilter), "is_head"]
    search_fields = ["user__username", "user__first_name", "user__last_name"]
    autocomplete_fields = ["user", "congress", "committee", "handling_unit"]
    list_select_related = ["user", "congress", "committee", "handling_unit"]


@admin.register(Heartbeat)
class HeartbeatAdmin(admin.ModelAdmin):
    list_display = ["name", "last_run_at", "run_count"]
    readonly_fields = ["name", "last_run_at", "run_count"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


admin.site.empty_value_display = _("(none)")
