"""The deputy's portal for stations: the citizens' issues written to me or that I reported (contact
masked unless I handle it), an issue's page with answers and, for my hotline reports, the rating;
my QR code and placard. Access: anonymous → login, not a deputy → 403,
someone else's issue → 404."""

from __future__ import annotations

from unittest import mock

import pytest
from django.urls import reverse

from liaison_stations.choices import Channel, IssueRating, IssueStatus
from liaison_stations.models import PublicIssue
from tests.liaison_stations.factories_public import (
    FULL_PHONE,
    MASKED_PHONE,
    PublicIssueFactory,
    answered_issue,
)
from tests.queries import assert_same_query_count

PORTAL_PAGES = ["portal_issues", "portal_qr", "portal_placard"]


@pytest.fixture
def me(deputy_user):
    return deputy_user.deputy


@pytest.fixture
def to_me(world, me):
    """A QR issue written to me."""
    return PublicIssueFactory(station=world.a.station, deputy=me)


@pytest.fixture
def hotline(world, me):
    """A problem I reported on the deputies' hotline, answered by a unit."""
    return answered_issue(
        station=world.a.station, channel=Channel.HOTLINE, reported_by=me, handling_unit=world.a.unit, tier=3
    )


@pytest.fixture
def not_mine(world):
    return PublicIssueFactory(station=world.a.station, deputy=world.a.deputies[0])


# --- access ---


@pytest.mark.parametrize("name", PORTAL_PAGES)
def test_anonymous_users_go_to_the_login_page(client, name, world):
    response = client.get(reverse(f"liaison_stations:{name}"))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


@pytest.mark.parametrize("name", PORTAL_PAGES)
def test_users_who_are_not_deputies_get_403(client, name, office_user):
    client.force_login(office_user)
    assert client.get(reverse(f"liaison_stations:{name}")).status_code == 403


def test_someone_elses_issue_is_not_found(client, deputy_user, not_mine, to_me):
    client.force_login(deputy_user)
    assert client.get(reverse("liaison_stations:portal_issue", args=[not_mine.pk])).status_code == 404
    assert client.post(reverse("liaison_stations:portal_issue_rate", args=[not_mine.pk])).status_code == 404
    assert client.get(reverse("liaison_stations:portal_issue", args=[to_me.pk])).status_code == 200


# --- the list ---


def test_my_issues_are_those_written_to_me_or_reported_by_me(client, deputy_user, to_me, hotline, not_mine):
    client.force_login(deputy_user)

    response = client.get(reverse("liaison_stations:portal_issues"))

    assert response.status_code == 200
    assert {issue.pk for issue in response.context["page"]} == {to_me.pk, hotline.pk}

    only_reported = client.get(reverse("liaison_stations:portal_issues"), {"mine": "reported"})
    assert [issue.pk for issue in only_reported.context["page"]] == [hotline.pk]

    answered = client.get(reverse("liaison_stations:portal_issues"), {"status": IssueStatus.ANSWERED})
    assert [issue.pk for issue in answered.context["page"]] == [hotline.pk]

    by_code = client.get(reverse("liaison_stations:portal_issues"), {"q": to_me.tracking_code.lower()})
    assert [issue.pk for issue in by_code.context["page"]] == [to_me.pk]


def test_the_deputy_written_to_sees_the_contact(client, deputy_user, to_me):
    # can_see_contact: the deputy written to handles it
    client.force_login(deputy_user)
    content = client.get(reverse("liaison_stations:portal_issue", args=[to_me.pk])).content.decode()
    assert FULL_PHONE in content


def test_the_contact_is_masked_when_can_see_contact_says_no(client, deputy_user, to_me):
    client.force_login(deputy_user)
    with mock.patch("liaison_stations.views.portal.can_see_contact", return_value=False):
        listing = client.get(reverse("liaison_stations:portal_issues")).content.decode()
        page = client.get(reverse("liaison_stations:portal_issue", args=[to_me.pk])).content.decode()
    for content in (listing, page):
        assert MASKED_PHONE in content
        assert FULL_PHONE not in content
        assert "王秀英" not in content


