"""The personal data every privacy test looks for: a deputy's, a citizen's and a visitor's phone, each
with a number nobody else has, so "the full number is on the page" means exactly that number leaked.

The rule they check is docs/PRIVACY.md."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.cache import cache
from django.utils import timezone

from deputies.models import Deputy
from liaison_stations.choices import Channel, IssueStatus
from liaison_stations.models import PublicIssue, Visit
from suggestions.models import SupervisionCase
from tests.liaison_stations.factories_issues import PublicIssueFactory
from tests.liaison_stations.factories_stations import VisitFactory

DEPUTY_PHONE, DEPUTY_MASKED = "13712340044", "137****0044"
CITIZEN_PHONE, CITIZEN_MASKED = "13907370055", "139****0055"
VISITOR_PHONE, VISITOR_MASKED = "13607370066", "136****0066"
ALL_PHONES = (DEPUTY_PHONE, CITIZEN_PHONE, VISITOR_PHONE)

# What a user may see of a phone at one place.
FULL, MASKED, NONE = "full", "masked", "none"

ROLES = [
    "admin_user",
    "office_user",
    "office_user_b",
    "committee_user",
    "leader_user",
    "unit_user",
    "station_user",
    "deputy_user",
    "other_deputy_user",
    "plain_user",
    "anonymous",
]


@dataclass
class Private:
    """The rows holding the phones: the deputy is `deputy_user`'s own, in congress A; the issue is written
    to them at station A, handled at tier 3 by unit A and supervised by committee A; the visit was received
    by them at station A."""

    deputy: Deputy
    issue: PublicIssue
    visit: Visit


@pytest.fixture(autouse=True)
def _fresh_cache():
    """The tracking page and the public API count lookups per address in the cache."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def private(world, deputy_user) -> Private:
    deputy = Deputy.objects.get(user=deputy_user)
    Deputy.objects.filter(pk=deputy.pk).update(phone=DEPUTY_PHONE)
    deputy.refresh_from_db()
    today = timezone.localdate()
    case = SupervisionCase.objects.create(
        congress=world.a.congress,
        committee=world.a.committee,
        subject="热线：小区路灯",
        trigger="hotline",
        opened_on=today,
    )
    issue = PublicIssueFactory(
        station=world.a.station,
        congress=world.a.congress,
        channel=Channel.QR,
        deputy=deputy,
        category=world.a.subject_category,
        status=IssueStatus.HANDLING,
        tier=3,
        handling_unit=world.a.unit,
        supervision_case=case,
        due_on=today + datetime.timedelta(days=5),
        citizen_name="王小明",
        citizen_phone=CITIZEN_PHONE,
        consent=True,
        content=f"小区路灯坏了三个月，晚上出行不便，请打我电话{CITIZEN_PHONE}联系",
    )
    visit = VisitFactory(
        station=world.a.station,
        congress=world.a.congress,
        deputy=deputy,
        visited_on=today,
        visitor_name="李来访",
        visitor_phone=VISITOR_PHONE,
        words=f"反映楼道堆放杂物，留的电话是{VISITOR_PHONE}",
    )
    return Private(deputy=deputy, issue=issue, visit=visit)


def login(client: Any, request: Any, role: str) -> Any:
    """Log the role in (or stay anonymous); the user, or None."""
    if role == "anonymous":
        return None
    user = request.getfixturevalue(role)
    client.force_login(user)
    return user


def assert_shown(text: str, *, full: str, masked: str, expected: str, where: str) -> None:
    """The phone appears in full only where allowed; masked where the record is shown without it."""
    if expected == FULL:
        assert full in text, f"{where}: the full number should be shown"
    elif expected == MASKED:
        assert full not in text, f"{where}: the full number leaked"
        assert masked in text, f"{where}: the masked number should be shown"
    else:
        assert full not in text, f"{where}: the full number leaked"
        assert masked not in text, f"{where}: the record should not be shown at all"
