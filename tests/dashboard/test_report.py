"""The yearly report on the handling of suggestions: its numbers equal hand counts on a small story
built through the services, every number's drill-down lists as many records, the page and the
workbook show the same numbers, access, and a query budget independent of the number of rows.

The story (congress A, session 5; submitted on 2026-01-09 unless said; assigned on 2026-03-02, due
2026-06-02; the figures are taken as of 2026-12-31):

- R1 lead unit + co-handling unit; A on 2026-05-11 (on time); satisfied -> closed. Key (topic T).
- R2 split between the lead unit (B on 2026-05-11, on time, basically satisfied) and 林业局 (C on
  2026-06-10, late, never rated) -> closed without feedback.
- R3 lead unit; extension to 2026-08-03 approved; D on 2026-07-20 (on time: the extended date
  counts); unsatisfied -> re-handling due 2026-08-27 and an open supervision case; not replied
  again -> overdue now.
- R4 lead unit; never replied -> overdue now. A committee's overdue case, closed. Key (topic T).
- R5 not accepted, R6 waiting for review (both of category 2).
- R7 like R1 without the co-unit, but submitted on 2025-12-20: outside the year 2026, inside the session.

Hand counts for the year 2026:
received 6; accepted 4; not accepted 1; waiting 1; withdrawn 0; closed 2; no feedback 1;
by category: 甲市教育 4 (66.7%), category 2 2 (33.3%);
units handling 3 (lead, 林业局, co-unit); assignments (lead/split) 5; co-handling 1; adjustments 0; extended 1;
replied 4; on time 3 of 5 due (60%); A 1, B 1, C 1, D 1 (25% each of 4 replied); solved 1/4; A+B 2/4;
overdue 2 (R3, R4); rated 3; satisfied 2/3; unsatisfied 1; re-handling cases 1 (open 1, closed 0);
supervision cases 2 (open 1, closed 1); key 2, closed 1 (50%); topic T 2/1;
units: lead unit assigned 4, replied 3, on time 3/4, satisfied 2/3, solved 1/3, overdue 2 (rank 1, lagging);
林业局 assigned 1, replied 1, on time 0/1, no rating, solved 0/1 (rank 2); co-unit co-handling 1 (rank 3).
"""

from __future__ import annotations

import datetime
import io
import re
from typing import Any
from urllib.parse import urlsplit

import openpyxl
import pytest
from django.http import QueryDict
from django.utils import timezone

from congress.roles import Role
from congress.services import user_assign_role
from dashboard.filters import StatsFilter
from dashboard.kinds import KINDS
from dashboard.report import report_data
from suggestions import services
from suggestions.choices import AssignmentMode, ExclusionReason, Rating, SupervisionTrigger
from suggestions.models import KeySuggestionTopic, Suggestion
from tests.congress.factories import HandlingUnitFactory, SessionFactory, SubjectCategoryFactory, UserFactory
from tests.queries import assert_same_query_count
from tests.suggestions.conftest import ASSIGNED_ON, REPLIED_ON, SUBMITTED_ON, Flow, reload

pytestmark = pytest.mark.django_db

AS_OF = datetime.date(2026, 12, 31)
LATE_ON = datetime.date(2026, 6, 10)
EXTENDED_TO = datetime.date(2026, 8, 3)
REPORT = "/dashboard/report/"
REPORT_XLSX = "/dashboard/report/xlsx/"


@pytest.fixture(autouse=True)
def _no_cache(settings: Any) -> None:
    # Figures are computed afresh on each request: writes inside a test do not invalidate the cache.
    settings.DASHBOARD_CACHE_SECONDS = 0


def at_ten(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(10), tzinfo=timezone.get_current_timezone())


def unit_staff(world: Any, unit: Any, username: str) -> Any:
    return user_assign_role(user=UserFactory(username=username), role=Role.UNIT, congress=world.a.congress, unit=unit)


