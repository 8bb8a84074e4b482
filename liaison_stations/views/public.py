"""码上找代表 without an account: the deputy's QR code (SVG, PNG), the phone page to write to the
deputy (/q/<code>), the thank-you page with the tracking code, and the tracking page (/track/<code>)
with the answers and the rating form. Also the placards staff print (one deputy, or a whole station).

Abuse guards: a honeypot field, and per-address limits counted in the cache (submissions: the
congress's `IssueRules.intake_per_hour`; wrong tracking codes: `TRACKING_MISSES_PER_HOUR`)."""

from __future__ import annotations

import io
import logging

import segno
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from congress.permissions import role_required
from congress.privacy import mask_phones_in_text
from congress.roles import Role
from deputies.views.common import form_errors

from ..choices import Channel, IssueStatus
from ..exceptions import WorkflowError
from ..forms.public import IntakeForm, RatingForm, TrackingLookupForm
from ..models import PublicIssue, Station
from ..models.issues import new_tracking_code
from ..selectors import public as selectors
from ..services import public as guards
from ..services.issues import issue_rate, issue_submit, mask_phone
from ..services.open311 import client_ip as address_of

logger = logging.getLogger(__name__)

QR_MAX_AGE = 24 * 3600  # the code is stable; a day of caching spares the server when a placard is scanned a lot
THANKS_SESSION_KEY = "liaison_stations:last_tracking_code"
PLACARD_SIZES = ("a5", "a4")


def _citizen_status(issue: PublicIssue) -> str:
    """The state of the issue in plain words for the citizen."""
    texts = {
        IssueStatus.SUBMITTED: _(
            "We have received your message. The station will read it shortly and decide who handles it."
        ),
        IssueStatus.NOT_ACCEPTED: _("Your message was not taken into handling. The reason is given below."),
        IssueStatus.HANDLING: _("Your matter is being handled. An answer is due by the date below."),
        IssueStatus.ANSWERED: _("Your matter has been answered. Please read the answer and tell us what you think."),
        IssueStatus.CLOSED: _("This matter is closed. Thank you for your trust."),
        IssueStatus.CONVERTED: _("Your matter has become a formal deputy suggestion. Its progress is shown below."),
    }
    return texts.get(issue.status, issue.get_status_display())


def client_ip(request: HttpRequest) -> str:
    """The address the limits count (see `services.open311.client_ip`); "unknown" when there is none."""
    return address_of(request.META) or "unknown"


def intake_link(request: HttpRequest, code: str) -> str:
    """The absolute address a QR code opens: `PUBLIC_BASE_URL` when set (placards outlive hosts)."""
    location = reverse("liaison_stations:intake", args=[code])
    base = getattr(settings, "PUBLIC_BASE_URL", "").rstrip("/")
    return f"{base}{location}" if base else request.build_absolute_uri(location)


def _too_many(request: HttpRequest, message: str) -> HttpResponse:
    return render(request, "liaison_stations/public/limited.html", {"message": message}, status=429)


# --- QR codes ---------------------------------------------------------------------------------


def _qr(request: HttpRequest, code: str, kind: str) -> HttpResponse:
    if not selectors.printable_deputies().filter(public_code=code).exists():
        raise Http404
    qr = segno.make(intake_link(request, code), error="m")
    buffer = io.BytesIO()
    if kind == "svg":
        qr.save(buffer, kind="svg", scale=10, border=2, xmldecl=False, svgns=True)
        response = HttpResponse(buffer.getvalue(), content_type="image/svg+xml")
    else:
        qr.save(buffer, kind="png", scale=12, border=2)
        response = HttpResponse(buffer.getvalue(), content_type="image/png")
    if request.GET.get("download"):
        response["Content-Disposition"] = f'attachment; filename="qr-{code}.{kind}"'
    patch_cache_control(response, public=True, max_age=QR_MAX_AGE)
    return response


@require_GET
def deputy_qr_svg(request: HttpRequest, code: str) -> HttpResponse:
    return _qr(request, code, "svg")


