"""The dashboard's pages: access for every page, every number a link to exactly as many records (on
the known data set of tests/dashboard/builders.py), the Excel export of every table, the filter bar,
empty states, and query budgets independent of the number of suggestions and issues."""

from __future__ import annotations

import datetime
import io
import re
from html.parser import HTMLParser
from typing import Any
from urllib.parse import parse_qs, urlsplit

import openpyxl
import pytest
from django.http import QueryDict
from django.urls import resolve, reverse
from django.utils import timezone

from congress.excel import XLSX_TYPE
from congress.roles import Role
from congress.services import user_assign_role
from dashboard.filters import StatsFilter
from dashboard.kinds import KINDS
from dashboard.stats import unit_stats
from liaison_stations.choices import Channel
from suggestions import services
from suggestions.models import Assignment
from tests.congress.factories import CongressFactory, HandlingUnitFactory, SubjectCategoryFactory, UserFactory
from tests.dashboard.builders import build_known
from tests.liaison_stations.factories import StationFactory
from tests.liaison_stations.factories_issues import PublicIssueFactory
from tests.queries import assert_same_query_count

pytestmark = pytest.mark.django_db

PAGES = ("overview", "suggestions", "units", "deputies", "issues", "stations")
YEAR = {"year": "2026"}  # the known data set's year


# --- reading a page back -----------------------------------------------------------------------------


