"""The leaders' dashboard in a real Chromium: ECharts draws every chart of every section from the
page's JSON data, without a console error, and a chart's bar leads to the records behind it. The data
is the known data set of the dashboard's own tests (tests/dashboard/builders.py, year 2026)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.dashboard.builders import build_known
from tests.e2e.conftest import with_password

pytestmark = pytest.mark.e2e

OVERVIEW_CHARTS = {
    "chart-trend",
    "chart-by_category",
    "chart-by_status",
    "chart-overdue",
    "chart-stations_loop",
    "chart-coverage",
}
SECTIONS = ("suggestions", "units", "deputies", "issues", "stations")


def drawn_charts(page) -> list[str]:
    """The ids of the page's chart elements, once ECharts has drawn each of them as an SVG with shapes."""
    charts = page.locator("[data-dashboard] [data-chart]")
    ids = [charts.nth(index).get_attribute("id") for index in range(charts.count())]
    for chart_id in ids:
        expect(page.locator(f"#{chart_id} svg path").first).to_be_attached()
    return ids


def test_a_leader_opens_the_dashboard_and_every_chart_is_drawn(browsing, request, leader_user):
    # given the known data set of 2026, and a leader of congress A logging in
    build_known(request)
    with_password(leader_user)
    page = browsing.open()
    browsing.login(page, leader_user, next_url="/dashboard/")
    expect(page.locator("[data-testid=dashboard-overview]")).to_be_visible()

    # when the leader asks for the year 2026 in the filter bar
    page.locator("#filter-year").fill("2026")
    page.locator("[data-testid=filter-bar] button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/dashboard/\?.*year=2026"))

    # then every chart of the overview is drawn, none is replaced by an empty message
    assert set(drawn_charts(page)) == OVERVIEW_CHARTS
    expect(page.locator("[data-testid^=empty-]")).to_have_count(0)
    browsing.shot(page, "1-overview")

    # and the large type for a projector redraws them (and keeps it in the address)
    page.locator("[data-present-toggle]").click()
    expect(page).to_have_url(re.compile(r"present=1"))
    assert set(drawn_charts(page)) == OVERVIEW_CHARTS
    browsing.shot(page, "2-large-type")
    page.locator("[data-present-toggle]").click()

    # when the leader clicks the first bar of the categories chart (drawn in the first series' colour,
    # PALETTE[0] of static/dashboard/dashboard.js), the records behind it open
    bar = page.locator("#chart-by_category svg path[fill='#a4161a']").first
    expect(bar).to_be_visible()
    bar.click()
    expect(page).to_have_url(re.compile(r"/dashboard/records/suggestions/"))
    expect(page.locator("[data-testid=record-count]")).to_have_text(re.compile(r"^[1-9]\d*$"))
    browsing.shot(page, "3-records")
    page.go_back()

    # then every section tab draws its charts too
    for section in SECTIONS:
        page.locator(f".dash-nav a[href^='/dashboard/{section}/']").click()
        expect(page.locator(f"[data-testid=dashboard-{section}]")).to_be_visible()
        assert drawn_charts(page), section
        browsing.shot(page, f"4-{section}")
    browsing.assert_no_console_errors()
