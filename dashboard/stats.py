"""The five sets of figures the stats API serves and the dashboard draws.

Each function takes a `StatsFilter` and returns plain JSON data, computed by aggregate queries (a
fixed number per call, whatever the number of rows) and cached by `cache.cached`. Every count here
is a figure of a `Kind`, so `Kind.records` lists exactly the rows behind it.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models.functions import TruncMonth
from django.utils import timezone

from deputies.choices import ActivityKind, DeputyCategory
from liaison_stations.choices import Channel, IssueStatus, Tier
from suggestions.choices import SuggestionStatus

from . import kinds as k
from .cache import cached
from .filters import StatsFilter


def rate(numerator: int, denominator: int) -> dict[str, Any]:
    """A rate as the API gives it: both counts and their quotient (None when nothing to divide by)."""
    return {
        "numerator": numerator,
        "denominator": denominator,
        "value": round(numerator / denominator, 4) if denominator else None,
    }


def percent(figures: dict[str, Any] | None) -> str:
    """A rate as people read it: "72.7%", or "—" when there is nothing to divide by."""
    if not figures or figures.get("value") is None:
        return "—"
    return f"{figures['value'] * 100:.1f}%"


def _month_key(value: Any) -> str:
    if value is None:
        return ""
    if hasattr(value, "tzinfo") and value.tzinfo is not None:
        value = timezone.localtime(value)
    return value.strftime("%Y-%m")


def _ignored(f: StatsFilter, *used: k.Kind) -> list[str]:
    """Filters none of the kinds a payload counts understands."""
    return sorted(name for name in f.given() if not any(kind.understands(name) for kind in used))


def _envelope(f: StatsFilter, *used: k.Kind) -> dict[str, Any]:
    return {"filters": f.given(), "ignored_filters": _ignored(f, *used), "as_of": f.today.isoformat()}


def _by_month(kind: k.Kind, f: StatsFilter, field: str, keys: list[str]) -> list[dict[str, Any]]:
    rows = kind.breakdown(f, TruncMonth(field), keys)
    return [{"month": _month_key(row["value"]), **{key: row[key] for key in keys}} for row in rows if row["value"]]


# --- suggestions -----------------------------------------------------------------------------------


def suggestion_stats(f: StatsFilter) -> dict[str, Any]:
    return cached("suggestions", f, _suggestion_stats)


def _suggestion_stats(f: StatsFilter) -> dict[str, Any]:
    s = k.SUGGESTIONS.counts(f)
    a = k.ASSIGNMENTS.counts(f)
    cases = k.SUPERVISION.counts(f)
    labels = dict(SuggestionStatus.choices)
    by_status = [
        {"status": row["value"], "label": str(labels.get(row["value"], row["value"])), "count": row["received"]}
        for row in k.SUGGESTIONS.breakdown(f, "status", ["received"])
    ]
    by_category = [
        {"category": row["value"], "name": row["category__name"], "count": row["received"]}
        for row in k.SUGGESTIONS.breakdown(f, "category_id", ["received"], extra=["category__name"])
    ]
    by_unit = [
        {
            "unit": row["value"],
            "name": row["unit__name"],
            "assigned": row["assigned"],
            "replied": row["replied"],
            "overdue": row["overdue"],
        }
        for row in k.ASSIGNMENTS.breakdown(f, "unit_id", ["assigned", "replied", "overdue"], extra=["unit__name"])
    ]
    by_unit.sort(key=lambda row: (-row["assigned"], row["name"]))
    by_topic = [
        {"key_topic": row["value"], "title": row["key_topic__title"], "count": row["key"], "closed": row["key_closed"]}
        for row in k.SUGGESTIONS.breakdown(f, "key_topic_id", ["key", "key_closed"], extra=["key_topic__title"])
        if row["key"]
    ]
    return {
        **_envelope(f, k.SUGGESTIONS, k.ASSIGNMENTS, k.SUPERVISION),
        "total": s["received"],
        "counts": {key: s[key] for key in k.SUGGESTIONS.figures if key != "received"},
        "by_status": by_status,
        "by_category": sorted(by_category, key=lambda row: (-row["count"], row["name"])),
        "by_unit": by_unit,
        "by_month": _by_month(k.SUGGESTIONS, f, "submitted_at", ["received"]),
        "assignments": {key: a[key] for key in ("assigned", "replied", "due", "evaluated", "extended")},
        "on_time_rate": rate(a["on_time"], a["due"]),
        "satisfaction_rate": rate(a["satisfied"], a["evaluated"]),
        "solved_rate": rate(a["solved"], a["replied"]),
        "solved_or_planned_rate": rate(a["solved_or_planned"], a["replied"]),
        "no_feedback": s["no_feedback"],
        "overdue_now": a["overdue"],
        "supervision": {"open": cases["open"], "closed": cases["closed"], "total": cases["cases"]},
        "key_suggestions": {
            "total": s["key"],
            "closed": s["key_closed"],
            "progress": rate(s["key_closed"], s["key"]),
            "by_topic": by_topic,
        },
    }


# --- the units' league -----------------------------------------------------------------------------

LEAGUE_KEYS = ["assigned", "replied", "due", "on_time", "evaluated", "satisfied", "solved", "overdue"]


def unit_stats(f: StatsFilter) -> dict[str, Any]:
    return cached("units", f, _unit_stats)


def _unit_stats(f: StatsFilter) -> dict[str, Any]:
    rows: dict[int, dict[str, Any]] = {}

    def row_for(unit_id: int, name: str) -> dict[str, Any]:
        return rows.setdefault(
            unit_id, {"unit": unit_id, "name": name, **dict.fromkeys([*LEAGUE_KEYS, "co_handled", "adjustments"], 0)}
        )

    for row in k.ASSIGNMENTS.breakdown(f, "unit_id", LEAGUE_KEYS, extra=["unit__name"]):
        row_for(row["value"], row["unit__name"]).update({key: row[key] for key in LEAGUE_KEYS})
    for row in k.CO_ASSIGNMENTS.breakdown(f, "unit_id", ["assigned"], extra=["unit__name"]):
        row_for(row["value"], row["unit__name"])["co_handled"] = row["assigned"]
    for row in k.ADJUSTMENTS.breakdown(f, "assignment__unit_id", ["requested"], extra=["assignment__unit__name"]):
        row_for(row["value"], row["assignment__unit__name"])["adjustments"] = row["requested"]
    league = []
    for row in rows.values():
        row["on_time_rate"] = rate(row["on_time"], row["due"])
        row["satisfaction_rate"] = rate(row["satisfied"], row["evaluated"])
        row["solved_rate"] = rate(row["solved"], row["replied"])
        league.append(row)
    # Best first: on time, then satisfied, then fewest overdue; units with nothing due last.
    league.sort(
        key=lambda row: (
            row["on_time_rate"]["value"] is None,
            -(row["on_time_rate"]["value"] or 0),
            -(row["satisfaction_rate"]["value"] or 0),
            row["overdue"],
            row["name"],
        )
    )
    for position, row in enumerate(league, start=1):
        row["rank"] = position
    lagging = sorted((row for row in league if row["overdue"]), key=lambda row: (-row["overdue"], row["name"]))
    return {
        **_envelope(f, k.ASSIGNMENTS, k.CO_ASSIGNMENTS, k.ADJUSTMENTS),
        "units": league,
        "lagging": [row["unit"] for row in lagging],
    }


# --- deputies --------------------------------------------------------------------------------------


def deputy_stats(f: StatsFilter) -> dict[str, Any]:
    return cached("deputies", f, _deputy_stats)


def _deputy_stats(f: StatsFilter) -> dict[str, Any]:
    d = k.DEPUTIES.counts(f)
    trainings = k.TRAININGS.counts(f, sums=["hours"])
    sittings = k.SITTINGS.counts(f)
    activities = k.ACTIVITIES.counts(f)
    kind_labels = dict(ActivityKind.choices)
    by_kind = [
        {"kind": row["value"], "label": str(kind_labels.get(row["value"], row["value"])), "count": row["held"]}
        for row in k.ACTIVITIES.breakdown(f, "kind", ["held"])
    ]
    category_labels = dict(DeputyCategory.choices)
    by_category = [
        {
            "category": row["value"],
            "label": str(category_labels.get(row["value"], row["value"])),
            "in_office": row["in_office"],
            "trained": row["trained"],
            "sat_in": row["sat_in"],
        }
        for row in k.DEPUTIES.breakdown(f, "category", ["in_office", "trained", "sat_in"])
    ]
    bands = {row["value"]: row["deputies"] for row in k.POINTS.breakdown(f, k._band_case(), ["deputies"])}
    points = [
        {"bucket": index, "label": k.band_label(index), "deputies": bands.get(index, 0)}
        for index in range(len(k.POINT_BANDS))
    ]
    return {
        **_envelope(f, k.DEPUTIES, k.TRAININGS, k.SITTINGS, k.ACTIVITIES, k.POINTS),
        "in_office": d["in_office"],
        "trained": d["trained"],
        "trained_rate": rate(d["trained"], d["in_office"]),
        "training_person_times": trainings["attended"],
        "training_hours": str(Decimal(trainings["hours"] or 0).quantize(Decimal("0.1"))),
        "sat_in": d["sat_in"],
        "sitting_coverage": rate(d["sat_in"], d["in_office"]),
        "sitting_person_times": sittings["attended"],
        "group_members": d["group_members"],
        "active": d["active"],
        "activities": activities["held"],
        "activities_by_kind": by_kind,
        "by_category": by_category,
        "points_year": f.year or f.today.year,
        "points_distribution": points,
    }


# --- the citizens' loop ----------------------------------------------------------------------------

ISSUE_KEYS = ["collected", "solved", "in_progress", "not_accepted", "converted"]


def issue_stats(f: StatsFilter) -> dict[str, Any]:
    return cached("public-issues", f, _issue_stats)


def _issue_stats(f: StatsFilter) -> dict[str, Any]:
    i = k.ISSUES.counts(f, sums=["people_helped", "money_involved"])
    channels = dict(Channel.choices)
    statuses = dict(IssueStatus.choices)
    tiers = dict(Tier.choices)
    by_channel = [
        {"channel": row["value"], "label": str(channels.get(row["value"], row["value"])), **_pick(row, ISSUE_KEYS)}
        for row in k.ISSUES.breakdown(f, "channel", ISSUE_KEYS)
    ]
    by_station = [
        {"station": row["value"], "name": row["station__name"] or "", **_pick(row, ISSUE_KEYS)}
        for row in k.ISSUES.breakdown(f, "station_id", ISSUE_KEYS, extra=["station__name"])
    ]
    by_block = [
        {
            "block": row["value"],
            "name": f"{row['block__station__name']} · {row['block__name']}",
            **_pick(row, ISSUE_KEYS),
        }
        for row in k.ISSUES.breakdown(f, "block_id", ISSUE_KEYS, extra=["block__name", "block__station__name"])
        if row["value"] is not None
    ]
    by_tier = [
        {"tier": row["value"], "label": str(tiers.get(row["value"], "")), **_pick(row, ISSUE_KEYS)}
        for row in k.ISSUES.breakdown(f, "tier", ISSUE_KEYS)
        if row["value"] is not None
    ]
    by_status = [
        {"status": row["value"], "label": str(statuses.get(row["value"], row["value"])), "count": row["collected"]}
        for row in k.ISSUES.breakdown(f, "status", ["collected"])
    ]
    return {
        **_envelope(f, k.ISSUES),
        **{key: i[key] for key in ISSUE_KEYS},
        "answered": i["answered"],
        "reopened": i["reopened"],
        "overdue_now": i["overdue"],
        "on_time_rate": rate(i["on_time"], i["answered"]),
        "satisfaction_rate": rate(i["satisfied"], i["rated"]),
        "solved_rate": rate(i["solved"], i["collected"] - i["not_accepted"]),
        "outcomes": {
            "issues": i["with_outcome"],
            "people_helped": i["people_helped"],
            # Two decimals whatever the database returns (SQLite drops trailing zeros).
            "money_involved": str(Decimal(i["money_involved"] or 0).quantize(Decimal("0.01"))),
        },
        "by_channel": by_channel,
        "by_station": sorted(by_station, key=lambda row: (-row["collected"], row["name"])),
        "by_block": sorted(by_block, key=lambda row: (-row["collected"], row["name"])),
        "by_tier": by_tier,
        "by_status": by_status,
        "by_month": _by_month(k.ISSUES, f, "created_at", ["collected", "solved"]),
    }


def _pick(row: dict[str, Any], keys: list[str]) -> dict[str, Any]:
    return {key: row[key] for key in keys}


# --- stations --------------------------------------------------------------------------------------


def station_stats(f: StatsFilter) -> dict[str, Any]:
    return cached("stations", f, _station_stats)


def _station_stats(f: StatsFilter) -> dict[str, Any]:
    receptions = k.RECEPTIONS.counts(f)
    duties = k.RECEPTION_DUTIES.counts(f)
    visits = k.VISITS.counts(f, sums=["visitors"])
    forums = k.FORUMS.counts(f, sums=["residents"])
    checklist = k.CHECKLIST.counts(f)
    per_station: dict[int, dict[str, Any]] = {}

    def row_for(station_id: int, name: str) -> dict[str, Any]:
        return per_station.setdefault(
            station_id,
            {
                "station": station_id,
                "name": name,
                "receptions_held": 0,
                "visits": 0,
                "forums": 0,
                "residents": 0,
                "checklist_met": 0,
                "checklist_items": 0,
            },
        )

    for row in k.RECEPTIONS.breakdown(f, "station_id", ["held"], extra=["station__name"]):
        row_for(row["value"], row["station__name"])["receptions_held"] = row["held"]
    for row in k.VISITS.breakdown(f, "station_id", ["visits"], extra=["station__name"]):
        row_for(row["value"], row["station__name"])["visits"] = row["visits"]
    for row in k.FORUMS.breakdown(f, "station_id", ["forums"], extra=["station__name"], sums=["residents"]):
        target = row_for(row["value"], row["station__name"])
        target.update(forums=row["forums"], residents=row["residents"])
    for row in k.CHECKLIST.breakdown(f, "station_id", ["items", "met"], extra=["station__name"]):
        target = row_for(row["value"], row["station__name"])
        target.update(checklist_met=row["met"], checklist_items=row["items"])
    stations = sorted(per_station.values(), key=lambda row: row["name"])
    for row in stations:
        row["checklist_completion"] = rate(row["checklist_met"], row["checklist_items"])
    return {
        **_envelope(f, k.RECEPTIONS, k.RECEPTION_DUTIES, k.VISITS, k.FORUMS, k.CHECKLIST),
        "receptions_scheduled": receptions["scheduled"],
        "receptions_held": receptions["held"],
        "deputy_receptions": duties["person_times"],
        "visits": visits["visits"],
        "visitors": visits["visitors"],
        "forums": forums["forums"],
        "forum_residents": forums["residents"],
        "checklist": {
            "items": checklist["items"],
            "met": checklist["met"],
            "partly": checklist["partly"],
            "not_met": checklist["not_met"],
            "completion": rate(checklist["met"], checklist["items"]),
            "year": f.year or f.today.year,
        },
        "stations": stations,
    }


STATS = {
    "suggestions": suggestion_stats,
    "units": unit_stats,
    "deputies": deputy_stats,
    "public-issues": issue_stats,
    "stations": station_stats,
}
