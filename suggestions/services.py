"""Writes of the suggestion workflow, one function per step of domain.md §3.1.

Every service is keyword-only and atomic, locks the rows it moves (`select_for_update`), calls the
django-fsm transition, writes one `SuggestionEvent` per move, and queues notifications after commit.
A move the workflow does not allow raises `ForbiddenMove` and writes nothing; an actor without the
authority raises `NotAllowed`.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from typing import Any, TypeVar

from django.db import transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _
from django_fsm import TransitionNotAllowed

from congress.calendar import add_months, add_working_days
from congress.models import Committee, Congress, HandlingUnit, Session, SubjectCategory
from congress.outbox import enqueue
from congress.roles import Role
from congress.scoping import get_scope
from deputies.duty import duty_record_act
from deputies.models import Deputy

from .choices import (
    AssignmentMode,
    AssignmentRole,
    AssignmentStatus,
    CloseReason,
    CosignerStatus,
    EventAction,
    ExclusionReason,
    HandlingRoundReason,
    Rating,
    RequestStatus,
    ReviewDecision,
    SuggestionStatus,
    SupervisionStatus,
    SupervisionTrigger,
)
from .exceptions import ForbiddenMove, NotAllowed
from .models import (
    AdjustmentRequest,
    Assignment,
    Communication,
    Cosigner,
    CoUnitOpinion,
    Evaluation,
    ExtensionRequest,
    GuidanceRequest,
    HandlingRound,
    HandlingRules,
    Reply,
    ReplyClass,
    Suggestion,
    SuggestionCounter,
    SuggestionEvent,
    SupervisionAction,
    SupervisionCase,
    UnitProposal,
)

DEFAULT_REPLY_CLASSES = [
    # code, name, solved, solved-or-planned, follow-up
    ("A", "所提问题已经解决或者基本解决", True, True, False),
    ("B", "正在解决或者列入规划逐步解决", False, True, True),
    ("C", "因目前条件限制或者其他原因需待以后解决", False, False, True),
    ("D", "留作参考", False, False, False),
]


# --- shared pieces -------------------------------------------------------------------------------


M = TypeVar("M", bound=Model)


def lock(model: type[M], pk: Any) -> M:
    """Re-read a row under a row lock, so concurrent moves on it queue up."""
    return model.objects.select_for_update().get(pk=pk)


def record_event(
    *,
    suggestion: Suggestion,
    actor: Any,
    action: str,
    assignment: Assignment | None = None,
    from_status: str = "",
    to_status: str = "",
    note: str = "",
) -> SuggestionEvent:
    return SuggestionEvent.objects.create(
        congress_id=suggestion.congress_id,
        suggestion=suggestion,
        assignment=assignment,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        from_status=from_status,
        to_status=to_status,
        note=note,
    )


def _move(obj: Any, transition: str, message: str) -> tuple[str, str]:
    """Run an fsm transition; a move the graph does not allow becomes a ForbiddenMove."""
    before = obj.status
    try:
        getattr(obj, transition)()
    except TransitionNotAllowed:
        raise ForbiddenMove(message) from None
    return before, obj.status


def rules_for(congress: Congress | int) -> HandlingRules:
    """The congress's handling rules, created with the national defaults on first use."""
    congress_id = congress if isinstance(congress, int) else congress.pk
    rules, created = HandlingRules.objects.get_or_create(congress_id=congress_id)
    if created:  # a congress starting to handle suggestions gets the A/B/C/D table too
        reply_classes_ensure(congress=rules.congress)
    return rules


def reply_classes_ensure(*, congress: Congress) -> list[ReplyClass]:
    """The A/B/C/D table for a congress (kept as staff edited it if it exists)."""
    classes = []
    for order, (code, name, solved, planned, follow_up) in enumerate(DEFAULT_REPLY_CLASSES, start=1):
        reply_class, _created = ReplyClass.objects.get_or_create(
            congress=congress,
            code=code,
            defaults={
                "name": name,
                "counts_as_solved": solved,
                "counts_as_planned": planned,
                "needs_follow_up": follow_up,
                "sort_order": order,
            },
        )
        classes.append(reply_class)
    return classes


def _due_on_working_day(day: datetime.date) -> datetime.date:
    """A deadline falling on a day off moves to the next working day."""
    return add_working_days(day, 0)


def _today(on: datetime.date | None) -> datetime.date:
    return on or timezone.localdate()


# --- who may do what -----------------------------------------------------------------------------


def _ensure_lead_deputy(actor: Any, suggestion: Suggestion) -> None:
    if get_scope(actor).deputy_id != suggestion.lead_deputy_id:
        raise NotAllowed(_("Only the lead deputy can do this."))


def _ensure_office(actor: Any, congress_id: int) -> None:
    scope = get_scope(actor)
    if not (scope.is_global or (Role.OFFICE in scope.roles and congress_id in scope.congress_ids)):
        raise NotAllowed(_("Only deputy-affairs office staff can do this."))


def _ensure_committee(actor: Any, committee_id: int) -> None:
    scope = get_scope(actor)
    if scope.is_global or (
        Role.OFFICE in scope.roles
        and Committee.objects.filter(pk=committee_id, congress_id__in=scope.congress_ids).exists()
    ):
        return
    if not (Role.COMMITTEE in scope.roles and scope.committee_id == committee_id):
        raise NotAllowed(_("Only staff of that committee can do this."))


def _ensure_unit(actor: Any, assignment: Assignment) -> None:
    scope = get_scope(actor)
    if not (scope.is_global or (Role.UNIT in scope.roles and scope.unit_id == assignment.unit_id)):
        raise NotAllowed(_("Only staff of the assigned unit can do this."))


# --- drafting ------------------------------------------------------------------------------------


@transaction.atomic
def suggestion_create(
    *,
    actor: Any,
    deputy: Deputy,
    session: Session,
    title: str,
    body: str,
    category: SubjectCategory,
    cosigners: Iterable[Deputy] = (),
    **options: Any,
) -> Suggestion:
    """A draft by its lead deputy; co-signers are invited at once."""
    if get_scope(actor).deputy_id != deputy.pk:
        raise NotAllowed(_("A deputy drafts their own suggestions."))
    if category.congress_id != session.congress_id or not category.is_active:
        raise ForbiddenMove(_("Choose an active category of this congress."))
    if not deputy.mandates.filter(congress_id=session.congress_id, status="serving").exists():
        raise ForbiddenMove(_("You hold no serving mandate in this congress."))
    suggestion = Suggestion.objects.create(
        congress_id=session.congress_id,
        session=session,
        title=title,
        body=body,
        category=category,
        lead_deputy=deputy,
        created_by=actor,
        **{key: value for key, value in options.items() if key in {"confidentiality", "publication"}},
    )
    record_event(suggestion=suggestion, actor=actor, action=EventAction.CREATE, to_status=suggestion.status)
    for cosigner in cosigners:
        _invite(suggestion=suggestion, deputy=cosigner, actor=actor)
    return suggestion


