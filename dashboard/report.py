"""The yearly report on the handling of deputies' suggestions (代表建议办理情况报告).

Every number is a figure of `kinds` or comes from `stats.suggestion_stats` / `stats.unit_stats` under
the same filter, so the report, the dashboard and the drill-down lists cannot disagree; each number
carries the URL of the list behind it. `report_workbook` writes the same numbers as a workbook of
several sheets. See docs/dashboard.md ("The yearly report").
"""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.urls import reverse
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from congress.excel import Sheet, workbook_response
from congress.models import Congress, Term
from congress.models import Session as CongressSession
from suggestions.choices import SupervisionTrigger

from . import kinds as k
from .cache import cached
from .filters import StatsFilter
from .stats import percent, rate, suggestion_stats, unit_stats


def _count(key: str, label: str, count: int, url: str | None) -> dict[str, Any]:
    return {"key": key, "label": label, "count": count, "url": url, "rate": None}


def _rate(
    key: str, label: str, figures: dict[str, Any], url: str | None, denominator_url: str | None
) -> dict[str, Any]:
    """A rate row: its numerator is the row's count, the denominator and the quotient come along."""
    return {
        "key": key,
        "label": label,
        "count": figures["numerator"],
        "url": url,
        "rate": {**figures, "percent": percent(figures), "denominator_url": denominator_url},
    }


def _share(count: int, total: int) -> dict[str, Any]:
    share = rate(count, total)
    return {**share, "percent": percent(share)}


# --- the data -------------------------------------------------------------------------------------


def report_data(f: StatsFilter) -> dict[str, Any]:
    """The report's numbers under `f` (cached like the dashboard's figures)."""
    return cached("report", f, _report_data)


def _congress_name(f: StatsFilter) -> str:
    if f.congress_ids is None:
        return _("All congresses")
    names = Congress.objects.filter(pk__in=sorted(f.congress_ids)).order_by("pk").values_list("name", flat=True)
    return "、".join(names)


def _period_label(f: StatsFilter) -> str:
    parts: list[str] = []
    if f.session is not None:
        parts.append(str(CongressSession.objects.select_related("term").get(pk=f.session)))
    elif f.term is not None:
        parts.append(str(Term.objects.get(pk=f.term)))
    if f.year and not (f.month or f.date_from or f.date_to):
        parts.append(_("Year %(year)s") % {"year": f.year})
    elif f.year or f.month or f.date_from or f.date_to:
        start, end = f.period()
        parts.append(f"{start.isoformat() if start else '…'} – {end.isoformat() if end else '…'}")
    return " · ".join(parts)


def _reply_class_url(f: StatsFilter, reply_class: int) -> str:
    """The replied assignments whose latest reply is of this class."""
    return f.records_url("assignments", "replied", reply_class=reply_class)


