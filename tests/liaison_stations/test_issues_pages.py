"""Pages of the loop: the station desk and the unit desk (access matrix, masking of the citizen's
contact, the forms of each move, query budgets) and the committee's hotline cases on its desk."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.urls import reverse

from liaison_stations.choices import Channel, IssueStatus
from liaison_stations.models import PublicIssue
from liaison_stations.services import issues as services
from tests.liaison_stations.factories_issues import PublicIssueFactory
from tests.queries import assert_same_query_count

pytestmark = pytest.mark.django_db

MONDAY = datetime.date(2030, 3, 4)
PHONE, MASKED = "13900000044", "139****0044"


@pytest.fixture
def issue(world) -> PublicIssue:
    return services.issue_submit(
        congress=world.a.congress,
        channel=Channel.QR,
        content="小区健身器材损坏，老人锻炼不安全",
        station=world.a.station,
        citizen_name="李四",
        citizen_phone=PHONE,
        consent=True,
        on=MONDAY,
    )


@pytest.fixture
def tier3(issue, station_user, world) -> PublicIssue:
    return services.issue_screen(
        issue=issue, actor=station_user, accept=True, tier=3, handling_unit=world.a.unit, on=MONDAY
    )


def detail_url(issue: PublicIssue) -> str:
    return reverse("liaison_stations:issue_detail", args=[issue.pk])


# --- access -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "status"),
    [
        (None, 302),
        ("unit_user", 403),
        ("deputy_user", 403),
        ("station_user", 200),
        ("office_user", 200),
        ("leader_user", 200),
        ("committee_user", 200),
    ],
)
def test_desk_list_access(client, request, world, role, status):
    if role:
        client.force_login(request.getfixturevalue(role))
    response = client.get(reverse("liaison_stations:issue_list"))
    assert response.status_code == status
    if status == 302:
        assert "/login" in response.url or "login" in response.url


@pytest.mark.parametrize(
    ("role", "status"),
    [
        (None, 302),
        ("unit_user", 403),
        ("deputy_user", 403),
        ("office_user_b", 404),
        ("committee_user", 404),  # not supervising it
        ("station_user", 200),
        ("office_user", 200),
        ("leader_user", 200),
    ],
)
def test_desk_detail_access(client, request, issue, role, status):
    if role:
        client.force_login(request.getfixturevalue(role))
    assert client.get(detail_url(issue)).status_code == status


def test_staff_of_another_station_get_404(client, world, issue):
    from django.contrib.auth.models import Group

    from congress.roles import Role
    from tests.congress.factories import UserFactory
    from tests.liaison_stations.factories import StationStaffFactory

    other = UserFactory(username="other-station")
    other.groups.add(Group.objects.get(name=Role.STATION))
    StationStaffFactory(user=other, station=world.a.other_station)
    client.force_login(other)
    assert client.get(detail_url(issue)).status_code == 404
    response = client.post(reverse("liaison_stations:issue_action", args=[issue.pk, "screen"]), {"decision": "accept"})
    assert response.status_code == 404


@pytest.mark.parametrize(("role", "status"), [(None, 302), ("station_user", 403), ("office_user", 403)])
def test_unit_desk_is_for_unit_staff(client, request, role, status):
    if role:
        client.force_login(request.getfixturevalue(role))
    assert client.get(reverse("liaison_stations:unit_issue_list")).status_code == status


def test_unit_desk_lists_and_opens_the_units_tier_3_issues_only(client, unit_user, tier3, issue, world):
    # given another open issue of the station not given to the unit
    PublicIssueFactory(station=world.a.station)
    client.force_login(unit_user)

    # when the unit opens its desk
    response = client.get(reverse("liaison_stations:unit_issue_list"))

    # then only the tier-3 issue is listed, and it opens with the full contact (the unit handles it)
    assert [row.pk for row in response.context["page"].object_list] == [tier3.pk]
    page = client.get(reverse("liaison_stations:unit_issue_detail", args=[tier3.pk]))
    assert page.status_code == 200
    assert PHONE in page.content.decode()


def test_the_unit_answers_on_its_desk(client, unit_user, tier3):
    client.force_login(unit_user)
    response = client.post(
        reverse("liaison_stations:unit_issue_answer", args=[tier3.pk]), {"body": "已更换器材", "answerer_name": ""}
    )
    assert response.status_code == 302
    assert PublicIssue.objects.get(pk=tier3.pk).status == IssueStatus.ANSWERED


def test_a_unit_cannot_open_an_issue_of_another_unit(client, unit_user, issue):
    client.force_login(unit_user)
    assert client.get(reverse("liaison_stations:unit_issue_detail", args=[issue.pk])).status_code == 404


# --- masking ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(("role", "full"), [("station_user", True), ("office_user", True), ("leader_user", False)])
def test_the_phone_is_masked_on_the_page_unless_handling(client, request, issue, role, full):
    client.force_login(request.getfixturevalue(role))
    html = client.get(detail_url(issue)).content.decode()
    assert (PHONE in html) is full
    assert (MASKED in html) is not full


def test_the_committee_supervising_a_hotline_issue_sees_it_masked(client, committee_user, station_user, world):
    # given a hotline issue the reporting deputy rated unsatisfied
    from deputies.models import Deputy
    from tests.conftest import make_deputy_user

    deputy_user = make_deputy_user(username="hotline", name="热线代表", seats=[(world.a.term, "serving")])
    deputy = Deputy.objects.get(user=deputy_user)
    issue = services.issue_submit(
        congress=world.a.congress,
        channel=Channel.HOTLINE,
        content="企业拖欠农民工工资三个月",
        station=world.a.station,
        reported_by=deputy,
        category=world.a.subject_category,
        citizen_phone=PHONE,
        actor=station_user,
    )
    issue = services.issue_screen(issue=issue, actor=station_user, accept=True, tier=2)
    issue = services.issue_answer(issue=issue, actor=station_user, body="已协调")
    issue = services.issue_rate(issue=issue, rating="unsatisfied", actor=deputy_user)
    client.force_login(committee_user)

    # when the committee opens its desk, the case page and the issue
    desk = client.get(reverse("suggestions:committee_list")).content.decode()
    case_page = client.get(reverse("suggestions:committee_case", args=[issue.supervision_case_id]))
    issue_page = client.get(detail_url(issue)).content.decode()

    # then the case is listed with its subject, opens, links to the issue, and the phone is masked
    assert issue.tracking_code in desk
    assert case_page.status_code == 200
    assert detail_url(issue) in case_page.content.decode()
    assert MASKED in issue_page
    assert PHONE not in issue_page

    # and the committee records and closes the case on that page
    response = client.post(
        reverse("suggestions:committee_case_action", args=[issue.supervision_case_id, "record"]),
        {"kind": "face_to_face", "date": "2030-03-05", "note": "约见代表和企业"},
    )
    assert response.url == reverse("suggestions:committee_case", args=[issue.supervision_case_id])
    client.post(
        reverse("suggestions:committee_case_action", args=[issue.supervision_case_id, "close"]),
        {"outcome": "已督促单位重新办理"},
    )
    assert PublicIssue.objects.get(pk=issue.pk).supervision_case.status == "closed"


# --- the moves through the pages ---------------------------------------------------------------------


def test_the_station_moves_an_issue_through_the_loop_on_its_desk(client, station_user, issue, world):
    client.force_login(station_user)

    def post(action: str, data: dict[str, Any]) -> PublicIssue:
        response = client.post(reverse("liaison_stations:issue_action", args=[issue.pk, action]), data)
        assert response.status_code == 302
        return PublicIssue.objects.get(pk=issue.pk)

    assert post("screen", {"decision": "accept", "tier": "1"}).status == IssueStatus.HANDLING
    assert post("assign", {"deputy": world.a.deputies[0].pk}).deputy == world.a.deputies[0]
    assert post("escalate", {"note": "需街道协调"}).tier == 2
    assert post("answer", {"body": "已协调维修"}).status == IssueStatus.ANSWERED
    assert post("outcome", {"people_helped": "120", "money_involved": ""}).people_helped == 120
    assert post("close", {"note": "电话回访满意"}).status == IssueStatus.CLOSED


def test_a_refused_move_says_why(client, station_user, issue):
    client.force_login(station_user)
    response = client.post(
        reverse("liaison_stations:issue_action", args=[issue.pk, "close"]), {"note": ""}, follow=True
    )
    assert PublicIssue.objects.get(pk=issue.pk).status == IssueStatus.SUBMITTED
    assert list(response.context["messages"])


def test_the_station_converts_an_issue_on_its_desk(client, station_user, issue, world):
    client.force_login(station_user)
    client.post(
        reverse("liaison_stations:issue_action", args=[issue.pk, "screen"]), {"decision": "accept", "tier": "2"}
    )
    client.post(
        reverse("liaison_stations:issue_action", args=[issue.pk, "convert"]),
        {"lead_deputy": world.a.deputies[0].pk, "title": "关于更新健身器材的建议"},
    )
    issue = PublicIssue.objects.get(pk=issue.pk)
    assert issue.status == IssueStatus.CONVERTED
    assert issue.suggestion.lead_deputy == world.a.deputies[0]


def test_an_unknown_move_is_404(client, station_user, issue):
    client.force_login(station_user)
    assert client.post(reverse("liaison_stations:issue_action", args=[issue.pk, "delete"])).status_code == 404


def test_leaders_read_but_cannot_move(client, leader_user, issue):
    client.force_login(leader_user)
    page = client.get(detail_url(issue))
    assert "screen_form" not in page.context
    response = client.post(reverse("liaison_stations:issue_action", args=[issue.pk, "screen"]), {"decision": "accept"})
    assert response.status_code == 403


def test_staff_record_an_issue_of_any_channel(client, station_user, world):
    client.force_login(station_user)
    response = client.post(
        reverse("liaison_stations:issue_create"),
        {
            "channel": Channel.WECHAT,
            "content": "群里反映小区电梯经常停运",
            "station": world.a.station.pk,
            "citizen_phone": "13800001111",
        },
    )
    issue = PublicIssue.objects.get()
    assert response.url == detail_url(issue)
    assert (issue.channel, issue.created_by) == (Channel.WECHAT, station_user)


def test_recording_with_a_bad_phone_shows_the_error(client, station_user, world):
    client.force_login(station_user)
    response = client.post(
        reverse("liaison_stations:issue_create"),
        {
            "channel": Channel.VISIT,
            "content": "反映问题内容足够长",
            "station": world.a.station.pk,
            "citizen_phone": "1",
        },
    )
    assert response.status_code == 200
    assert "citizen_phone" in response.context["form"].errors
    assert not PublicIssue.objects.exists()


# --- filters and budgets ------------------------------------------------------------------------------


def test_desk_filters_by_status_tier_channel_and_search(client, office_user, issue, tier3, world):
    hotline = PublicIssueFactory(station=world.a.station, channel=Channel.HOTLINE, content="热线反映的问题内容")
    client.force_login(office_user)
    url = reverse("liaison_stations:issue_list")

    def listed(**params: Any) -> set[int]:
        return {row.pk for row in client.get(url, params).context["page"].object_list}

    assert listed(channel=Channel.HOTLINE) == {hotline.pk}
    assert listed(tier="3") == {tier3.pk}
    assert listed(status="submitted") == {hotline.pk}
    assert listed(q=tier3.tracking_code) == {tier3.pk}
    assert listed(q="热线") == {hotline.pk}


def test_due_dates_are_red_amber_green(client, station_user, tier3):
    client.force_login(station_user)
    row = client.get(reverse("liaison_stations:issue_list")).context["page"].object_list[0]
    assert row.urgency in {"danger", "warning", "success"}


@pytest.mark.parametrize("role", ["station_user", "office_user"])
def test_desk_list_takes_the_same_queries_for_2_and_20(client, request, world, django_assert_num_queries, role):
    client.force_login(request.getfixturevalue(role))
    PublicIssueFactory.create_batch(2, station=world.a.station)
    assert_same_query_count(
        django_assert_num_queries,
        lambda: client.get(reverse("liaison_stations:issue_list")),
        lambda: PublicIssueFactory.create_batch(18, station=world.a.station),
    )


def test_unit_desk_takes_the_same_queries_for_2_and_20(
    client, unit_user, station_user, world, django_assert_num_queries
):
    def make(count: int) -> None:
        for issue in PublicIssueFactory.create_batch(count, station=world.a.station):
            services.issue_screen(issue=issue, actor=station_user, accept=True, tier=3, handling_unit=world.a.unit)

    make(2)
    client.force_login(unit_user)
    assert_same_query_count(
        django_assert_num_queries, lambda: client.get(reverse("liaison_stations:unit_issue_list")), lambda: make(18)
    )
