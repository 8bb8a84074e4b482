"""Writes of professional groups (专业小组): groups and members with roles, themed activities (through
the shared activity services), outputs (reports, group suggestions, opinions) with the adopted mark,
and special-supervisor appointments. Each output writes a duty record for every author."""

from __future__ import annotations

import datetime
import os
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from congress.models import Committee, Congress, HandlingUnit, Term
from congress.scoping import get_scope
from congress.uploads import MB, check_upload

from ..choices import GROUP_ACTIVITY_KINDS, GroupRole, InvitationSource, OutputKind
from ..duty import duty_record_act
from ..exceptions import NotAllowed, WorkflowError
from ..models import Activity, Deputy, GroupMembership, GroupOutput, Invitation, ProfessionalGroup, SpecialSupervisor
from .activities import activity_create, activity_invite, ensure_work_staff, serving_deputy_ids

# Research reports are official documents: office formats only (WPS and OFD included), at most 20 MB.
OUTPUT_FILE_EXTENSIONS = ("pdf", "doc", "docx", "xls", "xlsx", "wps", "ofd")
OUTPUT_FILE_MAX_BYTES = 20 * 1024 * 1024
GROUP_FIELDS = ("name", "field", "counterpart_committee", "keywords", "description", "is_active")


def _lock_group(group: ProfessionalGroup) -> ProfessionalGroup:
    return ProfessionalGroup.objects.select_for_update().get(pk=group.pk)


def _ensure_serving(congress_id: int, deputy: Deputy) -> None:
    if not serving_deputy_ids(congress_id=congress_id, deputy_ids=[deputy.pk]):
        raise ValidationError(
            {"deputy": _("%(name)s is not a serving deputy of this congress.") % {"name": deputy.name}}
        )


def _ensure_one_leader(group: ProfessionalGroup, *, except_membership: int | None = None) -> None:
    leaders = GroupMembership.objects.filter(group=group, role=GroupRole.LEADER)
    if except_membership is not None:
        leaders = leaders.exclude(pk=except_membership)
    leader = leaders.select_related("deputy").first()
    if leader is not None:
        raise ValidationError(
            {
                "role": _("%(group)s already has a group leader (%(name)s); change their role first.")
                % {"group": group.name, "name": leader.deputy.name}
            }
        )


# --- groups and members --------------------------------------------------------------------------


@transaction.atomic
def group_create(
    *,
    actor: Any,
    congress: Congress,
    name: str,
    field: str,
    counterpart_committee: Committee,
    keywords: str = "",
    description: str = "",
    is_active: bool = True,
) -> ProfessionalGroup:
    """A new professional group under a counterpart committee (office or committee staff)."""
    ensure_work_staff(actor, congress.pk)
    if ProfessionalGroup.objects.filter(congress=congress, name=name.strip()).exists():
        raise ValidationError({"name": _("A group with this name already exists.")})
    group = ProfessionalGroup(
        congress=congress,
        name=name.strip(),
        field=field.strip(),
        counterpart_committee=counterpart_committee,
        keywords=keywords.strip(),
        description=description,
        is_active=is_active,
    )
    group.full_clean()
    group.save()
    return group


@transaction.atomic
def group_update(*, group: ProfessionalGroup, actor: Any, data: dict[str, Any]) -> ProfessionalGroup:
    """Office or committee staff change a group's name, field, committee, keywords or description."""
    ensure_work_staff(actor, group.congress_id)
    group = _lock_group(group)
    changed = [name for name in GROUP_FIELDS if name in data and getattr(group, name) != data[name]]
    for name in changed:
        setattr(group, name, data[name])
    if "name" in changed and (
        ProfessionalGroup.objects.filter(congress_id=group.congress_id, name=group.name).exclude(pk=group.pk).exists()
    ):
        raise ValidationError({"name": _("A group with this name already exists.")})
    if changed:
        group.full_clean()
        group.save(update_fields=[*changed, "updated_at"])
    return group


@transaction.atomic
def member_add(
    *,
    group: ProfessionalGroup,
    actor: Any,
    deputy: Deputy,
    role: str = GroupRole.MEMBER,
    joined_on: datetime.date | None = None,
) -> GroupMembership:
    """Put a serving deputy of the congress in the group; a group has one group leader."""
    ensure_work_staff(actor, group.congress_id)
    group = _lock_group(group)
    if role not in GroupRole.values:
        raise ValidationError({"role": _("Choose a role.")})
    _ensure_serving(group.congress_id, deputy)
    if GroupMembership.objects.filter(group=group, deputy=deputy).exists():
        raise ValidationError({"deputy": _("%(name)s is already a member of the group.") % {"name": deputy.name}})
    if role == GroupRole.LEADER:
        _ensure_one_leader(group)
    return GroupMembership.objects.create(
        congress_id=group.congress_id,
        group=group,
        deputy=deputy,
        role=role,
        joined_on=joined_on or timezone.localdate(),
    )


