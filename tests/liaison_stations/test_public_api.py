"""The citizens' API without an account (/api/v1/public/issues/): submit → tracking code, read by the
code, rate the answer; honeypot, per-address limit, no contact leaks, no CSRF token needed (while the
rest of the API still wants an account and, with a session, the token)."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from liaison_stations.choices import Channel, IssueAction, IssueStatus
from liaison_stations.models import IssueRules, PublicIssue, StationDeputy
from suggestions.choices import SuggestionStatus
from tests.liaison_stations.factories_open311 import AnswerFactory, EventFactory, IssueFactory, suggestion_for
from tests.queries import assert_same_query_count

URL = "/api/v1/public/issues/"
CONTENT = "小区门口的路灯坏了三个月，晚上出行不便，请帮忙反映。"


@pytest.fixture(autouse=True)
def _fresh_cache():
    """The per-address counters live in the cache."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def api() -> APIClient:
    return APIClient()


def submit(api: APIClient, ip: str = "127.0.0.1", **fields: Any) -> Any:
    return api.post(URL, {"content": CONTENT, **fields}, format="json", REMOTE_ADDR=ip)


# --- submit ------------------------------------------------------------------------------------------


def test_a_citizen_writes_to_a_deputy_and_gets_a_tracking_code(api, world):
    # given the code on a deputy's QR placard
    deputy = world.a.deputies[0]

    # when a citizen writes to them with a phone and consent
    response = submit(api, deputy_code=deputy.public_code, citizen_phone="13907370044", consent=True)

    # then the issue is recorded for that deputy in their congress, and the answer is only the code
    assert response.status_code == 201
    assert set(response.json()) == {"tracking_code"}
    issue = PublicIssue.objects.get(tracking_code=response.json()["tracking_code"])
    assert (issue.deputy, issue.congress, issue.channel) == (deputy, world.a.congress, Channel.QR)
    assert (issue.citizen_phone, issue.consent, issue.status) == ("13907370044", True, IssueStatus.SUBMITTED)


def test_a_citizen_writes_to_a_station(api, world):
    response = submit(api, station=world.a.station.pk, location="桃花仑路 18 号")
    assert response.status_code == 201
    issue = PublicIssue.objects.get(tracking_code=response.json()["tracking_code"])
    assert (issue.station, issue.deputy, issue.location) == (world.a.station, None, "桃花仑路 18 号")


def test_a_deputy_serving_in_two_congresses_is_written_to_where_they_work_at_a_station(api, world):
    # given a deputy serving in A and B (both city congresses) who works at a station of B
    StationDeputy.objects.create(congress=world.b.congress, station=world.b.station, deputy=world.dual_deputy)

    # when a citizen writes to them
    response = submit(api, deputy_code=world.dual_deputy.public_code)

    # then B's station takes it in

    assert response.status_code == 201
    issue = PublicIssue.objects.get(tracking_code=response.json()["tracking_code"])
    assert (issue.congress, issue.station) == (world.b.congress, world.b.station)


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        pytest.param({}, "deputy_code", id="neither deputy nor station"),
        pytest.param({"deputy_code": "nobody"}, "deputy_code", id="unknown deputy"),
        pytest.param({"station": 999999}, "station", id="unknown station"),
        pytest.param({"station": "A"}, "station", id="station not a number"),
        pytest.param({"content": ""}, "content", id="no content"),
        pytest.param({"citizen_phone": "13907370044"}, "consent", id="phone without consent"),
        pytest.param({"citizen_name": "王小梅"}, "consent", id="name without consent"),
    ],
)
def test_bad_input_is_refused_by_field(api, world, fields, field):
    # given a submission to station A with one thing wrong
    data = {"station": world.a.station.pk, **fields}
    if "deputy_code" in fields or not fields:
        data.pop("station")

    # when it is sent
    response = submit(api, **data)

    # then the answer names the field and nothing is recorded
    assert response.status_code == 400
    assert field in response.json()["errors"]
    assert not PublicIssue.objects.exists()


def test_the_honeypot_pretends_success_and_keeps_nothing(api, world):
    # when a bot fills the hidden field
    response = submit(api, station=world.a.station.pk, website="http://spam.example")

    # then it is told it went through, and nothing is recorded
    assert response.status_code == 201
    assert response.json()["tracking_code"]
    assert not PublicIssue.objects.exists()


def test_submissions_are_limited_per_address_and_hour(api, world):
    # given congress A takes 2 public submissions an hour from one address
    IssueRules.objects.update_or_create(congress=world.a.congress, defaults={"intake_per_hour": 2})

    # when one address submits three times
    answers = [submit(api, station=world.a.station.pk) for _ in range(3)]

    # then the third is refused with 429 in the API's error shape, and another address may still write
    assert [answer.status_code for answer in answers] == [201, 201, 429]
    assert set(answers[2].json()) == {"detail", "errors"}
    assert PublicIssue.objects.count() == 2
    assert submit(api, ip="10.0.0.9", station=world.a.station.pk).status_code == 201


def test_no_csrf_token_is_needed_even_with_a_session(world, station_user):
    # given a browser logged in (a session) that sends no CSRF token
    api = APIClient(enforce_csrf_checks=True)
    api.force_login(station_user)

    # when it submits through the public API
    response = submit(api, station=world.a.station.pk)

    # then it goes through: the public API ignores sessions
    assert response.status_code == 201
    assert PublicIssue.objects.get().created_by is None


def test_the_rest_of_the_api_still_wants_an_account_and_the_csrf_token(world, station_user):
    # an anonymous caller is refused
    assert APIClient().get("/api/v1/suggestions/").status_code in (401, 403)
    # a session without the CSRF token is refused on a write
    api = APIClient(enforce_csrf_checks=True)
    api.force_login(station_user)
    response = api.post("/api/v1/notifications/1/read/")
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]


