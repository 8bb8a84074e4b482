"""The tracking page (/track/<code>) a citizen opens without an account: state in plain words, public
timeline, answers, due date, rating, the formal suggestion; masking of the phone; 404 for a wrong
code; the per-address limit on wrong codes; the /track/ lookup form."""

from __future__ import annotations

import datetime
from unittest import mock

import pytest
from django.core.cache import cache
from django.urls import reverse

from liaison_stations.choices import Channel, IssueRating, IssueStatus
from liaison_stations.models import PublicIssue
from suggestions.models import Suggestion
from tests.liaison_stations.factories_public import (
    FULL_PHONE,
    MASKED_PHONE,
    PublicIssueFactory,
    answered_issue,
)


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def issue(world):
    return answered_issue(station=world.a.station, deputy=world.a.deputies[0])


def track_url(code):
    return reverse("liaison_stations:track", args=[code])


def test_the_page_shows_state_answer_public_timeline_and_rating_form(client, issue):
    # when
    response = client.get(track_url(issue.tracking_code))

    # then
    assert response.status_code == 200
    assert response.context["issue"] == issue
    content = response.content.decode()
    assert "已联系社区，路灯将于本周五前修复。" in content
    assert response.context["rating_form"] is not None
    assert 'name="rating"' in content
    # the timeline shows public events only
    assert [event.action for event in response.context["events"]] == ["submit", "accept", "answer"]
    assert "内部备注" not in content
    assert "noindex" in content
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_the_phone_is_masked_even_for_the_citizen(client, issue):
    response = client.get(track_url(issue.tracking_code))
    content = response.content.decode()
    assert MASKED_PHONE in content
    assert FULL_PHONE not in content


def test_handling_shows_the_tier_and_its_due_date_and_no_rating(client, world):
    issue = PublicIssueFactory(
        station=world.a.station, status=IssueStatus.HANDLING, tier=2, due_on=datetime.date(2026, 3, 9)
    )
    response = client.get(track_url(issue.tracking_code))
    content = response.content.decode()
    assert "2026-03-09" in content
    assert issue.get_tier_display() in content
    assert response.context["rating_form"] is None


def test_not_accepted_shows_the_reason(client, world):
    issue = PublicIssueFactory(
        station=world.a.station, status=IssueStatus.NOT_ACCEPTED, rejection_reason="属于司法程序，请向法院反映。"
    )
    assert "属于司法程序，请向法院反映。" in client.get(track_url(issue.tracking_code)).content.decode()


def test_a_converted_issue_shows_the_suggestions_number_title_and_state(client, world):
    suggestion = Suggestion.objects.create(
        congress=world.a.congress,
        session=world.a.session,
        title="关于加快老旧小区路灯改造的建议",
        body="……",
        category=world.a.subject_category,
        lead_deputy=world.a.deputies[0],
    )
    issue = PublicIssueFactory(station=world.a.station, status=IssueStatus.CONVERTED, tier=4, suggestion=suggestion)

    response = client.get(track_url(issue.tracking_code))

    assert response.context["suggestion"] == suggestion
    content = response.content.decode()
    assert "关于加快老旧小区路灯改造的建议" in content
    assert suggestion.get_status_display() in content


def test_codes_are_looked_up_whatever_the_case(client, issue):
    assert client.get(track_url(issue.tracking_code.lower())).status_code == 200


def test_a_wrong_code_answers_a_friendly_404(client, issue):
    response = client.get(track_url("ZZZZZZZZZZZZ"))
    assert response.status_code == 404
    assert response.context["form"] is not None


def test_the_rating_form_calls_issue_rate_with_the_tracking_code(client, issue):
    # given (the service itself is tested with the issues)
    with mock.patch("liaison_stations.views.public.issue_rate") as rate:
        # when
        response = client.post(track_url(issue.tracking_code), {"rating": "basically", "comment": "修得挺快"})

    # then
    assert response.status_code == 302
    rate.assert_called_once()
    kwargs = rate.call_args.kwargs
    assert kwargs["issue"] == issue
    assert kwargs["rating"] == IssueRating.BASICALLY
    assert kwargs["comment"] == "修得挺快"
    assert kwargs["tracking_code"] == issue.tracking_code
    assert kwargs.get("actor") is None


def test_a_rating_without_a_choice_is_not_sent(client, issue):
    with mock.patch("liaison_stations.views.public.issue_rate") as rate:
        response = client.post(track_url(issue.tracking_code), {"comment": "?"})
    assert response.status_code == 200
    assert "rating" in response.context["rating_form"].errors
    rate.assert_not_called()


