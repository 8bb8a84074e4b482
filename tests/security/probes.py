"""Turning the matrix into requests, sending them as each role, and comparing the answers."""

from __future__ import annotations

import itertools
import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from unittest import mock
from urllib.parse import urlencode, urlsplit

from django.conf import urls
from django.contrib.admin import AdminSite
from django.core.cache import cache
from django.core.signals import got_request_exception
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, HttpResponseForbidden, HttpResponseNotFound
from django.template.response import TemplateResponse
from django.test import Client
from django.urls import resolve, reverse
from drf_spectacular.generators import SchemaGenerator

from .admin_matrix import admin_models, admin_requests, site_claims
from .matrix import ADMIN_INDEX, ADMIN_LOGIN, LOGIN, REDIRECT, ROLES, TABLE, RoleInfo, Row, matches
from .patterns import Pattern, all_patterns

MISSING_INT = 99999999
MISSING_CODE = "ZZZZ9999ZZZZ"  # no issue, deputy or category has this code


def _never(role: RoleInfo) -> bool:
    return False


@dataclass(frozen=True)
class Probe:
    """One request of the matrix and the outcome each role must get."""

    entry: str
    route: str  # the pattern the request must hit ("" when the entry does not fix it)
    method: str
    path: str | Callable[[str], str]  # a function of the role for per-user objects
    variant: str
    expect: Callable[[RoleInfo], str]
    data: dict[str, Any] | None = None
    api: bool = False
    relogin: bool = False
    # The roles that need not send it (see `_skip_for`): every role still requests every pattern.
    skip: Callable[[RoleInfo], bool] = _never

    def path_for(self, role: str) -> str:
        return self.path(role) if callable(self.path) else self.path


# --- coverage ------------------------------------------------------------------------------------------


def row_claims(row: Row) -> Callable[[Pattern], bool]:
    return lambda pattern: pattern.name == row.name and not pattern.is_format_suffix


def format_suffix_claim(pattern: Pattern) -> bool:
    """FORMAT_SUFFIX: a DRF format-suffix twin is covered when the row of its base route exists; it is
    requested with `.json` and must answer as that row."""
    return pattern.is_format_suffix and any(row.api and row.name == pattern.name for row in TABLE)


def claims() -> list[Callable[[Pattern], bool]]:
    """Every entry of the matrix as a claim on URL patterns."""
    return [
        *(row_claims(row) for row in TABLE),
        format_suffix_claim,
        *(entry.claims for entry in admin_models()),
        site_claims,
    ]


# --- building the requests -------------------------------------------------------------------------------


def _resolve_object(objects: Any, path: str) -> Any:
    """`activity` -> the congress's activity; `tenant.unit` -> its unit; `issue.tracking_code`..."""
    head, *rest = path.split(".")
    value = objects.tenant if head == "tenant" else objects[head]
    for attribute in rest:
        value = getattr(value, attribute)
    return value


def _url_value(value: Any) -> Any:
    return value.pk if hasattr(value, "pk") else value


def _skip_for(row: Row, variant: str, *, first: bool, first_literal: bool, twin: bool) -> Callable[[RoleInfo], bool]:
    """Which roles need not send a request. Each role sends the row's first request; roles the gate
    turns away send no other (they are refused before any object is looked up); other actions named
    in the URL are tried with the role's own congress's object only (the object is looked up first);
    a format-suffix twin is sent once per role."""
    if first:
        return _never
    if twin:
        return lambda role: True

    def skip(role: RoleInfo) -> bool:
        if not row.gate.admits(role):
            return True
        return not first_literal and variant != (role.congress or "a")

    return skip


