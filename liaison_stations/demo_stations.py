"""Demo data of the stations (Wanlou-like, domain.md §5): the demo station as a model station with the
七有 checklist for 2026, six rules, its deputies of three levels, 17 blocks with their map outlines,
WeChat groups, 1+1+1 teams (11 supervising district deputies) and duty lists, reception days twice a
month with two coming ones, about fifty visits and 17 forums. Idempotent: returns when the station
already has blocks. Call before `demo_issues.seed` (the issues use the blocks); visits "taken into
the loop" are left without an issue, for the issues' demo to link."""

from __future__ import annotations

import datetime
import random
from typing import Any

from django.contrib.auth import get_user_model
from django.utils import timezone

from congress.models import SubjectCategory
from deputies.choices import MandateStatus
from deputies.models import Deputy

from .choices import ChecklistState, Confidentiality, StationDeputyRole, TaskStatus, VisitDisposition
from .models import (
    Block,
    BlockTask,
    ChecklistStatus,
    Forum,
    ReceptionDay,
    StationDeputy,
    StationDocument,
    Visit,
)
from .services.receptions import forum_credit_deputies, reception_confirm
from .services.stations import checklist_items_ensure_default

ORIGIN_LON, ORIGIN_LAT = 112.35, 28.55
CELL, GAP, COLUMNS = 0.006, 0.0006, 5

CHECKLIST_2026 = {
    "place": (ChecklistState.MET, "联络站位于街道便民服务中心一楼，面积 160 平方米，设接待室、议事室、活动室。"),
    "signs": (ChecklistState.MET, "门口悬挂统一标牌，室内设代表公示栏、接待流程图和片区分布图。"),
    "rules": (ChecklistState.MET, "六项制度上墙，并在公开页面公布。"),
    "deputies": (ChecklistState.MET, "省、市、区三级代表 17 名进站，分组排班。"),
    "activities": (ChecklistState.MET, "每月两次接待日，全年民情恳谈会 17 场。"),
    "records": (ChecklistState.PARTLY, "接待登记完整；部分片区履职清单台账待补齐。"),
    "results": (ChecklistState.MET, "群众意见建议办结率 79%，群众满意度 96%。"),
}

RULES = [
    (
        "代表进站接待制度",
        "每月 10 日、25 日为代表接待日，2 至 3 名代表进站接待群众，接待安排提前 2 天在联络站公开页面公布。",
    ),
    (
        "群众意见建议办理制度",
        "群众意见建议实行后台审、分级办、限时答、闭环管：登记、交办、督办、反馈，办理结果在追踪页面公开。",
    ),
    (
        "代表联系片区制度",
        "每个片区由 1 名指导员、1 名社区联络员和 1 名区人大代表组成“1+1+1”工作组，代表每季度至少走访片区一次。",
    ),
    ("民情恳谈会制度", "各片区每年至少召开一次民情恳谈会，代表到会听取意见，收集的问题纳入闭环办理。"),
    ("代表履职档案制度", "代表进站接待、参加恳谈会、办理群众意见等情况记入履职档案，年底公开。"),
    ("联络站学习培训制度", "每季度组织进站代表集中学习一次，学习法律法规和履职知识。"),
]

COMMUNITIES = ["龙山港", "桃花仑", "白鹿坡", "金银山", "梓山湖", "会龙山"]
INSTRUCTORS = ["刘建国", "张志强", "李红梅", "王海燕", "陈卫东", "周晓明", "胡雪梅", "曹立新", "彭志坚"]
LIAISONS = ["谢芳", "黄丽", "罗敏", "郭静", "邓慧", "夏琴", "蒋婷", "曾艳", "熊玲", "段霞", "龚莉"]

TASKS = [
    ("走访片区内困难家庭", "每季度走访低保、独居老人家庭，记录需求。"),
    ("收集居民群意见并反馈", "每月整理居民微信群中的意见，在群内反馈办理情况。"),
    ("参加片区民情恳谈会", "到会听取意见，会后跟踪问题办理。"),
    ("督促老旧小区改造进度", "每月到现场查看一次，发现问题及时反映。"),
]

