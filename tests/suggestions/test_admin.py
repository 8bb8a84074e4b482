"""Admin of the workflow: changelists in budget, actions that call the services, no drafts shown."""

import pytest

from suggestions.choices import SuggestionStatus
from suggestions.models import Suggestion
from tests.queries import assert_same_query_count

pytestmark = pytest.mark.django_db

CHANGELISTS = [
    "suggestion",
    "assignment",
    "reply",
    "evaluation",
    "supervisioncase",
    "adjustmentrequest",
    "extensionrequest",
    "keysuggestiontopic",
    "replyclass",
    "handlingrules",
]


@pytest.mark.parametrize("model", CHANGELISTS)
def test_changelists_answer_and_keep_their_query_budget(client, flow, office_user, model, django_assert_num_queries):
    # given office staff and two rated replies
    client.force_login(office_user)
    for _ in range(2):
        _suggestion, reply = flow.replied()
        flow.rate(reply, "satisfied")
    url = f"/admin/suggestions/{model}/"

    # then the changelist answers with as many queries for 20 rows as for 2
    def more():
        for _ in range(18):
            _suggestion, reply = flow.replied()
            flow.rate(reply, "satisfied")

    few, many = assert_same_query_count(django_assert_num_queries, lambda: client.get(url), more)
    assert few.status_code == many.status_code == 200


def test_assign_action_assigns_each_selected_suggestion(client, flow, office_user):
    # given two accepted suggestions
    first, second = flow.accepted(), flow.accepted()
    client.force_login(office_user)

    # when the office assigns both in bulk through the intermediate page
    page = client.post(
        "/admin/suggestions/suggestion/", {"action": "assign", "_selected_action": [first.pk, second.pk]}
    )
    response = client.post(
        "/admin/suggestions/suggestion/",
        {
            "action": "assign",
            "_selected_action": [first.pk, second.pk],
            "apply": "1",
            "mode": "lead",
            "lead_units": [flow.lead_unit.pk],
            "co_units": [flow.co_unit.pk],
        },
    )

    # then both are assigned with their units, through the service (events written)
    assert page.status_code == 200
    assert response.status_code == 302
    for suggestion in (first, second):
        assert Suggestion.objects.get(pk=suggestion.pk).status == SuggestionStatus.ASSIGNED
        assert suggestion.events.filter(action="assign").count() == 1


def test_review_action_refuses_a_return_without_reason_by_name(client, flow, office_user):
    # given a submitted suggestion
    suggestion = flow.submitted()
    client.force_login(office_user)

    # when the office returns it without a reason
    response = client.post(
        "/admin/suggestions/suggestion/",
        {"action": "return_to_deputy", "_selected_action": [suggestion.pk], "apply": "1", "reason": ""},
        follow=True,
    )

    # then it stays submitted and the page names the suggestion with the reason for refusing
    assert Suggestion.objects.get(pk=suggestion.pk).status == SuggestionStatus.SUBMITTED
    assert any(suggestion.title in str(message) for message in response.context["messages"])
