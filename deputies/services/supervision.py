"""Writes of deputies' part in supervision: inspections, budget review and law-enforcement checks
(activities run through the shared activity services), and the yearly evaluation projects whose
groups of 3–5 deputies score target units. Scoring feeds the duty record under "evaluation"."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from congress.models import Committee, Congress, HandlingUnit

from ..choices import SUPERVISION_KINDS, EvaluationKind, MandateStatus
from ..duty import duty_record_act
from ..exceptions import NotAllowed, WorkflowError
from ..models import Activity, Deputy, EvaluationGroup, EvaluationProject, EvaluationScore, Mandate
from ..models.supervision import EVALUATION_GROUP_MAX, EVALUATION_GROUP_MIN
from .activities import acting_deputy, activity_create_with_invitees, ensure_work_staff

DUTY_CODE = "evaluation"


@transaction.atomic
def supervision_activity_create(
    *,
    actor: Any,
    congress: Congress,
    kind: str,
    title: str,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    deputy_ids: Iterable[int] = (),
    notify_deputies: bool = True,
    **fields: Any,
) -> Activity:
    """An inspection (视察), budget review or law-enforcement check with invited deputies. Sign-in,
    attendance and holding it are the shared activity services'."""
    if kind not in SUPERVISION_KINDS:
        raise ValidationError({"kind": _("Choose a kind of supervision activity.")})
    return activity_create_with_invitees(
        actor=actor,
        congress=congress,
        kind=kind,
        title=title,
        starts_at=starts_at,
        ends_at=ends_at,
        deputy_ids=deputy_ids,
        notify_deputies=notify_deputies,
        **fields,
    )


@transaction.atomic
def evaluation_project_create(
    *,
    actor: Any,
    congress: Congress,
    year: int,
    kind: str,
    title: str,
    description: str = "",
    committee: Committee | None = None,
    scoring_closes_on: datetime.date | None = None,
) -> EvaluationProject:
    """One of the year's special evaluations (部门服务抽样评, 财政审计整改评, 司法百案质效评)."""
    ensure_work_staff(actor, congress.pk)
    if kind not in EvaluationKind.values:
        raise ValidationError({"kind": _("Choose a kind of evaluation.")})
    if committee is not None and committee.congress_id != congress.pk:
        raise ValidationError({"committee": _("Choose a committee of this congress.")})
    if EvaluationProject.objects.filter(congress=congress, year=year, kind=kind, title=title.strip()).exists():
        raise ValidationError({"title": _("This congress already has this evaluation for that year.")})
    project = EvaluationProject(
        congress=congress,
        year=year,
        kind=kind,
        title=title.strip(),
        description=description,
        committee=committee,
        scoring_closes_on=scoring_closes_on,
    )
    project.full_clean()
    project.save()
    return project


