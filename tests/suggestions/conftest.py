"""Fixtures of the suggestion workflow: a second deputy to co-sign, a co-handling unit and its staff,
and `flow`, which drives a suggestion through the services to the state a test starts from.

Helpers for the workflow rules of the house style ("every allowed move writes one event; every
forbidden move raises and writes nothing"): `recorded_events()` collects the events a move wrote,
`db_state()` dumps every row of the suggestion app, and the `writes_nothing` fixture checks a
refused move left no row, no change and no queued notification behind.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.apps import apps
from django.db import connection
from django.db.models import Max

from congress.models import Notification
from congress.roles import Role
from congress.services import user_assign_role
from deputies.choices import MandateStatus
from suggestions import services
from suggestions.choices import AssignmentMode, Rating
from suggestions.exceptions import ForbiddenMove
from suggestions.models import Assignment, Reply, Suggestion, SuggestionEvent
from suggestions.services import reply_classes_ensure
from tests.conftest import make_deputy_user
from tests.congress.factories import CommitteeFactory, HandlingUnitFactory, UserFactory

# The dates a suggestion's story runs on when a test does not say otherwise (no holiday near them).
SUBMITTED_ON = datetime.date(2026, 1, 9)  # during the session (8–11 January)
ASSIGNED_ON = datetime.date(2026, 3, 2)  # a Monday
REPLIED_ON = datetime.date(2026, 5, 11)  # a Monday
RATED_ON = datetime.date(2026, 5, 20)  # a Wednesday


# --- role fixtures of this app ---------------------------------------------------------------------


@pytest.fixture
def reply_classes(world: Any) -> dict[str, Any]:
    return {reply_class.code: reply_class for reply_class in reply_classes_ensure(congress=world.a.congress)}


@pytest.fixture
def cosigner_user(world: Any) -> Any:
    return make_deputy_user(username="cosigner", name="附议代表", seats=[(world.a.term, MandateStatus.SERVING)])


@pytest.fixture
def second_deputy_user(world: Any) -> Any:
    """Another deputy of congress A, neither lead nor co-signer."""
    return make_deputy_user(username="deputy-2", name="另一代表", seats=[(world.a.term, MandateStatus.SERVING)])


@pytest.fixture
def co_unit(world: Any) -> Any:
    return HandlingUnitFactory(congress=world.a.congress, name="甲市教育局")


@pytest.fixture
def co_unit_user(world: Any, co_unit: Any) -> Any:
    user = UserFactory(username="co-unit")
    return user_assign_role(user=user, role=Role.UNIT, congress=world.a.congress, unit=co_unit)


@pytest.fixture
def split_unit_user(world: Any) -> Any:
    """Staff of congress A's second unit (林业局), the other unit in split mode."""
    user = UserFactory(username="split-unit")
    return user_assign_role(user=user, role=Role.UNIT, congress=world.a.congress, unit=world.a.child_unit)


@pytest.fixture
def other_committee_user(world: Any) -> Any:
    """Staff of another committee of congress A (not the counterpart of the education category)."""
    committee = CommitteeFactory(congress=world.a.congress, name="甲市环境与资源保护委员会")
    user = UserFactory(username="other-committee")
    return user_assign_role(user=user, role=Role.COMMITTEE, congress=world.a.congress, committee=committee)


@pytest.fixture
def committee_user_b(world: Any) -> Any:
    user = UserFactory(username="committee-b")
    return user_assign_role(user=user, role=Role.COMMITTEE, congress=world.b.congress, committee=world.b.committee)


@pytest.fixture
def unit_user_b(world: Any) -> Any:
    user = UserFactory(username="unit-b")
    return user_assign_role(user=user, role=Role.UNIT, congress=world.b.congress, unit=world.b.unit)


# --- reading the database back -----------------------------------------------------------------------


def reload(obj: Any) -> Any:
    """A fresh copy from the database (FSM fields are protected: never `refresh_from_db` them)."""
    return type(obj)._default_manager.get(pk=obj.pk)


def db_state() -> dict[str, list[tuple[Any, ...]]]:
    """Every row of the suggestion app (through tables included) and every notification, read with
    plain SQL (cheap enough to take before and after each refused move)."""
    models = [*apps.get_app_config("suggestions").get_models(include_auto_created=True), Notification]
    state = {}
    with connection.cursor() as cursor:
        for model in models:
            table = connection.ops.quote_name(model._meta.db_table)
            cursor.execute(f"SELECT * FROM {table} ORDER BY 1")  # noqa: S608 - table names from the models
            state[model._meta.label] = cursor.fetchall()
    return state


@contextmanager
def recorded_events() -> Iterator[list[SuggestionEvent]]:
    """Collects, on exit, the events written inside the block, in order."""
    last = SuggestionEvent.objects.aggregate(last=Max("pk"))["last"] or 0
    events: list[SuggestionEvent] = []
    yield events
    events.extend(SuggestionEvent.objects.filter(pk__gt=last).order_by("pk"))


def actions(events: list[SuggestionEvent]) -> list[str]:
    return [event.action for event in events]


@pytest.fixture
def writes_nothing(django_capture_on_commit_callbacks: Any) -> Any:
    """`with writes_nothing(): move()` — the move raises ForbiddenMove (or the given error), and no
    row is added, changed or deleted, and no notification is queued."""

    @contextmanager
    def check(error: type[Exception] = ForbiddenMove) -> Iterator[Any]:
        before = db_state()
        with django_capture_on_commit_callbacks() as callbacks, pytest.raises(error) as raised:
            yield raised
        assert callbacks == []
        assert db_state() == before

    return check


# --- driving a suggestion to a state -----------------------------------------------------------------


