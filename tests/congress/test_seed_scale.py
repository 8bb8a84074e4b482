"""`manage.py seed_scale` and `congress.scale.build`: scale data consistent as the services leave it.

The tiny build runs once for the module inside one transaction that is rolled back at the end; the
tests that build again (focus rows, the command) run in their own rolled-back transaction on top.
"""

import datetime
import io
import json
from collections import defaultdict
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.db.models import Count, F, Q, UniqueConstraint
from django.utils import timezone

from congress.calendar import add_months, add_working_days
from congress.models import Congress, Session
from congress.roles import Role
from congress.scale.build import MODELS, build
from congress.scale.progress import Progress
from congress.scale.sizes import Sizes
from deputies.models import ActivityRecord, Deputy
from liaison_stations.models import IssueAnswer, IssueRules, PublicIssue, Station
from liaison_stations.selectors.public import deputy_for_code, intake_congress, intake_station
from suggestions.choices import AssignmentRole, AssignmentStatus, Rating, SuggestionStatus, SupervisionTrigger
from suggestions.models import (
    Assignment,
    HandlingRound,
    Reply,
    Suggestion,
    SuggestionCounter,
    SuggestionEvent,
    SupervisionCase,
)

TINY = Sizes.tiny()
TODAY = datetime.date(2026, 11, 26)  # the story's present: the same data whatever day the tests run
MANIFEST_KEYS = {
    "sizes",
    "seconds",
    "database",
    "focus_congress_id",
    "accounts",
    "password",
    "detail_suggestion_id",
    "detail_assignment_id",
    "qr_code",
    "tracking_code",
    "rows",
}
# The pages each role may open (200); the other pages of the list are not theirs.
PAGES = ["/portal/", "/portal/suggestions/", "/desk/assignments/", "/dashboard/"]
ALLOWED = {
    "bench_admin": {"/desk/assignments/", "/dashboard/"},
    "bench_office": {"/dashboard/"},
    "bench_leader": {"/dashboard/"},
    "bench_committee": {"/desk/committee/"},
    "bench_deputy": {"/portal/", "/portal/suggestions/"},
    "bench_deputy_small": {"/portal/", "/portal/suggestions/"},
    "bench_unit": {"/desk/assignments/"},
    "bench_unit_small": {"/desk/assignments/"},
    "bench_station": {"/desk/stations/issues/"},
    "bench_station_small": {"/desk/stations/issues/"},
}


@pytest.fixture(scope="module")
def tiny(django_db_setup, django_db_blocker) -> Any:
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield build(TINY, seed=7, today=TODAY)
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


pytestmark = pytest.mark.django_db


def account(manifest: dict[str, Any], username: str) -> dict[str, Any]:
    return next(entry for entry in manifest["accounts"] if entry["username"] == username)


# --- what was asked for ----------------------------------------------------------------------------


def test_counts_are_as_asked(tiny):
    # given the tiny build
    # then each table has the rows asked for, and the manifest says what each table got
    assert Congress.objects.count() == TINY.congresses
    assert Deputy.objects.count() == TINY.deputies
    assert Suggestion.objects.count() == TINY.suggestions
    assert PublicIssue.objects.count() == TINY.issues
    assert Station.objects.count() == TINY.stations
    for model in MODELS:
        assert tiny["rows"].get(model._meta.db_table, 0) == model.objects.count(), model.__name__
    assert set(tiny) >= MANIFEST_KEYS
    assert tiny["sizes"] == TINY.as_dict()


def test_every_unique_constraint_and_foreign_key_holds(tiny):
    # given the tiny build
    # then no unique field or unique constraint has a duplicate, and every foreign key points at a row
    for model in MODELS:
        manager = model._base_manager
        for field in model._meta.concrete_fields:
            if field.unique and not field.primary_key:
                duplicates = (
                    manager.exclude(**{field.attname: None})
                    .values(field.attname)
                    .annotate(n=Count("pk"))
                    .filter(n__gt=1)
                )
                assert not duplicates.exists(), f"{model.__name__}.{field.name}"
        for constraint in model._meta.constraints:
            if isinstance(constraint, UniqueConstraint):
                rows = manager.filter(constraint.condition) if constraint.condition is not None else manager.all()
                duplicates = rows.values(*constraint.fields).annotate(n=Count("pk")).filter(n__gt=1)
                assert not duplicates.exists(), constraint.name
    connection.check_constraints(table_names=[model._meta.db_table for model in MODELS])
    assert not Assignment.objects.filter(due_on__lte=F("assigned_on")).exists()


