"""Admin changelist row makers for activities and invitations (merged into tests/congress/test_admin.py)."""

from typing import Any

from deputies.models import Activity, Invitation
from tests.deputies.factories import ActivityFactory, InvitationFactory


def _invitations(world: Any) -> list[Invitation]:
    activity = ActivityFactory(congress=world.a.congress, organiser=world.a.committee)
    return [InvitationFactory(activity=activity) for _n in range(18)]


# model -> function(world) making 18 more rows in congress A
ROW_MAKERS: dict[Any, Any] = {
    Activity: lambda world: [
        InvitationFactory(activity=ActivityFactory(congress=world.a.congress, organiser=world.a.committee)).activity
        for _n in range(18)
    ],
    Invitation: _invitations,
}
