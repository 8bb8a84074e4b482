"""The site's language: Chinese unless the user chose another with the language switch."""

from django.conf import settings
from django.urls import reverse


def test_pages_are_chinese_by_default(client, db):
    # when a page is opened without a choice of language
    response = client.get(reverse("login"))

    # then it is in Chinese (Django's own form labels too)
    assert response.headers["Content-Language"] == "zh-hans"
    assert "用户名" in response.content.decode()


def test_an_english_browser_still_gets_chinese(client, db):
    # when a page is opened by a browser asking for English
    response = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")

    # then it is still in Chinese: only the switch changes the language
    assert response.headers["Content-Language"] == "zh-hans"


def test_the_language_switch_changes_to_english_and_back(client, db):
    # given the user switched to English
    switched = client.post(reverse("set_language"), {"language": "en", "next": "/accounts/login/"})

    # when they open a page
    response = client.get(reverse("login"))

    # then it is in English, and switching back gives Chinese again
    assert switched.status_code == 302
    assert switched.url == "/accounts/login/"
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert response.headers["Content-Language"] == "en"
    assert "Username" in response.content.decode()
    client.post(reverse("set_language"), {"language": "zh-hans", "next": "/accounts/login/"})
    assert client.get(reverse("login")).headers["Content-Language"] == "zh-hans"


def test_an_unknown_language_is_ignored(client, db):
    # given a language cookie the site does not offer
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"

    # when a page is opened
    response = client.get(reverse("login"))

    # then it is in Chinese
    assert response.headers["Content-Language"] == "zh-hans"
