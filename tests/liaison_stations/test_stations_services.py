"""Services of the stations: who may edit, uploads checked, the checklist, documents, station
deputies of any level, blocks with validated GeoJSON outlines, the duty list, and the SVG map."""

import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from liaison_stations.exceptions import WorkflowError
from liaison_stations.models import Block, ChecklistEvidence, ChecklistItem, ChecklistStatus, StationDeputy
from liaison_stations.selectors import stations as selectors
from liaison_stations.services import stations as services
from tests.congress.factories import CongressFactory, TermFactory
from tests.deputies.factories import MandateFactory
from tests.liaison_stations.factories_stations import (
    BlockFactory,
    BlockTaskFactory,
    ChecklistItemFactory,
    square,
)


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def png(name="map.png", size=(20, 10)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, "white").save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


# --- the station ---------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["station_user", "office_user", "admin_user"])
def test_station_staff_office_and_administrators_edit_the_station(request, world, role):
    # given a user who runs the station
    actor = request.getfixturevalue(role)

    # when they change its details and upload a map image
    station = services.station_update(
        station=world.a.station,
        actor=actor,
        data={"address": "会龙山街道 1 号", "is_model_station": True, "notice_days": 3, "phone": "0737-1234567"},
        map_image=png(),
    )

    # then the station keeps them
    station.refresh_from_db()
    assert (station.address, station.is_model_station, station.notice_days) == ("会龙山街道 1 号", True, 3)
    assert station.map_image.name.startswith("stations/maps/")


@pytest.mark.parametrize("role", ["leader_user", "committee_user", "deputy_user", "unit_user", "office_user_b"])
def test_other_roles_cannot_edit_the_station(request, world, role):
    # given a user who does not run the station (a leader reads; B's office is another congress)
    actor = request.getfixturevalue(role)

    # when they try to change it
    # then they are refused and nothing changes
    with pytest.raises(PermissionDenied):
        services.station_update(station=world.a.station, actor=actor, data={"address": "改了"})
    world.a.station.refresh_from_db()
    assert world.a.station.address != "改了"


def test_station_staff_cannot_edit_another_station(world, station_user):
    # given a liaison of one station of A
    # when they edit the other station of A
    # then they are refused
    with pytest.raises(PermissionDenied):
        services.station_update(station=world.a.other_station, actor=station_user, data={"address": "改了"})


@pytest.mark.parametrize(
    ("upload", "message_part"),
    [
        (SimpleUploadedFile("map.gif", b"GIF89a", content_type="image/gif"), "type"),
        (SimpleUploadedFile("map.png", b"not an image", content_type="image/png"), "readable"),
        (SimpleUploadedFile("map.png", b"x" * (5 * 1024 * 1024 + 1), content_type="image/png"), "size"),
    ],
    ids=["type", "content", "size"],
)
def test_map_image_type_content_and_size_are_checked(world, office_user, upload, message_part):
    # given a file that is not a small PNG/JPEG/WebP image
    # when office staff upload it as the map
    # then it is refused on the map field
    with pytest.raises(ValidationError) as caught:
        services.station_update(station=world.a.station, actor=office_user, data={}, map_image=upload)
    assert "map_image" in caught.value.message_dict
    world.a.station.refresh_from_db()
    assert not world.a.station.map_image


def test_notice_days_beyond_thirty_are_refused(world, office_user):
    with pytest.raises(ValidationError) as caught:
        services.station_update(station=world.a.station, actor=office_user, data={"notice_days": 31})
    assert "notice_days" in caught.value.message_dict


# --- the checklist -------------------------------------------------------------------------------


def test_seven_haves_are_seeded_once(world):
    # given a congress without checklist items
    # when the default set is ensured twice
    services.checklist_items_ensure_default(congress=world.a.congress)
    services.checklist_items_ensure_default(congress=world.a.congress)

    # then the seven items exist once, in order
    names = list(ChecklistItem.objects.filter(congress=world.a.congress).values_list("name", flat=True))
    assert names == ["有场所", "有标识", "有制度", "有代表", "有活动", "有台账", "有成效"]


def test_office_staff_define_items_station_staff_do_not(world, office_user, station_user):
    # when office staff add an item
    item = services.checklist_item_save(actor=office_user, congress=world.a.congress, code="wifi", name="有网络")

    # then it is the congress's; station staff may not add one
    assert item.congress == world.a.congress
    with pytest.raises(PermissionDenied):
        services.checklist_item_save(actor=station_user, congress=world.a.congress, code="x", name="有X")


