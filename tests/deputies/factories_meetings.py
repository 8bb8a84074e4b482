"""Factories and helpers of standing-committee meetings (sitting in, agenda, opinions, planner)."""

from __future__ import annotations

import datetime
from typing import Any

import factory

from deputies.choices import ActivityKind
from deputies.models import Activity, AgendaTopic, GroupMembership, Meeting, MeetingOpinion, ProfessionalGroup


class MeetingFactory(factory.django.DjangoModelFactory):
    """A meeting (without its sitting activity: use `meeting_with_sitting` or the service for that)."""

    term = factory.SubFactory("tests.congress.factories.TermFactory")
    congress = factory.SelfAttribute("term.congress")
    number = factory.Sequence(lambda n: n + 1)
    title = factory.LazyAttribute(lambda o: f"常委会第{o.number}次会议")
    starts_on = datetime.date(2026, 6, 25)
    ends_on = factory.SelfAttribute("starts_on")
    place = "常委会会议室"

    class Meta:
        model = Meeting


class AgendaTopicFactory(factory.django.DjangoModelFactory):
    meeting = factory.SubFactory(MeetingFactory)
    congress = factory.SelfAttribute("meeting.congress")
    title = factory.Sequence(lambda n: f"审议议题{n}")
    sort_order = factory.Sequence(lambda n: n)

    class Meta:
        model = AgendaTopic


class MeetingOpinionFactory(factory.django.DjangoModelFactory):
    meeting = factory.SubFactory(MeetingFactory)
    congress = factory.SelfAttribute("meeting.congress")
    deputy = factory.SubFactory("tests.deputies.factories.DeputyFactory")
    content = factory.Sequence(lambda n: f"建议加大投入力度{n}")

    class Meta:
        model = MeetingOpinion


class ProfessionalGroupForMeetingsFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"专业小组{n}")
    field = "教育"
    counterpart_committee = factory.SubFactory("tests.congress.factories.CommitteeFactory")
    congress = factory.SelfAttribute("counterpart_committee.congress")

    class Meta:
        model = ProfessionalGroup


class MembershipForMeetingsFactory(factory.django.DjangoModelFactory):
    group = factory.SubFactory(ProfessionalGroupForMeetingsFactory)
    congress = factory.SelfAttribute("group.congress")
    deputy = factory.SubFactory("tests.deputies.factories.DeputyFactory")

    class Meta:
        model = GroupMembership


def meeting_with_sitting(**fields: Any) -> Meeting:
    """A meeting and its planned sitting activity (09:00 on its first day to 18:00 on its last)."""
    meeting = MeetingFactory(**fields)
    tz = datetime.timezone(datetime.timedelta(hours=8))
    Activity.objects.create(
        congress=meeting.congress,
        kind=ActivityKind.SC_SITTING,
        title=meeting.title,
        meeting=meeting,
        starts_at=datetime.datetime.combine(meeting.starts_on, datetime.time(9), tz),
        ends_at=datetime.datetime.combine(meeting.ends_on, datetime.time(18), tz),
    )
    return meeting
