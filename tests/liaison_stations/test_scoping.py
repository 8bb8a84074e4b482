"""`visible_to(user)` of the stations and their staff, for every role."""

import pytest

from congress.models import Committee, Congress
from liaison_stations.models import Station, StationStaff
from tests.roles import ROLE_SCOPE, expected_rows, visible_ids

STATION_MODELS = [Station, StationStaff]


@pytest.mark.parametrize("role", [role for role in ROLE_SCOPE if role != "station_user"])
def test_visible_to_limits_rows_to_the_roles_congress(request, world, role):
    # given a user of the role
    user = request.getfixturevalue(role)

    # when the rows of each model visible to them are listed
    visible = {model.__name__: visible_ids(model, user) for model in STATION_MODELS}

    # then they are exactly the rows of the role's congress (all for superusers and administrators)
    assert visible == {model.__name__: expected_rows(model, role, world) for model in STATION_MODELS}


def test_station_staff_see_only_their_own_station(world, station_user):
    # given a liaison at one of the two stations of congress A
    # when they list stations
    visible = visible_ids(Station, station_user)

    # then only their station is there, not the other station of A nor B's
    assert visible == {world.a.station.pk}


def test_station_staff_see_only_the_staff_of_their_own_station(world, station_user):
    # given a liaison at one station of A (another liaison works at the other station of A)
    # when they list station staff
    visible = visible_ids(StationStaff, station_user)

    # then only the staff of their station are there
    assert visible == set(StationStaff.objects.filter(station=world.a.station).values_list("pk", flat=True))
    assert not StationStaff.objects.filter(pk__in=visible, station=world.a.other_station).exists()


def test_station_staff_see_their_stations_congress_rows(world, station_user):
    # given a liaison at a station of A

    # when they list congresses and committees
    # then A's rows are there and B's are not
    assert visible_ids(Congress, station_user) == {world.a.congress.pk}
    assert world.a.committee.pk in visible_ids(Committee, station_user)
    assert world.b.committee.pk not in visible_ids(Committee, station_user)


def test_office_staff_see_every_station_of_their_congress(world, office_user):
    # given office staff of A
    # when they list stations
    # then both stations of A are there, B's are not
    assert visible_ids(Station, office_user) == {world.a.station.pk, world.a.other_station.pk}
