"""The 不满意 hand-off (domain.md §3.3): one transaction opens the next round for that unit and one
supervision case for the counterpart committee; notifications follow the commit, once."""

import datetime
import threading

import pytest
from django.db import connection

from congress.models import Notification
from suggestions import services
from suggestions.choices import (
    AssignmentStatus,
    CloseReason,
    EventAction,
    HandlingRoundReason,
    Rating,
    SuggestionStatus,
    SupervisionActionKind,
    SupervisionStatus,
    SupervisionTrigger,
)
from suggestions.exceptions import ForbiddenMove
from suggestions.models import Evaluation, HandlingRound, SupervisionCase
from suggestions.tasks import notify_event_task
from tests.callbacks import without_dashboard
from tests.congress.factories import CommitteeFactory, SubjectCategoryFactory
from tests.suggestions.conftest import RATED_ON, actions, recorded_events, reload

pytestmark = pytest.mark.django_db

S = SuggestionStatus
A = AssignmentStatus
REHANDLING_DUE = datetime.date(2026, 6, 22)  # RATED_ON + 1 month is Saturday 20 June: the Monday after


def test_unsatisfied_opens_the_next_round_and_one_case_for_the_counterpart_committee(flow):
    # given a replied suggestion of the education category (counterpart: 教科文卫委)
    suggestion, reply = flow.replied()
    lead = reply.assignment

    # when the deputy rates the result 不满意
    with recorded_events() as events:
        evaluation = flow.rate(reply, Rating.UNSATISFIED, on=RATED_ON)

    # then round 2 is open for the lead unit, due one month later on a working day
    rounds = list(HandlingRound.objects.filter(assignment=lead).values_list("number", "reason", "opened_on", "due_on"))
    assert rounds[1:] == [(2, HandlingRoundReason.REHANDLING, RATED_ON, REHANDLING_DUE)]
    stored_lead = reload(lead)
    assert (stored_lead.status, stored_lead.due_on) == (A.ASSIGNED, REHANDLING_DUE)
    assert reload(suggestion).status == S.ASSIGNED
    # and one case of the counterpart committee follows that round
    case = SupervisionCase.objects.get()
    assert (case.committee, case.trigger, case.status) == (
        flow.a.committee,
        SupervisionTrigger.UNSATISFIED,
        SupervisionStatus.OPEN,
    )
    assert (case.suggestion, case.assignment, case.round.number, case.evaluation) == (suggestion, lead, 2, evaluation)
    assert (case.opened_on, case.due_on) == (RATED_ON, REHANDLING_DUE)
    assert actions(events) == [EventAction.EVALUATE, EventAction.REHANDLE, EventAction.SUPERVISE]


def test_the_case_goes_to_the_committee_counterpart_of_the_subject(flow, world):
    # given a suggestion whose category is the environment's (counterpart: 环资委)
    environment = CommitteeFactory(congress=world.a.congress, name="甲市环境与资源保护委员会")
    category = SubjectCategoryFactory(counterpart_committee=environment, name="甲市环境")
    _suggestion, reply = flow.replied(category=category)

    # when
    flow.rate(reply, Rating.UNSATISFIED)

    # then
    assert SupervisionCase.objects.get().committee == environment


def test_an_unsatisfied_attitude_with_a_satisfied_result_is_not_a_hand_off(flow):
    # given
    suggestion, reply = flow.replied()

    # when the deputy is unhappy with the attitude only
    services.evaluation_submit(
        reply=reply, actor=flow.deputy_user, attitude=Rating.UNSATISFIED, result=Rating.SATISFIED
    )

    # then the result decides: closed, no round 2, no case
    assert reload(suggestion).status == S.CLOSED
    assert not SupervisionCase.objects.exists()
    assert HandlingRound.objects.filter(number=2).count() == 0


def test_in_split_mode_only_that_units_track_reopens(flow):
    # given both split units replied
    suggestion, first, second = flow.split_replied()

    # when the first unit's reply is rated 不满意
    flow.rate(first, Rating.UNSATISFIED)

    # then only the first unit re-handles
    assert reload(first.assignment).status == A.ASSIGNED
    assert reload(second.assignment).status == A.REPLIED
    assert HandlingRound.objects.filter(assignment=first.assignment).count() == 2
    assert HandlingRound.objects.filter(assignment=second.assignment).count() == 1
    assert reload(suggestion).status == S.ASSIGNED
    case = SupervisionCase.objects.get()
    assert case.assignment == first.assignment


def test_a_second_submit_of_the_same_rating_is_refused_and_leaves_one_round_and_one_case(flow, writes_nothing):
    # given the deputy rated 不满意 once (a double click sends it again)
    _suggestion, reply = flow.replied()
    flow.rate(reply, Rating.UNSATISFIED)

    # when / then
    with writes_nothing(ForbiddenMove):
        flow.rate(reply, Rating.UNSATISFIED)
    assert HandlingRound.objects.filter(assignment=reply.assignment).count() == 2
    assert SupervisionCase.objects.count() == 1
    assert Evaluation.objects.count() == 1


