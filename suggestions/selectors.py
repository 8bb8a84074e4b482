"""Reads of the suggestion workflow; each owns its select_related/prefetch_related."""

from __future__ import annotations

from typing import Any

from django.db.models import F, OuterRef, Prefetch, QuerySet, Subquery
from django.utils import timezone

from congress.roles import Role
from congress.scoping import get_scope

from .choices import AssignmentRole, AssignmentStatus, CosignerStatus, SuggestionStatus
from .models import Assignment, CoUnitOpinion, GuidanceRequest, Reply, Suggestion, SuggestionEvent, SupervisionCase

# A reply can be rated while its suggestion is replied, or re-handled by another (split) unit.
RATEABLE_STATUSES = (SuggestionStatus.REPLIED, SuggestionStatus.ASSIGNED)


def suggestion_list_for_user(*, user: Any, status: str | None = None) -> QuerySet[Suggestion]:
    """Suggestions the user may see, newest first, with what a list row shows."""
    queryset = Suggestion.objects.visible_to(user).select_related("category", "lead_deputy", "session")
    if status:
        queryset = queryset.filter(status=status)
    return queryset.order_by("-created_at", "-pk")


def suggestions_of_deputy(*, user: Any, status: str | None = None) -> QuerySet[Suggestion]:
    """The deputy's own suggestions: those they lead or co-sign."""
    deputy_id = get_scope(user).deputy_id
    if deputy_id is None:
        return Suggestion.objects.none()
    queryset = Suggestion.objects.of_deputy(deputy_id).select_related("category", "lead_deputy", "session")
    if status:
        queryset = queryset.filter(status=status)
    return queryset.order_by("-created_at", "-pk")


def suggestion_detail(*, user: Any, pk: int) -> Suggestion:
    """One suggestion with its co-signers, assignments (rounds, replies, evaluations), cases and
    timeline; raises DoesNotExist (→ 404) outside the user's scope."""
    replies = Reply.objects.select_related("reply_class", "round", "evaluation").order_by("round__number", "pk")
    assignments = (
        Assignment.objects.select_related("unit")
        .prefetch_related("rounds", Prefetch("replies", queryset=replies), "opinions", "communications")
        .order_by("role", "pk")
    )
    events = SuggestionEvent.objects.select_related("actor", "assignment__unit").order_by("created_at", "pk")
    cases = SupervisionCase.objects.select_related("committee").prefetch_related("actions")
    return (
        Suggestion.objects.visible_to(user)
        .select_related("category__counterpart_committee", "lead_deputy", "session", "congress")
        .prefetch_related(
            "cosigners__deputy",
            Prefetch("assignments", queryset=assignments),
            Prefetch("events", queryset=events),
            Prefetch("supervision_cases", queryset=cases),
            "guidance_requests__committee",
        )
        .get(pk=pk)
    )


def cosign_invitations(*, user: Any) -> QuerySet[Suggestion]:
    """Drafts the deputy was invited to co-sign and has not answered."""
    deputy_id = get_scope(user).deputy_id
    if deputy_id is None:
        return Suggestion.objects.none()
    return (
        Suggestion.objects.filter(cosigners__deputy_id=deputy_id, cosigners__status=CosignerStatus.INVITED)
        .filter(status=SuggestionStatus.DRAFT)
        .select_related("lead_deputy", "category")
        .order_by("-created_at", "-pk")
    )


def replies_to_rate(*, user: Any) -> QuerySet[Reply]:
    """Replies to the deputy's suggestions that wait for their rating."""
    deputy_id = get_scope(user).deputy_id
    if deputy_id is None:
        return Reply.objects.none()
    return (
        Reply.objects.filter(
            assignment__suggestion__lead_deputy_id=deputy_id,
            assignment__suggestion__status__in=RATEABLE_STATUSES,
            assignment__status=AssignmentStatus.REPLIED,
            is_follow_up=False,
            evaluation__isnull=True,
        )
        .select_related("assignment__suggestion", "assignment__unit", "reply_class")
        .order_by("evaluation_due_on", "pk")
    )


def replies_waiting_for_rating(*, suggestion: Suggestion) -> list[Reply]:
    """The current round's replies of a (prefetched) suggestion that are not rated yet (in split
    mode one unit's reply can wait while another unit re-handles)."""
    if suggestion.status not in RATEABLE_STATUSES:
        return []
    waiting = []
    for assignment in suggestion.assignments.all():
        if assignment.status != AssignmentStatus.REPLIED:
            continue
        replies = [reply for reply in assignment.replies.all() if not reply.is_follow_up]
        if replies and not hasattr(replies[-1], "evaluation"):
            waiting.append(replies[-1])
    return waiting


