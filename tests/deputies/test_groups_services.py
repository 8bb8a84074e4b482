"""Services of professional groups: groups and members, activities and invitations, outputs with the
duty record, adoption, special supervisors."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from deputies.choices import ActivityKind, GroupRole, InvitationSource, MandateStatus
from deputies.exceptions import NotAllowed, WorkflowError
from deputies.models import ActivityRecord, GroupMembership, GroupOutput, Invitation, ProfessionalGroup
from deputies.services import groups as services
from deputies.services.activities import activity_create
from tests.deputies.factories import DeputyFactory, MandateFactory
from tests.deputies.factories_groups import GroupMembershipFactory, GroupOutputFactory, ProfessionalGroupFactory

START = datetime.datetime(2026, 6, 10, 1, 0, tzinfo=datetime.UTC)
END = datetime.datetime(2026, 6, 10, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Uploaded reports go to a temporary folder, not var/media."""
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def group(world):
    return ProfessionalGroupFactory(counterpart_committee=world.a.committee, name="农业农村专业小组")


@pytest.fixture
def members(world, group, deputy_user):
    """The two deputies of A and the deputy user, all members; the first leads."""
    deputies = [*world.a.deputies, deputy_user.deputy]
    roles = [GroupRole.LEADER, GroupRole.DEPUTY_LEADER, GroupRole.MEMBER]
    return [GroupMembershipFactory(group=group, deputy=d, role=r) for d, r in zip(deputies, roles, strict=True)]


# What each kind of file starts with (the upload check reads the first bytes, not only the name).
HEADERS = {"pdf": b"%PDF-1.7", "docx": b"PK\x03\x04", "xlsx": b"PK\x03\x04", "ofd": b"PK\x03\x04"}
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # doc, xls, wps


def _report(name="调研报告.pdf", size=1024):
    header = HEADERS.get(name.rsplit(".", 1)[-1].lower(), OLE)
    return SimpleUploadedFile(name, header + b"0" * (size - len(header)))


# --- groups and members --------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["office_user", "committee_user"])
def test_office_or_committee_staff_create_a_group(request, world, role):
    # given office or committee staff of A
    actor = request.getfixturevalue(role)

    # when they create a group under a committee
    group = services.group_create(
        actor=actor,
        congress=world.a.congress,
        name="中医药专业小组",
        field="中医药",
        counterpart_committee=world.a.committee,
    )

    # then it exists in A
    assert ProfessionalGroup.objects.get(pk=group.pk).congress == world.a.congress


@pytest.mark.parametrize("role", ["leader_user", "unit_user", "deputy_user", "office_user_b"])
def test_other_roles_cannot_create_a_group(request, world, role):
    # given a user who does not run A's committee work
    actor = request.getfixturevalue(role)

    # when they try to create a group, then they are refused and nothing is written
    with pytest.raises(NotAllowed):
        services.group_create(
            actor=actor,
            congress=world.a.congress,
            name="中医药",
            field="中医药",
            counterpart_committee=world.a.committee,
        )
    assert not ProfessionalGroup.objects.exists()


def test_group_committee_of_another_congress_is_refused(world, office_user):
    with pytest.raises(ValidationError) as error:
        services.group_create(
            actor=office_user,
            congress=world.a.congress,
            name="法治",
            field="法治",
            counterpart_committee=world.b.committee,
        )
    assert "counterpart_committee" in error.value.message_dict


def test_group_update_changes_fields(office_user, group):
    updated = services.group_update(group=group, actor=office_user, data={"field": "乡村振兴", "keywords": "种粮"})
    assert ProfessionalGroup.objects.get(pk=group.pk).field == "乡村振兴"
    assert updated.keywords == "种粮"


def test_member_add_puts_a_serving_deputy_in_the_group(world, office_user, group):
    # when staff add a deputy of A as leader
    membership = services.member_add(group=group, actor=office_user, deputy=world.a.deputies[0], role=GroupRole.LEADER)

    # then the deputy is the group's leader
    assert membership.role == GroupRole.LEADER
    assert GroupMembership.objects.filter(group=group).count() == 1


