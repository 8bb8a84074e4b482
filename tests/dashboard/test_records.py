"""The drill-down list behind every figure (/dashboard/records/<kind>/<figure>/): for EVERY figure of
EVERY kind, the aggregate, the list's queryset, the page's record count and the Excel export's rows
are the hand count on the known data set; under other filters the aggregate and the list agree;
and who may see it.

Hand count, congress A, filter year=2026 (the suggestion S15 of 2025 drops out; see the figure
modules for how each number comes about):

    suggestions      received 14, accepted 11, rejected 1, withdrawn 1, waiting 1, in handling 4,
                     replied 1, closed 6, no feedback 1, key 4, key closed 3
    assignments      assigned 11, replied 9, due 10, on time 8, late 2, evaluated 7, satisfied 6,
                     unsatisfied 1, solved 3, solved or planned 6, overdue 2, extended 1
    co_assignments   assigned 1, opinion sent 1
    adjustments      requested 1, approved 1, refused 0, pending 0
    supervision      cases 3, open 2, closed 1
    deputies         in office 4, trained 2, sat in 1, not sat in 3, group members 2, active 4
    trainings 3, sittings 1, activities held 3, points (2026 snapshot) 4
    issues           collected 8, solved 3, in progress 3, not accepted 1, converted 1, answered 4,
                     on time 2, rated 3, satisfied 2, reopened 1, overdue 2, with an outcome 2
    receptions       scheduled 4, held 3; reception duties 4; visits 3, into the loop 1; forums 2
    checklist        items 5, met 3, partly 1, not met 1
"""

from __future__ import annotations

import io
from typing import Any

import openpyxl
import pytest

from dashboard.kinds import KINDS
from tests.dashboard.builders import Known, build_known, page_count, stats_filter

pytestmark = pytest.mark.django_db

HAND = {
    "suggestions": {
        "received": 14,
        "accepted": 11,
        "rejected": 1,
        "withdrawn": 1,
        "waiting": 1,
        "in_handling": 4,
        "replied": 1,
        "closed": 6,
        "no_feedback": 1,
        "key": 4,
        "key_closed": 3,
    },
    "assignments": {
        "assigned": 11,
        "replied": 9,
        "due": 10,
        "on_time": 8,
        "late": 2,
        "evaluated": 7,
        "satisfied": 6,
        "unsatisfied": 1,
        "solved": 3,
        "solved_or_planned": 6,
        "overdue": 2,
        "extended": 1,
    },
    "co_assignments": {"assigned": 1, "opinion_sent": 1},
    "adjustments": {"requested": 1, "approved": 1, "refused": 0, "pending": 0},
    "supervision": {"cases": 3, "open": 2, "closed": 1},
    "deputies": {"in_office": 4, "trained": 2, "sat_in": 1, "not_sat_in": 3, "group_members": 2, "active": 4},
    "trainings": {"attended": 3},
    "sittings": {"attended": 1},
    "activities": {"held": 3},
    "points": {"deputies": 4},
    "issues": {
        "collected": 8,
        "solved": 3,
        "in_progress": 3,
        "not_accepted": 1,
        "converted": 1,
        "answered": 4,
        "on_time": 2,
        "rated": 3,
        "satisfied": 2,
        "reopened": 1,
        "overdue": 2,
        "with_outcome": 2,
    },
    "receptions": {"scheduled": 4, "held": 3},
    "reception_duties": {"person_times": 4},
    "visits": {"visits": 3, "into_loop": 1},
    "forums": {"forums": 2},
    "checklist": {"items": 5, "met": 3, "partly": 1, "not_met": 1},
}


@pytest.fixture
def known(request: Any) -> Known:
    return build_known(request)


def url(kind: str, figure: str) -> str:
    return f"/dashboard/records/{kind}/{figure}/"


def test_the_hand_table_covers_every_figure_of_every_kind():
    assert {kind: set(figures) for kind, figures in HAND.items()} == {
        key: set(kind.figures) for key, kind in KINDS.items()
    }