def test_checklist_status_is_one_row_per_year_with_evidence_and_counts(world, station_user):
    # given the 七有 items of A
    items = services.checklist_items_ensure_default(congress=world.a.congress)

    # when the liaison marks two items met (one twice), one partly, with an evidence file
    services.checklist_status_set(station=world.a.station, item=items[0], year=2026, actor=station_user, state="partly")
    status = services.checklist_status_set(
        station=world.a.station, item=items[0], year=2026, actor=station_user, state="met", note="面积 120 平方米"
    )
    services.checklist_status_set(station=world.a.station, item=items[1], year=2026, actor=station_user, state="met")
    services.checklist_status_set(station=world.a.station, item=items[2], year=2026, actor=station_user, state="partly")
    services.checklist_evidence_add(
        status=status, actor=station_user, file=SimpleUploadedFile("sign.pdf", b"%PDF-1.4"), caption="标牌照片"
    )

    # then there is one status per item and year, and the year's checklist counts them
    assert ChecklistStatus.objects.filter(station=world.a.station, item=items[0], year=2026).count() == 1
    assert ChecklistEvidence.objects.filter(status=status).count() == 1
    checklist = selectors.station_checklist(station=world.a.station, year=2026)
    assert (checklist.met, checklist.partly, checklist.not_met) == (2, 1, 4)
    assert checklist.percent == round(100 * 2.5 / 7)
    assert selectors.station_checklist(station=world.a.station, year=2025).met == 0


def test_evidence_of_a_wrong_type_is_refused(world, station_user):
    item = ChecklistItemFactory(congress=world.a.congress)
    status = services.checklist_status_set(
        station=world.a.station, item=item, year=2026, actor=station_user, state="met"
    )
    with pytest.raises(ValidationError) as caught:
        services.checklist_evidence_add(status=status, actor=station_user, file=SimpleUploadedFile("x.exe", b"MZ"))
    assert "file" in caught.value.message_dict
    assert not ChecklistEvidence.objects.exists()


def test_an_item_of_another_congress_is_refused(world, office_user):
    item = ChecklistItemFactory(congress=world.b.congress)
    with pytest.raises(ValidationError) as caught:
        services.checklist_status_set(station=world.a.station, item=item, year=2026, actor=office_user, state="met")
    assert "item" in caught.value.message_dict


# --- documents -----------------------------------------------------------------------------------


def test_documents_need_text_or_a_file(world, station_user):
    document = services.station_document_save(
        station=world.a.station, actor=station_user, title="代表进站接待制度", text="每月 15 日接待。"
    )
    assert document.station == world.a.station
    with pytest.raises(ValidationError) as caught:
        services.station_document_save(station=world.a.station, actor=station_user, title="空制度")
    assert "text" in caught.value.message_dict


# --- station deputies ----------------------------------------------------------------------------


def test_deputies_of_the_congress_its_parent_and_its_children_may_join(world, office_user):
    # given a deputy of A, one of a child congress of A, one of A's parent, and one of B
    parent = CongressFactory()
    world.a.congress.parent = parent
    world.a.congress.save()
    child = CongressFactory(parent=world.a.congress)
    of_child = MandateFactory(term=TermFactory(congress=child)).deputy
    of_parent = MandateFactory(term=TermFactory(congress=parent)).deputy
    of_b = world.b.deputies[0]

    # when office staff add them with roles
    for deputy, role in [(world.a.deputies[0], "manager"), (of_child, "liaison"), (of_parent, "resident")]:
        services.station_deputy_add(station=world.a.station, actor=office_user, deputy=deputy, role=role)

    # then the three work there; B's deputy is refused by name
    assert StationDeputy.objects.filter(station=world.a.station).count() == 3
    with pytest.raises(ValidationError) as caught:
        services.station_deputy_add(station=world.a.station, actor=office_user, deputy=of_b, role="resident")
    assert of_b.name in caught.value.message_dict["deputy"][0]


def test_adding_a_deputy_again_changes_the_role(world, office_user):
    deputy = world.a.deputies[0]
    services.station_deputy_add(station=world.a.station, actor=office_user, deputy=deputy, role="resident")
    services.station_deputy_add(station=world.a.station, actor=office_user, deputy=deputy, role="manager")
    assert list(StationDeputy.objects.filter(station=world.a.station).values_list("role", flat=True)) == ["manager"]


