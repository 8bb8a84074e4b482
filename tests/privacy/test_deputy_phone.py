"""A deputy's mobile number: in full for the deputy themself, office staff (联工委) and administrators;
masked for committee staff, leaders, unit and station staff; never on public pages, other congresses'
pages, the Popolo export or the dashboard (docs/PRIVACY.md). Every role × every place."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.urls import reverse

from tests.privacy.conftest import DEPUTY_MASKED, DEPUTY_PHONE, FULL, MASKED, NONE, ROLES, assert_shown, login

pytestmark = pytest.mark.django_db

OFFICE_AND_SELF = {"admin_user": FULL, "office_user": FULL, "deputy_user": FULL}
ADMIN_READERS = {"admin_user": FULL, "office_user": FULL, "committee_user": MASKED, "leader_user": MASKED}
API_READERS = {
    **ADMIN_READERS,
    "unit_user": MASKED,
    "station_user": MASKED,
    "deputy_user": FULL,  # themself
}


def table(allowed: dict[str, str]) -> dict[str, str]:
    """Every role: the ones given, and nothing for the rest."""
    return {role: allowed.get(role, NONE) for role in ROLES}


# place -> (url of the deputy, expectation per role)
PLACES: dict[str, tuple[Callable[[Any], str], dict[str, str]]] = {
    "admin change page": (
        lambda p: reverse("admin:deputies_deputy_change", args=[p.deputy.pk]),
        table(ADMIN_READERS),
    ),
    "admin list": (lambda p: reverse("admin:deputies_deputy_changelist"), table({})),
    "API detail": (lambda p: f"/api/v1/deputies/{p.deputy.pk}/", table(API_READERS)),
    "API list": (lambda p: "/api/v1/deputies/?page_size=100", table(API_READERS)),
    "portal home": (lambda p: reverse("deputies:portal_home"), table({"deputy_user": FULL})),
    "Popolo export": (lambda p: "/api/popolo.json", table({})),
    "QR intake page": (lambda p: reverse("liaison_stations:intake", args=[p.deputy.public_code]), table({})),
    "public station page": (lambda p: reverse("liaison_stations:station_public", args=[p.issue.station_id]), table({})),
    "dashboard deputies": (lambda p: reverse("dashboard:records", args=["deputies", "in_office"]), table({})),
}

CASES = [(place, role) for place, (_url, expected) in PLACES.items() for role in expected]


@pytest.mark.parametrize(("place", "role"), CASES)
def test_the_deputys_phone_is_shown_only_as_the_rule_allows(client, request, private, place, role):
    # given the user of the role
    login(client, request, role)
    url_of, expected = PLACES[place]

    # when they open the place
    response = client.get(url_of(private))

    # then the number is there in full, masked, or not at all, as the rule says
    if expected[role] != NONE:
        assert response.status_code == 200, f"{place} as {role}"
    text = response.content.decode()
    assert_shown(text, full=DEPUTY_PHONE, masked=DEPUTY_MASKED, expected=expected[role], where=f"{place} as {role}")


@pytest.mark.parametrize(("role", "finds"), [("office_user", True), ("committee_user", False), ("leader_user", False)])
def test_only_office_staff_find_a_deputy_by_phone_in_the_admin(client, request, private, role, finds):
    # given a user who may browse deputies in the admin
    login(client, request, role)

    # when they search the deputies by the mobile number
    response = client.get(reverse("admin:deputies_deputy_changelist"), {"q": DEPUTY_PHONE})

    # then only those who may see the number find the deputy by it (others cannot probe numbers)
    assert response.status_code == 200
    assert (private.deputy.pk in {row.pk for row in response.context["cl"].result_list}) is finds


@pytest.mark.parametrize(
    ("role", "expected"),
    [("admin_user", FULL), ("office_user", FULL), ("committee_user", MASKED), ("leader_user", MASKED)],
)
def test_the_deputys_history_keeps_the_rule(client, request, private, role, expected):
    # given the office changed the deputy's number (the history keeps old and new values)
    deputy = private.deputy
    deputy.phone = "13799990000"
    deputy.save()
    deputy.phone = DEPUTY_PHONE
    deputy.save()
    version = deputy.history.get(phone="13799990000")
    login(client, request, role)

    # when the user opens the deputy's history and one old version
    listing = client.get(reverse("admin:deputies_deputy_history", args=[deputy.pk]))
    old = client.get(reverse("admin:deputies_deputy_simple_history", args=[deputy.pk, version.history_id]))

    # then the old and the new number are there in full only for those who may see them, masked otherwise
    assert listing.status_code == old.status_code == 200
    text = listing.content.decode()
    assert_shown(text, full=DEPUTY_PHONE, masked=DEPUTY_MASKED, expected=expected, where=f"history as {role}")
    assert_shown(text, full="13799990000", masked="137****0000", expected=expected, where=f"history as {role}")
    assert_shown(
        old.content.decode(), full="13799990000", masked="137****0000", expected=expected, where=f"version as {role}"
    )
