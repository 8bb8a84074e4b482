"""Admin changelist row makers for groups (merged into tests/congress/test_admin.py)."""

from typing import Any

from deputies.models import GroupOutput, ProfessionalGroup, SpecialSupervisor
from tests.deputies.factories_groups import (
    GroupMembershipFactory,
    GroupOutputFactory,
    ProfessionalGroupFactory,
    SpecialSupervisorFactory,
)


def _groups(world: Any) -> list[Any]:
    groups = ProfessionalGroupFactory.create_batch(18, counterpart_committee=world.a.committee)
    for group in groups:
        GroupMembershipFactory(group=group, deputy=world.a.deputies[0])
    return groups


def _outputs(world: Any) -> list[Any]:
    group = ProfessionalGroupFactory(counterpart_committee=world.a.committee)
    outputs = GroupOutputFactory.create_batch(18, group=group)
    for output in outputs:
        output.authors.set(world.a.deputies)
    return outputs


# model -> function(world) making 18 more rows in congress A
ROW_MAKERS: dict[Any, Any] = {
    ProfessionalGroup: _groups,
    GroupOutput: _outputs,
    SpecialSupervisor: lambda world: SpecialSupervisorFactory.create_batch(18, unit=world.a.unit, term=world.a.term),
}
