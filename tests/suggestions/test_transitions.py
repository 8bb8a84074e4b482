"""Every allowed move of the suggestion and assignment state machines succeeds through its service
and writes exactly one event for the move (or the exact set when a service moves two things)."""

import datetime
import re
from pathlib import Path

import pytest

from suggestions import services
from suggestions.choices import (
    AssignmentMode,
    AssignmentRole,
    AssignmentStatus,
    CloseReason,
    EventAction,
    ExclusionReason,
    HandlingRoundReason,
    Rating,
    RequestStatus,
    SuggestionStatus,
)
from suggestions.models import Assignment, Cosigner, HandlingRound, Suggestion
from tests.suggestions.conftest import ASSIGNED_ON, RATED_ON, actions, recorded_events, reload

pytestmark = pytest.mark.django_db

S = SuggestionStatus
A = AssignmentStatus


def moves(events):
    """(action, from, to, unit) of each event: what moved, and on which track."""
    return [(event.action, event.from_status, event.to_status, event.assignment_id) for event in events]


# --- the suggestion's machine ---------------------------------------------------------------------


def test_create_writes_one_event_and_starts_as_a_draft(flow):
    # when
    with recorded_events() as events:
        suggestion = flow.draft()

    # then
    assert reload(suggestion).status == S.DRAFT
    assert moves(events) == [(EventAction.CREATE, "", S.DRAFT, None)]


def test_submit_moves_draft_to_submitted_numbers_and_freezes_it(flow, cosigner_user):
    # given a draft whose co-signer confirmed
    suggestion = flow.draft(cosigners=(cosigner_user.deputy,))
    services.cosigner_respond(suggestion=suggestion, actor=cosigner_user, accept=True)

    # when
    with recorded_events() as events:
        services.suggestion_submit(suggestion=suggestion, actor=flow.deputy_user, on=datetime.date(2026, 1, 9))

    # then
    stored = reload(suggestion)
    assert stored.status == S.SUBMITTED
    assert stored.number == 1
    assert stored.submitted_at is not None
    assert stored.raised_in_session is True
    assert stored.frozen["title"] == suggestion.title
    assert stored.frozen["cosigners"] == [cosigner_user.deputy.name]
    assert moves(events) == [(EventAction.SUBMIT, S.DRAFT, S.SUBMITTED, None)]


def test_submit_between_sessions_is_not_raised_in_session(flow):
    suggestion = flow.draft()

    services.suggestion_submit(suggestion=suggestion, actor=flow.deputy_user, on=datetime.date(2026, 6, 1))

    assert reload(suggestion).raised_in_session is False


def test_accept_moves_submitted_to_accepted(flow):
    # given
    suggestion = flow.submitted()

    # when
    with recorded_events() as events:
        services.suggestion_review(suggestion=suggestion, actor=flow.office_user, decision="accept")

    # then
    assert reload(suggestion).status == S.ACCEPTED
    assert moves(events) == [(EventAction.ACCEPT, S.SUBMITTED, S.ACCEPTED, None)]


def test_return_moves_submitted_back_to_draft_with_the_reason(flow):
    # given
    suggestion = flow.submitted()

    # when
    with recorded_events() as events:
        services.suggestion_review(
            suggestion=suggestion, actor=flow.office_user, decision="return", reason="请补充具体措施"
        )

    # then
    stored = reload(suggestion)
    assert stored.status == S.DRAFT
    assert stored.return_reason == "请补充具体措施"
    assert stored.is_editable
    assert moves(events) == [(EventAction.RETURN, S.SUBMITTED, S.DRAFT, None)]


def test_reject_moves_submitted_to_rejected_with_the_exclusion_reason(flow):
    # given
    suggestion = flow.submitted()

    # when
    with recorded_events() as events:
        services.suggestion_review(
            suggestion=suggestion,
            actor=flow.office_user,
            decision="reject",
            exclusion_reason=ExclusionReason.PERSONAL,
            reason="属个人事项，转信访处理",
        )

    # then
    stored = reload(suggestion)
    assert stored.status == S.REJECTED
    assert stored.exclusion_reason == ExclusionReason.PERSONAL
    assert moves(events) == [(EventAction.REJECT, S.SUBMITTED, S.REJECTED, None)]


