"""The working-day calendar with the official 2026 holidays and make-up working days."""

import datetime

import pytest
from django.db import transaction

from congress.calendar import add_months, add_working_days, is_working_day, working_days_between
from congress.choices import CalendarDayKind
from congress.models import CalendarDay
from congress.services import calendar_load_official

day = datetime.date


@pytest.fixture(scope="class")
def official_calendar(django_db_setup, django_db_blocker):
    """The official calendar, loaded once for a class of tests and rolled back after it."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            calendar_load_official()
            yield
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.mark.django_db
@pytest.mark.usefixtures("official_calendar")
class TestWithTheOfficial2026Calendar:
    """Days are checked against the official 2026 holidays and make-up working days."""

    @pytest.mark.parametrize(
        ("date", "working"),
        [
            (day(2026, 3, 2), True),  # a plain Monday
            (day(2026, 3, 7), False),  # a plain Saturday
            (day(2026, 1, 1), False),  # New Year
            (day(2026, 1, 4), True),  # Sunday, make-up working day after New Year
            (day(2026, 2, 14), True),  # Saturday, make-up working day before Spring Festival
            (day(2026, 2, 16), False),  # Monday in Spring Festival
            (day(2026, 2, 23), False),  # last day of Spring Festival, a Monday
            (day(2026, 2, 28), True),  # Saturday, make-up working day after Spring Festival
            (day(2026, 9, 20), True),  # Sunday, make-up working day before National Day
            (day(2026, 10, 1), False),
            (day(2026, 10, 7), False),
            (day(2026, 10, 10), True),  # Saturday, make-up working day after National Day
        ],
    )
    def test_is_working_day(self, date, working):
        # given the official 2026 calendar
        # when asked about a day
        # then weekends, holidays and make-up days are told apart
        assert is_working_day(date) is working

    @pytest.mark.parametrize(
        ("start", "days", "expected"),
        [
            (day(2026, 3, 5), 2, day(2026, 3, 9)),  # Thursday + 2 skips the weekend
            (day(2026, 3, 6), 1, day(2026, 3, 9)),  # Friday + 1 is Monday
            (day(2026, 3, 2), 5, day(2026, 3, 9)),  # a plain week
            (day(2026, 2, 12), 2, day(2026, 2, 14)),  # Thu + 2 = the make-up Saturday before Spring Festival
            (day(2026, 2, 13), 2, day(2026, 2, 24)),  # Fri + 2 jumps the whole Spring Festival
            (day(2026, 2, 24), 4, day(2026, 2, 28)),  # the make-up Saturday after it counts
            (day(2026, 9, 30), 1, day(2026, 10, 8)),  # the day before National Day + 1
            (day(2026, 9, 18), 1, day(2026, 9, 20)),  # Fri + 1 = the make-up Sunday
            (day(2025, 12, 31), 1, day(2026, 1, 4)),  # across New Year to the make-up Sunday
            (day(2026, 1, 1), 1, day(2026, 1, 4)),  # counting from inside a holiday
        ],
    )
    def test_add_working_days_forward(self, start, days, expected):
        # given the official 2026 calendar
        # when working days are added
        # then holidays and weekends are skipped and make-up days count
        assert add_working_days(start, days) == expected

    @pytest.mark.parametrize(
        ("start", "days", "expected"),
        [
            (day(2026, 3, 9), -1, day(2026, 3, 6)),  # Monday - 1 is Friday
            (day(2026, 3, 9), -3, day(2026, 3, 4)),  # "T-3 working days" before a Monday due date
            (day(2026, 2, 24), -1, day(2026, 2, 14)),  # back across Spring Festival to the make-up Saturday
            (day(2026, 2, 24), -2, day(2026, 2, 13)),
            (day(2026, 10, 8), -1, day(2026, 9, 30)),  # back across National Day
            (day(2026, 10, 12), -1, day(2026, 10, 10)),  # the make-up Saturday counts backwards too
        ],
    )
    def test_add_working_days_backward(self, start, days, expected):
        # given the official 2026 calendar
        # when working days are counted back from a due date
        # then the same days are skipped as forwards
        assert add_working_days(start, days) == expected

    @pytest.mark.parametrize(
        ("start", "expected"),
        [
            (day(2026, 3, 2), day(2026, 3, 2)),  # a working day stays
            (day(2026, 3, 7), day(2026, 3, 9)),  # Saturday rolls to Monday
            (day(2026, 10, 1), day(2026, 10, 8)),  # National Day rolls to its end
            (day(2026, 2, 14), day(2026, 2, 14)),  # a make-up Saturday stays
        ],
    )
    def test_add_zero_working_days_rolls_a_day_off_forward(self, start, expected):
        # given the official 2026 calendar
        # when zero working days are added
        # then a working day is kept and a day off rolls to the next working day
        assert add_working_days(start, 0) == expected

    def test_add_working_days_is_one_query(self, django_assert_num_queries):
        # given the official calendar
        # when a long deadline is computed across two holidays
        with django_assert_num_queries(1):
            due = add_working_days(day(2026, 9, 1), 60)

        # then it took one query, and working_days_between agrees with it
        assert working_days_between(day(2026, 9, 1), due) == 60

    @pytest.mark.parametrize(
        ("start", "end", "expected"),
        [
            (day(2026, 3, 2), day(2026, 3, 2), 0),
            (day(2026, 3, 2), day(2026, 3, 9), 5),
            (day(2026, 3, 9), day(2026, 3, 2), -5),
            (day(2026, 2, 13), day(2026, 2, 24), 2),  # 14th (make-up) and 24th
            (day(2026, 9, 30), day(2026, 10, 8), 1),
        ],
    )
    def test_working_days_between(self, start, end, expected):
        # given the official 2026 calendar
        # when the working days between two dates are counted
        # then days off are not counted and the sign follows the order
        assert working_days_between(start, end) == expected


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (day(2026, 1, 15), 3, day(2026, 4, 15)),
        (day(2026, 1, 31), 1, day(2026, 2, 28)),  # the 31st becomes the month's last day
        (day(2026, 11, 30), 3, day(2027, 2, 28)),
        (day(2026, 5, 31), -1, day(2026, 4, 30)),
    ],
)
def test_add_months(start, months, expected):
    # when calendar months are added
    # then the day of the month is kept, or clipped to the month's last day
    assert add_months(start, months) == expected


def test_loading_the_official_calendar_twice_writes_no_duplicates(db):
    # given the official calendar loaded once
    calendar_load_official()
    first = list(CalendarDay.objects.order_by("date").values_list("date", "kind", "name"))

    # when it is loaded again
    calendar_load_official()

    # then the rows are the same, one per date
    assert list(CalendarDay.objects.order_by("date").values_list("date", "kind", "name")) == first
    assert CalendarDay.objects.filter(date=day(2026, 2, 14), kind=CalendarDayKind.WORKDAY).count() == 1
    assert CalendarDay.objects.filter(date__year=2026, kind=CalendarDayKind.HOLIDAY).count() >= 30


def test_loading_only_some_years(db):
    # when only 2026 is loaded
    written = calendar_load_official(years=[2026])

    # then no other year's days are there
    assert written == CalendarDay.objects.count()
    assert not CalendarDay.objects.exclude(date__year=2026).exists()


def test_without_a_calendar_only_weekends_are_days_off(db):
    # given no official days loaded
    # when a deadline crosses the (unloaded) National Day
    # then only the weekend is skipped
    assert add_working_days(day(2026, 9, 30), 1) == day(2026, 10, 1)