def test_a_resigned_deputy_may_not_join(world, office_user):
    deputy = MandateFactory(term=world.a.term, status="resigned").deputy
    with pytest.raises(ValidationError):
        services.station_deputy_add(station=world.a.station, actor=office_user, deputy=deputy, role="resident")


# --- GeoJSON -------------------------------------------------------------------------------------


def test_a_polygon_is_accepted_and_cleaned():
    geometry = services.geometry_clean(
        '{"type": "Polygon", "coordinates": [[[112, 28], [113, 28], [113, 29], [112, 28]]]}'
    )
    assert geometry == {
        "type": "Polygon",
        "coordinates": [[[112.0, 28.0], [113.0, 28.0], [113.0, 29.0], [112.0, 28.0]]],
    }


def test_a_multipolygon_and_a_feature_are_accepted():
    ring = square(112.35, 28.55)["coordinates"]
    assert services.geometry_clean({"type": "MultiPolygon", "coordinates": [ring, ring]})["type"] == "MultiPolygon"
    feature = {"type": "Feature", "properties": {}, "geometry": square(112.35, 28.55)}
    assert services.geometry_clean(feature)["type"] == "Polygon"


@pytest.mark.parametrize("empty", [None, "", {}])
def test_an_empty_outline_is_none(empty):
    assert services.geometry_clean(empty) is None


@pytest.mark.parametrize(
    "bad",
    [
        "{not json",
        {"type": "Point", "coordinates": [112, 28]},
        {"type": "LineString", "coordinates": [[112, 28], [113, 28]]},
        {"type": "Polygon", "coordinates": []},
        {"type": "Polygon", "coordinates": [[[112, 28], [113, 28], [112, 28]]]},
        {"type": "Polygon", "coordinates": [[[112, 28], [113, 28], [113, 29], [112, 29]]]},
        {"type": "Polygon", "coordinates": [[[112, 28], ["113", 28], [113, 29], [112, 28]]]},
        {"type": "Polygon", "coordinates": [[[112, 28], [True, 28], [113, 29], [112, 28]]]},
        {"type": "Polygon", "coordinates": [[[112, 28], [113], [113, 29], [112, 28]]]},
        {"type": "Polygon", "coordinates": [[[112, 28], [200, 28], [113, 29], [112, 28]]]},
        {"type": "MultiPolygon", "coordinates": []},
        [1, 2, 3],
    ],
    ids=[
        "json",
        "point",
        "line",
        "no-ring",
        "three-points",
        "not-closed",
        "string-coordinate",
        "boolean-coordinate",
        "one-coordinate",
        "out-of-range",
        "empty-multi",
        "array",
    ],
)
def test_bad_outlines_are_refused_on_the_geometry_field(bad):
    with pytest.raises(ValidationError) as caught:
        services.geometry_clean(bad)
    assert list(caught.value.message_dict) == ["geometry"]


# --- blocks --------------------------------------------------------------------------------------


def test_blocks_are_saved_with_their_team_and_outline(world, station_user):
    # when the liaison adds a block with its team, a supervising deputy of A and an outline
    block = services.block_save(
        station=world.a.station,
        actor=station_user,
        data={
            "number": 1,
            "name": "桃花仑片区",
            "wechat_group": "桃花仑居民群",
            "instructor_name": "王指导",
            "liaison_name": "李联络",
            "geometry": square(112.35, 28.55),
        },
        supervising_deputy=world.a.deputies[0],
    )

    # then it is there with all of it
    block.refresh_from_db()
    assert block.supervising_deputy == world.a.deputies[0]
    assert block.geometry["type"] == "Polygon"


def test_block_numbers_are_unique_per_station_and_outlines_checked(world, station_user):
    services.block_save(station=world.a.station, actor=station_user, data={"number": 1, "name": "一片区"})
    with pytest.raises(ValidationError) as caught:
        services.block_save(station=world.a.station, actor=station_user, data={"number": 1, "name": "又一片区"})
    assert "number" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        services.block_save(
            station=world.a.station,
            actor=station_user,
            data={"number": 2, "name": "二片区", "geometry": {"type": "Point", "coordinates": [1, 2]}},
        )
    assert "geometry" in caught.value.message_dict
    assert Block.objects.filter(station=world.a.station).count() == 1


def test_a_supervising_deputy_of_another_congress_is_refused(world, station_user):
    with pytest.raises(ValidationError) as caught:
        services.block_save(
            station=world.a.station,
            actor=station_user,
            data={"number": 1, "name": "一片区"},
            supervising_deputy=world.b.deputies[0],
        )
    assert "supervising_deputy" in caught.value.message_dict


