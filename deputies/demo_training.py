"""Demo trainings of the city: the 2026 plan (approved, in the standing committee's yearly schedule)
with 11 planned courses, the courses opened from it (most held, about 80 deputies trained, with
certificates), an online course open for enrollment, and the learning area with completions. The
`deputy` account has one attended course with a certificate and one upcoming invitation.
Runs once: a second run finds the plan and stops."""

from __future__ import annotations

import datetime
import random
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.utils import timezone

from .choices import MandateStatus, MaterialKind, TrainingKind
from .duty import duty_record_act
from .models import Deputy, LearningMaterial, Mandate, MaterialCompletion, TrainingPlan
from .services.activities import activity_hold, invitation_mark_attended
from .services.training import (
    course_invite,
    course_issue_certificates,
    course_open,
    planned_course_add,
    training_plan_approve,
    training_plan_create,
    training_plan_include_in_schedule,
)

YEAR = 2026
BEIJING = ZoneInfo("Asia/Shanghai")
TRAINED_DEPUTIES = 80
# title, kind, organiser committee key, month, planned deputies, audience, days, hours, place
PLANNED_COURSES = [
    ("新任代表初任培训班", TrainingKind.INDUCTION, "deputy_affairs", 3, 60, "本届新当选代表", 2, 12, "市委党校"),
    (
        "依法履职能力提升专题培训班",
        TrainingKind.THEMATIC_AWAY,
        "legal",
        4,
        40,
        "基层代表、专业代表",
        4,
        24,
        "井冈山干部学院",
    ),
    ("预算审查监督专题培训班", TrainingKind.THEMATIC_AWAY, "finance", 5, 35, "财经领域专业代表", 3, 18, "浙江大学"),
    (
        "生态环境保护专题培训班",
        TrainingKind.THEMATIC_AWAY,
        "environment",
        6,
        35,
        "基层代表、专业代表",
        3,
        18,
        "湖南大学",
    ),
    (
        "常委会第二十三次会议会前培训（以会代训）",
        TrainingKind.PRE_MEETING,
        "legal",
        6,
        16,
        "列席常委会会议的代表",
        1,
        4,
        "市人大常委会机关",
    ),
    (
        "乡村振兴与农业农村专题培训班",
        TrainingKind.THEMATIC_AWAY,
        "agriculture",
        7,
        40,
        "基层代表",
        4,
        24,
        "中国农业大学",
    ),
    ("教育科学文化卫生工作专题培训班", TrainingKind.THEMATIC_AWAY, "education", 8, 35, "专业代表", 3, 18, "复旦大学"),
    ("社会建设与民生保障专题培训班", TrainingKind.THEMATIC_AWAY, "social", 9, 35, "基层代表", 3, 18, "中山大学"),
    ("司法监督专题培训班", TrainingKind.THEMATIC_AWAY, "justice", 10, 30, "专业代表、基层代表", 3, 18, "国家法官学院"),
    (
        "常委会第二十六次会议会前培训（以会代训）",
        TrainingKind.PRE_MEETING,
        "deputy_affairs",
        12,
        16,
        "列席常委会会议的代表",
        1,
        4,
        "市人大常委会机关",
    ),
    (
        "代表履职网络学习专题",
        TrainingKind.ONLINE,
        "deputy_affairs",
        11,
        200,
        "全体市人大代表",
        60,
        6,
        "益阳人大代表履职平台",
    ),
]
MATERIALS = [
    (
        "中华人民共和国全国人民代表大会和地方各级人民代表大会代表法",
        MaterialKind.DOCUMENT,
        "http://www.npc.gov.cn/npc/c2/c30834/202504/t20250430_445109.html",
        60,
        True,
    ),
    ("代表如何提出高质量的议案和建议", MaterialKind.VIDEO, "https://www.npc.gov.cn/npc/c2/kgfb/", 45, True),
    ("预算审查监督基础知识", MaterialKind.DOCUMENT, "http://www.npc.gov.cn/npc/c2/c12435/", 40, False),
    ("全过程人民民主的生动实践", MaterialKind.LINK, "http://www.npc.gov.cn/npc/c2/c30834/", 20, False),
    ("代表联络站工作规范解读", MaterialKind.VIDEO, "https://www.npc.gov.cn/npc/c2/c12434/", 30, False),
]


