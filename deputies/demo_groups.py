"""Demo data of professional groups and campaigns (Yiyang): 8 groups of the city under their committees
with about 90 members, themed activities with attendance, outputs (reports, group suggestions,
opinions, some adopted), special supervisors, and the campaign on safety and self-built housing with
51 opinions. Writes go through the services with the office user as actor; idempotent."""

from __future__ import annotations

import datetime
import random
from typing import Any

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.utils import timezone

from .choices import ActivityKind, GroupRole, MandateStatus
from .duty import duty_record_act
from .models import Campaign, CampaignOpinion, Deputy, GroupMembership, Invitation, Mandate, ProfessionalGroup
from .services.activities import activity_create, activity_hold, invitation_mark_attended
from .services.campaigns import highest_serving_level
from .services.groups import (
    group_activity_create,
    group_invite_members,
    output_mark_adopted,
    output_record,
    special_supervisor_appoint,
)

# name, field, committee key, keywords, members
GROUPS = [
    ("农业农村专业小组", "农业农村", "agriculture", "农业 农村 乡村振兴 粮食 高标准农田", 14),
    ("中医药专业小组", "中医药", "education", "中医药 中药材 医疗", 11),
    ("生态环保专业小组", "生态环保（河道采砂）", "environment", "生态 环保 河道 采砂 洞庭湖", 12),
    ("教育专业小组", "教育", "education", "教育 学校 教师 学前", 12),
    ("医疗卫生专业小组", "医疗卫生", "education", "医疗 卫生 医保 基层医疗", 11),
    ("法治专业小组", "法治", "legal", "法治 立法 执法 营商环境", 10),
    ("财经专业小组", "财经", "finance", "财政 预算 审计 金融 产业", 10),
    ("城建专业小组", "城乡建设", "social", "城建 住房 自建房 燃气 交通", 10),
]
# group, kind, title, topic, days ago, place
ACTIVITIES = [
    (
        "生态环保专业小组",
        ActivityKind.GROUP_RESEARCH,
        "河道采砂整治调研",
        "资江河道采砂综合整治",
        170,
        "资江沿岸采砂点",
    ),
    ("中医药专业小组", ActivityKind.GROUP_INSPECTION, "中医药发展视察", "中医药传承创新发展", 140, "市中医医院"),
    (
        "农业农村专业小组",
        ActivityKind.GROUP_SYMPOSIUM,
        "高标准农田建设座谈",
        "高标准农田建设与管护",
        120,
        "赫山区农业农村局",
    ),
    ("教育专业小组", ActivityKind.GROUP_RESEARCH, "乡村学校办学条件调研", "义务教育优质均衡", 95, "安化县乡村学校"),
    (
        "医疗卫生专业小组",
        ActivityKind.GROUP_TRAINING,
        "基层医疗卫生政策培训",
        "医保政策与分级诊疗",
        70,
        "市人大常委会机关",
    ),
    ("城建专业小组", ActivityKind.GROUP_INSPECTION, "城镇自建房安全视察", "经营性自建房安全整治", 50, "资阳区城区"),
]
# group, kind, title, adopted where (empty: not adopted)
OUTPUTS = [
    ("生态环保专业小组", "report", "关于资江河道采砂综合整治情况的调研报告", ""),
    ("中医药专业小组", "report", "关于全市中医药传承创新发展情况的视察报告", ""),
    ("农业农村专业小组", "report", "关于高标准农田建设与管护情况的调研报告", ""),
    ("教育专业小组", "report", "关于乡村学校办学条件改善情况的调研报告", ""),
    ("生态环保专业小组", "suggestion", "关于建立河道砂石资源统一开采管理机制的建议", ""),
    ("中医药专业小组", "suggestion", "关于支持道地中药材种植基地建设的建议", ""),
    ("农业农村专业小组", "suggestion", "关于健全高标准农田建后管护机制的建议", ""),
    ("教育专业小组", "suggestion", "关于加强乡村教师队伍建设的建议", ""),
    ("医疗卫生专业小组", "suggestion", "关于推进县域医共体建设的建议", ""),
    ("生态环保专业小组", "opinion", "关于加强采砂船只集中停靠监管的意见", "市人大常委会第十五次会议审议意见"),
    ("生态环保专业小组", "opinion", "关于建立河道采砂联合执法机制的意见", "市人大常委会第十五次会议审议意见"),
    ("生态环保专业小组", "opinion", "关于采砂迹地生态修复的意见", ""),
    ("中医药专业小组", "opinion", "关于中医医院重点专科建设的意见", "市人大常委会关于中医药工作的审议意见"),
    ("中医药专业小组", "opinion", "关于基层中医馆服务能力提升的意见", ""),
    ("农业农村专业小组", "opinion", "关于农田水利设施维护资金保障的意见", "市人大常委会第十六次会议审议意见"),
    ("农业农村专业小组", "opinion", "关于种粮大户社会化服务的意见", ""),
    ("教育专业小组", "opinion", "关于乡村学校寄宿条件改善的意见", "市人大常委会教育工作专题询问意见"),
    ("教育专业小组", "opinion", "关于学前教育普惠发展的意见", ""),
    ("医疗卫生专业小组", "opinion", "关于村卫生室人员待遇保障的意见", "市人大常委会第十七次会议审议意见"),
    ("医疗卫生专业小组", "opinion", "关于医保基金监管的意见", ""),
    ("法治专业小组", "opinion", "关于优化营商环境条例实施情况的意见", "市人大常委会执法检查报告"),
    ("法治专业小组", "opinion", "关于行政执法规范化的意见", ""),
    ("财经专业小组", "opinion", "关于预算绩效管理的意见", "市人大常委会预算审查意见"),
    ("财经专业小组", "opinion", "关于审计查出问题整改的意见", ""),
    ("城建专业小组", "opinion", "关于经营性自建房安全整治的意见", "市人大常委会第十八次会议审议意见"),
    ("城建专业小组", "opinion", "关于老旧小区燃气管道改造的意见", ""),
    ("城建专业小组", "opinion", "关于农村危房改造的意见", ""),
    ("法治专业小组", "opinion", "关于城市管理综合执法的意见", ""),
    ("财经专业小组", "opinion", "关于政府债务风险防范的意见", ""),
]
CAMPAIGN_TITLE = "联系群众办实事：安全生产和自建房整治"
OPINION_TEXTS = [
    "建议对经营性自建房开展拉网式排查，建立隐患台账，逐栋销号。",
    "建议乡镇落实属地责任，对三层以上自建房开展安全鉴定。",
    "建议加强瓶装液化气使用安全宣传，推广燃气报警装置。",
    "建议对学校、医院周边自建房优先排查整治。",
    "建议对企业有限空间作业开展专项检查，落实安全培训。",
    "建议对违规改扩建行为依法查处，公开曝光典型案例。",
    "建议为困难群众危房改造提供资金补助。",
    "建议汛期前对临河临坡自建房开展专项排查。",
    "建议建立网格员日常巡查和群众举报相结合的机制。",
    "建议加强电动自行车集中充电设施建设，消除楼道充电隐患。",
]