@require_GET
def deputy_qr_png(request: HttpRequest, code: str) -> HttpResponse:
    return _qr(request, code, "png")


# --- writing to a deputy ----------------------------------------------------------------------


@never_cache
@require_http_methods(["GET", "POST"])
def intake(request: HttpRequest, code: str) -> HttpResponse:
    """The phone page a QR code opens: write to the deputy without an account."""
    deputy = selectors.deputy_for_code(code=code)
    if deputy is None:
        raise Http404
    congress = selectors.intake_congress(deputy)
    ip = client_ip(request)
    form = IntakeForm()
    if request.method == "POST":
        limit = guards.intake_limit(congress=congress)
        too_many = _("You have sent many messages from this network within an hour. Please try again later.")
        if guards.throttle_exceeded(bucket=guards.INTAKE_BUCKET, ip=ip, limit=limit):
            return _too_many(request, too_many)
        if request.POST.get("website"):
            # A bot filled the hidden field: it is told all went well, and nothing is saved.
            guards.throttle_hit(bucket=guards.INTAKE_BUCKET, ip=ip)
            logger.info("honeypot filled on the intake page of deputy %s from %s", deputy.pk, ip)
            request.session[THANKS_SESSION_KEY] = new_tracking_code()
            return redirect("liaison_stations:intake_thanks", code=code)
        form = IntakeForm(request.POST, request.FILES)
        if form.is_valid():
            if guards.throttle_hit(bucket=guards.INTAKE_BUCKET, ip=ip) > limit:
                return _too_many(request, too_many)
            data = form.cleaned_data
            try:
                issue = issue_submit(
                    congress=congress,
                    channel=Channel.QR,
                    content=data["content"],
                    deputy=deputy,
                    station=selectors.intake_station(deputy, congress),
                    location=data["location"],
                    citizen_name=data["citizen_name"],
                    citizen_phone=data["citizen_phone"],
                    consent=bool(data["consent"] and data["citizen_phone"]),
                    photos=data["photos"],
                    ip=ip,
                )
            except ValidationError as error:
                form_errors(form, error)
            else:
                request.session[THANKS_SESSION_KEY] = issue.tracking_code
                return redirect("liaison_stations:intake_thanks", code=code)
    return render(
        request,
        "liaison_stations/public/intake.html",
        {"deputy": deputy, "placard": selectors.placard_of(deputy), "form": form},
    )


@never_cache
@require_GET
def intake_thanks(request: HttpRequest, code: str) -> HttpResponse:
    """After sending: the tracking code, big, with its link and the advice to keep it."""
    deputy = selectors.deputy_for_code(code=code)
    tracking_code = request.session.get(THANKS_SESSION_KEY)
    if deputy is None:
        raise Http404
    if not tracking_code:
        return redirect("liaison_stations:intake", code=code)
    return render(
        request,
        "liaison_stations/public/thanks.html",
        {
            "deputy": deputy,
            "tracking_code": tracking_code,
            "tracking_link": request.build_absolute_uri(reverse("liaison_stations:track", args=[tracking_code])),
        },
    )


# --- tracking ---------------------------------------------------------------------------------


@never_cache
@require_GET
def track_lookup(request: HttpRequest) -> HttpResponse:
    """/track/: type the tracking code to open its page."""
    form = TrackingLookupForm(request.GET if "code" in request.GET else None)
    if form.is_bound and form.is_valid():
        return redirect("liaison_stations:track", tracking_code=form.cleaned_data["code"])
    return render(request, "liaison_stations/public/track_lookup.html", {"form": form})


