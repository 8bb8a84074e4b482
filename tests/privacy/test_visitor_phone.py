"""A station visitor's phone (and a number in their words): in full only for those handling the visit —
office staff of its congress, staff of its station, the deputy who received the visitor, administrators
— whether the visit is confidential or not; masked for leaders; never in the dashboard
(docs/PRIVACY.md). Every role × every place."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.urls import reverse

from tests.privacy.conftest import FULL, MASKED, NONE, ROLES, VISITOR_MASKED, VISITOR_PHONE, assert_shown, login

pytestmark = pytest.mark.django_db

API = {"admin_user": FULL, "office_user": FULL, "station_user": FULL, "deputy_user": FULL, "leader_user": MASKED}
DESK = {"admin_user": FULL, "office_user": FULL, "station_user": FULL, "leader_user": MASKED}
ADMIN = {"admin_user": FULL, "office_user": FULL, "leader_user": MASKED}


def table(allowed: dict[str, str]) -> dict[str, str]:
    return {role: allowed.get(role, NONE) for role in ROLES}


PLACES: dict[str, tuple[Callable[[Any], str], dict[str, str]]] = {
    "API detail": (lambda p: f"/api/v1/visits/{p.visit.pk}/", table(API)),
    "API list": (lambda p: "/api/v1/visits/", table(API)),
    "desk visit page": (lambda p: reverse("liaison_stations:desk_visit", args=[p.visit.pk]), table(DESK)),
    "desk visits list": (lambda p: reverse("liaison_stations:desk_visits", args=[p.visit.station_id]), table(DESK)),
    "admin change page": (lambda p: reverse("admin:liaison_stations_visit_change", args=[p.visit.pk]), table(ADMIN)),
    "admin list": (lambda p: reverse("admin:liaison_stations_visit_changelist"), table({})),
    "dashboard records": (lambda p: reverse("dashboard:records", args=["visits", "visits"]), table({})),
}

CASES = [(place, role) for place, (_url, expected) in PLACES.items() for role in expected]


@pytest.mark.parametrize(("place", "role"), CASES)
def test_the_visitors_phone_is_shown_only_as_the_rule_allows(client, request, private, place, role):
    # given a public (not confidential) visit whose words carry the visitor's number too
    login(client, request, role)
    url_of, expected = PLACES[place]

    # when the user opens the place
    response = client.get(url_of(private))

    # then the number is there in full, masked, or not at all, as the rule says
    if expected[role] != NONE:
        assert response.status_code == 200, f"{place} as {role}"
    text = response.content.decode()
    assert_shown(text, full=VISITOR_PHONE, masked=VISITOR_MASKED, expected=expected[role], where=f"{place} as {role}")


@pytest.mark.parametrize(("role", "full"), [("office_user", True), ("deputy_user", True), ("leader_user", False)])
def test_a_confidential_visit_hides_words_and_masks_the_phone(client, request, private, role, full):
    # given the visit is confidential
    private.visit.confidentiality = "confidential"
    private.visit.save()
    login(client, request, role)

    # when the user reads it through the API
    data = client.get(f"/api/v1/visits/{private.visit.pk}/").json()

    # then those handling it read everything, a leader neither the words nor the number
    assert data["visitor_phone"] == (VISITOR_PHONE if full else VISITOR_MASKED)
    assert (data["words"] is not None) is full


@pytest.mark.parametrize(("role", "expected"), [("office_user", FULL), ("leader_user", MASKED)])
def test_the_visits_history_keeps_the_rule(client, request, private, role, expected):
    # given staff corrected the visitor's number
    visit = private.visit
    visit.visitor_phone = "13600002222"
    visit.save()
    visit.visitor_phone = VISITOR_PHONE
    visit.save()
    login(client, request, role)

    # when the user opens the visit's history
    response = client.get(reverse("admin:liaison_stations_visit_history", args=[visit.pk]))

    # then old and new numbers are in full for the office, masked for the leader
    assert response.status_code == 200
    text = response.content.decode()
    assert_shown(text, full="13600002222", masked="136****2222", expected=expected, where=role)
    assert_shown(text, full=VISITOR_PHONE, masked=VISITOR_MASKED, expected=expected, where=role)


def test_confidential_words_do_not_reach_a_leader_through_the_history(client, leader_user, private):
    # given a confidential visit whose words were corrected
    visit = private.visit
    visit.confidentiality = "confidential"
    visit.words = "举报某单位违规收费的详细情况"
    visit.save()
    visit.words = "举报某单位违规收费的详细情况（补充）"
    visit.save()
    client.force_login(leader_user)

    # when the leader opens the history
    text = client.get(reverse("admin:liaison_stations_visit_history", args=[visit.pk])).content.decode()

    # then the change is listed without the words
    assert "违规收费" not in text
