"""Admin of the registry: deputies (with Excel import/export of their mandates), mandates, delegations."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from import_export.admin import ImportExportMixin

from congress.admin import ScopedAdminMixin, ScopedHistoryAdmin, ScopedHistoryMixin
from congress.admin_filters import ScopedRelatedFilter
from congress.privacy import PrivateHistoryAdmin, log_personal_export, sees_deputies_phones

from ..choices import ActivityStatus
from ..duty import duty_verify
from ..models import ActivityRecord, ActivityType, Delegation, Deputy, DutyRules, DutySnapshot, Mandate
from ..resources import DeputyExportResource, DeputyExportWithPhonesResource, DeputyImportResource
from ..services import deputy_create_account


class MandateInline(ScopedAdminMixin, admin.TabularInline):
    """Only the mandates in the user's scope: a person's seats in other congresses stay out of reach."""

    model = Mandate
    extra = 0
    fields = ["congress", "term", "delegation", "constituency", "start_date", "end_date", "status"]
    autocomplete_fields = ["congress", "term", "delegation"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Mandate]:
        return super().get_queryset(request).select_related("congress", "term", "delegation")


@admin.register(Deputy)
class DeputyAdmin(ScopedAdminMixin, ScopedHistoryMixin, ImportExportMixin, PrivateHistoryAdmin):
    list_display = ["name", "gender", "category", "party", "work_unit", "job_title", "mandate_count", "status"]
    list_filter = ["status", "category", "gender", "party", "mandates__congress__level"]
    search_fields = ["name", "work_unit", "phone"]
    readonly_fields = ["public_code"]
    autocomplete_fields = ["user"]
    inlines = [MandateInline]
    actions = ["create_accounts"]
    list_per_page = 50
    show_full_result_count = False
    private_phone_fields = ("phone",)
    fieldsets = [
        (None, {"fields": ["name", "gender", "ethnicity", "birth_date", "party", "education", "photo"]}),
        (_("Work"), {"fields": ["work_unit", "job_title", "category", "status"]}),
        (_("Contact and account"), {"fields": ["phone", "user", "public_code"]}),
    ]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Deputy]:
        return super().get_queryset(request).annotate(_mandate_count=Count("mandates"))

    @admin.display(description=_("mobile phone"))
    def masked_phone(self, deputy: Deputy) -> str:
        return deputy.masked_phone

    @staticmethod
    def _sees_phone(request: HttpRequest) -> bool:
        """Mobile numbers are private: only those who manage deputies (office staff) see them here
        (docs/PRIVACY.md); the deputy themself sees theirs in the portal."""
        return sees_deputies_phones(request.user)

    def get_readonly_fields(self, request: HttpRequest, obj: Deputy | None = None) -> list[str]:
        # Only those who manage users pick an account here; office staff use the "create accounts" action.
        readonly = list(super().get_readonly_fields(request, obj))
        if not request.user.has_perm("auth.view_user"):
            readonly.append("user")
        if not self._sees_phone(request):
            readonly.append("masked_phone")
        return readonly

    def get_fieldsets(self, request: HttpRequest, obj: Deputy | None = None) -> list[Any]:
        fieldsets = super().get_fieldsets(request, obj)
        if self._sees_phone(request):
            return fieldsets
        return [
            (title, {**options, "fields": ["masked_phone" if f == "phone" else f for f in options["fields"]]})
            for title, options in fieldsets
        ]

    def get_search_fields(self, request: HttpRequest) -> list[str]:
        fields = list(super().get_search_fields(request))
        return fields if self._sees_phone(request) else [f for f in fields if f != "phone"]

    @admin.display(description=_("mandates"), ordering="_mandate_count")
    def mandate_count(self, deputy: Deputy) -> int:
        return deputy._mandate_count  # type: ignore[attr-defined]

    def get_import_resource_classes(self, request: HttpRequest) -> list[type]:
        return [DeputyImportResource]

    def get_export_resource_classes(self, request: HttpRequest) -> list[type]:
        # The default (first) export has no phone numbers; office staff may choose the one with them.
        if self._sees_phone(request):
            return [DeputyExportResource, DeputyExportWithPhonesResource]
        return [DeputyExportResource]

    def get_import_resource_kwargs(self, request: HttpRequest, **kwargs: Any) -> dict[str, Any]:
        return {"user": request.user}

    def get_export_resource_kwargs(self, request: HttpRequest, **kwargs: Any) -> dict[str, Any]:
        return {}

    def get_data_for_export(self, request: HttpRequest, queryset: QuerySet[Deputy], **kwargs: Any) -> Any:
        # One row per mandate, limited to the mandates the user may see.
        mandates = DeputyExportResource.mandates_of(queryset).filter(pk__in=Mandate.objects.visible_to(request.user))
        data = super().get_data_for_export(request, mandates, **kwargs)
        resource = self.choose_export_resource_class(kwargs.get("export_form"), request)
        if resource is DeputyExportWithPhonesResource:
            log_personal_export(user=request.user, what="deputies (mandates)", rows=len(data), fields=data.headers)
        return data

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
        ("congress", ScopedRelatedFilter),
        ("delegation", ScopedRelatedFilter),
    ]
    search_fields = ["deputy__name", "constituency", "delegation__name"]
    autocomplete_fields = ["deputy", "congress", "term", "delegation"]
    list_select_related = ["deputy", "congress", "term", "delegation"]


@admin.register(Delegation)
class DelegationAdmin(ScopedHistoryAdmin):
    list_display = ["name", "congress", "term"]
    list_filter = [("congress", ScopedRelatedFilter)]
    search_fields = ["name"]
    autocomplete_fields = ["congress", "term"]
    list_select_related = ["congress", "term"]


@admin.register(ActivityType)
class ActivityTypeAdmin(ScopedHistoryAdmin):
    list_display = ["name", "code", "points", "yearly_cap", "declarable", "congress"]
    list_filter = ["declarable", ("congress", ScopedRelatedFilter)]
    search_fields = ["name", "code"]
    autocomplete_fields = ["congress"]
    list_select_related = ["congress"]


@admin.register(ActivityRecord)
class ActivityRecordAdmin(ScopedHistoryAdmin):
    list_display = ["deputy", "activity_type", "date", "points", "status", "source_key"]
    list_filter = ["status", ("activity_type", ScopedRelatedFilter)]
    search_fields = ["deputy__name", "description"]
    autocomplete_fields = ["deputy", "congress"]
    list_select_related = ["deputy", "activity_type"]
    readonly_fields = ["source_key", "verified_by", "verified_at"]
    actions = ["verify", "reject"]

    def _decide(self, request: HttpRequest, queryset: QuerySet[ActivityRecord], approve: bool) -> None:
        done = 0
        for record in queryset.filter(status=ActivityStatus.DECLARED):
            duty_verify(record=record, actor=request.user, approve=approve)
            done += 1
        self.message_user(
            request, ngettext("%(count)d activity decided.", "%(count)d activities decided.", done) % {"count": done}
        )

    @admin.action(description=_("Verify the declared activities"))
    def verify(self, request: HttpRequest, queryset: QuerySet[ActivityRecord]) -> None:
        self._decide(request, queryset, approve=True)

    @admin.action(description=_("Reject the declared activities"))
    def reject(self, request: HttpRequest, queryset: QuerySet[ActivityRecord]) -> None:
        self._decide(request, queryset, approve=False)


@admin.register(DutySnapshot)
class DutySnapshotAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["deputy", "year", "quarter", "points", "rank", "congress"]
    list_filter = ["year", "quarter", ("congress", ScopedRelatedFilter)]
    search_fields = ["deputy__name"]
    list_select_related = ["deputy", "congress"]
    readonly_fields = ["deputy", "year", "quarter", "points", "rank", "congress"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(DutyRules)
class DutyRulesAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["congress", "yearly_base"]
    list_select_related = ["congress"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[DutyRules]:
        from congress.models import Congress

        return super().get_queryset(request).filter(congress__in=Congress.objects.visible_to(request.user))


# The admin of committee-driven work, one module per area (imported for their registrations).
from . import activities, campaigns, groups, legislation, meetings, supervision, training  # noqa: E402, F401
