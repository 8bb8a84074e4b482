"""Reads of the public pages and the deputy's portal: the deputy behind a QR code, what their placard
says, an issue by its tracking code, and the issues sent to or reported by a deputy."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.db.models import Exists, OuterRef, Prefetch, Q
from django.utils.translation import gettext as _

from congress.choices import CongressLevel
from congress.roles import Role
from congress.scoping import get_scope
from deputies.choices import DeputyStatus
from deputies.models import Deputy, Mandate

from ..models import Block, IssueAnswer, IssueEvent, PublicIssue, Station, StationDeputy

# The most local congress first: a citizen's issue goes to the district before the city.
LEVEL_RANK = {
    CongressLevel.TOWNSHIP: 0,
    CongressLevel.COUNTY: 1,
    CongressLevel.CITY: 2,
    CongressLevel.PROVINCE: 3,
    CongressLevel.NATIONAL: 4,
}


def _serving_seats() -> models.QuerySet[Mandate]:
    return Mandate.objects.serving().filter(deputy=OuterRef("pk"))


def printable_deputies() -> models.QuerySet[Deputy]:
    """Deputies whose QR code works: active, with at least one serving mandate."""
    return Deputy.objects.filter(status=DeputyStatus.ACTIVE).filter(Exists(_serving_seats()))


def _with_placard_facts(deputies: models.QuerySet[Deputy]) -> models.QuerySet[Deputy]:
    return deputies.prefetch_related(
        Prefetch(
            "mandates",
            queryset=Mandate.objects.serving().select_related("congress").order_by("pk"),
            to_attr="serving_mandates",
        ),
        Prefetch(
            "station_posts",
            queryset=StationDeputy.objects.filter(station__is_active=True).select_related("station"),
            to_attr="active_posts",
        ),
        Prefetch(
            "supervised_blocks",
            queryset=Block.objects.select_related("station").order_by("station_id", "number", "pk"),
            to_attr="blocks",
        ),
    )


def serving_congresses(deputy: Deputy) -> list[Any]:
    """The congresses of the deputy's serving mandates, the most local first (needs the prefetch of
    `deputy_for_code` or `placards_of`)."""
    congresses: dict[int, Any] = {}
    for mandate in deputy.serving_mandates:
        congresses.setdefault(mandate.congress_id, mandate.congress)
    return sorted(congresses.values(), key=lambda congress: (LEVEL_RANK.get(congress.level, 9), congress.pk))


def deputy_for_code(*, code: str) -> Deputy | None:
    """The deputy a QR code opens, or None when the code is unknown or the deputy does not serve now."""
    return _with_placard_facts(printable_deputies().filter(public_code=code)).first()


def intake_congress(deputy: Deputy) -> Any:
    """Where a QR submission goes: the deputy's most local serving congress (e.g. the district's)."""
    return serving_congresses(deputy)[0]


def intake_station(deputy: Deputy, congress: Any) -> Station | None:
    """The station the deputy serves at in that congress, if any (managers first, then liaisons)."""
    posts = [post for post in deputy.active_posts if post.station.congress_id == congress.pk]
    order = {"manager": 0, "liaison": 1}
    posts.sort(key=lambda post: (order.get(post.role, 2), post.station_id))
    return posts[0].station if posts else None


@dataclass
class Placard:
    """What a deputy's 码上找代表 placard shows."""

    deputy: Deputy
    levels: list[str] = field(default_factory=list)
    stations: list[Station] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)


def placard_of(deputy: Deputy) -> Placard:
    """The placard of a deputy read with the placard prefetch (`deputy_for_code`)."""
    stations: dict[int, Station] = {}
    for post in deputy.active_posts:
        stations.setdefault(post.station_id, post.station)
    return Placard(
        deputy=deputy,
        # Highest level first on the placard (市人大代表、区人大代表), as deputies are introduced.
        levels=[
            _("Deputy to %(congress)s") % {"congress": congress.display_name}
            for congress in reversed(serving_congresses(deputy))
        ],
        stations=list(stations.values()),
        blocks=list(deputy.blocks),
    )