@dataclass(frozen=True)
class _Path:
    """The path of a row's request: fixed, or naming the requester's own notification."""

    name: str
    kwargs: dict[str, Any]
    query: dict[str, Any] | None
    notification_kwarg: str | None
    everything: Any
    own: bool

    def __call__(self, role: str) -> str:
        kwargs = dict(self.kwargs)
        if self.notification_kwarg is not None:
            kwargs[self.notification_kwarg] = self.everything.notification_for(role, own=self.own).pk
        path = reverse(self.name, kwargs=kwargs or None)
        return f"{path}?{urlencode(self.query)}" if self.query else path


def _row_probes(row: Row, everything: Any, twins: set[str]) -> list[Probe]:
    probes = []
    literal = [dict(zip(row.values, combo, strict=True)) for combo in itertools.product(*row.values.values())]
    for values, variant in itertools.product(literal, row.variants):
        objects = everything.of("a" if variant == "missing" else variant) if variant != "-" else None
        kwargs = dict(values)
        notification_kwarg = None
        for kwarg, key in row.objects.items():
            if key == "notification":
                notification_kwarg = kwarg
                continue
            value = _url_value(_resolve_object(objects, key))
            if variant == "missing":
                value = MISSING_INT if isinstance(value, int) else MISSING_CODE
            kwargs[kwarg] = value
        query = row.query(objects) if row.query is not None and objects is not None else None
        data = row.payload(objects if objects is not None else everything.a) if row.payload else None
        first_literal = values == literal[0]
        for fmt in (None, "json") if row.api and row.name in twins else (None,):
            path = _Path(
                name=row.name,
                kwargs={**kwargs, "format": fmt} if fmt else kwargs,
                query=query,
                notification_kwarg=notification_kwarg,
                everything=everything,
                own=variant == "a",
            )
            probes.append(
                Probe(
                    entry=row.name + (" [format suffix]" if fmt else ""),
                    route="",
                    method=row.method,
                    path=path if notification_kwarg else path("anonymous"),
                    variant=variant + (f" {values}" if values else ""),
                    expect=lambda role, r=row, v=variant: r.expected(role, v),
                    data=data,
                    api=row.api,
                    relogin=row.name == "logout",
                    skip=_skip_for(
                        row,
                        variant,
                        first=variant == row.variants[0] and first_literal,
                        first_literal=first_literal,
                        twin=fmt is not None,
                    ),
                )
            )
    return probes


def _not_staff(role: RoleInfo) -> bool:
    return not role.staff


def all_probes(everything: Any) -> list[Probe]:
    """Every request of the matrix: the table's rows (with their format-suffix twins) and the admin."""
    twins = {pattern.name for pattern in all_patterns() if pattern.is_format_suffix and pattern.name}
    probes = [probe for row in TABLE for probe in _row_probes(row, everything, twins)]
    for request in admin_requests(everything, everything.admin_object):
        probes.append(
            Probe(
                entry=request.entry,
                route=request.route,
                method=request.method,
                path=request.path,
                variant=request.variant,
                expect=request.expect,
                data=request.data,
                relogin=request.relogin,
                # users who are not staff are sent to the admin's login before any object is looked up
                skip=_not_staff if request.variant == "b" else _never,
            )
        )
    return probes


# --- sending them -----------------------------------------------------------------------------------------


def classify(response: Any) -> str:
    """The outcome of a response: its status code, or where a redirect goes (login, admin...)."""
    code = response.status_code
    if code in (301, 302, 303, 307, 308):
        target = urlsplit(response["Location"]).path
        if target == reverse("login"):
            return LOGIN
        if target == reverse("admin:login"):
            return ADMIN_LOGIN
        if target == reverse("admin:index"):
            return ADMIN_INDEX
        return REDIRECT
    return str(code)


@dataclass(frozen=True)
class Result:
    role: str
    probe: Probe
    path: str
    expected: str
    got: str
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return matches(self.expected, self.got)

    def __str__(self) -> str:
        return (
            f"{self.probe.method} {self.path} [{self.probe.entry} · {self.probe.variant}] as {self.role}: "
            f"expected {self.expected}, got {self.got}"
        )