@pytest.mark.parametrize("state", ["draft", "submitted"])
def test_the_lead_deputy_withdraws_a_draft_or_a_submitted_suggestion(flow, state):
    # given
    suggestion = getattr(flow, state)()

    # when
    with recorded_events() as events:
        services.suggestion_withdraw(suggestion=suggestion, actor=flow.deputy_user, reason="已解决")

    # then
    assert reload(suggestion).status == S.WITHDRAWN
    assert moves(events) == [(EventAction.WITHDRAW, state, S.WITHDRAWN, None)]


def test_pre_assign_moves_accepted_to_pre_assigned_without_a_clock(flow):
    # given
    suggestion = flow.accepted()

    # when
    with recorded_events() as events:
        services.suggestion_pre_assign(
            suggestion=suggestion, actor=flow.office_user, lead_units=[flow.lead_unit], co_units=[flow.co_unit]
        )

    # then
    assert reload(suggestion).status == S.PRE_ASSIGNED
    assignments = Assignment.objects.filter(suggestion=suggestion).order_by("role")
    assert [(a.unit_id, a.role, a.status, a.due_on) for a in assignments] == [
        (flow.co_unit.pk, AssignmentRole.CO, A.PRE_ASSIGNED, None),
        (flow.lead_unit.pk, AssignmentRole.LEAD, A.PRE_ASSIGNED, None),
    ]
    assert not HandlingRound.objects.filter(assignment__suggestion=suggestion).exists()
    assert moves(events) == [(EventAction.PRE_ASSIGN, S.ACCEPTED, S.PRE_ASSIGNED, None)]


def test_the_counterpart_committee_may_pre_assign(flow, committee_user):
    suggestion = flow.accepted()

    services.suggestion_pre_assign(suggestion=suggestion, actor=committee_user, lead_units=[flow.lead_unit])

    assert reload(suggestion).status == S.PRE_ASSIGNED


def test_a_pre_assignment_may_be_changed_until_the_assignment(flow):
    # given pre-assigned to the lead unit with a co unit
    suggestion = flow.pre_assigned()
    dropped = flow.assignment(suggestion, flow.co_unit)

    # when the co unit is replaced by the split unit as co unit
    with recorded_events() as events:
        services.suggestion_pre_assign(
            suggestion=suggestion, actor=flow.office_user, lead_units=[flow.lead_unit], co_units=[flow.split_unit]
        )

    # then
    assert reload(suggestion).status == S.PRE_ASSIGNED
    assert reload(dropped).status == A.CANCELLED
    live = Assignment.objects.live().filter(suggestion=suggestion)
    assert {(a.unit_id, a.status) for a in live} == {
        (flow.lead_unit.pk, A.PRE_ASSIGNED),
        (flow.split_unit.pk, A.PRE_ASSIGNED),
    }
    assert moves(events) == [(EventAction.PRE_ASSIGN, S.PRE_ASSIGNED, S.PRE_ASSIGNED, None)]


def test_assign_after_pre_assignment_starts_every_clock(flow):
    # given
    suggestion = flow.pre_assigned()
    lead_before = flow.assignment(suggestion)

    # when
    with recorded_events() as events:
        services.suggestion_assign(
            suggestion=suggestion,
            actor=flow.office_user,
            lead_units=[flow.lead_unit],
            co_units=[flow.co_unit],
            on=ASSIGNED_ON,
        )

    # then the pre-assignments themselves move to assigned, one event for the whole move
    assert reload(suggestion).status == S.ASSIGNED
    lead, co = flow.assignment(suggestion), flow.assignment(suggestion, flow.co_unit)
    assert lead.pk == lead_before.pk
    assert (lead.status, lead.assigned_on, lead.due_on) == (A.ASSIGNED, ASSIGNED_ON, datetime.date(2026, 6, 2))
    assert (co.status, co.assigned_on, co.due_on) == (A.ASSIGNED, ASSIGNED_ON, datetime.date(2026, 4, 2))
    assert lead.original_due_on == lead.due_on
    assert lead.latest_due_on == datetime.date(2026, 9, 2)
    assert lead.adjustment_deadline == datetime.date(2026, 3, 9)
    rounds = HandlingRound.objects.filter(assignment__suggestion=suggestion)
    assert [(r.assignment_id, r.number, r.reason, r.due_on) for r in rounds] == [
        (lead.pk, 1, HandlingRoundReason.INITIAL, lead.due_on)
    ]
    assert moves(events) == [(EventAction.ASSIGN, S.PRE_ASSIGNED, S.ASSIGNED, None)]


