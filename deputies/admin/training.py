"""Admin of trainings: plans with their planned courses (approve and include-in-schedule actions call
the services), learning materials with their completion counts, and completions (read-only)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import models
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from congress.admin import ScopedAdminMixin, ScopedHistoryAdmin
from congress.admin_filters import ScopedRelatedFilter
from congress.roles import Role
from congress.scoping import get_scope

from ..models import LearningMaterial, MaterialCompletion, PlannedCourse, TrainingPlan
from ..services import training as services
from .activities import run_each


class PlannedCourseInline(ScopedAdminMixin, admin.TabularInline):
    model = PlannedCourse
    extra = 0
    fields = ["month", "title", "kind", "organiser", "planned_deputies", "audience"]
    autocomplete_fields = ["organiser"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[PlannedCourse]:
        return super().get_queryset(request).select_related("organiser")

    def _editable(self, obj: TrainingPlan | None) -> bool:
        return obj is None or obj.status == "draft"

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._editable(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._editable(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._editable(obj) and super().has_delete_permission(request, obj)

    def get_formset(self, request: HttpRequest, obj: Any = None, **kwargs: Any) -> Any:
        formset = super().get_formset(request, obj, **kwargs)

        class PlanCongressFormset(formset):  # type: ignore[misc, valid-type]
            """A planned course belongs to its plan's congress."""

            def save_new(self, form: Any, commit: bool = True) -> Any:
                form.instance.congress_id = self.instance.congress_id
                return super().save_new(form, commit)

        return PlanCongressFormset


@admin.register(TrainingPlan)
class TrainingPlanAdmin(ScopedHistoryAdmin):
    list_display = ["title", "year", "congress", "status", "approved_on", "in_yearly_schedule", "course_count"]
    list_filter = ["status", "in_yearly_schedule", "year", ("congress", ScopedRelatedFilter)]
    search_fields = ["title"]
    autocomplete_fields = ["congress"]
    list_select_related = ["congress"]
    readonly_fields = ["status", "approved_on", "approved_by"]
    fields = ["congress", "year", "title", "notes", "status", "approved_on", "approved_by", "in_yearly_schedule"]
    inlines = [PlannedCourseInline]
    actions = ["approve", "include_in_schedule"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[TrainingPlan]:
        return super().get_queryset(request).annotate(_course_count=Count("planned_courses"))

    def get_readonly_fields(self, request: HttpRequest, obj: TrainingPlan | None = None) -> list[str]:
        readonly = list(super().get_readonly_fields(request, obj))
        # The schedule mark follows approval: the action sets it through the service.
        readonly.append("in_yearly_schedule")
        if obj is not None:
            readonly += ["congress", "year"]
        return readonly

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        actions = super().get_actions(request)
        scope = get_scope(request.user)
        if not (scope.is_global or Role.OFFICE in scope.roles):  # approval is the office's
            actions.pop("approve", None)
            actions.pop("include_in_schedule", None)
        return actions

    @admin.display(description=_("planned courses"), ordering="_course_count")
    def course_count(self, plan: TrainingPlan) -> int:
        return plan._course_count  # type: ignore[attr-defined]

    @admin.action(description=_("Approve the selected plans"))
    def approve(self, request: HttpRequest, queryset: QuerySet[TrainingPlan]) -> None:
        run_each(self, request, queryset, lambda plan: services.training_plan_approve(plan=plan, actor=request.user))

    @admin.action(description=_("Mark as included in the standing committee's yearly schedule"))
    def include_in_schedule(self, request: HttpRequest, queryset: QuerySet[TrainingPlan]) -> None:
        run_each(
            self,
            request,
            queryset,
            lambda plan: services.training_plan_include_in_schedule(plan=plan, actor=request.user),
        )


@admin.register(LearningMaterial)
class LearningMaterialAdmin(ScopedHistoryAdmin):
    list_display = ["title", "kind", "congress", "minutes", "is_required", "is_published", "completion_count"]
    list_filter = ["kind", "is_required", "is_published", ("congress", ScopedRelatedFilter)]
    search_fields = ["title", "description"]
    autocomplete_fields = ["congress", "course"]
    list_select_related = ["congress"]
    actions = ["publish", "unpublish"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}  # a link typed without a scheme

    def get_queryset(self, request: HttpRequest) -> QuerySet[LearningMaterial]:
        return super().get_queryset(request).annotate(_completion_count=Count("completions"))

    @admin.display(description=_("completed by"), ordering="_completion_count")
    def completion_count(self, material: LearningMaterial) -> int:
        return material._completion_count  # type: ignore[attr-defined]

    @admin.action(description=_("Publish in the learning area"))
    def publish(self, request: HttpRequest, queryset: QuerySet[LearningMaterial]) -> None:
        run_each(self, request, queryset, lambda m: services.material_publish(material=m, actor=request.user))

    @admin.action(description=_("Take down from the learning area"))
    def unpublish(self, request: HttpRequest, queryset: QuerySet[LearningMaterial]) -> None:
        run_each(
            self, request, queryset, lambda m: services.material_publish(material=m, actor=request.user, publish=False)
        )


@admin.register(MaterialCompletion)
class MaterialCompletionAdmin(ScopedAdminMixin, admin.ModelAdmin):
    """Written by deputies in the learning area; staff only read it."""

    list_display = ["deputy", "material", "completed_at", "congress"]
    list_filter = [("material", ScopedRelatedFilter)]
    search_fields = ["deputy__name", "material__title"]
    list_select_related = ["deputy", "material", "congress"]
    date_hierarchy = "completed_at"
    list_per_page = 50
    show_full_result_count = False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