def test_a_group_has_one_leader(world, office_user, group):
    # given a group with a leader
    services.member_add(group=group, actor=office_user, deputy=world.a.deputies[0], role=GroupRole.LEADER)

    # when a second deputy is added as leader
    with pytest.raises(ValidationError) as error:
        services.member_add(group=group, actor=office_user, deputy=world.a.deputies[1], role=GroupRole.LEADER)

    # then it is refused, naming the current leader, and nothing is written
    assert world.a.deputies[0].name in error.value.message_dict["role"][0]
    assert GroupMembership.objects.filter(group=group).count() == 1


def test_role_change_to_leader_is_refused_while_another_leads(office_user, members):
    with pytest.raises(ValidationError):
        services.member_change_role(membership=members[2], actor=office_user, role=GroupRole.LEADER)
    assert GroupMembership.objects.get(pk=members[2].pk).role == GroupRole.MEMBER


def test_role_change_after_the_leader_steps_down(office_user, members):
    # given the leader becomes a member
    services.member_change_role(membership=members[0], actor=office_user, role=GroupRole.MEMBER)

    # when another member becomes leader
    services.member_change_role(membership=members[2], actor=office_user, role=GroupRole.LEADER)

    # then they lead
    assert GroupMembership.objects.get(pk=members[2].pk).role == GroupRole.LEADER


def test_the_leader_keeps_their_role_when_changed_to_leader_again(office_user, members):
    services.member_change_role(membership=members[0], actor=office_user, role=GroupRole.LEADER)
    assert GroupMembership.objects.get(pk=members[0].pk).role == GroupRole.LEADER


def test_member_add_refuses_a_deputy_not_serving_here(world, office_user, group):
    with pytest.raises(ValidationError):
        services.member_add(group=group, actor=office_user, deputy=world.b.deputies[0])
    resigned = MandateFactory(term=world.a.term, status=MandateStatus.RESIGNED).deputy
    with pytest.raises(ValidationError):
        services.member_add(group=group, actor=office_user, deputy=resigned)
    assert not GroupMembership.objects.exists()


def test_member_add_refuses_a_second_membership(office_user, members, world, group):
    with pytest.raises(ValidationError):
        services.member_add(group=group, actor=office_user, deputy=world.a.deputies[1])


def test_member_remove(office_user, members):
    services.member_remove(membership=members[1], actor=office_user)
    assert not GroupMembership.objects.filter(pk=members[1].pk).exists()


def test_deputies_cannot_manage_members(deputy_user, members, world, group):
    with pytest.raises(NotAllowed):
        services.member_remove(membership=members[0], actor=deputy_user)
    with pytest.raises(NotAllowed):
        services.member_add(group=group, actor=deputy_user, deputy=world.dual_deputy)


# --- activities ----------------------------------------------------------------------------------


def test_group_activity_invites_every_member_as_a_group_member(office_user, members, group):
    # when staff create a research of the group
    activity = services.group_activity_create(
        group=group,
        actor=office_user,
        kind=ActivityKind.GROUP_RESEARCH,
        title="河道采砂整治调研",
        starts_at=START,
        ends_at=END,
        place="资江沿岸",
    )

    # then it is the group's, organised by its committee, and every member is invited as a group member
    assert activity.group == group
    assert activity.organiser == group.counterpart_committee
    invitations = Invitation.objects.filter(activity=activity)
    assert {i.deputy_id for i in invitations} == {m.deputy_id for m in members}
    assert {i.source for i in invitations} == {InvitationSource.GROUP}


def test_group_activity_with_chosen_members(office_user, members, group):
    activity = services.group_activity_create(
        group=group,
        actor=office_user,
        kind=ActivityKind.GROUP_SYMPOSIUM,
        title="座谈",
        starts_at=START,
        ends_at=END,
        deputy_ids=[members[0].deputy_id],
    )
    assert list(Invitation.objects.filter(activity=activity).values_list("deputy_id", flat=True)) == [
        members[0].deputy_id
    ]


def test_group_activity_kind_must_be_a_group_kind(office_user, group):
    with pytest.raises(ValidationError):
        services.group_activity_create(
            group=group, actor=office_user, kind=ActivityKind.SC_SITTING, title="列席", starts_at=START, ends_at=END
        )


