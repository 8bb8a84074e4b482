"""Pages of professional groups: the access matrix, the moves through the pages, query budgets."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from deputies.choices import GroupRole, MandateStatus
from deputies.models import GroupMembership, GroupOutput, Invitation, SpecialSupervisor
from tests.conftest import make_deputy_user
from tests.deputies.factories import ActivityFactory, MandateFactory
from tests.deputies.factories_groups import (
    GroupMembershipFactory,
    GroupOutputFactory,
    ProfessionalGroupFactory,
    SpecialSupervisorFactory,
)
from tests.queries import assert_same_query_count


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Uploaded reports go to a temporary folder, not var/media."""
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def group(world, deputy_user):
    group = ProfessionalGroupFactory(counterpart_committee=world.a.committee, name="生态环保专业小组")
    GroupMembershipFactory(group=group, deputy=world.a.deputies[0], role=GroupRole.LEADER)
    GroupMembershipFactory(group=group, deputy=deputy_user.deputy)
    return group


@pytest.fixture
def output(group, deputy_user):
    output = GroupOutputFactory(group=group, kind="suggestion")
    output.authors.set([deputy_user.deputy])
    return output


@pytest.fixture
def appointment(world):
    return SpecialSupervisorFactory(unit=world.a.unit, term=world.a.term, deputy=world.a.deputies[1])


DESK_PAGES = [
    ("deputies:work_groups", None),
    ("deputies:work_group_create", None),
    ("deputies:work_group", "group"),
    ("deputies:work_group_edit", "group"),
    ("deputies:work_group_activity_create", "group"),
    ("deputies:work_group_output_create", "group"),
    ("deputies:work_group_outputs", None),
    ("deputies:work_group_output", "output"),
    ("deputies:work_special_supervisors", None),
]
WRITE_PAGES = {
    "deputies:work_group_create",
    "deputies:work_group_edit",
    "deputies:work_group_activity_create",
    "deputies:work_group_output_create",
}


def _url(request, name, obj):
    return reverse(name, args=[request.getfixturevalue(obj).pk]) if obj else reverse(name)


@pytest.mark.parametrize(("name", "obj"), DESK_PAGES)
def test_desk_pages_access(
    client, request, name, obj, office_user, committee_user, leader_user, unit_user, deputy_user, office_user_b
):
    url = _url(request, name, obj)
    # anonymous → login
    response = client.get(url)
    assert response.status_code == 302
    assert "login" in response.url
    # wrong role → 403
    for user in (unit_user, deputy_user):
        client.force_login(user)
        assert client.get(url).status_code == 403
    # in scope → 200 (leaders read, do not write)
    for user in (office_user, committee_user):
        client.force_login(user)
        assert client.get(url).status_code == 200
    client.force_login(leader_user)
    assert client.get(url).status_code == (403 if name in WRITE_PAGES else 200)
    # another congress → 404
    if obj:
        client.force_login(office_user_b)
        assert client.get(url).status_code == 404


PORTAL_PAGES = [
    ("deputies:portal_groups", None),
    ("deputies:portal_group_output_create", "group"),
    ("deputies:portal_group_output", "output"),
]


@pytest.mark.parametrize(("name", "obj"), PORTAL_PAGES)
def test_portal_pages_access(client, request, name, obj, deputy_user, office_user, other_deputy_user, world):
    url = _url(request, name, obj)
    assert "login" in client.get(url).url
    client.force_login(office_user)
    assert client.get(url).status_code == 403
    client.force_login(deputy_user)
    assert client.get(url).status_code == 200
    if obj:
        # another congress's deputy, and a deputy of A who is not a member → 404
        client.force_login(other_deputy_user)
        assert client.get(url).status_code == 404
        stranger = make_deputy_user(username="stranger", name="非组员", seats=[(world.a.term, MandateStatus.SERVING)])
        client.force_login(stranger)
        assert client.get(url).status_code == 404