def test_assign_directly_from_accepted_between_sessions(flow):
    # given
    suggestion = flow.accepted()

    # when
    with recorded_events() as events:
        services.suggestion_assign(
            suggestion=suggestion, actor=flow.office_user, lead_units=[flow.lead_unit], on=ASSIGNED_ON
        )

    # then
    assert reload(suggestion).status == S.ASSIGNED
    assert flow.assignment(suggestion).status == A.ASSIGNED
    assert moves(events) == [(EventAction.ASSIGN, S.ACCEPTED, S.ASSIGNED, None)]


def test_assign_in_split_mode_gives_every_unit_its_own_round(flow):
    # given
    suggestion = flow.accepted()

    # when
    services.suggestion_assign(
        suggestion=suggestion,
        actor=flow.office_user,
        lead_units=[flow.lead_unit, flow.split_unit],
        mode=AssignmentMode.SPLIT,
        on=ASSIGNED_ON,
    )

    # then
    live = Assignment.objects.live().filter(suggestion=suggestion)
    assert {(a.unit_id, a.role, a.status) for a in live} == {
        (flow.lead_unit.pk, AssignmentRole.SPLIT, A.ASSIGNED),
        (flow.split_unit.pk, AssignmentRole.SPLIT, A.ASSIGNED),
    }
    assert HandlingRound.objects.filter(assignment__suggestion=suggestion, number=1).count() == 2


def test_the_last_lead_unit_reply_also_moves_the_suggestion_to_replied(flow):
    # given
    suggestion = flow.assigned()
    lead = flow.assignment(suggestion)

    # when
    with recorded_events() as events:
        reply = flow.reply(lead)

    # then one event for the unit's track, one for the suggestion's
    assert reload(lead).status == A.REPLIED
    assert reload(suggestion).status == S.REPLIED
    assert reply.round.number == 1
    assert moves(events) == [
        (EventAction.REPLY, A.ASSIGNED, A.REPLIED, lead.pk),
        (EventAction.REPLY, S.ASSIGNED, S.REPLIED, None),
    ]


def test_in_split_mode_the_suggestion_is_replied_only_when_every_unit_replied(flow):
    # given
    suggestion = flow.assigned(mode=AssignmentMode.SPLIT)
    first, second = flow.assignment(suggestion, flow.lead_unit), flow.assignment(suggestion, flow.split_unit)

    # when the first unit replies
    with recorded_events() as first_events:
        flow.reply(first)

    # then only its track moved
    assert reload(suggestion).status == S.ASSIGNED
    assert moves(first_events) == [(EventAction.REPLY, A.ASSIGNED, A.REPLIED, first.pk)]

    # when the second unit replies
    with recorded_events() as second_events:
        flow.reply(second)

    # then
    assert reload(suggestion).status == S.REPLIED
    assert moves(second_events) == [
        (EventAction.REPLY, A.ASSIGNED, A.REPLIED, second.pk),
        (EventAction.REPLY, S.ASSIGNED, S.REPLIED, None),
    ]


def test_a_satisfied_rating_closes_the_replied_suggestion(flow):
    # given
    suggestion, reply = flow.replied()

    # when
    with recorded_events() as events:
        flow.rate(reply, Rating.BASICALLY_SATISFIED)

    # then
    stored = reload(suggestion)
    assert (stored.status, stored.close_reason) == (S.CLOSED, CloseReason.SATISFIED)
    assert stored.closed_at is not None
    assert moves(events) == [
        (EventAction.EVALUATE, "", "", reply.assignment_id),
        (EventAction.CLOSE, S.REPLIED, S.CLOSED, None),
    ]


def test_an_unsatisfied_rating_moves_replied_back_to_assigned(flow):
    # given
    suggestion, reply = flow.replied()

    # when
    with recorded_events() as events:
        flow.rate(reply, Rating.UNSATISFIED)

    # then the unit's track and the suggestion reopen: evaluate, rehandle (unit), supervise (suggestion)
    assert reload(suggestion).status == S.ASSIGNED
    assert reload(reply.assignment).status == A.ASSIGNED
    assert moves(events) == [
        (EventAction.EVALUATE, "", "", reply.assignment_id),
        (EventAction.REHANDLE, A.REPLIED, A.ASSIGNED, reply.assignment_id),
        (EventAction.SUPERVISE, S.REPLIED, S.ASSIGNED, None),
    ]


