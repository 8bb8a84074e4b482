"""The citizens' closed loop (闭环): one record per issue whatever the channel, screened, handled at
a tier with its time limit, answered on the tracking page, rated, closed or reopened a tier up, and
at tier 4 turned into a formal deputy suggestion. Rules per congress in `IssueRules`."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, FSMModelMixin, transition
from simple_history.models import HistoricalRecords

from congress.models import TenantModel, TimeStampedModel
from congress.uploads import RandomName, UploadValidator

from ..choices import Channel, CloseReason, IssueAction, IssueRating, IssueStatus, Tier
from ..querysets import IssueChildQuerySet, PublicIssueQuerySet
from .blocks import Block
from .receptions import Forum, Visit
from .stations import Station

# Tracking codes avoid letters that read alike (0/O, 1/I/L).
TRACKING_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def new_tracking_code() -> str:
    """12 characters from 31: about 59 random bits, unguessable, easy to read over the phone."""
    return "".join(secrets.choice(TRACKING_ALPHABET) for _ in range(12))


class IssueRules(TimeStampedModel):
    """A congress's numbers for the loop (working days unless said otherwise; domain.md §5 defaults)."""

    congress = models.OneToOneField(
        "congress.Congress", on_delete=models.CASCADE, related_name="issue_rules", verbose_name=_("congress")
    )
    screening_days = models.PositiveSmallIntegerField(_("days to screen"), default=1)
    tier1_days = models.PositiveSmallIntegerField(_("tier 1: days to answer"), default=2)
    tier2_days = models.PositiveSmallIntegerField(_("tier 2: days to answer"), default=5)
    tier3_days = models.PositiveSmallIntegerField(_("tier 3: days to answer"), default=10)
    remind_days_before = models.PositiveSmallIntegerField(
        _("remind this many working days before the due date"), default=1
    )
    quiet_days = models.PositiveSmallIntegerField(
        _("calendar days after an answer before an unrated issue closes"), default=7
    )
    intake_per_hour = models.PositiveSmallIntegerField(
        _("public submissions an hour from one address"),
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(1000)],
    )

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("issue handling rules")
        verbose_name_plural = _("issue handling rules")
        ordering = ["congress_id"]

    def __str__(self) -> str:
        return str(self.congress)

    def days_for_tier(self, tier: int) -> int | None:
        """Working days a tier has to answer; None for tier 4 (the suggestion's own deadlines apply)."""
        return {1: self.tier1_days, 2: self.tier2_days, 3: self.tier3_days}.get(tier)


