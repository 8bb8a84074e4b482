"""Open311 GeoReport v2 at /open311/v2/: each endpoint answers the spec's fields with the spec's types,
the filters of GET requests.json, errors in the spec's format, the per-address limit and query budgets."""

from __future__ import annotations

import datetime
import re
from types import NoneType
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from congress.models import Congress
from liaison_stations.choices import Channel, Confidentiality, IssueStatus, VisitDisposition
from liaison_stations.models import IssueRules, PublicIssue, StationDeputy, Visit
from suggestions.choices import SuggestionStatus
from tests.liaison_stations.factories_open311 import (
    AnswerFactory,
    IssueFactory,
    PhotoFactory,
    backdate,
    suggestion_for,
)
from tests.queries import assert_same_query_count

BASE = "/open311/v2"

# The spec's fields of each answer, with their JSON types.
DISCOVERY = {"changeset": str, "contact": str, "key_service": str, "endpoints": list}
ENDPOINT = {"specification": str, "url": str, "changeset": str, "type": str, "formats": list}
SERVICE = {
    "service_code": str,
    "service_name": str,
    "description": str,
    "metadata": bool,
    "type": str,
    "keywords": str,
    "group": str,
}
DEFINITION = {"service_code": str, "attributes": list}
ATTRIBUTE = {
    "variable": bool,
    "code": str,
    "datatype": str,
    "required": bool,
    "datatype_description": str,
    "order": int,
    "description": str,
}
REQUEST = {
    "service_request_id": str,
    "status": str,
    "status_notes": str,
    "service_name": str,
    "service_code": str,
    "description": str,
    "agency_responsible": str,
    "service_notice": str,
    "requested_datetime": str,
    "updated_datetime": str,
    "expected_datetime": (str, NoneType),
    "address": str,
    "address_id": str,
    "zipcode": str,
    "lat": (float, NoneType),
    "long": (float, NoneType),
    "media_url": (str, NoneType),
}
POSTED = {"service_request_id": str, "service_notice": str, "account_id": NoneType}
ERROR = {"code": int, "description": str}
CONTACT_FIELDS = ("citizen_name", "citizen_phone", "phone", "email", "first_name", "last_name")


def check_fields(item: dict[str, Any], spec: dict[str, Any]) -> None:
    """Every field of the spec is there with its type; datetimes are W3C with a zone."""
    missing = set(spec) - set(item)
    assert not missing, f"missing {missing}"
    for name, kind in spec.items():
        assert isinstance(item[name], kind), f"{name} is {type(item[name]).__name__}"
        if name.endswith(("datetime", "changeset")) and item[name]:
            assert datetime.datetime.fromisoformat(item[name]).tzinfo is not None, name


def check_errors(response: Any, status: int) -> list[dict[str, Any]]:
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/json")
    errors = response.json()
    assert isinstance(errors, list)
    assert errors
    for error in errors:
        check_fields(error, ERROR)
        assert error["code"] == status
    return errors


@pytest.fixture(autouse=True)
def _fresh_cache_and_media(settings, tmp_path):
    """The per-address counters live in the cache; photos go to a temporary folder."""
    settings.MEDIA_ROOT = tmp_path
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def area(world) -> str:
    return world.a.congress.area_code


@pytest.fixture
def category(world):
    return world.a.subject_category


def post_request(client: Client, area: str, *, ip: str = "127.0.0.1", **fields: Any) -> Any:
    data = {"jurisdiction_id": area, "description": "楼道路灯坏了三个月，老人晚上上下楼不便", **fields}
    return client.post(f"{BASE}/requests.json", data, REMOTE_ADDR=ip)


# --- discovery and services --------------------------------------------------------------------------


