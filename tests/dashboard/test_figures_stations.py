"""The stations' figures (/api/v1/stats/stations/) on the known data set, against hand counts, and the
drill-down list behind each figure and each station's row.

Hand count, congress A ("会龙山" is station A with blocks K1, K2; "桃花仑" the other station, block K3):

    reception days   R1 会龙山 2026-03-16 confirmed: jia came, yi absent
                     R2 会龙山 2026-04-15 confirmed: jia and yi
                     R3 会龙山 2026-05-15 not confirmed
                     R4 桃花仑 2026-03-20 confirmed: dual
        scheduled 4, held (confirmed) 3, deputies received citizens (person-times) 4
    visits           V1 会龙山 03-16 answered, 3 visitors; V2 会龙山 04-15 into the loop (issue I3),
                     1 visitor; V3 桃花仑 03-20 not accepted, 2 visitors
        visits 3, visitors 6, into the loop 1
    forums           F1 会龙山 04-20 (K1) 40 residents; F2 桃花仑 05-10 (K3) 25 residents;
                     F3 会龙山 planned a month ahead: not held, not counted
        forums 2, residents 65
    checklist 2026   会龙山: place met, signs met, rules partly, deputies not met (results met, but
                     the item was made inactive: not counted); 桃花仑: place met; 会龙山 2025: place
                     not met (another year)
        items 5, met 3, partly 1, not met 1, completion 3/5

    per station: 会龙山 held 2, visits 2, forums 1, residents 40, checklist 2/4
                 桃花仑 held 1, visits 1, forums 1, residents 25, checklist 1/1

Congress B: a confirmed reception day (one deputy) and one checklist item met: never in A's figures.
"""

from __future__ import annotations

from typing import Any

import pytest

from dashboard.stats import rate
from tests.dashboard.builders import Known, build_known, check_figure, stats

pytestmark = pytest.mark.django_db


@pytest.fixture
def known(request: Any) -> Known:
    return build_known(request)


def figures_of(payload: dict[str, Any]) -> dict[tuple[str, str], int]:
    """The payload's counts by (kind, figure) of the drill-down."""
    checklist = payload["checklist"]
    return {
        ("receptions", "scheduled"): payload["receptions_scheduled"],
        ("receptions", "held"): payload["receptions_held"],
        ("reception_duties", "person_times"): payload["deputy_receptions"],
        ("visits", "visits"): payload["visits"],
        ("forums", "forums"): payload["forums"],
        ("checklist", "items"): checklist["items"],
        ("checklist", "met"): checklist["met"],
        ("checklist", "partly"): checklist["partly"],
        ("checklist", "not_met"): checklist["not_met"],
    }


def test_every_figure_and_its_list(client, known, leader_user):
    payload = stats(client, leader_user, "stations", year=2026)

    hand = {
        ("receptions", "scheduled"): 4,
        ("receptions", "held"): 3,
        ("reception_duties", "person_times"): 4,
        ("visits", "visits"): 3,
        ("forums", "forums"): 2,
        ("checklist", "items"): 5,
        ("checklist", "met"): 3,
        ("checklist", "partly"): 1,
        ("checklist", "not_met"): 1,
    }
    values = figures_of(payload)
    for (kind, figure), expected in hand.items():
        check_figure(client, leader_user, kind, figure, expected, values[kind, figure], year=2026)
    check_figure(client, leader_user, "visits", "into_loop", 1, None, year=2026)
    assert (payload["visitors"], payload["forum_residents"]) == (6, 65)
    assert payload["checklist"]["completion"] == rate(3, 5)
    assert payload["checklist"]["year"] == 2026


def test_each_station_row_and_its_lists(client, known, leader_user):
    payload = stats(client, leader_user, "stations", year=2026)
    a = known.a

    rows = {row["station"]: row for row in payload["stations"]}
    assert {
        station: (
            row["receptions_held"],
            row["visits"],
            row["forums"],
            row["residents"],
            row["checklist_met"],
            row["checklist_items"],
        )
        for station, row in rows.items()
    } == {a.station.pk: (2, 2, 1, 40, 2, 4), a.other_station.pk: (1, 1, 1, 25, 1, 1)}
    assert rows[a.station.pk]["checklist_completion"] == rate(2, 4)
    for station, row in rows.items():
        for kind, figure, key in (
            ("receptions", "held", "receptions_held"),
            ("visits", "visits", "visits"),
            ("forums", "forums", "forums"),
            ("checklist", "met", "checklist_met"),
            ("checklist", "items", "checklist_items"),
        ):
            check_figure(client, leader_user, kind, figure, row[key], None, year=2026, station=station)


