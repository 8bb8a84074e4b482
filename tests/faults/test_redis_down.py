"""Redis down (the cache and the Celery broker refuse connections) while a citizen writes on the QR
page and while a deputy rates a reply 不满意 in the portal: the requests answer as usual, the data is
saved, the notices are owed (outbox rows, `intake_notified_at` empty); once Redis is back the
sweepers deliver them, each recipient is told exactly once, and sweeping again tells no one.

"Back" runs twice: the sweepers called here (any database, no Redis needed), and — with a real Redis
(marker `redis`) — beat's tasks published to Redis and run by a real Celery worker."""

from __future__ import annotations

import datetime
import logging

import pytest
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from congress.models import OutboxMessage
from congress.outbox import deliver_owed
from congress.tasks import deliver_outbox
from liaison_stations.choices import Channel, IssueStatus
from liaison_stations.models import PublicIssue
from liaison_stations.reminders import send_owed_intake
from liaison_stations.tasks import intake_sweep_task
from suggestions import services
from suggestions.choices import AssignmentStatus, Rating, SuggestionStatus
from suggestions.models import Evaluation, HandlingRound, SupervisionCase
from tests.faults.conftest import last_notification, needs_redis, notified_since, worker
from tests.liaison_stations.factories_public import StationDeputyFactory
from tests.suggestions.conftest import reload

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"HTTP_USER_AGENT": "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Mobile/15E148 MicroMessenger"}
MESSAGE = {
    "content": "小区门口的路灯坏了两个星期，晚上老人出门不安全。",
    "location": "桃花仑路 3 号门口",
    "citizen_name": "王秀英",
    "citizen_phone": "139 1234 0044",
    "consent": "on",
}
PASSWORD = "faults-Passw0rd!"
BACK = ["sweepers", pytest.param("worker", marks=pytest.mark.redis)]


def let_minutes_pass(minutes: int = 3) -> None:
    """The outage lasted a few minutes: what was written is older than the sweepers' grace."""
    ago = datetime.timedelta(minutes=minutes)
    OutboxMessage.objects.update(created_at=F("created_at") - ago)
    PublicIssue.objects.update(created_at=F("created_at") - ago)


def sweep_after_outage(redis, back: str, *, times: int) -> None:
    """Redis is back: the outbox sweeper and the intake sweeper run `times` times, either called
    here or as beat would run them (published to Redis, run by a worker)."""
    let_minutes_pass()
    if back == "worker":
        redis.back()
        with worker(redis.queue) as run:
            for _ in range(times):
                run(deliver_outbox.s(), intake_sweep_task.s())
        return
    for _ in range(times):
        deliver_owed()
        send_owed_intake(now=timezone.now())


def logged(caplog, text: str) -> bool:
    return any(text in record.getMessage() for record in caplog.records)


@pytest.mark.parametrize("back", BACK)
def test_a_citizen_writes_while_redis_is_down_and_is_heard_once_it_is_back(
    client, redis, world, deputy_user, station_user, caplog, back
):
    if back == "worker":
        needs_redis()
    caplog.set_level(logging.WARNING)
    # given the deputy's QR page, and Redis down (cache and broker)
    deputy = deputy_user.deputy
    StationDeputyFactory(station=world.a.station, deputy=deputy)
    url = reverse("liaison_stations:intake", args=[deputy.public_code])
    first = last_notification()
    redis.down()

    # when a citizen opens the page on a phone and sends a message
    page = client.get(url, **PHONE)
    response = client.post(url, MESSAGE, REMOTE_ADDR="10.0.0.1", **PHONE)

    # then the pages answer as usual: the form, the redirect, the thank-you page with the code
    assert page.status_code == 200
    assert response.status_code == 302
    thanks = client.get(response["Location"], **PHONE)
    assert thanks.status_code == 200
    issue = PublicIssue.objects.get()
    assert thanks.context["tracking_code"] == issue.tracking_code
    # and the citizen can follow it on the tracking page
    assert client.get(reverse("liaison_stations:track", args=[issue.tracking_code]), **PHONE).status_code == 200
    # and it is saved, with its event, for the deputy's station
    assert (issue.channel, issue.status, issue.deputy_id, issue.station_id) == (
        Channel.QR,
        IssueStatus.SUBMITTED,
        deputy.pk,
        world.a.station.pk,
    )
    assert issue.content == MESSAGE["content"]
    assert issue.events.count() == 1
    # and the notice is owed, not sent
    assert issue.intake_notified_at is None
    assert notified_since(first) == {}
    # (the request met Redis in the rate limit and the broker, and went on)
    assert logged(caplog, "Rate-limit cache unavailable")
    assert logged(caplog, "left for the sweeper")

    # when Redis is back and the sweepers run, twice
    sweep_after_outage(redis, back, times=2)

    # then the station's staff and the deputy are told exactly once
    assert notified_since(first) == {station_user.username: 1, deputy_user.username: 1}
    assert PublicIssue.objects.get().intake_notified_at is not None


