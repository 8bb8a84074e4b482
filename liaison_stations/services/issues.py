"""The citizens' loop (domain.md §5), one service per move. Every move locks the issue, runs its
transition, writes one IssueEvent and tells the people concerned after the commit.

THE SIGNATURES BELOW ARE A CONTRACT other modules (public intake, Open311, the API, the portal) code
against; keyword arguments added later all have defaults (`on=` for tests and demo dates).

Who may do what (an actor outside these raises `NotAllowed`, 403; a move the state machine does not
allow raises `WorkflowError`, 409; bad input `ValidationError` by field, 400):

- submit: anyone on the public channels (actor None); the station's staff or the office; a deputy
  of the congress (what they collected, or the hotline);
- screen, assign, escalate, close, convert, outcome: the staff of the issue's station and the office
  staff of its congress (escalate at tier 1 and convert: also the deputy written to);
- answer: tier 1 the deputy written to or the station's staff; tier 2 the station's staff; tier 3
  the staff of the unit; office staff always;
- rate: the citizen with the tracking code; for the hotline the reporting deputy.
"""

from __future__ import annotations

import datetime
import io
import logging
import re
import struct
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_fsm import TransitionNotAllowed
from PIL import Image, ImageOps

from congress.calendar import add_working_days
from congress.models import Committee, HandlingUnit, SubjectCategory
from congress.outbox import enqueue
from congress.roles import Role
from congress.scoping import Scope, get_scope
from deputies.duty import duty_record_act
from deputies.models import Deputy

from ..choices import Channel, CloseReason, IssueAction, IssueRating, IssueStatus
from ..exceptions import NotAllowed, WorkflowError
from ..models import Block, Forum, IssueAnswer, IssueEvent, IssuePhoto, IssueRules, PublicIssue, Station, Visit
from ..models.stations import StationDeputy

logger = logging.getLogger(__name__)

CONTENT_MIN, CONTENT_MAX = 5, 2000
ANSWER_MAX = 5000
MAX_PHOTOS = 9
# A mobile number (optionally +86) or a landline with its area code.
# ASCII digits only: `\d` would take the digits of every script (13٠٠٠٠٠٠٠٠٠), which no network dials.
PHONE_PATTERN = re.compile(r"^(?:\+?86)?1[3-9][0-9]{9}$|^0[0-9]{2,3}-?[0-9]{7,8}$")
OPEN_STATUSES = (IssueStatus.SUBMITTED, IssueStatus.HANDLING, IssueStatus.ANSWERED)
HANDLED_TIERS = (1, 2, 3)


# --- shared pieces -------------------------------------------------------------------------------


def issue_rules_for(congress_id: int, *, create: bool = True) -> IssueRules:
    """The congress's loop numbers, created with the defaults on first use (not in dry runs)."""
    if not create:
        return IssueRules.objects.filter(congress_id=congress_id).first() or IssueRules(congress_id=congress_id)
    rules, _created = IssueRules.objects.get_or_create(congress_id=congress_id)
    return rules


def _today(on: datetime.date | None) -> datetime.date:
    return on or timezone.localdate()


def _lock(pk: int) -> PublicIssue:
    """Re-read the issue under a row lock (the FSM field is protected: never refresh it in place)."""
    return PublicIssue.objects.select_for_update().get(pk=pk)


def _move(issue: PublicIssue, transition: str, message: str) -> tuple[str, str]:
    before = issue.status
    try:
        getattr(issue, transition)()
    except TransitionNotAllowed:
        raise WorkflowError(message) from None
    return before, issue.status


