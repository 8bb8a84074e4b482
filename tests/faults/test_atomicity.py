"""A database error in the middle of a service leaves nothing half-written: the database refuses one
of the later writes of a multi-write move (the supervision case of a 不满意 rating, the second round,
the duty record of a submission, the event of an assignment, the outbox row of a notice, the event
or the photo of a citizen's intake …), and afterwards no row of the earlier writes remains — every
table of the workflow apps is exactly as before, statuses included. Run again without the fault, the
move succeeds once."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.cache import cache
from django.db import DatabaseError, OperationalError, connection
from django.test import Client
from django.urls import reverse

from liaison_stations.choices import Channel, IssueStatus
from liaison_stations.models import IssuePhoto, PublicIssue
from liaison_stations.services import issues
from suggestions import services
from suggestions.choices import Rating, SuggestionStatus
from suggestions.models import Assignment, Evaluation, SupervisionCase
from tests.faults.conftest import changed_tables, snapshot
from tests.liaison_stations.factories_public import PublicIssueFactory, StationDeputyFactory, image_upload
from tests.suggestions.conftest import ASSIGNED_ON, reload

pytestmark = pytest.mark.django_db

PHONE = {"HTTP_USER_AGENT": "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Mobile/15E148"}
MESSAGE = {
    "content": "小区门口的路灯坏了两个星期，晚上老人出门不安全。",
    "location": "桃花仑路 3 号门口",
    "citizen_name": "王秀英",
    "citizen_phone": "139 1234 0044",
    "consent": "on",
}


@contextmanager
def database_fails_on(statement: str) -> Iterator[list[str]]:
    """The database answers an error to every statement that starts with `statement` (as when the
    server goes away mid-transaction); yields the statements it refused."""
    refused: list[str] = []

    def fail(execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
        if sql.lstrip().startswith(statement):
            refused.append(sql)
            raise OperationalError("server closed the connection unexpectedly")
        return execute(sql, params, many, context)

    with connection.execute_wrapper(fail):
        yield refused


def insert(table: str) -> str:
    return f'INSERT INTO "{table}"'


@dataclass
class Move:
    run: Callable[[], Any]  # the move; raises, or answers a response (a page)
    done: Callable[[], bool]  # whether it has taken effect (once)


@dataclass
class Case:
    name: str
    statement: str
    prepare: Callable[[Callable[[str], Any]], Move]  # given the fixtures, the move
    page: bool = False  # the move is a request: a refused write answers 500


def _rate_unsatisfied(fixture: Callable[[str], Any]) -> Move:
    flow = fixture("flow")
    suggestion, reply = flow.replied()
    return Move(
        run=lambda: flow.rate(reply, Rating.UNSATISFIED),
        done=lambda: (
            Evaluation.objects.filter(reply=reply).count() == 1
            and SupervisionCase.objects.filter(suggestion=suggestion).count() == 1
            and reload(suggestion).status == SuggestionStatus.ASSIGNED
        ),
    )


def _submit(fixture: Callable[[str], Any]) -> Move:
    flow = fixture("flow")
    draft = flow.draft()
    return Move(
        run=lambda: flow.submit(draft),
        done=lambda: (reload(draft).status, reload(draft).number) == (SuggestionStatus.SUBMITTED, 1),
    )


def _assign(fixture: Callable[[str], Any]) -> Move:
    flow = fixture("flow")
    suggestion = flow.accepted()
    return Move(
        run=lambda: services.suggestion_assign(
            suggestion=suggestion,
            actor=flow.office_user,
            lead_units=[flow.lead_unit],
            co_units=[flow.co_unit],
            on=ASSIGNED_ON,
        ),
        done=lambda: (
            reload(suggestion).status == SuggestionStatus.ASSIGNED
            and Assignment.objects.filter(suggestion=suggestion).count() == 2
        ),
    )


def _issue_screen(fixture: Callable[[str], Any]) -> Move:
    world, station_user = fixture("world"), fixture("station_user")
    issue = issues.issue_submit(
        congress=world.a.congress,
        channel=Channel.VISIT,
        content="菜市场门口积水",
        station=world.a.station,
        actor=station_user,
    )
    return Move(
        run=lambda: issues.issue_screen(
            issue=issue, actor=station_user, accept=True, tier=3, handling_unit=world.a.unit
        ),
        done=lambda: PublicIssue.objects.filter(
            pk=issue.pk, status=IssueStatus.HANDLING, handling_unit=world.a.unit
        ).exists(),
    )


def _issue_assign(fixture: Callable[[str], Any]) -> Move:
    world, station_user = fixture("world"), fixture("station_user")
    issue = PublicIssueFactory(station=world.a.station, status=IssueStatus.HANDLING, tier=3)
    return Move(
        run=lambda: issues.issue_assign(issue=issue, actor=station_user, handling_unit=world.a.unit),
        done=lambda: PublicIssue.objects.filter(pk=issue.pk, handling_unit=world.a.unit).exists(),
    )


def _intake_page(fixture: Callable[[str], Any]) -> Move:
    world, deputy_user = fixture("world"), fixture("deputy_user")
    StationDeputyFactory(station=world.a.station, deputy=deputy_user.deputy)
    issues.issue_rules_for(world.a.congress.pk)  # the congress's rules exist (the page reads its limit there)
    url = reverse("liaison_stations:intake", args=[deputy_user.deputy.public_code])
    client = Client(raise_request_exception=False)

    def send() -> Any:
        return client.post(url, {**MESSAGE, "photos": [image_upload("a.jpg")]}, REMOTE_ADDR="10.0.0.9", **PHONE)

    return Move(
        run=send,
        done=lambda: PublicIssue.objects.count() == 1 and IssuePhoto.objects.count() == 1,
    )


CASES = [
    Case("rate unsatisfied: the supervision case", insert("suggestions_supervisioncase"), _rate_unsatisfied),
    Case("rate unsatisfied: the second round", insert("suggestions_handlinground"), _rate_unsatisfied),
    Case("rate unsatisfied: the notice's outbox row", insert("congress_outboxmessage"), _rate_unsatisfied),
    Case("submit: the duty record", insert("deputies_activityrecord"), _submit),
    Case("assign units: the event", insert("suggestions_suggestionevent"), _assign),
    Case("assign units: the notice's outbox row", insert("congress_outboxmessage"), _assign),
    Case("issue assigned to a unit: the outbox row", insert("congress_outboxmessage"), _issue_assign),
    Case("issue screened to a unit: the event", insert("liaison_stations_issueevent"), _issue_screen),
    Case("issue screened to a unit: the outbox row", insert("congress_outboxmessage"), _issue_screen),
    Case("citizen's intake page: the event", insert("liaison_stations_issueevent"), _intake_page, page=True),
    Case("citizen's intake page: the photo", insert("liaison_stations_issuephoto"), _intake_page, page=True),
]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()  # the intake page's per-address limit
    yield
    cache.clear()


@pytest.mark.django_db(transaction=True)  # commits and rollbacks as in production (no test transaction)
@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_a_database_error_mid_service_leaves_nothing_half_written(request, case):
    # given the state before the move
    move = case.prepare(request.getfixturevalue)
    before = snapshot()

    # when the database refuses one of the move's later writes
    with database_fails_on(case.statement) as refused:
        if case.page:
            assert move.run().status_code == 500
        else:
            with pytest.raises(DatabaseError):
                move.run()

    # then the fault hit, and no table of the workflow apps changed: no row of the earlier writes
    # remains and every status is as it was
    assert len(refused) == 1
    assert changed_tables(before, snapshot()) == []
    assert not move.done()

    # and once the database answers again the same move succeeds, once
    outcome = move.run()
    if case.page:
        assert outcome.status_code == 302
    assert move.done()


@pytest.mark.django_db(transaction=True)
def test_a_failed_intake_leaves_no_photo_on_disk(request, settings):
    # given the intake page of a deputy
    move = _intake_page(request.getfixturevalue)
    media = settings.MEDIA_ROOT

    # when the database refuses the event, after the photo row was written
    with database_fails_on(insert("liaison_stations_issueevent")):
        assert move.run().status_code == 500

    # then no file of the citizen's photo stays behind without its row
    assert not IssuePhoto.objects.exists()
    assert [path.name for path in media.rglob("*") if path.is_file()] == []
