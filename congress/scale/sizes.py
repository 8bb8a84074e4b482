"""How much data `seed_scale` makes: the full benchmark size, a small one for SQLite and a tiny one for tests."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Sizes:
    """Row counts asked for. Each is the total of its table (the bench accounts' rows are part of
    it): `deputies` persons, `congresses`, `suggestions`, public `issues` and `stations`;
    `focus_rows` is how many rows the bench accounts with a big list get (see `build`)."""

    deputies: int = 100_000
    congresses: int = 100
    suggestions: int = 300_000
    issues: int = 1_000_000
    stations: int = 4_000
    focus_rows: int = 2_000

    @classmethod
    def default(cls) -> Sizes:
        return cls()

    @classmethod
    def small(cls) -> Sizes:
        """Quick on SQLite; the big lists of the bench accounts are smaller too."""
        return cls(deputies=2_000, congresses=10, suggestions=3_000, issues=10_000, stations=40, focus_rows=500)

    @classmethod
    def tiny(cls, focus_rows: int = 2) -> Sizes:
        """A few rows of everything, for tests: enough suggestions and issues for `focus_rows`."""
        return cls(
            deputies=120,
            congresses=5,
            suggestions=40 + minimum_suggestions(focus_rows),
            issues=30 + minimum_issues(focus_rows),
            stations=6,
            focus_rows=focus_rows,
        )

    def replace(self, **changes: Any) -> Sizes:
        """A copy with the given counts changed (None leaves a count as it is)."""
        return dataclasses.replace(self, **{key: value for key, value in changes.items() if value is not None})

    def problems(self) -> list[str]:
        """What makes these sizes impossible to build, in words for the command line."""
        problems = []
        if self.congresses < 4:
            problems.append("--congresses must be at least 4 (national, province, a city and a county).")
        if self.focus_rows < 2:
            problems.append("--focus-rows must be at least 2.")
        if self.deputies < 30 * max(self.congresses, 1) // 10 + 20:
            problems.append(
                f"--deputies must be at least {30 * self.congresses // 10 + 20} for {self.congresses} congresses."
            )
        if self.stations < 4:
            problems.append("--stations must be at least 4 (three in the focus congress, one in a county).")
        if self.suggestions < minimum_suggestions(self.focus_rows) + self.congresses:
            problems.append(
                f"--suggestions must be at least {minimum_suggestions(self.focus_rows) + self.congresses} "
                f"for --focus-rows {self.focus_rows}."
            )
        if self.issues < minimum_issues(self.focus_rows) + self.stations:
            problems.append(
                f"--issues must be at least {minimum_issues(self.focus_rows) + self.stations} "
                f"for --focus-rows {self.focus_rows} and {self.stations} stations."
            )
        return problems

    def as_dict(self) -> dict[str, int]:
        return dataclasses.asdict(self)


def minimum_suggestions(focus_rows: int) -> int:
    """The focus congress's own: bench_deputy's, bench_deputy_small's 2, bench_unit's and bench_unit_small's 2."""
    return 2 * focus_rows + 4


def minimum_issues(focus_rows: int) -> int:
    """bench_station's station and bench_station_small's 2."""
    return focus_rows + 2
