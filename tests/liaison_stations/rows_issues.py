"""Admin changelist row makers for liaison stations: issues (merged into tests/congress/test_admin.py).

IssueRules is one row per congress: like DutyRules its 18 rows belong to 18 other congresses, so
office staff of A see none of them (test_admin special-cases that, as it does for DutyRules)."""

from typing import Any

from liaison_stations.models import IssueAnswer, IssueEvent, IssuePhoto, IssueRules, PublicIssue
from tests.congress.factories import CongressFactory
from tests.liaison_stations.factories_issues import (
    IssueAnswerFactory,
    IssueEventFactory,
    IssuePhotoFactory,
    IssueRulesFactory,
    PublicIssueFactory,
)


def _issue(world: Any) -> Any:
    return PublicIssueFactory(station=world.a.station)


# model -> function(world) making 18 more rows in congress A
ROW_MAKERS: dict[Any, Any] = {
    PublicIssue: lambda world: PublicIssueFactory.create_batch(18, station=world.a.station),
    IssueAnswer: lambda world: IssueAnswerFactory.create_batch(18, issue=_issue(world)),
    IssueEvent: lambda world: IssueEventFactory.create_batch(18, issue=_issue(world)),
    IssuePhoto: lambda world: IssuePhotoFactory.create_batch(18, issue=_issue(world)),
    IssueRules: lambda world: [
        IssueRulesFactory(congress=congress) for congress in CongressFactory.create_batch(18, parent=world.a.congress)
    ],
}
