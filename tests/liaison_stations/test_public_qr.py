"""码上找代表: the deputy's QR code (SVG, PNG) and the placards (one deputy, a whole station), and who
may print them (office staff, station staff of the deputy's station, the deputy themself)."""

from __future__ import annotations

import io

import pytest
import segno
from django.urls import reverse
from PIL import Image

from deputies.choices import DeputyStatus, MandateStatus
from deputies.models import Mandate
from tests.congress.factories import CongressFactory, TermFactory
from tests.deputies.factories import DeputyFactory, MandateFactory
from tests.liaison_stations.factories_public import BlockFactory, StationDeputyFactory
from tests.queries import assert_same_query_count


@pytest.fixture
def deputy(world):
    """A deputy serving in congress A who works at station A and supervises a block there."""
    deputy = world.a.deputies[0]
    StationDeputyFactory(station=world.a.station, deputy=deputy, role="manager")
    BlockFactory(station=world.a.station, supervising_deputy=deputy, name="桃花仑片区")
    return deputy


# --- QR codes ---


def test_the_svg_qr_encodes_the_absolute_intake_link(client, deputy):
    # when
    response = client.get(reverse("liaison_stations:deputy_qr_svg", args=[deputy.public_code]))

    # then
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert b"<svg" in response.content
    assert "public" in response["Cache-Control"]
    assert "max-age=86400" in response["Cache-Control"]
    expected = io.BytesIO()
    link = f"http://testserver/q/{deputy.public_code}"
    segno.make(link, error="m").save(expected, kind="svg", scale=10, border=2, xmldecl=False, svgns=True)
    assert response.content == expected.getvalue()


def test_the_png_qr_decodes_as_an_image(client, deputy):
    # when
    response = client.get(reverse("liaison_stations:deputy_qr_png", args=[deputy.public_code]), {"download": "1"})

    # then
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert "attachment" in response["Content-Disposition"]
    image = Image.open(io.BytesIO(response.content))
    image.verify()
    assert image.format == "PNG"
    assert image.size[0] == image.size[1] > 100


def test_the_qr_uses_the_public_base_url_when_set(client, deputy, settings):
    settings.PUBLIC_BASE_URL = "https://rd.example.gov.cn/"
    response = client.get(reverse("liaison_stations:deputy_qr_svg", args=[deputy.public_code]))
    expected = io.BytesIO()
    link = f"https://rd.example.gov.cn/q/{deputy.public_code}"
    segno.make(link, error="m").save(expected, kind="svg", scale=10, border=2, xmldecl=False, svgns=True)
    assert response.content == expected.getvalue()


@pytest.mark.parametrize("kind", ["deputy_qr_svg", "deputy_qr_png"])
def test_no_qr_for_an_unknown_code_or_a_deputy_who_does_not_serve(client, deputy, kind):
    assert client.get(reverse(f"liaison_stations:{kind}", args=["nope-nope-nope"])).status_code == 404

    deputy.status = DeputyStatus.SUSPENDED
    deputy.save()
    assert client.get(reverse(f"liaison_stations:{kind}", args=[deputy.public_code])).status_code == 404

    deputy.status = DeputyStatus.ACTIVE
    deputy.save()
    Mandate.objects.filter(deputy=deputy).update(status=MandateStatus.RESIGNED)
    assert client.get(reverse(f"liaison_stations:{kind}", args=[deputy.public_code])).status_code == 404


# --- one deputy's placard ---


def placard_url(deputy, size=None):
    url = reverse("liaison_stations:deputy_placard", args=[deputy.pk])
    return f"{url}?size={size}" if size else url


def test_office_staff_print_a_deputys_placard_with_photo_level_station_blocks_and_qr(client, office_user, deputy):
    client.force_login(office_user)

    # when
    response = client.get(placard_url(deputy))

    # then
    assert response.status_code == 200
    [(placard, link)] = response.context["placards"]
    assert placard.deputy == deputy
    [level] = placard.levels  # "甲市人大代表" once translated
    assert "甲市人大" in level
    assert [station.name for station in placard.stations] == ["甲市会龙山街道人大代表联络站"]
    assert [block.name for block in placard.blocks] == ["桃花仑片区"]
    assert link == f"http://testserver/q/{deputy.public_code}"
    assert response.context["size"] == "a5"
    content = response.content.decode()
    assert reverse("liaison_stations:deputy_qr_svg", args=[deputy.public_code]) in content
    assert "placard size-a5" in content
    assert "css/placard.css" in content