def test_numbers_are_gap_free_per_session_and_the_counters_hold_the_last(tiny):
    # given the tiny build
    numbers: dict[tuple[int, int], list[int]] = defaultdict(list)
    for congress_id, session_id, number in Suggestion.objects.values_list("congress_id", "session_id", "number"):
        numbers[(congress_id, session_id)].append(number)
    counters = {(c.congress_id, c.session_id): c.last_number for c in SuggestionCounter.objects.all()}
    # then each session's numbers are 1..n in submission order, and its counter says n
    for key, given in numbers.items():
        assert sorted(given) == list(range(1, len(given) + 1))
        assert counters[key] == len(given)
    assert set(counters) == set(numbers)
    for session_id in {session for _congress, session in numbers}:
        ordered = list(Suggestion.objects.filter(session_id=session_id).order_by("submitted_at", "pk"))
        assert [s.number for s in ordered] == list(range(1, len(ordered) + 1))


def test_assignment_fields_are_what_the_services_would_set(tiny):
    # given every assignment with its rounds, replies and evaluations
    assignments = Assignment.objects.prefetch_related("rounds", "replies__evaluation", "replies__round")
    checked = 0
    for assignment in assignments:
        rounds = sorted(assignment.rounds.all(), key=lambda r: r.number)
        replies = sorted(
            (r for r in assignment.replies.all() if not r.is_follow_up), key=lambda r: (r.round.number, r.pk)
        )
        # then the kept fields equal a recomputation from those rows
        if assignment.role == AssignmentRole.CO:
            assert assignment.due_on == add_working_days(add_months(assignment.assigned_on, 1), 0)
            assert not rounds
            assert not replies
            assert assignment.first_replied_on is None
            assert assignment.reply_class_id is None
            assert assignment.rating == ""
            continue
        assert [r.number for r in rounds] == list(range(1, len(rounds) + 1))
        assert rounds[0].opened_on == assignment.assigned_on
        assert rounds[0].due_on == assignment.original_due_on
        assert assignment.original_due_on == add_working_days(add_months(assignment.assigned_on, 3), 0)
        assert assignment.latest_due_on == add_working_days(add_months(assignment.assigned_on, 6), 0)
        assert assignment.adjustment_deadline == add_working_days(assignment.assigned_on, 5)
        assert assignment.due_on == rounds[-1].due_on
        if not replies:
            assert assignment.first_replied_on is None
            assert assignment.first_reply_due_on is None
            assert assignment.replied_on is None
            assert assignment.reply_class_id is None
            assert assignment.rating == ""
            assert assignment.status in {AssignmentStatus.ASSIGNED, AssignmentStatus.SIGNED}
            continue
        first, last = replies[0], replies[-1]
        assert assignment.first_replied_on == first.replied_on
        assert assignment.first_reply_due_on == first.round.due_on
        assert assignment.replied_on == last.replied_on
        assert assignment.reply_class_id == last.reply_class_id
        evaluation = getattr(last, "evaluation", None)
        assert assignment.rating == (evaluation.result if evaluation else "")
        current = last.round_id == rounds[-1].pk
        assert assignment.status == (AssignmentStatus.REPLIED if current else AssignmentStatus.ASSIGNED)
        for reply in replies:
            assert reply.evaluation_due_on == add_working_days(reply.replied_on, 20)
        checked += 1
    assert checked


def test_statuses_match_the_timelines(tiny):
    # given the events of every suggestion and assignment, in the order of the timeline
    last_suggestion: dict[int, str] = {}
    last_assignment: dict[int, str] = {}
    moments: dict[int, Any] = {}
    for event in SuggestionEvent.objects.order_by("suggestion_id", "created_at", "pk"):
        assert moments.get(event.suggestion_id, event.created_at) <= event.created_at
        moments[event.suggestion_id] = event.created_at
        if event.to_status and event.assignment_id is None:
            last_suggestion[event.suggestion_id] = event.to_status
        elif event.to_status:
            last_assignment[event.assignment_id] = event.to_status
    # then each row's status is where its last move took it
    for pk, status in Suggestion.objects.values_list("pk", "status"):
        assert last_suggestion[pk] == status
    for pk, status in Assignment.objects.values_list("pk", "status"):
        assert last_assignment.get(pk, AssignmentStatus.ASSIGNED) == status
    for issue in PublicIssue.objects.prefetch_related("events", "answers"):
        events = sorted(issue.events.all(), key=lambda e: (e.created_at, e.pk))
        assert events[0].action == "submit"
        assert events[-1].to_status == issue.status
        assert issue.intake_notified_at is not None
        assert (len(issue.answers.all()) > 0) == (issue.answered_at is not None)
    # and the statuses are spread as asked: most closed, this year's at several steps
    assert Suggestion.objects.filter(status=SuggestionStatus.CLOSED).count() > TINY.suggestions / 3
    assert PublicIssue.objects.filter(status="closed").count() > TINY.issues / 2


