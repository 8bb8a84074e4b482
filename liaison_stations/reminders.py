"""The citizens' loop in the daily sweep (限时答): each open issue's due milestones to its handlers,
the overdue notice to the station and the district, the quiet closing, and the intake outbox.

Registered with the suggestions' sweep (``suggestions.reminders.register_sweep("stations.issues",
liaison_stations.reminders.sweep_issues)``), so beat and ``manage.py run_reminders --as-of`` run it.

- Milestones of an issue waiting for screening (``screening_*``) or handled at tier n (``tiern_*``):
  ``before`` (the congress's `remind_days_before` working days before the due date), ``due`` (on it)
  and ``overdue`` (after it). A sweep sends the latest milestone passed, once: each is a
  `ReminderDispatch` (target type ``public_issue``, the kind, the due date) written with its
  notifications. A new tier brings a new due date, so its reminders are new.
- Rows are read in chunks of ids through the (status, due_on) index, claimed with
  `select_for_update(skip_locked=True)` where the database has it and checked again after the claim.
"""

from __future__ import annotations

import datetime
import logging
from collections import Counter
from collections.abc import Iterator

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from congress.calendar import add_working_days
from congress.services import notify, notify_many
from suggestions.models import ReminderDispatch

from . import tasks
from .choices import IssueStatus
from .models import IssueRules, PublicIssue
from .services.issues import issue_intake_notify, issue_rules_for, issues_close_quiet

logger = logging.getLogger(__name__)

TARGET_TYPE = "public_issue"
CHUNK_SIZE = 200
INTAKE_GRACE = datetime.timedelta(minutes=2)
BEFORE, DUE, OVERDUE = "before", "due", "overdue"
MAX_RECIPIENTS = 32767


def sweep_issues(*, as_of: datetime.date, dry_run: bool = False, chunk_size: int = CHUNK_SIZE) -> dict[str, int]:
    """Everything the loop owes on `as_of`: reminders and overdue notices (once each), quiet closes,
    and intake notices still owed. With `dry_run` nothing is written or sent; the counts say what
    would be. Safe to run again."""
    counts: Counter[str] = Counter()
    counts["intake_notices"] = send_owed_intake(now=timezone.now(), dry_run=dry_run, chunk_size=chunk_size)
    _Deadlines(as_of=as_of, dry_run=dry_run, chunk_size=chunk_size, counts=counts).run()
    counts["closed_quiet"] = issues_close_quiet(as_of=as_of, dry_run=dry_run)
    result = {key: counts[key] for key in ("reminders", "notifications", "overdue", "intake_notices", "closed_quiet")}
    logger.info("Issue sweep %s: %s", as_of, result)
    return result


def send_owed_intake(*, now: datetime.datetime, dry_run: bool = False, chunk_size: int = CHUNK_SIZE) -> int:
    """Issues whose intake notice did not go out (the broker was down) get it now, once."""
    owed = PublicIssue.objects.filter(intake_notified_at__isnull=True, created_at__lte=now - INTAKE_GRACE)
    ids = owed.order_by("pk").values_list("pk", flat=True)
    sent = 0
    for pk in ids.iterator(chunk_size=chunk_size):
        if dry_run:
            sent += 1
            continue
        try:
            if issue_intake_notify(issue_id=pk) is not None:
                sent += 1
        except Exception:  # one failing row must not stop the others; it stays owed
            logger.exception("Intake notice of issue %s failed", pk)
    return sent


def _batches(rows: Iterator[int], size: int) -> Iterator[list[int]]:
    batch: list[int] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


