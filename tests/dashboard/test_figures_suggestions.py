"""The suggestions figures (/api/v1/stats/suggestions/) on the known data set, against hand counts, and
the drill-down list behind each figure (the queryset and the page) with exactly that many rows.

Hand count, congress A (tests/dashboard/builders.py; "U" is 自然资源和规划局, the lead unit):

    suggestion  status        how                                               key
    S0          draft         never submitted: not received                      -
    S1          closed        U lead + 教育局 co; A on time, satisfied             T1
    S2          closed        U; B on time, basically satisfied; follow-up A     T1
    S3          closed        U; C on time, never rated: no feedback             -
    S4          closed        U; B on time, unsatisfied -> round 2 (open case);   T1
                              A in round 2, satisfied
    S5          assigned      U; D late, unsatisfied -> round 2 due 2026-07-27,   -
                              not replied (open case)
    S6          closed        U; extension to 07-01 approved, B on 06-22, sat.    -
    S7          assigned      U; never replied, due 06-02 (a case, closed)        T2
    S8          replied       split U + 林业局, both B on time; U's rated sat.    -
    S9          closed        U asks adjustment -> 交通运输局; D on time, sat.      -
    S10         assigned      U, assigned a week ago: not due yet                 -
    S11 rejected, S12 submitted, S13 withdrawn, S14 accepted (category 2),
    S15 accepted (session 4, submitted 2025-01-10, category 2)

    received 15 (S1–S15); accepted 12; rejected 1; withdrawn 1; waiting 1; in handling 5 (S5, S7,
    S10, S14, S15); replied 1 (S8); closed 6 (S1–S4, S6, S9); no feedback 1 (S3); key 4, closed 3.

Assignments that answer (lead or split, assigned, not cancelled): 11 — U: S1–S8, S10 (9), 林业局 S8,
交通运输局 S9 (U's S9 assignment was cancelled by the adjustment; 教育局's is co-handling).

    replied 9 (all but S7, S10); due 10 (replied + S7; S10 not due yet); on time 8 (S5 late; S6 on
    time thanks to its extension); late 2 (S5, S7); evaluated 7 (S1, S2, S4, S5, S6, S8-U, S9; not
    S3: no feedback, not S8-林业局); satisfied 6 (S5's latest is unsatisfied); solved (A) 3 (S1, S2
    by its follow-up, S4 by its second reply); A+B 6 (+ S6, S8 ×2); overdue now 2 (S5, S7);
    extended 1 (S6).

    on-time rate 8/10, satisfaction 6/7, solved 3/9, solved or planned 6/9.

Supervision cases on suggestions: 3 — open 2 (S4, S5: unsatisfied), closed 1 (S7). The hotline
issue's case (I4, no suggestion) is not one of them. Key topics: T1 3 (3 closed), T2 1 (0 closed).
Congress B has one more suggestion (assigned, overdue): never in A's figures.
"""

from __future__ import annotations

from typing import Any

import pytest

from dashboard.kinds import KINDS
from dashboard.stats import rate
from suggestions.choices import SupervisionStatus
from suggestions.models import SupervisionCase
from tests.dashboard.builders import (
    Known,
    assignment_of,
    build_known,
    check_figure,
    records_count,
    stats,
    stats_filter,
)

pytestmark = pytest.mark.django_db

SUGGESTION_COUNTS = {
    "accepted": 12,
    "rejected": 1,
    "withdrawn": 1,
    "waiting": 1,
    "in_handling": 5,
    "replied": 1,
    "closed": 6,
    "no_feedback": 1,
    "key": 4,
    "key_closed": 3,
}
ASSIGNMENT_COUNTS = {
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
}


@pytest.fixture
def known(request: Any) -> Known:
    return build_known(request)


def test_totals_and_counts_by_status(client, known, leader_user):
    payload = stats(client, leader_user, "suggestions")

    check_figure(client, leader_user, "suggestions", "received", 15, payload["total"])
    for key, expected in SUGGESTION_COUNTS.items():
        check_figure(client, leader_user, "suggestions", key, expected, payload["counts"][key])
    assert payload["no_feedback"] == 1
    # The statuses add up: accepted = being handled + replied + closed.
    counts = payload["counts"]
    assert counts["accepted"] == counts["in_handling"] + counts["replied"] + counts["closed"]


