"""Writes of trainings and the learning area: the yearly plan and its planned courses, approval into
the standing committee's yearly schedule, opening courses (activities of kind `training_course`),
inviting deputies by category, certificates, and studying learning materials.

Invitations, enrollment, sign-in and attendance go through the shared activity services, so the
duty record of a course builds itself; finishing a material records a "study" act."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models.functions import Length
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from congress.models import Committee, Congress
from congress.roles import Role
from congress.scoping import get_scope
from congress.services import notify

from ..choices import (
    ActivityKind,
    ActivityState,
    DeputyCategory,
    DeputyStatus,
    InvitationStatus,
    MandateStatus,
    PlanStatus,
    TrainingKind,
)
from ..duty import duty_record_act
from ..exceptions import NotAllowed, WorkflowError
from ..models import Activity, Deputy, Invitation, LearningMaterial, MaterialCompletion, PlannedCourse, TrainingPlan
from .activities import acting_deputy, activity_create, activity_invite, ensure_work_staff

# The middle part of a certificate number: "2026-培-0001".
CERTIFICATE_MARK = "培"
PLANNED_COURSE_FIELDS = ("title", "kind", "organiser", "month", "planned_deputies", "audience")


def ensure_office(actor: Any, congress_id: int) -> None:
    """Plans are the deputy-affairs office's (联工委) to draft and approve (administrators too)."""
    scope = get_scope(actor)
    if scope.is_global:
        return
    if Role.OFFICE not in scope.roles or congress_id not in scope.congress_ids:
        raise NotAllowed(_("Only deputy-affairs office staff of this congress can do this."))


def _lock_plan(plan: TrainingPlan) -> TrainingPlan:
    return TrainingPlan.objects.select_for_update().get(pk=plan.pk)


def _ensure_draft(plan: TrainingPlan) -> None:
    if plan.status != PlanStatus.DRAFT:
        raise WorkflowError(_("The plan has been approved; its planned courses can no longer change."))


def _ensure_course(activity: Activity) -> None:
    if activity.kind != ActivityKind.TRAINING_COURSE:
        raise WorkflowError(_("This activity is not a training course."))


# --- the plan ---------------------------------------------------------------------------------------


@transaction.atomic
def training_plan_create(*, actor: Any, congress: Congress, year: int, title: str, notes: str = "") -> TrainingPlan:
    """A draft plan for a year (one per congress and year)."""
    ensure_office(actor, congress.pk)
    if not title.strip():
        raise ValidationError({"title": _("Give the plan a title.")})
    if not 2000 <= year <= 2100:
        raise ValidationError({"year": _("Enter a year such as 2026.")})
    if TrainingPlan.objects.filter(congress=congress, year=year).exists():
        raise ValidationError({"year": _("This congress already has a training plan for %(year)s.") % {"year": year}})
    return TrainingPlan.objects.create(congress=congress, year=year, title=title.strip(), notes=notes)


def _clean_planned_fields(plan: TrainingPlan, fields: dict[str, Any]) -> None:
    unknown = set(fields) - set(PLANNED_COURSE_FIELDS)
    if unknown:
        raise TypeError(f"unknown planned-course fields: {sorted(unknown)}")
    organiser = fields.get("organiser")
    if organiser is not None and organiser.congress_id != plan.congress_id:
        raise ValidationError({"organiser": _("Choose a committee of this congress.")})
    month = fields.get("month")
    if month is not None and not 1 <= month <= 12:
        raise ValidationError({"month": _("Enter a month from 1 to 12.")})


@transaction.atomic
def planned_course_add(
    *,
    plan: TrainingPlan,
    actor: Any,
    title: str,
    kind: str,
    organiser: Committee,
    month: int | None = None,
    planned_deputies: int = 0,
    audience: str = "",
) -> PlannedCourse:
    """Add a course to a draft plan (office or committee staff: committees propose their courses)."""
    ensure_work_staff(actor, plan.congress_id)
    plan = _lock_plan(plan)
    _ensure_draft(plan)
    fields = {
        "title": title,
        "kind": kind,
        "organiser": organiser,
        "month": month,
        "planned_deputies": planned_deputies,
        "audience": audience,
    }
    _clean_planned_fields(plan, fields)
    course = PlannedCourse(congress_id=plan.congress_id, plan=plan, **fields)
    course.full_clean()
    course.save()
    return course


@transaction.atomic
def planned_course_update(*, planned_course: PlannedCourse, actor: Any, **fields: Any) -> PlannedCourse:
    """Change a planned course while its plan is a draft."""
    ensure_work_staff(actor, planned_course.congress_id)
    plan = _lock_plan(planned_course.plan)
    _ensure_draft(plan)
    _clean_planned_fields(plan, fields)
    course = PlannedCourse.objects.select_for_update().get(pk=planned_course.pk)
    for name, value in fields.items():
        setattr(course, name, value)
    course.full_clean()
    course.save()
    return course


