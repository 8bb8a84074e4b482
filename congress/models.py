"""The congress's own organisation: congresses (tenants), terms, sessions, committees, subject
categories, handling units, the working calendar, staff profiles and the worker heartbeat."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .choices import CalendarDayKind, CommitteeKind, CongressLevel, HandlingUnitKind
from .querysets import (
    CongressQuerySet,
    HandlingUnitQuerySet,
    SessionQuerySet,
    StaffProfileQuerySet,
    TenantQuerySet,
    TermQuerySet,
)

area_code_validator = RegexValidator(r"^\d{6}$", _("The administrative area code has exactly 6 digits."))


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class TenantModel(TimeStampedModel):
    """A row owned by one congress. Every query filters by `congress` (the tenant)."""

    congress = models.ForeignKey(
        "congress.Congress", on_delete=models.PROTECT, related_name="+", verbose_name=_("congress")
    )

    objects = TenantQuerySet.as_manager()

    class Meta:
        abstract = True

    # Related rows that must belong to the same congress as this one: {field name: message}.
    same_congress_fields: tuple[str, ...] = ()

    def clean(self) -> None:
        super().clean()
        errors = {}
        for name in self.same_congress_fields:
            related = getattr(self, name, None)
            if related is not None and self.congress_id and related.congress_id != self.congress_id:
                errors[name] = _("The selected item belongs to another congress; choose one of %(congress)s.") % {
                    "congress": self.congress
                }
        if errors:
            raise ValidationError(errors)


class Congress(TimeStampedModel):
    """A people's congress (人民代表大会) at one level for one area; the tenant of the system."""

    name = models.CharField(_("name"), max_length=100)
    short_name = models.CharField(_("short name"), max_length=50, blank=True)
    level = models.CharField(_("level"), max_length=16, choices=CongressLevel.choices, db_index=True)
    area_name = models.CharField(_("area"), max_length=100)
    area_code = models.CharField(_("area code"), max_length=6, validators=[area_code_validator])
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent congress"),
    )
    is_active = models.BooleanField(_("active"), default=True)

    objects = CongressQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("congress")
        verbose_name_plural = _("congresses")
        ordering = ["area_code", "level", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["area_code", "level"], name="congress_unique_area_level"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        return self.short_name or self.name


class Term(TenantModel):
    """A term (届) of a congress, normally five years."""

    number = models.PositiveSmallIntegerField(_("term number"))
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)

    objects = TermQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("term")
        verbose_name_plural = _("terms")
        ordering = ["congress_id", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["congress", "number"], name="term_unique_number"),
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True) | models.Q(end_date__gt=models.F("start_date")),
                name="term_end_after_start",
            ),
        ]

    def __str__(self) -> str:
        return _("Term %(number)s") % {"number": self.number}


class Session(TenantModel):
    """A plenary session (第N次会议) of a term; between sessions the congress is 闭会期间."""

    term = models.ForeignKey(Term, on_delete=models.PROTECT, related_name="sessions", verbose_name=_("term"))
    number = models.PositiveSmallIntegerField(_("session number"))
    start_date = models.DateField(_("opening date"))
    end_date = models.DateField(_("closing date"))

    objects = SessionQuerySet.as_manager()
    history = HistoricalRecords()
    same_congress_fields = ("term",)

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["congress_id", "-start_date"]
        constraints = [
            models.UniqueConstraint(fields=["term", "number"], name="session_unique_number"),
            models.CheckConstraint(condition=models.Q(end_date__gte=models.F("start_date")), name="session_dates"),
        ]

    def __str__(self) -> str:
        return _("Term %(term)s, session %(number)s") % {"term": self.term.number, "number": self.number}

    def is_in_session(self, on: datetime.date | None = None) -> bool:
        """Whether the plenary is sitting on the given day (today by default)."""
        day = on or timezone.localdate()
        return self.start_date <= day <= self.end_date

    is_in_session.boolean = True  # type: ignore[attr-defined]
    is_in_session.short_description = _("in session")  # type: ignore[attr-defined]


