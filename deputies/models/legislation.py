"""Deputies in legislation: rounds asking for legislative proposals (feeding the legislative plan),
and draft regulations sent to deputies for comments anchored to an article or section. Legislative
research is an activity of kind `legislative_research`."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, FSMModelMixin, transition
from simple_history.models import HistoricalRecords

from congress.models import TenantModel

from ..choices import DraftStatus, ProposalStatus, ProvisionKind, RoundStatus
from ..querysets import CommitteeWorkQuerySet, DeputyOwnedQuerySet
from .registry import Deputy


class LegislativeRound(FSMModelMixin, TenantModel):
    """A call to deputies for legislative proposals for a year's legislative plan."""

    year = models.PositiveSmallIntegerField(_("plan year"))
    title = models.CharField(_("title"), max_length=200)
    call = models.TextField(_("call for proposals"), blank=True)
    deadline = models.DateField(_("deadline"))
    committee = models.ForeignKey(
        "congress.Committee",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("committee"),
    )
    status = FSMField(_("status"), default=RoundStatus.OPEN, choices=RoundStatus.choices, protected=True)

    objects = CommitteeWorkQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])
    same_congress_fields = ("committee",)

    class Meta:
        verbose_name = _("legislative proposal round")
        verbose_name_plural = _("legislative proposal rounds")
        ordering = ["congress_id", "-year", "pk"]

    def __str__(self) -> str:
        return self.title

    @transition(field=status, source=RoundStatus.OPEN, target=RoundStatus.CLOSED)
    def close(self) -> None:
        """No more proposals; staff sort them into the plan."""


class LegislativeProposal(FSMModelMixin, TenantModel):
    """A deputy's proposal for a regulation to make or amend."""

    round = models.ForeignKey(
        LegislativeRound, on_delete=models.CASCADE, related_name="proposals", verbose_name=_("round")
    )
    deputy = models.ForeignKey(
        Deputy, on_delete=models.CASCADE, related_name="legislative_proposals", verbose_name=_("deputy")
    )
    title = models.CharField(_("proposed regulation"), max_length=200)
    reason = models.TextField(_("why it is needed"))
    content = models.TextField(_("main content"), blank=True)
    status = FSMField(_("status"), default=ProposalStatus.SUBMITTED, choices=ProposalStatus.choices, protected=True)
    plan_note = models.CharField(_("note on the plan"), max_length=200, blank=True)

    objects = DeputyOwnedQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])
    same_congress_fields = ("round",)

    class Meta:
        verbose_name = _("legislative proposal")
        verbose_name_plural = _("legislative proposals")
        ordering = ["round_id", "pk"]

    def __str__(self) -> str:
        return self.title

    @transition(
        field=status, source=[ProposalStatus.SUBMITTED, ProposalStatus.NOT_INCLUDED], target=ProposalStatus.IN_PLAN
    )
    def include(self) -> None:
        """Taken into the legislative plan list."""

    @transition(
        field=status, source=[ProposalStatus.SUBMITTED, ProposalStatus.IN_PLAN], target=ProposalStatus.NOT_INCLUDED
    )
    def exclude(self) -> None:
        """Not taken into the plan this year."""


class DraftRegulation(FSMModelMixin, TenantModel):
    """A draft regulation sent to deputies for comments before deliberation."""

    title = models.CharField(_("title"), max_length=200)
    committee = models.ForeignKey(
        "congress.Committee",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("committee"),
    )
    text = models.TextField(
        _("text"), help_text=_("Chapters (第一章), sections (第一节) and articles (第一条) are found automatically.")
    )
    comment_deadline = models.DateField(_("comments due by"))
    recipients = models.ManyToManyField(
        Deputy, blank=True, related_name="drafts_to_comment", verbose_name=_("deputies asked")
    )
    status = FSMField(_("status"), default=DraftStatus.PREPARING, choices=DraftStatus.choices, protected=True)

    objects = CommitteeWorkQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])
    same_congress_fields = ("committee",)

    class Meta:
        verbose_name = _("draft regulation")
        verbose_name_plural = _("draft regulations")
        ordering = ["congress_id", "-comment_deadline", "pk"]

    def __str__(self) -> str:
        return self.title

    @transition(field=status, source=DraftStatus.PREPARING, target=DraftStatus.CONSULTING)
    def open_for_comments(self) -> None:
        """Sent to the deputies asked."""

    @transition(field=status, source=DraftStatus.CONSULTING, target=DraftStatus.CLOSED)
    def close(self) -> None:
        """Comments compiled into the report."""


class DraftProvision(TenantModel):
    """A chapter, section or article of a draft, so comments can point at it."""

    draft = models.ForeignKey(
        DraftRegulation, on_delete=models.CASCADE, related_name="provisions", verbose_name=_("draft")
    )
    kind = models.CharField(_("kind"), max_length=8, choices=ProvisionKind.choices)
    label = models.CharField(_("label"), max_length=30, help_text=_("e.g. 第三条"))
    text = models.TextField(_("text"))
    position = models.PositiveIntegerField(_("position"))

    objects = CommitteeWorkQuerySet.as_manager()
    same_congress_fields = ("draft",)

    class Meta:
        verbose_name = _("draft provision")
        verbose_name_plural = _("draft provisions")
        ordering = ["draft_id", "position"]
        constraints = [models.UniqueConstraint(fields=["draft", "position"], name="draft_provision_position")]

    def __str__(self) -> str:
        return self.label


class DraftComment(TenantModel):
    """A deputy's comment on a draft, on one provision or on the whole."""

    draft = models.ForeignKey(
        DraftRegulation, on_delete=models.CASCADE, related_name="comments", verbose_name=_("draft")
    )
    provision = models.ForeignKey(
        DraftProvision,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="comments",
        verbose_name=_("provision"),
    )
    deputy = models.ForeignKey(
        Deputy, on_delete=models.CASCADE, related_name="draft_comments", verbose_name=_("deputy")
    )
    content = models.TextField(_("comment"))

    objects = DeputyOwnedQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])
    same_congress_fields = ("draft", "provision")

    class Meta:
        verbose_name = _("draft comment")
        verbose_name_plural = _("draft comments")
        ordering = ["draft_id", "provision__position", "pk"]

    def __str__(self) -> str:
        return self.content[:40]
