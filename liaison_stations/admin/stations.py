"""Admin of the stations' areas: checklist items (the office's standard, e.g. 七有), yearly checklist
statuses with their evidence, rules, station deputies, blocks with their duty lists, and block tasks.
Uploads are checked for type and size and block outlines validated as on the desk."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from congress.admin import ScopedAdminMixin, ScopedHistoryAdmin
from congress.admin_filters import ScopedRelatedFilter

from ..choices import TaskStatus
from ..models import (
    Block,
    BlockTask,
    ChecklistEvidence,
    ChecklistItem,
    ChecklistStatus,
    StationDeputy,
    StationDocument,
)
from ..services.stations import check_file, geometry_clean
from . import StationDocumentAdminForm, checked_upload


@admin.register(ChecklistItem)
class ChecklistItemAdmin(ScopedHistoryAdmin):
    list_display = ["name", "code", "congress", "sort_order", "is_active"]
    list_filter = ["is_active", ("congress", ScopedRelatedFilter)]
    search_fields = ["name", "code", "description"]
    autocomplete_fields = ["congress"]
    list_select_related = ["congress"]


class EvidenceForm(forms.ModelForm):
    class Meta:
        model = ChecklistEvidence
        fields = ["file"]  # the inline adds its fields

    def clean_file(self) -> Any:
        return checked_upload(self, "file", check_file)


class ChecklistEvidenceInline(ScopedAdminMixin, admin.TabularInline):
    model = ChecklistEvidence
    form = EvidenceForm
    extra = 0
    fields = ["file", "caption", "congress"]
    autocomplete_fields = ["congress"]


@admin.register(ChecklistStatus)
class ChecklistStatusAdmin(ScopedHistoryAdmin):
    list_display = ["station", "item", "year", "state", "checked_on", "evidence_count"]
    list_filter = ["year", "state", ("station", ScopedRelatedFilter)]
    search_fields = ["station__name", "item__name", "note"]
    autocomplete_fields = ["congress", "station", "item"]
    list_select_related = ["station", "item"]
    inlines = [ChecklistEvidenceInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[ChecklistStatus]:
        return super().get_queryset(request).annotate(_evidence=Count("evidence"))

    @admin.display(description=_("evidence"), ordering="_evidence")
    def evidence_count(self, status: ChecklistStatus) -> int:
        return status._evidence  # type: ignore[attr-defined]


@admin.register(StationDocument)
class StationDocumentAdmin(ScopedHistoryAdmin):
    form = StationDocumentAdminForm
    list_display = ["title", "station", "sort_order"]
    list_filter = [("station", ScopedRelatedFilter)]
    search_fields = ["title", "text", "station__name"]
    autocomplete_fields = ["congress", "station"]
    list_select_related = ["station"]


@admin.register(StationDeputy)
class StationDeputyAdmin(ScopedHistoryAdmin):
    list_display = ["deputy", "station", "role", "since"]
    list_filter = ["role", ("station", ScopedRelatedFilter)]
    search_fields = ["deputy__name", "station__name"]
    autocomplete_fields = ["congress", "station", "deputy"]
    list_select_related = ["station", "deputy"]


class BlockForm(forms.ModelForm):
    class Meta:
        model = Block
        fields = ["geometry"]  # the admin adds the fieldsets' fields

    def clean_geometry(self) -> Any:
        try:
            return geometry_clean(self.cleaned_data.get("geometry"))
        except ValidationError as error:
            raise forms.ValidationError(error.message_dict["geometry"]) from error


class BlockTaskInline(ScopedAdminMixin, admin.TabularInline):
    model = BlockTask
    extra = 0
    fields = ["title", "deputy", "due_on", "status", "done_on", "congress"]
    autocomplete_fields = ["deputy", "congress"]


@admin.register(Block)
class BlockAdmin(ScopedHistoryAdmin):
    form = BlockForm
    list_display = ["number", "name", "station", "supervising_deputy", "wechat_group", "open_tasks"]
    list_display_links = ["number", "name"]
    list_filter = [("station", ScopedRelatedFilter)]
    search_fields = ["name", "area", "wechat_group", "station__name", "supervising_deputy__name"]
    autocomplete_fields = ["congress", "station", "supervising_deputy"]
    list_select_related = ["station", "supervising_deputy"]
    inlines = [BlockTaskInline]
    fieldsets = [
        (None, {"fields": ["congress", "station", "number", "name", "area", "wechat_group"]}),
        (
            _("1+1+1 team"),
            {
                "fields": [
                    "instructor_name",
                    "instructor_phone",
                    "liaison_name",
                    "liaison_phone",
                    "supervising_deputy",
                ]
            },
        ),
        (_("Map"), {"fields": ["geometry"]}),
    ]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Block]:
        return super().get_queryset(request).annotate(_open=Count("tasks", filter=~Q(tasks__status=TaskStatus.DONE)))

    @admin.display(description=_("open tasks"), ordering="_open")
    def open_tasks(self, block: Block) -> int:
        return block._open  # type: ignore[attr-defined]


@admin.register(BlockTask)
class BlockTaskAdmin(ScopedHistoryAdmin):
    list_display = ["title", "block", "deputy", "due_on", "status", "done_on"]
    list_filter = ["status", "due_on", ("block__station", ScopedRelatedFilter)]
    search_fields = ["title", "description", "block__name"]
    autocomplete_fields = ["congress", "block", "deputy"]
    list_select_related = ["block", "block__station", "deputy"]
