"""The rotation planner for sitting in on standing-committee meetings (列席轮换): whom to invite to a
meeting so that every deputy of the term sits in at least once, matched to the agenda and spread
over delegations and backgrounds. Pure and deterministic: it reads (a constant number of queries,
whatever the number of deputies) and never writes; `meeting_invite` does the inviting.

Rules, in order of preference:
1. deputies who have not sat in this term (not covered) first, then those with fewest sittings;
2. a topic match: member of a professional group whose counterpart committee has an agenda item, or
   an agenda keyword found in their position, work unit, or their groups' field and keywords;
3. spread: a delegation or category already chosen in this proposal counts against the next one;
4. name, then id.
Size: ceil(deputies not yet covered by other meetings / meetings left, this one included), kept within
the meeting's fewest and most, minus those already invited (or the size asked, within the most)."""

from __future__ import annotations

import datetime
import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .choices import ActivityKind, ActivityState, DeputyCategory, InvitationStatus, MandateStatus
from .models import AgendaTopic, GroupMembership, Invitation, Mandate, Meeting

NOT_DECLINED = (InvitationStatus.INVITED, InvitationStatus.ACCEPTED, InvitationStatus.ATTENDED)
KEYWORD_SEPARATORS = re.compile(r"[\s,，、;；/|]+")


@dataclass(frozen=True)
class Coverage:
    """How far the term's rotation has come: deputies of the term who sat in (or are invited to a
    meeting not yet held) against all, and the meetings left."""

    deputies_in_term: int
    covered: int
    uncovered: int
    meetings_left: int

    @property
    def percent(self) -> int:
        return round(100 * self.covered / self.deputies_in_term) if self.deputies_in_term else 0

    def as_dict(self) -> dict[str, int]:
        return {
            "deputies_in_term": self.deputies_in_term,
            "covered": self.covered,
            "uncovered": self.uncovered,
            "meetings_left": self.meetings_left,
            "percent": self.percent,
        }


@dataclass(frozen=True)
class ProposedDeputy:
    deputy_id: int
    name: str
    delegation: str
    category: str
    category_label: str
    sittings: int
    reasons: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        return {
            "deputy": self.deputy_id,
            "name": self.name,
            "delegation": self.delegation,
            "category": self.category,
            "sittings": self.sittings,
            "reasons": list(self.reasons),
        }


@dataclass(frozen=True)
class Proposal:
    meeting_id: int
    coverage: Coverage
    already_invited: int
    target: int
    proposed: list[ProposedDeputy]

    @property
    def deputy_ids(self) -> list[int]:
        return [person.deputy_id for person in self.proposed]


@dataclass
class _Candidate:
    deputy_id: int
    name: str
    job_title: str
    work_unit: str
    delegation_id: int | None
    delegation: str
    category: str
    covered: bool
    sittings: int
    matches: list[str] = field(default_factory=list)


def split_keywords(text: str) -> list[str]:
    """Keywords of an agenda item or group, separated by spaces, commas or 、."""
    return [word for word in KEYWORD_SEPARATORS.split(text or "") if word]


@dataclass
class _TermSittings:
    """Every sitting invitation of the term, read once."""

    attended: Counter = field(default_factory=Counter)  # deputy -> sittings attended
    # deputy -> meetings that cover them (attended, or invited to one not yet held)
    covering: dict[int, set[int]] = field(default_factory=lambda: defaultdict(set))
    this_meeting: dict[int, str] = field(default_factory=dict)  # deputy -> status of their invitation here


def _read_sittings(term_id: int, meeting_id: int | None) -> _TermSittings:
    sittings = _TermSittings()
    rows = Invitation.objects.filter(
        activity__kind=ActivityKind.SC_SITTING, activity__meeting__term_id=term_id
    ).values_list("deputy_id", "status", "activity__meeting_id", "activity__state")
    for deputy_id, status, row_meeting_id, state in rows:
        if status == InvitationStatus.ATTENDED:
            sittings.attended[deputy_id] += 1
            sittings.covering[deputy_id].add(row_meeting_id)
        elif state == ActivityState.PLANNED and status in (InvitationStatus.INVITED, InvitationStatus.ACCEPTED):
            sittings.covering[deputy_id].add(row_meeting_id)
        if row_meeting_id == meeting_id:
            sittings.this_meeting[deputy_id] = status
    return sittings


