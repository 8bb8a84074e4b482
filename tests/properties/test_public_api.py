"""Bad input on the citizens' API without an account (/api/v1/public/issues/): submitting with any
JSON (wrong types, missing keys, huge strings, nested junk), with bodies that are not JSON at all,
and rating an answer by the tracking code.

Properties: never a 500; a refusal is 400 {"detail", "errors": {field: [Chinese messages]}} naming
only fields that are really at fault, and writes nothing; an accepted issue is stored exactly (the
text trimmed) for the deputy or station written to.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import pytest
from hypothesis import event, given
from hypothesis import strategies as st
from rest_framework.test import APIClient

from liaison_stations.choices import Channel, IssueRating, IssueStatus
from liaison_stations.models import PublicIssue
from tests.liaison_stations.factories_public import answered_issue
from tests.properties.conftest import (
    assert_api_error_shape,
    budget,
    chinese_text,
    db_state,
    foreign_digit_phones,
    hostile_text,
    isolated,
    json_bytes,
    json_text,
    json_value_of,
    json_values,
    lone_surrogates,
    not_json,
    phone_strings,
    state_diff,
)

pytestmark = pytest.mark.django_db

URL = "/api/v1/public/issues/"
IP = "10.9.0.1"
SUBMIT_FIELDS = {
    "deputy_code",
    "station",
    "content",
    "location",
    "citizen_name",
    "citizen_phone",
    "consent",
    "website",
}
# issue_submit's phone check, with ASCII digits: a mobile (optionally +86) or a landline with its area code.
PHONE = re.compile(r"(?:\+?86)?1[3-9][0-9]{9}|0[0-9]{2,3}-?[0-9]{7,8}")
ABSENT = object()


@pytest.fixture
def api() -> APIClient:
    return APIClient()


def post_json(api: APIClient, url: str, body: bytes) -> Any:
    return api.generic("POST", url, body, content_type="application/json", REMOTE_ADDR=IP)


# --- DRF's rules for a text field, restated -----------------------------------------------------------


def drf_text(value: Any, *, max_length: int, allow_blank: bool, required: bool = False) -> tuple[bool, str]:
    """(valid, the text kept) for a DRF CharField: numbers become text, other types are refused,
    the text is trimmed, and may not be blank (unless allowed), too long, or hold NUL or surrogates."""
    if value is ABSENT:
        return not required, ""
    if value is None or isinstance(value, bool) or not isinstance(value, str | int | float):
        return False, ""
    text = str(value).strip()
    if not text:
        return allow_blank, ""
    if len(text) > max_length or "\x00" in text or any(0xD800 <= ord(char) <= 0xDFFF for char in text):
        return False, ""
    return True, text


# --- what a citizen's client sends --------------------------------------------------------------------


@dataclass(frozen=True)
class Tagged:
    """A value with what it should mean: ("ok", parsed) or ("bad", None)."""

    value: Any
    verdict: str
    parsed: Any = None


CONSENTS = [
    Tagged(True, "ok", True),
    Tagged("yes", "ok", True),
    Tagged(1, "ok", True),
    Tagged("on", "ok", True),
    Tagged(False, "ok", False),
    Tagged("no", "ok", False),
    Tagged(0, "ok", False),
    Tagged("false", "ok", False),
    Tagged(ABSENT, "ok", False),
    Tagged(None, "bad"),
    Tagged("maybe", "bad"),
    Tagged(2, "bad"),
    Tagged([], "bad"),
    Tagged({"a": 1}, "bad"),
    Tagged("同意", "bad"),
]


def stations(world: Any) -> list[Tagged]:
    a, b = world.a.station.pk, world.b.station.pk
    return [
        Tagged(ABSENT, "ok", None),
        Tagged(ABSENT, "ok", None),
        Tagged(None, "ok", None),
        Tagged(a, "ok", a),
        Tagged(str(a), "ok", a),
        Tagged(f" {a} ", "ok", a),
        Tagged(b, "ok", b),
        Tagged(999999, "ok", 999999),  # well formed, but no such station
        Tagged(0, "bad"),
        Tagged(-3, "bad"),
        Tagged("第一站", "bad"),
        Tagged(1.5, "bad"),
        Tagged(True, "bad"),
        Tagged([a], "bad"),
        Tagged({"id": a}, "bad"),
        Tagged("9" * 1001, "bad"),
    ]


def maybe(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """The key left out, or a value of the right type, or any JSON value."""
    return st.one_of(st.just(ABSENT), strategy, strategy, json_values)


@st.composite
def submissions(draw: Any, world: Any, deputies: dict[str, Any]) -> dict[str, Any]:
    codes = st.one_of(st.sampled_from([*deputies, "", "  "]), json_text)
    body = {
        "deputy_code": draw(maybe(codes)),
        "station": draw(st.sampled_from(stations(world))),
        "content": draw(
            st.one_of(
                st.just(ABSENT), hostile_text, chinese_text.map(lambda text: f"{text}，请帮忙解决。"), json_values
            )
        ),
        "location": draw(maybe(hostile_text)),
        "citizen_name": draw(maybe(hostile_text)),
        "citizen_phone": draw(maybe(phone_strings)),
        "consent": draw(st.sampled_from(CONSENTS)),
        "website": draw(st.sampled_from([ABSENT, ABSENT, ABSENT, "", "   ", "http://spam.example"])),
    }
    return body


def payload_of(body: dict[str, Any]) -> dict[str, Any]:
    payload = {}
    for key, value in body.items():
        value = value.value if isinstance(value, Tagged) else value
        if value is not ABSENT:
            payload[key] = value
    return payload


@dataclass
class Expectation:
    bad: set[str]
    honeypot: bool = False
    congress: Any = None
    deputy: Any = None
    station: Any = None
    kept: dict[str, Any] | None = None


def expect(body: dict[str, Any], world: Any, deputies: dict[str, Any]) -> Expectation:
    """The fields at fault (any stage: the serializer, whom it is for, consent, the issue's own checks),
    or, when none, what must be stored."""
    website = body["website"]
    if website is not ABSENT and str(website).strip():
        return Expectation(bad=set(), honeypot=True)
    bad: set[str] = set()
    texts = {}
    for name, max_length, allow_blank, required in (
        ("deputy_code", 20, True, False),
        ("content", 2000, False, True),
        ("location", 200, True, False),
        ("citizen_name", 50, True, False),
        ("citizen_phone", 20, True, False),
    ):
        ok, text = drf_text(body[name], max_length=max_length, allow_blank=allow_blank, required=required)
        texts[name] = text
        if not ok:
            bad.add(name)
    if body["station"].verdict == "bad":
        bad.add("station")
    if body["consent"].verdict == "bad":
        bad.add("consent")
    if bad:
        return Expectation(bad=bad)
    # whom it is for
    by_pk = {station.pk: station for station in (world.a.station, world.b.station)}
    station_pk = body["station"].parsed
    code = texts["deputy_code"]
    station = by_pk.get(station_pk)
    deputy = deputies.get(code)
    if not code and station_pk is None:
        return Expectation(bad={"deputy_code"})
    if station_pk is not None and station is None:
        return Expectation(bad={"station"})
    if code and deputy is None:
        return Expectation(bad={"deputy_code"})
    if deputy is not None and station is not None and deputy.congress != station.congress:
        return Expectation(bad={"deputy_code"})
    consent = body["consent"].parsed
    if (texts["citizen_name"] or texts["citizen_phone"]) and not consent:
        return Expectation(bad={"consent"})
    if len(texts["content"]) < 5:
        bad.add("content")
    phone = re.sub(r"[\s()]", "", texts["citizen_phone"])
    if phone and not PHONE.fullmatch(phone):
        bad.add("citizen_phone")
    if bad:
        return Expectation(bad=bad)
    congress = station.congress if station else deputy.congress
    kept_station = station if station else deputy.station
    return Expectation(
        bad=set(),
        congress=congress,
        deputy=deputy.deputy if deputy else None,
        station=kept_station,
        kept={
            "content": texts["content"],
            "location": texts["location"],
            "citizen_name": texts["citizen_name"],
            "citizen_phone": phone,
            "consent": consent,
        },
    )


@dataclass
class Writable:
    """A deputy a citizen may write to: the person, their congress and their station there."""

    deputy: Any
    congress: Any
    station: Any


@pytest.fixture
def deputies(world: Any, intake_deputy: Any) -> dict[str, Writable]:
    """The codes on two placards: A's deputy (posted at A's station) and B's (at no station)."""
    other = world.b.deputies[0]
    return {
        intake_deputy.public_code: Writable(intake_deputy, world.a.congress, world.a.station),
        other.public_code: Writable(other, world.b.congress, None),
    }


