"""The pages and API calls `make bench` loads, and the targets each must meet (docs/PERFORMANCE.md).

Plain data, no Django: `bench/bench.py` drives them over HTTP with wrk, `bench/queries.py` and the
tests count their queries with accounts that have 2 and 2,000 rows. Paths may name values of the
manifest `seed_scale` writes (``{detail_suggestion_id}``, ``{qr_code}``, ...).
"""

from __future__ import annotations

from dataclasses import dataclass

# Accounts of seed_scale: the one with `--focus-rows` rows and its twin with 2.
SMALL_TWIN = {
    "bench_deputy": "bench_deputy_small",
    "bench_unit": "bench_unit_small",
    "bench_station": "bench_station_small",
}


@dataclass(frozen=True)
class Target:
    """What a row must reach: `ratio` of the trivial view's req/s, absolute `rps`, or `p95_ms` at most."""

    kind: str
    value: float

    def describe(self) -> str:
        if self.kind == "ratio":
            return f"≥ {self.value:.0%} of trivial"
        if self.kind == "rps":
            return f"≥ {self.value:g} req/s"
        return f"p95 ≤ {self.value:g} ms"

    def met(self, row: dict) -> bool:
        if self.kind == "ratio":
            return row["ratio"] >= self.value
        if self.kind == "rps":
            return row["rps"] >= self.value
        return row["p95_ms"] <= self.value


@dataclass(frozen=True)
class Page:
    name: str
    label: str
    path: str
    account: str | None = None
    method: str = "GET"
    # "warm": the normal server; "cold": a second server with the dashboard cache off.
    server: str = "warm"
    connections: int | None = None
    target: Target | None = None
    # Status codes that count as success (a POST that works redirects).
    ok_status: tuple[int, ...] = (200,)
    # The path for the account's 2-row twin, when it differs (detail pages name another row).
    small_path: str | None = None

    def url(self, manifest: dict, *, small: bool = False) -> str:
        path = self.small_path if small and self.small_path else self.path
        return path.format(**manifest)

    def small_account(self) -> str | None:
        return SMALL_TWIN.get(self.account or "")


LIST = Target("ratio", 0.10)
DASHBOARD = Target("ratio", 0.20)

PAGES: list[Page] = [
    Page("trivial", "Trivial view (/livez)", "/livez"),
    Page("portal_home", "Deputy portal home", "/portal/", "bench_deputy", target=LIST),
    Page("portal_suggestions", "Deputy's suggestion list", "/portal/suggestions/", "bench_deputy", target=LIST),
    Page(
        "suggestion_detail",
        "Suggestion detail with timeline",
        "/portal/suggestions/{detail_suggestion_id}/",
        "bench_deputy",
        target=LIST,
        small_path="/portal/suggestions/{small_detail_suggestion_id}/",
    ),
    Page("unit_todo", "Unit to-do list", "/desk/assignments/", "bench_unit", target=LIST),
    Page(
        "unit_assignment",
        "Unit assignment detail",
        "/desk/assignments/{detail_assignment_id}/",
        "bench_unit",
        target=LIST,
        small_path="/desk/assignments/{small_detail_assignment_id}/",
    ),
    Page("station_issues", "Station issue list", "/desk/stations/issues/", "bench_station", target=LIST),
    Page("dashboard_warm", "Dashboard overview (warm)", "/dashboard/", "bench_leader", target=DASHBOARD),
    Page(
        "dashboard_cold",
        "Dashboard overview (cold, one at a time)",
        "/dashboard/",
        "bench_leader",
        server="cold",
        connections=1,
        target=Target("p95_ms", 300),
    ),
    Page("stats_suggestions", "Stats API: suggestions", "/api/v1/stats/suggestions/", "bench_leader", target=DASHBOARD),
    Page("stats_units", "Stats API: units", "/api/v1/stats/units/", "bench_leader", target=DASHBOARD),
    Page("stats_deputies", "Stats API: deputies", "/api/v1/stats/deputies/", "bench_leader", target=DASHBOARD),
    Page("stats_issues", "Stats API: public issues", "/api/v1/stats/public-issues/", "bench_leader", target=DASHBOARD),
    Page("stats_stations", "Stats API: stations", "/api/v1/stats/stations/", "bench_leader", target=DASHBOARD),
    Page(
        "admin_changelist",
        "Admin suggestion changelist (all rows)",
        "/admin/suggestions/suggestion/",
        "bench_admin",
        target=Target("rps", 150),
    ),
    Page(
        "qr_intake",
        "QR intake POST (a citizen writes)",
        "/q/{qr_code}",
        method="POST",
        ok_status=(302,),
        target=Target("ratio", 0.25),
    ),
    Page("tracking", "Tracking page (citizen)", "/track/{tracking_code}", target=LIST),
]

BY_NAME = {page.name: page for page in PAGES}
