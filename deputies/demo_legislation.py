"""Demo data of legislation and supervision participation (city congress): a 2026 proposal round with
proposals sorted into the plan, a draft regulation open for comments, a legislative research, the
2026 部门服务抽样评 with three fully scored groups, an inspection and a law-enforcement check. The demo
account "deputy" has the draft to comment on and sits in an evaluation group. Idempotent: it returns
early once the round exists."""

from __future__ import annotations

import datetime
import random
from typing import Any

from django.contrib.auth import get_user_model
from django.utils import timezone

from .choices import ActivityKind, EvaluationKind, MandateStatus
from .duty import duty_record_act
from .models import (
    Deputy,
    DraftComment,
    EvaluationScore,
    Invitation,
    LegislativeProposal,
    LegislativeRound,
    Mandate,
)
from .services.activities import activity_hold, invitation_mark_attended
from .services.legislation import (
    draft_create,
    draft_open_for_comments,
    legislative_research_create,
    proposal_include,
    round_close,
)
from .services.supervision import evaluation_group_create, evaluation_project_create, supervision_activity_create

ROUND_TITLE = "2026年度地方性法规立法计划项目征集"

PROPOSALS = [
    ("益阳市物业管理条例", "小区物业纠纷多发，业主委员会运行不规范，需要地方立法予以规范。"),
    ("益阳市物业管理条例", "物业服务收费与服务质量不匹配，群众反映强烈。"),
    ("益阳市养犬管理条例", "城区养犬数量增加，犬只伤人和扰民问题突出。"),
    ("益阳市养犬管理条例", "文明养犬缺乏刚性约束，执法依据不足。"),
    ("益阳市农村村民住房建设管理条例", "农村自建房安全隐患较多，审批和监管需要规范。"),
    ("益阳市农村村民住房建设管理条例", "配合自建房安全专项整治，建立长效机制。"),
    ("益阳市农村村民住房建设管理条例", "村民建房风貌管控缺乏依据。"),
    ("益阳市电动自行车管理条例", "电动自行车违规充电引发火灾风险。"),
    ("益阳市历史文化街区保护条例", "部分历史建筑年久失修，保护责任不明确。"),
    ("益阳市安化黑茶产业发展促进条例", "黑茶产业是我市特色支柱产业，需要立法促进品牌保护。"),
    ("益阳市安化黑茶产业发展促进条例", "茶园基地建设和质量追溯需要制度保障。"),
    ("益阳市扬尘污染防治条例", "建筑工地和道路扬尘影响空气质量。"),
    ("益阳市志愿服务条例", "志愿服务激励保障机制不健全。"),
    ("益阳市洞庭湖湿地保护条例", "湿地生态保护与渔民转产安置需要统筹。"),
    ("益阳市城市公共停车场管理条例", "老城区停车难问题突出。"),
]
IN_PLAN = {"益阳市物业管理条例", "益阳市农村村民住房建设管理条例", "益阳市安化黑茶产业发展促进条例"}

