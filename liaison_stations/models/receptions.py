"""Reception days at a station with the deputies on duty, the visits received, and the residents'
forums (民情恳谈会)."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from congress.models import TenantModel

from ..choices import Confidentiality, VisitDisposition
from ..querysets import StationOwnedQuerySet, VisitQuerySet
from .blocks import Block
from .stations import Station


class ReceptionDay(TenantModel):
    """A day (or half day) deputies receive citizens at the station; published ahead on its public page."""

    station = models.ForeignKey(
        Station, on_delete=models.CASCADE, related_name="reception_days", verbose_name=_("station")
    )
    date = models.DateField(_("date"), db_index=True)
    starts_at = models.TimeField(_("from"), default=datetime.time(9, 0))
    ends_at = models.TimeField(_("until"), default=datetime.time(11, 30))
    topic = models.CharField(_("topic"), max_length=200, blank=True)
    deputies = models.ManyToManyField(
        "deputies.Deputy", related_name="reception_days", verbose_name=_("deputies on duty")
    )
    note = models.TextField(_("note"), blank=True)
    confirmed_at = models.DateTimeField(_("confirmed as held at"), null=True, blank=True, editable=False, db_index=True)

    objects = StationOwnedQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])
    same_congress_fields = ("station",)

    class Meta:
        verbose_name = _("reception day")
        verbose_name_plural = _("reception days")
        ordering = ["station_id", "-date", "starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="reception_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return f"{self.station} · {self.date:%Y-%m-%d}"

    def published_from(self) -> datetime.date:
        """The day it appears on the station's public page (its date minus the station's notice days)."""
        return self.date - datetime.timedelta(days=self.station.notice_days)


class Visit(TenantModel):
    """A citizen received at the station: their words as spoken and what was done with them."""

    station = models.ForeignKey(Station, on_delete=models.CASCADE, related_name="visits", verbose_name=_("station"))
    reception_day = models.ForeignKey(
        ReceptionDay,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="visits",
        verbose_name=_("reception day"),
    )
    deputy = models.ForeignKey(
        "deputies.Deputy",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="visits_received",
        verbose_name=_("received by"),
    )
    visited_on = models.DateField(_("date"))
    visitor_name = models.CharField(_("visitor"), max_length=50, blank=True)
    visitor_phone = models.CharField(_("visitor's phone"), max_length=20, blank=True)
    visitors = models.PositiveSmallIntegerField(_("number of visitors"), default=1)
    words = models.TextField(_("what the visitor said"))
    category = models.ForeignKey(
        "congress.SubjectCategory",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("category"),
    )
    confidentiality = models.CharField(
        _("confidentiality"), max_length=12, choices=Confidentiality.choices, default=Confidentiality.PUBLIC
    )
    disposition = models.CharField(_("disposition"), max_length=12, choices=VisitDisposition.choices)
    disposition_note = models.TextField(
        _("answer given or reason"), blank=True, help_text=_("What was answered, or why it was not accepted.")
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = VisitQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])
    same_congress_fields = ("station", "reception_day", "category")

    class Meta:
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        ordering = ["station_id", "-visited_on", "pk"]
        indexes = [models.Index(fields=["station", "visited_on"], name="visit_station_day")]

    def __str__(self) -> str:
        # Never the words: a confidential visit's name shows in admin titles, histories and choices.
        return f"{self.visited_on:%Y-%m-%d} · {self.visitor_name or _('visitor')} #{self.pk}"


class Forum(TenantModel):
    """A residents' forum (民情恳谈会) in a block: deputies present, residents, issues collected."""

    station = models.ForeignKey(Station, on_delete=models.CASCADE, related_name="forums", verbose_name=_("station"))
    block = models.ForeignKey(
        Block, on_delete=models.SET_NULL, null=True, blank=True, related_name="forums", verbose_name=_("block")
    )
    held_on = models.DateField(_("held on"), db_index=True)
    topic = models.CharField(_("topic"), max_length=200)
    place = models.CharField(_("place"), max_length=200, blank=True)
    deputies = models.ManyToManyField("deputies.Deputy", related_name="forums", verbose_name=_("deputies present"))
    residents = models.PositiveIntegerField(_("residents present"), default=0)
    summary = models.TextField(_("summary"), blank=True)

    objects = StationOwnedQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])
    same_congress_fields = ("station", "block")

    class Meta:
        verbose_name = _("forum")
        verbose_name_plural = _("forums")
        ordering = ["station_id", "-held_on", "pk"]

    def __str__(self) -> str:
        return f"{self.held_on:%Y-%m-%d} · {self.topic}"
