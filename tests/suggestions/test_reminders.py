"""The daily reminder sweep (domain.md §3.4): milestones on the working-day calendar with the
official 2026 holidays and make-up days, each reminder once, the latest missed milestone only,
deputies' rating reminders, closing without feedback, the command and the beat task."""

from __future__ import annotations

import datetime
import re
import threading
from io import StringIO
from typing import Any

import pytest
from django.conf import settings
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import connection, connections
from django.utils import timezone, translation
from django.utils.translation import ngettext

from congress.models import Notification
from congress.roles import Role
from congress.services import calendar_load_official, user_assign_role
from suggestions import services
from suggestions.choices import AssignmentMode, AssignmentStatus, CloseReason, Rating, SuggestionStatus
from suggestions.models import ReminderDispatch, Suggestion, SuggestionEvent
from suggestions.reminders import run_reminders
from tests.congress.factories import UserFactory

day = datetime.date
ONE_DAY = datetime.timedelta(days=1)


# --- fixtures and helpers ----------------------------------------------------------------------------


@pytest.fixture
def calendar(db: Any) -> None:
    """The official 2026 holidays (10-01..07 National Day, 02-15..23 Spring Festival …) and make-up
    working days (09-20, 10-10, 02-14, 02-28 …)."""
    calendar_load_official()


@pytest.fixture
def unit_head_user(world: Any) -> Any:
    """The head of the lead unit (also staff of the unit)."""
    user = UserFactory(username="unit-head")
    user_assign_role(user=user, role=Role.UNIT, congress=world.a.congress, unit=world.a.unit)
    user.staff_profile.is_head = True
    user.staff_profile.save()
    return user


@pytest.fixture
def office_and_unit_user(world: Any) -> Any:
    """Someone in the office group who is also staff of the lead unit: told once, never twice."""
    user = UserFactory(username="office-and-unit")
    user_assign_role(user=user, role=Role.OFFICE, congress=world.a.congress, committee=world.a.office_committee)
    return user_assign_role(user=user, role=Role.UNIT, congress=world.a.congress, unit=world.a.unit)


@pytest.fixture
def people(unit_user: Any, co_unit_user: Any, office_user: Any, office_user_b: Any, deputy_user: Any) -> Any:
    return {
        "unit": unit_user,
        "co_unit": co_unit_user,
        "office": office_user,
        "office_b": office_user_b,
        "deputy": deputy_user,
    }


def reload(obj: Any) -> Any:
    return type(obj)._default_manager.get(pk=obj.pk)


def assigned(
    world: Any,
    deputy_user: Any,
    office_user: Any,
    *,
    on: datetime.date,
    co_units: tuple[Any, ...] = (),
    title: str = "关于加强农村学校寄宿条件建设的建议",
) -> Suggestion:
    """A suggestion drafted, submitted, accepted and assigned to the lead unit (and co-units) on `on`."""
    a = world.a
    suggestion = services.suggestion_create(
        actor=deputy_user,
        deputy=deputy_user.deputy,
        session=a.session,
        title=title,
        body="建议……",
        category=a.subject_category,
    )
    services.suggestion_submit(suggestion=suggestion, actor=deputy_user, on=on)
    services.suggestion_review(suggestion=suggestion, actor=office_user, decision="accept")
    services.suggestion_assign(
        suggestion=suggestion, actor=office_user, lead_units=[a.unit], co_units=list(co_units), on=on
    )
    return reload(suggestion)


def replied(suggestion: Suggestion, unit_user: Any, reply_classes: Any, *, on: datetime.date) -> Any:
    lead = suggestion.assignments.get(role="lead")
    return services.reply_submit(
        assignment=lead,
        actor=unit_user,
        reply_class=reply_classes["B"],
        text="已列入明年计划",
        document_number="甲自然资函〔2026〕12号",
        signer="张局长",
        on=on,
    )


def sweep_every_day(start: datetime.date, end: datetime.date) -> dict[datetime.date, list[str]]:
    """Run the sweep once a day from `start` to `end`; the kinds sent, by day."""
    sent = {}
    current = start
    while current <= end:
        report = run_reminders(as_of=current)
        if report.reminders:
            sent[current] = sorted(report.reminders.elements())
        current += ONE_DAY
    return sent