def test_closing_without_feedback_moves_replied_to_closed(flow):
    # given
    suggestion, reply = flow.replied()

    # when
    with recorded_events() as events:
        closed = services.suggestion_close_without_feedback(
            suggestion=suggestion, on=reply.evaluation_due_on + datetime.timedelta(days=1)
        )

    # then
    assert closed is True
    stored = reload(suggestion)
    assert (stored.status, stored.close_reason) == (S.CLOSED, CloseReason.NO_FEEDBACK)
    assert moves(events) == [(EventAction.CLOSE, S.REPLIED, S.CLOSED, None)]


# --- each unit's assignment machine ---------------------------------------------------------------


def test_sign_moves_assigned_to_signed(flow):
    # given
    lead = flow.assignment(flow.assigned())

    # when
    with recorded_events() as events:
        services.assignment_sign(assignment=lead, actor=flow.unit_user)

    # then
    stored = reload(lead)
    assert stored.status == A.SIGNED
    assert stored.signed_at is not None
    assert moves(events) == [(EventAction.SIGN, A.ASSIGNED, A.SIGNED, lead.pk)]


@pytest.mark.parametrize("signed", [False, True], ids=["assigned", "signed"])
def test_the_lead_unit_replies_from_assigned_or_signed(flow, signed):
    # given
    lead = flow.assignment(flow.assigned())
    if signed:
        services.assignment_sign(assignment=lead, actor=flow.unit_user)

    # when
    with recorded_events() as events:
        flow.reply(lead)

    # then
    assert reload(lead).status == A.REPLIED
    assert moves(events)[0] == (EventAction.REPLY, A.SIGNED if signed else A.ASSIGNED, A.REPLIED, lead.pk)


@pytest.mark.parametrize("signed", [False, True], ids=["assigned", "signed"])
def test_a_unit_requests_an_adjustment_from_assigned_or_signed(flow, signed):
    # given
    lead = flow.assignment(flow.assigned())
    if signed:
        services.assignment_sign(assignment=lead, actor=flow.unit_user)

    # when
    with recorded_events() as events:
        request = services.adjustment_request_create(
            assignment=lead,
            actor=flow.unit_user,
            reason="不属于本单位职责",
            suggested_unit=flow.split_unit,
            on=ASSIGNED_ON + datetime.timedelta(days=1),
        )

    # then
    assert reload(lead).status == A.ADJUSTMENT_REQUESTED
    assert (request.status, request.suggested_unit) == (RequestStatus.PENDING, flow.split_unit)
    source = A.SIGNED if signed else A.ASSIGNED
    assert moves(events) == [(EventAction.REQUEST_ADJUSTMENT, source, A.ADJUSTMENT_REQUESTED, lead.pk)]


def _request_adjustment(flow, assignment, *, suggested_unit=None):
    return services.adjustment_request_create(
        assignment=assignment,
        actor=flow.unit_user_of(assignment),
        reason="不属于本单位职责",
        suggested_unit=suggested_unit,
        on=ASSIGNED_ON + datetime.timedelta(days=2),
    )


def test_a_refused_adjustment_gives_the_item_back_to_the_unit(flow):
    # given
    suggestion = flow.assigned()
    lead = flow.assignment(suggestion)
    request = _request_adjustment(flow, lead)

    # when
    with recorded_events() as events:
        services.adjustment_decide(request=request, actor=flow.office_user, approve=False, note="属本单位职责")

    # then the unit keeps it with its clock unchanged
    stored = reload(lead)
    assert (stored.status, stored.due_on) == (A.ASSIGNED, lead.due_on)
    assert reload(request).status == RequestStatus.REFUSED
    assert Assignment.objects.filter(suggestion=suggestion).count() == 2
    assert moves(events) == [(EventAction.DECIDE_ADJUSTMENT, A.ADJUSTMENT_REQUESTED, A.ASSIGNED, lead.pk)]