@transaction.atomic
def suggestion_update(*, suggestion: Suggestion, actor: Any, data: dict[str, Any]) -> Suggestion:
    """The lead deputy revises a draft, or a pre-assigned suggestion during the session."""
    suggestion = lock(Suggestion, suggestion.pk)
    _ensure_lead_deputy(actor, suggestion)
    if not suggestion.is_editable:
        raise ForbiddenMove(_("The suggestion can no longer be changed."))
    changed = []
    for field in ("title", "body", "category", "confidentiality", "publication"):
        if field in data and getattr(suggestion, field) != data[field]:
            setattr(suggestion, field, data[field])
            changed.append(field)
    if "category" in changed and suggestion.category.congress_id != suggestion.congress_id:
        raise ForbiddenMove(_("The category belongs to another congress."))
    if changed:
        suggestion.save(update_fields=[*changed, "updated_at"])
        record_event(suggestion=suggestion, actor=actor, action=EventAction.EDIT, note=", ".join(changed))
    return suggestion


@transaction.atomic
def guidance_request_create(
    *, suggestion: Suggestion, actor: Any, committee: Committee, question: str
) -> GuidanceRequest:
    """A deputy asks a committee for policy help while drafting (专门委员会指导建议撰写)."""
    suggestion = lock(Suggestion, suggestion.pk)
    _ensure_lead_deputy(actor, suggestion)
    if suggestion.status != SuggestionStatus.DRAFT:
        raise ForbiddenMove(_("Guidance can be asked for while the suggestion is a draft."))
    if committee.congress_id != suggestion.congress_id:
        raise ForbiddenMove(_("Choose a committee of the same congress."))
    request = GuidanceRequest.objects.create(
        congress_id=suggestion.congress_id, suggestion=suggestion, committee=committee, question=question
    )
    event = record_event(suggestion=suggestion, actor=actor, action=EventAction.GUIDANCE_REQUEST, note=str(committee))
    _after_commit_notify("guidance_requested", request.pk, event)
    return request


@transaction.atomic
def guidance_answer(*, request: GuidanceRequest, actor: Any, answer: str) -> GuidanceRequest:
    request = lock(GuidanceRequest, request.pk)
    _ensure_committee(actor, request.committee_id)
    if request.answered_at:
        raise ForbiddenMove(_("This request has already been answered."))
    request.answer = answer
    request.answered_by = actor
    request.answered_at = timezone.now()
    request.save(update_fields=["answer", "answered_by", "answered_at", "updated_at"])
    event = record_event(
        suggestion=request.suggestion, actor=actor, action=EventAction.GUIDANCE_ANSWER, note=answer[:200]
    )
    _after_commit_notify("guidance_answered", request.pk, event)
    return request


def _invite(*, suggestion: Suggestion, deputy: Deputy, actor: Any) -> Cosigner:
    if deputy.pk == suggestion.lead_deputy_id:
        raise ForbiddenMove(_("The lead deputy cannot co-sign their own suggestion."))
    if not deputy.mandates.filter(congress_id=suggestion.congress_id, status="serving").exists():
        raise ForbiddenMove(_("%(name)s is not a serving deputy of this congress.") % {"name": deputy.name})
    cosigner, created = Cosigner.objects.get_or_create(
        congress_id=suggestion.congress_id, suggestion=suggestion, deputy=deputy
    )
    if created:
        event = record_event(suggestion=suggestion, actor=actor, action=EventAction.INVITE, note=deputy.name)
        _after_commit_notify("cosigner_invited", cosigner.pk, event)
    return cosigner


@transaction.atomic
def cosigner_invite(*, suggestion: Suggestion, actor: Any, deputy: Deputy) -> Cosigner:
    suggestion = lock(Suggestion, suggestion.pk)
    _ensure_lead_deputy(actor, suggestion)
    if suggestion.status != SuggestionStatus.DRAFT:
        raise ForbiddenMove(_("Co-signers can only be invited while the suggestion is a draft."))
    return _invite(suggestion=suggestion, deputy=deputy, actor=actor)


@transaction.atomic
def cosigner_respond(*, suggestion: Suggestion, actor: Any, accept: bool) -> Cosigner:
    """The invited deputy confirms (附议) or declines."""
    suggestion = lock(Suggestion, suggestion.pk)
    deputy_id = get_scope(actor).deputy_id
    cosigner = Cosigner.objects.select_for_update().filter(suggestion=suggestion, deputy_id=deputy_id).first()
    if cosigner is None:
        raise NotAllowed(_("You were not invited to co-sign this suggestion."))
    if suggestion.status != SuggestionStatus.DRAFT:
        raise ForbiddenMove(_("The suggestion has already been submitted."))
    _move(cosigner, "confirm" if accept else "decline", _("You have already answered this invitation."))
    cosigner.responded_at = timezone.now()
    cosigner.save()
    record_event(
        suggestion=suggestion,
        actor=actor,
        action=EventAction.COSIGN if accept else EventAction.DECLINE,
        note=cosigner.deputy.name,
    )
    return cosigner


def next_number(*, congress_id: int, session_id: int) -> int:
    """The next number of the congress and session, gap-free: the counter row is locked until the
    submitting transaction ends, and rolls back with it."""
    SuggestionCounter.objects.bulk_create(
        [SuggestionCounter(congress_id=congress_id, session_id=session_id)], ignore_conflicts=True
    )
    counter = SuggestionCounter.objects.select_for_update().get(congress_id=congress_id, session_id=session_id)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return counter.last_number


@transaction.atomic
def suggestion_submit(*, suggestion: Suggestion, actor: Any, on: datetime.date | None = None) -> Suggestion:
    suggestion = lock(Suggestion, suggestion.pk)
    _ensure_lead_deputy(actor, suggestion)
    if suggestion.cosigners.filter(status=CosignerStatus.INVITED).exists():
        raise ForbiddenMove(_("Every invited co-signer must answer before the suggestion can be submitted."))
    before, after = _move(suggestion, "submit", _("Only a draft can be submitted."))
    day = _today(on)
    if suggestion.number is None:  # a returned suggestion keeps its number when submitted again
        suggestion.number = next_number(congress_id=suggestion.congress_id, session_id=suggestion.session_id)
    # A submission recorded for another day (paper suggestions entered later, imports) is dated that day.
    now = timezone.localtime()
    suggestion.submitted_at = now if day == now.date() else now.replace(year=day.year, month=day.month, day=day.day)
    suggestion.raised_in_session = suggestion.session.is_in_session(day)
    suggestion.frozen = {
        "title": suggestion.title,
        "body": suggestion.body,
        "category": suggestion.category.name,
        "lead_deputy": suggestion.lead_deputy.name,
        "cosigners": list(
            suggestion.cosigners.filter(status=CosignerStatus.CONFIRMED).values_list("deputy__name", flat=True)
        ),
        "submitted_on": day.isoformat(),
    }
    suggestion.return_reason = ""
    suggestion.save()
    record_event(suggestion=suggestion, actor=actor, action=EventAction.SUBMIT, from_status=before, to_status=after)
    # The duty record counts the suggestion for the lead deputy and each confirmed co-signer (once).
    signers = [(suggestion.lead_deputy_id, "suggestion_lead")] + [
        (deputy_id, "suggestion_cosign")
        for deputy_id in suggestion.cosigners.filter(status=CosignerStatus.CONFIRMED).values_list(
            "deputy_id", flat=True
        )
    ]
    for deputy_id, code in signers:
        duty_record_act(
            deputy_id=deputy_id,
            congress_id=suggestion.congress_id,
            code=code,
            on=day,
            source_key=f"suggestion:{suggestion.pk}",
            description=suggestion.title,
        )
    return suggestion