def test_members_are_invited_to_a_key_suggestion_supervision(world, office_user, members, group):
    # given a key-suggestion supervision of A
    supervision = activity_create(
        actor=office_user,
        congress=world.a.congress,
        kind=ActivityKind.KEY_SUGGESTION_SUPERVISION,
        title="重点建议督办",
        starts_at=START,
        ends_at=END,
    )

    # when staff invite the group's members, twice
    first = services.group_invite_members(group=group, activity=supervision, actor=office_user)
    again = services.group_invite_members(group=group, activity=supervision, actor=office_user)

    # then each member is invited once, as a group member
    assert len(first) == 3
    assert again == []
    assert Invitation.objects.filter(activity=supervision, source=InvitationSource.GROUP).count() == 3


def test_inviting_a_non_member_through_the_group_is_refused(world, office_user, members, group):
    supervision = activity_create(
        actor=office_user,
        congress=world.a.congress,
        kind=ActivityKind.EVALUATION_VISIT,
        title="专项评议",
        starts_at=START,
        ends_at=END,
    )
    with pytest.raises(ValidationError):
        services.group_invite_members(
            group=group, activity=supervision, actor=office_user, deputy_ids=[world.dual_deputy.pk]
        )
    assert not Invitation.objects.filter(activity=supervision).exists()


# --- outputs -------------------------------------------------------------------------------------


def _records(output):
    return ActivityRecord.objects.filter(source_key=f"group-output:{output.pk}", activity_type__code="group_output")


def test_report_with_a_file_writes_the_duty_record_once_per_author(office_user, members, group):
    # when staff record a research report by two members
    output = services.output_record(
        group=group,
        actor=office_user,
        kind="report",
        title="关于河道采砂整治的调研报告",
        file=_report(),
        authors=[members[0].deputy, members[1].deputy],
    )

    # then it is stored with its file, and each author's record has it once
    assert output.file.name.endswith(".pdf")
    assert set(output.authors.values_list("pk", flat=True)) == {members[0].deputy_id, members[1].deputy_id}
    assert sorted(_records(output).values_list("deputy_id", flat=True)) == sorted(
        [members[0].deputy_id, members[1].deputy_id]
    )


@pytest.mark.parametrize("name", ["报告.exe", "报告.txt", "报告"])
def test_report_file_type_is_checked(office_user, members, group, name):
    with pytest.raises(ValidationError) as error:
        services.output_record(
            group=group, actor=office_user, kind="report", title="报告", file=_report(name), authors=[members[0].deputy]
        )
    assert "file" in error.value.message_dict
    assert not GroupOutput.objects.exists()


@pytest.mark.parametrize("name", ["报告.PDF", "报告.docx", "报告.wps", "报告.ofd", "报告.xlsx"])
def test_report_office_types_are_accepted(office_user, members, group, name):
    output = services.output_record(
        group=group, actor=office_user, kind="report", title="报告", file=_report(name), authors=[members[0].deputy]
    )
    assert output.pk


def test_report_file_larger_than_20_mb_is_refused(office_user, members, group):
    big = _report()
    big.size = 20 * 1024 * 1024 + 1
    with pytest.raises(ValidationError) as error:
        services.output_record(
            group=group, actor=office_user, kind="report", title="报告", file=big, authors=[members[0].deputy]
        )
    assert "20" in error.value.message_dict["file"][0]


def test_report_needs_a_file_and_opinion_needs_text(office_user, members, group):
    with pytest.raises(ValidationError):
        services.output_record(group=group, actor=office_user, kind="report", title="报告", authors=[members[0].deputy])
    with pytest.raises(ValidationError):
        services.output_record(
            group=group, actor=office_user, kind="opinion", title="意见", authors=[members[0].deputy]
        )


def test_authors_must_be_members(world, office_user, members, group):
    with pytest.raises(ValidationError) as error:
        services.output_record(
            group=group,
            actor=office_user,
            kind="opinion",
            title="意见",
            content="建议……",
            authors=[members[0].deputy, world.dual_deputy],
        )
    assert world.dual_deputy.name in error.value.message_dict["authors"][0]
    assert not GroupOutput.objects.exists()
    assert not ActivityRecord.objects.filter(activity_type__code="group_output").exists()


def test_a_member_submits_an_output_and_is_an_author(deputy_user, members, group):
    # when a member submits a group suggestion with a co-author
    output = services.output_record(
        group=group,
        actor=deputy_user,
        kind="suggestion",
        title="关于加快中医药发展的建议",
        content="建议……",
        authors=[members[0].deputy],
    )

    # then they are an author too, and both records have it
    assert set(output.authors.values_list("pk", flat=True)) == {deputy_user.deputy.pk, members[0].deputy_id}
    assert _records(output).count() == 2