def states(text: str, number: int) -> bool:
    """Whether `text` states the number (not as part of a longer one), in any language."""
    return re.search(rf"(?<!\d){number}(?!\d)", text) is not None


def notified(user: Any) -> list[Notification]:
    return list(Notification.objects.filter(user=user).order_by("pk"))


def line_of(suggestion: Suggestion) -> str:
    with translation.override("zh-hans"):
        return f"{suggestion.number_display}《{suggestion.title}》"


def db_counts() -> dict[str, int]:
    return {
        "dispatches": ReminderDispatch.objects.count(),
        "notifications": Notification.objects.count(),
        "events": SuggestionEvent.objects.count(),
        "closed": Suggestion.objects.filter(status=SuggestionStatus.CLOSED).count(),
    }


pytestmark = pytest.mark.usefixtures("calendar")


# --- units: T-15, T-7, T-3, T-1, the due day, weekly while overdue -----------------------------------


@pytest.mark.django_db
def test_each_unit_milestone_fires_once_on_its_date(world, people, reply_classes):
    # given a suggestion assigned on 30 January: the lead unit's reply is due Thursday 30 April
    suggestion = assigned(world, people["deputy"], people["office"], on=day(2026, 1, 30))
    assert suggestion.assignments.get(role="lead").due_on == day(2026, 4, 30)

    # when the sweep runs every day from April to mid-May
    sent = sweep_every_day(day(2026, 4, 1), day(2026, 5, 15))

    # then each milestone went out once, on its working day (Qingming 4–6 April and Labour Day
    # 1–5 May are days off), and weekly while overdue
    assert sent == {
        day(2026, 4, 9): ["unit:T-15"],
        day(2026, 4, 21): ["unit:T-7"],
        day(2026, 4, 27): ["unit:T-3"],
        day(2026, 4, 29): ["unit:T-1"],
        day(2026, 4, 30): ["unit:due"],
        day(2026, 5, 7): ["unit:overdue"],
        day(2026, 5, 14): ["unit:overdue"],
    }
    assert len(notified(people["unit"])) == 7
    assert len(notified(people["office"])) == 2  # from overdue on
    assert notified(people["co_unit"]) == []
    assert notified(people["office_b"]) == []  # another congress's office
    assert notified(people["deputy"]) == []


@pytest.mark.django_db
def test_a_reminder_names_number_title_due_date_and_days_left(world, people, django_capture_on_commit_callbacks):
    # given a suggestion whose lead unit answers by 30 April
    suggestion = assigned(world, people["deputy"], people["office"], on=day(2026, 1, 30))

    # when the sweep runs on the T-15 day
    with django_capture_on_commit_callbacks(execute=True):  # mail leaves after the commit
        report = run_reminders(as_of=day(2026, 4, 9))

    # then the unit's staff get one notification (and one e-mail) naming the suggestion, the due
    # date and the 15 working days left, linking to the unit desk
    assert report.total_reminders == 1
    assert report.total_notifications == 1
    (notification,) = notified(people["unit"])
    assert line_of(suggestion) in notification.body
    assert suggestion.title in notification.title
    assert "2026年4月30日" in notification.body
    assert states(notification.body, 15)
    assert notification.url == f"/desk/assignments/{suggestion.assignments.get(role='lead').pk}/"
    assert [message.to for message in mail.outbox] == [[people["unit"].email]]
    assert suggestion.title in mail.outbox[0].subject


@pytest.mark.django_db
def test_overdue_reminders_add_the_unit_head_and_the_office_and_tell_no_one_twice(
    world, people, unit_head_user, office_and_unit_user
):
    # given a suggestion due on 30 April
    suggestion = assigned(world, people["deputy"], people["office"], on=day(2026, 1, 30))

    # when the sweep runs on T-1, then one week after the due day
    before = run_reminders(as_of=day(2026, 4, 29))
    overdue = run_reminders(as_of=day(2026, 5, 7))

    # then before the due date only the unit's staff (head included) are told
    assert before.notifications["unit:T-1"] == 3  # unit_user, the head, office-and-unit
    # and when overdue the head and the office are told too, each person once
    assert overdue.notifications["unit:overdue"] == 4  # + office_user; office-and-unit still once
    for user in (people["unit"], unit_head_user, office_and_unit_user):
        assert len(notified(user)) == 2
    (office_notice,) = notified(people["office"])
    assert line_of(suggestion) in office_notice.body
    assert "2026年4月30日" in office_notice.body
    assert states(office_notice.body, 7)  # days overdue
    assert notified(people["office_b"]) == []
    assert ReminderDispatch.objects.get(kind="unit:overdue").recipients == 4


