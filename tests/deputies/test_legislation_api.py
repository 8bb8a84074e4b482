"""Legislation API: rounds, proposals, drafts with provisions, comments and the report; scoped."""

import datetime

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from deputies.choices import ProposalStatus, RoundStatus
from deputies.models import DraftComment, LegislativeProposal
from deputies.services.legislation import draft_create, draft_open_for_comments
from tests.deputies.factories_legislation import (
    DraftCommentFactory,
    LegislativeProposalFactory,
    LegislativeRoundFactory,
)
from tests.queries import assert_same_query_count

TEXT = "第一章　总则\n第一条　为了促进城市绿化，制定本条例。\n第二条　本条例适用于本市。"
FUTURE = timezone.localdate() + datetime.timedelta(days=30)


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def legislative_round(world):
    return LegislativeRoundFactory(congress=world.a.congress, deadline=FUTURE)


@pytest.fixture
def mine(legislative_round, deputy_user):
    return LegislativeProposalFactory(round=legislative_round, deputy=deputy_user.deputy)


@pytest.fixture
def theirs(legislative_round, world):
    return LegislativeProposalFactory(round=legislative_round, deputy=world.a.deputies[0])


@pytest.fixture
def draft(world, office_user, deputy_user):
    draft = draft_create(actor=office_user, congress=world.a.congress, title="草案", text=TEXT, comment_deadline=FUTURE)
    return draft_open_for_comments(draft=draft, actor=office_user, deputy_ids=[deputy_user.deputy.pk])


def ids(response):
    return [row["id"] for row in response.json()["results"]]


def test_anonymous_is_refused(api, legislative_round):
    assert api.get("/api/v1/legislative-rounds/").status_code == 401


def test_rounds_are_scoped_and_closed_by_staff(api, legislative_round, office_user, deputy_user, office_user_b):
    api.force_authenticate(deputy_user)
    assert ids(api.get("/api/v1/legislative-rounds/")) == [legislative_round.pk]
    assert api.post(f"/api/v1/legislative-rounds/{legislative_round.pk}/close/").status_code == 403

    api.force_authenticate(office_user_b)
    assert ids(api.get("/api/v1/legislative-rounds/")) == []
    assert api.post(f"/api/v1/legislative-rounds/{legislative_round.pk}/close/").status_code == 404

    api.force_authenticate(office_user)
    response = api.post(f"/api/v1/legislative-rounds/{legislative_round.pk}/close/")
    assert response.status_code == 200
    assert response.json()["status"] == RoundStatus.CLOSED
    assert api.post(f"/api/v1/legislative-rounds/{legislative_round.pk}/close/").status_code == 409


def test_a_deputy_sees_only_their_own_proposals(api, deputy_user, office_user, mine, theirs):
    api.force_authenticate(deputy_user)
    assert ids(api.get("/api/v1/legislative-proposals/")) == [mine.pk]
    assert api.get(f"/api/v1/legislative-proposals/{theirs.pk}/").status_code == 404

    api.force_authenticate(office_user)
    assert sorted(ids(api.get("/api/v1/legislative-proposals/"))) == sorted([mine.pk, theirs.pk])


def test_a_deputy_proposes_and_staff_cannot(api, deputy_user, office_user, other_deputy_user, legislative_round):
    payload = {"round": legislative_round.pk, "title": "益阳市物业管理条例", "reason": "矛盾突出"}
    api.force_authenticate(deputy_user)
    response = api.post("/api/v1/legislative-proposals/", payload, format="json")
    assert response.status_code == 201
    assert response.json()["status"] == ProposalStatus.SUBMITTED

    api.force_authenticate(office_user)
    assert api.post("/api/v1/legislative-proposals/", payload, format="json").status_code == 403

    api.force_authenticate(other_deputy_user)  # the round is not in their scope
    assert api.post("/api/v1/legislative-proposals/", payload, format="json").status_code == 400
    assert LegislativeProposal.objects.count() == 1