def actor_label(actor: Any) -> str:
    """How a move's author is shown on the timeline (the citizen has no account)."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        return _("Citizen")
    return (actor.get_full_name() or actor.get_username())[:100]


def _event(
    issue: PublicIssue,
    *,
    actor: Any,
    action: str,
    from_status: str = "",
    note: str = "",
    is_public: bool = True,
    label: str = "",
) -> IssueEvent:
    return IssueEvent.objects.create(
        congress_id=issue.congress_id,
        issue=issue,
        action=action,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        actor_label=label or actor_label(actor),
        from_status=from_status,
        to_status=issue.status,
        tier=issue.tier,
        note=note,
        is_public=is_public,
    )


def _due_for_tier(issue: PublicIssue, tier: int, day: datetime.date) -> datetime.date:
    days = issue_rules_for(issue.congress_id).days_for_tier(tier)
    return add_working_days(day, days or 0)


def _save(issue: PublicIssue) -> None:
    issue.full_clean(exclude=["status", "tracking_code"])
    issue.save()


def _pk(value: Any) -> int | None:
    return getattr(value, "pk", value)


# --- who may do what -----------------------------------------------------------------------------


def _is_office(scope: Scope, congress_id: int) -> bool:
    return scope.is_global or (Role.OFFICE in scope.roles and congress_id in scope.congress_ids)


def _is_station_staff(scope: Scope, station_id: int | None) -> bool:
    return station_id is not None and Role.STATION in scope.roles and station_id in scope.station_ids


def _is_unit_staff(scope: Scope, unit_id: int | None) -> bool:
    return unit_id is not None and Role.UNIT in scope.roles and scope.unit_id == unit_id


def _ensure_staff(actor: Any, issue: PublicIssue) -> Scope:
    """Station staff of the issue's station, or office staff of its congress."""
    scope = get_scope(actor)
    if not (_is_office(scope, issue.congress_id) or _is_station_staff(scope, issue.station_id)):
        raise NotAllowed(_("Only the station's staff or the deputy-affairs office can do this."))
    return scope


def can_answer(*, user: Any, issue: PublicIssue) -> bool:
    """Who answers at the issue's tier: tier 1 the deputy written to or the station's staff; tier 2
    the station's staff; tier 3 the unit's staff; office staff of the congress always."""
    scope = get_scope(user)
    if _is_office(scope, issue.congress_id):
        return True
    if issue.tier == 1:
        return _is_station_staff(scope, issue.station_id) or (
            scope.deputy_id is not None and scope.deputy_id == issue.deputy_id
        )
    if issue.tier == 2:
        return _is_station_staff(scope, issue.station_id)
    if issue.tier == 3:
        return _is_unit_staff(scope, issue.handling_unit_id)
    return False


def can_handle(*, user: Any, issue: PublicIssue) -> bool:
    """Whether the user runs the issue's moves (screen, assign, escalate, close, convert, outcome)."""
    scope = get_scope(user)
    return _is_office(scope, issue.congress_id) or _is_station_staff(scope, issue.station_id)


def can_see_contact(*, user: Any, issue: PublicIssue) -> bool:
    """Whether the user may see the citizen's name and phone in full: the people handling it (station
    staff of its station, office staff of its congress, the deputy written to, the unit assigned)."""
    scope = get_scope(user)
    if _is_office(scope, issue.congress_id) or _is_station_staff(scope, issue.station_id):
        return True
    if scope.deputy_id is not None and scope.deputy_id in {issue.deputy_id, issue.reported_by_id}:
        return True
    return _is_unit_staff(scope, issue.handling_unit_id)


def mask_phone(phone: str) -> str:
    """139****0044; empty stays empty. The one masking rule is `congress.privacy.mask_phone`."""
    from congress.privacy import mask_phone as masked

    return masked(phone)


def mask_name(name: str) -> str:
    """张** for 张三丰; empty stays empty."""
    return f"{name[:1]}{'*' * max(len(name) - 1, 1)}" if name else ""


# --- validation ----------------------------------------------------------------------------------


def _serving_in(deputy: Deputy, congress_id: int) -> bool:
    return deputy.mandates.filter(congress_id=congress_id, status="serving").exists()


def _check_deputy(deputy: Any, congress_id: int, field: str) -> Deputy | None:
    if deputy is None:
        return None
    if not isinstance(deputy, Deputy):
        deputy = Deputy.objects.filter(pk=deputy).first()
    if deputy is None or not _serving_in(deputy, congress_id):
        raise ValidationError({field: _("Choose a serving deputy of this congress.")})
    return deputy


def _check_same_congress(value: Any, model: type, congress_id: int, field: str) -> Any:
    if value is None:
        return None
    if not isinstance(value, model):
        value = model._default_manager.filter(pk=value).first()
    if value is None or value.congress_id != congress_id:
        raise ValidationError({field: _("Choose one of this congress.")})
    return value