def _check_group(
    *, project: EvaluationProject, member_ids: set[int], unit_ids: set[int], group: EvaluationGroup | None
) -> None:
    errors: dict[str, str] = {}
    if not EVALUATION_GROUP_MIN <= len(member_ids) <= EVALUATION_GROUP_MAX:
        errors["members"] = _("An evaluation group has %(min)d to %(max)d deputies; %(count)d were chosen.") % {
            "min": EVALUATION_GROUP_MIN,
            "max": EVALUATION_GROUP_MAX,
            "count": len(member_ids),
        }
    else:
        serving = set(
            Mandate.objects.filter(
                congress_id=project.congress_id, deputy_id__in=member_ids, status=MandateStatus.SERVING
            ).values_list("deputy_id", flat=True)
        )
        others = EvaluationGroup.objects.filter(project=project, members__in=member_ids)
        if group is not None:
            others = others.exclude(pk=group.pk)
        taken = set(others.values_list("members", flat=True)) & member_ids
        if member_ids - serving:
            names = "、".join(Deputy.objects.filter(pk__in=member_ids - serving).values_list("name", flat=True))
            errors["members"] = _("Not serving deputies of this congress: %(names)s") % {"names": names}
        elif taken:
            names = "、".join(Deputy.objects.filter(pk__in=taken).values_list("name", flat=True))
            errors["members"] = _("Already in another group of this project: %(names)s") % {"names": names}
    if not unit_ids:
        errors["units"] = _("Choose the units the group evaluates.")
    elif HandlingUnit.objects.filter(pk__in=unit_ids, congress_id=project.congress_id).count() != len(unit_ids):
        errors["units"] = _("Choose units of this congress.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def evaluation_group_create(
    *, actor: Any, project: EvaluationProject, name: str, member_ids: Iterable[int], unit_ids: Iterable[int]
) -> EvaluationGroup:
    """A group of 3–5 serving deputies of the congress evaluating some of its units."""
    ensure_work_staff(actor, project.congress_id)
    members, units = set(member_ids), set(unit_ids)
    if not name.strip():
        raise ValidationError({"name": _("Name the group.")})
    _check_group(project=project, member_ids=members, unit_ids=units, group=None)
    group = EvaluationGroup.objects.create(congress_id=project.congress_id, project=project, name=name.strip())
    group.members.set(members)
    group.units.set(units)
    return group


@transaction.atomic
def evaluation_group_update(
    *, group: EvaluationGroup, actor: Any, name: str, member_ids: Iterable[int], unit_ids: Iterable[int]
) -> EvaluationGroup:
    """Change a group's name, members or units (same rules as creating it). Scores already given by
    members who leave, or for units taken off, stay on record."""
    ensure_work_staff(actor, group.congress_id)
    group = EvaluationGroup.objects.select_for_update().select_related("project").get(pk=group.pk)
    members, units = set(member_ids), set(unit_ids)
    if not name.strip():
        raise ValidationError({"name": _("Name the group.")})
    _check_group(project=group.project, member_ids=members, unit_ids=units, group=group)
    group.name = name.strip()
    group.save()
    group.members.set(members)
    group.units.set(units)
    return group


@transaction.atomic
def evaluation_score_submit(
    *,
    group: EvaluationGroup,
    unit: HandlingUnit,
    actor: Any,
    score: int,
    comment: str = "",
    as_of: datetime.date | None = None,
) -> tuple[EvaluationScore, bool]:
    """A group member scores one of the group's units (0–100) with a comment; scoring it again before
    the project's closing date replaces the earlier score. Returns (score, created). The first score
    a deputy gives in a group is recorded in the duty record ("evaluation")."""
    deputy_id = acting_deputy(actor, group.congress_id)
    group = EvaluationGroup.objects.select_for_update().select_related("project").get(pk=group.pk)
    if not group.members.filter(pk=deputy_id).exists():
        raise NotAllowed(_("You are not a member of this evaluation group."))
    if not group.units.filter(pk=unit.pk).exists():
        raise ValidationError({"unit": _("This unit is not evaluated by your group.")})
    today = as_of or timezone.localdate()
    closes_on = group.project.scoring_closes_on
    if closes_on is not None and today > closes_on:
        raise WorkflowError(_("Scores were due by %(day)s.") % {"day": closes_on.strftime("%Y-%m-%d")})
    if isinstance(score, bool) or not isinstance(score, int) or not 0 <= score <= 100:
        raise ValidationError({"score": _("Give a whole-number score from 0 to 100.")})
    row, created = EvaluationScore.objects.update_or_create(
        group=group,
        unit=unit,
        deputy_id=deputy_id,
        defaults={"congress_id": group.congress_id, "score": score, "comment": comment.strip()},
    )
    duty_record_act(
        deputy_id=deputy_id,
        congress_id=group.congress_id,
        code=DUTY_CODE,
        on=today,
        source_key=f"evaluation-group:{group.pk}",
        description=str(group),
    )
    return row, created
