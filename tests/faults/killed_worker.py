"""A worker process that dies in the middle of a task (run by tests/faults/test_retries.py).

`python -m tests.faults.killed_worker outbox <message id>` runs an outbox message's task,
`... intake <issue id>` an issue's intake notice. The first batch of notifications is written, then
the process prints `WROTE <rows> <database backend pid>` and waits to be killed: its transaction is
open, so the test can kill it half-way through the task.
"""

from __future__ import annotations

import os
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "congress.settings_test")

import django

django.setup()

from django.db import connection  # noqa: E402

import congress.services  # noqa: E402
import liaison_stations.tasks  # noqa: E402
import suggestions.tasks  # noqa: E402
from congress import outbox  # noqa: E402
from liaison_stations.services.issues import issue_intake_notify  # noqa: E402

real_notify = congress.services.notify


def notify_then_hang(**kwargs):
    written = real_notify(**kwargs)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        backend = cursor.fetchone()[0]
    print(f"WROTE {len(written)} {backend}", flush=True)
    time.sleep(600)  # killed long before
    raise SystemExit("not killed")


def main(kind: str, pk: int) -> None:
    for module in (congress.services, suggestions.tasks, liaison_stations.tasks):
        module.notify = notify_then_hang
    if kind == "outbox":
        outbox.deliver(pk)
    else:
        issue_intake_notify(issue_id=pk)


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