def normalise_phone(phone: str) -> str:
    """The phone without spaces; a ValidationError when it is neither a mobile nor a landline."""
    phone = re.sub(r"[\s()]", "", phone or "")
    if phone and not PHONE_PATTERN.match(phone):
        raise ValidationError(
            {"citizen_phone": _("Enter a mobile number (11 digits) or a landline with its area code.")}
        )
    return phone


def _clean_content(content: str) -> str:
    content = (content or "").strip()
    if not CONTENT_MIN <= len(content) <= CONTENT_MAX:
        raise ValidationError(
            {"content": _("Write between %(min)d and %(max)d characters.") % {"min": CONTENT_MIN, "max": CONTENT_MAX}}
        )
    return content


# --- the moves -----------------------------------------------------------------------------------


def issue_submit(**arguments: Any) -> PublicIssue:
    """Record an issue from any channel (see `_issue_submit`). The photos' files are written to storage
    before the transaction commits; if it fails they are removed again, so no citizen's photo stays
    on disk without its row."""
    stored: list[str] = []
    try:
        return _issue_submit(stored=stored, **arguments)
    except BaseException:
        for name in stored:
            try:
                default_storage.delete(name)
            except OSError:
                logger.warning("Could not remove the photo %s of a failed intake", name, exc_info=True)
        raise


@transaction.atomic
def _issue_submit(
    *,
    stored: list[str],
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
    on: datetime.date | None = None,
) -> PublicIssue:
    """Record an issue from any channel (actor None for a citizen without an account). The row is
    saved first; telling the handlers goes after the commit and a sweeper retries it if the broker is
    down (`intake_notified_at`). `photos` are already-checked uploaded files."""
    congress_id = _pk(congress)
    if channel not in Channel.values:
        raise ValidationError({"channel": _("Choose a channel.")})
    content = _clean_content(content)
    citizen_phone = normalise_phone(citizen_phone)
    if len(photos) > MAX_PHOTOS:
        raise ValidationError({"photos": _("Send at most %(count)d photos.") % {"count": MAX_PHOTOS}})
    scope = get_scope(actor)
    deputy = _check_deputy(deputy, congress_id, "deputy")
    reported_by = _check_deputy(reported_by, congress_id, "reported_by")
    station = _check_same_congress(station, Station, congress_id, "station")
    block = _check_same_congress(block, Block, congress_id, "block")
    category = _check_same_congress(category, SubjectCategory, congress_id, "category")
    visit = _check_same_congress(visit, Visit, congress_id, "visit")
    forum = _check_same_congress(forum, Forum, congress_id, "forum")
    if block is not None:
        if station is not None and block.station_id != station.pk:
            raise ValidationError({"block": _("Choose a block of the station.")})
        station = station or block.station
    if actor is not None and getattr(actor, "is_authenticated", False):
        own_deputy = scope.deputy_id is not None and congress_id in scope.congress_ids
        staff = _is_office(scope, congress_id) or (station is not None and _is_station_staff(scope, station.pk))
        if not staff and not own_deputy:
            raise NotAllowed(_("Only the station's staff, the deputy-affairs office or a deputy can record issues."))
        if not staff:  # a deputy records what they collected, or reports through the hotline
            if channel == Channel.HOTLINE:
                reported_by = Deputy.objects.get(pk=scope.deputy_id)
            elif channel == Channel.DEPUTY:
                deputy = Deputy.objects.get(pk=scope.deputy_id)
            else:
                raise NotAllowed(_("Deputies record issues they collected or report through the hotline."))
    if channel == Channel.HOTLINE and reported_by is None:
        raise ValidationError({"reported_by": _("Name the deputy who reported the problem.")})
    if station is None and deputy is not None:
        # The deputy's station in this congress takes the issue in (QR placards are posted there).
        post = StationDeputy.objects.filter(deputy=deputy, congress_id=congress_id).order_by("pk").first()
        station = post.station if post else None
    day = _today(on)
    issue = PublicIssue(
        congress_id=congress_id,
        channel=channel,
        content=content,
        deputy=deputy,
        station=station,
        block=block,
        category=category,
        location=(location or "").strip()[:200],
        citizen_name=(citizen_name or "").strip()[:50],
        citizen_phone=citizen_phone,
        consent=bool(consent),
        reported_by=reported_by,
        visit=visit,
        forum=forum,
        submitted_ip=ip,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        due_on=add_working_days(day, issue_rules_for(congress_id).screening_days),
    )
    _save(issue)
    for photo in photos:
        row = IssuePhoto(congress_id=congress_id, issue=issue)
        clean = photo_without_metadata(photo)
        row.image.save(clean.name, clean, save=False)
        stored.append(row.image.name)
        row.save()
    _event(issue, actor=actor, action=IssueAction.SUBMIT, note=Channel(channel).label)
    issue_id = issue.pk
    transaction.on_commit(lambda: queue_intake(issue_id))
    return issue


