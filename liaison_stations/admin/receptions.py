"""Admin of reception days (with the "confirm" action that writes the duty record), visits (their
confidential words hidden from those who only browse) and forums."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from congress.admin import ScopedHistoryAdmin
from congress.admin_filters import ScopedRelatedFilter
from congress.privacy import PrivateHistoryAdmin, mask_phone, mask_phones_in_text
from congress.roles import Role
from congress.scoping import get_scope

from ..exceptions import WorkflowError
from ..models import Forum, ReceptionDay, Visit
from ..services import receptions as services


@admin.register(ReceptionDay)
class ReceptionDayAdmin(ScopedHistoryAdmin):
    list_display = ["date", "starts_at", "ends_at", "station", "topic", "on_duty", "visit_count"]
    list_filter = ["date", ("station", ScopedRelatedFilter)]
    search_fields = ["topic", "station__name", "deputies__name"]
    autocomplete_fields = ["congress", "station", "deputies"]
    list_select_related = ["station"]
    date_hierarchy = "date"
    actions = ["confirm"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[ReceptionDay]:
        return (
            super()
            .get_queryset(request)
            .annotate(_on_duty=Count("deputies", distinct=True), _visits=Count("visits", distinct=True))
        )

    @admin.display(description=_("deputies on duty"), ordering="_on_duty")
    def on_duty(self, reception: ReceptionDay) -> int:
        return reception._on_duty  # type: ignore[attr-defined]

    @admin.display(description=_("visits"), ordering="_visits")
    def visit_count(self, reception: ReceptionDay) -> int:
        return reception._visits  # type: ignore[attr-defined]

    @admin.action(description=_("Confirm the selected days were held (duty record)"), permissions=["change"])
    def confirm(self, request: HttpRequest, queryset: QuerySet[ReceptionDay]) -> None:
        done = 0
        for reception in queryset.select_related("station"):
            try:
                services.reception_confirm(reception=reception, actor=request.user)
            except (WorkflowError, ValidationError) as error:
                text = getattr(error, "message", None) or "; ".join(error.messages)
                self.message_user(request, f"{reception}: {text}", messages.WARNING)
            else:
                done += 1
        if done:
            self.message_user(
                request,
                ngettext("%(count)d day confirmed.", "%(count)d days confirmed.", done) % {"count": done},
                messages.SUCCESS,
            )


def _reads_every_visit(request: HttpRequest) -> bool:
    """Office staff (of the congress whose visits they see) and administrators read confidential words
    and visitors' phones; leaders and committee staff browsing the admin do not (docs/PRIVACY.md)."""
    scope = get_scope(request.user)
    return scope.is_global or Role.OFFICE in scope.roles


SECRET_FIELDS = ("words", "disposition_note", "visitor_phone")


@admin.register(Visit)
class VisitAdmin(ScopedHistoryAdmin, PrivateHistoryAdmin):
    list_display = ["visited_on", "station", "visitor_name", "deputy", "disposition", "confidentiality"]
    list_filter = ["disposition", "confidentiality", "visited_on", ("station", ScopedRelatedFilter)]
    autocomplete_fields = ["congress", "station", "reception_day", "deputy", "category"]
    list_select_related = ["station", "deputy"]
    readonly_fields = ["recorded_by"]
    date_hierarchy = "visited_on"
    private_phone_fields = ("visitor_phone",)

    def get_search_fields(self, request: HttpRequest) -> list[str]:
        # Searching words would let a browsing leader probe confidential ones.
        return ["visitor_name", "words"] if _reads_every_visit(request) else ["visitor_name"]

    def get_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        fields = list(super().get_fields(request, obj))
        if _reads_every_visit(request):
            return fields
        return [f"shown_{name}" if name in SECRET_FIELDS else name for name in fields if not name.startswith("shown_")]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        fields = list(super().get_readonly_fields(request, obj))
        if not _reads_every_visit(request):
            fields += [f"shown_{name}" for name in SECRET_FIELDS]
        return fields

    def _shown(self, visit: Visit, value: str) -> str:
        return value if visit.confidentiality != "confidential" else str(_("(confidential)"))

    @admin.display(description=_("what the visitor said"))
    def shown_words(self, visit: Visit) -> str:
        return mask_phones_in_text(self._shown(visit, visit.words))

    @admin.display(description=_("answer given or reason"))
    def shown_disposition_note(self, visit: Visit) -> str:
        return self._shown(visit, visit.disposition_note)

    @admin.display(description=_("visitor's phone"))
    def shown_visitor_phone(self, visit: Visit) -> str:
        # Only those handling the visit see the number, confidential or not (here: office staff).
        return mask_phone(visit.visitor_phone)

    def history_shows_phones(self, request: HttpRequest, obj: Any) -> bool:
        return _reads_every_visit(request)

    def history_maskers(self, request: HttpRequest, obj: Any) -> dict[str, Any]:
        maskers = super().history_maskers(request, obj)
        if maskers and obj.confidentiality == "confidential":
            hidden = str(_("(confidential)"))
            maskers.update({"words": lambda value: hidden, "disposition_note": lambda value: hidden})
        elif maskers:
            maskers["words"] = mask_phones_in_text
        return maskers

    def save_model(self, request: HttpRequest, obj: Visit, form: Any, change: bool) -> None:
        if not change:
            obj.recorded_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(Forum)
class ForumAdmin(ScopedHistoryAdmin):
    list_display = ["held_on", "topic", "station", "block", "present", "residents", "issue_count"]
    list_filter = ["held_on", ("station", ScopedRelatedFilter)]
    search_fields = ["topic", "place", "summary", "station__name"]
    autocomplete_fields = ["congress", "station", "block", "deputies"]
    list_select_related = ["station", "block", "block__station"]
    date_hierarchy = "held_on"

    def get_queryset(self, request: HttpRequest) -> QuerySet[Forum]:
        return (
            super()
            .get_queryset(request)
            .annotate(_present=Count("deputies", distinct=True), _issues=Count("issues", distinct=True))
        )

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        services.forum_credit_deputies(form.instance, timezone.localdate())

    @admin.display(description=_("deputies present"), ordering="_present")
    def present(self, forum: Forum) -> int:
        return forum._present  # type: ignore[attr-defined]

    @admin.display(description=_("issues"), ordering="_issues")
    def issue_count(self, forum: Forum) -> int:
        return forum._issues  # type: ignore[attr-defined]
