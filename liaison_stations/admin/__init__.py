"""Admin of the stations: the station with its staff, deputies and rules; the areas' admins are in
`stations.py` (checklist, documents, deputies, blocks and duty lists) and `receptions.py`."""

from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from congress.admin import ScopedAdminMixin, ScopedHistoryAdmin
from congress.admin_filters import ScopedRelatedFilter

from ..models import Station, StationDeputy, StationDocument, StationStaff
from ..services.stations import check_file, check_image


def checked_upload(form: forms.ModelForm, field: str, check: Any) -> Any:
    """A newly uploaded file checked for its type and size (the stored one is kept as it is)."""
    upload = form.cleaned_data.get(field)
    if upload and field in form.changed_data:
        try:
            check(upload, field)
        except ValidationError as error:
            raise forms.ValidationError(error.message_dict[field]) from error
    return upload


class StationAdminForm(forms.ModelForm):
    class Meta:
        model = Station
        fields = ["map_image"]  # the admin adds the fieldsets' fields

    def clean_map_image(self) -> Any:
        return checked_upload(self, "map_image", check_image)


class StationDocumentAdminForm(forms.ModelForm):
    class Meta:
        model = StationDocument
        fields = ["file"]  # the admin adds its fields

    def clean_file(self) -> Any:
        return checked_upload(self, "file", check_file)


class StationStaffInline(ScopedAdminMixin, admin.TabularInline):
    model = StationStaff
    extra = 0
    autocomplete_fields = ["user"]


class StationDeputyInline(ScopedAdminMixin, admin.TabularInline):
    model = StationDeputy
    extra = 0
    fields = ["deputy", "role", "since", "congress"]
    autocomplete_fields = ["deputy", "congress"]


class StationDocumentInline(ScopedAdminMixin, admin.StackedInline):
    model = StationDocument
    form = StationDocumentAdminForm
    extra = 0
    fields = ["title", "text", "file", "sort_order", "congress"]
    autocomplete_fields = ["congress"]


@admin.register(Station)
class StationAdmin(ScopedHistoryAdmin):
    form = StationAdminForm
    list_display = ["name", "managing_body", "address", "congress", "is_model_station", "is_active"]
    list_filter = ["is_active", "is_model_station", ("congress", ScopedRelatedFilter)]
    search_fields = ["name", "managing_body", "address"]
    autocomplete_fields = ["congress"]
    list_select_related = ["congress"]
    fieldsets = [
        (None, {"fields": ["congress", "name", "managing_body", "is_model_station", "is_active"]}),
        (_("Where and when"), {"fields": ["address", "opening_hours", "phone", "description"]}),
        (_("Public page and map"), {"fields": ["notice_days", "map_image"]}),
    ]
    inlines = [StationStaffInline, StationDeputyInline, StationDocumentInline]


# The rest of the stations' admin, one module per area (imported for their registrations).
from . import issues, receptions, stations  # noqa: E402, F401