def test_every_figure_equals_its_list_and_the_hand_count(client, known, leader_user):
    f = stats_filter(leader_user, year=2026)
    for key, kind in KINDS.items():
        counts = kind.counts(f)
        for figure, expected in HAND[key].items():
            assert counts[figure] == expected, f"{key}.{figure}: figure {counts[figure]} != {expected}"
            assert kind.records(f, figure).count() == expected, f"{key}.{figure}: list"
            assert page_count(client, leader_user, key, figure, year=2026) == expected, f"{key}.{figure}: page"


def test_every_export_has_the_figures_rows(client, known, leader_user):
    client.force_login(leader_user)
    for key, kind in KINDS.items():
        for figure, expected in HAND[key].items():
            response = client.get(url(key, figure), {"year": 2026, "format": "xlsx"})
            assert response.status_code == 200, f"{key}.{figure}"
            assert response["Content-Type"].startswith("application/vnd.openxmlformats")
            sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
            rows = list(sheet.iter_rows(values_only=True))
            assert list(rows[0]) == [str(column.label) for column in kind.columns], f"{key}.{figure}"
            assert len(rows) - 1 == expected, f"{key}.{figure}: export"


def test_under_other_filters_each_figure_and_its_list_agree(known, leader_user, admin_user):
    a = known.a
    cases = [
        (leader_user, {}),
        (leader_user, {"station": a.station.pk}),
        (leader_user, {"unit": known.lead_unit.pk, "year": 2026}),
        (leader_user, {"committee": a.committee.pk}),
        (leader_user, {"month": "2026-04"}),
        (leader_user, {"date_from": "2026-03-01", "date_to": "2026-06-30", "term": a.term.pk}),
        (leader_user, {"category": known.category2.pk, "session": known.session2.pk}),
        (admin_user, {"year": 2026}),
        (admin_user, {"congress": known.b.congress.pk}),
    ]
    for user, params in cases:
        f = stats_filter(user, **params)
        for key, kind in KINDS.items():
            counts = kind.counts(f)
            for figure in kind.figures:
                assert kind.records(f, figure).count() == counts[figure], (params, key, figure)


def test_the_list_shows_only_the_leaders_congress(client, known, leader_user, office_user_b):
    # B's suggestion is in B's list, never in A's (A has 15 received without a filter).
    assert page_count(client, leader_user, "suggestions", "received") == 15
    assert page_count(client, office_user_b, "suggestions", "received") == 1
    client.force_login(leader_user)
    content = client.get(url("suggestions", "received")).content.decode()
    assert known.rows["suggestion_b"].title not in content
    assert known.suggestions["S1"].title in content


def test_the_list_lists_the_records_filters_it_ignores(client, known, leader_user):
    client.force_login(leader_user)

    response = client.get(url("receptions", "held"), {"unit": known.lead_unit.pk})

    assert response.status_code == 200
    assert response.context["ignored"] == ["unit"]
    assert response.context["page"].paginator.count == 3


@pytest.mark.parametrize("role", ["leader_user", "office_user", "admin_user"])
def test_leaders_office_staff_and_administrators_see_lists(client, world, role, request):
    client.force_login(request.getfixturevalue(role))

    assert client.get(url("issues", "collected")).status_code == 200


@pytest.mark.parametrize("role", ["unit_user", "committee_user", "station_user", "deputy_user", "plain_user"])
def test_other_roles_get_403(client, world, role, request):
    client.force_login(request.getfixturevalue(role))

    assert client.get(url("suggestions", "received")).status_code == 403
    assert client.get(url("suggestions", "received"), {"format": "xlsx"}).status_code == 403


def test_anonymous_users_go_to_the_login(client, world):
    response = client.get(url("suggestions", "received"))

    assert response.status_code == 302
    assert "login" in response["Location"]


def test_unknown_kinds_and_figures_are_not_found(client, leader_user):
    client.force_login(leader_user)

    assert client.get(url("nothing", "received")).status_code == 404
    assert client.get(url("suggestions", "nothing")).status_code == 404


def test_another_congress_is_not_found_and_bad_filters_are_400(client, world, leader_user):
    client.force_login(leader_user)

    assert client.get(url("suggestions", "received"), {"congress": world.b.congress.pk}).status_code == 404
    for params in ({"year": "abc"}, {"unit": world.b.unit.pk}, {"month": "2026-13"}, {"station": world.b.station.pk}):
        response = client.get(url("suggestions", "received"), params)
        assert response.status_code == 400, params
