"""The services one step at a time: the moves outside the two state machines write one event each,
and every move the workflow does not allow raises ForbiddenMove and writes nothing."""

import datetime

import pytest

from suggestions import services
from suggestions.choices import (
    AssignmentMode,
    AssignmentStatus,
    CommunicationWay,
    CosignerStatus,
    EventAction,
    ExclusionReason,
    Rating,
    RequestStatus,
    SuggestionStatus,
    SupervisionActionKind,
    SupervisionStatus,
    SupervisionTrigger,
)
from suggestions.models import Cosigner
from tests.congress.factories import HandlingUnitFactory, SubjectCategoryFactory
from tests.suggestions.conftest import ASSIGNED_ON, REPLIED_ON, actions, recorded_events, reload

pytestmark = pytest.mark.django_db

S = SuggestionStatus
A = AssignmentStatus
IN_WINDOW = ASSIGNED_ON + datetime.timedelta(days=1)


# --- drafting ---------------------------------------------------------------------------------------


def test_a_draft_is_refused_outside_the_deputys_congress(
    flow, world, resigned_deputy_user, other_deputy_user, writes_nothing
):
    # a category of another congress, or one no longer in use
    retired = SubjectCategoryFactory(counterpart_committee=world.a.committee, name="已停用类别", is_active=False)
    for category in (world.b.subject_category, retired):
        with writes_nothing():
            services.suggestion_create(
                actor=flow.deputy_user,
                deputy=flow.deputy_user.deputy,
                session=world.a.session,
                title="标题",
                body="正文",
                category=category,
            )
    # a deputy without a serving mandate in the congress
    with writes_nothing():
        services.suggestion_create(
            actor=resigned_deputy_user,
            deputy=resigned_deputy_user.deputy,
            session=world.a.session,
            title="标题",
            body="正文",
            category=world.a.subject_category,
        )
    # a co-signer of another congress: the whole draft is refused
    with writes_nothing():
        flow.draft(cosigners=(other_deputy_user.deputy,))


@pytest.mark.parametrize("state", ["draft", "pre_assigned"])
def test_the_deputy_edits_a_draft_or_a_pre_assigned_suggestion(flow, state):
    # given
    suggestion = getattr(flow, state)()

    # when
    with recorded_events() as events:
        services.suggestion_update(suggestion=suggestion, actor=flow.deputy_user, data={"title": "修改后的标题"})
    with recorded_events() as unchanged:
        services.suggestion_update(suggestion=suggestion, actor=flow.deputy_user, data={"title": "修改后的标题"})

    # then one event for the change, none for an edit that changes nothing
    stored = reload(suggestion)
    assert (stored.title, stored.status) == ("修改后的标题", state)
    assert [(e.action, e.note) for e in events] == [(EventAction.EDIT, "title")]
    assert unchanged == []


def test_editing_after_the_submission_is_refused(flow, world, writes_nothing):
    # given suggestions past the draft, before the pre-assignment and after the assignment
    for suggestion in (flow.submitted(), flow.accepted(), flow.assigned()):
        # when / then
        with writes_nothing():
            services.suggestion_update(suggestion=suggestion, actor=flow.deputy_user, data={"title": "偷偷修改"})

    # and a draft cannot move to a category of another congress
    draft = flow.draft()
    with writes_nothing():
        services.suggestion_update(
            suggestion=draft, actor=flow.deputy_user, data={"category": world.b.subject_category}
        )