def test_discovery_names_the_endpoint_and_the_jurisdictions(client, world):
    # when a client discovers the server
    response = client.get(f"{BASE}/discovery.json")

    # then it has the spec's fields and one production JSON endpoint at an absolute URL
    assert response.status_code == 200
    body = response.json()
    check_fields(body, DISCOVERY)
    (endpoint,) = body["endpoints"]
    check_fields(endpoint, ENDPOINT)
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["url"] == "http://testserver/open311/v2/"
    assert endpoint["type"] == "production"
    assert endpoint["formats"] == ["application/json"]
    assert {row["jurisdiction_id"] for row in body["jurisdictions"]} >= {
        world.a.congress.area_code,
        world.b.congress.area_code,
    }


def test_services_are_the_categories_of_the_congress(client, world, area, category):
    # when the services of congress A are listed
    response = client.get(f"{BASE}/services.json", {"jurisdiction_id": area})

    # then each is one of A's categories with the spec's fields, grouped by its counterpart committee
    assert response.status_code == 200
    services = response.json()
    for service in services:
        check_fields(service, SERVICE)
    assert [service["service_code"] for service in services] == [category.code]
    (service,) = services
    assert service["service_name"] == category.name
    assert service["group"] == world.a.committee.name
    assert service["type"] == "realtime"
    assert service["metadata"] is True


def test_services_need_the_jurisdiction_when_several_congresses_are_active(client, world):
    # given two active congresses (A and B)
    # when services are asked without jurisdiction_id
    response = client.get(f"{BASE}/services.json")

    # then the answer says to give it
    (error,) = check_errors(response, 400)
    assert "jurisdiction_id" in error["description"]


def test_services_default_to_the_only_active_congress(client, world, category):
    # given B is not active any more
    Congress.objects.filter(pk=world.b.congress.pk).update(is_active=False)

    # when services are asked without jurisdiction_id
    response = client.get(f"{BASE}/services.json")

    # then A's are listed
    assert response.status_code == 200
    assert [service["service_code"] for service in response.json()] == [category.code]


def test_an_unknown_jurisdiction_is_bad_input(client, world):
    check_errors(client.get(f"{BASE}/services.json", {"jurisdiction_id": "999999"}), 400)


def test_a_service_definition_has_the_deputy_and_station_attributes(client, area, category):
    # when the definition of a service is read
    response = client.get(f"{BASE}/services/{category.code}.json", {"jurisdiction_id": area})

    # then it has the deputy_code (string) and station_id (number) attributes in the spec's format
    assert response.status_code == 200
    definition = response.json()
    check_fields(definition, DEFINITION)
    assert definition["service_code"] == category.code
    for attribute in definition["attributes"]:
        check_fields(attribute, ATTRIBUTE)
    by_code = {attribute["code"]: attribute for attribute in definition["attributes"]}
    assert by_code["deputy_code"]["datatype"] == "string"
    assert by_code["station_id"]["datatype"] == "number"
    assert [attribute["order"] for attribute in definition["attributes"]] == [1, 2]


def test_an_unknown_service_is_not_found(client, area, world):
    # when a service of another congress or none is asked for
    other = world.b.subject_category.code

    # then the answer is 404 in the spec's format
    check_errors(client.get(f"{BASE}/services/no-such-service.json", {"jurisdiction_id": area}), 404)
    check_errors(client.get(f"{BASE}/services/{other}.json", {"jurisdiction_id": area}), 404)


def test_xml_is_refused_with_the_specs_xml_error(client, area):
    # when a client asks for XML
    response = client.get(f"{BASE}/services.xml", {"jurisdiction_id": area})

    # then the answer is the spec's XML error document
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/xml")
    body = response.content.decode()
    assert re.search(r"<errors><error><code>400</code><description>.+</description></error></errors>", body)


def test_a_method_not_offered_is_refused_in_the_specs_format(client, area):
    response = client.delete(f"{BASE}/services.json?jurisdiction_id={area}")
    check_errors(response, 405)
    assert response["Allow"] == "GET"


# --- POST requests.json ------------------------------------------------------------------------------


