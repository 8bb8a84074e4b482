"""Closing a suggestion (satisfied, or silence after the evaluation window), B/C follow-ups, and
publication of replies."""

import datetime

import pytest

from congress.services import calendar_load_official
from suggestions import services
from suggestions.choices import (
    AssignmentStatus,
    CloseReason,
    Confidentiality,
    EventAction,
    Publication,
    Rating,
    SuggestionStatus,
    SupervisionActionKind,
)
from suggestions.models import HandlingRound, SupervisionCase
from tests.suggestions.conftest import REPLIED_ON, actions, recorded_events, reload

pytestmark = pytest.mark.django_db

S = SuggestionStatus
ONE_DAY = datetime.timedelta(days=1)


# --- satisfied ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("result", [Rating.SATISFIED, Rating.BASICALLY_SATISFIED])
def test_a_satisfied_or_basically_satisfied_lead_reply_closes_the_suggestion(flow, result):
    # given
    suggestion, reply = flow.replied(co=True)

    # when
    flow.rate(reply, result)

    # then
    stored = reload(suggestion)
    assert (stored.status, stored.close_reason) == (S.CLOSED, CloseReason.SATISFIED)


def test_in_split_mode_the_suggestion_closes_when_every_unit_is_rated(flow):
    # given both split units replied
    suggestion, first, second = flow.split_replied()

    # when the first reply is rated
    with recorded_events() as first_events:
        flow.rate(first, Rating.SATISFIED)

    # then it waits for the second rating
    assert reload(suggestion).status == S.REPLIED
    assert actions(first_events) == [EventAction.EVALUATE]

    # when the second is rated
    with recorded_events() as second_events:
        flow.rate(second, Rating.BASICALLY_SATISFIED)

    # then it closes
    assert reload(suggestion).status == S.CLOSED
    assert actions(second_events) == [EventAction.EVALUATE, EventAction.CLOSE]


# --- no feedback in time ------------------------------------------------------------------------------


def test_silence_closes_only_after_the_evaluation_window(flow, writes_nothing):
    # given a reply on Monday 11 May: 20 working days run to Monday 8 June
    suggestion, reply = flow.replied()
    assert reply.evaluation_due_on == datetime.date(2026, 6, 8)

    # when the sweep runs on the last day of the window, then nothing happens
    before = reload(suggestion)
    assert services.suggestion_close_without_feedback(suggestion=suggestion, on=reply.evaluation_due_on) is False
    assert reload(suggestion).status == before.status == S.REPLIED

    # when it runs the day after, then the suggestion closes as 未反馈
    with recorded_events() as events:
        assert services.suggestion_close_without_feedback(suggestion=suggestion, on=reply.evaluation_due_on + ONE_DAY)
    stored = reload(suggestion)
    assert (stored.status, stored.close_reason) == (S.CLOSED, CloseReason.NO_FEEDBACK)
    assert actions(events) == [EventAction.CLOSE]

    # when it runs again, then nothing more is written
    with recorded_events() as again:
        assert (
            services.suggestion_close_without_feedback(suggestion=suggestion, on=reply.evaluation_due_on + ONE_DAY)
            is False
        )
    assert again == []


def test_the_evaluation_window_counts_working_days_of_the_calendar(flow):
    # given the official calendar, and a reply before the Mid-Autumn and National Day holidays
    calendar_load_official(years=[2026])
    suggestion = flow.assigned()
    reply = flow.reply(flow.assignment(suggestion), on=datetime.date(2026, 9, 24))

    # then 20 working days skip the holidays and count Saturday 10 October (调休)
    assert reply.evaluation_due_on == datetime.date(2026, 10, 29)
    assert services.suggestion_close_without_feedback(suggestion=suggestion, on=datetime.date(2026, 10, 29)) is False
    assert services.suggestion_close_without_feedback(suggestion=suggestion, on=datetime.date(2026, 10, 30)) is True


def test_silence_does_not_close_a_suggestion_still_being_handled(flow):
    suggestion = flow.assigned()

    assert services.suggestion_close_without_feedback(suggestion=suggestion, on=datetime.date(2027, 1, 1)) is False
    assert reload(suggestion).status == S.ASSIGNED


def test_silence_does_not_close_while_an_unsatisfied_case_waits_for_the_committee(flow):
    # given still unsatisfied after re-handling: the case stays open, the suggestion replied
    suggestion, reply = flow.replied()
    flow.rate(reply, Rating.UNSATISFIED)
    second = flow.reply(flow.assignment(suggestion), on=datetime.date(2026, 6, 1))
    flow.rate(second, Rating.UNSATISFIED, on=datetime.date(2026, 6, 2))

    # when the sweep runs long after every window
    closed = services.suggestion_close_without_feedback(suggestion=suggestion, on=datetime.date(2027, 1, 1))

    # then it stays with the committee
    assert closed is False
    assert reload(suggestion).status == S.REPLIED


def test_in_split_mode_silence_on_one_unit_closes_after_its_window(flow):
    # given both split units replied, only the first was rated
    suggestion, first, second = flow.split_replied()
    flow.rate(first, Rating.SATISFIED)

    # when the second reply's window passes
    assert services.suggestion_close_without_feedback(suggestion=suggestion, on=second.evaluation_due_on) is False
    closed = services.suggestion_close_without_feedback(suggestion=suggestion, on=second.evaluation_due_on + ONE_DAY)

    # then
    assert closed is True
    assert reload(suggestion).close_reason == CloseReason.NO_FEEDBACK


