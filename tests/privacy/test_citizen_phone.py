"""A citizen's phone (and any phone number they wrote in their words): in full only for those handling
the issue — office staff of its congress, staff of its station, the deputy it is written to, the unit it
is assigned to, administrators; masked for leaders and the supervising committee, for whoever holds the
tracking code, and in the Open311 feed and the dashboard (docs/PRIVACY.md). Every role × every place."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.urls import reverse

from liaison_stations.models import IssueAnswer
from tests.privacy.conftest import (
    CITIZEN_MASKED,
    CITIZEN_PHONE,
    FULL,
    MASKED,
    NONE,
    ROLES,
    assert_shown,
    login,
)

pytestmark = pytest.mark.django_db

HANDLERS = {
    "admin_user": FULL,
    "office_user": FULL,
    "station_user": FULL,
    "unit_user": FULL,
    "deputy_user": FULL,
}
WATCHERS = {"leader_user": MASKED, "committee_user": MASKED}
EVERYONE_MASKED = dict.fromkeys(ROLES, MASKED)


def table(allowed: dict[str, str]) -> dict[str, str]:
    return {role: allowed.get(role, NONE) for role in ROLES}


def only(*roles: str, **expected: str) -> dict[str, str]:
    """The given roles of HANDLERS and WATCHERS (and any explicit ones)."""
    return {role: {**HANDLERS, **WATCHERS}[role] for role in roles} | expected


DESK = only("admin_user", "office_user", "station_user", "leader_user", "committee_user")
ADMIN = only("admin_user", "office_user", "leader_user", "committee_user")

# place -> (url of the issue, expectation per role)
PLACES: dict[str, tuple[Callable[[Any], str], dict[str, str]]] = {
    "API detail": (lambda p: f"/api/v1/issues/{p.issue.pk}/", table({**HANDLERS, **WATCHERS})),
    "API list": (lambda p: "/api/v1/issues/", table({**HANDLERS, **WATCHERS})),
    "station desk detail": (lambda p: reverse("liaison_stations:issue_detail", args=[p.issue.pk]), table(DESK)),
    "station desk list": (lambda p: reverse("liaison_stations:issue_list"), table(DESK)),
    "unit desk detail": (
        lambda p: reverse("liaison_stations:unit_issue_detail", args=[p.issue.pk]),
        table({"unit_user": FULL}),
    ),
    "unit desk list": (lambda p: reverse("liaison_stations:unit_issue_list"), table({"unit_user": FULL})),
    "portal detail": (
        lambda p: reverse("liaison_stations:portal_issue", args=[p.issue.pk]),
        table({"deputy_user": FULL}),
    ),
    "portal list": (lambda p: reverse("liaison_stations:portal_issues"), table({"deputy_user": FULL})),
    "admin change page": (
        lambda p: reverse("admin:liaison_stations_publicissue_change", args=[p.issue.pk]),
        table(ADMIN),
    ),
    "admin list": (lambda p: reverse("admin:liaison_stations_publicissue_changelist"), table(ADMIN)),
    "tracking page": (lambda p: reverse("liaison_stations:track", args=[p.issue.tracking_code]), EVERYONE_MASKED),
    "public API": (lambda p: f"/api/v1/public/issues/{p.issue.tracking_code}/", EVERYONE_MASKED),
    "Open311 request": (lambda p: f"/open311/v2/requests/{p.issue.pk}.json", EVERYONE_MASKED),
    "Open311 feed": (
        lambda p: f"/open311/v2/requests.json?jurisdiction_id={p.issue.congress.area_code}",
        EVERYONE_MASKED,
    ),
    "dashboard records": (
        lambda p: reverse("dashboard:records", args=["issues", "collected"]),
        table({"admin_user": MASKED, "office_user": MASKED, "leader_user": MASKED}),
    ),
}

CASES = [(place, role) for place, (_url, expected) in PLACES.items() for role in expected]


@pytest.mark.parametrize(("place", "role"), CASES)
def test_the_citizens_phone_is_shown_only_as_the_rule_allows(client, request, private, place, role):
    # given the user of the role (the issue's content carries the citizen's number too)
    login(client, request, role)
    url_of, expected = PLACES[place]

    # when they open the place
    response = client.get(url_of(private))

    # then the number is there in full, masked, or not at all, as the rule says
    if expected[role] != NONE:
        assert response.status_code == 200, f"{place} as {role}"
    text = response.content.decode()
    assert_shown(text, full=CITIZEN_PHONE, masked=CITIZEN_MASKED, expected=expected[role], where=f"{place} as {role}")


@pytest.mark.parametrize(
    ("role", "full"), [("office_user", True), ("station_user", True), ("leader_user", False), ("committee_user", False)]
)
def test_the_citizens_name_follows_the_phone(client, request, private, role, full):
    login(client, request, role)
    data = client.get(f"/api/v1/issues/{private.issue.pk}/").json()
    page = client.get(reverse("liaison_stations:issue_detail", args=[private.issue.pk])).content.decode()
    assert data["citizen_name"] == ("王小明" if full else "王**")
    assert data["contact_masked"] is not full
    assert ("王小明" in page) is full


def test_an_answer_mentioning_the_number_is_masked_in_the_open311_feed(client, private):
    # given the station answered, writing the citizen's number into the answer
    IssueAnswer.objects.create(
        issue=private.issue,
        congress=private.issue.congress,
        tier=3,
        body=f"已电话联系{CITIZEN_PHONE}，三日内修好。",
        answerer_name="社区",
    )

    # when anyone reads the public feed
    response = client.get(f"/open311/v2/requests/{private.issue.pk}.json")

    # then the answer is there with the number masked, and no contact field at all
    row = response.json()[0]
    assert row["status_notes"] == f"已电话联系{CITIZEN_MASKED}，三日内修好。"
    assert CITIZEN_PHONE not in response.content.decode()
    assert not {key for key in row if "phone" in key or "name" in key} - {"service_name"}


@pytest.mark.parametrize(("role", "finds"), [("office_user", True), ("leader_user", False)])
def test_digits_cannot_probe_a_masked_number(client, request, private, role, finds):
    # given a reader of the issues
    login(client, request, role)
    digits = CITIZEN_PHONE[3:7]  # the hidden middle of 139****0055

    # when they search the words for the hidden digits (admin, API, desk)
    admin = client.get(reverse("admin:liaison_stations_publicissue_changelist"), {"q": digits})
    api = client.get("/api/v1/issues/", {"search": digits}).json()
    desk = client.get(reverse("liaison_stations:issue_list"), {"q": digits})

    # then only those who see the number in full find the issue by them; the tracking code still finds it
    assert (private.issue.pk in {row.pk for row in admin.context["cl"].result_list}) is finds
    assert (private.issue.pk in {row["id"] for row in api["results"]}) is finds
    assert (private.issue.pk in {row.pk for row in desk.context["page"].object_list}) is finds
    by_code = client.get("/api/v1/issues/", {"search": private.issue.tracking_code}).json()
    assert [row["id"] for row in by_code["results"]] == [private.issue.pk]


@pytest.mark.parametrize(("role", "expected"), [("office_user", FULL), ("leader_user", MASKED)])
def test_the_issues_history_keeps_the_rule(client, request, private, role, expected):
    # given staff corrected the citizen's number (the history keeps old and new values)
    issue = private.issue
    issue.citizen_phone = "13900001111"
    issue.save()
    issue.citizen_phone = CITIZEN_PHONE
    issue.save()
    login(client, request, role)

    # when the user opens the issue's history
    response = client.get(reverse("admin:liaison_stations_publicissue_history", args=[issue.pk]))

    # then old and new numbers are in full for the office, masked for the leader
    assert response.status_code == 200
    text = response.content.decode()
    assert_shown(text, full="13900001111", masked="139****1111", expected=expected, where=role)
    assert_shown(text, full=CITIZEN_PHONE, masked=CITIZEN_MASKED, expected=expected, where=role)
