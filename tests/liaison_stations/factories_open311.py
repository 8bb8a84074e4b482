"""Factories of the Open311 and public API tests: issues in any state, answers, photos, events."""

from __future__ import annotations

import datetime

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from liaison_stations.choices import Channel, IssueAction, IssueStatus
from liaison_stations.models import IssueAnswer, IssueEvent, IssuePhoto, PublicIssue
from suggestions.models import Suggestion
from tests.liaison_stations.factories import StationFactory

# A 1×1 GIF: an ImageField stores it without decoding.
GIF = (
    b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00"
    b",\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"
)


class IssueFactory(factory.django.DjangoModelFactory):
    """An issue of a station; pass `status=` (set at creation, as the FSM field is protected afterwards)."""

    station = factory.SubFactory(StationFactory)
    congress = factory.SelfAttribute("station.congress")
    channel = Channel.QR
    content = factory.Sequence(lambda n: f"小区第{n}栋门前路灯坏了，晚上出行不便")
    location = "桃花仑路 18 号"
    citizen_name = "王小梅"
    citizen_phone = "13907370044"
    consent = True
    status = IssueStatus.SUBMITTED

    class Meta:
        model = PublicIssue


class AnswerFactory(factory.django.DjangoModelFactory):
    issue = factory.SubFactory(IssueFactory)
    congress = factory.SelfAttribute("issue.congress")
    tier = 1
    body = "已联系社区更换路灯，本周内完成。"
    answerer_name = "桃花仑社区"

    class Meta:
        model = IssueAnswer


class PhotoFactory(factory.django.DjangoModelFactory):
    issue = factory.SubFactory(IssueFactory)
    congress = factory.SelfAttribute("issue.congress")
    image = factory.LazyFunction(lambda: SimpleUploadedFile("lamp.gif", GIF, content_type="image/gif"))

    class Meta:
        model = IssuePhoto


class EventFactory(factory.django.DjangoModelFactory):
    issue = factory.SubFactory(IssueFactory)
    congress = factory.SelfAttribute("issue.congress")
    action = IssueAction.SUBMIT
    actor_label = "群众"
    to_status = IssueStatus.SUBMITTED
    is_public = True

    class Meta:
        model = IssueEvent


def suggestion_for(issue: PublicIssue, *, session: object, deputy: object, status: str) -> Suggestion:
    """A formal suggestion the issue became, in the given state."""
    return Suggestion.objects.create(
        congress=issue.congress,
        session=session,
        title=issue.content[:40],
        body=issue.content,
        category=issue.category,
        lead_deputy=deputy,
        status=status,
        number=7,
    )


def days_ago(days: int) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=days)


def backdate(issue: PublicIssue, days: int) -> PublicIssue:
    """Move the issue's creation into the past (auto_now_add cannot be set at creation)."""
    PublicIssue.objects.filter(pk=issue.pk).update(created_at=days_ago(days))
    return PublicIssue.objects.get(pk=issue.pk)
