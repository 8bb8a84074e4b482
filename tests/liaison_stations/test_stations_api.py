"""API of stations, reception days, visits and forums: access for every action, scoped lists,
creates through the services, confidential words left out, query budgets."""

import datetime

import pytest
from django.utils import timezone

from liaison_stations.models import Forum, ReceptionDay, Visit
from tests.liaison_stations.factories import StationFactory
from tests.liaison_stations.factories_stations import (
    BlockFactory,
    ForumFactory,
    ReceptionDayFactory,
    StationDeputyFactory,
    VisitFactory,
)
from tests.queries import assert_same_query_count

LISTS = ["/api/v1/stations/", "/api/v1/reception-days/", "/api/v1/visits/", "/api/v1/forums/"]


@pytest.fixture
def rows(world):
    deputy = world.a.deputies[0]
    StationDeputyFactory(station=world.a.station, deputy=deputy)
    block = BlockFactory(station=world.a.station, supervising_deputy=deputy)
    return {
        "station": world.a.station,
        "block": block,
        "reception-days": ReceptionDayFactory(station=world.a.station, deputies=[deputy]),
        "visits": VisitFactory(station=world.a.station, deputy=deputy),
        "forums": ForumFactory(station=world.a.station, block=block, deputies=[deputy]),
    }


@pytest.mark.parametrize("url", LISTS)
def test_anonymous_users_are_refused(client, url):
    assert client.get(url).status_code in {401, 403}


def test_stations_are_listed_in_scope_with_counts(client, world, rows, office_user, station_user, office_user_b):
    client.force_login(office_user)
    listed = {row["id"]: row for row in client.get("/api/v1/stations/").json()["results"]}
    assert set(listed) == {world.a.station.pk, world.a.other_station.pk}
    assert listed[world.a.station.pk]["blocks"] == 1
    assert listed[world.a.station.pk]["deputies"] == 1
    client.force_login(station_user)
    assert [row["id"] for row in client.get("/api/v1/stations/").json()["results"]] == [world.a.station.pk]
    client.force_login(office_user_b)
    assert client.get(f"/api/v1/stations/{world.a.station.pk}/").status_code == 404


def test_a_station_is_read_with_its_blocks(client, world, rows, leader_user):
    client.force_login(leader_user)
    data = client.get(f"/api/v1/stations/{world.a.station.pk}/").json()
    assert [block["id"] for block in data["block_list"]] == [rows["block"].pk]
    assert data["block_list"][0]["supervising_deputy_name"] == world.a.deputies[0].name
    assert data["block_list"][0]["geometry"]["type"] == "Polygon"


@pytest.mark.parametrize("prefix", ["reception-days", "visits", "forums"])
def test_lists_and_reads_are_scoped(client, rows, prefix, office_user, station_user, office_user_b):
    url = f"/api/v1/{prefix}/"
    for user in (office_user, station_user):
        client.force_login(user)
        assert [row["id"] for row in client.get(url).json()["results"]] == [rows[prefix].pk]
        assert client.get(f"{url}{rows[prefix].pk}/").status_code == 200
    client.force_login(office_user_b)
    assert client.get(url).json()["results"] == []
    assert client.get(f"{url}{rows[prefix].pk}/").status_code == 404


def _bodies(world, rows):
    today = timezone.localdate().isoformat()
    deputy = world.a.deputies[0].pk
    return {
        "reception-days": {"station": world.a.station.pk, "date": "2026-12-20", "deputies": [deputy], "topic": "接待"},
        "visits": {
            "station": world.a.station.pk,
            "visited_on": today,
            "words": "噪音扰民",
            "disposition": "answered",
            "disposition_note": "已协调",
            "deputy": deputy,
        },
        "forums": {
            "station": world.a.station.pk,
            "held_on": today,
            "topic": "恳谈会",
            "deputies": [deputy],
            "block": rows["block"].pk,
            "residents": 20,
        },
    }


MODELS = {"reception-days": ReceptionDay, "visits": Visit, "forums": Forum}


@pytest.mark.parametrize("prefix", ["reception-days", "visits", "forums"])
def test_create_access(client, world, rows, prefix, station_user, office_user, leader_user, deputy_user, office_user_b):
    url = f"/api/v1/{prefix}/"
    body = _bodies(world, rows)[prefix]
    before = MODELS[prefix].objects.count()
    # anonymous → 401/403
    assert client.post(url, body, content_type="application/json").status_code in {401, 403}
    # wrong role → 403
    for user in (leader_user, deputy_user):
        client.force_login(user)
        assert client.post(url, body, content_type="application/json").status_code == 403
    # another congress → 404
    client.force_login(office_user_b)
    assert client.post(url, body, content_type="application/json").status_code == 404
    assert MODELS[prefix].objects.count() == before
    # in scope → 201
    for user in (station_user, office_user):
        client.force_login(user)
        response = client.post(url, body, content_type="application/json")
        assert response.status_code == 201, response.json()
    assert MODELS[prefix].objects.count() == before + 2


def test_bad_input_answers_400_with_the_field(client, world, rows, station_user):
    client.force_login(station_user)
    body = _bodies(world, rows)["visits"] | {"disposition": "not_accepted", "disposition_note": ""}
    response = client.post("/api/v1/visits/", body, content_type="application/json")
    assert response.status_code == 400
    assert "disposition_note" in response.json()["errors"]
    body = _bodies(world, rows)["reception-days"] | {"deputies": [world.b.deputies[0].pk]}
    response = client.post("/api/v1/reception-days/", body, content_type="application/json")
    assert response.status_code == 400
    assert "deputies" in response.json()["errors"]


def test_confidential_words_are_left_out_for_leaders(client, world, leader_user, office_user):
    visit = VisitFactory(station=world.a.station, confidentiality="confidential", words="机密内容")
    client.force_login(leader_user)
    row = client.get(f"/api/v1/visits/{visit.pk}/").json()
    assert row["words"] is None
    assert row["visitor_phone"] == "139****5678"
    client.force_login(office_user)
    assert client.get(f"/api/v1/visits/{visit.pk}/").json()["words"] == "机密内容"


def test_the_receiving_deputy_reads_their_visit_through_the_api(client, world, deputy_user):
    visit = VisitFactory(station=world.a.station, confidentiality="confidential", deputy=deputy_user.deputy)
    VisitFactory(station=world.a.station)  # someone else's
    client.force_login(deputy_user)
    rows = client.get("/api/v1/visits/").json()["results"]
    assert [(row["id"], row["words"]) for row in rows] == [(visit.pk, visit.words)]


@pytest.mark.parametrize("url", LISTS)
def test_lists_take_the_same_queries_with_2_or_20_rows(client, world, office_user, django_assert_num_queries, url):
    deputy = world.a.deputies[0]

    def add(n):
        for _ in range(n):
            station = StationFactory(congress=world.a.congress)
            BlockFactory(station=station)
            ReceptionDayFactory(station=station, deputies=[deputy, world.a.deputies[1]])
            VisitFactory(station=station, deputy=deputy)
            ForumFactory(station=station, deputies=[deputy], held_on=datetime.date(2026, 5, 1))

    add(2)
    client.force_login(office_user)
    few, many = assert_same_query_count(django_assert_num_queries, lambda: client.get(url), lambda: add(18))
    assert few.status_code == many.status_code == 200
