"""Trainings and the learning area: the plan, courses, invitations by category, certificates,
materials and the yearly figures (services and selectors)."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from deputies.choices import (
    ActivityKind,
    ActivityState,
    DeputyCategory,
    InvitationStatus,
    MandateStatus,
    PlanStatus,
    SignInMethod,
    TrainingKind,
)
from deputies.exceptions import NotAllowed, WorkflowError
from deputies.models import Activity, ActivityRecord, Invitation, MaterialCompletion, TrainingPlan
from deputies.selectors.training import training_figures
from deputies.services.activities import (
    activity_enroll,
    activity_hold,
    activity_sign_in,
    invitation_mark_attended,
    invitation_respond,
)
from deputies.services.training import (
    course_invite,
    course_issue_certificates,
    course_open,
    material_complete,
    material_publish,
    planned_course_add,
    planned_course_update,
    training_plan_approve,
    training_plan_create,
    training_plan_include_in_schedule,
)
from tests.deputies.factories import ActivityFactory, DeputyFactory, InvitationFactory, MandateFactory
from tests.deputies.factories_training import LearningMaterialFactory, PlannedCourseFactory, TrainingPlanFactory

pytestmark = pytest.mark.django_db

STARTS = datetime.datetime(2026, 6, 10, 1, 0, tzinfo=datetime.UTC)  # 09:00 in Beijing
ENDS = STARTS + datetime.timedelta(hours=8)


def reread(model, obj):
    return model.objects.get(pk=obj.pk)


def serving(world, category, count=1):
    return [MandateFactory(term=world.a.term, deputy=DeputyFactory(category=category)).deputy for _ in range(count)]


def open_course(world, actor, **fields):
    plan = TrainingPlanFactory(congress=world.a.congress, year=2026, approved=True)
    planned = PlannedCourseFactory(plan=plan, organiser=world.a.committee)
    return course_open(actor=actor, planned_course=planned, starts_at=STARTS, ends_at=ENDS, hours=6, **fields)


def held_course_with_attendees(world, actor, deputies):
    course = ActivityFactory(
        congress=world.a.congress, kind=ActivityKind.TRAINING_COURSE, training_kind=TrainingKind.ONLINE, hours=4
    )
    for deputy in deputies:
        invitation_mark_attended(invitation=InvitationFactory(activity=course, deputy=deputy), actor=actor)
    return activity_hold(activity=course, actor=actor)


# --- the whole run, as the issue says it ------------------------------------------------------------


def test_committee_staff_runs_a_training_from_plan_to_certificates(world, office_user, committee_user, deputy_user):
    # given office staff draft a plan with a committee's course, and approve it into the yearly schedule
    plan = training_plan_create(actor=office_user, congress=world.a.congress, year=2026, title="2026年度代表培训计划")
    planned = planned_course_add(
        plan=plan,
        actor=committee_user,
        title="生态环境保护专题培训班",
        kind=TrainingKind.THEMATIC_AWAY,
        organiser=world.a.committee,
        month=6,
        planned_deputies=40,
        audience="基层和专业代表",
    )
    training_plan_approve(plan=plan, actor=office_user, on=datetime.date(2026, 2, 20))
    training_plan_include_in_schedule(plan=plan, actor=office_user)
    me = deputy_user.deputy
    me.category = DeputyCategory.GRASSROOTS
    me.save()
    professional = serving(world, DeputyCategory.PROFESSIONAL)[0]
    official = serving(world, DeputyCategory.OFFICIAL)[0]

    # when committee staff open the course from the plan and invite grassroots and professional deputies
    course = course_open(actor=committee_user, planned_course=planned, starts_at=STARTS, ends_at=ENDS, hours=6)
    invited = course_invite(
        course=course, actor=committee_user, categories=[DeputyCategory.GRASSROOTS, DeputyCategory.PROFESSIONAL]
    )
    # and the deputy accepts and signs in by the code, and staff close the course and issue certificates
    mine = Invitation.objects.get(activity=course, deputy=me)
    invitation_respond(invitation=mine, actor=deputy_user, accept=True)
    activity_sign_in(activity=course, actor=deputy_user, method=SignInMethod.CODE, code=course.sign_in_code, now=STARTS)
    activity_hold(activity=course, actor=committee_user)
    issued = course_issue_certificates(course=course, actor=committee_user)

    # then the course came from the plan with its kind and organiser
    course = reread(Activity, course)
    assert (course.kind, course.training_kind, course.organiser) == (
        ActivityKind.TRAINING_COURSE,
        TrainingKind.THEMATIC_AWAY,
        world.a.committee,
    )
    assert reread(TrainingPlan, plan).in_yearly_schedule
    # the invitation chose by category (grassroots world deputies, me, the professional; not the official)
    invited_ids = {invitation.deputy_id for invitation in invited}
    assert {me.pk, professional.pk} <= invited_ids
    assert official.pk not in invited_ids
    # only the deputy who signed in attended, with the course's hours and the first number of the year
    mine = reread(Invitation, mine)
    assert mine.status == InvitationStatus.ATTENDED
    assert mine.hours == Decimal("6.0")
    assert [invitation.pk for invitation in issued] == [mine.pk]
    assert mine.certificate_number == "2026-培-0001"
    # and the duty record has the training with its points
    record = ActivityRecord.objects.get(deputy=me, source_key=f"invitation:{mine.pk}")
    assert record.activity_type.code == "training"
    assert record.points == Decimal("2.0")


# --- the plan --------------------------------------------------------------------------------------


def test_only_office_staff_create_and_approve_plans(world, committee_user, office_user):
    # given committee staff (who may add courses but not own the plan)
    # when they try to create a plan, and to approve office staff's plan
    with pytest.raises(NotAllowed):
        training_plan_create(actor=committee_user, congress=world.a.congress, year=2026, title="计划")
    plan = PlannedCourseFactory(plan__congress=world.a.congress, organiser=world.a.committee).plan
    with pytest.raises(NotAllowed):
        training_plan_approve(plan=plan, actor=committee_user)

    # then the plan stays a draft
    assert reread(TrainingPlan, plan).status == PlanStatus.DRAFT


def test_office_staff_of_another_congress_cannot_touch_the_plan(world, office_user_b):
    plan = PlannedCourseFactory(plan__congress=world.a.congress, organiser=world.a.committee).plan

    with pytest.raises(NotAllowed):
        training_plan_approve(plan=plan, actor=office_user_b)


def test_one_plan_per_congress_and_year(world, office_user):
    training_plan_create(actor=office_user, congress=world.a.congress, year=2026, title="计划")

    with pytest.raises(ValidationError) as error:
        training_plan_create(actor=office_user, congress=world.a.congress, year=2026, title="又一个计划")

    assert "year" in error.value.message_dict
    assert TrainingPlan.objects.filter(congress=world.a.congress).count() == 1


def test_approving_twice_is_refused(world, office_user):
    # given an approved plan
    plan = PlannedCourseFactory(plan__congress=world.a.congress, organiser=world.a.committee).plan
    training_plan_approve(plan=plan, actor=office_user, on=datetime.date(2026, 2, 1))

    # when it is approved again
    with pytest.raises(WorkflowError):
        training_plan_approve(plan=plan, actor=office_user, on=datetime.date(2026, 3, 1))

    # then the first approval stands, with its day and who
    plan = reread(TrainingPlan, plan)
    assert plan.status == PlanStatus.APPROVED
    assert plan.approved_on == datetime.date(2026, 2, 1)
    assert plan.approved_by == office_user


def test_a_plan_without_courses_cannot_be_approved(world, office_user):
    plan = TrainingPlanFactory(congress=world.a.congress)

    with pytest.raises(WorkflowError):
        training_plan_approve(plan=plan, actor=office_user)


def test_planned_courses_are_frozen_once_approved(world, office_user):
    planned = PlannedCourseFactory(plan__congress=world.a.congress, organiser=world.a.committee)
    training_plan_approve(plan=planned.plan, actor=office_user)

    with pytest.raises(WorkflowError):
        planned_course_update(planned_course=planned, actor=office_user, planned_deputies=99)
    with pytest.raises(WorkflowError):
        planned_course_add(
            plan=planned.plan, actor=office_user, title="新课", kind=TrainingKind.ONLINE, organiser=world.a.committee
        )


def test_planned_course_edit_while_draft_and_organiser_of_the_congress(world, office_user):
    planned = PlannedCourseFactory(plan__congress=world.a.congress, organiser=world.a.committee)

    updated = planned_course_update(planned_course=planned, actor=office_user, planned_deputies=60, month=9)
    with pytest.raises(ValidationError):
        planned_course_update(planned_course=planned, actor=office_user, organiser=world.b.committee)

    assert (updated.planned_deputies, updated.month) == (60, 9)


def test_a_draft_plan_cannot_be_included_in_the_schedule(world, office_user):
    plan = TrainingPlanFactory(congress=world.a.congress)

    with pytest.raises(WorkflowError):
        training_plan_include_in_schedule(plan=plan, actor=office_user)

    assert not reread(TrainingPlan, plan).in_yearly_schedule


# --- courses -------------------------------------------------------------------------------------


def test_a_course_cannot_be_opened_from_a_draft_plan(world, office_user):
    planned = PlannedCourseFactory(plan__congress=world.a.congress, organiser=world.a.committee)

    with pytest.raises(WorkflowError):
        course_open(actor=office_user, planned_course=planned, starts_at=STARTS, ends_at=ENDS)

    assert not Activity.objects.filter(planned_course=planned).exists()


def test_a_course_can_be_opened_outside_the_plan(world, committee_user):
    course = course_open(
        actor=committee_user,
        congress=world.a.congress,
        title="新任代表初任培训",
        training_kind=TrainingKind.INDUCTION,
        starts_at=STARTS,
        ends_at=ENDS,
        capacity=50,
    )

    assert course.planned_course is None
    assert (course.kind, course.capacity, course.state) == (ActivityKind.TRAINING_COURSE, 50, ActivityState.PLANNED)


def test_opening_needs_a_title_and_a_kind(world, committee_user):
    with pytest.raises(ValidationError) as error:
        course_open(actor=committee_user, congress=world.a.congress, starts_at=STARTS, ends_at=ENDS)

    assert {"title", "training_kind"} <= set(error.value.message_dict)


def test_unit_staff_and_deputies_cannot_open_courses(world, unit_user, deputy_user):
    for actor in (unit_user, deputy_user):
        with pytest.raises(NotAllowed):
            course_open(
                actor=actor,
                congress=world.a.congress,
                title="课",
                training_kind=TrainingKind.ONLINE,
                starts_at=STARTS,
                ends_at=ENDS,
            )


def test_invite_can_leave_out_deputies_trained_this_year(world, office_user):
    # given two grassroots deputies, one of whom attended a course this year
    trained, fresh = serving(world, DeputyCategory.PROFESSIONAL, 2)
    held_course_with_attendees(world, office_user, [trained])
    course = open_course(world, office_user)

    # when professional deputies are invited leaving out those already trained
    created = course_invite(
        course=course, actor=office_user, categories=[DeputyCategory.PROFESSIONAL], exclude_trained=True
    )

    # then only the one not trained yet is invited
    assert [invitation.deputy_id for invitation in created] == [fresh.pk]


def test_invite_by_explicit_ids_and_again_adds_nobody_twice(world, office_user):
    course = open_course(world, office_user)
    chosen = [deputy.pk for deputy in world.a.deputies]

    first = course_invite(course=course, actor=office_user, deputy_ids=chosen)
    second = course_invite(course=course, actor=office_user, deputy_ids=chosen)

    assert {invitation.deputy_id for invitation in first} == set(chosen)
    assert second == []
    assert Invitation.objects.filter(activity=course).count() == 2


def test_invite_refuses_deputies_of_another_congress_and_empty_choices(world, office_user):
    course = open_course(world, office_user)

    with pytest.raises(ValidationError):
        course_invite(course=course, actor=office_user, deputy_ids=[world.b.deputies[0].pk])
    with pytest.raises(ValidationError):
        course_invite(course=course, actor=office_user)

    assert not Invitation.objects.filter(activity=course).exists()


def test_invite_leaves_out_resigned_deputies_of_a_category(world, office_user):
    course = open_course(world, office_user)
    resigned = MandateFactory(
        term=world.a.term, status=MandateStatus.RESIGNED, deputy=DeputyFactory(category=DeputyCategory.OFFICIAL)
    ).deputy

    created = course_invite(course=course, actor=office_user, categories=[DeputyCategory.OFFICIAL], deputy_ids=[])

    assert resigned.pk not in {invitation.deputy_id for invitation in created}


def test_enrolling_in_a_full_course_is_refused(world, office_user, deputy_user):
    # given an open course with one place, taken
    course = open_course(world, office_user, capacity=1, open_enrollment=True)
    invitation_respond(
        invitation=course_invite(course=course, actor=office_user, deputy_ids=[world.a.deputies[0].pk])[0],
        actor=_user_for(world.a.deputies[0]),
        accept=True,
    )

    # when the deputy enrols
    with pytest.raises(WorkflowError):
        activity_enroll(activity=course, actor=deputy_user)

    # then they hold no place
    assert not Invitation.objects.filter(activity=course, deputy=deputy_user.deputy).exists()


def _user_for(deputy):
    from django.contrib.auth.models import Group

    from congress.roles import Role
    from tests.congress.factories import UserFactory

    user = UserFactory(username=f"deputy-{deputy.pk}")
    user.groups.add(Group.objects.get(name=Role.DEPUTY))
    deputy.user = user
    deputy.save()
    return user


def test_certificates_need_a_held_course(world, office_user):
    course = open_course(world, office_user)

    with pytest.raises(WorkflowError):
        course_issue_certificates(course=course, actor=office_user)


def test_certificates_are_sequential_per_congress_and_idempotent(world, office_user, office_user_b):
    # given two held courses of A and one of B
    first = held_course_with_attendees(world, office_user, world.a.deputies)
    second = held_course_with_attendees(world, office_user, [world.dual_deputy])
    other = ActivityFactory(congress=world.b.congress, kind=ActivityKind.TRAINING_COURSE, hours=2)
    invitation_mark_attended(
        invitation=InvitationFactory(activity=other, deputy=world.b.deputies[0]), actor=office_user_b
    )
    activity_hold(activity=other, actor=office_user_b)

    # when certificates are issued for each, and again for the first
    course_issue_certificates(course=first, actor=office_user)
    course_issue_certificates(course=second, actor=office_user)
    course_issue_certificates(course=other, actor=office_user_b)
    again = course_issue_certificates(course=first, actor=office_user)

    # then A's numbers run 0001..0003 without gaps, B starts its own series, and nothing was renumbered
    numbers_a = sorted(
        Invitation.objects.filter(congress=world.a.congress).values_list("certificate_number", flat=True)
    )
    assert numbers_a == ["2026-培-0001", "2026-培-0002", "2026-培-0003"]
    assert Invitation.objects.get(activity=other).certificate_number == "2026-培-0001"
    assert again == []


def test_absent_deputies_get_no_certificate(world, office_user):
    course = open_course(world, office_user)
    course_invite(course=course, actor=office_user, deputy_ids=[d.pk for d in world.a.deputies])
    attended = Invitation.objects.get(activity=course, deputy=world.a.deputies[0])
    invitation_mark_attended(invitation=attended, actor=office_user)
    activity_hold(activity=course, actor=office_user)

    issued = course_issue_certificates(course=course, actor=office_user)

    assert [invitation.pk for invitation in issued] == [attended.pk]
    absent = Invitation.objects.get(activity=course, deputy=world.a.deputies[1])
    assert (absent.status, absent.certificate_number) == (InvitationStatus.ABSENT, "")


def test_certificates_are_not_for_other_activities(world, office_user):
    meeting_work = ActivityFactory(congress=world.a.congress, kind=ActivityKind.GROUP_RESEARCH)
    activity_hold(activity=meeting_work, actor=office_user)

    with pytest.raises(WorkflowError):
        course_issue_certificates(course=meeting_work, actor=office_user)


# --- learning area ----------------------------------------------------------------------------------


def test_a_deputy_completes_a_material_once_and_it_counts_as_study(world, deputy_user):
    # given a published material
    material = LearningMaterialFactory(congress=world.a.congress)

    # when the deputy completes it, then tries again
    completion = material_complete(material=material, actor=deputy_user)
    with pytest.raises(WorkflowError):
        material_complete(material=material, actor=deputy_user)

    # then there is one completion and one study act in the duty record
    assert completion.deputy == deputy_user.deputy
    assert MaterialCompletion.objects.filter(material=material).count() == 1
    record = ActivityRecord.objects.get(deputy=deputy_user.deputy, source_key=f"material:{material.pk}")
    assert record.activity_type.code == "study"


def test_unpublished_materials_cannot_be_completed(world, deputy_user):
    material = LearningMaterialFactory(congress=world.a.congress, is_published=False)

    with pytest.raises(WorkflowError):
        material_complete(material=material, actor=deputy_user)


def test_a_deputy_of_another_congress_cannot_complete(world, other_deputy_user):
    material = LearningMaterialFactory(congress=world.a.congress)

    with pytest.raises(NotAllowed):
        material_complete(material=material, actor=other_deputy_user)


def test_publishing_needs_a_file_or_link_and_staff(world, office_user, deputy_user):
    empty = LearningMaterialFactory(congress=world.a.congress, url="", is_published=False)
    linked = LearningMaterialFactory(congress=world.a.congress, is_published=False)

    with pytest.raises(ValidationError):
        material_publish(material=empty, actor=office_user)
    with pytest.raises(NotAllowed):
        material_publish(material=linked, actor=deputy_user)
    published = material_publish(material=linked, actor=office_user)
    hidden = material_publish(material=linked, actor=office_user, publish=False)

    assert published.is_published is True
    assert hidden.is_published is False


# --- figures -------------------------------------------------------------------------------------------


def test_figures_equal_a_hand_count(world, office_user, django_assert_num_queries):
    # given two held courses in 2026 (deputy 甲 in both), a planned course, a course of 2025 and one of B
    a1, a2 = world.a.deputies
    held_course_with_attendees(world, office_user, [a1, a2])  # 2 person-times, 4 hours each
    second = held_course_with_attendees(world, office_user, [a1])
    course_invite(course=open_course(world, office_user), actor=office_user, deputy_ids=[a2.pk])  # not held
    old = ActivityFactory(
        congress=world.a.congress,
        kind=ActivityKind.TRAINING_COURSE,
        hours=9,
        starts_at=STARTS.replace(year=2025),
        ends_at=ENDS.replace(year=2025),
    )
    invitation_mark_attended(invitation=InvitationFactory(activity=old, deputy=a1), actor=office_user)
    activity_hold(activity=old, actor=office_user)
    # an absentee of a held course counts nowhere
    absentee = InvitationFactory(activity=ActivityFactory(congress=world.a.congress, kind=ActivityKind.TRAINING_COURSE))
    activity_hold(activity=absentee.activity, actor=office_user)

    # when the 2026 figures are read
    with django_assert_num_queries(1):
        figures = training_figures(congress_id=world.a.congress.pk, year=2026)

    # then they match the hand count: 3 held courses, 2 deputies, 3 person-times, 12 hours
    assert second.state == ActivityState.HELD
    assert (figures.courses_held, figures.deputies_trained, figures.person_times) == (3, 2, 3)
    assert figures.hours == Decimal("12.0")