def test_a_non_member_deputy_cannot_submit_an_output(world, group, members):
    from tests.conftest import make_deputy_user

    stranger = make_deputy_user(username="stranger", name="非组员", seats=[(world.a.term, MandateStatus.SERVING)])
    with pytest.raises(NotAllowed):
        services.output_record(group=group, actor=stranger, kind="opinion", title="意见", content="……")


def test_duty_record_is_written_once_even_if_recorded_again(office_user, members, group):
    from deputies.duty import duty_record_act

    output = services.output_record(
        group=group, actor=office_user, kind="opinion", title="意见", content="……", authors=[members[0].deputy]
    )
    duty_record_act(
        deputy_id=members[0].deputy_id,
        congress_id=group.congress_id,
        code="group_output",
        on=output.submitted_on,
        source_key=f"group-output:{output.pk}",
    )
    assert _records(output).count() == 1


def test_staff_mark_an_output_adopted(office_user, group):
    # given an opinion of the group
    output = GroupOutputFactory(group=group)

    # when staff mark it adopted
    services.output_mark_adopted(
        output=output, actor=office_user, adopted_on=datetime.date(2026, 7, 1), where="市人大常委会第十五次会议"
    )

    # then it carries when and where; a second marking is refused
    output = GroupOutput.objects.get(pk=output.pk)
    assert output.adopted
    assert output.adopted_where == "市人大常委会第十五次会议"
    with pytest.raises(WorkflowError):
        services.output_mark_adopted(output=output, actor=office_user, adopted_on=datetime.date(2026, 7, 2), where="x")


def test_adoption_needs_where_and_a_date_after_submission(office_user, group):
    output = GroupOutputFactory(group=group)
    with pytest.raises(ValidationError):
        services.output_mark_adopted(output=output, actor=office_user, adopted_on=datetime.date(2026, 7, 1), where=" ")
    with pytest.raises(ValidationError):
        services.output_mark_adopted(output=output, actor=office_user, adopted_on=datetime.date(2026, 1, 1), where="会")
    assert not GroupOutput.objects.get(pk=output.pk).adopted


@pytest.mark.parametrize("role", ["deputy_user", "leader_user", "office_user_b"])
def test_only_work_staff_mark_adoption(request, group, role, members):
    output = GroupOutputFactory(group=group)
    with pytest.raises(NotAllowed):
        services.output_mark_adopted(
            output=output, actor=request.getfixturevalue(role), adopted_on=datetime.date(2026, 7, 1), where="会"
        )


# --- special supervisors -------------------------------------------------------------------------


def test_appoint_and_end_a_special_supervisor(world, office_user):
    appointment = services.special_supervisor_appoint(
        actor=office_user,
        deputy=world.a.deputies[0],
        unit=world.a.unit,
        term=world.a.term,
        appointed_on=datetime.date(2026, 3, 1),
    )
    ended = services.special_supervisor_end(
        appointment=appointment, actor=office_user, ends_on=datetime.date(2026, 12, 31)
    )
    assert ended.ends_on == datetime.date(2026, 12, 31)
    with pytest.raises(WorkflowError):
        services.special_supervisor_end(appointment=ended, actor=office_user, ends_on=datetime.date(2027, 1, 1))


def test_special_supervisor_must_be_of_one_congress(world, office_user):
    with pytest.raises(ValidationError):
        services.special_supervisor_appoint(
            actor=office_user,
            deputy=world.a.deputies[0],
            unit=world.a.unit,
            term=world.b.term,
            appointed_on=datetime.date(2026, 3, 1),
        )
    with pytest.raises(ValidationError):
        services.special_supervisor_appoint(
            actor=office_user,
            deputy=DeputyFactory(),
            unit=world.a.unit,
            term=world.a.term,
            appointed_on=datetime.date(2026, 3, 1),
        )
    with pytest.raises(NotAllowed):
        services.special_supervisor_appoint(
            actor=office_user,
            deputy=world.b.deputies[0],
            unit=world.b.unit,
            term=world.b.term,
            appointed_on=datetime.date(2026, 3, 1),
        )
