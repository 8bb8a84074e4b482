"""Factories of the deputy registry."""

from __future__ import annotations

import datetime

import factory

from deputies.choices import DeputyCategory, Gender, MandateStatus
from deputies.models import Delegation, Deputy, Mandate
from tests.congress.factories import TermFactory


class DelegationFactory(factory.django.DjangoModelFactory):
    term = factory.SubFactory(TermFactory)
    congress = factory.SelfAttribute("term.congress")
    name = factory.Sequence(lambda n: f"第{n}代表团")

    class Meta:
        model = Delegation


class DeputyFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"代表{n}")
    gender = Gender.FEMALE
    birth_date = datetime.date(1975, 6, 1)
    category = DeputyCategory.GRASSROOTS
    work_unit = "桃花仑社区"
    job_title = "党委书记"
    # 11 digits starting with 1, unique: 138 + eight digits.
    phone = factory.Sequence(lambda n: f"138{n:08d}")

    class Meta:
        model = Deputy


class MandateFactory(factory.django.DjangoModelFactory):
    deputy = factory.SubFactory(DeputyFactory)
    term = factory.SubFactory(TermFactory)
    congress = factory.SelfAttribute("term.congress")
    constituency = "第1选区"
    start_date = factory.SelfAttribute("term.start_date")
    status = MandateStatus.SERVING

    class Meta:
        model = Mandate


class ActivityFactory(factory.django.DjangoModelFactory):
    """A planned activity (a group research by default) from 09:00 to 17:00 on 2026-06-10."""

    congress = factory.SubFactory("tests.congress.factories.CongressFactory")
    kind = "group_research"
    title = factory.Sequence(lambda n: f"专题调研{n}")
    starts_at = datetime.datetime(2026, 6, 10, 9, 0, tzinfo=datetime.UTC) - datetime.timedelta(hours=8)
    ends_at = datetime.datetime(2026, 6, 10, 17, 0, tzinfo=datetime.UTC) - datetime.timedelta(hours=8)
    place = "市人大常委会机关"
    hours = 3

    class Meta:
        model = "deputies.Activity"


class InvitationFactory(factory.django.DjangoModelFactory):
    activity = factory.SubFactory(ActivityFactory)
    congress = factory.SelfAttribute("activity.congress")
    deputy = factory.SubFactory(DeputyFactory)

    class Meta:
        model = "deputies.Invitation"
