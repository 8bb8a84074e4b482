"""A small progress bar for `seed_scale`: stage, rows done of the total, rows a second, time spent.

On a terminal the line is redrawn in place ("\\r"); otherwise (a log file, CI) each stage writes one
line when it ends. The stages are kept for the closing table (`Progress.table`).
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TextIO

REDRAW_SECONDS = 0.2


@dataclass
class StageResult:
    name: str
    rows: int
    seconds: float


class Stage:
    """One stage being run: `advance(n)` counts units of work (e.g. suggestions made); `rows` is
    set at the end to the rows written in all tables."""

    def __init__(self, progress: Progress, name: str, total: int) -> None:
        self.progress = progress
        self.name = name
        self.total = total
        self.done = 0
        self.rows: int | None = None  # rows written in all tables; the units done when not set
        self.started = time.perf_counter()
        self._drawn = 0.0

    def advance(self, count: int = 1) -> None:
        self.done += count
        if self.progress.live:
            now = time.perf_counter()
            if now - self._drawn >= REDRAW_SECONDS:
                self._drawn = now
                self.progress.draw(self, end="")

    @property
    def elapsed(self) -> float:
        return time.perf_counter() - self.started


class Progress:
    """Stages with their rows and seconds. `enabled=False` draws nothing but still keeps the stages."""

    def __init__(self, stream: TextIO | None = None, *, enabled: bool = True, tty: bool | None = None) -> None:
        self.stream = stream if stream is not None else sys.stderr
        self.enabled = enabled
        isatty = getattr(self.stream, "isatty", None)
        self.tty = tty if tty is not None else bool(isatty and isatty())
        self.results: list[StageResult] = []

    @property
    def live(self) -> bool:
        return self.enabled and self.tty

    @contextmanager
    def stage(self, name: str, total: int = 0) -> Iterator[Stage]:
        stage = Stage(self, name, total)
        yield stage
        seconds = stage.elapsed
        self.results.append(StageResult(name, stage.done if stage.rows is None else stage.rows, seconds))
        if self.enabled:
            stage.done = max(stage.done, stage.total)
            self.draw(stage, end="\n")

    def draw(self, stage: Stage, *, end: str) -> None:
        elapsed = stage.elapsed
        rate = stage.done / elapsed if elapsed > 0 else 0.0
        total = f"{stage.total:,}" if stage.total else "?"
        line = f"{stage.name:<14} {stage.done:>12,} / {total:<12} {rate:>11,.0f} rows/s {elapsed:>8.1f} s"
        if self.tty:
            self.stream.write("\r" + line + "\x1b[K" + end)
        elif end:
            self.stream.write(line + end)
        self.stream.flush()

    @property
    def total_seconds(self) -> float:
        return sum(result.seconds for result in self.results)

    def table(self) -> str:
        """Stage, rows written and seconds, and the total."""
        lines = [f"{'stage':<14} {'rows':>12} {'seconds':>9}", "-" * 37]
        for result in self.results:
            lines.append(f"{result.name:<14} {result.rows:>12,} {result.seconds:>9.1f}")
        lines.append("-" * 37)
        lines.append(f"{'total':<14} {sum(r.rows for r in self.results):>12,} {self.total_seconds:>9.1f}")
        return "\n".join(lines)