@pytest.mark.parametrize("back", BACK)
def test_a_deputy_rates_unsatisfied_while_redis_is_down_and_the_committee_hears_once_it_is_back(
    client, redis, flow, committee_user, caplog, back
):
    if back == "worker":
        needs_redis()
    caplog.set_level(logging.WARNING)
    # given a reply waiting for the deputy's rating (its earlier notices went out), and Redis down
    suggestion, reply = flow.replied()
    deputy_user = flow.deputy_user
    deputy_user.set_password(PASSWORD)
    deputy_user.save()
    assert not OutboxMessage.objects.filter(delivered_at__isnull=True).exists()
    first = last_notification()
    redis.down()

    # when the deputy signs in on the portal and rates the reply 不满意
    signed_in = client.post(reverse("login"), {"username": deputy_user.username, "password": PASSWORD})
    response = client.post(
        reverse("suggestions:portal_evaluate", args=[suggestion.pk, reply.pk]),
        {"attitude": Rating.BASICALLY_SATISFIED, "result": Rating.UNSATISFIED, "comment": "问题没有解决"},
        **PHONE,
    )

    # then the sign-in, the rating and the page after it answer as usual
    assert signed_in.status_code == 302
    assert response.status_code == 302
    assert response["Location"] == reverse("suggestions:portal_detail", args=[suggestion.pk])
    assert client.get(response["Location"], **PHONE).status_code == 200
    # and the rating, the second round and the committee's supervision case are saved
    evaluation = Evaluation.objects.get(reply=reply)
    assert evaluation.result == Rating.UNSATISFIED
    case = SupervisionCase.objects.get()
    assert (case.evaluation_id, case.committee_id) == (evaluation.pk, flow.a.committee.pk)
    assert HandlingRound.objects.filter(assignment=reply.assignment).count() == 2
    assert reload(reply.assignment).status == AssignmentStatus.ASSIGNED
    assert reload(suggestion).status == SuggestionStatus.ASSIGNED
    # and the notice is owed in the outbox, not sent
    owed = OutboxMessage.objects.get(delivered_at__isnull=True)
    assert (owed.task, owed.args[:2]) == ("suggestions.tasks.notify_event", ["unsatisfied", case.pk])
    assert notified_since(first) == {}
    # (the request met Redis in the log-in limit, the dashboard's cache and the broker, and went on)
    assert logged(caplog, "Rate-limit cache unavailable")
    assert logged(caplog, "could not invalidate the cached figures")
    assert logged(caplog, "left for the sweeper")

    # when Redis is back and the sweepers run, twice
    sweep_after_outage(redis, back, times=2)

    # then the committee, the unit and the deputy are told exactly once each
    assert notified_since(first) == {committee_user.username: 1, flow.unit_user.username: 1, deputy_user.username: 1}
    assert not OutboxMessage.objects.filter(delivered_at__isnull=True).exists()
    assert OutboxMessage.objects.get(pk=owed.pk).attempts == 1


@pytest.mark.redis
def test_with_redis_up_the_worker_delivers_after_the_commit_and_the_sweeper_finds_nothing(redis, flow):
    needs_redis()
    # given Redis up and a worker running
    suggestion = flow.submitted()
    first = last_notification()
    redis.back()
    with worker(redis.queue) as run:
        # when the office accepts the suggestion (the notice is published after the commit)
        services.suggestion_review(suggestion=suggestion, actor=flow.office_user, decision="accept")
        message = OutboxMessage.objects.get(task="suggestions.tasks.notify_event", args__0="reviewed")
        run()  # the worker has taken what was queued before this point

        # then the worker delivered it and marked it
        stored = OutboxMessage.objects.get(pk=message.pk)
        assert stored.delivered_at is not None
        assert stored.attempts == 1
        assert notified_since(first) == {flow.deputy_user.username: 1}

        # and beat's sweeper, a few minutes later, has nothing left to send
        let_minutes_pass()
        run(deliver_outbox.s())
    assert notified_since(first) == {flow.deputy_user.username: 1}
    assert OutboxMessage.objects.get(pk=message.pk).attempts == 1