@never_cache
@require_http_methods(["GET", "POST"])
def track(request: HttpRequest, tracking_code: str) -> HttpResponse:
    """The citizen's page for their issue: state, timeline, answers, due date, rating, suggestion."""
    ip = client_ip(request)
    if guards.throttle_exceeded(bucket=guards.TRACKING_BUCKET, ip=ip, limit=guards.tracking_limit()):
        return _too_many(request, _("Too many wrong tracking codes from this network. Please try again in an hour."))
    code = tracking_code.strip().upper()
    issue = selectors.issue_for_tracking(tracking_code=code) if len(code) <= 16 else None
    if issue is None:
        guards.throttle_hit(bucket=guards.TRACKING_BUCKET, ip=ip)
        return render(
            request,
            "liaison_stations/public/track_not_found.html",
            {"form": TrackingLookupForm(initial={"code": tracking_code[:30]})},
            status=404,
        )
    can_rate = issue.status == IssueStatus.ANSWERED and issue.reported_by_id is None
    rating_form = RatingForm(request.POST or None) if can_rate else None
    if request.method == "POST":
        if rating_form is None:
            messages.error(request, _("This matter cannot be rated now."))
            return redirect("liaison_stations:track", tracking_code=code)
        if rating_form.is_valid():
            try:
                issue_rate(
                    issue=issue,
                    rating=rating_form.cleaned_data["rating"],
                    comment=rating_form.cleaned_data["comment"],
                    tracking_code=code,
                )
            except WorkflowError as error:
                messages.error(request, error.message)
            except ValidationError as error:
                for text in error.messages:
                    messages.error(request, text)
            else:
                messages.success(request, _("Thank you. Your rating was recorded."))
            return redirect("liaison_stations:track", tracking_code=code)
    return render(
        request,
        "liaison_stations/public/track.html",
        {
            "issue": issue,
            "status_text": _citizen_status(issue),
            "masked_phone": mask_phone(issue.citizen_phone),
            # Whoever holds the code may not be the citizen: numbers in the words are masked like the phone.
            "content_shown": mask_phones_in_text(issue.content),
            "answers": list(issue.answers.all()),
            "events": issue.public_events,
            "rating_form": rating_form,
            "suggestion": issue.suggestion,
        },
    )


# --- placards (printed by staff and by the deputy) ------------------------------------------


def placard_size(request: HttpRequest) -> str:
    size = request.GET.get("size", "a5").lower()
    return size if size in PLACARD_SIZES else "a5"


def render_placards(request: HttpRequest, placards: list, *, title: str, skipped: list | None = None) -> HttpResponse:
    return render(
        request,
        "liaison_stations/public/placards.html",
        {
            "placards": [(placard, intake_link(request, placard.deputy.public_code)) for placard in placards],
            "size": placard_size(request),
            "sizes": PLACARD_SIZES,
            "title": title,
            "skipped": skipped or [],
        },
    )


@role_required(Role.OFFICE, Role.STATION, Role.DEPUTY)
def deputy_placard(request: HttpRequest, deputy_id: int) -> HttpResponse:
    """One deputy's placard (A5 or A4): office staff of a congress the deputy serves in, station staff
    of a station the deputy works at, or the deputy themself; anyone else gets 404."""
    placard = selectors.placard_for_user(user=request.user, deputy_id=deputy_id)
    if placard is None:
        raise Http404
    return render_placards(request, [placard], title=placard.deputy.name)


@role_required(Role.OFFICE, Role.STATION)
def station_placards(request: HttpRequest, pk: int) -> HttpResponse:
    """Every station deputy's placard, one a printed page."""
    station = get_object_or_404(Station.objects.visible_to(request.user), pk=pk)
    placards, skipped = selectors.station_placards(station=station)
    return render_placards(request, placards, title=station.name, skipped=skipped)


urlpatterns = [
    path("q/<str:code>", intake, name="intake"),
    path("q/<str:code>/thanks/", intake_thanks, name="intake_thanks"),
    path("q/<str:code>/qr.svg", deputy_qr_svg, name="deputy_qr_svg"),
    path("q/<str:code>/qr.png", deputy_qr_png, name="deputy_qr_png"),
    path("track/", track_lookup, name="track_lookup"),
    path("track/<str:tracking_code>", track, name="track"),
    path("desk/stations/placards/<int:deputy_id>/", deputy_placard, name="deputy_placard"),
    path("desk/stations/<int:pk>/placards/", station_placards, name="station_placards"),
]