class _Deadlines:
    def __init__(self, *, as_of: datetime.date, dry_run: bool, chunk_size: int, counts: Counter[str]) -> None:
        self.as_of = as_of
        self.dry_run = dry_run
        self.chunk_size = max(1, chunk_size)
        self.counts = counts
        self._rules: dict[int, IssueRules] = {}
        self._people = tasks.People()
        self._days: dict[tuple[datetime.date, int], datetime.date] = {}

    def run(self) -> None:
        widest = max(
            [IssueRules().remind_days_before, *IssueRules.objects.values_list("remind_days_before", flat=True)]
        )
        upper = add_working_days(self.as_of, widest)
        due = PublicIssue.objects.filter(
            status__in=[IssueStatus.SUBMITTED, IssueStatus.HANDLING], due_on__isnull=False, due_on__lte=upper
        )
        ids = due.order_by("pk").values_list("pk", flat=True).iterator(chunk_size=self.chunk_size)
        for batch in _batches(ids, self.chunk_size):
            self._batch(batch)

    def _batch(self, ids: list[int]) -> None:
        with transaction.atomic():
            queryset = PublicIssue.objects.filter(pk__in=ids).order_by("pk")
            if not self.dry_run and connection.features.has_select_for_update:
                queryset = queryset.select_for_update(
                    skip_locked=connection.features.has_select_for_update_skip_locked, of=("self",)
                )
            # Read again under the claim: a user may have moved them meanwhile.
            issues = list(
                queryset.filter(status__in=[IssueStatus.SUBMITTED, IssueStatus.HANDLING], due_on__isnull=False)
            )
            planned = [(issue, kind) for issue in issues if (kind := self._milestone(issue)) is not None]
            if not planned:
                return
            sent = set(
                ReminderDispatch.objects.filter(
                    target_type=TARGET_TYPE, target_id__in=[issue.pk for issue, _kind in planned]
                ).values_list("target_id", "kind", "due_on")
            )
            owed = [(issue, kind) for issue, kind in planned if (issue.pk, kind, issue.due_on) not in sent]
            if not owed:
                return
            self._people.preload([issue for issue, _kind in owed])
            if self.dry_run or not self._send_batch(owed):
                for issue, kind in owed:
                    self._send(issue, kind)

    def _send_batch(self, owed: list[tuple[PublicIssue, str]]) -> bool:
        """Send the batch's reminders together: their dispatch rows in one insert, their notifications
        in another. The rows are claimed (locked) and were checked against the dispatches after the
        claim, so no other sweep sends them; if one did all the same (no row locks on this database),
        nothing of the batch is kept and False sends them one by one (each once)."""
        messages = [(issue, kind, self._messages(issue, kind)) for issue, kind in owed]
        try:
            with transaction.atomic():
                ReminderDispatch.objects.bulk_create(
                    [
                        ReminderDispatch(
                            target_type=TARGET_TYPE,
                            target_id=issue.pk,
                            kind=kind,
                            due_on=issue.due_on,
                            recipients=min(sum(len(users) for users, *_rest in message), MAX_RECIPIENTS),
                        )
                        for issue, kind, message in messages
                    ]
                )
                notify_many(
                    [
                        (users, title[:200], body, url)
                        for _issue, _kind, message in messages
                        for users, title, body, url in message
                    ]
                )
        except IntegrityError:
            return False
        for _issue, kind, message in messages:
            self._count(kind, sum(len(users) for users, *_rest in message))
        return True

    def _milestone(self, issue: PublicIssue) -> str | None:
        """The latest milestone passed on `as_of` (``tier2_due``), None before the first."""
        stage = "screening" if issue.status == IssueStatus.SUBMITTED else f"tier{issue.tier}"
        if self.as_of > issue.due_on:
            return f"{stage}_{OVERDUE}"
        if self.as_of == issue.due_on:
            return f"{stage}_{DUE}"
        rules = self._rules_for(issue.congress_id)
        if rules.remind_days_before and self.as_of >= self._before(issue.due_on, rules.remind_days_before):
            return f"{stage}_{BEFORE}"
        return None

    def _rules_for(self, congress_id: int) -> IssueRules:
        if congress_id not in self._rules:
            self._rules[congress_id] = issue_rules_for(congress_id, create=not self.dry_run)
        return self._rules[congress_id]

    def _before(self, day: datetime.date, working_days: int) -> datetime.date:
        key = (day, working_days)
        if key not in self._days:
            self._days[key] = add_working_days(day, -working_days)
        return self._days[key]

    def _messages(self, issue: PublicIssue, kind: str) -> list[tasks.Message]:
        line = tasks.issue_line(issue)
        url = tasks.unit_url(issue) if issue.tier == 3 and issue.handling_unit_id else tasks.desk_url(issue)
        what = _("Screen") if issue.status == IssueStatus.SUBMITTED else _("Answer")
        if kind.endswith(OVERDUE):
            title = _("Overdue: %(issue)s was due on %(day)s") % {"issue": line, "day": issue.due_on}
            body = _("Tier %(tier)s · please follow it up.") % {"tier": issue.tier or "—"}
            users = tasks._unique(tasks.handlers(issue, self._people), tasks.overseers(issue, self._people))
            return [(users, title, body, url)]
        if kind.endswith(DUE):
            title = _("Due today: %(issue)s") % {"issue": line}
        else:
            title = _("Due on %(day)s: %(issue)s") % {"day": issue.due_on, "issue": line}
        body = _("%(what)s it by %(day)s.") % {"what": what, "day": issue.due_on}
        return [(tasks.handlers(issue, self._people), title, body, url)]

    def _send(self, issue: PublicIssue, kind: str) -> None:
        messages = self._messages(issue, kind)
        recipients = sum(len(users) for users, *_rest in messages)
        if self.dry_run:
            self._count(kind, recipients)
            return
        try:
            with transaction.atomic():
                ReminderDispatch.objects.create(
                    target_type=TARGET_TYPE,
                    target_id=issue.pk,
                    kind=kind,
                    due_on=issue.due_on,
                    recipients=min(recipients, MAX_RECIPIENTS),
                )
                for users, title, body, url in messages:
                    notify(users=users, title=title[:200], body=body, url=url)
        except IntegrityError:
            return  # another sweep sent it
        self._count(kind, recipients)

    def _count(self, kind: str, recipients: int) -> None:
        self.counts["reminders"] += 1
        self.counts["notifications"] += recipients
        if kind.endswith(OVERDUE):
            self.counts["overdue"] += 1