class Flow:
    """Runs the services as the people of congress A would, up to the state a test needs."""

    def __init__(
        self,
        *,
        world: Any,
        deputy_user: Any,
        office_user: Any,
        unit_user: Any,
        co_unit: Any,
        co_unit_user: Any,
        split_unit_user: Any,
        reply_classes: dict[str, Any],
    ) -> None:
        self.world = world
        self.a = world.a
        self.deputy_user = deputy_user
        self.office_user = office_user
        self.unit_user = unit_user
        self.co_unit = co_unit
        self.co_unit_user = co_unit_user
        self.split_unit_user = split_unit_user
        self.reply_classes = reply_classes
        self._count = 0

    @property
    def lead_unit(self) -> Any:
        return self.a.unit

    @property
    def split_unit(self) -> Any:
        return self.a.child_unit

    def draft(
        self,
        *,
        session: Any = None,
        category: Any = None,
        cosigners: tuple[Any, ...] = (),
        confirmed: tuple[Any, ...] = (),
        **options: Any,
    ) -> Suggestion:
        """A draft of the lead deputy; `cosigners` (deputies) are invited, `confirmed` (their users)
        are invited and confirm."""
        self._count += 1
        suggestion = services.suggestion_create(
            actor=self.deputy_user,
            deputy=self.deputy_user.deputy,
            session=session or self.a.session,
            title=f"关于改善农村学校寄宿条件的建议（{self._count}）",
            body="建议加大投入……",
            category=category or self.a.subject_category,
            cosigners=[*cosigners, *(user.deputy for user in confirmed)],
            **options,
        )
        for user in confirmed:
            services.cosigner_respond(suggestion=suggestion, actor=user, accept=True)
        return suggestion

    def submit(self, suggestion: Suggestion, *, on: datetime.date = SUBMITTED_ON) -> Suggestion:
        return services.suggestion_submit(suggestion=suggestion, actor=self.deputy_user, on=on)

    def submitted(self, **options: Any) -> Suggestion:
        return self.submit(self.draft(**options))

    def accepted(self, **options: Any) -> Suggestion:
        suggestion = self.submitted(**options)
        return services.suggestion_review(suggestion=suggestion, actor=self.office_user, decision="accept")

    def _units(self, mode: str, co: bool) -> dict[str, Any]:
        if mode == AssignmentMode.SPLIT:
            return {"lead_units": [self.lead_unit, self.split_unit], "co_units": [], "mode": mode}
        return {"lead_units": [self.lead_unit], "co_units": [self.co_unit] if co else [], "mode": mode}

    def pre_assigned(self, *, mode: str = AssignmentMode.LEAD, co: bool = True, **options: Any) -> Suggestion:
        suggestion = self.accepted(**options)
        return services.suggestion_pre_assign(suggestion=suggestion, actor=self.office_user, **self._units(mode, co))

    def assigned(
        self,
        *,
        mode: str = AssignmentMode.LEAD,
        co: bool = True,
        on: datetime.date = ASSIGNED_ON,
        pre_assign: bool = False,
        **options: Any,
    ) -> Suggestion:
        suggestion = self.pre_assigned(mode=mode, co=co, **options) if pre_assign else self.accepted(**options)
        return services.suggestion_assign(suggestion=suggestion, actor=self.office_user, on=on, **self._units(mode, co))

    def assignment(self, suggestion: Suggestion, unit: Any = None) -> Assignment:
        """The live assignment of a unit (the lead unit by default)."""
        return Assignment.objects.live().get(suggestion=suggestion, unit=unit or self.lead_unit)

    def unit_user_of(self, assignment: Assignment) -> Any:
        return {
            self.lead_unit.pk: self.unit_user,
            self.co_unit.pk: self.co_unit_user,
            self.split_unit.pk: self.split_unit_user,
        }[assignment.unit_id]

    def reply(
        self, assignment: Assignment, *, code: str = "B", on: datetime.date = REPLIED_ON, **options: Any
    ) -> Reply:
        return services.reply_submit(
            assignment=assignment,
            actor=self.unit_user_of(assignment),
            reply_class=self.reply_classes[code],
            text="已列入明年计划，逐步解决。",
            document_number=f"甲自然资函〔2026〕{assignment.pk}号",
            signer="张局长",
            on=on,
            **options,
        )

    def replied(self, *, code: str = "B", co: bool = False, **options: Any) -> tuple[Suggestion, Reply]:
        """Lead mode: the lead unit has replied, the suggestion waits for the deputy's rating."""
        suggestion = self.assigned(co=co, **options)
        reply = self.reply(self.assignment(suggestion), code=code)
        return reload(suggestion), reply

    def split_replied(self, *, code: str = "B", **options: Any) -> tuple[Suggestion, Reply, Reply]:
        suggestion = self.assigned(mode=AssignmentMode.SPLIT, **options)
        first = self.reply(self.assignment(suggestion, self.lead_unit), code=code)
        second = self.reply(self.assignment(suggestion, self.split_unit), code=code)
        return reload(suggestion), first, second

    def rate(self, reply: Reply, result: str, *, on: datetime.date = RATED_ON, actor: Any = None) -> Any:
        return services.evaluation_submit(
            reply=reply, actor=actor or self.deputy_user, attitude=Rating.SATISFIED, result=result, on=on
        )


@pytest.fixture
def flow(
    world: Any,
    deputy_user: Any,
    office_user: Any,
    unit_user: Any,
    co_unit: Any,
    co_unit_user: Any,
    split_unit_user: Any,
    reply_classes: dict[str, Any],
) -> Flow:
    return Flow(
        world=world,
        deputy_user=deputy_user,
        office_user=office_user,
        unit_user=unit_user,
        co_unit=co_unit,
        co_unit_user=co_unit_user,
        split_unit_user=split_unit_user,
        reply_classes=reply_classes,
    )