def test_co_signers_are_invited_and_answer_with_one_event_each(flow, cosigner_user, second_deputy_user):
    # given
    suggestion = flow.draft()

    # when two deputies are invited, one confirms and one declines
    with recorded_events() as invited:
        for user in (cosigner_user, second_deputy_user):
            services.cosigner_invite(suggestion=suggestion, actor=flow.deputy_user, deputy=user.deputy)
    with recorded_events() as invited_again:
        services.cosigner_invite(suggestion=suggestion, actor=flow.deputy_user, deputy=cosigner_user.deputy)
    with recorded_events() as answered:
        services.cosigner_respond(suggestion=suggestion, actor=cosigner_user, accept=True)
        services.cosigner_respond(suggestion=suggestion, actor=second_deputy_user, accept=False)

    # then
    assert actions(invited) == [EventAction.INVITE, EventAction.INVITE]
    assert invited_again == []
    assert actions(answered) == [EventAction.COSIGN, EventAction.DECLINE]
    assert dict(Cosigner.objects.values_list("deputy__name", "status")) == {
        cosigner_user.deputy.name: CosignerStatus.CONFIRMED,
        second_deputy_user.deputy.name: CosignerStatus.DECLINED,
    }

    # and the suggestion is submitted with the confirmed co-signer only
    flow.submit(suggestion)
    assert reload(suggestion).frozen["cosigners"] == [cosigner_user.deputy.name]


def test_co_signing_moves_the_workflow_does_not_allow_are_refused(
    flow, cosigner_user, second_deputy_user, writes_nothing
):
    # answering an invitation twice
    draft = flow.draft(confirmed=(cosigner_user,))
    with writes_nothing():
        services.cosigner_respond(suggestion=draft, actor=cosigner_user, accept=False)
    # the lead deputy co-signing their own suggestion
    with writes_nothing():
        services.cosigner_invite(suggestion=draft, actor=flow.deputy_user, deputy=flow.deputy_user.deputy)

    # once submitted: no answer, no new invitation
    submitted = flow.submit(draft)
    with writes_nothing():
        services.cosigner_respond(suggestion=submitted, actor=cosigner_user, accept=True)
    with writes_nothing():
        services.cosigner_invite(suggestion=submitted, actor=flow.deputy_user, deputy=second_deputy_user.deputy)


def test_guidance_is_asked_and_answered_with_one_event_each(flow, committee_user):
    # given
    suggestion = flow.draft()

    # when
    with recorded_events() as asked:
        request = services.guidance_request_create(
            suggestion=suggestion, actor=flow.deputy_user, committee=flow.a.committee, question="政策依据？"
        )
    with recorded_events() as answered:
        services.guidance_answer(request=request, actor=committee_user, answer="请参考《教育法》")

    # then
    stored = reload(request)
    assert (stored.answer, stored.answered_by) == ("请参考《教育法》", committee_user)
    assert actions(asked) == [EventAction.GUIDANCE_REQUEST]
    assert actions(answered) == [EventAction.GUIDANCE_ANSWER]


def test_guidance_is_answered_once_by_a_committee_of_the_same_congress(flow, world, committee_user, writes_nothing):
    # given an answered request
    suggestion = flow.draft()
    request = services.guidance_request_create(
        suggestion=suggestion, actor=flow.deputy_user, committee=flow.a.committee, question="政策依据？"
    )
    services.guidance_answer(request=request, actor=committee_user, answer="第一次")

    # when / then
    with writes_nothing():
        services.guidance_answer(request=request, actor=committee_user, answer="第二次")
    with writes_nothing():
        services.guidance_request_create(
            suggestion=suggestion, actor=flow.deputy_user, committee=world.b.committee, question="？"
        )


# --- submission and review ------------------------------------------------------------------------------


def test_submitting_twice_or_before_every_co_signer_answered_is_refused(flow, cosigner_user, writes_nothing):
    submitted, waiting = flow.submitted(), flow.draft(cosigners=(cosigner_user.deputy,))

    for suggestion in (submitted, waiting):
        with writes_nothing():
            flow.submit(suggestion)


REVIEWS = [
    {"decision": "accept"},
    {"decision": "return", "reason": "请补充"},
    {"decision": "reject", "exclusion_reason": ExclusionReason.NO_SUBSTANCE},
]


@pytest.mark.parametrize("state", ["draft", "accepted", "withdrawn"])
def test_only_a_submitted_suggestion_is_reviewed(flow, writes_nothing, state):
    # given
    if state == "withdrawn":
        suggestion = flow.submitted()
        services.suggestion_withdraw(suggestion=suggestion, actor=flow.deputy_user)
    else:
        suggestion = getattr(flow, state)()

    for review in REVIEWS:
        # when / then
        with writes_nothing():
            services.suggestion_review(suggestion=suggestion, actor=flow.office_user, **review)


