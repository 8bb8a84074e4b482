"""The daily reminder sweep of the suggestion workflow (domain.md §3.4): units before and after their
due dates, deputies whose rating is awaited, the office when an adjustment window closes with a
request undecided, and the closing of replied suggestions left unrated ("no feedback").

How each reminder goes out once, and never as a flood:

- A *milestone* is a date on the working-day calendar (holidays and 调休 make-up days): T-15, T-7,
  T-3, T-1 working days before the due date (the congress's `reminder_offsets`), the due day, then
  every `overdue_reminder_interval_days` days while overdue (moved to the next working day when it
  falls on a day off). Milestones before the assignment date do not count.
- For each target (an assignment, a reply) and family (``unit``, ``co_unit``, ``deputy``,
  ``office``) the sweep sends only the latest milestone on or before `as_of`, and only when it is
  later than the latest milestone already dispatched for that target and family (its *watermark*).
  A sweep after missed days therefore sends one reminder, and the milestones it passed over are
  never sent later: the watermark marks them done (the report counts them as `caught_up`).
- Each dispatch is a `ReminderDispatch` row (unique target type, target, kind and milestone date)
  written in the same transaction as its notifications. Due rows are read through indexes in chunks,
  claimed with `select_for_update(skip_locked=True)` where the database has it, and checked again
  after the claim, so a retried task or a second worker sends nothing twice.
"""

from __future__ import annotations

import datetime
import logging
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.db.models import Max, Model, Q, QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils import formats, translation
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from congress.calendar import add_working_days, working_days_between
from congress.models import Notification
from congress.services import notify

from . import recipients, services
from .choices import AssignmentRole, AssignmentStatus, SuggestionStatus
from .models import Assignment, HandlingRules, ReminderDispatch, Reply, Suggestion
from .selectors import RATEABLE_STATUSES
from .tasks import notice_target_type

logger = logging.getLogger(__name__)

CHUNK_SIZE = 200
# The deputy is reminded this many working days before the evaluation window closes.
DEPUTY_RATING_OFFSET = 3
AWAITING = (AssignmentStatus.ASSIGNED, AssignmentStatus.SIGNED)
TITLE_LENGTH = Notification._meta.get_field("title").max_length
MAX_RECIPIENTS = 32767  # ReminderDispatch.recipients is a small integer

# Families: a target's milestones of one family replace each other.
UNIT, CO_UNIT, DEPUTY, OFFICE = "unit", "co_unit", "deputy", "office"
# Stages of a milestone.
BEFORE, DUE, OVERDUE, REPLIED, ADJUSTMENT = "before", "due", "overdue", "reply", "adjustment"

# What the sweep reads of each row (the suggestion's text and frozen copy stay in the database).
ASSIGNMENT_FIELDS = (
    "congress",
    "role",
    "status",
    "due_on",
    "assigned_on",
    "adjustment_deadline",
    "unit",
    "unit__name",
    "suggestion",
    "suggestion__congress",
    "suggestion__number",
    "suggestion__title",
    "suggestion__status",
)
REPLY_FIELDS = (
    "congress",
    "replied_on",
    "evaluation_due_on",
    "is_follow_up",
    "assignment",
    "assignment__congress",
    "assignment__role",
    "assignment__status",
    "assignment__unit",
    "assignment__unit__name",
    "assignment__suggestion",
    "assignment__suggestion__congress",
    "assignment__suggestion__number",
    "assignment__suggestion__title",
    "assignment__suggestion__status",
    "assignment__suggestion__lead_deputy",
)

Message = tuple[list[Any], str, str, str]  # users, title, body, url


@dataclass(frozen=True)
class Milestone:
    """One reminder date of a target. `kind` is what `ReminderDispatch.kind` records (e.g.
    ``unit:T-3``, ``unit:overdue``), `on` its date (`ReminderDispatch.due_on`), `previous` the date of
    the milestone before it (None when there is none that counts)."""

    family: str
    stage: str
    on: datetime.date
    offset: int = 0
    previous: datetime.date | None = None

    @property
    def kind(self) -> str:
        return f"{self.family}:T-{self.offset}" if self.stage == BEFORE else f"{self.family}:{self.stage}"


