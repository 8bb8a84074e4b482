"""Models of the deputies app: the registry and duty record, and committee-driven deputy work."""

from .activities import Activity, Invitation
from .groups import GroupMembership, GroupOutput, ProfessionalGroup, SpecialSupervisor
from .legislation import DraftComment, DraftProvision, DraftRegulation, LegislativeProposal, LegislativeRound
from .meetings import AgendaTopic, Meeting, MeetingOpinion
from .registry import (
    ActivityRecord,
    ActivityType,
    Delegation,
    Deputy,
    DutyRules,
    DutySnapshot,
    Mandate,
    new_public_code,
)
from .supervision import Campaign, CampaignOpinion, EvaluationGroup, EvaluationProject, EvaluationScore
from .training import LearningMaterial, MaterialCompletion, PlannedCourse, TrainingPlan

__all__ = [
    "Activity",
    "ActivityRecord",
    "ActivityType",
    "AgendaTopic",
    "Campaign",
    "CampaignOpinion",
    "Delegation",
    "Deputy",
    "DraftComment",
    "DraftProvision",
    "DraftRegulation",
    "DutyRules",
    "DutySnapshot",
    "EvaluationGroup",
    "EvaluationProject",
    "EvaluationScore",
    "GroupMembership",
    "GroupOutput",
    "Invitation",
    "LearningMaterial",
    "LegislativeProposal",
    "LegislativeRound",
    "Mandate",
    "MaterialCompletion",
    "Meeting",
    "MeetingOpinion",
    "PlannedCourse",
    "ProfessionalGroup",
    "SpecialSupervisor",
    "TrainingPlan",
    "new_public_code",
]