@pytest.fixture
def flow(world: Any, deputy_user: Any, office_user: Any, unit_user: Any) -> Flow:
    co_unit = HandlingUnitFactory(congress=world.a.congress, name="甲市教育局")
    return Flow(
        world=world,
        deputy_user=deputy_user,
        office_user=office_user,
        unit_user=unit_user,
        co_unit=co_unit,
        co_unit_user=unit_staff(world, co_unit, "co-unit"),
        split_unit_user=unit_staff(world, world.a.child_unit, "split-unit"),
        reply_classes={rc.code: rc for rc in services.reply_classes_ensure(congress=world.a.congress)},
    )


@pytest.fixture
def story(world: Any, flow: Flow, office_user: Any, unit_user: Any, committee_user: Any) -> dict[str, Any]:
    a = world.a
    category2 = SubjectCategoryFactory(counterpart_committee=a.committee, name="甲市交通")
    s: dict[str, Any] = {}

    s["R1"] = flow.assigned(co=True, on=ASSIGNED_ON)
    flow.rate(flow.reply(flow.assignment(s["R1"]), code="A", on=REPLIED_ON), Rating.SATISFIED)

    s["R2"] = flow.assigned(mode=AssignmentMode.SPLIT, on=ASSIGNED_ON)
    first = flow.reply(flow.assignment(s["R2"], flow.lead_unit), code="B", on=REPLIED_ON)
    flow.reply(flow.assignment(s["R2"], flow.split_unit), code="C", on=LATE_ON)
    flow.rate(first, Rating.BASICALLY_SATISFIED, on=datetime.date(2026, 6, 12))
    assert services.suggestion_close_without_feedback(suggestion=s["R2"], on=datetime.date(2026, 8, 1))

    s["R3"] = flow.assigned(co=False, on=ASSIGNED_ON)
    extension = services.extension_request_create(
        assignment=flow.assignment(s["R3"]), actor=unit_user, reason="需要实地调研。", requested_due_on=EXTENDED_TO
    )
    services.extension_decide(request=extension, actor=office_user, approve=True, note_to_deputy="同意延期。")
    reply = flow.reply(flow.assignment(s["R3"]), code="D", on=datetime.date(2026, 7, 20))
    flow.rate(reply, Rating.UNSATISFIED, on=datetime.date(2026, 7, 27))

    s["R4"] = flow.assigned(co=False, on=ASSIGNED_ON)
    case = services.supervision_open(
        suggestion=s["R4"],
        actor=committee_user,
        committee=a.committee,
        trigger=SupervisionTrigger.OVERDUE,
        on=datetime.date(2026, 6, 10),
    )
    services.supervision_close(case=case, actor=committee_user, outcome="已督促。", on=datetime.date(2026, 6, 20))

    s["R5"] = services.suggestion_review(
        suggestion=flow.submitted(category=category2),
        actor=office_user,
        decision="reject",
        exclusion_reason=ExclusionReason.PERSONAL,
    )
    s["R6"] = flow.submitted(category=category2)

    s["R7"] = flow.assigned(co=False, on=ASSIGNED_ON)
    flow.reply(flow.assignment(s["R7"]), code="A", on=REPLIED_ON)

    # The services stamp the submission with the clock: put it on the story's day.
    for key, suggestion in s.items():
        day = datetime.date(2025, 12, 20) if key == "R7" else SUBMITTED_ON
        Suggestion.objects.filter(pk=suggestion.pk).update(submitted_at=at_ten(day))
    topic = KeySuggestionTopic.objects.create(
        congress=a.congress, year=2026, title="农村教育", leader="王主任", committee=a.committee
    )
    Suggestion.objects.filter(pk__in=[s["R1"].pk, s["R4"].pk]).update(is_key=True, key_topic=topic)
    return {
        "suggestions": {key: reload(value) for key, value in s.items()},
        "category2": category2,
        "topic": topic,
        "flow": flow,
    }


def report_for(user: Any, **params: Any) -> dict[str, Any]:
    f = StatsFilter.parse(user, {key: str(value) for key, value in params.items()}, today=AS_OF)
    return report_data(f.with_default_year())


