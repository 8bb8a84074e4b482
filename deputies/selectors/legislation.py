"""Reads of deputies' part in legislation: rounds with counts, proposals, the legislative plan list,
drafts with comment counts, a deputy's drafts to comment on, and the compiled comment report."""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet

from congress.roles import Role
from congress.scoping import get_scope

from ..choices import DraftStatus, ProposalStatus, RoundStatus
from ..models import DraftComment, DraftProvision, DraftRegulation, LegislativeProposal, LegislativeRound

STAFF_ROLES = (Role.OFFICE, Role.COMMITTEE, Role.LEADER)


def is_work_staff_reader(user: Any) -> bool:
    """Office, committee staff and leaders read all legislation work of their congress."""
    return get_scope(user).has_role(*STAFF_ROLES)


def round_list(*, user: Any, status: str | None = None, query: str = "") -> QuerySet[LegislativeRound]:
    """Rounds with their proposal counts (all, in the plan)."""
    rounds = LegislativeRound.objects.visible_to(user).select_related("committee")
    if status:
        rounds = rounds.filter(status=status)
    if query:
        rounds = rounds.filter(title__icontains=query)
    return rounds.annotate(
        proposal_count=Count("proposals"),
        in_plan_count=Count("proposals", filter=Q(proposals__status=ProposalStatus.IN_PLAN)),
    ).order_by("-year", "-deadline", "-pk")


def open_rounds(*, user: Any) -> QuerySet[LegislativeRound]:
    return LegislativeRound.objects.visible_to(user).filter(status=RoundStatus.OPEN).order_by("deadline", "pk")


def proposal_list(
    *, user: Any, round_id: int | None = None, status: str | None = None, query: str = ""
) -> QuerySet[LegislativeProposal]:
    """Proposals the user may see (a deputy: their own; staff: their congress's)."""
    proposals = LegislativeProposal.objects.visible_to(user).select_related("round", "deputy")
    if round_id:
        proposals = proposals.filter(round_id=round_id)
    if status:
        proposals = proposals.filter(status=status)
    if query:
        proposals = proposals.filter(Q(title__icontains=query) | Q(deputy__name__icontains=query))
    return proposals.order_by("-round__year", "round_id", "title", "pk")


def my_proposals(*, user: Any) -> QuerySet[LegislativeProposal]:
    deputy_id = get_scope(user).deputy_id
    return (
        LegislativeProposal.objects.visible_to(user)
        .filter(deputy_id=deputy_id)
        .select_related("round")
        .order_by("-created_at", "-pk")
    )


@dataclass
class PlanItem:
    """One regulation in the legislative plan list, with every proposal asking for it."""

    title: str
    proposals: list[LegislativeProposal] = field(default_factory=list)

    @property
    def proposers(self) -> list[str]:
        return sorted({proposal.deputy.name for proposal in self.proposals})

    @property
    def notes(self) -> list[str]:
        return [p.plan_note for p in self.proposals if p.plan_note]


def legislative_plan(*, user: Any, year: int, congress_id: int | None = None) -> list[PlanItem]:
    """The proposals in the plan for a year, grouped by the regulation proposed (titles compared
    without spaces), most-proposed first. One query."""
    proposals = LegislativeProposal.objects.visible_to(user).filter(round__year=year, status=ProposalStatus.IN_PLAN)
    if congress_id is not None:
        proposals = proposals.filter(congress_id=congress_id)
    items: OrderedDict[str, PlanItem] = OrderedDict()
    for proposal in proposals.select_related("deputy").order_by("title", "pk"):
        key = "".join(proposal.title.split())
        items.setdefault(key, PlanItem(title=proposal.title)).proposals.append(proposal)
    return sorted(items.values(), key=lambda item: (-len(item.proposals), item.title))


