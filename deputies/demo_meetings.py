"""Demo standing-committee meetings of the city in 2026: six meetings with agendas; the first four
held, each with the deputies the rotation planner chose (attendance recorded through the shared
services, then the sitting held); the last two upcoming with the planner's invitations and a
pre-meeting research; about 20 opinions, some handed to units and answered. The `deputy` account
sat in on one meeting and is invited to an upcoming one. Runs once: a second run finds the meetings."""

from __future__ import annotations

import datetime
import random
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model

from .choices import ActivityKind, InvitationSource, InvitationStatus, MandateStatus
from .models import Deputy, Invitation, Meeting, MeetingOpinion
from .planner import propose_attendees
from .services.activities import activity_hold, invitation_mark_attended
from .services.meetings import (
    agenda_topic_add,
    meeting_create,
    meeting_invite,
    meeting_opinion_record,
    meeting_sitting,
    opinion_answer,
    opinion_hand_over,
    pre_meeting_activity_create,
)

BEIJING = ZoneInfo("Asia/Shanghai")
FIRST_NUMBER = 21
HELD = 4
# (starts on, days, agenda: [(title, committee key, keywords)])
MEETINGS = [
    (
        datetime.date(2026, 2, 26),
        2,
        [
            ("关于2025年度市级预算执行和其他财政收支的审计工作报告", "finance", "审计 预算 财政"),
            ("关于义务教育优质均衡发展情况的报告", "education", "教育 学校 教师"),
        ],
    ),
    (
        datetime.date(2026, 4, 23),
        2,
        [
            ("《益阳市城市绿化条例（草案）》", "legal", "绿化 城市管理 立法"),
            ("关于农村人居环境整治情况的报告", "agriculture", "农村 乡村 农业 村"),
        ],
    ),
    (
        datetime.date(2026, 6, 25),
        2,
        [
            ("关于资江流域生态环境保护情况的报告", "environment", "生态 环保 河道 采砂"),
            ("关于养老服务体系建设情况的报告", "social", "养老 社区 民政"),
            ("关于2025年度市级决算的报告", "finance", "决算 财政"),
        ],
    ),
    (
        datetime.date(2026, 8, 27),
        2,
        [
            ("关于市中级人民法院执行工作情况的报告", "justice", "法院 司法 执行 律师"),
            ("关于2026年上半年国民经济和社会发展计划执行情况的报告", "finance", "经济 企业 发展"),
        ],
    ),
    (
        datetime.date(2026, 12, 17),
        2,
        [
            ("关于医疗卫生服务体系建设情况的报告", "education", "医疗 医院 卫生 医生"),
            ("关于安全生产和自建房安全专项整治情况的报告", "social", "安全 自建房 企业"),
        ],
    ),
    (
        datetime.date(2026, 12, 29),
        1,
        [
            ("关于代表建议、批评和意见办理情况的报告", "deputy_affairs", "建议 代表 办理"),
            ("关于2027年度立法计划（草案）的说明", "legal", "立法 法规"),
        ],
    ),
]
OPINIONS = [
    "建议加大对薄弱学校的投入，缩小城乡办学条件差距。",
    "审计发现的问题要建立整改台账，按期向常委会报告整改结果。",
    "建议条例草案对古树名木保护作出更具体的规定。",
    "农村生活污水治理要因地制宜，避免建而不用。",
    "建议加强资江河道采砂的日常巡查，严厉打击非法采砂。",
    "社区养老服务站点运营经费要有稳定保障。",
    "建议对执行难案件建立联动机制，提高执行到位率。",
    "要进一步优化营商环境，帮助中小企业解决融资难问题。",
    "建议增加乡镇卫生院全科医生编制。",
    "建议加快推进老旧小区改造中的加装电梯工作。",
    "财政资金绩效评价结果要与预算安排挂钩。",
    "建议加强农村学校教师队伍建设，落实乡村教师补贴。",
    "河长制要压实责任，定期公开水质监测数据。",
    "建议对养老机构开展消防安全专项检查。",
    "建议加大对困难群众司法救助的力度。",
    "重点项目建设要加快进度，确保年度投资目标完成。",
    "建议完善城市绿地养护标准和考核办法。",
    "农村垃圾分类要加强宣传引导，建立长效机制。",
    "建议推进智慧教育平台在农村学校的应用。",
    "建议建立预算执行进度的月度通报制度。",
]
# unit (name ending) per agenda committee, to hand opinions to
UNIT_OF_COMMITTEE = {
    "education": "教育局",
    "finance": "财政局",
    "legal": "城市管理和综合执法局",
    "agriculture": "农业农村局",
    "environment": "生态环境局",
    "social": "民政局",
    "justice": "益阳市中级人民法院",
}
ANSWERS = [
    "已列入明年工作计划，将分年度推进落实。",
    "已会同相关部门研究，拟出台具体措施。",
    "已部署专项行动，阶段性成果将书面报告。",
]


def _unit(units: dict[str, Any], ending: str) -> Any:
    return next((unit for name, unit in sorted(units.items()) if name.endswith(ending)), None)


