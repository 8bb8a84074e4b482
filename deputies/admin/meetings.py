"""Admin of standing-committee meetings: meetings with their agenda inline (a new meeting gets its
sitting activity through the service), and opinions with a hand-over action calling the service."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from congress.admin import ScopedAdminMixin, ScopedHistoryAdmin
from congress.models import HandlingUnit

from ..exceptions import WorkflowError
from ..models import AgendaTopic, Meeting, MeetingOpinion
from ..services import meetings as services


class AgendaTopicInline(ScopedAdminMixin, admin.TabularInline):
    model = AgendaTopic
    extra = 0
    fields = ["sort_order", "title", "committee", "keywords"]
    autocomplete_fields = ["committee"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[AgendaTopic]:
        return super().get_queryset(request).select_related("committee")


@admin.register(Meeting)
class MeetingAdmin(ScopedHistoryAdmin):
    list_display = ["title", "number", "term", "starts_on", "ends_on", "invitees_min", "invitees_max", "congress"]
    list_filter = ["term__number", "starts_on"]
    search_fields = ["title", "place"]
    date_hierarchy = "starts_on"
    autocomplete_fields = ["congress", "term"]
    list_select_related = ["term", "congress"]
    inlines = [AgendaTopicInline]

    def save_model(self, request: HttpRequest, obj: Meeting, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        if not change:
            # Invitations to sit in hang on the meeting's sitting activity.
            services.meeting_ensure_sitting(meeting=obj, actor=request.user)


class HandOverForm(forms.Form):
    handling_unit = forms.ModelChoiceField(label=_("handling unit"), queryset=HandlingUnit.objects.none())
    due_on = forms.DateField(
        label=_("answer due on"), required=False, help_text=_("Empty: 15 working days from today.")
    )


@admin.register(MeetingOpinion)
class MeetingOpinionAdmin(ScopedHistoryAdmin):
    list_display = ["short_content", "meeting", "deputy", "topic", "status", "handling_unit", "due_on", "answered_on"]
    list_filter = ["status", "due_on"]
    search_fields = ["content", "deputy__name", "meeting__title"]
    autocomplete_fields = ["meeting", "deputy", "handling_unit"]
    list_select_related = ["meeting", "deputy", "topic", "handling_unit"]
    readonly_fields = ["status", "handed_on", "answered_on", "answered_by"]
    actions = ["hand_over"]

    @admin.display(description=_("opinion"))
    def short_content(self, opinion: MeetingOpinion) -> str:
        return opinion.content[:40]

    @admin.action(description=_("Hand the chosen opinions to a unit"), permissions=["change"])
    def hand_over(self, request: HttpRequest, queryset: QuerySet[MeetingOpinion]) -> HttpResponse | None:
        congress_ids = set(queryset.values_list("congress_id", flat=True))
        if len(congress_ids) != 1:
            self.message_user(request, _("Choose opinions of one congress."), messages.ERROR)
            return None
        form = HandOverForm(request.POST if "apply" in request.POST else None)
        form.fields["handling_unit"].queryset = HandlingUnit.objects.filter(
            congress_id__in=congress_ids, is_active=True
        )
        if "apply" in request.POST and form.is_valid():
            done = 0
            for opinion in queryset:
                try:
                    services.opinion_hand_over(
                        actor=request.user,
                        opinion=opinion,
                        handling_unit=form.cleaned_data["handling_unit"],
                        due_on=form.cleaned_data["due_on"],
                    )
                    done += 1
                except (WorkflowError, ValidationError, PermissionDenied) as error:
                    message = getattr(error, "message", None) or "; ".join(getattr(error, "messages", [str(error)]))
                    self.message_user(request, f"{opinion}: {message}", messages.WARNING)
            self.message_user(
                request,
                ngettext("%(count)d opinion handed over.", "%(count)d opinions handed over.", done) % {"count": done},
                messages.SUCCESS,
            )
            return None
        return render(
            request,
            "deputies/meetings/admin_hand_over.html",
            {**self.admin_site.each_context(request), "form": form, "opinions": queryset, "opts": self.model._meta},
        )
