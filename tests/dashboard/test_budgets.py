"""Query budgets: each stats endpoint and the drill-down list of each kind take as many queries with
the known data set as after more rows of every kind (a new unit, category, station, block, deputy,
activity kind; suggestions with co-handling, adjustment, extension and supervision; issues; reception
days, visits, forums, checklist states; trainings, group members, duty snapshots) are added.
The cache is off (DASHBOARD_CACHE_SECONDS = 0), or the second fetch would be served from it."""

from __future__ import annotations

import datetime
import itertools
from typing import Any
from urllib.parse import urlencode

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dashboard.kinds import KINDS
from deputies.choices import ActivityKind
from deputies.duty import duty_snapshot
from deputies.services import activities as activity_services
from deputies.services import groups as group_services
from deputies.services import meetings as meeting_services
from deputies.services import training as training_services
from liaison_stations.choices import Channel, ChecklistState, VisitDisposition
from liaison_stations.models import ChecklistItem, PublicIssue
from liaison_stations.services import issues as issue_services
from liaison_stations.services import receptions as reception_services
from liaison_stations.services import stations as station_services
from suggestions import services
from suggestions.choices import Rating, SupervisionTrigger
from suggestions.models import Assignment, ReplyClass, Suggestion
from tests.congress.factories import HandlingUnitFactory, SubjectCategoryFactory
from tests.dashboard.builders import (
    API,
    ASSIGNED_ON,
    ENDPOINTS,
    REPLIED_ON,
    SUBMITTED_ON,
    Known,
    at_ten,
    attend,
    build_known,
    unit_staff,
)
from tests.deputies.factories import DeputyFactory, MandateFactory
from tests.liaison_stations.factories import StationFactory
from tests.queries import assert_same_query_count

pytestmark = pytest.mark.django_db

ROWS = 3  # of each kind per batch
_batches = itertools.count(1)  # names stay unique however often rows are added


@pytest.fixture
def known(request: Any, settings: Any) -> Known:
    settings.DASHBOARD_CACHE_SECONDS = 0
    return build_known(request)


def add_rows(known: Known) -> None:
    """A batch of rows of every kind the figures count, in new breakdown rows too."""
    n = next(_batches)
    a, office = known.a, known.office
    unit = HandlingUnitFactory(congress=a.congress, name=f"新承办单位{n}")
    unit_user = unit_staff(a.congress, unit, f"budget-unit-{n}")
    category = SubjectCategoryFactory(counterpart_committee=a.committee, name=f"新类别{n}")
    deputy = MandateFactory(term=a.term, deputy=DeputyFactory(name=f"新代表{n}")).deputy
    station = StationFactory(congress=a.congress, name=f"新联络站{n}")
    block = station_services.block_save(station=station, actor=office, data={"number": 1, "name": f"新片区{n}"})
    station_services.station_deputy_add(station=station, actor=office, deputy=deputy, role="resident")
    classes = {rc.code: rc for rc in ReplyClass.objects.filter(congress=a.congress)}

    for index in range(ROWS):
        # A suggestion with a co-handling unit, replied and rated; an extension and an adjustment asked.
        suggestion = services.suggestion_create(
            actor=known.deputy_user,
            deputy=known.deputy_user.deputy,
            session=a.session,
            title=f"预算建议{n}-{index}",
            body="建议……",
            category=category,
        )
        services.suggestion_submit(suggestion=suggestion, actor=known.deputy_user, on=SUBMITTED_ON)
        Suggestion.objects.filter(pk=suggestion.pk).update(submitted_at=at_ten(SUBMITTED_ON))
        services.suggestion_review(suggestion=suggestion, actor=office, decision="accept")
        services.suggestion_assign(
            suggestion=suggestion, actor=office, lead_units=[unit], co_units=[known.co_unit], on=ASSIGNED_ON
        )
        assignment = Assignment.objects.live().get(suggestion=suggestion, unit=unit)
        if index == 0:
            services.adjustment_request_create(
                assignment=assignment, actor=unit_user, reason="请调整。", on=datetime.date(2026, 3, 3)
            )
            continue
        if index == 1:
            services.extension_request_create(
                assignment=assignment,
                actor=unit_user,
                reason="需要时间。",
                requested_due_on=datetime.date(2026, 7, 1),
            )
            services.supervision_open(
                suggestion=suggestion,
                actor=known.committee_user,
                committee=a.committee,
                trigger=SupervisionTrigger.INITIATIVE,
                on=datetime.date(2026, 6, 10),
            )
            continue
        reply = services.reply_submit(
            assignment=assignment,
            actor=unit_user,
            reply_class=classes["A"],
            text="已解决。",
            document_number=f"预算〔2026〕{n}{index}号",
            signer="局长",
            on=REPLIED_ON,
        )
        services.evaluation_submit(
            reply=reply, actor=known.deputy_user, attitude=Rating.SATISFIED, result=Rating.SATISFIED, on=REPLIED_ON
        )

    for index in range(ROWS):
        # Issues at the new station and block, answered and closed; one not accepted.
        issue = issue_services.issue_submit(
            congress=a.congress,
            channel=Channel.WECHAT if index else Channel.FORUM,
            content=f"新片区问题{n}-{index}，请处理。",
            station=station,
            block=block,
            category=category,
            actor=office,
            on=datetime.date(2026, 8, 3),
        )
        PublicIssue.objects.filter(pk=issue.pk).update(created_at=at_ten(datetime.date(2026, 8, 3)))
        if index == 0:
            issue_services.issue_screen(issue=issue, actor=office, accept=False, reason="不受理。")
            continue
        issue_services.issue_screen(issue=issue, actor=office, accept=True, tier=3, handling_unit=unit)
        issue_services.issue_answer(issue=issue, actor=office, body="已处理。")
        issue_services.issue_close(issue=issue, actor=office)
        issue_services.issue_record_outcome(issue=issue, actor=office, people_helped=index, money_involved=None)

    for index in range(ROWS):
        # Reception days confirmed, visits, forums.
        day = datetime.date(2026, 8, 3 + index)
        reception = reception_services.reception_save(station=station, actor=office, date=day, deputy_ids=[deputy.pk])
        reception_services.reception_confirm(reception=reception, actor=office)
        reception_services.visit_record(
            station=station,
            actor=office,
            visited_on=day,
            reception_day=reception,
            deputy=deputy,
            words="反映问题。",
            disposition=VisitDisposition.ANSWERED,
            disposition_note="已答复。",
            visitors=2,
        )
        reception_services.forum_save(
            station=station, actor=office, held_on=day, topic=f"恳谈{n}-{index}", deputy_ids=[deputy.pk], residents=9
        )
    for item in ChecklistItem.objects.filter(congress=a.congress, is_active=True):
        station_services.checklist_status_set(
            station=station, item=item, year=2026, actor=office, state=ChecklistState.PARTLY
        )

    # A held course the new deputy and jia attend; an inspection (a new kind of activity); the group.
    course = training_services.course_open(
        actor=office,
        congress=a.congress,
        title=f"新培训{n}",
        training_kind="online",
        starts_at=at_ten(datetime.date(2026, 8, 10)),
        ends_at=at_ten(datetime.date(2026, 8, 11)),
        hours=2,
    )
    training_services.course_invite(course=course, actor=office, deputy_ids=[deputy.pk, known.deputy("jia").pk])
    attend(course, [deputy, known.deputy("jia")], office)
    activity_services.activity_hold(activity=course, actor=office)
    inspection = activity_services.activity_create(
        actor=office,
        congress=a.congress,
        kind=ActivityKind.INSPECTION,
        title=f"视察{n}",
        starts_at=at_ten(datetime.date(2026, 9, 1)),
        ends_at=at_ten(datetime.date(2026, 9, 2)),
    )
    activity_services.activity_hold(activity=inspection, actor=office)
    group_services.member_add(group=known.rows["group"], actor=office, deputy=deputy)
    meeting = meeting_services.meeting_create(
        actor=office, term=a.term, title=f"常委会会议{n}", starts_on=datetime.date(2026, 9, 20)
    )
    meeting_services.meeting_invite(actor=office, meeting=meeting, deputy_ids=[deputy.pk])
    sitting = meeting_services.meeting_sitting(meeting)
    attend(sitting, [deputy], office)
    activity_services.activity_hold(activity=sitting, actor=office)
    duty_snapshot(congress_id=a.congress.pk, year=2026)