def photo_without_metadata(upload: Any) -> ContentFile:
    """The photo re-encoded without its metadata: phones write EXIF (the place a photo was taken, the
    device) that a citizen's photo must not carry into our storage. Turned upright first, since the
    orientation lives in the EXIF that is dropped. The upload was checked to be an image already."""
    name = Path(getattr(upload, "name", "") or "photo").name
    upload.seek(0)
    try:
        with Image.open(upload) as original:
            kind = original.format or "PNG"
            image = ImageOps.exif_transpose(original)
            if kind == "JPEG" and image.mode not in ("RGB", "L"):
                image = image.convert("RGB")
            buffer = io.BytesIO()
            image.save(buffer, format=kind, **({"quality": 90} if kind in ("JPEG", "WEBP") else {}))
    except (OSError, SyntaxError, ValueError, EOFError, IndexError, TypeError, struct.error) as error:
        # The check decodes the pixels already; this is the last guard (damaged metadata, say): the
        # citizen is asked for another photo rather than shown a server error.
        raise ValidationError(
            {"photos": _("“%(name)s” is not a photo we can read. Send JPEG, PNG or WebP photos only.") % {"name": name}}
        ) from error
    finally:
        upload.seek(0)
    return ContentFile(buffer.getvalue(), name=name)


@transaction.atomic
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
    on: datetime.date | None = None,
) -> PublicIssue:
    """后台审: accept at a tier (due date from the tier's working days) or not accept with a reason
    shown to the citizen."""
    issue = _lock(issue.pk)
    _ensure_staff(actor, issue)
    if issue.status != IssueStatus.SUBMITTED:
        raise WorkflowError(_("This issue has already been screened."))
    if category is not None:
        issue.category = _check_same_congress(category, SubjectCategory, issue.congress_id, "category")
    if not accept:
        reason = (reason or "").strip()
        if not reason:
            raise ValidationError({"reason": _("Give the reason the citizen will read.")})
        before, _after = _move(issue, "reject", _("This issue has already been screened."))
        issue.rejection_reason = reason
        issue.screened_at = timezone.now()
        issue.due_on = None
        _save(issue)
        event = _event(issue, actor=actor, action=IssueAction.REJECT, from_status=before, note=reason)
        _notify_after_commit("rejected", issue, event)
        return issue
    if tier not in HANDLED_TIERS:
        raise ValidationError({"tier": _("Accept at tier 1, 2 or 3; tier 4 means turning it into a suggestion.")})
    if handling_unit is not None:
        issue.handling_unit = _check_same_congress(handling_unit, HandlingUnit, issue.congress_id, "handling_unit")
    if deputy is not None:
        issue.deputy = _check_deputy(deputy, issue.congress_id, "deputy")
    if tier == 3 and issue.handling_unit_id is None:
        raise ValidationError({"handling_unit": _("Choose the handling unit for tier 3.")})
    before, _after = _move(issue, "accept", _("This issue has already been screened."))
    issue.tier = tier
    issue.due_on = _due_for_tier(issue, tier, _today(on))
    issue.screened_at = timezone.now()
    _save(issue)
    event = _event(
        issue,
        actor=actor,
        action=IssueAction.ACCEPT,
        from_status=before,
        note=_("Due on %(day)s") % {"day": issue.due_on},
    )
    _notify_after_commit("tier", issue, event)
    return issue


