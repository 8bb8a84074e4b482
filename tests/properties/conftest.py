"""Property-based tests of bad input (hypothesis): the shared settings, the per-example isolation,
the strategies of hostile input, and the checks every property makes (no 500, Chinese errors by
field, nothing written on rejection).

How each example is isolated: pytest-django's `db` fixture is function-scoped, so the fixtures
(`world` and the objects a property starts from) are built once per test function and hypothesis
runs all of that test's examples against them. Each example runs inside `isolated()`: a
`transaction.atomic()` block (a savepoint inside the test's own transaction) that is always rolled
back with `transaction.set_rollback(True)`, after the rate-limit counters in the cache are cleared.
So every example starts from the same rows and an empty cache, whatever the previous one wrote; the
views' own `atomic` blocks nest as savepoints; `on_commit` work never runs (nothing commits), which
is what a refused request must leave behind anyway. Logins (`force_login`) happen before the
examples, outside the rolled-back block, so the session row survives. This is why the profiles
suppress hypothesis' `function_scoped_fixture` health check: the fixture is shared on purpose and
each example restores it.

Profiles: `properties` (the default: about 750 inputs in all, no shrinking, the folder runs
in about a minute on SQLite) and `thorough` (ten times the examples, failures shrunk to a
minimal example): `HYPOTHESIS_PROFILE=thorough pytest tests/properties`. No example database
(`database=None`: no `.hypothesis/` directory), no deadline (a request on a cold SQLite database can
take a while).
"""

from __future__ import annotations

import io
import json
import os
import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.apps import apps
from django.core.cache import cache
from django.db import connection, transaction
from django.utils.html import escape
from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st
from hypothesis.configuration import set_hypothesis_home_dir
from PIL import Image

from liaison_stations.models import IssueRules
from tests.liaison_stations.factories_public import StationDeputyFactory
from tests.suggestions.conftest import (  # noqa: F401 - the suggestion workflow's fixtures, shared
    co_unit,
    co_unit_user,
    cosigner_user,
    flow,
    reply_classes,
    split_unit_user,
)

# --- profiles --------------------------------------------------------------------------------------

# Even without an example database hypothesis caches Unicode tables and constants on disk: in the
# system's temporary directory, not as a `.hypothesis/` directory in the checkout.
set_hypothesis_home_dir(os.path.join(tempfile.gettempdir(), "congress-hypothesis"))

_COMMON = {
    "database": None,
    "deadline": None,
    "suppress_health_check": [
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.large_base_example,
    ],
    "print_blob": False,
    # A failing property reports its first failure only (one known bug, one report).
    "report_multiple_bugs": False,
}
# The default profile does not shrink: each example is a request or an import, and a property left
# failing for a known bug would spend minutes shrinking on every run. A failure shows the example as
# generated; `thorough` (ten times the examples) shrinks it to a minimal one.
settings.register_profile("properties", phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.target], **_COMMON)
settings.register_profile("thorough", **_COMMON)

PROFILE_NAME = os.environ.get("HYPOTHESIS_PROFILE", "properties")
if PROFILE_NAME not in ("properties", "thorough"):
    PROFILE_NAME = "properties"
PROFILE = settings.get_profile(PROFILE_NAME)
SCALE = 10 if PROFILE_NAME == "thorough" else 1


def budget(examples: int) -> settings:
    """The settings of one property: the profile, with `examples` (times ten when thorough)."""
    return settings(PROFILE, max_examples=examples * SCALE)


# --- isolation -------------------------------------------------------------------------------------


@contextmanager
def isolated() -> Iterator[None]:
    """One example: an empty cache (the per-address limits), and every row it writes rolled back."""
    cache.clear()
    with transaction.atomic():
        try:
            yield
        finally:
            transaction.set_rollback(True)


# Every table of the project's apps (history tables and many-to-many tables included) is counted;
# the tables the requests under test write to are read in full, so a changed row shows too.
PROJECT_APPS = ("congress", "deputies", "suggestions", "liaison_stations", "dashboard")
WATCHED_PREFIXES = (
    "suggestions_",
    "liaison_stations_publicissue",
    "liaison_stations_issue",
    "congress_notification",
    "congress_outboxmessage",
    "congress_handlingunit",
    "deputies_deputy",
    "deputies_mandate",
    "deputies_delegation",
    "deputies_activityrecord",
)


def _tables() -> list[str]:
    tables = []
    for label in PROJECT_APPS:
        for model in apps.get_app_config(label).get_models(include_auto_created=True):
            if model._meta.managed and not model._meta.proxy:
                tables.append(model._meta.db_table)
    return sorted(set(tables))


