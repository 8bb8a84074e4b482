"""The handling rules are per congress (HandlingRules), and every due date is computed from them and
the working-day calendar: a deadline falling on a day off moves to the next working day."""

import datetime

import pytest

from congress.services import calendar_load_official
from suggestions import services
from suggestions.choices import Rating
from suggestions.models import Assignment, HandlingRound, HandlingRules
from tests.suggestions.conftest import ASSIGNED_ON, RATED_ON, REPLIED_ON, reload

pytestmark = pytest.mark.django_db


def assign_in_b(world, office_user_b, other_deputy_user, *, on):
    """A suggestion of congress B assigned to B's unit on `on`."""
    suggestion = services.suggestion_create(
        actor=other_deputy_user,
        deputy=other_deputy_user.deputy,
        session=world.b.session,
        title="乙市的建议",
        body="正文",
        category=world.b.subject_category,
    )
    services.suggestion_submit(suggestion=suggestion, actor=other_deputy_user)
    services.suggestion_review(suggestion=suggestion, actor=office_user_b, decision="accept")
    services.suggestion_assign(suggestion=suggestion, actor=office_user_b, lead_units=[world.b.unit], on=on)
    return Assignment.objects.get(suggestion=suggestion)


def test_the_national_defaults_apply_until_a_congress_changes_them(flow):
    # when
    suggestion = flow.assigned(on=ASSIGNED_ON)

    # then 3 months to answer, 1 month for the co unit's opinion, 6 months at most, 5 working days to object
    rules = HandlingRules.objects.get(congress=flow.a.congress)
    assert (
        rules.answer_months,
        rules.co_opinion_months,
        rules.extension_max_months,
        rules.adjustment_window_working_days,
        rules.rehandling_months,
        rules.evaluation_window_working_days,
    ) == (3, 1, 6, 5, 1, 20)
    lead, co = flow.assignment(suggestion), flow.assignment(suggestion, flow.co_unit)
    assert (lead.due_on, co.due_on) == (datetime.date(2026, 6, 2), datetime.date(2026, 4, 2))


def test_changed_rules_of_one_congress_change_its_dates_only(flow, world, office_user_b, other_deputy_user):
    # given congress A shortens its deadlines
    HandlingRules.objects.update_or_create(
        congress=world.a.congress,
        defaults={
            "answer_months": 2,
            "co_opinion_months": 2,
            "extension_max_months": 4,
            "adjustment_window_working_days": 3,
        },
    )

    # when both congresses assign on the same Monday
    suggestion = flow.assigned(on=ASSIGNED_ON)
    in_b = assign_in_b(world, office_user_b, other_deputy_user, on=ASSIGNED_ON)

    # then A's dates follow A's rules
    lead, co = flow.assignment(suggestion), flow.assignment(suggestion, flow.co_unit)
    assert (lead.due_on, lead.latest_due_on, lead.adjustment_deadline) == (
        datetime.date(2026, 5, 4),  # 2 May is a Saturday
        datetime.date(2026, 7, 2),
        datetime.date(2026, 3, 5),
    )
    assert co.due_on == datetime.date(2026, 5, 4)
    # and B keeps the national defaults
    assert (in_b.due_on, in_b.latest_due_on, in_b.adjustment_deadline) == (
        datetime.date(2026, 6, 2),
        datetime.date(2026, 9, 2),
        datetime.date(2026, 3, 9),
    )


def test_the_adjustment_window_follows_the_rules(flow, world, writes_nothing):
    # given a 3-working-day window
    HandlingRules.objects.create(congress=world.a.congress, adjustment_window_working_days=3)
    lead = flow.assignment(flow.assigned(on=ASSIGNED_ON))

    # then a request on the 4th working day is refused
    with writes_nothing():
        services.adjustment_request_create(
            assignment=lead, actor=flow.unit_user, reason="非本单位", on=datetime.date(2026, 3, 6)
        )


def test_the_rehandling_deadline_follows_the_rules(flow, world):
    # given 2 months for re-handling
    HandlingRules.objects.create(congress=world.a.congress, rehandling_months=2)
    _suggestion, reply = flow.replied()

    # when the deputy is unsatisfied on Wednesday 20 May
    flow.rate(reply, Rating.UNSATISFIED, on=RATED_ON)

    # then round 2 is due on 20 July (a Monday)
    assert HandlingRound.objects.get(number=2).due_on == datetime.date(2026, 7, 20)
    assert reload(reply.assignment).due_on == datetime.date(2026, 7, 20)


def test_the_evaluation_window_follows_the_rules(flow, world):
    # given 10 working days for the deputy's rating
    HandlingRules.objects.create(congress=world.a.congress, evaluation_window_working_days=10)

    # when
    _suggestion, reply = flow.replied()

    # then: Monday 11 May + 10 working days
    assert reply.replied_on == REPLIED_ON
    assert reply.evaluation_due_on == datetime.date(2026, 5, 25)


def test_due_dates_falling_on_days_off_move_to_the_next_working_day(flow):
    # given the official calendar (holidays and make-up working days)
    calendar_load_official()

    # when suggestions are assigned on these days
    in_july = flow.assignment(flow.assigned(on=datetime.date(2026, 7, 1)))
    in_july_co = Assignment.objects.get(suggestion=in_july.suggestion, unit=flow.co_unit)
    in_january_co = Assignment.objects.get(suggestion=flow.assigned(on=datetime.date(2026, 1, 30)), unit=flow.co_unit)
    before_holidays = flow.assignment(flow.assigned(on=datetime.date(2026, 9, 24)))

    # then
    assert in_july.due_on == datetime.date(2026, 10, 8)  # 1 October: National Day holidays until the 7th
    assert in_july.rounds.get().due_on == in_july.due_on
    assert in_july_co.due_on == datetime.date(2026, 8, 3)  # 1 August is a Saturday
    assert in_july.latest_due_on == datetime.date(2027, 1, 4)  # 1 January 2027: New Year, then a weekend
    assert in_july.adjustment_deadline == datetime.date(2026, 7, 8)
    # Saturday 28 February is a make-up working day (调休): a due date stays on it
    assert in_january_co.due_on == datetime.date(2026, 2, 28)
    # 5 working days from Thursday 24 September: 28, 29, 30 September, 8 and 9 October
    assert before_holidays.adjustment_deadline == datetime.date(2026, 10, 9)


def test_the_rehandling_deadline_moves_off_a_holiday(flow):
    # given the official calendar, and a reply rated 不满意 on Tuesday 1 September 2026
    calendar_load_official(years=[2026])
    suggestion = flow.assigned(on=datetime.date(2026, 6, 1))
    reply = flow.reply(flow.assignment(suggestion), on=datetime.date(2026, 8, 28))

    # when
    flow.rate(reply, Rating.UNSATISFIED, on=datetime.date(2026, 9, 1))

    # then one month later is 1 October: due after the holidays
    assert HandlingRound.objects.get(number=2).due_on == datetime.date(2026, 10, 8)
