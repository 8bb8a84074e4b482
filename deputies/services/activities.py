"""Writes shared by every kind of activity: create, invite, answer, enrol, sign in (once), mark
attendance, hold and cancel. Attending writes the deputy's duty record through `duty_record_act`,
so the record builds itself. Area services (trainings, meetings, groups...) build on these."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from congress.models import Congress
from congress.roles import Role
from congress.scoping import get_scope
from congress.services import notify

from ..choices import ActivityState, InvitationSource, InvitationStatus, MandateStatus, SignInMethod
from ..duty import duty_record_act
from ..exceptions import NotAllowed, WorkflowError
from ..models import Activity, Deputy, Invitation, Mandate

# Deputies may sign in from this long before the start until the end.
SIGN_IN_OPENS_BEFORE = datetime.timedelta(hours=1)
WORK_STAFF_ROLES = (Role.OFFICE, Role.COMMITTEE)


def ensure_work_staff(actor: Any, congress_id: int) -> None:
    """Only the congress's office or committee staff (or administrators) run committee work."""
    scope = get_scope(actor)
    if scope.is_global:
        return
    if not scope.has_role(*WORK_STAFF_ROLES) or congress_id not in scope.congress_ids:
        raise NotAllowed(_("Only deputy-affairs office or committee staff of this congress can do this."))


def acting_deputy(actor: Any, congress_id: int) -> int:
    """The deputy a user acts for, who must serve in the congress; else NotAllowed."""
    scope = get_scope(actor)
    if scope.deputy_id is None or congress_id not in scope.congress_ids:
        raise NotAllowed(_("Only a serving deputy of this congress can do this."))
    return scope.deputy_id


def serving_deputy_ids(*, congress_id: int, deputy_ids: Iterable[int]) -> set[int]:
    """Those of `deputy_ids` holding a serving mandate in the congress."""
    return set(
        Mandate.objects.filter(
            congress_id=congress_id, deputy_id__in=list(deputy_ids), status=MandateStatus.SERVING
        ).values_list("deputy_id", flat=True)
    )


def lock_activity(activity: Activity) -> Activity:
    return Activity.objects.select_for_update().get(pk=activity.pk)


def lock_invitation(invitation: Invitation) -> Invitation:
    return Invitation.objects.select_for_update().select_related("activity").get(pk=invitation.pk)


def _ensure_planned(activity: Activity) -> None:
    if activity.state != ActivityState.PLANNED:
        raise WorkflowError(
            _("The activity is %(state)s; nothing can change any more.") % {"state": activity.get_state_display()}
        )


def _seats_taken(activity: Activity) -> int:
    return Invitation.objects.filter(activity=activity).counting_as_coming().count()


def _ensure_seat(activity: Activity) -> None:
    if activity.capacity is not None and _seats_taken(activity) >= activity.capacity:
        raise WorkflowError(_("The activity is full (%(capacity)s places).") % {"capacity": activity.capacity})


@transaction.atomic
def activity_create(
    *,
    actor: Any,
    congress: Congress,
    kind: str,
    title: str,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    **fields: Any,
) -> Activity:
    """A new planned activity; `fields` are the other model fields (topic, organiser, group, meeting...)."""
    ensure_work_staff(actor, congress.pk)
    activity = Activity(
        congress=congress, kind=kind, title=title, starts_at=starts_at, ends_at=ends_at, created_by=actor, **fields
    )
    activity.full_clean(exclude=["state"])  # a protected FSM field cannot be re-set by clean_fields
    activity.save()
    return activity


def activity_create_with_invitees(
    *,
    actor: Any,
    congress: Congress,
    kind: str,
    title: str,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    deputy_ids: Iterable[int] = (),
    notify_deputies: bool = True,
    **fields: Any,
) -> Activity:
    """`activity_create`, then `activity_invite` of the chosen deputies (if any). For the areas' own
    create services, which hold the transaction."""
    activity = activity_create(
        actor=actor, congress=congress, kind=kind, title=title, starts_at=starts_at, ends_at=ends_at, **fields
    )
    wanted = list(deputy_ids)
    if wanted:
        activity_invite(activity=activity, deputy_ids=wanted, actor=actor, notify_deputies=notify_deputies)
    return activity


