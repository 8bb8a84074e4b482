"""Bad input on the API's workflow actions (/api/v1/…): every move of the suggestion workflow and of
the citizens' issues, with JSON bodies near the valid one (keys dropped, values of any type, huge
strings, nested junk), and with bodies that are not a JSON object at all.

Properties: never a 500; a refusal is 400 {"detail", "errors": {field: [Chinese messages]}} naming
only the action's own fields, or 409 for a move the state does not allow (403 for a move that is
not the user's), and writes nothing.

Each test prepares every state once (a suggestion per state, issues per state) and each example
draws the move and the body; the move runs inside `isolated()` and is rolled back.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from hypothesis import event, given
from hypothesis import strategies as st

from liaison_stations.choices import Channel, IssueStatus
from suggestions.models import Assignment
from tests.liaison_stations.factories_public import PublicIssueFactory
from tests.properties.conftest import (
    assert_api_error_shape,
    budget,
    damaged_photos,
    db_state,
    hostile_text,
    isolated,
    json_bytes,
    json_value_of,
    json_values,
    lone_surrogates,
    not_json,
    state_diff,
    verified_but_unreadable,
)

pytestmark = pytest.mark.django_db

API = "/api/v1/"
HUGE = "长" * 100_000


@dataclass(frozen=True)
class Move:
    """A POST action: the object it acts on, who calls it, a valid body, and its input fields."""

    path: str
    user: str
    valid: Callable[[Any], dict[str, Any]] = field(default=lambda stage: {})
    fields: frozenset[str] = frozenset()


def units(stage: Any) -> dict[str, Any]:
    return {"lead_units": [stage.world.a.unit.pk], "co_units": [stage.co_unit.pk]}


SUGGESTION_MOVES = {
    "create": Move(
        "suggestions/",
        "deputy",
        lambda stage: {"title": "关于加强校园周边交通安全的建议", "body": "建议……", "category": stage.category},
        frozenset({"title", "body", "category", "cosigners", "session", "confidentiality", "publication"}),
    ),
    "submit": Move("suggestions/{draft}/submit/", "deputy"),
    "cosign": Move("suggestions/{invited}/cosign/", "cosigner", lambda stage: {"accept": True}, frozenset({"accept"})),
    "withdraw": Move(
        "suggestions/{draft}/withdraw/", "deputy", lambda stage: {"reason": "另行提出"}, frozenset({"reason"})
    ),
    "review": Move(
        "suggestions/{submitted}/review/",
        "office",
        lambda stage: {"decision": "reject", "exclusion_reason": "personal", "reason": "个人事项"},
        frozenset({"decision", "reason", "exclusion_reason"}),
    ),
    "pre-assign": Move(
        "suggestions/{accepted}/pre-assign/", "office", units, frozenset({"lead_units", "co_units", "mode"})
    ),
    "assign": Move("suggestions/{accepted}/assign/", "office", units, frozenset({"lead_units", "co_units", "mode"})),
    "evaluate": Move(
        "suggestions/{replied}/evaluate/",
        "deputy",
        lambda stage: {"attitude": "satisfied", "result": "unsatisfied", "comment": "还需改进"},
        frozenset({"reply", "attitude", "result", "comment"}),
    ),
    "sign": Move("assignments/{lead}/sign/", "unit"),
    "request-adjustment": Move(
        "assignments/{lead}/request-adjustment/",
        "unit",
        lambda stage: {"reason": "不属于本单位职责", "suggested_unit": stage.world.a.child_unit.pk},
        frozenset({"reason", "suggested_unit"}),
    ),
    "request-extension": Move(
        "assignments/{lead}/request-extension/",
        "unit",
        lambda stage: {"reason": "需要调研", "requested_due_on": str(stage.lead.due_on + datetime.timedelta(days=20))},
        frozenset({"reason", "requested_due_on"}),
    ),
    "opinion": Move(
        "assignments/{co}/opinion/", "co_unit", lambda stage: {"text": "同意主办意见"}, frozenset({"text"})
    ),
    "reply": Move(
        "assignments/{lead}/reply/",
        "unit",
        lambda stage: {
            "reply_class": "B",
            "text": "已列入计划",
            "document_number": "甲函〔2026〕1号",
            "signer": "张局长",
        },
        frozenset({"reply_class", "text", "document_number", "signer", "publication", "public_summary"}),
    ),
}

ISSUE_MOVES = {
    "record": Move(
        "issues/",
        "office",
        lambda stage: {"channel": "visit", "content": "群众反映路灯不亮。", "station": stage.world.a.station.pk},
        frozenset(
            {
                "congress",
                "channel",
                "content",
                "station",
                "block",
                "deputy",
                "reported_by",
                "category",
                "visit",
                "forum",
                "location",
                "citizen_name",
                "citizen_phone",
                "consent",
                "photos",
            }
        ),
    ),
    "screen": Move(
        "issues/{submitted_issue}/screen/",
        "office",
        lambda stage: {"accept": True, "tier": 3, "handling_unit": stage.world.a.unit.pk},
        frozenset({"accept", "tier", "reason", "category", "handling_unit", "deputy"}),
    ),
    "assign": Move(
        "issues/{handled_issue}/assign/",
        "office",
        lambda stage: {"deputy": stage.world.a.deputies[1].pk},
        frozenset({"handling_unit", "deputy"}),
    ),
    "answer": Move(
        "issues/{handled_issue}/answer/",
        "office",
        lambda stage: {"body": "已修复。", "answerer_name": "街道人大工委"},
        frozenset({"body", "answerer_name"}),
    ),
    "escalate": Move(
        "issues/{handled_issue}/escalate/",
        "office",
        lambda stage: {"note": "需要区里协调"},
        frozenset({"note", "handling_unit"}),
    ),
    "close": Move("issues/{answered_issue}/close/", "office", lambda stage: {"note": "电话确认"}, frozenset({"note"})),
    "convert": Move(
        "issues/{handled_issue}/convert/",
        "office",
        lambda stage: {"title": "关于路灯的建议", "lead_deputy": stage.world.a.deputies[0].pk},
        frozenset({"lead_deputy", "title"}),
    ),
    "rate": Move(
        "issues/{hotline_issue}/rate/",
        "deputy",
        lambda stage: {"rating": "unsatisfied", "comment": "还没修好"},
        frozenset({"rating", "comment"}),
    ),
    "outcome": Move(
        "issues/{handled_issue}/outcome/",
        "office",
        lambda stage: {"people_helped": 562, "money_involved": "3680000.00"},
        frozenset({"people_helped", "money_involved"}),
    ),
}


@dataclass(repr=False)
class Stage:
    """One object in each state a move starts from, and a logged-in client for each user."""

    world: Any
    co_unit: Any
    category: int
    objects: dict[str, int]
    lead: Assignment
    clients: dict[str, Client]

    def path(self, move: Move) -> str:
        return API + move.path.format(**self.objects)

    def __repr__(self) -> str:
        return f"Stage(objects={self.objects})"


def logged_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def stage(flow, world, deputy_user, cosigner_user, office_user, unit_user, co_unit, co_unit_user) -> Stage:
    accepted_for_assign = flow.accepted()
    assigned = flow.assigned()
    replied, _reply = flow.replied()
    lead = flow.assignment(assigned)
    station_issue = {"station": world.a.station, "deputy": world.a.deputies[0]}
    handled = PublicIssueFactory(status=IssueStatus.HANDLING, tier=1, **station_issue)
    objects = {
        "draft": flow.draft(confirmed=(cosigner_user,)).pk,
        "invited": flow.draft(cosigners=(cosigner_user.deputy,)).pk,
        "submitted": flow.submitted().pk,
        "accepted": accepted_for_assign.pk,
        "replied": replied.pk,
        "lead": lead.pk,
        "co": flow.assignment(assigned, co_unit).pk,
        "submitted_issue": PublicIssueFactory(**station_issue).pk,
        "handled_issue": handled.pk,
        "answered_issue": PublicIssueFactory(status=IssueStatus.ANSWERED, tier=1, **station_issue).pk,
        "hotline_issue": PublicIssueFactory(
            status=IssueStatus.ANSWERED,
            tier=1,
            channel=Channel.HOTLINE,
            reported_by=deputy_user.deputy,
            **station_issue,
        ).pk,
    }
    users = {
        "deputy": deputy_user,
        "cosigner": cosigner_user,
        "office": office_user,
        "unit": unit_user,
        "co_unit": co_unit_user,
    }
    return Stage(
        world=world,
        co_unit=co_unit,
        category=world.a.subject_category.pk,
        objects=objects,
        lead=lead,
        clients={name: logged_in(user) for name, user in users.items()},
    )


# --- bodies near the valid one --------------------------------------------------------------------------


@st.composite
def near(draw: Any, valid: dict[str, Any], fields: frozenset[str]) -> dict[str, Any]:
    """The valid body with each of the action's fields kept, dropped, or given any value (a huge
    string now and then), and junk keys added."""
    body: dict[str, Any] = {}
    for name in sorted(fields | set(valid)):
        fate = draw(st.sampled_from(["keep", "keep", "keep", "drop", "junk", "junk", "text", "huge"]))
        if fate == "keep" and name in valid:
            body[name] = valid[name]
        elif fate == "junk":
            body[name] = draw(json_values)
        elif fate == "text":
            body[name] = draw(hostile_text)
        elif fate == "huge":
            body[name] = HUGE
    body.update(draw(st.dictionaries(st.text(max_size=8), json_values, max_size=2)))
    return body


def run_move(stage: Stage, move: Move, body: bytes, *, content_type: str = "application/json") -> Any:
    client = stage.clients[move.user]
    return client.generic("POST", stage.path(move), body, content_type=content_type)


def check_answer(response: Any, move: Move, before: dict[str, Any], *, parsed: bool = True) -> None:
    """Done, or refused in the API's shape with nothing written. `parsed=False` for a body that is
    not JSON: DRF's parse error has no field and is worded in English (a property of its own below)."""
    event(f"answered {response.status_code}")
    assert response.status_code in (200, 201, 400, 403, 409, 415), (response.status_code, response.content[:2000])
    if response.status_code in (400, 403, 409, 415):
        body = assert_api_error_shape(response, fields=set(move.fields), chinese_detail=parsed)
        if response.status_code == 400 and parsed:
            assert body["errors"], body
        assert db_state() == before, state_diff(before, db_state())


