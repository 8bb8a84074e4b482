"""Pages of the suggestion workflow: the deputy portal (phone-first), the unit desk and the
committee's counterpart view. Views parse input, call one selector or service, and render."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from congress.models import Committee, Session
from congress.permissions import deputy_required, role_required
from congress.roles import Role
from congress.scoping import get_scope

from . import selectors, services
from .choices import AssignmentStatus
from .exceptions import ForbiddenMove
from .forms import (
    AdjustmentForm,
    CommunicationForm,
    EvaluationForm,
    ExtensionForm,
    FollowUpForm,
    GuidanceForm,
    OpinionForm,
    ReplyForm,
    SuggestionForm,
    SupervisionActionForm,
    SupervisionCloseForm,
    SupervisionOpenForm,
    UnitProposalForm,
)
from .models import Reply, Suggestion, SupervisionCase

PAGE_SIZE = 20


def _get_or_404(queryset: Any, pk: int) -> Any:
    try:
        return queryset.get(pk=pk)
    except queryset.model.DoesNotExist:
        raise Http404 from None


def _perform(request: HttpRequest, call: Callable[[], Any], success: str) -> bool:
    """Run a service; a forbidden move becomes an error message (the page says why)."""
    try:
        call()
    except ForbiddenMove as error:
        messages.error(request, error.message)
        return False
    messages.success(request, success)
    return True


def _page(request: HttpRequest, queryset: Any) -> Any:
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


# --- deputy portal -------------------------------------------------------------------------------


@deputy_required
def portal_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status") or None
    return render(
        request,
        "suggestions/portal_list.html",
        {
            "page": _page(request, selectors.suggestions_of_deputy(user=request.user, status=status)),
            "invitations": selectors.cosign_invitations(user=request.user),
            "to_rate": selectors.replies_to_rate(user=request.user),
            "status": status,
            "statuses": Suggestion._meta.get_field("status").choices,
        },
    )


def _deputy_congress(request: HttpRequest) -> int:
    scope = get_scope(request.user)
    if not scope.congress_ids:
        raise Http404
    return min(scope.congress_ids)


@deputy_required
def portal_create(request: HttpRequest) -> HttpResponse:
    congress_id = _deputy_congress(request)
    deputy_id = get_scope(request.user).deputy_id
    form = SuggestionForm(
        request.POST if request.method == "POST" else None, congress_id=congress_id, deputy_id=deputy_id
    )
    session = Session.objects.filter(congress_id=congress_id).order_by("-start_date").first()
    if session is None:
        messages.error(request, _("Your congress has no session yet; ask the deputy-affairs office."))
        return redirect("suggestions:portal_list")
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            suggestion = services.suggestion_create(
                actor=request.user,
                deputy=request.user.deputy,
                session=session,
                title=data["title"],
                body=data["body"],
                category=data["category"],
                cosigners=data["cosigners"],
                confidentiality=data["confidentiality"],
                publication=data["publication"],
            )
        except ForbiddenMove as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Draft saved. Submit it when your co-signers have confirmed."))
            return redirect("suggestions:portal_detail", pk=suggestion.pk)
    return render(request, "suggestions/portal_form.html", {"form": form, "session": session})


@deputy_required
def portal_edit(request: HttpRequest, pk: int) -> HttpResponse:
    suggestion = _get_or_404(Suggestion.objects.visible_to(request.user), pk)
    initial = {
        field: getattr(suggestion, field) for field in ("title", "body", "category", "confidentiality", "publication")
    }
    form = SuggestionForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        congress_id=suggestion.congress_id,
        deputy_id=suggestion.lead_deputy_id,
        with_cosigners=False,
    )
    saved = (
        request.method == "POST"
        and form.is_valid()
        and _perform(
            request,
            lambda: services.suggestion_update(suggestion=suggestion, actor=request.user, data=form.cleaned_data),
            _("Saved."),
        )
    )
    if saved:
        return redirect("suggestions:portal_detail", pk=pk)
    return render(request, "suggestions/portal_form.html", {"form": form, "suggestion": suggestion})


@deputy_required
def portal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        suggestion = selectors.suggestion_detail(user=request.user, pk=pk)
    except Suggestion.DoesNotExist:
        raise Http404 from None
    deputy_id = get_scope(request.user).deputy_id
    is_lead = suggestion.lead_deputy_id == deputy_id
    return render(
        request,
        "suggestions/portal_detail.html",
        {
            "suggestion": suggestion,
            "is_lead": is_lead,
            "my_invitation": next(
                (c for c in suggestion.cosigners.all() if c.deputy_id == deputy_id and c.status == "invited"), None
            ),
            "waiting_replies": selectors.replies_waiting_for_rating(suggestion=suggestion) if is_lead else [],
            "evaluation_form": EvaluationForm(),
            "guidance_form": GuidanceForm(congress_id=suggestion.congress_id),
        },
    )


@require_POST
@deputy_required
def portal_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """The deputy's one-click moves: submit, withdraw, accept or decline an invitation."""
    suggestion = _get_or_404(Suggestion.objects.visible_to(request.user), pk)
    moves: dict[str, tuple[Callable[[], Any], str]] = {
        "submit": (lambda: services.suggestion_submit(suggestion=suggestion, actor=request.user), _("Submitted.")),
        "withdraw": (lambda: services.suggestion_withdraw(suggestion=suggestion, actor=request.user), _("Withdrawn.")),
        "accept": (
            lambda: services.cosigner_respond(suggestion=suggestion, actor=request.user, accept=True),
            _("You co-sign this suggestion."),
        ),
        "decline": (
            lambda: services.cosigner_respond(suggestion=suggestion, actor=request.user, accept=False),
            _("You declined the invitation."),
        ),
    }
    if action not in moves:
        raise Http404
    call, success = moves[action]
    _perform(request, call, success)
    return redirect("suggestions:portal_detail", pk=pk)


