"""Liaison stations (人大代表联络站): the station, its staff, its standard checklist (e.g. 七有) with
a yearly status and evidence, its rules (documents) and its resident deputies."""

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from congress.models import TenantModel
from congress.uploads import RandomName, UploadValidator

from ..choices import ChecklistState, StationDeputyRole
from ..querysets import EvidenceQuerySet, StationOwnedQuerySet, StationQuerySet, StationStaffQuerySet


class Station(TenantModel):
    """A place where deputies meet citizens, run by a subdistrict or township congress body."""

    name = models.CharField(_("name"), max_length=100)
    managing_body = models.CharField(_("managing body"), max_length=100, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    opening_hours = models.CharField(_("opening hours"), max_length=100, blank=True)
    phone = models.CharField(_("station phone"), max_length=30, blank=True)
    description = models.TextField(_("description"), blank=True)
    is_model_station = models.BooleanField(_("model station"), default=False)
    map_image = models.ImageField(
        _("map of the blocks"),
        upload_to=RandomName("stations/maps"),
        validators=[UploadValidator("image", 5)],
        blank=True,
    )
    notice_days = models.PositiveSmallIntegerField(
        _("days a reception is published ahead"), default=2, validators=[MaxValueValidator(30)]
    )
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


class StationDeputy(TenantModel):
    """A deputy of any level who works at the station, with their role there."""

    station = models.ForeignKey(Station, on_delete=models.CASCADE, related_name="deputies", verbose_name=_("station"))
    deputy = models.ForeignKey(
        "deputies.Deputy", on_delete=models.CASCADE, related_name="station_posts", verbose_name=_("deputy")
    )
    role = models.CharField(
        _("role"), max_length=10, choices=StationDeputyRole.choices, default=StationDeputyRole.RESIDENT
    )
    since = models.DateField(_("since"), null=True, blank=True)

    objects = StationOwnedQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])
    same_congress_fields = ("station",)

    class Meta:
        verbose_name = _("station deputy")
        verbose_name_plural = _("station deputies")
        ordering = ["station_id", "role", "deputy__name", "pk"]
        constraints = [models.UniqueConstraint(fields=["station", "deputy"], name="station_deputy_once")]

    def __str__(self) -> str:
        return f"{self.station} · {self.deputy} ({self.get_role_display()})"


class ChecklistItem(TenantModel):
    """An item of the congress's standard for stations (e.g. one of the 七有: a place, signs, rules...)."""

    code = models.SlugField(_("code"), max_length=30)
    name = models.CharField(_("name"), max_length=100)
    description = models.TextField(_("what is required"), blank=True)
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("checklist item")
        verbose_name_plural = _("checklist items")
        ordering = ["congress_id", "sort_order", "code"]
        constraints = [models.UniqueConstraint(fields=["congress", "code"], name="checklist_item_unique_code")]

    def __str__(self) -> str:
        return self.name


class ChecklistStatus(TenantModel):
    """How a station stands on one checklist item in a year."""

    station = models.ForeignKey(Station, on_delete=models.CASCADE, related_name="checklist", verbose_name=_("station"))
    item = models.ForeignKey(ChecklistItem, on_delete=models.CASCADE, related_name="statuses", verbose_name=_("item"))
    year = models.PositiveSmallIntegerField(_("year"))
    state = models.CharField(_("state"), max_length=8, choices=ChecklistState.choices, default=ChecklistState.NOT_MET)
    note = models.TextField(_("note"), blank=True)
    checked_on = models.DateField(_("checked on"), null=True, blank=True)

    objects = StationOwnedQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])
    same_congress_fields = ("station", "item")

    class Meta:
        verbose_name = _("checklist status")
        verbose_name_plural = _("checklist statuses")
        ordering = ["station_id", "-year", "item__sort_order", "pk"]
        constraints = [models.UniqueConstraint(fields=["station", "item", "year"], name="checklist_status_once")]

    def __str__(self) -> str:
        return f"{self.station} · {self.item} · {self.year}"


class ChecklistEvidence(TenantModel):
    """A file proving a checklist status (a photo of the sign, the rules on the wall...)."""

    status = models.ForeignKey(
        ChecklistStatus, on_delete=models.CASCADE, related_name="evidence", verbose_name=_("status")
    )
    file = models.FileField(
        _("file"), upload_to=RandomName("stations/evidence"), validators=[UploadValidator("document", 10)]
    )
    caption = models.CharField(_("caption"), max_length=200, blank=True)

    objects = EvidenceQuerySet.as_manager()
    same_congress_fields = ("status",)

    class Meta:
        verbose_name = _("checklist evidence")
        verbose_name_plural = _("checklist evidence")
        ordering = ["status_id", "pk"]

    def __str__(self) -> str:
        return self.caption or self.file.name


class StationDocument(TenantModel):
    """One of the station's rules or other documents (制度), shown on its page."""

    station = models.ForeignKey(Station, on_delete=models.CASCADE, related_name="documents", verbose_name=_("station"))
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(
        _("file"), upload_to=RandomName("stations/documents"), validators=[UploadValidator("document", 10)], blank=True
    )
    text = models.TextField(_("text"), blank=True)
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=0)

    objects = StationOwnedQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])
    same_congress_fields = ("station",)

    class Meta:
        verbose_name = _("station document")
        verbose_name_plural = _("station documents")
        ordering = ["station_id", "sort_order", "pk"]

    def __str__(self) -> str:
        return self.title
