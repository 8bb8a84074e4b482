"""Open311 GeoReport v2 at /open311/v2/: discovery, the services (a congress's subject categories), a
service's definition, and service requests (post one, list them, read one). No API key: citizens post
without an account, limited per address like the QR intake. JSON only; an .xml URL answers the spec's
XML error document. Errors are the spec's list [{"code": …, "description": …}] with the HTTP status.
See docs/stations/open311.md."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from functools import wraps
from typing import Any
from xml.etree.ElementTree import Element, SubElement, tostring

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import NoReverseMatch, URLPattern, re_path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from congress.privacy import mask_phones_in_text

from ..choices import Channel
from ..exceptions import WorkflowError
from ..selectors import open311 as selectors
from ..services import open311 as mapping
from ..services.issues import issue_submit

# The spec's datetime of this document's last change when no category says later.
RELEASED = "2026-01-01T00:00:00+08:00"
JSON_TYPE = "application/json; charset=utf-8"
FORMAT = r"\.(?P<fmt>json|xml)$"


class Problem(Exception):
    """An answer in the spec's error format."""

    def __init__(self, status: int, description: str) -> None:
        super().__init__(description)
        self.status = status
        self.description = description


def json_answer(data: Any, status: int = 200) -> JsonResponse:
    return JsonResponse(
        data, status=status, safe=False, content_type=JSON_TYPE, json_dumps_params={"ensure_ascii": False}
    )


def error_answer(status: int, descriptions: list[str], *, xml: bool = False) -> HttpResponse:
    if not xml:
        return json_answer([{"code": status, "description": text} for text in descriptions], status=status)
    root = Element("errors")
    for text in descriptions:
        error = SubElement(root, "error")
        SubElement(error, "code").text = str(status)
        SubElement(error, "description").text = text
    body = '<?xml version="1.0" encoding="utf-8"?>\n' + tostring(root, encoding="unicode")
    return HttpResponse(body, status=status, content_type="text/xml; charset=utf-8")