def test_a_citizen_posts_a_request_to_a_deputy_without_a_key_or_csrf_token(world, area, category):
    # given a client that sends no CSRF token and no API key
    client = Client(enforce_csrf_checks=True)
    deputy = world.a.deputies[0]

    # when it posts a request to a deputy with a place and a phone
    response = post_request(
        client,
        area,
        service_code=category.code,
        lat="28.5538",
        long="112.3557",
        address_string="会龙山街道桃花仑路 18 号",
        first_name="小梅",
        last_name="王",
        phone="13907370044",
        **{"attribute[deputy_code]": deputy.public_code},
    )

    # then the answer is the spec's, with the tracking code as the request's id
    assert response.status_code == 201
    (posted,) = response.json()
    check_fields(posted, POSTED)
    issue = PublicIssue.objects.get(tracking_code=posted["service_request_id"])
    assert issue.channel == Channel.OPEN311
    assert issue.status == IssueStatus.SUBMITTED
    assert issue.deputy == deputy
    assert issue.category == category
    assert issue.congress == world.a.congress
    assert issue.location == "会龙山街道桃花仑路 18 号 (28.553800,112.355700)"
    assert (issue.citizen_name, issue.citizen_phone, issue.consent) == ("王小梅", "13907370044", True)
    assert issue.submitted_ip == "127.0.0.1"
    assert issue.tracking_code in posted["service_notice"]


def test_a_request_to_a_station_goes_to_that_station(client, world, area, category):
    # when a request names a station and no deputy
    response = post_request(
        client, area, service_code=category.code, **{"attribute[station_id]": str(world.a.station.pk)}
    )

    # then the issue is the station's, with no contacts kept
    assert response.status_code == 201
    issue = PublicIssue.objects.get(tracking_code=response.json()[0]["service_request_id"])
    assert issue.station == world.a.station
    assert issue.deputy is None
    assert (issue.citizen_name, issue.citizen_phone, issue.consent) == ("", "", False)


def test_a_deputy_posted_at_a_station_gets_requests_at_that_station(client, world, area, category):
    # given the deputy works at station A
    deputy = world.a.deputies[0]
    StationDeputy.objects.create(congress=world.a.congress, station=world.a.station, deputy=deputy)

    # when a request is written to them
    response = post_request(client, area, service_code=category.code, **{"attribute[deputy_code]": deputy.public_code})

    # then the station takes it in
    assert response.status_code == 201
    issue = PublicIssue.objects.get(tracking_code=response.json()[0]["service_request_id"])
    assert (issue.deputy, issue.station) == (deputy, world.a.station)


@pytest.mark.parametrize(
    ("fields", "status"),
    [
        pytest.param({"description": ""}, 400, id="missing description"),
        pytest.param({"service_code": ""}, 400, id="missing service_code"),
        pytest.param({"service_code": "no-such-service"}, 404, id="unknown service"),
        pytest.param({"attribute[station_id]": "", "attribute[deputy_code]": ""}, 400, id="no deputy nor station"),
        pytest.param({"attribute[station_id]": "abc"}, 400, id="station not a number"),
        pytest.param({"attribute[station_id]": "999999"}, 400, id="unknown station"),
        pytest.param({"attribute[deputy_code]": "nobody"}, 400, id="unknown deputy"),
        pytest.param({"lat": "28.5"}, 400, id="lat without long"),
        pytest.param({"lat": "128.5", "long": "112.3"}, 400, id="lat off the globe"),
        pytest.param({"media_url": "file:///etc/passwd"}, 400, id="media_url not http"),
    ],
)
def test_bad_requests_are_refused_in_the_specs_format(client, world, area, category, fields, status):
    # given an otherwise good request to station A
    data = {"service_code": category.code, "attribute[station_id]": str(world.a.station.pk), **fields}

    # when it is posted
    response = post_request(client, area, **data)

    # then it is refused with the spec's error and nothing is recorded
    check_errors(response, status)
    assert not PublicIssue.objects.exists()


