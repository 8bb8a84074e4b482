"""Admin changelist row makers for campaigns (merged into tests/congress/test_admin.py)."""

from typing import Any

from deputies.models import Campaign, CampaignOpinion
from tests.deputies.factories_groups import CampaignFactory, CampaignOpinionFactory


def _campaigns(world: Any) -> list[Any]:
    campaigns = CampaignFactory.create_batch(18, congress=world.a.congress)
    for campaign in campaigns:
        CampaignOpinionFactory(campaign=campaign, deputy=world.a.deputies[0])
    return campaigns


# model -> function(world) making 18 more rows in congress A
ROW_MAKERS: dict[Any, Any] = {
    Campaign: _campaigns,
    CampaignOpinion: lambda world: CampaignOpinionFactory.create_batch(
        18, campaign=CampaignFactory(congress=world.a.congress), deputy=world.a.deputies[1]
    ),
}