def unit_assignments(*, user: Any) -> QuerySet[Assignment]:
    """The live assignments of the user's unit."""
    unit_id = get_scope(user).unit_id
    if unit_id is None:
        return Assignment.objects.none()
    return Assignment.objects.of_unit(unit_id).live().select_related("suggestion__category", "unit")


def unit_todo(*, user: Any, status: str | None = None) -> QuerySet[Assignment]:
    """The unit's to-do list: open items first by due date, then the rest."""
    queryset = unit_assignments(user=user)
    if status:
        queryset = queryset.filter(status=status)
    return queryset.order_by(F("due_on").asc(nulls_last=True), "pk")


def co_opinions_for(*, assignment: Assignment) -> QuerySet[CoUnitOpinion]:
    """A lead unit reads the co-handling units' opinions on the same suggestion."""
    if assignment.role != AssignmentRole.LEAD:
        return CoUnitOpinion.objects.none()
    return CoUnitOpinion.objects.filter(assignment__suggestion_id=assignment.suggestion_id).select_related(
        "assignment__unit"
    )


def counterpart_suggestions(*, user: Any, overdue_only: bool = False) -> QuerySet[Suggestion]:
    """Every suggestion of the committee's counterpart categories, with its nearest due date."""
    committee_id = get_scope(user).committee_id
    if committee_id is None:
        return Suggestion.objects.none()
    today = timezone.localdate()
    open_due = Assignment.objects.filter(suggestion=OuterRef("pk")).awaiting_reply().order_by("due_on").values("due_on")
    queryset = (
        Suggestion.objects.visible_to(user)
        .filter(category__counterpart_committee_id=committee_id)
        .select_related("category", "lead_deputy")
        .annotate(next_due_on=Subquery(open_due[:1]))
    )
    if overdue_only:
        queryset = queryset.filter(next_due_on__lt=today)
    return queryset.order_by(F("next_due_on").asc(nulls_last=True), "-pk")


def committee_cases(*, user: Any) -> QuerySet[SupervisionCase]:
    committee_id = get_scope(user).committee_id
    if committee_id is None:
        return SupervisionCase.objects.none()
    return (
        SupervisionCase.objects.visible_to(user)
        .filter(committee_id=committee_id)
        .open()
        .select_related("suggestion")
        .order_by("due_on", "pk")
    )


def committee_guidance_requests(*, user: Any, answered: bool | None = False) -> QuerySet[GuidanceRequest]:
    committee_id = get_scope(user).committee_id
    if committee_id is None:
        return GuidanceRequest.objects.none()
    queryset = GuidanceRequest.objects.filter(committee_id=committee_id).select_related("suggestion__lead_deputy")
    if answered is not None:
        queryset = queryset.filter(answered_at__isnull=not answered)
    return queryset.order_by("created_at", "pk")


def published_replies(*, query: str = "") -> QuerySet[Reply]:
    """Replies published on the public page: public suggestions only, never withheld replies."""
    queryset = (
        Reply.objects.filter(published_at__isnull=False, assignment__suggestion__confidentiality="public")
        .exclude(publication="withheld")
        .select_related("assignment__suggestion__category", "assignment__unit", "reply_class")
    )
    if query:
        queryset = queryset.filter(assignment__suggestion__title__icontains=query)
    return queryset.order_by("-published_at", "-pk")


def follow_up_due(*, assignment: Assignment) -> Reply | None:
    """The B/C reply of a unit that still owes a follow-up answer, if any."""
    return (
        Reply.objects.filter(assignment=assignment, is_follow_up=False, follow_up_due_on__isnull=False)
        .select_related("reply_class")
        .order_by("-round__number")
        .first()
    )


def assignments_for(*, user: Any) -> QuerySet[Assignment]:
    """Unit staff work on their unit's live assignments; everyone else reads what their scope shows."""
    scope = get_scope(user)
    if not scope.is_global and Role.UNIT in scope.roles and scope.unit_id:
        queryset = unit_assignments(user=user)
    else:
        queryset = Assignment.objects.visible_to(user)
    return queryset.select_related("suggestion", "unit").order_by(F("due_on").asc(nulls_last=True), "pk")
