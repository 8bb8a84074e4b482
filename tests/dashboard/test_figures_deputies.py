"""The deputies' figures (/api/v1/stats/deputies/) on the known data set, against hand counts, and the
drill-down list behind each.

Hand count, congress A. Deputies serving: own (甲本人代表, the suggestions' author), jia (甲代表甲),
yi (甲代表乙, professional; the others grassroots) and dual (两级代表, also serving in congress B).

    in office 4 (dual once); trained 2 (jia, dual: course C1 2026-04-10, 6 h; jia also C2
    2026-09-15, 3 h; yi was marked present at C3, never held: not counted; own invited to C1, absent)
    training person-times 3, hours 6 + 6 + 3 = 15.0
    sat in on a standing-committee meeting of the term 1 (yi), not yet 3; sitting person-times 1
    group members 2 (jia, own: A's education group)
    active in the duty record 4 (own: suggestions; jia, dual, yi: trainings, receptions, forums)
    activities held 3 (C1, C2, the sitting; C3 is planned): training_course 2, sc_sitting 1
    by category: grassroots in office 3, trained 2, sat in 0; professional 1, 0, 1

Points of 2026 (A's yearly base set to 10; caps apply):
    own  10 + suggestion_lead 14 × 3 capped at 15                          = 25  -> 20–40
    jia  10 + training 2 × 2 + station_reception 2 × 2 (R1, R2) + forum 2    = 20  -> 20–40
    yi   10 + training 2 (C3: the act is recorded at sign-in) + sc_meeting 5
            + station_reception 2 (R2; absent at R1)                      = 19  -> <20
    dual 10 + training 2 + station_reception 2 (R4) + forum 2 + citizen_issue 1 (I9) = 17 -> <20
    distribution: <20: 2, 20–40: 2, others 0.

Congress B: 乙代表甲, 乙代表乙, 乙本人代表 and dual serve (4); dual attends B's 4-hour course; dual is
in B's group. Every congress (an administrator, no congress chosen): in office 7 (dual once), trained 2
(dual once, though trained in both), person-times 4, hours 19.0, group members 3. Points are kept per
congress (each congress's duty record), so dual has a 2026 record in A (17) and in B (62): the
administrator's distribution counts each record — <20: 2, 20–40: 2, 60–80: 4 (B's base is 60).
"""

from __future__ import annotations

from typing import Any

import pytest

from dashboard.kinds import KINDS
from dashboard.stats import rate
from deputies.models import DutySnapshot
from tests.dashboard.builders import Known, build_known, check_figure, records_count, stats, stats_filter

pytestmark = pytest.mark.django_db

BANDS_A = [2, 2, 0, 0, 0, 0]


@pytest.fixture
def known(request: Any) -> Known:
    return build_known(request)


def test_headline_figures_and_their_lists(client, known, leader_user):
    payload = stats(client, leader_user, "deputies")

    check_figure(client, leader_user, "deputies", "in_office", 4, payload["in_office"])
    check_figure(client, leader_user, "deputies", "trained", 2, payload["trained"])
    check_figure(client, leader_user, "trainings", "attended", 3, payload["training_person_times"])
    assert payload["training_hours"] == "15.0"
    assert payload["trained_rate"] == rate(2, 4)
    check_figure(client, leader_user, "deputies", "sat_in", 1, payload["sat_in"])
    check_figure(client, leader_user, "deputies", "not_sat_in", 3)
    assert payload["sitting_coverage"] == rate(1, 4)
    check_figure(client, leader_user, "sittings", "attended", 1, payload["sitting_person_times"])
    check_figure(client, leader_user, "deputies", "group_members", 2, payload["group_members"])
    check_figure(client, leader_user, "deputies", "active", 4, payload["active"])
    check_figure(client, leader_user, "activities", "held", 3, payload["activities"])


def test_who_is_counted(known, leader_user):
    f = stats_filter(leader_user)

    def names(kind: str, figure: str) -> list[str]:
        return sorted(str(row) for row in KINDS[kind].records(f, figure))

    jia, yi, dual, own = (known.deputy(key).name for key in ("jia", "yi", "dual", "own"))
    assert names("deputies", "in_office") == sorted([jia, yi, dual, own])  # dual once
    assert names("deputies", "trained") == sorted([jia, dual])
    assert names("deputies", "sat_in") == [yi]
    assert names("deputies", "group_members") == sorted([jia, own])
    attended = KINDS["trainings"].records(f, "attended")
    assert sorted((i.deputy.name, i.activity.title) for i in attended) == sorted(
        [(jia, "履职能力培训班"), (dual, "履职能力培训班"), (jia, "预算审查培训")]
    )


def test_breakdowns_by_kind_and_category(client, known, leader_user):
    payload = stats(client, leader_user, "deputies")

    assert [(row["kind"], row["count"]) for row in payload["activities_by_kind"]] == [
        ("sc_sitting", 1),
        ("training_course", 2),
    ]
    for row in payload["activities_by_kind"]:
        check_figure(client, leader_user, "activities", "held", row["count"], kind=row["kind"])
    assert [(row["category"], row["in_office"], row["trained"], row["sat_in"]) for row in payload["by_category"]] == [
        ("grassroots", 3, 2, 0),
        ("professional", 1, 0, 1),
    ]
    for row in payload["by_category"]:
        for figure in ("in_office", "trained", "sat_in"):
            check_figure(client, leader_user, "deputies", figure, row[figure], deputy_category=row["category"])


