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
