"""Choices of the suggestion workflow."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class SuggestionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    ACCEPTED = "accepted", _("Accepted")
    PRE_ASSIGNED = "pre_assigned", _("Pre-assigned")
    ASSIGNED = "assigned", _("Assigned")
    REPLIED = "replied", _("Replied")
    CLOSED = "closed", _("Closed")
    REJECTED = "rejected", _("Not accepted")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class AssignmentStatus(models.TextChoices):
    PRE_ASSIGNED = "pre_assigned", _("Pre-assigned")
    ASSIGNED = "assigned", _("Assigned")
    SIGNED = "signed", _("Signed for")
    ADJUSTMENT_REQUESTED = "adjustment_requested", _("Adjustment requested")
    OPINION_SENT = "opinion_sent", _("Opinion sent")
    REPLIED = "replied", _("Replied")
    CANCELLED = "cancelled", _("Cancelled")


class AssignmentRole(models.TextChoices):
    LEAD = "lead", _("Lead unit")
    CO = "co", _("Co-handling unit")
    SPLIT = "split", _("Split unit")


class AssignmentMode(models.TextChoices):
    LEAD = "lead", _("Lead and co-handling units")
    SPLIT = "split", _("Split: each unit answers separately")


class CosignerStatus(models.TextChoices):
    INVITED = "invited", _("Invited")
    CONFIRMED = "confirmed", _("Confirmed")
    DECLINED = "declined", _("Declined")


class Confidentiality(models.TextChoices):
    PUBLIC = "public", _("Public")
    CONFIDENTIAL = "confidential", _("Confidential (not to be published)")


class Publication(models.TextChoices):
    FULL = "full", _("Full text")
    SUMMARY = "summary", _("Summary")
    WITHHELD = "withheld", _("Not published")


class ExclusionReason(models.TextChoices):
    """Why a submission is not accepted as a suggestion (handled as a letter instead)."""

    PERSONAL = "personal", _("Personal or family matter")
    COURT_CASE = "court_case", _("A specific court case")
    FORWARDED_LETTER = "forwarded_letter", _("A citizen's letter forwarded")
    ACADEMIC = "academic", _("Academic discussion")
    PROMOTION = "promotion", _("Product or business promotion")
    NO_SUBSTANCE = "no_substance", _("No substantive content")
    OUTSIDE_POWERS = "outside_powers", _("Outside the congress's powers")


class ReviewDecision(models.TextChoices):
    ACCEPT = "accept", _("Accept (立案)")
    RETURN = "return", _("Return to the deputy (置回)")
    REJECT = "reject", _("Do not accept (不予立案)")


class Rating(models.TextChoices):
    SATISFIED = "satisfied", _("Satisfied")
    BASICALLY_SATISFIED = "basically_satisfied", _("Basically satisfied")
    UNSATISFIED = "unsatisfied", _("Unsatisfied")


class RequestStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")


class CommunicationWay(models.TextChoices):
    MEETING = "meeting", _("Face-to-face meeting")
    VISIT = "visit", _("Visit")
    PHONE = "phone", _("Telephone")
    LETTER = "letter", _("Letter")
    ONLINE = "online", _("Online")


class CloseReason(models.TextChoices):
    SATISFIED = "satisfied", _("Deputy satisfied")
    NO_FEEDBACK = "no_feedback", pgettext_lazy("evaluation", "No feedback in time")
    EXPLAINED = "explained", _("Closed with an explanation after re-handling")


class SupervisionTrigger(models.TextChoices):
    UNSATISFIED = "unsatisfied", _("Deputy unsatisfied")
    OVERDUE = "overdue", _("Overdue")
    KEY = "key", _("Key suggestion")
    INITIATIVE = "initiative", _("Committee's own initiative")
    HOTLINE = "hotline", _("Deputy unsatisfied with a hotline issue")


class SupervisionStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class SupervisionActionKind(models.TextChoices):
    MEETING = "meeting", _("Supervision meeting")
    VISIT = "visit", _("Site visit")
    LETTER = "letter", _("Supervision letter")
    FACE_TO_FACE = "face_to_face", _("Face-to-face meeting with the deputy")
    NOTE = "note", _("Note")


class HandlingRoundReason(models.TextChoices):
    INITIAL = "initial", _("First handling")
    REHANDLING = "rehandling", _("Re-handling after an unsatisfied rating")


class EventAction(models.TextChoices):
    CREATE = "create", _("Drafted")
    EDIT = "edit", _("Edited")
    GUIDANCE_REQUEST = "guidance_request", _("Asked a committee for guidance")
    GUIDANCE_ANSWER = "guidance_answer", _("Committee gave guidance")
    INVITE = "invite", _("Invited a co-signer")
    COSIGN = "cosign", _("Co-signer confirmed")
    DECLINE = "decline", _("Co-signer declined")
    SUBMIT = "submit", _("Submitted")
    ACCEPT = "accept", _("Accepted (立案)")
    RETURN = "return", _("Returned to the deputy (置回)")
    REJECT = "reject", _("Not accepted (不予立案)")
    WITHDRAW = "withdraw", _("Withdrawn")
    PRE_ASSIGN = "pre_assign", _("Pre-assigned")
    PROPOSE_ADJUSTMENT = "propose_adjustment", _("Committee proposed other units")
    ASSIGN = "assign", _("Assigned")
    SIGN = "sign", _("Signed for")
    REQUEST_ADJUSTMENT = "request_adjustment", _("Unit asked for an adjustment")
    DECIDE_ADJUSTMENT = "decide_adjustment", _("Adjustment decided")
    REQUEST_EXTENSION = "request_extension", _("Unit asked for an extension")
    DECIDE_EXTENSION = "decide_extension", _("Extension decided")
    OPINION = "opinion", _("Co-handling opinion sent")
    COMMUNICATE = "communicate", _("Unit contacted the deputy")
    REPLY = "reply", _("Replied")
    FOLLOW_UP = "follow_up", _("Follow-up reply")
    EVALUATE = "evaluate", _("Deputy rated the reply")
    REHANDLE = "rehandle", _("Re-handling round opened")
    SUPERVISE = "supervise", _("Supervision case opened")
    SUPERVISION_ACTION = "supervision_action", _("Supervision action recorded")
    CLOSE_SUPERVISION = "close_supervision", _("Supervision case closed")
    CLOSE = "close", _("Closed")
    PUBLISH = "publish", _("Reply published")
