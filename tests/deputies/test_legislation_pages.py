"""Legislation pages and API: the access matrix, the moves through the pages, exports and query budgets."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from deputies.choices import DraftStatus, MandateStatus, ProposalStatus
from deputies.models import DraftComment, LegislativeProposal
from deputies.services.legislation import draft_create, draft_open_for_comments, proposal_include
from tests.conftest import make_deputy_user
from tests.deputies.factories_legislation import (
    DraftCommentFactory,
    LegislativeProposalFactory,
    LegislativeRoundFactory,
)
from tests.queries import assert_same_query_count

TEXT = "第一章　总则\n第一条　为了促进城市绿化，制定本条例。\n第二条　本条例适用于本市。"
FUTURE = timezone.localdate() + datetime.timedelta(days=30)


@pytest.fixture
def legislative_round(world):
    return LegislativeRoundFactory(congress=world.a.congress, year=FUTURE.year, deadline=FUTURE)


@pytest.fixture
def proposal(legislative_round, deputy_user):
    return LegislativeProposalFactory(round=legislative_round, deputy=deputy_user.deputy, title="益阳市物业管理条例")


@pytest.fixture
def draft(world, office_user, deputy_user):
    draft = draft_create(
        actor=office_user,
        congress=world.a.congress,
        title="益阳市城市绿化条例（草案）",
        text=TEXT,
        comment_deadline=FUTURE,
    )
    return draft_open_for_comments(draft=draft, actor=office_user, deputy_ids=[deputy_user.deputy.pk])


def desk_urls(legislative_round, draft):
    return [
        reverse("deputies:work_legislation"),
        reverse("deputies:work_round", args=[legislative_round.pk]),
        reverse("deputies:work_plan"),
        reverse("deputies:work_draft", args=[draft.pk]),
        reverse("deputies:work_draft_report", args=[draft.pk]),
    ]


# --- access matrix ---------------------------------------------------------------------------------


def test_anonymous_users_are_sent_to_log_in(client, legislative_round, draft):
    for url in [*desk_urls(legislative_round, draft), reverse("deputies:portal_legislation")]:
        response = client.get(url)
        assert response.status_code == 302
        assert reverse("login") in response.url


@pytest.mark.parametrize("role", ["deputy_user", "unit_user", "station_user"])
def test_desk_pages_refuse_other_roles(client, request, role, legislative_round, draft):
    client.force_login(request.getfixturevalue(role))
    for url in desk_urls(legislative_round, draft):
        assert client.get(url).status_code == 403, url


@pytest.mark.parametrize("role", ["office_user", "committee_user", "leader_user"])
def test_desk_pages_open_for_staff_and_leaders(client, request, role, legislative_round, draft, proposal):
    client.force_login(request.getfixturevalue(role))
    for url in desk_urls(legislative_round, draft):
        assert client.get(url).status_code == 200, url


def test_desk_pages_of_another_congress_answer_404(client, office_user_b, legislative_round, draft):
    client.force_login(office_user_b)
    for url in desk_urls(legislative_round, draft)[1:2] + desk_urls(legislative_round, draft)[3:]:
        assert client.get(url).status_code == 404, url


@pytest.mark.parametrize("name", ["work_round_create", "work_draft_create", "work_research_create"])
def test_leaders_cannot_open_the_forms(client, leader_user, name):
    client.force_login(leader_user)
    assert client.get(reverse(f"deputies:{name}")).status_code == 403


@pytest.mark.parametrize("name", ["work_round_create", "work_draft_create", "work_research_create"])
def test_staff_open_the_forms(client, committee_user, name):
    client.force_login(committee_user)
    assert client.get(reverse(f"deputies:{name}")).status_code == 200


def test_portal_refuses_staff(client, office_user):
    client.force_login(office_user)
    assert client.get(reverse("deputies:portal_legislation")).status_code == 403


def test_portal_shows_open_rounds_my_proposals_and_drafts(client, deputy_user, legislative_round, proposal, draft):
    client.force_login(deputy_user)
    response = client.get(reverse("deputies:portal_legislation"))
    assert response.status_code == 200
    assert list(response.context["rounds"]) == [legislative_round]
    assert list(response.context["proposals"].object_list) == [proposal]
    assert list(response.context["drafts"]) == [draft]


def test_a_draft_not_sent_to_the_deputy_answers_404(client, world, draft, other_deputy_user):
    colleague = make_deputy_user(username="colleague", name="同事", seats=[(world.a.term, MandateStatus.SERVING)])
    for user in (colleague, other_deputy_user):
        client.force_login(user)
        assert client.get(reverse("deputies:portal_draft", args=[draft.pk])).status_code == 404


# --- moves through the pages ---------------------------------------------------------------------------


def test_a_deputy_proposes_through_the_portal(client, deputy_user, legislative_round):
    client.force_login(deputy_user)
    response = client.post(
        reverse("deputies:portal_propose", args=[legislative_round.pk]),
        {"title": "益阳市养犬管理条例", "reason": "群众反映强烈", "content": ""},
    )
    assert response.status_code == 302
    assert LegislativeProposal.objects.get().deputy == deputy_user.deputy


def test_a_deputy_comments_on_an_article_and_the_whole(client, deputy_user, draft):
    client.force_login(deputy_user)
    url = reverse("deputies:portal_draft", args=[draft.pk])
    article = draft.provisions.get(label="第一条")

    client.post(url, {"provision": article.pk, "content": "建议增加立体绿化内容"})
    client.post(url, {"content": "总体赞成"})
    response = client.get(url)

    assert response.status_code == 200
    assert response.context["my_count"] == 2
    assert [(c.provision_id, c.content) for c in DraftComment.objects.order_by("pk")] == [
        (article.pk, "建议增加立体绿化内容"),
        (None, "总体赞成"),
    ]


def test_staff_include_a_proposal_and_see_it_in_the_plan(client, office_user, proposal):
    client.force_login(office_user)
    client.post(reverse("deputies:work_proposal_sort", args=[proposal.pk, "include"]), {"note": "列入审议项目"})
    assert LegislativeProposal.objects.get().status == ProposalStatus.IN_PLAN
    response = client.get(reverse("deputies:work_plan"), {"year": proposal.round.year})
    assert [item.title for item in response.context["plan"]] == ["益阳市物业管理条例"]
    export = client.get(reverse("deputies:work_plan"), {"year": proposal.round.year, "format": "xlsx"})
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")


def test_leaders_cannot_sort_proposals(client, leader_user, proposal):
    client.force_login(leader_user)
    response = client.post(reverse("deputies:work_proposal_sort", args=[proposal.pk, "include"]))
    assert response.status_code == 403
    assert LegislativeProposal.objects.get().status == ProposalStatus.SUBMITTED


def test_staff_create_a_draft_send_it_and_close_it(client, world, office_user, deputy_user):
    client.force_login(office_user)
    response = client.post(
        reverse("deputies:work_draft_create"),
        {"title": "草案", "text": TEXT, "comment_deadline": FUTURE.isoformat(), "committee": ""},
    )
    draft_url = response.url
    pk = int(draft_url.rstrip("/").split("/")[-1])
    client.post(reverse("deputies:work_draft_open", args=[pk]), {"recipients": [deputy_user.deputy.pk]})
    client.post(reverse("deputies:work_draft_close", args=[pk]))
    from deputies.models import DraftRegulation

    draft = DraftRegulation.objects.get(pk=pk)
    assert draft.status == DraftStatus.CLOSED
    assert draft.provisions.count() == 3
    assert list(draft.recipients.all()) == [deputy_user.deputy]


def test_report_page_and_excel(client, office_user, draft, deputy_user):
    DraftCommentFactory(draft=draft, deputy=deputy_user.deputy, provision=draft.provisions.get(label="第二条"))
    client.force_login(office_user)
    response = client.get(reverse("deputies:work_draft_report", args=[draft.pk]))
    assert response.context["report"].comment_count == 1
    export = client.get(reverse("deputies:work_draft_report", args=[draft.pk]), {"format": "xlsx"})
    assert export.status_code == 200


# --- query budgets ---------------------------------------------------------------------------------------


def test_desk_home_query_count_does_not_grow(client, django_assert_num_queries, world, office_user):
    client.force_login(office_user)

    def add_rows(count=18, prefix="乙"):
        for n in range(count):
            LegislativeRoundFactory(congress=world.a.congress, committee=world.a.committee)
            draft_create(
                actor=office_user,
                congress=world.a.congress,
                title=f"草案{prefix}{n}",
                text=TEXT,
                comment_deadline=FUTURE,
            )

    add_rows(2, "甲")
    assert_same_query_count(
        django_assert_num_queries, lambda: client.get(reverse("deputies:work_legislation")), add_rows
    )


def test_round_page_query_count_does_not_grow(client, django_assert_num_queries, world, office_user, legislative_round):
    client.force_login(office_user)
    LegislativeProposalFactory.create_batch(2, round=legislative_round)
    assert_same_query_count(
        django_assert_num_queries,
        lambda: client.get(reverse("deputies:work_round", args=[legislative_round.pk])),
        lambda: LegislativeProposalFactory.create_batch(18, round=legislative_round),
    )


def test_plan_query_count_does_not_grow(client, django_assert_num_queries, world, office_user, legislative_round):
    client.force_login(office_user)

    def add_rows():
        for proposal in LegislativeProposalFactory.create_batch(18, round=legislative_round):
            proposal_include(proposal=proposal, actor=office_user)

    assert_same_query_count(
        django_assert_num_queries,
        lambda: client.get(reverse("deputies:work_plan"), {"year": legislative_round.year}),
        add_rows,
    )


def test_report_query_count_does_not_grow(client, django_assert_num_queries, world, office_user, draft):
    client.force_login(office_user)
    deputies = world.a.deputies
    assert_same_query_count(
        django_assert_num_queries,
        lambda: client.get(reverse("deputies:work_draft_report", args=[draft.pk])),
        lambda: [
            DraftCommentFactory(draft=draft, deputy=deputies[n % 2], provision=draft.provisions.all()[n % 3])
            for n in range(18)
        ],
    )


def test_portal_query_count_does_not_grow(
    client, django_assert_num_queries, world, office_user, deputy_user, legislative_round
):
    client.force_login(deputy_user)

    def add_rows(count=18, prefix="乙"):
        LegislativeProposalFactory.create_batch(count, round=legislative_round, deputy=deputy_user.deputy)
        for n in range(min(count, 5)):
            draft = draft_create(
                actor=office_user,
                congress=world.a.congress,
                title=f"草案{prefix}{n}",
                text=TEXT,
                comment_deadline=FUTURE,
            )
            draft_open_for_comments(draft=draft, actor=office_user, deputy_ids=[deputy_user.deputy.pk])

    add_rows(2, "甲")
    assert_same_query_count(
        django_assert_num_queries, lambda: client.get(reverse("deputies:portal_legislation")), add_rows
    )


def test_draft_page_query_count_does_not_grow(client, django_assert_num_queries, deputy_user, draft):
    client.force_login(deputy_user)
    assert_same_query_count(
        django_assert_num_queries,
        lambda: client.get(reverse("deputies:portal_draft", args=[draft.pk])),
        lambda: [
            DraftCommentFactory(draft=draft, deputy=deputy_user.deputy, provision=draft.provisions.all()[n % 3])
            for n in range(18)
        ],
    )


# --- admin -----------------------------------------------------------------------------------------------


def test_admin_pages_open_and_actions_call_the_services(client, world, office_user, draft, proposal):
    from tests.deputies.factories_legislation import EvaluationProjectFactory

    client.force_login(office_user)
    project = EvaluationProjectFactory(congress=world.a.congress)
    for url in [
        reverse("admin:deputies_draftregulation_change", args=[draft.pk]),
        reverse("admin:deputies_legislativeround_change", args=[proposal.round_id]),
        reverse("admin:deputies_evaluationproject_change", args=[project.pk]),
        reverse("admin:deputies_evaluationproject_add"),
        reverse("admin:deputies_evaluationgroup_add"),
    ]:
        assert client.get(url).status_code == 200, url

    client.post(
        reverse("admin:deputies_legislativeproposal_changelist"),
        {"action": "include_in_plan", "_selected_action": [proposal.pk]},
    )
    assert LegislativeProposal.objects.get().status == ProposalStatus.IN_PLAN