DRAFT_TITLE = "益阳市城市绿化条例（草案）"
DRAFT_TEXT = """益阳市城市绿化条例（草案）

第一章　总则
第一条　为了促进城市绿化事业发展，改善生态环境和人居环境，根据有关法律、行政法规，结合本市实际，制定本条例。
第二条　本条例适用于本市城市规划区内的城市绿化规划、建设、保护和管理活动。
第三条　城市绿化工作应当坚持政府主导、社会参与、规划引领、保护优先的原则。
第四条　市、县（市、区）人民政府应当将城市绿化纳入国民经济和社会发展规划，所需经费列入本级财政预算。
第五条　市城市绿化主管部门负责本市城市绿化的监督管理工作。自然资源和规划、住房和城乡建设等部门按照职责做好相关工作。
第二章　规划和建设
第六条　市城市绿化主管部门会同自然资源和规划部门编制城市绿地系统规划，报市人民政府批准后公布实施。
第七条　城市绿地系统规划确定的绿地，任何单位和个人不得擅自改变用途。
第八条　新建居住区绿地率不得低于百分之三十；旧城改造区绿地率不得低于百分之二十五。
第九条　城市道路、河道两侧应当按照规划建设绿化带，优先选用本地适生树种。
第十条　鼓励机关、企事业单位开展立体绿化、屋顶绿化和垂直绿化。
第十一条　城市绿化工程竣工后，建设单位应当组织验收，城市绿化主管部门应当参与。
第三章　保护和管理
第十二条　任何单位和个人不得擅自砍伐、移植城市树木。确需砍伐、移植的，应当依法办理审批手续。
第十三条　古树名木实行统一普查、建档、挂牌保护，严禁砍伐或者移植。
第十四条　城市绿地的养护管理责任按照谁所有、谁负责的原则确定。
第十五条　违反本条例规定，擅自砍伐城市树木的，由城市绿化主管部门责令停止违法行为，并按照规定予以处罚。
第十六条　本条例自2027年1月1日起施行。
"""
COMMENTS = [
    ("第三条", "建议增加“因地制宜、节约集约”的原则表述。"),
    ("第四条", "建议明确县（市、区）财政投入的最低比例，确保经费落实。"),
    ("第五条", "建议写明城市管理部门在绿地日常管护中的职责，避免推诿。"),
    ("第八条", "旧城改造区百分之二十五的绿地率要求偏高，建议结合实际适当调整。"),
    ("第八条", "建议对新建居住区集中绿地的最小面积作出规定。"),
    ("第九条", "建议增加“乡土树种比例不低于百分之七十”的要求。"),
    ("第十条", "鼓励性条款建议配套奖励措施，否则难以落地。"),
    ("第十二条", "建议明确紧急情况下先行处置、事后补办手续的程序。"),
    ("第十三条", "建议将古树后备资源一并纳入保护范围。"),
    ("第十四条", "老旧小区无物业管理的，建议明确由街道（乡镇）负责养护。"),
    ("第十五条", "罚款标准建议按照树木胸径分档设置，增强可操作性。"),
    ("第十五条", "建议增加对损毁绿地行为的处罚规定。"),
]
GENERAL_COMMENTS = [
    "草案总体结构清晰，建议增加“公众参与”一章，鼓励市民认建认养绿地。",
    "建议与《益阳市城乡规划条例》做好衔接，避免规定冲突。",
]


