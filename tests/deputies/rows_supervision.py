"""Admin changelist row makers for supervision (merged into tests/congress/test_admin.py)."""

from typing import Any

from deputies.models import EvaluationGroup, EvaluationProject, EvaluationScore
from tests.congress.factories import HandlingUnitFactory
from tests.deputies.factories_legislation import (
    EvaluationGroupFactory,
    EvaluationProjectFactory,
    EvaluationScoreFactory,
)


def _groups(world: Any) -> list[Any]:
    project = EvaluationProjectFactory(congress=world.a.congress, committee=world.a.committee)
    groups = EvaluationGroupFactory.create_batch(18, project=project)
    for group in groups:
        group.members.set(world.a.deputies)
        group.units.set([world.a.unit])
    return groups


def _scores(world: Any) -> list[Any]:
    group = EvaluationGroupFactory(project=EvaluationProjectFactory(congress=world.a.congress))
    units = HandlingUnitFactory.create_batch(9, congress=world.a.congress)
    return [
        EvaluationScoreFactory(group=group, unit=unit, deputy=deputy, score=80 + n)
        for n, (unit, deputy) in enumerate((unit, deputy) for unit in units for deputy in world.a.deputies)
    ]


# model -> function(world) making 18 more rows in congress A
ROW_MAKERS: dict[Any, Any] = {
    EvaluationProject: lambda world: EvaluationProjectFactory.create_batch(
        18, congress=world.a.congress, committee=world.a.committee
    ),
    EvaluationGroup: _groups,
    EvaluationScore: _scores,
}
