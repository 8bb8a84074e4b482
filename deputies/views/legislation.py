"""Pages of legislation: the deputy portal (open rounds and my proposals, drafts sent to me with a
comment box per provision) and the committee desk (rounds and proposals, the legislative plan list,
drafts, sending them for comments, the compiled comment report, legislative research)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from congress.excel import xlsx_response
from congress.models import Congress
from congress.permissions import deputy_required, role_required
from congress.roles import Role
from congress.selectors import congress_for_user

from ..choices import DraftStatus, ProposalStatus, RoundStatus
from ..forms.legislation import (
    ActivityForm,
    CommentForm,
    DraftForm,
    PlanNoteForm,
    ProposalForm,
    RoundForm,
    SendDraftForm,
)
from ..models import Activity, DraftProvision, DraftRegulation, LegislativeProposal, LegislativeRound
from ..selectors import legislation as selectors
from ..services import legislation as services
from ..services.activities import ensure_work_staff
from .common import page_of, perform, year_param

DESK_READERS = (Role.OFFICE, Role.COMMITTEE, Role.LEADER)
desk_reader = role_required(*DESK_READERS)


# --- helpers shared with the supervision pages --------------------------------------------------------


def desk_congress(request: HttpRequest) -> Congress:
    """The congress a desk user works for; global users without one cannot create here."""
    congress = congress_for_user(user=request.user)
    if congress is None:
        raise Http404
    return congress


def ensure_writer(request: HttpRequest, congress_id: int) -> None:
    """Leaders read the desk; only office and committee staff write (403 otherwise)."""
    ensure_work_staff(request.user, congress_id)


def desk_form_page(
    request: HttpRequest,
    form: Any,
    save: Callable[[], Any],
    success: str,
    done: Callable[[Any], str],
    heading: str,
    back: str,
) -> HttpResponse:
    """A desk form page: on a valid POST `save` runs (a service reading `form.cleaned_data`) and the
    user goes on to `done(what it returned)`; otherwise the form again, with what went wrong."""
    if request.method == "POST" and form.is_valid():
        saved: list[Any] = []
        if perform(request, lambda: saved.append(save()), success, form):
            return redirect(done(saved[0]))
    return render(request, "deputies/legislation/work_form.html", {"form": form, "heading": heading, "back": back})


# --- deputy portal ---------------------------------------------------------------------------------------


@deputy_required
def portal_legislation(request: HttpRequest) -> HttpResponse:
    """Open rounds to propose to, my proposals and their status, drafts sent to me."""
    return render(
        request,
        "deputies/legislation/portal.html",
        {
            "rounds": selectors.open_rounds(user=request.user),
            "proposals": page_of(request, selectors.my_proposals(user=request.user)),
            "drafts": selectors.drafts_for_deputy(user=request.user),
            "today": timezone.localdate(),
        },
    )


@deputy_required
def portal_propose(request: HttpRequest, pk: int) -> HttpResponse:
    legislative_round = get_object_or_404(LegislativeRound.objects.visible_to(request.user), pk=pk)
    form = ProposalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = perform(
            request,
            lambda: services.proposal_submit(
                legislative_round=legislative_round,
                actor=request.user,
                title=data["title"],
                reason=data["reason"],
                content=data["content"],
            ),
            _("Your legislative proposal was submitted."),
            form,
        )
        if done:
            return redirect("deputies:portal_legislation")
    return render(request, "deputies/legislation/portal_propose.html", {"round": legislative_round, "form": form})


@deputy_required
def portal_draft(request: HttpRequest, pk: int) -> HttpResponse:
    """A draft sent to me: its provisions, each with a comment box, one box for the whole, my comments."""
    try:
        draft = selectors.draft_for_user(user=request.user, pk=pk)
    except DraftRegulation.DoesNotExist:
        raise Http404 from None
    form = CommentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        provision_id = form.cleaned_data.get("provision")
        provision = None
        if provision_id:
            provision = DraftProvision.objects.filter(draft=draft, pk=provision_id).first()
            if provision is None:
                raise Http404
        done = perform(
            request,
            lambda: services.draft_comment_add(
                draft=draft, actor=request.user, provision=provision, content=form.cleaned_data["content"]
            ),
            _("Your comment was sent."),
        )
        if done:
            anchor = f"#provision-{provision.pk}" if provision else "#whole"
            return redirect(f"{request.path}{anchor}")
    mine = list(selectors.comments_of_draft(user=request.user, draft=draft).filter(deputy__user=request.user))
    by_provision: dict[int | None, list[Any]] = {}
    for comment in mine:
        by_provision.setdefault(comment.provision_id, []).append(comment)
    provisions = [(provision, by_provision.get(provision.pk, [])) for provision in draft.provisions.all()]
    can_comment = draft.status == DraftStatus.CONSULTING and timezone.localdate() <= draft.comment_deadline
    return render(
        request,
        "deputies/legislation/portal_draft.html",
        {
            "draft": draft,
            "provisions": provisions,
            "general": by_provision.get(None, []),
            "can_comment": can_comment,
            "my_count": len(mine),
        },
    )


# --- committee desk ---------------------------------------------------------------------------------------


@desk_reader
def work_legislation(request: HttpRequest) -> HttpResponse:
    """Rounds with proposal counts, drafts with comment counts, legislative research."""
    query = request.GET.get("q", "").strip()
    return render(
        request,
        "deputies/legislation/work_home.html",
        {
            "rounds": selectors.round_list(user=request.user, query=query)[:50],
            "drafts": page_of(request, selectors.draft_list(user=request.user, query=query)),
            "research": Activity.objects.visible_to(request.user)
            .filter(kind="legislative_research")
            .order_by("-starts_at", "-pk")[:20],
            "query": query,
            "year": timezone.localdate().year,
        },
    )


@desk_reader
def work_round_create(request: HttpRequest) -> HttpResponse:
    congress = desk_congress(request)
    ensure_writer(request, congress.pk)
    form = RoundForm(request.POST or None, congress_id=congress.pk, initial={"year": timezone.localdate().year + 1})
    return desk_form_page(
        request,
        form,
        lambda: services.round_create(actor=request.user, congress=congress, **form.cleaned_data),
        _("The round is open for proposals."),
        lambda created: reverse("deputies:work_round", args=[created.pk]),
        _("New proposal round"),
        reverse("deputies:work_legislation"),
    )


@desk_reader
def work_round(request: HttpRequest, pk: int) -> HttpResponse:
    """A round's proposals (search, status filter) with include/exclude."""
    legislative_round = get_object_or_404(LegislativeRound.objects.visible_to(request.user), pk=pk)
    status = request.GET.get("status") or None
    query = request.GET.get("q", "").strip()
    proposals = selectors.proposal_list(user=request.user, round_id=legislative_round.pk, status=status, query=query)
    return render(
        request,
        "deputies/legislation/work_round.html",
        {
            "round": legislative_round,
            "page": page_of(request, proposals),
            "status": status,
            "query": query,
            "statuses": ProposalStatus.choices,
            "is_open": legislative_round.status == RoundStatus.OPEN,
        },
    )