def _aware(day: datetime.date, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


def _attend_and_hold(activity: Any, actor: Any, rng: random.Random, absent: int) -> None:
    invitations = list(Invitation.objects.filter(activity=activity).order_by("pk"))
    missing = set(rng.sample(range(len(invitations)), k=min(absent, len(invitations))))
    for index, invitation in enumerate(invitations):
        if index not in missing:
            invitation_mark_attended(invitation=invitation, actor=actor)
    activity_hold(activity=activity, actor=actor)


def seed(context: dict[str, Any]) -> None:
    city = context["city"]
    log = context.get("log", lambda message: None)
    if LegislativeRound.objects.filter(congress=city, title=ROUND_TITLE).exists():
        log("legislation and supervision: already loaded")
        return
    rng = random.Random(20260415)  # noqa: S311 - fixed demo choices, not secrets
    office = get_user_model().objects.get(username="office")
    committees = context.get("committees", {})
    legal = committees.get("legal")
    serving_ids = sorted(
        Mandate.objects.filter(congress=city, status=MandateStatus.SERVING).values_list("deputy_id", flat=True)
    )
    deputies = list(Deputy.objects.filter(pk__in=serving_ids).order_by("pk"))
    demo = Deputy.objects.filter(user__username="deputy", pk__in=serving_ids).first()
    others = [deputy for deputy in deputies if demo is None or deputy.pk != demo.pk]
    today = timezone.localdate()

    # A closed 2026 round: proposals written as the deputies sent them, some taken into the plan.
    legislative_round = LegislativeRound.objects.create(
        congress=city,
        year=2026,
        title=ROUND_TITLE,
        call="请各位代表围绕全市中心工作和群众关切，提出2026年度地方性法规制定、修改项目建议。",
        deadline=datetime.date(2025, 11, 30),
        committee=legal,
    )
    proposers = rng.sample(others, k=len(PROPOSALS))
    for (title, reason), deputy in zip(PROPOSALS, proposers, strict=True):
        proposal = LegislativeProposal.objects.create(
            congress=city, round=legislative_round, deputy=deputy, title=title, reason=reason
        )
        duty_record_act(
            deputy_id=deputy.pk,
            congress_id=city.pk,
            code="legislation",
            on=datetime.date(2025, 11, rng.randint(3, 28)),
            source_key=f"proposal:{proposal.pk}",
            description=f"立法建议：{title}",
        )
        if title in IN_PLAN:
            proposal_include(proposal=proposal, actor=office, note="列入2026年度立法计划审议项目")
    round_close(legislative_round=legislative_round, actor=office)

    # A draft open for comments, sent to 40 deputies (and the demo deputy).
    draft = draft_create(
        actor=office,
        congress=city,
        title=DRAFT_TITLE,
        text=DRAFT_TEXT,
        comment_deadline=today + datetime.timedelta(days=30),
        committee=legal,
    )
    recipients = rng.sample(others, k=40)
    draft = draft_open_for_comments(
        draft=draft,
        actor=office,
        deputy_ids=[deputy.pk for deputy in recipients] + ([demo.pk] if demo else []),
    )
    provisions = {provision.label: provision for provision in draft.provisions.all()}
    commenters = recipients[:10]
    written = [(provisions[label], text) for label, text in COMMENTS] + [(None, text) for text in GENERAL_COMMENTS]
    for index, (provision, text) in enumerate(written):
        deputy = commenters[index % len(commenters)]
        DraftComment.objects.create(congress=city, draft=draft, provision=provision, deputy=deputy, content=text)
        duty_record_act(
            deputy_id=deputy.pk,
            congress_id=city.pk,
            code="legislation",
            on=today,
            source_key=f"draft-comments:{draft.pk}",
            description=f"对{draft.title}提出意见",
        )

    # A legislative research held in April, with attendance.
    research_day = datetime.date(2026, 4, 15)
    research = legislative_research_create(
        actor=office,
        congress=city,
        title="《益阳市城市绿化条例》立法调研",
        topic="城市绿地建设和管护现状",
        starts_at=_aware(research_day, 9),
        ends_at=_aware(research_day, 12),
        place="资阳区、赫山区部分公园和小区",
        hours=3,
        organiser=legal,
        deputy_ids=[deputy.pk for deputy in recipients[:12]],
        notify_deputies=False,
    )
    _attend_and_hold(research, office, rng, absent=2)

    # The 2026 sampled evaluation of department services: three groups, two units each, fully scored.
    units = sorted(context.get("units", {}).values(), key=lambda unit: unit.pk)
    if len(units) >= 6:
        project = evaluation_project_create(
            actor=office,
            congress=city,
            year=2026,
            kind=EvaluationKind.DEPARTMENT_SERVICE,
            title="部门服务抽样评（2026年）",
            description="随机抽取6个市直部门，由代表评议小组走访、暗访并打分。",
            committee=committees.get("deputy_affairs"),
            scoring_closes_on=today + datetime.timedelta(days=45),
        )
        pool = rng.sample(others, k=12)
        sizes = [4, 5, 3]
        chosen_units = rng.sample(units, k=6)
        start = 0
        for number, size in enumerate(sizes):
            members = pool[start : start + size]
            start += size
            if number == 0 and demo is not None:
                members = [demo, *members[1:]]
            group = evaluation_group_create(
                actor=office,
                project=project,
                name=f"第{'一二三'[number]}评议小组",
                member_ids=[member.pk for member in members],
                unit_ids=[unit.pk for unit in chosen_units[number * 2 : number * 2 + 2]],
            )
            for unit in chosen_units[number * 2 : number * 2 + 2]:
                for member in members:
                    score = rng.randint(72, 98)
                    EvaluationScore.objects.create(
                        congress=city,
                        group=group,
                        unit=unit,
                        deputy=member,
                        score=score,
                        comment=rng.choice(
                            ["服务态度好，办事效率高。", "窗口服务规范，个别事项办理时限偏长。", "", ""]
                        ),
                    )
                    duty_record_act(
                        deputy_id=member.pk,
                        congress_id=city.pk,
                        code="evaluation",
                        on=today,
                        source_key=f"evaluation-group:{group.pk}",
                        description=str(group),
                    )

    # An inspection and a law-enforcement check, held with attendance.
    for kind, title, day, committee_key in [
        (ActivityKind.INSPECTION, "视察城区老旧小区改造工作", datetime.date(2026, 5, 20), "environment"),
        (
            ActivityKind.LAW_ENFORCEMENT_CHECK,
            "《中华人民共和国食品安全法》执法检查",
            datetime.date(2026, 6, 18),
            "social",
        ),
    ]:
        activity = supervision_activity_create(
            actor=office,
            congress=city,
            kind=kind,
            title=title,
            starts_at=_aware(day, 9),
            ends_at=_aware(day, 17),
            place="益阳市城区",
            hours=6,
            organiser=committees.get(committee_key),
            deputy_ids=[deputy.pk for deputy in rng.sample(others, k=10)],
            notify_deputies=False,
        )
        _attend_and_hold(activity, office, rng, absent=2)
    log("legislation and supervision: 1 round with 15 proposals, 1 draft with 14 comments, evaluation, 3 activities")