@transaction.atomic
def suggestion_withdraw(*, suggestion: Suggestion, actor: Any, reason: str = "") -> Suggestion:
    suggestion = lock(Suggestion, suggestion.pk)
    _ensure_lead_deputy(actor, suggestion)
    before, after = _move(suggestion, "withdraw", _("A suggestion can be withdrawn only before it is accepted."))
    suggestion.save()
    record_event(
        suggestion=suggestion,
        actor=actor,
        action=EventAction.WITHDRAW,
        from_status=before,
        to_status=after,
        note=reason,
    )
    return suggestion


# --- review and assignment -----------------------------------------------------------------------


@transaction.atomic
def suggestion_review(
    *, suggestion: Suggestion, actor: Any, decision: str, reason: str = "", exclusion_reason: str = ""
) -> Suggestion:
    """立案, 置回 with a reason, or 不予立案 with one of the exclusion reasons."""
    suggestion = lock(Suggestion, suggestion.pk)
    _ensure_office(actor, suggestion.congress_id)
    if decision == ReviewDecision.ACCEPT:
        before, after = _move(suggestion, "accept", _("Only a submitted suggestion can be reviewed."))
        action = EventAction.ACCEPT
        suggestion.review_note = reason
    elif decision == ReviewDecision.RETURN:
        if not reason.strip():
            raise ForbiddenMove(_("Give the deputy a reason for returning the suggestion."))
        before, after = _move(suggestion, "return_to_deputy", _("Only a submitted suggestion can be reviewed."))
        action = EventAction.RETURN
        suggestion.return_reason = reason
    elif decision == ReviewDecision.REJECT:
        if exclusion_reason not in ExclusionReason.values:
            raise ForbiddenMove(_("Choose the reason why it is not accepted as a suggestion."))
        before, after = _move(suggestion, "reject", _("Only a submitted suggestion can be reviewed."))
        action = EventAction.REJECT
        suggestion.exclusion_reason = exclusion_reason
        suggestion.review_note = reason
    else:
        raise ForbiddenMove(_("Unknown review decision."))
    suggestion.save()
    event = record_event(
        suggestion=suggestion, actor=actor, action=action, from_status=before, to_status=after, note=reason
    )
    _after_commit_notify("reviewed", suggestion.pk, event)
    return suggestion


def _unit_plan(
    congress_id: int, lead_units: Sequence[HandlingUnit], co_units: Sequence[HandlingUnit], mode: str
) -> dict[int, str]:
    """{unit id: role} for a lead/co or split assignment, validated."""
    if not lead_units:
        raise ForbiddenMove(_("Choose at least one lead (or split) unit."))
    if mode == AssignmentMode.LEAD and len(lead_units) != 1:
        raise ForbiddenMove(_("A suggestion has exactly one lead unit; use split mode for several."))
    if mode == AssignmentMode.SPLIT and co_units:
        raise ForbiddenMove(_("In split mode every unit answers separately; there are no co-handling units."))
    plan: dict[int, str] = {}
    lead_role = AssignmentRole.SPLIT if mode == AssignmentMode.SPLIT else AssignmentRole.LEAD
    for unit in lead_units:
        plan[unit.pk] = lead_role
    for unit in co_units:
        if unit.pk in plan:
            raise ForbiddenMove(_("A unit cannot be both lead and co-handling unit."))
        plan[unit.pk] = AssignmentRole.CO
    units = HandlingUnit.objects.filter(pk__in=plan, congress_id=congress_id, is_active=True)
    if units.count() != len(plan):
        raise ForbiddenMove(_("Choose active units of the same congress."))
    return plan


@transaction.atomic
def suggestion_pre_assign(
    *,
    suggestion: Suggestion,
    actor: Any,
    lead_units: Sequence[HandlingUnit],
    co_units: Sequence[HandlingUnit] = (),
    mode: str = AssignmentMode.LEAD,
) -> Suggestion:
    """预交办 in session: units see the item, no clock runs; may be changed until the assignment."""
    suggestion = lock(Suggestion, suggestion.pk)
    _ensure_office_or_counterpart(actor, suggestion)
    plan = _unit_plan(suggestion.congress_id, lead_units, co_units, mode)
    before, after = _move(suggestion, "pre_assign", _("Only an accepted suggestion can be pre-assigned."))
    suggestion.save()
    live = _keep_planned_assignments(suggestion, plan)
    for unit_id, role in plan.items():
        if unit_id not in live or live[unit_id].role != role:
            Assignment.objects.create(
                congress_id=suggestion.congress_id, suggestion=suggestion, unit_id=unit_id, role=role
            )
    event = record_event(
        suggestion=suggestion,
        actor=actor,
        action=EventAction.PRE_ASSIGN,
        from_status=before,
        to_status=after,
        note=_unit_names(plan),
    )
    _after_commit_notify("pre_assigned", suggestion.pk, event)
    return suggestion


def _ensure_office_or_counterpart(actor: Any, suggestion: Suggestion) -> None:
    """Pre-assignment is sorted by the office or by the counterpart committee with the departments."""
    scope = get_scope(actor)
    if Role.COMMITTEE in scope.roles and scope.committee_id == suggestion.category.counterpart_committee_id:
        return
    _ensure_office(actor, suggestion.congress_id)


def _unit_names(plan: dict[int, str]) -> str:
    names = dict(HandlingUnit.objects.filter(pk__in=plan).values_list("pk", "name"))
    return "；".join(f"{names[unit_id]}（{AssignmentRole(role).label}）" for unit_id, role in plan.items())


@transaction.atomic
def unit_proposal_create(
    *, suggestion: Suggestion, actor: Any, committee: Committee, units: Sequence[HandlingUnit], reason: str
) -> UnitProposal:
    """After the session a committee proposes other units (提出调整意见); staff decide at assignment."""
    suggestion = lock(Suggestion, suggestion.pk)
    _ensure_committee(actor, committee.pk)
    if suggestion.status not in {SuggestionStatus.ACCEPTED, SuggestionStatus.PRE_ASSIGNED}:
        raise ForbiddenMove(_("Units can be proposed only before the formal assignment."))
    proposal = UnitProposal.objects.create(
        congress_id=suggestion.congress_id, suggestion=suggestion, committee=committee, reason=reason, proposed_by=actor
    )
    proposal.units.set(units)
    record_event(
        suggestion=suggestion,
        actor=actor,
        action=EventAction.PROPOSE_ADJUSTMENT,
        note=f"{committee}: {'、'.join(unit.name for unit in units)} — {reason}",
    )
    return proposal


