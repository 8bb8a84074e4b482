"""Reads of the stations: scoped lists with counts, the year's checklist with its completion, the
blocks with their teams and duty lists, the blocks drawn as an SVG map (projected on the server, no
map tiles), a deputy's blocks and tasks, and what the public page shows."""

from __future__ import annotations

import datetime
import itertools
import math
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from ..choices import ChecklistState, TaskStatus
from ..models import Block, BlockTask, ChecklistItem, ChecklistStatus, Station, StationDeputy, StationDocument


def stations_for_user(*, user: Any, query: str = "") -> QuerySet[Station]:
    """The stations a user may see, with their counts of blocks, deputies and (this year) forums."""
    year = timezone.localdate().year
    queryset = Station.objects.visible_to(user).select_related("congress")
    if query:
        queryset = queryset.filter(
            Q(name__icontains=query) | Q(managing_body__icontains=query) | Q(address__icontains=query)
        )
    return queryset.annotate(
        block_count=Count("blocks", distinct=True),
        deputy_count=Count("deputies", distinct=True),
        forum_count=Count("forums", filter=Q(forums__held_on__year=year), distinct=True),
    ).order_by("congress_id", "name", "pk")


# --- checklist ----------------------------------------------------------------------------------


@dataclass
class ChecklistRow:
    item: ChecklistItem
    status: ChecklistStatus | None

    @property
    def state(self) -> str:
        return self.status.state if self.status else ChecklistState.NOT_MET


@dataclass
class Checklist:
    year: int
    rows: list[ChecklistRow] = field(default_factory=list)

    @property
    def counts(self) -> dict[str, int]:
        counts = {state: 0 for state in ChecklistState.values}
        for row in self.rows:
            counts[row.state] += 1
        return counts

    @property
    def met(self) -> int:
        return self.counts[ChecklistState.MET]

    @property
    def partly(self) -> int:
        return self.counts[ChecklistState.PARTLY]

    @property
    def not_met(self) -> int:
        return self.counts[ChecklistState.NOT_MET]

    @property
    def percent(self) -> int:
        """Share of items met (partly met counts half), rounded."""
        if not self.rows:
            return 0
        return round(100 * (self.met + self.partly / 2) / len(self.rows))


def station_checklist(*, station: Station, year: int) -> Checklist:
    """The congress's active items, each with the station's status of the year and its evidence
    (three queries whatever the number of items)."""
    items = list(
        ChecklistItem.objects.filter(congress_id=station.congress_id, is_active=True).order_by("sort_order", "code")
    )
    statuses = {
        status.item_id: status
        for status in ChecklistStatus.objects.filter(station=station, year=year).prefetch_related("evidence")
    }
    return Checklist(year=year, rows=[ChecklistRow(item=item, status=statuses.get(item.pk)) for item in items])


# --- documents and deputies ---------------------------------------------------------------------


def station_documents(*, station: Station) -> QuerySet[StationDocument]:
    return StationDocument.objects.filter(station=station).order_by("sort_order", "pk")


def station_deputies(*, station: Station) -> QuerySet[StationDeputy]:
    return StationDeputy.objects.filter(station=station).select_related("deputy").order_by("role", "deputy__name", "pk")


# --- blocks -------------------------------------------------------------------------------------


def station_blocks(*, station: Station, with_tasks: bool = False) -> QuerySet[Block]:
    """The station's blocks by number, with their supervising deputy (and duty lists if asked)."""
    queryset = Block.objects.filter(station=station).select_related("supervising_deputy").order_by("number", "pk")
    if with_tasks:
        queryset = queryset.prefetch_related(
            Prefetch("tasks", queryset=BlockTask.objects.select_related("deputy").order_by("status", "due_on", "pk"))
        )
    return queryset.annotate(
        open_tasks=Count("tasks", filter=~Q(tasks__status=TaskStatus.DONE), distinct=True),
        overdue_tasks=Count(
            "tasks",
            filter=~Q(tasks__status=TaskStatus.DONE) & Q(tasks__due_on__lt=timezone.localdate()),
            distinct=True,
        ),
    )


def block_tasks(*, block: Block) -> QuerySet[BlockTask]:
    return BlockTask.objects.filter(block=block).select_related("deputy").order_by("status", "due_on", "pk")


def is_overdue(task: BlockTask, today: datetime.date | None = None) -> bool:
    return task.status != TaskStatus.DONE and task.due_on is not None and task.due_on < (today or timezone.localdate())


def blocks_of_deputy(*, deputy_id: int) -> QuerySet[Block]:
    """The blocks a deputy supervises (their 1+1+1 teams), with the duty lists."""
    return (
        Block.objects.filter(supervising_deputy_id=deputy_id)
        .select_related("station")
        .prefetch_related(
            Prefetch("tasks", queryset=BlockTask.objects.select_related("deputy").order_by("status", "due_on", "pk"))
        )
        .order_by("station_id", "number", "pk")
    )


