"""Pages of the stations: the station desk (/desk/stations/…: the station's home, its details,
checklist, rules, deputies, blocks with the map, the 1+1+1 teams and the duty lists), the deputy's
blocks (/portal/blocks/) and the station's public page (/stations/<id>/, no account).

Station staff work on their stations, office staff on their congress's; leaders read. Other roles
get 403, stations outside the user's scope 404."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from congress.permissions import deputy_required, role_required
from congress.roles import Role
from congress.scoping import get_scope

from ..choices import ChecklistState, StationDeputyRole, TaskStatus
from ..forms.stations import (
    BlockForm,
    BlockTaskForm,
    ChecklistStatusForm,
    DocumentForm,
    StationDeputyForm,
    StationForm,
    TaskStatusForm,
)
from ..models import Block, BlockTask, ChecklistEvidence, ChecklistItem, Station, StationDeputy, StationDocument
from ..selectors import receptions as reception_selectors
from ..selectors import stations as selectors
from ..services import stations as services
from .common import page_of, perform, year_param

DESK_READERS = (Role.OFFICE, Role.STATION, Role.LEADER)
DESK_WRITERS = (Role.OFFICE, Role.STATION)


# --- helpers shared with the receptions' pages ---------------------------------------------------


def desk_station(request: HttpRequest, pk: int) -> Station:
    """A station the user may see (404 otherwise)."""
    return get_object_or_404(Station.objects.visible_to(request.user).select_related("congress"), pk=pk)


def station_context(request: HttpRequest, station: Station, tab: str, **extra: Any) -> dict[str, Any]:
    return {"station": station, "tab": tab, "can_write": services.can_run_station(request.user, station), **extra}


def _eligible(station: Station) -> Any:
    return services.eligible_deputies(congress_id=station.congress_id)


# --- desk: stations ------------------------------------------------------------------------------


@role_required(*DESK_READERS)
def station_list(request: HttpRequest) -> HttpResponse:
    """The stations of the user's scope; station staff of one station go straight to it."""
    query = request.GET.get("q", "").strip()
    stations = selectors.stations_for_user(user=request.user, query=query)
    scope = get_scope(request.user)
    if not query and not scope.is_global and Role.STATION in scope.roles and len(scope.station_ids) == 1:
        return redirect("liaison_stations:desk_station", pk=next(iter(scope.station_ids)))
    return render(request, "liaison_stations/stations/list.html", {"page": page_of(request, stations), "query": query})


@role_required(*DESK_READERS)
def station_home(request: HttpRequest, pk: int) -> HttpResponse:
    """The station's desk home: today's and coming receptions, the year's numbers, checklist completion."""
    station = desk_station(request, pk)
    today = timezone.localdate()
    upcoming = list(reception_selectors.station_receptions(station=station, upcoming=True, today=today)[:5])
    return render(
        request,
        "liaison_stations/stations/home.html",
        station_context(
            request,
            station,
            "home",
            today=today,
            todays=[r for r in upcoming if r.date == today],
            upcoming=[r for r in upcoming if r.date > today],
            counts=reception_selectors.station_counts(station=station, user=request.user, year=today.year, today=today),
            checklist=selectors.station_checklist(station=station, year=today.year),
        ),
    )


@role_required(*DESK_WRITERS)
def station_edit(request: HttpRequest, pk: int) -> HttpResponse:
    station = desk_station(request, pk)
    initial = {field: getattr(station, field) for field in services.STATION_FIELDS}
    form = StationForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        image = data.pop("map_image")
        if perform(
            request,
            lambda: services.station_update(station=station, actor=request.user, data=data, map_image=image),
            _("The station's details were saved."),
            form,
        ):
            return redirect("liaison_stations:desk_station", pk=station.pk)
    return render(request, "liaison_stations/stations/edit.html", station_context(request, station, "home", form=form))


@role_required(*DESK_WRITERS)
@require_POST
def station_clear_map(request: HttpRequest, pk: int) -> HttpResponse:
    station = desk_station(request, pk)
    perform(
        request,
        lambda: services.station_clear_map(station=station, actor=request.user),
        _("The map image was removed."),
    )
    return redirect("liaison_stations:desk_blocks", pk=station.pk)


# --- desk: checklist -----------------------------------------------------------------------------


