"""The deputy registry: persons (Deputy), their seats (Mandate) and delegations (代表团)."""

from __future__ import annotations

import datetime
import secrets

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from congress.models import TenantModel, TimeStampedModel
from congress.uploads import RandomName, UploadValidator

from ..choices import ActivityStatus, DeputyCategory, DeputyStatus, Education, Ethnicity, Gender, MandateStatus, Party
from ..querysets import ActivityRecordQuerySet, DelegationQuerySet, DeputyQuerySet, MandateQuerySet

# ASCII digits only (`\d` takes the digits of every script); \Z, since `$` lets a trailing newline through.
phone_validator = RegexValidator(r"\A1[0-9]{10}\Z", _("Enter an 11-digit mobile number starting with 1."))

PUBLIC_CODE_BYTES = 9  # 12 URL-safe characters, 72 bits: not guessable, short enough for a QR


def new_public_code() -> str:
    return secrets.token_urlsafe(PUBLIC_CODE_BYTES)


class Delegation(TenantModel):
    """A delegation (代表团) of a congress for one term, e.g. a district's deputies to the city congress."""

    term = models.ForeignKey(
        "congress.Term", on_delete=models.PROTECT, related_name="delegations", verbose_name=_("term")
    )
    name = models.CharField(_("name"), max_length=100)

    objects = DelegationQuerySet.as_manager()
    history = HistoricalRecords()
    same_congress_fields = ("term",)

    class Meta:
        verbose_name = _("delegation")
        verbose_name_plural = _("delegations")
        ordering = ["congress_id", "term_id", "name"]
        constraints = [models.UniqueConstraint(fields=["term", "name"], name="delegation_unique_name")]

    def __str__(self) -> str:
        return self.name


class Deputy(TimeStampedModel):
    """A person who is or was a deputy. One person can hold mandates at several levels."""

    name = models.CharField(_("full name"), max_length=50, db_index=True)
    gender = models.CharField(_("gender"), max_length=8, choices=Gender.choices)
    ethnicity = models.CharField(_("ethnicity"), max_length=2, choices=Ethnicity.choices, default=Ethnicity.HAN)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    party = models.CharField(_("party"), max_length=8, choices=Party.choices, default=Party.NONE)
    education = models.CharField(_("education"), max_length=12, choices=Education.choices, blank=True)
    work_unit = models.CharField(_("work unit"), max_length=100, blank=True)
    job_title = models.CharField(_("position"), max_length=100, blank=True)
    category = models.CharField(_("deputy category"), max_length=16, choices=DeputyCategory.choices)
    phone = models.CharField(
        _("mobile phone"),
        max_length=11,
        unique=True,
        null=True,
        blank=True,
        validators=[phone_validator],
        help_text=_("Private: shown only to the deputy and to deputy-affairs office staff."),
    )
    photo = models.ImageField(
        _("photo"), upload_to=RandomName("deputies/photos"), validators=[UploadValidator("image", 5)], blank=True
    )
    status = models.CharField(
        _("status"), max_length=12, choices=DeputyStatus.choices, default=DeputyStatus.ACTIVE, db_index=True
    )
    public_code = models.CharField(
        _("public code"),
        max_length=20,
        unique=True,
        default=new_public_code,
        editable=False,
        help_text=_("The stable, unguessable code in the deputy's QR link."),
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="deputy",
        verbose_name=_("login account"),
    )

    objects = DeputyQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("deputy")
        verbose_name_plural = _("deputies")
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("admin:deputies_deputy_change", args=[self.pk])

    @property
    def masked_phone(self) -> str:
        """The phone as others may see it: 138****5678."""
        return f"{self.phone[:3]}****{self.phone[-4:]}" if self.phone else ""


class Mandate(TenantModel):
    """A deputy's seat in one congress for one term (代表资格), with where it comes from."""

    deputy = models.ForeignKey(Deputy, on_delete=models.CASCADE, related_name="mandates", verbose_name=_("deputy"))
    term = models.ForeignKey("congress.Term", on_delete=models.PROTECT, related_name="mandates", verbose_name=_("term"))
    delegation = models.ForeignKey(
        Delegation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="mandates",
        verbose_name=_("delegation"),
    )
    constituency = models.CharField(_("constituency"), max_length=100, blank=True)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=MandateStatus.choices, default=MandateStatus.SERVING, db_index=True
    )

    objects = MandateQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])
    same_congress_fields = ("term", "delegation")

    class Meta:
        verbose_name = _("mandate")
        verbose_name_plural = _("mandates")
        ordering = ["congress_id", "-term_id", "deputy__name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["deputy", "congress", "term"], name="mandate_unique_seat"),
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True) | models.Q(end_date__gte=models.F("start_date")),
                name="mandate_end_after_start",
            ),
        ]
        indexes = [models.Index(fields=["congress", "status"], name="mandate_congress_status")]

    def __str__(self) -> str:
        return _("%(deputy)s — %(term)s") % {"deputy": self.deputy.name, "term": self.term}

    def is_current(self, on: datetime.date | None = None) -> bool:
        day = on or timezone.localdate()
        return (
            self.status == MandateStatus.SERVING
            and self.start_date <= day
            and (self.end_date is None or day <= self.end_date)
        )


