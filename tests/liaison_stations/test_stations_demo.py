"""The stations' demo loads a Wanlou-like station on a small district (and a second run adds nothing)."""

from __future__ import annotations

import datetime

from django.contrib.auth.models import Group
from django.utils import timezone

from congress.roles import Role
from deputies.models import ActivityRecord
from liaison_stations.demo_stations import seed
from liaison_stations.models import Block, ChecklistStatus, Forum, ReceptionDay, StationDeputy, StationDocument, Visit
from liaison_stations.selectors import stations as selectors
from liaison_stations.selectors.receptions import published_receptions
from liaison_stations.services.stations import geometry_clean
from tests.congress.factories import CongressFactory, TermFactory, UserFactory
from tests.deputies.factories import MandateFactory
from tests.liaison_stations.factories import StationFactory, StationStaffFactory


def test_demo_seed_loads_once(world, deputy_user):
    # given a district congress under A with 15 deputies of its own, the `deputy` account serving in
    # both, the station and its `station` account
    heshan = CongressFactory(parent=world.a.congress, level="county")
    term = TermFactory(congress=heshan)
    MandateFactory(deputy=deputy_user.deputy, term=term)
    for _n in range(15):
        MandateFactory(term=term)
    station = StationFactory(congress=heshan)
    staff = UserFactory(username="station")
    staff.groups.add(Group.objects.get(name=Role.STATION))
    StationStaffFactory(user=staff, station=station)
    messages = []
    context = {"station": station, "log": messages.append, "password": "demo"}

    # when it is seeded twice
    seed(context)
    seed(context)

    # then the station is a model station with its checklist, rules, 17 outlined blocks and 11 supervisors
    station.refresh_from_db()
    assert station.is_model_station
    assert station.notice_days == 2
    assert ChecklistStatus.objects.filter(station=station, year=2026).count() == 7
    assert selectors.station_checklist(station=station, year=2026).met == 6
    assert StationDocument.objects.filter(station=station).count() == 6
    blocks = Block.objects.filter(station=station)
    assert blocks.count() == 17
    assert all(geometry_clean(block.geometry) == block.geometry for block in blocks)
    assert len(selectors.block_map(list(blocks)).shapes) == 17
    assert blocks.values("supervising_deputy").distinct().count() == 11
    assert blocks.filter(supervising_deputy=deputy_user.deputy).count() == 1
    assert StationDeputy.objects.filter(station=station).exists()
    # reception days with 2–3 on duty, the `deputy` account on a coming, published one
    today = timezone.localdate()
    published = published_receptions(station=station, today=today)
    assert any(deputy_user.deputy in reception.deputies.all() for reception in published)
    assert ReceptionDay.objects.filter(station=station, date__gt=today).count() >= 2
    for reception in ReceptionDay.objects.filter(station=station):
        assert 2 <= reception.deputies.count() <= 3
    # visits, forums and the duty record they fed
    assert 45 <= Visit.objects.filter(station=station).count() <= 55
    assert Visit.objects.filter(station=station, disposition="not_accepted").exclude(disposition_note="").exists()
    assert Forum.objects.filter(station=station).count() == 17
    assert not Forum.objects.filter(station=station, held_on__gt=today).exists()
    assert ActivityRecord.objects.filter(activity_type__code="forum").exists()
    if today > datetime.date(2026, 1, 10):
        assert ActivityRecord.objects.filter(activity_type__code="station_reception").exists()
    assert messages[-1] == "stations: already loaded"