def test_due_dates_follow_the_rules_and_calendar(tiny):
    # given the issues being handled: the due date of their tier from the day of their last move
    rules = IssueRules()
    for issue in PublicIssue.objects.filter(status="handling").prefetch_related("events"):
        last_move = max(issue.events.all(), key=lambda e: (e.created_at, e.pk))
        day = timezone.localtime(last_move.created_at).date()
        assert issue.due_on == add_working_days(day, rules.days_for_tier(issue.tier))
    # and every unsatisfied first rating opened round 2 with one supervision case
    unsatisfied = Reply.objects.filter(evaluation__result=Rating.UNSATISFIED, round__number=1)
    for reply in unsatisfied:
        second = HandlingRound.objects.get(assignment_id=reply.assignment_id, number=2)
        case = SupervisionCase.objects.get(round=second)
        assert case.trigger == SupervisionTrigger.UNSATISFIED
        assert case.evaluation_id == reply.evaluation.pk
        assert second.due_on == add_working_days(add_months(second.opened_on, 1), 0)


def test_duty_record_counts_each_submission(tiny):
    # given the tiny build
    # then each submitted suggestion wrote its lead deputy's act, once
    acts = set(
        ActivityRecord.objects.filter(source_key__startswith="suggestion:").values_list("source_key", "deputy_id")
    )
    assert acts == {
        (f"suggestion:{pk}", deputy) for pk, deputy in Suggestion.objects.values_list("pk", "lead_deputy_id")
    }


# --- the bench accounts and pages ------------------------------------------------------------------


def test_bench_accounts_open_their_pages(tiny, client):
    # given each bench account, logged in
    user_model = get_user_model()
    for entry in tiny["accounts"]:
        user = user_model.objects.get(username=entry["username"])
        assert user.check_password(tiny["password"])
        client.force_login(user)
        # when it opens the pages of the list and its role's own
        # then what its role allows answers 200
        for page in sorted(set(PAGES) | ALLOWED[entry["username"]]):
            status = client.get(page).status_code
            if page in ALLOWED[entry["username"]]:
                assert status == 200, (entry["username"], page)
            else:
                assert status in {403, 404}, (entry["username"], page)
        client.logout()


def test_bench_lists_and_detail_pages(tiny, client):
    # given the focus congress's bench deputy, unit and station
    user_model = get_user_model()
    deputy = account(tiny, "bench_deputy")
    unit = account(tiny, "bench_unit")
    station = account(tiny, "bench_station")
    assert Suggestion.objects.filter(lead_deputy_id=deputy["deputy_id"]).count() == TINY.focus_rows
    assert Suggestion.objects.filter(lead_deputy_id=account(tiny, "bench_deputy_small")["deputy_id"]).count() == 2
    assert Assignment.objects.filter(unit_id=unit["unit_id"]).live().awaiting_reply().count() == TINY.focus_rows
    assert PublicIssue.objects.filter(station_id=station["station_id"]).count() == TINY.focus_rows
    detail = Suggestion.objects.get(pk=tiny["detail_suggestion_id"])
    actions = set(detail.events.values_list("action", flat=True))
    assert {"submit", "accept", "assign", "sign", "reply", "evaluate", "close"} <= actions
    # when they open their detail pages
    client.force_login(user_model.objects.get(username="bench_deputy"))
    assert client.get(f"/portal/suggestions/{detail.pk}/").status_code == 200
    client.force_login(user_model.objects.get(username="bench_unit"))
    assert client.get(f"/desk/assignments/{tiny['detail_assignment_id']}/").status_code == 200
    client.force_login(user_model.objects.get(username="bench_station"))
    assert client.get("/desk/stations/issues/").status_code == 200


def test_qr_intake_and_tracking_pages(tiny, client):
    # given the manifest's QR code and tracking code
    deputy = deputy_for_code(code=tiny["qr_code"])
    # then the code's deputy takes QR issues in the focus congress at a station there, unthrottled
    assert deputy is not None
    congress = intake_congress(deputy)
    assert congress.pk == tiny["focus_congress_id"]
    assert intake_station(deputy, congress).pk == tiny["qr_station_id"]
    assert IssueRules.objects.get(congress_id=congress.pk).intake_per_hour == 32767
    # and the intake page and the tracking page open
    assert client.get(f"/q/{tiny['qr_code']}").status_code == 200
    issue = PublicIssue.objects.get(tracking_code=tiny["tracking_code"])
    assert IssueAnswer.objects.filter(issue=issue).exists()
    assert issue.events.count() >= 3
    assert client.get(f"/track/{tiny['tracking_code']}").status_code == 200


