"""Settings for pytest: the normal settings in `test` mode (eager Celery, locmem mail)."""

import os
from urllib.parse import urlsplit, urlunsplit

os.environ.setdefault("DJANGO_ENV", "test")

# Each pytest-xdist worker gets its own Redis database (the tests clear the cache, and the fault tests
# flush and fill queues): gw0 the base database + 1, gw1 + 2, and so on. PostgreSQL test databases are
# already one per worker (pytest-django suffixes their names).
_worker = os.environ.get("PYTEST_XDIST_WORKER", "")
_redis = os.environ.get("REDIS_URL", "")
if _worker.startswith("gw") and _redis:
    _parts = urlsplit(_redis)
    _base = int(_parts.path.strip("/") or 0)
    os.environ["REDIS_URL"] = urlunsplit(_parts._replace(path=f"/{_base + 1 + int(_worker[2:])}"))

from .settings import *  # noqa: E402, F403
