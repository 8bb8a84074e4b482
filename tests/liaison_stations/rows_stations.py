"""Admin changelist row makers for liaison stations: stations (merged into tests/congress/test_admin.py)."""

from typing import Any

from liaison_stations.models import Block, BlockTask, ChecklistItem, ChecklistStatus, StationDeputy, StationDocument
from tests.deputies.factories import DeputyFactory
from tests.liaison_stations.factories_stations import (
    BlockFactory,
    BlockTaskFactory,
    ChecklistItemFactory,
    ChecklistStatusFactory,
    StationDeputyFactory,
    StationDocumentFactory,
)


def _tasks(world: Any) -> list[BlockTask]:
    block = BlockFactory(station=world.a.station, number=900)
    return [BlockTaskFactory(block=block, deputy=DeputyFactory()) for _n in range(18)]


# model -> function(world) making 18 more rows in congress A
ROW_MAKERS: dict[Any, Any] = {
    ChecklistItem: lambda world: ChecklistItemFactory.create_batch(18, congress=world.a.congress),
    ChecklistStatus: lambda world: ChecklistStatusFactory.create_batch(18, station=world.a.station),
    StationDocument: lambda world: StationDocumentFactory.create_batch(18, station=world.a.station),
    StationDeputy: lambda world: StationDeputyFactory.create_batch(18, station=world.a.station),
    Block: lambda world: [
        BlockFactory(station=world.a.station, number=100 + n, supervising_deputy=DeputyFactory()) for n in range(18)
    ],
    BlockTask: _tasks,
}
