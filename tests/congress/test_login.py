"""Logging in, and django-axes locking out a username after repeated failures."""

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.urls import reverse
from rest_framework.authtoken.models import Token

from congress.services import user_create

PASSWORD = "s3cret-Passw0rd"


@pytest.fixture
def user_with_password(db):
    return user_create(username="liumin", password=PASSWORD, full_name="刘敏")


def log_in(client, password):
    return client.post(reverse("login"), {"username": "liumin", "password": password})


def test_the_right_password_logs_in(client, user_with_password):
    # when the user logs in with the right password
    response = log_in(client, PASSWORD)

    # then they are signed in and sent home
    assert response.status_code == 302
    assert response.url == reverse("home")
    assert client.session["_auth_user_id"] == str(user_with_password.pk)


def test_a_wrong_password_does_not_log_in(client, user_with_password):
    # when the user logs in with a wrong password
    response = log_in(client, "wrong")

    # then the form is shown again with an error, and the failure is recorded
    assert response.status_code == 200
    assert response.context["form"].errors
    assert "_auth_user_id" not in client.session
    assert AccessAttempt.objects.get(username="liumin").failures_since_start == 1


def test_repeated_failures_lock_the_username_out(client, user_with_password):
    # given as many failed attempts as allowed
    for _ in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, "wrong")

    # when the right password is tried next
    response = log_in(client, PASSWORD)

    # then the user is not signed in and gets the lockout answer
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    assert AccessAttempt.objects.get(username="liumin").failures_since_start >= settings.AXES_FAILURE_LIMIT


def test_failures_below_the_limit_do_not_lock_out(client, user_with_password):
    # given one failure fewer than the limit
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        log_in(client, "wrong")

    # when the right password is tried
    response = log_in(client, PASSWORD)

    # then the user is signed in
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user_with_password.pk)


def test_the_token_endpoint_counts_failures_too(client, user_with_password):
    # given as many failed token requests as allowed
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/api/v1/auth/token/", {"username": "liumin", "password": "wrong"})

    # when a token is asked for with the right password
    response = client.post("/api/v1/auth/token/", {"username": "liumin", "password": PASSWORD})

    # then no token is given
    assert response.status_code in {400, 403, 429}
    assert "token" not in response.json()
    assert not Token.objects.filter(user=user_with_password).exists()
