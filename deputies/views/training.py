"""Pages of trainings and the learning area: the deputy's courses, certificates and study (portal),
and the committee desk's plans, courses, invitations, certificates and completion figures."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, URLPattern, path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from congress.permissions import deputy_required, role_required
from congress.roles import Role
from congress.scoping import get_scope

from ..choices import ActivityState, PlanStatus
from ..exceptions import WorkflowError
from ..forms.training import CourseInviteForm, CourseOpenForm, PlanForm, PlannedCourseForm
from ..models import Activity, Invitation, LearningMaterial, PlannedCourse, TrainingPlan
from ..selectors import training as selectors
from ..services import activities as activity_services
from ..services import training as services
from .common import page_of, perform, year_param

READERS = (Role.OFFICE, Role.COMMITTEE, Role.LEADER)
WRITERS = (Role.OFFICE, Role.COMMITTEE)


def _get_or_404(queryset: Any, pk: int) -> Any:
    try:
        return queryset.get(pk=pk)
    except queryset.model.DoesNotExist:
        raise Http404 from None


def _optional_url(name: str, *args: Any) -> str:
    """A link to a page another module owns; empty while it does not exist."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


# --- deputy portal ---------------------------------------------------------------------------------


@deputy_required
def portal_trainings(request: HttpRequest) -> HttpResponse:
    """My courses (invited, accepted, attended with hours and certificates) and courses open to enrol."""
    return render(
        request,
        "deputies/training/portal_trainings.html",
        {
            "page": page_of(request, selectors.my_trainings(user=request.user)),
            "open_courses": selectors.open_courses_for_deputy(user=request.user)[:20],
            "invitations_url": _optional_url("deputies:portal_invitations"),
        },
    )


@require_POST
@deputy_required
def portal_training_enroll(request: HttpRequest, pk: int) -> HttpResponse:
    course = _get_or_404(Activity.objects.visible_to(request.user).trainings(), pk)
    perform(
        request,
        lambda: activity_services.activity_enroll(activity=course, actor=request.user),
        _("You are enrolled in %(title)s.") % {"title": course.title},
    )
    return redirect("deputies:portal_trainings")


@deputy_required
def portal_certificate(request: HttpRequest, pk: int) -> HttpResponse:
    """The deputy's own printable certificate; another deputy's is not found."""
    try:
        invitation = selectors.certificate_of_deputy(user=request.user, pk=pk)
    except Invitation.DoesNotExist:
        raise Http404 from None
    return render(request, "deputies/training/certificates.html", {"certificates": [invitation], "single": True})