VISIT_WORDS = [
    ("小区门口的路灯坏了一个多月，晚上出门不安全。", VisitDisposition.ANSWERED, "已联系街道城管办，三日内修复。"),
    ("菜市场旁边的下水道经常堵，一下雨就积水。", VisitDisposition.LOOP, ""),
    ("老旧小区改造什么时候轮到我们小区？", VisitDisposition.ANSWERED, "已纳入明年改造计划，街道将提前公示。"),
    ("建议在学校门口增设护学岗和减速带。", VisitDisposition.SUGGESTION, "已整理为代表建议，提交区人大。"),
    ("邻居家装修噪音太大，晚上十点还在施工。", VisitDisposition.ANSWERED, "已告知物业和社区，当场协调。"),
    ("征地补偿款一直没有到位，希望代表帮忙问问。", VisitDisposition.LOOP, ""),
    (
        "我家的离婚官司判得不公，想请代表改判。",
        VisitDisposition.NOT_ACCEPTED,
        "属于司法程序，已引导通过上诉等法定途径解决。",
    ),
    ("公交车班次太少，早高峰等车要半小时。", VisitDisposition.LOOP, ""),
    ("社区卫生服务站周末不开门，看病不方便。", VisitDisposition.ANSWERED, "已与卫生服务站沟通，周六上午开诊。"),
    ("小区电动车充电桩太少，经常有人飞线充电。", VisitDisposition.LOOP, ""),
    ("希望增加老年人助餐点。", VisitDisposition.SUGGESTION, "纳入代表建议，建议增设社区助餐点。"),
    (
        "要求单位给我补发十年前的工资。",
        VisitDisposition.NOT_ACCEPTED,
        "属于劳动争议，已告知劳动仲裁途径和法律援助电话。",
    ),
    ("垃圾清运不及时，夏天气味很大。", VisitDisposition.ANSWERED, "已联系环卫所，调整为每日两次清运。"),
    ("反映某单位违规收取物业费的情况。", VisitDisposition.LOOP, ""),
]
DUTY_COUNTS = [2, 3, 2]  # deputies on duty, in turn


def seed(context: dict[str, Any]) -> None:
    station = context.get("station")
    if station is None:
        context["log"]("stations: no demo station, skipped")
        return
    station.is_model_station = True
    station.notice_days = 2
    station.phone = "0737-4201234"
    station.opening_hours = "工作日 9:00–17:00；每月 10 日、25 日为代表接待日"
    station.description = (
        "会龙山街道人大代表联络站是全省“五进一联”示范站：代表进站、进片区、进小区、进居民群、进家庭，"
        "群众意见一码直达、闭环办理。"
    )
    station.save()
    if Block.objects.filter(station=station).exists():
        context["log"]("stations: already loaded")
        return
    _Demo(context, station).run()


