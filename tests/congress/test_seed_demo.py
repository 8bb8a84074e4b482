"""`manage.py seed_demo`: idempotent demo data and the demo accounts.

The command takes seconds, so it runs twice for the whole module (first with the default password,
then with DEMO_PASSWORD set) inside one transaction that is rolled back at the end.
"""

import io
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count

from congress.models import Congress, HandlingUnit, StaffProfile
from congress.roles import Role
from deputies.models import Deputy, Mandate
from liaison_stations.models import StationStaff

ACCOUNTS = ["admin", "office", "committee", "unit", "station", "leader", "deputy", "deputy2"]
DEFAULT_PASSWORD = "demo-2026"
ENVIRONMENT_PASSWORD = "another-demo-password"


def counts() -> dict[str, int]:
    return {
        "congresses": Congress.objects.count(),
        "deputies": Deputy.objects.count(),
        "mandates": Mandate.objects.count(),
        "units": HandlingUnit.objects.count(),
        "users": get_user_model().objects.count(),
    }


@dataclass
class Seeded:
    first: dict[str, int]
    second: dict[str, int]
    default_password_works: dict[str, bool]
    output: str


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker) -> Any:
    with django_db_blocker.unblock(), pytest.MonkeyPatch.context() as patch:
        outer = transaction.atomic()
        outer.__enter__()
        try:
            patch.delenv("DEMO_PASSWORD", raising=False)
            output = io.StringIO()
            call_command("seed_demo", stdout=output)
            first = counts()
            users = get_user_model().objects.filter(username__in=ACCOUNTS)
            default_password_works = {user.username: user.check_password(DEFAULT_PASSWORD) for user in users}
            patch.setenv("DEMO_PASSWORD", ENVIRONMENT_PASSWORD)
            call_command("seed_demo", stdout=io.StringIO())
            yield Seeded(first, counts(), default_password_works, output.getvalue())
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


pytestmark = pytest.mark.django_db


def test_running_it_twice_changes_no_counts(seeded):
    # given the command ran twice
    # then the second run added nothing
    assert seeded.second == seeded.first


def test_demo_accounts_have_the_default_password(seeded):
    # given the first run, without DEMO_PASSWORD
    # then every demo account existed with the default password, which the command printed
    assert seeded.default_password_works == dict.fromkeys(ACCOUNTS, True)
    assert DEFAULT_PASSWORD in seeded.output


def test_demo_password_comes_from_the_environment(seeded):
    # given the second run, with DEMO_PASSWORD set
    # then every demo account now has that password
    users = get_user_model().objects.filter(username__in=ACCOUNTS)
    assert {user.username: user.check_password(ENVIRONMENT_PASSWORD) for user in users} == dict.fromkeys(ACCOUNTS, True)


def test_a_demo_account_can_log_in(seeded, client):
    # when the office account logs in with the password
    response = client.post("/accounts/login/", {"username": "office", "password": ENVIRONMENT_PASSWORD})

    # then it is signed in and sent home
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(get_user_model().objects.get(username="office").pk)


def test_demo_accounts_have_their_roles(seeded):
    # then each account is in its role, tied to what it acts for
    user_model = get_user_model()
    assert user_model.objects.get(username="admin").is_superuser
    for username, role in [("office", Role.OFFICE), ("committee", Role.COMMITTEE), ("unit", Role.UNIT)]:
        user = user_model.objects.get(username=username)
        assert user.groups.filter(name=role).exists()
        assert StaffProfile.objects.filter(user=user).exists()
    assert StaffProfile.objects.get(user__username="office").committee.is_deputy_affairs_office
    assert StaffProfile.objects.get(user__username="unit").handling_unit is not None
    assert StationStaff.objects.filter(user__username="station").exists()
    for username in ("deputy", "deputy2"):
        user = user_model.objects.get(username=username)
        assert user.groups.filter(name=Role.DEPUTY).exists()
        assert Deputy.objects.get(user=user).mandates.exists()


def test_about_four_hundred_deputies_some_at_two_levels(seeded):
    # then there are about 400 deputies, some holding seats at two levels
    assert 350 <= seeded.second["deputies"] <= 450
    two_levels = (
        Deputy.objects.annotate(levels=Count("mandates__congress__level", distinct=True)).filter(levels=2).count()
    )
    assert two_levels >= 20
    assert Deputy.objects.get(user__username="deputy").mandates.values("congress__level").distinct().count() == 2


def test_about_sixty_handling_units(seeded):
    # then there are about sixty units, some under a parent unit
    assert 50 <= seeded.second["units"] <= 70
    assert HandlingUnit.objects.filter(parent__isnull=False).exists()