def test_staff_include_and_exclude(api, office_user, deputy_user, mine, theirs):
    api.force_authenticate(office_user)
    response = api.post(f"/api/v1/legislative-proposals/{mine.pk}/include/", {"note": "列入"}, format="json")
    assert response.status_code == 200
    assert response.json()["status"] == ProposalStatus.IN_PLAN
    assert api.post(f"/api/v1/legislative-proposals/{mine.pk}/exclude/", {}, format="json").status_code == 200

    api.force_authenticate(deputy_user)
    assert api.post(f"/api/v1/legislative-proposals/{mine.pk}/include/", {}, format="json").status_code == 403
    assert api.post(f"/api/v1/legislative-proposals/{theirs.pk}/include/", {}, format="json").status_code == 404


def test_drafts_are_seen_by_staff_and_the_deputies_asked(
    api, world, draft, office_user, deputy_user, other_deputy_user
):
    api.force_authenticate(deputy_user)
    assert ids(api.get("/api/v1/drafts/")) == [draft.pk]
    detail = api.get(f"/api/v1/drafts/{draft.pk}/").json()
    assert [p["label"] for p in detail["provisions"]] == ["第一章", "第一条", "第二条"]

    api.force_authenticate(world.a.deputies[0].user or other_deputy_user)
    assert api.get(f"/api/v1/drafts/{draft.pk}/").status_code == 404

    api.force_authenticate(office_user)
    assert ids(api.get("/api/v1/drafts/")) == [draft.pk]


def test_comments_are_written_by_the_deputies_asked_and_scoped(api, world, draft, office_user, deputy_user):
    article = draft.provisions.get(label="第二条")
    DraftCommentFactory(draft=draft, deputy=world.a.deputies[0])
    api.force_authenticate(deputy_user)
    url = f"/api/v1/drafts/{draft.pk}/comments/"

    assert api.post(url, {"provision": article.pk, "content": "建议修改"}, format="json").status_code == 201
    assert api.post(url, {"content": "总体赞成"}, format="json").status_code == 201
    assert api.post(url, {"provision": 999999, "content": "x"}, format="json").status_code == 400
    assert len(ids(api.get(url))) == 2  # only their own

    api.force_authenticate(office_user)
    assert len(ids(api.get(url))) == 3
    assert api.post(url, {"content": "x"}, format="json").status_code == 403
    assert DraftComment.objects.count() == 3


def test_report_is_for_staff(api, draft, office_user, deputy_user, leader_user):
    DraftCommentFactory(draft=draft, deputy=deputy_user.deputy, provision=draft.provisions.get(label="第一条"))
    api.force_authenticate(deputy_user)
    assert api.get(f"/api/v1/drafts/{draft.pk}/report/").status_code == 403
    for user in (office_user, leader_user):
        api.force_authenticate(user)
        report = api.get(f"/api/v1/drafts/{draft.pk}/report/").json()
        assert report["comment_count"] == 1
        assert report["provisions"][0]["provision"]["label"] == "第一条"


@pytest.mark.parametrize(
    ("url", "maker"),
    [
        (
            "/api/v1/legislative-rounds/",
            lambda w, r, d: LegislativeRoundFactory.create_batch(18, congress=w.a.congress),
        ),
        ("/api/v1/legislative-proposals/", lambda w, r, d: LegislativeProposalFactory.create_batch(18, round=r)),
        (
            "/api/v1/drafts/{draft}/comments/",
            lambda w, r, d: DraftCommentFactory.create_batch(18, draft=d, deputy=w.a.deputies[0]),
        ),
    ],
)
def test_list_query_count_does_not_grow(
    api, django_assert_num_queries, world, office_user, legislative_round, draft, url, maker
):
    api.force_authenticate(office_user)
    maker(world, legislative_round, draft)  # a few rows first
    assert_same_query_count(
        django_assert_num_queries,
        lambda: api.get(url.format(draft=draft.pk)),
        lambda: maker(world, legislative_round, draft),
    )