def test_a_review_needs_its_reason(flow, writes_nothing):
    # given
    suggestion = flow.submitted()
    refused = [
        {"decision": "return", "reason": ""},
        {"decision": "return", "reason": "   "},
        {"decision": "reject", "reason": "不予立案", "exclusion_reason": ""},
        {"decision": "reject", "reason": "不予立案", "exclusion_reason": "dislike"},
        {"decision": "maybe"},
    ]

    for review in refused:
        # when / then
        with writes_nothing():
            services.suggestion_review(suggestion=suggestion, actor=flow.office_user, **review)


def test_withdrawing_after_the_acceptance_or_twice_is_refused(flow, writes_nothing):
    withdrawn = flow.draft()
    services.suggestion_withdraw(suggestion=withdrawn, actor=flow.deputy_user)

    for suggestion in (flow.accepted(), flow.pre_assigned(), flow.assigned(), withdrawn):
        with writes_nothing():
            services.suggestion_withdraw(suggestion=suggestion, actor=flow.deputy_user, reason="不想要了")


# --- (pre-)assignment ----------------------------------------------------------------------------------


@pytest.mark.parametrize("state", ["draft", "submitted", "rejected", "assigned"])
def test_only_an_accepted_suggestion_is_pre_assigned_or_assigned(flow, writes_nothing, state):
    # given
    if state == "rejected":
        suggestion = flow.submitted()
        services.suggestion_review(
            suggestion=suggestion, actor=flow.office_user, decision="reject", exclusion_reason=ExclusionReason.ACADEMIC
        )
    else:
        suggestion = getattr(flow, state)()

    for service in (services.suggestion_pre_assign, services.suggestion_assign):
        # when / then
        with writes_nothing():
            service(suggestion=suggestion, actor=flow.office_user, lead_units=[flow.lead_unit])


def test_a_plan_of_units_the_rules_do_not_allow_is_refused(flow, world, writes_nothing):
    # given an accepted suggestion and plans that break a rule
    suggestion = flow.accepted()
    inactive = HandlingUnitFactory(congress=world.a.congress, name="已撤销的局", is_active=False)
    plans = {
        "no lead unit": {"lead_units": [], "co_units": [flow.co_unit]},
        "two lead units in lead mode": {"lead_units": [flow.lead_unit, flow.split_unit]},
        "co units in split mode": {
            "lead_units": [flow.lead_unit, flow.split_unit],
            "co_units": [flow.co_unit],
            "mode": AssignmentMode.SPLIT,
        },
        "a unit both lead and co": {"lead_units": [flow.lead_unit], "co_units": [flow.lead_unit]},
        "a lead unit of another congress": {"lead_units": [world.b.unit]},
        "a co unit of another congress": {"lead_units": [flow.lead_unit], "co_units": [world.b.unit]},
        "an inactive lead unit": {"lead_units": [inactive]},
        "an inactive co unit": {"lead_units": [flow.lead_unit], "co_units": [inactive]},
    }

    for service in (services.suggestion_pre_assign, services.suggestion_assign):
        for name, plan in plans.items():
            # when / then
            with writes_nothing() as raised:
                service(suggestion=suggestion, actor=flow.office_user, **plan)
            assert raised.value.message, name


def test_a_committee_proposes_other_units_only_before_the_assignment(flow, committee_user, writes_nothing):
    # given
    suggestion = flow.accepted()

    # when
    with recorded_events() as events:
        proposal = services.unit_proposal_create(
            suggestion=suggestion,
            actor=committee_user,
            committee=flow.a.committee,
            units=[flow.co_unit],
            reason="更适合教育局",
        )

    # then
    assert list(proposal.units.all()) == [flow.co_unit]
    assert actions(events) == [EventAction.PROPOSE_ADJUSTMENT]

    # and after the assignment it is refused
    assigned = flow.assigned()
    with writes_nothing():
        services.unit_proposal_create(
            suggestion=assigned,
            actor=committee_user,
            committee=flow.a.committee,
            units=[flow.co_unit],
            reason="晚了",
        )


# --- the unit's delivery track ---------------------------------------------------------------------------


