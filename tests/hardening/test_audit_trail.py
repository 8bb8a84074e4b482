"""An audit trail of who changed what for every workflow object: history rows (django-simple-history)
on every model with a status, with the acting user when the change came through a request."""

from __future__ import annotations

from django.apps import apps

WORKFLOW_FIELDS = {"status", "state"}


def _workflow_models():
    return [
        model
        for model in apps.get_models()
        if model._meta.app_label in {"congress", "deputies", "suggestions", "liaison_stations"}
        and not model.__name__.startswith("Historical")
        and any(
            field.name in WORKFLOW_FIELDS and not field.is_relation and field.choices for field in model._meta.fields
        )
    ]


def test_every_workflow_model_keeps_history():
    # given every model with a status or state (a new one without history fails here)
    models = _workflow_models()
    assert len(models) >= 18
    missing = [model._meta.label for model in models if not hasattr(model, "history")]
    assert missing == []


def test_the_suggestion_workflow_records_events_too():
    from liaison_stations.models import IssueEvent
    from suggestions.models import SuggestionEvent

    # the timeline of each workflow (who, what move, when) besides the field history
    for model in (SuggestionEvent, IssueEvent):
        names = {field.name for field in model._meta.fields}
        assert {"actor", "created_at"} <= names, model