def _keep_planned_assignments(suggestion: Suggestion, plan: dict[int, str]) -> dict[int, Assignment]:
    """Cancel the live assignments the plan no longer has (or has in another role); returns the
    live assignments by unit, before the cancellations, so callers can reuse the planned ones."""
    live = {a.unit_id: a for a in Assignment.objects.select_for_update().filter(suggestion=suggestion).live()}
    for unit_id, assignment in live.items():
        if unit_id not in plan or assignment.role != plan[unit_id]:
            assignment.cancel()
            assignment.save()
    return live


def _start_assignment(assignment: Assignment, rules: HandlingRules, day: datetime.date) -> None:
    """交办 one unit: the clock starts today, the due dates come from the rules and the calendar, and
    a lead or split unit's first handling round opens."""
    assignment.assign()
    assignment.assigned_on = day
    months = rules.answer_months if assignment.answers else rules.co_opinion_months
    assignment.due_on = _due_on_working_day(add_months(day, months))
    assignment.original_due_on = assignment.due_on
    assignment.latest_due_on = _due_on_working_day(add_months(day, rules.extension_max_months))
    assignment.adjustment_deadline = add_working_days(day, rules.adjustment_window_working_days)
    assignment.save()
    if assignment.answers:
        HandlingRound.objects.create(
            congress_id=assignment.congress_id,
            assignment=assignment,
            number=1,
            reason=HandlingRoundReason.INITIAL,
            opened_on=day,
            due_on=assignment.due_on,
        )


@transaction.atomic
def suggestion_assign(
    *,
    suggestion: Suggestion,
    actor: Any,
    lead_units: Sequence[HandlingUnit],
    co_units: Sequence[HandlingUnit] = (),
    mode: str = AssignmentMode.LEAD,
    on: datetime.date | None = None,
) -> Suggestion:
    """交办: lead/co or split units; the clock starts today for each, due dates from the calendar."""
    suggestion = lock(Suggestion, suggestion.pk)
    _ensure_office(actor, suggestion.congress_id)
    plan = _unit_plan(suggestion.congress_id, lead_units, co_units, mode)
    before, after = _move(suggestion, "assign", _("Only an accepted or pre-assigned suggestion can be assigned."))
    suggestion.save()
    day = _today(on)
    rules = rules_for(suggestion.congress_id)
    live = _keep_planned_assignments(suggestion, plan)
    for unit_id, role in plan.items():
        assignment = live.get(unit_id)
        if assignment is None or assignment.role != role:
            assignment = Assignment(
                congress_id=suggestion.congress_id, suggestion=suggestion, unit_id=unit_id, role=role
            )
        _start_assignment(assignment, rules, day)
    event = record_event(
        suggestion=suggestion,
        actor=actor,
        action=EventAction.ASSIGN,
        from_status=before,
        to_status=after,
        note=_unit_names(plan),
    )
    _after_commit_notify("assigned", suggestion.pk, event)
    return suggestion


# --- the unit's work -----------------------------------------------------------------------------


@transaction.atomic
def assignment_sign(*, assignment: Assignment, actor: Any) -> Assignment:
    assignment = lock(Assignment, assignment.pk)
    _ensure_unit(actor, assignment)
    before, after = _move(assignment, "sign", _("Only a newly assigned item can be signed for."))
    assignment.signed_at = timezone.now()
    assignment.save()
    record_event(
        suggestion=assignment.suggestion,
        actor=actor,
        action=EventAction.SIGN,
        assignment=assignment,
        from_status=before,
        to_status=after,
    )
    return assignment


@transaction.atomic
def adjustment_request_create(
    *,
    assignment: Assignment,
    actor: Any,
    reason: str,
    suggested_unit: HandlingUnit | None = None,
    on: datetime.date | None = None,
) -> AdjustmentRequest:
    """申请调整 within the window (refused after it); units may not forward items themselves."""
    assignment = lock(Assignment, assignment.pk)
    _ensure_unit(actor, assignment)
    day = _today(on)
    if assignment.adjustment_deadline is None or day > assignment.adjustment_deadline:
        raise ForbiddenMove(
            _("The window for adjustment requests closed on %(day)s.") % {"day": assignment.adjustment_deadline or "—"}
        )
    if not reason.strip():
        raise ForbiddenMove(_("Say why the item is not for your unit."))
    if suggested_unit is not None and suggested_unit.congress_id != assignment.congress_id:
        raise ForbiddenMove(_("Name a unit of the same congress."))
    before, after = _move(assignment, "request_adjustment", _("An adjustment cannot be requested now."))
    assignment.save()
    request = AdjustmentRequest.objects.create(
        congress_id=assignment.congress_id,
        assignment=assignment,
        reason=reason,
        suggested_unit=suggested_unit,
        requested_by=actor,
    )
    event = record_event(
        suggestion=assignment.suggestion,
        actor=actor,
        action=EventAction.REQUEST_ADJUSTMENT,
        assignment=assignment,
        from_status=before,
        to_status=after,
        note=reason,
    )
    _after_commit_notify("adjustment_requested", request.pk, event)
    return request


@transaction.atomic
def adjustment_decide(
    *,
    request: AdjustmentRequest,
    actor: Any,
    approve: bool,
    note: str = "",
    new_unit: HandlingUnit | None = None,
    on: datetime.date | None = None,
) -> AdjustmentRequest:
    """Staff approve (the item goes to the new unit, whose clock starts now) or refuse (the unit keeps it)."""
    request = lock(AdjustmentRequest, request.pk)
    assignment = lock(Assignment, request.assignment_id)
    _ensure_office(actor, assignment.congress_id)
    if request.status != RequestStatus.PENDING:
        raise ForbiddenMove(_("This request has already been decided."))
    suggestion = assignment.suggestion
    if approve:
        target = new_unit or request.suggested_unit
        if target is None:
            raise ForbiddenMove(_("Choose the unit that takes the item over."))
        if target.congress_id != assignment.congress_id or not target.is_active:
            raise ForbiddenMove(_("Choose active units of the same congress."))
        if target.pk == assignment.unit_id:
            raise ForbiddenMove(_("Choose another unit than the one asking for the adjustment."))
        if suggestion.assignments.live().filter(unit=target).exclude(pk=assignment.pk).exists():
            raise ForbiddenMove(_("That unit already handles this suggestion."))
        before, after = _move(assignment, "cancel", _("This assignment cannot be changed now."))
        assignment.save()
        replacement = Assignment(
            congress_id=assignment.congress_id, suggestion=suggestion, unit=target, role=assignment.role
        )
        _start_assignment(replacement, rules_for(assignment.congress_id), _today(on))
        note = note or _("Re-assigned to %(unit)s.") % {"unit": target}
    else:
        before, after = _move(assignment, "keep", _("This assignment cannot be changed now."))
        assignment.save()
    request.decision_note = note
    _record_decision(request, actor=actor, approve=approve)
    event = record_event(
        suggestion=suggestion,
        actor=actor,
        action=EventAction.DECIDE_ADJUSTMENT,
        assignment=assignment,
        from_status=before,
        to_status=after,
        note=note,
    )
    _after_commit_notify("adjustment_decided", request.pk, event)
    return request


