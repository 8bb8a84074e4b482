"""Numbers (第0001号) are given at submission: 1, 2, 3… per congress and session, without gaps, also
when a submission fails or many deputies submit at once."""

import threading

import pytest
from django.db import connection

from suggestions import services
from suggestions.choices import EventAction
from suggestions.exceptions import ForbiddenMove
from suggestions.models import Suggestion, SuggestionCounter
from tests.congress.factories import SessionFactory
from tests.suggestions.conftest import reload

pytestmark = pytest.mark.django_db


def numbers(suggestions):
    return [reload(suggestion).number for suggestion in suggestions]


def test_numbers_run_per_congress_and_session(flow, world, other_deputy_user):
    # given a second session of congress A, and congress B
    next_session = SessionFactory(term=world.a.term, number=6)
    drafts_b = [
        services.suggestion_create(
            actor=other_deputy_user,
            deputy=other_deputy_user.deputy,
            session=world.b.session,
            title=f"乙市建议{index}",
            body="正文",
            category=world.b.subject_category,
        )
        for index in range(2)
    ]

    # when deputies submit, interleaved
    first_a = [flow.submitted(), flow.submitted()]
    first_next = [flow.submitted(session=next_session)]
    for draft in drafts_b:
        services.suggestion_submit(suggestion=draft, actor=other_deputy_user)
    first_a.append(flow.submitted())
    first_next.append(flow.submitted(session=next_session))

    # then each congress and session counts on its own
    assert numbers(first_a) == [1, 2, 3]
    assert numbers(first_next) == [1, 2]
    assert numbers(drafts_b) == [1, 2]


def test_a_draft_has_no_number(flow):
    assert reload(flow.draft()).number is None


def test_a_returned_and_resubmitted_suggestion_keeps_its_number(flow):
    # given suggestion 1 returned to the deputy, and suggestion 2 submitted meanwhile
    returned = flow.submitted()
    services.suggestion_review(suggestion=returned, actor=flow.office_user, decision="return", reason="请补充")
    other = flow.submitted()

    # when the deputy submits it again
    flow.submit(returned)

    # then it is still number 1, and the next one is 3
    assert numbers([returned, other]) == [1, 2]
    assert numbers([flow.submitted()]) == [3]


def test_a_failed_submission_leaves_no_gap(flow, monkeypatch):
    # given the first submission fails after its number was drawn (the event cannot be written)
    first, second = flow.draft(), flow.draft()
    real_record_event = services.record_event

    def record_event(**kwargs):
        if kwargs["action"] == EventAction.SUBMIT:
            raise RuntimeError("database went away")
        return real_record_event(**kwargs)

    monkeypatch.setattr(services, "record_event", record_event)
    with pytest.raises(RuntimeError):
        flow.submit(first)
    monkeypatch.setattr(services, "record_event", real_record_event)

    # when the deputies submit again
    flow.submit(second)
    flow.submit(first)

    # then the numbers are 1 and 2, the failed attempt left nothing behind
    assert numbers([second, first]) == [1, 2]
    assert SuggestionCounter.objects.get().last_number == 2


def test_a_refused_submission_draws_no_number(flow, cosigner_user):
    # given a draft whose co-signer has not answered
    waiting = flow.draft(cosigners=(cosigner_user.deputy,))
    with pytest.raises(ForbiddenMove):
        flow.submit(waiting)

    # when another suggestion is submitted
    submitted = flow.submitted()

    # then it is number 1
    assert numbers([waiting, submitted]) == [None, 1]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_submissions_get_every_number_once(flow):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (DATABASE_URL)")

    # given 8 drafts of the same session, and no counter yet
    drafts = [flow.draft() for _ in range(8)]
    assert not SuggestionCounter.objects.exists()
    barrier = threading.Barrier(len(drafts))
    errors = []

    def submit(draft):
        try:
            barrier.wait()
            services.suggestion_submit(suggestion=draft, actor=flow.deputy_user)
        except Exception as error:  # reported below
            errors.append(error)
        finally:
            connection.close()

    # when all are submitted at once
    threads = [threading.Thread(target=submit, args=(draft,)) for draft in drafts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    # then the numbers are exactly 1..8
    assert errors == []
    given = list(Suggestion.objects.filter(pk__in=[draft.pk for draft in drafts]).values_list("number", flat=True))
    assert sorted(given) == list(range(1, 9))
    assert SuggestionCounter.objects.get().last_number == 8
