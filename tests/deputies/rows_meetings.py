"""Admin changelist row makers for meetings (merged into tests/congress/test_admin.py)."""

import datetime
from typing import Any

from deputies.models import Meeting, MeetingOpinion
from tests.deputies.factories_meetings import MeetingFactory, MeetingOpinionFactory


def _meetings(world: Any) -> list[Meeting]:
    return [
        MeetingFactory(term=world.a.term, number=100 + n, starts_on=datetime.date(2026, 1, 1) + datetime.timedelta(n))
        for n in range(18)
    ]


def _opinions(world: Any) -> list[MeetingOpinion]:
    meeting = MeetingFactory(term=world.a.term, number=200)
    topic = meeting.topics.create(congress=meeting.congress, title="议题")
    return [
        MeetingOpinionFactory(
            meeting=meeting, deputy=world.a.deputies[n % 2], topic=topic, handling_unit=world.a.unit if n % 2 else None
        )
        for n in range(18)
    ]


# model -> function(world) making 18 more rows in congress A
ROW_MAKERS: dict[Any, Any] = {Meeting: _meetings, MeetingOpinion: _opinions}
