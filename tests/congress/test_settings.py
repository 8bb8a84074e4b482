"""Settings: test mode under pytest, Chinese and Shanghai time, and production refusing unsafe defaults."""

import os
import subprocess
import sys

import pytest
from django.conf import settings

SETUP_DJANGO = (
    "import django, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'congress.settings'; django.setup(); "
    "from django.conf import settings; print(settings.DEBUG, settings.ALLOWED_HOSTS)"
)


def start_in_production(**variables):
    """Start Django in production mode in a fresh interpreter with only the given security variables."""
    env = {
        name: value
        for name, value in os.environ.items()
        if name not in {"DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS", "DJANGO_DEBUG", "DJANGO_SETTINGS_MODULE"}
    }
    env.update(DJANGO_ENV="production", **variables)
    return subprocess.run(  # noqa: S603 - a fixed command line with this interpreter
        [sys.executable, "-c", SETUP_DJANGO],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_pytest_runs_in_test_mode():
    # given the settings pytest loaded
    # then they are in test mode: tasks run eagerly and mail stays in memory
    assert settings.TESTING is True
    assert settings.PRODUCTION is False
    assert settings.CELERY_TASK_ALWAYS_EAGER is True
    assert settings.EMAIL_BACKEND == "django.core.mail.backends.locmem.EmailBackend"


def test_language_and_time_zone():
    # then the site is Chinese first, on Shanghai time, with aware datetimes
    assert settings.LANGUAGE_CODE == "zh-hans"
    assert [code for code, _name in settings.LANGUAGES] == ["zh-hans", "en"]
    assert settings.TIME_ZONE == "Asia/Shanghai"
    assert settings.USE_TZ is True
    assert settings.USE_I18N is True


def test_production_refuses_to_start_without_secret_key_and_hosts():
    # when Django starts in production mode without a secret key and allowed hosts
    result = start_in_production()

    # then it stops, naming both
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr
    assert "DJANGO_ALLOWED_HOSTS" in result.stderr


@pytest.mark.parametrize("missing", ["DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS"])
def test_production_refuses_to_start_without_either(missing):
    # when Django starts in production mode with only one of the two
    given = {"DJANGO_SECRET_KEY": "a-long-random-secret-for-the-test", "DJANGO_ALLOWED_HOSTS": "congress.example"}
    del given[missing]
    result = start_in_production(**given)

    # then it stops, naming the missing one
    assert result.returncode != 0
    assert missing in result.stderr


def test_production_starts_with_secret_key_and_hosts():
    # when Django starts in production mode with a secret key and allowed hosts
    result = start_in_production(
        DJANGO_SECRET_KEY="a-long-random-secret-for-the-test",
        DJANGO_ALLOWED_HOSTS="congress.example,www.congress.example",
    )

    # then it starts, with debugging off and the given hosts
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False ['congress.example', 'www.congress.example']"
