"""Writes of the stations: the station's own details, its standard checklist (items per congress, a
yearly status per station with evidence files), its rules (documents), its resident deputies, its
blocks with the 1+1+1 team and map outline, and each block's duty list (履职清单).

Who may write: office staff of the station's congress, station staff of the station, administrators
(`ensure_station_staff`); checklist items are the office's (`ensure_office`). Deputies mark their own
block tasks. Objects outside the actor's scope never reach a service (the views and the API look
them up through `visible_to`, which answers 404)."""

from __future__ import annotations

import datetime
import json
import math
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from congress.models import Congress
from congress.roles import Role
from congress.scoping import get_scope
from congress.uploads import MB, check_upload, extension_of
from deputies.choices import MandateStatus
from deputies.models import Deputy

from ..choices import ChecklistState, StationDeputyRole, TaskStatus
from ..exceptions import NotAllowed, WorkflowError
from ..models import (
    Block,
    BlockTask,
    ChecklistEvidence,
    ChecklistItem,
    ChecklistStatus,
    Station,
    StationDeputy,
    StationDocument,
)

# The default standard (七有) a congress starts from: code, name, what is required.
SEVEN_HAVES = [
    ("place", "有场所", "有固定的活动场所，面积满足接待和议事需要。"),
    ("signs", "有标识", "门口有统一的联络站标牌，室内有代表公示栏和接待流程图。"),
    ("rules", "有制度", "接待、学习、联系群众、意见办理、履职档案等制度上墙。"),
    ("deputies", "有代表", "各级进站代表名单公示，分组排班进站。"),
    ("activities", "有活动", "每月至少开展一次代表接待或民情恳谈活动。"),
    ("records", "有台账", "接待登记、意见办理、活动记录台账齐全。"),
    ("results", "有成效", "群众意见建议办理有结果、有反馈，群众满意。"),
]

IMAGE_EXTENSIONS = ("png", "jpg", "jpeg", "webp")
IMAGE_MAX_BYTES = 5 * 1024 * 1024
FILE_EXTENSIONS = ("pdf", "doc", "docx", "ofd", "jpg", "jpeg", "png", "txt")
FILE_MAX_BYTES = 10 * 1024 * 1024

STATION_FIELDS = (
    "managing_body",
    "address",
    "opening_hours",
    "phone",
    "description",
    "is_model_station",
    "notice_days",
)
BLOCK_FIELDS = (
    "number",
    "name",
    "area",
    "wechat_group",
    "instructor_name",
    "instructor_phone",
    "liaison_name",
    "liaison_phone",
)


# --- who may act --------------------------------------------------------------------------------


def can_run_station(user: Any, station: Station) -> bool:
    """Office staff of the station's congress, station staff of the station, administrators."""
    scope = get_scope(user)
    if scope.is_global:
        return True
    if Role.OFFICE in scope.roles and station.congress_id in scope.congress_ids:
        return True
    return Role.STATION in scope.roles and station.pk in scope.station_ids


def ensure_station_staff(actor: Any, station: Station) -> None:
    if not can_run_station(actor, station):
        raise NotAllowed(_("Only the office staff of the congress or the staff of this station can do this."))


def ensure_office(actor: Any, congress_id: int) -> None:
    scope = get_scope(actor)
    if scope.is_global or (Role.OFFICE in scope.roles and congress_id in scope.congress_ids):
        return
    raise NotAllowed(_("Only deputy-affairs office staff of this congress can do this."))


# --- uploads ------------------------------------------------------------------------------------


