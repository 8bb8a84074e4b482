"""Admin changelist row makers for liaison stations: receptions (merged into tests/congress/test_admin.py)."""

from typing import Any

from liaison_stations.models import Forum, ReceptionDay, Visit
from tests.deputies.factories import DeputyFactory
from tests.liaison_stations.factories_stations import (
    BlockFactory,
    ForumFactory,
    ReceptionDayFactory,
    VisitFactory,
)


def _forums(world: Any) -> list[Forum]:
    block = BlockFactory(station=world.a.station, number=800)
    return [ForumFactory(station=world.a.station, block=block, deputies=[DeputyFactory()]) for _n in range(18)]


# model -> function(world) making 18 more rows in congress A
ROW_MAKERS: dict[Any, Any] = {
    ReceptionDay: lambda world: [
        ReceptionDayFactory(station=world.a.station, deputies=[DeputyFactory(), DeputyFactory()]) for _n in range(18)
    ],
    Visit: lambda world: VisitFactory.create_batch(18, station=world.a.station, deputy=world.a.deputies[0]),
    Forum: _forums,
}
