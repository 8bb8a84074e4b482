"""Pages of supervision participation: the deputy portal (my evaluation groups, a score form per
unit) and the committee desk (inspections, budget reviews and law-enforcement checks; evaluation
projects with groups, scoring progress and results per unit, printable and in Excel)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from congress.excel import xlsx_response
from congress.models import HandlingUnit
from congress.permissions import deputy_required

from ..forms.supervision import (
    SUPERVISION_KIND_LABELS,
    EvaluationGroupForm,
    EvaluationProjectForm,
    ScoreForm,
    SupervisionActivityForm,
)
from ..models import EvaluationGroup, EvaluationProject
from ..selectors import supervision as selectors
from ..services import supervision as services
from .common import page_of, perform
from .legislation import desk_congress, desk_form_page, desk_reader, ensure_writer

# --- deputy portal ---------------------------------------------------------------------------------------


@deputy_required
def portal_evaluations(request: HttpRequest) -> HttpResponse:
    """My evaluation groups; for each unit of a group, my score and a form to give or change it."""
    groups = selectors.groups_of_deputy(user=request.user)
    today = timezone.localdate()
    for entry in groups:
        closes_on = entry["project"].scoring_closes_on
        entry["open"] = closes_on is None or today <= closes_on
    return render(request, "deputies/supervision/portal.html", {"groups": groups})


@require_POST
@deputy_required
def portal_score(request: HttpRequest, pk: int, unit_pk: int) -> HttpResponse:
    group = get_object_or_404(
        EvaluationGroup.objects.visible_to(request.user).filter(members__user=request.user), pk=pk
    )
    unit = get_object_or_404(HandlingUnit.objects.filter(congress_id=group.congress_id), pk=unit_pk)
    form = ScoreForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(f"{reverse('deputies:portal_evaluations')}#group-{group.pk}")
    perform(
        request,
        lambda: services.evaluation_score_submit(
            group=group,
            unit=unit,
            actor=request.user,
            score=form.cleaned_data["score"],
            comment=form.cleaned_data["comment"],
        ),
        _("Your score for %(unit)s is saved.") % {"unit": unit.name},
    )
    return redirect(f"{reverse('deputies:portal_evaluations')}#group-{group.pk}")


# --- committee desk ---------------------------------------------------------------------------------------


@desk_reader
def work_supervision(request: HttpRequest) -> HttpResponse:
    """Supervision activities by kind (paginated, searchable), and the evaluation projects."""
    kind = request.GET.get("kind") or None
    if kind not in SUPERVISION_KIND_LABELS:
        kind = None
    query = request.GET.get("q", "").strip()
    return render(
        request,
        "deputies/supervision/work_home.html",
        {
            "page": page_of(request, selectors.supervision_activities(user=request.user, kind=kind, query=query)),
            "kind": kind,
            "kinds": SUPERVISION_KIND_LABELS.items(),
            "query": query,
            "projects": selectors.project_list(user=request.user)[:30],
        },
    )


@desk_reader
def work_supervision_activity_create(request: HttpRequest) -> HttpResponse:
    congress = desk_congress(request)
    ensure_writer(request, congress.pk)
    form = SupervisionActivityForm(
        request.POST or None, congress_id=congress.pk, initial={"kind": request.GET.get("kind")}
    )
    return desk_form_page(
        request,
        form,
        lambda: services.supervision_activity_create(actor=request.user, congress=congress, **form.activity_fields()),
        _("The activity is planned and the deputies are invited."),
        lambda _created: reverse("deputies:work_supervision"),
        _("New supervision activity"),
        reverse("deputies:work_supervision"),
    )


@desk_reader
def work_evaluation_create(request: HttpRequest) -> HttpResponse:
    congress = desk_congress(request)
    ensure_writer(request, congress.pk)
    form = EvaluationProjectForm(
        request.POST or None, congress_id=congress.pk, initial={"year": timezone.localdate().year}
    )
    return desk_form_page(
        request,
        form,
        lambda: services.evaluation_project_create(actor=request.user, congress=congress, **form.cleaned_data),
        _("The evaluation project is created; now form its groups."),
        lambda created: reverse("deputies:work_evaluation", args=[created.pk]),
        _("New evaluation project"),
        reverse("deputies:work_supervision"),
    )


def _project(request: HttpRequest, pk: int) -> EvaluationProject:
    return get_object_or_404(EvaluationProject.objects.visible_to(request.user).select_related("committee"), pk=pk)


@desk_reader
def work_evaluation(request: HttpRequest, pk: int) -> HttpResponse:
    """A project: its groups with members, units and scoring progress, and the results so far."""
    project = _project(request, pk)
    groups = selectors.project_groups(project=project)
    return render(
        request,
        "deputies/supervision/work_project.html",
        {
            "project": project,
            "groups": groups,
            "scored": sum(g.scored for g in groups),
            "expected": sum(g.expected for g in groups),
            "results": selectors.project_results(project=project, with_comments=False),
        },
    )


@desk_reader
def work_evaluation_group_create(request: HttpRequest, pk: int) -> HttpResponse:
    project = _project(request, pk)
    ensure_writer(request, project.congress_id)
    form = EvaluationGroupForm(request.POST or None, congress_id=project.congress_id)
    return desk_form_page(
        request,
        form,
        lambda: services.evaluation_group_create(
            actor=request.user,
            project=project,
            name=form.cleaned_data["name"],
            member_ids=[deputy.pk for deputy in form.cleaned_data["members"]],
            unit_ids=[unit.pk for unit in form.cleaned_data["units"]],
        ),
        _("The group is formed."),
        lambda _group: reverse("deputies:work_evaluation", args=[pk]),
        _("New group for %(project)s") % {"project": project.title},
        reverse("deputies:work_evaluation", args=[pk]),
    )


@desk_reader
def work_evaluation_results(request: HttpRequest, pk: int) -> HttpResponse:
    """Results per unit, ranked, with the comments (printable, Excel)."""
    project = _project(request, pk)
    results = selectors.project_results(project=project)
    if request.GET.get("format") == "xlsx":
        rows: list[list[Any]] = [
            [
                result.rank,
                result.unit_name,
                float(result.average),
                result.count,
                result.minimum,
                result.maximum,
                "\n".join(f"{name}（{score}）：{comment}" for name, score, comment in result.comments),
            ]
            for result in results
        ]
        return xlsx_response(
            f"evaluation-{project.pk}-results",
            project.title,
            [_("Rank"), _("Unit"), _("Average"), _("Scores"), _("Lowest"), _("Highest"), _("Comments")],
            rows,
        )
    return render(request, "deputies/supervision/results.html", {"project": project, "results": results})


urlpatterns = [
    path("portal/evaluations/", portal_evaluations, name="portal_evaluations"),
    path("portal/evaluations/groups/<int:pk>/units/<int:unit_pk>/", portal_score, name="portal_score"),
    path("work/supervision/", work_supervision, name="work_supervision"),
    path("work/supervision/activities/new/", work_supervision_activity_create, name="work_supervision_activity_create"),
    path("work/supervision/evaluations/new/", work_evaluation_create, name="work_evaluation_create"),
    path("work/supervision/evaluations/<int:pk>/", work_evaluation, name="work_evaluation"),
    path(
        "work/supervision/evaluations/<int:pk>/groups/new/",
        work_evaluation_group_create,
        name="work_evaluation_group_create",
    ),
    path("work/supervision/evaluations/<int:pk>/results/", work_evaluation_results, name="work_evaluation_results"),
]