def test_the_notifications_go_out_after_the_commit_to_committee_unit_and_deputy(
    flow, django_capture_on_commit_callbacks, committee_user, co_unit_user
):
    # given
    _suggestion, reply = flow.replied(co=True)

    # when the rating commits
    with django_capture_on_commit_callbacks(execute=False) as captured:
        flow.rate(reply, Rating.UNSATISFIED)

    # then nothing is sent before the commit, and the committee, the unit and the deputy are told after it
    callbacks = without_dashboard(captured)
    assert len(callbacks) == 1
    assert not Notification.objects.exists()
    callbacks[0]()
    assert sorted(Notification.objects.values_list("user__username", flat=True)) == sorted(
        [committee_user.username, flow.unit_user.username, flow.deputy_user.username]
    )


@pytest.mark.parametrize("run", ["redelivered", "called", "applied"])
def test_the_notification_task_run_twice_notifies_once(flow, django_capture_on_commit_callbacks, committee_user, run):
    # given the hand-off committed, its notification task queued after the commit
    _suggestion, reply = flow.replied()
    with django_capture_on_commit_callbacks() as captured:
        flow.rate(reply, Rating.UNSATISFIED)
    case = SupervisionCase.objects.get()
    callbacks = without_dashboard(captured)
    assert len(callbacks) == 1

    # when the task runs twice (a broker redelivery, a retry, a second worker)
    for _ in range(2):
        if run == "redelivered":
            callbacks[0]()
        elif run == "called":
            notify_event_task("unsatisfied", case.pk)
        else:
            notify_event_task.apply(args=("unsatisfied", case.pk))

    # then the committee, the unit and the deputy are told once each
    assert sorted(Notification.objects.values_list("user__username", flat=True)) == sorted(
        [committee_user.username, flow.unit_user.username, flow.deputy_user.username]
    )


@pytest.mark.parametrize("failing_write", [EventAction.REHANDLE, EventAction.SUPERVISE])
def test_a_failure_inside_the_hand_off_leaves_nothing_half_written(flow, monkeypatch, writes_nothing, failing_write):
    # given a replied suggestion, and a write inside the hand-off that fails after the evaluation row
    _suggestion, reply = flow.replied()
    real_record_event = services.record_event

    def record_event(**kwargs):
        if kwargs["action"] == failing_write:
            raise RuntimeError("database went away")
        return real_record_event(**kwargs)

    monkeypatch.setattr(services, "record_event", record_event)

    # when / then: no evaluation, no round, no case, no status change, no event, no notification
    with writes_nothing(RuntimeError):
        flow.rate(reply, Rating.UNSATISFIED)

    # and the deputy can simply rate again once the failure is gone
    monkeypatch.setattr(services, "record_event", real_record_event)
    flow.rate(reply, Rating.UNSATISFIED)
    assert SupervisionCase.objects.count() == 1
    assert HandlingRound.objects.filter(assignment=reply.assignment).count() == 2


def _second_round_reply(flow, suggestion):
    return flow.reply(flow.assignment(suggestion), code="C", on=RATED_ON + datetime.timedelta(days=14))


def test_still_unsatisfied_after_rehandling_opens_no_third_round(
    flow, committee_user, django_capture_on_commit_callbacks
):
    # given round 2 answered after a first 不满意
    suggestion, reply = flow.replied()
    with django_capture_on_commit_callbacks(execute=True):
        flow.rate(reply, Rating.UNSATISFIED)
    second = _second_round_reply(flow, suggestion)
    case = SupervisionCase.objects.get()

    # when the deputy is still unsatisfied
    with recorded_events() as events, django_capture_on_commit_callbacks(execute=True):
        flow.rate(second, Rating.UNSATISFIED, on=RATED_ON + datetime.timedelta(days=20))

    # then no round 3: the unit and the suggestion stay replied, and the same case stays open
    assert HandlingRound.objects.filter(assignment=reply.assignment).count() == 2
    assert reload(reply.assignment).status == A.REPLIED
    assert reload(suggestion).status == S.REPLIED
    assert list(SupervisionCase.objects.values_list("pk", "status")) == [(case.pk, SupervisionStatus.OPEN)]
    assert actions(events) == [EventAction.EVALUATE, EventAction.SUPERVISE]
    # and the committee is told again, now to meet the deputy
    assert Notification.objects.filter(user=committee_user).count() == 2


