"""Access: each service refuses an actor without the authority (NotAllowed, writing nothing), and
`visible_to(user)` gives each role exactly its suggestions and their rows, once each."""

import datetime
import inspect

import pytest
from django.contrib.auth.models import Group

from congress.models import StaffProfile
from congress.roles import Role
from congress.scoping import clear_scope
from suggestions import services
from suggestions.choices import CommunicationWay, Rating, SupervisionActionKind, SupervisionTrigger
from suggestions.exceptions import NotAllowed
from suggestions.models import (
    Assignment,
    Evaluation,
    GuidanceRequest,
    Reply,
    Suggestion,
    SuggestionEvent,
    SupervisionCase,
)
from tests.congress.factories import SubjectCategoryFactory
from tests.suggestions.conftest import ASSIGNED_ON, db_state

pytestmark = pytest.mark.django_db

IN_WINDOW = ASSIGNED_ON + datetime.timedelta(days=1)

# --- services refuse actors without the authority ------------------------------------------------------

NOT_THE_LEAD_DEPUTY = ["cosigner_user", "second_deputy_user", "other_deputy_user", "office_user", "unit_user"]
NOT_THE_OFFICE = [
    "committee_user",
    "leader_user",
    "unit_user",
    "deputy_user",
    "station_user",
    "plain_user",
    "anonymous_user",
    "office_user_b",
]
NOT_THE_UNIT = ["co_unit_user", "unit_user_b", "office_user", "committee_user", "deputy_user", "anonymous_user"]
NOT_THE_COMMITTEE = [
    "other_committee_user",
    "committee_user_b",
    "office_user_b",
    "leader_user",
    "unit_user",
    "deputy_user",
]


def _create(flow, request):
    return lambda actor: services.suggestion_create(
        actor=actor,
        deputy=flow.deputy_user.deputy,
        session=flow.a.session,
        title="标题",
        body="正文",
        category=flow.a.subject_category,
    )


def _update(flow, request):
    suggestion = flow.draft()
    return lambda actor: services.suggestion_update(suggestion=suggestion, actor=actor, data={"title": "改"})


def _invite(flow, request):
    suggestion = flow.draft()
    deputy = flow.a.deputies[1]
    return lambda actor: services.cosigner_invite(suggestion=suggestion, actor=actor, deputy=deputy)


def _respond(flow, request):
    suggestion = flow.draft(cosigners=(request.getfixturevalue("cosigner_user").deputy,))
    return lambda actor: services.cosigner_respond(suggestion=suggestion, actor=actor, accept=True)


def _ask_guidance(flow, request):
    suggestion = flow.draft()
    return lambda actor: services.guidance_request_create(
        suggestion=suggestion, actor=actor, committee=flow.a.committee, question="？"
    )


def _answer_guidance(flow, request):
    guidance = services.guidance_request_create(
        suggestion=flow.draft(), actor=flow.deputy_user, committee=flow.a.committee, question="？"
    )
    return lambda actor: services.guidance_answer(request=guidance, actor=actor, answer="答")


def _submit(flow, request):
    suggestion = flow.draft()
    return lambda actor: services.suggestion_submit(suggestion=suggestion, actor=actor)


def _withdraw(flow, request):
    suggestion = flow.submitted()
    return lambda actor: services.suggestion_withdraw(suggestion=suggestion, actor=actor)


def _review(flow, request):
    suggestion = flow.submitted()
    return lambda actor: services.suggestion_review(suggestion=suggestion, actor=actor, decision="accept")


def _pre_assign(flow, request):
    suggestion = flow.accepted()
    return lambda actor: services.suggestion_pre_assign(suggestion=suggestion, actor=actor, lead_units=[flow.lead_unit])


def _propose_units(flow, request):
    suggestion = flow.accepted()
    return lambda actor: services.unit_proposal_create(
        suggestion=suggestion, actor=actor, committee=flow.a.committee, units=[flow.co_unit], reason="更合适"
    )


def _assign(flow, request):
    suggestion = flow.accepted()
    return lambda actor: services.suggestion_assign(suggestion=suggestion, actor=actor, lead_units=[flow.lead_unit])


