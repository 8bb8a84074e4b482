"""Build the scale data in one transaction and return its manifest (what benchmarks need to know).

Stages: the working calendar, the organisation, the bench accounts, deputies, stations, suggestions,
citizens' issues, then the indexes and foreign keys put back and the sequences reset, and (on
PostgreSQL, after the commit) fresh planner statistics. See `congress.scale` for what is made.
"""

from __future__ import annotations

import datetime
import gc
import random
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone, translation

from congress.models import Committee, Congress, HandlingUnit, Session, SubjectCategory, Term
from congress.services import calendar_load_official
from deputies.models import ActivityRecord, ActivityType, Delegation, Deputy, DutyRules, Mandate
from liaison_stations.models import Block, IssueAnswer, IssueEvent, IssueRules, PublicIssue, Station, StationDeputy
from suggestions.models import (
    Assignment,
    CoUnitOpinion,
    Evaluation,
    HandlingRound,
    HandlingRules,
    Reply,
    ReplyClass,
    Suggestion,
    SuggestionCounter,
    SuggestionEvent,
    SupervisionCase,
)

from .dates import TZ, WorkingCalendar
from .issues import IssueMaker
from .org import build_organisation
from .people import BENCH_ACCOUNTS, build_accounts, build_deputies
from .progress import Progress, Stage
from .sizes import Sizes
from .stations import build_stations
from .suggestions import SuggestionMaker
from .world import World
from .writer import Writer

DEFAULT_PASSWORD = "bench-2026"  # noqa: S105 - the documented password of the bench accounts
# Every table the writer fills (their foreign keys and secondary indexes are set aside while loading).
MODELS = [
    Congress,
    Term,
    Session,
    Committee,
    SubjectCategory,
    HandlingUnit,
    HandlingRules,
    ReplyClass,
    IssueRules,
    DutyRules,
    ActivityType,
    Delegation,
    Deputy,
    Mandate,
    Station,
    Block,
    StationDeputy,
    Suggestion,
    SuggestionCounter,
    Assignment,
    HandlingRound,
    Reply,
    Evaluation,
    SupervisionCase,
    CoUnitOpinion,
    SuggestionEvent,
    ActivityRecord,
    PublicIssue,
    IssueAnswer,
    IssueEvent,
]


class AlreadySeeded(Exception):
    """The database has suggestions or citizens' issues already."""


def ensure_empty() -> None:
    if Suggestion.objects.exists() or PublicIssue.objects.exists():
        raise AlreadySeeded(
            "This database already has suggestions or citizens' issues. seed_scale is meant for a dedicated, "
            "freshly migrated database; use --force to add a second set anyway."
        )


def build(
    sizes: Sizes,
    *,
    seed: int = 1,
    password: str = DEFAULT_PASSWORD,
    progress: Progress | None = None,
    force: bool = False,
    today: datetime.date | None = None,
) -> dict[str, Any]:
    """Make the data of `sizes` and return the manifest. Refuses (`AlreadySeeded`) a database that
    has suggestions or issues unless `force`; `ValueError` for impossible sizes."""
    problems = sizes.problems()
    if problems:
        raise ValueError(" ".join(problems))
    if not force:
        ensure_empty()
    progress = progress or Progress(enabled=False)
    collecting = gc.isenabled()
    gc.disable()  # millions of short-lived tuples; nothing here makes reference cycles worth chasing
    try:
        with translation.override(settings.LANGUAGE_CODE):
            return _build(sizes, seed=seed, password=password, progress=progress, today=today)
    finally:
        if collecting:
            gc.enable()


