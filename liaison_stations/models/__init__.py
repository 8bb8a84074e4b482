"""Models of liaison stations: stations and their checklist, blocks, receptions, and the citizens' issues."""

from .blocks import Block, BlockTask
from .issues import IssueAnswer, IssueEvent, IssuePhoto, IssueRules, PublicIssue, new_tracking_code
from .receptions import Forum, ReceptionDay, Visit
from .stations import (
    ChecklistEvidence,
    ChecklistItem,
    ChecklistStatus,
    Station,
    StationDeputy,
    StationDocument,
    StationStaff,
)

__all__ = [
    "Block",
    "BlockTask",
    "ChecklistEvidence",
    "ChecklistItem",
    "ChecklistStatus",
    "Forum",
    "IssueAnswer",
    "IssueEvent",
    "IssuePhoto",
    "IssueRules",
    "PublicIssue",
    "ReceptionDay",
    "Station",
    "StationDeputy",
    "StationDocument",
    "StationStaff",
    "Visit",
    "new_tracking_code",
]
