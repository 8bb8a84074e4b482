"""Browser journeys: the people of congress A at work in a real Chromium (Debian's, through Playwright),
against pytest-django's live server (docs/TESTING-E2E.md).

- Chromium is /usr/bin/chromium (or `E2E_CHROMIUM`); `playwright install` is never needed. Without it
  the journeys skip, except in CI (`CI=true`), where a missing browser fails the run.
- The live server reads what the test wrote, so the journeys run on `transactional_db` (pytest-django
  switches `db` to it for any test using `live_server`): the role fixtures of tests/conftest.py and the
  suggestion `flow` of tests/suggestions/conftest.py work unchanged.
- Every page of every context reports its console errors and uncaught exceptions; a journey fails on
  the first one (`Browsing.assert_no_console_errors`, checked again at teardown).
- `Browsing.shot` saves a full-page screenshot as var/artifacts/e2e/<test>-<step>.png.
"""

import os

# Playwright's sync API keeps an event loop running in the main thread from the first journey to the
# end of the session; Django then refuses every ORM call made there (the journeys' own reads and writes,
# and those of any test that runs after them) as "async unsafe". The calls are sequential: allow them.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client
from playwright.sync_api import expect

# The suggestion workflow's fixtures (`flow` drives a suggestion through the services to a state).
from tests.suggestions.conftest import (  # noqa: F401
    co_unit,
    co_unit_user,
    flow,
    reply_classes,
    split_unit_user,
)

CHROMIUM = os.environ.get("E2E_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(settings.BASE_DIR) / "var" / "artifacts" / "e2e"
PASSWORD = "Journey-2026-pass"  # set on the users a journey logs in with (tests may hold passwords)
PHONE = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
    "user_agent": (
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 "
        "(KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.47"
    ),
}
DESKTOP = {"viewport": {"width": 1366, "height": 900}}
# Playwright waits this long for an element or a navigation; the live server answers in milliseconds.
TIMEOUT_MS = 10_000


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "e2e: a browser journey in a real Chromium (tests/e2e, docs/TESTING-E2E.md)")
    # pytest-playwright's own `base_url` fallback fixture (no pytest-base-url installed) is a method.
    config.addinivalue_line("filterwarnings", "ignore:Session-scoped fixtures defined as instance methods")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    """Debian's Chromium instead of a downloaded one; as root (CI) it needs --no-sandbox."""
    if not Path(CHROMIUM).exists():
        message = f"Chromium not found at {CHROMIUM} (apt-get install chromium, or set E2E_CHROMIUM)."
        if os.environ.get("CI") == "true":
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": ["--no-sandbox", "--disable-dev-shm-usage"],
    }


@pytest.fixture(autouse=True)
def _empty_cache() -> Iterator[None]:
    """The public pages count submissions and lookups per address in the cache."""
    cache.clear()
    yield
    cache.clear()


def with_password(user: Any) -> Any:
    """The user with a real password, to log in through the login form."""
    user.set_password(PASSWORD)
    user.save(update_fields=["password"])
    return user


class Browsing:
    """The browser side of one journey: contexts (desktop or phone), logging in, screenshots, and the
    console errors of every page opened."""

    def __init__(self, *, new_context: Any, base_url: str, name: str) -> None:
        self._new_context = new_context
        self.base_url = base_url
        self.name = name
        self.errors: list[str] = []
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        for old in ARTIFACTS.glob(f"{name}-*.png"):
            old.unlink()

    def open(self, *, phone: bool = False, user: Any = None) -> Any:
        """A new page in a new context (its own cookies); `user` starts it logged in (a session
        cookie made with force_login, for journeys that are not about logging in)."""
        context = self._new_context(
            base_url=self.base_url, locale="zh-CN", timezone_id="Asia/Shanghai", **(PHONE if phone else DESKTOP)
        )
        context.set_default_timeout(TIMEOUT_MS)
        context.on("page", self._watch)
        if user is not None:
            client = Client()
            client.force_login(user)
            cookie = client.cookies[settings.SESSION_COOKIE_NAME]
            context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": self.base_url}])
        return context.new_page()

    def _watch(self, page: Any) -> None:
        def console(message: Any) -> None:
            if message.type == "error":
                where = message.location.get("url", "") if message.location else ""
                self.errors.append(f"console error on {page.url}: {message.text} {where}".strip())

        page.on("console", console)
        page.on("pageerror", lambda error: self.errors.append(f"uncaught error on {page.url}: {error}"))

    def login(self, page: Any, user: Any, *, next_url: str = "") -> None:
        """Log in through the login form with the user's real password (see `with_password`)."""
        page.goto("/accounts/login/" + (f"?next={next_url}" if next_url else ""))
        page.locator("input[name=username]").fill(user.get_username())
        page.locator("input[name=password]").fill(PASSWORD)
        page.locator("main form button[type=submit]").click()
        expect(page).not_to_have_url(re.compile(r"/accounts/login/"))

    def shot(self, page: Any, step: str) -> Path:
        """A full-page screenshot, var/artifacts/e2e/<test>-<step>.png."""
        path = ARTIFACTS / f"{self.name}-{re.sub(r'[^a-z0-9_-]+', '-', step.lower())}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    def assert_no_console_errors(self) -> None:
        assert self.errors == [], "\n".join(self.errors)


CALL_FAILED = pytest.StashKey[bool]()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> Iterator[pytest.TestReport]:
    report = yield
    if report.when == "call":
        item.stash[CALL_FAILED] = report.failed
    return report


@pytest.fixture
def browsing(request: pytest.FixtureRequest, live_server: Any, new_context: Any) -> Iterator[Browsing]:
    browsing = Browsing(new_context=new_context, base_url=live_server.url, name=request.node.originalname)
    yield browsing
    if browsing.errors:
        if request.node.stash.get(CALL_FAILED, False):
            # The journey failed already: its console errors are part of the story, not a second failure.
            print("Console errors of the failed journey:", *browsing.errors, sep="\n")
        else:
            pytest.fail("\n".join(browsing.errors), pytrace=False)