def placard_for_user(*, user: Any, deputy_id: int) -> Placard | None:
    """A deputy's placard if the user may print it: the deputy themself, office staff of a congress
    where the deputy serves, station staff of a station the deputy works at; None otherwise."""
    scope = get_scope(user)
    deputies = printable_deputies().filter(pk=deputy_id)
    if not scope.is_global and scope.deputy_id != deputy_id:
        allowed = Q(pk__in=[])
        if Role.OFFICE in scope.roles:
            allowed |= Q(
                Exists(Mandate.objects.serving().filter(deputy=OuterRef("pk"), congress_id__in=scope.congress_ids))
            )
        if Role.STATION in scope.roles:
            allowed |= Q(Exists(StationDeputy.objects.filter(deputy=OuterRef("pk"), station_id__in=scope.station_ids)))
        deputies = deputies.filter(allowed)
    deputy = _with_placard_facts(deputies).first()
    return placard_of(deputy) if deputy else None


def station_placards(*, station: Station) -> tuple[list[Placard], list[Deputy]]:
    """Every station deputy's placard (managers, liaisons, then resident deputies), and the station
    deputies left out because their code does not work now (not active or no serving mandate)."""
    posts = list(StationDeputy.objects.filter(station=station).select_related("deputy"))
    printable = {
        deputy.pk: deputy
        for deputy in _with_placard_facts(printable_deputies().filter(pk__in=[post.deputy_id for post in posts]))
    }
    placards = [placard_of(printable[post.deputy_id]) for post in posts if post.deputy_id in printable]
    skipped = [post.deputy for post in posts if post.deputy_id not in printable]
    return placards, skipped


def issue_for_tracking(*, tracking_code: str) -> PublicIssue | None:
    """The issue of a tracking code with what the citizen may see: answers and public events."""
    return (
        PublicIssue.objects.filter(tracking_code=tracking_code)
        .select_related("congress", "deputy", "station", "suggestion", "handling_unit")
        .prefetch_related(
            Prefetch("answers", queryset=IssueAnswer.objects.order_by("created_at", "pk")),
            Prefetch(
                "events",
                queryset=IssueEvent.objects.filter(is_public=True).order_by("created_at", "pk"),
                to_attr="public_events",
            ),
        )
        .first()
    )


def portal_issues(*, user: Any, deputy_id: int, filters: dict[str, str]) -> models.QuerySet[PublicIssue]:
    """Issues written to the deputy or reported by them (hotline), newest first; filters `status`,
    `mine` (to_me / reported) and `q` (words of the content or the tracking code)."""
    issues = PublicIssue.objects.visible_to(user)
    if filters.get("mine") == "to_me":
        issues = issues.filter(deputy_id=deputy_id)
    elif filters.get("mine") == "reported":
        issues = issues.filter(reported_by_id=deputy_id)
    else:
        issues = issues.filter(Q(deputy_id=deputy_id) | Q(reported_by_id=deputy_id))
    if filters.get("status"):
        issues = issues.filter(status=filters["status"])
    if filters.get("q"):
        issues = issues.filter(Q(content__icontains=filters["q"]) | Q(tracking_code=filters["q"].upper()))
    return issues.select_related("station", "deputy", "reported_by", "handling_unit").order_by("-created_at", "pk")


def portal_issue(*, user: Any, deputy_id: int, pk: int) -> PublicIssue | None:
    """One of the deputy's issues with its answers, timeline and photos."""
    return (
        portal_issues(user=user, deputy_id=deputy_id, filters={})
        .select_related("suggestion", "supervision_case")
        .prefetch_related(
            Prefetch("answers", queryset=IssueAnswer.objects.order_by("created_at", "pk")),
            Prefetch("events", queryset=IssueEvent.objects.order_by("created_at", "pk")),
            "photos",
        )
        .filter(pk=pk)
        .first()
    )
