"""Deputies' suggestions (代表建议) and their handling by units: the suggestion and assignment state
machines, rounds, replies, evaluations, supervision, reminders and the per-congress rules."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, FSMModelMixin, transition
from simple_history.models import HistoricalRecords

from congress.models import TenantModel, TimeStampedModel
from congress.uploads import RandomName, UploadValidator

from .choices import (
    AssignmentRole,
    AssignmentStatus,
    CloseReason,
    CommunicationWay,
    Confidentiality,
    CosignerStatus,
    EventAction,
    ExclusionReason,
    HandlingRoundReason,
    Publication,
    Rating,
    RequestStatus,
    SuggestionStatus,
    SupervisionActionKind,
    SupervisionStatus,
    SupervisionTrigger,
)
from .querysets import (
    AssignmentQuerySet,
    SuggestionChildQuerySet,
    SuggestionQuerySet,
    SupervisionActionQuerySet,
    SupervisionCaseQuerySet,
)

S = SuggestionStatus
A = AssignmentStatus
# The desk shows amber from about the first reminder (T-15 working days ≈ 21 calendar days) on;
# calendar days keep the list free of a calendar lookup per row.
URGENT_DAYS = 21

offsets_validator = RegexValidator(
    r"^\d{1,3}(,\d{1,3})*$", _("Enter whole numbers of working days separated by commas, e.g. 15,7,3,1.")
)


class HandlingRules(TimeStampedModel):
    """The numbers of the handling rules, per congress (defaults from the national rules)."""

    congress = models.OneToOneField(
        "congress.Congress", on_delete=models.CASCADE, related_name="handling_rules", verbose_name=_("congress")
    )
    answer_months = models.PositiveSmallIntegerField(
        _("answer deadline (months after assignment)"), default=3, validators=[MinValueValidator(1)]
    )
    extension_max_months = models.PositiveSmallIntegerField(
        _("longest total time with extensions (months after assignment)"), default=6, validators=[MinValueValidator(1)]
    )
    co_opinion_months = models.PositiveSmallIntegerField(
        _("co-handling opinion due (months after assignment)"), default=1, validators=[MinValueValidator(1)]
    )
    adjustment_window_working_days = models.PositiveSmallIntegerField(
        _("adjustment request window (working days)"), default=5, validators=[MaxValueValidator(30)]
    )
    rehandling_months = models.PositiveSmallIntegerField(
        _("re-handling deadline (months)"), default=1, validators=[MinValueValidator(1)]
    )
    evaluation_window_working_days = models.PositiveSmallIntegerField(
        _("evaluation window for the deputy (working days)"), default=20, validators=[MinValueValidator(1)]
    )
    publication_working_days = models.PositiveSmallIntegerField(
        _("publication of a reply (working days after replying)"), default=20
    )
    follow_up_months = models.PositiveSmallIntegerField(_("follow-up reply for B/C (months)"), default=6)
    reminder_offsets = models.CharField(
        _("reminders before the due date (working days)"),
        max_length=50,
        default="15,7,3,1",
        validators=[offsets_validator],
    )
    overdue_reminder_interval_days = models.PositiveSmallIntegerField(
        _("reminder interval while overdue (days)"), default=7, validators=[MinValueValidator(1)]
    )

    class Meta:
        verbose_name = _("handling rules")
        verbose_name_plural = _("handling rules")
        ordering = ["congress_id"]

    def __str__(self) -> str:
        return str(self.congress)

    @property
    def reminder_offset_days(self) -> list[int]:
        return sorted({int(part) for part in self.reminder_offsets.split(",") if part}, reverse=True)


class ReplyClass(TenantModel):
    """A class of reply (A/B/C/D or 甲乙丙): a table, since localities differ."""

    history = HistoricalRecords(excluded_fields=["updated_at"])

    code = models.CharField(_("code"), max_length=8)
    name = models.CharField(_("name"), max_length=100)
    counts_as_solved = models.BooleanField(_("counts as solved"), default=False)
    counts_as_planned = models.BooleanField(_("counts as solved or planned"), default=False)
    needs_follow_up = models.BooleanField(_("needs a follow-up reply"), default=False)
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=0)

    class Meta:
        verbose_name = _("reply class")
        verbose_name_plural = _("reply classes")
        ordering = ["congress_id", "sort_order", "code"]
        constraints = [models.UniqueConstraint(fields=["congress", "code"], name="reply_class_unique_code")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class KeySuggestionTopic(TenantModel):
    """A yearly key topic (重点督办): a supervising leader and committee, and the lead units."""

    history = HistoricalRecords(excluded_fields=["updated_at"])

    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=200)
    leader = models.CharField(_("supervising leader"), max_length=50)
    committee = models.ForeignKey(
        "congress.Committee", on_delete=models.PROTECT, related_name="key_topics", verbose_name=_("committee")
    )
    lead_units = models.ManyToManyField(
        "congress.HandlingUnit", related_name="key_topics", blank=True, verbose_name=_("lead units")
    )
    same_congress_fields = ("committee",)

    class Meta:
        verbose_name = _("key suggestion topic")
        verbose_name_plural = _("key suggestion topics")
        ordering = ["congress_id", "-year", "title"]

    def __str__(self) -> str:
        return f"{self.year} {self.title}"


class SuggestionCounter(models.Model):
    """The last number given per congress and session; locked to give gap-free numbers."""

    congress = models.ForeignKey("congress.Congress", on_delete=models.CASCADE, related_name="+")
    session = models.ForeignKey("congress.Session", on_delete=models.CASCADE, related_name="+")
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["congress", "session"], name="suggestion_counter_unique")]

    def __str__(self) -> str:
        return f"{self.congress_id}/{self.session_id}: {self.last_number}"


class Suggestion(FSMModelMixin, TenantModel):
    """A deputy's suggestion, criticism or opinion (代表建议) and where it stands."""

    history = HistoricalRecords(excluded_fields=["updated_at"])

    session = models.ForeignKey(
        "congress.Session", on_delete=models.PROTECT, related_name="suggestions", verbose_name=_("session")
    )
    number = models.PositiveIntegerField(_("number"), null=True, blank=True, editable=False)
    title = models.CharField(_("title (案由)"), max_length=200)
    body = models.TextField(_("text"))
    category = models.ForeignKey(
        "congress.SubjectCategory", on_delete=models.PROTECT, related_name="suggestions", verbose_name=_("category")
    )
    lead_deputy = models.ForeignKey(
        "deputies.Deputy", on_delete=models.PROTECT, related_name="led_suggestions", verbose_name=_("lead deputy")
    )
    raised_in_session = models.BooleanField(_("raised during the session"), default=False)
    is_key = models.BooleanField(_("key suggestion"), default=False, db_index=True)
    key_topic = models.ForeignKey(
        KeySuggestionTopic,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="suggestions",
        verbose_name=_("key topic"),
    )
    confidentiality = models.CharField(
        _("confidentiality"), max_length=16, choices=Confidentiality.choices, default=Confidentiality.PUBLIC
    )
    publication = models.CharField(
        _("publication of the reply"), max_length=16, choices=Publication.choices, default=Publication.FULL
    )
    status = FSMField(_("status"), default=S.DRAFT, choices=S.choices, protected=True, db_index=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    frozen = models.JSONField(_("copy as submitted"), default=dict, blank=True, editable=False)
    return_reason = models.TextField(_("reason for returning"), blank=True)
    exclusion_reason = models.CharField(
        _("reason for not accepting"), max_length=24, choices=ExclusionReason.choices, blank=True
    )
    review_note = models.TextField(_("review note"), blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    close_reason = models.CharField(_("closed because"), max_length=16, choices=CloseReason.choices, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    group_output = models.ForeignKey(
        "deputies.GroupOutput",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="formal_suggestions",
        verbose_name=_("from the group suggestion"),
        help_text=_("The professional group's suggestion this formal suggestion was drafted from."),
    )

    objects = SuggestionQuerySet.as_manager()
    same_congress_fields = ("session", "category", "key_topic")

    class Meta:
        verbose_name = _("suggestion")
        verbose_name_plural = _("suggestions")
        ordering = ["congress_id", "-session_id", "number", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["congress", "session", "number"],
                condition=models.Q(number__isnull=False),
                name="suggestion_unique_number",
            ),
        ]
        indexes = [
            models.Index(fields=["congress", "status"], name="suggestion_congress_status"),
            models.Index(fields=["lead_deputy", "status"], name="suggestion_deputy_status"),
            models.Index(fields=["category", "status"], name="suggestion_category_status"),
            models.Index(fields=["congress", "submitted_at"], name="suggestion_congress_submitted"),
        ]

    def __str__(self) -> str:
        return f"{self.number_display} {self.title}".strip()

    def get_absolute_url(self) -> str:
        return reverse("suggestions:portal_detail", args=[self.pk])

    @property
    def number_display(self) -> str:
        return _("No. %(number)04d") % {"number": self.number} if self.number else ""

    # --- the suggestion's state machine (services call these, inside a transaction) -------------
    @transition(field=status, source=S.DRAFT, target=S.SUBMITTED)
    def submit(self) -> None:
        """Frozen from here on: the text and co-signers are kept as submitted."""

    @transition(field=status, source=S.SUBMITTED, target=S.DRAFT)
    def return_to_deputy(self) -> None:
        """置回: back to the deputy to revise, with a reason."""

    @transition(field=status, source=S.SUBMITTED, target=S.REJECTED)
    def reject(self) -> None:
        """不予立案: handled as a letter, with one of the exclusion reasons."""

    @transition(field=status, source=S.SUBMITTED, target=S.ACCEPTED)
    def accept(self) -> None:
        """立案."""

    @transition(field=status, source=[S.ACCEPTED, S.PRE_ASSIGNED], target=S.PRE_ASSIGNED)
    def pre_assign(self) -> None:
        """预交办 during the session: units see it, the clock does not run, the deputy may revise."""

    @transition(field=status, source=[S.ACCEPTED, S.PRE_ASSIGNED], target=S.ASSIGNED)
    def assign(self) -> None:
        """交办: the clock starts for every unit."""

    @transition(field=status, source=S.ASSIGNED, target=S.REPLIED)
    def mark_replied(self) -> None:
        """Every lead or split unit has replied in the current round."""

    @transition(field=status, source=S.REPLIED, target=S.ASSIGNED)
    def reopen(self) -> None:
        """Re-handling after 不满意, or a unit re-assigned after an adjustment."""

    @transition(field=status, source=S.REPLIED, target=S.CLOSED)
    def close(self) -> None:
        """Satisfied, no feedback in time, or closed with an explanation."""

    @transition(field=status, source=[S.DRAFT, S.SUBMITTED], target=S.WITHDRAWN)
    def withdraw(self) -> None:
        """撤回 by the lead deputy."""

    @property
    def is_editable(self) -> bool:
        return self.status in {S.DRAFT, S.PRE_ASSIGNED}


class SuggestionChild(TenantModel):
    """A row hanging off a suggestion: carries the suggestion's congress for scoping, and says
    how to reach its suggestion (`suggestion_path`) so it is visible exactly with it."""

    suggestion_path = "suggestion"

    objects = SuggestionChildQuerySet.as_manager()

    class Meta:
        abstract = True


class GuidanceRequest(SuggestionChild):
    """A deputy asks a committee for policy help while drafting; the committee answers."""

    history = HistoricalRecords(excluded_fields=["updated_at"])

    suggestion = models.ForeignKey(Suggestion, on_delete=models.CASCADE, related_name="guidance_requests")
    committee = models.ForeignKey(
        "congress.Committee", on_delete=models.PROTECT, related_name="guidance_requests", verbose_name=_("committee")
    )
    question = models.TextField(_("question"))
    answer = models.TextField(_("answer"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("guidance request")
        verbose_name_plural = _("guidance requests")
        ordering = ["-created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.suggestion} → {self.committee}"


class Cosigner(FSMModelMixin, SuggestionChild):
    """A deputy invited to sign a joint suggestion (联名); must confirm before it can be submitted."""

    history = HistoricalRecords(excluded_fields=["updated_at"])

    suggestion = models.ForeignKey(Suggestion, on_delete=models.CASCADE, related_name="cosigners")
    deputy = models.ForeignKey(
        "deputies.Deputy", on_delete=models.PROTECT, related_name="cosignatures", verbose_name=_("deputy")
    )
    status = FSMField(_("status"), default=CosignerStatus.INVITED, choices=CosignerStatus.choices, protected=True)
    responded_at = models.DateTimeField(_("responded at"), null=True, blank=True)

    class Meta:
        verbose_name = _("co-signer")
        verbose_name_plural = _("co-signers")
        ordering = ["suggestion_id", "pk"]
        constraints = [models.UniqueConstraint(fields=["suggestion", "deputy"], name="cosigner_unique")]

    def __str__(self) -> str:
        return str(self.deputy)

    @transition(field=status, source=CosignerStatus.INVITED, target=CosignerStatus.CONFIRMED)
    def confirm(self) -> None:
        """附议: the invited deputy signs; the suggestion can be submitted once all have answered."""

    @transition(field=status, source=CosignerStatus.INVITED, target=CosignerStatus.DECLINED)
    def decline(self) -> None:
        """The invited deputy declines and is not a co-signer."""


class UnitProposal(SuggestionChild):
    """A committee's proposal, after the session, to give a suggestion to other units."""

    suggestion = models.ForeignKey(Suggestion, on_delete=models.CASCADE, related_name="unit_proposals")
    committee = models.ForeignKey("congress.Committee", on_delete=models.PROTECT, related_name="+")
    units = models.ManyToManyField("congress.HandlingUnit", related_name="+", verbose_name=_("proposed units"))
    reason = models.TextField(_("reason"))
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        verbose_name = _("unit proposal")
        verbose_name_plural = _("unit proposals")
        ordering = ["-created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.suggestion} ← {self.committee}"


class Assignment(FSMModelMixin, SuggestionChild):
    """A suggestion given to one unit (交办) as lead, co-handling or split unit. The delivery track
    (assigned, signed) is kept apart from the handling track (rounds, replies, evaluations)."""

    history = HistoricalRecords(excluded_fields=["updated_at"])

    suggestion = models.ForeignKey(Suggestion, on_delete=models.CASCADE, related_name="assignments")
    unit = models.ForeignKey(
        "congress.HandlingUnit", on_delete=models.PROTECT, related_name="assignments", verbose_name=_("unit")
    )
    role = models.CharField(_("role"), max_length=8, choices=AssignmentRole.choices)
    status = FSMField(_("status"), default=A.PRE_ASSIGNED, choices=A.choices, protected=True, db_index=True)
    assigned_on = models.DateField(_("assigned on"), null=True, blank=True)
    due_on = models.DateField(_("due on"), null=True, blank=True, db_index=True)
    original_due_on = models.DateField(_("first due date"), null=True, blank=True)
    latest_due_on = models.DateField(_("latest allowed due date"), null=True, blank=True)
    adjustment_deadline = models.DateField(_("adjustment requests until"), null=True, blank=True)
    signed_at = models.DateTimeField(_("signed for at"), null=True, blank=True)
    replied_on = models.DateField(_("replied on"), null=True, blank=True)
    # Kept by the services for the figures (a reply or rating never has to be looked up per row):
    first_replied_on = models.DateField(_("first replied on"), null=True, blank=True, editable=False)
    first_reply_due_on = models.DateField(
        _("due date in force at the first reply"), null=True, blank=True, editable=False
    )
    reply_class = models.ForeignKey(
        ReplyClass,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("class of the latest reply"),
    )
    rating = models.CharField(
        _("latest rating of the result"), max_length=24, choices=Rating.choices, blank=True, editable=False
    )

    objects = AssignmentQuerySet.as_manager()
    same_congress_fields = ("unit",)

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ["suggestion_id", "role", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["suggestion", "unit"],
                condition=~models.Q(status=AssignmentStatus.CANCELLED),
                name="assignment_one_live_per_unit",
            ),
            models.CheckConstraint(
                condition=models.Q(due_on__isnull=True) | models.Q(due_on__gt=models.F("assigned_on")),
                name="assignment_due_after_assigned",
            ),
        ]
        indexes = [
            models.Index(fields=["unit", "status", "due_on"], name="assignment_unit_status_due"),
            # The unit's to-do list: live assignments by due date (EXPLAIN on 385k assignments, docs/PERFORMANCE.md).
            models.Index(fields=["unit", "due_on"], name="assignment_unit_due"),
            models.Index(fields=["status", "due_on"], name="assignment_status_due"),
            models.Index(fields=["congress", "role", "status"], name="assignment_congress_role"),
        ]

    def __str__(self) -> str:
        return f"{self.suggestion} · {self.unit} ({self.get_role_display()})"

    @property
    def answers(self) -> bool:
        """Lead and split units reply to the deputy; co-handling units send an opinion to the lead."""
        return self.role in {AssignmentRole.LEAD, AssignmentRole.SPLIT}

    def days_left(self, today: datetime.date | None = None) -> int | None:
        if self.due_on is None:
            return None
        return (self.due_on - (today or timezone.localdate())).days

    @property
    def urgency(self) -> str:
        """Red when overdue, amber within three weeks of the due date, green otherwise (for the desk)."""
        days = self.days_left()
        if days is None or self.status not in {A.ASSIGNED, A.SIGNED, A.ADJUSTMENT_REQUESTED}:
            return "secondary"
        if days < 0:
            return "danger"
        return "warning" if days <= URGENT_DAYS else "success"

    @transition(field=status, source=A.PRE_ASSIGNED, target=A.ASSIGNED)
    def assign(self) -> None:
        """The clock starts."""

    @transition(field=status, source=A.ASSIGNED, target=A.SIGNED)
    def sign(self) -> None:
        """签收 (the clock already runs; refusing to sign does not stop it)."""

    @transition(field=status, source=[A.ASSIGNED, A.SIGNED], target=A.ADJUSTMENT_REQUESTED)
    def request_adjustment(self) -> None:
        """申请调整 inside the window: "not ours", naming the right unit; staff decide."""

    @transition(field=status, source=A.ADJUSTMENT_REQUESTED, target=A.ASSIGNED)
    def keep(self) -> None:
        """The adjustment was refused: the unit keeps the item (and signs again)."""

    @transition(field=status, source=[A.PRE_ASSIGNED, A.ASSIGNED, A.SIGNED, A.ADJUSTMENT_REQUESTED], target=A.CANCELLED)
    def cancel(self) -> None:
        """Taken off this unit (approved adjustment, or the pre-assignment changed)."""

    @transition(field=status, source=[A.ASSIGNED, A.SIGNED], target=A.OPINION_SENT)
    def send_opinion(self) -> None:
        """A co-handling unit's opinion to the lead unit."""

    @transition(field=status, source=[A.ASSIGNED, A.SIGNED], target=A.REPLIED)
    def reply(self) -> None:
        """答复 by a lead or split unit in the current round."""

    @transition(field=status, source=A.REPLIED, target=A.ASSIGNED)
    def reopen(self) -> None:
        """Re-handling round after 不满意."""


class UnitRequest(SuggestionChild):
    """A unit's request on its assignment that deputy-affairs office staff decide."""

    suggestion_path = "assignment__suggestion"

    reason = models.TextField(_("reason"))
    status = models.CharField(_("status"), max_length=10, choices=RequestStatus.choices, default=RequestStatus.PENDING)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["-created_at", "pk"]

    def __str__(self) -> str:
        return str(self.assignment)  # type: ignore[attr-defined]


class AdjustmentRequest(UnitRequest):
    """A unit says "not ours" (申请调整) within the window, naming the right unit; staff decide."""

    history = HistoricalRecords(excluded_fields=["updated_at"])

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="adjustment_requests")
    suggested_unit = models.ForeignKey(
        "congress.HandlingUnit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("suggested unit"),
    )
    decision_note = models.TextField(_("decision note"), blank=True)

    class Meta(UnitRequest.Meta):
        verbose_name = _("adjustment request")
        verbose_name_plural = _("adjustment requests")
        constraints = [
            models.UniqueConstraint(
                fields=["assignment"], condition=models.Q(status="pending"), name="adjustment_one_pending"
            )
        ]


class ExtensionRequest(UnitRequest):
    """A unit asks for more time; staff decide, with a written note to the deputy."""

    history = HistoricalRecords(excluded_fields=["updated_at"])

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="extension_requests")
    requested_due_on = models.DateField(_("requested due date"))
    note_to_deputy = models.TextField(_("note to the deputy"), blank=True)

    class Meta(UnitRequest.Meta):
        verbose_name = _("extension request")
        verbose_name_plural = _("extension requests")
        constraints = [
            models.UniqueConstraint(
                fields=["assignment"], condition=models.Q(status="pending"), name="extension_one_pending"
            )
        ]


class CoUnitOpinion(SuggestionChild):
    """A co-handling unit's opinion (会办意见) to the lead unit."""

    suggestion_path = "assignment__suggestion"

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="opinions")
    text = models.TextField(_("opinion"))
    attachment = models.FileField(
        _("attachment"),
        upload_to=RandomName("suggestions/opinions"),
        validators=[UploadValidator("document", 10)],
        blank=True,
    )
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        verbose_name = _("co-handling opinion")
        verbose_name_plural = _("co-handling opinions")
        ordering = ["-created_at", "pk"]

    def __str__(self) -> str:
        return str(self.assignment)


class Communication(SuggestionChild):
    """The unit's contact with the deputy before replying (沟通), as the rules require."""

    suggestion_path = "assignment__suggestion"

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="communications")
    way = models.CharField(_("way"), max_length=10, choices=CommunicationWay.choices)
    date = models.DateField(_("date"))
    summary = models.TextField(_("summary"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        verbose_name = _("communication")
        verbose_name_plural = _("communications")
        ordering = ["-date", "pk"]

    def __str__(self) -> str:
        return f"{self.assignment} · {self.get_way_display()} {self.date}"


class HandlingRound(SuggestionChild):
    """One round of handling for a lead or split unit: the first, or a re-handling after 不满意."""

    history = HistoricalRecords(excluded_fields=["updated_at"])

    suggestion_path = "assignment__suggestion"

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="rounds")
    number = models.PositiveSmallIntegerField(_("round"))
    reason = models.CharField(_("reason"), max_length=12, choices=HandlingRoundReason.choices)
    opened_on = models.DateField(_("opened on"))
    due_on = models.DateField(_("due on"))

    class Meta:
        verbose_name = _("handling round")
        verbose_name_plural = _("handling rounds")
        ordering = ["assignment_id", "number"]
        constraints = [models.UniqueConstraint(fields=["assignment", "number"], name="round_unique_number")]

    def __str__(self) -> str:
        return _("Round %(number)s") % {"number": self.number}


class Reply(SuggestionChild):
    """A unit's written answer (答复) in a round, or a follow-up when a B/C item is done."""

    history = HistoricalRecords(excluded_fields=["updated_at"])

    suggestion_path = "assignment__suggestion"

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="replies")
    round = models.ForeignKey(HandlingRound, on_delete=models.CASCADE, related_name="replies")
    reply_class = models.ForeignKey(ReplyClass, on_delete=models.PROTECT, related_name="+", verbose_name=_("class"))
    document_number = models.CharField(_("document number"), max_length=50)
    signer = models.CharField(_("signed by"), max_length=50)
    text = models.TextField(_("text"))
    attachment = models.FileField(
        _("file"), upload_to=RandomName("suggestions/replies"), validators=[UploadValidator("document", 10)], blank=True
    )
    publication = models.CharField(
        _("publication"), max_length=16, choices=Publication.choices, default=Publication.FULL
    )
    public_summary = models.TextField(_("summary for publication"), blank=True)
    replied_on = models.DateField(_("replied on"))
    is_follow_up = models.BooleanField(_("follow-up reply"), default=False)
    evaluation_due_on = models.DateField(_("evaluation due on"), null=True, blank=True, db_index=True)
    follow_up_due_on = models.DateField(_("follow-up due on"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    replied_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        verbose_name = _("reply")
        verbose_name_plural = _("replies")
        ordering = ["assignment_id", "round_id", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["round"], condition=models.Q(is_follow_up=False), name="reply_one_answer_per_round"
            )
        ]

    def __str__(self) -> str:
        return f"{self.document_number} ({self.reply_class.code})"


class Evaluation(SuggestionChild):
    """The deputy's rating of a reply (征询意见): attitude and result."""

    history = HistoricalRecords(excluded_fields=["updated_at"])

    suggestion_path = "reply__assignment__suggestion"

    reply = models.OneToOneField(Reply, on_delete=models.CASCADE, related_name="evaluation")
    deputy = models.ForeignKey("deputies.Deputy", on_delete=models.PROTECT, related_name="evaluations")
    attitude = models.CharField(_("handling attitude"), max_length=24, choices=Rating.choices)
    result = models.CharField(_("handling result"), max_length=24, choices=Rating.choices)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        ordering = ["-created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.reply}: {self.get_result_display()}"


class SupervisionCase(SuggestionChild):
    """A committee follows a suggestion up (督办): after 不满意, when overdue, for key items, or on
    its own initiative. Exactly one case per unsatisfied evaluation. A higher app may open a case on
    something that is not a suggestion (a deputy unsatisfied with a hotline issue): then `suggestion`
    is empty and `subject`/`subject_url` say what it is about, and `source_key` keeps it once."""

    history = HistoricalRecords(excluded_fields=["updated_at"])

    suggestion = models.ForeignKey(
        Suggestion, on_delete=models.CASCADE, null=True, blank=True, related_name="supervision_cases"
    )
    subject = models.CharField(
        _("subject"), max_length=200, blank=True, help_text=_("What the case is about when it is not a suggestion.")
    )
    subject_url = models.CharField(_("link to the subject"), max_length=200, blank=True)
    source_key = models.CharField(
        _("source"),
        max_length=64,
        blank=True,
        help_text=_("Set by the app that opened the case (e.g. public_issue:12:1): one case per source."),
    )
    assignment = models.ForeignKey(
        Assignment, on_delete=models.CASCADE, null=True, blank=True, related_name="supervision_cases"
    )
    round = models.ForeignKey(
        HandlingRound, on_delete=models.SET_NULL, null=True, blank=True, related_name="supervision_cases"
    )
    evaluation = models.OneToOneField(
        Evaluation, on_delete=models.PROTECT, null=True, blank=True, related_name="supervision_case"
    )
    committee = models.ForeignKey(
        "congress.Committee", on_delete=models.PROTECT, related_name="supervision_cases", verbose_name=_("committee")
    )
    trigger = models.CharField(_("trigger"), max_length=12, choices=SupervisionTrigger.choices)
    status = models.CharField(
        _("status"), max_length=8, choices=SupervisionStatus.choices, default=SupervisionStatus.OPEN, db_index=True
    )
    opened_on = models.DateField(_("opened on"))
    due_on = models.DateField(_("due on"), null=True, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    outcome = models.TextField(_("outcome"), blank=True)

    objects = SupervisionCaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("supervision case")
        verbose_name_plural = _("supervision cases")
        ordering = ["-opened_on", "pk"]
        indexes = [models.Index(fields=["committee", "status"], name="supervision_committee_status")]
        constraints = [
            models.UniqueConstraint(
                fields=["round"],
                condition=models.Q(trigger="unsatisfied"),
                name="supervision_one_per_unsatisfied_round",
            ),
            models.UniqueConstraint(
                fields=["source_key"], condition=~models.Q(source_key=""), name="supervision_one_per_source"
            ),
            models.CheckConstraint(
                condition=models.Q(suggestion__isnull=False) | ~models.Q(subject=""),
                name="supervision_has_a_subject",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.subject_display} · {self.committee}"

    @property
    def subject_display(self) -> str:
        """The suggestion, or the subject text of a case on something else."""
        return str(self.suggestion) if self.suggestion_id else self.subject


class SupervisionAction(SuggestionChild):
    """Something a committee did on a supervision case."""

    suggestion_path = "case__suggestion"

    case = models.ForeignKey(SupervisionCase, on_delete=models.CASCADE, related_name="actions")
    kind = models.CharField(_("kind"), max_length=16, choices=SupervisionActionKind.choices)
    date = models.DateField(_("date"))
    note = models.TextField(_("note"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")

    objects = SupervisionActionQuerySet.as_manager()

    class Meta:
        verbose_name = _("supervision action")
        verbose_name_plural = _("supervision actions")
        ordering = ["case_id", "date", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.date}"


class SuggestionEvent(SuggestionChild):
    """One move on a suggestion or one of its assignments: the timeline users see."""

    suggestion = models.ForeignKey(Suggestion, on_delete=models.CASCADE, related_name="events")
    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, null=True, blank=True, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    action = models.CharField(_("action"), max_length=24, choices=EventAction.choices)
    from_status = models.CharField(_("from"), max_length=24, blank=True)
    to_status = models.CharField(_("to"), max_length=24, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["suggestion_id", "created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.created_at:%Y-%m-%d %H:%M}"


class ReminderDispatch(models.Model):
    """A reminder sent once: unique per target, kind and due date, so a retry sends nothing twice."""

    target_type = models.CharField(_("target type"), max_length=32)
    target_id = models.PositiveBigIntegerField(_("target"))
    kind = models.CharField(_("kind"), max_length=32)
    due_on = models.DateField(_("due on"))
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)
    recipients = models.PositiveSmallIntegerField(_("recipients"), default=0)

    class Meta:
        verbose_name = _("reminder sent")
        verbose_name_plural = _("reminders sent")
        ordering = ["-sent_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["target_type", "target_id", "kind", "due_on"], name="reminder_once")
        ]

    def __str__(self) -> str:
        return f"{self.target_type}#{self.target_id} {self.kind} {self.due_on}"