def counts(report: dict[str, Any]) -> dict[str, int]:
    return {key: row["count"] for key, row in report["figures"].items()}


def rates(report: dict[str, Any]) -> dict[str, tuple[int, int, float | None]]:
    return {
        key: (row["rate"]["numerator"], row["rate"]["denominator"], row["rate"]["value"])
        for key, row in report["figures"].items()
        if row["rate"]
    }


# --- the numbers -----------------------------------------------------------------------------------


def test_report_numbers_equal_the_hand_counts(story, world, flow, leader_user):
    # when the report of 2026 is made
    report = report_for(leader_user, year=2026)

    # then each number is the hand count of the module docstring
    assert counts(report) == {
        "received": 6,
        "accepted": 4,
        "rejected": 1,
        "waiting": 1,
        "withdrawn": 0,
        "units": 3,
        "assignments": 5,
        "co_assignments": 1,
        "adjustments": 0,
        "extended": 1,
        "replied": 4,
        "on_time": 3,
        "solved": 1,
        "solved_or_planned": 2,
        "overdue": 2,
        "evaluated": 3,
        "satisfied": 2,
        "unsatisfied": 1,
        "rehandling_cases": 1,
        "rehandling_open": 1,
        "rehandling_closed": 0,
        "no_feedback": 1,
        "closed": 2,
        "supervision_cases": 2,
        "supervision_open": 1,
        "supervision_closed": 1,
        "key": 2,
        "key_closed": 1,
    }
    assert rates(report) == {
        "accepted": (4, 6, 0.6667),
        "on_time": (3, 5, 0.6),
        "solved": (1, 4, 0.25),
        "solved_or_planned": (2, 4, 0.5),
        "satisfied": (2, 3, 0.6667),
        "key_closed": (1, 2, 0.5),
    }
    assert [(row["name"], row["count"], row["share"]["percent"]) for row in report["categories"]] == [
        ("甲市教育", 4, "66.7%"),
        ("甲市交通", 2, "33.3%"),
    ]
    assert [(row["code"], row["count"], row["share"]["value"]) for row in report["reply_classes"]] == [
        ("A", 1, 0.25),
        ("B", 1, 0.25),
        ("C", 1, 0.25),
        ("D", 1, 0.25),
    ]
    assert [(row["title"], row["count"], row["closed"]) for row in report["key_topics"]] == [("农村教育", 2, 1)]
    units = {row["unit"]: row for row in report["units"]}
    lead, split, co = units[flow.lead_unit.pk], units[flow.split_unit.pk], units[flow.co_unit.pk]
    assert (lead["rank"], lead["assigned"], lead["replied"], lead["overdue"], lead["co_handled"]) == (1, 4, 3, 2, 0)
    assert (lead["on_time_rate"]["numerator"], lead["on_time_rate"]["denominator"]) == (3, 4)
    assert (lead["satisfaction_rate"]["numerator"], lead["satisfaction_rate"]["denominator"]) == (2, 3)
    assert (lead["solved_rate"]["numerator"], lead["solved_rate"]["denominator"]) == (1, 3)
    assert (split["rank"], split["assigned"], split["replied"], split["on_time_rate"]["value"]) == (2, 1, 1, 0.0)
    assert split["satisfaction_rate"] == {
        "numerator": 0,
        "denominator": 0,
        "value": None,
        "percent": "—",
        "url": split["satisfaction_rate"]["url"],
        "denominator_url": split["satisfaction_rate"]["denominator_url"],
    }
    assert (co["rank"], co["assigned"], co["co_handled"], co["on_time_rate"]["value"]) == (3, 0, 1, None)
    assert [row["unit"] for row in report["lagging"]] == [flow.lead_unit.pk]
    assert report["congress"] == world.a.congress.name
    assert report["year"] == 2026