def tasks_of_deputy(*, deputy_id: int) -> QuerySet[BlockTask]:
    """Tasks given to the deputy by name on blocks they do not supervise."""
    return (
        BlockTask.objects.filter(deputy_id=deputy_id)
        .exclude(block__supervising_deputy_id=deputy_id)
        .select_related("block", "block__station", "deputy")
        .order_by("status", "due_on", "pk")
    )


# --- the map ------------------------------------------------------------------------------------

MIN_HEIGHT, MAX_HEIGHT = 200, 1200
PALETTE = ["#cfe2ff", "#d1e7dd", "#fff3cd", "#f8d7da", "#e2d9f3", "#d2f4ea", "#ffe5d0", "#e9ecef"]


@dataclass
class MapShape:
    block: Block
    path: str
    label_x: float
    label_y: float
    fill: str


@dataclass
class BlockMap:
    width: int
    height: int
    shapes: list[MapShape]

    @property
    def view_box(self) -> str:
        return f"0 0 {self.width} {self.height}"


def _polygons(geometry: dict[str, Any] | None) -> list[list[list[list[float]]]]:
    if not geometry:
        return []
    if geometry.get("type") == "Polygon":
        return [geometry["coordinates"]]
    if geometry.get("type") == "MultiPolygon":
        return list(geometry["coordinates"])
    return []


def _ring_centroid(points: list[tuple[float, float]]) -> tuple[float, float, float]:
    """Centroid and absolute area of a closed ring (the vertex mean when the area is nil)."""
    area = cx = cy = 0.0
    for (x0, y0), (x1, y1) in itertools.pairwise(points):
        cross = x0 * y1 - x1 * y0
        area += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    if abs(area) < 1e-12:
        return sum(p[0] for p in points) / len(points), sum(p[1] for p in points) / len(points), 0.0
    return cx / (3 * area), cy / (3 * area), abs(area / 2)


def block_map(blocks: list[Block], *, width: int = 800, padding: int = 20) -> BlockMap | None:
    """Project the blocks' outlines (longitude/latitude) into an SVG viewBox: the bounding box of all
    blocks, longitudes shrunk by cos(latitude) so shapes keep their proportions, north up. Each block
    is one path (even-odd fill for holes) labelled with its number at the centroid of its largest ring.
    None when no block has an outline."""
    outlined = [(block, _polygons(block.geometry)) for block in blocks]
    outlined = [(block, polygons) for block, polygons in outlined if polygons]
    if not outlined:
        return None
    points = [tuple(p) for _b, polygons in outlined for rings in polygons for ring in rings for p in ring]
    min_lon, max_lon = min(p[0] for p in points), max(p[0] for p in points)
    min_lat, max_lat = min(p[1] for p in points), max(p[1] for p in points)
    x_factor = math.cos(math.radians((min_lat + max_lat) / 2))
    span_x = max((max_lon - min_lon) * x_factor, 1e-9)
    span_y = max(max_lat - min_lat, 1e-9)
    scale = (width - 2 * padding) / span_x
    if span_y * scale + 2 * padding > MAX_HEIGHT:  # a tall area: fit the height instead
        scale = (MAX_HEIGHT - 2 * padding) / span_y
    height = max(round(span_y * scale + 2 * padding), MIN_HEIGHT)
    offset_x = (width - span_x * scale) / 2
    offset_y = (height - span_y * scale) / 2

    def project(lon: float, lat: float) -> tuple[float, float]:
        return (
            round(offset_x + (lon - min_lon) * x_factor * scale, 1),
            round(offset_y + (max_lat - lat) * scale, 1),
        )

    shapes = []
    for index, (block, polygons) in enumerate(outlined):
        parts, best = [], (0.0, 0.0, -1.0)
        for rings in polygons:
            for ring_index, ring in enumerate(rings):
                projected = [project(p[0], p[1]) for p in ring]
                parts.append("M" + " L".join(f"{x},{y}" for x, y in projected[:-1]) + " Z")
                if ring_index == 0:
                    centroid = _ring_centroid(projected)
                    if centroid[2] > best[2]:
                        best = centroid
        shapes.append(
            MapShape(
                block=block,
                path=" ".join(parts),
                label_x=round(best[0], 1),
                label_y=round(best[1], 1),
                fill=PALETTE[index % len(PALETTE)],
            )
        )
    return BlockMap(width=width, height=height, shapes=shapes)


# --- the public page ----------------------------------------------------------------------------


def public_station(*, pk: int) -> Station:
    """An active station by id for its public page (404 otherwise)."""
    from django.shortcuts import get_object_or_404

    return get_object_or_404(Station.objects.filter(is_active=True).select_related("congress"), pk=pk)