@transaction.atomic
def activity_invite(
    *,
    activity: Activity,
    deputy_ids: Iterable[int],
    actor: Any,
    source: str = InvitationSource.STAFF,
    notify_deputies: bool = True,
) -> list[Invitation]:
    """Invite deputies serving in the activity's congress; those already invited are left as they are.
    Returns the new invitations. Deputies who do not serve there are refused with their names."""
    ensure_work_staff(actor, activity.congress_id)
    activity = lock_activity(activity)
    _ensure_planned(activity)
    wanted = set(deputy_ids)
    serving = serving_deputy_ids(congress_id=activity.congress_id, deputy_ids=wanted)
    if wanted - serving:
        names = "、".join(Deputy.objects.filter(pk__in=wanted - serving).values_list("name", flat=True))
        raise ValidationError({"deputies": _("Not serving deputies of this congress: %(names)s") % {"names": names}})
    already = set(Invitation.objects.filter(activity=activity).values_list("deputy_id", flat=True))
    created = Invitation.objects.bulk_create(
        [
            Invitation(congress_id=activity.congress_id, activity=activity, deputy_id=pk, source=source)
            for pk in sorted(serving - already)
        ]
    )
    if notify_deputies and created:
        users = [
            deputy.user
            for deputy in Deputy.objects.filter(pk__in=[i.deputy_id for i in created]).select_related("user")
        ]
        notify(
            users=users,
            title=_("Invitation: %(title)s") % {"title": activity.title},
            body=_("%(start)s, %(place)s")
            % {"start": timezone.localtime(activity.starts_at).strftime("%Y-%m-%d %H:%M"), "place": activity.place},
            url=reverse("deputies:portal_invitations"),
        )
    return created


@transaction.atomic
def invitation_respond(*, invitation: Invitation, actor: Any, accept: bool, reason: str = "") -> Invitation:
    """The invited deputy accepts (taking a seat, if there is one left) or declines with a reason."""
    deputy_id = acting_deputy(actor, invitation.congress_id)
    invitation = lock_invitation(invitation)
    if invitation.deputy_id != deputy_id:
        raise NotAllowed(_("This invitation is not yours."))
    activity = lock_activity(invitation.activity)
    _ensure_planned(activity)
    if accept:
        if invitation.status == InvitationStatus.ACCEPTED:
            return invitation
        if invitation.status not in {InvitationStatus.INVITED, InvitationStatus.DECLINED}:
            raise WorkflowError(_("This invitation can no longer be answered."))
        _ensure_seat(activity)
        invitation.accept()
        invitation.decline_reason = ""
    else:
        if invitation.status not in {InvitationStatus.INVITED, InvitationStatus.ACCEPTED}:
            raise WorkflowError(_("This invitation can no longer be answered."))
        if not reason.strip():
            raise ValidationError({"reason": _("Give a reason for declining.")})
        invitation.decline()
        invitation.decline_reason = reason.strip()[:200]
    invitation.responded_at = timezone.now()
    invitation.save()
    return invitation


@transaction.atomic
def activity_enroll(*, activity: Activity, actor: Any) -> Invitation:
    """A deputy enrols in an activity open for enrollment (e.g. an online course), if seats remain."""
    deputy_id = acting_deputy(actor, activity.congress_id)
    activity = lock_activity(activity)
    _ensure_planned(activity)
    if not activity.open_enrollment:
        raise WorkflowError(_("This activity is by invitation only."))
    invitation = Invitation.objects.filter(activity=activity, deputy_id=deputy_id).first()
    if invitation is not None:
        return invitation_respond(invitation=invitation, actor=actor, accept=True)
    _ensure_seat(activity)
    invitation = Invitation(
        congress_id=activity.congress_id, activity=activity, deputy_id=deputy_id, source=InvitationSource.ENROLLED
    )
    invitation.accept()
    invitation.responded_at = timezone.now()
    invitation.save()
    return invitation


def _credit_attendance(
    invitation: Invitation, activity: Activity, method: str, moment: datetime.datetime
) -> Invitation:
    invitation.attend()
    invitation.signed_in_at = moment
    invitation.sign_in_method = method
    invitation.hours = activity.hours
    invitation.save()
    duty_record_act(
        deputy_id=invitation.deputy_id,
        congress_id=activity.congress_id,
        code=activity.duty_code,
        on=timezone.localtime(activity.starts_at).date(),
        source_key=f"invitation:{invitation.pk}",
        description=activity.title,
    )
    return invitation