def _serving_mandates(congress_id: int, term_id: int) -> list[Mandate]:
    return list(
        Mandate.objects.filter(congress_id=congress_id, term_id=term_id, status=MandateStatus.SERVING)
        .select_related("deputy", "delegation")
        .order_by("deputy__name", "deputy_id")
    )


def term_coverage(*, term_id: int, congress_id: int, today: datetime.date) -> Coverage:
    """The term's rotation as of `today`: meetings left are those starting today or later."""
    deputy_ids = set(
        Mandate.objects.filter(congress_id=congress_id, term_id=term_id, status=MandateStatus.SERVING).values_list(
            "deputy_id", flat=True
        )
    )
    sittings = _read_sittings(term_id, None)
    covered = sum(1 for pk in deputy_ids if sittings.covering.get(pk))
    left = Meeting.objects.filter(term_id=term_id, starts_on__gte=today).count()
    return Coverage(
        deputies_in_term=len(deputy_ids), covered=covered, uncovered=len(deputy_ids) - covered, meetings_left=left
    )


def meeting_coverage(*, meeting: Meeting) -> Coverage:
    """The term's coverage as the planner sees it for `meeting` (meetings left: this one on)."""
    deputy_ids = set(
        Mandate.objects.filter(
            congress_id=meeting.congress_id, term_id=meeting.term_id, status=MandateStatus.SERVING
        ).values_list("deputy_id", flat=True)
    )
    sittings = _read_sittings(meeting.term_id, meeting.pk)
    covered = sum(1 for pk in deputy_ids if sittings.covering.get(pk))
    return Coverage(
        deputies_in_term=len(deputy_ids),
        covered=covered,
        uncovered=len(deputy_ids) - covered,
        meetings_left=_meetings_left(meeting),
    )


def _meetings_left(meeting: Meeting) -> int:
    keys = Meeting.objects.filter(term_id=meeting.term_id).values_list("starts_on", "number", "pk")
    this_key = (meeting.starts_on, meeting.number, meeting.pk)
    return sum(1 for key in keys if key >= this_key) or 1


def _topic_matches(candidates: list[_Candidate], meeting: Meeting, congress_id: int) -> None:
    topics = list(
        AgendaTopic.objects.filter(meeting_id=meeting.pk)
        .order_by("sort_order", "pk")
        .values_list("title", "committee_id", "committee__name", "keywords")
    )
    if not topics:
        return
    groups: dict[int, list[tuple[str, int, str]]] = defaultdict(list)  # deputy -> (group, committee, words)
    for deputy_id, group_name, committee_id, group_field, group_keywords in GroupMembership.objects.filter(
        congress_id=congress_id, group__is_active=True
    ).values_list("deputy_id", "group__name", "group__counterpart_committee_id", "group__field", "group__keywords"):
        groups[deputy_id].append((group_name, committee_id, f"{group_field} {group_keywords}"))
    for candidate in candidates:
        own_text = f"{candidate.job_title} {candidate.work_unit}"
        for title, committee_id, committee_name, keywords in topics:
            reason = ""
            for group_name, group_committee_id, _words in groups.get(candidate.deputy_id, ()):
                if committee_id is not None and group_committee_id == committee_id:
                    reason = _("Member of %(group)s, the counterpart group of %(committee)s (agenda: %(topic)s)") % {
                        "group": group_name,
                        "committee": committee_name,
                        "topic": title,
                    }
                    break
            if not reason:
                group_text = " ".join(words for _name, _committee, words in groups.get(candidate.deputy_id, ()))
                for word in split_keywords(keywords):
                    if word in own_text or word in group_text:
                        reason = _("“%(keyword)s” matches their work or group (agenda: %(topic)s)") % {
                            "keyword": word,
                            "topic": title,
                        }
                        break
            if reason:
                candidate.matches.append(reason)


