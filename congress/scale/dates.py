"""The working calendar in memory, for millions of due dates: the same answers as `congress.calendar`
(Monday–Friday, minus the `CalendarDay` holidays, plus make-up days), read from the table once."""

from __future__ import annotations

import bisect
import calendar
import datetime

from congress.choices import CalendarDayKind
from congress.models import CalendarDay

ONE_DAY = datetime.timedelta(days=1)
TZ = datetime.timezone(datetime.timedelta(hours=8))  # Asia/Shanghai has had no daylight saving since 1991


class WorkingCalendar:
    """`add_working_days` and `add_months` of `congress.calendar`, answered from lists."""

    def __init__(self, first: datetime.date, last: datetime.date) -> None:
        holidays: set[datetime.date] = set()
        workdays: set[datetime.date] = set()
        for day, kind in CalendarDay.objects.filter(date__range=(first, last)).values_list("date", "kind"):
            (holidays if kind == CalendarDayKind.HOLIDAY else workdays).add(day)
        self.first, self.last = first, last
        self.working: list[datetime.date] = []
        day = first
        while day <= last:
            if day in workdays or (day not in holidays and day.weekday() < 5):
                self.working.append(day)
            day += ONE_DAY
        self._ordinals = [day.toordinal() for day in self.working]
        self._months: dict[tuple[datetime.date, int], datetime.date] = {}

    def add_working_days(self, start: datetime.date, days: int) -> datetime.date:
        """The date `days` working days after `start` (0: `start` itself or the next working day)."""
        if not self.first <= start <= self.last:
            raise ValueError(f"{start} is outside the calendar kept for seeding ({self.first}–{self.last}).")
        ordinal = start.toordinal()
        if days == 0:
            return self.working[bisect.bisect_left(self._ordinals, ordinal)]
        if days > 0:
            return self.working[bisect.bisect_right(self._ordinals, ordinal) + days - 1]
        return self.working[bisect.bisect_left(self._ordinals, ordinal) + days]

    def next_working_day(self, day: datetime.date) -> datetime.date:
        return self.add_working_days(day, 0)

    def add_months(self, start: datetime.date, months: int) -> datetime.date:
        """Calendar months; the 31st becomes the month's last day (as dateutil's relativedelta)."""
        key = (start, months)
        result = self._months.get(key)
        if result is None:
            month_index = start.month - 1 + months
            year, month = start.year + month_index // 12, month_index % 12 + 1
            result = datetime.date(year, month, min(start.day, calendar.monthrange(year, month)[1]))
            self._months[key] = result
        return result

    def due_in_months(self, start: datetime.date, months: int) -> datetime.date:
        """A deadline `months` after `start`, moved off a day off (as the suggestion services do)."""
        return self.add_working_days(self.add_months(start, months), 0)


def moment(day: datetime.date, minute_of_day: int) -> datetime.datetime:
    """A local time on `day` (minutes after midnight)."""
    hour, minute = divmod(minute_of_day, 60)
    return datetime.datetime(day.year, day.month, day.day, hour, minute, tzinfo=TZ)
