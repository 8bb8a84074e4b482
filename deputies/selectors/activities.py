"""Reads of activities and invitations: a deputy's invitations, the desk list, an activity's invitees."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet

from ..choices import InvitationStatus, MandateStatus
from ..models import Activity, Deputy, Invitation


def invitations_of_deputy(*, user: Any, deputy_id: int) -> QuerySet[Invitation]:
    """A deputy's invitations, newest activity first, with their activity."""
    return (
        Invitation.objects.visible_to(user)
        .filter(deputy_id=deputy_id)
        .select_related("activity", "activity__organiser", "activity__meeting", "activity__group")
        .order_by("-activity__starts_at", "pk")
    )


def activities_for_desk(*, user: Any, filters: dict[str, str]) -> QuerySet[Activity]:
    """The congress's activities with invited/coming/attended counts, filtered by kind, state and text."""
    queryset = Activity.objects.visible_to(user).select_related("organiser", "group", "meeting")
    if filters.get("kind"):
        queryset = queryset.filter(kind=filters["kind"])
    if filters.get("state"):
        queryset = queryset.filter(state=filters["state"])
    if filters.get("q"):
        queryset = queryset.filter(Q(title__icontains=filters["q"]) | Q(topic__icontains=filters["q"]))
    return queryset.annotate(
        invited_count=Count("invitations", distinct=True),
        attended_count=Count("invitations", filter=Q(invitations__status=InvitationStatus.ATTENDED), distinct=True),
    ).order_by("-starts_at", "pk")


def activity_invitees(*, activity: Activity) -> QuerySet[Invitation]:
    return Invitation.objects.filter(activity=activity).select_related("deputy").order_by("deputy__name", "pk")


def activity_counts(*, activity: Activity) -> dict[str, int]:
    """How many invitations are in each status (one query)."""
    rows = Invitation.objects.filter(activity=activity).values("status").annotate(n=Count("pk"))
    counts = {status: 0 for status in InvitationStatus.values}
    counts.update({row["status"]: row["n"] for row in rows})
    counts["total"] = sum(counts[status] for status in InvitationStatus.values)
    return counts


def invitable_deputies(*, activity: Activity, category: str = "", query: str = "") -> QuerySet[Deputy]:
    """Serving deputies of the activity's congress not yet invited to it."""
    deputies = Deputy.objects.filter(
        mandates__congress_id=activity.congress_id, mandates__status=MandateStatus.SERVING
    ).exclude(invitations__activity=activity)
    if category:
        deputies = deputies.filter(category=category)
    if query:
        deputies = deputies.filter(Q(name__icontains=query) | Q(work_unit__icontains=query))
    return deputies.distinct().order_by("name", "pk")