# --- building again --------------------------------------------------------------------------------


def test_focus_rows_fill_the_bench_lists(tiny):
    # given a second set (forced) with 2000 focus rows
    sizes = Sizes.tiny(focus_rows=2000)
    # when it is built
    manifest = build(sizes, seed=3, force=True)
    # then the bench deputy leads 2000 suggestions, the bench unit has 2000 open items and the
    # bench station 2000 issues
    deputy = account(manifest, "bench_deputy")["deputy_id"]
    unit = account(manifest, "bench_unit")["unit_id"]
    station = account(manifest, "bench_station")["station_id"]
    assert Suggestion.objects.filter(lead_deputy_id=deputy).count() == 2000
    assert Assignment.objects.filter(unit_id=unit).live().awaiting_reply().count() == 2000
    assert Assignment.objects.filter(unit_id=unit).live().count() == 2000
    assert PublicIssue.objects.filter(station_id=station).count() == 2000
    user = get_user_model().objects.get(username="bench_deputy")
    assert Deputy.objects.get(user=user).pk == deputy


def test_the_command_refuses_a_database_with_data(tiny, tmp_path):
    # given the tiny build's suggestions and issues
    # when the command runs without --force
    # then it refuses and writes nothing
    with pytest.raises(CommandError, match="--force"):
        call_command(
            "seed_scale", "--small", "--no-progress", "--manifest", str(tmp_path / "m.json"), stdout=io.StringIO()
        )
    assert not (tmp_path / "m.json").exists()


def test_the_command_prints_the_stage_table_and_writes_the_manifest(tiny, tmp_path):
    # given a forced run of tiny sizes
    out, err = io.StringIO(), io.StringIO()
    options = ["--deputies", "120", "--congresses", "5", "--suggestions", "60", "--issues", "40", "--stations", "6"]
    # when the command runs
    call_command(
        "seed_scale",
        *options,
        "--focus-rows",
        "2",
        "--force",
        "--manifest",
        str(tmp_path / "bench" / "manifest.json"),
        stdout=out,
        stderr=err,
    )
    # then it prints the stage table with the total, and the manifest has what benchmarks need
    output = out.getvalue()
    for stage in ("stage", "seconds", "total", "organisation", "deputies", "stations", "suggestions", "issues"):
        assert stage in output
    assert "suggestions" in err.getvalue()  # one line per stage on a stream that is not a terminal
    manifest = json.loads((tmp_path / "bench" / "manifest.json").read_text(encoding="utf-8"))
    assert set(manifest) >= MANIFEST_KEYS
    assert manifest["sizes"]["suggestions"] == 60
    assert {entry["username"] for entry in manifest["accounts"]} == set(ALLOWED)
    assert {entry["role"] for entry in manifest["accounts"]} == {role.value for role in Role}


def test_impossible_sizes_are_refused():
    # given sizes with too few suggestions for the focus rows
    # then the build refuses them in words
    with pytest.raises(ValueError, match="--suggestions"):
        build(Sizes.tiny().replace(suggestions=5), force=True)


def test_progress_draws_on_a_terminal_and_keeps_the_table():
    # given a progress bar on a terminal
    stream = io.StringIO()
    progress = Progress(stream, tty=True)
    # when a stage runs
    with progress.stage("suggestions", 10) as stage:
        stage.advance(10)
        stage.rows = 42
    # then the line is redrawn in place and the table has the stage and the total
    assert stream.getvalue().startswith("\r")
    assert "42" in progress.table()
    assert "total" in progress.table()
    silent = io.StringIO()
    with Progress(silent, enabled=False).stage("issues", 1):
        pass
    assert silent.getvalue() == ""


def test_sessions_start_the_current_terms(tiny):
    # given the tiny build
    # then every congress has one session a year from its term's start to this year
    this_year = TODAY.year
    for congress in Congress.objects.all():
        years = sorted(Session.objects.filter(congress=congress).values_list("start_date__year", flat=True))
        assert years[0] in {2022, 2023}
        assert years == list(range(years[0], this_year + 1))
    assert not Suggestion.objects.filter(~Q(status=SuggestionStatus.WITHDRAWN), number__isnull=True).exists()