@pytest.mark.django_db
def test_around_national_day_milestones_skip_the_holiday_and_count_make_up_days(world, people):
    # given an assignment of 10 July: the reply is due Saturday 10 October, a make-up working day
    # after the National Day holiday (1–7 October; 20 September is a make-up working day too)
    suggestion = assigned(world, people["deputy"], people["office"], on=day(2026, 7, 10))
    assert suggestion.assignments.get(role="lead").due_on == day(2026, 10, 10)

    # when the sweep runs every day from September to late October
    sent = sweep_every_day(day(2026, 9, 1), day(2026, 10, 27))

    # then T-3 falls before the holiday, the due day on the Saturday, and overdue reminders that
    # would fall on a weekend move to the next working day
    assert sent == {
        day(2026, 9, 14): ["unit:T-15"],  # counting Sunday 20 September as a working day
        day(2026, 9, 23): ["unit:T-7"],  # 25–27 September (Mid-Autumn) are days off
        day(2026, 9, 30): ["unit:T-3"],
        day(2026, 10, 9): ["unit:T-1"],
        day(2026, 10, 10): ["unit:due"],
        day(2026, 10, 19): ["unit:overdue"],  # 17 October is a Saturday
        day(2026, 10, 26): ["unit:overdue"],  # 24 October is a Saturday
    }


@pytest.mark.django_db
def test_around_spring_festival_the_last_reminder_falls_on_the_make_up_saturday(world, people):
    # given an assignment of 24 November 2025: the reply is due Tuesday 24 February 2026, the first
    # working day after the Spring Festival holiday (15–23 February; 14 February is a make-up day)
    suggestion = assigned(world, people["deputy"], people["office"], on=day(2025, 11, 24))
    assert suggestion.assignments.get(role="lead").due_on == day(2026, 2, 24)

    # when the sweep runs every day around the festival
    sent = sweep_every_day(day(2026, 1, 20), day(2026, 3, 3))

    # then T-1 is the make-up Saturday before the holiday, and nothing is sent during it
    assert sent == {
        day(2026, 1, 27): ["unit:T-15"],
        day(2026, 2, 6): ["unit:T-7"],
        day(2026, 2, 12): ["unit:T-3"],
        day(2026, 2, 14): ["unit:T-1"],
        day(2026, 2, 24): ["unit:due"],
        day(2026, 3, 3): ["unit:overdue"],
    }


@pytest.mark.django_db
def test_the_congress_own_offsets_and_overdue_interval_are_used(world, people):
    # given a congress that reminds 20 and 2 working days before, and every 3 days while overdue
    rules = services.rules_for(world.a.congress)
    rules.reminder_offsets = "20,2"
    rules.overdue_reminder_interval_days = 3
    rules.save()
    assigned(world, people["deputy"], people["office"], on=day(2026, 1, 30))

    # when the sweep runs every day from late March to mid-May
    sent = sweep_every_day(day(2026, 3, 25), day(2026, 5, 12))

    # then its milestones are used (T-20 lies beyond the default 15-day window); overdue reminders
    # falling in the Labour Day holiday move to the first working day, once
    assert sent == {
        day(2026, 4, 1): ["unit:T-20"],
        day(2026, 4, 28): ["unit:T-2"],
        day(2026, 4, 30): ["unit:due"],
        day(2026, 5, 6): ["unit:overdue"],  # 3 and 6 May both fall on 6 May
        day(2026, 5, 9): ["unit:overdue"],  # a make-up working Saturday
        day(2026, 5, 12): ["unit:overdue"],
    }


