"""Pages of the stations' desk, the deputy's blocks and the station's public page: the access
matrix for every page, the moves through the pages, confidentiality on the pages, query budgets."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from liaison_stations.models import Block, BlockTask
from tests.liaison_stations.factories_stations import (
    BlockFactory,
    BlockTaskFactory,
    ChecklistItemFactory,
    ForumFactory,
    ReceptionDayFactory,
    StationDeputyFactory,
    StationDocumentFactory,
    VisitFactory,
    square,
)
from tests.queries import assert_same_query_count


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _objects(station, deputy):
    block = BlockFactory(station=station, supervising_deputy=deputy)
    StationDeputyFactory(station=station, deputy=deputy)
    return {
        "station": station,
        "item": ChecklistItemFactory(congress=station.congress),
        "document": StationDocumentFactory(station=station),
        "block": block,
        "task": BlockTaskFactory(block=block, deputy=deputy),
        "reception": ReceptionDayFactory(station=station, deputies=[deputy]),
        "visit": VisitFactory(station=station, deputy=deputy),
        "forum": ForumFactory(station=station, block=block, deputies=[deputy]),
    }


@pytest.fixture
def mine(world):
    return _objects(world.a.station, world.a.deputies[0])


@pytest.fixture
def theirs(world):
    """The same on the other station of A (out of scope for the liaison of the first)."""
    return _objects(world.a.other_station, world.a.deputies[1])


# (url name, arguments as keys of the objects, writers only)
DESK_PAGES = [
    ("desk_station", ["station"], False),
    ("desk_station_edit", ["station"], True),
    ("desk_checklist", ["station"], False),
    ("desk_checklist_status", ["station", "item"], True),
    ("desk_documents", ["station"], False),
    ("desk_document_create", ["station"], True),
    ("desk_document_edit", ["station", "document"], True),
    ("desk_deputies", ["station"], False),
    ("desk_blocks", ["station"], False),
    ("desk_block_assignments", ["station"], False),
    ("desk_block_create", ["station"], True),
    ("desk_block", ["block"], False),
    ("desk_block_edit", ["block"], True),
    ("desk_block_task_edit", ["task"], True),
    ("desk_receptions", ["station"], False),
    ("desk_reception_create", ["station"], True),
    ("desk_reception", ["reception"], False),
    ("desk_reception_edit", ["reception"], True),
    ("desk_visits", ["station"], False),
    ("desk_visit_create", ["station"], True),
    ("desk_visit", ["visit"], False),
    ("desk_forums", ["station"], False),
    ("desk_forum_create", ["station"], True),
    ("desk_forum", ["forum"], False),
    ("desk_forum_edit", ["forum"], True),
]


def _url(name, keys, objects):
    return reverse(f"liaison_stations:{name}", args=[objects[key].pk for key in keys])


@pytest.mark.parametrize(("name", "keys", "writers_only"), DESK_PAGES, ids=[page[0] for page in DESK_PAGES])
def test_desk_page_access(
    client,
    request,
    mine,
    theirs,
    name,
    keys,
    writers_only,
    office_user,
    station_user,
    leader_user,
    deputy_user,
    committee_user,
    office_user_b,
):
    url = _url(name, keys, mine)
    # anonymous → login
    response = client.get(url)
    assert response.status_code == 302
    assert "login" in response.url
    # deputies and committee staff → 403
    for user in (deputy_user, committee_user):
        client.force_login(user)
        assert client.get(url).status_code == 403
    # leaders read, do not write
    client.force_login(leader_user)
    assert client.get(url).status_code == (403 if writers_only else 200)
    # another congress's office → 404; the liaison of one station → 404 on the other station's pages
    client.force_login(office_user_b)
    assert client.get(url).status_code == 404
    client.force_login(station_user)
    assert client.get(_url(name, keys, theirs)).status_code == 404
    # in scope → 200
    for user in (office_user, station_user):
        client.force_login(user)
        assert client.get(url).status_code == 200


def test_the_station_list_sends_a_liaison_to_their_station(client, world, station_user, office_user):
    client.force_login(station_user)
    response = client.get(reverse("liaison_stations:desk_stations"))
    assert response.status_code == 302
    assert response.url == reverse("liaison_stations:desk_station", args=[world.a.station.pk])
    client.force_login(office_user)
    response = client.get(reverse("liaison_stations:desk_stations"))
    assert {station.pk for station in response.context["page"]} == {world.a.station.pk, world.a.other_station.pk}


# --- moves through the pages ---------------------------------------------------------------------


def test_editing_the_station_through_the_page(client, world, station_user):
    client.force_login(station_user)
    response = client.post(
        reverse("liaison_stations:desk_station_edit", args=[world.a.station.pk]),
        {
            "managing_body": "会龙山街道人大工委",
            "address": "桃花仑路 18 号",
            "notice_days": "3",
            "is_model_station": "on",
        },
    )
    assert response.status_code == 302
    world.a.station.refresh_from_db()
    assert (world.a.station.notice_days, world.a.station.is_model_station) == (3, True)


def test_a_bad_outline_is_shown_on_the_block_form(client, world, station_user):
    # given the liaison on the block form
    client.force_login(station_user)

    # when they send an outline whose ring is not closed
    response = client.post(
        reverse("liaison_stations:desk_block_create", args=[world.a.station.pk]),
        {
            "number": "1",
            "name": "一片区",
            "geometry": '{"type": "Polygon", "coordinates": [[[1,2],[3,4],[5,6],[7,8]]]}',
        },
    )

    # then the form comes back with the error on the outline and no block is made
    assert response.status_code == 200
    assert "geometry" in response.context["form"].errors
    assert not Block.objects.exists()


def test_adding_a_block_with_an_outline_draws_it_on_the_map(client, world, station_user):
    client.force_login(station_user)
    response = client.post(
        reverse("liaison_stations:desk_block_create", args=[world.a.station.pk]),
        {"number": "7", "name": "七片区", "geometry": str(square(112.35, 28.55)).replace("'", '"')},
    )
    block = Block.objects.get()
    assert response.url == reverse("liaison_stations:desk_block", args=[block.pk])
    page = client.get(reverse("liaison_stations:desk_blocks", args=[world.a.station.pk]))
    assert len(page.context["map"].shapes) == 1
    assert b"<svg" in page.content
    assert b"<path" in page.content


def test_station_staff_add_a_task_and_set_its_status(client, world, station_user):
    block = BlockFactory(station=world.a.station)
    client.force_login(station_user)
    client.post(
        reverse("liaison_stations:desk_block_task_create", args=[block.pk]),
        {"title": "走访独居老人", "due_on": "2026-06-30"},
    )
    task = BlockTask.objects.get()
    client.post(reverse("liaison_stations:desk_block_task_status", args=[task.pk]), {"status": "doing"})
    task.refresh_from_db()
    assert task.status == "doing"


def test_writing_pages_refuse_leaders_on_post(client, world, leader_user):
    block = BlockFactory(station=world.a.station)
    client.force_login(leader_user)
    response = client.post(reverse("liaison_stations:desk_block_task_create", args=[block.pk]), {"title": "x"})
    assert response.status_code == 403
    response = client.post(reverse("liaison_stations:desk_deputies", args=[world.a.station.pk]), {})
    assert response.status_code == 403
    assert not BlockTask.objects.exists()


# --- the portal ----------------------------------------------------------------------------------


def test_portal_blocks_access(client, world, deputy_user, office_user):
    url = reverse("liaison_stations:portal_blocks")
    response = client.get(url)
    assert response.status_code == 302
    client.force_login(office_user)
    assert client.get(url).status_code == 403
    client.force_login(deputy_user)
    assert client.get(url).status_code == 200


def test_a_deputy_sees_their_blocks_and_duties_and_marks_a_task_done(client, world, deputy_user):
    # given a block the deputy supervises with a task, and a reception duty tomorrow
    block = BlockFactory(station=world.a.station, supervising_deputy=deputy_user.deputy)
    task = BlockTaskFactory(block=block)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    reception = ReceptionDayFactory(station=world.a.station, date=tomorrow, deputies=[deputy_user.deputy])
    client.force_login(deputy_user)

    # when they open their blocks and mark the task done
    page = client.get(reverse("liaison_stations:portal_blocks"))
    client.post(
        reverse("liaison_stations:portal_task_status", args=[task.pk]), {"status": "done", "result": "走访 12 户"}
    )

    # then the page listed both, and the task is done with the result
    assert page.context["blocks"] == [block]
    assert page.context["coming"] == [reception]
    task.refresh_from_db()
    assert (task.status, task.result) == ("done", "走访 12 户")


def test_a_deputy_cannot_mark_someone_elses_task(client, world, deputy_user):
    task = BlockTaskFactory(block=BlockFactory(station=world.a.station), deputy=world.a.deputies[0])
    client.force_login(deputy_user)
    response = client.post(reverse("liaison_stations:portal_task_status", args=[task.pk]), {"status": "done"})
    assert response.status_code == 404
    task.refresh_from_db()
    assert task.status == "todo"


# --- the public page -----------------------------------------------------------------------------


def test_the_public_page_shows_days_published_and_not_those_further_ahead(client, world):
    # given a station publishing 2 days ahead with days 2 and 3 days from today
    today = timezone.localdate()
    deputy = world.a.deputies[0]
    StationDeputyFactory(station=world.a.station, deputy=deputy)
    StationDocumentFactory(station=world.a.station, title="代表进站接待制度")
    BlockFactory(station=world.a.station, name="桃花仑片区")
    shown = ReceptionDayFactory(station=world.a.station, date=today + datetime.timedelta(days=2), deputies=[deputy])
    hidden = ReceptionDayFactory(station=world.a.station, date=today + datetime.timedelta(days=3), deputies=[deputy])

    # when anyone (no account) opens the station's public page
    response = client.get(reverse("liaison_stations:station_public", args=[world.a.station.pk]))

    # then it shows the station, its rules, its blocks and only the day published
    assert response.status_code == 200
    assert response.context["receptions"] == [shown]
    assert hidden not in response.context["receptions"]
    content = response.content.decode()
    assert "代表进站接待制度" in content
    assert "桃花仑片区" in content
    assert world.a.station.name in content


def test_an_inactive_or_missing_station_has_no_public_page(client, world):
    world.a.station.is_active = False
    world.a.station.save()
    assert client.get(reverse("liaison_stations:station_public", args=[world.a.station.pk])).status_code == 404
    assert client.get(reverse("liaison_stations:station_public", args=[999999])).status_code == 404


# --- query budgets -------------------------------------------------------------------------------


def _rows(world, n):
    deputy = world.a.deputies[0]
    for _ in range(n):
        block = BlockFactory(station=world.a.station, supervising_deputy=deputy)
        BlockTaskFactory(block=block, deputy=deputy)
        ReceptionDayFactory(station=world.a.station, date=timezone.localdate(), deputies=[deputy, world.a.deputies[1]])
        ReceptionDayFactory(
            station=world.a.station, date=timezone.localdate() - datetime.timedelta(days=3), deputies=[deputy]
        )
        VisitFactory(station=world.a.station, deputy=deputy, visited_on=timezone.localdate())
        ForumFactory(station=world.a.station, block=block, deputies=[deputy], held_on=timezone.localdate())
        StationDeputyFactory(station=world.a.station)
        StationDocumentFactory(station=world.a.station)


@pytest.mark.parametrize(
    "name",
    [
        "desk_station",
        "desk_checklist",
        "desk_documents",
        "desk_deputies",
        "desk_blocks",
        "desk_block_assignments",
        "desk_receptions",
        "desk_visits",
        "desk_forums",
    ],
)
def test_desk_pages_take_the_same_queries_with_2_or_20_rows(
    client, world, office_user, django_assert_num_queries, name
):
    client.force_login(office_user)
    _rows(world, 2)
    url = reverse(f"liaison_stations:{name}", args=[world.a.station.pk])
    few, many = assert_same_query_count(django_assert_num_queries, lambda: client.get(url), lambda: _rows(world, 18))
    assert few.status_code == many.status_code == 200


def test_the_station_list_takes_the_same_queries(client, world, office_user, django_assert_num_queries):
    from tests.liaison_stations.factories import StationFactory

    client.force_login(office_user)
    url = reverse("liaison_stations:desk_stations")
    assert_same_query_count(
        django_assert_num_queries,
        lambda: client.get(url),
        lambda: [BlockFactory(station=s) for s in StationFactory.create_batch(18, congress=world.a.congress)],
    )


def test_portal_and_public_page_take_the_same_queries(client, world, deputy_user, django_assert_num_queries):
    deputy = deputy_user.deputy
    StationDeputyFactory(station=world.a.station, deputy=deputy)

    def add(n):
        for _ in range(n):
            block = BlockFactory(station=world.a.station, supervising_deputy=deputy)
            BlockTaskFactory.create_batch(2, block=block, deputy=world.a.deputies[0])
            BlockTaskFactory(block=BlockFactory(station=world.a.station), deputy=deputy)
            ReceptionDayFactory(
                station=world.a.station, date=timezone.localdate(), deputies=[deputy, world.a.deputies[0]]
            )
            StationDocumentFactory(station=world.a.station)

    add(2)
    client.force_login(deputy_user)
    portal = reverse("liaison_stations:portal_blocks")
    assert_same_query_count(django_assert_num_queries, lambda: client.get(portal), lambda: add(18))
    client.logout()
    public = reverse("liaison_stations:station_public", args=[world.a.station.pk])
    assert_same_query_count(django_assert_num_queries, lambda: client.get(public), lambda: add(18))
