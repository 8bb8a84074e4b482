"""The fields the services keep on an assignment for the dashboard's figures: the first reply's date
and the due date in force then, the latest reply's class (follow-ups included) and the latest rating."""

from __future__ import annotations

import datetime

from django.utils import timezone

from suggestions import services
from suggestions.choices import Rating
from suggestions.models import Assignment
from tests.suggestions.conftest import ASSIGNED_ON, REPLIED_ON, SUBMITTED_ON, reload


def fresh(assignment: Assignment) -> Assignment:
    return Assignment.objects.get(pk=assignment.pk)


def test_the_first_reply_keeps_its_date_and_the_due_date_in_force(flow):
    # given
    suggestion = flow.assigned(co=False)
    assignment = flow.assignment(suggestion)
    assert fresh(assignment).first_replied_on is None

    # when
    flow.reply(assignment, code="A")

    # then
    kept = fresh(assignment)
    assert kept.first_replied_on == REPLIED_ON
    assert kept.first_reply_due_on == kept.original_due_on
    assert kept.reply_class.code == "A"
    assert kept.rating == ""


def test_an_approved_extension_is_the_due_date_in_force_at_the_first_reply(flow):
    # given an extension approved to a later date
    suggestion = flow.assigned(co=False)
    assignment = flow.assignment(suggestion)
    later = fresh(assignment).due_on + datetime.timedelta(days=30)
    request = services.extension_request_create(
        assignment=assignment, actor=flow.unit_user, reason="需要调研", requested_due_on=later
    )
    services.extension_decide(request=request, actor=flow.office_user, approve=True, note_to_deputy="同意延期")

    # when the unit replies after the first due date
    flow.reply(assignment, code="B", on=later - datetime.timedelta(days=1))

    # then the extended date is the one kept
    kept = fresh(assignment)
    assert kept.first_reply_due_on == later
    assert kept.first_replied_on <= kept.first_reply_due_on
    assert kept.original_due_on < kept.first_replied_on


def test_the_rating_and_a_re_handling_reply_keep_the_first_reply_date(flow):
    # given a reply rated unsatisfied
    suggestion, reply = flow.replied(code="C")
    flow.rate(reply, Rating.UNSATISFIED)
    assert fresh(reply.assignment).rating == Rating.UNSATISFIED

    # when the unit answers again in the second round
    second_day = datetime.date(2026, 6, 8)
    flow.reply(fresh(reply.assignment), code="A", on=second_day)

    # then the first reply's date stays, the class is the new one and the new reply waits for a rating
    kept = fresh(reply.assignment)
    assert kept.first_replied_on == REPLIED_ON
    assert kept.replied_on == second_day
    assert kept.reply_class.code == "A"
    assert kept.rating == ""
    assert reload(suggestion).status in {"replied", "assigned"}


def test_a_follow_up_reply_changes_the_class(flow):
    # given a B reply rated satisfied
    _suggestion, reply = flow.replied(code="B")
    flow.rate(reply, Rating.SATISFIED)

    # when the unit reports it done
    services.follow_up_reply_submit(
        assignment=reply.assignment,
        actor=flow.unit_user,
        reply_class=flow.reply_classes["A"],
        text="已建成。",
        document_number="甲自然资函〔2026〕99号",
        signer="张局长",
        on=datetime.date(2026, 10, 12),
    )

    # then it counts by the follow-up's class, and the rating stays
    kept = fresh(reply.assignment)
    assert kept.reply_class.code == "A"
    assert kept.rating == Rating.SATISFIED
    assert kept.first_replied_on == REPLIED_ON
    assert kept.first_replied_on > ASSIGNED_ON


def test_a_submission_recorded_for_another_day_is_dated_that_day(flow):
    # when a suggestion is submitted "on" the session day (entered later)
    suggestion = flow.submitted()

    # then its submission time is on that day, in local time
    assert timezone.localtime(reload(suggestion).submitted_at).date() == SUBMITTED_ON
