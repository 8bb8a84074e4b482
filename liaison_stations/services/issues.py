"""The citizens' loop (domain.md §5), one service per move. Every move locks the issue, runs its
transition, writes one IssueEvent and tells the people concerned after the commit.

THE SIGNATURES BELOW ARE A CONTRACT other modules (public intake, Open311, the API, the portal) code
against; the issues helper implements the bodies."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from ..models import PublicIssue


def issue_submit(
    *,
    congress: Any,
    channel: str,
    content: str,
    deputy: Any = None,
    station: Any = None,
    block: Any = None,
    category: Any = None,
    location: str = "",
    citizen_name: str = "",
    citizen_phone: str = "",
    consent: bool = False,
    photos: Sequence[Any] = (),
    reported_by: Any = None,
    visit: Any = None,
    forum: Any = None,
    actor: Any = None,
    ip: str | None = None,
) -> PublicIssue:
    """Record an issue from any channel (actor None for a citizen without an account). The row is
    saved first; telling the handlers goes after the commit and a sweeper retries it if the broker is
    down (`intake_notified_at`). `photos` are already-checked uploaded files."""
    raise NotImplementedError


def issue_screen(
    *,
    issue: PublicIssue,
    actor: Any,
    accept: bool,
    tier: int = 1,
    reason: str = "",
    category: Any = None,
    handling_unit: Any = None,
    deputy: Any = None,
) -> PublicIssue:
    """后台审: accept at a tier (due date from the tier's working days) or not accept with a reason
    shown to the citizen."""
    raise NotImplementedError


def issue_escalate(*, issue: PublicIssue, actor: Any, note: str = "", handling_unit: Any = None) -> PublicIssue:
    """Raise a handled issue one tier (tier 3 needs a handling unit; tier 4 means converting)."""
    raise NotImplementedError


def issue_assign(*, issue: PublicIssue, actor: Any, handling_unit: Any = None, deputy: Any = None) -> PublicIssue:
    """Change who handles it at its tier (a deputy at tier 1, a unit at tier 3); the due date stays."""
    raise NotImplementedError


def issue_answer(*, issue: PublicIssue, actor: Any, body: str, answerer_name: str = "") -> PublicIssue:
    """码上回: the handler answers; the citizen reads it on the tracking page and may rate it."""
    raise NotImplementedError


def issue_rate(
    *, issue: PublicIssue, rating: str, comment: str = "", actor: Any = None, tracking_code: str = ""
) -> PublicIssue:
    """The citizen (by tracking code, actor None) or, for the deputies' hotline, the reporting deputy
    rates the answer: satisfied / basically satisfied close it; unsatisfied reopens it one tier up
    (and for the hotline opens a supervision case for the counterpart committee)."""
    raise NotImplementedError


def issue_close(*, issue: PublicIssue, actor: Any, note: str = "") -> PublicIssue:
    """Staff close an answered issue the citizen confirmed by phone or in person."""
    raise NotImplementedError


def issue_convert(*, issue: PublicIssue, actor: Any, lead_deputy: Any = None, title: str = "") -> PublicIssue:
    """At tier 4: a formal deputy suggestion is drafted from the issue and linked; the citizen follows
    its progress on the tracking page."""
    raise NotImplementedError


def issue_record_outcome(
    *, issue: PublicIssue, actor: Any, people_helped: int | None, money_involved: Decimal | None
) -> PublicIssue:
    """Outcomes: people helped and money involved (e.g. 562 farmers, 3.68 M yuan)."""
    raise NotImplementedError


def issues_close_quiet(*, as_of: datetime.date, dry_run: bool = False) -> int:
    """闭环管: answered issues left unrated for the quiet period close; returns how many."""
    raise NotImplementedError


def can_see_contact(*, user: Any, issue: PublicIssue) -> bool:
    """Whether the user may see the citizen's name and phone in full: the people handling it (station
    staff of its station, office staff of its congress, the deputy written to, the unit assigned)."""
    raise NotImplementedError


def mask_phone(phone: str) -> str:
    """139****0044; empty stays empty."""
    return f"{phone[:3]}****{phone[-4:]}" if len(phone) >= 7 else ("****" if phone else "")
