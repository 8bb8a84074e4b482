"""Pages and API of trainings and the learning area: who may open what, what each move does, and
query budgets of the lists."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

import pytest
from django.urls import reverse

from deputies.choices import ActivityKind, DeputyCategory, InvitationStatus, PlanStatus, TrainingKind
from deputies.models import Invitation, MaterialCompletion, TrainingPlan
from deputies.services.activities import activity_hold, invitation_mark_attended
from deputies.services.training import course_issue_certificates
from tests.deputies.factories import ActivityFactory, DeputyFactory, InvitationFactory, MandateFactory
from tests.deputies.factories_training import (
    LearningMaterialFactory,
    MaterialCompletionFactory,
    PlannedCourseFactory,
    TrainingPlanFactory,
)
from tests.queries import assert_same_query_count

pytestmark = pytest.mark.django_db


@dataclass
class Setup:
    plan: Any
    planned: Any
    held: Any  # a held course the deputy attended, with certificates
    upcoming: Any  # an open course, planned
    certificate: Any  # the deputy's numbered invitation
    other_certificate: Any  # another deputy's
    material: Any


@pytest.fixture
def setup(world, office_user, deputy_user) -> Setup:
    plan = TrainingPlanFactory(congress=world.a.congress, year=2026)
    planned = PlannedCourseFactory(plan=plan, organiser=world.a.committee)
    held = ActivityFactory(
        congress=world.a.congress, kind=ActivityKind.TRAINING_COURSE, training_kind=TrainingKind.ONLINE, hours=4
    )
    mine = InvitationFactory(activity=held, deputy=deputy_user.deputy)
    theirs = InvitationFactory(activity=held, deputy=world.a.deputies[0])
    for invitation in (mine, theirs):
        invitation_mark_attended(invitation=invitation, actor=office_user)
    activity_hold(activity=held, actor=office_user)
    course_issue_certificates(course=held, actor=office_user)
    upcoming = ActivityFactory(
        congress=world.a.congress,
        kind=ActivityKind.TRAINING_COURSE,
        training_kind=TrainingKind.INDUCTION,
        open_enrollment=True,
        starts_at=datetime.datetime(2099, 1, 1, tzinfo=datetime.UTC),
        ends_at=datetime.datetime(2099, 1, 2, tzinfo=datetime.UTC),
    )
    return Setup(
        plan=plan,
        planned=planned,
        held=held,
        upcoming=upcoming,
        certificate=Invitation.objects.get(pk=mine.pk),
        other_certificate=Invitation.objects.get(pk=theirs.pk),
        material=LearningMaterialFactory(congress=world.a.congress),
    )


# --- access to every page ---------------------------------------------------------------------------

PORTAL_PAGES = {
    "portal_trainings": lambda s: reverse("deputies:portal_trainings"),
    "portal_learning": lambda s: reverse("deputies:portal_learning"),
    "portal_certificate": lambda s: reverse("deputies:portal_training_certificate", args=[s.certificate.pk]),
}
DESK_PAGES = {
    "work_trainings": lambda s: reverse("deputies:work_trainings"),
    "work_learning": lambda s: reverse("deputies:work_learning"),
    "work_plan": lambda s: reverse("deputies:work_training_plan", args=[s.plan.pk]),
    "work_course": lambda s: reverse("deputies:work_training_course", args=[s.held.pk]),
    "work_certificates": lambda s: reverse("deputies:work_training_certificates", args=[s.held.pk]),
    "work_material": lambda s: reverse("deputies:work_learning_material", args=[s.material.pk]),
}
DESK_OBJECT_PAGES = [name for name in DESK_PAGES if name not in {"work_trainings", "work_learning"}]


@pytest.mark.parametrize("page", list(PORTAL_PAGES) + list(DESK_PAGES))
def test_anonymous_users_are_sent_to_log_in(client, setup, page):
    url = {**PORTAL_PAGES, **DESK_PAGES}[page](setup)

    response = client.get(url)

    assert response.status_code == 302
    assert reverse("login") in response.url


@pytest.mark.parametrize("page", list(PORTAL_PAGES))
def test_portal_pages_are_for_deputies(client, setup, office_user, deputy_user, page):
    url = PORTAL_PAGES[page](setup)

    client.force_login(office_user)
    as_staff = client.get(url)
    client.force_login(deputy_user)
    as_deputy = client.get(url)

    assert as_staff.status_code == 403
    assert as_deputy.status_code == 200


@pytest.mark.parametrize("page", list(DESK_PAGES))
@pytest.mark.parametrize("role", ["office_user", "committee_user", "leader_user"])
def test_desk_pages_are_for_congress_staff(client, request, setup, page, role):
    client.force_login(request.getfixturevalue(role))

    assert client.get(DESK_PAGES[page](setup)).status_code == 200


@pytest.mark.parametrize("page", list(DESK_PAGES))
@pytest.mark.parametrize("role", ["unit_user", "deputy_user", "station_user"])
def test_desk_pages_refuse_other_roles(client, request, setup, page, role):
    client.force_login(request.getfixturevalue(role))

    assert client.get(DESK_PAGES[page](setup)).status_code == 403


@pytest.mark.parametrize("page", DESK_OBJECT_PAGES)
def test_desk_objects_of_another_congress_are_not_found(client, setup, office_user_b, page):
    client.force_login(office_user_b)

    assert client.get(DESK_PAGES[page](setup)).status_code == 404


def test_the_certificate_of_another_deputy_is_not_found(client, setup, deputy_user, other_deputy_user):
    # given the deputy and a deputy of another congress
    client.force_login(deputy_user)

    # when they open someone else's certificate, and their own
    others = client.get(reverse("deputies:portal_training_certificate", args=[setup.other_certificate.pk]))
    own = client.get(reverse("deputies:portal_training_certificate", args=[setup.certificate.pk]))
    client.force_login(other_deputy_user)
    foreign = client.get(reverse("deputies:portal_training_certificate", args=[setup.certificate.pk]))

    # then only their own is shown, with its number
    assert others.status_code == 404
    assert foreign.status_code == 404
    assert own.status_code == 200
    assert setup.certificate.certificate_number in own.content.decode()


def test_the_batch_print_page_has_every_certificate(client, setup, committee_user):
    client.force_login(committee_user)

    response = client.get(reverse("deputies:work_training_certificates", args=[setup.held.pk]))

    assert [c.pk for c in response.context["certificates"]] == [setup.certificate.pk, setup.other_certificate.pk]


def test_my_trainings_shows_my_courses_and_those_open_for_enrollment(client, setup, deputy_user):
    client.force_login(deputy_user)

    response = client.get(reverse("deputies:portal_trainings"))

    assert [i.pk for i in response.context["page"].object_list] == [setup.certificate.pk]
    assert [c.pk for c in response.context["open_courses"]] == [setup.upcoming.pk]


def test_desk_figures_count_the_held_course(client, setup, office_user):
    client.force_login(office_user)

    response = client.get(reverse("deputies:work_trainings"), {"year": 2026})

    figures = response.context["figures"]
    assert (figures.courses_held, figures.deputies_trained, figures.person_times) == (1, 2, 2)


# --- moves on pages --------------------------------------------------------------------------------


def test_deputy_enrols_from_the_portal(client, setup, deputy_user):
    client.force_login(deputy_user)

    response = client.post(reverse("deputies:portal_training_enroll", args=[setup.upcoming.pk]))

    assert response.status_code == 302
    assert (
        Invitation.objects.get(activity=setup.upcoming, deputy=deputy_user.deputy).status == InvitationStatus.ACCEPTED
    )


def test_enrolling_in_a_full_course_shows_why(client, setup, deputy_user, world):
    setup.upcoming.capacity = 1
    setup.upcoming.save()
    InvitationFactory(activity=setup.upcoming, deputy=world.a.deputies[0]).accept()
    Invitation.objects.filter(activity=setup.upcoming).update(status=InvitationStatus.ACCEPTED)
    client.force_login(deputy_user)

    response = client.post(reverse("deputies:portal_training_enroll", args=[setup.upcoming.pk]), follow=True)

    assert not Invitation.objects.filter(activity=setup.upcoming, deputy=deputy_user.deputy).exists()
    assert any("1" in str(m) for m in response.context["messages"])


def test_deputy_marks_a_material_studied_and_sees_progress(client, setup, deputy_user):
    client.force_login(deputy_user)

    client.post(reverse("deputies:portal_learning_complete", args=[setup.material.pk]))
    again = client.post(reverse("deputies:portal_learning_complete", args=[setup.material.pk]), follow=True)

    assert MaterialCompletion.objects.filter(material=setup.material).count() == 1
    assert again.context["progress"] == {"total": 1, "completed": 1, "percent": 100}


def test_completing_a_material_of_another_congress_is_not_found(client, world, other_deputy_user):
    material = LearningMaterialFactory(congress=world.a.congress)
    client.force_login(other_deputy_user)

    response = client.post(reverse("deputies:portal_learning_complete", args=[material.pk]))

    assert response.status_code == 404


def test_office_creates_approves_and_schedules_a_plan_on_the_desk(client, world, office_user):
    client.force_login(office_user)

    client.post(reverse("deputies:work_training_plan_create"), {"year": 2027, "title": "2027年度代表培训计划"})
    plan = TrainingPlan.objects.get(congress=world.a.congress, year=2027)
    client.post(
        reverse("deputies:work_training_planned_add", args=[plan.pk]),
        {
            "title": "初任培训",
            "kind": TrainingKind.INDUCTION,
            "organiser": world.a.office_committee.pk,
            "planned_deputies": 30,
        },
    )
    client.post(reverse("deputies:work_training_plan_action", args=[plan.pk, "approve"]))
    client.post(reverse("deputies:work_training_plan_action", args=[plan.pk, "schedule"]))

    plan = TrainingPlan.objects.get(pk=plan.pk)
    assert (plan.status, plan.in_yearly_schedule, plan.planned_courses.count()) == (PlanStatus.APPROVED, True, 1)


def test_committee_staff_cannot_approve_on_the_desk(client, setup, committee_user):
    client.force_login(committee_user)

    response = client.post(reverse("deputies:work_training_plan_action", args=[setup.plan.pk, "approve"]))

    assert response.status_code == 403
    assert TrainingPlan.objects.get(pk=setup.plan.pk).status == PlanStatus.DRAFT


def test_leaders_cannot_write_on_the_desk(client, setup, leader_user):
    client.force_login(leader_user)

    responses = [
        client.post(reverse("deputies:work_training_plan_action", args=[setup.plan.pk, "approve"])),
        client.post(
            reverse("deputies:work_training_course_invite", args=[setup.upcoming.pk]), {"categories": ["grassroots"]}
        ),
        client.post(reverse("deputies:work_training_certificates_issue", args=[setup.held.pk])),
        client.get(reverse("deputies:work_training_course_open")),
    ]

    assert [r.status_code for r in responses] == [403, 403, 403, 403]


def test_staff_open_a_course_from_the_plan_and_invite_by_category(client, setup, world, committee_user, office_user):
    # given an approved plan, and a professional deputy
    client.force_login(office_user)
    client.post(reverse("deputies:work_training_plan_action", args=[setup.plan.pk, "approve"]))
    professional = MandateFactory(term=world.a.term, deputy=DeputyFactory(category=DeputyCategory.PROFESSIONAL)).deputy
    client.force_login(committee_user)

    # when committee staff open the planned course and invite professional deputies
    form = client.get(reverse("deputies:work_training_course_open") + f"?planned={setup.planned.pk}")
    opened = client.post(
        reverse("deputies:work_training_course_open") + f"?planned={setup.planned.pk}",
        {
            "title": setup.planned.title,
            "training_kind": TrainingKind.THEMATIC_AWAY,
            "organiser": world.a.committee.pk,
            "starts_at": "2026-12-10T09:00",
            "ends_at": "2026-12-12T17:00",
            "place": "韶山",
            "hours": "16",
        },
    )
    course = setup.planned.courses.get()
    client.post(reverse("deputies:work_training_course_invite", args=[course.pk]), {"categories": ["professional"]})

    # then the course exists with the plan's kind and the professional deputy is invited
    assert form.status_code == 200
    assert opened.url == reverse("deputies:work_training_course", args=[course.pk])
    assert course.training_kind == TrainingKind.THEMATIC_AWAY
    assert Invitation.objects.filter(activity=course, deputy=professional).exists()


def test_opening_from_a_draft_plan_shows_the_reason(client, setup, committee_user):
    client.force_login(committee_user)

    response = client.post(
        reverse("deputies:work_training_course_open") + f"?planned={setup.planned.pk}",
        {
            "title": "课",
            "training_kind": TrainingKind.ONLINE,
            "starts_at": "2026-12-10T09:00",
            "ends_at": "2026-12-10T17:00",
            "hours": "2",
        },
    )

    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert not setup.planned.courses.exists()


def test_issue_certificates_button_numbers_newcomers(client, setup, world, office_user):
    late = InvitationFactory(activity=ActivityFactory(congress=world.a.congress, kind=ActivityKind.TRAINING_COURSE))
    invitation_mark_attended(invitation=late, actor=office_user)
    activity_hold(activity=late.activity, actor=office_user)
    client.force_login(office_user)

    client.post(reverse("deputies:work_training_certificates_issue", args=[late.activity.pk]))

    assert Invitation.objects.get(pk=late.pk).certificate_number == "2026-培-0003"


# --- query budgets ---------------------------------------------------------------------------------


def _more_courses(world, deputy, office_user):
    for _ in range(18):
        course = ActivityFactory(congress=world.a.congress, kind=ActivityKind.TRAINING_COURSE, hours=2)
        invitation_mark_attended(invitation=InvitationFactory(activity=course, deputy=deputy), actor=office_user)
        activity_hold(activity=course, actor=office_user)
        course_issue_certificates(course=course, actor=office_user)


def test_my_trainings_query_budget(client, setup, world, deputy_user, office_user, django_assert_num_queries):
    client.force_login(deputy_user)

    assert_same_query_count(
        django_assert_num_queries,
        fetch=lambda: client.get(reverse("deputies:portal_trainings")),
        add_rows=lambda: _more_courses(world, deputy_user.deputy, office_user),
    )


def test_desk_trainings_query_budget(client, setup, world, office_user, django_assert_num_queries):
    client.force_login(office_user)

    def add_rows():
        _more_courses(world, world.a.deputies[1], office_user)
        for n in range(3):
            PlannedCourseFactory(
                plan=TrainingPlanFactory(congress=world.a.congress, year=2040 + n), organiser=world.a.committee
            )

    assert_same_query_count(
        django_assert_num_queries,
        fetch=lambda: client.get(reverse("deputies:work_trainings"), {"year": 2026}),
        add_rows=add_rows,
    )


def test_learning_pages_query_budget(client, setup, world, deputy_user, office_user, django_assert_num_queries):
    def add_rows():
        for material in LearningMaterialFactory.create_batch(18, congress=world.a.congress):
            MaterialCompletionFactory(material=material, deputy=deputy_user.deputy)

    client.force_login(deputy_user)
    assert_same_query_count(
        django_assert_num_queries, fetch=lambda: client.get(reverse("deputies:portal_learning")), add_rows=add_rows
    )
    client.force_login(office_user)
    assert_same_query_count(
        django_assert_num_queries, fetch=lambda: client.get(reverse("deputies:work_learning")), add_rows=add_rows
    )


def test_plan_and_course_pages_query_budget(client, setup, world, office_user, django_assert_num_queries):
    client.force_login(office_user)

    def add_rows():
        for _ in range(18):
            PlannedCourseFactory(plan=setup.plan, organiser=world.a.committee)

    assert_same_query_count(
        django_assert_num_queries,
        fetch=lambda: client.get(reverse("deputies:work_training_plan", args=[setup.plan.pk])),
        add_rows=add_rows,
    )
    assert_same_query_count(
        django_assert_num_queries,
        fetch=lambda: client.get(reverse("deputies:work_training_certificates", args=[setup.held.pk])),
        add_rows=lambda: _more_certificates(setup.held, office_user),
    )


def _more_certificates(course, office_user):
    for _ in range(18):
        invitation_mark_attended(invitation=InvitationFactory(activity=course), actor=office_user)
    course_issue_certificates(course=course, actor=office_user)


# --- admin ---------------------------------------------------------------------------------------------


def test_admin_approve_action_is_the_office_s(client, setup, office_user, committee_user):
    url = reverse("admin:deputies_trainingplan_changelist")
    data = {"action": "approve", "_selected_action": [setup.plan.pk]}

    client.force_login(committee_user)
    action_form = client.get(url).context["action_form"]
    offered_to_committee = action_form is not None and "approve" in dict(action_form.fields["action"].choices)
    client.force_login(office_user)
    client.post(url, data)

    assert not offered_to_committee
    assert TrainingPlan.objects.get(pk=setup.plan.pk).status == PlanStatus.APPROVED


def test_admin_material_change_page_and_completion_list(client, setup, world, office_user, deputy_user):
    MaterialCompletionFactory(material=setup.material, deputy=deputy_user.deputy)
    client.force_login(office_user)

    material_page = client.get(reverse("admin:deputies_learningmaterial_change", args=[setup.material.pk]))
    plan_page = client.get(reverse("admin:deputies_trainingplan_change", args=[setup.plan.pk]))
    completions = client.get(reverse("admin:deputies_materialcompletion_changelist"))

    assert (material_page.status_code, plan_page.status_code, completions.status_code) == (200, 200, 200)
    assert completions.context["cl"].result_count == 1