# --- properties ----------------------------------------------------------------------------------------


@budget(80)
@given(data=st.data())
def test_a_submission_is_refused_by_field_or_stored_exactly(api, world, deputies, data):
    body = data.draw(submissions(world, deputies))
    expected = expect(body, world, deputies)
    with isolated():
        before = db_state()

        # when a client submits it
        response = post_json(api, URL, json_bytes(payload_of(body)))

        # then: refused by field and nothing written, or stored as sent
        event(f"answered {response.status_code}")
        assert response.status_code != 500
        if expected.honeypot:
            assert response.status_code == 201
            assert db_state() == before, state_diff(before, db_state())
        elif expected.bad:
            assert response.status_code == 400, (response.status_code, response.content, expected.bad)
            errors = assert_api_error_shape(response, fields=SUBMIT_FIELDS)["errors"]
            assert errors, response.json()
            assert set(errors) <= expected.bad, (errors, expected.bad)
            assert db_state() == before, state_diff(before, db_state())
        else:
            assert response.status_code == 201, (response.content, expected)
            issue = PublicIssue.objects.get(tracking_code=response.json()["tracking_code"])
            assert PublicIssue.objects.count() == 1
            kept = {name: getattr(issue, name) for name in expected.kept}
            assert kept == expected.kept
            assert (issue.congress, issue.deputy, issue.station) == (
                expected.congress,
                expected.deputy,
                expected.station,
            )
            assert (issue.channel, issue.status, issue.submitted_ip) == (Channel.QR, IssueStatus.SUBMITTED, IP)