def test_points_distribution_from_the_duty_snapshot(client, known, leader_user):
    payload = stats(client, leader_user, "deputies", year=2026)

    points = {
        snapshot.deputy_id: snapshot.points
        for snapshot in DutySnapshot.objects.filter(congress=known.a.congress, year=2026, quarter=0)
    }
    assert points == {
        known.deputy("own").pk: 25,
        known.deputy("jia").pk: 20,
        known.deputy("yi").pk: 19,
        known.deputy("dual").pk: 17,
    }
    assert payload["points_year"] == 2026
    assert [row["deputies"] for row in payload["points_distribution"]] == BANDS_A
    for row in payload["points_distribution"]:
        check_figure(client, leader_user, "points", "deputies", row["deputies"], year=2026, bucket=row["bucket"])
    # No snapshot of 2025.
    assert [row["deputies"] for row in stats(client, leader_user, "deputies", year=2025)["points_distribution"]] == [
        0
    ] * 6


# (filters, {payload key: hand count}, points distribution)
FILTER_CASES = [
    # The period narrows trainings, acts and activities; not who is in office, nor the sittings (term).
    (
        {"year": 2025},
        {"in_office": 4, "trained": 0, "training_person_times": 0, "sat_in": 1, "active": 1, "activities": 0},
        [0] * 6,
    ),
    (
        {"date_from": "2026-04-01", "date_to": "2026-04-30", "year": 2026},
        {"in_office": 4, "trained": 2, "training_person_times": 2, "sat_in": 1, "active": 3, "activities": 1},
        BANDS_A,
    ),
    (
        {"term": "A-term"},
        {"in_office": 4, "trained": 2, "training_person_times": 3, "sat_in": 1, "active": 4, "activities": 3},
        BANDS_A,
    ),
    # Deputies of the station: jia and yi (the activities are not the station's: not narrowed).
    (
        {"station": "A-station", "year": 2026},
        {"in_office": 2, "trained": 1, "training_person_times": 2, "sat_in": 1, "active": 2, "activities": 3},
        [1, 1, 0, 0, 0, 0],
    ),
    # Members of groups of the committee (jia, own); courses it organised (C1, C2).
    (
        {"committee": "A-committee", "year": 2026},
        {"in_office": 2, "trained": 1, "training_person_times": 3, "sat_in": 0, "active": 2, "activities": 2},
        [0, 2, 0, 0, 0, 0],
    ),
]


def test_filters_narrow_the_figures(client, known, leader_user):
    names = {"A-term": known.a.term.pk, "A-station": known.a.station.pk, "A-committee": known.a.committee.pk}
    for params, expected, bands in FILTER_CASES:
        resolved = {name: names.get(value, value) for name, value in params.items()}
        payload = stats(client, leader_user, "deputies", **resolved)
        figures = {
            "in_office": ("deputies", "in_office"),
            "trained": ("deputies", "trained"),
            "training_person_times": ("trainings", "attended"),
            "sat_in": ("deputies", "sat_in"),
            "active": ("deputies", "active"),
            "activities": ("activities", "held"),
        }
        for key, count in expected.items():
            kind, figure = figures[key]
            check_figure(client, leader_user, kind, figure, count, payload[key], **resolved)
        assert [row["deputies"] for row in payload["points_distribution"]] == bands, params
        assert payload["ignored_filters"] == [], params


def test_filters_the_payload_does_not_understand_are_listed(client, known, leader_user):
    payload = stats(client, leader_user, "deputies", session=known.a.session.pk, unit=known.lead_unit.pk)

    assert payload["ignored_filters"] == ["session", "unit"]
    assert payload["in_office"] == 4


def test_the_dual_deputy_is_counted_once(client, known, office_user_b, admin_user):
    b = stats(client, office_user_b, "deputies")
    everything = stats(client, admin_user, "deputies", year=2026)

    assert (b["in_office"], b["trained"], b["training_person_times"], b["training_hours"]) == (4, 1, 1, "4.0")
    assert b["group_members"] == 1
    check_figure(client, admin_user, "deputies", "in_office", 7, everything["in_office"])
    check_figure(client, admin_user, "deputies", "trained", 2, everything["trained"])
    check_figure(client, admin_user, "trainings", "attended", 4, everything["training_person_times"])
    assert everything["training_hours"] == "19.0"
    check_figure(client, admin_user, "deputies", "group_members", 3, everything["group_members"])
    # Points are per congress: the dual deputy's record in A and in B.
    assert [row["deputies"] for row in everything["points_distribution"]] == [2, 2, 0, 4, 0, 0]
    assert records_count(admin_user, "points", "deputies", year=2026) == 8
    assert records_count(admin_user, "deputies", "in_office", congress=known.a.congress.pk) == 4
