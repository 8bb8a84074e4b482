"""Admin of the registry: deputies (with Excel import/export of their mandates), mandates, delegations."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from import_export.admin import ImportExportMixin
from simple_history.admin import SimpleHistoryAdmin

from congress.admin import ScopedAdminMixin, ScopedHistoryAdmin

from .models import Delegation, Deputy, Mandate
from .resources import DeputyExportResource, DeputyImportResource
from .services import deputy_create_account


class MandateInline(admin.TabularInline):
    model = Mandate
    extra = 0
    fields = ["congress", "term", "delegation", "constituency", "start_date", "end_date", "status"]
    autocomplete_fields = ["congress", "term", "delegation"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Mandate]:
        return super().get_queryset(request).select_related("congress", "term", "delegation")


@admin.register(Deputy)
class DeputyAdmin(ScopedAdminMixin, ImportExportMixin, SimpleHistoryAdmin):
    list_display = ["name", "gender", "category", "party", "work_unit", "job_title", "mandate_count", "status"]
    list_filter = ["status", "category", "gender", "party", "mandates__congress__level"]
    search_fields = ["name", "work_unit", "phone"]
    readonly_fields = ["public_code"]
    autocomplete_fields = ["user"]
    inlines = [MandateInline]
    actions = ["create_accounts"]
    list_per_page = 50
    show_full_result_count = False
    fieldsets = [
        (None, {"fields": ["name", "gender", "ethnicity", "birth_date", "party", "education", "photo"]}),
        (_("Work"), {"fields": ["work_unit", "job_title", "category", "status"]}),
        (_("Contact and account"), {"fields": ["phone", "user", "public_code"]}),
    ]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Deputy]:
        return super().get_queryset(request).annotate(_mandate_count=Count("mandates"))

    def get_readonly_fields(self, request: HttpRequest, obj: Deputy | None = None) -> list[str]:
        # Only those who manage users pick an account here; office staff use the "create accounts" action.
        readonly = list(super().get_readonly_fields(request, obj))
        if not request.user.has_perm("auth.view_user"):
            readonly.append("user")
        return readonly

    @admin.display(description=_("mandates"), ordering="_mandate_count")
    def mandate_count(self, deputy: Deputy) -> int:
        return deputy._mandate_count  # type: ignore[attr-defined]

    def get_import_resource_classes(self, request: HttpRequest) -> list[type]:
        return [DeputyImportResource]

    def get_export_resource_classes(self, request: HttpRequest) -> list[type]:
        return [DeputyExportResource]

    def get_import_resource_kwargs(self, request: HttpRequest, **kwargs: Any) -> dict[str, Any]:
        return {"user": request.user}

    def get_export_resource_kwargs(self, request: HttpRequest, **kwargs: Any) -> dict[str, Any]:
        return {}

    def get_data_for_export(self, request: HttpRequest, queryset: QuerySet[Deputy], **kwargs: Any) -> Any:
        # One row per mandate, limited to the mandates the user may see.
        mandates = DeputyExportResource.mandates_of(queryset).filter(pk__in=Mandate.objects.visible_to(request.user))
        return super().get_data_for_export(request, mandates, **kwargs)

    @admin.action(description=_("Create login accounts (username = mobile number)"))
    def create_accounts(self, request: HttpRequest, queryset: QuerySet[Deputy]) -> None:
        created = 0
        for deputy in queryset.filter(user__isnull=True):
            if deputy_create_account(deputy=deputy) is not None:
                created += 1
        self.message_user(
            request,
            ngettext("%(count)d account created.", "%(count)d accounts created.", created) % {"count": created},
            messages.SUCCESS,
        )


@admin.register(Mandate)
class MandateAdmin(ScopedHistoryAdmin):
    list_display = ["deputy", "congress", "term", "delegation", "constituency", "start_date", "status"]
    list_filter = [
        "status",
        ("congress", admin.RelatedOnlyFieldListFilter),
        ("delegation", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = ["deputy__name", "constituency", "delegation__name"]
    autocomplete_fields = ["deputy", "congress", "term", "delegation"]
    list_select_related = ["deputy", "congress", "term", "delegation"]


@admin.register(Delegation)
class DelegationAdmin(ScopedHistoryAdmin):
    list_display = ["name", "congress", "term"]
    list_filter = [("congress", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["name"]
    autocomplete_fields = ["congress", "term"]
    list_select_related = ["congress", "term"]