@transaction.atomic
def issue_assign(*, issue: PublicIssue, actor: Any, handling_unit: Any = None, deputy: Any = None) -> PublicIssue:
    """Change who handles it at its tier (a deputy at tier 1, a unit at tier 3); the due date stays."""
    issue = _lock(issue.pk)
    _ensure_staff(actor, issue)
    if issue.status != IssueStatus.HANDLING:
        raise WorkflowError(_("Only an issue being handled can be assigned."))
    if handling_unit is None and deputy is None:
        raise ValidationError({"handling_unit": _("Choose a unit or a deputy.")})
    names = []
    if handling_unit is not None:
        issue.handling_unit = _check_same_congress(handling_unit, HandlingUnit, issue.congress_id, "handling_unit")
        names.append(issue.handling_unit.name)
    if deputy is not None:
        issue.deputy = _check_deputy(deputy, issue.congress_id, "deputy")
        names.append(issue.deputy.name)
    _save(issue)
    event = _event(issue, actor=actor, action=IssueAction.ASSIGN, from_status=issue.status, note="、".join(names))
    _notify_after_commit("tier", issue, event)
    return issue


@transaction.atomic
def issue_escalate(
    *, issue: PublicIssue, actor: Any, note: str = "", handling_unit: Any = None, on: datetime.date | None = None
) -> PublicIssue:
    """Raise a handled issue one tier (tier 3 needs a handling unit; tier 4 means converting)."""
    issue = _lock(issue.pk)
    scope = get_scope(actor)
    tier_one_deputy = issue.tier == 1 and scope.deputy_id is not None and scope.deputy_id == issue.deputy_id
    if not tier_one_deputy:
        _ensure_staff(actor, issue)
    if issue.status != IssueStatus.HANDLING:
        raise WorkflowError(_("Only an issue being handled can be raised a tier."))
    if (issue.tier or 0) >= 3:
        raise WorkflowError(_("Tier 4 is a formal deputy suggestion: turn the issue into a suggestion instead."))
    if handling_unit is not None:
        issue.handling_unit = _check_same_congress(handling_unit, HandlingUnit, issue.congress_id, "handling_unit")
    new_tier = (issue.tier or 0) + 1
    if new_tier == 3 and issue.handling_unit_id is None:
        raise ValidationError({"handling_unit": _("Choose the handling unit for tier 3.")})
    before, _after = _move(issue, "escalate", _("Only an issue being handled can be raised a tier."))
    issue.tier = new_tier
    issue.due_on = _due_for_tier(issue, new_tier, _today(on))
    _save(issue)
    text = _("Due on %(day)s") % {"day": issue.due_on}
    event = _event(
        issue, actor=actor, action=IssueAction.ESCALATE, from_status=before, note=f"{note.strip()} {text}".strip()
    )
    _notify_after_commit("tier", issue, event)
    return issue


def _answerer_name(actor: Any, issue: PublicIssue) -> str:
    scope = get_scope(actor)
    if _is_unit_staff(scope, issue.handling_unit_id) and issue.handling_unit:
        return issue.handling_unit.name
    if scope.deputy_id is not None and scope.deputy_id == issue.deputy_id and issue.deputy:
        return _("Deputy %(name)s") % {"name": issue.deputy.name}
    if issue.station_id and _is_station_staff(scope, issue.station_id):
        return issue.station.name
    return str(issue.congress)


