"""Request middleware of the project."""

from collections.abc import Callable
from urllib.parse import unquote_plus

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.utils.translation import gettext as _


class ChosenLanguageMiddleware(LocaleMiddleware):
    """Chinese unless the user picked another language with the switch (the language cookie).

    Django's LocaleMiddleware would follow the browser's Accept-Language, so an office PC with an
    English browser would get English pages; the product's language is Chinese by default.
    """

    def process_request(self, request: HttpRequest) -> None:
        supported = {code for code, _name in settings.LANGUAGES}
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


class SecurityHeadersMiddleware:
    """Headers Django does not set itself: the Content-Security-Policy (`CONTENT_SECURITY_POLICY`; our
    pages carry no inline script, so scripts come from our own origin only) and a Permissions-Policy
    that turns off device features no page uses. `CONTENT_SECURITY_POLICY_REPORT_ONLY` sends the
    policy as report-only, to try a stricter one in production first. A response that already has a
    policy keeps it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.policy = getattr(settings, "CONTENT_SECURITY_POLICY", "")
        self.header = (
            "Content-Security-Policy-Report-Only"
            if getattr(settings, "CONTENT_SECURITY_POLICY_REPORT_ONLY", False)
            else "Content-Security-Policy"
        )
        self.permissions = getattr(settings, "PERMISSIONS_POLICY", "")

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if self.policy and self.header not in response:
            response[self.header] = self.policy
        if self.permissions and "Permissions-Policy" not in response:
            response["Permissions-Policy"] = self.permissions
        return response


class RejectNulMiddleware:
    """A NUL character in the path or the query string is refused with 400 before any view runs:
    PostgreSQL cannot store or even compare text containing it, so a crafted `/track/%00` would
    otherwise end in a 500. (Form and serializer fields refuse NUL in bodies themselves.)"""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        query = unquote_plus(request.META.get("QUERY_STRING", ""))
        if "\x00" in request.path or "\x00" in query:
            return HttpResponseBadRequest(_("Null characters are not allowed."))
        return self.get_response(request)