# --- read by tracking code ---------------------------------------------------------------------------


@pytest.fixture
def answered(world):
    issue = IssueFactory(
        station=world.a.station,
        deputy=world.a.deputies[0],
        category=world.a.subject_category,
        status=IssueStatus.ANSWERED,
        tier=2,
        due_on=datetime.date(2026, 3, 4),
        citizen_name="王小梅",
        citizen_phone="13907370044",
    )
    EventFactory(issue=issue, action=IssueAction.SUBMIT, to_status=IssueStatus.SUBMITTED)
    EventFactory(issue=issue, action=IssueAction.ASSIGN, note="内部：转交街道", is_public=False)
    EventFactory(issue=issue, action=IssueAction.ANSWER, to_status=IssueStatus.ANSWERED, tier=2)
    AnswerFactory(issue=issue, tier=2, body="已协调更换路灯。", answerer_name="会龙山街道")
    return issue


def test_the_citizen_reads_their_issue_by_tracking_code(api, answered):
    # when the citizen reads their issue (typing the code in lower case)
    response = api.get(f"{URL}{answered.tracking_code.lower()}/")

    # then status, tier, due date, the public timeline and the answers are there
    assert response.status_code == 200
    body = response.json()
    assert (body["tracking_code"], body["status"], body["tier"], body["due_on"]) == (
        answered.tracking_code,
        "answered",
        2,
        "2026-03-04",
    )
    assert body["status_label"]
    assert body["tier_label"]
    assert body["can_rate"] is True
    assert [event["action"] for event in body["timeline"]] == ["submit", "answer"]
    assert [(answer["body"], answer["answerer_name"]) for answer in body["answers"]] == [
        ("已协调更换路灯。", "会龙山街道")
    ]
    assert body["suggestion"] is None


def test_the_citizen_s_contacts_do_not_leak(api, answered):
    response = api.get(f"{URL}{answered.tracking_code}/")
    text = response.content.decode()
    assert response.json()["citizen_phone"] == "139****0044"
    assert "13907370044" not in text
    assert "王小梅" not in text
    assert "内部：转交街道" not in text


def test_a_wrong_code_is_not_found(api, answered):
    response = api.get(f"{URL}ZZZZZZZZZZZZ/")
    assert response.status_code == 404
    assert set(response.json()) == {"detail", "errors"}


def test_wrong_codes_are_limited_per_address(api, answered, settings):
    # given an address may miss 2 codes an hour
    settings.TRACKING_MISSES_PER_HOUR = 2

    # when it tries two wrong codes
    misses = [api.get(f"{URL}ZZZZZZZZZZZ{n}/").status_code for n in range(2, 4)]

    # then even a right code answers 429 from that address, not from another
    assert misses == [404, 404]
    response = api.get(f"{URL}{answered.tracking_code}/")
    assert response.status_code == 429
    assert set(response.json()) == {"detail", "errors"}
    assert api.get(f"{URL}{answered.tracking_code}/", REMOTE_ADDR="10.0.0.9").status_code == 200


def test_a_converted_issue_shows_its_suggestion_s_progress(api, world):
    issue = IssueFactory(
        station=world.a.station, category=world.a.subject_category, status=IssueStatus.CONVERTED, tier=4
    )
    suggestion = suggestion_for(
        issue, session=world.a.session, deputy=world.a.deputies[0], status=SuggestionStatus.ASSIGNED
    )
    PublicIssue.objects.filter(pk=issue.pk).update(suggestion=suggestion)

    body = api.get(f"{URL}{issue.tracking_code}/").json()

    assert body["suggestion"]["number"] == 7
    assert body["suggestion"]["status"] == "assigned"
    assert body["suggestion"]["status_label"]


def test_reading_takes_as_many_queries_with_20_answers_as_with_2(api, world, answered, django_assert_num_queries):
    AnswerFactory(issue=answered)

    def add() -> None:
        for _ in range(18):
            AnswerFactory(issue=answered)
            EventFactory(issue=answered)

    assert_same_query_count(django_assert_num_queries, lambda: api.get(f"{URL}{answered.tracking_code}/"), add)


# --- rate --------------------------------------------------------------------------------------------


def test_the_citizen_rates_an_answered_issue(api, answered):
    # when the citizen is satisfied
    response = api.post(
        f"{URL}{answered.tracking_code}/rate/", {"rating": "satisfied", "comment": "谢谢"}, format="json"
    )

    # then the issue closes with the rating
    assert response.status_code == 200
    assert response.json()["status"] == "closed"
    issue = PublicIssue.objects.get(pk=answered.pk)
    assert (issue.status, issue.rating, issue.rating_comment) == (IssueStatus.CLOSED, "satisfied", "谢谢")


def test_an_issue_not_answered_cannot_be_rated(api, world):
    issue = IssueFactory(station=world.a.station, status=IssueStatus.HANDLING, tier=1)
    response = api.post(f"{URL}{issue.tracking_code}/rate/", {"rating": "satisfied"}, format="json")
    assert response.status_code == 409
    assert PublicIssue.objects.get(pk=issue.pk).rating == ""


def test_a_bad_rating_is_refused(api, answered):
    response = api.post(f"{URL}{answered.tracking_code}/rate/", {"rating": "great"}, format="json")
    assert response.status_code == 400
    assert "rating" in response.json()["errors"]


def test_rating_with_a_wrong_code_is_not_found(api, answered):
    response = api.post(f"{URL}ZZZZZZZZZZZZ/rate/", {"rating": "satisfied"}, format="json")
    assert response.status_code == 404