def seed(context: dict[str, Any]) -> None:
    city = context["city"]
    if TrainingPlan.objects.filter(congress=city, year=YEAR).exists():
        context["log"]("training: the 2026 plan is already there")
        return
    rng = random.Random(20260315)  # noqa: S311 - demo data, fixed on purpose
    office = get_user_model().objects.get(username="office")
    committees = context["committees"]
    serving_ids = set(
        Mandate.objects.filter(congress=city, status=MandateStatus.SERVING).values_list("deputy_id", flat=True)
    )
    serving = [deputy for deputy in context["deputies"] if deputy.pk in serving_ids]
    demo_deputy = Deputy.objects.filter(user__username="deputy").first()

    plan = training_plan_create(
        actor=office,
        congress=city,
        year=YEAR,
        title=f"益阳市人大常委会{YEAR}年度代表培训计划",
        notes="由市人大常委会代表工作委员会会同各专门委员会拟定，经主任会议审定后纳入常委会年度工作要点。",
    )
    planned = [
        planned_course_add(
            plan=plan,
            actor=office,
            title=title,
            kind=kind,
            organiser=committees[committee],
            month=month,
            planned_deputies=planned_deputies,
            audience=audience,
        )
        for title, kind, committee, month, planned_deputies, audience, *_rest in PLANNED_COURSES
    ]
    training_plan_approve(plan=plan, actor=office, on=datetime.date(YEAR, 2, 26))
    training_plan_include_in_schedule(plan=plan, actor=office)

    # About 80 deputies are trained: each is placed in one held course for sure and may join others.
    trainees = [deputy for deputy in rng.sample(serving, TRAINED_DEPUTIES) if deputy != demo_deputy]
    if demo_deputy is not None and demo_deputy.pk in serving_ids:
        trainees = [demo_deputy, *trainees[: TRAINED_DEPUTIES - 1]]
    now = timezone.now()
    rows = [row for row in zip(planned, PLANNED_COURSES, strict=True) if row[1][1] != TrainingKind.ONLINE]
    held_rows = [row for row in rows if row[1][3] < 12]
    certificates = 0
    for index, (planned_course, row) in enumerate(held_rows):
        _title, _kind, _committee, month, _planned, _audience, days, hours, place = row
        starts_at = datetime.datetime(YEAR, month, 10 + index, 9, 0, tzinfo=BEIJING)
        course = _open(office, planned_course, starts_at, days, hours, place)
        sure = trainees[index :: len(held_rows)]
        extras = [deputy for deputy in rng.sample(trainees, 8) if deputy not in sure and deputy != demo_deputy]
        invitations = course_invite(
            course=course, actor=office, deputy_ids=[deputy.pk for deputy in sure + extras], notify_deputies=False
        )
        sure_ids = {deputy.pk for deputy in sure}
        for invitation in invitations:
            # everyone placed here comes; about one in three of the others does not
            if invitation.deputy_id in sure_ids or rng.random() < 0.65:
                invitation_mark_attended(invitation=invitation, actor=office)
        activity_hold(activity=course, actor=office)
        certificates += len(course_issue_certificates(course=course, actor=office))
    # The December pre-meeting training is still ahead: some deputies, the demo deputy among them, are invited.
    for planned_course, row in (row for row in rows if row[1][3] == 12):
        starts_at = max(datetime.datetime(YEAR, 12, 15, 9, 0, tzinfo=BEIJING), now + datetime.timedelta(days=7))
        course = _open(office, planned_course, starts_at, row[6], row[7], row[8])
        invitees = [deputy.pk for deputy in rng.sample(serving, 12) if deputy != demo_deputy]
        if demo_deputy is not None and demo_deputy.pk in serving_ids:
            invitees.append(demo_deputy.pk)
        course_invite(course=course, actor=office, deputy_ids=invitees, notify_deputies=False)

    online_row = next(row for row in zip(planned, PLANNED_COURSES, strict=True) if row[1][1] == TrainingKind.ONLINE)
    online_start = datetime.datetime(YEAR, online_row[1][3], 1, 0, 0, tzinfo=BEIJING)
    course_open(
        actor=office,
        planned_course=online_row[0],
        starts_at=online_start,
        ends_at=max(online_start + datetime.timedelta(days=60), now + datetime.timedelta(days=30)),
        place=online_row[1][8],
        hours=online_row[1][7],
        capacity=300,
        open_enrollment=True,
    )
    completions = _learning_area(city, serving, demo_deputy, rng)
    context["log"](
        f"training: 1 plan, {len(planned)} planned courses, {len(rows) + 1} courses opened ({len(held_rows)} held), "
        f"{certificates} certificates, {len(MATERIALS)} materials with {completions} completions"
    )


def _open(office: Any, planned_course: Any, starts_at: datetime.datetime, days: int, hours: int, place: str) -> Any:
    return course_open(
        actor=office,
        planned_course=planned_course,
        starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(days=days - 1, hours=8),
        place=place,
        hours=Decimal(hours),
        capacity=max(planned_course.planned_deputies, 20),
    )


def _learning_area(city: Any, serving: list[Deputy], demo_deputy: Deputy | None, rng: random.Random) -> int:
    """Materials, and completions written directly (most demo deputies have no login), each recorded
    in the duty record as the service would."""
    count = 0
    for order, (title, kind, url, minutes, required) in enumerate(MATERIALS):
        material, _created = LearningMaterial.objects.get_or_create(
            congress=city,
            title=title,
            defaults={"kind": kind, "url": url, "minutes": minutes, "is_required": required, "is_published": True},
        )
        readers = rng.sample(serving, max(10, 70 - order * 14))
        if demo_deputy is not None and order < 2 and demo_deputy not in readers:
            readers.append(demo_deputy)
        if demo_deputy is not None and order >= 2 and demo_deputy in readers:
            readers.remove(demo_deputy)
        for deputy in readers:
            moment = datetime.datetime(YEAR, rng.randint(3, 11), rng.randint(1, 25), 20, 0, tzinfo=BEIJING)
            _completion, created = MaterialCompletion.objects.get_or_create(
                material=material, deputy=deputy, defaults={"congress": city, "completed_at": moment}
            )
            if created:
                count += 1
                duty_record_act(
                    deputy_id=deputy.pk,
                    congress_id=city.pk,
                    code="study",
                    on=moment.date(),
                    source_key=f"material:{material.pk}",
                    description=material.title,
                )
    return count
