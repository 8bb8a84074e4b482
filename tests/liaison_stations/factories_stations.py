"""Factories of the stations' areas: checklist, documents, station deputies, blocks and tasks,
reception days, visits and forums (all in the congress of their station)."""

from __future__ import annotations

import datetime

import factory

from liaison_stations.models import (
    Block,
    BlockTask,
    ChecklistItem,
    ChecklistStatus,
    Forum,
    ReceptionDay,
    StationDeputy,
    StationDocument,
    Visit,
)
from tests.deputies.factories import DeputyFactory
from tests.liaison_stations.factories import StationFactory


def square(lon: float, lat: float, size: float = 0.004) -> dict:
    """A closed square GeoJSON polygon with its south-west corner at (lon, lat)."""
    ring = [[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]
    return {"type": "Polygon", "coordinates": [ring]}


class ChecklistItemFactory(factory.django.DjangoModelFactory):
    congress = factory.SubFactory("tests.congress.factories.CongressFactory")
    code = factory.Sequence(lambda n: f"item-{n}")
    name = factory.Sequence(lambda n: f"有项目{n}")
    sort_order = factory.Sequence(lambda n: n)

    class Meta:
        model = ChecklistItem


class ChecklistStatusFactory(factory.django.DjangoModelFactory):
    station = factory.SubFactory(StationFactory)
    congress = factory.SelfAttribute("station.congress")
    item = factory.SubFactory(ChecklistItemFactory, congress=factory.SelfAttribute("..station.congress"))
    year = 2026
    state = "met"

    class Meta:
        model = ChecklistStatus


class StationDocumentFactory(factory.django.DjangoModelFactory):
    station = factory.SubFactory(StationFactory)
    congress = factory.SelfAttribute("station.congress")
    title = factory.Sequence(lambda n: f"制度{n}")
    text = "代表进站接待群众，做好登记。"

    class Meta:
        model = StationDocument


class StationDeputyFactory(factory.django.DjangoModelFactory):
    station = factory.SubFactory(StationFactory)
    congress = factory.SelfAttribute("station.congress")
    deputy = factory.SubFactory(DeputyFactory)
    role = "resident"

    class Meta:
        model = StationDeputy


class BlockFactory(factory.django.DjangoModelFactory):
    station = factory.SubFactory(StationFactory)
    congress = factory.SelfAttribute("station.congress")
    number = factory.Sequence(lambda n: n + 1)
    name = factory.Sequence(lambda n: f"第{n + 1}片区")
    area = "桃花仑社区"
    wechat_group = factory.Sequence(lambda n: f"第{n + 1}片区居民群")
    instructor_name = "王指导"
    liaison_name = "李联络"
    geometry = factory.Sequence(lambda n: square(112.35 + (n % 5) * 0.005, 28.55 + (n // 5) * 0.005))

    class Meta:
        model = Block


class BlockTaskFactory(factory.django.DjangoModelFactory):
    block = factory.SubFactory(BlockFactory)
    congress = factory.SelfAttribute("block.congress")
    title = factory.Sequence(lambda n: f"走访片区住户{n}")
    due_on = datetime.date(2026, 6, 30)

    class Meta:
        model = BlockTask


class ReceptionDayFactory(factory.django.DjangoModelFactory):
    station = factory.SubFactory(StationFactory)
    congress = factory.SelfAttribute("station.congress")
    date = datetime.date(2026, 3, 15)
    topic = "代表接待日"

    class Meta:
        model = ReceptionDay
        skip_postgeneration_save = True

    @factory.post_generation
    def deputies(self, create, extracted, **kwargs):
        if create and extracted:
            self.deputies.set(extracted)


class VisitFactory(factory.django.DjangoModelFactory):
    station = factory.SubFactory(StationFactory)
    congress = factory.SelfAttribute("station.congress")
    visited_on = datetime.date(2026, 3, 15)
    visitor_name = "张群众"
    visitor_phone = "13912345678"
    words = factory.Sequence(lambda n: f"小区路灯坏了{n}")
    disposition = "answered"
    disposition_note = "已联系物业维修"

    class Meta:
        model = Visit


class ForumFactory(factory.django.DjangoModelFactory):
    station = factory.SubFactory(StationFactory)
    congress = factory.SelfAttribute("station.congress")
    held_on = datetime.date(2026, 4, 10)
    topic = factory.Sequence(lambda n: f"民情恳谈会{n}")
    residents = 30

    class Meta:
        model = Forum
        skip_postgeneration_save = True

    @factory.post_generation
    def deputies(self, create, extracted, **kwargs):
        if create and extracted:
            self.deputies.set(extracted)
