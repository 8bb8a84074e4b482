"""The notification task: queued after the commit, sent once per move however often it runs."""

import datetime

import pytest
from django.utils import timezone
from kombu.exceptions import OperationalError

from congress.models import Notification, OutboxMessage
from congress.outbox import deliver_owed
from congress.tasks import deliver_outbox_message
from suggestions import services
from suggestions.choices import Rating, SuggestionStatus
from suggestions.models import ReminderDispatch, SupervisionCase
from suggestions.tasks import BUILDERS, notify_event_task
from tests.callbacks import without_dashboard
from tests.suggestions.conftest import ASSIGNED_ON, reload

pytestmark = pytest.mark.django_db


@pytest.fixture
def story(flow, committee_user, cosigner_user):
    """One object for each kind of notification, with who must be told (usernames)."""
    a = flow.a
    suggestion = flow.draft(cosigners=(cosigner_user.deputy,))
    cosigner = suggestion.cosigners.get()
    guidance = services.guidance_request_create(
        suggestion=suggestion, actor=flow.deputy_user, committee=a.committee, question="政策依据？"
    )
    services.guidance_answer(request=guidance, actor=committee_user, answer="请参考《教育法》")
    services.cosigner_respond(suggestion=suggestion, actor=cosigner_user, accept=True)
    flow.submit(suggestion)
    services.suggestion_review(suggestion=suggestion, actor=flow.office_user, decision="accept")
    services.suggestion_pre_assign(
        suggestion=suggestion, actor=flow.office_user, lead_units=[flow.lead_unit], co_units=[flow.co_unit]
    )
    services.suggestion_assign(
        suggestion=suggestion,
        actor=flow.office_user,
        lead_units=[flow.lead_unit],
        co_units=[flow.co_unit],
        on=ASSIGNED_ON,
    )
    adjustment = services.adjustment_request_create(
        assignment=flow.assignment(suggestion, flow.co_unit),
        actor=flow.co_unit_user,
        reason="非本单位职责",
        suggested_unit=flow.split_unit,
        on=ASSIGNED_ON,
    )
    services.adjustment_decide(request=adjustment, actor=flow.office_user, approve=True, on=ASSIGNED_ON)
    lead = flow.assignment(suggestion)
    extension = services.extension_request_create(
        assignment=lead, actor=flow.unit_user, reason="需协调", requested_due_on=datetime.date(2026, 7, 1)
    )
    services.extension_decide(request=extension, actor=flow.office_user, approve=True, note_to_deputy="延期至7月1日")
    reply = flow.reply(lead)
    flow.rate(reply, Rating.UNSATISFIED)
    case = SupervisionCase.objects.get()
    deputies = [flow.deputy_user.username, cosigner_user.username]
    units_now = [flow.unit_user.username, flow.split_unit_user.username]
    return {
        "cosigner_invited": (cosigner.pk, [cosigner_user.username]),
        "guidance_requested": (guidance.pk, [committee_user.username]),
        "guidance_answered": (guidance.pk, [flow.deputy_user.username]),
        "reviewed": (suggestion.pk, [flow.deputy_user.username]),
        "pre_assigned": (suggestion.pk, units_now),  # told as things stand when the task runs
        "assigned": (suggestion.pk, units_now),
        "adjustment_requested": (adjustment.pk, [flow.office_user.username]),
        "adjustment_decided": (adjustment.pk, [flow.co_unit_user.username, *units_now]),
        "extension_approved": (extension.pk, [*deputies, flow.unit_user.username]),
        "replied": (reply.pk, deputies),
        "unsatisfied": (case.pk, [committee_user.username, flow.unit_user.username, flow.deputy_user.username]),
    }