@dataclass
class ReminderReport:
    """What a sweep sent (or, in a dry run, would send): reminders and notifications per kind."""

    as_of: datetime.date
    dry_run: bool = False
    reminders: Counter[str] = field(default_factory=Counter)
    notifications: Counter[str] = field(default_factory=Counter)
    # Reminders sent in place of earlier milestones the sweep missed (it did not run on their day).
    caught_up: int = 0
    closed_without_feedback: int = 0
    errors: int = 0
    # What the sweeps registered by higher apps did: {name: {count name: n}}.
    other_sweeps: dict[str, dict[str, int]] = field(default_factory=dict)

    @property
    def total_reminders(self) -> int:
        return sum(self.reminders.values())

    @property
    def total_notifications(self) -> int:
        return sum(self.notifications.values())

    def as_dict(self) -> dict[str, Any]:
        return {
            "as_of": self.as_of.isoformat(),
            "dry_run": self.dry_run,
            "reminders": dict(sorted(self.reminders.items())),
            "notifications": dict(sorted(self.notifications.items())),
            "total_reminders": self.total_reminders,
            "total_notifications": self.total_notifications,
            "caught_up": self.caught_up,
            "closed_without_feedback": self.closed_without_feedback,
            "errors": self.errors,
            "other_sweeps": self.other_sweeps,
        }

    def summary_lines(self) -> list[str]:
        """Plain lines for the command and the log; kinds are the codes stored in ReminderDispatch."""
        heading = f"Reminders as of {self.as_of.isoformat()}"
        if self.dry_run:
            lines = [f"{heading} (dry run: nothing was written or sent). Would be sent, per kind:"]
        else:
            lines = [f"{heading}. Sent, per kind:"]
        for kind in sorted(self.reminders):
            lines.append(
                f"  {kind:<16} reminders: {self.reminders[kind]:>5}   notifications: {self.notifications[kind]:>5}"
            )
        if not self.reminders:
            lines.append("  nothing due")
        lines.append(
            f"Total: reminders: {self.total_reminders}, notifications: {self.total_notifications} "
            f"(in place of missed milestones: {self.caught_up}); "
            f"suggestions {'to close' if self.dry_run else 'closed'} without feedback: {self.closed_without_feedback}; "
            f"errors: {self.errors}."
        )
        for name, counts in sorted(self.other_sweeps.items()):
            lines.append(f"{name}: " + ", ".join(f"{key}: {value}" for key, value in sorted(counts.items())))
        return lines


# Sweeps of higher apps (e.g. the stations' tier deadlines), run after the suggestions' own:
# {name: function(as_of=, dry_run=) -> {count name: n}}. Registered in their AppConfig.ready().
_other_sweeps: dict[str, Callable[..., dict[str, int]]] = {}


def register_sweep(name: str, function: Callable[..., dict[str, int]]) -> None:
    """Let a higher app's daily sweep run with this one (beat and `run_reminders --as-of`)."""
    _other_sweeps[name] = function


def run_reminders(*, as_of: datetime.date, dry_run: bool = False, chunk_size: int = CHUNK_SIZE) -> ReminderReport:
    """Send every reminder due on or before `as_of` that was not sent yet, and close the replied
    suggestions whose evaluation window has passed without a rating. With `dry_run` nothing is
    written and nothing is sent; the report says what would be. Safe to run again, and alongside
    another sweep."""
    sweep = _Sweep(as_of=as_of, dry_run=dry_run, chunk_size=chunk_size)
    with translation.override("zh-hans"):
        sweep.run()
        for name, other in _other_sweeps.items():
            sweep.report.other_sweeps[name] = other(as_of=as_of, dry_run=dry_run)
    logger.info("Reminder sweep: %s", sweep.report.as_dict())
    return sweep.report


# --- the sweep -----------------------------------------------------------------------------------


@dataclass
class _Family:
    """How one kind of target is swept: its due rows, its latest milestone, its messages."""

    target_type: str
    model: type[Model]
    due_rows: Callable[[], QuerySet]
    plan: Callable[[Any], Milestone | None]
    messages: Callable[[Any, Milestone], list[Message]]
    # Of a batch of target ids: those whose first reminder already went out as an event notification.
    already_told: Callable[[list[int]], set[int]] | None = None


