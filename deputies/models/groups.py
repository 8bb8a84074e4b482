"""Professional groups (专业小组): members with roles, outputs, and special-supervisor appointments."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from congress.models import TenantModel
from congress.uploads import RandomName, UploadValidator

from ..choices import GroupRole, OutputKind
from ..querysets import CommitteeWorkQuerySet, DeputyOwnedQuerySet, GroupOutputQuerySet
from .registry import Deputy


class ProfessionalGroup(TenantModel):
    """A group of deputies by profession (e.g. agriculture, medicine) under a counterpart committee."""

    name = models.CharField(_("name"), max_length=100)
    field = models.CharField(_("field"), max_length=100, help_text=_("The profession or subject the group covers."))
    counterpart_committee = models.ForeignKey(
        "congress.Committee",
        on_delete=models.PROTECT,
        related_name="professional_groups",
        verbose_name=_("counterpart committee"),
    )
    keywords = models.CharField(
        _("keywords"),
        max_length=200,
        blank=True,
        help_text=_("Words that match agenda topics, separated by spaces or commas."),
    )
    description = models.TextField(_("description"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    objects = CommitteeWorkQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])
    same_congress_fields = ("counterpart_committee",)

    class Meta:
        verbose_name = _("professional group")
        verbose_name_plural = _("professional groups")
        ordering = ["congress_id", "name"]
        constraints = [models.UniqueConstraint(fields=["congress", "name"], name="professional_group_unique_name")]

    def __str__(self) -> str:
        return self.name


class GroupMembership(TenantModel):
    """A deputy's place in a professional group."""

    group = models.ForeignKey(
        ProfessionalGroup, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("group")
    )
    deputy = models.ForeignKey(
        Deputy, on_delete=models.CASCADE, related_name="group_memberships", verbose_name=_("deputy")
    )
    role = models.CharField(_("role"), max_length=16, choices=GroupRole.choices, default=GroupRole.MEMBER)
    joined_on = models.DateField(_("joined on"), null=True, blank=True)

    objects = CommitteeWorkQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])
    same_congress_fields = ("group",)

    class Meta:
        verbose_name = _("group membership")
        verbose_name_plural = _("group memberships")
        ordering = ["group_id", "role", "deputy__name", "pk"]
        constraints = [models.UniqueConstraint(fields=["group", "deputy"], name="group_membership_once")]

    def __str__(self) -> str:
        return f"{self.group} · {self.deputy} ({self.get_role_display()})"


class GroupOutput(TenantModel):
    """What a group produced: a research report (with its file), a group suggestion that may become a
    formal suggestion, or an opinion, with whether and where the standing committee adopted it."""

    group = models.ForeignKey(
        ProfessionalGroup, on_delete=models.CASCADE, related_name="outputs", verbose_name=_("group")
    )
    activity = models.ForeignKey(
        "deputies.Activity",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="outputs",
        verbose_name=_("activity"),
    )
    kind = models.CharField(_("kind"), max_length=12, choices=OutputKind.choices)
    title = models.CharField(_("title"), max_length=200)
    content = models.TextField(_("content"), blank=True)
    file = models.FileField(
        _("file"),
        upload_to=RandomName("deputies/group_outputs"),
        validators=[UploadValidator("document", 20)],
        blank=True,
    )
    authors = models.ManyToManyField(Deputy, related_name="group_outputs", verbose_name=_("authors"))
    submitted_on = models.DateField(_("submitted on"))
    adopted = models.BooleanField(_("adopted by the standing committee"), default=False)
    adopted_on = models.DateField(_("adopted on"), null=True, blank=True)
    adopted_where = models.CharField(
        _("where adopted"), max_length=200, blank=True, help_text=_("e.g. the meeting or document that adopted it.")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = GroupOutputQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"], m2m_fields=[])
    same_congress_fields = ("group", "activity")

    class Meta:
        verbose_name = _("group output")
        verbose_name_plural = _("group outputs")
        ordering = ["-submitted_on", "pk"]
        indexes = [models.Index(fields=["congress", "kind", "adopted"], name="group_output_kind_adopted")]

    def __str__(self) -> str:
        return self.title


class SpecialSupervisor(TenantModel):
    """A deputy appointed special supervisor (特约监督员) of a handling unit for a term."""

    deputy = models.ForeignKey(
        Deputy, on_delete=models.CASCADE, related_name="supervisor_appointments", verbose_name=_("deputy")
    )
    unit = models.ForeignKey(
        "congress.HandlingUnit",
        on_delete=models.PROTECT,
        related_name="special_supervisors",
        verbose_name=_("unit watched"),
    )
    term = models.ForeignKey("congress.Term", on_delete=models.PROTECT, related_name="+", verbose_name=_("term"))
    appointed_on = models.DateField(_("appointed on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)

    objects = DeputyOwnedQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])
    same_congress_fields = ("unit", "term")

    class Meta:
        verbose_name = _("special supervisor")
        verbose_name_plural = _("special supervisors")
        ordering = ["congress_id", "unit__name", "deputy__name", "pk"]
        constraints = [models.UniqueConstraint(fields=["deputy", "unit", "term"], name="special_supervisor_once")]

    def __str__(self) -> str:
        return f"{self.deputy} → {self.unit}"
