"""Deployment hardening: `check --deploy` is clean, every response carries the security headers, and
no template has inline script that the Content-Security-Policy would have to allow."""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.urls import reverse

ROOT = Path(settings.BASE_DIR)


def test_production_settings_pass_check_deploy_with_no_warning():
    # given the production settings with a real secret and host
    # (without what the test process itself sets: the browser tests allow async-unsafe calls in it)
    inherited = {key: value for key, value in os.environ.items() if key != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {
        **inherited,
        "DJANGO_ENV": "production",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "renda.example.org",
        "DJANGO_SETTINGS_MODULE": "congress.settings",
    }
    # when Django's deployment checks run, failing on any warning
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    # then they pass with nothing to report
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def _directives(policy: str) -> dict[str, list[str]]:
    parts = [part.split() for part in policy.split(";") if part.strip()]
    return {part[0]: part[1:] for part in parts}


@pytest.mark.parametrize("url_name", ["login", "livez", "healthz", "api-docs"])
def test_responses_carry_the_policy_headers(client, db, url_name):
    response = client.get(reverse(url_name))
    policy = _directives(response["Content-Security-Policy"])
    assert policy["script-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]


def test_the_default_policy_never_allows_inline_or_evaluated_script():
    policy = _directives(settings.CONTENT_SECURITY_POLICY)
    for directive in ("script-src", "default-src"):
        assert "'unsafe-inline'" not in policy[directive]
        assert "'unsafe-eval'" not in policy[directive]


def test_the_policy_can_be_sent_report_only(client, db, settings):
    from congress.middleware import SecurityHeadersMiddleware

    settings.CONTENT_SECURITY_POLICY_REPORT_ONLY = True
    middleware = SecurityHeadersMiddleware(lambda request: __import__("django.http").http.HttpResponse("x"))
    response = middleware(None)
    assert "Content-Security-Policy-Report-Only" in response
    assert "Content-Security-Policy" not in response


def _our_templates() -> list[Path]:
    folders = [ROOT / "templates"]
    for config in apps.get_app_configs():
        path = Path(config.path)
        if ROOT in path.parents and ".venv" not in path.parts:
            folders.append(path / "templates")
    return sorted(file for folder in folders if folder.is_dir() for file in folder.rglob("*.html"))


INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc=)(?![^>]*type=\"application/(?:ld\+)?json\")[^>]*>", re.I)
EVENT_HANDLER = re.compile(r"\son[a-z]+\s*=\s*[\"']", re.I)
SCRIPT_URL = re.compile(r"javascript:", re.I)


def test_our_templates_have_no_inline_script_handlers_or_script_urls():
    # given every template we wrote (the project's and each app's)
    templates = _our_templates()
    assert len(templates) > 100
    offenders = []
    for template in templates:
        text = template.read_text(encoding="utf-8")
        for pattern in (INLINE_SCRIPT, EVENT_HANDLER, SCRIPT_URL):
            for match in pattern.finditer(text):
                offenders.append(f"{template.relative_to(ROOT)}: {match.group(0)[:60]}")
    # then none would need the policy to allow inline script
    assert offenders == []


def test_the_template_check_finds_what_it_looks_for():
    samples = ["<script>alert(1)</script>", '<button onclick="x()">', '<a href="javascript:void(0)">']
    found = [bool(p.search(s)) for p, s in zip((INLINE_SCRIPT, EVENT_HANDLER, SCRIPT_URL), samples, strict=True)]
    assert found == [True, True, True]
    assert not INLINE_SCRIPT.search('<script src="/static/js/site.js"></script>')
    assert not INLINE_SCRIPT.search('<script type="application/json" id="x">{}</script>')


def test_the_api_docs_page_loads_its_start_script_from_our_origin(client, db):
    # the Swagger page is the split view: its start script is a separate request, not inline
    html = client.get(reverse("api-docs")).content.decode()
    assert not INLINE_SCRIPT.search(html)
    assert "?script" in html


@pytest.mark.parametrize("path", ["/track/%00ABC/", "/q/%00/", "/healthz?x=%00", "/dashboard/?year=20%0026"])
def test_a_nul_character_in_the_address_is_refused_before_any_view(client, db, path):
    # PostgreSQL cannot compare text with NUL: without the guard /track/%00 was a 500 there
    response = client.get(path)
    assert response.status_code == 400