class _Demo:
    def __init__(self, context: dict[str, Any], station: Any) -> None:
        self.context = context
        self.station = station
        self.congress = station.congress
        self.rng = random.Random(20260510)  # noqa: S311 - demo data, the same on every run
        self.today = timezone.localdate()
        self.staff = get_user_model().objects.get(username="station")
        self.demo_deputy = Deputy.objects.filter(user__username="deputy").first()

    def run(self) -> None:
        self.checklist()
        self.documents()
        supervisors = self.deputies()
        blocks = self.blocks(supervisors)
        receptions = self.receptions()
        visits = self.visits(receptions)
        forums = self.forums(blocks)
        self.context["log"](
            f"stations: {self.station.name} with {len(blocks)} blocks, {len(receptions)} reception days, "
            f"{visits} visits, {forums} forums"
        )

    # --- the standard and the rules ----------------------------------------------------------------

    def checklist(self) -> None:
        for item in checklist_items_ensure_default(congress=self.congress):
            state, note = CHECKLIST_2026[item.code]
            ChecklistStatus.objects.update_or_create(
                station=self.station,
                item=item,
                year=2026,
                defaults={
                    "congress": self.congress,
                    "state": state,
                    "note": note,
                    "checked_on": datetime.date(2026, 6, 30),
                },
            )

    def documents(self) -> None:
        for order, (title, text) in enumerate(RULES, start=1):
            StationDocument.objects.update_or_create(
                station=self.station,
                title=title,
                defaults={"congress": self.congress, "text": text, "sort_order": order},
            )

    # --- deputies ----------------------------------------------------------------------------------

    def _serving(self, congress: Any) -> Any:
        return Deputy.objects.filter(mandates__congress=congress, mandates__status=MandateStatus.SERVING)

    def deputies(self) -> list[Deputy]:
        """11 supervising district deputies (the `deputy` account first), a manager and a liaison, and
        resident deputies of the city and the province (who also sit in the city congress)."""
        district_only = list(
            self._serving(self.congress).exclude(mandates__congress=self.congress.parent).distinct().order_by("pk")[:12]
        )
        supervisors = ([self.demo_deputy] if self.demo_deputy else []) + district_only
        supervisors = supervisors[:11]
        city = self.congress.parent
        province_level = (
            list(self._serving(city).filter(mandates__congress__level="province").distinct().order_by("pk")[:2])
            if city
            else []
        )
        city_level = (
            list(self._serving(city).exclude(pk__in=[d.pk for d in supervisors]).distinct().order_by("pk")[:2])
            if city
            else []
        )
        roles = [(d, StationDeputyRole.RESIDENT) for d in supervisors + province_level + city_level]
        roles[1] = (roles[1][0], StationDeputyRole.MANAGER)
        roles[2] = (roles[2][0], StationDeputyRole.LIAISON)
        for deputy, role in roles:
            StationDeputy.objects.update_or_create(
                station=self.station,
                deputy=deputy,
                defaults={"congress": self.congress, "role": role, "since": datetime.date(2022, 3, 1)},
            )
        self.station_deputies = [deputy for deputy, _role in roles]
        return supervisors

    # --- blocks ------------------------------------------------------------------------------------

    def _square(self, index: int) -> dict[str, Any]:
        column, row = index % COLUMNS, index // COLUMNS
        west = ORIGIN_LON + column * (CELL + GAP)
        north = ORIGIN_LAT - row * (CELL + GAP)
        # Slightly uneven corners so the map does not look like graph paper.
        jitter = [round(self.rng.uniform(-0.0004, 0.0004), 5) for _ in range(4)]
        ring = [
            [round(west + jitter[0], 5), round(north, 5)],
            [round(west + CELL, 5), round(north + jitter[1], 5)],
            [round(west + CELL + jitter[2], 5), round(north - CELL, 5)],
            [round(west, 5), round(north - CELL + jitter[3], 5)],
        ]
        ring.append(ring[0])
        return {"type": "Polygon", "coordinates": [ring]}

    def blocks(self, supervisors: list[Deputy]) -> list[Block]:
        blocks = []
        others = supervisors[1:] or supervisors
        for index in range(17):
            number = index + 1
            community = COMMUNITIES[index % len(COMMUNITIES)]
            name = f"{community}社区第{index // len(COMMUNITIES) + 1}片区"
            supervisor = supervisors[0] if index == 0 else others[(index - 1) % len(others)]
            block, _created = Block.objects.update_or_create(
                station=self.station,
                number=number,
                defaults={
                    "congress": self.congress,
                    "name": name,
                    "area": f"{community}社区 {number} 至 {number + 2} 栋及周边商铺",
                    "geometry": self._square(index),
                    "wechat_group": f"{community}{number}片区居民群",
                    "instructor_name": INSTRUCTORS[index % len(INSTRUCTORS)],
                    "instructor_phone": f"1397370{number:04d}",
                    "liaison_name": LIAISONS[index % len(LIAISONS)],
                    "liaison_phone": f"1397371{number:04d}",
                    "supervising_deputy": supervisor,
                },
            )
            blocks.append(block)
            self._tasks(block, supervisor, index)
        return blocks

    def _tasks(self, block: Block, supervisor: Deputy, index: int) -> None:
        for position, (title, description) in enumerate(TASKS[:3]):
            due_on = datetime.date(2026, 3 * (position + 1) + (index % 3), 28)
            if due_on < self.today - datetime.timedelta(days=20) or (position == 0 and index % 4 != 3):
                status = TaskStatus.DONE
            elif index % 5 == 0:
                status = TaskStatus.DOING
            else:
                status = TaskStatus.TODO
            BlockTask.objects.update_or_create(
                block=block,
                title=title,
                defaults={
                    "congress": self.congress,
                    "description": description,
                    "deputy": supervisor,
                    "due_on": due_on,
                    "status": status,
                    "done_on": min(due_on, self.today) if status == TaskStatus.DONE else None,
                    "result": "已完成，情况记入台账。" if status == TaskStatus.DONE else "",
                },
            )

    # --- reception days ----------------------------------------------------------------------------

    def receptions(self) -> list[ReceptionDay]:
        """The 10th and 25th of every month of 2026 that have passed, and two coming days: in two days
        (published, the `deputy` account on duty) and in a fortnight."""
        dates = [datetime.date(2026, month, day) for month in range(1, 13) for day in (10, 25)]
        dates = [day for day in dates if day < self.today]
        coming = [self.today + datetime.timedelta(days=2), self.today + datetime.timedelta(days=16)]
        pool = self.station_deputies
        made = []
        for index, day in enumerate(dates + coming):
            count = DUTY_COUNTS[index % len(DUTY_COUNTS)]
            on_duty = [pool[(index * 3 + n) % len(pool)] for n in range(count)]
            if day == coming[0] and self.demo_deputy and self.demo_deputy not in on_duty:
                on_duty[0] = self.demo_deputy
            reception, _created = ReceptionDay.objects.update_or_create(
                station=self.station,
                date=day,
                defaults={
                    "congress": self.congress,
                    "starts_at": datetime.time(9, 0),
                    "ends_at": datetime.time(11, 30),
                    "topic": "代表接待日" if day not in coming else "代表接待日：老旧小区改造和养老服务",
                },
            )
            reception.deputies.set(on_duty)
            if day < self.today:
                reception_confirm(reception=reception, actor=self.staff, today=self.today)
            made.append(reception)
        return made

    # --- visits and forums -------------------------------------------------------------------------

    def visits(self, receptions: list[ReceptionDay]) -> int:
        past = [reception for reception in receptions if reception.date < self.today]
        categories = list(SubjectCategory.objects.filter(congress=self.congress).order_by("sort_order")[:6])
        count = 0
        for index in range(52):
            if not past:
                break
            reception = past[index % len(past)]
            words, disposition, note = VISIT_WORDS[index % len(VISIT_WORDS)]
            on_duty = list(reception.deputies.all())
            Visit.objects.create(
                congress=self.congress,
                station=self.station,
                reception_day=reception,
                deputy=on_duty[index % len(on_duty)] if on_duty else None,
                visited_on=reception.date,
                visitor_name=self.rng.choice("张王李刘陈杨黄赵周吴")
                + self.rng.choice(["大爷", "阿姨", "先生", "女士"]),
                visitor_phone=f"1597370{index:04d}",
                visitors=1 if index % 6 else 3,
                words=words,
                category=categories[index % len(categories)] if categories else None,
                confidentiality=Confidentiality.CONFIDENTIAL if "违规" in words else Confidentiality.PUBLIC,
                disposition=disposition,
                disposition_note=note,
                recorded_by=self.staff,
            )
            count += 1
        return count

    def forums(self, blocks: list[Block]) -> int:
        count = 0
        topics = ["老旧小区改造", "加装电梯", "停车难", "养老服务", "背街小巷整治", "垃圾分类"]
        for index, block in enumerate(blocks):
            held_on = datetime.date(2026, 1, 15) + datetime.timedelta(days=18 * index)
            if held_on > self.today:
                held_on = self.today - datetime.timedelta(days=index + 1)
            forum, _created = Forum.objects.update_or_create(
                station=self.station,
                block=block,
                held_on=held_on,
                defaults={
                    "congress": self.congress,
                    "topic": f"{block.name}民情恳谈会：{topics[index % len(topics)]}",
                    "place": f"{block.name}居民议事厅",
                    "residents": 20 + (index * 7) % 60,
                    "summary": "居民代表发言踊跃，收集意见建议若干条，现场答复一部分，其余纳入闭环办理。",
                },
            )
            others = [deputy for deputy in self.station_deputies[::5] if deputy != block.supervising_deputy]
            present = [block.supervising_deputy, *others[:2]]
            forum.deputies.set([deputy for deputy in present if deputy is not None])
            forum_credit_deputies(forum, self.today)
            count += 1
        return count