def test_signing_is_for_a_newly_assigned_item_only(flow, writes_nothing):
    # given a signed assignment and a pre-assignment
    signed = flow.assignment(flow.assigned())
    services.assignment_sign(assignment=signed, actor=flow.unit_user)
    pre_assigned = flow.assignment(flow.pre_assigned())

    for assignment in (signed, pre_assigned):
        # when / then
        with writes_nothing():
            services.assignment_sign(assignment=assignment, actor=flow.unit_user)


def test_an_adjustment_may_be_requested_until_the_last_day_of_the_window(flow, world, writes_nothing):
    # given an assignment on Monday 2 March: 5 working days run to Monday 9 March
    lead = flow.assignment(flow.assigned())
    assert lead.adjustment_deadline == datetime.date(2026, 3, 9)

    # when a request comes the day after, without a reason, or naming a unit of another congress, then it is refused
    for reason, unit, day in [
        ("非本单位职责", None, datetime.date(2026, 3, 10)),
        ("  ", None, IN_WINDOW),
        ("应由乙市办理", world.b.unit, IN_WINDOW),
    ]:
        with writes_nothing():
            services.adjustment_request_create(
                assignment=lead, actor=flow.unit_user, reason=reason, suggested_unit=unit, on=day
            )

    # when it comes on the last day, then it is taken
    services.adjustment_request_create(
        assignment=lead, actor=flow.unit_user, reason="非本单位职责", on=lead.adjustment_deadline
    )
    assert reload(lead).status == A.ADJUSTMENT_REQUESTED


@pytest.mark.parametrize("state", ["pre_assigned", "adjustment_requested", "replied"])
def test_an_adjustment_request_outside_the_handling_is_refused(flow, writes_nothing, state):
    # given
    if state == "pre_assigned":
        lead = flow.assignment(flow.pre_assigned())
    else:
        lead = flow.assignment(flow.assigned())
        if state == "adjustment_requested":
            services.adjustment_request_create(assignment=lead, actor=flow.unit_user, reason="非本单位", on=IN_WINDOW)
        else:
            flow.reply(lead, on=IN_WINDOW)

    # when / then
    with writes_nothing():
        services.adjustment_request_create(assignment=lead, actor=flow.unit_user, reason="再申请", on=IN_WINDOW)


def test_an_adjustment_is_decided_once_for_a_unit_that_may_take_it_over(flow, world, writes_nothing):
    # given a pending request naming no unit
    lead = flow.assignment(flow.assigned())
    request = services.adjustment_request_create(
        assignment=lead, actor=flow.unit_user, reason="非本单位职责", on=IN_WINDOW
    )
    inactive = HandlingUnitFactory(congress=world.a.congress, is_active=False)

    # when approved without a unit, to a unit of another congress, an inactive one, or one already on it
    for new_unit in [None, world.b.unit, inactive, flow.co_unit]:
        # then it is refused
        with writes_nothing():
            services.adjustment_decide(request=request, actor=flow.office_user, approve=True, new_unit=new_unit)

    # when it is decided, a second decision is refused
    services.adjustment_decide(request=request, actor=flow.office_user, approve=False)
    with writes_nothing():
        services.adjustment_decide(request=request, actor=flow.office_user, approve=True, new_unit=flow.split_unit)


def test_an_adjustment_cannot_be_approved_back_to_the_requesting_unit(flow, writes_nothing):
    # given the lead unit asked for an adjustment near the end of its window
    lead = flow.assignment(flow.assigned())
    request = services.adjustment_request_create(
        assignment=lead, actor=flow.unit_user, reason="非本单位职责", on=lead.adjustment_deadline
    )

    # when staff "approve" it to the same unit / then it is refused: it would only restart the
    # unit's clock (a fresh 3 months, past the 6-month limit on extensions)
    with writes_nothing():
        services.adjustment_decide(request=request, actor=flow.office_user, approve=True, new_unit=flow.lead_unit)


# --- extensions ----------------------------------------------------------------------------------------


