"""Notices after a move: repeated moves on the same object are each told once."""

import pytest

from congress.models import Notification
from suggestions import services
from suggestions.tasks import notify_event_task

pytestmark = pytest.mark.django_db


def test_a_returned_then_accepted_suggestion_tells_the_deputy_each_time(
    flow, deputy_user, office_user, django_capture_on_commit_callbacks
):
    # given a submitted suggestion
    suggestion = flow.submitted()

    # when the office returns it, the deputy submits again and the office accepts it
    with django_capture_on_commit_callbacks(execute=True):
        services.suggestion_review(suggestion=suggestion, actor=office_user, decision="return", reason="请补充")
    flow.submit(suggestion)
    with django_capture_on_commit_callbacks(execute=True):
        services.suggestion_review(suggestion=suggestion, actor=office_user, decision="accept")

    # then the deputy was told of both reviews
    assert Notification.objects.filter(user=deputy_user).count() == 2


def test_a_retried_notice_of_a_move_is_sent_once(flow, deputy_user, office_user, django_capture_on_commit_callbacks):
    # given a review whose notice went out after the commit
    suggestion = flow.submitted()
    with django_capture_on_commit_callbacks(execute=True):
        services.suggestion_review(suggestion=suggestion, actor=office_user, decision="accept")
    event = suggestion.events.get(action="accept")

    # when the broker delivers the same task again
    again = notify_event_task("reviewed", suggestion.pk, event.pk)

    # then nobody is told twice
    assert again == 0
    assert Notification.objects.filter(user=deputy_user).count() == 1
