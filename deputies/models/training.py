"""The yearly training plan with its planned courses, and the learning area (materials and completion).
Courses themselves are activities of kind `training_course`."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, FSMModelMixin, transition
from simple_history.models import HistoricalRecords

from congress.models import TenantModel
from congress.uploads import RandomName, UploadValidator

from ..choices import MaterialKind, PlanStatus, TrainingKind
from ..querysets import CommitteeWorkQuerySet, DeputyOwnedQuerySet
from .registry import Deputy


class TrainingPlan(FSMModelMixin, TenantModel):
    """A year's training plan, drafted by the deputy-affairs office with the committees and approved
    into the standing committee's yearly schedule."""

    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=200)
    notes = models.TextField(_("notes"), blank=True)
    status = FSMField(_("status"), default=PlanStatus.DRAFT, choices=PlanStatus.choices, protected=True)
    approved_on = models.DateField(_("approved on"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    in_yearly_schedule = models.BooleanField(_("in the standing committee's yearly schedule"), default=False)

    objects = CommitteeWorkQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("training plan")
        verbose_name_plural = _("training plans")
        ordering = ["congress_id", "-year"]
        constraints = [models.UniqueConstraint(fields=["congress", "year"], name="training_plan_one_per_year")]

    def __str__(self) -> str:
        return self.title

    @transition(field=status, source=PlanStatus.DRAFT, target=PlanStatus.APPROVED)
    def approve(self) -> None:
        """Approved by the standing committee's council of chairpersons; courses may now be opened."""


class PlannedCourse(TenantModel):
    """A course in the plan: what, which kind, which committee organises it, when, for how many."""

    plan = models.ForeignKey(
        TrainingPlan, on_delete=models.CASCADE, related_name="planned_courses", verbose_name=_("plan")
    )
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("training kind"), max_length=16, choices=TrainingKind.choices)
    organiser = models.ForeignKey(
        "congress.Committee",
        on_delete=models.PROTECT,
        related_name="planned_courses",
        verbose_name=_("organising committee"),
    )
    month = models.PositiveSmallIntegerField(_("month"), null=True, blank=True)
    planned_deputies = models.PositiveIntegerField(_("planned number of deputies"), default=0)
    audience = models.CharField(
        _("audience"), max_length=200, blank=True, help_text=_("e.g. grassroots and professional deputies.")
    )

    objects = CommitteeWorkQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])
    same_congress_fields = ("plan", "organiser")

    class Meta:
        verbose_name = _("planned course")
        verbose_name_plural = _("planned courses")
        ordering = ["plan_id", "month", "pk"]

    def __str__(self) -> str:
        return self.title


class LearningMaterial(TenantModel):
    """A document, link or video in the learning area (学习园区), optionally tied to a course."""

    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=10, choices=MaterialKind.choices)
    file = models.FileField(
        _("file"), upload_to=RandomName("deputies/learning"), validators=[UploadValidator("document", 20)], blank=True
    )
    url = models.URLField(_("link"), blank=True)
    description = models.TextField(_("description"), blank=True)
    course = models.ForeignKey(
        "deputies.Activity",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="materials",
        verbose_name=_("course"),
    )
    minutes = models.PositiveIntegerField(_("study time in minutes"), default=0)
    is_required = models.BooleanField(_("required"), default=False)
    is_published = models.BooleanField(_("published"), default=True)

    objects = CommitteeWorkQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])
    same_congress_fields = ("course",)

    class Meta:
        verbose_name = _("learning material")
        verbose_name_plural = _("learning materials")
        ordering = ["congress_id", "-is_required", "title", "pk"]

    def __str__(self) -> str:
        return self.title


class MaterialCompletion(TenantModel):
    """A deputy finished studying a material (once)."""

    material = models.ForeignKey(
        LearningMaterial, on_delete=models.CASCADE, related_name="completions", verbose_name=_("material")
    )
    deputy = models.ForeignKey(
        Deputy, on_delete=models.CASCADE, related_name="material_completions", verbose_name=_("deputy")
    )
    completed_at = models.DateTimeField(_("completed at"))

    objects = DeputyOwnedQuerySet.as_manager()
    same_congress_fields = ("material",)

    class Meta:
        verbose_name = _("material completion")
        verbose_name_plural = _("material completions")
        ordering = ["-completed_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["material", "deputy"], name="material_completed_once")]

    def __str__(self) -> str:
        return f"{self.deputy} · {self.material}"