# (filters, {(kind, figure): hand count}, visitors, residents)
FILTER_CASES = [
    (
        {"station": "A-station", "year": 2026},
        {
            ("receptions", "scheduled"): 3,
            ("receptions", "held"): 2,
            ("reception_duties", "person_times"): 3,
            ("visits", "visits"): 2,
            ("forums", "forums"): 1,
            ("checklist", "items"): 4,
            ("checklist", "met"): 2,
        },
        4,
        40,
    ),
    (
        {"year": 2025},
        {
            ("receptions", "scheduled"): 0,
            ("reception_duties", "person_times"): 0,
            ("visits", "visits"): 0,
            ("forums", "forums"): 0,
            ("checklist", "items"): 1,
            ("checklist", "met"): 0,
            ("checklist", "not_met"): 1,
        },
        0,
        0,
    ),
    (
        {"date_from": "2026-03-01", "date_to": "2026-03-31", "year": 2026},
        {
            ("receptions", "scheduled"): 2,
            ("receptions", "held"): 2,
            ("reception_duties", "person_times"): 2,
            ("visits", "visits"): 2,
            ("forums", "forums"): 0,
            ("checklist", "items"): 5,
        },
        5,
        0,
    ),
    (
        {"month": "2026-04", "year": 2026},
        {
            ("receptions", "scheduled"): 1,
            ("reception_duties", "person_times"): 2,
            ("visits", "visits"): 1,
            ("forums", "forums"): 1,
        },
        1,
        40,
    ),
    # The forums of block K1; the checklist items met (the other sets do not know blocks or states).
    (
        {"block": "k1", "status": "met", "year": 2026},
        {("forums", "forums"): 1, ("checklist", "items"): 3, ("receptions", "scheduled"): 4},
        6,
        40,
    ),
]


def test_filters_narrow_the_figures(client, known, leader_user):
    names = {"A-station": known.a.station.pk, "k1": known.rows["k1"].pk}
    for params, expected, visitors, residents in FILTER_CASES:
        resolved = {name: names.get(value, value) for name, value in params.items()}
        payload = stats(client, leader_user, "stations", **resolved)
        values = figures_of(payload)
        for (kind, figure), count in expected.items():
            check_figure(client, leader_user, kind, figure, count, values[kind, figure], **resolved)
        assert (payload["visitors"], payload["forum_residents"]) == (visitors, residents), params
        assert payload["ignored_filters"] == [], params


def test_filters_the_payload_does_not_understand_are_listed(client, known, leader_user):
    payload = stats(
        client,
        leader_user,
        "stations",
        session=known.a.session.pk,
        unit=known.lead_unit.pk,
        committee=known.a.committee.pk,
        channel="qr",
    )

    assert payload["ignored_filters"] == ["channel", "committee", "session", "unit"]
    assert payload["receptions_scheduled"] == 4


def test_another_congress(client, known, leader_user, office_user_b, admin_user):
    b = stats(client, office_user_b, "stations", year=2026)
    everything = stats(client, admin_user, "stations", year=2026)

    assert (b["receptions_scheduled"], b["receptions_held"], b["deputy_receptions"]) == (1, 1, 1)
    assert (b["checklist"]["items"], b["checklist"]["met"]) == (1, 1)
    assert [row["station"] for row in b["stations"]] == [known.b.station.pk]
    check_figure(client, admin_user, "receptions", "scheduled", 5, everything["receptions_scheduled"], year=2026)
    check_figure(client, admin_user, "checklist", "items", 6, everything["checklist"]["items"], year=2026)
    assert known.b.station.pk not in {row["station"] for row in stats(client, leader_user, "stations")["stations"]}
