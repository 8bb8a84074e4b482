"""Supervision: activities of the supervision kinds, evaluation projects, the 3–5 group rule, scores
(0–100, once per unit, editable until the closing date, duty record once per group) and results."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from deputies.choices import MandateStatus
from deputies.exceptions import NotAllowed, WorkflowError
from deputies.models import ActivityRecord, EvaluationGroup, EvaluationScore, Invitation
from deputies.selectors.supervision import groups_of_deputy, project_groups, project_results
from deputies.services.supervision import (
    evaluation_group_create,
    evaluation_group_update,
    evaluation_project_create,
    evaluation_score_submit,
    supervision_activity_create,
)
from tests.conftest import make_deputy_user
from tests.congress.factories import HandlingUnitFactory
from tests.deputies.factories_legislation import EvaluationProjectFactory

DAY = datetime.date(2026, 9, 1)
START = datetime.datetime(2026, 5, 6, 1, 0, tzinfo=datetime.UTC)


def deputy_users(world, count, prefix="member"):
    return [
        make_deputy_user(
            username=f"{prefix}{n}", name=f"评议代表{prefix}{n}", seats=[(world.a.term, MandateStatus.SERVING)]
        )
        for n in range(count)
    ]


@pytest.fixture
def project(world):
    return EvaluationProjectFactory(congress=world.a.congress, scoring_closes_on=datetime.date(2026, 10, 31))


@pytest.fixture
def members(world, deputy_user):
    return [deputy_user, *deputy_users(world, 2)]


@pytest.fixture
def group(project, members, office_user, world):
    return evaluation_group_create(
        actor=office_user,
        project=project,
        name="第一组",
        member_ids=[u.deputy.pk for u in members],
        unit_ids=[world.a.unit.pk, world.a.child_unit.pk],
    )


@pytest.mark.parametrize("kind", ["inspection", "budget_review", "law_enforcement_check"])
def test_supervision_activities_are_activities_with_invitations(world, office_user, kind):
    activity = supervision_activity_create(
        actor=office_user,
        congress=world.a.congress,
        kind=kind,
        title="视察",
        starts_at=START,
        ends_at=START + datetime.timedelta(hours=3),
        deputy_ids=[d.pk for d in world.a.deputies],
        notify_deputies=False,
    )
    assert activity.kind == kind
    assert activity.duty_code == "inspection"
    assert Invitation.objects.filter(activity=activity).count() == 2


def test_a_supervision_activity_of_another_kind_is_refused(world, office_user):
    with pytest.raises(ValidationError):
        supervision_activity_create(
            actor=office_user,
            congress=world.a.congress,
            kind="training_course",
            title="x",
            starts_at=START,
            ends_at=START,
        )


def test_deputies_cannot_create_supervision_activities(world, deputy_user):
    with pytest.raises(NotAllowed):
        supervision_activity_create(
            actor=deputy_user, congress=world.a.congress, kind="inspection", title="x", starts_at=START, ends_at=START
        )


def test_staff_create_an_evaluation_project_once(world, committee_user):
    evaluation_project_create(
        actor=committee_user, congress=world.a.congress, year=2026, kind="department_service", title="部门服务抽样评"
    )
    with pytest.raises(ValidationError):
        evaluation_project_create(
            actor=committee_user,
            congress=world.a.congress,
            year=2026,
            kind="department_service",
            title="部门服务抽样评",
        )


def test_a_group_of_three_is_formed(group, members, world):
    assert set(group.members.values_list("pk", flat=True)) == {u.deputy.pk for u in members}
    assert set(group.units.values_list("pk", flat=True)) == {world.a.unit.pk, world.a.child_unit.pk}


@pytest.mark.parametrize("count", [2, 6])
def test_groups_of_fewer_than_three_or_more_than_five_are_refused(world, project, office_user, count):
    users = deputy_users(world, count)
    with pytest.raises(ValidationError) as error:
        evaluation_group_create(
            actor=office_user,
            project=project,
            name="组",
            member_ids=[u.deputy.pk for u in users],
            unit_ids=[world.a.unit.pk],
        )
    assert "3" in error.value.message_dict["members"][0]
    assert "5" in error.value.message_dict["members"][0]
    assert not EvaluationGroup.objects.exists()


def test_a_group_of_five_is_formed(world, project, office_user):
    users = deputy_users(world, 5)
    group = evaluation_group_create(
        actor=office_user,
        project=project,
        name="组",
        member_ids=[u.deputy.pk for u in users],
        unit_ids=[world.a.unit.pk],
    )
    assert group.members.count() == 5


def test_group_members_must_serve_in_the_congress(world, project, office_user, other_deputy_user):
    users = deputy_users(world, 2)
    with pytest.raises(ValidationError, match=other_deputy_user.deputy.name):
        evaluation_group_create(
            actor=office_user,
            project=project,
            name="组",
            member_ids=[*(u.deputy.pk for u in users), other_deputy_user.deputy.pk],
            unit_ids=[world.a.unit.pk],
        )


def test_group_units_must_be_of_the_congress(world, project, office_user):
    users = deputy_users(world, 3)
    with pytest.raises(ValidationError) as error:
        evaluation_group_create(
            actor=office_user,
            project=project,
            name="组",
            member_ids=[u.deputy.pk for u in users],
            unit_ids=[world.b.unit.pk],
        )
    assert "units" in error.value.message_dict


def test_a_deputy_is_in_one_group_per_project(world, group, members, project, office_user):
    others = deputy_users(world, 2, prefix="other")
    with pytest.raises(ValidationError, match=members[0].deputy.name):
        evaluation_group_create(
            actor=office_user,
            project=project,
            name="第二组",
            member_ids=[members[0].deputy.pk, *(u.deputy.pk for u in others)],
            unit_ids=[world.a.unit.pk],
        )


def test_a_group_is_changed_under_the_same_rules(world, group, members, office_user):
    extra = deputy_users(world, 1, prefix="extra")[0]
    evaluation_group_update(
        group=group,
        actor=office_user,
        name="第一组",
        member_ids=[*(u.deputy.pk for u in members), extra.deputy.pk],
        unit_ids=[world.a.unit.pk],
    )
    assert group.members.count() == 4
    with pytest.raises(ValidationError):
        evaluation_group_update(
            group=group, actor=office_user, name="第一组", member_ids=[extra.deputy.pk], unit_ids=[world.a.unit.pk]
        )


def test_a_member_scores_a_unit_recorded_once_per_group(world, group, deputy_user):
    # when the member scores both units of the group, and the first one again
    first, created_first = evaluation_score_submit(
        group=group, unit=world.a.unit, actor=deputy_user, score=85, comment="服务较好", as_of=DAY
    )
    evaluation_score_submit(group=group, unit=world.a.child_unit, actor=deputy_user, score=70, as_of=DAY)
    again, created_again = evaluation_score_submit(
        group=group, unit=world.a.unit, actor=deputy_user, score=90, comment="整改到位", as_of=DAY
    )

    # then the second score of the first unit replaced the first one
    assert (created_first, created_again) == (True, False)
    assert again.pk == first.pk
    assert EvaluationScore.objects.filter(group=group, deputy=deputy_user.deputy).count() == 2
    assert EvaluationScore.objects.get(pk=first.pk).score == 90
    # and the duty record has one evaluation act for the group
    records = ActivityRecord.objects.filter(deputy=deputy_user.deputy, activity_type__code="evaluation")
    assert list(records.values_list("source_key", flat=True)) == [f"evaluation-group:{group.pk}"]


@pytest.mark.parametrize("score", [-1, 101, 85.5, True])
def test_scores_outside_0_to_100_are_refused(world, group, deputy_user, score):
    with pytest.raises(ValidationError):
        evaluation_score_submit(group=group, unit=world.a.unit, actor=deputy_user, score=score, as_of=DAY)
    assert not EvaluationScore.objects.exists()


@pytest.mark.parametrize("score", [0, 100])
def test_scores_0_and_100_are_taken(world, group, deputy_user, score):
    row, _created = evaluation_score_submit(group=group, unit=world.a.unit, actor=deputy_user, score=score, as_of=DAY)
    assert row.score == score


def test_scoring_after_the_closing_date_is_refused(world, group, deputy_user):
    with pytest.raises(WorkflowError, match="2026-10-31"):
        evaluation_score_submit(
            group=group, unit=world.a.unit, actor=deputy_user, score=80, as_of=datetime.date(2026, 11, 1)
        )
    assert not ActivityRecord.objects.exists()


def test_scoring_on_the_closing_date_is_taken(world, group, deputy_user):
    evaluation_score_submit(
        group=group, unit=world.a.unit, actor=deputy_user, score=80, as_of=datetime.date(2026, 10, 31)
    )
    assert EvaluationScore.objects.count() == 1


def test_a_deputy_outside_the_group_cannot_score(world, group):
    outsider = deputy_users(world, 1, prefix="outsider")[0]
    with pytest.raises(NotAllowed):
        evaluation_score_submit(group=group, unit=world.a.unit, actor=outsider, score=80, as_of=DAY)


def test_a_unit_outside_the_group_cannot_be_scored(world, group, deputy_user):
    with pytest.raises(ValidationError):
        evaluation_score_submit(
            group=group, unit=HandlingUnitFactory(congress=world.a.congress), actor=deputy_user, score=80, as_of=DAY
        )


def test_results_per_unit_equal_a_hand_count(world, group, members, project, office_user):
    # given three scores for the first unit (85, 90, 71) and two for the second (60, 60)
    for user, score in zip(members, [85, 90, 71], strict=True):
        evaluation_score_submit(
            group=group, unit=world.a.unit, actor=user, score=score, comment=f"意见{score}", as_of=DAY
        )
    for user in members[:2]:
        evaluation_score_submit(group=group, unit=world.a.child_unit, actor=user, score=60, as_of=DAY)

    # when the results are read
    results = project_results(project=project)

    # then they are ranked with the averages, counts, lows, highs and comments counted by hand
    assert [(r.rank, r.unit_name, r.average, r.count, r.minimum, r.maximum) for r in results] == [
        (1, world.a.unit.name, Decimal("82.00"), 3, 71, 90),
        (2, world.a.child_unit.name, Decimal("60.00"), 2, 60, 60),
    ]
    assert [score for _name, score, _comment in results[0].comments] == [90, 85, 71]
    assert results[1].comments == []


def test_equal_averages_share_a_rank(world, group, members, project):
    evaluation_score_submit(group=group, unit=world.a.unit, actor=members[0], score=80, as_of=DAY)
    evaluation_score_submit(group=group, unit=world.a.child_unit, actor=members[0], score=80, as_of=DAY)
    assert [r.rank for r in project_results(project=project)] == [1, 1]


def test_progress_and_my_groups(world, group, members, project, deputy_user):
    evaluation_score_submit(group=group, unit=world.a.unit, actor=deputy_user, score=80, as_of=DAY)

    [progress] = project_groups(project=project)
    assert (progress.scored, progress.expected, progress.complete) == (1, 6, False)

    [mine] = groups_of_deputy(user=deputy_user)
    assert mine["group"] == group
    assert {unit.pk: score.score if score else None for unit, score in mine["units"]} == {
        world.a.unit.pk: 80,
        world.a.child_unit.pk: None,
    }