def draft_list(*, user: Any, status: str | None = None, query: str = "") -> QuerySet[DraftRegulation]:
    """Drafts with their provision, comment and commenter counts (staff desk)."""
    drafts = DraftRegulation.objects.visible_to(user).select_related("committee")
    if status:
        drafts = drafts.filter(status=status)
    if query:
        drafts = drafts.filter(title__icontains=query)
    return drafts.annotate(
        comment_count=Count("comments", distinct=True),
        commenter_count=Count("comments__deputy", distinct=True),
        recipient_count=Count("recipients", distinct=True),
    ).order_by("-comment_deadline", "-pk")


def drafts_for_deputy(*, user: Any) -> QuerySet[DraftRegulation]:
    """Drafts sent to the deputy (open or closed), with how many comments they left."""
    deputy_id = get_scope(user).deputy_id
    return (
        DraftRegulation.objects.visible_to(user)
        .filter(recipients=deputy_id)
        .exclude(status=DraftStatus.PREPARING)
        .annotate(my_comment_count=Count("comments", filter=Q(comments__deputy_id=deputy_id)))
        .order_by("-comment_deadline", "-pk")
    )


def draft_for_user(*, user: Any, pk: int) -> DraftRegulation:
    """A draft the user may open: staff of its congress, or a deputy it was sent to (not while
    prepared). Raises DraftRegulation.DoesNotExist otherwise."""
    drafts = DraftRegulation.objects.visible_to(user).select_related("committee")
    if not is_work_staff_reader(user):
        drafts = drafts.filter(recipients=get_scope(user).deputy_id).exclude(status=DraftStatus.PREPARING)
    return drafts.prefetch_related(Prefetch("provisions", queryset=DraftProvision.objects.order_by("position"))).get(
        pk=pk
    )


def drafts_visible_to(*, user: Any) -> QuerySet[DraftRegulation]:
    """The API's draft scope: staff see their congress's drafts, deputies the drafts sent to them."""
    drafts = DraftRegulation.objects.visible_to(user)
    if not is_work_staff_reader(user):
        drafts = drafts.filter(recipients=get_scope(user).deputy_id).exclude(status=DraftStatus.PREPARING)
    return drafts


def comments_of_draft(*, user: Any, draft: DraftRegulation) -> QuerySet[DraftComment]:
    """A draft's comments the user may see: a deputy their own, staff all."""
    return (
        DraftComment.objects.visible_to(user)
        .filter(draft=draft)
        .select_related("provision", "deputy")
        .order_by("provision__position", "created_at", "pk")
    )


@dataclass
class ReportEntry:
    provision: DraftProvision
    comments: list[DraftComment] = field(default_factory=list)

    @property
    def commenters(self) -> list[str]:
        return sorted({comment.deputy.name for comment in self.comments})


@dataclass
class CommentReport:
    """The compiled comments on a draft: per provision in order, then the comments on the whole."""

    draft: DraftRegulation
    entries: list[ReportEntry]
    general: list[DraftComment]
    comment_count: int
    commenter_count: int
    recipient_count: int

    @property
    def commented_entries(self) -> list[ReportEntry]:
        return [entry for entry in self.entries if entry.comments]

    @property
    def provisions_commented(self) -> int:
        return len(self.commented_entries)


def draft_comment_report(*, draft: DraftRegulation) -> CommentReport:
    """Three queries whatever the number of comments: provisions, comments with their deputies,
    the recipient count."""
    provisions = list(DraftProvision.objects.filter(draft=draft).order_by("position"))
    entries = {provision.pk: ReportEntry(provision=provision) for provision in provisions}
    general: list[DraftComment] = []
    comments = list(DraftComment.objects.filter(draft=draft).select_related("deputy").order_by("created_at", "pk"))
    for comment in comments:
        if comment.provision_id in entries:
            entries[comment.provision_id].comments.append(comment)
        else:
            general.append(comment)
    return CommentReport(
        draft=draft,
        entries=list(entries.values()),
        general=general,
        comment_count=len(comments),
        commenter_count=len({comment.deputy_id for comment in comments}),
        recipient_count=draft.recipients.count(),
    )