def test_every_number_lists_as_many_records_behind_it(story, leader_user):
    # given the report of 2026
    report = report_for(leader_user, year=2026)
    links: list[tuple[str, int]] = []
    for row in report["figures"].values():
        links.append((row["url"], row["count"]))
        if row["rate"]:
            links.append((row["rate"]["denominator_url"], row["rate"]["denominator"]))
    links += [(row["url"], row["count"]) for row in report["categories"]]
    links += [(row["url"], row["count"]) for row in report["key_topics"]]
    links += [(row["closed_url"], row["closed"]) for row in report["key_topics"]]
    for row in report["units"]:
        links += [
            (row["assigned_url"], row["assigned"]),
            (row["replied_url"], row["replied"]),
            (row["overdue_url"], row["overdue"]),
            (row["co_handled_url"], row["co_handled"]),
            (row["adjustments_url"], row["adjustments"]),
        ]
        for name in ("on_time_rate", "satisfaction_rate", "solved_rate"):
            links += [
                (row[name]["url"], row[name]["numerator"]),
                (row[name]["denominator_url"], row[name]["denominator"]),
            ]

    # when each drill-down link is followed (its kind, figure and filters)
    checked = 0
    for url, expected in links:
        match = re.fullmatch(r"/dashboard/records/(\w+)/(\w+)/", urlsplit(url).path)
        if match is None:  # the units count links to the league page
            assert urlsplit(url).path == "/dashboard/units/"
            continue
        f = StatsFilter.parse(leader_user, QueryDict(urlsplit(url).query), today=AS_OF)

        # then the list has exactly the number's rows
        assert KINDS[match[1]].records(f, match[2]).count() == expected, url
        checked += 1
    assert checked > 60


def test_a_session_without_a_year_covers_the_whole_session(story, world, leader_user):
    # when the report is asked for session 5 only, and with no period at all
    by_session = report_for(leader_user, session=world.a.session.pk)
    default = report_for(leader_user)

    # then the session's suggestions of 2025 count too; without a period the year is the current one
    assert by_session["year"] is None
    assert counts(by_session)["received"] == 7
    assert counts(by_session)["assignments"] == 6
    assert default["year"] == AS_OF.year
    assert counts(default)["received"] == 6


# --- the page and the workbook ---------------------------------------------------------------------


def page_figures(content: bytes) -> dict[str, int]:
    return {key: int(value) for key, value in re.findall(r'data-testid="figure-(\w+)">(\d+)<', content.decode())}


def test_the_page_shows_the_numbers_with_their_links(client, story, world, leader_user):
    # when the leader opens the report of 2026
    client.force_login(leader_user)
    response = client.get(REPORT, {"year": 2026})

    # then it shows the report's numbers, each linked to its list, a print button and the Excel link
    assert response.status_code == 200
    report = response.context["report"]
    assert page_figures(response.content) == counts(report)
    html = response.content.decode()
    assert 'href="/dashboard/records/suggestions/received/?year=2026"' in html
    assert 'href="/dashboard/records/assignments/on_time/?year=2026"' in html
    assert "data-print" in html
    assert 'href="/dashboard/report/xlsx/?year=2026"' in html
    assert world.a.congress.name in html
    assert 'data-testid="lagging-units"' in html
    assert "dashboard/report.css" in html
    assert len(response.context["paragraphs"]) == 5
    assert '<a href="/dashboard/records/suggestions/received/?year=2026">6</a>' in response.context["paragraphs"][0]


def test_the_page_defaults_to_the_current_year(client, leader_user):
    client.force_login(leader_user)
    response = client.get(REPORT)
    assert response.status_code == 200
    assert response.context["filter"].year == timezone.localdate().year


