"""The working-day calendar: Monday to Friday, minus official holidays, plus make-up days (调休).

Deadlines are computed here and stored as due dates; nothing schedules far-future tasks.
"""

from __future__ import annotations

import datetime

from dateutil.relativedelta import relativedelta

from .choices import CalendarDayKind
from .models import CalendarDay

# A stretch of days off never exceeds this (the longest official break is 9 days), so a window of
# this many calendar days per working day always contains enough working days.
_SPAN_PER_WORKING_DAY = 2
_SPAN_MARGIN_DAYS = 30


def _exceptions(start: datetime.date, end: datetime.date) -> tuple[set[datetime.date], set[datetime.date]]:
    holidays: set[datetime.date] = set()
    workdays: set[datetime.date] = set()
    for day, kind in CalendarDay.objects.filter(date__range=(start, end)).values_list("date", "kind"):
        (holidays if kind == CalendarDayKind.HOLIDAY else workdays).add(day)
    return holidays, workdays


def _is_working(day: datetime.date, holidays: set[datetime.date], workdays: set[datetime.date]) -> bool:
    if day in workdays:
        return True
    if day in holidays:
        return False
    return day.weekday() < 5


def is_working_day(day: datetime.date) -> bool:
    """Whether `day` is a working day under the calendar."""
    holidays, workdays = _exceptions(day, day)
    return _is_working(day, holidays, workdays)


def add_working_days(start: datetime.date, days: int) -> datetime.date:
    """The date `days` working days after `start` (`start` itself does not count).

    With ``days=0`` the result is `start` if it is a working day, else the next working day.
    Negative `days` count backwards (e.g. "T-3 working days" before a due date). One query.
    """
    step = 1 if days >= 0 else -1
    remaining = abs(days)
    span = datetime.timedelta(days=remaining * _SPAN_PER_WORKING_DAY + _SPAN_MARGIN_DAYS)
    low, high = (start, start + span) if step > 0 else (start - span, start)
    holidays, workdays = _exceptions(low, high)
    day = start
    if remaining == 0:
        while not _is_working(day, holidays, workdays):
            day += datetime.timedelta(days=1)
        return day
    one = datetime.timedelta(days=step)
    while remaining:
        day += one
        if _is_working(day, holidays, workdays):
            remaining -= 1
    return day


def working_days_between(start: datetime.date, end: datetime.date) -> int:
    """Working days after `start` up to and including `end` (negative if `end` is before `start`)."""
    if end == start:
        return 0
    low, high = (start, end) if end > start else (end, start)
    holidays, workdays = _exceptions(low, high)
    count = 0
    day = low
    while day < high:
        day += datetime.timedelta(days=1)
        if _is_working(day, holidays, workdays):
            count += 1
    return count if end > start else -count


def add_months(start: datetime.date, months: int) -> datetime.date:
    """Calendar months (e.g. the 3-month answer deadline); the 31st becomes the month's last day."""
    return start + relativedelta(months=months)