def _sign(flow, request):
    lead = flow.assignment(flow.assigned())
    return lambda actor: services.assignment_sign(assignment=lead, actor=actor)


def _request_adjustment(flow, request):
    lead = flow.assignment(flow.assigned())
    return lambda actor: services.adjustment_request_create(
        assignment=lead, actor=actor, reason="非本单位", on=IN_WINDOW
    )


def _decide_adjustment(flow, request):
    lead = flow.assignment(flow.assigned())
    pending = services.adjustment_request_create(
        assignment=lead, actor=flow.unit_user, reason="非本单位", suggested_unit=flow.split_unit, on=IN_WINDOW
    )
    return lambda actor: services.adjustment_decide(request=pending, actor=actor, approve=True)


def _request_extension(flow, request):
    lead = flow.assignment(flow.assigned())
    return lambda actor: services.extension_request_create(
        assignment=lead, actor=actor, reason="协调", requested_due_on=datetime.date(2026, 7, 1)
    )


def _decide_extension(flow, request):
    lead = flow.assignment(flow.assigned())
    pending = services.extension_request_create(
        assignment=lead, actor=flow.unit_user, reason="协调", requested_due_on=datetime.date(2026, 7, 1)
    )
    return lambda actor: services.extension_decide(request=pending, actor=actor, approve=True, note_to_deputy="延期")


def _send_opinion(flow, request):
    co = flow.assignment(flow.assigned(), flow.co_unit)
    return lambda actor: services.co_opinion_send(assignment=co, actor=actor, text="意见")


def _communicate(flow, request):
    lead = flow.assignment(flow.assigned())
    return lambda actor: services.communication_record(
        assignment=lead, actor=actor, way=CommunicationWay.PHONE, date=IN_WINDOW, summary="电话"
    )


def _reply(flow, request):
    lead = flow.assignment(flow.assigned())
    return lambda actor: services.reply_submit(
        assignment=lead, actor=actor, reply_class=flow.reply_classes["A"], text="答复", document_number="1", signer="张"
    )


def _follow_up(flow, request):
    _suggestion, reply = flow.replied(code="B")
    return lambda actor: services.follow_up_reply_submit(
        assignment=reply.assignment,
        actor=actor,
        reply_class=flow.reply_classes["A"],
        text="已完成",
        document_number="2",
        signer="张",
    )


def _evaluate(flow, request):
    _suggestion, reply = flow.replied(confirmed=(request.getfixturevalue("cosigner_user"),))
    return lambda actor: services.evaluation_submit(
        reply=reply, actor=actor, attitude=Rating.SATISFIED, result=Rating.UNSATISFIED
    )


def _open_case(flow, request):
    suggestion = flow.assigned()
    return lambda actor: services.supervision_open(
        suggestion=suggestion, actor=actor, committee=flow.a.committee, trigger=SupervisionTrigger.KEY
    )


def _case(flow):
    return services.supervision_open(
        suggestion=flow.assigned(), actor=flow.office_user, committee=flow.a.committee, trigger=SupervisionTrigger.KEY
    )


def _record_action(flow, request):
    case = _case(flow)
    return lambda actor: services.supervision_action_record(
        case=case, actor=actor, kind=SupervisionActionKind.VISIT, date=IN_WINDOW, note="走访"
    )


def _close_case(flow, request):
    case = _case(flow)
    return lambda actor: services.supervision_close(case=case, actor=actor, outcome="结束")


def _publish(flow, request):
    _suggestion, reply = flow.replied()
    return lambda actor: services.reply_publish(reply=reply, actor=actor)


# who may do it -> {service: (the state it works on, the people who may not do it)}
def _from_group_output(flow, request):
    from tests.deputies.factories_groups import GroupMembershipFactory, GroupOutputFactory, ProfessionalGroupFactory

    group = ProfessionalGroupFactory(counterpart_committee=flow.a.committee)
    GroupMembershipFactory(group=group, deputy=flow.deputy_user.deputy)
    output = GroupOutputFactory(group=group, kind="suggestion")
    output.authors.set([flow.deputy_user.deputy])
    return lambda actor: services.suggestion_from_group_output(output=output, actor=actor)


