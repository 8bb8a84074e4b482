"""Services and counts of campaigns: opinions by serving deputies while the campaign runs, the
deputy's highest level, the duty record, counts per level in one query."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from congress.choices import CongressLevel
from deputies.choices import MandateStatus
from deputies.exceptions import NotAllowed, WorkflowError
from deputies.models import ActivityRecord, Campaign, CampaignOpinion
from deputies.selectors.campaigns import opinion_counts_by_level
from deputies.services import campaigns as services
from tests.conftest import make_deputy_user
from tests.congress.factories import CongressFactory, TermFactory
from tests.deputies.factories import MandateFactory
from tests.deputies.factories_groups import CampaignFactory, CampaignOpinionFactory

DURING = datetime.date(2026, 6, 1)


@pytest.fixture
def campaign(world):
    return CampaignFactory(
        congress=world.a.congress, starts_on=datetime.date(2026, 5, 1), ends_on=datetime.date(2026, 7, 31)
    )


def _term_at(level):
    return TermFactory(congress=CongressFactory(level=level))


@pytest.mark.parametrize("role", ["office_user", "committee_user"])
def test_staff_create_a_campaign(request, world, role):
    campaign = services.campaign_create(
        actor=request.getfixturevalue(role),
        congress=world.a.congress,
        title="联系群众办实事：安全生产和自建房整治",
        starts_on=datetime.date(2026, 5, 1),
        ends_on=datetime.date(2026, 7, 31),
    )
    assert Campaign.objects.get(pk=campaign.pk).congress == world.a.congress


@pytest.mark.parametrize("role", ["leader_user", "deputy_user", "unit_user", "office_user_b"])
def test_other_roles_cannot_create_a_campaign(request, world, role):
    with pytest.raises(NotAllowed):
        services.campaign_create(
            actor=request.getfixturevalue(role),
            congress=world.a.congress,
            title="活动",
            starts_on=datetime.date(2026, 5, 1),
            ends_on=datetime.date(2026, 7, 31),
        )
    assert not Campaign.objects.exists()


def test_campaign_cannot_end_before_it_starts(world, office_user):
    with pytest.raises(ValidationError):
        services.campaign_create(
            actor=office_user,
            congress=world.a.congress,
            title="活动",
            starts_on=datetime.date(2026, 5, 1),
            ends_on=datetime.date(2026, 4, 1),
        )


def test_a_serving_deputy_sends_an_opinion_and_it_is_recorded_once(campaign, deputy_user):
    # when a deputy of A sends an opinion during the campaign
    opinion = services.campaign_opinion_submit(
        campaign=campaign, actor=deputy_user, content="排查自建房隐患。", on=DURING
    )

    # then it carries their level and their duty record has it once
    assert opinion.level == CongressLevel.CITY
    records = ActivityRecord.objects.filter(source_key=f"campaign-opinion:{opinion.pk}")
    assert list(records.values_list("deputy_id", "activity_type__code")) == [
        (deputy_user.deputy.pk, "campaign_opinion")
    ]


@pytest.mark.parametrize("day", [datetime.date(2026, 4, 30), datetime.date(2026, 8, 1)])
def test_opinion_outside_the_campaign_dates_is_refused(campaign, deputy_user, day):
    with pytest.raises(WorkflowError):
        services.campaign_opinion_submit(campaign=campaign, actor=deputy_user, content="意见", on=day)
    assert not CampaignOpinion.objects.exists()


@pytest.mark.parametrize("day", [datetime.date(2026, 5, 1), datetime.date(2026, 7, 31)])
def test_opinion_on_the_first_and_last_day_is_accepted(campaign, deputy_user, day):
    assert services.campaign_opinion_submit(campaign=campaign, actor=deputy_user, content="意见", on=day).pk


def test_empty_opinion_is_refused(campaign, deputy_user):
    with pytest.raises(ValidationError):
        services.campaign_opinion_submit(campaign=campaign, actor=deputy_user, content="  ", on=DURING)


@pytest.mark.parametrize("role", ["other_deputy_user", "resigned_deputy_user", "office_user"])
def test_only_serving_deputies_of_the_congress_send_opinions(request, campaign, role):
    with pytest.raises(NotAllowed):
        services.campaign_opinion_submit(
            campaign=campaign, actor=request.getfixturevalue(role), content="意见", on=DURING
        )
    assert not CampaignOpinion.objects.exists()


def test_a_deputy_of_several_levels_counts_at_the_highest(world, campaign):
    # given a deputy serving in A (city), a county and a province congress, and a resigned national seat
    user = make_deputy_user(
        username="multi",
        name="多级代表",
        seats=[
            (world.a.term, MandateStatus.SERVING),
            (_term_at(CongressLevel.COUNTY), MandateStatus.SERVING),
            (_term_at(CongressLevel.PROVINCE), MandateStatus.SERVING),
            (_term_at(CongressLevel.NATIONAL), MandateStatus.RESIGNED),
        ],
    )

    # when they send an opinion to A's campaign
    opinion = services.campaign_opinion_submit(campaign=campaign, actor=user, content="意见", on=DURING)

    # then it counts at the province level
    assert opinion.level == CongressLevel.PROVINCE


def test_counts_per_level_equal_a_hand_count(world, campaign, deputy_user, django_assert_num_queries):
    # given opinions sent by a city deputy (twice), a county-and-city deputy, a province-and-city deputy
    county_user = make_deputy_user(
        username="county",
        name="区县代表",
        seats=[(world.a.term, MandateStatus.SERVING), (_term_at(CongressLevel.COUNTY), MandateStatus.SERVING)],
    )
    province_user = make_deputy_user(
        username="province",
        name="省代表",
        seats=[(world.a.term, MandateStatus.SERVING), (_term_at(CongressLevel.PROVINCE), MandateStatus.SERVING)],
    )
    for user in (deputy_user, deputy_user, county_user, province_user):
        services.campaign_opinion_submit(campaign=campaign, actor=user, content="意见", on=DURING)
    other = CampaignFactory(congress=world.a.congress)
    CampaignOpinionFactory(campaign=other, level=CongressLevel.TOWNSHIP)

    # when the counts are read for both campaigns
    with django_assert_num_queries(1):
        counts = opinion_counts_by_level(campaign_ids=[campaign.pk, other.pk])

    # then they match the hand count: the multi-level deputies once each, at their highest level
    assert counts[campaign.pk] == {
        "national": 0,
        "province": 1,
        "city": 3,
        "county": 0,
        "township": 0,
        "total": 4,
    }
    assert counts[other.pk]["township"] == 1
    assert counts[other.pk]["total"] == 1


def test_highest_serving_level_ignores_ended_mandates(world):
    deputy = MandateFactory(term=world.a.term).deputy
    MandateFactory(deputy=deputy, term=_term_at(CongressLevel.NATIONAL), status=MandateStatus.TERMINATED)
    assert services.highest_serving_level(deputy_id=deputy.pk) == CongressLevel.CITY