def test_the_final_case_closes_after_a_face_to_face_meeting_and_closes_the_suggestion(
    flow, committee_user, writes_nothing
):
    # given still unsatisfied after re-handling
    suggestion, reply = flow.replied()
    flow.rate(reply, Rating.UNSATISFIED)
    flow.rate(_second_round_reply(flow, suggestion), Rating.UNSATISFIED, on=RATED_ON + datetime.timedelta(days=20))
    case = SupervisionCase.objects.get()
    met_on = RATED_ON + datetime.timedelta(days=25)

    # when the committee tries to close it without meeting the deputy / then
    with writes_nothing(ForbiddenMove):
        services.supervision_close(case=case, actor=committee_user, outcome="已解释")

    # when it records the face-to-face meeting and closes the case
    services.supervision_action_record(
        case=case, actor=committee_user, kind=SupervisionActionKind.FACE_TO_FACE, date=met_on, note="与代表当面沟通"
    )
    with recorded_events() as events:
        services.supervision_close(case=case, actor=committee_user, outcome="已向代表解释，受条件限制", on=met_on)

    # then the case and the suggestion are closed, with an explanation
    assert reload(case).status == SupervisionStatus.CLOSED
    stored = reload(suggestion)
    assert (stored.status, stored.close_reason) == (S.CLOSED, CloseReason.EXPLAINED)
    assert actions(events) == [EventAction.CLOSE_SUPERVISION, EventAction.CLOSE]


def test_a_new_case_is_opened_if_the_first_was_closed_during_rehandling(flow, committee_user):
    # given the committee closed the first case while the unit re-handled
    suggestion, reply = flow.replied()
    flow.rate(reply, Rating.UNSATISFIED)
    first_case = SupervisionCase.objects.get()
    services.supervision_close(case=first_case, actor=committee_user, outcome="已督促单位重新办理")
    assert reload(suggestion).status == S.ASSIGNED

    # when the deputy is still unsatisfied with round 2
    flow.rate(_second_round_reply(flow, suggestion), Rating.UNSATISFIED, on=RATED_ON + datetime.timedelta(days=20))

    # then one new open case, without a round, and still no round 3
    new_case = SupervisionCase.objects.exclude(pk=first_case.pk).get()
    assert (new_case.status, new_case.trigger, new_case.round) == (
        SupervisionStatus.OPEN,
        SupervisionTrigger.UNSATISFIED,
        None,
    )
    assert HandlingRound.objects.filter(assignment=reply.assignment).count() == 2


def test_the_explanation_closes_the_suggestion_even_if_another_case_was_open_on_the_unit(flow, committee_user):
    # given the first case closed during re-handling, then an overdue case opened on the same unit
    suggestion, reply = flow.replied()
    flow.rate(reply, Rating.UNSATISFIED)
    services.supervision_close(case=SupervisionCase.objects.get(), actor=committee_user, outcome="已督促单位重新办理")
    overdue = services.supervision_open(
        suggestion=suggestion,
        actor=committee_user,
        committee=flow.a.committee,
        trigger=SupervisionTrigger.OVERDUE,
        assignment=reply.assignment,
    )

    # when the deputy is still unsatisfied with round 2, and the committee meets the deputy and closes
    flow.rate(_second_round_reply(flow, suggestion), Rating.UNSATISFIED, on=RATED_ON + datetime.timedelta(days=20))
    met_on = RATED_ON + datetime.timedelta(days=25)
    for case in SupervisionCase.objects.filter(status=SupervisionStatus.OPEN):
        services.supervision_action_record(
            case=case, actor=committee_user, kind=SupervisionActionKind.FACE_TO_FACE, date=met_on, note="当面沟通"
        )
        services.supervision_close(case=case, actor=committee_user, outcome="已向代表解释", on=met_on)

    # then the suggestion is closed with the explanation (not left replied for ever)
    assert reload(overdue).status == SupervisionStatus.CLOSED
    stored = reload(suggestion)
    assert (stored.status, stored.close_reason) == (S.CLOSED, CloseReason.EXPLAINED)


def test_satisfied_after_rehandling_closes_the_suggestion(flow):
    # given
    suggestion, reply = flow.replied()
    flow.rate(reply, Rating.UNSATISFIED)
    second = flow.reply(flow.assignment(suggestion), code="A", on=RATED_ON + datetime.timedelta(days=14))

    # when
    flow.rate(second, Rating.BASICALLY_SATISFIED, on=RATED_ON + datetime.timedelta(days=20))

    # then
    stored = reload(suggestion)
    assert (stored.status, stored.close_reason) == (S.CLOSED, CloseReason.SATISFIED)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_workers_rating_at_once_give_one_round_and_one_case(flow):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (DATABASE_URL)")

    # given a replied suggestion, and the same 不满意 sent twice at the same moment
    _suggestion, reply = flow.replied()
    barrier = threading.Barrier(2)
    outcomes = []

    def rate():
        try:
            barrier.wait()
            flow.rate(reply, Rating.UNSATISFIED)
            outcomes.append("rated")
        except ForbiddenMove:
            outcomes.append("refused")
        finally:
            connection.close()

    # when
    threads = [threading.Thread(target=rate) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    # then
    assert sorted(outcomes) == ["rated", "refused"]
    assert Evaluation.objects.count() == 1
    assert HandlingRound.objects.filter(assignment=reply.assignment).count() == 2
    assert SupervisionCase.objects.count() == 1