@transaction.atomic
def training_plan_approve(*, plan: TrainingPlan, actor: Any, on: datetime.date | None = None) -> TrainingPlan:
    """Approve a draft plan (recorded by the office, with the day and who); courses may then be opened."""
    ensure_office(actor, plan.congress_id)
    plan = _lock_plan(plan)
    if plan.status != PlanStatus.DRAFT:
        raise WorkflowError(_("The plan has already been approved."))
    if not plan.planned_courses.exists():
        raise WorkflowError(_("Add the planned courses before approving the plan."))
    plan.approve()
    plan.approved_on = on or timezone.localdate()
    plan.approved_by = actor
    plan.save()
    return plan


@transaction.atomic
def training_plan_include_in_schedule(*, plan: TrainingPlan, actor: Any) -> TrainingPlan:
    """Mark an approved plan as included in the standing committee's yearly work schedule."""
    ensure_office(actor, plan.congress_id)
    plan = _lock_plan(plan)
    if plan.status != PlanStatus.APPROVED:
        raise WorkflowError(_("Only an approved plan can be included in the yearly schedule."))
    if not plan.in_yearly_schedule:
        plan.in_yearly_schedule = True
        plan.save()
    return plan


# --- courses ------------------------------------------------------------------------------------------


@transaction.atomic
def course_open(
    *,
    actor: Any,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    planned_course: PlannedCourse | None = None,
    congress: Congress | None = None,
    title: str = "",
    training_kind: str = "",
    organiser: Committee | None = None,
    place: str = "",
    capacity: int | None = None,
    hours: Decimal | int | float = 0,
    open_enrollment: bool = False,
    topic: str = "",
    description: str = "",
) -> Activity:
    """Open a course: from a planned course of an approved plan (title, kind and organiser default to
    the plan's), or outside the plan (then congress, title and kind are required)."""
    if planned_course is not None:
        ensure_work_staff(actor, planned_course.congress_id)
        plan = TrainingPlan.objects.select_for_update().get(pk=planned_course.plan_id)
        if plan.status != PlanStatus.APPROVED:
            raise WorkflowError(_("Courses can be opened from a plan only once it is approved."))
        congress = plan.congress
        title = title or planned_course.title
        training_kind = training_kind or planned_course.kind
        organiser = organiser or planned_course.organiser
    if congress is None:
        raise ValidationError({"congress": _("Choose the congress.")})
    ensure_work_staff(actor, congress.pk)
    errors = {}
    if not title.strip():
        errors["title"] = _("Give the course a title.")
    if training_kind not in TrainingKind.values:
        errors["training_kind"] = _("Choose the kind of training.")
    if organiser is not None and organiser.congress_id != congress.pk:
        errors["organiser"] = _("Choose a committee of this congress.")
    if ends_at < starts_at:
        errors["ends_at"] = _("The course must end after it starts.")
    if capacity is not None and capacity < 1:
        errors["capacity"] = _("Enter at least one place, or leave it empty for no limit.")
    if errors:
        raise ValidationError(errors)
    return activity_create(
        actor=actor,
        congress=congress,
        kind=ActivityKind.TRAINING_COURSE,
        title=title.strip(),
        starts_at=starts_at,
        ends_at=ends_at,
        planned_course=planned_course,
        training_kind=training_kind,
        organiser=organiser,
        place=place,
        capacity=capacity,
        hours=Decimal(str(hours)),
        open_enrollment=open_enrollment,
        topic=topic,
        description=description,
    )


def trained_deputy_ids(*, congress_id: int, year: int) -> set[int]:
    """Deputies who attended a training course of the congress in the year."""
    return set(
        Invitation.objects.filter(
            congress_id=congress_id,
            status=InvitationStatus.ATTENDED,
            activity__kind=ActivityKind.TRAINING_COURSE,
            activity__starts_at__year=year,
        ).values_list("deputy_id", flat=True)
    )


