"""Celery tasks of the suggestion workflow: thin wrappers that take ids and call services."""

from __future__ import annotations

import datetime
from typing import Any

from celery import shared_task
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from congress.services import notify

from . import recipients
from .choices import CosignerStatus
from .models import (
    AdjustmentRequest,
    Cosigner,
    ExtensionRequest,
    GuidanceRequest,
    ReminderDispatch,
    Reply,
    Suggestion,
    SupervisionCase,
)


@shared_task(
    name="suggestions.tasks.notify_event",
    autoretry_for=(Exception,),
    retry_backoff=True,
    max_retries=5,
    ignore_result=True,
)
def notify_event_task(kind: str, pk: int, event_id: int | None = None) -> int:
    """Tell the people concerned about a move. Runs once per (kind, object) or, for kinds that can
    happen again to the same object (`REPEATABLE`), once per move (the event that recorded it): the
    dispatch row is written in the same transaction as the notifications under a unique key, so a
    retried task — even after midnight — or a second worker sends nothing twice. Returns the number
    of notifications written."""
    builder = BUILDERS.get(kind)
    if builder is None:
        return 0
    with translation.override("zh-hans"):
        try:
            with transaction.atomic():
                target_type, target_id = (f"move:{kind}", event_id) if event_id else (notice_target_type(kind), pk)
                _dispatch, created = ReminderDispatch.objects.get_or_create(
                    target_type=target_type, target_id=target_id, kind="notice", due_on=ONCE
                )
                if not created:
                    return 0
                sent = 0
                for users, title, body, url in builder(pk):
                    sent += len(notify(users=users, title=title, body=body, url=url))
                _dispatch.recipients = min(sent, 32767)
                _dispatch.save(update_fields=["recipients"])
                return sent
        except IntegrityError:
            return 0  # another worker holds the same dispatch


Message = tuple[Any, str, str, str]

# The dispatch of a notice is keyed by what it is about, not by a day: a fixed date in the key.
ONCE = datetime.date(2000, 1, 1)


def notice_target_type(kind: str) -> str:
    """The `ReminderDispatch.target_type` of a once-per-object notice (e.g. "replied" for a reply),
    for others (the reminder sweep) to see that it went out."""
    return f"event:{kind}"


# Kinds that can happen more than once to the same object (a suggestion reviewed again after it was
# returned, pre-assigned again, rated unsatisfied again on the same open case): keyed by the move.
REPEATABLE = frozenset({"reviewed", "pre_assigned", "unsatisfied"})


def _suggestion_line(suggestion: Suggestion) -> str:
    return f"{suggestion.number_display}《{suggestion.title}》"


def _answer_recipients(suggestion: Suggestion) -> list[Any]:
    """Every co-signer gets the reply, with the lead deputy."""
    ids = [
        suggestion.lead_deputy_id,
        *suggestion.cosigners.filter(status=CosignerStatus.CONFIRMED).values_list("deputy_id", flat=True),
    ]
    return recipients.deputy_users(ids)


def _guidance_requested(pk: int) -> list[Message]:
    request = GuidanceRequest.objects.select_related("suggestion__lead_deputy").get(pk=pk)
    title = _("Guidance requested on a suggestion")
    body = _("Deputy %(deputy)s asks for guidance on %(suggestion)s: %(question)s") % {
        "deputy": request.suggestion.lead_deputy.name,
        "suggestion": _suggestion_line(request.suggestion),
        "question": request.question,
    }
    return [(recipients.committee_users(request.committee_id), title, body, "")]


def _guidance_answered(pk: int) -> list[Message]:
    request = GuidanceRequest.objects.select_related("suggestion", "committee").get(pk=pk)
    title = _("%(committee)s answered your request for guidance") % {"committee": request.committee}
    return [
        (
            recipients.deputy_users([request.suggestion.lead_deputy_id]),
            title,
            request.answer,
            request.suggestion.get_absolute_url(),
        )
    ]


def _cosigner_invited(pk: int) -> list[Message]:
    cosigner = Cosigner.objects.select_related("suggestion__lead_deputy").get(pk=pk)
    title = _("Invitation to co-sign a suggestion")
    body = _("%(deputy)s invites you to co-sign %(suggestion)s.") % {
        "deputy": cosigner.suggestion.lead_deputy.name,
        "suggestion": _suggestion_line(cosigner.suggestion),
    }
    return [(recipients.deputy_users([cosigner.deputy_id]), title, body, cosigner.suggestion.get_absolute_url())]


def _reviewed(pk: int) -> list[Message]:
    suggestion = Suggestion.objects.get(pk=pk)
    title = _("Your suggestion was reviewed: %(status)s") % {"status": suggestion.get_status_display()}
    body = suggestion.return_reason or suggestion.get_exclusion_reason_display() or _suggestion_line(suggestion)
    return [(recipients.deputy_users([suggestion.lead_deputy_id]), title, body, suggestion.get_absolute_url())]