def test_every_kind_is_sent_once_to_the_people_concerned(story):
    assert set(story) == set(BUILDERS)
    for kind, (pk, usernames) in story.items():
        # when the task runs, then runs again (a retry, a second worker)
        before = set(Notification.objects.values_list("pk", flat=True))
        dispatches = ReminderDispatch.objects.count()
        first = notify_event_task(kind, pk)
        told = sorted(Notification.objects.exclude(pk__in=before).values_list("user__username", flat=True))
        second = notify_event_task(kind, pk)

        # then the people concerned are told once
        assert (kind, told) == (kind, sorted(usernames))
        assert (kind, first, second) == (kind, len(usernames), 0)
        assert (kind, ReminderDispatch.objects.count()) == (kind, dispatches + 1)


def test_an_unknown_kind_sends_nothing(story):
    assert notify_event_task("nothing_happened", 1) == 0
    assert not Notification.objects.exists()
    assert not ReminderDispatch.objects.exists()


def test_a_retry_after_midnight_notifies_nobody_again(flow, committee_user, monkeypatch):
    # given the hand-off's notifications went out today
    _suggestion, reply = flow.replied()
    flow.rate(reply, Rating.UNSATISFIED)
    case = SupervisionCase.objects.get()
    today = timezone.localdate()
    assert notify_event_task("unsatisfied", case.pk) == 3

    # when the broker redelivers the task after midnight (acks late, visibility timeout, retry backoff)
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: today + datetime.timedelta(days=1))
    again = notify_event_task("unsatisfied", case.pk)

    # then nobody is told twice: the task runs once per (kind, object), whatever the day
    assert again == 0
    assert Notification.objects.count() == 3


def test_a_second_move_of_the_same_kind_on_the_same_day_is_told_too(flow, django_capture_on_commit_callbacks):
    # given a suggestion returned to the deputy, who was told
    suggestion = flow.submitted()
    with django_capture_on_commit_callbacks(execute=True):
        services.suggestion_review(suggestion=suggestion, actor=flow.office_user, decision="return", reason="请补充")

    # when it is submitted again and accepted the same day
    flow.submit(suggestion)
    with django_capture_on_commit_callbacks(execute=True):
        services.suggestion_review(suggestion=suggestion, actor=flow.office_user, decision="accept")

    # then the deputy is told of both reviews
    assert Notification.objects.filter(user=flow.deputy_user).count() == 2


def test_the_task_is_queued_only_after_the_commit(flow, django_capture_on_commit_callbacks):
    # given
    suggestion = flow.submitted()

    # when the review is written but not yet committed
    with django_capture_on_commit_callbacks(execute=False) as captured:
        services.suggestion_review(suggestion=suggestion, actor=flow.office_user, decision="accept")

    # then nobody is told until the commit runs the callback
    assert not Notification.objects.exists()
    callbacks = without_dashboard(captured)
    assert len(callbacks) == 1
    callbacks[0]()
    assert list(Notification.objects.values_list("user", flat=True)) == [flow.deputy_user.pk]


def test_a_broker_outage_does_not_undo_the_move(flow, monkeypatch, django_capture_on_commit_callbacks):
    # given the broker is down
    def broker_down(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(deliver_outbox_message, "apply_async", broker_down)
    suggestion = flow.submitted()

    # when a move commits and its notification cannot be queued
    with django_capture_on_commit_callbacks(execute=True):
        services.suggestion_review(suggestion=suggestion, actor=flow.office_user, decision="accept")

    # then the move stands (the outage is logged, not raised to the user) and the notice is owed
    assert reload(suggestion).status == SuggestionStatus.ACCEPTED
    assert not Notification.objects.exists()
    owed = OutboxMessage.objects.get(delivered_at__isnull=True)
    assert (owed.task, owed.args[:2]) == ("suggestions.tasks.notify_event", ["reviewed", suggestion.pk])

    # and the outbox sweeper tells the deputy once the message is a minute old
    assert deliver_owed(now=timezone.now() + datetime.timedelta(minutes=2)) == 1
    assert list(Notification.objects.values_list("user", flat=True)) == [flow.deputy_user.pk]