def test_a_station_of_another_congress_is_refused(client, world, area, category):
    response = post_request(
        client, area, service_code=category.code, **{"attribute[station_id]": str(world.b.station.pk)}
    )
    check_errors(response, 400)


def test_posting_is_limited_per_address_and_hour(client, world, area, category):
    # given congress A takes 2 public submissions an hour from one address
    IssueRules.objects.update_or_create(congress=world.a.congress, defaults={"intake_per_hour": 2})
    data = {"service_code": category.code, "attribute[station_id]": str(world.a.station.pk)}

    # when the same address posts three times
    answers = [post_request(client, area, **data) for _ in range(3)]

    # then the third is refused with 429 in the spec's format and only two issues exist
    assert [answer.status_code for answer in answers[:2]] == [201, 201]
    check_errors(answers[2], 429)
    assert int(answers[2]["Retry-After"]) > 0
    assert PublicIssue.objects.count() == 2

    # and another address may still post
    other = post_request(client, area, ip="10.0.0.9", **data)
    assert other.status_code == 201


# --- GET requests.json and requests/{id}.json --------------------------------------------------------


def test_a_request_reads_with_the_specs_fields(client, world, area, category):
    # given an answered issue at station A with a place, a photo, a due date and two answers
    issue = IssueFactory(
        station=world.a.station,
        category=category,
        status=IssueStatus.ANSWERED,
        tier=1,
        due_on=datetime.date(2026, 3, 4),
        location="桃花仑路 18 号 (28.553800,112.355700)",
    )
    AnswerFactory(issue=issue, body="第一次答复")
    AnswerFactory(issue=issue, body="已更换路灯")
    PhotoFactory(issue=issue)

    # when it is read by its tracking code
    response = client.get(f"{BASE}/requests/{issue.tracking_code}.json")

    # then it has the spec's fields, the latest answer as status notes and the station as agency
    assert response.status_code == 200
    (request,) = response.json()
    check_fields(request, REQUEST)
    assert request["service_request_id"] == issue.tracking_code
    assert request["status"] == "open"
    assert request["status_notes"] == "已更换路灯"
    assert request["agency_responsible"] == world.a.station.name
    assert (request["service_code"], request["service_name"]) == (category.code, category.name)
    assert request["expected_datetime"] == "2026-03-04T23:59:59+08:00"
    assert (request["address"], request["lat"], request["long"]) == ("桃花仑路 18 号", 28.5538, 112.3557)
    assert request["media_url"].startswith("http://testserver/")
    assert request["description"] == issue.content


def test_a_request_without_place_or_photo_has_nulls(client, world):
    issue = IssueFactory(station=world.a.station, location="", due_on=None)
    (request,) = client.get(f"{BASE}/requests/{issue.pk}.json").json()
    check_fields(request, REQUEST)
    assert request["service_request_id"] == str(issue.pk)
    assert (request["lat"], request["long"], request["media_url"], request["expected_datetime"]) == (
        None,
        None,
        None,
        None,
    )


def test_a_not_accepted_request_is_closed_with_the_reason(client, world):
    issue = IssueFactory(station=world.a.station, status=IssueStatus.NOT_ACCEPTED, rejection_reason="不属于人大职责")
    (request,) = client.get(f"{BASE}/requests/{issue.tracking_code}.json").json()
    assert (request["status"], request["status_notes"]) == ("closed", "不属于人大职责")


def test_a_request_at_a_unit_names_the_unit(client, world):
    issue = IssueFactory(station=world.a.station, status=IssueStatus.HANDLING, tier=3, handling_unit=world.a.unit)
    (request,) = client.get(f"{BASE}/requests/{issue.tracking_code}.json").json()
    assert request["agency_responsible"] == world.a.unit.name
    assert request["status"] == "open"


