"""Leaders' dashboard and the statistics API: reads every app, writes nothing."""

from django.apps import AppConfig, apps
from django.utils.translation import gettext_lazy as _

# The records the figures count: a save, delete or many-to-many change of any drops cached figures.
COUNTED_MODELS = (
    "congress.Term",
    "congress.Session",
    "congress.Committee",
    "congress.HandlingUnit",
    "congress.SubjectCategory",
    "deputies.Deputy",
    "deputies.Mandate",
    "deputies.Activity",
    "deputies.Invitation",
    "deputies.Meeting",
    "deputies.ProfessionalGroup",
    "deputies.GroupMembership",
    "deputies.ActivityRecord",
    "deputies.DutySnapshot",
    "suggestions.Suggestion",
    "suggestions.Assignment",
    "suggestions.AdjustmentRequest",
    "suggestions.ExtensionRequest",
    "suggestions.Reply",
    "suggestions.Evaluation",
    "suggestions.ReplyClass",
    "suggestions.SupervisionCase",
    "suggestions.KeySuggestionTopic",
    "liaison_stations.Station",
    "liaison_stations.Block",
    "liaison_stations.PublicIssue",
    "liaison_stations.ReceptionDay",
    "liaison_stations.Visit",
    "liaison_stations.Forum",
    "liaison_stations.ChecklistItem",
    "liaison_stations.ChecklistStatus",
    "liaison_stations.StationDeputy",
)


class DashboardConfig(AppConfig):
    name = "dashboard"
    verbose_name = _("Dashboard")

    def ready(self) -> None:
        from .cache import connect

        connect([apps.get_model(label) for label in COUNTED_MODELS])