@require_POST
@desk_reader
def work_round_close(request: HttpRequest, pk: int) -> HttpResponse:
    legislative_round = get_object_or_404(LegislativeRound.objects.visible_to(request.user), pk=pk)
    perform(
        request,
        lambda: services.round_close(legislative_round=legislative_round, actor=request.user),
        _("The round is closed."),
    )
    return redirect("deputies:work_round", pk=pk)


@require_POST
@desk_reader
def work_proposal_sort(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    proposal = get_object_or_404(LegislativeProposal.objects.visible_to(request.user), pk=pk)
    moves = {"include": services.proposal_include, "exclude": services.proposal_exclude}
    if action not in moves:
        raise Http404
    form = PlanNoteForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    success = _("Included in the legislative plan.") if action == "include" else _("Left out of the plan.")
    perform(request, lambda: moves[action](proposal=proposal, actor=request.user, note=note), success)
    return redirect("deputies:work_round", pk=proposal.round_id)


@desk_reader
def work_plan(request: HttpRequest) -> HttpResponse:
    """The legislative plan list for a year (printable, Excel)."""
    year = year_param(request)
    plan = selectors.legislative_plan(user=request.user, year=year)
    if request.GET.get("format") == "xlsx":
        rows = [
            (
                number,
                item.title,
                len(item.proposals),
                "、".join(item.proposers),
                "；".join(item.notes),
            )
            for number, item in enumerate(plan, start=1)
        ]
        return xlsx_response(
            f"legislative-plan-{year}",
            _("Legislative plan list %(year)s") % {"year": year},
            [_("No."), _("Regulation"), _("Proposals"), _("Proposed by"), _("Notes")],
            rows,
        )
    return render(
        request, "deputies/legislation/plan.html", {"plan": plan, "year": year, "years": range(year + 1, year - 4, -1)}
    )


@desk_reader
def work_draft_create(request: HttpRequest) -> HttpResponse:
    congress = desk_congress(request)
    ensure_writer(request, congress.pk)
    form = DraftForm(request.POST or None, congress_id=congress.pk)
    return desk_form_page(
        request,
        form,
        lambda: services.draft_create(actor=request.user, congress=congress, **form.cleaned_data),
        _("The draft is saved; check the provisions found in its text."),
        lambda created: reverse("deputies:work_draft", args=[created.pk]),
        _("New draft regulation"),
        reverse("deputies:work_legislation"),
    )


@desk_reader
def work_draft_edit(request: HttpRequest, pk: int) -> HttpResponse:
    draft = get_object_or_404(DraftRegulation.objects.visible_to(request.user), pk=pk)
    ensure_writer(request, draft.congress_id)
    initial = {
        "title": draft.title,
        "committee": draft.committee_id,
        "comment_deadline": draft.comment_deadline,
        "text": draft.text,
    }
    form = DraftForm(request.POST or None, initial=initial, congress_id=draft.congress_id)
    return desk_form_page(
        request,
        form,
        lambda: services.draft_update(draft=draft, actor=request.user, **form.cleaned_data),
        _("Saved; the provisions were found again."),
        lambda _saved: reverse("deputies:work_draft", args=[pk]),
        _("Edit %(title)s") % {"title": draft.title},
        reverse("deputies:work_draft", args=[pk]),
    )


@desk_reader
def work_draft(request: HttpRequest, pk: int) -> HttpResponse:
    """A draft: status, provisions with comment counts, sending it for comments, closing it."""
    draft = get_object_or_404(DraftRegulation.objects.visible_to(request.user).select_related("committee"), pk=pk)
    report = selectors.draft_comment_report(draft=draft)
    return render(
        request,
        "deputies/legislation/work_draft.html",
        {
            "draft": draft,
            "report": report,
            "send_form": SendDraftForm(congress_id=draft.congress_id),
            "is_preparing": draft.status == DraftStatus.PREPARING,
            "is_consulting": draft.status == DraftStatus.CONSULTING,
        },
    )


@require_POST
@desk_reader
def work_draft_open(request: HttpRequest, pk: int) -> HttpResponse:
    draft = get_object_or_404(DraftRegulation.objects.visible_to(request.user), pk=pk)
    form = SendDraftForm(request.POST, congress_id=draft.congress_id)
    if not form.is_valid():
        for message in form.non_field_errors():
            messages.error(request, message)
        return redirect("deputies:work_draft", pk=pk)
    deputy_ids = None if form.cleaned_data["everyone"] else [d.pk for d in form.cleaned_data["recipients"]]
    perform(
        request,
        lambda: services.draft_open_for_comments(draft=draft, actor=request.user, deputy_ids=deputy_ids),
        _("The draft was sent to the deputies for comments."),
    )
    return redirect("deputies:work_draft", pk=pk)


@require_POST
@desk_reader
def work_draft_close(request: HttpRequest, pk: int) -> HttpResponse:
    draft = get_object_or_404(DraftRegulation.objects.visible_to(request.user), pk=pk)
    perform(request, lambda: services.draft_close(draft=draft, actor=request.user), _("Comments are closed."))
    return redirect("deputies:work_draft", pk=pk)


@desk_reader
def work_draft_report(request: HttpRequest, pk: int) -> HttpResponse:
    """The compiled comment report (printable, Excel)."""
    draft = get_object_or_404(DraftRegulation.objects.visible_to(request.user), pk=pk)
    report = selectors.draft_comment_report(draft=draft)
    if request.GET.get("format") == "xlsx":
        rows = [
            (entry.provision.label, comment.deputy.name, comment.content, comment.created_at.date().isoformat())
            for entry in report.commented_entries
            for comment in entry.comments
        ] + [(_("The whole draft"), c.deputy.name, c.content, c.created_at.date().isoformat()) for c in report.general]
        return xlsx_response(
            f"draft-{draft.pk}-comments",
            _("Comments on %(title)s") % {"title": draft.title},
            [_("Provision"), _("Deputy"), _("Comment"), _("Date")],
            rows,
        )
    return render(request, "deputies/legislation/report.html", {"draft": draft, "report": report})


@desk_reader
def work_research_create(request: HttpRequest) -> HttpResponse:
    """A legislative research with invited deputies; sign-in runs on the activity's desk page."""
    congress = desk_congress(request)
    ensure_writer(request, congress.pk)
    form = ActivityForm(request.POST or None, congress_id=congress.pk)
    return desk_form_page(
        request,
        form,
        lambda: services.legislative_research_create(actor=request.user, congress=congress, **form.activity_fields()),
        _("The legislative research is planned and the deputies are invited."),
        lambda _created: reverse("deputies:work_legislation"),
        _("New legislative research"),
        reverse("deputies:work_legislation"),
    )


urlpatterns = [
    path("portal/legislation/", portal_legislation, name="portal_legislation"),
    path("portal/legislation/rounds/<int:pk>/propose/", portal_propose, name="portal_propose"),
    path("portal/legislation/drafts/<int:pk>/", portal_draft, name="portal_draft"),
    path("work/legislation/", work_legislation, name="work_legislation"),
    path("work/legislation/rounds/new/", work_round_create, name="work_round_create"),
    path("work/legislation/rounds/<int:pk>/", work_round, name="work_round"),
    path("work/legislation/rounds/<int:pk>/close/", work_round_close, name="work_round_close"),
    path("work/legislation/proposals/<int:pk>/<str:action>/", work_proposal_sort, name="work_proposal_sort"),
    path("work/legislation/plan/", work_plan, name="work_plan"),
    path("work/legislation/drafts/new/", work_draft_create, name="work_draft_create"),
    path("work/legislation/drafts/<int:pk>/", work_draft, name="work_draft"),
    path("work/legislation/drafts/<int:pk>/edit/", work_draft_edit, name="work_draft_edit"),
    path("work/legislation/drafts/<int:pk>/open/", work_draft_open, name="work_draft_open"),
    path("work/legislation/drafts/<int:pk>/close/", work_draft_close, name="work_draft_close"),
    path("work/legislation/drafts/<int:pk>/report/", work_draft_report, name="work_draft_report"),
    path("work/legislation/research/new/", work_research_create, name="work_research_create"),
]