def test_an_approved_adjustment_cancels_and_gives_the_new_unit_a_fresh_clock(flow):
    # given
    suggestion = flow.assigned()
    lead = flow.assignment(suggestion)
    request = _request_adjustment(flow, lead, suggested_unit=flow.split_unit)
    decided_on = datetime.date(2026, 3, 16)

    # when
    with recorded_events() as events:
        services.adjustment_decide(request=request, actor=flow.office_user, approve=True, on=decided_on)

    # then
    assert reload(lead).status == A.CANCELLED
    assert reload(request).status == RequestStatus.APPROVED
    assert reload(suggestion).status == S.ASSIGNED
    new = flow.assignment(suggestion, flow.split_unit)
    assert (new.role, new.status, new.assigned_on) == (AssignmentRole.LEAD, A.ASSIGNED, decided_on)
    assert new.due_on == datetime.date(2026, 6, 16)
    assert new.latest_due_on == datetime.date(2026, 9, 16)
    assert new.adjustment_deadline == datetime.date(2026, 3, 23)
    assert [(r.number, r.opened_on, r.due_on) for r in new.rounds.all()] == [(1, decided_on, new.due_on)]
    assert moves(events) == [(EventAction.DECIDE_ADJUSTMENT, A.ADJUSTMENT_REQUESTED, A.CANCELLED, lead.pk)]


def test_an_approved_adjustment_of_a_co_unit_gives_no_round(flow):
    # given
    suggestion = flow.assigned()
    co = flow.assignment(suggestion, flow.co_unit)
    request = _request_adjustment(flow, co)

    # when
    services.adjustment_decide(request=request, actor=flow.office_user, approve=True, new_unit=flow.split_unit)

    # then
    new = flow.assignment(suggestion, flow.split_unit)
    assert (new.role, new.status) == (AssignmentRole.CO, A.ASSIGNED)
    assert not new.rounds.exists()


@pytest.mark.parametrize("signed", [False, True], ids=["assigned", "signed"])
def test_a_co_unit_sends_its_opinion_from_assigned_or_signed(flow, signed):
    # given
    co = flow.assignment(flow.assigned(), flow.co_unit)
    if signed:
        services.assignment_sign(assignment=co, actor=flow.co_unit_user)

    # when
    with recorded_events() as events:
        opinion = services.co_opinion_send(assignment=co, actor=flow.co_unit_user, text="同意主办单位意见")

    # then
    assert reload(co).status == A.OPINION_SENT
    assert opinion.text == "同意主办单位意见"
    source = A.SIGNED if signed else A.ASSIGNED
    assert moves(events) == [(EventAction.OPINION, source, A.OPINION_SENT, co.pk)]


def test_rehandling_moves_the_replied_assignment_back_to_assigned_in_a_new_round(flow):
    # given
    suggestion, reply = flow.replied()

    # when
    flow.rate(reply, Rating.UNSATISFIED)

    # then
    lead = reload(reply.assignment)
    assert lead.status == A.ASSIGNED
    assert list(lead.rounds.values_list("number", "reason")) == [
        (1, HandlingRoundReason.INITIAL),
        (2, HandlingRoundReason.REHANDLING),
    ]

    # and the unit answers again in round 2, which moves everything to replied again
    with recorded_events() as events:
        second = flow.reply(lead, code="A", on=RATED_ON + datetime.timedelta(days=7))
    assert second.round.number == 2
    assert reload(suggestion).status == S.REPLIED
    assert actions(events) == [EventAction.REPLY, EventAction.REPLY]


# --- only transitions write the status ----------------------------------------------------------


@pytest.mark.parametrize(
    ("model", "value"),
    [(Suggestion, S.CLOSED), (Assignment, A.REPLIED), (Cosigner, "confirmed")],
    ids=["suggestion", "assignment", "cosigner"],
)
def test_the_status_field_cannot_be_set_directly(flow, cosigner_user, model, value):
    # given a row of the machine, read from the database
    if model is Suggestion:
        row = reload(flow.assigned())
    elif model is Assignment:
        row = flow.assignment(flow.assigned())
    else:
        row = Cosigner.objects.get(suggestion=flow.draft(cosigners=(cosigner_user.deputy,)))

    # when / then
    with pytest.raises(AttributeError):
        row.status = value


SOURCE = Path(__file__).resolve().parents[2] / "suggestions"


def test_no_code_of_the_app_writes_a_status_with_queryset_update():
    # given every python file of the app
    offenders = []
    for path in sorted(SOURCE.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        # when a bulk write names a status field (update(status=…), update(**{"status": …}), bulk_update)
        for match in re.finditer(r"\.(update|bulk_update)\((?P<args>[^()]*(\([^()]*\)[^()]*)*)\)", text):
            if "status" in match.group("args"):
                offenders.append(f"{path.relative_to(SOURCE.parent)}: {match.group(0)}")

    # then there is none: only fsm transitions called from services move a status
    assert offenders == []
