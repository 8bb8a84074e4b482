"""The whole story of a suggestion through the services, as issue 3 tells it."""

import datetime

import pytest

from congress.models import Notification
from congress.services import calendar_load_official
from suggestions import services
from suggestions.choices import AssignmentStatus, Rating, SuggestionStatus, SupervisionTrigger
from suggestions.models import HandlingRound, Suggestion, SuggestionEvent, SupervisionCase

pytestmark = pytest.mark.django_db


def reload(obj):
    return type(obj).objects.get(pk=obj.pk)


def test_full_story_from_draft_to_closed_after_rehandling(
    django_capture_on_commit_callbacks,
    world,
    deputy_user,
    cosigner_user,
    office_user,
    committee_user,
    unit_user,
    co_unit,
    co_unit_user,
    reply_classes,
):
    calendar_load_official()
    a = world.a
    deputy, cosigner = deputy_user.deputy, cosigner_user.deputy

    # given a draft with a co-signer, confirmed
    suggestion = services.suggestion_create(
        actor=deputy_user,
        deputy=deputy,
        session=a.session,
        title="关于加强农村学校寄宿条件建设的建议",
        body="建议……",
        category=a.subject_category,
        cosigners=[cosigner],
    )
    services.cosigner_respond(suggestion=suggestion, actor=cosigner_user, accept=True)

    # when it is submitted, accepted, pre-assigned and assigned to a lead and a co unit
    services.suggestion_submit(suggestion=suggestion, actor=deputy_user, on=datetime.date(2026, 1, 9))
    services.suggestion_review(suggestion=suggestion, actor=office_user, decision="accept")
    services.suggestion_pre_assign(suggestion=suggestion, actor=office_user, lead_units=[a.unit], co_units=[co_unit])
    services.suggestion_assign(
        suggestion=suggestion, actor=office_user, lead_units=[a.unit], co_units=[co_unit], on=datetime.date(2026, 1, 30)
    )
    suggestion = reload(suggestion)
    lead = suggestion.assignments.get(unit=a.unit)
    co = suggestion.assignments.get(unit=co_unit)

    # then it is numbered and the clocks run from the assignment date
    assert suggestion.number == 1
    assert suggestion.status == SuggestionStatus.ASSIGNED
    assert lead.status == AssignmentStatus.ASSIGNED
    assert lead.due_on == datetime.date(2026, 4, 30)  # 3 months, a working day
    assert co.due_on == datetime.date(2026, 2, 28)  # 1 month: a Saturday, but a make-up working day (调休)
    assert lead.adjustment_deadline == datetime.date(2026, 2, 6)

    # when the units sign, the co unit sends its opinion and the lead replies B
    services.assignment_sign(assignment=lead, actor=unit_user)
    services.assignment_sign(assignment=co, actor=co_unit_user)
    services.co_opinion_send(assignment=co, actor=co_unit_user, text="同意主办单位意见")
    reply = services.reply_submit(
        assignment=lead,
        actor=unit_user,
        reply_class=reply_classes["B"],
        text="已列入明年计划",
        document_number="甲自然资函〔2026〕12号",
        signer="张局长",
        on=datetime.date(2026, 4, 20),
    )
    assert reload(suggestion).status == SuggestionStatus.REPLIED

    # when the deputy rates the result 不满意 (notifications go out after the commit)
    with django_capture_on_commit_callbacks(execute=True):
        services.evaluation_submit(
            reply=reply,
            actor=deputy_user,
            attitude=Rating.SATISFIED,
            result=Rating.UNSATISFIED,
            on=datetime.date(2026, 4, 22),
        )

    # then round 2 and one supervision case of the counterpart committee exist, and people are told
    suggestion = reload(suggestion)
    assert suggestion.status == SuggestionStatus.ASSIGNED
    assert HandlingRound.objects.filter(assignment=lead).count() == 2
    case = SupervisionCase.objects.get(suggestion=suggestion)
    assert case.committee == a.committee
    assert case.trigger == SupervisionTrigger.UNSATISFIED
    assert reload(lead).due_on == datetime.date(2026, 5, 22)
    assert Notification.objects.filter(user=committee_user).exists()
    assert Notification.objects.filter(user=unit_user, title__contains=suggestion.title).exists()

    # when the unit replies again and the deputy is satisfied
    second = services.reply_submit(
        assignment=lead,
        actor=unit_user,
        reply_class=reply_classes["A"],
        text="已解决",
        document_number="甲自然资函〔2026〕30号",
        signer="张局长",
        on=datetime.date(2026, 5, 15),
    )
    services.evaluation_submit(reply=second, actor=deputy_user, attitude=Rating.SATISFIED, result=Rating.SATISFIED)

    # then it is closed, and every move left an event
    suggestion = reload(suggestion)
    assert suggestion.status == SuggestionStatus.CLOSED
    actions = list(SuggestionEvent.objects.filter(suggestion=suggestion).values_list("action", flat=True))
    for expected in [
        "create",
        "invite",
        "cosign",
        "submit",
        "accept",
        "pre_assign",
        "assign",
        "sign",
        "opinion",
        "reply",
        "evaluate",
        "rehandle",
        "supervise",
        "close",
    ]:
        assert expected in actions
    assert Suggestion.objects.visible_to(committee_user).filter(pk=suggestion.pk).exists()
