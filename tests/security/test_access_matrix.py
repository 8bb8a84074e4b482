"""The access matrix: every URL pattern of the project, requested as every role (anonymous, each staff
role, a deputy, a plain user, congress B's office and deputy, and A's out-of-scope deputy, unit and
station), with congress A's and congress B's objects; each answer must be the one the table
(`tests/security/matrix.py`, `tests/security/admin_matrix.py`) designs.

The table must name every URL pattern: a new URL without an entry fails
`test_every_url_pattern_has_an_entry`.
"""

from __future__ import annotations

import time
from collections import Counter

import pytest
from django.db import transaction
from django.test import override_settings

from congress.roles import Role

from .admin_matrix import admin_models
from .matrix import ADMIN_INDEX, ADMIN_LOGIN, FORBIDDEN, LOGIN, NOT_FOUND, OK, ROLES, Row, roles
from .patterns import Pattern, all_patterns, uncovered
from .probes import all_probes, claims, route_of, run_role
from .world import build_everything


@pytest.fixture(scope="module")
def everything(django_db_setup, django_db_blocker, tmp_path_factory):
    """The world, built once for the module inside a transaction rolled back at its end (each test
    runs in its own savepoint within it, and each write of the matrix in one more)."""
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=str(tmp_path_factory.mktemp("media"))),
        transaction.atomic(),
    ):
        yield build_everything()
        transaction.set_rollback(True)


@pytest.fixture(scope="module")
def probes(everything):
    """Every request of the matrix (built once: the paths name the module's objects)."""
    return all_probes(everything)


def test_every_url_pattern_has_an_entry():
    # given every URL pattern of the project
    patterns = all_patterns()

    # when the matrix's entries claim them
    missing = uncovered(patterns, claims())

    # then none is left without an entry
    assert len(patterns) > 800  # 814 on 2026-11-26, without DRF's .json twins
    assert missing == [], "URL patterns without an entry in the access matrix:\n" + "\n".join(
        f"{p.route} ({p.name})" for p in missing
    )


def test_a_pattern_without_an_entry_is_reported():
    # given the project's patterns and new ones: a page, an extra page of a model's admin, and the
    # format-suffix twin of an API route the table does not know
    page = Pattern(route="desk/new-page/<int:pk>/", name="liaison_stations:new_page")
    admin_extra = Pattern(route="admin/suggestions/suggestion/<path:object_id>/merge/", name=None)
    suffix_of_unknown = Pattern(route=r"api/v1/^gadgets\.(?P<format>[a-z0-9]+)/?$", name="gadget-list")

    # when the coverage check runs over them
    missing = uncovered([*all_patterns(), page, admin_extra, suffix_of_unknown], claims())

    # then exactly the new ones are reported
    assert missing == [page, admin_extra, suffix_of_unknown]


def test_the_table_reads_as_designed():
    # given a row of a desk page about an object that A's office and leaders find
    row = Row(name="x", gate=roles(Role.OFFICE, Role.LEADER), sees=frozenset({"office", "leader"}))
    outcome = {role: {variant: row.expected(ROLES[role], variant) for variant in ("a", "b")} for role in ROLES}

    # then the anonymous visitor is sent to log in, a role the gate refuses gets 403, the object of
    # the user's congress is found and another congress's looks missing (404)
    assert outcome["anonymous"] == {"a": LOGIN, "b": LOGIN}
    assert outcome["deputy"] == {"a": FORBIDDEN, "b": FORBIDDEN}
    assert outcome["office"] == {"a": OK, "b": NOT_FOUND}
    assert outcome["office_b"] == {"a": NOT_FOUND, "b": OK}
    assert outcome["admin"] == {"a": OK, "b": OK}
    # and in the admin, leaders read A's objects but add nothing, and B's office is sent to the index
    committee_admin = next(entry for entry in admin_models() if entry.model._meta.label == "congress.Committee")
    assert committee_admin.expected("change", ROLES["leader"], "a") == OK
    assert committee_admin.expected("add", ROLES["leader"], "-") == FORBIDDEN
    assert committee_admin.expected("change", ROLES["office_b"], "a") == ADMIN_INDEX
    assert committee_admin.expected("history", ROLES["office_b"], "a") == NOT_FOUND
    assert committee_admin.expected("change", ROLES["deputy"], "a") == ADMIN_LOGIN


def test_every_pattern_is_requested(db, probes):
    # given the matrix's requests
    # when each request's path is resolved
    requested = {route_of(probe.path_for("deputy")) for probe in probes}

    # then every URL pattern of the project is requested at least once
    never = [p for p in all_patterns() if p.route not in requested]
    assert never == [], "patterns never requested:\n" + "\n".join(f"{p.route} ({p.name})" for p in never)
    # and the admin's requests hit the pattern they were built for
    wrong = [p for p in probes if p.route and route_of(p.path_for("deputy")) != p.route]
    assert wrong == [], [f"{p.path} -> {route_of(p.path)} (meant {p.route})" for p in wrong]


@pytest.mark.parametrize("role", list(ROLES))
def test_access_matrix(db, role, everything, probes):
    # given every request of the matrix
    started = time.monotonic()

    # when the role sends each of them
    results = run_role(role, everything.users[role], probes)

    # then the role has requested every URL pattern of the project
    requested = {route_of(result.path) for result in results}
    assert [p.route for p in all_patterns() if p.route not in requested] == []
    # and each answer is the designed one
    counts = Counter(result.got for result in results)
    print(f"{role}: {len(results)} requests in {time.monotonic() - started:.1f}s: {dict(counts)}")
    mismatches = [str(result) for result in results if not result.ok]
    assert not mismatches, f"{len(mismatches)} of {len(results)} answers differ:\n" + "\n".join(mismatches)
