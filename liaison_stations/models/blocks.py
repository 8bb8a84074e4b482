"""Blocks (片区) of a station: the map, the residents' WeChat group, the 1+1+1 team (instructor,
community liaison, supervising deputy) and the block's duty list (履职清单)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from congress.models import TenantModel

from ..choices import TaskStatus
from ..querysets import BlockTaskQuerySet, StationOwnedQuerySet
from .stations import Station


class Block(TenantModel):
    """A block of a station's area, with its 1+1+1 team and its residents' WeChat group."""

    station = models.ForeignKey(Station, on_delete=models.CASCADE, related_name="blocks", verbose_name=_("station"))
    number = models.PositiveSmallIntegerField(_("number"))
    name = models.CharField(_("name"), max_length=100)
    area = models.CharField(_("area covered"), max_length=300, blank=True, help_text=_("Streets, compounds, villages."))
    geometry = models.JSONField(
        _("map outline"), null=True, blank=True, help_text=_("A GeoJSON Polygon or MultiPolygon of the block.")
    )
    wechat_group = models.CharField(_("residents' WeChat group"), max_length=100, blank=True)
    instructor_name = models.CharField(_("instructor (指导员)"), max_length=50, blank=True)
    instructor_phone = models.CharField(_("instructor's phone"), max_length=20, blank=True)
    liaison_name = models.CharField(_("community liaison (联络员)"), max_length=50, blank=True)
    liaison_phone = models.CharField(_("liaison's phone"), max_length=20, blank=True)
    supervising_deputy = models.ForeignKey(
        "deputies.Deputy",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="supervised_blocks",
        verbose_name=_("supervising deputy"),
    )

    objects = StationOwnedQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])
    same_congress_fields = ("station",)

    class Meta:
        verbose_name = _("block")
        verbose_name_plural = _("blocks")
        ordering = ["station_id", "number", "pk"]
        constraints = [models.UniqueConstraint(fields=["station", "number"], name="block_unique_number")]

    def __str__(self) -> str:
        return f"{self.station} · {self.name}"


class BlockTask(TenantModel):
    """A task on a block's duty list (履职清单), e.g. visit every household of a compound this quarter."""

    block = models.ForeignKey(Block, on_delete=models.CASCADE, related_name="tasks", verbose_name=_("block"))
    title = models.CharField(_("task"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    deputy = models.ForeignKey(
        "deputies.Deputy",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="block_tasks",
        verbose_name=_("deputy"),
    )
    due_on = models.DateField(_("due on"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=8, choices=TaskStatus.choices, default=TaskStatus.TODO, db_index=True
    )
    done_on = models.DateField(_("done on"), null=True, blank=True)
    result = models.TextField(_("result"), blank=True)

    objects = BlockTaskQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])
    same_congress_fields = ("block",)

    class Meta:
        verbose_name = _("block task")
        verbose_name_plural = _("block tasks")
        ordering = ["block_id", "status", "due_on", "pk"]

    def __str__(self) -> str:
        return self.title