def test_rates_and_assignment_figures(client, known, leader_user):
    payload = stats(client, leader_user, "suggestions")

    assert payload["on_time_rate"] == rate(8, 10)
    assert payload["satisfaction_rate"] == rate(6, 7)
    assert payload["solved_rate"] == rate(3, 9)
    assert payload["solved_or_planned_rate"] == rate(6, 9)
    assert payload["overdue_now"] == 2
    assert payload["assignments"] == {"assigned": 11, "replied": 9, "due": 10, "evaluated": 7, "extended": 1}
    values = {
        **payload["assignments"],
        "on_time": payload["on_time_rate"]["numerator"],
        "satisfied": payload["satisfaction_rate"]["numerator"],
        "solved": payload["solved_rate"]["numerator"],
        "solved_or_planned": payload["solved_or_planned_rate"]["numerator"],
        "overdue": payload["overdue_now"],
    }
    for key, expected in ASSIGNMENT_COUNTS.items():
        check_figure(client, leader_user, "assignments", key, expected, values.get(key))


def test_edge_cases_are_counted_where_the_rules_say(known, leader_user):
    f = stats_filter(leader_user)
    s = known.suggestions

    def listed(figure: str) -> set[int]:
        return set(KINDS["assignments"].records(f, figure).values_list("suggestion_id", "unit_id"))

    def pair(key: str, unit: Any = None) -> tuple[int, int]:
        return (s[key].pk, (unit or known.lead_unit).pk)

    # Closed without feedback: counted in no_feedback, not in the satisfaction's denominator.
    assert set(KINDS["suggestions"].records(f, "no_feedback")) == {s["S3"]}
    assert pair("S3") in listed("replied")
    assert pair("S3") not in listed("evaluated")
    # The extension approved before the first reply: replied after the first due date, on time.
    assert pair("S6") in listed("on_time") & listed("extended")
    extended = assignment_of(s["S6"], known.lead_unit)
    assert extended.original_due_on < extended.first_replied_on <= extended.first_reply_due_on
    # Replied after the due date: late; never replied past its due date: due, late and overdue.
    assert pair("S5") in listed("late")
    assert pair("S7") in listed("due") & listed("late") & listed("overdue")
    # Assigned a week ago: assigned, not due yet, not overdue.
    assert pair("S10") in listed("assigned")
    assert pair("S10") not in listed("due") | listed("overdue")
    # Split: each unit's assignment is one, in its own unit's row.
    assert {pair("S8"), pair("S8", known.split_unit)} <= listed("assigned") & listed("on_time")
    # The co-handling unit and the assignment cancelled by the adjustment are not in the rates.
    assert pair("S1", known.co_unit) not in listed("assigned")
    assert pair("S9") not in listed("assigned")
    assert pair("S9", known.other_unit) in listed("on_time")
    # Unsatisfied, then re-handled and satisfied: the latest rating and the latest class count.
    assert pair("S4") in listed("satisfied") & listed("solved")
    assert pair("S4") not in listed("unsatisfied")
    assert pair("S5") in listed("unsatisfied") & listed("overdue")
    # B with a follow-up reply of class A counts as solved; C and D do not count as planned.
    assert pair("S2") in listed("solved")
    assert pair("S3") not in listed("solved_or_planned")
    assert pair("S9", known.other_unit) not in listed("solved_or_planned")


def test_supervision_cases_and_key_suggestions(client, known, leader_user):
    payload = stats(client, leader_user, "suggestions")

    assert payload["supervision"] == {"open": 2, "closed": 1, "total": 3}
    check_figure(client, leader_user, "supervision", "open", 2, payload["supervision"]["open"])
    check_figure(client, leader_user, "supervision", "closed", 1, payload["supervision"]["closed"])
    check_figure(client, leader_user, "supervision", "cases", 3, payload["supervision"]["total"])
    # The hotline issue's case (no suggestion) exists, open, but is not a case on a suggestion.
    assert (
        SupervisionCase.objects.filter(
            congress=known.a.congress, suggestion__isnull=True, status=SupervisionStatus.OPEN
        ).count()
        == 1
    )

    key = payload["key_suggestions"]
    assert (key["total"], key["closed"], key["progress"]) == (4, 3, rate(3, 4))
    t1, t2 = known.rows["topic1"], known.rows["topic2"]
    assert key["by_topic"] == [
        {"key_topic": t1.pk, "title": "农村教育", "count": 3, "closed": 3},
        {"key_topic": t2.pk, "title": "城乡交通", "count": 1, "closed": 0},
    ]
    for row in key["by_topic"]:
        check_figure(client, leader_user, "suggestions", "key", row["count"], key_topic=row["key_topic"])
        check_figure(client, leader_user, "suggestions", "key_closed", row["closed"], key_topic=row["key_topic"])


