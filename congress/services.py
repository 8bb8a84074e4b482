"""Writes of the organisation app, one function per use case."""

from __future__ import annotations

import datetime
import json
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from .choices import CalendarDayKind
from .models import CalendarDay, Heartbeat, Notification, StaffProfile
from .roles import ADMIN_ROLES, Role
from .scoping import clear_scope

HOLIDAY_DATA = Path(__file__).resolve().parent / "data" / "holidays.json"


@transaction.atomic
def heartbeat_record(*, name: str = "celery", now: datetime.datetime | None = None) -> Heartbeat:
    """Record that a periodic task ran; /healthz reports the time."""
    moment = now or timezone.now()
    heartbeat, created = Heartbeat.objects.get_or_create(name=name, defaults={"last_run_at": moment, "run_count": 1})
    if not created:
        Heartbeat.objects.filter(pk=heartbeat.pk).update(last_run_at=moment, run_count=F("run_count") + 1)
        heartbeat = Heartbeat.objects.get(pk=heartbeat.pk)
    return heartbeat


@transaction.atomic
def calendar_load_official(*, years: list[int] | None = None, path: Path = HOLIDAY_DATA) -> int:
    """Load official holidays and make-up working days for the given years (all in the file by
    default). Existing days are updated, so running it twice changes nothing. Returns rows written."""
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    written = 0
    for year, entries in data["years"].items():
        if years and int(year) not in years:
            continue
        for entry in entries:
            kind = CalendarDayKind.HOLIDAY if entry["kind"] == "holiday" else CalendarDayKind.WORKDAY
            for day in entry["dates"]:
                CalendarDay.objects.update_or_create(
                    date=datetime.date.fromisoformat(day), defaults={"kind": kind, "name": entry["name"]}
                )
                written += 1
    return written


@transaction.atomic
def user_assign_role(*, user: Any, role: str, congress: Any = None, committee: Any = None, unit: Any = None) -> Any:
    """Put a user in a role group and, for staff roles, tie them to their congress/committee/unit."""
    group = Group.objects.get(name=role)
    user.groups.add(group)
    if role in ADMIN_ROLES and not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    if congress is not None and role not in {Role.DEPUTY}:
        StaffProfile.objects.update_or_create(
            user=user, defaults={"congress": congress, "committee": committee, "handling_unit": unit}
        )
    clear_scope(user)
    return user


def user_create(*, username: str, password: str, full_name: str = "", email: str = "") -> Any:
    """A user with a usable password; the name goes into first_name (Chinese names are not split)."""
    user_model = get_user_model()
    user = user_model(username=username, first_name=full_name, email=email)
    user.set_password(password)
    user.save()
    return user


def notify(*, users: Any, title: str, body: str = "", url: str = "", email: bool = True) -> list[Notification]:
    """In-app notifications (and e-mail where the user has an address) to each of `users`."""
    return notify_many([(users, title, body, url)], email=email)


def notify_many(messages: list[tuple[Any, str, str, str]], *, email: bool = True) -> list[Notification]:
    """`notify` for many messages at once (a sweep's batch): one insert for all their notifications,
    one mail batch after the commit. Each message is (users, title, body, url)."""
    from django.conf import settings
    from django.core.mail import send_mass_mail

    rows = []
    mails = []
    for users, title, body, url in messages:
        for user in users:
            if user is None or not user.is_active:
                continue
            rows.append(Notification(user=user, title=title, body=body, url=url))
            if email and user.email:
                mails.append((title, f"{body}\n{url}".strip(), settings.DEFAULT_FROM_EMAIL, [user.email]))
    notifications = Notification.objects.bulk_create(rows, batch_size=1000)
    if mails:
        # Mail leaves only with the rows that record it: a rolled-back (then retried) caller sends
        # nothing twice, and no mail connection is held open under row locks.
        transaction.on_commit(lambda: send_mass_mail(mails, fail_silently=True))
    return notifications


def notification_mark_read(*, notification: Notification) -> Notification:
    """Mark one notification read (once; reading it again keeps the first time)."""
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def notifications_mark_all_read(*, user: Any) -> int:
    """Mark every unread notification of a user read; returns how many."""
    return Notification.objects.filter(user=user, read_at__isnull=True).update(read_at=timezone.now())
