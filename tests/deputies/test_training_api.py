"""The training API: plans, courses, materials and figures, with access per action and query budgets."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from deputies.choices import ActivityKind, DeputyCategory, InvitationStatus, PlanStatus
from deputies.models import Invitation, MaterialCompletion, TrainingPlan
from deputies.services.activities import activity_hold, invitation_mark_attended
from tests.deputies.factories import ActivityFactory, DeputyFactory, InvitationFactory, MandateFactory
from tests.deputies.factories_training import (
    LearningMaterialFactory,
    MaterialCompletionFactory,
    PlannedCourseFactory,
    TrainingPlanFactory,
)
from tests.queries import assert_same_query_count

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def plan(world):
    return PlannedCourseFactory(plan__congress=world.a.congress, plan__year=2026, organiser=world.a.committee).plan


@pytest.fixture
def held(world, office_user):
    course = ActivityFactory(congress=world.a.congress, kind=ActivityKind.TRAINING_COURSE, hours=3)
    for deputy in world.a.deputies:
        invitation_mark_attended(invitation=InvitationFactory(activity=course, deputy=deputy), actor=office_user)
    return activity_hold(activity=course, actor=office_user)


@pytest.fixture
def planned_course(world):
    return ActivityFactory(congress=world.a.congress, kind=ActivityKind.TRAINING_COURSE)


def test_anonymous_users_get_401_or_403(api, plan):
    assert api.get("/api/v1/training-plans/").status_code in {401, 403}


def test_plans_are_scoped(api, plan, office_user, office_user_b, deputy_user, unit_user):
    for user, expected in ((office_user, [plan.pk]), (deputy_user, [plan.pk]), (office_user_b, []), (unit_user, [])):
        api.force_authenticate(user)
        response = api.get("/api/v1/training-plans/")
        assert [row["id"] for row in response.json()["results"]] == expected, user
    api.force_authenticate(office_user_b)
    assert api.get(f"/api/v1/training-plans/{plan.pk}/").status_code == 404


def test_approve_action_access(api, plan, office_user, committee_user, office_user_b, deputy_user):
    url = f"/api/v1/training-plans/{plan.pk}/approve/"

    api.force_authenticate(committee_user)
    as_committee = api.post(url)
    api.force_authenticate(deputy_user)
    as_deputy = api.post(url)
    api.force_authenticate(office_user_b)
    as_other = api.post(url)
    api.force_authenticate(office_user)
    as_office = api.post(url)
    again = api.post(url)

    assert (as_committee.status_code, as_deputy.status_code, as_other.status_code) == (403, 403, 404)
    assert as_office.status_code == 200
    assert as_office.json()["status"] == PlanStatus.APPROVED
    assert again.status_code == 409


def test_include_in_schedule_action(api, plan, office_user):
    api.force_authenticate(office_user)

    too_early = api.post(f"/api/v1/training-plans/{plan.pk}/include-in-schedule/")
    api.post(f"/api/v1/training-plans/{plan.pk}/approve/")
    done = api.post(f"/api/v1/training-plans/{plan.pk}/include-in-schedule/")

    assert too_early.status_code == 409
    assert done.status_code == 200
    assert TrainingPlan.objects.get(pk=plan.pk).in_yearly_schedule


def test_courses_list_with_figures(api, held, office_user, deputy_user, other_deputy_user):
    api.force_authenticate(office_user)
    rows = api.get("/api/v1/training-courses/", {"year": 2026}).json()["results"]
    api.force_authenticate(other_deputy_user)
    foreign = api.get(f"/api/v1/training-courses/{held.pk}/")

    assert [(r["id"], r["invited"], r["attended"], r["credited_hours"]) for r in rows] == [(held.pk, 2, 2, "6.0")]
    assert foreign.status_code == 404


def test_invite_action(
    api, world, planned_course, office_user, committee_user, deputy_user, office_user_b, leader_user
):
    # given a serving grassroots deputy, and the invited deputy sees the course
    grassroots = MandateFactory(term=world.a.term, deputy=DeputyFactory(category=DeputyCategory.GRASSROOTS)).deputy
    url = f"/api/v1/training-courses/{planned_course.pk}/invite/"
    InvitationFactory(activity=planned_course, deputy=deputy_user.deputy)

    answers = {}
    for name, user in (("deputy", deputy_user), ("leader", leader_user), ("other", office_user_b)):
        api.force_authenticate(user)
        answers[name] = api.post(url, {"categories": ["grassroots"]}, format="json").status_code
    api.force_authenticate(committee_user)
    empty = api.post(url, {}, format="json")
    done = api.post(url, {"categories": ["grassroots"], "exclude_trained": True}, format="json")

    assert answers == {"deputy": 403, "leader": 403, "other": 404}
    assert empty.status_code == 400
    assert done.status_code == 200
    assert Invitation.objects.filter(activity=planned_course, deputy=grassroots).exists()


def test_issue_certificates_action(api, held, planned_course, office_user, deputy_user):
    api.force_authenticate(deputy_user)
    as_deputy = api.post(f"/api/v1/training-courses/{held.pk}/issue-certificates/")
    api.force_authenticate(office_user)
    not_held = api.post(f"/api/v1/training-courses/{planned_course.pk}/issue-certificates/")
    first = api.post(f"/api/v1/training-courses/{held.pk}/issue-certificates/")
    second = api.post(f"/api/v1/training-courses/{held.pk}/issue-certificates/")

    assert as_deputy.status_code == 404  # not invited: the course is not theirs to see
    assert not_held.status_code == 409
    assert first.status_code == 200
    numbers = [row["certificate_number"] for row in first.json()]
    assert numbers == ["2026-培-0001", "2026-培-0002"]
    assert second.json() == first.json()


def test_materials_and_complete_action(api, world, deputy_user, other_deputy_user, office_user):
    material = LearningMaterialFactory(congress=world.a.congress)
    LearningMaterialFactory(congress=world.a.congress, is_published=False)
    url = f"/api/v1/learning-materials/{material.pk}/complete/"

    api.force_authenticate(other_deputy_user)
    foreign = api.post(url)
    api.force_authenticate(office_user)
    as_staff = api.post(url)
    staff_rows = api.get("/api/v1/learning-materials/").json()["results"]
    api.force_authenticate(deputy_user)
    done = api.post(url)
    twice = api.post(url)
    rows = api.get("/api/v1/learning-materials/").json()["results"]

    assert (foreign.status_code, as_staff.status_code, done.status_code, twice.status_code) == (404, 403, 201, 409)
    assert [(r["id"], r["completed"]) for r in rows] == [(material.pk, True)]
    assert len(staff_rows) == 2
    assert MaterialCompletion.objects.filter(material=material).count() == 1


def test_figures_endpoint(api, held, office_user, leader_user, deputy_user):
    api.force_authenticate(leader_user)
    response = api.get("/api/v1/training-figures/", {"year": 2026})
    bad = api.get("/api/v1/training-figures/", {"year": "20x6"})
    api.force_authenticate(deputy_user)
    as_deputy = api.get("/api/v1/training-figures/", {"year": 2026})

    assert response.json() == {
        "year": 2026,
        "courses_held": 1,
        "deputies_trained": 2,
        "person_times": 2,
        "hours": "6.0",
    }
    assert bad.status_code == 400
    assert as_deputy.status_code == 403


@pytest.mark.parametrize("prefix", ["training-plans", "training-courses", "learning-materials"])
def test_list_query_budgets(api, world, office_user, django_assert_num_queries, prefix):
    api.force_authenticate(office_user)

    def add_rows(count=18, first=0):
        for n in range(first, first + count):
            PlannedCourseFactory(
                plan=TrainingPlanFactory(congress=world.a.congress, year=2040 + n), organiser=world.a.committee
            )
            course = ActivityFactory(congress=world.a.congress, kind=ActivityKind.TRAINING_COURSE)
            InvitationFactory(activity=course, deputy=world.a.deputies[0])
            MaterialCompletionFactory(material=LearningMaterialFactory(congress=world.a.congress))

    add_rows(count=2, first=100)  # the two rows the list starts with
    assert_same_query_count(django_assert_num_queries, fetch=lambda: api.get(f"/api/v1/{prefix}/"), add_rows=add_rows)


def test_deputy_sees_only_invited_and_open_courses(api, world, planned_course, deputy_user):
    invited = ActivityFactory(congress=world.a.congress, kind=ActivityKind.TRAINING_COURSE)
    InvitationFactory(activity=invited, deputy=deputy_user.deputy)
    open_course = ActivityFactory(congress=world.a.congress, kind=ActivityKind.TRAINING_COURSE, open_enrollment=True)
    api.force_authenticate(deputy_user)

    rows = api.get("/api/v1/training-courses/").json()["results"]

    assert {row["id"] for row in rows} == {invited.pk, open_course.pk}
    assert Invitation.objects.get(activity=invited).status == InvitationStatus.INVITED
