"""Role fixtures: two congresses (A, the users' own, and B, another) and a user for every role.

The suite runs in test mode (eager Celery, locmem mail): pyproject points pytest at
`congress.settings_test`, and `DJANGO_ENV=test` is also set here, before pytest-django reads any
settings, so that `--ds=congress.settings` runs in test mode too (tests/congress/test_settings.py checks it).
"""

import os
import uuid

os.environ.setdefault("DJANGO_ENV", "test")

from dataclasses import dataclass, field
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser, Group
from django.test import override_settings

from congress.choices import CommitteeKind, CongressLevel
from congress.roles import Role
from congress.services import user_assign_role
from deputies.choices import MandateStatus
from tests.congress.factories import (
    CommitteeFactory,
    CongressFactory,
    HandlingUnitFactory,
    SessionFactory,
    StaffProfileFactory,
    SubjectCategoryFactory,
    TermFactory,
    UserFactory,
)
from tests.deputies.factories import DelegationFactory, DeputyFactory, MandateFactory
from tests.liaison_stations.factories import StationFactory, StationStaffFactory


def pytest_configure(config):
    # A test checkout has not run collectstatic; WhiteNoise warns on every request that STATIC_ROOT is missing.
    config.addinivalue_line("filterwarnings", "ignore:No directory at:UserWarning")


@pytest.fixture(scope="session", autouse=True)
def _fast_password_hasher():
    """PBKDF2 takes a third of a second per password; the tests only need passwords to match."""
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@pytest.fixture(autouse=True)
def _own_dashboard_cache(settings):
    """Each test caches the dashboard's figures under its own keys: test databases reuse ids, and in
    CI the workers share one Redis."""
    settings.DASHBOARD_CACHE_PREFIX = f"dashboard-test-{uuid.uuid4().hex}"


@dataclass
class Tenant:
    """One congress with the organisation every role works in."""

    congress: Any
    term: Any
    session: Any
    office_committee: Any
    committee: Any
    subject_category: Any
    unit: Any
    child_unit: Any
    delegation: Any
    station: Any
    other_station: Any
    deputies: list[Any] = field(default_factory=list)


@dataclass
class World:
    a: Tenant
    b: Tenant
    # A person holding a seat in both congresses.
    dual_deputy: Any


def build_tenant(key: str) -> Tenant:
    congress = CongressFactory(name=f"{key}市人民代表大会", short_name=f"{key}市人大", level=CongressLevel.CITY)
    term = TermFactory(congress=congress, number=7)
    session = SessionFactory(term=term, number=5)
    office_committee = CommitteeFactory(
        congress=congress,
        name=f"{key}市代表工作委员会",
        kind=CommitteeKind.WORKING,
        is_deputy_affairs_office=True,
    )
    committee = CommitteeFactory(congress=congress, name=f"{key}市教育科学文化卫生委员会")
    subject_category = SubjectCategoryFactory(counterpart_committee=committee, name=f"{key}市教育")
    unit = HandlingUnitFactory(congress=congress, name=f"{key}市自然资源和规划局")
    child_unit = HandlingUnitFactory(congress=congress, name=f"{key}市林业局", parent=unit)
    delegation = DelegationFactory(term=term, name=f"{key}市赫山区代表团")
    station = StationFactory(congress=congress, name=f"{key}市会龙山街道人大代表联络站")
    other_station = StationFactory(congress=congress, name=f"{key}市桃花仑街道人大代表联络站")
    # Colleagues, so that "only their own" differs from "their congress's".
    StaffProfileFactory(congress=congress, user=UserFactory(username=f"colleague-{key}"), committee=committee)
    StationStaffFactory(station=other_station, user=UserFactory(username=f"liaison-{key}"))
    deputies = [
        MandateFactory(term=term, delegation=delegation, deputy=DeputyFactory(name=f"{key}代表甲")).deputy,
        MandateFactory(term=term, deputy=DeputyFactory(name=f"{key}代表乙")).deputy,
    ]
    return Tenant(
        congress=congress,
        term=term,
        session=session,
        office_committee=office_committee,
        committee=committee,
        subject_category=subject_category,
        unit=unit,
        child_unit=child_unit,
        delegation=delegation,
        station=station,
        other_station=other_station,
        deputies=deputies,
    )


@pytest.fixture
def world(db) -> World:
    a = build_tenant("甲")
    b = build_tenant("乙")
    dual = DeputyFactory(name="两级代表")
    MandateFactory(deputy=dual, term=a.term)
    MandateFactory(deputy=dual, term=b.term)
    return World(a=a, b=b, dual_deputy=dual)


def make_deputy_user(*, username: str, seats: list[tuple[Any, str]], name: str) -> Any:
    """A user in the deputies group linked to a Deputy holding the given (term, status) seats."""
    user = UserFactory(username=username, first_name=name)
    deputy = DeputyFactory(name=name, user=user)
    for term, status in seats:
        MandateFactory(deputy=deputy, term=term, status=status)
    user.groups.add(Group.objects.get(name=Role.DEPUTY))
    return user


@pytest.fixture
def admin_user(db) -> Any:
    return UserFactory(username="admin", is_superuser=True, is_staff=True)


@pytest.fixture
def administrator_user(db) -> Any:
    user = UserFactory(username="administrator")
    return user_assign_role(user=user, role=Role.ADMINISTRATOR)


@pytest.fixture
def office_user(world: World) -> Any:
    user = UserFactory(username="office")
    return user_assign_role(user=user, role=Role.OFFICE, congress=world.a.congress, committee=world.a.office_committee)


@pytest.fixture
def office_user_b(world: World) -> Any:
    user = UserFactory(username="office-b")
    return user_assign_role(user=user, role=Role.OFFICE, congress=world.b.congress, committee=world.b.office_committee)


@pytest.fixture
def committee_user(world: World) -> Any:
    user = UserFactory(username="committee")
    return user_assign_role(user=user, role=Role.COMMITTEE, congress=world.a.congress, committee=world.a.committee)


@pytest.fixture
def unit_user(world: World) -> Any:
    user = UserFactory(username="unit")
    return user_assign_role(user=user, role=Role.UNIT, congress=world.a.congress, unit=world.a.unit)


@pytest.fixture
def leader_user(world: World) -> Any:
    user = UserFactory(username="leader")
    return user_assign_role(user=user, role=Role.LEADER, congress=world.a.congress)


@pytest.fixture
def station_user(world: World) -> Any:
    user = UserFactory(username="station")
    user.groups.add(Group.objects.get(name=Role.STATION))
    StationStaffFactory(user=user, station=world.a.station)
    return user


@pytest.fixture
def deputy_user(world: World) -> Any:
    """A deputy serving in congress A."""
    return make_deputy_user(username="deputy", name="甲本人代表", seats=[(world.a.term, MandateStatus.SERVING)])


@pytest.fixture
def other_deputy_user(world: World) -> Any:
    """A deputy serving in congress B only."""
    return make_deputy_user(username="deputy-b", name="乙本人代表", seats=[(world.b.term, MandateStatus.SERVING)])


@pytest.fixture
def resigned_deputy_user(world: World) -> Any:
    """A deputy who resigned their seat in congress A and still serves in congress B."""
    return make_deputy_user(
        username="deputy-resigned",
        name="辞职代表",
        seats=[(world.a.term, MandateStatus.RESIGNED), (world.b.term, MandateStatus.SERVING)],
    )


@pytest.fixture
def plain_user(db) -> Any:
    return UserFactory(username="plain")


@pytest.fixture
def anonymous_user() -> Any:
    return AnonymousUser()