@pytest.mark.parametrize(
    ("suggestion_status", "expected"),
    [(SuggestionStatus.ASSIGNED, "open"), (SuggestionStatus.CLOSED, "closed")],
)
def test_a_converted_request_follows_its_suggestion(client, world, category, suggestion_status, expected):
    # given an issue turned into a formal suggestion in a given state
    issue = IssueFactory(station=world.a.station, category=category, status=IssueStatus.CONVERTED, tier=4)
    suggestion = suggestion_for(issue, session=world.a.session, deputy=world.a.deputies[0], status=suggestion_status)
    PublicIssue.objects.filter(pk=issue.pk).update(suggestion=suggestion)

    # when it is read
    (request,) = client.get(f"{BASE}/requests/{issue.tracking_code}.json").json()

    # then it is open while the suggestion is handled and closed when that is finished
    assert request["status"] == expected
    assert "7" in request["status_notes"]


def test_an_unknown_request_is_not_found(client, world):
    check_errors(client.get(f"{BASE}/requests/ZZZZZZZZZZZZ.json"), 404)
    check_errors(client.get(f"{BASE}/requests/999999.json"), 404)


def test_the_list_shows_public_fields_only(client, world, area):
    # given an issue with the citizen's name and phone
    issue = IssueFactory(station=world.a.station, citizen_name="王小梅", citizen_phone="13907370044")

    # when the feed is read
    response = client.get(f"{BASE}/requests.json", {"jurisdiction_id": area})

    # then it has the spec's fields, never a contact, and a public number rather than the tracking code
    assert response.status_code == 200
    (request,) = response.json()
    check_fields(request, REQUEST)
    text = response.content.decode()
    assert "13907370044" not in text
    assert "王小梅" not in text
    assert not set(CONTACT_FIELDS) & set(request)
    assert issue.tracking_code not in text
    assert request["service_request_id"] == str(issue.pk)


def test_the_list_is_the_congress_s_last_90_days_newest_first(client, world, area):
    # given issues of A today, 30 and 120 days ago, and one of B
    today = IssueFactory(station=world.a.station)
    month = backdate(IssueFactory(station=world.a.station), 30)
    backdate(IssueFactory(station=world.a.station), 120)
    IssueFactory(station=world.b.station)

    # when the feed of A is read without dates
    ids = [row["service_request_id"] for row in client.get(f"{BASE}/requests.json", {"jurisdiction_id": area}).json()]

    # then it has A's of the last 90 days, newest first
    assert ids == [str(today.pk), str(month.pk)]


def test_the_list_filters_by_dates(client, world, area):
    # given issues of 10 and 40 days ago
    recent = backdate(IssueFactory(station=world.a.station), 10)
    backdate(IssueFactory(station=world.a.station), 40)
    start = (timezone.localtime() - datetime.timedelta(days=20)).isoformat(timespec="seconds")
    end = timezone.localtime().isoformat(timespec="seconds")

    # when the last 20 days are asked for
    response = client.get(f"{BASE}/requests.json", {"jurisdiction_id": area, "start_date": start, "end_date": end})

    # then only the recent one is there
    assert [row["service_request_id"] for row in response.json()] == [str(recent.pk)]


def test_an_unencoded_plus_in_a_date_still_reads(client, world, area):
    # given a client that did not encode "+" (it arrives as a space)
    issue = IssueFactory(station=world.a.station)
    start = (timezone.localtime() - datetime.timedelta(days=1)).isoformat(timespec="seconds")

    # when the feed is filtered
    response = client.get(f"{BASE}/requests.json?jurisdiction_id={area}&start_date={start}")

    # then the date is understood
    assert response.status_code == 200
    assert [row["service_request_id"] for row in response.json()] == [str(issue.pk)]


