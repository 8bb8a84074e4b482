"""Reads of the public side of the loop: Open311 services and requests, and one issue by its tracking code.

Only public rows and fields: issues taken at a confidential visit never appear in the Open311 feed, and
the citizen's contacts are never read here for output (the API masks the phone)."""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from django.db.models import Max, Prefetch, Q, QuerySet
from django.utils import timezone

from congress.models import Congress, SubjectCategory

from ..choices import Confidentiality
from ..models import IssueAnswer, IssueEvent, IssuePhoto, PublicIssue
from ..services.open311 import DEFAULT_DAYS, MAX_REQUESTS, closed_filter


def open311_services(*, congress: Congress) -> QuerySet[SubjectCategory]:
    """The congress's active categories, with their counterpart committees (the services' groups)."""
    return (
        SubjectCategory.objects.filter(congress=congress, is_active=True)
        .select_related("counterpart_committee")
        .order_by("sort_order", "name", "pk")
    )


def open311_service(*, congress: Congress, service_code: str) -> SubjectCategory | None:
    return open311_services(congress=congress).filter(code=service_code).first()


def open311_changeset() -> datetime.datetime | None:
    """When the services of the active congresses last changed."""
    return SubjectCategory.objects.filter(congress__is_active=True).aggregate(last=Max("updated_at"))["last"]


def open311_jurisdictions() -> QuerySet[Congress]:
    return Congress.objects.filter(is_active=True).order_by("area_code", "level", "pk")


def _public_issues() -> QuerySet[PublicIssue]:
    return (
        PublicIssue.objects.exclude(visit__confidentiality=Confidentiality.CONFIDENTIAL)
        .select_related("congress", "category", "station", "handling_unit", "suggestion")
        .prefetch_related(
            Prefetch("answers", IssueAnswer.objects.order_by("created_at", "pk")),
            Prefetch("photos", IssuePhoto.objects.order_by("pk")),
        )
    )


def request_keys(ids: Sequence[str]) -> Q:
    """Tracking codes (the citizen's) or public numbers (the feed's) of the requests asked for."""
    codes = [value.upper() for value in ids if not value.isdigit()]
    numbers = [int(value) for value in ids if value.isdigit() and len(value) <= 18]
    return Q(tracking_code__in=codes) | Q(pk__in=numbers)


def open311_requests(
    *,
    congress: Congress,
    ids: Sequence[str] = (),
    service_codes: Sequence[str] = (),
    start: datetime.datetime | None = None,
    end: datetime.datetime | None = None,
    statuses: Sequence[str] = (),
    now: datetime.datetime | None = None,
) -> list[PublicIssue]:
    """GET requests.json: by ids (then the other filters do not apply, as the spec says), else by service,
    dates (the last 90 days by default) and open/closed; the newest first, at most 1000."""
    issues = _public_issues().filter(congress=congress)
    if ids:
        issues = issues.filter(request_keys(ids))
    else:
        if start is None and end is None:
            start = (now or timezone.now()) - datetime.timedelta(days=DEFAULT_DAYS)
        if start is not None:
            issues = issues.filter(created_at__gte=start)
        if end is not None:
            issues = issues.filter(created_at__lte=end)
        if service_codes:
            issues = issues.filter(category__code__in=service_codes)
        wanted = set(statuses)
        if wanted == {"open"}:
            issues = issues.exclude(closed_filter())
        elif wanted == {"closed"}:
            issues = issues.filter(closed_filter())
    return list(issues.order_by("-created_at", "-pk")[:MAX_REQUESTS])


def open311_request(*, key: str, congress: Congress | None = None) -> PublicIssue | None:
    """One request by its tracking code or public number."""
    issues = _public_issues().filter(request_keys([key]))
    if congress is not None:
        issues = issues.filter(congress=congress)
    return issues.first()


def public_issue_by_tracking_code(*, tracking_code: str) -> PublicIssue | None:
    """The issue a citizen follows with their tracking code: answers, the public timeline, the suggestion."""
    return (
        PublicIssue.objects.filter(tracking_code=tracking_code.strip().upper())
        .select_related("congress", "station", "deputy", "category", "handling_unit", "suggestion")
        .prefetch_related(
            Prefetch("answers", IssueAnswer.objects.order_by("created_at", "pk")),
            Prefetch(
                "events",
                IssueEvent.objects.filter(is_public=True).order_by("created_at", "pk"),
                to_attr="public_events",
            ),
        )
        .first()
    )
