"""Admin of the evaluation projects: projects (with their groups), groups (3–5 members, target units)
and scores (read-only: they are the deputies' own). Campaigns are registered by their own module."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from congress.admin import ScopedAdminMixin, ScopedHistoryAdmin
from congress.admin_filters import ScopedRelatedFilter

from ..models import EvaluationGroup, EvaluationProject, EvaluationScore
from ..models.supervision import EVALUATION_GROUP_MAX, EVALUATION_GROUP_MIN


class EvaluationGroupForm(forms.ModelForm):
    """The 3–5 rule holds in the admin too."""

    class Meta:
        model = EvaluationGroup
        fields = ["project", "name", "members", "units"]

    def clean_members(self) -> Any:
        members = self.cleaned_data["members"]
        if not EVALUATION_GROUP_MIN <= len(members) <= EVALUATION_GROUP_MAX:
            raise forms.ValidationError(
                _("An evaluation group has %(min)d to %(max)d deputies; %(count)d were chosen.")
                % {"min": EVALUATION_GROUP_MIN, "max": EVALUATION_GROUP_MAX, "count": len(members)}
            )
        return members


class EvaluationGroupInline(ScopedAdminMixin, admin.StackedInline):
    model = EvaluationGroup
    form = EvaluationGroupForm
    extra = 0
    fields = ["name", "members", "units"]
    autocomplete_fields = ["members", "units"]
    show_change_link = True


@admin.register(EvaluationProject)
class EvaluationProjectAdmin(ScopedHistoryAdmin):
    list_display = ["title", "year", "kind", "committee", "scoring_closes_on", "group_count"]
    list_filter = ["year", "kind", ("committee", ScopedRelatedFilter)]
    search_fields = ["title"]
    autocomplete_fields = ["congress", "committee"]
    list_select_related = ["committee"]
    inlines = [EvaluationGroupInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[EvaluationProject]:
        return super().get_queryset(request).annotate(_group_count=Count("groups"))

    @admin.display(description=_("groups"), ordering="_group_count")
    def group_count(self, project: EvaluationProject) -> int:
        return project._group_count  # type: ignore[attr-defined]

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        for inline_form in formset.forms:  # a group belongs to its project's congress
            inline_form.instance.congress_id = form.instance.congress_id
        super().save_formset(request, form, formset, change)


@admin.register(EvaluationGroup)
class EvaluationGroupAdmin(ScopedAdminMixin, admin.ModelAdmin):
    form = EvaluationGroupForm
    list_display = ["name", "project", "member_count", "unit_count"]
    list_filter = [("project", ScopedRelatedFilter)]
    search_fields = ["name", "project__title", "members__name"]
    autocomplete_fields = ["project", "members", "units"]
    list_select_related = ["project"]
    list_per_page = 50
    show_full_result_count = False

    def get_queryset(self, request: HttpRequest) -> QuerySet[EvaluationGroup]:
        return (
            super()
            .get_queryset(request)
            .annotate(_member_count=Count("members", distinct=True), _unit_count=Count("units", distinct=True))
        )

    @admin.display(description=_("members"), ordering="_member_count")
    def member_count(self, group: EvaluationGroup) -> int:
        return group._member_count  # type: ignore[attr-defined]

    @admin.display(description=_("target units"), ordering="_unit_count")
    def unit_count(self, group: EvaluationGroup) -> int:
        return group._unit_count  # type: ignore[attr-defined]

    def save_model(self, request: HttpRequest, obj: EvaluationGroup, form: Any, change: bool) -> None:
        obj.congress_id = obj.project.congress_id
        super().save_model(request, obj, form, change)


@admin.register(EvaluationScore)
class EvaluationScoreAdmin(ScopedHistoryAdmin):
    list_display = ["unit", "deputy", "score", "group", "updated_at"]
    list_filter = [("group__project", ScopedRelatedFilter), ("unit", ScopedRelatedFilter)]
    search_fields = ["unit__name", "deputy__name", "comment"]
    list_select_related = ["unit", "deputy", "group__project"]
    fields = ["group", "unit", "deputy", "score", "comment", "updated_at"]
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # deputies score in the portal or through the API (the duty record follows)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
