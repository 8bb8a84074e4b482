"""Who changed what: a move made through a page leaves history rows naming the user who made it."""

from __future__ import annotations

from django.urls import reverse

from suggestions.choices import Rating
from suggestions.models import Assignment, Evaluation, Suggestion, SupervisionCase


def test_an_unsatisfied_rating_in_the_portal_is_recorded_with_its_author(client, flow, deputy_user):
    # given a reply waiting for the deputy's rating
    suggestion, reply = flow.replied()
    client.force_login(deputy_user)

    # when the deputy rates it unsatisfied in the portal
    url = reverse("suggestions:portal_evaluate", args=[suggestion.pk, reply.pk])
    response = client.post(url, {"attitude": Rating.UNSATISFIED, "result": Rating.UNSATISFIED, "comment": "未解决"})
    assert response.status_code == 302

    # then every row the move wrote has a history entry naming the deputy
    evaluation = Evaluation.objects.get(reply=reply)
    assert evaluation.history.get().history_user == deputy_user
    assert Assignment.objects.get(pk=reply.assignment_id).history.latest().history_user == deputy_user
    assert Suggestion.objects.get(pk=suggestion.pk).history.latest().history_user == deputy_user
    case = SupervisionCase.objects.get(suggestion=suggestion)
    assert case.history.get().history_type == "+"
    assert case.history.get().history_user == deputy_user


def test_each_move_adds_history_in_order(flow):
    # the suggestion's history follows its moves, from draft to replied
    suggestion, _reply = flow.replied()
    statuses = list(
        Suggestion.objects.get(pk=suggestion.pk).history.order_by("history_id").values_list("status", flat=True)
    )
    assert statuses[0] == "draft"
    assert statuses[-1] == "replied"
    assert {"submitted", "accepted", "assigned"} <= set(statuses)