def test_the_list_takes_as_many_queries_for_20_issues_as_for_2(
    client, deputy_user, world, me, django_assert_num_queries
):
    PublicIssueFactory(station=world.a.station, deputy=me)
    PublicIssueFactory(station=world.a.station, reported_by=me, channel=Channel.HOTLINE, handling_unit=world.a.unit)
    client.force_login(deputy_user)

    def add_rows():
        for number in range(18):
            if number % 2:
                PublicIssueFactory(station=world.a.station, deputy=me, status=IssueStatus.HANDLING, tier=1)
            else:
                PublicIssueFactory(station=world.a.other_station, reported_by=me, handling_unit=world.a.unit)

    few, many = assert_same_query_count(
        django_assert_num_queries, lambda: client.get(reverse("liaison_stations:portal_issues")), add_rows
    )
    assert len(few.context["page"]) == 2
    assert len(many.context["page"]) == 20


# --- rating my hotline reports ---


def test_the_hotline_reporter_sees_the_rating_form(client, deputy_user, hotline, to_me):
    client.force_login(deputy_user)
    assert client.get(reverse("liaison_stations:portal_issue", args=[hotline.pk])).context["rating_form"]
    assert client.get(reverse("liaison_stations:portal_issue", args=[to_me.pk])).context["rating_form"] is None


def test_the_rating_calls_issue_rate_with_the_deputy_as_actor(client, deputy_user, hotline):
    client.force_login(deputy_user)
    with mock.patch("liaison_stations.views.portal.issue_rate") as rate:
        response = client.post(
            reverse("liaison_stations:portal_issue_rate", args=[hotline.pk]),
            {"rating": "unsatisfied", "comment": "没解决"},
        )
    assert response.status_code == 302
    kwargs = rate.call_args.kwargs
    assert kwargs["issue"] == hotline
    assert kwargs["rating"] == IssueRating.UNSATISFIED
    assert kwargs["actor"] == deputy_user


def test_nothing_to_rate_on_an_issue_written_to_me(client, deputy_user, to_me):
    client.force_login(deputy_user)
    with mock.patch("liaison_stations.views.portal.issue_rate") as rate:
        client.post(reverse("liaison_stations:portal_issue_rate", args=[to_me.pk]), {"rating": "satisfied"})
    rate.assert_not_called()


def test_the_reporting_deputy_rates_and_the_issue_closes(client, deputy_user, hotline):
    # needs issue_rate
    client.force_login(deputy_user)
    client.post(reverse("liaison_stations:portal_issue_rate", args=[hotline.pk]), {"rating": "satisfied"})
    issue = PublicIssue.objects.get(pk=hotline.pk)
    assert issue.rating == IssueRating.SATISFIED
    assert issue.status == IssueStatus.CLOSED


# --- my QR code and placard ---


def test_my_qr_page_links_my_code_and_placard(client, deputy_user, me):
    client.force_login(deputy_user)
    response = client.get(reverse("liaison_stations:portal_qr"))
    assert response.status_code == 200
    assert response.context["works"] is True
    content = response.content.decode()
    assert reverse("liaison_stations:deputy_qr_png", args=[me.public_code]) in content
    assert reverse("liaison_stations:deputy_qr_svg", args=[me.public_code]) in content
    assert f"http://testserver/q/{me.public_code}" in content

    placard = client.get(reverse("liaison_stations:portal_placard"), {"size": "a4"})
    assert placard.status_code == 200
    assert placard.context["placards"][0][0].deputy == me
    assert placard.context["size"] == "a4"


def test_a_deputy_without_a_serving_mandate_is_told_the_code_does_not_work(client, resigned_deputy_user, world):
    # serving in B still: the code works
    client.force_login(resigned_deputy_user)
    assert client.get(reverse("liaison_stations:portal_qr")).context["works"] is True
    resigned_deputy_user.deputy.mandates.update(status="resigned")
    assert client.get(reverse("liaison_stations:portal_qr")).context["works"] is False
    assert client.get(reverse("liaison_stations:portal_placard")).status_code == 404