# --- each reminder once ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_running_the_sweep_twice_sends_nothing_the_second_time(world, people):
    # given a suggestion at T-15 and a sweep that already ran today
    assigned(world, people["deputy"], people["office"], on=day(2026, 1, 30))
    first = run_reminders(as_of=day(2026, 4, 9))
    counts = db_counts()
    outbox = len(mail.outbox)

    # when it runs again for the same day
    second = run_reminders(as_of=day(2026, 4, 9))

    # then nothing more is written or sent
    assert first.total_reminders == 1
    assert second.total_reminders == 0
    assert second.total_notifications == 0
    assert db_counts() == counts
    assert len(mail.outbox) == outbox


@pytest.mark.django_db
def test_after_a_missed_week_only_the_latest_milestone_is_sent(world, people):
    # given a suggestion due 30 April whose T-15 (9 April) and T-7 (21 April) days the sweep missed
    suggestion = assigned(world, people["deputy"], people["office"], on=day(2026, 1, 30))

    # when the sweep runs on the T-3 day, then again for the missed days (a late back-fill)
    caught_up = run_reminders(as_of=day(2026, 4, 27))
    late = [run_reminders(as_of=day(2026, 4, 9)), run_reminders(as_of=day(2026, 4, 21))]

    # then one reminder went out, T-3, and the skipped milestones are never sent afterwards
    assert dict(caught_up.reminders) == {"unit:T-3": 1}
    assert caught_up.caught_up == 1
    assert [report.total_reminders for report in late] == [0, 0]
    (notification,) = notified(people["unit"])
    assert line_of(suggestion) in notification.body
    assert list(ReminderDispatch.objects.values_list("kind", "due_on")) == [("unit:T-3", day(2026, 4, 27))]


@pytest.mark.django_db
def test_a_due_day_reminder_sent_a_day_late_says_overdue(world, people, unit_head_user):
    # given a suggestion due 30 April, reminded at T-1, whose sweep did not run on the due day
    suggestion = assigned(world, people["deputy"], people["office"], on=day(2026, 1, 30))
    run_reminders(as_of=day(2026, 4, 29))

    # when the sweep runs the next day (1 May, a holiday: beat runs every day)
    report = run_reminders(as_of=day(2026, 5, 1))

    # then the due-day milestone goes to the unit's staff, worded as one day overdue
    assert dict(report.reminders) == {"unit:due": 1}
    notification = notified(people["unit"])[-1]
    with translation.override("zh-hans"):
        expected = ngettext(
            "Reply %(days)d day overdue: %(suggestion)s", "Reply %(days)d days overdue: %(suggestion)s", 1
        ) % {"days": 1, "suggestion": line_of(suggestion)}
    assert notification.title == expected
    assert notified(people["office"]) == []  # the office comes in from the first weekly reminder


@pytest.mark.django_db
def test_a_long_overdue_item_seen_first_gets_one_reminder_not_one_per_missed_week(world, people):
    # given a suggestion due 30 April that no sweep has looked at since
    suggestion = assigned(world, people["deputy"], people["office"], on=day(2026, 1, 30))

    # when the sweep first runs on 20 May, three weeks later
    report = run_reminders(as_of=day(2026, 5, 20))

    # then one overdue reminder goes out, stating the 20 days overdue
    assert dict(report.reminders) == {"unit:overdue": 1}
    (notification,) = notified(people["unit"])
    assert states(notification.body, 20)
    assert "2026年4月30日" in notification.body
    assert line_of(suggestion) in notification.body
    # and the next one follows the weekly rhythm from the due date (21 May is 3 weeks after 30 April)
    assert run_reminders(as_of=day(2026, 5, 20)).total_reminders == 0
    assert dict(run_reminders(as_of=day(2026, 5, 21)).reminders) == {"unit:overdue": 1}


