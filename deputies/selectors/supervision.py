"""Reads of deputies' part in supervision: supervision activities by kind, evaluation projects with
their groups and scoring progress, a deputy's groups and scores, and results per unit, ranked."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Avg, Count, Max, Min, Prefetch, Q, QuerySet

from congress.models import HandlingUnit
from congress.scoping import get_scope

from ..choices import SUPERVISION_KINDS, InvitationStatus
from ..models import Activity, Deputy, EvaluationGroup, EvaluationProject, EvaluationScore


def supervision_activities(*, user: Any, kind: str | None = None, query: str = "") -> QuerySet[Activity]:
    """Inspections, budget reviews, law-enforcement checks... with invitation and attendance counts."""
    activities = Activity.objects.visible_to(user).filter(kind__in=SUPERVISION_KINDS).select_related("organiser")
    if kind:
        activities = activities.filter(kind=kind)
    if query:
        activities = activities.filter(title__icontains=query)
    return activities.annotate(
        invited_count=Count("invitations", distinct=True),
        attended_count=Count("invitations", filter=Q(invitations__status=InvitationStatus.ATTENDED), distinct=True),
    ).order_by("-starts_at", "-pk")


def project_list(*, user: Any, year: int | None = None) -> QuerySet[EvaluationProject]:
    projects = EvaluationProject.objects.visible_to(user).select_related("committee")
    if year:
        projects = projects.filter(year=year)
    return projects.annotate(
        group_count=Count("groups", distinct=True), score_count=Count("groups__scores", distinct=True)
    ).order_by("-year", "kind", "pk")


@dataclass
class GroupProgress:
    group: EvaluationGroup
    members: list[Deputy]
    units: list[HandlingUnit]
    scored: int
    scored_by_member: dict[int, int] = field(default_factory=dict)

    @property
    def expected(self) -> int:
        return len(self.members) * len(self.units)

    @property
    def complete(self) -> bool:
        return self.expected > 0 and self.scored >= self.expected

    @property
    def member_rows(self) -> list[tuple[Deputy, int]]:
        return [(member, self.scored_by_member.get(member.pk, 0)) for member in self.members]


def project_groups(*, project: EvaluationProject) -> list[GroupProgress]:
    """The project's groups with members, units and how many of the expected scores are in. Four
    queries whatever the number of groups: groups, members, units, score counts."""
    groups = list(
        EvaluationGroup.objects.filter(project=project)
        .prefetch_related(
            Prefetch("members", queryset=Deputy.objects.order_by("name", "pk")),
            Prefetch("units", queryset=HandlingUnit.objects.order_by("name", "pk")),
        )
        .order_by("name", "pk")
    )
    counts: dict[int, dict[int, int]] = defaultdict(dict)
    rows = (
        EvaluationScore.objects.filter(group__project=project)
        .values("group_id", "deputy_id")
        .annotate(count=Count("pk"))
        .order_by()
    )
    for row in rows:
        counts[row["group_id"]][row["deputy_id"]] = row["count"]
    progress = []
    for group in groups:
        members = list(group.members.all())
        units = list(group.units.all())
        member_ids = {member.pk for member in members}
        by_member = {pk: count for pk, count in counts[group.pk].items() if pk in member_ids}
        progress.append(
            GroupProgress(
                group=group,
                members=members,
                units=units,
                scored=sum(min(count, len(units)) for count in by_member.values()),
                scored_by_member=by_member,
            )
        )
    return progress


@dataclass
class UnitResult:
    rank: int
    unit_id: int
    unit_name: str
    average: Decimal
    count: int
    minimum: int
    maximum: int
    comments: list[tuple[str, int, str]] = field(default_factory=list)  # (deputy name, score, comment)


def _two_places(value: Any) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def project_results(*, project: EvaluationProject, with_comments: bool = True) -> list[UnitResult]:
    """Results per unit, best average first (equal averages share a rank): one aggregate query for
    the figures, one more for the comments."""
    scores = EvaluationScore.objects.filter(group__project=project)
    rows = (
        scores.values("unit_id", "unit__name")
        .annotate(average=Avg("score"), count=Count("pk"), minimum=Min("score"), maximum=Max("score"))
        .order_by("-average", "unit__name", "unit_id")
    )
    results: list[UnitResult] = []
    rank, previous = 0, None
    for position, row in enumerate(rows, start=1):
        average = _two_places(row["average"])
        if average != previous:
            rank, previous = position, average
        results.append(
            UnitResult(
                rank=rank,
                unit_id=row["unit_id"],
                unit_name=row["unit__name"],
                average=average,
                count=row["count"],
                minimum=row["minimum"],
                maximum=row["maximum"],
            )
        )
    if with_comments and results:
        by_unit = {result.unit_id: result for result in results}
        for unit_id, name, score, comment in (
            scores.exclude(comment="")
            .order_by("unit_id", "-score", "pk")
            .values_list("unit_id", "deputy__name", "score", "comment")
        ):
            by_unit[unit_id].comments.append((name, score, comment))
    return results


def groups_of_deputy(*, user: Any) -> list[dict[str, Any]]:
    """The deputy's evaluation groups, each with its units and the deputy's score for each (if any).
    Three queries whatever the number of groups."""
    deputy_id = get_scope(user).deputy_id
    if deputy_id is None:
        return []
    groups = list(
        EvaluationGroup.objects.visible_to(user)
        .filter(members=deputy_id)
        .select_related("project")
        .prefetch_related(Prefetch("units", queryset=HandlingUnit.objects.order_by("name", "pk")))
        .order_by("-project__year", "project_id", "name", "pk")
    )
    mine = {
        (score.group_id, score.unit_id): score
        for score in EvaluationScore.objects.filter(deputy_id=deputy_id, group__in=[g.pk for g in groups])
    }
    return [
        {
            "group": group,
            "project": group.project,
            "units": [(unit, mine.get((group.pk, unit.pk))) for unit in group.units.all()],
        }
        for group in groups
    ]


def scores_visible_to(*, user: Any) -> QuerySet[EvaluationScore]:
    return EvaluationScore.objects.visible_to(user).select_related("group", "unit", "deputy")
