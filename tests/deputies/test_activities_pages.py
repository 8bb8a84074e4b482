"""Activity pages and API: the deputy's invitations and sign-in, the committee desk, and who may
open what (anonymous → login, wrong role → 403, out of scope → 404)."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from deputies.choices import InvitationStatus
from deputies.models import Activity, ActivityRecord, Invitation
from tests.deputies.factories import ActivityFactory, InvitationFactory
from tests.queries import assert_same_query_count


@pytest.fixture
def live_activity(world):
    """An activity running now in congress A."""
    now = timezone.now()
    return ActivityFactory(
        congress=world.a.congress,
        starts_at=now - datetime.timedelta(minutes=30),
        ends_at=now + datetime.timedelta(hours=3),
    )


@pytest.fixture
def invited(live_activity, deputy_user):
    return InvitationFactory(activity=live_activity, deputy=deputy_user.deputy)


def status_of(invitation):
    return Invitation.objects.get(pk=invitation.pk).status


# --- portal ---


def test_a_deputy_sees_their_invitations(client, invited, deputy_user, world):
    InvitationFactory(activity=invited.activity, deputy=world.a.deputies[0])  # someone else's
    client.force_login(deputy_user)

    response = client.get(reverse("deputies:portal_invitations"))

    assert response.status_code == 200
    assert [i.pk for i in response.context["upcoming"]] == [invited.pk]


def test_a_deputy_accepts_and_signs_in_with_the_code(client, invited, deputy_user):
    client.force_login(deputy_user)
    activity = invited.activity

    client.post(reverse("deputies:portal_respond", args=[activity.pk]), {"answer": "accept"})
    assert status_of(invited) == InvitationStatus.ACCEPTED

    response = client.post(reverse("deputies:portal_sign_in_code", args=[activity.pk]), {"code": activity.sign_in_code})
    assert response.status_code == 302
    assert status_of(invited) == InvitationStatus.ATTENDED
    assert ActivityRecord.objects.filter(deputy=deputy_user.deputy, source_key=f"invitation:{invited.pk}").exists()

    # a second try says so and records nothing more
    response = client.post(
        reverse("deputies:portal_sign_in_code", args=[activity.pk]), {"code": activity.sign_in_code}, follow=True
    )
    assert [m.level_tag for m in response.context["messages"]][-1] == "error"
    assert ActivityRecord.objects.filter(deputy=deputy_user.deputy).count() == 1


def test_a_wrong_code_is_shown_and_changes_nothing(client, invited, deputy_user):
    client.force_login(deputy_user)
    response = client.post(
        reverse("deputies:portal_sign_in_code", args=[invited.activity.pk]), {"code": "12345"}, follow=True
    )
    assert [m.level_tag for m in response.context["messages"]][-1] == "error"
    assert status_of(invited) == InvitationStatus.INVITED


def test_the_qr_link_asks_first_and_signs_in_on_post(client, invited, deputy_user):
    client.force_login(deputy_user)
    url = reverse("deputies:portal_sign_in_qr", args=[invited.activity.sign_in_token])

    assert client.get(url).status_code == 200
    assert status_of(invited) == InvitationStatus.INVITED  # a GET changes nothing

    client.post(url)
    assert status_of(invited) == InvitationStatus.ATTENDED


def test_declining_needs_a_reason(client, invited, deputy_user):
    client.force_login(deputy_user)
    url = reverse("deputies:portal_respond", args=[invited.activity.pk])
    client.post(url, {"answer": "decline", "reason": ""})
    assert status_of(invited) == InvitationStatus.INVITED
    client.post(url, {"answer": "decline", "reason": "外出学习"})
    assert status_of(invited) == InvitationStatus.DECLINED


def test_an_activity_the_deputy_is_not_invited_to_is_not_found(client, live_activity, deputy_user):
    client.force_login(deputy_user)
    assert client.get(reverse("deputies:portal_activity", args=[live_activity.pk])).status_code == 404
    assert client.get(reverse("deputies:portal_sign_in_qr", args=[live_activity.sign_in_token])).status_code == 404


# --- desk ---


def test_committee_staff_invite_by_category_and_mark_present(client, live_activity, committee_user, world):
    client.force_login(committee_user)
    url = reverse("deputies:work_activity_invite", args=[live_activity.pk])

    client.post(url, {"categories": ["grassroots"]})  # the factory's deputies are grassroots

    invited = Invitation.objects.filter(activity=live_activity)
    assert set(invited.values_list("deputy_id", flat=True)) >= {d.pk for d in world.a.deputies}
    first = invited.get(deputy=world.a.deputies[0])
    client.post(reverse("deputies:work_invitation_attended", args=[live_activity.pk, first.pk]))
    assert status_of(first) == InvitationStatus.ATTENDED

    client.post(reverse("deputies:work_activity_close", args=[live_activity.pk, "hold"]))
    assert status_of(invited.get(deputy=world.a.deputies[1])) == InvitationStatus.ABSENT


def test_staff_create_an_activity(client, committee_user, world):
    client.force_login(committee_user)
    response = client.post(
        reverse("deputies:work_activity_create"),
        {
            "kind": "inspection",
            "title": "食品安全执法检查",
            "starts_at": "2026-07-01T09:00",
            "ends_at": "2026-07-01T12:00",
            "hours": "3",
            "organiser": world.a.committee.pk,
        },
    )
    assert response.status_code == 302
    activity = Activity.objects.get(title="食品安全执法检查")
    assert (activity.congress, activity.kind, activity.created_by) == (world.a.congress, "inspection", committee_user)
    assert response.url == reverse("deputies:work_activity", args=[activity.pk])


def test_an_activity_ending_before_it_starts_is_a_field_error(client, committee_user):
    client.force_login(committee_user)
    response = client.post(
        reverse("deputies:work_activity_create"),
        {
            "kind": "inspection",
            "title": "x",
            "starts_at": "2026-07-01T09:00",
            "ends_at": "2026-07-01T08:00",
            "hours": "1",
        },
    )
    assert response.status_code == 200
    assert "ends_at" in response.context["form"].errors


def test_the_sign_in_qr_is_an_svg(client, live_activity, committee_user):
    client.force_login(committee_user)
    response = client.get(reverse("deputies:work_activity_qr", args=[live_activity.pk]))
    assert response["Content-Type"] == "image/svg+xml"
    assert b"<svg" in response.content


# --- access matrix ---


@pytest.mark.parametrize(
    ("role", "portal", "desk", "desk_detail"),
    [
        ("anonymous", 302, 302, 302),
        ("deputy_user", 200, 403, 403),
        ("unit_user", 403, 403, 403),
        ("station_user", 403, 403, 403),
        ("leader_user", 403, 200, 200),
        ("committee_user", 403, 200, 200),
        ("office_user", 403, 200, 200),
        ("office_user_b", 403, 200, 404),
    ],
)
def test_who_may_open_the_activity_pages(client, request, live_activity, role, portal, desk, desk_detail):
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))
    assert client.get(reverse("deputies:portal_invitations")).status_code == portal
    assert client.get(reverse("deputies:work_activities")).status_code == desk
    assert client.get(reverse("deputies:work_activity", args=[live_activity.pk])).status_code == desk_detail


def test_leaders_read_the_desk_but_cannot_invite(client, live_activity, leader_user, world):
    client.force_login(leader_user)
    response = client.post(
        reverse("deputies:work_activity_invite", args=[live_activity.pk]), {"deputies": [world.a.deputies[0].pk]}
    )
    assert response.status_code == 403
    assert not Invitation.objects.exists()


def test_the_desk_list_takes_the_same_queries_with_more_rows(client, django_assert_num_queries, committee_user, world):
    client.force_login(committee_user)

    def add_rows():
        for _n in range(18):
            activity = ActivityFactory(congress=world.a.congress)
            InvitationFactory(activity=activity, deputy=world.a.deputies[0])

    ActivityFactory.create_batch(2, congress=world.a.congress)
    assert_same_query_count(
        django_assert_num_queries, fetch=lambda: client.get(reverse("deputies:work_activities")), add_rows=add_rows
    )


def test_the_invitations_page_takes_the_same_queries_with_more_rows(
    client, django_assert_num_queries, deputy_user, world
):
    client.force_login(deputy_user)

    def add_rows():
        for _n in range(18):
            InvitationFactory(activity=ActivityFactory(congress=world.a.congress), deputy=deputy_user.deputy)

    for _n in range(2):
        InvitationFactory(activity=ActivityFactory(congress=world.a.congress), deputy=deputy_user.deputy)
    assert_same_query_count(
        django_assert_num_queries, fetch=lambda: client.get(reverse("deputies:portal_invitations")), add_rows=add_rows
    )


# --- API ---


def test_api_deputy_signs_in_once_and_the_second_time_is_a_conflict(client, invited, deputy_user):
    client.force_login(deputy_user)
    url = f"/api/v1/activities/{invited.activity.pk}/sign-in/"

    first = client.post(url, {"code": invited.activity.sign_in_code}, content_type="application/json")
    second = client.post(url, {"code": invited.activity.sign_in_code}, content_type="application/json")

    assert first.status_code == 200
    assert first.json()["status"] == "attended"
    assert second.status_code == 409
    assert second.json()["detail"]


def test_api_sign_in_input_errors_are_field_errors(client, invited, deputy_user):
    client.force_login(deputy_user)
    response = client.post(
        f"/api/v1/activities/{invited.activity.pk}/sign-in/", {"code": "abc"}, content_type="application/json"
    )
    assert response.status_code == 400
    assert "code" in response.json()["errors"]


def test_api_invitations_are_the_deputys_own(client, invited, deputy_user, world):
    InvitationFactory(activity=invited.activity, deputy=world.a.deputies[0])
    client.force_login(deputy_user)
    response = client.get("/api/v1/invitations/")
    assert [row["id"] for row in response.json()["results"]] == [invited.pk]
    other = Invitation.objects.exclude(pk=invited.pk).get()
    assert client.post(f"/api/v1/invitations/{other.pk}/accept/").status_code == 404


def test_api_decline_needs_a_reason(client, invited, deputy_user):
    client.force_login(deputy_user)
    response = client.post(f"/api/v1/invitations/{invited.pk}/decline/", {}, content_type="application/json")
    assert response.status_code == 400
    assert "reason" in response.json()["errors"]


@pytest.mark.parametrize(
    ("role", "expected"),
    [("anonymous", 401), ("deputy_user", 404), ("leader_user", 403), ("office_user_b", 404), ("committee_user", 201)],
)
def test_api_who_may_invite(client, request, live_activity, world, role, expected):
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))
    response = client.post(
        f"/api/v1/activities/{live_activity.pk}/invite/",
        {"deputies": [world.a.deputies[0].pk]},
        content_type="application/json",
    )
    assert response.status_code in ({401, 403} if expected == 401 else {expected})


def test_api_activity_list_is_scoped(client, live_activity, office_user_b, world):
    ActivityFactory(congress=world.b.congress)
    client.force_login(office_user_b)
    ids = [row["id"] for row in client.get("/api/v1/activities/").json()["results"]]
    assert live_activity.pk not in ids
    assert len(ids) == 1
