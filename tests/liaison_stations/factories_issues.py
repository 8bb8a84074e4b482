"""Factories of the citizens' loop. Rows only: moves go through the services in the tests."""

from __future__ import annotations

import factory

from liaison_stations.choices import Channel, IssueAction, IssueStatus
from liaison_stations.models import IssueAnswer, IssueEvent, IssuePhoto, IssueRules, PublicIssue
from tests.congress.factories import CongressFactory
from tests.liaison_stations.factories import StationFactory


class IssueRulesFactory(factory.django.DjangoModelFactory):
    congress = factory.SubFactory(CongressFactory)

    class Meta:
        model = IssueRules
        django_get_or_create = ("congress",)


class PublicIssueFactory(factory.django.DjangoModelFactory):
    """A submitted issue at a station (status is protected: other states come from the services)."""

    station = factory.SubFactory(StationFactory)
    congress = factory.SelfAttribute("station.congress")
    channel = Channel.QR
    content = factory.Sequence(lambda n: f"小区第{n}栋楼下路灯不亮，晚上出行不便")
    citizen_name = "张三"
    citizen_phone = "13900000044"
    consent = True
    status = IssueStatus.SUBMITTED

    class Meta:
        model = PublicIssue


class IssueAnswerFactory(factory.django.DjangoModelFactory):
    issue = factory.SubFactory(PublicIssueFactory)
    congress = factory.SelfAttribute("issue.congress")
    tier = 1
    body = "已联系社区维修，三日内修好。"
    answerer_name = "社区"

    class Meta:
        model = IssueAnswer


class IssueEventFactory(factory.django.DjangoModelFactory):
    issue = factory.SubFactory(PublicIssueFactory)
    congress = factory.SelfAttribute("issue.congress")
    action = IssueAction.SUBMIT
    actor_label = "群众"
    to_status = IssueStatus.SUBMITTED

    class Meta:
        model = IssueEvent


class IssuePhotoFactory(factory.django.DjangoModelFactory):
    issue = factory.SubFactory(PublicIssueFactory)
    congress = factory.SelfAttribute("issue.congress")
    image = factory.django.ImageField(filename="photo.jpg", width=8, height=8, format="JPEG")

    class Meta:
        model = IssuePhoto