@budget(10)
@given(phone=foreign_digit_phones)
def test_the_api_refuses_a_mobile_number_in_the_digits_of_another_script(api, intake_deputy, phone):
    body = {
        "deputy_code": intake_deputy.public_code,
        "content": "路灯坏了，请帮忙看看。",
        "citizen_phone": phone,
        "consent": True,
    }
    with isolated():
        before = db_state()
        response = post_json(api, URL, json_bytes(body))
        assert response.status_code == 400, f"kept as {PublicIssue.objects.values_list('citizen_phone', flat=True)}"
        assert set(assert_api_error_shape(response)["errors"]) == {"citizen_phone"}
        assert db_state() == before, state_diff(before, db_state())


def _not_a_json_array_or_scalar(body: bytes) -> bool:
    parsed, value = json_value_of(body)
    return not parsed or isinstance(value, dict)


# Bodies in the shape of a submission (a JSON object of anything), and bodies that are not JSON.
# A JSON body that is an array or a scalar has its own property below.
bodies = st.one_of(
    st.dictionaries(st.sampled_from(sorted(SUBMIT_FIELDS)), json_values, max_size=8).map(json_bytes),
    st.dictionaries(st.text(max_size=10), json_values, max_size=5).map(json_bytes),
    not_json,
    st.lists(st.sampled_from([b"{", b"}", b"[", b"]", b'"', b":", b",", b"1", b"null", b"\\u0000"]), max_size=12).map(
        b"".join
    ),
).filter(_not_a_json_array_or_scalar)
CONTENT_TYPES = ["application/json", "text/plain", "application/xml", "application/x-www-form-urlencoded", ""]


@budget(60)
@given(body=bodies, content_type=st.sampled_from(CONTENT_TYPES))
def test_any_body_of_any_type_is_answered_without_a_server_error(api, intake_deputy, body, content_type):
    with isolated():
        before = db_state()

        # when a client sends anything at all
        response = api.generic("POST", URL, body, content_type=content_type, REMOTE_ADDR=IP)

        # then the answer is a refusal in the API's shape (or, by chance, a valid submission)
        assert response.status_code in (201, 400, 415), (response.status_code, response.content)
        if response.status_code != 201:
            parsed, _value = json_value_of(body)
            assert_api_error_shape(
                response, fields=SUBMIT_FIELDS, chinese_detail=parsed or content_type != "application/json"
            )
            assert db_state() == before, state_diff(before, db_state())


@pytest.mark.parametrize("endpoint", ["submit", "rate"])
@budget(10)
@given(value=st.one_of(st.none(), st.booleans(), st.integers(), json_text, st.lists(json_values, max_size=3)))
def test_a_json_body_that_is_not_an_object_is_refused_in_chinese(api, answered, endpoint, value):
    url = URL if endpoint == "submit" else f"{URL}{answered.tracking_code}/rate/"
    with isolated():
        before = db_state()

        # when a client sends JSON that is not an object (null, a number, a list...)
        response = post_json(api, url, json_bytes(value))

        # then it is refused as bad input, in Chinese, and nothing is written
        assert response.status_code == 400, response.status_code
        assert_api_error_shape(response)
        assert db_state() == before, state_diff(before, db_state())


