"""Concurrent submits get gap-free numbers (PostgreSQL): many deputies submitting at the same moment
through the portal, and submissions failing after they drew their number, leave 1, 2, 3 … with no
number twice and none missing; the failed ones get the next numbers when they submit again."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import DatabaseError
from django.test import Client
from django.urls import reverse

from suggestions import services
from suggestions.choices import EventAction, SuggestionStatus
from suggestions.models import Suggestion, SuggestionCounter
from tests.congress.factories import SessionFactory
from tests.faults.conftest import at_once, needs_postgres

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres():
    needs_postgres()


def numbers(pks: list[int]) -> list[int | None]:
    return sorted(Suggestion.objects.filter(pk__in=pks).values_list("number", flat=True), key=lambda n: n or 0)


def draft_of(user: Any, world: Any, index: int, session: Any = None) -> Suggestion:
    return services.suggestion_create(
        actor=user,
        deputy=user.deputy,
        session=session or world.a.session,
        title=f"关于加强社区养老服务的建议（{user.username}-{index}）",
        body="建议……",
        category=world.a.subject_category,
    )


def test_deputies_submitting_at_once_in_the_portal_get_every_number_once(
    world, deputy_user, second_deputy_user, cosigner_user
):
    # given three deputies with four drafts each, each signed in on their phone
    deputies = [deputy_user, second_deputy_user, cosigner_user]
    drafts = [(user, draft_of(user, world, index)) for user in deputies for index in range(4)]

    def submit(user: Any, draft: Suggestion) -> int:
        client = Client()
        client.force_login(user)
        return client.post(reverse("suggestions:portal_action", args=[draft.pk, "submit"])).status_code

    # when all twelve press "submit" at the same moment
    statuses = at_once(*[lambda user=user, draft=draft: submit(user, draft) for user, draft in drafts])

    # then every submission went through and the numbers are exactly 1..12
    assert statuses == [302] * 12
    pks = [draft.pk for _user, draft in drafts]
    assert numbers(pks) == list(range(1, 13))
    assert set(Suggestion.objects.filter(pk__in=pks).values_list("status", flat=True)) == {SuggestionStatus.SUBMITTED}
    assert SuggestionCounter.objects.get(session=world.a.session).last_number == 12


def test_submissions_failing_at_once_leave_no_gap(world, deputy_user, monkeypatch):
    # given 16 drafts of session 5 and 4 of session 6; three of session 5's submissions lose the
    # database after drawing their number (when writing their event)
    next_session = SessionFactory(term=world.a.term, number=6)
    drafts = [draft_of(deputy_user, world, index) for index in range(16)]
    others = [draft_of(deputy_user, world, index, session=next_session) for index in range(16, 20)]
    failing = {drafts[2].pk, drafts[7].pk, drafts[11].pk}
    real_record_event = services.record_event

    def record_event(**kwargs: Any) -> Any:
        if kwargs["action"] == EventAction.SUBMIT and kwargs["suggestion"].pk in failing:
            raise DatabaseError("server closed the connection unexpectedly")
        return real_record_event(**kwargs)

    monkeypatch.setattr(services, "record_event", record_event)

    def submit(draft: Suggestion) -> str:
        try:
            services.suggestion_submit(suggestion=draft, actor=deputy_user)
        except DatabaseError:
            return "failed"
        return "submitted"

    # when all twenty are submitted at the same moment
    outcomes = at_once(*[lambda draft=draft: submit(draft) for draft in drafts + others])

    # then the three failed and kept no number; the others are 1..13 and 1..4
    assert outcomes.count("failed") == 3
    assert numbers(sorted(failing)) == [None, None, None]
    assert set(Suggestion.objects.filter(pk__in=failing).values_list("status", flat=True)) == {SuggestionStatus.DRAFT}
    assert numbers([draft.pk for draft in drafts if draft.pk not in failing]) == list(range(1, 14))
    assert numbers([draft.pk for draft in others]) == [1, 2, 3, 4]

    # when the failed ones are submitted again once the database is back
    monkeypatch.setattr(services, "record_event", real_record_event)
    assert (
        at_once(*[lambda pk=pk: submit(Suggestion.objects.get(pk=pk)) for pk in sorted(failing)]) == ["submitted"] * 3
    )

    # then session 5 runs 1..16 without a gap or a repeat
    assert numbers([draft.pk for draft in drafts]) == list(range(1, 17))
    assert SuggestionCounter.objects.get(session=world.a.session).last_number == 16