@require_POST
@deputy_required
def portal_guidance(request: HttpRequest, pk: int) -> HttpResponse:
    suggestion = _get_or_404(Suggestion.objects.visible_to(request.user), pk)
    form = GuidanceForm(request.POST, congress_id=suggestion.congress_id)
    if form.is_valid():
        _perform(
            request,
            lambda: services.guidance_request_create(suggestion=suggestion, actor=request.user, **form.cleaned_data),
            _("Your request was sent to the committee."),
        )
    else:
        messages.error(request, _("Choose a committee and write your question."))
    return redirect("suggestions:portal_detail", pk=pk)


@require_POST
@deputy_required
def portal_evaluate(request: HttpRequest, pk: int, reply_pk: int) -> HttpResponse:
    reply = _get_or_404(Reply.objects.visible_to(request.user).filter(assignment__suggestion_id=pk), reply_pk)
    form = EvaluationForm(request.POST)
    if form.is_valid():
        _perform(
            request,
            lambda: services.evaluation_submit(reply=reply, actor=request.user, **form.cleaned_data),
            _("Thank you: your rating was recorded."),
        )
    else:
        messages.error(request, _("Rate both the handling attitude and the result."))
    return redirect("suggestions:portal_detail", pk=pk)


# --- unit desk -----------------------------------------------------------------------------------


@role_required(Role.UNIT)
def desk_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status") or None
    today = timezone.localdate()
    assignments = selectors.unit_todo(user=request.user, status=status)
    return render(
        request,
        "suggestions/desk_list.html",
        {"page": _page(request, assignments), "today": today, "status": status, "statuses": AssignmentStatus.choices},
    )