def _record_decision(request: AdjustmentRequest | ExtensionRequest, *, actor: Any, approve: bool) -> None:
    request.status = RequestStatus.APPROVED if approve else RequestStatus.REFUSED
    request.decided_by = actor
    request.decided_at = timezone.now()
    request.save()


@transaction.atomic
def extension_request_create(
    *, assignment: Assignment, actor: Any, reason: str, requested_due_on: datetime.date
) -> ExtensionRequest:
    assignment = lock(Assignment, assignment.pk)
    _ensure_unit(actor, assignment)
    if assignment.status not in {AssignmentStatus.ASSIGNED, AssignmentStatus.SIGNED}:
        raise ForbiddenMove(_("An extension can be requested only while the item is being handled."))
    if not reason.strip():
        raise ForbiddenMove(_("Say why more time is needed."))
    if assignment.due_on is None or requested_due_on <= assignment.due_on:
        raise ForbiddenMove(_("Ask for a date after the current due date."))
    if assignment.latest_due_on and requested_due_on > assignment.latest_due_on:
        raise ForbiddenMove(
            _("The total time may not exceed %(months)s months from the assignment (until %(day)s).")
            % {"months": rules_for(assignment.congress_id).extension_max_months, "day": assignment.latest_due_on}
        )
    if assignment.extension_requests.filter(status=RequestStatus.PENDING).exists():
        raise ForbiddenMove(_("An extension request is already waiting for a decision."))
    request = ExtensionRequest.objects.create(
        congress_id=assignment.congress_id,
        assignment=assignment,
        reason=reason,
        requested_due_on=requested_due_on,
        requested_by=actor,
    )
    record_event(
        suggestion=assignment.suggestion,
        actor=actor,
        action=EventAction.REQUEST_EXTENSION,
        assignment=assignment,
        note=f"{requested_due_on}: {reason}",
    )
    return request


@transaction.atomic
def extension_decide(
    *, request: ExtensionRequest, actor: Any, approve: bool, note_to_deputy: str = ""
) -> ExtensionRequest:
    """Staff decide; an approved extension needs a written note to the deputy."""
    request = lock(ExtensionRequest, request.pk)
    assignment = lock(Assignment, request.assignment_id)
    _ensure_office(actor, assignment.congress_id)
    if request.status != RequestStatus.PENDING:
        raise ForbiddenMove(_("This request has already been decided."))
    if approve and assignment.status not in {AssignmentStatus.ASSIGNED, AssignmentStatus.SIGNED}:
        raise ForbiddenMove(_("The item is no longer being handled; the extension cannot be granted."))
    if approve:
        if not note_to_deputy.strip():
            raise ForbiddenMove(_("An extension needs a written note to the deputy."))
        assignment.due_on = request.requested_due_on
        assignment.save(update_fields=["due_on", "updated_at"])
        assignment.rounds.filter(number=assignment.rounds.count()).update(due_on=request.requested_due_on)
    request.note_to_deputy = note_to_deputy
    _record_decision(request, actor=actor, approve=approve)
    event = record_event(
        suggestion=assignment.suggestion,
        actor=actor,
        action=EventAction.DECIDE_EXTENSION,
        assignment=assignment,
        note=note_to_deputy or _("Refused."),
    )
    if approve:
        _after_commit_notify("extension_approved", request.pk, event)
    return request


@transaction.atomic
def co_opinion_send(*, assignment: Assignment, actor: Any, text: str, attachment: Any = None) -> CoUnitOpinion:
    assignment = lock(Assignment, assignment.pk)
    _ensure_unit(actor, assignment)
    if assignment.role != AssignmentRole.CO:
        raise ForbiddenMove(_("Only a co-handling unit sends an opinion to the lead unit."))
    before, after = _move(assignment, "send_opinion", _("The opinion cannot be sent now."))
    assignment.save()
    opinion = CoUnitOpinion.objects.create(
        congress_id=assignment.congress_id, assignment=assignment, text=text, attachment=attachment or "", sent_by=actor
    )
    record_event(
        suggestion=assignment.suggestion,
        actor=actor,
        action=EventAction.OPINION,
        assignment=assignment,
        from_status=before,
        to_status=after,
    )
    return opinion


@transaction.atomic
def communication_record(
    *, assignment: Assignment, actor: Any, way: str, date: datetime.date, summary: str
) -> Communication:
    assignment = lock(Assignment, assignment.pk)
    _ensure_unit(actor, assignment)
    if assignment.status in {AssignmentStatus.PRE_ASSIGNED, AssignmentStatus.CANCELLED}:
        raise ForbiddenMove(_("Record contacts once the item is assigned to your unit."))
    communication = Communication.objects.create(
        congress_id=assignment.congress_id,
        assignment=assignment,
        way=way,
        date=date,
        summary=summary,
        recorded_by=actor,
    )
    record_event(
        suggestion=assignment.suggestion,
        actor=actor,
        action=EventAction.COMMUNICATE,
        assignment=assignment,
        note=f"{communication.get_way_display()} {date}",
    )
    return communication


def current_round(assignment: Assignment) -> HandlingRound | None:
    return assignment.rounds.order_by("-number").first()


def current_reply(assignment: Assignment) -> Reply | None:
    """The unit's answer in its latest round (follow-up replies aside)."""
    return assignment.replies.filter(is_follow_up=False).order_by("-round__number").first()


@transaction.atomic
def reply_submit(
    *,
    assignment: Assignment,
    actor: Any,
    reply_class: ReplyClass,
    text: str,
    document_number: str,
    signer: str,
    publication: str | None = None,
    public_summary: str = "",
    attachment: Any = None,
    on: datetime.date | None = None,
) -> Reply:
    """答复 by a lead or split unit in the current round; when every such unit has replied the
    suggestion is replied and waits for the deputy's rating."""
    assignment = lock(Assignment, assignment.pk)
    suggestion = lock(Suggestion, assignment.suggestion_id)
    _ensure_unit(actor, assignment)
    if not assignment.answers:
        raise ForbiddenMove(_("A co-handling unit sends its opinion to the lead unit instead of replying."))
    if reply_class.congress_id != assignment.congress_id:
        raise ForbiddenMove(_("Choose a reply class of this congress."))
    round_ = current_round(assignment)
    if round_ is None:
        raise ForbiddenMove(_("The item has not been formally assigned yet."))
    before, after = _move(assignment, "reply", _("The item cannot be replied to now."))
    day = _today(on)
    rules = rules_for(assignment.congress_id)
    assignment.replied_on = day
    if assignment.first_replied_on is None:
        assignment.first_replied_on, assignment.first_reply_due_on = day, round_.due_on
    assignment.reply_class = reply_class
    assignment.rating = ""  # the new reply waits for its rating
    assignment.save()
    reply = Reply.objects.create(
        congress_id=assignment.congress_id,
        assignment=assignment,
        round=round_,
        reply_class=reply_class,
        text=text,
        document_number=document_number,
        signer=signer,
        publication=publication or suggestion.publication,
        public_summary=public_summary,
        attachment=attachment or "",
        replied_on=day,
        evaluation_due_on=add_working_days(day, rules.evaluation_window_working_days),
        follow_up_due_on=add_months(day, rules.follow_up_months) if reply_class.needs_follow_up else None,
        replied_by=actor,
    )
    event = record_event(
        suggestion=suggestion,
        actor=actor,
        action=EventAction.REPLY,
        assignment=assignment,
        from_status=before,
        to_status=after,
        note=f"{reply_class.code} {document_number}",
    )
    _mark_replied_when_all_answered(suggestion, actor)
    _after_commit_notify("replied", reply.pk, event)
    return reply