def test_an_extension_is_requested_and_approved_with_a_note_to_the_deputy(flow):
    # given
    lead = flow.assignment(flow.assigned())
    new_due = datetime.date(2026, 7, 31)

    # when
    with recorded_events() as asked:
        request = services.extension_request_create(
            assignment=lead, actor=flow.unit_user, reason="需跨部门协调", requested_due_on=new_due
        )
    with recorded_events() as decided:
        services.extension_decide(request=request, actor=flow.office_user, approve=True, note_to_deputy="延期至7月底")

    # then the due date of the unit and of its current round move; the first due date is kept
    stored = reload(lead)
    assert (stored.due_on, stored.original_due_on) == (new_due, datetime.date(2026, 6, 2))
    assert stored.rounds.get().due_on == new_due
    assert reload(request).status == RequestStatus.APPROVED
    assert actions(asked) == [EventAction.REQUEST_EXTENSION]
    assert actions(decided) == [EventAction.DECIDE_EXTENSION]


def test_a_refused_extension_keeps_the_due_date(flow):
    lead = flow.assignment(flow.assigned())
    request = services.extension_request_create(
        assignment=lead, actor=flow.unit_user, reason="需协调", requested_due_on=datetime.date(2026, 7, 31)
    )

    with recorded_events() as events:
        services.extension_decide(request=request, actor=flow.office_user, approve=False)

    assert reload(lead).due_on == datetime.date(2026, 6, 2)
    assert reload(request).status == RequestStatus.REFUSED
    assert actions(events) == [EventAction.DECIDE_EXTENSION]


def test_an_extension_runs_at_most_six_months_from_the_assignment(flow, writes_nothing):
    # given an assignment on 2 March: at most until 2 September
    lead = flow.assignment(flow.assigned())
    assert lead.latest_due_on == datetime.date(2026, 9, 2)

    # when the unit asks for a day beyond it, no later than the current due date, or gives no reason,
    # then it is refused
    for reason, requested in [
        ("需协调", lead.latest_due_on + datetime.timedelta(days=1)),
        ("需协调", lead.due_on),
        ("  ", datetime.date(2026, 7, 1)),
    ]:
        with writes_nothing():
            services.extension_request_create(
                assignment=lead, actor=flow.unit_user, reason=reason, requested_due_on=requested
            )

    # when it asks for the last allowed day, then it is taken, and a second request waits for it
    services.extension_request_create(
        assignment=lead, actor=flow.unit_user, reason="需协调", requested_due_on=lead.latest_due_on
    )
    with writes_nothing():
        services.extension_request_create(
            assignment=lead, actor=flow.unit_user, reason="再延", requested_due_on=datetime.date(2026, 8, 1)
        )


def test_an_extension_after_the_reply_is_refused(flow, writes_nothing):
    _suggestion, reply = flow.replied()

    with writes_nothing():
        services.extension_request_create(
            assignment=reply.assignment,
            actor=flow.unit_user,
            reason="需协调",
            requested_due_on=datetime.date(2026, 7, 1),
        )


def test_an_extension_is_approved_with_a_note_and_decided_once(flow, writes_nothing):
    # given a pending request
    lead = flow.assignment(flow.assigned())
    request = services.extension_request_create(
        assignment=lead, actor=flow.unit_user, reason="需协调", requested_due_on=datetime.date(2026, 7, 1)
    )

    # when approved without a written note to the deputy, then it is refused
    for note in ("", "  "):
        with writes_nothing():
            services.extension_decide(request=request, actor=flow.office_user, approve=True, note_to_deputy=note)

    # when decided, a second decision is refused
    services.extension_decide(request=request, actor=flow.office_user, approve=False)
    with writes_nothing():
        services.extension_decide(request=request, actor=flow.office_user, approve=True, note_to_deputy="延期")


# --- opinions, contacts, replies --------------------------------------------------------------------------