moves = {**{f"suggestion {name}": move for name, move in SUGGESTION_MOVES.items()}}
moves.update({f"issue {name}": move for name, move in ISSUE_MOVES.items()})
WITH_INPUT = sorted(name for name, move in moves.items() if move.fields)


@budget(150)
@given(data=st.data())
def test_every_action_refuses_bad_input_by_field_and_writes_nothing(stage, data):
    name = data.draw(st.sampled_from(sorted(moves)), label="move")
    move = moves[name]
    body = data.draw(near(move.valid(stage), move.fields), label="body")
    with isolated():
        before = db_state()

        # when the action is called with the body
        response = run_move(stage, move, json_bytes(body))

        # then: done, or refused in the API's shape with nothing written
        check_answer(response, move, before)


@budget(40)
@given(data=st.data())
def test_every_action_answers_a_body_that_is_not_json_without_a_server_error(stage, data):
    name = data.draw(st.sampled_from(sorted(moves)), label="move")
    move = moves[name]
    body = data.draw(not_json.filter(lambda body: not json_value_of(body)[0]), label="body")
    content_type = data.draw(st.sampled_from(["application/json", "text/plain", "application/x-www-form-urlencoded"]))
    with isolated():
        before = db_state()
        response = run_move(stage, move, body, content_type=content_type)
        # the parse error's wording is DRF's (English): its language has a property of its own
        check_answer(response, move, before, parsed=content_type != "application/json")


