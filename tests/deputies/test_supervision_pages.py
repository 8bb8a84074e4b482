"""Supervision pages and API: the access matrix, scoring through the portal and the API, results
(printable, Excel) and query budgets."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from deputies.choices import MandateStatus
from deputies.models import Activity, EvaluationGroup, EvaluationScore
from deputies.services.supervision import evaluation_group_create, evaluation_score_submit
from tests.conftest import make_deputy_user
from tests.congress.factories import HandlingUnitFactory
from tests.deputies.factories import ActivityFactory
from tests.deputies.factories_legislation import EvaluationProjectFactory, EvaluationScoreFactory
from tests.queries import assert_same_query_count

FUTURE = timezone.localdate() + datetime.timedelta(days=30)


@pytest.fixture
def members(world, deputy_user):
    return [
        deputy_user,
        *(
            make_deputy_user(username=f"m{n}", name=f"评议{n}", seats=[(world.a.term, MandateStatus.SERVING)])
            for n in range(2)
        ),
    ]


@pytest.fixture
def project(world):
    return EvaluationProjectFactory(congress=world.a.congress, scoring_closes_on=FUTURE)


@pytest.fixture
def group(world, project, members, office_user):
    return evaluation_group_create(
        actor=office_user,
        project=project,
        name="第一组",
        member_ids=[u.deputy.pk for u in members],
        unit_ids=[world.a.unit.pk, world.a.child_unit.pk],
    )


def desk_urls(project):
    return [
        reverse("deputies:work_supervision"),
        reverse("deputies:work_evaluation", args=[project.pk]),
        reverse("deputies:work_evaluation_results", args=[project.pk]),
    ]


def test_anonymous_users_are_sent_to_log_in(client, project):
    for url in [*desk_urls(project), reverse("deputies:portal_evaluations")]:
        assert reverse("login") in client.get(url).url


@pytest.mark.parametrize("role", ["deputy_user", "unit_user", "station_user"])
def test_desk_pages_refuse_other_roles(client, request, role, project):
    client.force_login(request.getfixturevalue(role))
    for url in desk_urls(project):
        assert client.get(url).status_code == 403


@pytest.mark.parametrize("role", ["office_user", "committee_user", "leader_user"])
def test_desk_pages_open_for_staff(client, request, role, project, group):
    client.force_login(request.getfixturevalue(role))
    for url in desk_urls(project):
        assert client.get(url).status_code == 200


def test_desk_pages_of_another_congress_answer_404(client, office_user_b, project):
    client.force_login(office_user_b)
    for url in desk_urls(project)[1:]:
        assert client.get(url).status_code == 404


@pytest.mark.parametrize("name", ["work_supervision_activity_create", "work_evaluation_create"])
def test_forms_are_for_office_and_committee_staff(client, committee_user, leader_user, name):
    client.force_login(leader_user)
    assert client.get(reverse(f"deputies:{name}")).status_code == 403
    client.force_login(committee_user)
    assert client.get(reverse(f"deputies:{name}")).status_code == 200


def test_portal_refuses_staff(client, office_user):
    client.force_login(office_user)
    assert client.get(reverse("deputies:portal_evaluations")).status_code == 403


def test_staff_form_a_group_through_the_desk(client, world, project, members, office_user):
    client.force_login(office_user)
    url = reverse("deputies:work_evaluation_group_create", args=[project.pk])
    too_few = client.post(url, {"name": "组", "members": [members[0].deputy.pk], "units": [world.a.unit.pk]})
    assert too_few.status_code == 200
    assert "members" in too_few.context["form"].errors
    done = client.post(url, {"name": "组", "members": [u.deputy.pk for u in members], "units": [world.a.unit.pk]})
    assert done.status_code == 302
    assert EvaluationGroup.objects.get().members.count() == 3


def test_staff_create_an_inspection_through_the_desk(client, world, office_user):
    client.force_login(office_user)
    response = client.post(
        reverse("deputies:work_supervision_activity_create"),
        {
            "kind": "law_enforcement_check",
            "title": "《城市绿化条例》执法检查",
            "starts_at": "2026-06-10T09:00",
            "ends_at": "2026-06-10T12:00",
            "hours": "3",
        },
    )
    assert response.status_code == 302
    assert Activity.objects.get().kind == "law_enforcement_check"


def test_a_member_scores_through_the_portal_and_changes_the_score(client, world, group, deputy_user):
    client.force_login(deputy_user)
    url = reverse("deputies:portal_score", args=[group.pk, world.a.unit.pk])
    client.post(url, {"score": "85", "comment": "较好"})
    client.post(url, {"score": "90", "comment": "很好"})
    client.post(url, {"score": "101"})

    assert list(EvaluationScore.objects.values_list("score", "comment")) == [(90, "很好")]
    page = client.get(reverse("deputies:portal_evaluations"))
    assert page.context["groups"][0]["group"] == group


def test_a_deputy_outside_the_group_cannot_score(client, world, group, other_deputy_user):
    outsider = make_deputy_user(username="outsider", name="局外", seats=[(world.a.term, MandateStatus.SERVING)])
    for user in (outsider, other_deputy_user):
        client.force_login(user)
        response = client.post(reverse("deputies:portal_score", args=[group.pk, world.a.unit.pk]), {"score": "80"})
        assert response.status_code == 404
    assert not EvaluationScore.objects.exists()


def test_results_page_and_excel(client, world, group, members, office_user, project):
    for user, score in zip(members, [80, 90, 70], strict=True):
        evaluation_score_submit(group=group, unit=world.a.unit, actor=user, score=score)
    client.force_login(office_user)
    response = client.get(reverse("deputies:work_evaluation_results", args=[project.pk]))
    [result] = response.context["results"]
    assert (result.count, str(result.average)) == (3, "80.00")
    export = client.get(reverse("deputies:work_evaluation_results", args=[project.pk]), {"format": "xlsx"})
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")


# --- API -------------------------------------------------------------------------------------------------


def test_api_scores_are_the_deputys_own(world, group, members, deputy_user, office_user, project):
    api = APIClient()
    api.force_authenticate(deputy_user)
    payload = {"group": group.pk, "unit": world.a.unit.pk, "score": 88, "comment": "好"}
    assert api.post("/api/v1/evaluation-scores/", payload, format="json").status_code == 201
    assert api.post("/api/v1/evaluation-scores/", {**payload, "score": 89}, format="json").status_code == 200
    assert api.post("/api/v1/evaluation-scores/", {**payload, "score": 101}, format="json").status_code == 400
    evaluation_score_submit(group=group, unit=world.a.unit, actor=members[1], score=60)
    assert [row["score"] for row in api.get("/api/v1/evaluation-scores/").json()["results"]] == [89]

    api.force_authenticate(office_user)
    assert len(api.get("/api/v1/evaluation-scores/").json()["results"]) == 2
    assert api.post("/api/v1/evaluation-scores/", payload, format="json").status_code == 403


def test_api_projects_results_for_staff_only(world, group, deputy_user, office_user, office_user_b, project):
    evaluation_score_submit(group=group, unit=world.a.unit, actor=deputy_user, score=88)
    other_project = EvaluationProjectFactory(congress=world.a.congress)
    api = APIClient()

    api.force_authenticate(office_user)
    assert {row["id"] for row in api.get("/api/v1/evaluation-projects/").json()["results"]} == {
        project.pk,
        other_project.pk,
    }
    assert api.get(f"/api/v1/evaluation-projects/{project.pk}/").json()["results"][0]["count"] == 1

    api.force_authenticate(deputy_user)  # only the projects they evaluate in, without results
    assert [row["id"] for row in api.get("/api/v1/evaluation-projects/").json()["results"]] == [project.pk]
    assert api.get(f"/api/v1/evaluation-projects/{project.pk}/").json()["results"] is None

    api.force_authenticate(office_user_b)
    assert api.get(f"/api/v1/evaluation-projects/{project.pk}/").status_code == 404


# --- query budgets ---------------------------------------------------------------------------------------


def test_desk_home_query_count_does_not_grow(client, django_assert_num_queries, world, office_user):
    client.force_login(office_user)

    def add_rows(count=18):
        ActivityFactory.create_batch(count, congress=world.a.congress, kind="inspection", organiser=world.a.committee)
        EvaluationProjectFactory.create_batch(count, congress=world.a.congress)

    add_rows(2)
    assert_same_query_count(
        django_assert_num_queries, lambda: client.get(reverse("deputies:work_supervision")), add_rows
    )


def test_project_and_results_query_count_does_not_grow(
    client, django_assert_num_queries, world, office_user, project, group
):
    client.force_login(office_user)

    def add_rows():
        for n in range(6):
            unit = HandlingUnitFactory(congress=world.a.congress)
            group.units.add(unit)
            for deputy in group.members.all():
                EvaluationScoreFactory(group=group, unit=unit, deputy=deputy, score=60 + n, comment="意见")

    for name in ("work_evaluation", "work_evaluation_results"):
        assert_same_query_count(
            django_assert_num_queries,
            lambda name=name: client.get(reverse(f"deputies:{name}", args=[project.pk])),
            add_rows,
        )


def test_portal_query_count_does_not_grow(client, django_assert_num_queries, world, office_user, deputy_user, group):
    client.force_login(deputy_user)
    colleagues = [
        make_deputy_user(username=f"c{n}", name=f"同组{n}", seats=[(world.a.term, MandateStatus.SERVING)])
        for n in range(2)
    ]

    def add_rows():
        for n in range(4):
            evaluation_group_create(
                actor=office_user,
                project=EvaluationProjectFactory(congress=world.a.congress),
                name=f"组{n}",
                member_ids=[deputy_user.deputy.pk, *(c.deputy.pk for c in colleagues)],
                unit_ids=[world.a.unit.pk, world.a.child_unit.pk],
            )

    assert_same_query_count(
        django_assert_num_queries, lambda: client.get(reverse("deputies:portal_evaluations")), add_rows
    )


def test_api_list_query_count_does_not_grow(django_assert_num_queries, world, office_user, group):
    api = APIClient()
    api.force_authenticate(office_user)

    def add_rows(count=9):
        for _ in range(count):
            unit = HandlingUnitFactory(congress=world.a.congress)
            for deputy in list(group.members.all())[:2]:
                EvaluationScoreFactory(group=group, unit=unit, deputy=deputy)
            EvaluationProjectFactory(congress=world.a.congress)

    add_rows(1)
    for url in ("/api/v1/evaluation-scores/", "/api/v1/evaluation-projects/"):
        assert_same_query_count(django_assert_num_queries, lambda url=url: api.get(url), add_rows)
