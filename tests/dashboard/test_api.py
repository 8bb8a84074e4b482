"""The stats API (/api/v1/stats/…): who may call it (leaders and office staff of a congress see that
congress only; another congress is not found; other roles 403; anonymous 401), bad filter values
(400 with a message per field), the shape of each payload, and the OpenAPI schema."""

from __future__ import annotations

from typing import Any

import pytest

from dashboard.filters import FILTER_NAMES
from tests.dashboard.builders import API, ENDPOINTS, Known, build_known, stats

pytestmark = pytest.mark.django_db

RATE_KEYS = {"numerator", "denominator", "value"}
ENVELOPE = {"filters", "ignored_filters", "as_of"}
# Every endpoint's keys, and which of them are rates.
SHAPES: dict[str, tuple[set[str], set[str]]] = {
    "suggestions": (
        {
            "total",
            "counts",
            "by_status",
            "by_category",
            "by_unit",
            "by_month",
            "assignments",
            "on_time_rate",
            "satisfaction_rate",
            "solved_rate",
            "solved_or_planned_rate",
            "no_feedback",
            "overdue_now",
            "supervision",
            "key_suggestions",
        },
        {"on_time_rate", "satisfaction_rate", "solved_rate", "solved_or_planned_rate"},
    ),
    "units": ({"units", "lagging"}, set()),
    "deputies": (
        {
            "in_office",
            "trained",
            "trained_rate",
            "training_person_times",
            "training_hours",
            "sat_in",
            "sitting_coverage",
            "sitting_person_times",
            "group_members",
            "active",
            "activities",
            "activities_by_kind",
            "by_category",
            "points_year",
            "points_distribution",
        },
        {"trained_rate", "sitting_coverage"},
    ),
    "public-issues": (
        {
            "collected",
            "solved",
            "in_progress",
            "not_accepted",
            "converted",
            "answered",
            "reopened",
            "overdue_now",
            "on_time_rate",
            "satisfaction_rate",
            "solved_rate",
            "outcomes",
            "by_channel",
            "by_station",
            "by_block",
            "by_tier",
            "by_status",
            "by_month",
        },
        {"on_time_rate", "satisfaction_rate", "solved_rate"},
    ),
    "stations": (
        {
            "receptions_scheduled",
            "receptions_held",
            "deputy_receptions",
            "visits",
            "visitors",
            "forums",
            "forum_residents",
            "checklist",
            "stations",
        },
        set(),
    ),
}
# A figure of each payload that counts congress A's rows on the known data set.
A_FIGURE = {
    "suggestions": ("total", 15, 16),
    "deputies": ("in_office", 4, 7),
    "public-issues": ("collected", 8, 9),
    "stations": ("receptions_scheduled", 4, 5),
}


def get(client: Any, user: Any, endpoint: str, **params: Any) -> Any:
    if user is not None:
        client.force_login(user)
    return client.get(f"{API}/{endpoint}/", params)


@pytest.fixture
def known(request: Any) -> Known:
    return build_known(request)


# --- access ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("endpoint", ENDPOINTS)
@pytest.mark.parametrize("role", ["leader_user", "office_user", "admin_user", "administrator_user"])
def test_leaders_office_staff_and_administrators_may_call(client, world, endpoint, role, request):
    assert get(client, request.getfixturevalue(role), endpoint).status_code == 200


@pytest.mark.parametrize("endpoint", ENDPOINTS)
@pytest.mark.parametrize("role", ["unit_user", "committee_user", "station_user", "deputy_user", "plain_user"])
def test_other_roles_are_refused(client, world, endpoint, role, request):
    assert get(client, request.getfixturevalue(role), endpoint).status_code == 403


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_anonymous_users_are_refused(client, world, endpoint):
    assert get(client, None, endpoint).status_code in (401, 403)


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_another_congress_is_not_found(client, world, leader_user, endpoint):
    assert get(client, leader_user, endpoint, congress=world.b.congress.pk).status_code == 404
    assert get(client, leader_user, endpoint, congress=world.a.congress.pk).status_code == 200
    assert get(client, leader_user, endpoint, congress=999999).status_code == 404