def fetch_each(client: Any, requests: list[tuple[str, dict[str, Any]]]) -> dict[str, tuple[Any, int]]:
    """Each request's response and its number of queries (all of them fetched in one go)."""
    fetched = {}
    for url, params in requests:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url, params)
        fetched[f"{url}?{urlencode(params)}"] = (response, len(captured))
    return fetched


def assert_each_the_same(client: Any, known: Known, django_assert_num_queries: Any, requests: list) -> tuple:
    """`assert_same_query_count` over all the requests at once (one batch of rows added), then the
    same for each request on its own."""
    few, many = assert_same_query_count(
        django_assert_num_queries, lambda: fetch_each(client, requests), lambda: add_rows(known)
    )
    assert {url: count for url, (_response, count) in many.items()} == {
        url: count for url, (_response, count) in few.items()
    }
    for url, (response, _count) in [*few.items(), *many.items()]:
        assert response.status_code == 200, url
    return few, many


def test_each_endpoint_takes_the_same_queries_with_more_rows(client, known, leader_user, django_assert_num_queries):
    client.force_login(leader_user)
    requests = [(f"{API}/{endpoint}/", {"year": 2026}) for endpoint in ENDPOINTS]

    few, many = assert_each_the_same(client, known, django_assert_num_queries, requests)

    for url in few:
        assert many[url][0].json() != few[url][0].json(), url  # the new rows were counted


def test_the_filtered_payloads_take_the_same_queries(client, known, leader_user, django_assert_num_queries):
    client.force_login(leader_user)
    params = {
        "year": 2026,
        "station": known.a.station.pk,
        "unit": known.lead_unit.pk,
        "committee": known.a.committee.pk,
        "term": known.a.term.pk,
    }

    assert_each_the_same(
        client, known, django_assert_num_queries, [(f"{API}/{endpoint}/", params) for endpoint in ENDPOINTS]
    )


def test_each_list_takes_the_same_queries_with_more_rows(client, known, leader_user, django_assert_num_queries):
    client.force_login(leader_user)
    # Each kind's first figure is its whole list under the filter.
    requests = [
        (f"/dashboard/records/{key}/{next(iter(kind.figures))}/", {"year": 2026}) for key, kind in KINDS.items()
    ]

    few, many = assert_each_the_same(client, known, django_assert_num_queries, requests)

    for url in few:
        before, after = (fetched[url][0].context["page"].paginator.count for fetched in (few, many))
        assert 0 < before < after, url  # rows listed before, and more after


def test_each_export_takes_the_same_queries_with_more_rows(client, known, leader_user, django_assert_num_queries):
    client.force_login(leader_user)
    requests = [
        (f"/dashboard/records/{key}/{next(iter(kind.figures))}/", {"year": 2026, "format": "xlsx"})
        for key, kind in KINDS.items()
    ]

    assert_each_the_same(client, known, django_assert_num_queries, requests)
