"""`make bench`, the HTTP part: serve the scale data with gunicorn and load each key page with wrk.

Run by bench/run.sh after the database is seeded (`manage.py seed_scale`); reads the manifest it
wrote. Two gunicorn servers run on 127.0.0.1 with the production settings behind a pretend TLS
proxy (``X-Forwarded-Proto: https``): the normal one, and a second with the dashboard cache off for
the cold dashboard. Every page is loaded in the same run as the trivial view (/livez), which is
measured at the start, in the middle and at the end; each page's req/s is divided by their mean.
Each load is bounded by time (``--duration``) and by requests (``--max-requests``).

Writes ``<out>/http.json`` and prints a Markdown table; bench/report.py joins it with the query and
sweep figures. Standard library only, so it runs before anything else is importable.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import shutil
import signal
import subprocess
import sys
import time
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.pages import PAGES, Page  # noqa: E402

LUA = ROOT / "bench" / "wrk" / "measure.lua"
HOST = "127.0.0.1"
PROXY_HEADERS = {"X-Forwarded-Proto": "https"}
INTAKE_TEXT = "压测：小区门口路灯不亮，晚上出行不便，请帮忙反映。"


class BenchError(RuntimeError):
    pass


# --- HTTP without a library -------------------------------------------------------------------


def fetch(port: int, method: str, path: str, *, headers: dict | None = None, body: str | None = None):
    connection = http.client.HTTPConnection(HOST, port, timeout=120)
    try:
        connection.request(method, path, body=body, headers={**PROXY_HEADERS, **(headers or {})})
        response = connection.getresponse()
        data = response.read()
        return response.status, response.msg.get_all("Set-Cookie") or [], data
    finally:
        connection.close()


def cookies_of(set_cookie: list[str]) -> dict[str, str]:
    jar: dict[str, str] = {}
    for line in set_cookie:
        parsed = SimpleCookie()
        parsed.load(line)
        jar.update({name: morsel.value for name, morsel in parsed.items()})
    return jar


def cookie_header(jar: dict[str, str]) -> str:
    return "; ".join(f"{name}={value}" for name, value in jar.items())


def log_in(port: int, username: str, password: str) -> dict[str, str]:
    """A real login through the form (CSRF, django-axes and all); returns the cookies."""
    status, set_cookie, _body = fetch(port, "GET", "/accounts/login/")
    jar = cookies_of(set_cookie)
    if status != 200 or "csrftoken" not in jar:
        raise BenchError(f"login page answered {status} without a CSRF cookie")
    body = urlencode({"username": username, "password": password, "csrfmiddlewaretoken": jar["csrftoken"]})
    status, set_cookie, _body = fetch(
        port,
        "POST",
        "/accounts/login/",
        headers={
            "Cookie": cookie_header(jar),
            "Content-Type": "application/x-www-form-urlencoded",
            "Referer": f"https://{HOST}:{port}/accounts/login/",
        },
        body=body,
    )
    jar.update(cookies_of(set_cookie))
    if status != 302 or "sessionid" not in jar:
        raise BenchError(f"{username} could not log in (status {status}); was the database seeded with seed_scale?")
    return jar


def intake_request(port: int, path: str) -> tuple[dict[str, str], str]:
    """Headers and body of a citizen's QR submission: the CSRF cookie from the page, the form's fields."""
    status, set_cookie, _body = fetch(port, "GET", path)
    jar = cookies_of(set_cookie)
    if status != 200 or "csrftoken" not in jar:
        raise BenchError(f"the intake page {path} answered {status} without a CSRF cookie")
    body = urlencode(
        {
            "csrfmiddlewaretoken": jar["csrftoken"],
            "content": INTAKE_TEXT,
            "location": "",
            "citizen_name": "",
            "citizen_phone": "",
            "website": "",
        }
    )
    headers = {
        "Cookie": cookie_header({"csrftoken": jar["csrftoken"]}),
        "Content-Type": "application/x-www-form-urlencoded",
        "Referer": f"https://{HOST}:{port}{path}",
    }
    return headers, body


# --- servers ----------------------------------------------------------------------------------


class Server:
    def __init__(self, *, port: int, workers: int, env: dict[str, str], name: str, log_dir: Path) -> None:
        self.port, self.workers, self.env, self.name = port, workers, env, name
        self.log = log_dir / f"gunicorn-{name}.log"
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> Server:
        gunicorn = ROOT / ".venv" / "bin" / "gunicorn"
        command = [
            str(gunicorn if gunicorn.exists() else shutil.which("gunicorn") or "gunicorn"),
            "congress.wsgi:application",
            "--bind",
            f"{HOST}:{self.port}",
            "--workers",
            str(self.workers),
            "--worker-class",
            "sync",
            "--backlog",
            "2048",
            "--log-level",
            "warning",
        ]
        with self.log.open("w") as log:
            self.process = subprocess.Popen(  # noqa: S603
                command, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise BenchError(f"gunicorn ({self.name}) exited; see {self.log}")
            try:
                if fetch(self.port, "GET", "/livez")[0] == 200:
                    return self
            except OSError:
                pass
            time.sleep(0.3)
        raise BenchError(f"gunicorn ({self.name}) did not answer /livez within 60 s; see {self.log}")

    def __exit__(self, *exc) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)


# --- one load -----------------------------------------------------------------------------------


def run_wrk(
    *,
    port: int,
    path: str,
    method: str,
    headers: dict[str, str],
    body: str,
    connections: int,
    duration: float,
    max_requests: int,
) -> dict:
    threads = 1  # wrk shares the two cores with the server; one thread keeps its share small
    command = [
        "wrk",
        f"-t{threads}",
        f"-c{connections}",
        f"-d{max(1, round(duration))}s",
        "--timeout",
        "30s",
        "-s",
        str(LUA),
    ]
    for name, value in {**PROXY_HEADERS, **headers}.items():
        command += ["-H", f"{name}: {value}"]
    command.append(f"http://{HOST}:{port}{path}")
    env = {
        **os.environ,
        "BENCH_METHOD": method,
        "BENCH_BODY": body,
        "BENCH_MAX_REQUESTS": str(max(1, max_requests // threads)),
    }
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    line = next((row for row in done.stdout.splitlines() if row.startswith("BENCH_JSON ")), None)
    if done.returncode != 0 or line is None:
        raise BenchError(f"wrk failed on {path}: {done.stderr.strip() or done.stdout.strip()}")
    raw = json.loads(line.removeprefix("BENCH_JSON "))
    seconds = raw["duration_us"] / 1e6
    errors = sum(raw[key] for key in raw if key.startswith("errors_"))
    return {
        "requests": raw["requests"],
        "seconds": round(seconds, 2),
        "rps": round(raw["requests"] / seconds, 1) if seconds else 0.0,
        "p50_ms": round(raw["latency_p50_us"] / 1000, 1),
        "p95_ms": round(raw["latency_p95_us"] / 1000, 1),
        "p99_ms": round(raw["latency_p99_us"] / 1000, 1),
        "errors": errors,
        "connections": connections,
    }


def check_and_warm(port: int, page: Page, path: str, headers: dict[str, str], body: str, *, times: int) -> None:
    """The page must work before it is loaded (a 500 or a login redirect would measure nothing), and
    every worker must have served it once (its first request compiles templates and loads catalogues,
    which a running server did long ago)."""
    for _ in range(max(1, times)):
        status, _cookies, data = fetch(port, page.method, path, headers=headers, body=body or None)
        if status not in page.ok_status:
            snippet = data[:300].decode("utf-8", "replace")
            raise BenchError(f"{page.name}: {page.method} {path} answered {status}, not {page.ok_status}: {snippet}")


# --- the run ------------------------------------------------------------------------------------


def server_env(args: argparse.Namespace, *, cold: bool) -> dict[str, str]:
    env = {
        **os.environ,
        "DJANGO_ENV": "production",
        "DJANGO_SECRET_KEY": os.environ.get("DJANGO_SECRET_KEY", "bench-only-secret-key-" + "x" * 40),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_LOG_LEVEL": "WARNING",
    }
    if cold:
        env["DASHBOARD_CACHE_SECONDS"] = "0"
    return env


def measure(args: argparse.Namespace, manifest: dict) -> dict:
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    pages = [page for page in PAGES if not args.only or page.name in args.only or page.name == "trivial"]
    trivial = next(page for page in pages if page.name == "trivial")
    others = [page for page in pages if page is not trivial]
    middle = len(others) // 2
    order = [trivial, *others[:middle], trivial, *others[middle:], trivial]
    rows: list[dict] = []
    warm = Server(port=args.port, workers=args.workers, env=server_env(args, cold=False), name="warm", log_dir=out)
    cold = Server(port=args.port + 1, workers=args.workers, env=server_env(args, cold=True), name="cold", log_dir=out)
    sessions: dict[tuple[str, int], dict[str, str]] = {}
    started = time.monotonic()
    with warm, cold:
        for page in order:
            port = cold.port if page.server == "cold" else warm.port
            path = page.url(manifest)
            headers: dict[str, str] = {}
            body = ""
            if page.account:
                key = (page.account, port)
                if key not in sessions:
                    sessions[key] = log_in(port, page.account, manifest["password"])
                headers["Cookie"] = cookie_header(sessions[key])
            if page.method == "POST":
                headers, body = intake_request(port, path)
            check_and_warm(port, page, path, headers, body, times=2 * args.workers)
            result = run_wrk(
                port=port,
                path=path,
                method=page.method,
                headers=headers,
                body=body,
                connections=page.connections or args.connections,
                duration=args.duration,
                max_requests=args.max_requests,
            )
            rows.append({"name": page.name, "label": page.label, "path": path, "server": page.server, **result})
            print(
                f"  {page.name:<22} {result['rps']:>8.1f} req/s  p50 {result['p50_ms']:>7.1f} ms  "
                f"p95 {result['p95_ms']:>7.1f} ms  errors {result['errors']}",
                flush=True,
            )
    trivial_rows = [row for row in rows if row["name"] == "trivial"]
    trivial_rps = sum(row["rps"] for row in trivial_rows) / len(trivial_rows)
    table = []
    for page in [trivial, *others]:
        row = next(row for row in rows if row["name"] == page.name) if page is not trivial else None
        if page is trivial:
            row = {**trivial_rows[0], "rps": round(trivial_rps, 1), "runs": [r["rps"] for r in trivial_rows]}
            row["p50_ms"] = round(sum(r["p50_ms"] for r in trivial_rows) / len(trivial_rows), 1)
            row["p95_ms"] = round(sum(r["p95_ms"] for r in trivial_rows) / len(trivial_rows), 1)
        row["ratio"] = round(row["rps"] / trivial_rps, 3) if trivial_rps else 0.0
        row["target"] = page.target.describe() if page.target else ""
        row["met"] = page.target.met(row) if page.target else None
        table.append(row)
    return {
        "machine": {
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
            "python": platform.python_version(),
        },
        "settings": {
            "gunicorn_workers": args.workers,
            "connections": args.connections,
            "duration_s": args.duration,
            "max_requests": args.max_requests,
            "load_tool": "wrk, 1 thread",
        },
        "seconds": round(time.monotonic() - started, 1),
        "trivial_rps_runs": [row["rps"] for row in trivial_rows],
        "rows": table,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--manifest", default=str(ROOT / "var" / "bench" / "manifest.json"))
    parser.add_argument("--out", default=str(ROOT / "var" / "bench"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("BENCH_PORT", "8100")))
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1))
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--duration", type=float, default=float(os.environ.get("BENCH_DURATION", "10")))
    parser.add_argument("--max-requests", type=int, default=int(os.environ.get("BENCH_MAX_REQUESTS", "50000")))
    parser.add_argument("--only", nargs="*", help="page names (the trivial view always runs)")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        print("wrk is not installed (Debian: apt-get install wrk).", file=sys.stderr)
        return 2
    manifest = json.loads(Path(args.manifest).read_text())
    try:
        result = measure(args, manifest)
    except BenchError as error:
        print(f"bench failed: {error}", file=sys.stderr)
        return 1
    path = Path(args.out) / "http.json"
    path.write_text(json.dumps(result, ensure_ascii=False, indent=2))
    print(f"HTTP figures written to {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
