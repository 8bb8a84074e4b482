"""Standing-committee meetings deputies sit in on (列席): agenda topics, and the opinions attending
deputies raise, handed to units and tracked to an answer. Invitations to sit in are invitations to
the meeting's activity of kind `sc_sitting`; pre-meeting activities link to the meeting too."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, FSMModelMixin, transition
from simple_history.models import HistoricalRecords

from congress.models import TenantModel

from ..choices import OpinionStatus
from ..querysets import CommitteeWorkQuerySet, MeetingOpinionQuerySet
from .registry import Deputy

DEFAULT_INVITEES_MIN = 8
DEFAULT_INVITEES_MAX = 16


class Meeting(TenantModel):
    """A meeting of the standing committee (常委会第N次会议) in a term."""

    term = models.ForeignKey(
        "congress.Term", on_delete=models.PROTECT, related_name="sc_meetings", verbose_name=_("term")
    )
    number = models.PositiveSmallIntegerField(_("meeting number"))
    title = models.CharField(_("title"), max_length=200)
    starts_on = models.DateField(_("starts on"), db_index=True)
    ends_on = models.DateField(_("ends on"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    invitees_min = models.PositiveSmallIntegerField(
        _("fewest deputies invited"),
        default=DEFAULT_INVITEES_MIN,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
    )
    invitees_max = models.PositiveSmallIntegerField(
        _("most deputies invited"),
        default=DEFAULT_INVITEES_MAX,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
    )

    objects = CommitteeWorkQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])
    same_congress_fields = ("term",)

    class Meta:
        verbose_name = _("standing-committee meeting")
        verbose_name_plural = _("standing-committee meetings")
        ordering = ["congress_id", "-starts_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["congress", "term", "number"], name="meeting_unique_number"),
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")), name="meeting_ends_after_start"
            ),
            models.CheckConstraint(
                condition=models.Q(invitees_max__gte=models.F("invitees_min")), name="meeting_invitees_range"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class AgendaTopic(TenantModel):
    """An item on a meeting's agenda; its committee and keywords steer whom the planner proposes."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="topics", verbose_name=_("meeting"))
    title = models.CharField(_("title"), max_length=200)
    committee = models.ForeignKey(
        "congress.Committee",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("committee"),
    )
    keywords = models.CharField(
        _("keywords"), max_length=200, blank=True, help_text=_("Words matched against deputies' work and groups.")
    )
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=0)

    objects = CommitteeWorkQuerySet.as_manager()
    same_congress_fields = ("meeting", "committee")

    class Meta:
        verbose_name = _("agenda topic")
        verbose_name_plural = _("agenda topics")
        ordering = ["meeting_id", "sort_order", "pk"]

    def __str__(self) -> str:
        return self.title


class MeetingOpinion(FSMModelMixin, TenantModel):
    """An opinion a deputy raised while sitting in; compiled, handed to a unit, answered."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="opinions", verbose_name=_("meeting"))
    deputy = models.ForeignKey(
        Deputy, on_delete=models.CASCADE, related_name="meeting_opinions", verbose_name=_("deputy")
    )
    topic = models.ForeignKey(
        AgendaTopic,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="opinions",
        verbose_name=_("agenda topic"),
    )
    content = models.TextField(_("opinion"))
    status = FSMField(
        _("status"), default=OpinionStatus.RECORDED, choices=OpinionStatus.choices, protected=True, db_index=True
    )
    handling_unit = models.ForeignKey(
        "congress.HandlingUnit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("handling unit"),
    )
    handed_on = models.DateField(_("handed over on"), null=True, blank=True)
    due_on = models.DateField(_("answer due on"), null=True, blank=True)
    answer = models.TextField(_("answer"), blank=True)
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = MeetingOpinionQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])
    same_congress_fields = ("meeting", "topic", "handling_unit")

    class Meta:
        verbose_name = _("meeting opinion")
        verbose_name_plural = _("meeting opinions")
        ordering = ["meeting_id", "topic_id", "pk"]
        indexes = [models.Index(fields=["handling_unit", "status"], name="meeting_opinion_unit_status")]

    def __str__(self) -> str:
        return self.content[:40]

    @transition(field=status, source=OpinionStatus.RECORDED, target=OpinionStatus.HANDED)
    def hand_over(self) -> None:
        """Sent to a handling unit to answer."""

    @transition(field=status, source=OpinionStatus.HANDED, target=OpinionStatus.ANSWERED)
    def answer_it(self) -> None:
        """The unit answered; the answer is shown to the deputy."""
