"""Reads of reception days, visits and forums: the station's schedule, what its public page may show
(never before `published_from()`), the visits list with filters, forums with their counts, a
deputy's duties, and the numbers of a station's desk home."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import CharField, Count, Exists, OuterRef, Q, QuerySet, Value
from django.db.models.functions import Concat

from congress.roles import Role
from congress.scoping import get_scope
from deputies.models import ActivityRecord

from ..choices import Confidentiality
from ..models import Forum, ReceptionDay, Station, Visit


def readable_words(user: Any) -> Q:
    """The visits whose words the user may read (see `services.receptions.can_read_words`)."""
    scope = get_scope(user)
    if scope.is_global:
        return Q()
    readable = Q(confidentiality=Confidentiality.PUBLIC)
    if Role.OFFICE in scope.roles:
        readable |= Q(congress_id__in=scope.congress_ids)
    if Role.STATION in scope.roles:
        readable |= Q(station_id__in=scope.station_ids)
    if scope.deputy_id:
        readable |= Q(deputy_id=scope.deputy_id)
    return readable


def _confirmed() -> Exists:
    return Exists(
        ActivityRecord.objects.filter(
            activity_type__code="station_reception",
            source_key=Concat(Value("reception:"), OuterRef("pk"), output_field=CharField()),
        )
    )


def station_receptions(
    *, station: Station, year: int | None = None, upcoming: bool | None = None, today: datetime.date
) -> QuerySet[ReceptionDay]:
    """The station's reception days with their deputies on duty, visit counts and whether confirmed."""
    queryset = ReceptionDay.objects.filter(station=station)
    if year:
        queryset = queryset.filter(date__year=year)
    if upcoming is True:
        queryset = queryset.filter(date__gte=today).order_by("date", "starts_at", "pk")
    elif upcoming is False:
        queryset = queryset.filter(date__lt=today).order_by("-date", "starts_at", "pk")
    else:
        queryset = queryset.order_by("-date", "starts_at", "pk")
    return queryset.prefetch_related("deputies").annotate(
        visit_count=Count("visits", distinct=True), confirmed=_confirmed()
    )


def published_receptions(*, station: Station, today: datetime.date) -> list[ReceptionDay]:
    """Reception days on the public page: from today on, and only those whose `published_from()`
    (the date minus the station's notice days) has come."""
    cutoff = today + datetime.timedelta(days=station.notice_days)
    rows = (
        ReceptionDay.objects.filter(station=station, date__gte=today, date__lte=cutoff)
        .prefetch_related("deputies")
        .order_by("date", "starts_at", "pk")
    )
    result = []
    for reception in rows:
        reception.station = station  # published_from() reads the station's notice days
        if reception.published_from() <= today:
            result.append(reception)
    return result


def receptions_of_deputy(*, deputy_id: int, today: datetime.date) -> QuerySet[ReceptionDay]:
    """A deputy's reception duties from a month back on, soonest first."""
    return (
        ReceptionDay.objects.filter(deputies__id=deputy_id, date__gte=today - datetime.timedelta(days=31))
        .select_related("station")
        .prefetch_related("deputies")
        .order_by("date", "starts_at", "pk")
    )


def reception_visits(*, reception: ReceptionDay, user: Any) -> QuerySet[Visit]:
    return (
        Visit.objects.visible_to(user)
        .filter(reception_day=reception)
        .select_related("deputy", "category")
        .order_by("pk")
    )


def visits_for_station(*, station: Station, user: Any, filters: dict[str, str]) -> QuerySet[Visit]:
    """The station's visits the user may see, filtered by disposition, confidentiality, month
    (YYYY-MM), deputy and text, newest first."""
    queryset = (
        Visit.objects.visible_to(user).filter(station=station).select_related("deputy", "category", "reception_day")
    )
    if filters.get("disposition"):
        queryset = queryset.filter(disposition=filters["disposition"])
    if filters.get("confidentiality"):
        queryset = queryset.filter(confidentiality=filters["confidentiality"])
    month = filters.get("month", "")
    if len(month) == 7 and month[4] == "-" and month[:4].isdigit() and month[5:].isdigit():
        queryset = queryset.filter(visited_on__year=int(month[:4]), visited_on__month=int(month[5:]))
    if filters.get("deputy", "").isdigit():
        queryset = queryset.filter(deputy_id=int(filters["deputy"]))
    if filters.get("q"):
        # Words are searched only where the user may read them, so a search cannot probe confidential words.
        text = filters["q"]
        queryset = queryset.filter(Q(words__icontains=text) & readable_words(user))
    return queryset.order_by("-visited_on", "-pk")


def station_forums(*, station: Station, year: int | None = None) -> QuerySet[Forum]:
    queryset = Forum.objects.filter(station=station)
    if year:
        queryset = queryset.filter(held_on__year=year)
    return (
        queryset.select_related("block")
        .prefetch_related("deputies")
        .annotate(issue_count=Count("issues", distinct=True))
        .order_by("-held_on", "-pk")
    )


def station_counts(*, station: Station, user: Any, year: int, today: datetime.date) -> dict[str, int]:
    """The numbers on the station's desk home (one query each)."""
    return {
        "blocks": station.blocks.count(),
        "deputies": station.deputies.count(),
        "forums": Forum.objects.filter(station=station, held_on__year=year).count(),
        "visits": Visit.objects.visible_to(user).filter(station=station, visited_on__year=year).count(),
        "receptions": ReceptionDay.objects.filter(station=station, date__year=year, date__lte=today).count(),
        "upcoming": ReceptionDay.objects.filter(station=station, date__gt=today).count(),
    }
