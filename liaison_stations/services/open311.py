"""Open311 GeoReport v2 and the public issue API: the mapping between the spec's fields and the loop's,
and the input checks both share (whom a citizen writes to, where, the per-address intake limit).
Nothing here writes an issue: submissions go through `liaison_stations.services.issues.issue_submit`."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

from congress import ratelimit
from congress.choices import CongressLevel
from congress.models import Congress
from deputies.choices import DeputyStatus, MandateStatus
from deputies.models import Deputy, Mandate
from suggestions.choices import SuggestionStatus

from ..choices import IssueStatus
from ..models import PublicIssue, Station, StationDeputy
from . import public as guards

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
# At most this many requests in one answer of GET requests.json, and this many days by default (the spec's numbers).
MAX_REQUESTS = 1000
DEFAULT_DAYS = 90
DESCRIPTION_MAX = 2000  # as issue_submit takes

OPEN, CLOSED = "open", "closed"
# A converted issue stays open while its formal suggestion is still being handled.
SUGGESTION_FINISHED = (SuggestionStatus.CLOSED, SuggestionStatus.REJECTED, SuggestionStatus.WITHDRAWN)

# The most local congress first: a deputy of several levels is written to at the level nearest the citizen.
LEVEL_ORDER = [
    CongressLevel.TOWNSHIP,
    CongressLevel.COUNTY,
    CongressLevel.CITY,
    CongressLevel.PROVINCE,
    CongressLevel.NATIONAL,
]

# Coordinates are kept at the end of the issue's `location` text, e.g. "桃花仑路 18 号 (28.553800,112.355700)".
COORDINATES = re.compile(r"\((-?\d{1,2}(?:\.\d+)?),(-?\d{1,3}(?:\.\d+)?)\)$")


# --- status ----------------------------------------------------------------------------------------


def closed_filter() -> Q:
    """The issues Open311 calls closed: closed, not accepted, or converted to a suggestion that is finished."""
    return Q(status__in=[IssueStatus.CLOSED, IssueStatus.NOT_ACCEPTED]) | Q(
        Q(suggestion__isnull=True) | Q(suggestion__status__in=SUGGESTION_FINISHED), status=IssueStatus.CONVERTED
    )


def open311_status(issue: PublicIssue) -> str:
    if issue.status in (IssueStatus.CLOSED, IssueStatus.NOT_ACCEPTED):
        return CLOSED
    if issue.status == IssueStatus.CONVERTED:
        suggestion = issue.suggestion
        return CLOSED if suggestion is None or suggestion.status in SUGGESTION_FINISHED else OPEN
    return OPEN


def latest_answer(issue: PublicIssue) -> Any:
    """The newest answer (from the prefetched answers, oldest first)."""
    answers = list(issue.answers.all())
    return answers[-1] if answers else None


def status_notes(issue: PublicIssue) -> str:
    """What the citizen is told: the reason it was not accepted, the suggestion it became, or the latest answer."""
    if issue.status == IssueStatus.NOT_ACCEPTED:
        return issue.rejection_reason
    if issue.status == IssueStatus.CONVERTED and issue.suggestion is not None:
        suggestion = issue.suggestion
        return _("Turned into formal suggestion no. %(number)s: %(status)s") % {
            "number": suggestion.number or "-",
            "status": suggestion.get_status_display(),
        }
    answer = latest_answer(issue)
    return answer.body if answer is not None else ""


def service_notice(issue: PublicIssue) -> str:
    """One line on where the issue stands: the loop's status and, while handled, its tier."""
    notice = str(issue.get_status_display())
    if issue.tier and issue.status in (IssueStatus.HANDLING, IssueStatus.ANSWERED):
        notice = f"{notice} · {issue.get_tier_display()}"
    return notice


def agency_responsible(issue: PublicIssue) -> str:
    """Who handles it: the handling unit at tier 3, else the station, else the congress."""
    if issue.handling_unit is not None:
        return issue.handling_unit.name
    if issue.station is not None:
        return issue.station.name
    return issue.congress.name


# --- dates and places ------------------------------------------------------------------------------