@transaction.atomic
def issue_answer(*, issue: PublicIssue, actor: Any, body: str, answerer_name: str = "") -> PublicIssue:
    """码上回: the handler answers; the citizen reads it on the tracking page and may rate it."""
    issue = _lock(issue.pk)
    if not can_answer(user=actor, issue=issue):
        raise NotAllowed(_("Only the handlers of the issue's tier can answer it."))
    if issue.status != IssueStatus.HANDLING:
        raise WorkflowError(_("Only an issue being handled can be answered."))
    body = (body or "").strip()
    if not body or len(body) > ANSWER_MAX:
        raise ValidationError({"body": _("Write the answer (at most %(max)d characters).") % {"max": ANSWER_MAX}})
    name = (answerer_name or "").strip()[:100] or _answerer_name(actor, issue)
    IssueAnswer.objects.create(
        congress_id=issue.congress_id,
        issue=issue,
        tier=issue.tier or 1,
        body=body,
        answered_by=actor if getattr(actor, "is_authenticated", False) else None,
        answerer_name=name,
    )
    before, _after = _move(issue, "answer", _("Only an issue being handled can be answered."))
    issue.answered_at = timezone.now()
    issue.rating = ""  # a new answer waits for a new rating
    issue.rated_at = None
    issue.rating_comment = ""
    _save(issue)
    event = _event(issue, actor=actor, action=IssueAction.ANSWER, from_status=before, note=name)
    _notify_after_commit("answered", issue, event)
    return issue


@transaction.atomic
def issue_rate(
    *,
    issue: PublicIssue,
    rating: str,
    comment: str = "",
    actor: Any = None,
    tracking_code: str = "",
    on: datetime.date | None = None,
) -> PublicIssue:
    """The citizen (by tracking code, actor None) or, for the deputies' hotline, the reporting deputy
    rates the answer: satisfied / basically satisfied close it; unsatisfied reopens it one tier up
    (and for the hotline opens a supervision case for the counterpart committee)."""
    issue = _lock(issue.pk)
    authenticated = getattr(actor, "is_authenticated", False)
    if issue.channel == Channel.HOTLINE:
        if not authenticated or get_scope(actor).deputy_id != issue.reported_by_id:
            raise NotAllowed(_("The deputy who reported the problem rates the answer."))
    elif authenticated or not tracking_code or tracking_code.strip().upper() != issue.tracking_code:
        raise NotAllowed(_("Only the citizen with the tracking code can rate the answer."))
    if rating not in IssueRating.values:
        raise ValidationError({"rating": _("Rate as satisfied, basically satisfied or unsatisfied.")})
    if issue.status != IssueStatus.ANSWERED:
        raise WorkflowError(_("Only an answered issue can be rated."))
    day = _today(on)
    issue.rating = rating
    issue.rated_at = timezone.now()
    issue.rating_comment = (comment or "").strip()[:1000]
    label = IssueRating(rating).label
    if rating != IssueRating.UNSATISFIED:
        before, _after = _move(issue, "close", _("Only an answered issue can be rated."))
        issue.closed_at = timezone.now()
        issue.close_reason = CloseReason.CONFIRMED
        _save(issue)
        event = _event(
            issue, actor=actor, action=IssueAction.RATE, from_status=before, note=f"{label} {comment}".strip()
        )
        rater_deputy = get_scope(actor).deputy_id if authenticated else None
        if issue.deputy_id and issue.deputy_id != rater_deputy and _serving_in(issue.deputy, issue.congress_id):
            # The citizens' rating of what a deputy handled counts in the deputy's duty record, once.
            duty_record_act(
                deputy_id=issue.deputy_id,
                congress_id=issue.congress_id,
                code="citizen_issue",
                on=day,
                source_key=f"issue:{issue.pk}",
                description=issue.content[:100],
            )
        _notify_after_commit("closed", issue, event)
        return issue
    before, _after = _move(issue, "reopen", _("Only an answered issue can be rated."))
    issue.reopen_count += 1
    issue.tier = min((issue.tier or 1) + 1, 3)
    issue.due_on = _due_for_tier(issue, issue.tier, day)
    if issue.channel == Channel.HOTLINE:
        issue.supervision_case = _open_hotline_case(issue, day)
    _save(issue)
    event = _event(
        issue,
        actor=actor,
        action=IssueAction.REOPEN,
        from_status=before,
        note=f"{label} {comment}".strip() + " · " + _("Due on %(day)s") % {"day": issue.due_on},
    )
    _notify_after_commit("reopened", issue, event)
    return issue