def _report_data(f: StatsFilter) -> dict[str, Any]:
    s = suggestion_stats(f)
    league = unit_stats(f)
    counts = s["counts"]
    a = s["assignments"]
    unsatisfied = k.ASSIGNMENTS.counts(f, ["unsatisfied"])["unsatisfied"]
    after_unsatisfied = f.narrowed(kind=SupervisionTrigger.UNSATISFIED)
    rehandling = k.SUPERVISION.counts(after_unsatisfied)
    class_rows = k.ASSIGNMENTS.breakdown(
        f, "reply_class_id", ["replied"], extra=["reply_class__code", "reply_class__name", "reply_class__sort_order"]
    )

    def url(kind: str, figure: str, **dims: Any) -> str:
        return f.records_url(kind, figure, **dims)

    units = league["units"]
    handling_units = [row for row in units if row["assigned"] or row["co_handled"]]
    query = f.query_string()
    units_url = f"{reverse('dashboard:units')}?{query}" if query else reverse("dashboard:units")
    co_assignments = sum(row["co_handled"] for row in units)
    adjustments = sum(row["adjustments"] for row in units)

    figures: dict[str, dict[str, Any]] = {}

    def add(row: dict[str, Any]) -> dict[str, Any]:
        figures[row["key"]] = row
        return row

    total = s["total"]
    sections = [
        {
            "key": "received",
            "title": _("Suggestions received and accepted"),
            "table": "categories",
            "rows": [
                add(_count("received", _("Suggestions received"), total, url("suggestions", "received"))),
                add(
                    _rate(
                        "accepted",
                        _("Accepted for handling (立案)"),
                        rate(counts["accepted"], total),
                        url("suggestions", "accepted"),
                        url("suggestions", "received"),
                    )
                ),
                add(
                    _count(
                        "rejected",
                        _("Not accepted, handled as letters"),
                        counts["rejected"],
                        url("suggestions", "rejected"),
                    )
                ),
                add(_count("waiting", _("Waiting for review"), counts["waiting"], url("suggestions", "waiting"))),
                add(_count("withdrawn", _("Withdrawn"), counts["withdrawn"], url("suggestions", "withdrawn"))),
            ],
        },
        {
            "key": "assigned",
            "title": _("Assignment to the handling units"),
            "table": None,
            "rows": [
                add(
                    _count(
                        "units", _("Units handling them (lead, split or co-handling)"), len(handling_units), units_url
                    )
                ),
                add(
                    _count(
                        "assignments",
                        _("Assignments to lead or split units"),
                        a["assigned"],
                        url("assignments", "assigned"),
                    )
                ),
                add(
                    _count(
                        "co_assignments",
                        _("Assignments to co-handling units"),
                        co_assignments,
                        url("co_assignments", "assigned"),
                    )
                ),
                add(
                    _count(
                        "adjustments",
                        _("Adjustments requested by units"),
                        adjustments,
                        url("adjustments", "requested"),
                    )
                ),
                add(
                    _count(
                        "extended",
                        _("Assignments with an approved extension"),
                        a["extended"],
                        url("assignments", "extended"),
                    )
                ),
            ],
        },
        {
            "key": "replies",
            "title": _("Replies of the units"),
            "table": "reply_classes",
            "rows": [
                add(_count("replied", _("Assignments replied"), a["replied"], url("assignments", "replied"))),
                add(
                    _rate(
                        "on_time",
                        _("Replied on time (of the replies due)"),
                        s["on_time_rate"],
                        url("assignments", "on_time"),
                        url("assignments", "due"),
                    )
                ),
                add(
                    _rate(
                        "solved",
                        _("Solved or basically solved (A)"),
                        s["solved_rate"],
                        url("assignments", "solved"),
                        url("assignments", "replied"),
                    )
                ),
                add(
                    _rate(
                        "solved_or_planned",
                        _("Solved or being solved (A+B)"),
                        s["solved_or_planned_rate"],
                        url("assignments", "solved_or_planned"),
                        url("assignments", "replied"),
                    )
                ),
                add(_count("overdue", _("Overdue now"), s["overdue_now"], url("assignments", "overdue"))),
            ],
        },
        {
            "key": "evaluation",
            "title": _("The deputies' evaluation"),
            "table": None,
            "rows": [
                add(
                    _count(
                        "evaluated", _("Replies rated by the deputy"), a["evaluated"], url("assignments", "evaluated")
                    )
                ),
                add(
                    _rate(
                        "satisfied",
                        _("Satisfied or basically satisfied"),
                        s["satisfaction_rate"],
                        url("assignments", "satisfied"),
                        url("assignments", "evaluated"),
                    )
                ),
                add(_count("unsatisfied", _("Rated unsatisfied"), unsatisfied, url("assignments", "unsatisfied"))),
                add(
                    _count(
                        "rehandling_cases",
                        _("Re-handled under supervision after an unsatisfied rating"),
                        rehandling["cases"],
                        after_unsatisfied.records_url("supervision", "cases"),
                    )
                ),
                add(
                    _count(
                        "rehandling_open",
                        _("of which still open"),
                        rehandling["open"],
                        after_unsatisfied.records_url("supervision", "open"),
                    )
                ),
                add(
                    _count(
                        "rehandling_closed",
                        _("of which closed"),
                        rehandling["closed"],
                        after_unsatisfied.records_url("supervision", "closed"),
                    )
                ),
                add(
                    _count(
                        "no_feedback",
                        _("Closed without the deputy's feedback in time"),
                        s["no_feedback"],
                        url("suggestions", "no_feedback"),
                    )
                ),
                add(_count("closed", _("Suggestions closed"), counts["closed"], url("suggestions", "closed"))),
            ],
        },
        {
            "key": "supervision",
            "title": _("Supervision and key suggestions"),
            "table": "key_topics",
            "rows": [
                add(
                    _count(
                        "supervision_cases",
                        _("Supervision cases"),
                        s["supervision"]["total"],
                        url("supervision", "cases"),
                    )
                ),
                add(
                    _count(
                        "supervision_open",
                        pgettext("report", "Open"),
                        s["supervision"]["open"],
                        url("supervision", "open"),
                    )
                ),
                add(
                    _count("supervision_closed", _("Closed"), s["supervision"]["closed"], url("supervision", "closed"))
                ),
                add(_count("key", _("Key suggestions"), s["key_suggestions"]["total"], url("suggestions", "key"))),
                add(
                    _rate(
                        "key_closed",
                        _("Key suggestions closed"),
                        s["key_suggestions"]["progress"],
                        url("suggestions", "key_closed"),
                        url("suggestions", "key"),
                    )
                ),
            ],
        },
        {"key": "units", "title": _("The handling units"), "table": "units", "rows": []},
    ]
    categories = [
        {
            "category": row["category"],
            "name": row["name"],
            "count": row["count"],
            "url": url("suggestions", "received", category=row["category"]),
            "share": _share(row["count"], total),
        }
        for row in s["by_category"]
    ]
    replied_total = sum(row["replied"] for row in class_rows if row["value"] is not None)
    reply_classes = [
        {
            "reply_class": row["value"],
            "code": row["reply_class__code"],
            "name": row["reply_class__name"],
            "count": row["replied"],
            "url": _reply_class_url(f, row["value"]),
            "share": _share(row["replied"], replied_total),
        }
        for row in sorted(
            (row for row in class_rows if row["value"] is not None),
            key=lambda row: (row["reply_class__sort_order"], row["reply_class__code"]),
        )
    ]
    key_topics = [
        {
            "key_topic": row["key_topic"],
            "title": row["title"] or _("Without a topic"),
            "count": row["count"],
            "closed": row["closed"],
            "url": url("suggestions", "key", key_topic=row["key_topic"]) if row["key_topic"] else None,
            "closed_url": url("suggestions", "key_closed", key_topic=row["key_topic"]) if row["key_topic"] else None,
            "progress": _share(row["closed"], row["count"]),
        }
        for row in s["key_suggestions"]["by_topic"]
    ]
    unit_rows = [_unit_row(f, row) for row in units]
    by_unit = {row["unit"]: row for row in unit_rows}
    return {
        "title": _("Report on the handling of deputies' suggestions"),
        "congress": _congress_name(f),
        "period": _period_label(f),
        "year": f.year,
        "as_of": f.today,
        "filters": f.given(),
        "figures": figures,
        "sections": sections,
        "categories": categories,
        "reply_classes": reply_classes,
        "key_topics": key_topics,
        "units": unit_rows,
        "lagging": [by_unit[unit_id] for unit_id in league["lagging"]],
        "units_url": units_url,
    }


