"""Admin of the stations (extended by the stations issue)."""

from django.contrib import admin

from congress.admin import ScopedAdminMixin, ScopedHistoryAdmin

from ..models import Station, StationStaff


class StationStaffInline(ScopedAdminMixin, admin.TabularInline):
    model = StationStaff
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Station)
class StationAdmin(ScopedHistoryAdmin):
    list_display = ["name", "managing_body", "address", "congress", "is_active"]
    list_filter = ["is_active", ("congress", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["name", "managing_body", "address"]
    autocomplete_fields = ["congress"]
    list_select_related = ["congress"]
    inlines = [StationStaffInline]


# The rest of the stations' admin, one module per area (imported for their registrations).
from . import issues, receptions, stations  # noqa: E402, F401
