"""What the stages of `seed_scale` share: the writer, the calendar, the clock, the random source, and
what each stage made that later ones need (ids, names, the focus congress and the bench accounts)."""

from __future__ import annotations

import datetime
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .dates import WorkingCalendar
from .sizes import Sizes
from .writer import Writer


@dataclass
class SessionInfo:
    id: int
    number: int
    start: datetime.date
    end: datetime.date


@dataclass
class CategoryInfo:
    id: int
    name: str
    code: str
    committee_id: int


@dataclass
class UnitInfo:
    id: int
    name: str
    short: str


@dataclass
class StationInfo:
    id: int
    congress_id: int
    name: str
    area: str
    weight: float
    blocks: list[int] = field(default_factory=list)
    deputies: list[int] = field(default_factory=list)
    issues: int = 0


@dataclass
class CongressInfo:
    id: int
    level: str
    name: str
    short: str
    area: str
    parent_id: int | None
    weight: float
    code: str = ""
    term_id: int = 0
    term_start: datetime.date = datetime.date(2022, 1, 1)
    sessions: list[SessionInfo] = field(default_factory=list)
    committees: dict[str, int] = field(default_factory=dict)
    committee_names: dict[int, str] = field(default_factory=dict)
    categories: list[CategoryInfo] = field(default_factory=list)
    units: list[UnitInfo] = field(default_factory=list)
    reply_classes: dict[str, int] = field(default_factory=dict)
    activity_types: dict[str, tuple[int, Any]] = field(default_factory=dict)
    delegations: list[tuple[int, str, int | None]] = field(default_factory=list)  # id, name, child congress
    children: list[int] = field(default_factory=list)
    seats: int = 0
    deputies: list[int] = field(default_factory=list)  # serving here, primary and second seats
    primary: list[int] = field(default_factory=list)  # serving here only as their own level
    stations: list[StationInfo] = field(default_factory=list)
    suggestions: int = 0


@dataclass
class World:
    sizes: Sizes
    rng: random.Random
    writer: Writer
    calendar: WorkingCalendar
    now: datetime.datetime
    today: datetime.date
    password: str
    congresses: list[CongressInfo] = field(default_factory=list)
    by_id: dict[int, CongressInfo] = field(default_factory=dict)
    focus: CongressInfo | None = None
    deputy_names: dict[int, str] = field(default_factory=dict)
    # bench accounts: username -> user id; user id -> the name shown as actor
    users: dict[str, int] = field(default_factory=dict)
    user_labels: dict[int, str] = field(default_factory=dict)
    deputy_users: dict[int, int] = field(default_factory=dict)  # deputy id -> user id
    unit_users: dict[int, int] = field(default_factory=dict)  # unit id -> user id
    station_users: dict[int, int] = field(default_factory=dict)  # station id -> user id
    office_users: dict[int, int] = field(default_factory=dict)  # congress id -> user id
    committee_users: dict[int, int] = field(default_factory=dict)  # committee id -> user id
    bench: dict[str, Any] = field(default_factory=dict)
    manifest: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.stamp = make_stamp(copies=self.writer.copies)

    @property
    def the_focus(self) -> CongressInfo:
        """The focus congress (the largest city congress), once the organisation is made."""
        if self.focus is None:
            raise RuntimeError("The organisation stage has not chosen the focus congress yet.")
        return self.focus


def make_stamp(*, copies: bool) -> Callable[[Any], Any]:
    """How a moment goes into a row: for COPY its text, made once per distinct moment (formatting
    timestamps is a large part of the CSV's cost); for `bulk_create` the datetime itself."""
    if not copies:
        return lambda moment: moment
    cache: dict[datetime.datetime, str] = {}

    def stamp(moment: datetime.datetime | None) -> str | None:
        if moment is None:
            return None
        text = cache.get(moment)
        if text is None:
            if len(cache) >= 2_000_000:
                cache.clear()
            text = cache[moment] = str(moment)
        return text

    return stamp


class Maker:
    """What a stage that writes many rows keeps at hand from the world."""

    def __init__(self, world: World) -> None:
        self.world = world
        self.rng = world.rng
        self.cal = world.calendar
        self.now = world.now
        self.today = world.today
        self.stamp = world.stamp