WRONG_ACTORS = {
    "lead deputy": {
        "suggestion_from_group_output": (_from_group_output, NOT_THE_LEAD_DEPUTY),
        "suggestion_create": (_create, NOT_THE_LEAD_DEPUTY),
        "suggestion_update": (_update, NOT_THE_LEAD_DEPUTY),
        "cosigner_invite": (_invite, NOT_THE_LEAD_DEPUTY),
        "cosigner_respond": (_respond, ["deputy_user", "second_deputy_user", "office_user"]),
        "guidance_request_create": (_ask_guidance, NOT_THE_LEAD_DEPUTY),
        "suggestion_submit": (_submit, NOT_THE_LEAD_DEPUTY),
        "suggestion_withdraw": (_withdraw, NOT_THE_LEAD_DEPUTY),
        "evaluation_submit": (_evaluate, NOT_THE_LEAD_DEPUTY),
    },
    "office": {
        "suggestion_review": (_review, NOT_THE_OFFICE),
        "suggestion_assign": (_assign, NOT_THE_OFFICE),
        "adjustment_decide": (_decide_adjustment, NOT_THE_OFFICE),
        "extension_decide": (_decide_extension, NOT_THE_OFFICE),
        "reply_publish": (_publish, NOT_THE_OFFICE),
    },
    "committee": {
        "suggestion_pre_assign": (_pre_assign, [*NOT_THE_COMMITTEE, "station_user"]),
        "guidance_answer": (_answer_guidance, NOT_THE_COMMITTEE),
        "unit_proposal_create": (_propose_units, NOT_THE_COMMITTEE),
        "supervision_open": (_open_case, NOT_THE_COMMITTEE),
        "supervision_action_record": (_record_action, NOT_THE_COMMITTEE),
        "supervision_close": (_close_case, NOT_THE_COMMITTEE),
    },
    "unit": {
        "assignment_sign": (_sign, NOT_THE_UNIT),
        "adjustment_request_create": (_request_adjustment, NOT_THE_UNIT),
        "extension_request_create": (_request_extension, NOT_THE_UNIT),
        "co_opinion_send": (_send_opinion, ["unit_user", "unit_user_b", "office_user", "deputy_user"]),
        "communication_record": (_communicate, NOT_THE_UNIT),
        "reply_submit": (_reply, NOT_THE_UNIT),
        "follow_up_reply_submit": (_follow_up, NOT_THE_UNIT),
    },
}


def test_every_service_with_an_actor_is_covered():
    # given every public write of the module that takes an actor (the event writer is not a move)
    with_actor = {
        name
        for name, function in vars(services).items()
        if inspect.isfunction(function)
        and not name.startswith("_")
        and function.__module__ == services.__name__
        and "actor" in inspect.signature(function).parameters
        and name != "record_event"
    }

    # then each is in the table above
    assert with_actor == {service for group in WRONG_ACTORS.values() for service in group}


@pytest.mark.parametrize("authority", list(WRONG_ACTORS))
def test_an_actor_without_the_authority_is_not_allowed(request, flow, django_capture_on_commit_callbacks, authority):
    # given the state each service works on, and the people who may not do it
    cases = {}
    for service, (build, roles) in WRONG_ACTORS[authority].items():
        actors = {role: request.getfixturevalue(role) for role in roles}
        cases[service] = (build(flow, request), actors)
    before = db_state()

    # when each of them tries
    outcome = {}
    with django_capture_on_commit_callbacks() as callbacks:
        for service, (call, actors) in cases.items():
            for role, actor in actors.items():
                try:
                    call(actor)
                except Exception as error:
                    outcome[service, role] = type(error).__name__
                else:
                    outcome[service, role] = "done"

    # then each is refused as not allowed (403), and nothing was written or queued
    assert outcome == dict.fromkeys(outcome, NotAllowed.__name__)
    assert callbacks == []
    assert db_state() == before


# --- what each role sees --------------------------------------------------------------------------------