def check_image(file: Any, field: str) -> None:
    """A PNG, JPEG or WebP image of at most 5 MB whose content really is an image."""
    if extension_of(getattr(file, "name", "") or "") not in IMAGE_EXTENSIONS:
        raise ValidationError({field: _("Upload a PNG, JPEG or WebP image.")})
    try:
        check_upload(file, kind="image", max_mb=IMAGE_MAX_BYTES // MB)
    except ValidationError as error:
        raise ValidationError({field: error.messages}) from error


def check_file(file: Any, field: str) -> None:
    """A PDF, Word, OFD, text or image file of at most 10 MB whose content matches its type."""
    if extension_of(getattr(file, "name", "") or "") not in FILE_EXTENSIONS:
        raise ValidationError(
            {field: _("Upload a file of one of these types: %(types)s.") % {"types": ", ".join(FILE_EXTENSIONS)}}
        )
    try:
        check_upload(file, kind="document", max_mb=FILE_MAX_BYTES // MB)
    except ValidationError as error:
        raise ValidationError({field: error.messages}) from error


# --- the station --------------------------------------------------------------------------------


@transaction.atomic
def station_update(*, station: Station, actor: Any, data: dict[str, Any], map_image: Any = None) -> Station:
    """Change the station's details (managing body, address, hours, phone, description, model-station
    flag, notice days) and, if given, its map image."""
    ensure_station_staff(actor, station)
    station = Station.objects.select_for_update().get(pk=station.pk)
    for field in STATION_FIELDS:
        if field in data:
            setattr(station, field, data[field])
    if map_image:
        check_image(map_image, "map_image")
        station.map_image = map_image
    station.full_clean()
    station.save()
    return station


@transaction.atomic
def station_clear_map(*, station: Station, actor: Any) -> Station:
    ensure_station_staff(actor, station)
    station = Station.objects.select_for_update().get(pk=station.pk)
    station.map_image = ""
    station.save(update_fields=["map_image", "updated_at"])
    return station


# --- checklist ----------------------------------------------------------------------------------


@transaction.atomic
def checklist_items_ensure_default(*, congress: Congress) -> list[ChecklistItem]:
    """The 七有 items of a congress (kept as the office edited them if they exist)."""
    items = []
    for order, (code, name, description) in enumerate(SEVEN_HAVES, start=1):
        item, _created = ChecklistItem.objects.get_or_create(
            congress=congress, code=code, defaults={"name": name, "description": description, "sort_order": order}
        )
        items.append(item)
    return items


@transaction.atomic
def checklist_item_save(
    *,
    actor: Any,
    congress: Congress,
    code: str,
    name: str,
    description: str = "",
    sort_order: int = 0,
    is_active: bool = True,
    item: ChecklistItem | None = None,
) -> ChecklistItem:
    """Add or change an item of the congress's standard (office staff)."""
    ensure_office(actor, congress.pk)
    if item is None:
        item = ChecklistItem(congress=congress)
    elif item.congress_id != congress.pk:
        raise NotAllowed(_("This item belongs to another congress."))
    item.code, item.name, item.description = code, name, description
    item.sort_order, item.is_active = sort_order, is_active
    item.full_clean()
    item.save()
    return item


@transaction.atomic
def checklist_status_set(
    *,
    station: Station,
    item: ChecklistItem,
    year: int,
    actor: Any,
    state: str,
    note: str = "",
    checked_on: datetime.date | None = None,
) -> ChecklistStatus:
    """How the station stands on an item this year (one row per station, item and year)."""
    ensure_station_staff(actor, station)
    if item.congress_id != station.congress_id:
        raise ValidationError({"item": _("This item is not part of the standard of the station's congress.")})
    if state not in ChecklistState.values:
        raise ValidationError({"state": _("Choose met, partly met or not met.")})
    if not 2000 <= year <= 2100:
        raise ValidationError({"year": _("Enter a year between 2000 and 2100.")})
    status, _created = ChecklistStatus.objects.select_for_update().get_or_create(
        station=station, item=item, year=year, defaults={"congress_id": station.congress_id}
    )
    status.state, status.note = state, note.strip()
    status.checked_on = checked_on or timezone.localdate()
    status.full_clean()
    status.save()
    return status


@transaction.atomic
def checklist_evidence_add(*, status: ChecklistStatus, actor: Any, file: Any, caption: str = "") -> ChecklistEvidence:
    """A file proving the status (type and size checked)."""
    ensure_station_staff(actor, status.station)
    if not file:
        raise ValidationError({"file": _("Choose a file.")})
    check_file(file, "file")
    evidence = ChecklistEvidence(congress_id=status.congress_id, status=status, file=file, caption=caption.strip())
    evidence.full_clean()
    evidence.save()
    return evidence


@transaction.atomic
def checklist_evidence_delete(*, evidence: ChecklistEvidence, actor: Any) -> None:
    ensure_station_staff(actor, evidence.status.station)
    evidence.file.delete(save=False)
    evidence.delete()


# --- documents ----------------------------------------------------------------------------------


@transaction.atomic
def station_document_save(
    *,
    station: Station,
    actor: Any,
    title: str,
    text: str = "",
    file: Any = None,
    sort_order: int = 0,
    document: StationDocument | None = None,
) -> StationDocument:
    """Add or change one of the station's rules: a text, a file, or both."""
    ensure_station_staff(actor, station)
    if document is None:
        document = StationDocument(congress_id=station.congress_id, station=station)
    elif document.station_id != station.pk:
        raise NotAllowed(_("This document belongs to another station."))
    if file:
        check_file(file, "file")
        document.file = file
    document.title, document.text, document.sort_order = title.strip(), text.strip(), sort_order
    if not document.text and not document.file:
        raise ValidationError({"text": _("Write the text of the rules or upload a file.")})
    document.full_clean()
    document.save()
    return document


@transaction.atomic
def station_document_delete(*, document: StationDocument, actor: Any) -> None:
    ensure_station_staff(actor, document.station)
    if document.file:
        document.file.delete(save=False)
    document.delete()


# --- deputies of the station --------------------------------------------------------------------


def congress_family_ids(congress_id: int) -> set[int]:
    """The congress, its parent and its children: the levels whose deputies may work at its stations."""
    rows = Congress.objects.filter(Q(pk=congress_id) | Q(parent_id=congress_id) | Q(children__id=congress_id))
    return set(rows.values_list("pk", flat=True)) | {congress_id}


def eligible_deputies(*, congress_id: int) -> Any:
    """Deputies serving in the congress or its parent or child congresses (one query when read)."""
    return (
        Deputy.objects.filter(
            mandates__congress_id__in=congress_family_ids(congress_id), mandates__status=MandateStatus.SERVING
        )
        .distinct()
        .order_by("name", "pk")
    )


def _ensure_eligible(deputy_ids: set[int], congress_id: int, field: str) -> None:
    if not deputy_ids:
        return
    family = congress_family_ids(congress_id)
    serving = set(
        Deputy.objects.filter(
            pk__in=deputy_ids, mandates__congress_id__in=family, mandates__status=MandateStatus.SERVING
        ).values_list("pk", flat=True)
    )
    if deputy_ids - serving:
        names = "、".join(Deputy.objects.filter(pk__in=deputy_ids - serving).values_list("name", flat=True))
        raise ValidationError(
            {
                field: _("Not serving deputies of this congress or its parent or child congresses: %(names)s")
                % {"names": names}
            }
        )


@transaction.atomic
def station_deputy_add(
    *, station: Station, actor: Any, deputy: Deputy, role: str, since: datetime.date | None = None
) -> StationDeputy:
    """A deputy (of any level serving in the station's congress or a parent or child congress) works
    at the station as its manager, a liaison or a resident deputy; adding them again changes the role."""
    ensure_station_staff(actor, station)
    if role not in StationDeputyRole.values:
        raise ValidationError({"role": _("Choose a role.")})
    _ensure_eligible({deputy.pk}, station.congress_id, "deputy")
    post, created = StationDeputy.objects.select_for_update().get_or_create(
        station=station,
        deputy=deputy,
        defaults={"congress_id": station.congress_id, "role": role, "since": since or timezone.localdate()},
    )
    if not created:
        post.role = role
        if since:
            post.since = since
        post.save()
    return post


@transaction.atomic
def station_deputy_remove(*, post: StationDeputy, actor: Any) -> None:
    ensure_station_staff(actor, post.station)
    post.delete()


# --- blocks and their map -----------------------------------------------------------------------


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _ring(ring: Any, where: str) -> list[list[float]]:
    if not isinstance(ring, list) or len(ring) < 4:
        raise ValidationError(
            {
                "geometry": _("%(where)s: a ring needs at least four points (the first repeated at the end).")
                % {"where": where}
            }
        )
    points = []
    for position in ring:
        if not isinstance(position, list) or len(position) not in (2, 3) or not all(_number(v) for v in position):
            raise ValidationError(
                {"geometry": _("%(where)s: every point must be [longitude, latitude] in numbers.") % {"where": where}}
            )
        longitude, latitude = float(position[0]), float(position[1])
        if not (-180 <= longitude <= 180 and -90 <= latitude <= 90):
            raise ValidationError(
                {
                    "geometry": _("%(where)s: longitude must be between -180 and 180, latitude between -90 and 90.")
                    % {"where": where}
                }
            )
        points.append([longitude, latitude])
    if points[0] != points[-1]:
        raise ValidationError(
            {
                "geometry": _("%(where)s: the ring is not closed; its last point must repeat its first.")
                % {"where": where}
            }
        )
    return points


def _polygon(rings: Any, where: str) -> list[list[list[float]]]:
    if not isinstance(rings, list) or not rings:
        raise ValidationError({"geometry": _("%(where)s: a polygon needs at least one ring.") % {"where": where}})
    return [_ring(ring, _("%(where)s, ring %(n)s") % {"where": where, "n": n}) for n, ring in enumerate(rings, 1)]


def geometry_clean(value: Any) -> dict[str, Any] | None:
    """Check a block's map outline and return it as a clean GeoJSON geometry (None when empty).

    Accepts a Polygon or MultiPolygon geometry (or a Feature holding one), as a dict or as JSON text:
    every ring closed, at least four points, every point numeric [longitude, latitude]."""
    if value in (None, "", {}):
        return None
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError as error:
            raise ValidationError({"geometry": _("The map outline is not valid JSON.")}) from error
    if isinstance(value, dict) and value.get("type") == "Feature":
        value = value.get("geometry")
    if not isinstance(value, dict) or value.get("type") not in ("Polygon", "MultiPolygon"):
        raise ValidationError({"geometry": _("The map outline must be a GeoJSON Polygon or MultiPolygon.")})
    coordinates = value.get("coordinates")
    if value["type"] == "Polygon":
        return {"type": "Polygon", "coordinates": _polygon(coordinates, _("The polygon"))}
    if not isinstance(coordinates, list) or not coordinates:
        raise ValidationError({"geometry": _("A MultiPolygon needs at least one polygon.")})
    return {
        "type": "MultiPolygon",
        "coordinates": [_polygon(rings, _("Polygon %(n)s") % {"n": n}) for n, rings in enumerate(coordinates, 1)],
    }


@transaction.atomic
def block_save(
    *,
    station: Station,
    actor: Any,
    data: dict[str, Any],
    supervising_deputy: Deputy | None = None,
    block: Block | None = None,
) -> Block:
    """Add or change a block: number, name, area, WeChat group, the 1+1+1 team and the map outline."""
    ensure_station_staff(actor, station)
    if block is None:
        block = Block(congress_id=station.congress_id, station=station)
    else:
        block = Block.objects.select_for_update().get(pk=block.pk)
        if block.station_id != station.pk:
            raise NotAllowed(_("This block belongs to another station."))
    for field in BLOCK_FIELDS:
        if field in data:
            setattr(block, field, data[field] if data[field] is not None else "")
    if "geometry" in data:
        block.geometry = geometry_clean(data["geometry"])
    if supervising_deputy is not None:
        _ensure_eligible({supervising_deputy.pk}, station.congress_id, "supervising_deputy")
    block.supervising_deputy = supervising_deputy
    if Block.objects.filter(station=station, number=block.number).exclude(pk=block.pk).exists():
        raise ValidationError({"number": _("The station already has a block with this number.")})
    block.full_clean()
    block.save()
    return block


@transaction.atomic
def block_delete(*, block: Block, actor: Any) -> None:
    """Remove a block (its duty list goes with it; forums and issues keep their record without it)."""
    ensure_station_staff(actor, block.station)
    block.delete()


# --- the duty list ------------------------------------------------------------------------------


@transaction.atomic
def block_task_save(
    *,
    block: Block,
    actor: Any,
    title: str,
    description: str = "",
    deputy: Deputy | None = None,
    due_on: datetime.date | None = None,
    task: BlockTask | None = None,
) -> BlockTask:
    """Add or change a task on the block's duty list (staff)."""
    ensure_station_staff(actor, block.station)
    if task is None:
        task = BlockTask(congress_id=block.congress_id, block=block)
    elif task.block_id != block.pk:
        raise NotAllowed(_("This task belongs to another block."))
    if deputy is not None:
        _ensure_eligible({deputy.pk}, block.congress_id, "deputy")
    task.title, task.description, task.deputy, task.due_on = title.strip(), description.strip(), deputy, due_on
    task.full_clean()
    task.save()
    return task


def can_work_task(user: Any, task: BlockTask) -> bool:
    """Staff of the station, the deputy the task is given to, or the block's supervising deputy."""
    if can_run_station(user, task.block.station):
        return True
    deputy_id = get_scope(user).deputy_id
    return deputy_id is not None and deputy_id in (task.deputy_id, task.block.supervising_deputy_id)


@transaction.atomic
def block_task_set_status(
    *, task: BlockTask, actor: Any, status: str, result: str = "", on: datetime.date | None = None
) -> BlockTask:
    """Move a task to to do, in progress or done (done records the day and, if given, the result)."""
    task = BlockTask.objects.select_for_update().select_related("block__station").get(pk=task.pk)
    if not can_work_task(actor, task):
        raise NotAllowed(
            _("Only the station's staff, the deputy given the task or the block's supervising deputy can do this.")
        )
    if status not in TaskStatus.values:
        raise ValidationError({"status": _("Choose to do, in progress or done.")})
    if status == task.status and status != TaskStatus.DONE:
        raise WorkflowError(_("The task is already %(status)s.") % {"status": task.get_status_display()})
    task.status = status
    if status == TaskStatus.DONE:
        task.done_on = on or task.done_on or timezone.localdate()
        if result.strip():
            task.result = result.strip()
    else:
        task.done_on = None
    task.save()
    return task


@transaction.atomic
def block_task_delete(*, task: BlockTask, actor: Any) -> None:
    ensure_station_staff(actor, task.block.station)
    task.delete()
