"""Admin changelist row makers for legislation (merged into tests/congress/test_admin.py)."""

from typing import Any

from deputies.models import DraftComment, DraftRegulation, LegislativeProposal, LegislativeRound
from tests.deputies.factories_legislation import (
    DraftCommentFactory,
    DraftProvisionFactory,
    DraftRegulationFactory,
    LegislativeProposalFactory,
    LegislativeRoundFactory,
)


def _comments(world: Any) -> list[Any]:
    draft = DraftRegulationFactory(congress=world.a.congress, committee=world.a.committee)
    provisions = [DraftProvisionFactory(draft=draft) for _ in range(3)]
    return [
        DraftCommentFactory(draft=draft, provision=provisions[n % 3] if n % 4 else None, deputy=world.a.deputies[n % 2])
        for n in range(18)
    ]


# model -> function(world) making 18 more rows in congress A
ROW_MAKERS: dict[Any, Any] = {
    LegislativeRound: lambda world: LegislativeRoundFactory.create_batch(
        18, congress=world.a.congress, committee=world.a.committee
    ),
    LegislativeProposal: lambda world: [
        LegislativeProposalFactory(round=LegislativeRoundFactory(congress=world.a.congress), deputy=deputy)
        for deputy in world.a.deputies * 9
    ],
    DraftRegulation: lambda world: DraftRegulationFactory.create_batch(
        18, congress=world.a.congress, committee=world.a.committee
    ),
    DraftComment: _comments,
}
