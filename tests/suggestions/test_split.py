"""Split mode: each unit answers separately and each track is rated on its own."""

import datetime

import pytest

from suggestions.choices import AssignmentStatus, Rating, SuggestionStatus
from suggestions.models import HandlingRound, SupervisionCase

pytestmark = pytest.mark.django_db


def reload(obj):
    return type(obj).objects.get(pk=obj.pk)


def test_one_split_unit_rehandles_while_the_other_is_rated(flow):
    # given a split suggestion both units answered
    suggestion, first, second = flow.split_replied(code="B")
    assert suggestion.status == SuggestionStatus.REPLIED

    # when the deputy rates the first unit 不满意 and, during its re-handling, the second 满意
    flow.rate(first, Rating.UNSATISFIED)
    flow.rate(second, Rating.SATISFIED, on=datetime.date(2026, 5, 8))

    # then only the first unit's track reopened, one case exists, and the suggestion waits for it
    suggestion = reload(suggestion)
    assert suggestion.status == SuggestionStatus.ASSIGNED
    assert reload(first.assignment).status == AssignmentStatus.ASSIGNED
    assert reload(second.assignment).status == AssignmentStatus.REPLIED
    assert HandlingRound.objects.filter(assignment=second.assignment).count() == 1
    assert SupervisionCase.objects.filter(suggestion=suggestion).count() == 1

    # when the first unit answers again and the deputy is satisfied
    again = flow.reply(flow.assignment(suggestion, flow.lead_unit), code="A", on=datetime.date(2026, 5, 20))
    assert reload(suggestion).status == SuggestionStatus.REPLIED
    flow.rate(again, Rating.SATISFIED, on=datetime.date(2026, 5, 22))

    # then the suggestion is closed
    assert reload(suggestion).status == SuggestionStatus.CLOSED


def test_the_other_split_units_reply_is_offered_for_rating_during_rehandling(client, flow, deputy_user):
    # given a split suggestion whose first unit is re-handling after 不满意
    suggestion, first, second = flow.split_replied(code="B")
    flow.rate(first, Rating.UNSATISFIED)

    # when the deputy opens the portal
    client.force_login(deputy_user)
    listing = client.get("/portal/suggestions/")
    detail = client.get(f"/portal/suggestions/{suggestion.pk}/")

    # then the second unit's reply is offered for rating in both places
    assert list(listing.context["to_rate"]) == [second]
    assert detail.context["waiting_replies"] == [second]