def _build(
    sizes: Sizes, *, seed: int, password: str, progress: Progress, today: datetime.date | None
) -> dict[str, Any]:
    now = timezone.now().astimezone(TZ)
    if today is not None and today != now.date():
        now = datetime.datetime.combine(today, datetime.time(18, 0), tzinfo=TZ)
    today = now.date()
    with progress.stage("calendar") as stage:
        stage.advance(calendar_load_official())
    writer = Writer(connection)
    writer.now = now
    world = World(
        sizes=sizes,
        rng=random.Random(seed),  # noqa: S311 - benchmark data, the same for the same seed
        writer=writer,
        calendar=WorkingCalendar(datetime.date(today.year - 6, 1, 1), datetime.date(today.year + 3, 12, 31)),
        now=now,
        today=today,
        password=password,
    )

    def run(name: str, total: int, make: Callable[[Stage], Any]) -> None:
        """One stage: its rows are everything the writer wrote meanwhile."""
        with progress.stage(name, total) as stage:
            before = sum(writer.rows.values())
            make(stage)
            writer.flush()
            if not stage.done:
                stage.advance(total)
            stage.rows = sum(writer.rows.values()) - before

    with transaction.atomic():
        writer.prepare(MODELS)
        run("organisation", sizes.congresses, lambda stage: build_organisation(world))
        with progress.stage("accounts", len(BENCH_ACCOUNTS)) as stage:
            stage.advance(build_accounts(world))
        run("deputies", sizes.deputies, lambda stage: build_deputies(world))
        run("stations", sizes.stations, lambda stage: build_stations(world))
        run("suggestions", sizes.suggestions, SuggestionMaker(world).run)
        run("issues", sizes.issues, IssueMaker(world).run)
        with progress.stage("constraints", len(MODELS)) as stage:
            writer.finish()
            stage.advance(len(MODELS))
            stage.rows = 0
    with progress.stage("analyze", len(MODELS)) as stage:
        writer.analyze()
        stage.advance(len(MODELS))
        stage.rows = 0
    return _manifest(world, progress, seed)


def _manifest(world: World, progress: Progress, seed: int) -> dict[str, Any]:
    focus = world.the_focus
    bench, users = world.bench, world.users
    roles = {username: str(role) for username, _label, role in BENCH_ACCOUNTS}
    sizes = world.sizes
    targets: dict[str, dict[str, Any]] = {
        "bench_deputy": {"deputy_id": bench["deputies"]["bench_deputy"], "suggestions": sizes.focus_rows},
        "bench_deputy_small": {"deputy_id": bench["deputies"]["bench_deputy_small"], "suggestions": 2},
        "bench_unit": {"unit_id": bench["units"]["bench_unit"], "open_assignments": sizes.focus_rows},
        "bench_unit_small": {"unit_id": bench["units"]["bench_unit_small"], "open_assignments": 2},
        "bench_station": {"station_id": bench["stations"]["bench_station"], "issues": sizes.focus_rows},
        "bench_station_small": {"station_id": bench["stations"]["bench_station_small"], "issues": 2},
        "bench_office": {"committee_id": focus.committees["deputy_affairs"]},
        "bench_committee": {"committee_id": focus.committees["education"]},
    }
    accounts = [
        {"username": username, "user_id": users[username], "role": roles[username], **targets.get(username, {})}
        for username, _label, _role in BENCH_ACCOUNTS
    ]
    return {
        "sizes": sizes.as_dict(),
        "seed": seed,
        "database": connection.vendor,
        "today": world.today.isoformat(),
        "seconds": {result.name: round(result.seconds, 2) for result in progress.results},
        "total_seconds": round(progress.total_seconds, 2),
        "focus_congress_id": focus.id,
        "focus_congress": focus.name,
        "password": world.password,
        "accounts": accounts,
        "detail_suggestion_id": world.manifest.get("detail_suggestion_id"),
        "detail_assignment_id": world.manifest.get("detail_assignment_id"),
        # The same pages for the accounts with 2 rows (bench/pages.py compares their queries).
        "small_detail_suggestion_id": Suggestion.objects.filter(lead_deputy_id=bench["deputies"]["bench_deputy_small"])
        .order_by("pk")
        .values_list("pk", flat=True)
        .first(),
        "small_detail_assignment_id": Assignment.objects.filter(unit_id=bench["units"]["bench_unit_small"])
        .order_by("pk")
        .values_list("pk", flat=True)
        .first(),
        "qr_code": world.manifest.get("qr_code"),
        "qr_station_id": bench["qr_station"],
        "tracking_code": world.manifest.get("tracking_code"),
        "rows": dict(sorted(world.writer.rows.items())),
    }
