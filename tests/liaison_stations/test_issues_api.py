"""API of the loop: record, scoped list and detail with the phone masked per role, one action per
move (the paths are a contract), their errors (401/403/404/409/400) and the list's query budget."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from deputies.models import Deputy
from liaison_stations.choices import Channel, IssueStatus
from liaison_stations.models import PublicIssue
from liaison_stations.services import issues as services
from tests.conftest import make_deputy_user
from tests.liaison_stations.factories_issues import PublicIssueFactory
from tests.queries import assert_same_query_count

pytestmark = pytest.mark.django_db

MONDAY = datetime.date(2030, 3, 4)
PHONE, MASKED = "13900000044", "139****0044"
BASE = "/api/v1/issues/"


@pytest.fixture
def issue(world) -> PublicIssue:
    return services.issue_submit(
        congress=world.a.congress,
        channel=Channel.QR,
        content="老旧小区外墙脱落，存在安全隐患",
        station=world.a.station,
        citizen_name="赵六",
        citizen_phone=PHONE,
        on=MONDAY,
    )


def post(client: Any, url: str, data: dict[str, Any] | None = None) -> Any:
    return client.post(url, data or {}, content_type="application/json")


def test_anonymous_gets_401_or_403(client, issue):
    assert client.get(BASE).status_code in {401, 403}
    assert post(client, f"{BASE}{issue.pk}/screen/", {"accept": True}).status_code in {401, 403}


@pytest.mark.parametrize(
    ("role", "visible"),
    [
        ("station_user", True),
        ("office_user", True),
        ("leader_user", True),
        ("unit_user", False),
        ("committee_user", False),
        ("deputy_user", False),
        ("office_user_b", False),
    ],
)
def test_list_and_detail_are_scoped(client, request, issue, role, visible):
    client.force_login(request.getfixturevalue(role))
    ids = [row["id"] for row in client.get(BASE).json()["results"]]
    assert (issue.pk in ids) is visible
    assert client.get(f"{BASE}{issue.pk}/").status_code == (200 if visible else 404)


@pytest.mark.parametrize(("role", "full"), [("station_user", True), ("office_user", True), ("leader_user", False)])
def test_the_phone_is_masked_unless_handling(client, request, issue, role, full):
    client.force_login(request.getfixturevalue(role))
    row = client.get(BASE).json()["results"][0]
    detail = client.get(f"{BASE}{issue.pk}/").json()
    for data in (row, detail):
        assert data["citizen_phone"] == (PHONE if full else MASKED)
        assert data["contact_masked"] is not full


def test_the_deputy_written_to_sees_the_contact(client, deputy_user, world):
    deputy = Deputy.objects.get(user=deputy_user)
    issue = services.issue_submit(
        congress=world.a.congress, channel=Channel.QR, content="给代表的留言内容", deputy=deputy, citizen_phone=PHONE
    )
    client.force_login(deputy_user)
    assert client.get(f"{BASE}{issue.pk}/").json()["citizen_phone"] == PHONE


def test_the_whole_loop_through_the_api(client, station_user, unit_user, world, issue):
    client.force_login(station_user)

    # screen at tier 2, assign a deputy, escalate to tier 3 with a unit
    screened = post(client, f"{BASE}{issue.pk}/screen/", {"accept": True, "tier": 2})
    assert screened.status_code == 200
    assert screened.json()["tier"] == 2
    assert post(client, f"{BASE}{issue.pk}/assign/", {"deputy": world.a.deputies[0].pk}).status_code == 200
    escalated = post(client, f"{BASE}{issue.pk}/escalate/", {"handling_unit": world.a.unit.pk, "note": "需单位办理"})
    assert escalated.json()["tier"] == 3

    # the station may not answer at tier 3 (403); the unit answers
    assert post(client, f"{BASE}{issue.pk}/answer/", {"body": "答复"}).status_code == 403
    client.force_login(unit_user)
    answered = post(client, f"{BASE}{issue.pk}/answer/", {"body": "已修复外墙"})
    assert answered.json()["status"] == IssueStatus.ANSWERED
    assert answered.json()["answers"][0]["body"] == "已修复外墙"

    # the station closes it after a phone call, records the outcome
    client.force_login(station_user)
    closed = post(client, f"{BASE}{issue.pk}/close/", {"note": "电话回访"})
    assert closed.json()["status"] == IssueStatus.CLOSED
    outcome = post(client, f"{BASE}{issue.pk}/outcome/", {"people_helped": 240, "money_involved": "12120000"})
    assert outcome.json()["people_helped"] == 240
    actions = [event["action"] for event in outcome.json()["events"]]
    assert actions == ["submit", "accept", "assign", "escalate", "answer", "close", "outcome"]


def test_convert_links_a_suggestion(client, station_user, world, issue):
    client.force_login(station_user)
    post(client, f"{BASE}{issue.pk}/screen/", {"accept": True, "tier": 3, "handling_unit": world.a.unit.pk})
    response = post(client, f"{BASE}{issue.pk}/convert/", {"lead_deputy": world.a.deputies[1].pk})
    assert response.status_code == 200
    assert response.json()["status"] == IssueStatus.CONVERTED
    assert response.json()["suggestion"] is not None


def test_a_move_the_loop_does_not_allow_is_409_and_bad_input_400(client, station_user, issue):
    client.force_login(station_user)
    assert post(client, f"{BASE}{issue.pk}/close/").status_code == 409
    assert post(client, f"{BASE}{issue.pk}/screen/", {"accept": False}).status_code == 400
    assert post(client, f"{BASE}{issue.pk}/screen/", {"accept": True, "tier": 9}).status_code == 400
    post(client, f"{BASE}{issue.pk}/screen/", {"accept": True, "tier": 3, "handling_unit": None})
    assert PublicIssue.objects.get(pk=issue.pk).status == IssueStatus.SUBMITTED


def test_wrong_role_is_403_and_out_of_scope_404(client, leader_user, office_user_b, issue):
    client.force_login(leader_user)
    assert post(client, f"{BASE}{issue.pk}/screen/", {"accept": True}).status_code == 403
    client.force_login(office_user_b)
    assert post(client, f"{BASE}{issue.pk}/screen/", {"accept": True}).status_code == 404


def test_staff_record_an_issue(client, station_user, world):
    client.force_login(station_user)
    response = post(
        client,
        BASE,
        {
            "channel": Channel.VISIT,
            "content": "来访群众反映低保审核问题",
            "station": world.a.station.pk,
            "citizen_phone": PHONE,
        },
    )
    assert response.status_code == 201
    data = response.json()
    assert data["channel"] == Channel.VISIT
    assert data["citizen_phone"] == PHONE
    assert [event["action"] for event in data["events"]] == ["submit"]


def test_recording_for_another_station_or_with_bad_input(client, station_user, world):
    client.force_login(station_user)
    assert post(client, BASE, {"channel": Channel.VISIT, "content": "x"}).status_code == 400
    response = post(
        client, BASE, {"channel": Channel.VISIT, "content": "别的联络站的问题", "station": world.b.station.pk}
    )
    assert response.status_code in {400, 403}
    assert not PublicIssue.objects.exists()


def test_the_hotline_deputy_rates_through_the_api(client, station_user, world):
    deputy_user = make_deputy_user(username="hotline", name="热线代表", seats=[(world.a.term, "serving")])
    issue = services.issue_submit(
        congress=world.a.congress,
        channel=Channel.HOTLINE,
        content="热线反映征地补偿未到位",
        station=world.a.station,
        reported_by=Deputy.objects.get(user=deputy_user),
        category=world.a.subject_category,
        actor=station_user,
    )
    services.issue_screen(issue=issue, actor=station_user, accept=True, tier=2)
    services.issue_answer(issue=issue, actor=station_user, body="已协调")
    client.force_login(station_user)
    assert post(client, f"{BASE}{issue.pk}/rate/", {"rating": "satisfied"}).status_code == 403
    client.force_login(deputy_user)
    response = post(client, f"{BASE}{issue.pk}/rate/", {"rating": "unsatisfied", "comment": "未解决"})
    assert response.status_code == 200
    assert response.json()["supervision_case"] is not None
    assert response.json()["tier"] == 3


def test_filters(client, office_user, world, issue):
    hotline = PublicIssueFactory(station=world.a.station, channel=Channel.HOTLINE)
    other = PublicIssueFactory(station=world.a.other_station)
    client.force_login(office_user)

    def ids(**params: Any) -> set[int]:
        return {row["id"] for row in client.get(BASE, params).json()["results"]}

    assert ids(channel="hotline") == {hotline.pk}
    assert ids(station=world.a.other_station.pk) == {other.pk}
    assert ids(status="submitted") == {issue.pk, hotline.pk, other.pk}
    assert ids(search=issue.tracking_code) == {issue.pk}
    assert client.get(BASE, {"status": "lost"}).status_code == 400


@pytest.mark.parametrize("role", ["station_user", "office_user", "leader_user"])
def test_list_takes_the_same_queries_for_2_and_20(client, request, world, django_assert_num_queries, role):
    client.force_login(request.getfixturevalue(role))
    PublicIssueFactory.create_batch(2, station=world.a.station)
    assert_same_query_count(
        django_assert_num_queries,
        lambda: client.get(BASE),
        lambda: PublicIssueFactory.create_batch(18, station=world.a.station),
    )