def test_leaders_cannot_add_blocks(world, leader_user):
    with pytest.raises(PermissionDenied):
        services.block_save(station=world.a.station, actor=leader_user, data={"number": 1, "name": "一片区"})


# --- the duty list -------------------------------------------------------------------------------


def test_the_supervising_deputy_marks_a_task_done(world, deputy_user):
    # given a block supervised by the deputy with a task on its list
    task = BlockTaskFactory(block=BlockFactory(station=world.a.station, supervising_deputy=deputy_user.deputy))

    # when the deputy marks it in progress, then done with a result
    services.block_task_set_status(task=task, actor=deputy_user, status="doing")
    task = services.block_task_set_status(
        task=task, actor=deputy_user, status="done", result="走访 46 户", on=datetime.date(2026, 5, 2)
    )

    # then it is done on that day with the result
    task.refresh_from_db()
    assert (task.status, task.done_on, task.result) == ("done", datetime.date(2026, 5, 2), "走访 46 户")


def test_the_deputy_given_the_task_may_mark_it_others_may_not(world, deputy_user):
    given = BlockTaskFactory(block=BlockFactory(station=world.a.station), deputy=deputy_user.deputy)
    services.block_task_set_status(task=given, actor=deputy_user, status="done")
    other = BlockTaskFactory(block=BlockFactory(station=world.a.station), deputy=world.a.deputies[0])
    with pytest.raises(PermissionDenied):
        services.block_task_set_status(task=other, actor=deputy_user, status="done")
    other.refresh_from_db()
    assert other.status == "todo"


def test_moving_a_task_to_its_own_status_is_refused_and_reopening_clears_the_day(world, station_user):
    task = BlockTaskFactory(block=BlockFactory(station=world.a.station))
    with pytest.raises(WorkflowError):
        services.block_task_set_status(task=task, actor=station_user, status="todo")
    services.block_task_set_status(task=task, actor=station_user, status="done")
    task = services.block_task_set_status(task=task, actor=station_user, status="doing")
    assert task.done_on is None


def test_overdue_is_an_open_task_past_its_due_date(world):
    block = BlockFactory(station=world.a.station)
    today = datetime.date(2026, 7, 1)
    late = BlockTaskFactory(block=block, due_on=datetime.date(2026, 6, 30))
    done = BlockTaskFactory(block=block, due_on=datetime.date(2026, 6, 30), status="done")
    coming = BlockTaskFactory(block=block, due_on=datetime.date(2026, 7, 1))
    assert [selectors.is_overdue(task, today) for task in (late, done, coming)] == [True, False, False]


# --- the map -------------------------------------------------------------------------------------


def test_the_map_projects_every_block_into_the_view_box(world):
    # given two blocks side by side and one without an outline
    west = BlockFactory(station=world.a.station, number=1, geometry=square(112.35, 28.55))
    east = BlockFactory(station=world.a.station, number=2, geometry=square(112.354, 28.55))
    BlockFactory(station=world.a.station, number=3, geometry=None)

    # when the map is drawn
    drawn = selectors.block_map(list(Block.objects.filter(station=world.a.station).order_by("number")))

    # then the two outlined blocks are paths inside the view box, west left of east, labelled inside
    assert [shape.block for shape in drawn.shapes] == [west, east]
    for shape in drawn.shapes:
        numbers = [
            float(v)
            for part in shape.path.replace("M", " ").replace("L", " ").replace("Z", " ").split()
            for v in part.split(",")
        ]
        xs, ys = numbers[0::2], numbers[1::2]
        assert min(xs) >= 0
        assert max(xs) <= drawn.width
        assert min(ys) >= 0
        assert max(ys) <= drawn.height
        assert min(xs) < shape.label_x < max(xs)
        assert min(ys) < shape.label_y < max(ys)
    assert drawn.shapes[0].label_x < drawn.shapes[1].label_x
    assert drawn.view_box == f"0 0 {drawn.width} {drawn.height}"


def test_north_is_up_on_the_map(world):
    south = BlockFactory(station=world.a.station, number=1, geometry=square(112.35, 28.55))
    north = BlockFactory(station=world.a.station, number=2, geometry=square(112.35, 28.554))
    drawn = selectors.block_map([south, north])
    assert drawn.shapes[1].label_y < drawn.shapes[0].label_y


def test_no_outline_no_map(world):
    assert selectors.block_map([BlockFactory(station=world.a.station, geometry=None)]) is None