@pytest.fixture
def catalogue(flow, world, committee_user, other_committee_user, cosigner_user, other_deputy_user):
    """One suggestion of each kind a role's scope tells apart, by name."""
    a = world.a
    other_category = SubjectCategoryFactory(
        counterpart_committee=other_committee_user.staff_profile.committee, name="甲市环境"
    )
    rows = {
        "draft": flow.draft(),
        "guided draft": flow.draft(),
        "draft guided by another committee": flow.draft(),
        "submitted": flow.submitted(confirmed=(cosigner_user,)),
        "pre-assigned": flow.pre_assigned(),
        "assigned": flow.assigned(co=False),
        "taken off the unit": flow.assigned(co=False),
        "closed": flow.assigned(),
        "other category": flow.submitted(category=other_category),
        "supervised": flow.accepted(category=other_category),
    }
    services.guidance_request_create(
        suggestion=rows["guided draft"], actor=flow.deputy_user, committee=a.committee, question="？"
    )
    services.guidance_request_create(
        suggestion=rows["draft guided by another committee"],
        actor=flow.deputy_user,
        committee=other_committee_user.staff_profile.committee,
        question="？",
    )
    moved = services.adjustment_request_create(
        assignment=flow.assignment(rows["taken off the unit"]), actor=flow.unit_user, reason="非本单位", on=IN_WINDOW
    )
    services.adjustment_decide(request=moved, actor=flow.office_user, approve=True, new_unit=flow.split_unit)
    reply = flow.reply(flow.assignment(rows["closed"]))
    flow.rate(reply, Rating.SATISFIED)
    services.supervision_open(
        suggestion=rows["supervised"],
        actor=committee_user,
        committee=a.committee,
        trigger=SupervisionTrigger.INITIATIVE,
    )
    in_b = services.suggestion_create(
        actor=other_deputy_user,
        deputy=other_deputy_user.deputy,
        session=world.b.session,
        title="乙市的建议",
        body="正文",
        category=world.b.subject_category,
    )
    rows["in congress B"] = services.suggestion_submit(suggestion=in_b, actor=other_deputy_user)
    return {name: suggestion.pk for name, suggestion in rows.items()}


SUBMITTED_IN_A = {
    "submitted",
    "pre-assigned",
    "assigned",
    "taken off the unit",
    "closed",
    "other category",
    "supervised",
}
ALL_OF_A = {*SUBMITTED_IN_A, "draft", "guided draft", "draft guided by another committee"}
EVERYTHING = {*ALL_OF_A, "in congress B"}

VISIBLE = {
    "admin_user": EVERYTHING,
    "administrator_user": EVERYTHING,
    "office_user": SUBMITTED_IN_A,
    "leader_user": SUBMITTED_IN_A,
    "committee_user": {
        "guided draft",
        "submitted",
        "pre-assigned",
        "assigned",
        "taken off the unit",
        "closed",
        "supervised",
    },
    "other_committee_user": {"draft guided by another committee", "other category", "supervised"},
    "unit_user": {"pre-assigned", "assigned", "closed"},
    "co_unit_user": {"pre-assigned", "closed"},
    "split_unit_user": {"taken off the unit"},
    "deputy_user": ALL_OF_A,
    "cosigner_user": {"submitted"},
    "second_deputy_user": set(),
    "station_user": set(),
    "plain_user": set(),
    "anonymous_user": set(),
    "office_user_b": {"in congress B"},
    "committee_user_b": {"in congress B"},
    "unit_user_b": set(),
    "other_deputy_user": {"in congress B"},
}


def test_each_role_sees_exactly_its_suggestions(request, catalogue):
    # given every role
    users = {role: request.getfixturevalue(role) for role in VISIBLE}
    names = {pk: name for name, pk in catalogue.items()}

    # when
    seen = {
        role: [names[pk] for pk in Suggestion.objects.visible_to(user).values_list("pk", flat=True)]
        for role, user in users.items()
    }

    # then each sees its set, and no suggestion twice
    assert {role: set(found) for role, found in seen.items()} == VISIBLE
    assert {role: len(found) for role, found in seen.items()} == {role: len(VISIBLE[role]) for role in VISIBLE}