@transaction.atomic
def activity_sign_in(
    *,
    activity: Activity,
    actor: Any,
    method: str,
    code: str = "",
    token: str = "",
    now: datetime.datetime | None = None,
) -> Invitation:
    """A deputy signs in by scanning the activity's QR (token) or typing its six-digit code, once.
    Open-enrollment activities accept walk-ins; others need an invitation that was not declined."""
    deputy_id = acting_deputy(actor, activity.congress_id)
    moment = now or timezone.now()
    activity = lock_activity(activity)
    _ensure_planned(activity)
    if method == SignInMethod.CODE and code.strip() != activity.sign_in_code:
        raise ValidationError({"code": _("The sign-in code is wrong.")})
    if method == SignInMethod.QR and token != activity.sign_in_token:
        raise ValidationError({"token": _("This sign-in QR code is not valid for the activity.")})
    if method not in {SignInMethod.CODE, SignInMethod.QR}:
        raise ValidationError({"method": _("Sign in by QR code or by code.")})
    if moment < activity.starts_at - SIGN_IN_OPENS_BEFORE:
        raise WorkflowError(_("Sign-in opens an hour before the start."))
    if moment > activity.ends_at:
        raise WorkflowError(_("Sign-in closed when the activity ended."))
    invitation = Invitation.objects.select_for_update().filter(activity=activity, deputy_id=deputy_id).first()
    if invitation is None:
        if not activity.open_enrollment:
            raise NotAllowed(_("You are not invited to this activity."))
        _ensure_seat(activity)
        invitation = Invitation(
            congress_id=activity.congress_id, activity=activity, deputy_id=deputy_id, source=InvitationSource.ENROLLED
        )
    if invitation.status == InvitationStatus.ATTENDED:
        raise WorkflowError(
            _("You have already signed in (at %(time)s).")
            % {"time": timezone.localtime(invitation.signed_in_at).strftime("%H:%M")}
        )
    if invitation.status == InvitationStatus.DECLINED:
        raise WorkflowError(_("You declined this invitation; ask the organisers to mark your attendance."))
    return _credit_attendance(invitation, activity, method, moment)


@transaction.atomic
def invitation_mark_attended(*, invitation: Invitation, actor: Any) -> Invitation:
    """Staff record that an invited deputy attended (a paper sign-in sheet, a deputy without a phone)."""
    ensure_work_staff(actor, invitation.congress_id)
    invitation = lock_invitation(invitation)
    activity = lock_activity(invitation.activity)
    if activity.state == ActivityState.CANCELLED:
        raise WorkflowError(_("The activity was cancelled."))
    if invitation.status == InvitationStatus.ATTENDED:
        raise WorkflowError(_("%(name)s has already signed in.") % {"name": invitation.deputy.name})
    if invitation.status not in {InvitationStatus.INVITED, InvitationStatus.ACCEPTED}:
        raise WorkflowError(_("Only an invited or accepted deputy can be marked present."))
    return _credit_attendance(invitation, activity, SignInMethod.STAFF, timezone.now())


@transaction.atomic
def activity_hold(*, activity: Activity, actor: Any) -> Activity:
    """Close sign-in after the activity: invitees who did not sign in are marked absent."""
    ensure_work_staff(actor, activity.congress_id)
    activity = lock_activity(activity)
    _ensure_planned(activity)
    for invitation in Invitation.objects.select_for_update().filter(
        activity=activity, status__in=[InvitationStatus.INVITED, InvitationStatus.ACCEPTED]
    ):
        invitation.mark_absent()
        invitation.save()
    activity.hold()
    activity.save()
    return activity


@transaction.atomic
def activity_cancel(*, activity: Activity, actor: Any) -> Activity:
    """Call an activity off and tell the invitees who had not declined."""
    ensure_work_staff(actor, activity.congress_id)
    activity = lock_activity(activity)
    _ensure_planned(activity)
    if Invitation.objects.filter(activity=activity, status=InvitationStatus.ATTENDED).exists():
        raise WorkflowError(_("Deputies have already signed in; hold the activity instead."))
    activity.cancel()
    activity.save()
    users = [
        invitation.deputy.user
        for invitation in Invitation.objects.filter(activity=activity)
        .exclude(status=InvitationStatus.DECLINED)
        .select_related("deputy__user")
    ]
    notify(users=users, title=_("Cancelled: %(title)s") % {"title": activity.title})
    return activity