def propose_attendees(*, meeting: Meeting, size: int | None = None) -> Proposal:
    """Whom to invite to `meeting` next, with the reasons for each, and the term's coverage.
    `size` asks for that many (at most what the meeting's most allows); by default the planner's target."""
    congress_id, term_id = meeting.congress_id, meeting.term_id
    mandates = _serving_mandates(congress_id, term_id)
    sittings = _read_sittings(term_id, meeting.pk)
    meetings_left = _meetings_left(meeting)

    deputy_ids = {mandate.deputy_id for mandate in mandates}
    covered = {pk for pk in deputy_ids if sittings.covering.get(pk)}
    covered_elsewhere = {pk for pk in deputy_ids if sittings.covering.get(pk, set()) - {meeting.pk}}
    already_invited = sum(1 for status in sittings.this_meeting.values() if status in NOT_DECLINED)
    coverage = Coverage(
        deputies_in_term=len(deputy_ids),
        covered=len(covered),
        uncovered=len(deputy_ids) - len(covered),
        meetings_left=meetings_left,
    )

    room = max(0, meeting.invitees_max - already_invited)
    if size is None:
        wanted = math.ceil((len(deputy_ids) - len(covered_elsewhere)) / meetings_left)
        target = min(max(wanted, meeting.invitees_min), meeting.invitees_max)
        count = max(0, target - already_invited)
    else:
        if size < 1:
            raise ValidationError({"size": _("Ask for at least one deputy.")})
        if size > room:
            raise ValidationError(
                {
                    "size": _("At most %(left)s more deputies can be invited to this meeting (most %(max)s).")
                    % {"left": room, "max": meeting.invitees_max}
                }
            )
        count = size
        target = already_invited + size

    candidates = [
        _Candidate(
            deputy_id=mandate.deputy_id,
            name=mandate.deputy.name,
            job_title=mandate.deputy.job_title,
            work_unit=mandate.deputy.work_unit,
            delegation_id=mandate.delegation_id,
            delegation=mandate.delegation.name if mandate.delegation else "",
            category=mandate.deputy.category,
            covered=mandate.deputy_id in covered_elsewhere,
            sittings=sittings.attended.get(mandate.deputy_id, 0),
        )
        for mandate in mandates
        # Whoever has an invitation to this meeting (even declined) is not proposed again.
        if mandate.deputy_id not in sittings.this_meeting
    ]
    if count and candidates:
        _topic_matches(candidates, meeting, congress_id)

    chosen: list[_Candidate] = []
    delegations: Counter = Counter()
    categories: Counter = Counter()
    remaining = list(candidates)
    while remaining and len(chosen) < count:
        # Greedy: the best by coverage and topic, then the least represented delegation and category.
        best = min(
            remaining,
            key=lambda c: (
                c.covered,
                c.sittings,
                not c.matches,
                delegations[c.delegation_id] + categories[c.category],
                c.name,
                c.deputy_id,
            ),
        )
        remaining.remove(best)
        first_of_delegation = best.delegation_id is not None and not delegations[best.delegation_id]
        first_of_category = not categories[best.category]
        delegations[best.delegation_id] += 1
        categories[best.category] += 1
        chosen.append(best)
        best.matches = [_reason_for_sittings(best), *best.matches]
        if first_of_delegation and first_of_category:
            best.matches.append(
                _("First from %(delegation)s and first %(category)s deputy in this list")
                % {"delegation": best.delegation, "category": _category_label(best.category)}
            )
        elif first_of_delegation:
            best.matches.append(_("First from %(delegation)s in this list") % {"delegation": best.delegation})
        elif first_of_category:
            best.matches.append(
                _("First %(category)s deputy in this list") % {"category": _category_label(best.category)}
            )

    proposed = [
        ProposedDeputy(
            deputy_id=c.deputy_id,
            name=c.name,
            delegation=c.delegation,
            category=c.category,
            category_label=_category_label(c.category),
            sittings=c.sittings,
            reasons=c.matches,
        )
        for c in chosen
    ]
    return Proposal(
        meeting_id=meeting.pk, coverage=coverage, already_invited=already_invited, target=target, proposed=proposed
    )


def _category_label(category: str) -> str:
    try:
        return str(DeputyCategory(category).label)
    except ValueError:
        return category


def _reason_for_sittings(candidate: _Candidate) -> str:
    if candidate.sittings:
        return _("Sat in %(count)s times this term") % {"count": candidate.sittings}
    if candidate.covered:
        return _("Invited to another meeting not yet held")
    return _("Has not sat in on a meeting this term")
