"""Deputies in supervision: the yearly evaluation projects (groups of 3–5 deputies scoring target
units) and campaigns of central work that collect deputies' opinions. Inspections, budget review
and law-enforcement checks are activities of those kinds."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from congress.choices import CongressLevel
from congress.models import TenantModel

from ..choices import EvaluationKind
from ..querysets import CommitteeWorkQuerySet, DeputyOwnedQuerySet
from .registry import Deputy

EVALUATION_GROUP_MIN = 3
EVALUATION_GROUP_MAX = 5


class EvaluationProject(TenantModel):
    """One of the year's special evaluations (专项评议)."""

    year = models.PositiveSmallIntegerField(_("year"))
    kind = models.CharField(_("kind"), max_length=24, choices=EvaluationKind.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    committee = models.ForeignKey(
        "congress.Committee",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("committee"),
    )
    scoring_closes_on = models.DateField(_("scores due by"), null=True, blank=True)

    objects = CommitteeWorkQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])
    same_congress_fields = ("committee",)

    class Meta:
        verbose_name = _("evaluation project")
        verbose_name_plural = _("evaluation projects")
        ordering = ["congress_id", "-year", "kind", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["congress", "year", "kind", "title"], name="evaluation_project_unique")
        ]

    def __str__(self) -> str:
        return self.title


class EvaluationGroup(TenantModel):
    """3–5 deputies who evaluate a set of target units for a project."""

    project = models.ForeignKey(
        EvaluationProject, on_delete=models.CASCADE, related_name="groups", verbose_name=_("project")
    )
    name = models.CharField(_("name"), max_length=100)
    members = models.ManyToManyField(Deputy, related_name="evaluation_groups", verbose_name=_("members"))
    units = models.ManyToManyField(
        "congress.HandlingUnit", related_name="evaluation_groups", verbose_name=_("target units")
    )

    objects = CommitteeWorkQuerySet.as_manager()
    same_congress_fields = ("project",)

    class Meta:
        verbose_name = _("evaluation group")
        verbose_name_plural = _("evaluation groups")
        ordering = ["project_id", "name", "pk"]

    def __str__(self) -> str:
        return f"{self.project} · {self.name}"


class EvaluationScore(TenantModel):
    """A group member's score (0–100) and comment for one target unit."""

    group = models.ForeignKey(EvaluationGroup, on_delete=models.CASCADE, related_name="scores", verbose_name=_("group"))
    unit = models.ForeignKey(
        "congress.HandlingUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("unit")
    )
    deputy = models.ForeignKey(
        Deputy, on_delete=models.CASCADE, related_name="evaluation_scores", verbose_name=_("deputy")
    )
    score = models.PositiveSmallIntegerField(_("score"), validators=[MinValueValidator(0), MaxValueValidator(100)])
    comment = models.TextField(_("comment"), blank=True)

    objects = DeputyOwnedQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])
    same_congress_fields = ("group", "unit")

    class Meta:
        verbose_name = _("evaluation score")
        verbose_name_plural = _("evaluation scores")
        ordering = ["group_id", "unit_id", "deputy_id"]
        constraints = [
            models.UniqueConstraint(fields=["group", "unit", "deputy"], name="evaluation_score_once"),
            models.CheckConstraint(condition=models.Q(score__lte=100), name="evaluation_score_at_most_100"),
        ]

    def __str__(self) -> str:
        return f"{self.unit} · {self.deputy}: {self.score}"


class Campaign(TenantModel):
    """A campaign of central work (e.g. 联系群众办实事: safety and self-built housing) collecting
    deputies' opinions."""

    title = models.CharField(_("title"), max_length=200)
    theme = models.CharField(_("theme"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))

    objects = CommitteeWorkQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        ordering = ["congress_id", "-starts_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")), name="campaign_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return self.title


class CampaignOpinion(TenantModel):
    """A deputy's opinion to a campaign; `level` is the deputy's highest serving level when submitted."""

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="opinions", verbose_name=_("campaign")
    )
    deputy = models.ForeignKey(
        Deputy, on_delete=models.CASCADE, related_name="campaign_opinions", verbose_name=_("deputy")
    )
    level = models.CharField(_("deputy level"), max_length=12, choices=CongressLevel.choices)
    content = models.TextField(_("opinion"))

    objects = DeputyOwnedQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])
    same_congress_fields = ("campaign",)

    class Meta:
        verbose_name = _("campaign opinion")
        verbose_name_plural = _("campaign opinions")
        ordering = ["campaign_id", "-created_at", "pk"]
        indexes = [models.Index(fields=["campaign", "level"], name="campaign_opinion_level")]

    def __str__(self) -> str:
        return self.content[:40]