def _open_hotline_case(issue: PublicIssue, day: datetime.date) -> Any:
    """One supervision case per unsatisfied rating of a hotline issue, for the counterpart committee
    of its category (else the deputy-affairs office's committee), through the suggestions' cases."""
    from suggestions.choices import SupervisionTrigger
    from suggestions.services import supervision_open_on_subject

    committee_id = issue.category.counterpart_committee_id if issue.category_id else None
    if committee_id is None:
        committee_id = (
            Committee.objects.filter(congress_id=issue.congress_id, is_deputy_affairs_office=True)
            .order_by("pk")
            .values_list("pk", flat=True)
            .first()
        )
    if committee_id is None:
        logger.warning("Hotline issue %s: no committee to supervise it", issue.pk)
        return issue.supervision_case
    case, _created = supervision_open_on_subject(
        congress_id=issue.congress_id,
        committee_id=committee_id,
        subject=_("Hotline issue %(code)s: %(content)s")
        % {"code": issue.tracking_code, "content": issue.content[:120]},
        subject_url=reverse("liaison_stations:issue_detail", args=[issue.pk]),
        source_key=f"public_issue:{issue.pk}:{issue.reopen_count}",
        trigger=SupervisionTrigger.HOTLINE,
        due_on=issue.due_on,
        on=day,
    )
    return case


@transaction.atomic
def issue_close(*, issue: PublicIssue, actor: Any, note: str = "") -> PublicIssue:
    """Staff close an answered issue the citizen confirmed by phone or in person."""
    issue = _lock(issue.pk)
    _ensure_staff(actor, issue)
    before, _after = _move(issue, "close", _("Only an answered issue can be closed."))
    issue.closed_at = timezone.now()
    issue.close_reason = CloseReason.CONFIRMED
    _save(issue)
    event = _event(issue, actor=actor, action=IssueAction.CLOSE, from_status=before, note=note.strip())
    _notify_after_commit("closed", issue, event)
    return issue


@transaction.atomic
def issue_convert(*, issue: PublicIssue, actor: Any, lead_deputy: Any = None, title: str = "") -> PublicIssue:
    """At tier 4: a formal deputy suggestion is drafted from the issue and linked; the citizen follows
    its progress on the tracking page."""
    from suggestions.exceptions import ForbiddenMove
    from suggestions.services import suggestion_draft_for_deputy

    issue = _lock(issue.pk)
    scope = get_scope(actor)
    own = scope.deputy_id is not None and scope.deputy_id == issue.deputy_id
    if not own:
        _ensure_staff(actor, issue)
    if issue.status != IssueStatus.HANDLING:
        raise WorkflowError(_("Only an issue being handled can become a formal suggestion."))
    if own:
        lead_deputy = issue.deputy
    lead = _check_deputy(lead_deputy or issue.deputy or issue.reported_by, issue.congress_id, "lead_deputy")
    if lead is None:
        raise ValidationError({"lead_deputy": _("Choose the deputy who will lead the suggestion.")})
    title = (title or "").strip() or issue.content[:40]
    body = issue.content
    if issue.location:
        body += "\n\n" + _("Where: %(place)s") % {"place": issue.location}
    body += "\n\n" + _("From a citizen's issue, tracking code %(code)s.") % {"code": issue.tracking_code}
    try:
        suggestion = suggestion_draft_for_deputy(
            deputy=lead,
            congress_id=issue.congress_id,
            title=title,
            body=body,
            category=issue.category,
            drafted_by=actor,
            note=_("Drafted from citizen issue %(code)s") % {"code": issue.tracking_code},
        )
    except ForbiddenMove as error:
        raise WorkflowError(error.message) from None
    before, _after = _move(issue, "convert", _("Only an issue being handled can become a formal suggestion."))
    issue.suggestion = suggestion
    issue.tier = 4
    issue.due_on = None
    _save(issue)
    event = _event(issue, actor=actor, action=IssueAction.CONVERT, from_status=before, note=title)
    _notify_after_commit("converted", issue, event)
    return issue


