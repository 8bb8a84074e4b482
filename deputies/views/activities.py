"""Activity pages shared by every area: the deputy's invitations, answering, signing in (code or
QR), and the committee desk's activity list and page (invitees, sign-in, attendance, hold)."""

from __future__ import annotations

import io

import segno
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from congress.models import Congress
from congress.permissions import deputy_required, role_required
from congress.roles import Role
from congress.scoping import get_scope

from ..choices import ActivityKind, ActivityState, InvitationStatus, SignInMethod
from ..forms.activities import ActivityForm, DeclineForm, InviteForm, SignInCodeForm
from ..models import Activity, Invitation
from ..selectors import activities as selectors
from ..services import activities as services
from .common import desk_congress_id, form_errors, page_of, perform

DESK_READERS = (Role.OFFICE, Role.COMMITTEE, Role.LEADER)
DESK_WRITERS = (Role.OFFICE, Role.COMMITTEE)


# --- portal ---------------------------------------------------------------------------------


@deputy_required
def portal_invitations(request: HttpRequest) -> HttpResponse:
    """My invitations: what is coming (answer, sign in) and what is past (attended or not)."""
    scope = get_scope(request.user)
    invitations = list(selectors.invitations_of_deputy(user=request.user, deputy_id=scope.deputy_id))
    now = timezone.now()
    upcoming = [i for i in invitations if i.activity.ends_at >= now and i.activity.state == ActivityState.PLANNED]
    upcoming.reverse()  # soonest first
    past = [i for i in invitations if i not in upcoming]
    page = page_of(request, past)
    return render(request, "deputies/activities/portal_invitations.html", {"upcoming": upcoming, "page": page})


def _own_activity(request: HttpRequest, pk: int) -> tuple[Activity, Invitation | None]:
    activity = get_object_or_404(
        Activity.objects.visible_to(request.user).select_related("organiser", "meeting", "group"), pk=pk
    )
    invitation = Invitation.objects.filter(activity=activity, deputy_id=get_scope(request.user).deputy_id).first()
    return activity, invitation


@deputy_required
def portal_activity(request: HttpRequest, pk: int) -> HttpResponse:
    """One activity for the deputy: when and where, my answer, and signing in with the code."""
    activity, invitation = _own_activity(request, pk)
    now = timezone.now()
    can_sign_in = (
        activity.state == ActivityState.PLANNED
        and activity.starts_at - services.SIGN_IN_OPENS_BEFORE <= now <= activity.ends_at
        and (invitation is None or invitation.status in {InvitationStatus.INVITED, InvitationStatus.ACCEPTED})
    )
    return render(
        request,
        "deputies/activities/portal_activity.html",
        {
            "activity": activity,
            "invitation": invitation,
            "can_sign_in": can_sign_in,
            "code_form": SignInCodeForm(),
            "decline_form": DeclineForm(),
        },
    )


@deputy_required
@require_POST
def portal_respond(request: HttpRequest, pk: int) -> HttpResponse:
    activity, invitation = _own_activity(request, pk)
    if request.POST.get("answer") == "enroll":
        perform(
            request, lambda: services.activity_enroll(activity=activity, actor=request.user), _("You are enrolled.")
        )
        return redirect("deputies:portal_activity", pk=activity.pk)
    if invitation is None:
        raise Http404
    if request.POST.get("answer") == "accept":
        perform(
            request,
            lambda: services.invitation_respond(invitation=invitation, actor=request.user, accept=True),
            _("You accepted the invitation."),
        )
    else:
        form = DeclineForm(request.POST)
        if form.is_valid():
            perform(
                request,
                lambda: services.invitation_respond(
                    invitation=invitation, actor=request.user, accept=False, reason=form.cleaned_data["reason"]
                ),
                _("You declined the invitation."),
            )
        else:
            messages.error(request, _("Give a reason for declining."))
    return redirect("deputies:portal_activity", pk=activity.pk)


@deputy_required
@require_POST
def portal_sign_in_code(request: HttpRequest, pk: int) -> HttpResponse:
    activity, _invitation = _own_activity(request, pk)
    form = SignInCodeForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for text in errors:
                messages.error(request, text)
        return redirect("deputies:portal_activity", pk=activity.pk)
    perform(
        request,
        lambda: services.activity_sign_in(
            activity=activity, actor=request.user, method=SignInMethod.CODE, code=form.cleaned_data["code"]
        ),
        _("Signed in. Thank you."),
    )
    return redirect("deputies:portal_activity", pk=activity.pk)


@deputy_required
def portal_sign_in_qr(request: HttpRequest, token: str) -> HttpResponse:
    """Where the activity's QR code leads: a confirm page (GET changes nothing), then sign in (POST)."""
    activity = Activity.objects.visible_to(request.user).filter(sign_in_token=token).first()
    if activity is None:
        raise Http404
    if request.method == "POST":
        perform(
            request,
            lambda: services.activity_sign_in(
                activity=activity, actor=request.user, method=SignInMethod.QR, token=token
            ),
            _("Signed in. Thank you."),
        )
        return redirect("deputies:portal_activity", pk=activity.pk)
    return render(request, "deputies/activities/portal_sign_in_qr.html", {"activity": activity, "token": token})


# --- committee desk ---------------------------------------------------------------------------


@role_required(*DESK_READERS)
def work_activities(request: HttpRequest) -> HttpResponse:
    filters = {key: request.GET.get(key, "").strip() for key in ("kind", "state", "q")}
    page = page_of(request, selectors.activities_for_desk(user=request.user, filters=filters))
    return render(
        request,
        "deputies/activities/work_list.html",
        {"page": page, "filters": filters, "kinds": ActivityKind.choices, "states": ActivityState.choices},
    )