@pytest.mark.django_db
def test_an_extension_starts_the_reminders_again_for_the_new_due_date(world, people):
    # given a suggestion due 30 April whose unit got T-3 and then more time, until 30 June
    suggestion = assigned(world, people["deputy"], people["office"], on=day(2026, 1, 30))
    lead = suggestion.assignments.get(role="lead")
    run_reminders(as_of=day(2026, 4, 27))
    request = services.extension_request_create(
        assignment=lead, actor=people["unit"], reason="需要调研", requested_due_on=day(2026, 6, 30)
    )
    services.extension_decide(request=request, actor=people["office"], approve=True, note_to_deputy="同意延期")

    # when the sweep runs every day until the new T-7
    sent = sweep_every_day(day(2026, 4, 28), day(2026, 6, 18))

    # then the old due date is forgotten and the new one's milestones follow (Dragon Boat 19 June)
    assert sent == {day(2026, 6, 8): ["unit:T-15"], day(2026, 6, 18): ["unit:T-7"]}
    assert "2026年6月30日" in notified(people["unit"])[-1].body


@pytest.mark.django_db
def test_a_dry_run_reports_what_would_be_sent_and_writes_nothing(world, people, reply_classes):
    # given an overdue suggestion and a replied one whose rating window has passed
    assigned(world, people["deputy"], people["office"], on=day(2026, 1, 30))
    unrated = assigned(world, people["deputy"], people["office"], on=day(2026, 1, 30), title="关于公交线路的建议")
    replied(unrated, people["unit"], reply_classes, on=day(2026, 4, 1))
    counts = db_counts()

    # when the sweep runs as a dry run a week after the due date
    dry = run_reminders(as_of=day(2026, 5, 7), dry_run=True)

    # then it reports the reminders and the closing, and nothing was written or sent
    assert dry.dry_run
    assert dict(dry.reminders) == {"unit:overdue": 1}
    assert dry.total_notifications == 2  # the unit's staff and the office
    assert dry.closed_without_feedback == 1
    assert db_counts() == counts
    assert reload(unrated).status == SuggestionStatus.REPLIED
    assert mail.outbox == []

    # and a real run then does exactly what the dry run said
    real = run_reminders(as_of=day(2026, 5, 7))
    assert (dict(real.reminders), real.total_notifications, real.closed_without_feedback) == (
        dict(dry.reminders),
        dry.total_notifications,
        dry.closed_without_feedback,
    )


# --- co-units, deputies, the office ------------------------------------------------------------------


@pytest.mark.django_db
def test_co_units_are_reminded_before_their_opinion_is_due(world, people, co_unit):
    # given a suggestion assigned on 30 January with a co-unit: its opinion is due Saturday
    # 28 February, a make-up working day after the Spring Festival; and a second one whose
    # co-unit has already sent its opinion
    suggestion = assigned(world, people["deputy"], people["office"], on=day(2026, 1, 30), co_units=(co_unit,))
    co = suggestion.assignments.get(unit=co_unit)
    assert co.due_on == day(2026, 2, 28)
    answered = assigned(
        world, people["deputy"], people["office"], on=day(2026, 1, 30), co_units=(co_unit,), title="另一条建议"
    )
    services.co_opinion_send(assignment=answered.assignments.get(unit=co_unit), actor=people["co_unit"], text="同意")

    # when the sweep runs every day until after the opinion's due date
    sent = sweep_every_day(day(2026, 1, 30), day(2026, 3, 9))

    # then only the waiting co-unit is reminded, at its milestones, and the lead unit is not yet
    assert sent == {
        day(2026, 2, 2): ["co_unit:T-15"],
        day(2026, 2, 12): ["co_unit:T-7"],
        day(2026, 2, 25): ["co_unit:T-3"],
        day(2026, 2, 27): ["co_unit:T-1"],
        day(2026, 2, 28): ["co_unit:due"],
        day(2026, 3, 9): ["co_unit:overdue"],  # 7 March is a Saturday
    }
    assert notified(people["unit"]) == []
    assert set(ReminderDispatch.objects.values_list("target_id", flat=True)) == {co.pk}
    first = notified(people["co_unit"])[0]
    assert line_of(suggestion) in first.body
    assert "2026年2月28日" in first.body


@pytest.mark.django_db
def test_co_units_are_not_reminded_once_the_lead_unit_has_replied(world, people, co_unit, reply_classes):
    # given a co-unit that never sent its opinion, and a lead unit that has replied
    suggestion = assigned(world, people["deputy"], people["office"], on=day(2026, 1, 30), co_units=(co_unit,))
    replied(suggestion, people["unit"], reply_classes, on=day(2026, 2, 10))

    # when the sweep runs on the co-unit's due date
    report = run_reminders(as_of=day(2026, 2, 28))

    # then the co-unit is left alone: its opinion no longer matters
    assert "co_unit:due" not in report.reminders
    assert notified(people["co_unit"]) == []