@transaction.atomic
def member_change_role(*, membership: GroupMembership, actor: Any, role: str) -> GroupMembership:
    ensure_work_staff(actor, membership.congress_id)
    group = _lock_group(membership.group)
    membership = GroupMembership.objects.select_for_update().get(pk=membership.pk)
    if role not in GroupRole.values:
        raise ValidationError({"role": _("Choose a role.")})
    if role == GroupRole.LEADER:
        _ensure_one_leader(group, except_membership=membership.pk)
    if membership.role != role:
        membership.role = role
        membership.save(update_fields=["role", "updated_at"])
    return membership


@transaction.atomic
def member_remove(*, membership: GroupMembership, actor: Any) -> None:
    """Take a deputy out of the group; their outputs and attendance stay on record."""
    ensure_work_staff(actor, membership.congress_id)
    GroupMembership.objects.filter(pk=membership.pk).delete()


# --- activities and invitations -------------------------------------------------------------------


@transaction.atomic
def group_activity_create(
    *,
    group: ProfessionalGroup,
    actor: Any,
    kind: str,
    title: str,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    deputy_ids: Iterable[int] | None = None,
    **fields: Any,
) -> Activity:
    """A themed activity of the group (research, inspection, symposium, training), organised by its
    counterpart committee; every member is invited unless `deputy_ids` names some of them."""
    ensure_work_staff(actor, group.congress_id)
    if kind not in GROUP_ACTIVITY_KINDS:
        raise ValidationError({"kind": _("Choose research, inspection, symposium or training.")})
    fields.setdefault("organiser", group.counterpart_committee)
    activity = activity_create(
        actor=actor,
        congress=group.congress,
        kind=kind,
        title=title,
        starts_at=starts_at,
        ends_at=ends_at,
        group=group,
        **fields,
    )
    group_invite_members(group=group, activity=activity, actor=actor, deputy_ids=deputy_ids)
    return activity


@transaction.atomic
def group_invite_members(
    *, group: ProfessionalGroup, activity: Activity, actor: Any, deputy_ids: Iterable[int] | None = None
) -> list[Invitation]:
    """Invite the group's members (all, or those chosen) to an activity of the same congress, e.g.
    a key-suggestion supervision or a special evaluation. Members who no longer serve are left out
    when inviting everyone; a chosen deputy who is not a member is refused."""
    ensure_work_staff(actor, group.congress_id)
    if activity.congress_id != group.congress_id:
        raise ValidationError({"activity": _("Choose an activity of the group's congress.")})
    members = set(GroupMembership.objects.filter(group=group).values_list("deputy_id", flat=True))
    if deputy_ids is None:
        chosen = serving_deputy_ids(congress_id=group.congress_id, deputy_ids=members)
    else:
        chosen = set(deputy_ids)
        strangers = chosen - members
        if strangers:
            names = "、".join(Deputy.objects.filter(pk__in=strangers).values_list("name", flat=True))
            raise ValidationError({"deputies": _("Not members of the group: %(names)s") % {"names": names}})
    if not chosen:
        return []
    return activity_invite(activity=activity, deputy_ids=chosen, actor=actor, source=InvitationSource.GROUP)


# --- outputs -------------------------------------------------------------------------------------