@role_required(*DESK_WRITERS)
def work_activity_create(request: HttpRequest) -> HttpResponse:
    congress_id = desk_congress_id(request)
    form = ActivityForm(request.POST or None, congress_id=congress_id)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            activity = services.activity_create(
                actor=request.user,
                congress=Congress.objects.get(pk=congress_id),
                kind=data.pop("kind"),
                title=data.pop("title"),
                starts_at=data.pop("starts_at"),
                ends_at=data.pop("ends_at"),
                **data,
            )
        except ValidationError as error:
            form_errors(form, error)
        else:
            messages.success(request, _("The activity was created; now invite deputies."))
            return redirect("deputies:work_activity", pk=activity.pk)
    return render(request, "deputies/activities/work_form.html", {"form": form})


def _desk_activity(request: HttpRequest, pk: int) -> Activity:
    return get_object_or_404(
        Activity.objects.visible_to(request.user).select_related("organiser", "meeting", "group"), pk=pk
    )


@role_required(*DESK_READERS)
def work_activity(request: HttpRequest, pk: int) -> HttpResponse:
    """An activity at the desk: invitees and their answers, sign-in code and QR, attendance, closing."""
    activity = _desk_activity(request, pk)
    candidates = list(
        selectors.invitable_deputies(
            activity=activity, category=request.GET.get("category", ""), query=request.GET.get("q", "").strip()
        )[:300]
    )
    scope = get_scope(request.user)
    return render(
        request,
        "deputies/activities/work_detail.html",
        {
            "activity": activity,
            "invitations": selectors.activity_invitees(activity=activity),
            "counts": selectors.activity_counts(activity=activity),
            "invite_form": InviteForm(candidates=candidates),
            "can_write": scope.has_role(*DESK_WRITERS),
            "qr_link": request.build_absolute_uri(reverse("deputies:portal_sign_in_qr", args=[activity.sign_in_token])),
        },
    )


@role_required(*DESK_READERS)
def work_activity_qr(request: HttpRequest, pk: int) -> HttpResponse:
    """The sign-in QR code (SVG) to show on a screen or print at the door."""
    activity = _desk_activity(request, pk)
    link = request.build_absolute_uri(reverse("deputies:portal_sign_in_qr", args=[activity.sign_in_token]))
    buffer = io.BytesIO()
    segno.make(link, error="m").save(buffer, kind="svg", scale=8, border=2, xmldecl=False)
    return HttpResponse(buffer.getvalue(), content_type="image/svg+xml")


@role_required(*DESK_WRITERS)
@require_POST
def work_activity_invite(request: HttpRequest, pk: int) -> HttpResponse:
    activity = _desk_activity(request, pk)
    candidates = list(selectors.invitable_deputies(activity=activity))
    form = InviteForm(request.POST, candidates=candidates)
    if form.is_valid():
        ids = form.deputy_ids()
        perform(
            request,
            lambda: services.activity_invite(activity=activity, deputy_ids=ids, actor=request.user),
            _("%(count)s deputies invited.") % {"count": len(ids)},
        )
    else:
        for text in form.non_field_errors() or [_("Choose deputies or categories to invite.")]:
            messages.error(request, text)
    return redirect("deputies:work_activity", pk=activity.pk)


@role_required(*DESK_WRITERS)
@require_POST
def work_invitation_attended(request: HttpRequest, pk: int, invitation_pk: int) -> HttpResponse:
    activity = _desk_activity(request, pk)
    invitation = get_object_or_404(
        Invitation.objects.filter(activity=activity).select_related("deputy"), pk=invitation_pk
    )
    perform(
        request,
        lambda: services.invitation_mark_attended(invitation=invitation, actor=request.user),
        _("%(name)s marked present.") % {"name": invitation.deputy.name},
    )
    return redirect("deputies:work_activity", pk=activity.pk)


@role_required(*DESK_WRITERS)
@require_POST
def work_activity_close(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    activity = _desk_activity(request, pk)
    if action == "hold":
        perform(
            request,
            lambda: services.activity_hold(activity=activity, actor=request.user),
            _("Sign-in closed; deputies who did not sign in are marked absent."),
        )
    elif action == "cancel":
        perform(
            request,
            lambda: services.activity_cancel(activity=activity, actor=request.user),
            _("The activity was cancelled."),
        )
    else:
        raise Http404
    return redirect("deputies:work_activity", pk=activity.pk)


urlpatterns = [
    path("portal/invitations/", portal_invitations, name="portal_invitations"),
    path("portal/activities/<int:pk>/", portal_activity, name="portal_activity"),
    path("portal/activities/<int:pk>/respond/", portal_respond, name="portal_respond"),
    path("portal/activities/<int:pk>/sign-in/", portal_sign_in_code, name="portal_sign_in_code"),
    path("portal/sign-in/<str:token>/", portal_sign_in_qr, name="portal_sign_in_qr"),
    path("work/activities/", work_activities, name="work_activities"),
    path("work/activities/new/", work_activity_create, name="work_activity_create"),
    path("work/activities/<int:pk>/", work_activity, name="work_activity"),
    path("work/activities/<int:pk>/qr.svg", work_activity_qr, name="work_activity_qr"),
    path("work/activities/<int:pk>/invite/", work_activity_invite, name="work_activity_invite"),
    path(
        "work/activities/<int:pk>/invitations/<int:invitation_pk>/attended/",
        work_invitation_attended,
        name="work_invitation_attended",
    ),
    path("work/activities/<int:pk>/<str:action>/", work_activity_close, name="work_activity_close"),
]
