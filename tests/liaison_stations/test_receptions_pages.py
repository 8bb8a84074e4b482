"""Pages of reception days, visits and forums: moves through the desk (plan, confirm, record a visit
and a forum), confidentiality on the pages, the forum's issues, the write pages' role checks."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from deputies.models import ActivityRecord
from liaison_stations.models import Forum, PublicIssue, ReceptionDay, Visit
from tests.liaison_stations.factories_stations import (
    BlockFactory,
    ForumFactory,
    ReceptionDayFactory,
    StationDeputyFactory,
    VisitFactory,
)


@pytest.fixture
def deputies(world):
    for deputy in world.a.deputies:
        StationDeputyFactory(station=world.a.station, deputy=deputy)
    return world.a.deputies


def test_planning_a_reception_day_through_the_page(client, world, station_user, deputies):
    client.force_login(station_user)
    response = client.post(
        reverse("liaison_stations:desk_reception_create", args=[world.a.station.pk]),
        {
            "date": "2026-12-15",
            "starts_at": "09:00",
            "ends_at": "11:30",
            "topic": "养老服务",
            "deputies": [d.pk for d in deputies],
        },
    )
    reception = ReceptionDay.objects.get()
    assert response.url == reverse("liaison_stations:desk_reception", args=[reception.pk])
    assert set(reception.deputies.all()) == set(deputies)


def test_confirming_a_day_through_the_page(client, world, station_user, deputies):
    reception = ReceptionDayFactory(station=world.a.station, date=timezone.localdate(), deputies=deputies)
    client.force_login(station_user)
    client.post(reverse("liaison_stations:desk_reception_confirm", args=[reception.pk]), {"absent": [deputies[1].pk]})
    assert list(
        ActivityRecord.objects.filter(activity_type__code="station_reception").values_list("deputy_id", flat=True)
    ) == [deputies[0].pk]
    page = client.get(reverse("liaison_stations:desk_reception", args=[reception.pk]))
    assert page.context["confirmed"] is True


def test_recording_a_visit_into_the_loop_through_the_page(client, world, station_user, deputies):
    client.force_login(station_user)
    response = client.post(
        reverse("liaison_stations:desk_visit_create", args=[world.a.station.pk]),
        {
            "visited_on": timezone.localdate().isoformat(),
            "visitors": "1",
            "visitor_name": "刘大姐",
            "visitor_phone": "13911112222",
            "words": "菜市场门口积水严重",
            "confidentiality": "public",
            "disposition": "loop",
            "deputy": deputies[0].pk,
            "consent": "on",
        },
    )
    visit = Visit.objects.get()
    assert response.url == reverse("liaison_stations:desk_visit", args=[visit.pk])
    assert PublicIssue.objects.get().visit == visit


def test_a_missing_reason_comes_back_on_the_form(client, world, station_user):
    client.force_login(station_user)
    response = client.post(
        reverse("liaison_stations:desk_visit_create", args=[world.a.station.pk]),
        {
            "visited_on": timezone.localdate().isoformat(),
            "visitors": "1",
            "words": "要求解决户口问题",
            "confidentiality": "public",
            "disposition": "not_accepted",
        },
    )
    assert response.status_code == 200
    assert "disposition_note" in response.context["form"].errors
    assert not Visit.objects.exists()


def test_recording_a_forum_through_the_page(client, world, station_user, deputies):
    block = BlockFactory(station=world.a.station)
    client.force_login(station_user)
    client.post(
        reverse("liaison_stations:desk_forum_create", args=[world.a.station.pk]),
        {
            "held_on": timezone.localdate().isoformat(),
            "block": block.pk,
            "topic": "小区停车难",
            "residents": "36",
            "deputies": [deputies[0].pk],
        },
    )
    forum = Forum.objects.get()
    assert forum.residents == 36
    assert ActivityRecord.objects.filter(source_key=f"forum:{forum.pk}:{deputies[0].pk}").exists()


def test_the_forum_page_lists_the_issues_collected(client, world, office_user):
    forum = ForumFactory(station=world.a.station)
    issue = PublicIssue.objects.create(
        congress=world.a.congress, channel="forum", content="路灯不亮", forum=forum, station=world.a.station
    )
    client.force_login(office_user)
    page = client.get(reverse("liaison_stations:desk_forum", args=[forum.pk]))
    assert page.context["issues"] == [issue]
    assert issue.tracking_code in page.content.decode()


@pytest.mark.parametrize(("role", "reads"), [("office_user", True), ("station_user", True), ("leader_user", False)])
def test_confidential_words_on_the_pages(client, request, world, role, reads):
    # given a confidential visit
    visit = VisitFactory(station=world.a.station, confidentiality="confidential", words="举报某单位违规收费的详细情况")
    client.force_login(request.getfixturevalue(role))

    # when the user opens the visit and the visits list
    detail = client.get(reverse("liaison_stations:desk_visit", args=[visit.pk])).content.decode()
    listing = client.get(reverse("liaison_stations:desk_visits", args=[world.a.station.pk])).content.decode()

    # then the words (and the full phone) show only for those allowed
    assert ("举报某单位违规收费" in detail) is reads
    assert ("举报某单位违规收费" in listing) is reads
    assert (visit.visitor_phone in detail) is reads


def test_the_receiving_deputy_does_not_use_the_desk(client, world, deputy_user):
    visit = VisitFactory(station=world.a.station, confidentiality="confidential", deputy=deputy_user.deputy)
    client.force_login(deputy_user)
    assert client.get(reverse("liaison_stations:desk_visit", args=[visit.pk])).status_code == 403


@pytest.mark.parametrize(
    ("name", "obj"),
    [
        ("desk_reception_confirm", "reception"),
        ("desk_reception_delete", "reception"),
        ("desk_forum_delete", "forum"),
    ],
)
def test_write_actions_refuse_leaders_and_other_congresses(client, world, leader_user, office_user_b, name, obj):
    objects = {
        "reception": ReceptionDayFactory(
            station=world.a.station, date=timezone.localdate() - datetime.timedelta(days=1)
        ),
        "forum": ForumFactory(station=world.a.station),
    }
    url = reverse(f"liaison_stations:{name}", args=[objects[obj].pk])
    assert client.post(url).status_code == 302  # anonymous → login
    client.force_login(leader_user)
    assert client.post(url).status_code == 403
    client.force_login(office_user_b)
    assert client.post(url).status_code == 404
    assert ReceptionDay.objects.count() == 1
    assert Forum.objects.count() == 1


def test_removing_a_planned_day_and_a_forum(client, world, office_user):
    reception = ReceptionDayFactory(station=world.a.station)
    forum = ForumFactory(station=world.a.station)
    client.force_login(office_user)
    client.post(reverse("liaison_stations:desk_reception_delete", args=[reception.pk]))
    client.post(reverse("liaison_stations:desk_forum_delete", args=[forum.pk]))
    assert not ReceptionDay.objects.exists()
    assert not Forum.objects.exists()