def test_a_suggestion_matching_several_conditions_is_listed_once(flow, world, committee_user, unit_user):
    # given a suggestion pre-assigned, then assigned with the units' roles swapped (each unit has a
    # cancelled and a live assignment), which the committee sees as counterpart, supervisor and guide
    suggestion = flow.pre_assigned()
    services.suggestion_assign(
        suggestion=suggestion, actor=flow.office_user, lead_units=[flow.co_unit], co_units=[flow.lead_unit]
    )
    # (guidance is asked for while drafting; rows made directly here to match a third condition)
    for _ in range(2):
        GuidanceRequest.objects.create(
            congress=world.a.congress, suggestion=suggestion, committee=world.a.committee, question="？"
        )
    services.supervision_open(
        suggestion=suggestion, actor=committee_user, committee=world.a.committee, trigger=SupervisionTrigger.KEY
    )
    # and a unit staff member who also works for the committee
    StaffProfile.objects.filter(user=unit_user).update(committee=world.a.committee)
    unit_user.groups.add(Group.objects.get(name=Role.COMMITTEE))
    clear_scope(unit_user)

    for user in (committee_user, unit_user, flow.co_unit_user, flow.deputy_user):
        # when
        found = list(Suggestion.objects.visible_to(user).values_list("pk", flat=True))

        # then
        assert (user.username, found) == (user.username, [suggestion.pk])
        assert Suggestion.objects.visible_to(user).count() == 1


def test_a_draft_withdrawn_before_submission_stays_private(flow, office_user, committee_user, leader_user):
    # given a draft the deputy never submitted, withdrawn
    suggestion = flow.draft()
    services.suggestion_withdraw(suggestion=suggestion, actor=flow.deputy_user)

    # then only the deputy sees it, as while it was a draft
    assert Suggestion.objects.visible_to(flow.deputy_user).filter(pk=suggestion.pk).exists()
    for staff in (office_user, committee_user, leader_user):
        assert not Suggestion.objects.visible_to(staff).filter(pk=suggestion.pk).exists()


# rows hanging off a suggestion are visible with it: the path from each model to its suggestion
SUGGESTION_OF = {
    Assignment: "suggestion_id",
    SupervisionCase: "suggestion_id",
    SuggestionEvent: "suggestion_id",
    Reply: "assignment__suggestion_id",
    Evaluation: "reply__assignment__suggestion_id",
}
CHILD_ROLES = [
    "admin_user",
    "office_user",
    "committee_user",
    "other_committee_user",
    "unit_user",
    "co_unit_user",
    "split_unit_user",
    "deputy_user",
    "cosigner_user",
    "station_user",
    "plain_user",
    "office_user_b",
    "other_deputy_user",
]


def test_each_role_sees_the_rows_of_its_suggestions(request, catalogue):
    # given the rows hanging off the suggestions, by the suggestion they belong to
    names = {pk: name for name, pk in catalogue.items()}
    rows = {model: dict(model._default_manager.values_list("pk", path)) for model, path in SUGGESTION_OF.items()}
    assert all(rows.values())
    users = {role: request.getfixturevalue(role) for role in CHILD_ROLES}

    # when
    seen = {
        (model.__name__, role): list(model.objects.visible_to(user).values_list("pk", flat=True))
        for model in SUGGESTION_OF
        for role, user in users.items()
    }

    # then each role sees the rows of the suggestions it sees, once each
    expected = {
        (model.__name__, role): {pk for pk, suggestion in rows[model].items() if names[suggestion] in VISIBLE[role]}
        for model in SUGGESTION_OF
        for role in users
    }
    assert {key: set(found) for key, found in seen.items()} == expected
    assert [key for key, found in seen.items() if len(found) != len(set(found))] == []


def test_a_committee_sees_its_own_supervision_cases(flow, committee_user, other_committee_user):
    # given a case of the committee on a suggestion outside its counterpart categories
    other_category = SubjectCategoryFactory(counterpart_committee=other_committee_user.staff_profile.committee)
    suggestion = flow.accepted(category=other_category)
    case = services.supervision_open(
        suggestion=suggestion, actor=committee_user, committee=flow.a.committee, trigger=SupervisionTrigger.KEY
    )

    # then the committee sees it, the counterpart committee too, the other users of A's units do not
    assert list(SupervisionCase.objects.visible_to(committee_user)) == [case]
    assert list(SupervisionCase.objects.visible_to(other_committee_user)) == [case]
    assert list(SupervisionCase.objects.visible_to(flow.unit_user)) == []
