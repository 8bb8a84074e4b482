"""congress.db_router: the dashboard's reads go to the replica when one is configured."""

import pytest
from django.db import router

from congress import db_router
from congress.db_router import REPLICA, ReplicaRouter, reads_from_replica, replica_reads
from congress.models import Congress


@pytest.fixture
def with_replica(monkeypatch):
    """Pretend a replica alias is configured (the router only asks whether the alias exists)."""
    monkeypatch.setattr(db_router, "replica_configured", lambda: True)


def test_reads_go_to_the_replica_only_inside_the_block(with_replica):
    routing = ReplicaRouter()
    assert routing.db_for_read(Congress) is None
    with replica_reads():
        assert routing.db_for_read(Congress) == REPLICA
        # writes never go to the replica
        assert routing.db_for_write(Congress) == "default"
    assert routing.db_for_read(Congress) is None


def test_without_a_replica_the_block_changes_nothing():
    routing = ReplicaRouter()
    with replica_reads():
        assert routing.db_for_read(Congress) is None


def test_the_decorator_routes_the_view_and_restores_after_an_error(with_replica):
    routing = ReplicaRouter()

    @reads_from_replica
    def failing_view():
        assert routing.db_for_read(Congress) == REPLICA
        raise ValueError("boom")

    with pytest.raises(ValueError, match="boom"):
        failing_view()
    assert routing.db_for_read(Congress) is None


def test_migrations_never_run_on_the_replica():
    routing = ReplicaRouter()
    assert routing.allow_migrate(REPLICA, "congress") is False
    assert routing.allow_migrate("default", "congress") is True


@pytest.mark.parametrize("path", ["/dashboard/", "/api/v1/stats/suggestions/"])
def test_the_dashboard_reads_inside_the_replica_block(path, client, leader_user, with_replica, monkeypatch):
    # given a router that records where the dashboard's reads would go
    seen = []
    original = ReplicaRouter.db_for_read

    def spy(self, model, **hints):
        alias = original(self, model, **hints)
        seen.append(alias)
        return None  # the test database has no replica alias: read from default after recording

    monkeypatch.setattr(ReplicaRouter, "db_for_read", spy)
    monkeypatch.setattr(router, "routers", [ReplicaRouter()])
    client.force_login(leader_user)

    # when a leader opens the page
    response = client.get(path)

    # then it answered, and its reads were routed to the replica
    assert response.status_code == 200
    assert REPLICA in seen


def test_workflow_pages_do_not_read_the_replica(client, deputy_user, with_replica, monkeypatch):
    seen = []
    original = ReplicaRouter.db_for_read

    def spy(self, model, **hints):
        seen.append(original(self, model, **hints))
        return None

    monkeypatch.setattr(ReplicaRouter, "db_for_read", spy)
    monkeypatch.setattr(router, "routers", [ReplicaRouter()])
    client.force_login(deputy_user)
    assert client.get("/portal/suggestions/").status_code == 200
    assert seen
    assert REPLICA not in seen
