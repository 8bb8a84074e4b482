"""Reads of trainings and the learning area: plans, courses with their figures, the deputy's own
courses and certificates, the learning area with completion, and a congress's yearly figures."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Sum
from django.http import Http404
from django.utils import timezone

from congress.models import Congress
from congress.scoping import get_scope

from ..choices import ActivityKind, ActivityState, InvitationStatus, MandateStatus
from ..models import (
    Activity,
    Invitation,
    LearningMaterial,
    Mandate,
    MaterialCompletion,
    PlannedCourse,
    TrainingPlan,
)

ATTENDED = Q(invitations__status=InvitationStatus.ATTENDED)


@dataclass(frozen=True)
class TrainingFigures:
    """A congress's trainings in a year: held courses, distinct deputies trained, person-times, hours."""

    year: int
    courses_held: int
    deputies_trained: int
    person_times: int
    hours: Decimal


def training_figures(*, congress_id: int, year: int) -> TrainingFigures:
    """Counted over the held training courses of the year, in one aggregate query."""
    row = (
        Activity.objects.trainings()
        .filter(congress_id=congress_id, state=ActivityState.HELD, starts_at__year=year)
        .aggregate(
            courses=Count("pk", distinct=True),
            deputies=Count("invitations__deputy", filter=ATTENDED, distinct=True),
            person_times=Count("invitations", filter=ATTENDED),
            hours=Sum("invitations__hours", filter=ATTENDED),
        )
    )
    return TrainingFigures(
        year=year,
        courses_held=row["courses"],
        deputies_trained=row["deputies"],
        person_times=row["person_times"],
        hours=row["hours"] or Decimal(0),
    )


def desk_congress(*, user: Any, raw: str | None = None) -> Congress:
    """The congress a desk page is about: the staff member's own (the lowest id if several); global
    users may pick one with `?congress=`."""
    congresses = Congress.objects.visible_to(user).order_by("pk")
    scope = get_scope(user)
    if raw and raw.isascii() and raw.isdigit():
        congresses = congresses.filter(pk=int(raw))
    elif not scope.is_global:
        congresses = congresses.filter(pk__in=scope.congress_ids)
    congress = congresses.first()
    if congress is None:
        raise Http404
    return congress


def with_course_figures(queryset: QuerySet[Activity]) -> QuerySet[Activity]:
    return queryset.annotate(
        invited_count=Count("invitations", distinct=True),
        coming_count=Count(
            "invitations",
            filter=Q(invitations__status__in=[InvitationStatus.ACCEPTED, InvitationStatus.ATTENDED]),
            distinct=True,
        ),
        attended_count=Count("invitations", filter=ATTENDED, distinct=True),
        certificate_count=Count("invitations", filter=~Q(invitations__certificate_number=""), distinct=True),
        credited_hours=Sum("invitations__hours", filter=ATTENDED),
    )


def plans_of_congress(*, user: Any, congress_id: int) -> QuerySet[TrainingPlan]:
    return (
        TrainingPlan.objects.visible_to(user)
        .filter(congress_id=congress_id)
        .annotate(
            course_count=Count("planned_courses", distinct=True),
            opened_count=Count("planned_courses__courses", distinct=True),
        )
        .order_by("-year", "pk")
    )


def plan_detail(*, user: Any, pk: int) -> TrainingPlan:
    planned = PlannedCourse.objects.select_related("organiser").prefetch_related(
        Prefetch("courses", queryset=Activity.objects.order_by("starts_at", "pk"))
    )
    return (
        TrainingPlan.objects.visible_to(user)
        .select_related("approved_by")
        .prefetch_related(Prefetch("planned_courses", queryset=planned))
        .get(pk=pk)
    )


def courses_for_staff(
    *, user: Any, congress_id: int, year: int | None = None, query: str = "", state: str = ""
) -> QuerySet[Activity]:
    """The congress's training courses with invited/attended counts and credited hours."""
    courses = Activity.objects.visible_to(user).trainings().filter(congress_id=congress_id)
    if year:
        courses = courses.filter(starts_at__year=year)
    if query:
        courses = courses.filter(Q(title__icontains=query) | Q(place__icontains=query))
    if state:
        courses = courses.filter(state=state)
    return with_course_figures(courses.select_related("organiser", "planned_course")).order_by("-starts_at", "pk")


def course_detail(*, user: Any, pk: int) -> Activity:
    return (
        with_course_figures(
            Activity.objects.visible_to(user).trainings().select_related("organiser", "planned_course__plan")
        )
        .order_by()
        .get(pk=pk)
    )