@pytest.mark.django_db
def test_the_lead_deputy_is_reminded_to_rate_a_reply_then_it_closes_without_feedback(
    world, people, cosigner_user, reply_classes
):
    # given a suggestion with a co-signer, replied on Monday 20 April (the after-commit notice did
    # not go out, e.g. the broker was down): the rating window ends 20 May (Labour Day 1–5 May off,
    # Saturday 9 May worked)
    a = world.a
    suggestion = services.suggestion_create(
        actor=people["deputy"],
        deputy=people["deputy"].deputy,
        session=a.session,
        title="关于社区养老服务的建议",
        body="建议……",
        category=a.subject_category,
        cosigners=[cosigner_user.deputy],
    )
    services.cosigner_respond(suggestion=suggestion, actor=cosigner_user, accept=True)
    services.suggestion_submit(suggestion=suggestion, actor=people["deputy"], on=day(2026, 1, 30))
    services.suggestion_review(suggestion=suggestion, actor=people["office"], decision="accept")
    services.suggestion_assign(suggestion=suggestion, actor=people["office"], lead_units=[a.unit], on=day(2026, 1, 30))
    reply = replied(reload(suggestion), people["unit"], reply_classes, on=day(2026, 4, 20))
    assert reply.evaluation_due_on == day(2026, 5, 20)

    # when the sweep runs every day until the window's end
    sent = sweep_every_day(day(2026, 4, 20), day(2026, 5, 20))

    # then the lead deputy (alone) is asked at the reply and three working days before the end
    assert sent == {day(2026, 4, 20): ["deputy:reply"], day(2026, 5, 15): ["deputy:T-3"]}
    asked, last_call = notified(people["deputy"])
    for notification in (asked, last_call):
        assert line_of(suggestion) in notification.body
        assert "2026年5月20日" in notification.body
        assert notification.url == suggestion.get_absolute_url()
    assert states(asked.body, 20)  # working days left at the reply
    assert states(last_call.body, 3)
    assert notified(cosigner_user) == []
    assert reload(suggestion).status == SuggestionStatus.REPLIED

    # when the window has passed without a rating
    closing = run_reminders(as_of=day(2026, 5, 21))

    # then the suggestion closes as "no feedback", once
    assert closing.closed_without_feedback == 1
    closed = reload(suggestion)
    assert closed.status == SuggestionStatus.CLOSED
    assert closed.close_reason == CloseReason.NO_FEEDBACK
    assert run_reminders(as_of=day(2026, 5, 22)).closed_without_feedback == 0


@pytest.mark.django_db
def test_in_split_mode_a_reply_waits_for_its_rating_while_the_other_unit_still_handles(
    world, people, co_unit, reply_classes
):
    # given a suggestion split between two units on 30 January, the first replying on 20 April
    a = world.a
    suggestion = services.suggestion_create(
        actor=people["deputy"],
        deputy=people["deputy"].deputy,
        session=a.session,
        title="关于城区停车难的建议",
        body="建议……",
        category=a.subject_category,
    )
    services.suggestion_submit(suggestion=suggestion, actor=people["deputy"], on=day(2026, 1, 30))
    services.suggestion_review(suggestion=suggestion, actor=people["office"], decision="accept")
    services.suggestion_assign(
        suggestion=suggestion,
        actor=people["office"],
        lead_units=[a.unit, co_unit],
        mode=AssignmentMode.SPLIT,
        on=day(2026, 1, 30),
    )
    services.reply_submit(
        assignment=suggestion.assignments.get(unit=a.unit),
        actor=people["unit"],
        reply_class=reply_classes["B"],
        text="已列入明年计划",
        document_number="甲自然资函〔2026〕20号",
        signer="张局长",
        on=day(2026, 4, 20),
    )
    assert reload(suggestion).status == SuggestionStatus.ASSIGNED

    # when the sweep runs on that day
    report = run_reminders(as_of=day(2026, 4, 20))

    # then the deputy is asked to rate the first unit's reply, and the second unit is still reminded
    assert dict(report.reminders) == {"deputy:reply": 1, "unit:T-15": 1}
    assert [notification.user for notification in Notification.objects.order_by("pk")] == [
        people["co_unit"],
        people["deputy"],
    ]