@budget(15)
@given(
    name=st.sampled_from(WITH_INPUT),
    body=st.one_of(
        # not b"": the test client then sends no body at all, which DRF reads as {} (a move with only
        # optional fields is then a valid call, like the moves that take no input)
        st.sampled_from([b"{", b"[1,", b"\xff"]),
        st.sampled_from([None, [], [1, 2], "text", 0, True]).map(json_bytes),
    ),
)
def test_a_body_that_is_not_a_json_object_is_refused_in_chinese(stage, name, body):
    move = moves[name]
    with isolated():
        before = db_state()

        # when the action is called with a body that is not a JSON object (or not JSON)
        response = run_move(stage, move, body)

        # then it is refused as bad input, in Chinese, and nothing is written
        assert response.status_code == 400, (response.status_code, response.content[:500])
        assert_api_error_shape(response)
        assert db_state() == before, state_diff(before, db_state())


@budget(3)
@given(value=lone_surrogates)
def test_a_lone_surrogate_in_any_field_is_refused_never_a_server_error(stage, value):
    """JSON may carry "\\ud800"; text with it cannot be stored or sent back as UTF-8. Every field of
    every action is tried with the same value; the failure lists every (action, field) at fault."""
    faults = []
    for name in WITH_INPUT:
        move = moves[name]
        stage.clients[move.user].raise_request_exception = False
        for field_name in sorted(move.fields):
            body = {**move.valid(stage), field_name: value}
            with isolated():
                before = db_state()

                # when one field of a valid body holds a lone surrogate
                response = run_move(stage, move, json_bytes(body))

                # then it is refused, by that field, and nothing is written
                if response.status_code != 400:
                    faults.append((name, field_name, response.status_code))
                    continue
                assert set(assert_api_error_shape(response)["errors"]) == {field_name}
                assert db_state() == before, state_diff(before, db_state())
    assert faults == [], faults


@budget(5)
@given(photo=damaged_photos().filter(verified_but_unreadable))
def test_a_damaged_photo_recorded_by_staff_is_refused_never_a_server_error(stage, photo):
    """The staff's record action takes photos too (multipart): a damaged one is a field error."""
    body = {
        "channel": "visit",
        "content": "群众反映路灯不亮。",
        "station": stage.world.a.station.pk,
        "photos": [SimpleUploadedFile("damaged.jpg", photo, content_type="image/jpeg")],
    }
    with isolated():
        before = db_state()
        response = stage.clients["office"].post(API + "issues/", body)
        assert response.status_code == 400, response.status_code
        assert set(assert_api_error_shape(response)["errors"]) == {"photos"}
        assert db_state() == before, state_diff(before, db_state())