def seed(context: dict[str, Any]) -> None:
    city, term, log = context["city"], context["terms"]["city"], context["log"]
    if Meeting.objects.filter(congress=city, term=term, number=FIRST_NUMBER).exists():
        log("meetings: already loaded")
        return
    users = get_user_model().objects
    office = users.get(username="office")
    committees, units = context["committees"], context["units"]
    rng = random.Random(20260626)  # noqa: S311 - demo data, fixed on purpose
    demo_deputy = Deputy.objects.filter(
        user__username="deputy", mandates__term=term, mandates__status=MandateStatus.SERVING
    ).first()

    meetings: list[Meeting] = []
    for index, (starts_on, days, agenda) in enumerate(MEETINGS):
        number = FIRST_NUMBER + index
        meeting = meeting_create(
            actor=office,
            term=term,
            number=number,
            title=f"市人大常委会第{_chinese_number(number)}次会议",
            starts_on=starts_on,
            ends_on=starts_on + datetime.timedelta(days=days - 1),
            place="市人大常委会机关第一会议室",
        )
        for title, committee_key, keywords in agenda:
            agenda_topic_add(
                actor=office, meeting=meeting, title=title, committee=committees.get(committee_key), keywords=keywords
            )
        # The demo deputy sits in on the second meeting and is invited to the fifth.
        if demo_deputy is not None and index in (1, HELD):
            meeting_invite(actor=office, meeting=meeting, deputy_ids=[demo_deputy.pk])
        chosen = [
            pk for pk in propose_attendees(meeting=meeting).deputy_ids if demo_deputy is None or pk != demo_deputy.pk
        ]
        if chosen:
            meeting_invite(actor=office, meeting=meeting, deputy_ids=chosen, source=InvitationSource.PLANNER)
        if index < HELD:
            _hold(meeting, office, rng, keep=demo_deputy)
        meetings.append(meeting)

    upcoming = meetings[HELD]
    research_day = upcoming.starts_on - datetime.timedelta(days=14)
    pre_meeting_activity_create(
        actor=office,
        meeting=upcoming,
        kind=ActivityKind.PRE_MEETING_RESEARCH,
        title="医疗卫生服务体系建设会前专题调研",
        starts_at=datetime.datetime.combine(research_day, datetime.time(8, 30), BEIJING),
        ends_at=datetime.datetime.combine(research_day, datetime.time(17, 0), BEIJING),
        place="赫山区、桃江县乡镇卫生院",
        hours=4,
        organiser=committees.get("education"),
    )

    opinions = _opinions(meetings[:HELD], office, rng)
    unit_staff = {
        user.staff_profile.handling_unit_id: user
        for user in users.filter(staff_profile__handling_unit__isnull=False).select_related("staff_profile")
    }
    handed = answered = 0
    for n, opinion in enumerate(opinions):
        if n % 3 == 2:
            continue  # a third stay recorded, waiting to be handed over
        key = next((k for k, c in committees.items() if opinion.topic and c.pk == opinion.topic.committee_id), "")
        unit = _unit(units, UNIT_OF_COMMITTEE.get(key, "人民政府办公室")) or _unit(units, "人民政府办公室")
        if unit is None:
            continue
        handed_on = opinion.meeting.ends_on + datetime.timedelta(days=7)
        opinion_hand_over(actor=office, opinion=opinion, handling_unit=unit, today=handed_on)
        handed += 1
        if n % 3 == 0:
            staff = unit_staff.get(unit.pk)
            if staff is not None:
                opinion_answer(actor=staff, opinion=opinion, answer=ANSWERS[n % len(ANSWERS)])
            else:
                # No account for this unit in the demo: record its answer as the office received it.
                opinion = MeetingOpinion.objects.get(pk=opinion.pk)
                opinion.answer_it()
                opinion.answer = ANSWERS[n % len(ANSWERS)]
                opinion.answered_on = handed_on + datetime.timedelta(days=12)
                opinion.save()
            answered += 1
    log(
        f"meetings: {len(meetings)} standing-committee meetings ({HELD} held), "
        f"{Invitation.objects.filter(activity__meeting__in=meetings, activity__kind=ActivityKind.SC_SITTING).count()}"
        f" invitations, {len(opinions)} opinions ({handed} handed over, {answered} answered)"
    )


def _hold(meeting: Meeting, office: Any, rng: random.Random, keep: Deputy | None) -> None:
    """Most invitees sign in (recorded by staff from the sign-in sheet); the rest are absent."""
    for invitation in Invitation.objects.filter(activity__meeting=meeting, activity__kind=ActivityKind.SC_SITTING):
        if (keep is not None and invitation.deputy_id == keep.pk) or rng.random() < 0.9:
            invitation_mark_attended(invitation=invitation, actor=office)
    activity_hold(activity=meeting_sitting(meeting), actor=office)


def _opinions(meetings: list[Meeting], office: Any, rng: random.Random) -> list[MeetingOpinion]:
    made: list[MeetingOpinion] = []
    texts = iter(OPINIONS)
    for meeting in meetings:
        topics = list(meeting.topics.order_by("sort_order", "pk"))
        attended = list(
            Invitation.objects.filter(
                activity__meeting=meeting, activity__kind=ActivityKind.SC_SITTING, status=InvitationStatus.ATTENDED
            )
            .order_by("deputy__name", "pk")
            .values_list("deputy_id", flat=True)
        )
        for deputy_id in rng.sample(attended, min(5, len(attended))):
            text = next(texts, None)
            if text is None:
                return made
            topic = next((t for t in topics if any(word in text for word in t.keywords.split())), rng.choice(topics))
            made.append(
                meeting_opinion_record(
                    actor=office, meeting=meeting, content=text, topic=topic, deputy=Deputy(pk=deputy_id)
                )
            )
    return made


def _chinese_number(number: int) -> str:
    digits = "零一二三四五六七八九"
    tens, ones = divmod(number, 10)
    return (f"{digits[tens]}十" if tens > 1 else "十" if tens == 1 else "") + (digits[ones] if ones else "")