@pytest.mark.django_db
def test_a_deputy_told_of_the_reply_is_not_asked_again_at_once(
    world, people, reply_classes, django_capture_on_commit_callbacks
):
    # given a reply whose after-commit notification reached the deputy
    suggestion = assigned(world, people["deputy"], people["office"], on=day(2026, 1, 30))
    with django_capture_on_commit_callbacks(execute=True):
        replied(suggestion, people["unit"], reply_classes, on=day(2026, 4, 20))
    told = len(notified(people["deputy"]))

    # when the sweep runs on the reply's day and on T-3
    at_reply = run_reminders(as_of=day(2026, 4, 20))
    at_t3 = run_reminders(as_of=day(2026, 5, 15))

    # then only the T-3 reminder is added, and it did not replace a missed one
    assert at_reply.total_reminders == 0
    assert dict(at_t3.reminders) == {"deputy:T-3": 1}
    assert at_t3.caught_up == 0
    assert len(notified(people["deputy"])) == told + 1


@pytest.mark.django_db
def test_a_rated_reply_needs_no_reminder_and_does_not_close_as_no_feedback(world, people, reply_classes):
    # given a reply the deputy rated satisfied
    suggestion = assigned(world, people["deputy"], people["office"], on=day(2026, 1, 30))
    reply = replied(suggestion, people["unit"], reply_classes, on=day(2026, 4, 20))
    services.evaluation_submit(
        reply=reply, actor=people["deputy"], attitude=Rating.SATISFIED, result=Rating.SATISFIED, on=day(2026, 4, 22)
    )

    # when the sweep runs at T-3 and after the window
    reports = [run_reminders(as_of=day(2026, 5, 15)), run_reminders(as_of=day(2026, 5, 21))]

    # then nothing is sent and the suggestion stays closed as satisfied
    assert [report.total_reminders for report in reports] == [0, 0]
    assert reports[1].closed_without_feedback == 0
    assert reload(suggestion).close_reason == CloseReason.SATISFIED


@pytest.mark.django_db
def test_the_office_is_told_once_when_an_adjustment_window_closes_on_a_pending_request(world, people):
    # given two suggestions assigned on 30 January (adjustment window until 6 February); the unit
    # asked to adjust one of them on 3 February and nobody has decided yet
    pending = assigned(world, people["deputy"], people["office"], on=day(2026, 1, 30))
    assigned(world, people["deputy"], people["office"], on=day(2026, 1, 30), title="另一条建议")
    lead = pending.assignments.get(role="lead")
    assert lead.adjustment_deadline == day(2026, 2, 6)
    services.adjustment_request_create(
        assignment=lead, actor=people["unit"], reason="不属于本单位职责", on=day(2026, 2, 3)
    )
    assert reload(lead).status == AssignmentStatus.ADJUSTMENT_REQUESTED

    # when the sweep runs the day before, on the day the window closes, and the next working day
    reports = [run_reminders(as_of=when) for when in (day(2026, 2, 5), day(2026, 2, 6), day(2026, 2, 9))]

    # then the office is told once, on the closing day, about the pending request only
    assert [dict(report.reminders).get("office:adjustment", 0) for report in reports] == [0, 1, 0]
    (notification,) = notified(people["office"])
    assert line_of(pending) in notification.body
    assert "2026年2月6日" in notification.body
    assert notified(people["office_b"]) == []


# --- the command and the beat task -------------------------------------------------------------------