def _check_file(file: Any) -> None:
    extension = os.path.splitext(getattr(file, "name", "") or "")[1].lower().lstrip(".")
    if extension not in OUTPUT_FILE_EXTENSIONS:
        raise ValidationError(
            {
                "file": _("Upload a file of one of these types: %(types)s.")
                % {"types": ", ".join(OUTPUT_FILE_EXTENSIONS)}
            }
        )
    if (getattr(file, "size", 0) or 0) > OUTPUT_FILE_MAX_BYTES:
        raise ValidationError({"file": _("The file is larger than 20 MB.")})
    try:
        check_upload(file, kind="document", max_mb=OUTPUT_FILE_MAX_BYTES // MB)
    except ValidationError as error:
        raise ValidationError({"file": error.messages}) from error


def _may_record_output(actor: Any, group: ProfessionalGroup) -> int | None:
    """Staff record any output; a deputy records outputs of their own groups. Returns the deputy id
    when a member acts."""
    scope = get_scope(actor)
    try:
        ensure_work_staff(actor, group.congress_id)
    except NotAllowed:
        pass
    else:
        return None
    if (
        scope.deputy_id
        and group.congress_id in scope.congress_ids
        and GroupMembership.objects.filter(group=group, deputy_id=scope.deputy_id).exists()
    ):
        return scope.deputy_id
    raise NotAllowed(_("Only members of the group or office and committee staff can record its outputs."))


@transaction.atomic
def output_record(
    *,
    group: ProfessionalGroup,
    actor: Any,
    kind: str,
    title: str,
    content: str = "",
    authors: Iterable[Deputy] = (),
    file: Any = None,
    activity: Activity | None = None,
    submitted_on: datetime.date | None = None,
) -> GroupOutput:
    """Record what the group produced. A research report needs its file; a suggestion or opinion
    needs its text. Authors must be members; a member submitting is an author. Each author's duty
    record gets the output once."""
    member_id = _may_record_output(actor, group)
    if kind not in OutputKind.values:
        raise ValidationError({"kind": _("Choose a research report, a group suggestion or an opinion.")})
    if not title.strip():
        raise ValidationError({"title": _("Give the output a title.")})
    if kind == OutputKind.REPORT and not file:
        raise ValidationError({"file": _("Attach the research report.")})
    if kind != OutputKind.REPORT and not content.strip():
        raise ValidationError({"content": _("Write the text of the suggestion or opinion.")})
    if file:
        _check_file(file)
    if activity is not None and (
        activity.group_id not in (None, group.pk) or activity.congress_id != group.congress_id
    ):
        raise ValidationError({"activity": _("Choose an activity of this group.")})
    author_ids = {deputy.pk for deputy in authors}
    if member_id is not None:
        author_ids.add(member_id)
    if not author_ids:
        raise ValidationError({"authors": _("Name at least one author.")})
    members = set(GroupMembership.objects.filter(group=group).values_list("deputy_id", flat=True))
    if author_ids - members:
        names = "、".join(Deputy.objects.filter(pk__in=author_ids - members).values_list("name", flat=True))
        raise ValidationError({"authors": _("Authors must be members of the group: %(names)s") % {"names": names}})
    output = GroupOutput(
        congress_id=group.congress_id,
        group=group,
        activity=activity,
        kind=kind,
        title=title.strip(),
        content=content,
        submitted_on=submitted_on or timezone.localdate(),
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    if file:
        output.file = file
    output.save()
    output.authors.set(sorted(author_ids))
    for deputy_id in sorted(author_ids):
        duty_record_act(
            deputy_id=deputy_id,
            congress_id=group.congress_id,
            code="group_output",
            on=output.submitted_on,
            source_key=f"group-output:{output.pk}",
            description=f"{group.name}：{output.title}",
        )
    return output


@transaction.atomic
def output_mark_adopted(*, output: GroupOutput, actor: Any, adopted_on: datetime.date, where: str) -> GroupOutput:
    """Record that the standing committee adopted the output: when and where (the meeting or document)."""
    ensure_work_staff(actor, output.congress_id)
    output = GroupOutput.objects.select_for_update().get(pk=output.pk)
    if output.adopted:
        raise WorkflowError(_("The output is already marked adopted."))
    if not where.strip():
        raise ValidationError({"adopted_where": _("Say where it was adopted (the meeting or document).")})
    if adopted_on < output.submitted_on:
        raise ValidationError({"adopted_on": _("The adoption date cannot be before the output was submitted.")})
    output.adopted = True
    output.adopted_on = adopted_on
    output.adopted_where = where.strip()[:200]
    output.save(update_fields=["adopted", "adopted_on", "adopted_where", "updated_at"])
    return output


# --- special supervisors -------------------------------------------------------------------------


@transaction.atomic
def special_supervisor_appoint(
    *, actor: Any, deputy: Deputy, unit: HandlingUnit, term: Term, appointed_on: datetime.date
) -> SpecialSupervisor:
    """Appoint a serving deputy special supervisor (特约监督员) of a unit for a term, all of one congress."""
    congress_id = unit.congress_id
    ensure_work_staff(actor, congress_id)
    if term.congress_id != congress_id:
        raise ValidationError({"term": _("Choose a term of the unit's congress.")})
    _ensure_serving(congress_id, deputy)
    if SpecialSupervisor.objects.filter(deputy=deputy, unit=unit, term=term).exists():
        raise ValidationError(
            {"deputy": _("%(name)s is already a special supervisor of this unit.") % {"name": deputy.name}}
        )
    return SpecialSupervisor.objects.create(
        congress_id=congress_id, deputy=deputy, unit=unit, term=term, appointed_on=appointed_on
    )


@transaction.atomic
def special_supervisor_end(*, appointment: SpecialSupervisor, actor: Any, ends_on: datetime.date) -> SpecialSupervisor:
    ensure_work_staff(actor, appointment.congress_id)
    appointment = SpecialSupervisor.objects.select_for_update().get(pk=appointment.pk)
    if appointment.ends_on is not None:
        raise WorkflowError(_("The appointment has already ended."))
    if ends_on < appointment.appointed_on:
        raise ValidationError({"ends_on": _("The end date cannot be before the appointment.")})
    appointment.ends_on = ends_on
    appointment.save(update_fields=["ends_on", "updated_at"])
    return appointment