def test_only_a_co_unit_sends_an_opinion_once_it_is_assigned(flow, writes_nothing):
    # given a lead, a split unit, a pre-assigned co unit and a co unit that already sent its opinion
    assigned = flow.assigned()
    sent = flow.assignment(assigned, flow.co_unit)
    services.co_opinion_send(assignment=sent, actor=flow.co_unit_user, text="同意")
    cases = [
        (flow.assignment(assigned), flow.unit_user),
        (flow.assignment(flow.assigned(mode=AssignmentMode.SPLIT), flow.split_unit), flow.split_unit_user),
        (flow.assignment(flow.pre_assigned(), flow.co_unit), flow.co_unit_user),
        (sent, flow.co_unit_user),
    ]

    for assignment, actor in cases:
        # when / then
        with writes_nothing():
            services.co_opinion_send(assignment=assignment, actor=actor, text="意见")


def test_replies_the_workflow_does_not_allow_are_refused(flow, world, writes_nothing):
    # given an assigned suggestion
    suggestion = flow.assigned()
    lead, co = flow.assignment(suggestion), flow.assignment(suggestion, flow.co_unit)
    class_of_b = services.reply_classes_ensure(congress=world.b.congress)[0]

    # a co unit replying to the deputy
    with writes_nothing():
        flow.reply(co)
    # a reply class of another congress
    with writes_nothing():
        services.reply_submit(
            assignment=lead, actor=flow.unit_user, reply_class=class_of_b, text="答复", document_number="1", signer="张"
        )
    # a second reply in the same round
    flow.reply(lead)
    with writes_nothing():
        flow.reply(lead, code="A")
    # a reply before the formal assignment
    pre_assigned = flow.assignment(flow.pre_assigned())
    with writes_nothing():
        flow.reply(pre_assigned)


def test_a_unit_records_its_contacts_with_the_deputy_once_assigned(flow, writes_nothing):
    # given
    lead = flow.assignment(flow.assigned())

    # when
    with recorded_events() as events:
        services.communication_record(
            assignment=lead, actor=flow.unit_user, way=CommunicationWay.MEETING, date=IN_WINDOW, summary="当面沟通"
        )

    # then
    assert actions(events) == [EventAction.COMMUNICATE]
    pre_assigned = flow.assignment(flow.pre_assigned())
    with writes_nothing():
        services.communication_record(
            assignment=pre_assigned,
            actor=flow.unit_user,
            way=CommunicationWay.PHONE,
            date=IN_WINDOW,
            summary="电话",
        )


def test_a_follow_up_reply_is_only_for_items_solved_later(flow, writes_nothing):
    _suggestion, reply = flow.replied(code="A")

    with writes_nothing():
        services.follow_up_reply_submit(
            assignment=reply.assignment,
            actor=flow.unit_user,
            reply_class=flow.reply_classes["A"],
            text="已完成",
            document_number="2",
            signer="张",
        )


# --- the deputy's rating --------------------------------------------------------------------------------


def test_a_rating_outside_the_scale_or_a_second_rating_is_refused(flow, writes_nothing):
    # given
    _suggestion, reply = flow.replied()

    # when the rating is not on the scale, then it is refused
    for attitude, result in (("great", Rating.SATISFIED), (Rating.SATISFIED, "")):
        with writes_nothing():
            services.evaluation_submit(reply=reply, actor=flow.deputy_user, attitude=attitude, result=result)

    # when the reply is rated, then a second rating is refused
    flow.rate(reply, Rating.SATISFIED)
    with writes_nothing():
        flow.rate(reply, Rating.UNSATISFIED)


def test_rating_a_follow_up_reply_is_refused(flow, writes_nothing):
    _suggestion, reply = flow.replied(code="B")
    follow_up = services.follow_up_reply_submit(
        assignment=reply.assignment,
        actor=flow.unit_user,
        reply_class=flow.reply_classes["A"],
        text="已完成",
        document_number="2",
        signer="张",
        on=REPLIED_ON + datetime.timedelta(days=3),
    )

    with writes_nothing():
        flow.rate(follow_up, Rating.SATISFIED)


def test_in_split_mode_a_reply_is_rated_while_the_other_unit_still_handles(flow):
    # given one split unit replied, the other not yet
    suggestion = flow.assigned(mode=AssignmentMode.SPLIT)
    reply = flow.reply(flow.assignment(suggestion, flow.lead_unit))

    # when the deputy rates that unit's reply
    with recorded_events() as events:
        flow.rate(reply, Rating.SATISFIED)

    # then the rating is kept, and nothing closes while the other unit has not answered
    assert actions(events) == [EventAction.EVALUATE]
    assert reload(suggestion).status == S.ASSIGNED
    assert reload(reply.assignment).status == A.REPLIED