class MatrixClient(Client):
    """Django's test client without its record of the templates rendered and their contexts: the
    matrix reads status codes only."""

    def request(self, **request: Any) -> Any:
        environ = self._base_environ(**request)
        exception_uid = f"request-exception-{id(request)}"
        got_request_exception.connect(self.store_exc_info, dispatch_uid=exception_uid)
        try:
            response = self.handler(environ)
        finally:
            got_request_exception.disconnect(dispatch_uid=exception_uid)
        self.check_exception(response)
        if response.cookies:
            self.cookies.update(response.cookies)
        return response


def _send(client: Client, probe: Probe, path: str) -> Any:
    if probe.method == "GET":
        return client.get(path)
    with transaction.atomic():
        if probe.api:
            response = client.post(path, data=json.dumps(probe.data or {}), content_type="application/json")
        else:
            response = client.post(path, data=probe.data or {})
        transaction.set_rollback(True)
    return response


def _bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    return HttpResponseBadRequest()


def _forbidden(request: HttpRequest, exception: Exception) -> HttpResponse:
    return HttpResponseForbidden()


def _not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    return HttpResponseNotFound()


def _no_body(response: TemplateResponse) -> str:
    return ""


_SCHEMA: dict[bool, Any] = {}


def _schema_once(generate: Callable[..., Any]) -> Callable[..., Any]:
    def schema(generator: Any, request: Any = None, public: bool = False) -> Any:
        if public not in _SCHEMA:
            _SCHEMA[public] = generate(generator, request=request, public=public)
        return _SCHEMA[public]

    return schema


def run_role(role_key: str, user: Any, probes: list[Probe]) -> list[Result]:
    """Send every probe as the role; each write is rolled back so the next request sees the same world.

    What decides no answer is left out, or the run would take many minutes: template responses (the
    admin's pages, the sign-in pages) are not rendered, the view has decided the status before; nor
    are the 400/403/404 pages (the status is the answer) or the log lines with their tracebacks; the
    admin's menu of every app and model the user may see (`available_apps`, built for each admin page)
    is empty, while an app's own index still looks its models up; and the OpenAPI schema, public and
    the same for everyone, is generated once. Pages rendered in the view and API answers are whole."""
    app_list = AdminSite.get_app_list

    def app_list_of_app_only(site: AdminSite, request: Any, app_label: str | None = None) -> list[Any]:
        return app_list(site, request, app_label) if app_label else []

    with (
        mock.patch.object(logging.getLogger("django.request"), "disabled", True),
        mock.patch.object(TemplateResponse, "rendered_content", property(_no_body)),
        mock.patch.object(urls, "handler400", _bad_request),
        mock.patch.object(urls, "handler403", _forbidden),
        mock.patch.object(urls, "handler404", _not_found),
        mock.patch.object(AdminSite, "get_app_list", app_list_of_app_only),
        mock.patch.object(SchemaGenerator, "get_schema", _schema_once(SchemaGenerator.get_schema)),
    ):
        return _run_role(role_key, user, probes)


def _run_role(role_key: str, user: Any, probes: list[Probe]) -> list[Result]:
    role = ROLES[role_key]
    client = MatrixClient()
    if user is not None:
        client.force_login(user)
    results = []
    for probe in probes:
        if probe.skip(role):
            continue
        path = probe.path_for(role_key)
        cache.clear()  # rate limits and cached pages start afresh for each request
        started = time.monotonic()
        try:
            got = classify(_send(client, probe, path))
        except Exception as error:  # a 500: reported as a mismatch, with what was raised
            got = f"EXC {type(error).__name__}: {str(error)[:200]}"
        results.append(
            Result(
                role=role_key,
                probe=probe,
                path=path,
                expected=probe.expect(role),
                got=got,
                seconds=time.monotonic() - started,
            )
        )
        if probe.relogin and user is not None:
            client.force_login(user)
    return results


def route_of(path: str) -> str:
    return resolve(urlsplit(path).path).route
