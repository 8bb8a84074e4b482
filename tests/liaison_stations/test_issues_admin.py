"""Admin of the loop: each changelist in budget and scoped (its row makers are merged into
tests/congress/test_admin.py too), and the actions call the services."""

from __future__ import annotations

import pytest
from django.urls import reverse

from congress.models import Heartbeat
from liaison_stations.choices import Channel, IssueStatus
from liaison_stations.models import IssueRules, PublicIssue
from liaison_stations.services import issues as services
from tests.congress.factories import CalendarDayFactory
from tests.liaison_stations.factories_issues import IssueRulesFactory, PublicIssueFactory
from tests.liaison_stations.rows_issues import ROW_MAKERS
from tests.queries import assert_same_query_count

pytestmark = pytest.mark.django_db


def changelist(model) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.mark.parametrize("role", ["admin_user", "office_user"])
@pytest.mark.parametrize("model", list(ROW_MAKERS), ids=lambda model: model.__name__)
def test_changelists_keep_their_budget(client, request, world, django_assert_num_queries, role, model):
    client.force_login(request.getfixturevalue(role))
    Heartbeat.objects.create(name="celery", last_run_at="2026-03-02T08:00:00+08:00")
    CalendarDayFactory.create_batch(2)
    few, many = assert_same_query_count(
        django_assert_num_queries, lambda: client.get(changelist(model)), lambda: ROW_MAKERS[model](world)
    )
    assert few.status_code == many.status_code == 200
    before, after = few.context["cl"].result_count, many.context["cl"].result_count
    if model is IssueRules and role == "office_user":
        assert after == before  # the new rules belong to other congresses
    else:
        assert after == before + 18


def test_office_staff_see_only_their_congress(client, world, office_user):
    PublicIssueFactory(station=world.b.station)
    mine = PublicIssueFactory(station=world.a.station)
    IssueRulesFactory(congress=world.b.congress)
    client.force_login(office_user)
    assert [row.pk for row in client.get(changelist(PublicIssue)).context["cl"].result_list] == [mine.pk]
    assert list(client.get(changelist(IssueRules)).context["cl"].result_list) == []


def test_the_close_action_closes_answered_issues_through_the_service(client, world, office_user, station_user):
    issue = services.issue_submit(
        congress=world.a.congress, channel=Channel.VISIT, content="来访反映的问题内容", station=world.a.station
    )
    waiting = PublicIssueFactory(station=world.a.station)
    services.issue_screen(issue=issue, actor=station_user, accept=True, tier=1)
    services.issue_answer(issue=issue, actor=station_user, body="已解决")
    client.force_login(office_user)
    client.post(changelist(PublicIssue), {"action": "close_confirmed", "_selected_action": [issue.pk, waiting.pk]})
    assert PublicIssue.objects.get(pk=issue.pk).status == IssueStatus.CLOSED
    assert PublicIssue.objects.get(pk=waiting.pk).status == IssueStatus.SUBMITTED


def test_issues_cannot_be_added_in_the_admin(client, office_user):
    client.force_login(office_user)
    assert client.get(reverse("admin:liaison_stations_publicissue_add")).status_code == 403