def _unit_row(f: StatsFilter, row: dict[str, Any]) -> dict[str, Any]:
    unit = row["unit"]

    def url(kind: str, figure: str) -> str:
        return f.records_url(kind, figure, unit=unit)

    return {
        "unit": unit,
        "name": row["name"],
        "rank": row["rank"],
        "assigned": row["assigned"],
        "assigned_url": url("assignments", "assigned"),
        "replied": row["replied"],
        "replied_url": url("assignments", "replied"),
        "on_time_rate": {
            **row["on_time_rate"],
            "percent": percent(row["on_time_rate"]),
            "url": url("assignments", "on_time"),
            "denominator_url": url("assignments", "due"),
        },
        "satisfaction_rate": {
            **row["satisfaction_rate"],
            "percent": percent(row["satisfaction_rate"]),
            "url": url("assignments", "satisfied"),
            "denominator_url": url("assignments", "evaluated"),
        },
        "solved_rate": {
            **row["solved_rate"],
            "percent": percent(row["solved_rate"]),
            "url": url("assignments", "solved"),
            "denominator_url": url("assignments", "replied"),
        },
        "overdue": row["overdue"],
        "overdue_url": url("assignments", "overdue"),
        "co_handled": row["co_handled"],
        "co_handled_url": url("co_assignments", "assigned"),
        "adjustments": row["adjustments"],
        "adjustments_url": url("adjustments", "requested"),
    }


