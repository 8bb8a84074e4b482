"""The citizens' issues figures (/api/v1/stats/public-issues/) on the known data set, against hand
counts, and the drill-down list behind each figure and each breakdown row.

Hand count, congress A ("会龙山" is station A, "桃花仑" the other station; blocks K1, K2 of 会龙山, K3 of
桃花仑; dates are when it came in):

    issue  channel  station  block  tier  status        how
    I1     qr       会龙山    K1     –     not accepted  2026-03-02
    I2     wechat   会龙山    K2     1     answered      2026-03-03, due 03-05, answered later: late
    I3     visit    会龙山    –      2     closed        2026-04-15 from visit V2; answered on time,
                                                        satisfied; 30 people, 12000.50 yuan
    I4     hotline  –        –      2     handling      2026-05-04 (the own deputy); answered late,
                                                        unsatisfied 05-20 -> tier 2 due 05-27:
                                                        reopened once, counted once, overdue
    I5     deputy   会龙山    –      4     converted     2026-06-01 (jia's station), tier 3, then a
                                                        suggestion (a draft: not received)
    I6     forum    桃花仑    –      3     closed        2026-05-10 (交通运输局), due 05-25, answered
                                                        late, closed by staff; 562 people, 3680000
    I7     qr       会龙山    –      –     submitted     2026-02-02, never screened, due 02-03: overdue
    I9     wechat   桃花仑    K3     1     closed        2026-07-01 (dual); answered on time, basically
                                                        satisfied

    collected 8; solved (closed) 3; in progress 3 (I2, I4, I7); not accepted 1; converted 1;
    answered 4 (I2, I3, I6, I9); on time 2 (I3, I9); rated 3 (I3, I9, I4's unsatisfied); satisfied 2;
    reopened 1; overdue now 2 (I4, I7); with an outcome 2: 592 people, 3692000.50 yuan.
    on-time rate 2/4, satisfaction 2/3, solved rate 3/(8 − 1) = 3/7.

    by channel: qr 2, wechat 2, visit 1, hotline 1, deputy 1, forum 1
    by station: 会龙山 5, 桃花仑 2, none 1; by block: K1 1, K2 1, K3 1; by tier: 1: 2, 2: 2, 3: 1, 4: 1
    by month: 2026-02 1, 03 2, 04 1 (solved 1), 05 2 (solved 1), 06 1, 07 1 (solved 1)

Congress B has one more issue (QR, not screened, overdue): never in A's figures.
"""

from __future__ import annotations

from typing import Any

import pytest

from dashboard.kinds import KINDS
from dashboard.stats import rate
from tests.dashboard.builders import Known, build_known, check_figure, records_count, stats, stats_filter

pytestmark = pytest.mark.django_db

HEADLINE = {
    "collected": 8,
    "solved": 3,
    "in_progress": 3,
    "not_accepted": 1,
    "converted": 1,
    "answered": 4,
    "reopened": 1,
}
FIGURES = {
    **HEADLINE,
    "on_time": 2,
    "rated": 3,
    "satisfied": 2,
    "overdue": 2,
    "with_outcome": 2,
}
BREAKDOWN_KEYS = ("collected", "solved", "in_progress", "not_accepted", "converted")


@pytest.fixture
def known(request: Any) -> Known:
    return build_known(request)


def test_every_figure_and_its_list(client, known, leader_user):
    payload = stats(client, leader_user, "public-issues")

    values = {
        **{key: payload[key] for key in HEADLINE},
        "on_time": payload["on_time_rate"]["numerator"],
        "rated": payload["satisfaction_rate"]["denominator"],
        "satisfied": payload["satisfaction_rate"]["numerator"],
        "overdue": payload["overdue_now"],
        "with_outcome": payload["outcomes"]["issues"],
    }
    for figure, expected in FIGURES.items():
        check_figure(client, leader_user, "issues", figure, expected, values[figure])
    assert payload["on_time_rate"] == rate(2, 4)
    assert payload["satisfaction_rate"] == rate(2, 3)
    assert payload["solved_rate"] == rate(3, 7)
    assert payload["outcomes"] == {"issues": 2, "people_helped": 592, "money_involved": "3692000.50"}


def test_the_reopened_issue_is_one_issue_in_progress(known, leader_user):
    f = stats_filter(leader_user)
    reopened = known.issues["I4"]

    def listed(figure: str) -> list[int]:
        return list(KINDS["issues"].records(f, figure).values_list("pk", flat=True))

    assert reopened.reopen_count == 1
    assert reopened.tier == 2
    assert listed("reopened") == [reopened.pk]
    assert listed("collected").count(reopened.pk) == 1
    assert reopened.pk in listed("in_progress")
    assert reopened.pk in listed("overdue")
    assert reopened.pk not in listed("answered")
    # Answered late (I2 after its due date; I6 too), on time (I3, I9).
    assert set(listed("on_time")) == {known.issues["I3"].pk, known.issues["I9"].pk}