def _mark_replied_when_all_answered(suggestion: Suggestion, actor: Any) -> None:
    waiting = suggestion.assignments.live().answering().exclude(status=AssignmentStatus.REPLIED)
    if suggestion.status == SuggestionStatus.ASSIGNED and not waiting.exists():
        before, after = _move(suggestion, "mark_replied", _("The suggestion cannot be marked replied now."))
        suggestion.save()
        record_event(suggestion=suggestion, actor=actor, action=EventAction.REPLY, from_status=before, to_status=after)


@transaction.atomic
def follow_up_reply_submit(
    *,
    assignment: Assignment,
    actor: Any,
    reply_class: ReplyClass,
    text: str,
    document_number: str,
    signer: str,
    on: datetime.date | None = None,
) -> Reply:
    """When a B or C item is done, the unit answers again (it does not reopen the rating)."""
    assignment = lock(Assignment, assignment.pk)
    _ensure_unit(actor, assignment)
    last = current_reply(assignment)
    if last is None or not last.reply_class.needs_follow_up:
        raise ForbiddenMove(_("A follow-up reply is for items answered as being solved later (B or C)."))
    day = _today(on)
    reply = Reply.objects.create(
        congress_id=assignment.congress_id,
        assignment=assignment,
        round=last.round,
        reply_class=reply_class,
        text=text,
        document_number=document_number,
        signer=signer,
        publication=last.publication,
        replied_on=day,
        is_follow_up=True,
        replied_by=actor,
    )
    Reply.objects.filter(pk=last.pk).update(follow_up_due_on=None)
    assignment.reply_class = reply_class  # a B or C item done counts by its follow-up's class
    assignment.save(update_fields=["reply_class", "updated_at"])
    record_event(
        suggestion=assignment.suggestion,
        actor=actor,
        action=EventAction.FOLLOW_UP,
        assignment=assignment,
        note=f"{reply_class.code} {document_number}",
    )
    return reply


# --- the deputy's rating and the 不满意 hand-off ---------------------------------------------------


@transaction.atomic
def evaluation_submit(
    *,
    reply: Reply,
    actor: Any,
    attitude: str,
    result: str,
    comment: str = "",
    on: datetime.date | None = None,
) -> Evaluation:
    """The lead deputy rates a reply. 不满意 opens, in this same transaction, the next handling round
    for that unit and a supervision case for the counterpart committee; notifications follow the
    commit. The reply row is locked and an evaluation is one-to-one with it, so a double submit or
    a second worker cannot make a second round or case."""
    reply = lock(Reply, reply.pk)
    assignment = lock(Assignment, reply.assignment_id)
    suggestion = lock(Suggestion, assignment.suggestion_id)
    _ensure_lead_deputy(actor, suggestion)
    if Evaluation.objects.filter(reply=reply).exists():
        raise ForbiddenMove(_("This reply has already been rated."))
    # In split mode each unit's track is rated on its own: one unit may be re-handling (the
    # suggestion is then "assigned") while another unit's reply waits for its rating.
    waiting = assignment.status == AssignmentStatus.REPLIED and suggestion.status in {
        SuggestionStatus.REPLIED,
        SuggestionStatus.ASSIGNED,
    }
    if reply.is_follow_up or not waiting:
        raise ForbiddenMove(_("This reply is not waiting for your rating."))
    if current_round(assignment).pk != reply.round_id:
        raise ForbiddenMove(_("Only the reply of the current round can be rated."))
    for value in (attitude, result):
        if value not in Rating.values:
            raise ForbiddenMove(_("Rate as satisfied, basically satisfied or unsatisfied."))
    day = _today(on)
    evaluation = Evaluation.objects.create(
        congress_id=suggestion.congress_id,
        reply=reply,
        deputy_id=suggestion.lead_deputy_id,
        attitude=attitude,
        result=result,
        comment=comment,
    )
    assignment.rating = result
    assignment.save(update_fields=["rating", "updated_at"])
    record_event(
        suggestion=suggestion,
        actor=actor,
        action=EventAction.EVALUATE,
        assignment=assignment,
        note=f"{Rating(attitude).label} / {Rating(result).label}",
    )
    if result == Rating.UNSATISFIED:
        _hand_off_unsatisfied(suggestion=suggestion, assignment=assignment, evaluation=evaluation, actor=actor, day=day)
    else:
        _close_when_settled(suggestion=suggestion, actor=actor)
    return evaluation


def _hand_off_unsatisfied(
    *, suggestion: Suggestion, assignment: Assignment, evaluation: Evaluation, actor: Any, day: datetime.date
) -> None:
    rules = rules_for(suggestion.congress_id)
    previous = current_round(assignment)
    committee_id = suggestion.category.counterpart_committee_id
    if previous.number >= 2:
        # Still unsatisfied after re-handling: no third round; the committee meets the deputy and
        # closes the case with an explanation (or escalates). Keep one open case on it.
        case = _open_unsatisfied_case(assignment).first()
        if case is None:
            case = SupervisionCase.objects.create(
                congress_id=suggestion.congress_id,
                suggestion=suggestion,
                assignment=assignment,
                committee_id=committee_id,
                trigger=SupervisionTrigger.UNSATISFIED,
                evaluation=evaluation,
                opened_on=day,
            )
        event = record_event(
            suggestion=suggestion,
            actor=actor,
            action=EventAction.SUPERVISE,
            assignment=assignment,
            note=_("Still unsatisfied after re-handling: the committee meets the deputy."),
        )
        _after_commit_notify("unsatisfied", case.pk, event)
        return
    due_on = _due_on_working_day(add_months(day, rules.rehandling_months))
    new_round = HandlingRound.objects.create(
        congress_id=suggestion.congress_id,
        assignment=assignment,
        number=previous.number + 1,
        reason=HandlingRoundReason.REHANDLING,
        opened_on=day,
        due_on=due_on,
    )
    a_before, a_after = _move(assignment, "reopen", _("The item cannot be re-handled now."))
    assignment.due_on = due_on
    assignment.save()
    s_before = s_after = suggestion.status
    if suggestion.status == SuggestionStatus.REPLIED:  # in split mode it may already be re-handling
        s_before, s_after = _move(suggestion, "reopen", _("The suggestion cannot be re-handled now."))
        suggestion.save()
    case = SupervisionCase.objects.create(
        congress_id=suggestion.congress_id,
        suggestion=suggestion,
        assignment=assignment,
        round=new_round,
        evaluation=evaluation,
        committee_id=committee_id,
        trigger=SupervisionTrigger.UNSATISFIED,
        opened_on=day,
        due_on=due_on,
    )
    record_event(
        suggestion=suggestion,
        actor=actor,
        action=EventAction.REHANDLE,
        assignment=assignment,
        from_status=a_before,
        to_status=a_after,
        note=_("Round %(number)s, due %(day)s") % {"number": new_round.number, "day": due_on},
    )
    event = record_event(
        suggestion=suggestion,
        actor=actor,
        action=EventAction.SUPERVISE,
        from_status=s_before,
        to_status=s_after,
        note=str(case.committee),
    )
    _after_commit_notify("unsatisfied", case.pk, event)