def endpoint(*methods: str) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Answer JSON only, the methods given only, and turn bad input and problems into the spec's errors."""

    def wrap(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @csrf_exempt  # no session is used: a citizen's client posts without an account
        @wraps(view)
        def run(request: HttpRequest, fmt: str, **kwargs: Any) -> HttpResponse:
            if fmt != "json":
                return error_answer(400, [_("Only the JSON format is offered: use .json.")], xml=True)
            if request.method not in methods:
                response = error_answer(405, [_("This method is not allowed here.")])
                response["Allow"] = ", ".join(methods)
                return response
            if _holds_nul(request):
                return error_answer(400, [_("Null characters are not allowed.")])
            try:
                return view(request, **kwargs)
            except Problem as problem:
                response = error_answer(problem.status, [problem.description])
                if problem.status == 429:
                    response["Retry-After"] = str(mapping.retry_after())
                return response
            except ValidationError as error:
                return error_answer(400, error.messages)
            except WorkflowError as error:
                return error_answer(400, [error.message])

        return run

    return wrap


def _holds_nul(request: HttpRequest) -> bool:
    """Whether a parameter (name or value) holds a NUL character: PostgreSQL stores no NUL in text and
    takes none in a query, so such a request is refused before any field is read."""
    for parameters in (request.GET, request.POST):
        for name, values in parameters.lists():
            if "\x00" in name or any("\x00" in value for value in values if isinstance(value, str)):
                return True
    return False


def _congress(request: HttpRequest) -> Any:
    return mapping.congress_for_jurisdiction(request.POST.get("jurisdiction_id") or request.GET.get("jurisdiction_id"))


def _comma_list(value: str | None) -> list[str]:
    return [part.strip() for part in (value or "").split(",") if part.strip()][: mapping.MAX_REQUESTS]


@endpoint("GET")
def discovery(request: HttpRequest) -> HttpResponse:
    last = selectors.open311_changeset()
    changeset = max(RELEASED, mapping.w3c(last)) if last else RELEASED
    base = request.build_absolute_uri(reverse("liaison_stations:open311-discovery", kwargs={"fmt": "json"}))
    return json_answer(
        {
            "changeset": changeset,
            "contact": _("The deputy-affairs office of the congress; see the liaison stations' pages."),
            "key_service": _(
                "No API key is needed: citizens post without one, a limited number of times an hour from one address."
            ),
            "endpoints": [
                {
                    "specification": mapping.SPECIFICATION,
                    "url": base.rsplit("/", 1)[0] + "/",
                    "changeset": changeset,
                    "type": "production",
                    "formats": ["application/json"],
                }
            ],
            # Beyond the spec: the jurisdiction_id values this server answers for.
            "jurisdictions": [
                {"jurisdiction_id": congress.area_code, "name": congress.name}
                for congress in selectors.open311_jurisdictions()
            ],
        }
    )


def _service(category: Any, congress: Any) -> dict[str, Any]:
    committee = category.counterpart_committee
    return {
        "service_code": category.code,
        "service_name": category.name,
        "description": _("Issues about %(category)s, for the deputies and liaison stations of %(congress)s.")
        % {"category": category.name, "congress": congress.name},
        "metadata": True,  # every service takes the deputy_code and station_id attributes
        "type": "realtime",
        "keywords": ",".join(dict.fromkeys(filter(None, [category.name, committee.short_name, committee.name]))),
        "group": committee.name,
    }


@endpoint("GET")
def services(request: HttpRequest) -> HttpResponse:
    congress = _congress(request)
    return json_answer([_service(category, congress) for category in selectors.open311_services(congress=congress)])


def _category(congress: Any, service_code: str) -> Any:
    category = selectors.open311_service(congress=congress, service_code=service_code)
    if category is None:
        raise Problem(404, _("There is no service with the code %(code)s.") % {"code": service_code[:30]})
    return category


@endpoint("GET")
def service_definition(request: HttpRequest, service_code: str) -> HttpResponse:
    category = _category(_congress(request), service_code)
    attributes = [
        {
            "variable": True,
            "code": "deputy_code",
            "datatype": "string",
            "required": False,
            "datatype_description": _(
                "The code on the deputy's QR placard (the part after /q/). Needed without a station."
            ),
            "order": 1,
            "description": _("The deputy you write to"),
        },
        {
            "variable": True,
            "code": "station_id",
            "datatype": "number",
            "required": False,
            "datatype_description": _("The number of a liaison station of this congress. Needed without a deputy."),
            "order": 2,
            "description": _("The liaison station you write to"),
        },
    ]
    return json_answer({"service_code": category.code, "attributes": attributes})


def _tracking_url(request: HttpRequest, issue: Any) -> str:
    try:
        return request.build_absolute_uri(issue.tracking_url())
    except NoReverseMatch:  # the tracking page is not wired
        return ""


def _post_request(request: HttpRequest) -> HttpResponse:
    data = request.POST
    congress = _congress(request)
    service_code = data.get("service_code", "").strip()
    if not service_code:
        raise Problem(400, _("service_code is required."))
    category = _category(congress, service_code)
    description = data.get("description", "").strip()
    if not description:
        raise Problem(400, _("description is required: say what the problem is."))
    if len(description) > mapping.DESCRIPTION_MAX:
        raise Problem(400, _("description is longer than %(max)s characters.") % {"max": mapping.DESCRIPTION_MAX})
    media_url = data.get("media_url", "").strip()
    if media_url:
        if not media_url.startswith(("http://", "https://")) or len(media_url) > 500:
            raise Problem(400, _("media_url must be an http or https address."))
        description = f"{description}\n\n{_('Photo')}: {media_url}"
    coordinates = mapping.parse_coordinates(data.get("lat", ""), data.get("long", ""))
    location = mapping.location_text(address=data.get("address_string", ""), coordinates=coordinates)
    station_id = data.get("attribute[station_id]", "").strip()
    if station_id and not station_id.isdigit():
        raise Problem(400, _("attribute[station_id] must be a number."))
    target = mapping.intake_target(
        deputy_code=data.get("attribute[deputy_code]", ""),
        station_id=int(station_id) if station_id else None,
        congress=congress,
    )
    # Chinese order: family name (last_name) first.
    name = f"{data.get('last_name', '').strip()}{data.get('first_name', '').strip()}"[:50]
    phone = data.get("phone", "").strip()
    # Sending a name or phone through a client is asking to be contacted.
    consent = bool(name or phone)
    mapping.check_contact(name=name, phone=phone, consent=consent)
    ip = mapping.client_ip(request.META)
    if not mapping.intake_allowed(ip=ip, limit=mapping.intake_limit(target.congress)):
        raise Problem(429, _("Too many submissions from your address; please try again in an hour."))
    issue = issue_submit(
        congress=target.congress,
        channel=Channel.OPEN311,
        content=description,
        deputy=target.deputy,
        station=target.station,
        category=category,
        location=location,
        citizen_name=name,
        citizen_phone=phone,
        consent=consent,
        ip=ip,
    )
    notice = _("Received. Keep the number %(code)s to follow your issue.") % {"code": issue.tracking_code}
    tracking_url = _tracking_url(request, issue)
    if tracking_url:
        notice = f"{notice} {tracking_url}"
    return json_answer(
        [{"service_request_id": issue.tracking_code, "service_notice": notice, "account_id": None}], status=201
    )


# The feed is public: free text keeps no phone number in full (a citizen's own in the description, the
# one an answer mentions). The citizen's contact fields are never part of it (`request_fields`).
PUBLIC_TEXT_FIELDS = ("description", "status_notes", "address")


def public_request(fields: dict[str, Any]) -> dict[str, Any]:
    """One service request as the public sees it: phone numbers in its free text masked."""
    return fields | {name: mask_phones_in_text(fields[name]) for name in PUBLIC_TEXT_FIELDS if fields.get(name)}


def _list_requests(request: HttpRequest) -> HttpResponse:
    query = request.GET
    congress = _congress(request)
    ids = _comma_list(query.get("service_request_id"))
    start = mapping.parse_w3c(query["start_date"], field="start_date") if query.get("start_date") else None
    end = mapping.parse_w3c(query["end_date"], field="end_date") if query.get("end_date") else None
    if start and end:
        if end < start:
            raise Problem(400, _("end_date is before start_date."))
        if end - start > datetime.timedelta(days=mapping.DEFAULT_DAYS):
            raise Problem(400, _("start_date and end_date may not span more than 90 days."))
    statuses = _comma_list(query.get("status"))
    if set(statuses) - {mapping.OPEN, mapping.CLOSED}:
        raise Problem(400, _("status must be open or closed."))
    issues = selectors.open311_requests(
        congress=congress,
        ids=ids,
        service_codes=_comma_list(query.get("service_code")),
        start=start,
        end=end,
        statuses=statuses,
    )
    asked_codes = {value.upper() for value in ids}
    return json_answer(
        [
            public_request(
                mapping.request_fields(
                    issue,
                    # The tracking code is the citizen's key (it can rate the answer): the feed shows it only to
                    # whoever asked by it, and a public number otherwise.
                    request_id=issue.tracking_code if issue.tracking_code in asked_codes else str(issue.pk),
                    absolute=request.build_absolute_uri,
                )
            )
            for issue in issues
        ]
    )


@endpoint("GET", "POST")
def service_requests(request: HttpRequest) -> HttpResponse:
    return _post_request(request) if request.method == "POST" else _list_requests(request)


@endpoint("GET")
def request_detail(request: HttpRequest, request_id: str) -> HttpResponse:
    congress = _congress(request) if request.GET.get("jurisdiction_id") else None
    issue = selectors.open311_request(key=request_id, congress=congress)
    if issue is None:
        raise Problem(404, _("There is no service request %(id)s.") % {"id": request_id[:20]})
    request_id = issue.tracking_code if request_id.upper() == issue.tracking_code else str(issue.pk)
    return json_answer(
        [public_request(mapping.request_fields(issue, request_id=request_id, absolute=request.build_absolute_uri))]
    )


urlpatterns: list[URLPattern] = [
    re_path(r"^open311/v2/discovery" + FORMAT, discovery, name="open311-discovery"),
    re_path(r"^open311/v2/services" + FORMAT, services, name="open311-services"),
    re_path(r"^open311/v2/services/(?P<service_code>[-\w]{1,30})" + FORMAT, service_definition, name="open311-service"),
    re_path(r"^open311/v2/requests" + FORMAT, service_requests, name="open311-requests"),
    re_path(r"^open311/v2/requests/(?P<request_id>[0-9A-Za-z]{1,20})" + FORMAT, request_detail, name="open311-request"),
]