def test_leaders_see_their_congress_only(client, known, leader_user, office_user, admin_user):
    for endpoint, (key, in_a, everywhere) in A_FIGURE.items():
        leader = stats(client, leader_user, endpoint)
        office = stats(client, office_user, endpoint)
        admin_of_a = stats(client, admin_user, endpoint, congress=known.a.congress.pk)
        admin = stats(client, admin_user, endpoint)
        assert leader[key] == office[key] == admin_of_a[key] == in_a, endpoint
        assert admin[key] == everywhere, endpoint
    # Every figure of A's leader is the administrator's with congress A chosen (filters aside).
    for endpoint in ENDPOINTS:
        leader = stats(client, leader_user, endpoint)
        admin_of_a = stats(client, admin_user, endpoint, congress=known.a.congress.pk)
        leader.pop("filters"), admin_of_a.pop("filters")
        assert leader == admin_of_a, endpoint
    # B's unit is not in A's league.
    units = stats(client, leader_user, "units")
    assert known.b.unit.pk not in {row["unit"] for row in units["units"]}


# --- bad values --------------------------------------------------------------------------------------


def bad_values(world: Any) -> list[tuple[dict[str, Any], str]]:
    return [
        ({"year": "abc"}, "year"),
        ({"year": "1999"}, "year"),
        ({"date_from": "2026-05-01", "date_to": "2026-04-01"}, "date_to"),
        ({"date_from": "yesterday"}, "date_from"),
        ({"month": "2026-13"}, "month"),
        ({"unit": world.b.unit.pk}, "unit"),
        ({"station": world.b.station.pk}, "station"),
        ({"term": world.b.term.pk}, "term"),
        ({"session": world.b.session.pk}, "session"),
        ({"committee": world.b.committee.pk}, "committee"),
        ({"category": world.b.subject_category.pk}, "category"),
        ({"tier": "7"}, "tier"),
    ]


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_bad_values_answer_400_with_a_message_per_field(client, world, leader_user, endpoint):
    for params, field in bad_values(world):
        response = get(client, leader_user, endpoint, **params)
        assert response.status_code == 400, params
        errors = response.json()["errors"]
        assert list(errors) == [field], params
        assert errors[field], params
        assert all(isinstance(message, str) and message.strip() for message in errors[field]), params


def test_error_messages_are_in_the_users_language(client, world, leader_user):
    # zh-hans is the default; Django's own messages are translated already.
    response = get(client, leader_user, "suggestions", unit=world.b.unit.pk, year="abc")

    errors = response.json()["errors"]
    assert set(errors) == {"unit", "year"}
    assert "选择" in errors["unit"][0]
    assert "整数" in errors["year"][0]


def test_a_row_of_another_congress_than_the_one_chosen_is_refused(client, world, admin_user):
    response = get(client, admin_user, "suggestions", congress=world.a.congress.pk, unit=world.b.unit.pk)

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["unit"]


# --- the payloads ------------------------------------------------------------------------------------


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_the_shape_of_each_payload(client, known, leader_user, endpoint):
    payload = stats(client, leader_user, endpoint, year=2026, station=known.a.station.pk)
    keys, rates = SHAPES[endpoint]

    assert set(payload) == keys | ENVELOPE
    assert payload["filters"] == {"year": 2026, "station": known.a.station.pk}
    assert payload["as_of"] == known.today.isoformat()
    assert isinstance(payload["ignored_filters"], list)
    for key in rates:
        assert set(payload[key]) == RATE_KEYS, key
        numerator, denominator, value = (payload[key][name] for name in ("numerator", "denominator", "value"))
        assert value == (round(numerator / denominator, 4) if denominator else None), key


def test_nested_rates_have_the_same_shape(client, known, leader_user):
    suggestions = stats(client, leader_user, "suggestions")
    units = stats(client, leader_user, "units")
    stations = stats(client, leader_user, "stations")

    assert set(suggestions["key_suggestions"]["progress"]) == RATE_KEYS
    for row in units["units"]:
        for key in ("on_time_rate", "satisfaction_rate", "solved_rate"):
            assert set(row[key]) == RATE_KEYS
    assert set(stations["checklist"]["completion"]) == RATE_KEYS
    for row in stations["stations"]:
        assert set(row["checklist_completion"]) == RATE_KEYS


def test_an_empty_congress_has_no_rates_to_divide(client, world, leader_user):
    payload = stats(client, leader_user, "suggestions")

    assert payload["total"] == 0
    assert payload["on_time_rate"] == {"numerator": 0, "denominator": 0, "value": None}


def test_the_schema_documents_each_endpoint_and_its_filters(client, office_user):
    client.force_login(office_user)

    paths = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()["paths"]

    for endpoint in ENDPOINTS:
        operation = paths[f"{API}/{endpoint}/"]["get"]
        assert {parameter["name"] for parameter in operation["parameters"]} >= set(FILTER_NAMES)
        assert "stats" in operation["tags"]