def test_breakdowns_and_their_lists(client, known, leader_user):
    payload = stats(client, leader_user, "suggestions")

    assert {row["status"]: row["count"] for row in payload["by_status"]} == {
        "accepted": 2,
        "assigned": 3,
        "replied": 1,
        "closed": 6,
        "rejected": 1,
        "submitted": 1,
        "withdrawn": 1,
    }
    for row in payload["by_status"]:
        check_figure(client, leader_user, "suggestions", "received", row["count"], status=row["status"])
    assert [(row["category"], row["count"]) for row in payload["by_category"]] == [
        (known.a.subject_category.pk, 13),
        (known.category2.pk, 2),
    ]
    for row in payload["by_category"]:
        check_figure(client, leader_user, "suggestions", "received", row["count"], category=row["category"])
    assert [(row["unit"], row["assigned"], row["replied"], row["overdue"]) for row in payload["by_unit"]] == [
        (known.lead_unit.pk, 9, 7, 2),
        (known.other_unit.pk, 1, 1, 0),
        (known.split_unit.pk, 1, 1, 0),
    ]
    for row in payload["by_unit"]:
        for figure in ("assigned", "replied", "overdue"):
            check_figure(client, leader_user, "assignments", figure, row[figure], unit=row["unit"])
    assert payload["by_month"] == [{"month": "2025-01", "received": 1}, {"month": "2026-01", "received": 14}]
    for row in payload["by_month"]:
        check_figure(client, leader_user, "suggestions", "received", row["received"], month=row["month"])


# (filters, received, assignments assigned)
FILTER_CASES = [
    ({"year": 2026}, 14, 11),
    ({"year": 2025}, 1, 0),
    ({"date_from": "2025-01-01", "date_to": "2025-12-31"}, 1, 0),
    ({"date_from": "2026-01-09", "date_to": "2026-01-09"}, 14, 11),
    ({"month": "2026-01"}, 14, 11),
    ({"term": "A-term"}, 15, 11),
    ({"session": "A-session"}, 14, 11),
    ({"session": "session2"}, 1, 0),
    ({"category": "category2"}, 2, 0),
    ({"committee": "committee2"}, 2, 0),
    ({"committee": "A-committee"}, 13, 11),
    # A suggestion with a live assignment of the unit, in any role (S9's cancelled one is not live).
    ({"unit": "lead_unit"}, 9, 9),
    ({"unit": "co_unit"}, 1, 0),
    ({"unit": "other_unit"}, 1, 1),
    ({"key_topic": "topic1"}, 3, 3),
    # Suggestions from a citizens' issue of the station: I5's is a draft, not received.
    ({"station": "A-station"}, 0, 0),
]


def test_filters_narrow_the_figures(client, known, leader_user):
    for params, total, assigned in FILTER_CASES:
        resolved = {name: resolve(known, value) for name, value in params.items()}
        payload = stats(client, leader_user, "suggestions", **resolved)

        check_figure(client, leader_user, "suggestions", "received", total, payload["total"], **resolved)
        check_figure(
            client, leader_user, "assignments", "assigned", assigned, payload["assignments"]["assigned"], **resolved
        )
        assert payload["ignored_filters"] == [], params


def test_filters_the_payload_does_not_understand_are_listed(client, known, leader_user):
    payload = stats(client, leader_user, "suggestions", channel="qr", tier=2, bucket=1)

    assert payload["ignored_filters"] == ["bucket", "channel", "tier"]
    assert payload["total"] == 15  # and they change nothing


def test_another_congress_and_every_congress(client, known, office_user_b, admin_user):
    # given congress B's one suggestion (assigned 2026-03-02, not replied)
    b = stats(client, office_user_b, "suggestions")
    everything = stats(client, admin_user, "suggestions")

    assert (b["total"], b["overdue_now"], b["assignments"]["assigned"]) == (1, 1, 1)
    assert (everything["total"], everything["overdue_now"]) == (16, 3)
    assert records_count(admin_user, "suggestions", "received") == 16
    assert records_count(admin_user, "suggestions", "received", congress=known.a.congress.pk) == 15


def resolve(known: Known, value: Any) -> Any:
    """Names of rows in the parametrized filters, as ids."""
    names = {
        "A-term": known.a.term,
        "A-session": known.a.session,
        "A-committee": known.a.committee,
        "A-station": known.a.station,
        "session2": known.session2,
        "category2": known.category2,
        "committee2": known.committee2,
        "lead_unit": known.lead_unit,
        "co_unit": known.co_unit,
        "other_unit": known.other_unit,
        "topic1": known.rows.get("topic1"),
    }
    return names[value].pk if isinstance(value, str) and value in names else value
