"""The units' league (/api/v1/stats/units/) on the known data set, against hand counts; each cell's
drill-down list (the same figure narrowed to the unit) has exactly that many rows.

Hand count, congress A (see test_figures_suggestions for the suggestions S1–S15):

    unit            assigned replied due on-time evaluated satisfied solved overdue co adjust.
    自然资源和规划局  9        7       8   6       6         5         3      2       0  1
    (U: S1–S8 lead or split, S10; S5 late; S7 never replied; S10 not due; S3 not rated; S5 rated
     unsatisfied; A: S1, S2 by follow-up, S4 by its second reply; overdue S5, S7; S9's adjustment)
    林业局 (split)    1        1       1   1       0         0         0      0       0  0
    交通运输局        1        1       1   1       1         1         0      0       0  0
    (S9 after the adjustment; its reply is D)
    教育局 (co)       0        0       0   0       0         0         0      0       1  0

    rates: U on time 6/8, satisfied 5/6, solved 3/7; 林业局 1/1, –, 0/1; 交通运输局 1/1, 1/1, 0/1;
    教育局: nothing due (ranked last).
    rank: 交通运输局 (on time 1.0, satisfied 1.0), 林业局 (1.0, none), U (0.75), 教育局; lagging: [U].
    totals: assigned 11 = the suggestions' assignments (the split counts once per unit).
"""

from __future__ import annotations

from typing import Any

import pytest

from dashboard.stats import rate
from tests.dashboard.builders import Known, build_known, check_figure, stats, stats_filter

pytestmark = pytest.mark.django_db

LEAGUE_KEYS = ("assigned", "replied", "due", "on_time", "evaluated", "satisfied", "solved", "overdue")


@pytest.fixture
def known(request: Any) -> Known:
    return build_known(request)


def hand_league(known: Known) -> dict[int, dict[str, int]]:
    def row(*values: int) -> dict[str, int]:
        return dict(zip((*LEAGUE_KEYS, "co_handled", "adjustments"), values, strict=True))

    return {
        known.lead_unit.pk: row(9, 7, 8, 6, 6, 5, 3, 2, 0, 1),
        known.split_unit.pk: row(1, 1, 1, 1, 0, 0, 0, 0, 0, 0),
        known.other_unit.pk: row(1, 1, 1, 1, 1, 1, 0, 0, 0, 0),
        known.co_unit.pk: row(0, 0, 0, 0, 0, 0, 0, 0, 1, 0),
    }


def test_every_cell_of_the_league_and_its_list(client, known, leader_user):
    payload = stats(client, leader_user, "units")
    expected = hand_league(known)

    rows = {row["unit"]: row for row in payload["units"]}
    assert set(rows) == set(expected)
    for unit_id, counts in expected.items():
        row = rows[unit_id]
        for key in LEAGUE_KEYS:
            check_figure(client, leader_user, "assignments", key, counts[key], row[key], unit=unit_id)
        check_figure(
            client, leader_user, "co_assignments", "assigned", counts["co_handled"], row["co_handled"], unit=unit_id
        )
        check_figure(
            client, leader_user, "adjustments", "requested", counts["adjustments"], row["adjustments"], unit=unit_id
        )
        assert row["on_time_rate"] == rate(counts["on_time"], counts["due"])
        assert row["satisfaction_rate"] == rate(counts["satisfied"], counts["evaluated"])
        assert row["solved_rate"] == rate(counts["solved"], counts["replied"])


def test_ranking_lagging_units_and_totals(client, known, leader_user):
    units = stats(client, leader_user, "units")
    suggestions = stats(client, leader_user, "suggestions")

    assert [row["unit"] for row in units["units"]] == [
        known.other_unit.pk,
        known.split_unit.pk,
        known.lead_unit.pk,
        known.co_unit.pk,
    ]
    assert [row["rank"] for row in units["units"]] == [1, 2, 3, 4]
    assert units["lagging"] == [known.lead_unit.pk]
    # Split assignments: one per unit, in each unit's row and once each in the totals.
    assert sum(row["assigned"] for row in units["units"]) == suggestions["assignments"]["assigned"] == 11
    assert sum(row["overdue"] for row in units["units"]) == suggestions["overdue_now"] == 2


def test_the_lagging_unit_lands_on_its_overdue_suggestions(client, known, leader_user):
    # given the league's lagging unit
    lagging = stats(client, leader_user, "units")["lagging"][0]
    f = stats_filter(leader_user)

    # when the leader follows its overdue figure
    client.force_login(leader_user)
    response = client.get(f.records_url("assignments", "overdue", unit=lagging))

    # then the list has its two overdue suggestions, S5 and S7
    assert response.status_code == 200
    content = response.content.decode()
    assert 'data-testid="record-count">2<' in content
    for key in ("S5", "S7"):
        assert known.suggestions[key].title in content
    for key in ("S1", "S10"):
        assert known.suggestions[key].title not in content


def test_filters_narrow_the_league(client, known, leader_user):
    only_lead = stats(client, leader_user, "units", unit=known.lead_unit.pk)
    old_year = stats(client, leader_user, "units", year=2025)
    other_committee = stats(client, leader_user, "units", committee=known.committee2.pk)
    ignored = stats(client, leader_user, "units", channel="qr", block=1)

    assert [row["unit"] for row in only_lead["units"]] == [known.lead_unit.pk]
    assert only_lead["units"][0]["assigned"] == 9
    check_figure(client, leader_user, "assignments", "assigned", 9, unit=known.lead_unit.pk)
    # S15 (2025) and the suggestions of category 2 (S14, S15) were never assigned.
    assert old_year["units"] == []
    assert other_committee["units"] == []
    check_figure(client, leader_user, "assignments", "assigned", 0, year=2025)
    assert ignored["ignored_filters"] == ["block", "channel"]
    assert len(ignored["units"]) == 4


def test_another_congress_is_not_in_the_league(client, known, leader_user, office_user_b):
    a = stats(client, leader_user, "units")
    b = stats(client, office_user_b, "units")

    assert known.b.unit.pk not in {row["unit"] for row in a["units"]}
    assert [(row["unit"], row["assigned"], row["overdue"]) for row in b["units"]] == [(known.b.unit.pk, 1, 1)]
    assert b["lagging"] == [known.b.unit.pk]