def course_certificates(*, course: Activity) -> QuerySet[Invitation]:
    """The numbered certificates of a course, for printing."""
    return (
        Invitation.objects.filter(activity=course, status=InvitationStatus.ATTENDED)
        .exclude(certificate_number="")
        .select_related("deputy", "activity__organiser", "congress")
        .order_by("certificate_number")
    )


# --- the deputy's portal ----------------------------------------------------------------------------


def my_trainings(*, user: Any) -> QuerySet[Invitation]:
    """The deputy's invitations to training courses, newest course first."""
    deputy_id = get_scope(user).deputy_id
    return (
        Invitation.objects.visible_to(user)
        .filter(deputy_id=deputy_id, activity__kind=ActivityKind.TRAINING_COURSE)
        .select_related("activity__organiser")
        .order_by("-activity__starts_at", "pk")
    )


def open_courses_for_deputy(*, user: Any, now: Any = None) -> QuerySet[Activity]:
    """Courses of the deputy's congresses open for enrollment, not over yet, that the deputy is not in."""
    scope = get_scope(user)
    mine = Invitation.objects.filter(activity=OuterRef("pk"), deputy_id=scope.deputy_id)
    return (
        Activity.objects.trainings()
        .filter(
            congress_id__in=scope.congress_ids,
            open_enrollment=True,
            state=ActivityState.PLANNED,
            ends_at__gte=now or timezone.now(),
        )
        .exclude(Exists(mine))
        .annotate(
            seats_taken=Count(
                "invitations",
                filter=Q(invitations__status__in=[InvitationStatus.ACCEPTED, InvitationStatus.ATTENDED]),
            )
        )
        .select_related("organiser")
        .order_by("starts_at", "pk")
    )


def certificate_of_deputy(*, user: Any, pk: int) -> Invitation:
    """The deputy's own numbered certificate (an attended course); anyone else's is not found."""
    deputy_id = get_scope(user).deputy_id
    if deputy_id is None:
        raise Invitation.DoesNotExist
    return (
        Invitation.objects.visible_to(user)
        .filter(deputy_id=deputy_id, status=InvitationStatus.ATTENDED, activity__kind=ActivityKind.TRAINING_COURSE)
        .exclude(certificate_number="")
        .select_related("deputy", "activity__organiser", "congress")
        .get(pk=pk)
    )


def materials_for_deputy(*, user: Any, query: str = "") -> QuerySet[LearningMaterial]:
    """Published materials of the deputy's congresses, each with `is_completed` for the deputy."""
    scope = get_scope(user)
    done = MaterialCompletion.objects.filter(material=OuterRef("pk"), deputy_id=scope.deputy_id)
    materials = LearningMaterial.objects.visible_to(user).filter(is_published=True, congress_id__in=scope.congress_ids)
    if query:
        materials = materials.filter(Q(title__icontains=query) | Q(description__icontains=query))
    return (
        materials.annotate(is_completed=Exists(done)).select_related("course").order_by("-is_required", "title", "pk")
    )


def learning_progress(*, user: Any) -> dict[str, int]:
    """How many published materials the deputy has completed, of how many (one query)."""
    scope = get_scope(user)
    done = MaterialCompletion.objects.filter(material=OuterRef("pk"), deputy_id=scope.deputy_id)
    row = (
        LearningMaterial.objects.filter(is_published=True, congress_id__in=scope.congress_ids)
        .annotate(is_completed=Exists(done))
        .aggregate(total=Count("pk"), completed=Count("pk", filter=Q(is_completed=True)))
    )
    total, completed = row["total"], row["completed"]
    return {"total": total, "completed": completed, "percent": round(100 * completed / total) if total else 0}


# --- the learning area for staff --------------------------------------------------------------------


def serving_deputy_count(*, congress_id: int) -> int:
    return (
        Mandate.objects.filter(congress_id=congress_id, status=MandateStatus.SERVING)
        .values("deputy_id")
        .distinct()
        .count()
    )


def materials_with_completion(*, user: Any, congress_id: int, query: str = "") -> QuerySet[LearningMaterial]:
    materials = LearningMaterial.objects.visible_to(user).filter(congress_id=congress_id)
    if query:
        materials = materials.filter(title__icontains=query)
    return (
        materials.annotate(completion_count=Count("completions"))
        .select_related("course")
        .order_by("-is_required", "title", "pk")
    )


def material_completions(*, material: LearningMaterial) -> QuerySet[MaterialCompletion]:
    return MaterialCompletion.objects.filter(material=material).select_related("deputy").order_by("-completed_at", "pk")