@transaction.atomic
def course_invite(
    *,
    course: Activity,
    actor: Any,
    categories: Iterable[str] = (),
    deputy_ids: Iterable[int] = (),
    exclude_trained: bool = False,
    notify_deputies: bool = True,
) -> list[Invitation]:
    """Invite the serving deputies of the chosen categories (grassroots, professional...) and/or the
    chosen deputies; optionally leave out those already trained this year. Returns new invitations."""
    ensure_work_staff(actor, course.congress_id)
    _ensure_course(course)
    categories = set(categories)
    if categories - set(DeputyCategory.values):
        raise ValidationError({"categories": _("Choose among the listed categories.")})
    wanted = set(deputy_ids)
    if categories:
        wanted |= set(
            Deputy.objects.filter(
                category__in=categories,
                status=DeputyStatus.ACTIVE,
                mandates__congress_id=course.congress_id,
                mandates__status=MandateStatus.SERVING,
            ).values_list("pk", flat=True)
        )
    if not categories and not wanted:
        raise ValidationError({"deputies": _("Choose categories of deputies or individual deputies.")})
    if exclude_trained:
        year = timezone.localtime(course.starts_at).year
        wanted -= trained_deputy_ids(congress_id=course.congress_id, year=year)
    created = activity_invite(activity=course, deputy_ids=wanted, actor=actor, notify_deputies=False)
    if notify_deputies and created:
        users = Deputy.objects.filter(pk__in=[i.deputy_id for i in created], user__isnull=False).select_related("user")
        notify(
            users=[deputy.user for deputy in users],
            title=_("Training invitation: %(title)s") % {"title": course.title},
            body=_("%(start)s, %(place)s")
            % {"start": timezone.localtime(course.starts_at).strftime("%Y-%m-%d %H:%M"), "place": course.place},
            url=reverse("deputies:portal_trainings"),
        )
    return created


def _next_certificate_serial(congress_id: int, prefix: str) -> int:
    last = (
        Invitation.objects.filter(congress_id=congress_id, certificate_number__startswith=prefix)
        .order_by(Length("certificate_number").desc(), "-certificate_number")
        .values_list("certificate_number", flat=True)
        .first()
    )
    return int(last.removeprefix(prefix)) + 1 if last else 1


@transaction.atomic
def course_issue_certificates(*, course: Activity, actor: Any) -> list[Invitation]:
    """Number a certificate for each attendee of a held course who has none yet ("2026-培-0001",
    sequential per congress and year). Run again, it numbers only newcomers; numbers never repeat
    or leave holes, because the congress row is locked while they are counted."""
    ensure_work_staff(actor, course.congress_id)
    Congress.objects.select_for_update().get(pk=course.congress_id)  # one numbering at a time per congress
    course = Activity.objects.select_for_update().get(pk=course.pk)
    _ensure_course(course)
    if course.state != ActivityState.HELD:
        raise WorkflowError(_("Certificates are issued once the course has been held."))
    prefix = f"{timezone.localtime(course.starts_at).year}-{CERTIFICATE_MARK}-"
    serial = _next_certificate_serial(course.congress_id, prefix)
    issued = []
    for invitation in (
        Invitation.objects.select_for_update()
        .filter(activity=course, status=InvitationStatus.ATTENDED, certificate_number="")
        .order_by("signed_in_at", "pk")
    ):
        invitation.certificate_number = f"{prefix}{serial:04d}"
        invitation.save(update_fields=["certificate_number", "updated_at"])
        issued.append(invitation)
        serial += 1
    return issued


# --- the learning area --------------------------------------------------------------------------------


@transaction.atomic
def material_publish(*, material: LearningMaterial, actor: Any, publish: bool = True) -> LearningMaterial:
    """Show a material to deputies in the learning area (or take it down)."""
    ensure_work_staff(actor, material.congress_id)
    material = LearningMaterial.objects.select_for_update().get(pk=material.pk)
    if publish and not (material.file or material.url):
        raise ValidationError({"url": _("Attach a file or give a link before publishing.")})
    if material.is_published != publish:
        material.is_published = publish
        material.save(update_fields=["is_published", "updated_at"])
    return material


@transaction.atomic
def material_complete(
    *, material: LearningMaterial, actor: Any, now: datetime.datetime | None = None
) -> MaterialCompletion:
    """A deputy marks a published material as studied (once); it counts as a "study" act."""
    deputy_id = acting_deputy(actor, material.congress_id)
    material = LearningMaterial.objects.select_for_update().get(pk=material.pk)
    if not material.is_published:
        raise WorkflowError(_("This material is not published."))
    if MaterialCompletion.objects.filter(material=material, deputy_id=deputy_id).exists():
        raise WorkflowError(_("You have already completed this material."))
    moment = now or timezone.now()
    completion = MaterialCompletion.objects.create(
        congress_id=material.congress_id, material=material, deputy_id=deputy_id, completed_at=moment
    )
    duty_record_act(
        deputy_id=deputy_id,
        congress_id=material.congress_id,
        code="study",
        on=timezone.localtime(moment).date(),
        source_key=f"material:{material.pk}",
        description=material.title,
    )
    return completion
