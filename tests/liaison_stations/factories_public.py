"""Factories of the public pages: station deputies, blocks, citizens' issues with answers and events,
and the files a citizen uploads (real images made with Pillow, and things that are not)."""

from __future__ import annotations

import io

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from liaison_stations.choices import Channel, IssueAction, IssueStatus
from liaison_stations.models import Block, IssueAnswer, IssueEvent, PublicIssue, StationDeputy
from tests.liaison_stations.factories import StationFactory

FULL_PHONE = "13912340044"
MASKED_PHONE = "139****0044"


class StationDeputyFactory(factory.django.DjangoModelFactory):
    station = factory.SubFactory(StationFactory)
    congress = factory.SelfAttribute("station.congress")
    deputy = factory.SubFactory("tests.deputies.factories.DeputyFactory")
    role = "resident"

    class Meta:
        model = StationDeputy


class BlockFactory(factory.django.DjangoModelFactory):
    station = factory.SubFactory(StationFactory)
    congress = factory.SelfAttribute("station.congress")
    number = factory.Sequence(lambda n: n + 1)
    name = factory.Sequence(lambda n: f"第{n + 1}片区")

    class Meta:
        model = Block


class PublicIssueFactory(factory.django.DjangoModelFactory):
    """A QR issue written to a deputy, submitted (pass status=… and tier=… for later states)."""

    congress = factory.SelfAttribute("station.congress")
    station = factory.SubFactory(StationFactory)
    channel = Channel.QR
    content = factory.Sequence(lambda n: f"小区门口路灯坏了第{n}盏，晚上出行不便。")
    location = "桃花仑路 3 号门口"
    citizen_name = "王秀英"
    citizen_phone = FULL_PHONE
    consent = True
    status = IssueStatus.SUBMITTED

    class Meta:
        model = PublicIssue


class IssueAnswerFactory(factory.django.DjangoModelFactory):
    issue = factory.SubFactory(PublicIssueFactory)
    congress = factory.SelfAttribute("issue.congress")
    tier = 1
    body = "已联系社区，路灯将于本周五前修复。"
    answerer_name = "会龙山街道人大工委"

    class Meta:
        model = IssueAnswer


class IssueEventFactory(factory.django.DjangoModelFactory):
    issue = factory.SubFactory(PublicIssueFactory)
    congress = factory.SelfAttribute("issue.congress")
    action = IssueAction.SUBMIT
    actor_label = "群众"
    to_status = IssueStatus.SUBMITTED
    is_public = True

    class Meta:
        model = IssueEvent


def answered_issue(**kwargs):
    """An issue answered at tier 1, with its public and internal events and one answer."""
    kwargs.setdefault("tier", 1)
    issue = PublicIssueFactory(status=IssueStatus.ANSWERED, **kwargs)
    IssueEventFactory(issue=issue)
    IssueEventFactory(issue=issue, action=IssueAction.ACCEPT, to_status=IssueStatus.HANDLING, tier=1)
    IssueEventFactory(
        issue=issue, action=IssueAction.ASSIGN, to_status=IssueStatus.HANDLING, note="内部备注：催办", is_public=False
    )
    IssueEventFactory(issue=issue, action=IssueAction.ANSWER, to_status=IssueStatus.ANSWERED, tier=1)
    IssueAnswerFactory(issue=issue)
    return issue


def image_upload(name: str = "photo.jpg", kind: str = "JPEG", size: tuple[int, int] = (64, 48)) -> SimpleUploadedFile:
    """A real image file of the given Pillow format."""
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, format=kind)
    content_type = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp", "GIF": "image/gif"}[kind]
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=content_type)


def fake_image_upload(name: str = "photo.jpg") -> SimpleUploadedFile:
    """Not an image at all, though named and typed as one."""
    return SimpleUploadedFile(name, b"#!/bin/sh\necho not a photo\n", content_type="image/jpeg")


def big_upload(name: str = "big.jpg") -> SimpleUploadedFile:
    """Just over 5 MB (a JPEG header and padding): refused by size before it is read."""
    return SimpleUploadedFile(name, b"\xff\xd8\xff\xe0" + b"\0" * (5 * 1024 * 1024), content_type="image/jpeg")
