"""The duty record (履职档案) and its points (履职积分): the service other apps call to record a
deputy's act, declarations verified by staff, yearly totals with caps and base, and snapshots with
ranks. Apps above `deputies` record acts through `duty_record_act`, so the record builds itself
without this module knowing them."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Count, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from congress.models import Congress
from congress.roles import Role
from congress.scoping import get_scope

from .choices import ActivityStatus, MandateStatus
from .models import ActivityRecord, ActivityType, Deputy, DutyRules, DutySnapshot, Mandate

# code, name, points, yearly cap (None: no cap), deputies may declare it
DEFAULT_ACTIVITY_TYPES = [
    ("session_attendance", "出席人民代表大会会议", "5", None, False),
    ("session_speech", "在大会或代表团会议上发言", "2", "10", True),
    ("sc_meeting", "列席常委会会议", "5", None, False),
    ("training", "参加代表培训", "2", "10", False),
    ("study", "学习园区学习", "1", "5", False),
    ("group_activity", "参加专业小组活动", "2", "10", False),
    ("inspection", "参加视察、调研、执法检查", "3", "15", True),
    ("suggestion_lead", "领衔提出代表建议", "3", "15", False),
    ("suggestion_cosign", "联名提出代表建议", "1", "5", False),
    ("station_reception", "进站接待群众", "2", "20", False),
    ("forum", "参加民情恳谈会", "2", "10", False),
    ("citizen_issue", "办理群众意见建议", "1", "10", False),
    ("report_to_voters", "向原选区选民述职", "5", None, True),
    ("other", "其他履职活动", "1", "5", True),
    ("legislation", "参与立法（立法建议、立法调研、草案意见）", "2", "10", False),
    ("group_output", "专业小组成果（调研报告、小组建议、意见）", "3", "15", False),
    ("sc_opinion", "列席常委会会议提出意见", "1", "5", False),
    ("evaluation", "参加专项评议", "3", "9", False),
    ("campaign_opinion", "参与中心工作提出意见", "1", "5", False),
]


def activity_types_ensure(*, congress: Congress) -> dict[str, ActivityType]:
    """The default activity types of a congress (kept as staff edited them if they exist)."""
    types = {}
    for order, (code, name, points, cap, declarable) in enumerate(DEFAULT_ACTIVITY_TYPES, start=1):
        types[code], _created = ActivityType.objects.get_or_create(
            congress=congress,
            code=code,
            defaults={
                "name": name,
                "points": Decimal(points),
                "yearly_cap": Decimal(cap) if cap else None,
                "declarable": declarable,
                "sort_order": order,
            },
        )
    return types


@transaction.atomic
def duty_record_act(
    *, deputy_id: int, congress_id: int, code: str, on: datetime.date, source_key: str, description: str = ""
) -> ActivityRecord:
    """Record an act seen by a service. Idempotent: the same (deputy, type, source) is recorded
    once, so a retried task or a repeated call adds nothing."""
    activity_type = ActivityType.objects.filter(congress_id=congress_id, code=code).first()
    if activity_type is None:
        activity_type = activity_types_ensure(congress=Congress.objects.get(pk=congress_id))[code]
    record, _created = ActivityRecord.objects.get_or_create(
        deputy_id=deputy_id,
        activity_type=activity_type,
        source_key=source_key,
        defaults={
            "congress_id": congress_id,
            "date": on,
            "description": description[:300],
            "points": activity_type.points,
        },
    )
    return record


@transaction.atomic
def duty_declare(*, actor: Any, congress: Congress, code: str, on: datetime.date, description: str) -> ActivityRecord:
    """A deputy declares an act the system did not see (e.g. reporting to voters); staff verify it."""
    scope = get_scope(actor)
    if scope.deputy_id is None or congress.pk not in scope.congress_ids:
        raise PermissionError(_("Only a deputy of this congress can declare activities."))
    activity_type = ActivityType.objects.filter(congress=congress, code=code, declarable=True).first()
    if activity_type is None:
        raise ValueError(_("This kind of activity cannot be declared."))
    if not description.strip():
        raise ValueError(_("Describe the activity."))
    return ActivityRecord.objects.create(
        congress=congress,
        deputy_id=scope.deputy_id,
        activity_type=activity_type,
        date=on,
        description=description[:300],
        points=activity_type.points,
        status=ActivityStatus.DECLARED,
    )


@transaction.atomic
def duty_verify(*, record: ActivityRecord, actor: Any, approve: bool) -> ActivityRecord:
    scope = get_scope(actor)
    if not (scope.is_global or (Role.OFFICE in scope.roles and record.congress_id in scope.congress_ids)):
        raise PermissionError(_("Only deputy-affairs office staff can verify activities."))
    record = ActivityRecord.objects.select_for_update().get(pk=record.pk)
    if record.status != ActivityStatus.DECLARED:
        raise ValueError(_("Only a declared activity waits for verification."))
    record.status = ActivityStatus.VERIFIED if approve else ActivityStatus.REJECTED
    record.verified_by = actor
    record.verified_at = timezone.now()
    record.save(update_fields=["status", "verified_by", "verified_at", "updated_at"])
    return record


@dataclass
class DutyTotals:
    """A deputy's points for a period: the base plus each type's points up to its yearly cap."""

    base: Decimal
    by_type: dict[str, Decimal] = field(default_factory=dict)  # code -> capped points
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> Decimal:
        return self.base + sum(self.by_type.values(), Decimal(0))


def _period_end(year: int, quarter: int) -> datetime.date:
    if quarter == 0:
        return datetime.date(year, 12, 31)
    month = quarter * 3
    next_month = datetime.date(year + (month == 12), month % 12 + 1, 1)
    return next_month - datetime.timedelta(days=1)


def duty_totals(
    *, congress_id: int, year: int, quarter: int = 0, deputy_ids: list[int] | None = None
) -> dict[int, DutyTotals]:
    """Points per deputy for the year (quarter 0) or the year to the end of a quarter. One
    aggregate query over the records, whatever the number of deputies."""
    rules, _created = DutyRules.objects.get_or_create(congress_id=congress_id)
    caps = dict(ActivityType.objects.filter(congress_id=congress_id).values_list("code", "yearly_cap"))
    records = ActivityRecord.objects.counting().filter(
        congress_id=congress_id, date__gte=datetime.date(year, 1, 1), date__lte=_period_end(year, quarter)
    )
    if deputy_ids is not None:
        records = records.filter(deputy_id__in=deputy_ids)
    rows = records.values("deputy_id", "activity_type__code").annotate(points=Sum("points"), count=Count("pk"))
    totals: dict[int, DutyTotals] = defaultdict(lambda: DutyTotals(base=rules.yearly_base))
    for row in rows:
        code, cap = row["activity_type__code"], caps.get(row["activity_type__code"])
        points = row["points"] if cap is None else min(row["points"], cap)
        entry = totals[row["deputy_id"]]
        entry.by_type[code] = points
        entry.counts[code] = row["count"]
    for deputy_id in deputy_ids or []:  # deputies with no records still have their base
        if deputy_id not in totals:
            totals[deputy_id] = DutyTotals(base=rules.yearly_base)
    return dict(totals)


@transaction.atomic
def duty_snapshot(*, congress_id: int, year: int, quarter: int = 0) -> int:
    """Keep every serving deputy's points and rank (1 = most points; equal points share a rank)."""
    deputy_ids = list(
        Mandate.objects.filter(congress_id=congress_id, status=MandateStatus.SERVING).values_list(
            "deputy_id", flat=True
        )
    )
    totals = duty_totals(congress_id=congress_id, year=year, quarter=quarter, deputy_ids=deputy_ids)
    ordered = sorted(totals.items(), key=lambda item: item[1].total, reverse=True)
    rank, previous = 0, None
    for position, (deputy_id, entry) in enumerate(ordered, start=1):
        if entry.total != previous:
            rank, previous = position, entry.total
        DutySnapshot.objects.update_or_create(
            congress_id=congress_id,
            deputy_id=deputy_id,
            year=year,
            quarter=quarter,
            defaults={"points": entry.total, "rank": rank},
        )
    return len(ordered)