def seed(context: dict[str, Any]) -> None:
    rng = random.Random(20261126)  # noqa: S311 - demo data, fixed: the same groups on every run
    city = context["city"]
    term = context["terms"]["city"]
    office = get_user_model().objects.get(username="office")
    today = timezone.localdate()
    serving = list(
        Deputy.objects.filter(
            pk__in=Mandate.objects.filter(congress=city, term=term, status=MandateStatus.SERVING).values("deputy_id")
        ).order_by("pk")
    )
    if ProfessionalGroup.objects.filter(congress=city, name=GROUPS[0][0]).exists():
        context["log"]("groups: already loaded")
    else:
        _groups(context, rng, city, office, serving, today)
    _campaign(context, rng, city, office, serving, today)


def _demo_deputy(serving: list[Deputy]) -> Deputy | None:
    deputy = Deputy.objects.filter(user__username="deputy").first()
    return deputy if deputy in serving else None


def _groups(
    context: dict[str, Any], rng: random.Random, city: Any, office: Any, serving: list[Deputy], today: Any
) -> None:
    committees = context["committees"]
    demo_deputy = _demo_deputy(serving)
    pool = [deputy for deputy in serving if deputy != demo_deputy]
    rng.shuffle(pool)
    groups: dict[str, ProfessionalGroup] = {}
    joined = today - datetime.timedelta(days=300)
    for name, field, committee_key, keywords, size in GROUPS:
        group, _created = ProfessionalGroup.objects.get_or_create(
            congress=city,
            name=name,
            defaults={"field": field, "counterpart_committee": committees[committee_key], "keywords": keywords},
        )
        groups[name] = group
        members, pool = pool[:size], pool[size:]
        if name == "教育专业小组" and demo_deputy is not None:
            members = [*members[:-1], demo_deputy]  # the demo account is a member here
        deputy_leaders = rng.choice((1, 2))
        for index, deputy in enumerate(members):
            role = (
                GroupRole.LEADER
                if index == 0
                else GroupRole.DEPUTY_LEADER
                if index <= deputy_leaders
                else GroupRole.MEMBER
            )
            GroupMembership.objects.get_or_create(
                congress=city, group=group, deputy=deputy, defaults={"role": role, "joined_on": joined}
            )
    activities = _activities(rng, office, groups, today)
    _outputs(rng, office, groups, activities, today)
    _supervision_invitation(office, groups, today)
    _special_supervisors(context, rng, office, serving, today)
    context["log"](
        f"groups: {len(groups)} groups, {GroupMembership.objects.filter(congress=city).count()} members, "
        f"{len(activities)} activities"
    )


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