def db_state() -> dict[str, Any]:
    """The row count of every table of the project's apps (one query), and every row of the watched
    tables (the workflow's): compared before and after a refused request, it shows any row added,
    deleted, or changed in a watched table (and, through the history tables, in any tracked model)."""
    quote = connection.ops.quote_name
    tables = _tables()
    counts = ", ".join(f"(SELECT COUNT(*) FROM {quote(table)})" for table in tables)  # noqa: S608 - model tables
    state: dict[str, Any] = {}
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {counts}")
        state["counts"] = dict(zip(tables, cursor.fetchone(), strict=True))
        for table in tables:
            if table.startswith(WATCHED_PREFIXES) and not table.startswith(("suggestions_historical",)):
                cursor.execute(f"SELECT * FROM {quote(table)} ORDER BY 1")  # noqa: S608 - table names from the models
                state[table] = cursor.fetchall()
    return state


def state_diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    """What differs, for the failure message: {table: (rows before, rows after)} and changed tables."""
    counts = {
        table: (count, after["counts"][table])
        for table, count in before["counts"].items()
        if count != after["counts"][table]
    }
    changed = [table for table in before if table != "counts" and before[table] != after[table]]
    return {"counts": counts, "changed": changed}


# --- checks ----------------------------------------------------------------------------------------

CJK = re.compile(r"[\u4e00-\u9fff]")


def chinese(text: str) -> bool:
    return bool(CJK.search(text))


def messages_of(errors: Any) -> list[str]:
    """Every message in an error structure (lists, dicts by field or by index, nested)."""
    if isinstance(errors, str):
        return [errors]
    if isinstance(errors, dict):
        return [message for value in errors.values() for message in messages_of(value)]
    if isinstance(errors, list | tuple):
        return [message for value in errors for message in messages_of(value)]
    return [str(errors)]


def assert_api_error_shape(
    response: Any, *, fields: set[str] | None = None, chinese_detail: bool = True
) -> dict[str, Any]:
    """A 4xx of the API: {"detail": text, "errors": {field: messages}}, every message in Chinese.
    `fields`, when given, are the input's fields: errors may name only those (or non_field_errors).
    `chinese_detail=False` for a body that is not JSON: DRF's parse error is English (a property of
    its own, tests/properties/test_public_api.py, holds that against the product)."""
    assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
    body = response.json()
    assert set(body) == {"detail", "errors"}, body
    assert isinstance(body["detail"], str), body
    if chinese_detail:
        assert chinese(body["detail"]), body
    assert isinstance(body["errors"], dict), body
    if response.status_code == 409:
        assert body["errors"] == {}, body
    for message in messages_of(body["errors"]):
        assert chinese(message), body
    if fields is not None:
        assert set(body["errors"]) <= {*fields, "non_field_errors"}, body
    return body


def assert_escaped(html: str, payload: str) -> None:
    """The payload is shown escaped: never as raw markup, and its escaped form is on the page (text
    that escaping leaves alone, such as template tags, must show as it is: never rendered)."""
    if escape(payload) != payload:
        assert payload not in html
    assert escape(payload) in html


def _refuse_constant(name: str) -> Any:
    raise ValueError(name)


def json_value_of(body: bytes) -> tuple[bool, Any]:
    """(whether DRF's JSON parser reads the body, the value read): UTF-8, strict (no NaN)."""
    try:
        return True, json.loads(body.decode("utf-8"), parse_constant=_refuse_constant)
    except ValueError:
        return False, None


def json_bytes(value: Any) -> bytes:
    """A JSON body; lone surrogates become \\udxxx escapes (valid JSON a client may send)."""
    return json.dumps(value, ensure_ascii=True).encode()


# --- strategies of hostile input ----------------------------------------------------------------------

HTML_PAYLOADS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "<svg/onload=alert(document.cookie)>",
    "'><iframe src=javascript:alert(1)>",
    "</textarea><script>alert('x')</script>",
    '<a href="javascript:alert(1)">点我</a>',
    "{{ request.user }}{% debug %}",
    '=HYPERLINK("http://evil.example","点我")',
    "&lt;b&gt;已转义&lt;/b&gt;",
]
html_payloads = st.sampled_from(HTML_PAYLOADS)