@budget(10)
@given(body=not_json.filter(lambda body: not json_value_of(body)[0]))
def test_a_body_that_is_not_json_is_refused_in_chinese(api, intake_deputy, body):
    with isolated():
        response = post_json(api, URL, body)
        assert response.status_code == 400
        assert_api_error_shape(response)


@pytest.mark.parametrize("megabytes", [3, 11])
def test_an_oversized_submission_is_refused_and_writes_nothing(api, intake_deputy, megabytes):
    # given a submission far over every limit (the content alone is 2000 characters at most)
    body = json_bytes({"deputy_code": intake_deputy.public_code, "content": "长" * (megabytes * 1024 * 1024 // 3)})
    before = db_state()

    # when it is sent
    response = post_json(api, URL, body)

    # then it is refused, and nothing is written
    assert response.status_code in (400, 413), response.status_code
    assert db_state() == before, state_diff(before, db_state())


# --- rating an answer through the API -------------------------------------------------------------------------


@pytest.fixture
def answered(world: Any, intake_deputy: Any) -> Any:
    return answered_issue(station=world.a.station, deputy=intake_deputy)


ratings = st.fixed_dictionaries(
    {},
    optional={
        "rating": st.one_of(st.sampled_from(IssueRating.values), json_values),
        "comment": st.one_of(hostile_text, json_values),
    },
)


@budget(50)
@given(
    body=st.one_of(
        ratings.map(json_bytes),
        st.dictionaries(st.text(max_size=10), json_values, max_size=5).map(json_bytes),
        not_json,
    ).filter(_not_a_json_array_or_scalar)
)
def test_rating_by_tracking_code_is_refused_by_field_or_recorded(api, answered, body):
    url = f"{URL}{answered.tracking_code}/rate/"
    with isolated():
        before = db_state()

        # when the citizen's client rates the answer with any body
        response = post_json(api, url, body)

        # then: recorded, or refused in the API's shape with nothing written
        assert response.status_code in (200, 400), (response.status_code, response.content)
        issue = PublicIssue.objects.get(pk=answered.pk)
        if response.status_code == 200:
            assert issue.rating in IssueRating.values
            assert issue.status in (IssueStatus.CLOSED, IssueStatus.HANDLING)
        else:
            assert_api_error_shape(response, fields={"rating", "comment"}, chinese_detail=json_value_of(body)[0])
            assert db_state() == before, state_diff(before, db_state())


@budget(20)
@given(
    body=st.one_of(ratings.map(json_bytes), not_json).filter(_not_a_json_array_or_scalar),
    code=st.from_regex(r"\A[0-9A-Za-z]{4,16}\Z"),
)
def test_rating_an_unknown_code_or_an_unanswered_issue_writes_nothing(api, world, intake_deputy, body, code):
    with isolated():
        # given an issue still being handled
        open_issue = answered_issue(station=world.a.station, deputy=intake_deputy)
        PublicIssue.objects.filter(pk=open_issue.pk).update(status=IssueStatus.HANDLING)
        before = db_state()
        unknown = post_json(api, f"{URL}{code}/rate/", body)
        not_answered = post_json(api, f"{URL}{open_issue.tracking_code}/rate/", body)

        assert unknown.status_code in (400, 404), unknown.status_code
        assert_api_error_shape(unknown)
        assert not_answered.status_code in (400, 409), not_answered.status_code
        assert_api_error_shape(not_answered, chinese_detail=json_value_of(body)[0])
        assert db_state() == before, state_diff(before, db_state())


@pytest.mark.parametrize("endpoint", ["submit", "rate"])
@budget(10)
@given(data=st.data())
def test_a_lone_surrogate_in_any_field_is_refused_never_a_server_error(api, answered, intake_deputy, endpoint, data):
    """JSON may carry "\\ud800"; text with it cannot be stored or sent back as UTF-8."""
    if endpoint == "submit":
        url = URL
        valid = {"deputy_code": intake_deputy.public_code, "content": "路灯坏了，请帮忙看看。", "location": "桃花仑路"}
        names = ["deputy_code", "content", "location", "citizen_name", "citizen_phone"]
    else:
        url = f"{URL}{answered.tracking_code}/rate/"
        valid = {"rating": "satisfied", "comment": "谢谢"}
        names = ["rating", "comment"]
    name = data.draw(st.sampled_from(names), label="field")
    body = {**valid, name: data.draw(lone_surrogates, label="value")}
    with isolated():
        before = db_state()
        response = post_json(api, url, json_bytes(body))
        assert response.status_code == 400, (response.status_code, response.content[:500])
        assert set(assert_api_error_shape(response)["errors"]) == {name}
        assert db_state() == before, state_diff(before, db_state())
