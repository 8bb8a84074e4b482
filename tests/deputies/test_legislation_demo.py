"""The legislation and supervision demo seeds what it promises, and a second run adds nothing."""

from deputies import demo_legislation
from deputies.models import (
    Activity,
    DraftComment,
    EvaluationGroup,
    EvaluationScore,
    LegislativeProposal,
)
from tests.congress.factories import HandlingUnitFactory
from tests.deputies.factories import MandateFactory


def test_demo_seeds_once(world, office_user, deputy_user):
    # given a congress with 60 serving deputies, the demo deputy and six units
    MandateFactory.create_batch(60, term=world.a.term)
    units = HandlingUnitFactory.create_batch(6, congress=world.a.congress)
    context = {
        "city": world.a.congress,
        "committees": {"legal": world.a.committee},
        "units": {unit.name: unit for unit in units},
        "log": lambda message: None,
    }

    # when the demo is seeded twice
    demo_legislation.seed(context)
    demo_legislation.seed(context)

    # then it holds the proposals, comments, groups with full scores and activities, once
    assert LegislativeProposal.objects.count() == 15
    assert LegislativeProposal.objects.filter(status="in_plan").count() == 7
    assert DraftComment.objects.count() == 14
    assert EvaluationGroup.objects.count() == 3
    assert EvaluationScore.objects.count() == (4 + 5 + 3) * 2
    assert Activity.objects.filter(state="held").count() == 3
    # and the demo deputy has the draft to comment on and an evaluation group
    assert deputy_user.deputy.drafts_to_comment.count() == 1
    assert deputy_user.deputy.evaluation_groups.count() == 1
