"""Failed log-ins are limited per address (password spraying), on our log-in page and the admin's."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.urls import reverse

from congress import ratelimit
from congress.services import user_create

PASSWORD = "s3cret-Passw0rd"


@pytest.fixture(autouse=True)
def _fresh_limits(db, settings):
    settings.LOGIN_FAILURES_PER_HOUR = 3
    settings.AXES_FAILURE_LIMIT = 100  # this file is about the per-address limit, not the per-user lockout
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def staff(db):
    user = user_create(username="wangfang", password=PASSWORD, full_name="王芳")
    user.is_staff = True
    user.save()
    return user


@pytest.mark.parametrize("url_name", ["login", "admin:login"])
def test_an_address_that_failed_too_often_is_paused_whatever_the_names(client, staff, url_name):
    # given three failures from one address, each with a different user name
    for name in ("a", "b", "c"):
        response = client.post(reverse(url_name), {"username": name, "password": "x"}, REMOTE_ADDR="10.0.0.7")
        assert response.status_code == 200
    # when the right password is tried from that address
    response = client.post(reverse(url_name), {"username": "wangfang", "password": PASSWORD}, REMOTE_ADDR="10.0.0.7")
    # then the log-in is paused with a Chinese explanation and nobody is signed in
    assert response.status_code == 429
    assert int(response["Retry-After"]) == 3600
    assert "登录" in response.content.decode()
    assert "_auth_user_id" not in client.session
    # while another address signs in normally
    response = client.post(reverse(url_name), {"username": "wangfang", "password": PASSWORD}, REMOTE_ADDR="10.0.0.8")
    assert response.status_code == 302


def test_successful_log_ins_are_not_counted(client, staff):
    for _ in range(5):
        response = client.post(reverse("login"), {"username": "wangfang", "password": PASSWORD}, REMOTE_ADDR="10.0.0.9")
        assert response.status_code == 302
        client.logout()
    assert ratelimit.count(bucket="login-failed", who="10.0.0.9") == 0


def test_with_the_cache_down_log_in_still_works(client, staff, monkeypatch):
    class Down:
        def __getattr__(self, name):
            def fail(*args, **kwargs):
                raise ConnectionError("cache down")

            return fail

    monkeypatch.setattr(ratelimit, "cache", Down())
    response = client.post(reverse("login"), {"username": "wangfang", "password": PASSWORD})
    assert response.status_code == 302


@pytest.mark.parametrize(
    ("proxies", "forwarded", "remote", "expected"),
    [
        (0, "1.1.1.1", "10.0.0.1", "10.0.0.1"),  # no trusted proxy: the header is the client's and ignored
        (1, "6.6.6.6, 1.1.1.1", "10.0.0.1", "1.1.1.1"),  # one proxy: the entry it appended
        (2, "6.6.6.6, 1.1.1.1, 10.0.0.2", "10.0.0.1", "1.1.1.1"),
        (1, "", "10.0.0.1", "10.0.0.1"),  # a proxy that did not append: fall back
    ],
)
def test_the_client_address_trusts_only_our_own_proxies(settings, proxies, forwarded, remote, expected):
    settings.TRUSTED_PROXY_COUNT = proxies
    meta = {"REMOTE_ADDR": remote, "HTTP_X_FORWARDED_FOR": forwarded}
    assert ratelimit.client_ip(meta) == expected