class _Sweep:
    def __init__(self, *, as_of: datetime.date, dry_run: bool, chunk_size: int) -> None:
        self.as_of = as_of
        self.dry_run = dry_run
        self.chunk_size = max(1, chunk_size)
        self.report = ReminderReport(as_of=as_of, dry_run=dry_run)
        # Per-sweep memories: few congresses, units and distinct due dates, so they stay small.
        self._rules: dict[int, HandlingRules] = {}
        self._people: dict[tuple[str, int], list[Any]] = {}
        self._days: dict[tuple[str, datetime.date, int], Any] = {}

    def run(self) -> None:
        for family in (self._assignments(), self._replies(), self._adjustment_windows()):
            self._sweep(family)
        self._close_unrated()

    # --- families -----------------------------------------------------------------------------

    def _assignments(self) -> _Family:
        """Lead and split units awaiting their reply; co-units awaiting their opinion while the
        suggestion is being handled. Read through the (status, due_on) index, up to the widest
        window any congress's offsets open (overdue rows included)."""
        upper = add_working_days(self.as_of, self._widest_offset())

        def due_rows() -> QuerySet:
            answering = Q(role__in=[AssignmentRole.LEAD, AssignmentRole.SPLIT])
            return (
                Assignment.objects.filter(status__in=AWAITING, due_on__lte=upper)
                .filter(answering | Q(suggestion__status=SuggestionStatus.ASSIGNED))
                .select_related("suggestion", "unit")
                .only(*ASSIGNMENT_FIELDS)
            )

        return _Family("assignment", Assignment, due_rows, self._plan_assignment, self._assignment_messages)

    def _replies(self) -> _Family:
        """Replies waiting for the lead deputy's rating (as the portal offers them: the unit's current
        reply, also while another split unit still handles) whose window is still open; the index on
        evaluation_due_on keeps this to the last weeks' replies."""

        def due_rows() -> QuerySet:
            return (
                Reply.objects.filter(
                    evaluation_due_on__gte=self.as_of,
                    is_follow_up=False,
                    evaluation__isnull=True,
                    assignment__status=AssignmentStatus.REPLIED,
                    assignment__suggestion__status__in=RATEABLE_STATUSES,
                )
                .select_related("assignment__suggestion", "assignment__unit")
                .only(*REPLY_FIELDS)
            )

        def already_told(ids: list[int]) -> set[int]:
            # The after-commit notification of the reply (tasks.notify_event_task) already asked the
            # deputy to rate it; the sweep's own first reminder is the fallback when that did not run.
            told = ReminderDispatch.objects.filter(target_type=notice_target_type("replied"), target_id__in=ids)
            return set(told.values_list("target_id", flat=True))

        return _Family("reply", Reply, due_rows, self._plan_reply, self._reply_messages, already_told)

    def _adjustment_windows(self) -> _Family:
        """Assignments whose adjustment window has closed with the unit's request still undecided:
        the office is told once per assignment. Windows closing without a request need nothing."""

        def due_rows() -> QuerySet:
            return (
                Assignment.objects.filter(
                    status=AssignmentStatus.ADJUSTMENT_REQUESTED, adjustment_deadline__lte=self.as_of
                )
                .select_related("suggestion", "unit")
                .only(*ASSIGNMENT_FIELDS)
            )

        def plan(assignment: Assignment) -> Milestone | None:
            return Milestone(OFFICE, ADJUSTMENT, assignment.adjustment_deadline)

        return _Family("assignment", Assignment, due_rows, plan, self._adjustment_messages)

    # --- milestones ---------------------------------------------------------------------------

    def _plan_assignment(self, assignment: Assignment) -> Milestone | None:
        """The assignment's latest milestone on or before `as_of`, looked for from the latest down."""
        rules = self._rules_for(assignment.congress_id)
        family = UNIT if assignment.answers else CO_UNIT
        due, as_of, start = assignment.due_on, self.as_of, assignment.assigned_on
        offsets = sorted(offset for offset in rules.reminder_offset_days if offset > 0)
        if as_of > due:
            interval = rules.overdue_reminder_interval_days
            step = (as_of - due).days // interval
            while step >= 1:
                day = self._next_working_day(due + datetime.timedelta(days=step * interval))
                if day <= as_of:
                    previous = due
                    if step > 1:
                        previous = self._next_working_day(due + datetime.timedelta(days=(step - 1) * interval))
                    return Milestone(family, OVERDUE, day, previous=previous if previous < day else None)
                step -= 1
        if due <= as_of:
            previous = self._before(due, offsets[0]) if offsets else None
            return Milestone(family, DUE, due, previous=_not_before(previous, start))
        for index, offset in enumerate(offsets):
            day = self._before(due, offset)
            if day <= as_of:
                if start and day < start:
                    return None
                previous = self._before(due, offsets[index + 1]) if index + 1 < len(offsets) else None
                return Milestone(family, BEFORE, day, offset=offset, previous=_not_before(previous, start))
        return None

    def _plan_reply(self, reply: Reply) -> Milestone | None:
        """At the reply, then T-3 working days before the evaluation window closes."""
        due = reply.evaluation_due_on
        if due is None or self.as_of > due or reply.replied_on > self.as_of:
            return None
        reminder = self._before(due, DEPUTY_RATING_OFFSET)
        if reply.replied_on < reminder <= self.as_of:
            return Milestone(DEPUTY, BEFORE, reminder, offset=DEPUTY_RATING_OFFSET, previous=reply.replied_on)
        return Milestone(DEPUTY, REPLIED, reply.replied_on)

    def _widest_offset(self) -> int:
        """The largest reminder offset of any congress (the defaults for congresses without rules)."""
        offsets = set(HandlingRules().reminder_offset_days)
        for value in HandlingRules.objects.values_list("reminder_offsets", flat=True):
            offsets.update(HandlingRules(reminder_offsets=value).reminder_offset_days)
        return max(offsets, default=0)

    def _rules_for(self, congress_id: int) -> HandlingRules:
        if congress_id not in self._rules:
            if self.dry_run:  # rules_for would create the row; the defaults are the same
                rules = HandlingRules.objects.filter(congress_id=congress_id).first()
                self._rules[congress_id] = rules or HandlingRules(congress_id=congress_id)
            else:
                self._rules[congress_id] = services.rules_for(congress_id)
        return self._rules[congress_id]

    def _before(self, day: datetime.date, working_days: int) -> datetime.date:
        return self._memo("before", day, working_days, lambda: add_working_days(day, -working_days))

    def _next_working_day(self, day: datetime.date) -> datetime.date:
        return self._memo("next", day, 0, lambda: add_working_days(day, 0))

    def _working_days_left(self, due: datetime.date) -> int:
        return self._memo("left", due, 0, lambda: working_days_between(self.as_of, due))

    def _memo(self, name: str, day: datetime.date, number: int, compute: Callable[[], Any]) -> Any:
        key = (name, day, number)
        if key not in self._days:
            self._days[key] = compute()
        return self._days[key]

    # --- claiming and sending -----------------------------------------------------------------

    def _sweep(self, family: _Family) -> None:
        rows = family.due_rows().order_by().iterator(chunk_size=self.chunk_size)
        for batch in _batches(rows, self.chunk_size):
            due = self._due(family, batch)
            if not due:
                continue
            if self.dry_run:
                for row, milestone, missed in due:
                    self._count(milestone, sum(len(users) for users, *_rest in family.messages(row, milestone)), missed)
                continue
            with transaction.atomic():
                claimed = self._claim(family.model, [row.pk for row, _milestone, _missed in due])
                if not claimed:
                    continue
                # Read the claimed rows again: another sweep or a user may have moved them meanwhile.
                fresh = list(family.due_rows().filter(pk__in=claimed).order_by("pk"))
                for row, milestone, missed in self._due(family, fresh):
                    self._send(family, row, milestone, missed)

    def _due(self, family: _Family, rows: list[Any]) -> list[tuple[Any, Milestone, bool]]:
        """The rows whose latest milestone is later than the one last dispatched for them, with
        whether the milestone before it was missed."""
        planned = [(row, milestone) for row in rows if (milestone := family.plan(row)) is not None]
        if not planned:
            return []
        ids = [row.pk for row, _milestone in planned]
        marks = self._watermarks(family.target_type, ids)
        told = family.already_told(ids) if family.already_told else set()
        due = []
        for row, milestone in planned:
            mark = marks.get((row.pk, milestone.family))
            if mark is not None and milestone.on <= mark:
                continue
            if milestone.stage == REPLIED and row.pk in told:
                continue
            previous = milestone.previous
            missed = previous is not None and (mark is None or previous > mark)
            if missed and family.already_told and milestone.stage == BEFORE and row.pk in told:
                missed = False  # the first reminder went out as the reply's notification
            due.append((row, milestone, missed))
        return due

    @staticmethod
    def _watermarks(target_type: str, ids: list[int]) -> dict[tuple[int, str], datetime.date]:
        """{(target id, family): the latest milestone date dispatched} (served by the unique index)."""
        marks: dict[tuple[int, str], datetime.date] = {}
        rows = (
            ReminderDispatch.objects.filter(target_type=target_type, target_id__in=ids)
            .values_list("target_id", "kind")
            .annotate(last=Max("due_on"))
            .order_by()
        )
        for target_id, kind, last in rows:
            key = (target_id, kind.split(":", 1)[0])
            if key not in marks or last > marks[key]:
                marks[key] = last
        return marks

    @staticmethod
    def _claim(model: type[Model], ids: list[int]) -> set[int]:
        """Lock the rows until the transaction ends, skipping those another sweep holds. SQLite has
        no row locks (it serialises writers); a database without SKIP LOCKED waits instead, and the
        watermark read after the claim still keeps a reminder from going out twice."""
        features = connection.features
        queryset = model._default_manager.filter(pk__in=ids).order_by("pk")
        if features.has_select_for_update:
            queryset = queryset.select_for_update(skip_locked=features.has_select_for_update_skip_locked)
        return set(queryset.values_list("pk", flat=True))

    def _send(self, family: _Family, row: Any, milestone: Milestone, missed: bool) -> None:
        """One dispatch row and its notifications, written together or not at all."""
        try:
            messages = family.messages(row, milestone)
            with transaction.atomic():
                ReminderDispatch.objects.create(
                    target_type=family.target_type,
                    target_id=row.pk,
                    kind=milestone.kind,
                    due_on=milestone.on,
                    recipients=min(sum(len(users) for users, *_rest in messages), MAX_RECIPIENTS),
                )
                sent = sum(
                    len(notify(users=users, title=title, body=body, url=url))
                    for users, title, body, url in messages
                    if users
                )
        except IntegrityError:
            return  # dispatched meanwhile by another sweep
        except Exception:
            # One broken row must not hold back everyone else's reminders; the next sweep retries it.
            logger.exception("Reminder %s for %s #%s failed", milestone.kind, family.target_type, row.pk)
            self.report.errors += 1
            return
        self._count(milestone, sent, missed)

    def _count(self, milestone: Milestone, notifications: int, missed: bool) -> None:
        self.report.reminders[milestone.kind] += 1
        self.report.notifications[milestone.kind] += notifications
        self.report.caught_up += int(missed)

    # --- messages ------------------------------------------------------------------------------

    def _assignment_messages(self, assignment: Assignment, milestone: Milestone) -> list[Message]:
        """To the unit's staff; from overdue on also to its head and the deputy-affairs office. The
        text says where things stand today (a due-day reminder sent a day late says "overdue")."""
        values = {
            "unit": assignment.unit.name,
            "suggestion": _suggestion_line(assignment.suggestion),
            "due": _date(assignment.due_on),
        }
        answers = milestone.family == UNIT
        if self.as_of < assignment.due_on:
            days = values["days"] = self._working_days_left(assignment.due_on)
            if answers:
                title = ngettext(
                    "Reply due in %(days)d working day: %(suggestion)s",
                    "Reply due in %(days)d working days: %(suggestion)s",
                    days,
                )
                body = ngettext(
                    "%(unit)s: the reply to suggestion %(suggestion)s is due on %(due)s, "
                    "%(days)d working day from today.",
                    "%(unit)s: the reply to suggestion %(suggestion)s is due on %(due)s, "
                    "%(days)d working days from today.",
                    days,
                )
            else:
                title = ngettext(
                    "Co-handling opinion due in %(days)d working day: %(suggestion)s",
                    "Co-handling opinion due in %(days)d working days: %(suggestion)s",
                    days,
                )
                body = ngettext(
                    "%(unit)s: the co-handling opinion on suggestion %(suggestion)s is due to the lead unit "
                    "on %(due)s, %(days)d working day from today.",
                    "%(unit)s: the co-handling opinion on suggestion %(suggestion)s is due to the lead unit "
                    "on %(due)s, %(days)d working days from today.",
                    days,
                )
        elif self.as_of == assignment.due_on:
            if answers:
                title = _("Reply due today: %(suggestion)s")
                body = _("%(unit)s: the reply to suggestion %(suggestion)s is due today, %(due)s (0 days left).")
            else:
                title = _("Co-handling opinion due today: %(suggestion)s")
                body = _(
                    "%(unit)s: the co-handling opinion on suggestion %(suggestion)s is due to the lead unit "
                    "today, %(due)s (0 days left)."
                )
        else:
            days = values["days"] = (self.as_of - assignment.due_on).days
            if answers:
                title = ngettext(
                    "Reply %(days)d day overdue: %(suggestion)s", "Reply %(days)d days overdue: %(suggestion)s", days
                )
                body = ngettext(
                    "%(unit)s: the reply to suggestion %(suggestion)s was due on %(due)s and is %(days)d day overdue.",
                    "%(unit)s: the reply to suggestion %(suggestion)s was due on %(due)s and is %(days)d days overdue.",
                    days,
                )
            else:
                title = ngettext(
                    "Co-handling opinion %(days)d day overdue: %(suggestion)s",
                    "Co-handling opinion %(days)d days overdue: %(suggestion)s",
                    days,
                )
                body = ngettext(
                    "%(unit)s: the co-handling opinion on suggestion %(suggestion)s was due to the lead unit "
                    "on %(due)s and is %(days)d day overdue.",
                    "%(unit)s: the co-handling opinion on suggestion %(suggestion)s was due to the lead unit "
                    "on %(due)s and is %(days)d days overdue.",
                    days,
                )
        title, body = _title(title % values), body % values
        staff = self._unit_users(assignment.unit_id)
        desk = _url("suggestions:desk_detail", assignment.pk)
        if milestone.stage != OVERDUE:
            return [(staff, title, body, desk)]
        unit_people = _unique([*staff, *self._unit_users(assignment.unit_id, heads_only=True)])
        known = {user.pk for user in unit_people}
        office = [user for user in self._office_users(assignment.congress_id) if user.pk not in known]
        admin = _url("admin:suggestions_assignment_change", assignment.pk)
        return [(unit_people, title, body, desk), (office, title, body, admin)]

    def _reply_messages(self, reply: Reply, milestone: Milestone) -> list[Message]:
        """To the lead deputy, who alone rates the reply."""
        suggestion = reply.assignment.suggestion
        days = self._working_days_left(reply.evaluation_due_on)
        values = {
            "unit": reply.assignment.unit.name,
            "suggestion": _suggestion_line(suggestion),
            "due": _date(reply.evaluation_due_on),
            "days": days,
        }
        if milestone.stage == REPLIED:
            title = _("Please rate the reply to %(suggestion)s")
        elif not days:
            title = _("Last day to rate the reply to %(suggestion)s")
        else:
            title = ngettext(
                "%(days)d working day left to rate the reply to %(suggestion)s",
                "%(days)d working days left to rate the reply to %(suggestion)s",
                days,
            )
        if days:
            body = ngettext(
                "%(unit)s replied to your suggestion %(suggestion)s. Please rate the handling by %(due)s, "
                "%(days)d working day from today.",
                "%(unit)s replied to your suggestion %(suggestion)s. Please rate the handling by %(due)s, "
                "%(days)d working days from today.",
                days,
            )
        else:
            body = _(
                "%(unit)s replied to your suggestion %(suggestion)s. Please rate the handling today, %(due)s "
                "(0 days left)."
            )
        deputy = self._deputy_users(suggestion.lead_deputy_id)
        return [(deputy, _title(title % values), body % values, suggestion.get_absolute_url())]

    def _adjustment_messages(self, assignment: Assignment, milestone: Milestone) -> list[Message]:
        """To the deputy-affairs office, who decide the request."""
        days = (self.as_of - assignment.adjustment_deadline).days
        values = {
            "unit": assignment.unit.name,
            "suggestion": _suggestion_line(assignment.suggestion),
            "due": _date(assignment.adjustment_deadline),
            "days": days,
        }
        title = _("Adjustment request awaits your decision: %(suggestion)s")
        if days:
            body = ngettext(
                "%(unit)s asked to adjust its assignment of suggestion %(suggestion)s. The window for adjustment "
                "requests closed on %(due)s, %(days)d day ago; the request awaits your decision.",
                "%(unit)s asked to adjust its assignment of suggestion %(suggestion)s. The window for adjustment "
                "requests closed on %(due)s, %(days)d days ago; the request awaits your decision.",
                days,
            )
        else:
            body = _(
                "%(unit)s asked to adjust its assignment of suggestion %(suggestion)s. The window for adjustment "
                "requests closed today, %(due)s; the request awaits your decision."
            )
        office = self._office_users(assignment.congress_id)
        url = _url("admin:suggestions_assignment_change", assignment.pk)
        return [(office, _title(title % values), body % values, url)]

    # --- recipients (remembered for the sweep: units and congresses repeat) ---------------------

    def _unit_users(self, unit_id: int, *, heads_only: bool = False) -> list[Any]:
        key = ("heads" if heads_only else "unit", unit_id)
        if key not in self._people:
            self._people[key] = _unique(recipients.unit_users(unit_id, heads_only=heads_only).order_by("pk"))
        return self._people[key]

    def _office_users(self, congress_id: int) -> list[Any]:
        key = ("office", congress_id)
        if key not in self._people:
            self._people[key] = _unique(recipients.office_users(congress_id).order_by("pk"))
        return self._people[key]

    def _deputy_users(self, deputy_id: int) -> list[Any]:
        key = ("deputy", deputy_id)
        if key not in self._people:
            self._people[key] = _unique(recipients.deputy_users([deputy_id]))
        return self._people[key]

    # --- closing -------------------------------------------------------------------------------

    def _close_unrated(self) -> None:
        """Replied suggestions with a reply left unrated past its window close as "no feedback". The
        service decides under its lock; a dry run rolls its work back."""
        candidates = (
            Suggestion.objects.filter(
                status=SuggestionStatus.REPLIED,
                assignments__replies__is_follow_up=False,
                assignments__replies__evaluation__isnull=True,
                assignments__replies__evaluation_due_on__lt=self.as_of,
            )
            .order_by()
            .distinct()
            .values_list("pk", flat=True)
        )
        for batch in _batches(candidates.iterator(chunk_size=self.chunk_size), self.chunk_size):
            for suggestion in Suggestion.objects.filter(pk__in=batch).only("pk").order_by("pk"):
                with transaction.atomic():
                    closed = services.suggestion_close_without_feedback(suggestion=suggestion, on=self.as_of)
                    if self.dry_run:
                        transaction.set_rollback(True)
                self.report.closed_without_feedback += int(closed)


# --- helpers -------------------------------------------------------------------------------------


def _batches(rows: Iterable[Any], size: int) -> Iterator[list[Any]]:
    batch: list[Any] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _unique(users: Iterable[Any]) -> list[Any]:
    """Each user once, in the order given (a head is also unit staff; someone may be both)."""
    unique: dict[int, Any] = {}
    for user in users:
        unique.setdefault(user.pk, user)
    return list(unique.values())


def _not_before(day: datetime.date | None, start: datetime.date | None) -> datetime.date | None:
    """A previous milestone before the assignment date never counted."""
    return None if day is None or (start and day < start) else day


def _suggestion_line(suggestion: Suggestion) -> str:
    return f"{suggestion.number_display}《{suggestion.title}》"


def _date(day: datetime.date) -> str:
    return formats.date_format(day, "DATE_FORMAT")


def _title(text: str) -> str:
    return Truncator(text).chars(TITLE_LENGTH)


def _url(name: str, pk: int) -> str:
    try:
        return reverse(name, args=[pk])
    except NoReverseMatch:
        return ""