@role_required(Role.UNIT)
def desk_detail(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = _get_or_404(selectors.unit_assignments(user=request.user), pk)
    suggestion = selectors.suggestion_detail(user=request.user, pk=assignment.suggestion_id)
    congress_id = assignment.congress_id
    return render(
        request,
        "suggestions/desk_detail.html",
        {
            "assignment": assignment,
            "suggestion": suggestion,
            "today": timezone.localdate(),
            "adjustment_form": AdjustmentForm(congress_id=congress_id),
            "extension_form": ExtensionForm(),
            "opinion_form": OpinionForm(),
            "communication_form": CommunicationForm(),
            "reply_form": ReplyForm(congress_id=congress_id, initial={"publication": suggestion.publication}),
            "follow_up_form": FollowUpForm(congress_id=congress_id),
            "follow_up_due": selectors.follow_up_due(assignment=assignment),
            "opinions": selectors.co_opinions_for(assignment=assignment),
        },
    )


@require_POST
@role_required(Role.UNIT)
def desk_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Every move of the unit: sign, adjustment, extension, opinion, contact record, reply."""
    assignment = _get_or_404(selectors.unit_assignments(user=request.user), pk)
    congress_id = assignment.congress_id
    forms_by_action: dict[str, Any] = {
        "adjustment": AdjustmentForm(request.POST, congress_id=congress_id),
        "extension": ExtensionForm(request.POST),
        "opinion": OpinionForm(request.POST, request.FILES),
        "communication": CommunicationForm(request.POST),
        "reply": ReplyForm(request.POST, request.FILES, congress_id=congress_id),
        "follow-up": FollowUpForm(request.POST, congress_id=congress_id),
    }
    if action == "sign":
        _perform(request, lambda: services.assignment_sign(assignment=assignment, actor=request.user), _("Signed for."))
        return redirect("suggestions:desk_detail", pk=pk)
    form = forms_by_action.get(action)
    if form is None:
        raise Http404
    if not form.is_valid():
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            messages.error(request, f"{label}：{'；'.join(errors)}" if label else "；".join(errors))
        return redirect("suggestions:desk_detail", pk=pk)
    data = form.cleaned_data
    calls: dict[str, tuple[Callable[[], Any], str]] = {
        "adjustment": (
            lambda: services.adjustment_request_create(assignment=assignment, actor=request.user, **data),
            _("Your adjustment request was sent to the deputy-affairs office."),
        ),
        "extension": (
            lambda: services.extension_request_create(assignment=assignment, actor=request.user, **data),
            _("Your extension request was sent to the deputy-affairs office."),
        ),
        "opinion": (
            lambda: services.co_opinion_send(assignment=assignment, actor=request.user, **data),
            _("Your opinion was sent to the lead unit."),
        ),
        "communication": (
            lambda: services.communication_record(assignment=assignment, actor=request.user, **data),
            _("The contact with the deputy was recorded."),
        ),
        "reply": (
            lambda: services.reply_submit(assignment=assignment, actor=request.user, **data),
            _("Your reply was sent to the deputy."),
        ),
        "follow-up": (
            lambda: services.follow_up_reply_submit(assignment=assignment, actor=request.user, **data),
            _("Your follow-up reply was sent to the deputy."),
        ),
    }
    call, success = calls[action]
    _perform(request, call, success)
    return redirect("suggestions:desk_detail", pk=pk)


# --- the committee's counterpart view ------------------------------------------------------------


@role_required(Role.COMMITTEE)
def committee_list(request: HttpRequest) -> HttpResponse:
    overdue = request.GET.get("overdue") == "1"
    suggestions = selectors.counterpart_suggestions(user=request.user, overdue_only=overdue)
    return render(
        request,
        "suggestions/committee_list.html",
        {
            "page": _page(request, suggestions),
            "overdue": overdue,
            "today": timezone.localdate(),
            "cases": selectors.committee_cases(user=request.user),
            "guidance": selectors.committee_guidance_requests(user=request.user),
        },
    )


@role_required(Role.COMMITTEE)
def committee_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        suggestion = selectors.suggestion_detail(user=request.user, pk=pk)
    except Suggestion.DoesNotExist:
        raise Http404 from None
    return render(
        request,
        "suggestions/committee_detail.html",
        {
            "suggestion": suggestion,
            "open_form": SupervisionOpenForm(),
            "action_form": SupervisionActionForm(),
            "close_form": SupervisionCloseForm(),
            "proposal_form": UnitProposalForm(congress_id=suggestion.congress_id),
            "today": timezone.localdate(),
        },
    )


@require_POST
@role_required(Role.COMMITTEE)
def committee_supervise(request: HttpRequest, pk: int) -> HttpResponse:
    suggestion = _get_or_404(Suggestion.objects.visible_to(request.user), pk)
    committee = _get_or_404(Committee.objects.visible_to(request.user), get_scope(request.user).committee_id or 0)
    form = SupervisionOpenForm(request.POST)
    if form.is_valid():
        _perform(
            request,
            lambda: services.supervision_open(
                suggestion=suggestion, actor=request.user, committee=committee, **form.cleaned_data
            ),
            _("Supervision case opened."),
        )
    return redirect("suggestions:committee_detail", pk=pk)


@require_POST
@role_required(Role.COMMITTEE)
def committee_propose_units(request: HttpRequest, pk: int) -> HttpResponse:
    """After the session the committee proposes other units before the formal assignment."""
    suggestion = _get_or_404(Suggestion.objects.visible_to(request.user), pk)
    committee = _get_or_404(Committee.objects.visible_to(request.user), get_scope(request.user).committee_id or 0)
    form = UnitProposalForm(request.POST, congress_id=suggestion.congress_id)
    if form.is_valid():
        _perform(
            request,
            lambda: services.unit_proposal_create(
                suggestion=suggestion, actor=request.user, committee=committee, **form.cleaned_data
            ),
            _("Your proposal was sent to the deputy-affairs office."),
        )
    else:
        messages.error(request, _("Choose the units and give a reason."))
    return redirect("suggestions:committee_detail", pk=pk)


@require_POST
@role_required(Role.COMMITTEE)
def committee_case_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    case = _get_or_404(SupervisionCase.objects.visible_to(request.user), pk)
    if action == "record":
        form = SupervisionActionForm(request.POST)
        if form.is_valid():
            _perform(
                request,
                lambda: services.supervision_action_record(case=case, actor=request.user, **form.cleaned_data),
                _("Recorded."),
            )
    elif action == "close":
        form = SupervisionCloseForm(request.POST)
        if form.is_valid():
            _perform(
                request,
                lambda: services.supervision_close(case=case, actor=request.user, **form.cleaned_data),
                _("The case was closed."),
            )
    else:
        raise Http404
    if not form.is_valid():
        messages.error(request, _("Fill in every field of the form."))
    if case.suggestion_id is None:
        return redirect("suggestions:committee_case", pk=case.pk)
    return redirect("suggestions:committee_detail", pk=case.suggestion_id)


@role_required(Role.COMMITTEE)
def committee_case(request: HttpRequest, pk: int) -> HttpResponse:
    """A case on something other than a suggestion (a deputy unsatisfied with a hotline issue): its
    subject with a link to it, the actions recorded and the forms to record and close."""
    case = _get_or_404(
        SupervisionCase.objects.visible_to(request.user).select_related("committee").prefetch_related("actions"), pk
    )
    if case.suggestion_id is not None:
        return redirect("suggestions:committee_detail", pk=case.suggestion_id)
    return render(
        request,
        "suggestions/committee_case.html",
        {"case": case, "action_form": SupervisionActionForm(), "close_form": SupervisionCloseForm()},
    )


@require_POST
@role_required(Role.COMMITTEE)
def committee_answer_guidance(request: HttpRequest, pk: int) -> HttpResponse:
    guidance = _get_or_404(selectors.committee_guidance_requests(user=request.user, answered=None), pk)
    answer = request.POST.get("answer", "").strip()
    if not answer:
        messages.error(request, _("Write your answer."))
    else:
        _perform(
            request,
            lambda: services.guidance_answer(request=guidance, actor=request.user, answer=answer),
            _("Your answer was sent to the deputy."),
        )
    return redirect("suggestions:committee_list")


# --- published replies (public) ------------------------------------------------------------------


def published_list(request: HttpRequest) -> HttpResponse:
    """Replies published for the public: contacts and confidential items never appear."""
    query = request.GET.get("q", "").strip()
    return render(
        request,
        "suggestions/published_list.html",
        {"page": _page(request, selectors.published_replies(query=query)), "query": query},
    )


def published_detail(request: HttpRequest, pk: int) -> HttpResponse:
    reply = _get_or_404(selectors.published_replies(), pk)
    return render(request, "suggestions/published_detail.html", {"reply": reply})


# --- from a professional group's suggestion ----------------------------------------------------------


@deputy_required
def portal_from_group_output(request: HttpRequest, output_pk: int) -> HttpResponse:
    """An author of a group suggestion drafts a formal suggestion from it (once per output): the page
    shows the group suggestion, or the formal suggestion already drafted from it."""
    from deputies.models import GroupOutput

    output = _get_or_404(GroupOutput.objects.visible_to(request.user).select_related("group"), output_pk)
    existing = Suggestion.objects.visible_to(request.user).filter(group_output=output).order_by("pk").first()
    if request.method == "POST":
        try:
            suggestion, created = services.suggestion_from_group_output(output=output, actor=request.user)
        except ForbiddenMove as error:
            messages.error(request, error.message)
            return redirect("deputies:portal_group_output", pk=output.pk)
        if created:
            messages.success(request, _("Draft saved from the group suggestion. Edit it, then submit it."))
            return redirect("suggestions:portal_edit", pk=suggestion.pk)
        messages.info(request, _("A formal suggestion was already drafted from this group suggestion."))
        return redirect("suggestions:portal_detail", pk=suggestion.pk)
    is_author = output.authors.filter(pk=get_scope(request.user).deputy_id).exists()
    return render(
        request,
        "suggestions/portal_from_group_output.html",
        {"output": output, "existing": existing, "is_author": is_author},
    )
