"""API of professional groups and campaigns: scope, moves, errors and query budgets."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from rest_framework.test import APIClient

from deputies.choices import GroupRole
from deputies.models import CampaignOpinion, GroupOutput
from tests.deputies.factories import MandateFactory
from tests.deputies.factories_groups import (
    CampaignFactory,
    CampaignOpinionFactory,
    GroupMembershipFactory,
    GroupOutputFactory,
    ProfessionalGroupFactory,
    SpecialSupervisorFactory,
)
from tests.queries import assert_same_query_count


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Uploaded reports go to a temporary folder, not var/media."""
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def group(world, deputy_user):
    group = ProfessionalGroupFactory(counterpart_committee=world.a.committee, name="医疗卫生专业小组")
    GroupMembershipFactory(group=group, deputy=world.a.deputies[0], role=GroupRole.LEADER)
    GroupMembershipFactory(group=group, deputy=deputy_user.deputy)
    return group


@pytest.fixture
def output(group, world):
    output = GroupOutputFactory(group=group)
    output.authors.set([world.a.deputies[0]])
    return output


@pytest.fixture
def campaign(world):
    today = timezone.localdate()
    return CampaignFactory(
        congress=world.a.congress,
        starts_on=today - datetime.timedelta(days=1),
        ends_on=today + datetime.timedelta(days=1),
    )


LIST_URLS = [
    "/api/v1/groups/",
    "/api/v1/group-outputs/",
    "/api/v1/special-supervisors/",
    "/api/v1/campaigns/",
    "/api/v1/campaign-opinions/",
]


@pytest.mark.parametrize("url", LIST_URLS)
def test_anonymous_is_refused(api, url):
    assert api.get(url).status_code in (401, 403)


def test_groups_with_members_scoped(api, group, office_user, office_user_b, deputy_user, unit_user):
    api.force_authenticate(office_user)
    data = api.get("/api/v1/groups/").json()["results"]
    assert [g["name"] for g in data] == ["医疗卫生专业小组"]
    assert {m["role"] for m in data[0]["members"]} == {"leader", "member"}
    assert api.get(f"/api/v1/groups/{group.pk}/").status_code == 200
    api.force_authenticate(deputy_user)
    assert api.get(f"/api/v1/groups/{group.pk}/").status_code == 200
    for user in (office_user_b, unit_user):
        api.force_authenticate(user)
        assert api.get("/api/v1/groups/").json()["results"] == []
        assert api.get(f"/api/v1/groups/{group.pk}/").status_code == 404


def test_outputs_list_filters_and_scope(api, group, output, office_user, office_user_b, other_deputy_user):
    GroupOutputFactory(group=group, kind="report", adopted=True, adopted_on=datetime.date(2026, 7, 1))
    api.force_authenticate(office_user)
    assert api.get("/api/v1/group-outputs/").json()["count"] == 2
    assert api.get("/api/v1/group-outputs/", {"kind": "report"}).json()["count"] == 1
    assert api.get("/api/v1/group-outputs/", {"adopted": "false"}).json()["results"][0]["id"] == output.pk
    for user in (office_user_b, other_deputy_user):
        api.force_authenticate(user)
        assert api.get("/api/v1/group-outputs/").json()["count"] == 0
        assert api.get(f"/api/v1/group-outputs/{output.pk}/").status_code == 404