def w3c(value: datetime.datetime | None) -> str | None:
    return timezone.localtime(value).isoformat(timespec="seconds") if value else None


def w3c_end_of_day(day: datetime.date | None) -> str | None:
    if day is None:
        return None
    moment = datetime.datetime.combine(day, datetime.time(23, 59, 59))
    return timezone.make_aware(moment).isoformat(timespec="seconds")


def parse_w3c(value: str, *, field: str) -> datetime.datetime:
    """A W3C date or datetime (2026-01-05, 2026-01-05T10:00:00+08:00); naive ones are local time."""
    text = value.strip()
    # An unencoded "+" in a query string arrives as a space: "…T10:00:00 08:00".
    text = re.sub(r" (\d{2}:?\d{2})$", r"+\1", text)
    try:
        moment = parse_datetime(text)
        if moment is None:
            day = parse_date(text)
            moment = datetime.datetime.combine(day, datetime.time.min) if day else None
    except ValueError:
        moment = None
    if moment is None:
        raise ValidationError(
            {field: _("%(field)s is not a W3C date or datetime, e.g. 2026-01-05T10:00:00+08:00.") % {"field": field}}
        )
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


def parse_coordinates(lat: str, long: str) -> tuple[float, float] | None:
    """Both or neither; within the globe."""
    lat, long = (lat or "").strip(), (long or "").strip()
    if not lat and not long:
        return None
    try:
        latitude, longitude = float(lat), float(long)
    except ValueError:
        raise ValidationError({"lat": _("Give lat and long together, as decimal degrees.")}) from None
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        raise ValidationError({"lat": _("lat must lie within -90 and 90, long within -180 and 180.")})
    return latitude, longitude


def location_text(*, address: str, coordinates: tuple[float, float] | None) -> str:
    """The issue's `location`: the address, then the coordinates in brackets (200 characters at most)."""
    address = " ".join(address.split())
    if coordinates is None:
        return address[:200]
    point = f"({coordinates[0]:.6f},{coordinates[1]:.6f})"
    return f"{address[: 200 - len(point) - 1]} {point}".strip()


def location_parts(location: str) -> tuple[str, float | None, float | None]:
    """(address, lat, long) read back from `location`."""
    match = COORDINATES.search(location or "")
    if match is None:
        return location or "", None, None
    return location[: match.start()].strip(), float(match.group(1)), float(match.group(2))


# --- whom the citizen writes to ----------------------------------------------------------------------


def congress_for_jurisdiction(jurisdiction_id: str) -> Congress:
    """The active congress of the 6-digit area code; without one, the only active congress."""
    active = Congress.objects.filter(is_active=True)
    jurisdiction_id = (jurisdiction_id or "").strip()
    if jurisdiction_id:
        found = list(active.filter(area_code=jurisdiction_id)[:2])
        if len(found) != 1:
            raise ValidationError(
                {
                    "jurisdiction_id": _("No single congress has the area code %(code)s.")
                    % {"code": jurisdiction_id[:12]}
                }
            )
        return found[0]
    found = list(active[:2])
    if len(found) != 1:
        raise ValidationError(
            {"jurisdiction_id": _("Give jurisdiction_id, the 6-digit area code of the congress (see discovery.json).")}
        )
    return found[0]


@dataclass(frozen=True)
class IntakeTarget:
    """Where a citizen's issue goes: the congress, and the deputy and/or station written to."""

    congress: Congress
    deputy: Deputy | None
    station: Station | None


def _serving_congresses(deputy: Deputy) -> list[Congress]:
    mandates = Mandate.objects.filter(deputy=deputy, status=MandateStatus.SERVING, congress__is_active=True)
    return [mandate.congress for mandate in mandates.select_related("congress")]


def _congress_of_deputy(deputy: Deputy) -> Congress | None:
    """Of the congresses the deputy serves in, the one where they work at a station; else the most local."""
    congresses = sorted(
        _serving_congresses(deputy), key=lambda congress: (LEVEL_ORDER.index(congress.level), congress.pk)
    )
    posted = set(
        StationDeputy.objects.filter(
            deputy=deputy, station__is_active=True, congress__in=[congress.pk for congress in congresses]
        ).values_list("congress_id", flat=True)
    )
    for congress in congresses:
        if congress.pk in posted:
            return congress
    return congresses[0] if congresses else None