def test_the_workbook_has_the_sheets_and_the_numbers(client, story, flow, leader_user):
    # when the leader downloads the workbook of 2026
    client.force_login(leader_user)
    response = client.get(REPORT_XLSX, {"year": 2026})

    # then: five sheets; numbers as numbers, rates as numbers shown as percentages
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
    assert ".xlsx" in response["Content-Disposition"]
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    assert len(workbook.sheetnames) == 5
    summary, categories, classes, units, topics = workbook.worksheets

    report = report_for(leader_user, year=2026)
    expected = [
        (
            row["count"],
            row["rate"]["denominator"] if row["rate"] else None,
            row["rate"]["value"] if row["rate"] else None,
        )
        for section in report["sections"]
        for row in section["rows"]
    ]
    assert [tuple(row[2:]) for row in summary.iter_rows(min_row=2, values_only=True)] == expected
    on_time = next(row for row in summary.iter_rows(min_row=2) if row[2].value == 3 and row[3].value == 5)
    assert on_time[4].value == pytest.approx(0.6)
    assert on_time[4].number_format == "0.0%"

    assert list(categories.iter_rows(min_row=2, values_only=True)) == [("甲市教育", 4, 0.6667), ("甲市交通", 2, 0.3333)]
    assert [row[:3] for row in classes.iter_rows(min_row=2, values_only=True)] == [
        ("A", "所提问题已经解决或者基本解决", 1),
        ("B", "正在解决或者列入规划逐步解决", 1),
        ("C", "因目前条件限制或者其他原因需待以后解决", 1),
        ("D", "留作参考", 1),
    ]
    unit_rows = list(units.iter_rows(min_row=2, values_only=True))
    assert unit_rows[0][:7] == (1, flow.lead_unit.name, 4, 3, 4, 3, 0.75)
    assert unit_rows[0][12] == 2  # overdue now
    assert unit_rows[2][1] == flow.co_unit.name
    assert unit_rows[2][6] is None  # no rate without replies due
    assert unit_rows[2][13] == 1  # co-handling
    assert list(topics.iter_rows(min_row=2, values_only=True)) == [("农村教育", 2, 1, 0.5)]


# --- access ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("url", [REPORT, REPORT_XLSX])
def test_access(client, world, url, leader_user, office_user, unit_user, deputy_user):
    anonymous = client.get(url)
    assert anonymous.status_code == 302
    assert anonymous.url.startswith("/accounts/login/")
    for user in (unit_user, deputy_user):
        client.force_login(user)
        assert client.get(url).status_code == 403
    for user in (leader_user, office_user):
        client.force_login(user)
        assert client.get(url, {"year": 2026}).status_code == 200
        assert client.get(url, {"congress": world.b.congress.pk}).status_code == 404
        assert client.get(url, {"year": "next"}).status_code == 400


def test_leaders_of_another_congress_see_none_of_it(client, story, office_user_b):
    client.force_login(office_user_b)
    response = client.get(REPORT, {"year": 2026})
    assert response.status_code == 200
    assert page_figures(response.content)["received"] == 0
    assert page_figures(response.content)["assignments"] == 0


# --- query budget ----------------------------------------------------------------------------------


@pytest.mark.parametrize("url", [REPORT, REPORT_XLSX])
def test_query_count_does_not_grow_with_the_rows(
    client, story, world, office_user, leader_user, url, django_assert_num_queries
):
    client.force_login(leader_user)
    flow = story["flow"]

    def fetch() -> Any:
        response = client.get(url, {"year": 2026})
        assert response.status_code == 200
        return response

    def add_rows() -> None:
        # more suggestions, in new categories, to new units, under new key topics; more sessions to choose
        for number in range(4):
            SessionFactory(term=world.a.term, number=10 + number)
            unit = HandlingUnitFactory(congress=world.a.congress)
            category = SubjectCategoryFactory(counterpart_committee=world.a.committee)
            topic = KeySuggestionTopic.objects.create(
                congress=world.a.congress,
                year=2026,
                title=f"专题{number}",
                leader="王主任",
                committee=world.a.committee,
            )
            suggestion = services.suggestion_assign(
                suggestion=flow.accepted(category=category), actor=office_user, lead_units=[unit], on=ASSIGNED_ON
            )
            Suggestion.objects.filter(pk=suggestion.pk).update(
                submitted_at=at_ten(SUBMITTED_ON), is_key=True, key_topic=topic
            )

    few, many = assert_same_query_count(django_assert_num_queries, fetch, add_rows)
    if url == REPORT:
        assert page_figures(many.content)["received"] == page_figures(few.content)["received"] + 4