def _track_outcome(assignment: Assignment, day: datetime.date | None = None) -> str | None:
    """Where a lead or split unit's track stands for closing: a close reason when it is settled
    (rated satisfied, closed with an explanation after a second 不满意, or — when `day` is given —
    left unrated past the evaluation window), or None while it still needs something."""
    reply = current_reply(assignment)
    if reply is None or assignment.status != AssignmentStatus.REPLIED:
        return None
    evaluation = getattr(reply, "evaluation", None)
    if evaluation is None:
        overdue = day is not None and reply.evaluation_due_on is not None and day > reply.evaluation_due_on
        return CloseReason.NO_FEEDBACK if overdue else None
    if evaluation.result != Rating.UNSATISFIED:
        return CloseReason.SATISFIED
    explained = reply.round.number >= 2 and not _open_unsatisfied_case(assignment).exists()
    return CloseReason.EXPLAINED if explained else None


def _open_unsatisfied_case(assignment: Assignment) -> Any:
    return assignment.supervision_cases.filter(status=SupervisionStatus.OPEN, trigger=SupervisionTrigger.UNSATISFIED)


def _close_when_settled(*, suggestion: Suggestion, actor: Any, day: datetime.date | None = None) -> bool:
    """Close a replied suggestion once every lead/split unit's track is settled. The reason is the
    weakest of the tracks': no feedback, then explained, then satisfied."""
    if suggestion.status != SuggestionStatus.REPLIED:
        return False
    outcomes = [_track_outcome(assignment, day) for assignment in suggestion.assignments.live().answering()]
    if not outcomes or None in outcomes:
        return False
    for reason in (CloseReason.NO_FEEDBACK, CloseReason.EXPLAINED, CloseReason.SATISFIED):
        if reason in outcomes:
            _close(suggestion=suggestion, actor=actor, reason=reason)
            return True
    return False


def _close(*, suggestion: Suggestion, actor: Any, reason: str, note: str = "") -> None:
    before, after = _move(suggestion, "close", _("Only a replied suggestion can be closed."))
    suggestion.closed_at = timezone.now()
    suggestion.close_reason = reason
    suggestion.save()
    record_event(
        suggestion=suggestion,
        actor=actor,
        action=EventAction.CLOSE,
        from_status=before,
        to_status=after,
        note=note or str(CloseReason(reason).label),
    )


@transaction.atomic
def suggestion_close_without_feedback(*, suggestion: Suggestion, on: datetime.date | None = None) -> bool:
    """Close a replied suggestion whose evaluation window has passed without a rating (未反馈).
    Returns whether it was closed; safe to call again."""
    suggestion = lock(Suggestion, suggestion.pk)
    return _close_when_settled(suggestion=suggestion, actor=None, day=_today(on))


# --- supervision ---------------------------------------------------------------------------------


@transaction.atomic
def supervision_open(
    *,
    suggestion: Suggestion,
    actor: Any,
    committee: Committee,
    trigger: str,
    due_on: datetime.date | None = None,
    assignment: Assignment | None = None,
    on: datetime.date | None = None,
) -> SupervisionCase:
    """A committee opens a case on any suggestion in its view: overdue, key, or on its own initiative."""
    suggestion = lock(Suggestion, suggestion.pk)
    _ensure_committee(actor, committee.pk)
    if trigger == SupervisionTrigger.UNSATISFIED:
        raise ForbiddenMove(_("Cases after an unsatisfied rating are opened by the rating itself."))
    if suggestion.status in {
        SuggestionStatus.DRAFT,
        SuggestionStatus.SUBMITTED,
        SuggestionStatus.WITHDRAWN,
        SuggestionStatus.REJECTED,
    }:
        raise ForbiddenMove(_("Only accepted suggestions can be supervised."))
    if SupervisionCase.objects.filter(
        suggestion=suggestion, committee=committee, status=SupervisionStatus.OPEN
    ).exists():
        raise ForbiddenMove(_("The committee already has an open case on this suggestion."))
    case = SupervisionCase.objects.create(
        congress_id=suggestion.congress_id,
        suggestion=suggestion,
        assignment=assignment,
        committee=committee,
        trigger=trigger,
        opened_on=_today(on),
        due_on=due_on,
    )
    record_event(
        suggestion=suggestion,
        actor=actor,
        action=EventAction.SUPERVISE,
        note=f"{committee}: {case.get_trigger_display()}",
    )
    return case


@transaction.atomic
def supervision_action_record(
    *, case: SupervisionCase, actor: Any, kind: str, date: datetime.date, note: str
) -> SupervisionAction:
    case = lock(SupervisionCase, case.pk)
    _ensure_committee(actor, case.committee_id)
    if case.status != SupervisionStatus.OPEN:
        raise ForbiddenMove(_("The case is closed."))
    action = SupervisionAction.objects.create(
        congress_id=case.congress_id, case=case, kind=kind, date=date, note=note, recorded_by=actor
    )
    if case.suggestion_id:  # a case on something else (a hotline issue) has no suggestion timeline
        record_event(
            suggestion=case.suggestion,
            actor=actor,
            action=EventAction.SUPERVISION_ACTION,
            note=f"{action.get_kind_display()}: {note[:200]}",
        )
    return action


@transaction.atomic
def supervision_close(
    *, case: SupervisionCase, actor: Any, outcome: str, on: datetime.date | None = None
) -> SupervisionCase:
    """Close a case with its outcome. A case left open after a second 不满意 closes the suggestion
    with an explanation (the face-to-face meeting must have been recorded)."""
    case = lock(SupervisionCase, case.pk)
    _ensure_committee(actor, case.committee_id)
    if case.status != SupervisionStatus.OPEN:
        raise ForbiddenMove(_("The case is already closed."))
    if not outcome.strip():
        raise ForbiddenMove(_("Record the outcome of the supervision."))
    if case.suggestion_id is None:  # a case on something else (a hotline issue): just its outcome
        case.status = SupervisionStatus.CLOSED
        case.closed_on = _today(on)
        case.outcome = outcome
        case.save()
        return case
    suggestion = lock(Suggestion, case.suggestion_id)
    final = case.trigger == SupervisionTrigger.UNSATISFIED and _still_unsatisfied_after_rehandling(case)
    if final and not case.actions.filter(kind="face_to_face").exists():
        raise ForbiddenMove(_("Record the face-to-face meeting with the deputy before closing."))
    case.status = SupervisionStatus.CLOSED
    case.closed_on = _today(on)
    case.outcome = outcome
    case.save()
    record_event(suggestion=suggestion, actor=actor, action=EventAction.CLOSE_SUPERVISION, note=outcome[:200])
    if final:
        _close_when_settled(suggestion=suggestion, actor=actor)
    return case


