"""Pages of campaigns: access matrix, opening a campaign, sending an opinion, search and export,
query budgets."""

import datetime
import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from deputies.models import Campaign, CampaignOpinion
from tests.deputies.factories import MandateFactory
from tests.deputies.factories_groups import CampaignFactory, CampaignOpinionFactory
from tests.queries import assert_same_query_count


@pytest.fixture
def campaign(world):
    today = timezone.localdate()
    return CampaignFactory(
        congress=world.a.congress,
        title="联系群众办实事：安全生产和自建房整治",
        starts_on=today - datetime.timedelta(days=10),
        ends_on=today + datetime.timedelta(days=10),
    )


@pytest.fixture
def opinions(campaign, world):
    return [
        CampaignOpinionFactory(campaign=campaign, deputy=world.a.deputies[0], content="排查经营性自建房"),
        CampaignOpinionFactory(campaign=campaign, deputy=world.a.deputies[1], level="county", content="整治燃气隐患"),
    ]


@pytest.mark.parametrize("name", ["deputies:work_campaigns", "deputies:work_campaign", "deputies:work_campaign_export"])
def test_desk_pages_access(
    client, campaign, name, office_user, committee_user, leader_user, unit_user, deputy_user, office_user_b
):
    url = reverse(name, args=[campaign.pk]) if name != "deputies:work_campaigns" else reverse(name)
    assert "login" in client.get(url).url
    for user in (unit_user, deputy_user):
        client.force_login(user)
        assert client.get(url).status_code == 403
    for user in (office_user, committee_user, leader_user):
        client.force_login(user)
        assert client.get(url).status_code == 200
    if name != "deputies:work_campaigns":
        client.force_login(office_user_b)
        assert client.get(url).status_code == 404


@pytest.mark.parametrize("name", ["deputies:portal_campaigns", "deputies:portal_campaign"])
def test_portal_pages_access(client, campaign, name, deputy_user, office_user, other_deputy_user):
    url = reverse(name, args=[campaign.pk]) if name == "deputies:portal_campaign" else reverse(name)
    assert "login" in client.get(url).url
    client.force_login(office_user)
    assert client.get(url).status_code == 403
    client.force_login(deputy_user)
    assert client.get(url).status_code == 200
    if name == "deputies:portal_campaign":
        client.force_login(other_deputy_user)
        assert client.get(url).status_code == 404


def test_staff_open_a_campaign_and_leaders_cannot(client, office_user, leader_user):
    data = {"title": "安全生产大排查", "starts_on": "2026-05-01", "ends_on": "2026-07-31"}
    client.force_login(leader_user)
    assert client.post(reverse("deputies:work_campaigns"), data).status_code == 403
    client.force_login(office_user)
    response = client.post(reverse("deputies:work_campaigns"), data)
    assert response.url == reverse("deputies:work_campaign", args=[Campaign.objects.get().pk])


def test_a_deputy_sends_an_opinion_from_the_portal(client, campaign, deputy_user):
    client.force_login(deputy_user)
    response = client.post(
        reverse("deputies:portal_campaign", args=[campaign.pk]), {"content": "建议开展自建房安全鉴定。"}
    )
    assert response.url == reverse("deputies:portal_campaigns")
    opinion = CampaignOpinion.objects.get()
    assert (opinion.deputy, opinion.level) == (deputy_user.deputy, "city")
    listed = client.get(reverse("deputies:portal_campaigns")).context
    assert list(listed["opinions"]) == [opinion]
    assert list(listed["campaigns"]) == [campaign]


def test_a_closed_campaign_refuses_opinions_on_the_form(client, campaign, deputy_user):
    campaign.ends_on = timezone.localdate() - datetime.timedelta(days=1)
    campaign.save()
    client.force_login(deputy_user)
    response = client.post(reverse("deputies:portal_campaign", args=[campaign.pk]), {"content": "意见"})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert not CampaignOpinion.objects.exists()


def test_desk_counts_search_and_export(client, campaign, opinions, office_user):
    client.force_login(office_user)
    listed = client.get(reverse("deputies:work_campaigns")).context["campaigns"]
    assert listed[0].counts_by_level == {"national": 0, "province": 0, "city": 1, "county": 1, "township": 0}
    detail = client.get(reverse("deputies:work_campaign", args=[campaign.pk]), {"q": "燃气"})
    assert [o.content for o in detail.context["page"]] == ["整治燃气隐患"]
    detail = client.get(reverse("deputies:work_campaign", args=[campaign.pk]), {"level": "city"})
    assert [o.content for o in detail.context["page"]] == ["排查经营性自建房"]
    export = client.get(reverse("deputies:work_campaign_export", args=[campaign.pk]))
    sheet = openpyxl.load_workbook(io.BytesIO(export.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 3
    assert {row[3] for row in rows[1:]} == {"排查经营性自建房", "整治燃气隐患"}


def test_campaign_list_budget(client, world, office_user, campaign, opinions, django_assert_num_queries):
    client.force_login(office_user)

    def more():
        for other in CampaignFactory.create_batch(18, congress=world.a.congress):
            CampaignOpinionFactory(campaign=other, deputy=world.a.deputies[0])

    assert_same_query_count(django_assert_num_queries, lambda: client.get(reverse("deputies:work_campaigns")), more)


def test_campaign_detail_budget(client, world, office_user, campaign, opinions, django_assert_num_queries):
    client.force_login(office_user)
    assert_same_query_count(
        django_assert_num_queries,
        lambda: client.get(reverse("deputies:work_campaign", args=[campaign.pk])),
        lambda: [
            CampaignOpinionFactory(campaign=campaign, deputy=MandateFactory(term=world.a.term).deputy)
            for _ in range(18)
        ],
    )


def test_portal_list_budget(client, world, deputy_user, campaign, django_assert_num_queries):
    client.force_login(deputy_user)
    CampaignOpinionFactory(campaign=campaign, deputy=deputy_user.deputy)

    def more():
        today = timezone.localdate()
        for other in CampaignFactory.create_batch(18, congress=world.a.congress, starts_on=today, ends_on=today):
            CampaignOpinionFactory(campaign=other, deputy=deputy_user.deputy)

    assert_same_query_count(django_assert_num_queries, lambda: client.get(reverse("deputies:portal_campaigns")), more)