def intake_target(
    *, deputy_code: str = "", station_id: int | None = None, congress: Congress | None = None
) -> IntakeTarget:
    """Check whom a citizen writes to: a deputy's public code and/or a station (of `congress` when given).

    Raises ValidationError keyed `deputy_code` or `station`."""
    deputy_code = (deputy_code or "").strip()
    if not deputy_code and station_id is None:
        raise ValidationError({"deputy_code": _("Give the code of a deputy or the number of a station.")})
    station = None
    if station_id is not None:
        stations = Station.objects.filter(pk=station_id, is_active=True, congress__is_active=True)
        if congress is not None:
            stations = stations.filter(congress=congress)
        station = stations.select_related("congress").first()
        if station is None:
            raise ValidationError({"station": _("There is no such liaison station.")})
        congress = station.congress
    deputy = None
    if deputy_code:
        deputy = Deputy.objects.filter(public_code=deputy_code, status=DeputyStatus.ACTIVE).first()
        if deputy is None:
            raise ValidationError({"deputy_code": _("There is no deputy with this code.")})
        if congress is None:
            congress = _congress_of_deputy(deputy)
        elif congress.pk not in {serving.pk for serving in _serving_congresses(deputy)}:
            congress = None
        if congress is None:
            raise ValidationError({"deputy_code": _("This deputy does not take issues here.")})
    if congress is None:  # not reached: a station or a deputy gave it
        raise ValidationError({"deputy_code": _("Give the code of a deputy or the number of a station.")})
    return IntakeTarget(congress=congress, deputy=deputy, station=station)


def check_contact(*, name: str, phone: str, consent: bool) -> None:
    """A name or phone is kept only with the citizen's consent to being contacted (issue_submit checks the phone)."""
    if (name or phone) and not consent:
        raise ValidationError({"consent": _("Agree to being contacted, or leave out your name and phone.")})


# --- the per-address intake limit ------------------------------------------------------------------


def intake_limit(congress: Congress) -> int:
    """Public submissions an hour from one address (IssueRules.intake_per_hour; 10 by default)."""
    return guards.intake_limit(congress=congress)


def intake_allowed(*, ip: str | None, limit: int) -> bool:
    """Count one submission from the address; False once it is over the limit. The counter is the phone
    page's (/q/<code>), so the page, the public API and Open311 share one limit an address."""
    return guards.throttle_hit(bucket=guards.INTAKE_BUCKET, ip=ip) <= limit


def retry_after() -> int:
    """Seconds a refused address should wait at most (the window is an hour from its first submission)."""
    return guards.WINDOW_SECONDS


def client_ip(meta: dict[str, Any]) -> str | None:
    """The address the per-address limits count (`congress.ratelimit.client_ip`: REMOTE_ADDR, or the
    entry our own proxies added to X-Forwarded-For when `TRUSTED_PROXY_COUNT` is set)."""
    return ratelimit.client_ip(meta)


# --- the spec's shapes --------------------------------------------------------------------------------


def request_fields(issue: PublicIssue, *, request_id: str, absolute: Any) -> dict[str, Any]:
    """One service request as GET requests.json answers it: public fields only, never the citizen's contacts.

    `absolute(path)` makes a URL absolute (request.build_absolute_uri)."""
    address, latitude, longitude = location_parts(issue.location)
    photos = list(issue.photos.all())
    category = issue.category
    return {
        "service_request_id": request_id,
        "status": open311_status(issue),
        "status_notes": status_notes(issue),
        "service_name": category.name if category else "",
        "service_code": category.code if category else "",
        "description": issue.content,
        "agency_responsible": agency_responsible(issue),
        "service_notice": service_notice(issue),
        "requested_datetime": w3c(issue.created_at),
        "updated_datetime": w3c(issue.updated_at),
        "expected_datetime": w3c_end_of_day(issue.due_on),
        "address": address,
        "address_id": "",
        "zipcode": "",
        "lat": latitude,
        "long": longitude,
        "media_url": absolute(photos[0].image.url) if photos else None,
    }