def duty_record_for(*, deputy: Deputy, congress_id: int, year: int) -> dict[str, Any]:
    """A deputy's yearly record: the acts, the points per type and the total, and the last rank."""
    records = (
        ActivityRecord.objects.filter(deputy=deputy, congress_id=congress_id, date__year=year)
        .select_related("activity_type")
        .order_by("-date", "-pk")
    )
    totals = duty_totals(congress_id=congress_id, year=year, deputy_ids=[deputy.pk])[deputy.pk]
    snapshot = (
        DutySnapshot.objects.filter(deputy=deputy, congress_id=congress_id, year=year).order_by("-quarter").first()
    )
    names = dict(ActivityType.objects.filter(congress_id=congress_id).values_list("code", "name"))
    return {
        "year": year,
        "records": records,
        "base": totals.base,
        "by_type": [
            {"code": code, "name": names.get(code, code), "points": points, "count": totals.counts[code]}
            for code, points in sorted(totals.by_type.items())
        ],
        "total": totals.total,
        "rank": snapshot.rank if snapshot else None,
    }


def snapshot_periods(as_of: datetime.date) -> list[tuple[int, int]]:
    """The (year, quarter) periods the nightly run keeps fresh on a day: the year and the quarter to
    date, and in the first 15 days of a quarter also the quarter (and year) just ended, so acts
    recorded or verified late still reach them. Quarter 0 is the whole year."""
    quarter = (as_of.month - 1) // 3 + 1
    periods = [(as_of.year, quarter), (as_of.year, 0)]
    first_of_quarter = datetime.date(as_of.year, (quarter - 1) * 3 + 1, 1)
    if (as_of - first_of_quarter).days < 15:
        previous = first_of_quarter - datetime.timedelta(days=1)
        periods.append((previous.year, (previous.month - 1) // 3 + 1))
        if previous.year != as_of.year:
            periods.append((previous.year, 0))
    return periods


def duty_snapshot_run(*, as_of: datetime.date) -> dict[str, int]:
    """Snapshot every congress with serving deputies for the periods of `as_of` (beat runs it nightly;
    running it twice on a day writes the same rows). Returns {"congresses": n, "snapshots": rows}."""
    congress_ids = sorted(
        set(Mandate.objects.filter(status=MandateStatus.SERVING).values_list("congress_id", flat=True))
    )
    rows = 0
    for congress_id in congress_ids:
        for year, quarter in snapshot_periods(as_of):
            rows += duty_snapshot(congress_id=congress_id, year=year, quarter=quarter)
    return {"congresses": len(congress_ids), "snapshots": rows}


def duty_ranking(*, congress_id: int, year: int) -> list[dict[str, Any]]:
    """Every serving deputy's points for the year by type, ranked (the office's yearly table)."""
    deputies = list(
        Deputy.objects.filter(mandates__congress_id=congress_id, mandates__status=MandateStatus.SERVING)
        .distinct()
        .order_by("name", "pk")
    )
    totals = duty_totals(congress_id=congress_id, year=year, deputy_ids=[d.pk for d in deputies])
    rows = [{"deputy": deputy, "totals": totals[deputy.pk]} for deputy in deputies]
    rows.sort(key=lambda row: (-row["totals"].total, row["deputy"].name, row["deputy"].pk))
    rank, previous = 0, None
    for position, row in enumerate(rows, start=1):
        if row["totals"].total != previous:
            rank, previous = position, row["totals"].total
        row["rank"] = rank
    return rows