class PublicIssue(FSMModelMixin, TenantModel):
    """A citizen's issue (群众意见建议), from any channel, and its way through the loop."""

    tracking_code = models.CharField(
        _("tracking code"), max_length=16, unique=True, default=new_tracking_code, editable=False
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices, db_index=True)
    station = models.ForeignKey(
        Station, on_delete=models.PROTECT, null=True, blank=True, related_name="issues", verbose_name=_("station")
    )
    block = models.ForeignKey(
        Block, on_delete=models.SET_NULL, null=True, blank=True, related_name="issues", verbose_name=_("block")
    )
    deputy = models.ForeignKey(
        "deputies.Deputy",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="public_issues",
        verbose_name=_("deputy written to"),
        help_text=_("The deputy the citizen wrote to (QR), who received it, or who handles it at tier 1."),
    )
    reported_by = models.ForeignKey(
        "deputies.Deputy",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reported_issues",
        verbose_name=_("reported by deputy"),
        help_text=_("For the deputies' hotline: the deputy who reported the problem, and who rates the answer."),
    )
    visit = models.OneToOneField(
        Visit, on_delete=models.SET_NULL, null=True, blank=True, related_name="issue", verbose_name=_("visit")
    )
    forum = models.ForeignKey(
        Forum, on_delete=models.SET_NULL, null=True, blank=True, related_name="issues", verbose_name=_("forum")
    )
    category = models.ForeignKey(
        "congress.SubjectCategory",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("category"),
    )
    content = models.TextField(_("content"))
    location = models.CharField(_("where"), max_length=200, blank=True)
    citizen_name = models.CharField(_("citizen's name"), max_length=50, blank=True)
    citizen_phone = models.CharField(_("citizen's phone"), max_length=20, blank=True)
    consent = models.BooleanField(_("consents to being contacted"), default=False)
    status = FSMField(
        _("status"), default=IssueStatus.SUBMITTED, choices=IssueStatus.choices, protected=True, db_index=True
    )
    tier = models.PositiveSmallIntegerField(_("tier"), choices=Tier.choices, null=True, blank=True)
    handling_unit = models.ForeignKey(
        "congress.HandlingUnit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="public_issues",
        verbose_name=_("handling unit"),
    )
    due_on = models.DateField(_("due on"), null=True, blank=True, db_index=True)
    screened_at = models.DateTimeField(_("screened at"), null=True, blank=True)
    rejection_reason = models.TextField(_("reason for not accepting"), blank=True, help_text=_("Shown to the citizen."))
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    rating = models.CharField(_("rating"), max_length=12, choices=IssueRating.choices, blank=True)
    rated_at = models.DateTimeField(_("rated at"), null=True, blank=True)
    rating_comment = models.TextField(_("comment with the rating"), blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    close_reason = models.CharField(_("closed because"), max_length=12, choices=CloseReason.choices, blank=True)
    reopen_count = models.PositiveSmallIntegerField(_("times reopened"), default=0)
    suggestion = models.ForeignKey(
        "suggestions.Suggestion",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="public_issues",
        verbose_name=_("formal suggestion"),
    )
    supervision_case = models.ForeignKey(
        "suggestions.SupervisionCase",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="public_issues",
        verbose_name=_("supervision case"),
    )
    people_helped = models.PositiveIntegerField(_("people helped"), null=True, blank=True)
    money_involved = models.DecimalField(
        _("money involved (yuan)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    intake_notified_at = models.DateTimeField(
        _("intake notice sent at"),
        null=True,
        blank=True,
        help_text=_("Empty until the handlers were told; a sweeper retries."),
    )
    submitted_ip = models.GenericIPAddressField(_("submitted from"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = PublicIssueQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at", "intake_notified_at"])
    same_congress_fields = ("station", "block", "category", "handling_unit")

    class Meta:
        verbose_name = _("citizen issue")
        verbose_name_plural = _("citizen issues")
        ordering = ["-created_at", "pk"]
        indexes = [
            models.Index(fields=["congress", "status", "due_on"], name="issue_congress_status_due"),
            models.Index(fields=["station", "status"], name="issue_station_status"),
            # The station desk's list: its issues by due date (EXPLAIN on 1M issues, docs/PERFORMANCE.md).
            models.Index(fields=["station", "due_on"], name="issue_station_due"),
            models.Index(fields=["status", "answered_at"], name="issue_status_answered"),
            models.Index(fields=["congress", "created_at"], name="issue_congress_created"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(tier__isnull=True) | models.Q(tier__gte=1, tier__lte=4), name="issue_tier_1_to_4"
            )
        ]

    def __str__(self) -> str:
        return f"{self.tracking_code} · {self.content[:30]}"

    def tracking_url(self) -> str:
        """The citizen's tracking page. Deliberately not `get_absolute_url`: the admin's unscoped
        "view on site" redirect (/admin/r/…) would hand any staff user the secret code."""
        return reverse("liaison_stations:track", args=[self.tracking_code])

    @transition(field=status, source=IssueStatus.SUBMITTED, target=IssueStatus.HANDLING)
    def accept(self) -> None:
        """Screened and accepted (后台审): handled at a tier from now."""

    @transition(field=status, source=IssueStatus.SUBMITTED, target=IssueStatus.NOT_ACCEPTED)
    def reject(self) -> None:
        """Not accepted, with a reason the citizen sees."""

    @transition(field=status, source=IssueStatus.HANDLING, target=IssueStatus.HANDLING)
    def escalate(self) -> None:
        """Raised to the next tier (分级办), with that tier's time limit."""

    @transition(field=status, source=IssueStatus.HANDLING, target=IssueStatus.ANSWERED)
    def answer(self) -> None:
        """Answered (码上回): shown on the tracking page for the citizen to rate."""

    @transition(field=status, source=IssueStatus.ANSWERED, target=IssueStatus.CLOSED)
    def close(self) -> None:
        """Closed (闭环管): confirmed by the citizen, or after the quiet period without a rating."""

    @transition(field=status, source=IssueStatus.ANSWERED, target=IssueStatus.HANDLING)
    def reopen(self) -> None:
        """The citizen is unsatisfied: handled again one tier up."""

    @transition(field=status, source=IssueStatus.HANDLING, target=IssueStatus.CONVERTED)
    def convert(self) -> None:
        """At tier 4: becomes a formal deputy suggestion, which the citizen follows on the tracking page."""


class IssuePhoto(TenantModel):
    """A photo a citizen sent with an issue (type and size checked on upload)."""

    issue = models.ForeignKey(PublicIssue, on_delete=models.CASCADE, related_name="photos", verbose_name=_("issue"))
    image = models.ImageField(
        _("photo"), upload_to=RandomName("issues/photos"), validators=[UploadValidator("image", 5)]
    )

    objects = IssueChildQuerySet.as_manager()
    same_congress_fields = ("issue",)

    class Meta:
        verbose_name = _("issue photo")
        verbose_name_plural = _("issue photos")
        ordering = ["issue_id", "pk"]

    def __str__(self) -> str:
        return self.image.name


class IssueAnswer(TenantModel):
    """An answer to the citizen at a tier (码上回), shown on the tracking page."""

    issue = models.ForeignKey(PublicIssue, on_delete=models.CASCADE, related_name="answers", verbose_name=_("issue"))
    tier = models.PositiveSmallIntegerField(_("tier"), choices=Tier.choices)
    body = models.TextField(_("answer"))
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    answerer_name = models.CharField(
        _("answered by"), max_length=100, help_text=_("As shown to the citizen, e.g. the unit.")
    )

    objects = IssueChildQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])
    same_congress_fields = ("issue",)

    class Meta:
        verbose_name = _("issue answer")
        verbose_name_plural = _("issue answers")
        ordering = ["issue_id", "created_at", "pk"]

    def __str__(self) -> str:
        return self.body[:40]


class IssueEvent(TenantModel):
    """One move of an issue (the timeline): who, what, from which state and tier to which."""

    issue = models.ForeignKey(PublicIssue, on_delete=models.CASCADE, related_name="events", verbose_name=_("issue"))
    action = models.CharField(_("action"), max_length=10, choices=IssueAction.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    actor_label = models.CharField(_("by"), max_length=100, blank=True, help_text=_("e.g. 群众 for the citizen."))
    from_status = models.CharField(_("from"), max_length=12, blank=True)
    to_status = models.CharField(_("to"), max_length=12)
    tier = models.PositiveSmallIntegerField(_("tier"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    is_public = models.BooleanField(_("shown to the citizen"), default=True)

    objects = IssueChildQuerySet.as_manager()
    same_congress_fields = ("issue",)

    class Meta:
        verbose_name = _("issue event")
        verbose_name_plural = _("issue events")
        ordering = ["issue_id", "created_at", "pk"]

    @property
    def public_by(self) -> str:
        """Who made the move as the citizen sees it: the citizen, the system, or the body handling the
        issue (its station, else the congress), never a staff member's account name."""
        if self.actor_id is None:
            return self.actor_label
        issue = self.issue
        return issue.station.name if issue.station_id else issue.congress.name

    def __str__(self) -> str:
        return f"{self.issue_id} · {self.get_action_display()}"