def test_a_citizen_rates_the_answer_and_the_issue_closes(client, issue):
    # when (needs issue_rate)
    response = client.post(track_url(issue.tracking_code), {"rating": "satisfied"}, follow=True)

    # then
    issue = PublicIssue.objects.get(pk=issue.pk)
    assert issue.rating == IssueRating.SATISFIED
    assert issue.status == IssueStatus.CLOSED
    assert response.context["rating_form"] is None
    assert issue.events.filter(action="rate").exists()


def test_nothing_to_rate_before_an_answer(client, world):
    issue = PublicIssueFactory(station=world.a.station, status=IssueStatus.HANDLING, tier=1)
    with mock.patch("liaison_stations.views.public.issue_rate") as rate:
        response = client.post(track_url(issue.tracking_code), {"rating": "satisfied"}, follow=True)
    rate.assert_not_called()
    assert [m.level_tag for m in response.context["messages"]] == ["error"]


def test_the_citizen_does_not_rate_a_hotline_issue(client, world):
    issue = PublicIssueFactory(
        station=world.a.station,
        channel=Channel.HOTLINE,
        status=IssueStatus.ANSWERED,
        tier=1,
        reported_by=world.a.deputies[0],
    )
    assert client.get(track_url(issue.tracking_code)).context["rating_form"] is None


def test_wrong_codes_are_limited_per_address(client, issue, settings):
    # given 3 wrong codes allowed an hour
    settings.TRACKING_MISSES_PER_HOUR = 3
    for _ in range(3):
        assert client.get(track_url("WRONGWRONG22"), REMOTE_ADDR="10.1.1.1").status_code == 404

    # then every lookup from that address answers 429, even with a right code
    assert client.get(track_url(issue.tracking_code), REMOTE_ADDR="10.1.1.1").status_code == 429
    assert (
        client.post(track_url(issue.tracking_code), {"rating": "satisfied"}, REMOTE_ADDR="10.1.1.1").status_code == 429
    )
    # another address is not held back, and right codes do not count
    for _ in range(5):
        assert client.get(track_url(issue.tracking_code), REMOTE_ADDR="10.1.1.2").status_code == 200


def test_the_default_limit_is_sixty_wrong_codes_an_hour(client, issue):
    for _ in range(60):
        client.get(track_url("WRONGWRONG22"))
    assert client.get(track_url(issue.tracking_code)).status_code == 429


# --- /track/ ---


def test_the_lookup_form_opens_the_tracking_page(client, issue):
    assert client.get(reverse("liaison_stations:track_lookup")).status_code == 200

    code = issue.tracking_code
    response = client.get(reverse("liaison_stations:track_lookup"), {"code": f" {code[:4].lower()}-{code[4:]} "})

    assert response.status_code == 302
    assert response["Location"] == track_url(code)


def test_the_lookup_form_says_what_a_code_looks_like(client):
    response = client.get(reverse("liaison_stations:track_lookup"), {"code": "O0O0-IIII"})
    assert response.status_code == 200
    assert "code" in response.context["form"].errors


def test_the_timeline_names_the_station_never_a_staff_account(client, world, station_user):
    # given a citizen's issue accepted and answered by a station clerk whose account is named
    from liaison_stations.services import issues as issue_services

    station_user.first_name, station_user.last_name = "", ""
    station_user.username = "clerk-zhang-13800138000"
    station_user.save()
    issue = issue_services.issue_submit(
        congress=world.a.congress, channel="qr", content="小区路灯坏了一个月", station=world.a.station, citizen_phone=""
    )
    issue = issue_services.issue_screen(issue=issue, actor=station_user, accept=True, tier=1)
    issue_services.issue_answer(issue=issue, actor=station_user, body="已修复。")

    # when the citizen opens the tracking page and the public API
    page = client.get(track_url(issue.tracking_code)).content.decode()
    api = client.get(f"/api/v1/public/issues/{issue.tracking_code}/")

    # then the moves are signed by the station; the clerk's account appears nowhere
    assert "clerk-zhang" not in page
    assert world.a.station.name in page
    assert '<h2 class="h6">办理进度</h2>' in page
    assert "学习进度" not in page
    assert "clerk-zhang" not in api.content.decode()
    assert {event["by"] for event in api.json()["timeline"]} >= {world.a.station.name}
