"""Choices of liaison stations and the citizens' issue loop."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class StationDeputyRole(models.TextChoices):
    MANAGER = "manager", _("Station manager (站长)")
    LIAISON = "liaison", _("Liaison (联络员)")
    RESIDENT = "resident", _("Resident deputy (进站代表)")


class ChecklistState(models.TextChoices):
    MET = "met", _("Met")
    PARTLY = "partly", _("Partly met")
    NOT_MET = "not_met", _("Not met")


class TaskStatus(models.TextChoices):
    TODO = "todo", _("To do")
    DOING = "doing", _("In progress")
    DONE = "done", _("Done")


class Confidentiality(models.TextChoices):
    PUBLIC = "public", _("May be published")
    CONFIDENTIAL = "confidential", _("Confidential")


class VisitDisposition(models.TextChoices):
    ANSWERED = "answered", _("Answered on the spot")
    LOOP = "loop", _("Taken into the loop")
    SUGGESTION = "suggestion", _("Turned into a suggestion")
    NOT_ACCEPTED = "not_accepted", _("Not accepted")


class Channel(models.TextChoices):
    QR = "qr", _("QR code (码上找代表)")
    VISIT = "visit", _("Visit to the station")
    FORUM = "forum", _("Forum (民情恳谈会)")
    HOTLINE = "hotline", _("Deputies' hotline (民情通达专线)")
    WECHAT = "wechat", _("Residents' WeChat group")
    DEPUTY = "deputy", _("Collected by a deputy")
    OPEN311 = "open311", _("Open311 client")


class IssueStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted, waiting for screening")
    NOT_ACCEPTED = "not_accepted", _("Not accepted")
    HANDLING = "handling", _("Being handled")
    ANSWERED = "answered", _("Answered")
    CLOSED = "closed", _("Closed")
    CONVERTED = "converted", _("Turned into a formal suggestion")


class Tier(models.IntegerChoices):
    """Who handles an issue (分级办): each tier has its own time limit (限时答)."""

    DEPUTY = 1, _("Tier 1: the deputy or the community")
    SUBDISTRICT = 2, _("Tier 2: the subdistrict coordinates")
    UNIT = 3, _("Tier 3: a handling unit of the district")
    SUGGESTION = 4, _("Tier 4: a formal deputy suggestion")


class IssueRating(models.TextChoices):
    SATISFIED = "satisfied", _("Satisfied")
    BASICALLY = "basically", _("Basically satisfied")
    UNSATISFIED = "unsatisfied", _("Unsatisfied")


class CloseReason(models.TextChoices):
    CONFIRMED = "confirmed", _("Confirmed by the citizen")
    QUIET = "quiet", _("No answer from the citizen within the quiet period")
    ANSWERED_ON_SPOT = "on_the_spot", _("Answered on the spot")


class IssueAction(models.TextChoices):
    SUBMIT = "submit", _("Submitted")
    ACCEPT = "accept", _("Accepted")
    REJECT = "reject", _("Not accepted")
    ASSIGN = "assign", _("Assigned")
    ESCALATE = "escalate", _("Raised a tier")
    ANSWER = "answer", _("Answered")
    RATE = "rate", _("Rated")
    REOPEN = "reopen", _("Reopened one tier up")
    CLOSE = "close", _("Closed")
    CONVERT = "convert", _("Turned into a formal suggestion")
    OUTCOME = "outcome", _("Outcome recorded")
