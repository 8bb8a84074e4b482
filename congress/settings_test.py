"""Settings for pytest: the normal settings in `test` mode (eager Celery, locmem mail)."""

import os

os.environ.setdefault("DJANGO_ENV", "test")

from .settings import *  # noqa: F403