@pytest.mark.django_db
def test_the_command_sends_as_of_a_date_and_dry_runs(world, people):
    # given a suggestion at T-15 on 9 April
    assigned(world, people["deputy"], people["office"], on=day(2026, 1, 30))

    # when the command runs as a dry run, then for real, then again
    dry, real, again = StringIO(), StringIO(), StringIO()
    call_command("run_reminders", "--as-of", "2026-04-09", "--dry-run", stdout=dry)
    assert ReminderDispatch.objects.count() == 0
    call_command("run_reminders", "--as-of", "2026-04-09", stdout=real)
    call_command("run_reminders", "--as-of=2026-04-09", stdout=again)

    # then each says, per kind, what was (or would be) sent
    assert "Reminders as of 2026-04-09 (dry run: nothing was written or sent). Would be sent" in dry.getvalue()
    assert re.search(r"unit:T-15 +reminders: +1 +notifications: +1", dry.getvalue())
    assert "Total: reminders: 1, notifications: 1" in dry.getvalue()
    assert "Reminders as of 2026-04-09. Sent, per kind:" in real.getvalue()
    assert re.search(r"unit:T-15 +reminders: +1 +notifications: +1", real.getvalue())
    assert "Total: reminders: 1, notifications: 1" in real.getvalue()
    assert "nothing due" in again.getvalue()
    assert "Total: reminders: 0, notifications: 0" in again.getvalue()
    assert ReminderDispatch.objects.count() == 1


@pytest.mark.django_db
def test_the_command_runs_as_of_today_by_default():
    # when the command runs without --as-of
    out = StringIO()
    call_command("run_reminders", stdout=out)

    # then it runs as of today in the congress's time zone
    assert f"Reminders as of {timezone.localdate().isoformat()}" in out.getvalue()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("value", "says"),
    [("2026-02-30", "not a day of the calendar"), ("09/04/2026", "YYYY-MM-DD"), ("tomorrow", "YYYY-MM-DD")],
)
def test_the_command_refuses_a_bad_date_in_plain_words(value, says):
    # when the command gets a date it cannot read, then it stops with an error saying why
    with pytest.raises(CommandError, match=says):
        call_command("run_reminders", "--as-of", value, stdout=StringIO())
    assert ReminderDispatch.objects.count() == 0


@pytest.mark.django_db
def test_the_beat_task_is_registered_and_runs_the_sweep(world, people):
    from congress.celery import app
    from suggestions.tasks import run_reminders as run_reminders_task

    # given what a worker and beat load at start
    app.loader.import_default_modules()

    # then beat's daily entry names a registered task
    task_name = settings.CELERY_BEAT_SCHEDULE["suggestion-reminders"]["task"]
    assert task_name == "suggestions.tasks.run_reminders"
    assert task_name in app.tasks

    # and the task runs the sweep for the day it is given (beat gives none: today)
    assigned(world, people["deputy"], people["office"], on=day(2026, 1, 30))
    result = run_reminders_task.delay(as_of="2026-04-09").get()
    assert result["reminders"] == {"unit:T-15": 1}
    assert result["total_notifications"] == 1


# --- two sweeps at once (PostgreSQL: row locks with SKIP LOCKED) -------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL (DATABASE_URL)")
def test_two_sweeps_at_once_send_each_reminder_once(world, people, co_unit):
    # given twelve suggestions, each with a lead unit at T-15 and an overdue co-unit on 9 April
    for number in range(12):
        assigned(
            world, people["deputy"], people["office"], on=day(2026, 1, 30), co_units=(co_unit,), title=f"建议{number}"
        )
    # (the after-commit notices of those moves went out: count only what the sweeps add)
    before = {user: len(notified(user)) for user in (people["unit"], people["co_unit"], people["office"])}
    reports: list[Any] = []
    errors: list[BaseException] = []
    start = threading.Barrier(2)

    def sweep() -> None:
        try:
            start.wait()
            reports.append(run_reminders(as_of=day(2026, 4, 9), chunk_size=2))
        except BaseException as error:  # surfaced by the assertion below
            errors.append(error)
        finally:
            connections.close_all()

    # when two workers sweep the same day at the same time
    threads = [threading.Thread(target=sweep) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    # then every reminder went out exactly once between them
    assert errors == []
    assert sum(report.total_reminders for report in reports) == 24
    assert ReminderDispatch.objects.filter(target_type="assignment").count() == 24
    assert len(notified(people["unit"])) - before[people["unit"]] == 12
    assert len(notified(people["co_unit"])) - before[people["co_unit"]] == 12
    assert len(notified(people["office"])) - before[people["office"]] == 12  # the co-units are overdue
    assert run_reminders(as_of=day(2026, 4, 9)).total_reminders == 0
