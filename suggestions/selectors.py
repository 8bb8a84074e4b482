"""Reads of the suggestion workflow; each owns its select_related/prefetch_related."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet

from congress.scoping import get_scope

from .models import Assignment, Reply, Suggestion, SuggestionEvent, SupervisionCase


def suggestion_list_for_user(*, user: Any, status: str | None = None) -> QuerySet[Suggestion]:
    """Suggestions the user may see, newest first, with what a list row shows."""
    queryset = Suggestion.objects.visible_to(user).select_related("category", "lead_deputy", "session")
    if status:
        queryset = queryset.filter(status=status)
    return queryset.order_by("-created_at", "-pk")


def suggestions_of_deputy(*, user: Any) -> QuerySet[Suggestion]:
    """The deputy's own suggestions: those they lead or co-sign."""
    deputy_id = get_scope(user).deputy_id
    if deputy_id is None:
        return Suggestion.objects.none()
    return (
        Suggestion.objects.of_deputy(deputy_id)
        .select_related("category", "lead_deputy", "session")
        .order_by("-created_at", "-pk")
    )


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