def test_breakdowns_and_their_lists(client, known, leader_user):
    payload = stats(client, leader_user, "public-issues")
    a = known.a
    k1, k2, k3 = known.rows["k1"], known.rows["k2"], known.rows["k3"]

    def collected(rows: list[dict[str, Any]], key: str) -> dict[Any, int]:
        return {row[key]: row["collected"] for row in rows}

    assert collected(payload["by_channel"], "channel") == {
        "qr": 2,
        "wechat": 2,
        "visit": 1,
        "hotline": 1,
        "deputy": 1,
        "forum": 1,
    }
    assert collected(payload["by_station"], "station") == {a.station.pk: 5, a.other_station.pk: 2, None: 1}
    assert collected(payload["by_block"], "block") == {k1.pk: 1, k2.pk: 1, k3.pk: 1}
    assert collected(payload["by_tier"], "tier") == {1: 2, 2: 2, 3: 1, 4: 1}
    assert {row["status"]: row["count"] for row in payload["by_status"]} == {
        "not_accepted": 1,
        "answered": 1,
        "closed": 3,
        "handling": 1,
        "converted": 1,
        "submitted": 1,
    }
    assert payload["by_month"] == [
        {"month": "2026-02", "collected": 1, "solved": 0},
        {"month": "2026-03", "collected": 2, "solved": 0},
        {"month": "2026-04", "collected": 1, "solved": 1},
        {"month": "2026-05", "collected": 2, "solved": 1},
        {"month": "2026-06", "collected": 1, "solved": 0},
        {"month": "2026-07", "collected": 1, "solved": 1},
    ]
    for key, rows in (
        ("channel", payload["by_channel"]),
        ("station", payload["by_station"]),
        ("block", payload["by_block"]),
        ("tier", payload["by_tier"]),
    ):
        for row in rows:
            if row[key] is None:  # issues without a station (the hotline) cannot be narrowed to
                continue
            for figure in BREAKDOWN_KEYS:
                check_figure(client, leader_user, "issues", figure, row[figure], **{key: row[key]})
    for row in payload["by_status"]:
        check_figure(client, leader_user, "issues", "collected", row["count"], status=row["status"])
    for row in payload["by_month"]:
        check_figure(client, leader_user, "issues", "collected", row["collected"], month=row["month"])
        check_figure(client, leader_user, "issues", "solved", row["solved"], month=row["month"])


# (filters, collected, solved)
FILTER_CASES = [
    ({"year": 2026}, 8, 3),
    ({"year": 2025}, 0, 0),
    ({"date_from": "2026-05-01", "date_to": "2026-06-30"}, 3, 1),  # I4, I5, I6
    ({"month": "2026-03"}, 2, 0),
    ({"station": "A-station"}, 5, 1),
    ({"station": "other-station"}, 2, 2),
    ({"block": "k1"}, 1, 0),
    ({"channel": "wechat"}, 2, 1),
    ({"tier": 2}, 2, 1),
    ({"unit": "other_unit"}, 1, 1),  # I6 at tier 3
    ({"category": "A-category"}, 1, 0),  # I4
    ({"committee": "A-committee"}, 1, 0),
]


def test_filters_narrow_the_figures(client, known, leader_user):
    names = {
        "A-station": known.a.station.pk,
        "other-station": known.a.other_station.pk,
        "A-category": known.a.subject_category.pk,
        "A-committee": known.a.committee.pk,
        "other_unit": known.other_unit.pk,
        "k1": known.rows["k1"].pk,
    }
    for params, collected, solved in FILTER_CASES:
        resolved = {name: names.get(value, value) for name, value in params.items()}
        payload = stats(client, leader_user, "public-issues", **resolved)
        check_figure(client, leader_user, "issues", "collected", collected, payload["collected"], **resolved)
        check_figure(client, leader_user, "issues", "solved", solved, payload["solved"], **resolved)
        assert payload["ignored_filters"] == [], params


def test_filters_the_payload_does_not_understand_are_listed(client, known, leader_user):
    payload = stats(client, leader_user, "public-issues", term=known.a.term.pk, session=known.a.session.pk, bucket=2)

    assert payload["ignored_filters"] == ["bucket", "session", "term"]
    assert payload["collected"] == 8


def test_another_congress(client, known, leader_user, office_user_b, admin_user):
    b = stats(client, office_user_b, "public-issues")

    assert (b["collected"], b["in_progress"], b["overdue_now"]) == (1, 1, 1)
    assert stats(client, admin_user, "public-issues")["collected"] == 9
    assert records_count(leader_user, "issues", "collected") == 8
    assert known.rows["issue_b"].pk not in set(
        KINDS["issues"].records(stats_filter(leader_user), "collected").values_list("pk", flat=True)
    )