# --- the summary in words ------------------------------------------------------------------------------


def summary_paragraphs(report: dict[str, Any], *, links: bool = True) -> list[SafeString]:
    """A few sentences built from the numbers (each number links to its list, unless `links` is off)."""
    figures = report["figures"]

    def number(key: str) -> SafeString:
        row = figures[key]
        if links and row["url"]:
            return format_html('<a href="{}">{}</a>', row["url"], row["count"])
        return format_html("{}", row["count"])

    def share(key: str) -> SafeString:
        return format_html("{}", figures[key]["rate"]["percent"])

    def denominator(key: str) -> SafeString:
        rate_ = figures[key]["rate"]
        if links and rate_["denominator_url"]:
            return format_html('<a href="{}">{}</a>', rate_["denominator_url"], rate_["denominator"])
        return format_html("{}", rate_["denominator"])

    def sentence(template: str, **values: SafeString) -> SafeString:
        return mark_safe(conditional_escape(template) % values)  # noqa: S308 - the values are escaped HTML

    period = report["period"] or _("the period")
    return [
        sentence(
            _(
                "In %(period)s, %(congress)s received %(received)s suggestions from deputies: %(accepted)s were "
                "accepted for handling, %(rejected)s were not accepted and are handled as letters, %(waiting)s are "
                "waiting for review and %(withdrawn)s were withdrawn."
            ),
            period=format_html("{}", period),
            congress=format_html("{}", report["congress"]),
            received=number("received"),
            accepted=number("accepted"),
            rejected=number("rejected"),
            waiting=number("waiting"),
            withdrawn=number("withdrawn"),
        ),
        sentence(
            _(
                "They were assigned to %(units)s units: %(assignments)s assignments to lead or split units, which "
                "answer the deputy, and %(co_assignments)s to co-handling units. The units have replied to "
                "%(replied)s assignments; %(on_time)s of the %(due)s replies due were given on time "
                "(%(on_time_rate)s), and %(overdue)s assignments are overdue now."
            ),
            units=number("units"),
            assignments=number("assignments"),
            co_assignments=number("co_assignments"),
            replied=number("replied"),
            on_time=number("on_time"),
            due=denominator("on_time"),
            on_time_rate=share("on_time"),
            overdue=number("overdue"),
        ),
        sentence(
            _(
                "Of the replies, %(solved)s (%(solved_rate)s) report the problem solved or basically solved (A), "
                "and %(solved_or_planned)s (%(solved_or_planned_rate)s) solved or being solved (A and B)."
            ),
            solved=number("solved"),
            solved_rate=share("solved"),
            solved_or_planned=number("solved_or_planned"),
            solved_or_planned_rate=share("solved_or_planned"),
        ),
        sentence(
            _(
                "Deputies rated %(evaluated)s replies: %(satisfied)s (%(satisfaction_rate)s) satisfied or basically "
                "satisfied, %(unsatisfied)s unsatisfied; %(rehandling)s re-handlings under a committee's "
                "supervision followed unsatisfied ratings. %(no_feedback)s suggestions were closed without the "
                "deputy's feedback in time; %(closed)s suggestions are closed in all."
            ),
            evaluated=number("evaluated"),
            satisfied=number("satisfied"),
            satisfaction_rate=share("satisfied"),
            unsatisfied=number("unsatisfied"),
            rehandling=number("rehandling_cases"),
            no_feedback=number("no_feedback"),
            closed=number("closed"),
        ),
        sentence(
            _(
                "%(key)s key suggestions were supervised, %(key_closed)s of them are closed; %(cases)s supervision "
                "cases were opened, %(open)s are still open."
            ),
            key=number("key"),
            key_closed=number("key_closed"),
            cases=number("supervision_cases"),
            open=number("supervision_open"),
        ),
    ]