class Committee(TenantModel):
    """A special committee (专门委员会) or working committee (工作委员会) of the standing committee."""

    name = models.CharField(_("name"), max_length=100)
    short_name = models.CharField(_("short name"), max_length=30, blank=True)
    kind = models.CharField(_("kind"), max_length=16, choices=CommitteeKind.choices, default=CommitteeKind.SPECIAL)
    is_deputy_affairs_office = models.BooleanField(
        _("deputy-affairs office"),
        default=False,
        help_text=_("The working committee that runs deputy affairs (联工委); one per congress."),
    )
    is_active = models.BooleanField(_("active"), default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("committee")
        verbose_name_plural = _("committees")
        ordering = ["congress_id", "kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["congress", "name"], name="committee_unique_name"),
            models.UniqueConstraint(
                fields=["congress"],
                condition=models.Q(is_deputy_affairs_office=True),
                name="committee_one_deputy_affairs_office",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        return self.short_name or self.name


class SubjectCategory(TenantModel):
    """A subject of suggestions (e.g. education) and the committee that is its counterpart (对口)."""

    name = models.CharField(_("name"), max_length=50)
    code = models.SlugField(_("code"), max_length=30)
    counterpart_committee = models.ForeignKey(
        Committee,
        on_delete=models.PROTECT,
        related_name="subject_categories",
        verbose_name=_("counterpart committee"),
    )
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    history = HistoricalRecords()
    same_congress_fields = ("counterpart_committee",)

    class Meta:
        verbose_name = _("subject category")
        verbose_name_plural = _("subject categories")
        ordering = ["congress_id", "sort_order", "name"]
        constraints = [models.UniqueConstraint(fields=["congress", "code"], name="subject_category_unique_code")]

    def __str__(self) -> str:
        return self.name


class HandlingUnit(TenantModel):
    """An organ that handles suggestions (承办单位), possibly under a parent (归口) unit."""

    name = models.CharField(_("name"), max_length=100)
    short_name = models.CharField(_("short name"), max_length=30, blank=True)
    kind = models.CharField(
        _("kind"), max_length=24, choices=HandlingUnitKind.choices, default=HandlingUnitKind.GOVERNMENT
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent unit"),
    )
    is_active = models.BooleanField(_("active"), default=True, db_index=True)
    contact_name = models.CharField(_("contact person"), max_length=50, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    contact_email = models.EmailField(_("contact email"), blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)

    objects = HandlingUnitQuerySet.as_manager()
    history = HistoricalRecords()
    same_congress_fields = ("parent",)

    class Meta:
        verbose_name = _("handling unit")
        verbose_name_plural = _("handling units")
        ordering = ["congress_id", "name"]
        constraints = [models.UniqueConstraint(fields=["congress", "name"], name="handling_unit_unique_name")]

    def __str__(self) -> str:
        return self.name


class CalendarDay(TimeStampedModel):
    """An exception to the Monday–Friday week: an official holiday, or a make-up working day (调休)."""

    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=8, choices=CalendarDayKind.choices)
    name = models.CharField(_("name"), max_length=50, blank=True, help_text=_("e.g. Spring Festival"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("calendar day")
        verbose_name_plural = _("working calendar")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date.isoformat()} {self.get_kind_display()} {self.name}".strip()


class StaffProfile(TenantModel):
    """Ties a staff user to a congress and, where it applies, a committee or a handling unit."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_profile", verbose_name=_("user")
    )
    committee = models.ForeignKey(
        Committee, on_delete=models.PROTECT, null=True, blank=True, related_name="staff", verbose_name=_("committee")
    )
    handling_unit = models.ForeignKey(
        HandlingUnit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff",
        verbose_name=_("handling unit"),
    )
    is_head = models.BooleanField(_("head of the unit or committee"), default=False)
    phone = models.CharField(_("phone"), max_length=30, blank=True)

    objects = StaffProfileQuerySet.as_manager()
    history = HistoricalRecords()
    same_congress_fields = ("committee", "handling_unit")

    class Meta:
        verbose_name = _("staff profile")
        verbose_name_plural = _("staff profiles")
        ordering = ["congress_id", "user__username"]

    def __str__(self) -> str:
        return self.user.get_full_name() or self.user.get_username()


class Heartbeat(models.Model):
    """The last run of a periodic task, so /healthz can tell whether the worker and beat are alive."""

    name = models.CharField(_("name"), max_length=50, unique=True)
    last_run_at = models.DateTimeField(_("last run at"))
    run_count = models.PositiveBigIntegerField(_("runs"), default=0)

    class Meta:
        verbose_name = _("heartbeat")
        verbose_name_plural = _("heartbeats")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Notification(models.Model):
    """An in-app message to one user (the bell); every app notifies through `congress.services.notify`."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications", verbose_name=_("user")
    )
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), blank=True)
    url = models.CharField(_("link"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "read_at"], name="notification_user_unread")]

    def __str__(self) -> str:
        return self.title


class OutboxMessage(models.Model):
    """Work owed after a commit: a Celery task and its arguments, written in the transaction of the
    change it follows (`congress.outbox.enqueue`), so a broker outage delays it and loses nothing."""

    task = models.CharField(_("task"), max_length=200)
    args = models.JSONField(_("arguments"), default=list, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        verbose_name = _("outbox message")
        verbose_name_plural = _("outbox")
        ordering = ["pk"]
        # The sweeper reads only what is owed: a small index that delivered rows leave.
        indexes = [
            models.Index(
                fields=["created_at"], condition=models.Q(delivered_at__isnull=True), name="outbox_owed_created"
            )
        ]

    def __str__(self) -> str:
        return f"{self.task}{tuple(self.args)}"