def test_staff_create_a_group_and_add_members_through_the_pages(client, world, office_user, deputy_user):
    client.force_login(office_user)
    response = client.post(
        reverse("deputies:work_group_create"),
        {"name": "中医药专业小组", "field": "中医药", "counterpart_committee": world.a.committee.pk, "is_active": "on"},
    )
    assert response.status_code == 302
    group_pk = int(response.url.rstrip("/").split("/")[-1])
    add = reverse("deputies:work_group_member_add", args=[group_pk])
    client.post(add, {"deputy": world.a.deputies[0].pk, "role": "leader"})
    client.post(add, {"deputy": deputy_user.deputy.pk, "role": "leader"})  # a second leader: refused
    roles = dict(GroupMembership.objects.filter(group_id=group_pk).values_list("deputy_id", "role"))
    assert roles == {world.a.deputies[0].pk: "leader"}


def test_role_change_and_removal_with_confirmation(client, office_user, group, deputy_user):
    client.force_login(office_user)
    membership = GroupMembership.objects.get(group=group, deputy=deputy_user.deputy)
    client.post(reverse("deputies:work_group_member_role", args=[group.pk, membership.pk]), {"role": "deputy_leader"})
    assert GroupMembership.objects.get(pk=membership.pk).role == "deputy_leader"
    remove = reverse("deputies:work_group_member_remove", args=[group.pk, membership.pk])
    assert client.get(remove).status_code == 200  # the confirmation
    assert GroupMembership.objects.filter(pk=membership.pk).exists()
    client.post(remove)
    assert not GroupMembership.objects.filter(pk=membership.pk).exists()


def test_invite_members_to_a_key_suggestion_supervision(client, world, office_user, group):
    supervision = ActivityFactory(congress=world.a.congress, kind="key_suggestion_supervision", title="重点建议督办")
    client.force_login(office_user)
    client.post(reverse("deputies:work_group_invite", args=[group.pk]), {"activity": supervision.pk})
    assert Invitation.objects.filter(activity=supervision, source="group").count() == 2


def test_a_member_submits_a_report_from_the_portal(client, group, deputy_user):
    client.force_login(deputy_user)
    report = SimpleUploadedFile("调研报告.docx", b"PK\x03\x04" + b"0" * 100)
    response = client.post(
        reverse("deputies:portal_group_output_create", args=[group.pk]),
        {"kind": "report", "title": "河道采砂整治调研报告", "file": report},
    )
    output = GroupOutput.objects.get()
    assert response.url == reverse("deputies:portal_group_output", args=[output.pk])
    assert list(output.authors.all()) == [deputy_user.deputy]


def test_a_wrong_file_type_is_shown_on_the_form(client, group, deputy_user):
    client.force_login(deputy_user)
    response = client.post(
        reverse("deputies:portal_group_output_create", args=[group.pk]),
        {"kind": "report", "title": "报告", "file": SimpleUploadedFile("报告.exe", b"MZ")},
    )
    assert response.status_code == 200
    assert "file" in response.context["form"].errors
    assert not GroupOutput.objects.exists()


def test_staff_mark_adopted_from_the_output_page(client, office_user, output):
    client.force_login(office_user)
    client.post(
        reverse("deputies:work_group_output_adopt", args=[output.pk]),
        {"adopted_on": "2026-07-01", "adopted_where": "市人大常委会第十五次会议"},
    )
    output = GroupOutput.objects.get(pk=output.pk)
    assert (output.adopted, output.adopted_on) == (True, datetime.date(2026, 7, 1))


@pytest.mark.parametrize("role", ["leader_user", "deputy_user"])
def test_only_writers_post(client, request, role, output, group):
    client.force_login(request.getfixturevalue(role))
    response = client.post(
        reverse("deputies:work_group_output_adopt", args=[output.pk]),
        {"adopted_on": "2026-07-01", "adopted_where": "会"},
    )
    assert response.status_code == 403
    assert not GroupOutput.objects.get(pk=output.pk).adopted


