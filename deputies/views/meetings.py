"""Pages of standing-committee meetings: the committee desk (/work/meetings/…: meetings of the term
with the rotation's coverage, a meeting with its agenda, invitees, the planner's proposal and
pre-meeting work, the compiled opinions with hand-over), the units' desk (/desk/meeting-opinions/)
and the deputy portal (/portal/meetings/…). Views parse, call one selector or service, render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from congress.excel import xlsx_response
from congress.permissions import deputy_required, role_required
from congress.roles import Role
from congress.scoping import get_scope

from .. import planner
from ..choices import InvitationSource, OpinionStatus
from ..forms.meetings import (
    AgendaTopicForm,
    AnswerForm,
    HandOverForm,
    InviteForm,
    MeetingForm,
    OpinionForm,
    PreMeetingActivityForm,
    StaffOpinionForm,
)
from ..models import Meeting, MeetingOpinion
from ..selectors import meetings as selectors
from ..services import meetings as services
from .common import page_of, perform

READERS = (Role.OFFICE, Role.COMMITTEE, Role.LEADER)
WRITERS = (Role.OFFICE, Role.COMMITTEE)


def _meeting_or_404(request: HttpRequest, pk: int) -> Meeting:
    try:
        return selectors.meeting_detail(user=request.user, pk=pk)
    except Meeting.DoesNotExist:
        raise Http404 from None


# --- committee desk ---------------------------------------------------------------------------


@role_required(*READERS)
def work_meetings(request: HttpRequest) -> HttpResponse:
    """Meetings of a term with invited/attended counts, and how far the rotation has come."""
    terms = selectors.meeting_terms(user=request.user)
    term = selectors.meeting_default_term(terms=terms, raw=request.GET.get("term", ""))
    query = request.GET.get("q", "").strip()
    coverage = (
        planner.term_coverage(term_id=term.pk, congress_id=term.congress_id, today=timezone.localdate())
        if term
        else None
    )
    return render(
        request,
        "deputies/meetings/work_list.html",
        {
            "terms": terms,
            "term": term,
            "coverage": coverage,
            "query": query,
            "page": page_of(request, selectors.meeting_list(user=request.user, term=term, query=query)),
        },
    )


@role_required(*WRITERS)
def work_meeting_create(request: HttpRequest) -> HttpResponse:
    terms = selectors.meeting_terms(user=request.user)
    term = selectors.meeting_default_term(terms=terms, raw=request.GET.get("term", "") or request.POST.get("term", ""))
    if term is None:
        raise Http404
    form = MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        created: list[Meeting] = []
        data = form.cleaned_data
        if perform(
            request,
            lambda: created.append(
                services.meeting_create(
                    actor=request.user,
                    term=term,
                    title=data["title"],
                    number=data["number"],
                    starts_on=data["starts_on"],
                    ends_on=data["ends_on"],
                    place=data["place"],
                    invitees_min=data["invitees_min"],
                    invitees_max=data["invitees_max"],
                )
            ),
            _("Meeting created."),
            form,
            always_message=True,
        ):
            return redirect("deputies:work_meeting", created[0].pk)
    return render(request, "deputies/meetings/work_form.html", {"form": form, "term": term})


@role_required(*READERS)
def work_meeting(request: HttpRequest, pk: int) -> HttpResponse:
    """A meeting: agenda, invitees with their status, the planner's proposal, pre-meeting work."""
    meeting = _meeting_or_404(request, pk)
    sitting = selectors.meeting_sitting(meeting=meeting)
    invitees = list(selectors.meeting_invitees(meeting=meeting))
    proposal = planner.propose_attendees(meeting=meeting)
    can_write = get_scope(request.user).has_role(*WRITERS)
    return render(
        request,
        "deputies/meetings/work_detail.html",
        {
            "meeting": meeting,
            "sitting": sitting,
            "invitees": invitees,
            "coming": sum(1 for invitation in invitees if invitation.status in selectors.NOT_DECLINED),
            "proposal": proposal,
            "pre_activities": selectors.meeting_pre_activities(meeting=meeting),
            "can_write": can_write,
            "topic_form": AgendaTopicForm(congress_id=meeting.congress_id),
            "invite_form": InviteForm(deputies=selectors.meeting_uninvited_deputies(meeting=meeting)),
            "pre_form": PreMeetingActivityForm(),
        },
    )


