"""Factories of the organisation models."""

from __future__ import annotations

import datetime

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password

from congress.choices import CalendarDayKind, CommitteeKind, CongressLevel, HandlingUnitKind
from congress.models import (
    CalendarDay,
    Committee,
    Congress,
    HandlingUnit,
    Heartbeat,
    Session,
    StaffProfile,
    SubjectCategory,
    Term,
)


class UserFactory(factory.django.DjangoModelFactory):
    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Sequence(lambda n: f"用户{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    # Tests log in with force_login; an unusable password costs no hashing.
    password = factory.LazyFunction(lambda: make_password(None))

    class Meta:
        model = get_user_model()


class CongressFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"第{n}市人民代表大会")
    short_name = factory.Sequence(lambda n: f"第{n}市人大")
    level = CongressLevel.CITY
    area_name = factory.Sequence(lambda n: f"第{n}市")
    area_code = factory.Sequence(lambda n: f"{100000 + n:06d}")

    class Meta:
        model = Congress


class TermFactory(factory.django.DjangoModelFactory):
    congress = factory.SubFactory(CongressFactory)
    number = factory.Sequence(lambda n: n + 1)
    start_date = datetime.date(2022, 1, 6)
    end_date = datetime.date(2027, 1, 5)

    class Meta:
        model = Term


class SessionFactory(factory.django.DjangoModelFactory):
    term = factory.SubFactory(TermFactory)
    congress = factory.SelfAttribute("term.congress")
    number = factory.Sequence(lambda n: n + 1)
    start_date = datetime.date(2026, 1, 8)
    end_date = datetime.date(2026, 1, 11)

    class Meta:
        model = Session


class CommitteeFactory(factory.django.DjangoModelFactory):
    congress = factory.SubFactory(CongressFactory)
    name = factory.Sequence(lambda n: f"专门委员会{n}")
    short_name = factory.Sequence(lambda n: f"委{n}")
    kind = CommitteeKind.SPECIAL

    class Meta:
        model = Committee


class SubjectCategoryFactory(factory.django.DjangoModelFactory):
    counterpart_committee = factory.SubFactory(CommitteeFactory)
    congress = factory.SelfAttribute("counterpart_committee.congress")
    name = factory.Sequence(lambda n: f"类别{n}")
    code = factory.Sequence(lambda n: f"category-{n}")

    class Meta:
        model = SubjectCategory


class HandlingUnitFactory(factory.django.DjangoModelFactory):
    congress = factory.SubFactory(CongressFactory)
    name = factory.Sequence(lambda n: f"承办单位{n}")
    short_name = factory.Sequence(lambda n: f"单位{n}")
    kind = HandlingUnitKind.GOVERNMENT
    contact_name = "办公室"
    contact_phone = factory.Sequence(lambda n: f"0737-42{n:05d}")

    class Meta:
        model = HandlingUnit


class CalendarDayFactory(factory.django.DjangoModelFactory):
    date = factory.Sequence(lambda n: datetime.date(2030, 1, 1) + datetime.timedelta(days=n))
    kind = CalendarDayKind.HOLIDAY
    name = "假日"

    class Meta:
        model = CalendarDay


class StaffProfileFactory(factory.django.DjangoModelFactory):
    user = factory.SubFactory(UserFactory)
    congress = factory.SubFactory(CongressFactory)

    class Meta:
        model = StaffProfile


class HeartbeatFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"beat-{n}")
    last_run_at = factory.LazyFunction(lambda: datetime.datetime.now(tz=datetime.UTC))
    run_count = 1

    class Meta:
        model = Heartbeat