def _split_with_first_unit_explained(flow, committee_user):
    """Split mode: the first unit is still unsatisfied after re-handling and the committee closed its
    case with an explanation after meeting the deputy; the second unit's reply is not rated yet."""
    suggestion, first, second = flow.split_replied()
    flow.rate(first, Rating.UNSATISFIED)
    again = flow.reply(flow.assignment(suggestion, flow.lead_unit), on=datetime.date(2026, 6, 1))
    flow.rate(again, Rating.UNSATISFIED, on=datetime.date(2026, 6, 2))
    case = SupervisionCase.objects.get()
    services.supervision_action_record(
        case=case,
        actor=committee_user,
        kind=SupervisionActionKind.FACE_TO_FACE,
        date=datetime.date(2026, 6, 5),
        note="当面沟通",
    )
    services.supervision_close(case=case, actor=committee_user, outcome="已向代表解释")
    assert reload(suggestion).status == S.REPLIED  # the second unit still waits for its rating
    return suggestion, second


def test_in_split_mode_the_last_rating_closes_after_an_explained_unit(flow, committee_user):
    # given one unit explained, the other waiting for its rating
    suggestion, second = _split_with_first_unit_explained(flow, committee_user)

    # when the deputy rates the other unit satisfied
    flow.rate(second, Rating.SATISFIED, on=datetime.date(2026, 6, 8))

    # then nothing is left to wait for: the suggestion closes
    assert reload(suggestion).status == S.CLOSED


def test_in_split_mode_silence_closes_after_an_explained_unit(flow, committee_user):
    # given one unit explained, the other waiting for its rating
    suggestion, second = _split_with_first_unit_explained(flow, committee_user)

    # when the other unit's evaluation window passes without a rating
    closed = services.suggestion_close_without_feedback(suggestion=suggestion, on=second.evaluation_due_on + ONE_DAY)

    # then the suggestion closes
    assert closed is True
    assert reload(suggestion).status == S.CLOSED


# --- B/C follow-up replies -----------------------------------------------------------------------------


def test_a_follow_up_reply_after_closing_reopens_nothing(flow):
    # given a B reply rated satisfied: closed, a follow-up is due
    suggestion, reply = flow.replied(code="B")
    assert reply.follow_up_due_on == datetime.date(2026, 11, 11)
    flow.rate(reply, Rating.SATISFIED)

    # when the unit reports it done
    with recorded_events() as events:
        follow_up = services.follow_up_reply_submit(
            assignment=reply.assignment,
            actor=flow.unit_user,
            reply_class=flow.reply_classes["A"],
            text="已建成",
            document_number="甲自然资函〔2026〕88号",
            signer="张局长",
            on=datetime.date(2026, 10, 12),
        )

    # then it is kept as a follow-up of the same round, and nothing moved
    assert (follow_up.is_follow_up, follow_up.round_id) == (True, reply.round_id)
    assert reload(reply).follow_up_due_on is None
    assert reload(suggestion).status == S.CLOSED
    assert reload(reply.assignment).status == AssignmentStatus.REPLIED
    assert HandlingRound.objects.filter(assignment=reply.assignment).count() == 1
    assert actions(events) == [EventAction.FOLLOW_UP]


def test_a_follow_up_before_the_rating_leaves_the_rating_to_the_first_reply(flow):
    # given a C reply and its follow-up before the deputy rated
    suggestion, reply = flow.replied(code="C")
    services.follow_up_reply_submit(
        assignment=reply.assignment,
        actor=flow.unit_user,
        reply_class=flow.reply_classes["A"],
        text="已解决",
        document_number="2",
        signer="张",
        on=REPLIED_ON + ONE_DAY,
    )
    assert reload(suggestion).status == S.REPLIED

    # when the deputy rates the reply
    flow.rate(reply, Rating.SATISFIED)

    # then it closes as usual
    assert reload(suggestion).status == S.CLOSED


# --- publication -------------------------------------------------------------------------------------


@pytest.mark.parametrize("publication", [Publication.FULL, Publication.SUMMARY])
def test_a_reply_to_a_public_suggestion_is_published_once(flow, publication):
    # given
    _suggestion, reply = flow.replied(publication=publication)

    # when published twice
    with recorded_events() as events:
        services.reply_publish(reply=reply, actor=flow.office_user)
        published_at = reload(reply).published_at
        services.reply_publish(reply=reply, actor=flow.office_user)

    # then
    assert published_at is not None
    assert reload(reply).published_at == published_at
    assert actions(events) == [EventAction.PUBLISH]


def test_a_reply_to_a_confidential_suggestion_is_not_published(flow, writes_nothing):
    _suggestion, reply = flow.replied(confidentiality=Confidentiality.CONFIDENTIAL)

    with writes_nothing():
        services.reply_publish(reply=reply, actor=flow.office_user)


def test_a_withheld_reply_is_not_published(flow, writes_nothing):
    # given the deputy asked for the reply not to be published
    _suggestion, reply = flow.replied(publication=Publication.WITHHELD)
    assert reply.publication == Publication.WITHHELD

    with writes_nothing():
        services.reply_publish(reply=reply, actor=flow.office_user)


def test_a_reply_the_unit_marked_withheld_is_not_published(flow, writes_nothing):
    suggestion = flow.assigned()
    reply = flow.reply(flow.assignment(suggestion), publication=Publication.WITHHELD)

    with writes_nothing():
        services.reply_publish(reply=reply, actor=flow.office_user)