class PageParser(HTMLParser):
    """The links of a page (href, attributes, text) and the shape of its tables (header cells, body rows)."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[dict[str, Any]] = []
        self.tables: dict[str, dict[str, int]] = {}
        self._open: list[dict[str, Any]] = []
        self._table: str | None = None
        self._in_body = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "a":
            self._open.append({"href": attributes.get("href") or "", "attrs": attributes, "text": ""})
        elif tag == "table" and (attributes.get("data-testid") or "").startswith("table-"):
            self._table = attributes["data-testid"].removeprefix("table-")
            self.tables[self._table] = {"headers": 0, "rows": 0}
        elif tag == "tbody":
            self._in_body = True
        elif self._table and tag == "th" and attributes.get("scope") == "col":
            self.tables[self._table]["headers"] += 1
        elif self._table and tag == "tr" and self._in_body:
            self.tables[self._table]["rows"] += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._open:
            link = self._open.pop()
            link["text"] = link["text"].strip()
            self.links.append(link)
        elif tag == "tbody":
            self._in_body = False
        elif tag == "table":
            self._table = None

    def handle_data(self, data: str) -> None:
        for link in self._open:
            link["text"] += data

    def testid(self, value: str) -> list[dict[str, Any]]:
        return [link for link in self.links if link["attrs"].get("data-testid") == value]


def parse(response: Any) -> PageParser:
    parser = PageParser()
    parser.feed(response.content.decode())
    return parser


def page(client: Any, name: str, **params: Any) -> Any:
    response = client.get(reverse(f"dashboard:{name}"), params)
    assert response.status_code == 200, response.content[:500]
    return response


def records_behind(user: Any, href: str) -> int:
    """How many records the drill-down list at `href` has (it must be a dashboard:records URL)."""
    parts = urlsplit(href)
    match = resolve(parts.path)
    assert match.view_name == "dashboard:records", href
    f = StatsFilter.parse(user, QueryDict(parts.query))
    return KINDS[match.kwargs["kind"]].records(f, match.kwargs["figure"]).count()


def record_count_page(client: Any, href: str) -> int:
    response = client.get(href)
    assert response.status_code == 200, href
    match = re.search(rb'data-testid="record-count">(\d+)<', response.content)
    assert match, href
    return int(match.group(1))


@pytest.fixture
def known(request: Any) -> Any:
    return build_known(request)


# --- access ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", PAGES)
def test_anonymous_users_are_sent_to_the_login(client, world, name):
    response = client.get(reverse(f"dashboard:{name}"))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


@pytest.mark.parametrize("role", ["deputy_user", "unit_user", "station_user", "committee_user", "plain_user"])
@pytest.mark.parametrize("name", PAGES)
def test_other_roles_are_refused(client, request, role, name):
    client.force_login(request.getfixturevalue(role))
    assert client.get(reverse(f"dashboard:{name}")).status_code == 403


@pytest.mark.parametrize("role", ["leader_user", "office_user", "admin_user"])
@pytest.mark.parametrize("name", PAGES)
def test_leaders_office_staff_and_administrators_see_every_page(client, request, role, name):
    client.force_login(request.getfixturevalue(role))
    response = page(client, name)
    assert f'data-testid="dashboard-{name}"'.encode() in response.content


@pytest.mark.parametrize("name", PAGES)
def test_another_congress_is_not_found_and_bad_filters_are_refused(client, world, leader_user, name):
    client.force_login(leader_user)
    url = reverse(f"dashboard:{name}")
    assert client.get(url, {"congress": world.b.congress.pk}).status_code == 404
    assert client.get(url, {"congress": world.a.congress.pk}).status_code == 200
    assert client.get(url, {"year": "abc"}).status_code == 400
    assert client.get(url, {"date_from": "2026-05-01", "date_to": "2026-04-01"}).status_code == 400


def test_the_navigation_and_the_home_page_lead_leaders_to_the_dashboard(client, leader_user, unit_user):
    # given a leader
    client.force_login(leader_user)
    # when they open the home page
    links = parse(client.get(reverse("home")))
    # then the navigation and a card lead to the dashboard
    hrefs = [link["href"] for link in links.links]
    assert hrefs.count(reverse("dashboard:overview")) == 2
    assert links.testid("home-dashboard")
    # and a unit's staff see neither
    client.force_login(unit_user)
    assert reverse("dashboard:overview") not in [link["href"] for link in parse(client.get(reverse("home"))).links]


# --- the figures and their links -------------------------------------------------------------------------


def test_every_number_on_every_page_links_to_as_many_records(client, known, leader_user):
    """Every link to a records list whose text is a whole number (a count) lists exactly that many
    records; sums (hours, residents) are marked data-sum and link to the records summed."""
    client.force_login(leader_user)
    for name in PAGES:
        parsed = parse(page(client, name, **YEAR))
        checked = 0
        for link in parsed.links:
            if not link["href"].startswith("/dashboard/records/"):
                continue
            assert "year=2026" in link["href"], link  # the page's filters go along
            behind = records_behind(leader_user, link["href"])
            if link["text"].isdigit() and "data-sum" not in link["attrs"]:
                assert behind == int(link["text"]), (name, link)
                checked += 1
        assert checked > 5, name


def test_the_league_overdue_a_category_and_a_kpi_lead_to_their_records(client, known, leader_user):
    client.force_login(leader_user)
    # the league: the lead unit is the one lagging unit (S5 and S7 overdue)
    parsed = parse(page(client, "units", **YEAR))
    lagging = parsed.testid("lagging-unit")
    assert len(lagging) == 1
    href = lagging[0]["href"]
    assert resolve(urlsplit(href).path).kwargs == {"kind": "assignments", "figure": "overdue"}
    assert parse_qs(urlsplit(href).query)["unit"] == [str(known.lead_unit.pk)]
    assert lagging[0]["text"] == "2"
    assert record_count_page(client, href) == 2

    # the overview: a bar of the category chart and the suggestions received
    overview = page(client, "overview", **YEAR)
    parsed = parse(overview)
    received = parsed.testid("kpi-received-link")[0]
    assert received["text"] == "14"  # S1–S14 (S0 is a draft, S15 of 2025)
    assert record_count_page(client, received["href"]) == 14
    category = [
        link
        for link in parsed.links
        if f"category={known.a.subject_category.pk}" in link["href"] and "/suggestions/received/" in link["href"]
    ]
    assert category
    assert record_count_page(client, category[0]["href"]) == int(category[0]["text"]) == 13  # S14 is of category 2
    # the chart's data carries the same link for the same bar
    assert category[0]["href"].replace("&", "\\u0026").encode() in overview.content

    # a rate: "n / d" both linked
    numerator = parsed.testid("kpi-on_time-numerator")[0]
    denominator = parsed.testid("kpi-on_time-denominator")[0]
    assert record_count_page(client, numerator["href"]) == int(numerator["text"])
    assert record_count_page(client, denominator["href"]) == int(denominator["text"])


def test_the_overview_lists_lagging_units_beyond_its_top_ten(client, world, leader_user, office_user, deputy_user):
    # given eleven units on time and, last in the league, one with an overdue assignment
    today = timezone.localdate()
    classes = {rc.code: rc for rc in services.reply_classes_ensure(congress=world.a.congress)}
    for index in range(11):
        unit = HandlingUnitFactory(congress=world.a.congress, name=f"甲市按时单位{index:02d}")
        staff = user_assign_role(user=UserFactory(), role=Role.UNIT, congress=world.a.congress, unit=unit)
        suggestion = _assigned(
            world, deputy_user, office_user, unit, f"按时{index}", today - datetime.timedelta(days=120)
        )
        assignment = Assignment.objects.live().get(suggestion=suggestion, unit=unit)
        services.reply_submit(
            assignment=assignment,
            actor=staff,
            reply_class=classes["A"],
            text="已解决。",
            document_number=f"函{index}",
            signer="局长",
            on=today - datetime.timedelta(days=100),
        )
    late_unit = HandlingUnitFactory(congress=world.a.congress, name="甲市滞后单位")
    _assigned(world, deputy_user, office_user, late_unit, "滞后", today - datetime.timedelta(days=120))
    client.force_login(leader_user)
    # when the leader opens the overview
    parsed = parse(page(client, "overview"))
    # then the lagging unit is listed below the top ten, its overdue count linked
    lagging = parsed.testid("lagging-unit")
    assert [parse_qs(urlsplit(link["href"]).query)["unit"] for link in lagging] == [[str(late_unit.pk)]]
    assert parsed.tables["league"]["rows"] == 11


# --- Excel ---------------------------------------------------------------------------------------------


def test_every_table_exports_to_excel_with_its_rows(client, known, leader_user):
    client.force_login(leader_user)
    exported = 0
    for name in PAGES:
        url = reverse(f"dashboard:{name}")
        response = page(client, name, **YEAR)
        parsed = parse(response)
        exports = [link for link in parsed.links if link["attrs"].get("data-testid", "").startswith("export-")]
        assert exports, name
        tables = {link["attrs"]["data-testid"].removeprefix("export-") for link in exports}
        for link in exports:
            table = link["attrs"]["data-testid"].removeprefix("export-")
            parts = urlsplit(link["href"])
            assert parts.path == url
            assert parse_qs(parts.query) == {"year": ["2026"], "export": [table]}
            download = client.get(link["href"])
            assert download.status_code == 200
            assert download["Content-Type"] == XLSX_TYPE
            assert "attachment" in download["Content-Disposition"]
            sheet = openpyxl.load_workbook(io.BytesIO(download.content)).active
            rows = list(sheet.iter_rows(values_only=True))
            if table in parsed.tables:
                shape = parsed.tables[table]
                assert len(rows[0]) == shape["headers"], (name, table)
                assert len(rows) - 1 == shape["rows"], (name, table)
            exported += 1
        if name == "overview":
            # the KPI cards, exported as a table
            assert "figures" in tables
            assert "figures" not in parsed.tables
            assert len(list(sheet_rows(client, url, "figures"))) == 1 + 12
    assert exported > 20


def sheet_rows(client: Any, url: str, table: str) -> list[tuple[Any, ...]]:
    download = client.get(url, {**YEAR, "export": table})
    assert download.status_code == 200
    return list(openpyxl.load_workbook(io.BytesIO(download.content)).active.iter_rows(values_only=True))


def test_the_league_exports_numbers_and_rates_as_percentages(client, known, leader_user):
    client.force_login(leader_user)
    header, *rows = sheet_rows(client, reverse("dashboard:units"), "league")
    assert len(header) == 10
    assert [row[0] for row in rows] == list(range(1, len(rows) + 1))  # the rank
    by_unit = {row[1]: row for row in rows}
    lead = by_unit[known.lead_unit.name]
    assert lead[9] == 2  # overdue, a number
    assert all(isinstance(value, int) for value in lead[2:5])
    figures = next(row for row in unit_stats(StatsFilter.parse(leader_user, YEAR))["units"] if row["name"] == lead[1])
    on_time = figures["on_time_rate"]
    assert lead[5] == round(100 * on_time["numerator"] / on_time["denominator"], 1)  # the rate in percent


def test_an_unknown_export_is_not_found(client, leader_user):
    client.force_login(leader_user)
    assert client.get(reverse("dashboard:units"), {"export": "nothing"}).status_code == 404


# --- the filter bar, empty states, presentation ----------------------------------------------------------


def test_the_filter_bar_offers_the_users_congress_only(client, world, leader_user, admin_user):
    client.force_login(leader_user)
    content = page(client, "overview").content.decode()
    assert world.a.station.name in content
    assert world.a.unit.name in content
    assert world.b.station.name not in content
    assert world.b.unit.name not in content
    assert 'name="congress"' not in content  # one congress: nothing to choose
    assert f'name="year" value="{timezone.localdate().year}"' in content  # the current year by default

    client.force_login(admin_user)
    content = page(client, "overview").content.decode()
    assert 'name="congress"' in content
    assert world.b.station.name in content
    content = page(client, "overview", congress=world.b.congress.pk).content.decode()
    assert world.b.station.name in content
    assert world.a.station.name not in content


def test_the_applied_filters_are_shown_with_a_reset_link(client, world, leader_user):
    client.force_login(leader_user)
    response = page(client, "suggestions", year=2025, unit=world.a.unit.pk, station=world.a.station.pk)
    parsed = parse(response)
    content = response.content.decode()
    assert 'data-filter="unit"' in content
    assert 'data-filter="station"' in content
    assert world.a.station.name in content.split('data-testid="applied-filters"')[1]
    assert parsed.testid("filter-reset")[0]["href"] == reverse("dashboard:suggestions")
    # the section tabs carry the filters along
    tabs = [link["href"] for link in parsed.links if link["href"].startswith(reverse("dashboard:units"))]
    assert tabs
    assert all("year=2025" in href and f"unit={world.a.unit.pk}" in href for href in tabs)


def test_a_congress_without_stations_shows_short_messages_instead_of_charts(client, db):
    # given a congress with no station and no record at all
    congress = CongressFactory(name="丙市人民代表大会")
    leader = user_assign_role(user=UserFactory(username="leader-c"), role=Role.LEADER, congress=congress)
    client.force_login(leader)
    # then the pages show messages, no empty chart
    content = page(client, "stations").content.decode()
    assert 'data-testid="empty-chart-stations"' in content
    assert 'data-chart="chart-data-stations"' not in content
    content = page(client, "overview").content.decode()
    assert 'data-testid="empty-chart-stations_loop"' in content
    assert 'data-testid="empty-chart-by_category"' in content
    assert "data-chart=" not in content


def test_charts_are_drawn_by_the_static_script_from_json_data(client, known, leader_user):
    client.force_login(leader_user)
    content = page(client, "overview", **YEAR).content.decode()
    assert "vendor/echarts/echarts.min.js" in content
    assert "dashboard/dashboard.js" in content
    for chart in ("trend", "by_category", "by_status", "overdue", "stations_loop", "coverage"):
        assert f'data-chart="chart-data-{chart}"' in content
        assert f'<script id="chart-data-{chart}" type="application/json">' in content
    # no inline code: every <script> has a src or is JSON data
    for tag in re.findall(r"<script[^>]*>", content):
        assert "src=" in tag or 'type="application/json"' in tag, tag


def test_large_type_is_kept_in_the_address(client, leader_user):
    client.force_login(leader_user)
    content = page(client, "overview", present=1).content.decode()
    assert "dash-present" in content
    assert '<input type="hidden" name="present" value="1">' in content


# --- query budgets -------------------------------------------------------------------------------------------


def _assigned(world: Any, deputy_user: Any, office_user: Any, unit: Any, title: str, on: datetime.date, **options: Any):
    suggestion = services.suggestion_create(
        actor=deputy_user,
        deputy=deputy_user.deputy,
        session=world.a.session,
        title=title,
        body="建议……",
        category=options.get("category") or world.a.subject_category,
    )
    services.suggestion_submit(suggestion=suggestion, actor=deputy_user, on=on)
    services.suggestion_review(suggestion=suggestion, actor=office_user, decision="accept")
    return services.suggestion_assign(suggestion=suggestion, actor=office_user, lead_units=[unit], on=on)


def _rows(world: Any, deputy_user: Any, office_user: Any, count: int, start: int) -> None:
    """`count` suggestions assigned to new units in new categories, and as many citizens' issues at new
    stations through every channel: more groups in every breakdown."""
    on = timezone.localdate() - datetime.timedelta(days=120)
    channels = list(Channel.values)
    for index in range(start, start + count):
        unit = HandlingUnitFactory(congress=world.a.congress, name=f"甲市单位{index:02d}")
        category = SubjectCategoryFactory(counterpart_committee=world.a.committee, name=f"甲市类别{index:02d}")
        _assigned(world, deputy_user, office_user, unit, f"建议{index}", on, category=category)
        station = StationFactory(congress=world.a.congress, name=f"甲市第{index:02d}联络站")
        PublicIssueFactory(station=station, channel=channels[index % len(channels)])


@pytest.mark.parametrize("name", PAGES)
def test_each_page_takes_the_same_queries_for_2_and_20_rows(
    client, world, leader_user, office_user, deputy_user, settings, django_assert_num_queries, name
):
    settings.DASHBOARD_CACHE_SECONDS = 0  # every fetch computes the figures
    _rows(world, deputy_user, office_user, 2, 0)
    client.force_login(leader_user)
    url = reverse(f"dashboard:{name}")
    few, many = assert_same_query_count(
        django_assert_num_queries,
        lambda: client.get(url),
        lambda: _rows(world, deputy_user, office_user, 18, 2),
    )
    assert few.status_code == many.status_code == 200


@pytest.mark.parametrize("name", ["overview", "units"])
def test_an_export_takes_the_same_queries_for_2_and_20_rows(
    client, world, leader_user, office_user, deputy_user, settings, django_assert_num_queries, name
):
    settings.DASHBOARD_CACHE_SECONDS = 0
    _rows(world, deputy_user, office_user, 2, 0)
    client.force_login(leader_user)
    url = reverse(f"dashboard:{name}")
    few, many = assert_same_query_count(
        django_assert_num_queries,
        lambda: client.get(url, {"export": "league"}),
        lambda: _rows(world, deputy_user, office_user, 18, 2),
    )
    assert few.status_code == many.status_code == 200
