"""Legislation: provision parsing, rounds and proposals, the plan list, drafts and comments, the report."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from congress.models import Notification
from deputies.choices import DraftStatus, MandateStatus, ProposalStatus, ProvisionKind, RoundStatus
from deputies.exceptions import NotAllowed, WorkflowError
from deputies.models import ActivityRecord, DraftComment, DraftProvision, Invitation, LegislativeProposal
from deputies.selectors.legislation import draft_comment_report, legislative_plan
from deputies.services.legislation import (
    chinese_numeral,
    draft_close,
    draft_comment_add,
    draft_create,
    draft_open_for_comments,
    draft_update,
    legislative_research_create,
    parse_provisions,
    proposal_exclude,
    proposal_include,
    proposal_submit,
    round_close,
    round_create,
)
from tests.conftest import make_deputy_user
from tests.deputies.factories_legislation import (
    DraftRegulationFactory,
    LegislativeProposalFactory,
    LegislativeRoundFactory,
)

DAY = datetime.date(2026, 3, 1)

DRAFT_TEXT = """益阳市城市绿化条例（草案）

第一章　总则
第一条　为了促进城市绿化事业发展，制定本条例。
第二条　本条例适用于本市城市规划区。
本市其他区域参照执行。
第二章　规划和建设
第一节　规划
第三条　市人民政府组织编制城市绿地系统规划。
第二节　建设
第二十三条　新建项目绿地率不得低于百分之三十。
依照第三条规定编制的规划应当公开。
第三章　附则
第一百零五条　本条例自2027年1月1日起施行。
"""


def labels(provisions):
    return [(p.kind, p.label) for p in provisions]


# --- parsing ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "number"),
    [
        ("一", 1),
        ("十", 10),
        ("十三", 13),
        ("二十", 20),
        ("二十三", 23),
        ("一百", 100),
        ("一百零五", 105),
        ("一百一十", 110),
        ("两百", 200),
        ("一千零一", 1001),
        ("105", 105),
    ],
)
def test_chinese_numerals_are_read(written, number):
    assert chinese_numeral(written) == number


@pytest.mark.parametrize("written", ["一二", "零", "abc", ""])
def test_malformed_numerals_are_refused(written):
    with pytest.raises(ValueError):  # noqa: PT011
        chinese_numeral(written)


def test_draft_text_is_split_into_chapters_sections_and_articles():
    # when the text of a draft with chapters, sections and articles is parsed
    provisions = parse_provisions(DRAFT_TEXT)

    # then the headings come in order, the title line before them belongs to none
    assert labels(provisions) == [
        (ProvisionKind.CHAPTER, "第一章"),
        (ProvisionKind.ARTICLE, "第一条"),
        (ProvisionKind.ARTICLE, "第二条"),
        (ProvisionKind.CHAPTER, "第二章"),
        (ProvisionKind.SECTION, "第一节"),
        (ProvisionKind.ARTICLE, "第三条"),
        (ProvisionKind.SECTION, "第二节"),
        (ProvisionKind.ARTICLE, "第二十三条"),
        (ProvisionKind.CHAPTER, "第三章"),
        (ProvisionKind.ARTICLE, "第一百零五条"),
    ]
    by_label = {p.label: p for p in provisions}
    assert by_label["第一章"].text == "总则"
    # an article runs over its lines; a reference to 第三条 inside a sentence is not a heading
    assert by_label["第二条"].text == "本条例适用于本市城市规划区。\n本市其他区域参照执行。"
    assert by_label["第二十三条"].text.endswith("依照第三条规定编制的规划应当公开。")
    assert by_label["第二十三条"].number == 23
    assert by_label["第一百零五条"].number == 105


def test_table_of_contents_is_skipped():
    # given a draft opening with a table of contents
    text = "目录\n第一章　总则\n第二章　附则\n\n第一章　总则\n第一条　甲。\n第二章　附则\n第二条　乙。"

    # when it is parsed
    provisions = parse_provisions(text)

    # then each chapter appears once, from the body
    assert labels(provisions) == [
        (ProvisionKind.CHAPTER, "第一章"),
        (ProvisionKind.ARTICLE, "第一条"),
        (ProvisionKind.CHAPTER, "第二章"),
        (ProvisionKind.ARTICLE, "第二条"),
    ]


def test_text_without_headings_has_no_provisions():
    assert parse_provisions("一段没有条文编号的文字。") == []


# --- rounds and proposals --------------------------------------------------------------------------


@pytest.fixture
def open_round(world):
    return LegislativeRoundFactory(congress=world.a.congress, deadline=datetime.date(2026, 3, 31))


def test_staff_open_a_round(world, committee_user):
    # when committee staff open a round
    legislative_round = round_create(
        actor=committee_user,
        congress=world.a.congress,
        year=2027,
        title="2027年度立法项目征集",
        deadline=datetime.date(2026, 11, 30),
        committee=world.a.committee,
    )

    # then it is open
    assert legislative_round.status == RoundStatus.OPEN


@pytest.mark.parametrize("role", ["deputy_user", "leader_user", "unit_user", "office_user_b"])
def test_others_cannot_open_a_round(request, world, role):
    with pytest.raises(NotAllowed):
        round_create(
            actor=request.getfixturevalue(role),
            congress=world.a.congress,
            year=2027,
            title="x",
            deadline=datetime.date(2026, 11, 30),
        )


def test_a_serving_deputy_submits_a_proposal_recorded_once(world, deputy_user, open_round):
    # when the deputy submits a proposal before the deadline
    proposal = proposal_submit(
        legislative_round=open_round, actor=deputy_user, title="益阳市物业管理条例", reason="矛盾突出", as_of=DAY
    )

    # then it is submitted and their duty record has one legislation act for it
    assert proposal.status == ProposalStatus.SUBMITTED
    assert proposal.deputy == deputy_user.deputy
    records = ActivityRecord.objects.filter(deputy=deputy_user.deputy, activity_type__code="legislation")
    assert list(records.values_list("source_key", flat=True)) == [f"proposal:{proposal.pk}"]


def test_proposal_after_the_deadline_is_refused(world, deputy_user, open_round):
    with pytest.raises(WorkflowError, match="2026-03-31"):
        proposal_submit(
            legislative_round=open_round, actor=deputy_user, title="x", reason="y", as_of=datetime.date(2026, 4, 1)
        )
    assert not LegislativeProposal.objects.exists()
    assert not ActivityRecord.objects.exists()


def test_proposal_on_the_deadline_day_is_taken(world, deputy_user, open_round):
    proposal_submit(legislative_round=open_round, actor=deputy_user, title="x", reason="y", as_of=open_round.deadline)
    assert LegislativeProposal.objects.count() == 1


def test_proposal_to_a_closed_round_is_refused(world, office_user, deputy_user, open_round):
    # given the round was closed
    round_close(legislative_round=open_round, actor=office_user)

    # when a deputy proposes, then it is refused
    with pytest.raises(WorkflowError):
        proposal_submit(legislative_round=open_round, actor=deputy_user, title="x", reason="y", as_of=DAY)


def test_closing_twice_is_refused(world, office_user, open_round):
    round_close(legislative_round=open_round, actor=office_user)
    with pytest.raises(WorkflowError):
        round_close(legislative_round=open_round, actor=office_user)


@pytest.mark.parametrize("role", ["other_deputy_user", "resigned_deputy_user", "office_user"])
def test_only_serving_deputies_of_the_congress_propose(request, world, open_round, role):
    with pytest.raises(NotAllowed):
        proposal_submit(
            legislative_round=open_round, actor=request.getfixturevalue(role), title="x", reason="y", as_of=DAY
        )


def test_proposal_needs_a_title_and_a_reason(world, deputy_user, open_round):
    with pytest.raises(ValidationError) as error:
        proposal_submit(legislative_round=open_round, actor=deputy_user, title=" ", reason="", as_of=DAY)
    assert set(error.value.message_dict) == {"title", "reason"}


def test_staff_sort_proposals_into_the_plan_and_the_proposer_is_told(world, office_user, deputy_user, open_round):
    # given a proposal
    proposal = proposal_submit(legislative_round=open_round, actor=deputy_user, title="x", reason="y", as_of=DAY)

    # when staff include it, then change their mind
    included = proposal_include(proposal=proposal, actor=office_user, note="列入审议项目")
    excluded = proposal_exclude(proposal=proposal, actor=office_user, note="条件尚不成熟")

    # then the status and note followed, and the proposer was told twice
    assert included.status == ProposalStatus.IN_PLAN
    assert excluded.status == ProposalStatus.NOT_INCLUDED
    assert excluded.plan_note == "条件尚不成熟"
    assert Notification.objects.filter(user=deputy_user).count() == 2


def test_including_twice_is_refused(world, office_user, open_round):
    proposal = LegislativeProposalFactory(round=open_round)
    proposal_include(proposal=proposal, actor=office_user)
    with pytest.raises(WorkflowError):
        proposal_include(proposal=proposal, actor=office_user)


def test_deputies_cannot_sort_proposals(world, deputy_user, open_round):
    proposal = LegislativeProposalFactory(round=open_round, deputy=deputy_user.deputy)
    with pytest.raises(NotAllowed):
        proposal_include(proposal=proposal, actor=deputy_user)
    assert LegislativeProposal.objects.get().status == ProposalStatus.SUBMITTED


def test_plan_list_groups_proposals_by_regulation(world, office_user, open_round):
    # given three proposals for two regulations in the plan, one left out, and one of another year
    first, second = world.a.deputies
    proposals = [
        LegislativeProposalFactory(round=open_round, deputy=first, title="益阳市物业管理条例"),
        LegislativeProposalFactory(round=open_round, deputy=second, title="益阳市 物业管理条例"),
        LegislativeProposalFactory(round=open_round, deputy=first, title="益阳市养犬管理条例"),
    ]
    left_out = LegislativeProposalFactory(round=open_round, deputy=second, title="益阳市扬尘污染防治条例")
    other_year = LegislativeProposalFactory(
        round=LegislativeRoundFactory(congress=world.a.congress, year=2025), title="益阳市物业管理条例"
    )
    for proposal in [*proposals, other_year]:
        proposal_include(proposal=proposal, actor=office_user)
    proposal_exclude(proposal=left_out, actor=office_user)

    # when the 2026 plan list is read
    plan = legislative_plan(user=office_user, year=2026)

    # then it has the two regulations, the most proposed first, with their proposers
    assert [(item.title, len(item.proposals)) for item in plan] == [
        ("益阳市 物业管理条例", 2),
        ("益阳市养犬管理条例", 1),
    ]
    assert plan[0].proposers == sorted([first.name, second.name])


def test_legislative_research_is_an_activity_with_invitations(world, office_user):
    # when staff create a legislative research with two invited deputies
    start = datetime.datetime(2026, 5, 6, 1, 0, tzinfo=datetime.UTC)
    activity = legislative_research_create(
        actor=office_user,
        congress=world.a.congress,
        title="物业管理立法调研",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=4),
        deputy_ids=[d.pk for d in world.a.deputies],
        notify_deputies=False,
    )

    # then it is a legislative research that counts as legislation, with two invitations
    assert activity.kind == "legislative_research"
    assert activity.duty_code == "legislation"
    assert Invitation.objects.filter(activity=activity).count() == 2


# --- drafts and comments ----------------------------------------------------------------------------


@pytest.fixture
def draft(world, office_user):
    return draft_create(
        actor=office_user,
        congress=world.a.congress,
        title="益阳市城市绿化条例（草案）",
        text=DRAFT_TEXT,
        comment_deadline=datetime.date(2026, 6, 30),
    )


@pytest.fixture
def consulting(draft, office_user, deputy_user):
    return draft_open_for_comments(draft=draft, actor=office_user, deputy_ids=[deputy_user.deputy.pk], as_of=DAY)


def test_creating_a_draft_finds_its_provisions(draft):
    assert draft.status == DraftStatus.PREPARING
    assert list(draft.provisions.values_list("label", flat=True))[:3] == ["第一章", "第一条", "第二条"]
    assert list(draft.provisions.values_list("position", flat=True)) == list(range(1, 11))


def test_editing_a_prepared_draft_parses_it_again(draft, office_user):
    draft_update(
        draft=draft,
        actor=office_user,
        title=draft.title,
        text="第一条　甲。\n第二条　乙。\n第三条　丙。",
        comment_deadline=draft.comment_deadline,
    )
    assert list(DraftProvision.objects.filter(draft=draft).values_list("label", flat=True)) == [
        "第一条",
        "第二条",
        "第三条",
    ]


def test_a_draft_sent_for_comments_cannot_be_edited(consulting, office_user):
    with pytest.raises(WorkflowError):
        draft_update(draft=consulting, actor=office_user, title="x", text="第一条　甲。", comment_deadline=DAY)


def test_opening_for_comments_asks_the_chosen_deputies_and_tells_them(consulting, deputy_user):
    assert consulting.status == DraftStatus.CONSULTING
    assert list(consulting.recipients.all()) == [deputy_user.deputy]
    assert Notification.objects.filter(user=deputy_user).count() == 1


def test_opening_for_all_asks_every_serving_deputy(world, draft, office_user, deputy_user, resigned_deputy_user):
    # when staff send the draft to all deputies
    draft_open_for_comments(draft=draft, actor=office_user, as_of=DAY)

    # then every serving deputy of A is asked (not the one who resigned there, not B's)
    asked = set(draft.recipients.values_list("pk", flat=True))
    assert asked == {*(d.pk for d in world.a.deputies), world.dual_deputy.pk, deputy_user.deputy.pk}


def test_opening_for_deputies_of_another_congress_is_refused(world, draft, office_user, other_deputy_user):
    with pytest.raises(ValidationError, match=other_deputy_user.deputy.name):
        draft_open_for_comments(draft=draft, actor=office_user, deputy_ids=[other_deputy_user.deputy.pk], as_of=DAY)
    assert draft.recipients.count() == 0


def test_opening_with_a_past_deadline_is_refused(draft, office_user):
    with pytest.raises(ValidationError):
        draft_open_for_comments(draft=draft, actor=office_user, as_of=datetime.date(2026, 7, 1))


def test_a_recipient_comments_on_an_article_and_on_the_whole_recorded_once(consulting, deputy_user):
    # given an article of the draft
    article = consulting.provisions.get(label="第二十三条")

    # when the deputy comments on it, on another article, and on the whole draft
    draft_comment_add(
        draft=consulting, actor=deputy_user, provision=article, content="建议提高到百分之三十五", as_of=DAY
    )
    draft_comment_add(
        draft=consulting,
        actor=deputy_user,
        provision=consulting.provisions.get(label="第一条"),
        content="甲",
        as_of=DAY,
    )
    draft_comment_add(draft=consulting, actor=deputy_user, content="总体赞成", as_of=DAY)

    # then three comments are kept and the duty record has one legislation act for the draft
    assert DraftComment.objects.filter(draft=consulting).count() == 3
    records = ActivityRecord.objects.filter(deputy=deputy_user.deputy, activity_type__code="legislation")
    assert list(records.values_list("source_key", flat=True)) == [f"draft-comments:{consulting.pk}"]


def test_a_deputy_not_asked_cannot_comment(world, consulting):
    user = make_deputy_user(username="not-asked", name="未征求代表", seats=[(world.a.term, MandateStatus.SERVING)])
    with pytest.raises(NotAllowed):
        draft_comment_add(draft=consulting, actor=user, content="x", as_of=DAY)


def test_comment_after_the_deadline_is_refused(consulting, deputy_user):
    with pytest.raises(WorkflowError, match="2026-06-30"):
        draft_comment_add(draft=consulting, actor=deputy_user, content="x", as_of=datetime.date(2026, 7, 1))
    assert not DraftComment.objects.exists()
    assert not ActivityRecord.objects.exists()


def test_comment_on_a_closed_draft_is_refused(consulting, office_user, deputy_user):
    draft_close(draft=consulting, actor=office_user)
    with pytest.raises(WorkflowError):
        draft_comment_add(draft=consulting, actor=deputy_user, content="x", as_of=DAY)


def test_comment_on_a_prepared_draft_is_refused(draft, deputy_user):
    draft.recipients.add(deputy_user.deputy)
    with pytest.raises(WorkflowError):
        draft_comment_add(draft=draft, actor=deputy_user, content="x", as_of=DAY)


def test_comment_on_a_provision_of_another_draft_is_refused(world, consulting, deputy_user):
    other = DraftRegulationFactory(congress=world.a.congress)
    provision = DraftProvision.objects.create(
        congress=world.a.congress, draft=other, kind="article", label="第一条", text="x", position=1
    )
    with pytest.raises(ValidationError):
        draft_comment_add(draft=consulting, actor=deputy_user, provision=provision, content="x", as_of=DAY)


def test_closing_needs_a_draft_open_for_comments(draft, office_user):
    with pytest.raises(WorkflowError):
        draft_close(draft=draft, actor=office_user)


def test_report_compiles_comments_per_provision_then_general(world, consulting, office_user, deputy_user):
    # given two deputies' comments on two articles and on the whole
    colleague = make_deputy_user(username="colleague", name="同事代表", seats=[(world.a.term, MandateStatus.SERVING)])
    consulting.recipients.add(colleague.deputy)
    article_1 = consulting.provisions.get(label="第一条")
    article_23 = consulting.provisions.get(label="第二十三条")
    draft_comment_add(draft=consulting, actor=colleague, provision=article_23, content="丙", as_of=DAY)
    draft_comment_add(draft=consulting, actor=deputy_user, provision=article_23, content="乙", as_of=DAY)
    draft_comment_add(draft=consulting, actor=deputy_user, provision=article_1, content="甲", as_of=DAY)
    draft_comment_add(draft=consulting, actor=colleague, content="总体赞成", as_of=DAY)

    # when the report is compiled
    report = draft_comment_report(draft=consulting)

    # then the commented provisions come in the draft's order, with their comments and commenters
    assert [(e.provision.label, [c.content for c in e.comments]) for e in report.commented_entries] == [
        ("第一条", ["甲"]),
        ("第二十三条", ["丙", "乙"]),
    ]
    assert report.commented_entries[1].commenters == sorted(["同事代表", "甲本人代表"])
    assert [c.content for c in report.general] == ["总体赞成"]
    assert (report.comment_count, report.commenter_count, report.recipient_count) == (4, 2, 2)
    assert report.provisions_commented == 2
    assert len(report.entries) == 10