def _activities(rng: random.Random, office: Any, groups: dict[str, ProfessionalGroup], today: Any) -> dict[str, Any]:
    activities = {}
    for group_name, kind, title, topic, days_ago, place in ACTIVITIES:
        day = today - datetime.timedelta(days=days_ago)
        activity = group_activity_create(
            group=groups[group_name],
            actor=office,
            kind=kind,
            title=title,
            topic=topic,
            starts_at=_at(day, 9),
            ends_at=_at(day, 17),
            place=place,
            hours=6,
        )
        for invitation in Invitation.objects.filter(activity=activity).order_by("pk"):
            if rng.random() < 0.85:
                invitation_mark_attended(invitation=invitation, actor=office)
        activity_hold(activity=activity, actor=office)
        activities[group_name] = activity
    return activities


def _outputs(
    rng: random.Random, office: Any, groups: dict[str, ProfessionalGroup], activities: dict[str, Any], today: Any
) -> None:
    for index, (group_name, kind, title, where) in enumerate(OUTPUTS):
        group = groups[group_name]
        members = list(Deputy.objects.filter(group_memberships__group=group).order_by("group_memberships__role", "pk"))
        authors = members[:1] + rng.sample(members[1:], k=min(len(members) - 1, rng.randint(0, 2)))
        activity = activities.get(group_name)
        submitted_on = (
            timezone.localtime(activity.starts_at).date() + datetime.timedelta(days=rng.randint(5, 20))
            if activity is not None
            else today - datetime.timedelta(days=rng.randint(20, 200))
        )
        output = output_record(
            group=group,
            actor=office,
            kind=kind,
            title=title,
            content="" if kind == "report" else f"{title}。经小组调研讨论，提出如下意见建议：……",
            authors=authors,
            file=ContentFile(b"%PDF-1.4\n% demo report\n", name=f"group-report-{index}.pdf")
            if kind == "report"
            else None,
            activity=activity,
            submitted_on=min(submitted_on, today),
        )
        if where:
            output_mark_adopted(
                output=output,
                actor=office,
                adopted_on=min(output.submitted_on + datetime.timedelta(days=rng.randint(10, 40)), today),
                where=where,
            )


def _supervision_invitation(office: Any, groups: dict[str, ProfessionalGroup], today: Any) -> None:
    """The environment group's members invited to supervise a key suggestion next month."""
    group = groups["生态环保专业小组"]
    day = today + datetime.timedelta(days=20)
    activity = activity_create(
        actor=office,
        congress=group.congress,
        kind=ActivityKind.KEY_SUGGESTION_SUPERVISION,
        title="重点建议督办：河道砂石资源统一开采管理",
        starts_at=_at(day, 9),
        ends_at=_at(day, 12),
        place="市水利局",
        organiser=group.counterpart_committee,
    )
    group_invite_members(group=group, activity=activity, actor=office)


def _special_supervisors(
    context: dict[str, Any], rng: random.Random, office: Any, serving: list[Deputy], today: Any
) -> None:
    units = [unit for unit in context["units"].values() if unit.is_active]
    chosen_units = rng.sample(units, k=min(10, len(units)))
    deputies = rng.sample(serving, k=len(chosen_units))
    term = context["terms"]["city"]
    for deputy, unit in zip(deputies, chosen_units, strict=True):
        special_supervisor_appoint(
            actor=office, deputy=deputy, unit=unit, term=term, appointed_on=today - datetime.timedelta(days=240)
        )


def _campaign(
    context: dict[str, Any], rng: random.Random, city: Any, office: Any, serving: list[Deputy], today: Any
) -> None:
    """The campaign runs around today, so the portal shows it open; its 51 opinions are written
    directly (the demo deputies have no logins) with their level and duty record, as the service does."""
    campaign = Campaign.objects.filter(congress=city, title=CAMPAIGN_TITLE).first()
    if campaign is not None:
        context["log"]("campaigns: already loaded")
        return
    from .services.campaigns import campaign_create

    campaign = campaign_create(
        actor=office,
        congress=city,
        title=CAMPAIGN_TITLE,
        theme="安全生产和自建房整治",
        description="组织各级人大代表深入选区，收集群众对安全生产和自建房安全整治的意见建议。",
        starts_on=today - datetime.timedelta(days=40),
        ends_on=today + datetime.timedelta(days=20),
    )
    for deputy in rng.sample(serving, k=min(51, len(serving))):
        opinion = CampaignOpinion.objects.create(
            congress=city,
            campaign=campaign,
            deputy=deputy,
            level=highest_serving_level(deputy_id=deputy.pk) or city.level,
            content=rng.choice(OPINION_TEXTS),
        )
        duty_record_act(
            deputy_id=deputy.pk,
            congress_id=city.pk,
            code="campaign_opinion",
            on=today - datetime.timedelta(days=rng.randint(0, 39)),
            source_key=f"campaign-opinion:{opinion.pk}",
            description=campaign.title,
        )
    context["log"](f"campaigns: 1 campaign, {campaign.opinions.count()} opinions")