# Text a citizen or a client may send: any unicode (no lone surrogates: a form post is UTF-8),
# control characters, Chinese, markup, long runs.
control_text = st.text(alphabet=st.characters(min_codepoint=0, max_codepoint=0x1F), max_size=20)
chinese_text = st.text(alphabet=st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5), min_size=1, max_size=60)
any_text = st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=80)
long_text = st.builds(
    lambda char, count: char * count, st.sampled_from(["长", "a", " ", "\n", "<", "😀"]), st.integers(1990, 2600)
)
hostile_text = st.one_of(
    any_text,
    chinese_text,
    control_text,
    html_payloads,
    st.builds(lambda a, b, c: a + b + c, chinese_text, html_payloads, any_text),
    long_text,
)
# In JSON a client may also send lone surrogates ("\ud800"): they have properties of their own
# (tests/properties/test_api_actions.py), so that the broad properties do not fail on them at random.
# (Only high surrogates in a row, or one low one: a high one followed by a low one is a valid pair.)
lone_surrogates = st.one_of(
    st.text(alphabet=st.characters(categories=["Cs"], max_codepoint=0xDBFF), min_size=1, max_size=3),
    st.characters(categories=["Cs"], min_codepoint=0xDC00),
)
json_text = hostile_text

# Phone strings: good ones in every spelling, near misses, junk.
good_mobiles = st.from_regex(r"\A1[3-9][0-9]{9}\Z")
phone_strings = st.one_of(
    good_mobiles,
    good_mobiles.map(lambda phone: f"{phone[:3]} {phone[3:7]} {phone[7:]}"),
    good_mobiles.map(lambda phone: f"+86{phone}"),
    good_mobiles.map(lambda phone: f"{phone[:3]}-{phone[3:7]}-{phone[7:]}"),
    st.from_regex(r"\A[0-9]{1,15}\Z"),
    st.from_regex(r"\A0[0-9]{2,3}-[0-9]{7,8}\Z"),
    st.text(alphabet="0123456789+-() \t", max_size=24),
    hostile_text,
)
# A mobile number written with the digits of another script (Arabic-Indic, Devanagari, fullwidth,
# Bengali) after its first two: no telephone network dials these. Kept apart from `phone_strings` so
# that the properties over whole letters and the one over these spellings fail apart.
OTHER_DIGITS = ["٠١٢٣٤٥٦٧٨٩", "०१२३४५६७८९", "０１２３４５６７８９", "০১২৩৪৫৬৭৮৯"]
foreign_digit_phones = st.builds(
    lambda prefix, digits, tail: prefix + "".join(digits[number] for number in tail),
    st.sampled_from(["13", "15", "18", "19"]),
    st.sampled_from(OTHER_DIGITS),
    st.lists(st.integers(0, 9), min_size=9, max_size=9),
)

# JSON values of every type, nested.
json_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    json_text,
)
json_values = st.recursive(
    json_scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4), st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=12,
)

# Bodies that are not JSON at all (sent as application/json).
not_json = st.one_of(
    st.binary(max_size=200),
    st.sampled_from([b"", b"{", b"[1,2", b"{'a': 1}", b"NaN", b'{"a": Infinity}', b"\xff\xfe\x00", b"null"]),
)


# --- photos ---------------------------------------------------------------------------------------


def image_bytes(kind: str, size: tuple[int, int]) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (40, 120, 200)).save(buffer, format=kind)
    return buffer.getvalue()


def verified_but_unreadable(data: bytes) -> bool:
    """Pillow's verify() passes it, yet its pixels cannot be decoded."""
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.verify()
    except Exception:
        return False
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.load()
    except Exception:
        return True
    return False


@st.composite
def damaged_photos(draw: Any) -> bytes:
    """A JPEG or WebP photo with one byte damaged in transit, of the kind verify() does not notice."""
    data = image_bytes(draw(st.sampled_from(["JPEG", "WEBP"])), (40, 40))
    position = draw(st.integers(0, len(data) - 1))
    flip = draw(st.sampled_from([0x01, 0x80, 0xFF]))
    return data[:position] + bytes([data[position] ^ flip]) + data[position + 1 :]


# --- fixtures --------------------------------------------------------------------------------------


@pytest.fixture
def intake_deputy(world: Any) -> Any:
    """Congress A's first deputy, posted at A's station: the deputy a QR placard writes to. The
    congresses' loop rules exist already (they are created with their defaults on first use, which
    is not a write a refused request should be blamed for)."""
    deputy = world.a.deputies[0]
    StationDeputyFactory(station=world.a.station, deputy=deputy)
    IssueRules.objects.get_or_create(congress=world.a.congress)
    IssueRules.objects.get_or_create(congress=world.b.congress)
    return deputy