def test_appoint_and_end_a_supervisor_through_the_page(client, world, office_user):
    client.force_login(office_user)
    client.post(
        reverse("deputies:work_special_supervisors"),
        {
            "deputy": world.a.deputies[0].pk,
            "unit": world.a.unit.pk,
            "term": world.a.term.pk,
            "appointed_on": "2026-03-01",
        },
    )
    appointment = SpecialSupervisor.objects.get()
    client.post(reverse("deputies:work_special_supervisor_end", args=[appointment.pk]), {"ends_on": "2026-12-31"})
    assert SpecialSupervisor.objects.get().ends_on == datetime.date(2026, 12, 31)


def test_outputs_filters(client, office_user, group, world):
    GroupOutputFactory(group=group, kind="report", title="报告甲", submitted_on=datetime.date(2025, 5, 1))
    GroupOutputFactory(group=group, kind="opinion", title="意见乙", adopted=True, adopted_on=datetime.date(2026, 7, 1))
    client.force_login(office_user)
    url = reverse("deputies:work_group_outputs")
    titles = lambda **params: [o.title for o in client.get(url, params).context["page"]]  # noqa: E731
    assert titles(kind="report") == ["报告甲"]
    assert titles(adopted="yes") == ["意见乙"]
    assert titles(year="2025") == ["报告甲"]
    assert titles(group=str(group.pk), q="意见") == ["意见乙"]


# --- query budgets ---------------------------------------------------------------------------------


def _more_groups(world):
    for n in range(18):
        group = ProfessionalGroupFactory(counterpart_committee=world.a.committee)
        GroupMembershipFactory(group=group, deputy=MandateFactory(term=world.a.term).deputy)
        GroupOutputFactory(group=group, adopted=bool(n % 2))
        ActivityFactory(congress=world.a.congress, group=group)


def test_desk_group_list_budget(client, world, office_user, group, django_assert_num_queries):
    client.force_login(office_user)
    GroupOutputFactory(group=group)
    assert_same_query_count(
        django_assert_num_queries, lambda: client.get(reverse("deputies:work_groups")), lambda: _more_groups(world)
    )


def test_outputs_list_budget(client, world, office_user, group, django_assert_num_queries):
    client.force_login(office_user)
    GroupOutputFactory.create_batch(2, group=group)

    def more():
        for output in GroupOutputFactory.create_batch(18, group=group):
            output.authors.set([world.a.deputies[0]])

    assert_same_query_count(django_assert_num_queries, lambda: client.get(reverse("deputies:work_group_outputs")), more)


def test_group_detail_budget(client, world, office_user, group, output, django_assert_num_queries):
    client.force_login(office_user)
    ActivityFactory(congress=world.a.congress, group=group)

    def more():
        for _ in range(18):
            GroupMembershipFactory(group=group, deputy=MandateFactory(term=world.a.term).deputy)
            ActivityFactory(congress=world.a.congress, group=group)
            GroupOutputFactory(group=group).authors.set([world.a.deputies[0]])

    assert_same_query_count(
        django_assert_num_queries, lambda: client.get(reverse("deputies:work_group", args=[group.pk])), more
    )


def test_supervisors_list_budget(client, world, office_user, appointment, django_assert_num_queries):
    client.force_login(office_user)
    assert_same_query_count(
        django_assert_num_queries,
        lambda: client.get(reverse("deputies:work_special_supervisors")),
        lambda: SpecialSupervisorFactory.create_batch(18, unit=world.a.unit, term=world.a.term),
    )


def test_portal_groups_budget(client, world, deputy_user, group, output, django_assert_num_queries):
    client.force_login(deputy_user)

    def more():
        for _ in range(18):
            other = ProfessionalGroupFactory(counterpart_committee=world.a.committee)
            GroupMembershipFactory(group=other, deputy=deputy_user.deputy)
            GroupOutputFactory(group=other).authors.set([deputy_user.deputy])

    assert_same_query_count(django_assert_num_queries, lambda: client.get(reverse("deputies:portal_groups")), more)