def test_a_reply_of_an_earlier_round_is_not_rated(flow, writes_nothing):
    # given the first reply was rated unsatisfied: the unit re-handles in round 2
    _suggestion, reply = flow.replied()
    flow.rate(reply, Rating.UNSATISFIED)

    # when the deputy tries to rate the first-round reply again / then
    with writes_nothing():
        services.evaluation_submit(reply=reply, actor=flow.deputy_user, attitude="satisfied", result="satisfied")


# --- supervision ---------------------------------------------------------------------------------------


def test_a_committee_opens_acts_on_and_closes_a_case_with_one_event_each(flow, committee_user):
    # given
    suggestion = flow.assigned()

    # when
    with recorded_events() as opened:
        case = services.supervision_open(
            suggestion=suggestion,
            actor=committee_user,
            committee=flow.a.committee,
            trigger=SupervisionTrigger.INITIATIVE,
            on=IN_WINDOW,
        )
    with recorded_events() as acted:
        services.supervision_action_record(
            case=case, actor=committee_user, kind=SupervisionActionKind.VISIT, date=IN_WINDOW, note="实地查看"
        )
    with recorded_events() as closed:
        services.supervision_close(case=case, actor=committee_user, outcome="已落实", on=IN_WINDOW)

    # then the suggestion itself did not move
    stored = reload(case)
    assert (stored.status, stored.closed_on, stored.outcome) == (SupervisionStatus.CLOSED, IN_WINDOW, "已落实")
    assert reload(suggestion).status == S.ASSIGNED
    assert actions(opened) == [EventAction.SUPERVISE]
    assert actions(acted) == [EventAction.SUPERVISION_ACTION]
    assert actions(closed) == [EventAction.CLOSE_SUPERVISION]


def test_the_office_may_open_a_case_for_a_committee_of_its_congress(flow):
    suggestion = flow.assigned()

    case = services.supervision_open(
        suggestion=suggestion, actor=flow.office_user, committee=flow.a.committee, trigger=SupervisionTrigger.KEY
    )

    assert case.committee == flow.a.committee


def test_opening_a_case_the_workflow_does_not_allow_is_refused(flow, committee_user, writes_nothing):
    # given an assigned suggestion with an open case of the committee
    assigned = flow.assigned()
    services.supervision_open(
        suggestion=assigned, actor=committee_user, committee=flow.a.committee, trigger=SupervisionTrigger.OVERDUE
    )
    refused = [
        (assigned, SupervisionTrigger.KEY),  # a second open case of the same committee
        (flow.accepted(), SupervisionTrigger.UNSATISFIED),  # opened by the rating itself, never by hand
        (flow.draft(), SupervisionTrigger.OVERDUE),  # not accepted yet
        (flow.submitted(), SupervisionTrigger.OVERDUE),
    ]

    for suggestion, trigger in refused:
        # when / then
        with writes_nothing():
            services.supervision_open(
                suggestion=suggestion, actor=committee_user, committee=flow.a.committee, trigger=trigger
            )


def test_a_case_closes_once_with_its_outcome(flow, committee_user, writes_nothing):
    # given an open case
    case = services.supervision_open(
        suggestion=flow.assigned(), actor=committee_user, committee=flow.a.committee, trigger=SupervisionTrigger.KEY
    )

    # when closed without an outcome, then it is refused
    with writes_nothing():
        services.supervision_close(case=case, actor=committee_user, outcome="  ")

    # when closed, then it takes no more action and no second closing
    services.supervision_close(case=case, actor=committee_user, outcome="结束")
    with writes_nothing():
        services.supervision_action_record(
            case=case, actor=committee_user, kind=SupervisionActionKind.NOTE, date=IN_WINDOW, note="补记"
        )
    with writes_nothing():
        services.supervision_close(case=case, actor=committee_user, outcome="再结束")
