"""docs/WORKFLOWS.md, generated from the state machines declared on the models (django-fsm-2).

`python manage.py workflows_doc` writes the file; a test fails when the file and the code differ.
"""

from __future__ import annotations

import inspect
from pathlib import Path

from django.conf import settings
from django.db import models

from deputies.models import (
    Activity,
    DraftRegulation,
    Invitation,
    LegislativeProposal,
    LegislativeRound,
    MeetingOpinion,
    TrainingPlan,
)

from .models import Assignment, Cosigner, Suggestion

MACHINES: list[tuple[str, type[models.Model], str]] = [
    ("Suggestion (代表建议)", Suggestion, "status"),
    ("Assignment (交办, one per unit)", Assignment, "status"),
    ("Co-signer (联名)", Cosigner, "status"),
    ("Activity (代表活动: group activity, course, sitting in, inspection…)", Activity, "state"),
    ("Invitation (邀请与签到, one per deputy and activity)", Invitation, "status"),
    ("Training plan (年度培训计划)", TrainingPlan, "status"),
    ("Meeting opinion (列席代表意见)", MeetingOpinion, "status"),
    ("Legislative proposal round (立法项目征集)", LegislativeRound, "status"),
    ("Legislative proposal (立法建议)", LegislativeProposal, "status"),
    ("Draft regulation (法规草案征求意见)", DraftRegulation, "status"),
]


def register_machine(title: str, model: type[models.Model], field_name: str) -> None:
    """Let a higher app's state machine appear in docs/WORKFLOWS.md (called from its AppConfig.ready())."""
    if all(existing is not model for _title, existing, _field in MACHINES):
        MACHINES.append((title, model, field_name))


INTRO = """# Workflows

Generated from the code by `python manage.py workflows_doc` — do not edit by hand; a test checks
that this file matches the state machines declared on the models.

Every move is a service in `suggestions/services.py` that locks the rows, calls the transition
below inside `transaction.atomic`, writes one `SuggestionEvent` (the timeline), and queues its
notifications after the commit. The status fields are protected: nothing else can change them.

Rules around the graph (domain.md §3): the clock of an assignment starts at 交办, not at sign-for;
adjustment requests only inside the window; extensions up to 6 months in total with a note to the
deputy; 不满意 opens round n+1 and one supervision case for the counterpart committee in the same
transaction (a second 不满意 leads to a face-to-face meeting and closing with an explanation);
replies not rated within the evaluation window close as "no feedback" in the daily sweep.

Committee-driven work (domain.md §4) moves its states through the services in
`deputies/services/` in the same way (locked rows, protected fields). Attending an activity writes
the deputy's duty record; see `docs/committee-work/`.
"""


def _transitions(model: type[models.Model], field_name: str) -> list[tuple[str, str, str, str]]:
    field = model._meta.get_field(field_name)
    rows = set()
    for transition in field.get_all_transitions(model):
        method = getattr(model, transition.name)
        doc = inspect.getdoc(method) or ""
        rows.add((str(transition.source), str(transition.target), transition.name, doc.splitlines()[0] if doc else ""))
    return sorted(rows)


def render() -> str:
    parts = [INTRO]
    for title, model, field_name in MACHINES:
        rows = _transitions(model, field_name)
        initial = model._meta.get_field(field_name).default
        parts.append(f"\n## {title}\n\n```mermaid\nstateDiagram-v2\n    [*] --> {initial}")
        parts.extend(f"    {source} --> {target} : {name}" for source, target, name, _doc in rows)
        parts.append("```\n\n| from | to | transition | meaning |\n|---|---|---|---|")
        parts.extend(f"| {source} | {target} | `{name}` | {doc} |" for source, target, name, doc in rows)
    return "\n".join(parts) + "\n"


def document_path() -> Path:
    return Path(settings.BASE_DIR) / "docs" / "WORKFLOWS.md"