# --- the workbook -----------------------------------------------------------------------------------


def report_sheets(report: dict[str, Any]) -> list[Sheet]:
    summary_rows: list[list[Any]] = []
    for number, section in enumerate(report["sections"], start=1):
        for row in section["rows"]:
            figure_rate = row["rate"]
            summary_rows.append(
                [
                    f"{number}. {section['title']}",
                    row["label"],
                    row["count"],
                    figure_rate["denominator"] if figure_rate else None,
                    figure_rate["value"] if figure_rate else None,
                ]
            )
    return [
        Sheet(
            pgettext("report", "Summary"),
            [
                pgettext("report", "Section"),
                pgettext("report", "Figure"),
                pgettext("report", "Number"),
                _("Out of"),
                pgettext("report", "Rate"),
            ],
            summary_rows,
            percent={4},
        ),
        Sheet(
            _("By category"),
            [_("Category"), _("Suggestions"), _("Share")],
            [[row["name"], row["count"], row["share"]["value"]] for row in report["categories"]],
            percent={2},
        ),
        Sheet(
            _("By reply class"),
            [_("Class"), _("Meaning"), _("Assignments replied"), _("Share")],
            [[row["code"], row["name"], row["count"], row["share"]["value"]] for row in report["reply_classes"]],
            percent={3},
        ),
        Sheet(
            _("Units"),
            [
                _("Rank"),
                _("Unit"),
                _("Assigned"),
                _("Replied"),
                _("Replies due"),
                _("Replied on time"),
                _("On-time rate"),
                _("Rated"),
                _("Satisfied"),
                _("Satisfaction rate"),
                _("Solved (A)"),
                _("Solved rate"),
                _("Overdue now"),
                _("Co-handling"),
                _("Adjustments requested"),
            ],
            [
                [
                    row["rank"],
                    row["name"],
                    row["assigned"],
                    row["replied"],
                    row["on_time_rate"]["denominator"],
                    row["on_time_rate"]["numerator"],
                    row["on_time_rate"]["value"],
                    row["satisfaction_rate"]["denominator"],
                    row["satisfaction_rate"]["numerator"],
                    row["satisfaction_rate"]["value"],
                    row["solved_rate"]["numerator"],
                    row["solved_rate"]["value"],
                    row["overdue"],
                    row["co_handled"],
                    row["adjustments"],
                ]
                for row in report["units"]
            ],
            percent={6, 9, 11},
        ),
        Sheet(
            _("Key topics"),
            [_("Topic"), _("Key suggestions"), _("Closed"), pgettext("report", "Progress")],
            [[row["title"], row["count"], row["closed"], row["progress"]["value"]] for row in report["key_topics"]],
            percent={3},
        ),
    ]


def report_filename(report: dict[str, Any]) -> str:
    return _("%(period)s handling of deputies' suggestions") % {"period": report["period"]}


def report_xlsx_response(report: dict[str, Any]) -> HttpResponse:
    return workbook_response(report_filename(report).strip(), report_sheets(report))
