"""The dashboard's pages: the overview of the key figures and one page for each set of figures.

Every number links to the list of records behind it (`StatsFilter.records_url`, same filters), so
does every chart element, and every table downloads as Excel (`?export=<table name>` added to the
page's query string). The figures come from `dashboard.stats`; this module only lays them out.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from congress.excel import xlsx_response
from congress.scoping import get_scope
from liaison_stations.models import Station

from ..cache import cached
from ..filters import StatsFilter
from ..kinds import KINDS
from ..stats import deputy_stats, issue_stats, percent, station_stats, suggestion_stats, unit_stats
from .common import dashboard_view, filter_form, page_filter

# The overview shows the league's best units, then every lagging unit below them.
OVERVIEW_LEAGUE_SIZE = 10
OVERDUE_COLOR = "#dc3545"
SOLVED_COLOR = "#198754"

# --- tables and charts -----------------------------------------------------------------------------


def percent_number(rate: dict[str, Any] | None) -> float | None:
    if not rate or rate.get("value") is None:
        return None
    return round(rate["value"] * 100, 1)


@dataclass
class Cell:
    """One cell: what it shows, where it leads, and what the export writes (the number itself)."""

    text: Any = ""
    link: str = ""
    value: Any = None
    # A rate shows "n / d": `link` leads to the numerator's records, `denominator_link` to the denominator's.
    rate: dict[str, Any] | None = None
    denominator_link: str = ""
    testid: str = ""
    css: str = ""
    # A lagging unit's name carries a warning sign.
    marker: bool = False
    # A sum over records (hours, residents): its link lists the records summed, not as many records.
    sum: bool = False
    # A rate written as a percentage (the export's header says so).
    in_percent: bool = False

    @property
    def numeric(self) -> bool:
        return self.rate is not None or isinstance(self.value, int | float | Decimal)

    @property
    def percent(self) -> str:
        return percent(self.rate)

    def export_value(self) -> Any:
        if self.rate is not None:
            return percent_number(self.rate)
        if isinstance(self.value, Decimal):
            return float(self.value)
        if self.value is not None:
            return self.value
        return self.text if self.text != "" else None


def number(value: Any, link: str = "", **options: Any) -> Cell:
    return Cell(text=value, link=link, value=value, **options)


def rate_cell(rate: dict[str, Any], link: str, denominator_link: str = "") -> Cell:
    return Cell(text=percent(rate), link=link, rate=rate, denominator_link=denominator_link)


@dataclass
class Row:
    cells: list[Cell] = field(default_factory=list)
    lagging: bool = False
    # A heading row (a group of figures) spans the table and has no cells.
    group: str = ""


@dataclass
class Table:
    name: str
    title: str
    headers: list[str]
    rows: list[Row] = field(default_factory=list)
    export_url: str = ""
    empty_message: str = ""

    @property
    def rate_columns(self) -> set[int]:
        return {
            index
            for row in self.rows
            for index, cell in enumerate(row.cells)
            if cell.rate is not None or cell.in_percent
        }

    def export_headers(self) -> list[str]:
        rates = self.rate_columns
        return [f"{header} (%)" if index in rates else str(header) for index, header in enumerate(self.headers)]

    def export_rows(self) -> Iterable[list[Any]]:
        for row in self.rows:
            yield [row.group] if row.group else [cell.export_value() for cell in row.cells]


def chart(
    table: Table,
    kind: str,
    series: Iterable[int],
    *,
    horizontal: bool = False,
    colors: dict[int, str] | None = None,
    percent_axis: bool = False,
) -> dict[str, Any]:
    """A chart of the table's columns `series` over its first column; each point links where its
    cell does. `kind` is bar, line or pie (a pie takes one series)."""
    rows = [row for row in table.rows if not row.group]
    categories = [str(row.cells[0].text) for row in rows]
    data_series, links = [], []
    for index in series:
        values = [
            percent_number(row.cells[index].rate) if row.cells[index].rate is not None else row.cells[index].value
            for row in rows
        ]
        entry: dict[str, Any] = {"name": str(table.headers[index]), "data": values}
        if colors and index in colors:
            entry["color"] = colors[index]
        data_series.append(entry)
        links.append([row.cells[index].link for row in rows])
    empty = not any(value for entry in data_series for value in entry["data"])
    spec = {
        "type": kind,
        "title": table.title,
        "categories": categories,
        "labels": categories,
        "series": data_series,
        "links": links,
        "horizontal": horizontal,
        "percent": percent_axis,
    }
    return {
        "id": f"chart-{table.name}",
        "script_id": f"chart-data-{table.name}",
        "title": table.title,
        "data": spec,
        "empty": empty,
        "empty_message": table.empty_message,
        "table": table,
    }


class Summary:
    """A table of figures: label, number, out of (the denominator), rate — grouped by record kind."""

    def __init__(self, f: StatsFilter, name: str = "figures", title: str = "") -> None:
        self.f = f
        self.table = Table(name, title or _("Figures"), [_("Figure"), _("Count"), _("Out of"), _("Rate")])

    def group(self, label: Any) -> None:
        self.table.rows.append(Row(group=str(label)))

    def count(self, value: Any, kind: str, figure: str, label: Any = None, **dims: Any) -> None:
        self.table.rows.append(
            Row(
                [
                    Cell(str(label or KINDS[kind].figures[figure].label)),
                    number(value, self.f.records_url(kind, figure, **dims)),
                    Cell(),
                    Cell(),
                ]
            )
        )

    def amount(self, label: Any, value: Any, link: str) -> None:
        """A sum over records (hours, residents): the link lists the records summed."""
        self.table.rows.append(Row([Cell(str(label)), number(value, link, sum=True), Cell(), Cell()]))

    def rate(self, label: Any, rate: dict[str, Any], kind: str, numerator: str, denominator: str | None) -> None:
        """`denominator` None: the denominator is no single figure (it has no list of its own)."""
        url = self.f.records_url
        self.table.rows.append(
            Row(
                [
                    Cell(str(label)),
                    number(rate["numerator"], url(kind, numerator)),
                    number(rate["denominator"], url(kind, denominator) if denominator else ""),
                    Cell(percent(rate), value=percent_number(rate), in_percent=True),
                ]
            )
        )


# --- the units' league -----------------------------------------------------------------------------


def league_table(f: StatsFilter, units: list[dict[str, Any]], *, name: str = "league", title: str = "") -> Table:
    url = f.records_url
    table = Table(
        name,
        title or _("The units' league"),
        [
            _("Rank"),
            _("Unit"),
            _("Assigned"),
            _("Co-handled"),
            _("Replied"),
            _("On-time reply rate"),
            _("Satisfaction rate"),
            _("Solved rate"),
            _("Adjustments requested"),
            _("Overdue now"),
        ],
        empty_message=_("No suggestion was assigned to a unit under these filters."),
    )
    for row in units:
        unit = row["unit"]
        lagging = row["overdue"] > 0
        table.rows.append(
            Row(
                [
                    number(row["rank"]),
                    Cell(row["name"], css="fw-semibold text-nowrap", marker=lagging),
                    number(row["assigned"], url("assignments", "assigned", unit=unit)),
                    number(row["co_handled"], url("co_assignments", "assigned", unit=unit)),
                    number(row["replied"], url("assignments", "replied", unit=unit)),
                    rate_cell(
                        row["on_time_rate"],
                        url("assignments", "on_time", unit=unit),
                        url("assignments", "due", unit=unit),
                    ),
                    rate_cell(
                        row["satisfaction_rate"],
                        url("assignments", "satisfied", unit=unit),
                        url("assignments", "evaluated", unit=unit),
                    ),
                    rate_cell(
                        row["solved_rate"],
                        url("assignments", "solved", unit=unit),
                        url("assignments", "replied", unit=unit),
                    ),
                    number(row["adjustments"], url("adjustments", "requested", unit=unit)),
                    number(
                        row["overdue"],
                        url("assignments", "overdue", unit=unit),
                        testid="lagging-unit" if lagging else "",
                        css="text-danger fw-bold" if lagging else "",
                    ),
                ],
                lagging=lagging,
            )
        )
    return table


def overdue_table(f: StatsFilter, units: list[dict[str, Any]]) -> Table:
    """The lagging units, most overdue first."""
    lagging = sorted((row for row in units if row["overdue"]), key=lambda row: (-row["overdue"], row["name"]))
    table = Table(
        "overdue",
        _("Overdue assignments by unit"),
        [_("Unit"), _("Overdue now")],
        empty_message=_("No unit has an overdue assignment."),
    )
    for row in lagging:
        table.rows.append(
            Row([Cell(row["name"]), number(row["overdue"], f.records_url("assignments", "overdue", unit=row["unit"]))])
        )
    return table


# --- the pages ---------------------------------------------------------------------------------------


@dataclass
class Page:
    title: str
    tables: list[Table] = field(default_factory=list)
    context: dict[str, Any] = field(default_factory=dict)

    def add(self, table: Table) -> Table:
        self.tables.append(table)
        return table

    def table(self, name: str) -> Table | None:
        return next((table for table in self.tables if table.name == name), None)


def _overview(f: StatsFilter) -> Page:
    url = f.records_url
    s, u, d, i, st = suggestion_stats(f), unit_stats(f), deputy_stats(f), issue_stats(f), station_stats(f)
    page = Page(_("Dashboard"))

    kpis = [
        _kpi("received", _("Suggestions received"), "bi-journal-text", s["total"], url("suggestions", "received")),
        _kpi_rate(
            "on_time",
            _("On-time reply rate"),
            "bi-alarm",
            s["on_time_rate"],
            url("assignments", "on_time"),
            url("assignments", "due"),
        ),
        _kpi_rate(
            "satisfaction",
            _("Satisfaction rate"),
            "bi-emoji-smile",
            s["satisfaction_rate"],
            url("assignments", "satisfied"),
            url("assignments", "evaluated"),
        ),
        _kpi_rate(
            "solved",
            _("Solved rate"),
            "bi-check2-circle",
            s["solved_rate"],
            url("assignments", "solved"),
            url("assignments", "replied"),
        ),
        _kpi_rate(
            "solved_or_planned",
            _("Solved or planned"),
            "bi-calendar-check",
            s["solved_or_planned_rate"],
            url("assignments", "solved_or_planned"),
            url("assignments", "replied"),
        ),
        _kpi(
            "overdue",
            _("Overdue now"),
            "bi-exclamation-triangle",
            s["overdue_now"],
            url("assignments", "overdue"),
            alert=s["overdue_now"] > 0,
        ),
        _kpi(
            "issues_collected",
            _("Citizens' issues collected"),
            "bi-megaphone",
            i["collected"],
            url("issues", "collected"),
        ),
        _kpi("issues_solved", _("Citizens' issues solved"), "bi-patch-check", i["solved"], url("issues", "solved")),
        _kpi(
            "issues_in_progress",
            _("Citizens' issues in progress"),
            "bi-hourglass-split",
            i["in_progress"],
            url("issues", "in_progress"),
        ),
        _kpi_rate(
            "trained",
            _("Deputies trained"),
            "bi-mortarboard",
            d["trained_rate"],
            url("deputies", "trained"),
            url("deputies", "in_office"),
        ),
        _kpi_rate(
            "sat_in",
            _("Meeting sitting coverage"),
            "bi-people",
            d["sitting_coverage"],
            url("deputies", "sat_in"),
            url("deputies", "in_office"),
        ),
        _kpi(
            "receptions",
            _("Station receptions held"),
            "bi-house-heart",
            st["receptions_held"],
            url("receptions", "held"),
        ),
    ]
    figures = page.add(Table("figures", _("Key figures"), [_("Figure"), _("Count"), _("Out of"), _("Rate")]))
    for kpi in kpis:
        if kpi["rate"] is not None:
            rate = kpi["rate"]
            figures.rows.append(
                Row(
                    [
                        Cell(kpi["label"]),
                        number(rate["numerator"], kpi["link"]),
                        number(rate["denominator"], kpi["denominator_link"]),
                        Cell(percent(rate), value=percent_number(rate), in_percent=True),
                    ]
                )
            )
        else:
            figures.rows.append(Row([Cell(kpi["label"]), number(kpi["value"], kpi["link"]), Cell(), Cell()]))

    trend = page.add(_trend_table(f, s["by_month"], i["by_month"]))
    categories = page.add(_category_table(f, s["by_category"]))
    statuses = page.add(_suggestion_status_table(f, s["by_status"]))
    units = u["units"]
    shown = units[:OVERVIEW_LEAGUE_SIZE]
    below = [row for row in units[OVERVIEW_LEAGUE_SIZE:] if row["overdue"]]
    league = page.add(
        league_table(f, shown + below, title=_("The units' league (top %(count)s)") % {"count": OVERVIEW_LEAGUE_SIZE})
    )
    overdue = page.add(overdue_table(f, units))
    stations = page.add(
        _issue_breakdown_table(f, i["by_station"], "station", "stations_loop", _("Citizens' issues by station"))
    )
    stations.empty_message = _("No citizens' issue was collected at a station under these filters.")
    coverage = page.add(_coverage_table(f, d["by_category"]))

    page.context = {
        "kpis": kpis,
        "figures": figures,
        "trend": chart(trend, "line", [1, 2, 3], colors={3: SOLVED_COLOR}),
        "categories": chart(categories, "bar", [1], horizontal=True),
        "statuses": chart(statuses, "pie", [1]),
        "league": league,
        "league_more": len(units) - len(shown) - len(below),
        "below": len(below),
        "overdue": chart(overdue, "bar", [1], horizontal=True, colors={1: OVERDUE_COLOR}),
        "stations_loop": chart(stations, "bar", [1, 2, 3], horizontal=True, colors={2: SOLVED_COLOR}),
        "coverage": chart(coverage, "bar", [1, 2, 3]),
    }
    return page


def _kpi(key: str, label: str, icon: str, value: Any, link: str, *, alert: bool = False) -> dict[str, Any]:
    return {"key": key, "label": label, "icon": icon, "value": value, "link": link, "rate": None, "alert": alert}


def _kpi_rate(
    key: str, label: str, icon: str, rate: dict[str, Any], link: str, denominator_link: str
) -> dict[str, Any]:
    return {
        "key": key,
        "label": label,
        "icon": icon,
        "value": percent(rate),
        "link": link,
        "rate": rate,
        "denominator_link": denominator_link,
        "alert": False,
    }


def _trend_table(f: StatsFilter, suggestions: list[dict[str, Any]], issues: list[dict[str, Any]]) -> Table:
    received = {row["month"]: row["received"] for row in suggestions}
    collected = {row["month"]: row["collected"] for row in issues}
    solved = {row["month"]: row["solved"] for row in issues}
    table = Table(
        "trend",
        _("Trend by month"),
        [_("Month"), _("Suggestions received"), _("Citizens' issues collected"), _("Citizens' issues solved")],
        empty_message=_("Nothing was received under these filters."),
    )
    url = f.records_url
    for month in sorted(set(received) | set(collected)):
        table.rows.append(
            Row(
                [
                    Cell(month),
                    number(received.get(month, 0), url("suggestions", "received", month=month)),
                    number(collected.get(month, 0), url("issues", "collected", month=month)),
                    number(solved.get(month, 0), url("issues", "solved", month=month)),
                ]
            )
        )
    return table


def _suggestion_breakdown(
    f: StatsFilter, rows: list[dict[str, Any]], *, name: str, title: str, header: str, label: str, dim: str
) -> Table:
    """Suggestions received per value of one dimension (category, status), each count a link."""
    table = Table(
        name, title, [header, _("Suggestions")], empty_message=_("No suggestion was received under these filters.")
    )
    for row in rows:
        link = f.records_url("suggestions", "received", **{dim: row[dim]})
        table.rows.append(Row([Cell(row[label]), number(row["count"], link)]))
    return table


def _category_table(f: StatsFilter, by_category: list[dict[str, Any]]) -> Table:
    return _suggestion_breakdown(
        f,
        by_category,
        name="by_category",
        title=_("Suggestions by category"),
        header=_("Category"),
        label="name",
        dim="category",
    )


def _suggestion_status_table(f: StatsFilter, by_status: list[dict[str, Any]]) -> Table:
    return _suggestion_breakdown(
        f,
        by_status,
        name="by_status",
        title=_("Suggestions by status"),
        header=_("Status"),
        label="label",
        dim="status",
    )


ISSUE_COLUMNS = ("collected", "solved", "in_progress", "not_accepted", "converted")


def _issue_headers() -> list[str]:
    return [_("Collected"), _("Solved"), _("In progress"), _("Not accepted"), _("Turned into suggestions")]


def _issue_breakdown_table(
    f: StatsFilter,
    rows: list[dict[str, Any]],
    dim: str,
    name: str,
    title: str,
    *,
    columns: tuple[str, ...] = ISSUE_COLUMNS,
) -> Table:
    """Citizens' issues per channel, station, block or tier; rows without a value (issues taken
    online, with no station) are shown without links, as no filter selects them."""
    labels = dict(zip(ISSUE_COLUMNS, _issue_headers(), strict=True))
    first = {"channel": _("Channel"), "station": _("Station"), "block": _("Block"), "tier": _("Tier")}[dim]
    table = Table(
        name,
        title,
        [first, *(labels[key] for key in columns)],
        empty_message=_("No citizens' issue under these filters."),
    )
    for row in rows:
        value = row[dim]
        label = row.get("name") or row.get("label") or ""
        if dim == "tier":
            label = f"{value} · {label}" if label else str(value)
        if value is None:
            label = _("(none)")
        cells = [Cell(label or "—")]
        for key in columns:
            link = f.records_url("issues", key, **{dim: value}) if value is not None else ""
            cells.append(number(row[key], link))
        table.rows.append(Row(cells))
    return table


def _coverage_table(f: StatsFilter, by_category: list[dict[str, Any]]) -> Table:
    table = Table(
        "coverage",
        _("Deputies by category: trained and sat in"),
        [
            _("Category"),
            _("In office"),
            _("Trained"),
            _("Sat in on a meeting"),
            _("Trained rate"),
            _("Sitting coverage"),
        ],
        empty_message=_("No deputy in office under these filters."),
    )
    for row in by_category:
        category = row["category"]
        in_office = f.records_url("deputies", "in_office", deputy_category=category)
        trained = {
            "numerator": row["trained"],
            "denominator": row["in_office"],
            "value": _ratio(row["trained"], row["in_office"]),
        }
        sat_in = {
            "numerator": row["sat_in"],
            "denominator": row["in_office"],
            "value": _ratio(row["sat_in"], row["in_office"]),
        }
        table.rows.append(
            Row(
                [
                    Cell(row["label"]),
                    number(row["in_office"], in_office),
                    number(row["trained"], f.records_url("deputies", "trained", deputy_category=category)),
                    number(row["sat_in"], f.records_url("deputies", "sat_in", deputy_category=category)),
                    rate_cell(trained, f.records_url("deputies", "trained", deputy_category=category), in_office),
                    rate_cell(sat_in, f.records_url("deputies", "sat_in", deputy_category=category), in_office),
                ]
            )
        )
    return table


def _ratio(numerator: int, denominator: int) -> float | None:
    return round(numerator / denominator, 4) if denominator else None


def _suggestions(f: StatsFilter) -> Page:
    url = f.records_url
    s = suggestion_stats(f)
    page = Page(_("Suggestions"))
    summary = Summary(f)
    summary.group(KINDS["suggestions"].label)
    summary.count(s["total"], "suggestions", "received")
    for key, value in s["counts"].items():
        summary.count(value, "suggestions", key)
    summary.group(KINDS["assignments"].label)
    for key, value in s["assignments"].items():
        summary.count(value, "assignments", key)
    summary.count(s["overdue_now"], "assignments", "overdue")
    summary.rate(_("On-time reply rate"), s["on_time_rate"], "assignments", "on_time", "due")
    summary.rate(_("Satisfaction rate"), s["satisfaction_rate"], "assignments", "satisfied", "evaluated")
    summary.rate(_("Solved rate"), s["solved_rate"], "assignments", "solved", "replied")
    summary.rate(_("Solved or planned"), s["solved_or_planned_rate"], "assignments", "solved_or_planned", "replied")
    summary.group(KINDS["supervision"].label)
    summary.count(s["supervision"]["total"], "supervision", "cases")
    summary.count(s["supervision"]["open"], "supervision", "open")
    summary.count(s["supervision"]["closed"], "supervision", "closed")
    summary.group(_("Key suggestions"))
    summary.rate(_("Key suggestions closed"), s["key_suggestions"]["progress"], "suggestions", "key_closed", "key")
    page.add(summary.table)

    month = page.add(
        Table(
            "by_month",
            _("Suggestions received by month"),
            [_("Month"), _("Suggestions received")],
            empty_message=_("No suggestion was received under these filters."),
        )
    )
    for row in s["by_month"]:
        month.rows.append(
            Row([Cell(row["month"]), number(row["received"], url("suggestions", "received", month=row["month"]))])
        )
    categories = page.add(_category_table(f, s["by_category"]))
    statuses = page.add(_suggestion_status_table(f, s["by_status"]))
    units = page.add(
        Table(
            "by_unit",
            _("Assignments by unit"),
            [_("Unit"), _("Assigned"), _("Replied"), _("Overdue now")],
            empty_message=_("No suggestion was assigned to a unit under these filters."),
        )
    )
    for row in s["by_unit"]:
        unit = row["unit"]
        units.rows.append(
            Row(
                [
                    Cell(row["name"], css="text-nowrap", marker=row["overdue"] > 0),
                    number(row["assigned"], url("assignments", "assigned", unit=unit)),
                    number(row["replied"], url("assignments", "replied", unit=unit)),
                    number(
                        row["overdue"],
                        url("assignments", "overdue", unit=unit),
                        css="text-danger fw-bold" if row["overdue"] else "",
                    ),
                ],
                lagging=row["overdue"] > 0,
            )
        )
    topics = page.add(
        Table(
            "key_topics",
            _("Key suggestions by topic"),
            [_("Key topic"), _("Key suggestions"), _("Closed")],
            empty_message=_("No key suggestion under these filters."),
        )
    )
    for row in s["key_suggestions"]["by_topic"]:
        topic = row["key_topic"]
        topics.rows.append(
            Row(
                [
                    Cell(row["title"]),
                    number(row["count"], url("suggestions", "key", key_topic=topic)),
                    number(row["closed"], url("suggestions", "key_closed", key_topic=topic)),
                ]
            )
        )
    page.context = {
        "summary": summary.table,
        "charts": [
            chart(month, "line", [1]),
            chart(statuses, "pie", [1]),
            chart(categories, "bar", [1], horizontal=True),
            chart(units, "bar", [1, 2, 3], horizontal=True, colors={3: OVERDUE_COLOR}),
        ],
        "tables": [topics],
    }
    return page


def _units(f: StatsFilter) -> Page:
    u = unit_stats(f)
    page = Page(_("The units' league"))
    league = page.add(league_table(f, u["units"]))
    overdue = page.add(overdue_table(f, u["units"]))
    on_time = Table("on_time", _("On-time reply rate by unit"), [_("Unit"), _("On-time reply rate")])
    url = f.records_url
    for row in u["units"]:
        if row["on_time_rate"]["denominator"]:
            on_time.rows.append(
                Row(
                    [
                        Cell(row["name"]),
                        rate_cell(
                            row["on_time_rate"],
                            url("assignments", "on_time", unit=row["unit"]),
                            url("assignments", "due", unit=row["unit"]),
                        ),
                    ]
                )
            )
    on_time.empty_message = _("No reply was due under these filters.")
    page.add(on_time)
    page.context = {
        "league": league,
        "lagging_count": len(u["lagging"]),
        "charts": [
            chart(overdue, "bar", [1], horizontal=True, colors={1: OVERDUE_COLOR}),
            chart(on_time, "bar", [1], horizontal=True, percent_axis=True),
        ],
    }
    return page


def _deputies(f: StatsFilter) -> Page:
    url = f.records_url
    d = deputy_stats(f)
    page = Page(_("Deputies"))
    summary = Summary(f)
    summary.group(KINDS["deputies"].label)
    summary.count(d["in_office"], "deputies", "in_office")
    summary.rate(_("Trained rate"), d["trained_rate"], "deputies", "trained", "in_office")
    summary.rate(_("Sitting coverage over the term"), d["sitting_coverage"], "deputies", "sat_in", "in_office")
    summary.count(d["group_members"], "deputies", "group_members")
    summary.count(d["active"], "deputies", "active")
    summary.group(_("Attendance"))
    summary.count(d["training_person_times"], "trainings", "attended", _("Training attendance (person-times)"))
    summary.amount(_("Training hours"), Decimal(d["training_hours"]), url("trainings", "attended"))
    summary.count(
        d["sitting_person_times"], "sittings", "attended", _("Sittings on standing-committee meetings (person-times)")
    )
    summary.count(d["activities"], "activities", "held")
    page.add(summary.table)
    coverage = page.add(_coverage_table(f, d["by_category"]))
    activities = page.add(
        Table(
            "activities",
            _("Activities held by kind"),
            [_("Kind"), _("Activities held")],
            empty_message=_("No activity was held under these filters."),
        )
    )
    for row in d["activities_by_kind"]:
        activities.rows.append(
            Row([Cell(row["label"]), number(row["count"], f.records_url("activities", "held", kind=row["kind"]))])
        )
    points = page.add(
        Table(
            "points",
            _("Duty points of %(year)s") % {"year": d["points_year"]},
            [_("Points"), _("Deputies")],
            empty_message=_("No duty points were computed for this year."),
        )
    )
    for row in d["points_distribution"]:
        points.rows.append(
            Row([Cell(row["label"]), number(row["deputies"], url("points", "deputies", bucket=row["bucket"]))])
        )
    page.context = {
        "summary": summary.table,
        "charts": [
            chart(coverage, "bar", [1, 2, 3]),
            chart(activities, "bar", [1], horizontal=True),
            chart(points, "bar", [1]),
        ],
    }
    return page


def _issues(f: StatsFilter) -> Page:
    url = f.records_url
    i = issue_stats(f)
    page = Page(_("Citizens' issues"))
    summary = Summary(f)
    summary.group(KINDS["issues"].label)
    for key in ("collected", "solved", "in_progress", "not_accepted", "converted", "answered", "reopened"):
        summary.count(i[key], "issues", key)
    summary.count(i["overdue_now"], "issues", "overdue")
    summary.rate(_("Answered on time"), i["on_time_rate"], "issues", "on_time", "answered")
    summary.rate(_("Satisfaction rate"), i["satisfaction_rate"], "issues", "satisfied", "rated")
    # Solved over the issues accepted (collected less not accepted): no single list is the denominator.
    summary.rate(_("Solved rate (of the issues accepted)"), i["solved_rate"], "issues", "solved", None)
    summary.group(_("Outcomes"))
    summary.count(i["outcomes"]["issues"], "issues", "with_outcome")
    summary.amount(_("People helped"), i["outcomes"]["people_helped"], url("issues", "with_outcome"))
    summary.amount(_("Money involved"), Decimal(i["outcomes"]["money_involved"]), url("issues", "with_outcome"))
    page.add(summary.table)

    month = page.add(
        Table(
            "by_month",
            _("Citizens' issues by month"),
            [_("Month"), _("Collected"), _("Solved")],
            empty_message=_("No citizens' issue under these filters."),
        )
    )
    for row in i["by_month"]:
        month.rows.append(
            Row(
                [
                    Cell(row["month"]),
                    number(row["collected"], url("issues", "collected", month=row["month"])),
                    number(row["solved"], url("issues", "solved", month=row["month"])),
                ]
            )
        )
    channels = page.add(
        _issue_breakdown_table(f, i["by_channel"], "channel", "by_channel", _("Citizens' issues by channel"))
    )
    stations = page.add(
        _issue_breakdown_table(f, i["by_station"], "station", "by_station", _("Citizens' issues by station"))
    )
    blocks = page.add(_issue_breakdown_table(f, i["by_block"], "block", "by_block", _("Citizens' issues by block")))
    tiers = page.add(_issue_breakdown_table(f, i["by_tier"], "tier", "by_tier", _("Citizens' issues by tier")))
    statuses = page.add(
        Table(
            "by_status",
            _("Citizens' issues by status"),
            [_("Status"), _("Citizens' issues")],
            empty_message=_("No citizens' issue under these filters."),
        )
    )
    for row in i["by_status"]:
        statuses.rows.append(
            Row([Cell(row["label"]), number(row["count"], url("issues", "collected", status=row["status"]))])
        )
    page.context = {
        "summary": summary.table,
        "charts": [
            chart(month, "line", [1, 2], colors={2: SOLVED_COLOR}),
            chart(channels, "pie", [1]),
            chart(stations, "bar", [1, 2, 3], horizontal=True, colors={2: SOLVED_COLOR}),
            chart(statuses, "pie", [1]),
            chart(tiers, "bar", [1, 2, 3], colors={2: SOLVED_COLOR}),
        ],
        "tables": [blocks],
    }
    return page


def _stations(f: StatsFilter) -> Page:
    url = f.records_url
    st = station_stats(f)
    page = Page(_("Liaison stations"))
    summary = Summary(f)
    summary.group(_("Receptions"))
    summary.count(st["receptions_scheduled"], "receptions", "scheduled")
    summary.count(st["receptions_held"], "receptions", "held")
    summary.count(
        st["deputy_receptions"], "reception_duties", "person_times", _("Deputies received citizens (person-times)")
    )
    summary.group(_("Visits and forums"))
    summary.count(st["visits"], "visits", "visits")
    summary.amount(_("Visitors"), st["visitors"], url("visits", "visits"))
    summary.count(st["forums"], "forums", "forums")
    summary.amount(_("Residents at forums"), st["forum_residents"], url("forums", "forums"))
    checklist = st["checklist"]
    summary.group(_("Checklist of %(year)s") % {"year": checklist["year"]})
    summary.count(checklist["items"], "checklist", "items")
    summary.count(checklist["met"], "checklist", "met")
    summary.count(checklist["partly"], "checklist", "partly")
    summary.count(checklist["not_met"], "checklist", "not_met")
    summary.rate(_("Checklist completion"), checklist["completion"], "checklist", "met", "items")
    page.add(summary.table)

    stations = page.add(
        Table(
            "stations",
            _("Figures by station"),
            [
                _("Station"),
                _("Reception days held"),
                _("Visits"),
                _("Forums"),
                _("Residents at forums"),
                _("Checklist completion"),
            ],
            empty_message=_("No station has figures under these filters."),
        )
    )
    for row in st["stations"]:
        station = row["station"]
        stations.rows.append(
            Row(
                [
                    Cell(row["name"]),
                    number(row["receptions_held"], url("receptions", "held", station=station)),
                    number(row["visits"], url("visits", "visits", station=station)),
                    number(row["forums"], url("forums", "forums", station=station)),
                    number(row["residents"], url("forums", "forums", station=station), sum=True),
                    rate_cell(
                        row["checklist_completion"],
                        url("checklist", "met", station=station),
                        url("checklist", "items", station=station),
                    ),
                ]
            )
        )
    states = page.add(
        Table(
            "checklist",
            _("Checklist by state"),
            [_("State"), _("Checklist items")],
            empty_message=_("No checklist item for this year."),
        )
    )
    for key in ("met", "partly", "not_met"):
        states.rows.append(
            Row([Cell(str(KINDS["checklist"].figures[key].label)), number(checklist[key], url("checklist", key))])
        )
    if not checklist["items"]:
        states.rows.clear()
    page.context = {
        "summary": summary.table,
        "charts": [
            chart(stations, "bar", [1, 2, 3], horizontal=True),
            chart(states, "pie", [1]),
        ],
    }
    return page


# --- the filter bar ------------------------------------------------------------------------------------


def _options(objects: Iterable[Any], selected: int | None, label: Callable[[Any], str] = str) -> list[dict[str, Any]]:
    return [{"value": obj.pk, "label": label(obj), "selected": obj.pk == selected} for obj in objects]


def filter_bar(request: HttpRequest, f: StatsFilter) -> dict[str, Any]:
    """The filter form's choices (limited to the chosen congress, else the user's), and the filters
    applied in words."""
    form = filter_form(request)
    congresses = list(form.congress_queryset)
    chosen = [c for c in congresses if c.pk == f.congress] if f.congress else congresses
    ids = [c.pk for c in chosen]
    several = len(chosen) > 1
    names = {c.pk: c.display_name for c in congresses}

    def prefixed(obj: Any) -> str:
        return f"{names.get(obj.congress_id, '')} · {obj}" if several else str(obj)

    fields = form.fields
    selects = [
        ("term", fields["term"].label, _options(fields["term"].queryset.filter(congress_id__in=ids), f.term, prefixed)),
        (
            "session",
            fields["session"].label,
            _options(
                fields["session"].queryset.filter(congress_id__in=ids).select_related("term"), f.session, prefixed
            ),
        ),
        (
            "station",
            fields["station"].label,
            _options(Station.objects.filter(congress_id__in=ids).order_by("congress_id", "name"), f.station, prefixed),
        ),
        (
            "committee",
            fields["committee"].label,
            _options(fields["committee"].queryset.filter(congress_id__in=ids), f.committee, prefixed),
        ),
        ("unit", fields["unit"].label, _options(fields["unit"].queryset.filter(congress_id__in=ids), f.unit, prefixed)),
    ]
    show_congress = form.scope.is_global or len(congresses) > 1
    # The names of what is chosen, from the choices just read (no query per filter).
    known = {name: {option["value"]: option["label"] for option in options} for name, _label, options in selects}
    known["congress"] = names
    applied = []
    for name, value in f.given().items():
        label = fields[name].label if name in fields else name
        applied.append({"name": name, "label": str(label), "value": known.get(name, {}).get(value, value)})
    return {
        "congresses": _options(congresses, f.congress) if show_congress else [],
        "congress_label": fields["congress"].label,
        "selects": [{"name": name, "label": label, "options": options} for name, label, options in selects],
        "year": f.year or "",
        "year_label": fields["year"].label,
        "date_from": f.date_from.isoformat() if f.date_from else "",
        "date_from_label": fields["date_from"].label,
        "date_to": f.date_to.isoformat() if f.date_to else "",
        "date_to_label": fields["date_to"].label,
        "applied": applied,
        "present": request.GET.get("present") == "1",
    }


# --- views ------------------------------------------------------------------------------------------------


def _export(table: Table, f: StatsFilter) -> HttpResponse:
    period = f.year or ""
    filename = f"{table.title} {period}".strip()
    return xlsx_response(filename, table.title, table.export_headers(), table.export_rows())


def _page(request: HttpRequest, section: str, build: Callable[[StatsFilter], Page]) -> HttpResponse:
    """A section page. Its body (tabs, filter bar, tables and charts: everything but the site's frame,
    which names the user) is rendered once per filter and congress generation and cached like the
    figures (`dashboard.cache.cached`), so a warm page costs one cache read and the frame."""
    f = page_filter(request, default_year=True)
    if isinstance(f, HttpResponse):
        return f
    wanted = request.GET.get("export")
    if wanted:
        table = build(f).table(wanted)
        if table is None:
            raise Http404("No such table.")
        return _export(table, f)

    def render_body(f: StatsFilter) -> dict[str, str]:
        page = build(f)
        for table in page.tables:
            params = request.GET.copy()
            params["export"] = table.name
            table.export_url = f"{request.path}?{params.urlencode()}"
        context = {
            "frame": "dashboard/_body.html",
            "title": page.title,
            "section": section,
            "filter": f,
            "query": f.query_string(),
            "bar": filter_bar(request, f),
            **page.context,
        }
        return {"title": str(page.title), "body": render_to_string(f"dashboard/{section}.html", context, request)}

    # The body varies with the whole query string (the large-type switch, paging of tables), not only
    # the filter, and with the user's scope: the filter bar offers the congresses the user may see.
    scope = get_scope(request.user)
    seen = "global" if scope.is_global else ",".join(str(pk) for pk in sorted(scope.congress_ids))
    variant = hashlib.sha256(f"{seen}|{request.GET.urlencode()}".encode()).hexdigest()[:16]
    cached_page = cached(f"page:{section}:{variant}", f, render_body)
    return render(
        request,
        "dashboard/_full.html",
        {"title": cached_page["title"], "body": mark_safe(cached_page["body"]), "section": section},  # noqa: S308
    )


@dashboard_view
def overview(request: HttpRequest) -> HttpResponse:
    """The key figures at a glance, each linking to its records and its section."""
    return _page(request, "overview", _overview)


@dashboard_view
def suggestions(request: HttpRequest) -> HttpResponse:
    return _page(request, "suggestions", _suggestions)


@dashboard_view
def units(request: HttpRequest) -> HttpResponse:
    return _page(request, "units", _units)


@dashboard_view
def deputies(request: HttpRequest) -> HttpResponse:
    return _page(request, "deputies", _deputies)


@dashboard_view
def issues(request: HttpRequest) -> HttpResponse:
    return _page(request, "issues", _issues)


@dashboard_view
def stations(request: HttpRequest) -> HttpResponse:
    return _page(request, "stations", _stations)