@role_required(*DESK_READERS)
def checklist(request: HttpRequest, pk: int) -> HttpResponse:
    """The year's checklist with each item's state, note and evidence, and its completion."""
    station = desk_station(request, pk)
    year = year_param(request)
    return render(
        request,
        "liaison_stations/stations/checklist.html",
        station_context(
            request,
            station,
            "checklist",
            year=year,
            years=range(timezone.localdate().year + 1, timezone.localdate().year - 5, -1),
            checklist=selectors.station_checklist(station=station, year=year),
            states=ChecklistState.choices,
        ),
    )


@role_required(*DESK_WRITERS)
def checklist_status(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    """Set one item's state for the year, with an optional evidence file."""
    station = desk_station(request, pk)
    item = get_object_or_404(ChecklistItem.objects.filter(congress_id=station.congress_id), pk=item_pk)
    year = year_param(request)
    current = next(
        (row.status for row in selectors.station_checklist(station=station, year=year).rows if row.item == item), None
    )
    initial = {"state": current.state, "note": current.note, "checked_on": current.checked_on} if current else {}
    form = ChecklistStatusForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data

        def save() -> None:
            status = services.checklist_status_set(
                station=station,
                item=item,
                year=year,
                actor=request.user,
                state=data["state"],
                note=data["note"],
                checked_on=data["checked_on"],
            )
            if data["file"]:
                services.checklist_evidence_add(
                    status=status, actor=request.user, file=data["file"], caption=data["caption"]
                )

        if perform(request, save, _("The checklist item was saved."), form):
            return redirect(f"{_checklist_url(station)}?year={year}")
    return render(
        request,
        "liaison_stations/stations/checklist_status.html",
        station_context(request, station, "checklist", item=item, year=year, form=form, status=current),
    )


def _checklist_url(station: Station) -> str:
    from django.urls import reverse

    return reverse("liaison_stations:desk_checklist", args=[station.pk])


@role_required(*DESK_WRITERS)
@require_POST
def evidence_delete(request: HttpRequest, pk: int, evidence_pk: int) -> HttpResponse:
    station = desk_station(request, pk)
    evidence = get_object_or_404(
        ChecklistEvidence.objects.filter(status__station=station).select_related("status__station"), pk=evidence_pk
    )
    year = evidence.status.year
    perform(
        request,
        lambda: services.checklist_evidence_delete(evidence=evidence, actor=request.user),
        _("The evidence file was removed."),
    )
    return redirect(f"{_checklist_url(station)}?year={year}")


# --- desk: documents -----------------------------------------------------------------------------


@role_required(*DESK_READERS)
def documents(request: HttpRequest, pk: int) -> HttpResponse:
    station = desk_station(request, pk)
    return render(
        request,
        "liaison_stations/stations/documents.html",
        station_context(request, station, "documents", documents=selectors.station_documents(station=station)),
    )


@role_required(*DESK_WRITERS)
def document_form(request: HttpRequest, pk: int, document_pk: int | None = None) -> HttpResponse:
    station = desk_station(request, pk)
    document = (
        get_object_or_404(StationDocument.objects.filter(station=station), pk=document_pk) if document_pk else None
    )
    initial = {"title": document.title, "text": document.text, "sort_order": document.sort_order} if document else {}
    form = DocumentForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if perform(
            request,
            lambda: services.station_document_save(
                station=station,
                actor=request.user,
                title=data["title"],
                text=data["text"],
                file=data["file"],
                sort_order=data["sort_order"],
                document=document,
            ),
            _("The document was saved."),
            form,
        ):
            return redirect("liaison_stations:desk_documents", pk=station.pk)
    return render(
        request,
        "liaison_stations/stations/document_form.html",
        station_context(request, station, "documents", form=form, document=document),
    )


@role_required(*DESK_WRITERS)
@require_POST
def document_delete(request: HttpRequest, pk: int, document_pk: int) -> HttpResponse:
    station = desk_station(request, pk)
    document = get_object_or_404(StationDocument.objects.filter(station=station), pk=document_pk)
    perform(
        request,
        lambda: services.station_document_delete(document=document, actor=request.user),
        _("The document was removed."),
    )
    return redirect("liaison_stations:desk_documents", pk=station.pk)


# --- desk: station deputies ----------------------------------------------------------------------


@role_required(*DESK_READERS)
def station_deputies(request: HttpRequest, pk: int) -> HttpResponse:
    station = desk_station(request, pk)
    form = StationDeputyForm(request.POST or None, deputies=_eligible(station))
    if request.method == "POST":
        if not services.can_run_station(request.user, station):
            from django.core.exceptions import PermissionDenied

            raise PermissionDenied
        if form.is_valid():
            data = form.cleaned_data
            if perform(
                request,
                lambda: services.station_deputy_add(
                    station=station, actor=request.user, deputy=data["deputy"], role=data["role"], since=data["since"]
                ),
                _("%(name)s works at the station.") % {"name": data["deputy"].name},
                form,
            ):
                return redirect("liaison_stations:desk_deputies", pk=station.pk)
    posts = selectors.station_deputies(station=station)
    return render(
        request,
        "liaison_stations/stations/deputies.html",
        station_context(request, station, "deputies", posts=posts, form=form, roles=StationDeputyRole.choices),
    )


@role_required(*DESK_WRITERS)
@require_POST
def station_deputy_remove(request: HttpRequest, pk: int, post_pk: int) -> HttpResponse:
    station = desk_station(request, pk)
    post = get_object_or_404(StationDeputy.objects.filter(station=station).select_related("deputy"), pk=post_pk)
    perform(
        request,
        lambda: services.station_deputy_remove(post=post, actor=request.user),
        _("%(name)s no longer works at the station.") % {"name": post.deputy.name},
    )
    return redirect("liaison_stations:desk_deputies", pk=station.pk)


# --- desk: blocks --------------------------------------------------------------------------------


@role_required(*DESK_READERS)
def blocks(request: HttpRequest, pk: int) -> HttpResponse:
    """The blocks drawn as a map (or the uploaded map image), with the 1+1+1 teams and open tasks."""
    station = desk_station(request, pk)
    rows = list(selectors.station_blocks(station=station))
    return render(
        request,
        "liaison_stations/stations/blocks.html",
        station_context(request, station, "blocks", blocks=rows, map=selectors.block_map(rows)),
    )


@role_required(*DESK_READERS)
def block_assignments(request: HttpRequest, pk: int) -> HttpResponse:
    """The printable deputy–block table (代表联系片区一览表)."""
    station = desk_station(request, pk)
    return render(
        request,
        "liaison_stations/stations/assignments.html",
        station_context(
            request, station, "blocks", blocks=selectors.station_blocks(station=station), today=timezone.localdate()
        ),
    )


def _desk_block(request: HttpRequest, block_pk: int) -> Block:
    return get_object_or_404(
        Block.objects.visible_to(request.user).select_related("station", "station__congress", "supervising_deputy"),
        pk=block_pk,
    )


@role_required(*DESK_READERS)
def block_detail(request: HttpRequest, block_pk: int) -> HttpResponse:
    """A block: its team, WeChat group, outline, and its duty list with a form to add a task."""
    block = _desk_block(request, block_pk)
    tasks = list(selectors.block_tasks(block=block))
    today = timezone.localdate()
    for task in tasks:
        task.overdue = selectors.is_overdue(task, today)
    return render(
        request,
        "liaison_stations/stations/block.html",
        station_context(
            request,
            block.station,
            "blocks",
            current_block=block,
            tasks=tasks,
            map=selectors.block_map([block], width=320),
            task_form=BlockTaskForm(deputies=_eligible(block.station)),
            statuses=TaskStatus.choices,
        ),
    )


@role_required(*DESK_WRITERS)
def block_form(request: HttpRequest, pk: int | None = None, block_pk: int | None = None) -> HttpResponse:
    block = _desk_block(request, block_pk) if block_pk else None
    station = block.station if block else desk_station(request, pk)
    initial: dict[str, Any] = {}
    if block:
        import json

        initial = {field: getattr(block, field) for field in services.BLOCK_FIELDS}
        initial["supervising_deputy"] = block.supervising_deputy_id
        initial["geometry"] = json.dumps(block.geometry, ensure_ascii=False) if block.geometry else ""
    else:
        last = Block.objects.filter(station=station).order_by("-number").values_list("number", flat=True).first()
        initial["number"] = (last or 0) + 1
    form = BlockForm(request.POST or None, initial=initial, deputies=_eligible(station))
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        deputy = data.pop("supervising_deputy")
        saved: dict[str, Block] = {}

        def save() -> None:
            saved["block"] = services.block_save(
                station=station, actor=request.user, data=data, supervising_deputy=deputy, block=block
            )

        if perform(request, save, _("The block was saved."), form):
            return redirect("liaison_stations:desk_block", block_pk=saved["block"].pk)
    return render(
        request,
        "liaison_stations/stations/block_form.html",
        station_context(request, station, "blocks", form=form, current_block=block),
    )


@role_required(*DESK_WRITERS)
@require_POST
def block_delete(request: HttpRequest, block_pk: int) -> HttpResponse:
    block = _desk_block(request, block_pk)
    if perform(request, lambda: services.block_delete(block=block, actor=request.user), _("The block was removed.")):
        return redirect("liaison_stations:desk_blocks", pk=block.station_id)
    return redirect("liaison_stations:desk_block", block_pk=block.pk)


@role_required(*DESK_WRITERS)
@require_POST
def block_task_create(request: HttpRequest, block_pk: int) -> HttpResponse:
    block = _desk_block(request, block_pk)
    form = BlockTaskForm(request.POST, deputies=_eligible(block.station))
    if form.is_valid():
        data = form.cleaned_data
        perform(
            request,
            lambda: services.block_task_save(
                block=block,
                actor=request.user,
                title=data["title"],
                description=data["description"],
                deputy=data["deputy"],
                due_on=data["due_on"],
            ),
            _("The task was added to the duty list."),
        )
    else:
        for errors in form.errors.values():
            for text in errors:
                messages.error(request, text)
    return redirect("liaison_stations:desk_block", block_pk=block.pk)


@role_required(*DESK_WRITERS)
def block_task_edit(request: HttpRequest, task_pk: int) -> HttpResponse:
    task = get_object_or_404(
        BlockTask.objects.visible_to(request.user).select_related("block__station", "deputy"), pk=task_pk
    )
    block = task.block
    initial = {"title": task.title, "description": task.description, "deputy": task.deputy_id, "due_on": task.due_on}
    form = BlockTaskForm(request.POST or None, initial=initial, deputies=_eligible(block.station))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if perform(
            request,
            lambda: services.block_task_save(
                block=block,
                actor=request.user,
                title=data["title"],
                description=data["description"],
                deputy=data["deputy"],
                due_on=data["due_on"],
                task=task,
            ),
            _("The task was saved."),
            form,
        ):
            return redirect("liaison_stations:desk_block", block_pk=block.pk)
    return render(
        request,
        "liaison_stations/stations/task_form.html",
        station_context(request, block.station, "blocks", form=form, task=task, current_block=block),
    )


@role_required(*DESK_WRITERS)
@require_POST
def block_task_delete(request: HttpRequest, task_pk: int) -> HttpResponse:
    task = get_object_or_404(BlockTask.objects.visible_to(request.user).select_related("block__station"), pk=task_pk)
    perform(request, lambda: services.block_task_delete(task=task, actor=request.user), _("The task was removed."))
    return redirect("liaison_stations:desk_block", block_pk=task.block_id)


def _set_task_status(request: HttpRequest, task: BlockTask) -> None:
    form = TaskStatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose to do, in progress or done."))
        return
    perform(
        request,
        lambda: services.block_task_set_status(
            task=task, actor=request.user, status=form.cleaned_data["status"], result=form.cleaned_data["result"]
        ),
        _("The task is now: %(status)s.") % {"status": TaskStatus(form.cleaned_data["status"]).label},
    )


@role_required(*DESK_WRITERS)
@require_POST
def block_task_status(request: HttpRequest, task_pk: int) -> HttpResponse:
    task = get_object_or_404(BlockTask.objects.visible_to(request.user).select_related("block__station"), pk=task_pk)
    _set_task_status(request, task)
    return redirect("liaison_stations:desk_block", block_pk=task.block_id)


# --- portal: my blocks ---------------------------------------------------------------------------


@deputy_required
def portal_blocks(request: HttpRequest) -> HttpResponse:
    """The deputy's blocks (as supervising deputy) with their duty lists, other tasks given to them,
    and their reception duties."""
    deputy_id = get_scope(request.user).deputy_id
    today = timezone.localdate()
    my_blocks = list(selectors.blocks_of_deputy(deputy_id=deputy_id))
    other_tasks = list(selectors.tasks_of_deputy(deputy_id=deputy_id))
    for task in [t for b in my_blocks for t in b.tasks.all()] + other_tasks:
        task.overdue = selectors.is_overdue(task, today)
    duties = list(reception_selectors.receptions_of_deputy(deputy_id=deputy_id, today=today))
    return render(
        request,
        "liaison_stations/stations/portal_blocks.html",
        {
            "blocks": my_blocks,
            "other_tasks": other_tasks,
            "coming": [r for r in duties if r.date >= today],
            "past": [r for r in duties if r.date < today][::-1],
            "today": today,
        },
    )


@deputy_required
@require_POST
def portal_task_status(request: HttpRequest, task_pk: int) -> HttpResponse:
    """The deputy marks a task of their block (or given to them) in progress or done."""
    deputy_id = get_scope(request.user).deputy_id
    task = get_object_or_404(
        BlockTask.objects.filter(Q(deputy_id=deputy_id) | Q(block__supervising_deputy_id=deputy_id)).select_related(
            "block__station"
        ),
        pk=task_pk,
    )
    _set_task_status(request, task)
    return redirect("liaison_stations:portal_blocks")


# --- public page ---------------------------------------------------------------------------------


def station_public(request: HttpRequest, pk: int) -> HttpResponse:
    """The station's public page (no account): where and when, its rules, its deputies, its blocks
    and teams, and the reception days published so far (from `published_from()` on, never earlier)."""
    station = selectors.public_station(pk=pk)
    today = timezone.localdate()
    rows = list(selectors.station_blocks(station=station))
    return render(
        request,
        "liaison_stations/stations/public.html",
        {
            "station": station,
            "documents": selectors.station_documents(station=station),
            "posts": selectors.station_deputies(station=station),
            "blocks": rows,
            "map": selectors.block_map(rows),
            "receptions": reception_selectors.published_receptions(station=station, today=today),
            "today": today,
        },
    )


urlpatterns = [
    path("desk/stations/", station_list, name="desk_stations"),
    path("desk/stations/<int:pk>/", station_home, name="desk_station"),
    path("desk/stations/<int:pk>/edit/", station_edit, name="desk_station_edit"),
    path("desk/stations/<int:pk>/map/clear/", station_clear_map, name="desk_station_clear_map"),
    path("desk/stations/<int:pk>/checklist/", checklist, name="desk_checklist"),
    path("desk/stations/<int:pk>/checklist/<int:item_pk>/", checklist_status, name="desk_checklist_status"),
    path("desk/stations/<int:pk>/evidence/<int:evidence_pk>/delete/", evidence_delete, name="desk_evidence_delete"),
    path("desk/stations/<int:pk>/documents/", documents, name="desk_documents"),
    path("desk/stations/<int:pk>/documents/new/", document_form, name="desk_document_create"),
    path("desk/stations/<int:pk>/documents/<int:document_pk>/", document_form, name="desk_document_edit"),
    path("desk/stations/<int:pk>/documents/<int:document_pk>/delete/", document_delete, name="desk_document_delete"),
    path("desk/stations/<int:pk>/deputies/", station_deputies, name="desk_deputies"),
    path("desk/stations/<int:pk>/deputies/<int:post_pk>/remove/", station_deputy_remove, name="desk_deputy_remove"),
    path("desk/stations/<int:pk>/blocks/", blocks, name="desk_blocks"),
    path("desk/stations/<int:pk>/blocks/assignments/", block_assignments, name="desk_block_assignments"),
    path("desk/stations/<int:pk>/blocks/new/", block_form, name="desk_block_create"),
    path("desk/stations/blocks/<int:block_pk>/", block_detail, name="desk_block"),
    path("desk/stations/blocks/<int:block_pk>/edit/", block_form, name="desk_block_edit"),
    path("desk/stations/blocks/<int:block_pk>/delete/", block_delete, name="desk_block_delete"),
    path("desk/stations/blocks/<int:block_pk>/tasks/", block_task_create, name="desk_block_task_create"),
    path("desk/stations/tasks/<int:task_pk>/", block_task_edit, name="desk_block_task_edit"),
    path("desk/stations/tasks/<int:task_pk>/status/", block_task_status, name="desk_block_task_status"),
    path("desk/stations/tasks/<int:task_pk>/delete/", block_task_delete, name="desk_block_task_delete"),
    path("portal/blocks/", portal_blocks, name="portal_blocks"),
    path("portal/blocks/tasks/<int:task_pk>/status/", portal_task_status, name="portal_task_status"),
    path("stations/<int:pk>/", station_public, name="station_public"),
]
