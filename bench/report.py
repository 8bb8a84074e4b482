"""`make bench`, the report: joins the HTTP, query-count and sweep figures (and the seeding times
from the manifest) into ``<out>/report.json`` and ``<out>/report.md``, prints the Markdown, and
with `--enforce` exits 1 when a target is missed (the full run; smaller runs only report). Errors
(non-2xx/3xx answers) and pages whose query count grows with the rows always fail."""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SWEEP_SECONDS = 10.0
# "Flat" memory: the big sweep may grow the process by at most this much more than the small one.
SWEEP_MEMORY_SLACK_MB = 16.0


def load(path: Path) -> dict | None:
    return json.loads(path.read_text()) if path.exists() else None


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def memory_gib() -> float | None:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                return round(int(line.split()[1]) / 2**20, 1)
    except OSError:
        pass
    return None


def mark(met: bool | None) -> str:
    return "" if met is None else ("✅" if met else "❌ missed")


def build(out: Path) -> tuple[dict, str]:
    manifest = load(out / "manifest.json") or {}
    http = load(out / "http.json")
    queries = load(out / "queries.json")
    sweep = load(out / "sweep.json")
    report = {
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "machine": {"cpu": cpu_model(), "cpus": os.cpu_count(), "memory_gib": memory_gib(), "os": platform.platform()},
        "database": manifest.get("database"),
        "sizes": manifest.get("sizes"),
        "rows": manifest.get("rows"),
        "seed_seconds": manifest.get("seconds"),
        "seed_total_seconds": manifest.get("total_seconds"),
        "http": http,
        "queries": queries,
        "sweep": sweep,
    }
    missed: list[str] = []
    failures: list[str] = []
    lines = [
        "# Benchmark",
        "",
        f"- Date: {report['date']}",
        f"- Machine: {report['machine']['cpu']}, {report['machine']['cpus']} CPUs, "
        f"{report['machine']['memory_gib']} GiB, {report['machine']['os']}",
        f"- Database: {report['database'] or 'unknown'}",
    ]
    if manifest.get("sizes"):
        shown = ", ".join(f"{name} {count:,}" for name, count in manifest["sizes"].items())
        lines.append(f"- Sizes asked: {shown}")
    if manifest.get("rows"):
        biggest = sorted(manifest["rows"].items(), key=lambda item: -item[1])[:8]
        lines.append("- Largest tables: " + ", ".join(f"{name} {count:,}" for name, count in biggest))
    if manifest.get("total_seconds") is not None:
        lines.append(f"- seed_scale took {manifest['total_seconds']} s")
    if http:
        settings = http["settings"]
        lines += [
            f"- Server: gunicorn, {settings['gunicorn_workers']} sync workers, production settings; load: "
            f"{settings['load_tool']}, {settings['connections']} connections, {settings['duration_s']} s or "
            f"{settings['max_requests']:,} requests per row, whichever ends first",
            f"- Trivial view runs (req/s): {', '.join(str(value) for value in http['trivial_rps_runs'])}",
            "",
            "## Pages and API calls",
            "",
            "| Page | req/s | p50 ms | p95 ms | ratio to trivial | errors | target | |",
            "|---|---:|---:|---:|---:|---:|---|---|",
        ]
        for row in http["rows"]:
            lines.append(
                f"| {row['label']} | {row['rps']:.1f} | {row['p50_ms']:.1f} | {row['p95_ms']:.1f} | "
                f"{row['ratio']:.1%} | {row['errors']} | {row['target']} | {mark(row['met'])} |"
            )
            if row["met"] is False:
                missed.append(row["label"])
            if row["errors"]:
                failures.append(f"{row['label']}: {row['errors']} errors")
    if queries:
        lines += [
            "",
            f"## Queries per page ({queries.get('focus_rows') or 2000} rows and 2 rows)",
            "",
            "| Page | queries, many rows | queries, 2 rows | constant | big sequential scans |",
            "|---|---:|---:|---|---|",
        ]
        for row in queries["rows"]:
            two = "—" if row["rows_two"] is None else str(row["rows_two"])
            constant = None if row["rows_two"] is None else row["rows_two"] == row["rows_many"]
            scans = ", ".join(sorted({scan["table"] for scan in row.get("seq_scans", [])})) or "none"
            lines.append(f"| {row['label']} | {row['rows_many']} | {two} | {mark(constant)} | {scans} |")
            if row.get("seq_scans"):
                missed.append(f"{row['label']} (sequential scan of {scans})")
            if constant is False:
                failures.append(f"{row['label']}: queries grow with the rows")
    if sweep:
        lines += [
            "",
            f"## Reminder sweep (as of {sweep['as_of']})",
            "",
            "| open issues | issues due | seconds | memory growth MB | reminders (all kinds) | notifications |",
            "|---:|---:|---:|---:|---:|---:|",
        ]
        for run in sweep["runs"]:
            counts = run["report"]
            others = counts.get("other_sweeps", {}).values()
            reminders = counts.get("total_reminders", 0) + sum(other.get("reminders", 0) for other in others)
            told = sum(other.get("notifications", 0) for other in others)
            notifications = counts.get("total_notifications", 0) + told
            lines.append(
                f"| {run['open_items']:,} | {run['due_items']:,} | {run['seconds']} | {run['memory_grown_mb']} | "
                f"{reminders:,} | {notifications:,} |"
            )
        big, small = sweep["runs"][-1], sweep["runs"][0]
        fast = big["seconds"] <= SWEEP_SECONDS
        flat = big["memory_grown_mb"] <= small["memory_grown_mb"] + SWEEP_MEMORY_SLACK_MB
        lines += [
            "",
            f"- Target ≤ {SWEEP_SECONDS:g} s with the most open items: {mark(fast)}",
            f"- Flat memory (the big run grows at most {SWEEP_MEMORY_SLACK_MB:g} MB more than the small): {mark(flat)}",
        ]
        if not fast:
            missed.append("reminder sweep time")
        if not flat:
            missed.append("reminder sweep memory")
    lines += ["", "Missed: " + "; ".join(missed) if missed else "All targets met."]
    if failures:
        lines += ["", "Failures: " + "; ".join(failures)]
    report["missed"] = missed
    report["failures"] = failures
    return report, "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "var" / "bench"))
    parser.add_argument("--enforce", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args()
    out = Path(args.out)
    report, markdown = build(out)
    (out / "report.json").write_text(json.dumps(report, ensure_ascii=False, indent=2))
    (out / "report.md").write_text(markdown)
    print(markdown)
    print(f"Written: {out / 'report.md'} and {out / 'report.json'}")
    if report["failures"] or (args.enforce and report["missed"]):
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
