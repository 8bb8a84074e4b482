"""Writes of deputies' part in legislation: rounds asking for legislative proposals (sorted into the
legislative plan), legislative research (an activity), and draft regulations sent to deputies for
comments anchored to a chapter, section or article. Each deputy's act feeds the duty record under
the type "legislation"."""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from congress.models import Committee, Congress
from congress.services import notify

from ..choices import ActivityKind, DraftStatus, MandateStatus, ProposalStatus, ProvisionKind, RoundStatus
from ..duty import duty_record_act
from ..exceptions import NotAllowed, WorkflowError
from ..models import (
    Activity,
    Deputy,
    DraftComment,
    DraftProvision,
    DraftRegulation,
    LegislativeProposal,
    LegislativeRound,
    Mandate,
)
from .activities import acting_deputy, activity_create_with_invitees, ensure_work_staff

DUTY_CODE = "legislation"

# --- provisions: 第一章 / 第一节 / 第一条 --------------------------------------------------------------

_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_UNITS = {"十": 10, "百": 100, "千": 1000}
_KIND_OF_SUFFIX = {"章": ProvisionKind.CHAPTER, "节": ProvisionKind.SECTION, "条": ProvisionKind.ARTICLE}
# A heading starts a line: 第 + a number (Chinese numerals or digits) + 章/节/条, then a space
# (half- or full-width) or the end of the line. "依照第三条规定" inside a sentence is not a heading.
_HEADING = re.compile(r"^第([零〇一二两三四五六七八九十百千0-9]+)([章节条])(?:[ \t\u3000]+(.*))?$")


def chinese_numeral(value: str) -> int:
    """The number written as 二十三, 一百零五, 十, or 105. ValueError for anything else."""
    if value.isascii() and value.isdigit():
        return int(value)
    total, number, previous_was_digit = 0, 0, False
    for char in value:
        if char in _DIGITS:
            if previous_was_digit and number:
                raise ValueError(value)
            number, previous_was_digit = _DIGITS[char], True
        elif char in _UNITS:
            if number == 0 and not total and char == "十":
                number = 1  # 十三 = 13
            total += number * _UNITS[char]
            number, previous_was_digit = 0, False
        else:
            raise ValueError(value)
    total += number
    if total == 0:
        raise ValueError(value)
    return total


@dataclass(frozen=True)
class ParsedProvision:
    kind: str
    label: str
    number: int
    text: str


