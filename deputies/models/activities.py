"""Activities deputies are invited to and sign in at (group activities, training courses, sitting in
on standing-committee meetings, pre-meeting work, legislative research, inspections), and the
invitations that carry each deputy's answer and attendance."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, FSMModelMixin, transition
from simple_history.models import HistoricalRecords

from congress.models import TenantModel

from ..choices import (
    DUTY_CODE_OF_KIND,
    ActivityKind,
    ActivityState,
    InvitationSource,
    InvitationStatus,
    SignInMethod,
    TrainingKind,
)
from ..querysets import ActivityQuerySet, InvitationQuerySet
from .registry import Deputy


def new_sign_in_code() -> str:
    """Six digits a deputy types in the portal to sign in."""
    return f"{secrets.randbelow(10**6):06d}"


def new_sign_in_token() -> str:
    """The unguessable part of the sign-in QR link (72 random bits)."""
    return secrets.token_urlsafe(9)


class Activity(FSMModelMixin, TenantModel):
    """An event deputies are invited to and sign in at. Attending it writes the deputy's duty record
    under the type its kind maps to (`DUTY_CODE_OF_KIND`)."""

    kind = models.CharField(_("kind"), max_length=32, choices=ActivityKind.choices, db_index=True)
    title = models.CharField(_("title"), max_length=200)
    topic = models.CharField(_("topic"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    organiser = models.ForeignKey(
        "congress.Committee",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="activities",
        verbose_name=_("organising committee"),
    )
    group = models.ForeignKey(
        "deputies.ProfessionalGroup",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="activities",
        verbose_name=_("professional group"),
    )
    meeting = models.ForeignKey(
        "deputies.Meeting",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="activities",
        verbose_name=_("standing-committee meeting"),
    )
    planned_course = models.ForeignKey(
        "deputies.PlannedCourse",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="courses",
        verbose_name=_("planned course"),
    )
    training_kind = models.CharField(_("training kind"), max_length=16, choices=TrainingKind.choices, blank=True)
    starts_at = models.DateTimeField(_("starts at"), db_index=True)
    ends_at = models.DateTimeField(_("ends at"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    capacity = models.PositiveIntegerField(_("capacity"), null=True, blank=True, help_text=_("Empty: no limit."))
    hours = models.DecimalField(
        _("hours"), max_digits=5, decimal_places=1, default=0, help_text=_("Hours credited to each attendee.")
    )
    open_enrollment = models.BooleanField(
        _("open for enrollment"), default=False, help_text=_("Deputies of the congress may enrol themselves.")
    )
    state = FSMField(_("state"), default=ActivityState.PLANNED, choices=ActivityState.choices, protected=True)
    sign_in_code = models.CharField(_("sign-in code"), max_length=6, default=new_sign_in_code)
    sign_in_token = models.CharField(_("sign-in QR token"), max_length=20, unique=True, default=new_sign_in_token)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = ActivityQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])
    same_congress_fields = ("organiser", "group", "meeting", "planned_course")

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["-starts_at", "pk"]
        indexes = [models.Index(fields=["congress", "kind", "starts_at"], name="activity_congress_kind_start")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gte=models.F("starts_at")), name="activity_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def duty_code(self) -> str:
        return DUTY_CODE_OF_KIND.get(self.kind, "other")

    @property
    def is_training(self) -> bool:
        return self.kind == ActivityKind.TRAINING_COURSE

    @transition(field=state, source=ActivityState.PLANNED, target=ActivityState.HELD)
    def hold(self) -> None:
        """Sign-in is closed; invitees who did not sign in are marked absent."""

    @transition(field=state, source=ActivityState.PLANNED, target=ActivityState.CANCELLED)
    def cancel(self) -> None:
        """Called off; nobody is credited."""


class Invitation(FSMModelMixin, TenantModel):
    """A deputy invited to (or enrolled in) an activity: their answer, sign-in and credited hours.
    One per deputy and activity, so a deputy signs in once."""

    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("activity")
    )
    deputy = models.ForeignKey(Deputy, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("deputy"))
    status = FSMField(
        _("status"), default=InvitationStatus.INVITED, choices=InvitationStatus.choices, protected=True, db_index=True
    )
    source = models.CharField(
        _("source"), max_length=10, choices=InvitationSource.choices, default=InvitationSource.STAFF
    )
    responded_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    decline_reason = models.CharField(_("reason for declining"), max_length=200, blank=True)
    signed_in_at = models.DateTimeField(_("signed in at"), null=True, blank=True)
    sign_in_method = models.CharField(_("signed in by"), max_length=8, choices=SignInMethod.choices, blank=True)
    hours = models.DecimalField(_("hours credited"), max_digits=5, decimal_places=1, null=True, blank=True)
    certificate_number = models.CharField(_("certificate number"), max_length=30, blank=True)

    objects = InvitationQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])
    same_congress_fields = ("activity",)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["activity_id", "deputy__name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["activity", "deputy"], name="invitation_once_per_deputy"),
            models.UniqueConstraint(
                fields=["congress", "certificate_number"],
                condition=~models.Q(certificate_number=""),
                name="invitation_unique_certificate",
            ),
        ]
        indexes = [models.Index(fields=["deputy", "status"], name="invitation_deputy_status")]

    def __str__(self) -> str:
        return f"{self.deputy} · {self.activity}"

    @transition(
        field=status, source=[InvitationStatus.INVITED, InvitationStatus.DECLINED], target=InvitationStatus.ACCEPTED
    )
    def accept(self) -> None:
        """The deputy will come (for a course: enrolled)."""

    @transition(
        field=status, source=[InvitationStatus.INVITED, InvitationStatus.ACCEPTED], target=InvitationStatus.DECLINED
    )
    def decline(self) -> None:
        """The deputy cannot come."""

    @transition(
        field=status, source=[InvitationStatus.INVITED, InvitationStatus.ACCEPTED], target=InvitationStatus.ATTENDED
    )
    def attend(self) -> None:
        """Signed in (by QR, code or staff); this is what the duty record counts."""

    @transition(
        field=status, source=[InvitationStatus.INVITED, InvitationStatus.ACCEPTED], target=InvitationStatus.ABSENT
    )
    def mark_absent(self) -> None:
        """The activity was held without the deputy signing in."""