def test_the_placard_lists_every_serving_level_highest_first(client, office_user, deputy, world):
    # given a district seat too (the district congress under city A)
    district = CongressFactory(name="赫山区人民代表大会", short_name="赫山区人大", level="county")
    MandateFactory(deputy=deputy, term=TermFactory(congress=district))
    client.force_login(office_user)

    # when
    placard = client.get(placard_url(deputy)).context["placards"][0][0]

    # then the city first, then the district
    assert len(placard.levels) == 2
    assert "甲市人大" in placard.levels[0]
    assert "赫山区人大" in placard.levels[1]


def test_the_placard_comes_in_a4(client, office_user, deputy):
    client.force_login(office_user)
    response = client.get(placard_url(deputy, "a4"))
    assert response.context["size"] == "a4"
    assert "placard size-a4" in response.content.decode()
    # anything else falls back to A5
    assert client.get(placard_url(deputy, "letter")).context["size"] == "a5"


def test_station_staff_print_placards_of_their_stations_deputies_only(client, station_user, deputy, world):
    client.force_login(station_user)
    assert client.get(placard_url(deputy)).status_code == 200
    # a deputy of congress A who does not work at the station
    assert client.get(placard_url(world.a.deputies[1])).status_code == 404


def test_a_deputy_prints_their_own_placard_but_not_anothers(client, deputy_user, other_deputy_user, deputy):
    client.force_login(deputy_user)
    assert client.get(placard_url(deputy_user.deputy)).status_code == 200
    assert client.get(placard_url(deputy)).status_code == 404

    client.force_login(other_deputy_user)
    assert client.get(placard_url(deputy_user.deputy)).status_code == 404


def test_placard_access_for_others(client, deputy, unit_user, office_user_b):
    # anonymous → login
    response = client.get(placard_url(deputy))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]
    # wrong role → 403
    client.force_login(unit_user)
    assert client.get(placard_url(deputy)).status_code == 403
    # office staff of another congress → 404
    client.force_login(office_user_b)
    assert client.get(placard_url(deputy)).status_code == 404


def test_no_placard_for_a_deputy_whose_code_does_not_work(client, office_user, deputy):
    deputy.status = DeputyStatus.FORMER
    deputy.save()
    client.force_login(office_user)
    assert client.get(placard_url(deputy)).status_code == 404


# --- a station's placards, one a page ---


def station_url(station, size=None):
    url = reverse("liaison_stations:station_placards", args=[station.pk])
    return f"{url}?size={size}" if size else url


def test_office_staff_print_every_station_deputys_placard(client, office_user, deputy, world):
    # given a second station deputy and one whose code does not work
    StationDeputyFactory(station=world.a.station, deputy=world.a.deputies[1])
    suspended = DeputyFactory(name="停职代表", status=DeputyStatus.SUSPENDED)
    MandateFactory(deputy=suspended, term=world.a.term)
    StationDeputyFactory(station=world.a.station, deputy=suspended)
    client.force_login(office_user)

    # when
    response = client.get(station_url(world.a.station, "a4"))

    # then
    assert response.status_code == 200
    assert [placard.deputy for placard, _link in response.context["placards"]] == [deputy, world.a.deputies[1]]
    assert response.context["skipped"] == [suspended]
    assert response.content.decode().count('class="placard size-a4"') == 2


def test_station_placards_access(client, world, station_user, deputy_user, office_user_b):
    url = station_url(world.a.station)
    response = client.get(url)
    assert response.status_code == 302
    assert reverse("login") in response["Location"]

    client.force_login(station_user)
    assert client.get(url).status_code == 200
    assert client.get(station_url(world.a.other_station)).status_code == 404

    client.force_login(deputy_user)
    assert client.get(url).status_code == 403

    client.force_login(office_user_b)
    assert client.get(url).status_code == 404


def test_station_placards_query_budget(client, office_user, world, django_assert_num_queries):
    station = world.a.station
    for deputy in world.a.deputies:
        StationDeputyFactory(station=station, deputy=deputy)
    client.force_login(office_user)

    def add_rows():
        for _ in range(18):
            deputy = DeputyFactory()
            MandateFactory(deputy=deputy, term=world.a.term)
            StationDeputyFactory(station=station, deputy=deputy)
            BlockFactory(station=station, supervising_deputy=deputy)

    few, many = assert_same_query_count(django_assert_num_queries, lambda: client.get(station_url(station)), add_rows)
    assert len(few.context["placards"]) == 2
    assert len(many.context["placards"]) == 20