@transaction.atomic
def supervision_open_on_subject(
    *,
    congress_id: int,
    committee_id: int,
    subject: str,
    source_key: str,
    subject_url: str = "",
    trigger: str = SupervisionTrigger.HOTLINE,
    due_on: datetime.date | None = None,
    on: datetime.date | None = None,
) -> tuple[SupervisionCase, bool]:
    """A case for a committee on something that is not a suggestion, opened by a higher app's own
    service (e.g. a deputy unsatisfied with a hotline issue's answer). The caller decides who may;
    `source_key` makes it once per source: a second call returns the case (created False)."""
    if not source_key or not subject.strip():
        raise ForbiddenMove(_("A case needs its subject and source."))
    if not Committee.objects.filter(pk=committee_id, congress_id=congress_id).exists():
        raise ForbiddenMove(_("Choose a committee of the same congress."))
    existing = SupervisionCase.objects.filter(source_key=source_key).first()
    if existing is not None:
        return existing, False
    case = SupervisionCase.objects.create(
        congress_id=congress_id,
        committee_id=committee_id,
        subject=subject[:200],
        subject_url=subject_url[:200],
        source_key=source_key,
        trigger=trigger,
        opened_on=_today(on),
        due_on=due_on,
    )
    return case, True


def _still_unsatisfied_after_rehandling(case: SupervisionCase) -> bool:
    """The case is the last word on a unit whose re-handled reply was rated 不满意 again."""
    if case.assignment_id is None:
        return False
    reply = current_reply(case.assignment)
    evaluation = getattr(reply, "evaluation", None) if reply else None
    return evaluation is not None and evaluation.result == Rating.UNSATISFIED and reply.round.number >= 2


@transaction.atomic
def reply_publish(*, reply: Reply, actor: Any) -> Reply:
    """Publish a reply on the public page (only when the deputy did not ask for confidentiality)."""
    reply = lock(Reply, reply.pk)
    suggestion = reply.assignment.suggestion
    _ensure_office(actor, reply.congress_id)
    if suggestion.confidentiality != "public" or reply.publication == "withheld":
        raise ForbiddenMove(_("This reply is not to be published."))
    if reply.published_at is None:
        reply.published_at = timezone.now()
        reply.save(update_fields=["published_at", "updated_at"])
        record_event(suggestion=suggestion, actor=actor, action=EventAction.PUBLISH, assignment=reply.assignment)
    return reply


# --- notifications after commit ------------------------------------------------------------------


def _after_commit_notify(kind: str, pk: int, event: SuggestionEvent) -> None:
    """Owe the notification task in this transaction (`congress.outbox`): nothing is sent on
    rollback, and after the commit a broker outage delays the notice, never loses it or fails the
    move. For kinds that can recur on the same object the move's event keys the dispatch, so a retry
    or the sweeper never repeats a notice while a later move is told again."""
    from .tasks import REPEATABLE, notify_event_task

    event_id = event.pk if kind in REPEATABLE else None
    enqueue(notify_event_task, kind, pk, event_id)


# --- drafted for a deputy by another app ---------------------------------------------------------


@transaction.atomic
def suggestion_draft_for_deputy(
    *,
    deputy: Deputy,
    congress_id: int,
    title: str,
    body: str,
    category: SubjectCategory | None,
    drafted_by: Any,
    note: str,
) -> Suggestion:
    """A draft for a deputy written by a higher app's service (a citizen issue turned into a formal
    suggestion at tier 4), which has checked who may (`drafted_by` is recorded, not checked). The
    deputy edits and submits it as any draft. The category falls back to the congress's first active
    one; the session is the latest."""
    if not deputy.mandates.filter(congress_id=congress_id, status="serving").exists():
        raise ForbiddenMove(_("%(name)s is not a serving deputy of this congress.") % {"name": deputy.name})
    session = Session.objects.filter(congress_id=congress_id).order_by("-start_date", "-pk").first()
    if session is None:
        raise ForbiddenMove(_("The congress has no session yet; ask the deputy-affairs office."))
    if category is None or category.congress_id != congress_id or not category.is_active:
        category = (
            SubjectCategory.objects.filter(congress_id=congress_id, is_active=True).order_by("sort_order", "pk").first()
        )
    if category is None:
        raise ForbiddenMove(_("The congress has no suggestion categories yet; ask the deputy-affairs office."))
    suggestion = Suggestion.objects.create(
        congress_id=congress_id,
        session=session,
        title=title[:200],
        body=body,
        category=category,
        lead_deputy=deputy,
        created_by=drafted_by if getattr(drafted_by, "is_authenticated", False) else None,
    )
    record_event(
        suggestion=suggestion, actor=drafted_by, action=EventAction.CREATE, to_status=suggestion.status, note=note[:500]
    )
    return suggestion


# --- from a professional group's suggestion ------------------------------------------------------


@transaction.atomic
def suggestion_from_group_output(*, output: Any, actor: Any) -> tuple[Suggestion, bool]:
    """Draft a formal suggestion from a professional group's suggestion (deputies.GroupOutput), for
    the acting deputy, who must be one of its authors; the other serving authors are invited to
    co-sign. Once per output: a second attempt returns the existing suggestion (created False).
    The deputy then edits and submits the draft as any other."""
    from deputies.models import GroupOutput

    deputy_id = get_scope(actor).deputy_id
    output = GroupOutput.objects.select_for_update().select_related("group").get(pk=output.pk)
    author_ids = set(output.authors.values_list("pk", flat=True))
    if deputy_id is None or deputy_id not in author_ids:
        raise NotAllowed(_("Only an author of the group suggestion can turn it into a formal suggestion."))
    if output.kind != "suggestion":
        raise ForbiddenMove(_("Only a group suggestion can become a formal suggestion."))
    existing = Suggestion.objects.filter(group_output=output).order_by("pk").first()
    if existing is not None:
        return existing, False
    session = Session.objects.filter(congress_id=output.congress_id).order_by("-start_date", "-pk").first()
    if session is None:
        raise ForbiddenMove(_("Your congress has no session yet; ask the deputy-affairs office."))
    categories = SubjectCategory.objects.filter(congress_id=output.congress_id, is_active=True)
    category = (
        categories.filter(counterpart_committee_id=output.group.counterpart_committee_id)
        .order_by("sort_order", "pk")
        .first()
        or categories.order_by("sort_order", "pk").first()
    )
    if category is None:
        raise ForbiddenMove(_("Your congress has no suggestion categories yet; ask the deputy-affairs office."))
    cosigners = Deputy.objects.filter(
        pk__in=author_ids - {deputy_id},
        mandates__congress_id=output.congress_id,
        mandates__status="serving",
    ).distinct()
    suggestion = suggestion_create(
        actor=actor,
        deputy=Deputy.objects.get(pk=deputy_id),
        session=session,
        title=output.title,
        body=output.content or output.title,
        category=category,
        cosigners=list(cosigners.order_by("pk")),
    )
    suggestion.group_output = output
    suggestion.save(update_fields=["group_output", "updated_at"])
    return suggestion, True
