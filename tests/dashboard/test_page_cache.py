"""The pages' bodies are cached like the figures (dashboard/views/pages.py `_page`): a warm page
does not lay its tables out again, each user keeps their own frame, and a committed write makes the
next page fresh."""

from __future__ import annotations

from typing import Any

import pytest

from congress.roles import Role
from congress.services import user_assign_role
from dashboard.views import pages
from tests.congress.factories import UserFactory
from tests.dashboard.test_cache import new_suggestion, queries_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def builds(monkeypatch) -> list[str]:
    """Records each time the overview's tables are laid out."""
    calls: list[str] = []
    original = pages._overview

    def spy(f: Any) -> Any:
        calls.append("overview")
        return original(f)

    monkeypatch.setattr(pages, "_overview", spy)
    return calls


def test_a_warm_page_is_served_from_the_cached_body(client, leader_user, builds):
    client.force_login(leader_user)

    # when the overview is opened twice
    first, computing = queries_of(lambda: client.get("/dashboard/"))
    second, warm = queries_of(lambda: client.get("/dashboard/"))

    # then the second is the same page without laying the tables out again, in fewer queries
    assert first.status_code == second.status_code == 200
    assert builds == ["overview"]
    assert warm < computing
    assert 'data-testid="dashboard-overview"' in second.content.decode()
    assert first.content.decode().count("data-dashboard") == second.content.decode().count("data-dashboard") == 1


def test_two_users_share_the_body_but_not_the_frame(client, world, leader_user, builds):
    # given a second leader of the same congress
    other = user_assign_role(
        user=UserFactory(username="second-leader", first_name="另一位领导"), role=Role.LEADER, congress=world.a.congress
    )

    client.force_login(leader_user)
    mine = client.get("/dashboard/").content.decode()
    client.force_login(other)
    theirs = client.get("/dashboard/").content.decode()

    # then the tables were laid out once, and each page names its own user
    assert builds == ["overview"]
    assert "另一位领导" in theirs
    assert "另一位领导" not in mine


def test_a_committed_write_makes_the_next_page_fresh(
    client, world, leader_user, deputy_user, builds, django_capture_on_commit_callbacks
):
    client.force_login(leader_user)
    client.get("/dashboard/")

    # when a suggestion of the congress is submitted (and committed)
    with django_capture_on_commit_callbacks(execute=True):
        new_suggestion(deputy_user, world.a)

    # then the next page is laid out again
    client.get("/dashboard/")
    assert builds == ["overview", "overview"]


def test_the_large_type_switch_has_its_own_body(client, leader_user, builds):
    client.force_login(leader_user)
    client.get("/dashboard/")
    large = client.get("/dashboard/", {"present": "1"})
    assert large.status_code == 200
    assert builds == ["overview", "overview"]


def test_users_who_see_other_congresses_do_not_share_a_body(client, world, leader_user, builds):
    # given a leader of A and a global administrator, both asking for congress A
    admin = UserFactory(username="root", is_superuser=True, is_staff=True)
    query = {"congress": world.a.congress.pk}
    client.force_login(leader_user)
    client.get("/dashboard/", query)
    client.force_login(admin)
    page = client.get("/dashboard/", query).content.decode()

    # then each has a body of their own: the administrator's filter bar offers congress B too
    assert builds == ["overview", "overview"]
    assert world.b.congress.name in page