class DutyRules(TimeStampedModel):
    """Points rules of the duty record for one congress: the yearly base every deputy starts with."""

    congress = models.OneToOneField(
        "congress.Congress", on_delete=models.CASCADE, related_name="duty_rules", verbose_name=_("congress")
    )
    yearly_base = models.DecimalField(_("yearly base points"), max_digits=6, decimal_places=1, default=60)

    class Meta:
        verbose_name = _("duty record rules")
        verbose_name_plural = _("duty record rules")
        ordering = ["congress_id"]

    def __str__(self) -> str:
        return str(self.congress)


class ActivityType(TenantModel):
    """A kind of act that counts in the duty record (履职积分), with its points and yearly cap."""

    history = HistoricalRecords(excluded_fields=["updated_at"])

    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=100)
    points = models.DecimalField(_("points"), max_digits=5, decimal_places=1)
    yearly_cap = models.DecimalField(
        _("yearly cap"), max_digits=6, decimal_places=1, null=True, blank=True, help_text=_("Empty: no cap.")
    )
    declarable = models.BooleanField(_("deputies may declare it"), default=False)
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=0)

    class Meta:
        verbose_name = _("activity type")
        verbose_name_plural = _("activity types")
        ordering = ["congress_id", "sort_order", "code"]
        constraints = [models.UniqueConstraint(fields=["congress", "code"], name="activity_type_unique_code")]

    def __str__(self) -> str:
        return self.name


class ActivityRecord(TenantModel):
    """One act of a deputy in the duty record (履职记录): written by the services that saw it happen,
    or declared by the deputy and verified by staff."""

    history = HistoricalRecords(excluded_fields=["updated_at"])

    deputy = models.ForeignKey(Deputy, on_delete=models.CASCADE, related_name="activities", verbose_name=_("deputy"))
    activity_type = models.ForeignKey(
        ActivityType, on_delete=models.PROTECT, related_name="records", verbose_name=_("activity type")
    )
    date = models.DateField(_("date"), db_index=True)
    description = models.CharField(_("description"), max_length=300, blank=True)
    source_key = models.CharField(
        _("source"),
        max_length=80,
        blank=True,
        help_text=_("What recorded it, e.g. suggestion:12; empty when declared."),
    )
    points = models.DecimalField(_("points"), max_digits=5, decimal_places=1)
    status = models.CharField(
        _("status"), max_length=10, choices=ActivityStatus.choices, default=ActivityStatus.RECORDED
    )
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)

    objects = ActivityRecordQuerySet.as_manager()
    same_congress_fields = ("activity_type",)

    class Meta:
        verbose_name = _("activity record")
        verbose_name_plural = _("activity records")
        ordering = ["deputy_id", "-date", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["deputy", "activity_type", "source_key"],
                condition=~models.Q(source_key=""),
                name="activity_record_once_per_source",
            )
        ]
        indexes = [models.Index(fields=["congress", "date"], name="activity_congress_date")]

    def __str__(self) -> str:
        return f"{self.deputy} · {self.activity_type} · {self.date}"

    @property
    def counts(self) -> bool:
        return self.status in {ActivityStatus.RECORDED, ActivityStatus.VERIFIED}


class DutySnapshot(TenantModel):
    """A deputy's points for a year or a quarter (year to date) and rank in the congress, kept."""

    deputy = models.ForeignKey(Deputy, on_delete=models.CASCADE, related_name="duty_snapshots")
    year = models.PositiveSmallIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(_("quarter"), default=0, help_text=_("0 for the whole year."))
    points = models.DecimalField(_("points"), max_digits=7, decimal_places=1)
    rank = models.PositiveIntegerField(_("rank"))

    # Like the record it sums: the deputy's own, and their congress's office staff's and leaders'.
    objects = ActivityRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("duty snapshot")
        verbose_name_plural = _("duty snapshots")
        ordering = ["congress_id", "year", "quarter", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["congress", "deputy", "year", "quarter"], name="duty_snapshot_unique")
        ]

    def __str__(self) -> str:
        return f"{self.deputy} {self.year}Q{self.quarter}: {self.points}"