def test_a_member_records_an_output(api, group, deputy_user, world):
    api.force_authenticate(deputy_user)
    response = api.post(
        "/api/v1/group-outputs/",
        {
            "group": group.pk,
            "kind": "opinion",
            "title": "关于基层医疗的意见",
            "content": "……",
            "authors": [world.a.deputies[0].pk],
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert set(response.json()["authors"]) == {deputy_user.deputy.pk, world.a.deputies[0].pk}


def test_a_report_is_uploaded_and_a_wrong_type_is_a_field_error(api, group, office_user, world):
    api.force_authenticate(office_user)
    ok = api.post(
        "/api/v1/group-outputs/",
        {
            "group": group.pk,
            "kind": "report",
            "title": "调研报告",
            "authors": [world.a.deputies[0].pk],
            "file": SimpleUploadedFile("r.pdf", b"%PDF-1.4"),
        },
        format="multipart",
    )
    assert ok.status_code == 201, ok.json()
    bad = api.post(
        "/api/v1/group-outputs/",
        {
            "group": group.pk,
            "kind": "report",
            "title": "调研报告",
            "authors": [world.a.deputies[0].pk],
            "file": SimpleUploadedFile("r.exe", b"MZ"),
        },
        format="multipart",
    )
    assert bad.status_code == 400
    assert "file" in bad.json()["errors"]


def test_output_create_refusals(api, group, world, other_deputy_user, leader_user, office_user):
    payload = {
        "group": group.pk,
        "kind": "opinion",
        "title": "意见",
        "content": "……",
        "authors": [world.a.deputies[0].pk],
    }
    api.force_authenticate(other_deputy_user)
    assert (
        api.post("/api/v1/group-outputs/", payload, format="json").status_code == 400
    )  # the group is not theirs to see
    api.force_authenticate(leader_user)
    assert api.post("/api/v1/group-outputs/", payload, format="json").status_code == 403
    api.force_authenticate(office_user)
    stranger = {**payload, "authors": [world.dual_deputy.pk]}
    assert api.post("/api/v1/group-outputs/", stranger, format="json").status_code == 400
    assert not GroupOutput.objects.exists()


def test_adopt_action(api, output, office_user, deputy_user, office_user_b):
    url = f"/api/v1/group-outputs/{output.pk}/adopt/"
    body = {"adopted_on": "2026-07-01", "adopted_where": "市人大常委会第十五次会议"}
    api.force_authenticate(deputy_user)
    assert api.post(url, body, format="json").status_code == 403
    api.force_authenticate(office_user_b)
    assert api.post(url, body, format="json").status_code == 404
    api.force_authenticate(office_user)
    assert api.post(url, body, format="json").json()["adopted"] is True
    assert api.post(url, body, format="json").status_code == 409


def test_special_supervisors_scope(api, world, office_user, office_user_b):
    SpecialSupervisorFactory(unit=world.a.unit, term=world.a.term, deputy=world.a.deputies[0])
    api.force_authenticate(office_user)
    assert api.get("/api/v1/special-supervisors/").json()["count"] == 1
    api.force_authenticate(office_user_b)
    assert api.get("/api/v1/special-supervisors/").json()["count"] == 0


def test_campaigns_with_counts(api, campaign, world, office_user, office_user_b):
    CampaignOpinionFactory(campaign=campaign, deputy=world.a.deputies[0], level="city")
    CampaignOpinionFactory(campaign=campaign, deputy=world.a.deputies[1], level="province")
    api.force_authenticate(office_user)
    listed = api.get("/api/v1/campaigns/").json()["results"][0]
    assert listed["counts_by_level"] == {"national": 0, "province": 1, "city": 1, "county": 0, "township": 0}
    assert listed["total_opinions"] == 2
    assert api.get(f"/api/v1/campaigns/{campaign.pk}/").json()["total_opinions"] == 2
    api.force_authenticate(office_user_b)
    assert api.get(f"/api/v1/campaigns/{campaign.pk}/").status_code == 404


def test_campaign_opinions_create_and_scope(api, campaign, deputy_user, other_deputy_user, office_user, world):
    api.force_authenticate(deputy_user)
    created = api.post("/api/v1/campaign-opinions/", {"campaign": campaign.pk, "content": "建议……"}, format="json")
    assert created.status_code == 201
    assert created.json()["level"] == "city"
    CampaignOpinionFactory(campaign=campaign, deputy=world.a.deputies[0])
    assert api.get("/api/v1/campaign-opinions/").json()["count"] == 1  # their own only
    api.force_authenticate(office_user)
    assert api.get("/api/v1/campaign-opinions/", {"campaign": campaign.pk}).json()["count"] == 2
    assert (
        api.post("/api/v1/campaign-opinions/", {"campaign": campaign.pk, "content": "x"}, format="json").status_code
        == 403
    )
    api.force_authenticate(other_deputy_user)
    assert (
        api.post("/api/v1/campaign-opinions/", {"campaign": campaign.pk, "content": "x"}, format="json").status_code
        == 400
    )
    assert CampaignOpinion.objects.count() == 2


def test_opinion_after_the_campaign_is_a_conflict(api, campaign, deputy_user):
    campaign.ends_on = timezone.localdate() - datetime.timedelta(days=1)
    campaign.starts_on = campaign.ends_on
    campaign.save()
    api.force_authenticate(deputy_user)
    response = api.post("/api/v1/campaign-opinions/", {"campaign": campaign.pk, "content": "x"}, format="json")
    assert response.status_code == 409


# --- query budgets ---------------------------------------------------------------------------------


def _more_groups(world):
    for _ in range(18):
        group = ProfessionalGroupFactory(counterpart_committee=world.a.committee)
        GroupMembershipFactory(group=group, deputy=MandateFactory(term=world.a.term).deputy)


def _more_outputs(world, group):
    for output in GroupOutputFactory.create_batch(18, group=group):
        output.authors.set(world.a.deputies)


def _more_campaigns(world):
    for campaign in CampaignFactory.create_batch(18, congress=world.a.congress):
        CampaignOpinionFactory(campaign=campaign, deputy=world.a.deputies[0])


@pytest.mark.parametrize(
    ("url", "more"),
    [
        ("/api/v1/groups/", lambda world, group: _more_groups(world)),
        ("/api/v1/group-outputs/", _more_outputs),
        (
            "/api/v1/special-supervisors/",
            lambda world, group: SpecialSupervisorFactory.create_batch(18, unit=world.a.unit, term=world.a.term),
        ),
        ("/api/v1/campaigns/", lambda world, group: _more_campaigns(world)),
        (
            "/api/v1/campaign-opinions/",
            lambda world, group: CampaignOpinionFactory.create_batch(
                18, campaign=CampaignFactory(congress=world.a.congress), deputy=world.a.deputies[0]
            ),
        ),
    ],
)
def test_list_budgets(api, world, group, output, campaign, office_user, django_assert_num_queries, url, more):
    SpecialSupervisorFactory(unit=world.a.unit, term=world.a.term, deputy=world.a.deputies[0])
    CampaignOpinionFactory(campaign=campaign, deputy=world.a.deputies[1])
    api.force_authenticate(office_user)
    assert_same_query_count(django_assert_num_queries, lambda: api.get(url), lambda: more(world, group))