@pytest.mark.parametrize(
    "query",
    [
        pytest.param({"start_date": "yesterday"}, id="not a date"),
        pytest.param({"end_date": "2026-13-40"}, id="impossible date"),
        pytest.param({"start_date": "2026-01-02", "end_date": "2026-01-01"}, id="end before start"),
        pytest.param({"start_date": "2026-01-01", "end_date": "2026-06-01"}, id="more than 90 days"),
        pytest.param({"status": "pending"}, id="unknown status"),
    ],
)
def test_bad_filters_are_refused(client, world, area, query):
    check_errors(client.get(f"{BASE}/requests.json", {"jurisdiction_id": area, **query}), 400)


def test_the_list_filters_by_open_or_closed(client, world, area, category):
    # given issues in every state of the loop
    issues = {
        status: IssueFactory(station=world.a.station, category=category, status=status) for status in IssueStatus.values
    }

    # when open and closed ones are asked for
    def ids(status: str) -> set[int]:
        rows = client.get(f"{BASE}/requests.json", {"jurisdiction_id": area, "status": status}).json()
        return {int(row["service_request_id"]) for row in rows}

    # then submitted, handling and answered are open; closed, not accepted and converted (without a
    # suggestion running) are closed
    assert ids("open") == {issues[status].pk for status in ("submitted", "handling", "answered")}
    assert ids("closed") == {issues[status].pk for status in ("closed", "not_accepted", "converted")}
    assert ids("open,closed") == {issue.pk for issue in issues.values()}


def test_the_list_filters_by_service_code(client, world, area, category):
    with_category = IssueFactory(station=world.a.station, category=category)
    IssueFactory(station=world.a.station, category=None)
    response = client.get(f"{BASE}/requests.json", {"jurisdiction_id": area, "service_code": category.code})
    assert [row["service_request_id"] for row in response.json()] == [str(with_category.pk)]


def test_the_list_by_ids_echoes_the_ids_asked_and_ignores_the_other_filters(client, world, area):
    # given an old issue and a recent one
    old = backdate(IssueFactory(station=world.a.station), 200)
    recent = IssueFactory(station=world.a.station, status=IssueStatus.HANDLING)

    # when both are asked for, one by tracking code, one by public number, with a status filter
    response = client.get(
        f"{BASE}/requests.json",
        {"jurisdiction_id": area, "service_request_id": f"{old.tracking_code.lower()},{recent.pk}", "status": "closed"},
    )

    # then both are there, each under the id asked for
    assert {row["service_request_id"] for row in response.json()} == {old.tracking_code, str(recent.pk)}


def test_issues_taken_at_a_confidential_visit_stay_out_of_the_feed(client, world, area):
    # given an issue from a confidential visit
    visit = Visit.objects.create(
        congress=world.a.congress,
        station=world.a.station,
        visited_on=timezone.localdate(),
        words="涉及个人隐私的诉求",
        confidentiality=Confidentiality.CONFIDENTIAL,
        disposition=VisitDisposition.LOOP,
    )
    issue = IssueFactory(station=world.a.station, channel=Channel.VISIT, visit=visit)

    # when the feed is read, or the issue by its code
    feed = client.get(f"{BASE}/requests.json", {"jurisdiction_id": area}).json()

    # then it is not there
    assert feed == []
    check_errors(client.get(f"{BASE}/requests/{issue.tracking_code}.json"), 404)


def test_the_list_takes_as_many_queries_for_20_requests_as_for_2(
    client, world, area, category, django_assert_num_queries
):
    # given 2 issues, each with an answer and a photo (then 20)
    def add(count: int) -> None:
        for _ in range(count):
            issue = IssueFactory(station=world.a.station, category=category, status=IssueStatus.ANSWERED, tier=1)
            AnswerFactory(issue=issue)
            PhotoFactory(issue=issue)

    add(2)

    def fetch() -> Any:
        return client.get(f"{BASE}/requests.json", {"jurisdiction_id": area})

    # when the feed is read with 2 and with 20
    few, many = assert_same_query_count(django_assert_num_queries, fetch, lambda: add(18))

    # then the query count is the same, and all rows are there
    assert (len(few.json()), len(many.json())) == (2, 20)