def parse_provisions(text: str) -> list[ParsedProvision]:
    """Split a draft into chapters, sections and articles, in order.

    A chapter's or section's text is its title (第一章　总则 → 总则); an article's text runs to the next
    heading. Text before the first heading (the title line, a preamble) belongs to no provision: a
    deputy comments on it as a comment on the whole draft. A table of contents (a line 目录 followed
    by the chapter headings) is skipped: the body starts where the first chapter heading repeats.
    """
    lines = [line.strip(" \t\u3000") for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    headings: list[tuple[int, str, str, int, str]] = []  # (line index, kind, label, number, rest)
    for index, line in enumerate(lines):
        match = _HEADING.match(line)
        if not match:
            continue
        try:
            number = chinese_numeral(match.group(1))
        except ValueError:
            continue
        label = f"第{match.group(1)}{match.group(2)}"
        headings.append((index, _KIND_OF_SUFFIX[match.group(2)], label, number, (match.group(3) or "").strip()))
    headings = _skip_table_of_contents(lines, headings)
    provisions: list[ParsedProvision] = []
    for position, (index, kind, label, number, rest) in enumerate(headings):
        end = headings[position + 1][0] if position + 1 < len(headings) else len(lines)
        body = [rest, *lines[index + 1 : end]] if rest else lines[index + 1 : end]
        provisions.append(
            ParsedProvision(kind=kind, label=label, number=number, text="\n".join(part for part in body if part))
        )
    return provisions


def _skip_table_of_contents(lines: list[str], headings: list[tuple[int, str, str, int, str]]) -> list[Any]:
    first_article = next((h[0] for h in headings if h[1] == ProvisionKind.ARTICLE), len(lines))
    contents_line = next((i for i, line in enumerate(lines[:first_article]) if line.replace(" ", "") == "目录"), None)
    if contents_line is None:
        return headings
    seen: set[str] = set()
    for position, heading in enumerate(headings):
        if heading[0] < contents_line or heading[1] == ProvisionKind.ARTICLE:
            continue
        if heading[1] == ProvisionKind.CHAPTER and heading[2] in seen:
            return headings[position:]
        seen.add(heading[2])
    return headings


@transaction.atomic
def draft_parse_provisions(*, draft: DraftRegulation) -> int:
    """Find the draft's provisions in its text again (while it is prepared). Returns how many."""
    if draft.status != DraftStatus.PREPARING:
        raise WorkflowError(_("The draft has been sent for comments; its text can no longer change."))
    DraftProvision.objects.filter(draft=draft).delete()
    rows = DraftProvision.objects.bulk_create(
        [
            DraftProvision(
                congress_id=draft.congress_id,
                draft=draft,
                kind=parsed.kind,
                label=parsed.label,
                text=parsed.text,
                position=position,
            )
            for position, parsed in enumerate(parse_provisions(draft.text), start=1)
        ]
    )
    return len(rows)


# --- rounds and proposals --------------------------------------------------------------------------


def _today(as_of: datetime.date | None) -> datetime.date:
    return as_of or timezone.localdate()


def _check_committee(committee: Committee | None, congress_id: int) -> None:
    if committee is not None and committee.congress_id != congress_id:
        raise ValidationError({"committee": _("Choose a committee of this congress.")})


@transaction.atomic
def round_create(
    *,
    actor: Any,
    congress: Congress,
    year: int,
    title: str,
    deadline: datetime.date,
    call: str = "",
    committee: Committee | None = None,
) -> LegislativeRound:
    """Open a call for legislative proposals for a plan year."""
    ensure_work_staff(actor, congress.pk)
    _check_committee(committee, congress.pk)
    if not 2000 <= year <= 2100:
        raise ValidationError({"year": _("Enter a plan year between 2000 and 2100.")})
    if not title.strip():
        raise ValidationError({"title": _("Give the round a title.")})
    legislative_round = LegislativeRound(
        congress=congress, year=year, title=title.strip(), call=call, deadline=deadline, committee=committee
    )
    legislative_round.full_clean(exclude=["status"])
    legislative_round.save()
    return legislative_round


@transaction.atomic
def round_close(*, legislative_round: LegislativeRound, actor: Any) -> LegislativeRound:
    """No more proposals; staff sort the proposals into the plan."""
    ensure_work_staff(actor, legislative_round.congress_id)
    legislative_round = LegislativeRound.objects.select_for_update().get(pk=legislative_round.pk)
    if legislative_round.status != RoundStatus.OPEN:
        raise WorkflowError(_("This round is already closed."))
    legislative_round.close()
    legislative_round.save()
    return LegislativeRound.objects.get(pk=legislative_round.pk)


@transaction.atomic
def proposal_submit(
    *,
    legislative_round: LegislativeRound,
    actor: Any,
    title: str,
    reason: str,
    content: str = "",
    as_of: datetime.date | None = None,
) -> LegislativeProposal:
    """A serving deputy proposes a regulation to make or amend, while the round is open and not past
    its deadline. Recorded in the duty record ("legislation")."""
    deputy_id = acting_deputy(actor, legislative_round.congress_id)
    legislative_round = LegislativeRound.objects.select_for_update().get(pk=legislative_round.pk)
    today = _today(as_of)
    if legislative_round.status != RoundStatus.OPEN:
        raise WorkflowError(_("This round is closed; proposals are no longer taken."))
    if today > legislative_round.deadline:
        raise WorkflowError(
            _("Proposals were due by %(day)s.") % {"day": legislative_round.deadline.strftime("%Y-%m-%d")}
        )
    errors = {}
    if not title.strip():
        errors["title"] = _("Name the regulation you propose.")
    if not reason.strip():
        errors["reason"] = _("Say why it is needed.")
    if errors:
        raise ValidationError(errors)
    proposal = LegislativeProposal.objects.create(
        congress_id=legislative_round.congress_id,
        round=legislative_round,
        deputy_id=deputy_id,
        title=title.strip()[:200],
        reason=reason.strip(),
        content=content.strip(),
    )
    duty_record_act(
        deputy_id=deputy_id,
        congress_id=legislative_round.congress_id,
        code=DUTY_CODE,
        on=today,
        source_key=f"proposal:{proposal.pk}",
        description=_("Legislative proposal: %(title)s") % {"title": proposal.title},
    )
    return proposal


def _sort_proposal(*, proposal: LegislativeProposal, actor: Any, note: str, include: bool) -> LegislativeProposal:
    ensure_work_staff(actor, proposal.congress_id)
    proposal = LegislativeProposal.objects.select_for_update().get(pk=proposal.pk)
    target = ProposalStatus.IN_PLAN if include else ProposalStatus.NOT_INCLUDED
    if proposal.status == target:
        raise WorkflowError(_("This proposal is already: %(status)s.") % {"status": proposal.get_status_display()})
    if include:
        proposal.include()
    else:
        proposal.exclude()
    proposal.plan_note = note.strip()[:200]
    proposal.save()
    deputy = Deputy.objects.select_related("user").get(pk=proposal.deputy_id)
    notify(
        users=[deputy.user],
        title=(
            _("Your legislative proposal is in the plan: %(title)s")
            if include
            else _("Your legislative proposal was not included: %(title)s")
        )
        % {"title": proposal.title},
        body=proposal.plan_note,
        url=reverse("deputies:portal_legislation"),
    )
    return LegislativeProposal.objects.get(pk=proposal.pk)


@transaction.atomic
def proposal_include(*, proposal: LegislativeProposal, actor: Any, note: str = "") -> LegislativeProposal:
    """Take a proposal into the legislative plan list (with a note, e.g. 列入审议项目)."""
    return _sort_proposal(proposal=proposal, actor=actor, note=note, include=True)


@transaction.atomic
def proposal_exclude(*, proposal: LegislativeProposal, actor: Any, note: str = "") -> LegislativeProposal:
    """Leave a proposal out of this year's plan (with a note saying why)."""
    return _sort_proposal(proposal=proposal, actor=actor, note=note, include=False)


# --- legislative research --------------------------------------------------------------------------


@transaction.atomic
def legislative_research_create(
    *,
    actor: Any,
    congress: Congress,
    title: str,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    deputy_ids: Iterable[int] = (),
    notify_deputies: bool = True,
    **fields: Any,
) -> Activity:
    """A legislative research activity (立法调研) with invited deputies; sign-in and attendance run
    through the shared activity services and record "legislation" in the duty record."""
    return activity_create_with_invitees(
        actor=actor,
        congress=congress,
        kind=ActivityKind.LEGISLATIVE_RESEARCH,
        title=title,
        starts_at=starts_at,
        ends_at=ends_at,
        deputy_ids=deputy_ids,
        notify_deputies=notify_deputies,
        **fields,
    )


# --- draft regulations ------------------------------------------------------------------------------


def _validate_draft(title: str, text: str) -> None:
    errors = {}
    if not title.strip():
        errors["title"] = _("Give the draft a title.")
    if not text.strip():
        errors["text"] = _("Paste the text of the draft.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def draft_create(
    *,
    actor: Any,
    congress: Congress,
    title: str,
    text: str,
    comment_deadline: datetime.date,
    committee: Committee | None = None,
) -> DraftRegulation:
    """A draft being prepared; its chapters, sections and articles are found in the text."""
    ensure_work_staff(actor, congress.pk)
    _check_committee(committee, congress.pk)
    _validate_draft(title, text)
    draft = DraftRegulation(
        congress=congress, title=title.strip(), text=text, comment_deadline=comment_deadline, committee=committee
    )
    draft.full_clean(exclude=["status"])
    draft.save()
    draft_parse_provisions(draft=draft)
    return draft


@transaction.atomic
def draft_update(
    *,
    draft: DraftRegulation,
    actor: Any,
    title: str,
    text: str,
    comment_deadline: datetime.date,
    committee: Committee | None = None,
) -> DraftRegulation:
    """Edit a draft while it is prepared; the provisions are found again in the new text. Once sent
    for comments the text is frozen, so comments keep pointing at what deputies read."""
    ensure_work_staff(actor, draft.congress_id)
    draft = DraftRegulation.objects.select_for_update().get(pk=draft.pk)
    if draft.status != DraftStatus.PREPARING:
        raise WorkflowError(_("The draft has been sent for comments; its text can no longer change."))
    _check_committee(committee, draft.congress_id)
    _validate_draft(title, text)
    draft.title, draft.text, draft.comment_deadline, draft.committee = title.strip(), text, comment_deadline, committee
    draft.full_clean(exclude=["status"])
    draft.save()
    draft_parse_provisions(draft=draft)
    return draft


@transaction.atomic
def draft_open_for_comments(
    *,
    draft: DraftRegulation,
    actor: Any,
    deputy_ids: Iterable[int] | None = None,
    as_of: datetime.date | None = None,
) -> DraftRegulation:
    """Send the draft to the deputies chosen, or (deputy_ids None) to every serving deputy of the
    congress, and tell them."""
    ensure_work_staff(actor, draft.congress_id)
    draft = DraftRegulation.objects.select_for_update().get(pk=draft.pk)
    if draft.status != DraftStatus.PREPARING:
        raise WorkflowError(_("The draft has already been sent for comments."))
    if draft.comment_deadline < _today(as_of):
        raise ValidationError({"comment_deadline": _("Set a deadline for comments that has not passed.")})
    serving = Mandate.objects.filter(congress_id=draft.congress_id, status=MandateStatus.SERVING)
    if deputy_ids is None:
        recipients = set(serving.values_list("deputy_id", flat=True))
    else:
        wanted = set(deputy_ids)
        recipients = set(serving.filter(deputy_id__in=wanted).values_list("deputy_id", flat=True))
        if wanted - recipients:
            names = "、".join(Deputy.objects.filter(pk__in=wanted - recipients).values_list("name", flat=True))
            raise ValidationError(
                {"recipients": _("Not serving deputies of this congress: %(names)s") % {"names": names}}
            )
    if not recipients:
        raise ValidationError({"recipients": _("Choose the deputies to ask for comments.")})
    draft.open_for_comments()
    draft.save()
    draft.recipients.set(recipients)
    notify(
        users=[deputy.user for deputy in Deputy.objects.filter(pk__in=recipients).select_related("user")],
        title=_("Comments asked: %(title)s") % {"title": draft.title},
        body=_("Comments are due by %(day)s.") % {"day": draft.comment_deadline.strftime("%Y-%m-%d")},
        url=reverse("deputies:portal_draft", args=[draft.pk]),
    )
    return DraftRegulation.objects.get(pk=draft.pk)


@transaction.atomic
def draft_close(*, draft: DraftRegulation, actor: Any) -> DraftRegulation:
    """No more comments; the compiled report is final."""
    ensure_work_staff(actor, draft.congress_id)
    draft = DraftRegulation.objects.select_for_update().get(pk=draft.pk)
    if draft.status != DraftStatus.CONSULTING:
        raise WorkflowError(_("Only a draft open for comments can be closed."))
    draft.close()
    draft.save()
    return DraftRegulation.objects.get(pk=draft.pk)


@transaction.atomic
def draft_comment_add(
    *,
    draft: DraftRegulation,
    actor: Any,
    content: str,
    provision: DraftProvision | None = None,
    as_of: datetime.date | None = None,
) -> DraftComment:
    """A deputy asked for comments comments on one provision of the draft, or on the whole (no
    provision), while it is open and not past its deadline. The first comment on a draft is recorded
    in the duty record ("legislation"); more comments on the same draft add nothing there."""
    deputy_id = acting_deputy(actor, draft.congress_id)
    draft = DraftRegulation.objects.select_for_update().get(pk=draft.pk)
    if not draft.recipients.filter(pk=deputy_id).exists():
        raise NotAllowed(_("This draft was not sent to you for comments."))
    if draft.status != DraftStatus.CONSULTING:
        raise WorkflowError(_("This draft is not open for comments."))
    today = _today(as_of)
    if today > draft.comment_deadline:
        raise WorkflowError(_("Comments were due by %(day)s.") % {"day": draft.comment_deadline.strftime("%Y-%m-%d")})
    if provision is not None and provision.draft_id != draft.pk:
        raise ValidationError({"provision": _("Choose a provision of this draft.")})
    if not content.strip():
        raise ValidationError({"content": _("Write your comment.")})
    comment = DraftComment.objects.create(
        congress_id=draft.congress_id, draft=draft, provision=provision, deputy_id=deputy_id, content=content.strip()
    )
    duty_record_act(
        deputy_id=deputy_id,
        congress_id=draft.congress_id,
        code=DUTY_CODE,
        on=today,
        source_key=f"draft-comments:{draft.pk}",
        description=_("Comments on %(title)s") % {"title": draft.title},
    )
    return comment