@deputy_required
def portal_learning(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    return render(
        request,
        "deputies/training/portal_learning.html",
        {
            "page": page_of(request, selectors.materials_for_deputy(user=request.user, query=query)),
            "progress": selectors.learning_progress(user=request.user),
            "query": query,
        },
    )


@require_POST
@deputy_required
def portal_learning_complete(request: HttpRequest, pk: int) -> HttpResponse:
    scope = get_scope(request.user)
    material = _get_or_404(
        LearningMaterial.objects.visible_to(request.user).filter(congress_id__in=scope.congress_ids), pk
    )
    perform(
        request,
        lambda: services.material_complete(material=material, actor=request.user),
        _("Marked as studied: %(title)s.") % {"title": material.title},
    )
    return redirect("deputies:portal_learning")


# --- committee desk -------------------------------------------------------------------------------


@role_required(*READERS)
def work_trainings(request: HttpRequest) -> HttpResponse:
    """The congress's plans, the year's figures and its courses."""
    congress = selectors.desk_congress(user=request.user, raw=request.GET.get("congress"))
    year = year_param(request)
    query = request.GET.get("q", "").strip()
    state = request.GET.get("state", "")
    state = state if state in ActivityState.values else ""
    plans = selectors.plans_of_congress(user=request.user, congress_id=congress.pk)
    courses = selectors.courses_for_staff(
        user=request.user, congress_id=congress.pk, year=year, query=query, state=state
    )
    scope = get_scope(request.user)
    return render(
        request,
        "deputies/training/work_trainings.html",
        {
            "congress": congress,
            "year": year,
            "figures": selectors.training_figures(congress_id=congress.pk, year=year),
            "plans": plans,
            "page": page_of(request, courses),
            "query": query,
            "state": state,
            "states": ActivityState.choices,
            "plan_form": PlanForm(initial={"year": year}),
            "is_office": scope.is_global or Role.OFFICE in scope.roles,
            "can_write": scope.has_role(*WRITERS),
        },
    )


@require_POST
@role_required(Role.OFFICE)
def work_training_plan_create(request: HttpRequest) -> HttpResponse:
    congress = selectors.desk_congress(user=request.user, raw=request.GET.get("congress"))
    form = PlanForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Enter the year and the title of the plan."))
        return redirect("deputies:work_trainings")
    created: list[TrainingPlan] = []
    if perform(
        request,
        lambda: created.append(
            services.training_plan_create(actor=request.user, congress=congress, **form.cleaned_data)
        ),
        _("The draft plan was created; add its planned courses."),
    ):
        return redirect("deputies:work_training_plan", pk=created[0].pk)
    return redirect("deputies:work_trainings")


@role_required(*READERS)
def work_training_plan(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        plan = selectors.plan_detail(user=request.user, pk=pk)
    except TrainingPlan.DoesNotExist:
        raise Http404 from None
    scope = get_scope(request.user)
    return render(
        request,
        "deputies/training/work_plan.html",
        {
            "plan": plan,
            "figures": selectors.training_figures(congress_id=plan.congress_id, year=plan.year),
            "is_office": scope.is_global or Role.OFFICE in scope.roles,
            "can_write": scope.has_role(*WRITERS),
            "is_draft": plan.status == PlanStatus.DRAFT,
            "course_form": PlannedCourseForm(congress_id=plan.congress_id),
        },
    )


@require_POST
@role_required(*WRITERS)
def work_training_plan_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    plan = _get_or_404(TrainingPlan.objects.visible_to(request.user), pk)
    moves: dict[str, tuple[Callable[[], Any], str]] = {
        "approve": (
            lambda: services.training_plan_approve(plan=plan, actor=request.user),
            _("The plan is approved; its courses can be opened."),
        ),
        "schedule": (
            lambda: services.training_plan_include_in_schedule(plan=plan, actor=request.user),
            _("The plan is marked as included in the standing committee's yearly schedule."),
        ),
    }
    if action not in moves:
        raise Http404
    call, success = moves[action]
    perform(request, call, success)
    return redirect("deputies:work_training_plan", pk=pk)


@require_POST
@role_required(*WRITERS)
def work_training_planned_add(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _get_or_404(TrainingPlan.objects.visible_to(request.user), pk)
    form = PlannedCourseForm(request.POST, congress_id=plan.congress_id)
    if form.is_valid():
        perform(
            request,
            lambda: services.planned_course_add(plan=plan, actor=request.user, **form.cleaned_data),
            _("The course was added to the plan."),
        )
    else:
        messages.error(request, _("Enter the title, kind and organising committee of the course."))
    return redirect("deputies:work_training_plan", pk=pk)


@role_required(*WRITERS)
def work_training_course_open(request: HttpRequest) -> HttpResponse:
    """Open a course, from a planned course (`?planned=<id>`) or outside the plan."""
    planned = None
    raw = request.GET.get("planned", "")
    if raw.isascii() and raw.isdigit():
        planned = _get_or_404(
            PlannedCourse.objects.visible_to(request.user).select_related("plan", "organiser"), int(raw)
        )
    congress = planned.plan.congress if planned else selectors.desk_congress(user=request.user)
    initial = {"title": planned.title, "training_kind": planned.kind, "organiser": planned.organiser} if planned else {}
    form = CourseOpenForm(request.POST or None, initial=initial, congress_id=congress.pk)
    if request.method == "POST" and form.is_valid():
        try:
            course = services.course_open(
                actor=request.user, planned_course=planned, congress=congress, **form.cleaned_data
            )
        except WorkflowError as error:
            form.add_error(None, error.message)
        except ValidationError as error:
            for field, problems in error.message_dict.items():
                form.add_error(field if field in form.fields else None, problems)
        else:
            messages.success(request, _("The course is open; invite deputies now."))
            return redirect("deputies:work_training_course", pk=course.pk)
    return render(
        request, "deputies/training/work_course_open.html", {"form": form, "planned": planned, "congress": congress}
    )


@role_required(*READERS)
def work_training_course(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        course = selectors.course_detail(user=request.user, pk=pk)
    except Activity.DoesNotExist:
        raise Http404 from None
    scope = get_scope(request.user)
    return render(
        request,
        "deputies/training/work_course.html",
        {
            "course": course,
            "invite_form": CourseInviteForm(congress_id=course.congress_id),
            "can_write": scope.has_role(*WRITERS),
            "activity_url": _optional_url("deputies:work_activity", course.pk),
            "is_held": course.state == ActivityState.HELD,
            "is_planned": course.state == ActivityState.PLANNED,
        },
    )


@require_POST
@role_required(*WRITERS)
def work_training_course_invite(request: HttpRequest, pk: int) -> HttpResponse:
    course = _get_or_404(Activity.objects.visible_to(request.user).trainings(), pk)
    form = CourseInviteForm(request.POST, congress_id=course.congress_id)
    if not form.is_valid():
        for problems in form.errors.values():
            for problem in problems:
                messages.error(request, problem)
        return redirect("deputies:work_training_course", pk=pk)
    data = form.cleaned_data
    try:
        created = services.course_invite(
            course=course,
            actor=request.user,
            categories=data["categories"],
            deputy_ids=[deputy.pk for deputy in data["deputies"]],
            exclude_trained=data["exclude_trained"],
        )
    except WorkflowError as error:
        messages.error(request, error.message)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("%(count)d deputies invited.") % {"count": len(created)})
    return redirect("deputies:work_training_course", pk=pk)


@require_POST
@role_required(*WRITERS)
def work_training_certificates_issue(request: HttpRequest, pk: int) -> HttpResponse:
    course = _get_or_404(Activity.objects.visible_to(request.user).trainings(), pk)
    issued: list[Invitation] = []
    if perform(
        request,
        lambda: issued.extend(services.course_issue_certificates(course=course, actor=request.user)),
        _("Certificates issued."),
    ):
        messages.info(request, _("%(count)d new certificate numbers.") % {"count": len(issued)})
    return redirect("deputies:work_training_course", pk=pk)


@role_required(*READERS)
def work_training_certificates(request: HttpRequest, pk: int) -> HttpResponse:
    """Every numbered certificate of a course, one per printed page."""
    course = _get_or_404(Activity.objects.visible_to(request.user).trainings(), pk)
    return render(
        request,
        "deputies/training/certificates.html",
        {"certificates": selectors.course_certificates(course=course), "course": course, "single": False},
    )


@role_required(*READERS)
def work_learning(request: HttpRequest) -> HttpResponse:
    """Materials with how many deputies completed each and the share of the serving deputies."""
    congress = selectors.desk_congress(user=request.user, raw=request.GET.get("congress"))
    query = request.GET.get("q", "").strip()
    return render(
        request,
        "deputies/training/work_learning.html",
        {
            "congress": congress,
            "page": page_of(
                request, selectors.materials_with_completion(user=request.user, congress_id=congress.pk, query=query)
            ),
            "serving": selectors.serving_deputy_count(congress_id=congress.pk),
            "query": query,
        },
    )


@role_required(*READERS)
def work_learning_material(request: HttpRequest, pk: int) -> HttpResponse:
    """Who completed a material."""
    material = _get_or_404(LearningMaterial.objects.visible_to(request.user), pk)
    return render(
        request,
        "deputies/training/work_material.html",
        {
            "material": material,
            "page": page_of(request, selectors.material_completions(material=material)),
            "serving": selectors.serving_deputy_count(congress_id=material.congress_id),
        },
    )


urlpatterns: list[URLPattern] = [
    path("portal/trainings/", portal_trainings, name="portal_trainings"),
    path("portal/trainings/<int:pk>/enroll/", portal_training_enroll, name="portal_training_enroll"),
    path("portal/trainings/certificates/<int:pk>/", portal_certificate, name="portal_training_certificate"),
    path("portal/learning/", portal_learning, name="portal_learning"),
    path("portal/learning/<int:pk>/complete/", portal_learning_complete, name="portal_learning_complete"),
    path("work/trainings/", work_trainings, name="work_trainings"),
    path("work/trainings/plans/new/", work_training_plan_create, name="work_training_plan_create"),
    path("work/trainings/plans/<int:pk>/", work_training_plan, name="work_training_plan"),
    path("work/trainings/plans/<int:pk>/courses/", work_training_planned_add, name="work_training_planned_add"),
    path("work/trainings/plans/<int:pk>/<str:action>/", work_training_plan_action, name="work_training_plan_action"),
    path("work/trainings/courses/open/", work_training_course_open, name="work_training_course_open"),
    path("work/trainings/courses/<int:pk>/", work_training_course, name="work_training_course"),
    path("work/trainings/courses/<int:pk>/invite/", work_training_course_invite, name="work_training_course_invite"),
    path(
        "work/trainings/courses/<int:pk>/certificates/issue/",
        work_training_certificates_issue,
        name="work_training_certificates_issue",
    ),
    path(
        "work/trainings/courses/<int:pk>/certificates/",
        work_training_certificates,
        name="work_training_certificates",
    ),
    path("work/learning/", work_learning, name="work_learning"),
    path("work/learning/<int:pk>/", work_learning_material, name="work_learning_material"),
]