@require_POST
@role_required(*WRITERS)
def work_meeting_topic_add(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting_or_404(request, pk)
    form = AgendaTopicForm(request.POST, congress_id=meeting.congress_id)
    if form.is_valid():
        perform(
            request,
            lambda: services.agenda_topic_add(actor=request.user, meeting=meeting, **form.cleaned_data),
            _("Agenda item added."),
        )
    else:
        messages.error(request, _("Give the agenda item a title."))
    return redirect("deputies:work_meeting", meeting.pk)


@require_POST
@role_required(*WRITERS)
def work_meeting_invite(request: HttpRequest, pk: int) -> HttpResponse:
    """Invite the deputies chosen by hand, or (`planner=1`) those of the planner's proposal shown."""
    meeting = _meeting_or_404(request, pk)
    from_planner = request.POST.get("planner") == "1"
    form = InviteForm(request.POST, deputies=selectors.meeting_uninvited_deputies(meeting=meeting))
    if not form.is_valid():
        messages.error(request, _("Choose the deputies to invite."))
        return redirect("deputies:work_meeting", meeting.pk)
    outcome: list[services.InviteOutcome] = []
    if (
        perform(
            request,
            lambda: outcome.append(
                services.meeting_invite(
                    actor=request.user,
                    meeting=meeting,
                    deputy_ids=[deputy.pk for deputy in form.cleaned_data["deputies"]],
                    source=InvitationSource.PLANNER if from_planner else InvitationSource.STAFF,
                )
            ),
            _("Deputies invited."),
        )
        and outcome[0].warning
    ):
        messages.warning(request, outcome[0].warning)
    return redirect("deputies:work_meeting", meeting.pk)


@require_POST
@role_required(*WRITERS)
def work_meeting_pre_activity(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting_or_404(request, pk)
    form = PreMeetingActivityForm(request.POST)
    if form.is_valid():
        perform(
            request,
            lambda: services.pre_meeting_activity_create(actor=request.user, meeting=meeting, **form.cleaned_data),
            _("Pre-meeting activity created."),
        )
    else:
        for problems in form.errors.values():
            for problem in problems:
                messages.error(request, problem)
    return redirect("deputies:work_meeting", meeting.pk)


@role_required(*READERS)
def work_meeting_opinions(request: HttpRequest, pk: int) -> HttpResponse:
    """The opinions raised at a meeting, compiled by agenda item (printable; `?format=xlsx` exports)."""
    meeting = _meeting_or_404(request, pk)
    status = request.GET.get("status") or None
    opinions = selectors.meeting_opinions(user=request.user, meeting=meeting, status=status)
    if request.GET.get("format") == "xlsx":
        return _opinions_workbook(meeting, opinions)
    staff_form = StaffOpinionForm(meeting=meeting, deputies=selectors.meeting_attending_deputies(meeting=meeting))
    return render(
        request,
        "deputies/meetings/work_opinions.html",
        {
            "meeting": meeting,
            "opinions": opinions,
            "status": status,
            "statuses": OpinionStatus.choices,
            "staff_form": staff_form,
            "hand_over_form": HandOverForm(congress_id=meeting.congress_id),
            "today": timezone.localdate(),
        },
    )


def _opinions_workbook(meeting: Meeting, opinions: Any) -> HttpResponse:
    return xlsx_response(
        f"meeting-{meeting.pk}-opinions",
        _("Opinions"),
        [
            _("Agenda topic"),
            _("Deputy"),
            _("Opinion"),
            _("Status"),
            _("Handling unit"),
            _("Due on"),
            _("Answer"),
            _("Answered on"),
        ],
        (
            [
                opinion.topic.title if opinion.topic else "",
                opinion.deputy.name,
                opinion.content,
                opinion.get_status_display(),
                opinion.handling_unit.name if opinion.handling_unit else "",
                opinion.due_on,
                opinion.answer,
                opinion.answered_on,
            ]
            for opinion in opinions
        ),
    )


@require_POST
@role_required(*WRITERS)
def work_meeting_opinion_record(request: HttpRequest, pk: int) -> HttpResponse:
    """Staff record an opinion an attending deputy raised (e.g. spoken at the meeting)."""
    meeting = _meeting_or_404(request, pk)
    form = StaffOpinionForm(
        request.POST, meeting=meeting, deputies=selectors.meeting_attending_deputies(meeting=meeting)
    )
    if form.is_valid():
        perform(
            request,
            lambda: services.meeting_opinion_record(
                actor=request.user,
                meeting=meeting,
                deputy=form.cleaned_data["deputy"],
                topic=form.cleaned_data["topic"],
                content=form.cleaned_data["content"],
            ),
            _("Opinion recorded."),
        )
    else:
        messages.error(request, _("Choose an attending deputy and write the opinion."))
    return redirect("deputies:work_meeting_opinions", meeting.pk)


@require_POST
@role_required(*WRITERS)
def work_opinion_hand_over(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        opinion = selectors.meeting_opinions(user=request.user).get(pk=pk)
    except MeetingOpinion.DoesNotExist:
        raise Http404 from None
    form = HandOverForm(request.POST, congress_id=opinion.congress_id)
    if form.is_valid():
        perform(
            request,
            lambda: services.opinion_hand_over(
                actor=request.user,
                opinion=opinion,
                handling_unit=form.cleaned_data["handling_unit"],
                due_on=form.cleaned_data["due_on"],
            ),
            _("Opinion handed over."),
        )
    else:
        messages.error(request, _("Choose a handling unit."))
    return redirect("deputies:work_meeting_opinions", opinion.meeting_id)


# --- handling units' desk ---------------------------------------------------------------------


@role_required(Role.UNIT)
def desk_meeting_opinions(request: HttpRequest) -> HttpResponse:
    """Opinions handed to the user's unit, with due dates and an answer form."""
    status = request.GET.get("status") or None
    return render(
        request,
        "deputies/meetings/desk_opinions.html",
        {
            "page": page_of(request, selectors.unit_meeting_opinions(user=request.user, status=status)),
            "status": status,
            "answer_form": AnswerForm(),
            "today": timezone.localdate(),
        },
    )


@require_POST
@role_required(Role.UNIT)
def desk_meeting_opinion_answer(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        opinion = selectors.unit_meeting_opinion(user=request.user, pk=pk)
    except MeetingOpinion.DoesNotExist:
        raise Http404 from None
    form = AnswerForm(request.POST)
    if form.is_valid():
        perform(
            request,
            lambda: services.opinion_answer(actor=request.user, opinion=opinion, answer=form.cleaned_data["answer"]),
            _("Answer sent."),
        )
    else:
        messages.error(request, _("Write the answer."))
    return redirect("deputies:desk_meeting_opinions")


# --- deputy portal ----------------------------------------------------------------------------


@deputy_required
def portal_meetings(request: HttpRequest) -> HttpResponse:
    """The meetings I am invited to sit in on."""
    return render(
        request,
        "deputies/meetings/portal_list.html",
        {"page": page_of(request, selectors.portal_meetings(user=request.user))},
    )


@deputy_required
def portal_meeting(request: HttpRequest, pk: int) -> HttpResponse:
    """A meeting: agenda, my invitation, my opinions (and the answers); submit an opinion."""
    try:
        context = selectors.portal_meeting(user=request.user, pk=pk)
    except Meeting.DoesNotExist:
        raise Http404 from None
    meeting = context["meeting"]
    form = OpinionForm(request.POST or None, meeting=meeting)
    if (
        request.method == "POST"
        and form.is_valid()
        and perform(
            request,
            lambda: services.meeting_opinion_record(
                actor=request.user,
                meeting=meeting,
                topic=form.cleaned_data["topic"],
                content=form.cleaned_data["content"],
            ),
            _("Your opinion was sent."),
            form,
            always_message=True,
        )
    ):
        return redirect("deputies:portal_meeting", meeting.pk)
    invitation = context["invitation"]
    may_raise = invitation is not None and invitation.status in services.MAY_RAISE_OPINIONS
    return render(request, "deputies/meetings/portal_detail.html", {**context, "form": form, "may_raise": may_raise})


urlpatterns = [
    path("work/meetings/", work_meetings, name="work_meetings"),
    path("work/meetings/new/", work_meeting_create, name="work_meeting_create"),
    path("work/meetings/<int:pk>/", work_meeting, name="work_meeting"),
    path("work/meetings/<int:pk>/topics/", work_meeting_topic_add, name="work_meeting_topic_add"),
    path("work/meetings/<int:pk>/invite/", work_meeting_invite, name="work_meeting_invite"),
    path("work/meetings/<int:pk>/pre-activities/", work_meeting_pre_activity, name="work_meeting_pre_activity"),
    path("work/meetings/<int:pk>/opinions/", work_meeting_opinions, name="work_meeting_opinions"),
    path("work/meetings/<int:pk>/opinions/record/", work_meeting_opinion_record, name="work_meeting_opinion_record"),
    path("work/meeting-opinions/<int:pk>/hand-over/", work_opinion_hand_over, name="work_opinion_hand_over"),
    path("desk/meeting-opinions/", desk_meeting_opinions, name="desk_meeting_opinions"),
    path("desk/meeting-opinions/<int:pk>/answer/", desk_meeting_opinion_answer, name="desk_meeting_opinion_answer"),
    path("portal/meetings/", portal_meetings, name="portal_meetings"),
    path("portal/meetings/<int:pk>/", portal_meeting, name="portal_meeting"),
]