@transaction.atomic
def issue_record_outcome(
    *, issue: PublicIssue, actor: Any, people_helped: int | None, money_involved: Decimal | None
) -> PublicIssue:
    """Outcomes: people helped and money involved (e.g. 562 farmers, 3.68 M yuan)."""
    issue = _lock(issue.pk)
    _ensure_staff(actor, issue)
    if issue.status in {IssueStatus.SUBMITTED, IssueStatus.NOT_ACCEPTED}:
        raise WorkflowError(_("Outcomes are recorded for accepted issues."))
    if people_helped is not None and people_helped < 0:
        raise ValidationError({"people_helped": _("Enter a number of people, zero or more.")})
    if money_involved is not None and money_involved < 0:
        raise ValidationError({"money_involved": _("Enter an amount, zero or more.")})
    issue.people_helped = people_helped
    issue.money_involved = money_involved
    _save(issue)
    parts = []
    if people_helped is not None:
        parts.append(_("%(count)s people helped") % {"count": people_helped})
    if money_involved is not None:
        parts.append(_("%(amount)s yuan") % {"amount": money_involved})
    _event(issue, actor=actor, action=IssueAction.OUTCOME, from_status=issue.status, note="，".join(parts))
    return issue


def issues_close_quiet(*, as_of: datetime.date, dry_run: bool = False) -> int:
    """闭环管: answered issues left unrated for the quiet period close; returns how many."""
    closed = 0
    congress_ids = (
        PublicIssue.objects.filter(status=IssueStatus.ANSWERED).values_list("congress_id", flat=True).distinct()
    )
    for congress_id in sorted(set(congress_ids)):
        rules = issue_rules_for(congress_id, create=not dry_run)
        cutoff = as_of - datetime.timedelta(days=rules.quiet_days) + datetime.timedelta(days=1)
        before = timezone.make_aware(datetime.datetime.combine(cutoff, datetime.time.min))
        ids = PublicIssue.objects.filter(
            congress_id=congress_id, status=IssueStatus.ANSWERED, answered_at__lt=before
        ).values_list("pk", flat=True)
        for pk in list(ids.order_by("pk").iterator(chunk_size=500)):
            if dry_run or _close_quiet(pk, before, rules.quiet_days):
                closed += 1
    return closed


@transaction.atomic
def _close_quiet(pk: int, before: datetime.datetime, quiet_days: int) -> bool:
    issue = _lock(pk)
    if issue.status != IssueStatus.ANSWERED or issue.answered_at is None or issue.answered_at >= before:
        return False  # rated or answered again meanwhile
    previous, _after = _move(issue, "close", "")
    issue.closed_at = timezone.now()
    issue.close_reason = CloseReason.QUIET
    _save(issue)
    _event(
        issue,
        actor=None,
        action=IssueAction.CLOSE,
        from_status=previous,
        note=_("No rating within %(days)d days of the answer.") % {"days": quiet_days},
        label=_("System"),
    )
    return True


# --- telling people after the commit -------------------------------------------------------------


def queue_intake(issue_id: int) -> None:
    """Queue the intake notice. The issue is committed already, so nothing is raised to the citizen:
    whatever keeps the broker from taking it, the row stays unnotified for the intake sweeper."""
    from ..tasks import issue_intake_task

    try:
        issue_intake_task.delay(issue_id)
    except Exception:
        logger.warning("Broker unavailable: intake notice of issue %s left for the sweeper", issue_id, exc_info=True)


def _notify_after_commit(kind: str, issue: PublicIssue, event: IssueEvent) -> None:
    """Owe the move's notice in this transaction (`congress.outbox`): sent after the commit, or by the
    outbox sweeper when the broker is away; the task's dispatch key (the event) sends it once."""
    from ..tasks import issue_notify_task

    enqueue(issue_notify_task, kind, issue.pk, event.pk)


@transaction.atomic
def issue_intake_notify(*, issue_id: int) -> int | None:
    """Tell the handlers a new issue arrived, once (the lock and `intake_notified_at` keep a retry,
    the sweeper and a second worker from telling twice). Returns the notifications written, None
    when nothing was owed."""
    from congress.services import notify

    from ..tasks import intake_messages

    issue = PublicIssue.objects.select_for_update().filter(pk=issue_id).first()
    if issue is None or issue.intake_notified_at is not None:
        return None
    sent = 0
    for users, title, body, url in intake_messages(issue):
        sent += len(notify(users=users, title=title, body=body, url=url))
    PublicIssue.objects.filter(pk=issue.pk).update(intake_notified_at=timezone.now())
    return sent
