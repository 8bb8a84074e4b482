"""Liaison stations (人大代表联络站) and the staff attached to them.

The foundation keeps only what scoping needs; the stations issue adds checklists, blocks,
reception days and the citizens' issues.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from congress.models import TenantModel

from .querysets import StationQuerySet, StationStaffQuerySet


class Station(TenantModel):
    """A place where deputies meet citizens, run by a subdistrict or township congress body."""

    name = models.CharField(_("name"), max_length=100)
    managing_body = models.CharField(_("managing body"), max_length=100, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    opening_hours = models.CharField(_("opening hours"), max_length=100, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    objects = StationQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("liaison station")
        verbose_name_plural = _("liaison stations")
        ordering = ["congress_id", "name"]
        constraints = [models.UniqueConstraint(fields=["congress", "name"], name="station_unique_name")]

    def __str__(self) -> str:
        return self.name


class StationStaff(models.Model):
    """Attaches a station-staff user (e.g. a 联络员) to a station; this is their scope."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="station_posts", verbose_name=_("user")
    )
    station = models.ForeignKey(Station, on_delete=models.CASCADE, related_name="staff", verbose_name=_("station"))
    role = models.CharField(_("role"), max_length=50, blank=True, help_text=_("e.g. station manager, liaison"))

    objects = StationStaffQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("station staff")
        verbose_name_plural = _("station staff")
        ordering = ["station_id", "user_id"]
        constraints = [models.UniqueConstraint(fields=["user", "station"], name="station_staff_unique")]

    def __str__(self) -> str:
        return f"{self.station} · {self.user}"