def _units_told(pk: int, title: str) -> list[Message]:
    suggestion = Suggestion.objects.get(pk=pk)
    messages = []
    for assignment in suggestion.assignments.live().select_related("unit"):
        body = _("%(suggestion)s — %(role)s, due %(due)s") % {
            "suggestion": _suggestion_line(suggestion),
            "role": assignment.get_role_display(),
            "due": assignment.due_on or "—",
        }
        messages.append((recipients.unit_users(assignment.unit_id), title, body, ""))
    return messages


def _pre_assigned(pk: int) -> list[Message]:
    return _units_told(pk, _("A suggestion was pre-assigned to your unit"))


def _assigned(pk: int) -> list[Message]:
    return _units_told(pk, _("A suggestion was assigned to your unit"))


def _adjustment_requested(pk: int) -> list[Message]:
    request = AdjustmentRequest.objects.select_related("assignment__suggestion", "assignment__unit").get(pk=pk)
    title = _("%(unit)s asks to adjust an assignment") % {"unit": request.assignment.unit}
    body = f"{_suggestion_line(request.assignment.suggestion)}：{request.reason}"
    return [(recipients.office_users(request.congress_id), title, body, "")]


def _adjustment_decided(pk: int) -> list[Message]:
    request = AdjustmentRequest.objects.select_related("assignment__suggestion").get(pk=pk)
    title = _("Your adjustment request was %(status)s") % {"status": request.get_status_display()}
    body = f"{_suggestion_line(request.assignment.suggestion)}：{request.decision_note}"
    messages = [(recipients.unit_users(request.assignment.unit_id), title, body, "")]
    if request.status == "approved":
        messages += _assigned(request.assignment.suggestion_id)
    return messages


def _extension_approved(pk: int) -> list[Message]:
    request = ExtensionRequest.objects.select_related("assignment__suggestion", "assignment__unit").get(pk=pk)
    suggestion = request.assignment.suggestion
    title = _("More time was granted for %(suggestion)s") % {"suggestion": _suggestion_line(suggestion)}
    body = _("%(unit)s now answers by %(day)s. %(note)s") % {
        "unit": request.assignment.unit,
        "day": request.requested_due_on,
        "note": request.note_to_deputy,
    }
    return [
        (_answer_recipients(suggestion), title, body, suggestion.get_absolute_url()),
        (recipients.unit_users(request.assignment.unit_id), title, body, ""),
    ]


def _replied(pk: int) -> list[Message]:
    reply = Reply.objects.select_related("assignment__suggestion", "assignment__unit", "reply_class").get(pk=pk)
    suggestion = reply.assignment.suggestion
    title = _("%(unit)s replied to %(suggestion)s") % {
        "unit": reply.assignment.unit,
        "suggestion": _suggestion_line(suggestion),
    }
    body = _("Please rate the reply by %(day)s.") % {"day": reply.evaluation_due_on}
    return [(_answer_recipients(suggestion), title, body, suggestion.get_absolute_url())]


def _unsatisfied(pk: int) -> list[Message]:
    case = SupervisionCase.objects.select_related("suggestion", "assignment__unit", "committee", "round").get(pk=pk)
    suggestion = case.suggestion
    line = _suggestion_line(suggestion)
    round_text = (
        _("Re-handling round %(number)s is due on %(day)s.") % {"number": case.round.number, "day": case.round.due_on}
        if case.round
        else _("The committee will meet the deputy.")
    )
    messages: list[Message] = [
        (
            recipients.committee_users(case.committee_id),
            _("Supervision case: the deputy is unsatisfied with %(suggestion)s") % {"suggestion": line},
            round_text,
            "",
        ),
        (
            recipients.deputy_users([suggestion.lead_deputy_id]),
            _("Your rating was recorded; %(committee)s supervises the re-handling") % {"committee": case.committee},
            round_text,
            suggestion.get_absolute_url(),
        ),
    ]
    if case.assignment_id:
        unit_title = _("The deputy is unsatisfied with your reply to %(suggestion)s") % {"suggestion": line}
        messages.append((recipients.unit_users(case.assignment.unit_id), unit_title, round_text, ""))
    return messages


BUILDERS = {
    "guidance_requested": _guidance_requested,
    "guidance_answered": _guidance_answered,
    "cosigner_invited": _cosigner_invited,
    "reviewed": _reviewed,
    "pre_assigned": _pre_assigned,
    "assigned": _assigned,
    "adjustment_requested": _adjustment_requested,
    "adjustment_decided": _adjustment_decided,
    "extension_approved": _extension_approved,
    "replied": _replied,
    "unsatisfied": _unsatisfied,
}


@shared_task(
    name="suggestions.tasks.run_reminders",
    autoretry_for=(Exception,),
    retry_backoff=60,
    max_retries=3,
    ignore_result=True,
)
def run_reminders(as_of: str | None = None) -> dict[str, Any]:
    """The daily sweep under beat (06:30): reminders due today and closing unrated replies. Takes an
    ISO date (default: today in the congress's time zone). A failure of one reminder is counted and
    left for the next run; a failure of the whole sweep (database away) is retried, which is safe:
    a second run sends nothing twice."""
    from . import reminders

    day = datetime.date.fromisoformat(as_of) if as_of else timezone.localdate()
    return reminders.run_reminders(as_of=day).as_dict()
