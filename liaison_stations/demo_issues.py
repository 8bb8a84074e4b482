"""Demo of the citizens' loop at the demo station (会龙山街道, Heshan district congress): this year's
issues across every channel — 75 collected into the loop (59 solved, 16 in progress across the
tiers, one turned into a formal suggestion, one hotline issue rated unsatisfied and supervised) and
2 not accepted; 11 of them written to the demo `deputy` through the QR code (8 solved, 3 in
progress); outcomes on a few (562 people / 3.68 M yuan; 240 people / 12.12 M yuan). Written through
the services with the station and district office users as actors, so every event is real.
Runs once: skipped when the station already has issues. Runs after the stations demo."""

from __future__ import annotations

import datetime
import random
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.utils import timezone

from congress.choices import CommitteeKind
from congress.models import Committee, HandlingUnit, Session, SubjectCategory
from congress.roles import Role
from congress.services import user_assign_role
from deputies.models import Deputy

from .choices import Channel, IssueStatus
from .models import IssueEvent, PublicIssue
from .services import issues as services

YEAR_START = datetime.date(2026, 1, 5)
# Heshan's own organisation for the loop (the congress demo builds the city's).
HESHAN_COMMITTEES = [
    # key, name, deputy-affairs office?
    ("deputy_affairs", "赫山区人大常委会代表工作委员会", True),
    ("agriculture", "赫山区人大常委会农业农村工作委员会", False),
    ("social", "赫山区人大常委会社会建设工作委员会", False),
    ("urban", "赫山区人大常委会城乡建设环境保护工作委员会", False),
]
HESHAN_CATEGORIES = [
    # code, name, committee key
    ("HS-URB", "城乡建设与管理", "urban"),
    ("HS-SOC", "社会保障与民生", "social"),
    ("HS-AGR", "农业农村", "agriculture"),
]
HESHAN_UNITS = [
    "赫山区住房和城乡建设局",
    "赫山区人力资源和社会保障局",
    "赫山区农业农村局",
    "赫山区城市管理和综合执法局",
]
UNIT_OF = {"HS-URB": "赫山区住房和城乡建设局", "HS-SOC": "赫山区人力资源和社会保障局", "HS-AGR": "赫山区农业农村局"}

WORDS = {
    "HS-URB": [
        "小区路灯坏了一个多月，晚上出行不安全",
        "桃花仑路口下水道堵塞，雨天积水严重",
        "老旧小区外墙瓷砖脱落，担心砸伤行人",
        "菜市场周边占道经营，交通拥堵",
        "小区电梯经常停运，老人上下楼困难",
        "建筑工地夜间施工噪音扰民",
        "背街小巷路面破损，电动车容易摔倒",
        "垃圾中转站异味大，希望加强清运",
    ],
    "HS-SOC": [
        "失地农民养老保险补差政策落实不到位",
        "社区卫生服务站周末不开门，看病不便",
        "低保复核时间长，希望加快办理",
        "企业拖欠农民工工资，讨要无门",
        "孩子入学学位紧张，希望增加学位",
        "老年食堂价格上涨，希望给予补贴",
    ],
    "HS-AGR": [
        "村里灌溉渠年久失修，影响春耕",
        "高标准农田建设后排水不畅",
        "村道窄，农机进出困难",
        "农产品销售难，希望搭建销售渠道",
    ],
}
ANSWERS = {
    1: "已联系社区和物业现场查看，三日内处理完毕，请您留意。",
    2: "街道已协调相关部门现场办公，问题已列入本月整改清单并完成整改。",
    3: "经核实，我单位已安排专项资金并组织实施，具体进展可致电咨询。",
}
# How the 75 issues of the loop are spread over channels.
CHANNELS = ([Channel.VISIT] * 22 + [Channel.QR] * 9 + [Channel.FORUM] * 12 + [Channel.HOTLINE] * 6) + (
    [Channel.WECHAT] * 9 + [Channel.DEPUTY] * 6
)


def seed(context: dict[str, Any]) -> None:
    station = context.get("station")
    if station is None:
        context["log"]("citizen issues: no demo station, skipped")
        return
    if PublicIssue.objects.filter(station=station).exists():
        context["log"]("citizen issues: already loaded")
        return
    heshan = station.congress
    demo = _Demo(context, station, heshan)
    demo.run()
    context["log"](
        f"citizen issues: {demo.total} at {station.name} "
        f"({demo.count(IssueStatus.CLOSED)} solved, {demo.in_progress} in progress, "
        f"{demo.count(IssueStatus.NOT_ACCEPTED)} not accepted)"
    )


class _Demo:
    def __init__(self, context: dict[str, Any], station: Any, heshan: Any) -> None:
        self.context = context
        self.station = station
        self.heshan = heshan
        self.rng = random.Random(20260311)  # noqa: S311 - demo data, fixed: the same story on every run
        self.today = timezone.localdate()
        users = get_user_model().objects
        self.station_user = users.get(username="station")
        self.deputy_user = users.filter(username="deputy").first()
        self.committees, self.categories, self.units = self._organisation()
        self.office_user = self._office_account()
        self._leader_account()
        self._session()
        self.deputies = list(
            Deputy.objects.filter(mandates__congress=heshan, mandates__status="serving").distinct().order_by("pk")[:20]
        )
        self.demo_deputy = Deputy.objects.filter(user=self.deputy_user).first() if self.deputy_user else None
        # The demo deputy's QR has its own 11 issues; the others go to other deputies.
        self.deputies = [deputy for deputy in self.deputies if deputy != self.demo_deputy]
        self.blocks = list(station.blocks.order_by("number")) if hasattr(station, "blocks") else []
        self.made: list[PublicIssue] = []

    # --- organisation ------------------------------------------------------------------------

    def _office_account(self) -> Any:
        user, _created = get_user_model().objects.get_or_create(username="heshan_office")
        user.first_name = "赫山区人大联工委 彭丽"
        user.set_password(self.context["password"])
        user.save()
        committee = Committee.objects.filter(congress=self.heshan, is_deputy_affairs_office=True).first()
        user_assign_role(user=user, role=Role.OFFICE, congress=self.heshan, committee=committee)
        self.context["accounts"].append(("heshan_office", f"{Role(Role.OFFICE).label}（赫山区）"))
        return user

    def _leader_account(self) -> Any:
        """A leader of the district, whose dashboard shows the station's citizen loop."""
        user, _created = get_user_model().objects.get_or_create(username="heshan_leader")
        user.first_name = "赫山区人大常委会 副主任 谭建国"
        user.set_password(self.context["password"])
        user.save()
        user_assign_role(user=user, role=Role.LEADER, congress=self.heshan)
        self.context["accounts"].append(("heshan_leader", f"{Role(Role.LEADER).label}（赫山区）"))
        return user

    def _organisation(self) -> tuple[dict[str, Committee], dict[str, SubjectCategory], dict[str, HandlingUnit]]:
        committees = {}
        for key, name, is_office in HESHAN_COMMITTEES:
            existing = Committee.objects.filter(congress=self.heshan, is_deputy_affairs_office=True).first()
            if is_office and existing is not None:  # one deputy-affairs office per congress
                committees[key] = existing
                continue
            committees[key], _created = Committee.objects.get_or_create(
                congress=self.heshan,
                name=name,
                defaults={"kind": CommitteeKind.WORKING, "is_deputy_affairs_office": is_office},
            )
        categories = {}
        for order, (code, name, key) in enumerate(HESHAN_CATEGORIES, start=1):
            categories[code], _created = SubjectCategory.objects.get_or_create(
                congress=self.heshan,
                code=code,
                defaults={"name": name, "counterpart_committee": committees[key], "sort_order": order},
            )
        units = {name: HandlingUnit.objects.get_or_create(congress=self.heshan, name=name)[0] for name in HESHAN_UNITS}
        return committees, categories, units

    def _session(self) -> None:
        term = self.context["terms"]["heshan"]
        Session.objects.get_or_create(
            term=term,
            number=5,
            defaults={
                "congress": self.heshan,
                "start_date": datetime.date(2026, 1, 6),
                "end_date": datetime.date(2026, 1, 9),
            },
        )

    # --- the issues ----------------------------------------------------------------------------

    def run(self) -> None:
        # 59 solved (8 of them written to the demo deputy), 16 in progress (3 the deputy's), 2 not accepted.
        plan: list[dict[str, Any]] = []
        plan += [{"channel": Channel.QR, "mine": True, "end": "rated", "tier": 1} for _ in range(8)]
        plan += [
            {"channel": Channel.QR, "mine": True, "end": end, "tier": 1}
            for end in ("submitted", "handling", "answered")
        ]
        others = list(CHANNELS)
        self.rng.shuffle(others)
        solved_tiers = [1] * 25 + [2] * 18 + [3] * 8  # 51 more solved
        ends = ["rated"] * 38 + ["closed"] * 8 + ["quiet"] * 5
        for index in range(51):
            plan.append({"channel": others[index], "end": ends[index], "tier": solved_tiers[index]})
        in_progress = [
            ("submitted", 1),
            ("handling", 1),
            ("handling", 1),
            ("handling", 1),
            ("handling", 2),
            ("handling", 2),
            ("handling", 2),
            ("handling", 3),
            ("handling", 3),
            ("answered", 2),
            ("answered", 3),
            ("converted", 3),
        ]
        for index, (end, tier) in enumerate(in_progress):
            plan.append({"channel": others[51 + index], "end": end, "tier": tier})
        plan.append({"channel": Channel.HOTLINE, "end": "unsatisfied", "tier": 2})
        plan += [{"channel": Channel.VISIT, "end": "rejected"}, {"channel": Channel.WECHAT, "end": "rejected"}]
        # Spread over the year so far, oldest first; the open ones are the most recent.
        span = max((self.today - YEAR_START).days - 30, 30)
        closed_days = sorted(self.rng.randrange(0, span) for _ in plan)
        for item, offset in zip(plan, closed_days, strict=True):
            day = YEAR_START + datetime.timedelta(days=offset)
            if item["end"] in {"submitted", "handling", "answered", "converted", "unsatisfied"}:
                day = self.today - datetime.timedelta(days=self.rng.randrange(3, 12))
            self._make(item, day)
        self._outcomes()
        self._close_quiet()

    def _make(self, item: dict[str, Any], day: datetime.date) -> None:
        rng = self.rng
        code = rng.choice(list(WORDS))
        if item["channel"] == Channel.HOTLINE and item["end"] == "unsatisfied":
            code = "HS-SOC"
        category = self.categories[code]
        deputy = self.demo_deputy if item.get("mine") else None
        if deputy is None and item["channel"] in {Channel.QR, Channel.DEPUTY, Channel.VISIT} and self.deputies:
            deputy = rng.choice(self.deputies)
        reported_by = None
        if item["channel"] == Channel.HOTLINE:
            reported_by = self.demo_deputy or (self.deputies[0] if self.deputies else None)
            if reported_by is None:
                return
        citizen = rng.choice("王李张刘陈杨黄赵周吴") + rng.choice(["先生", "女士", "大爷", "阿姨"])
        issue = services.issue_submit(
            congress=self.heshan,
            channel=item["channel"],
            content=rng.choice(WORDS[code]),
            deputy=deputy,
            station=self.station,
            block=rng.choice(self.blocks) if self.blocks else None,
            category=category,
            location=f"会龙山街道{rng.choice(['桃花仑', '龙岭', '金银山', '会龙'])}社区",
            citizen_name=citizen,
            citizen_phone=f"139{rng.randrange(10**8):08d}",
            consent=True,
            reported_by=reported_by,
            actor=None if item["channel"] == Channel.QR else self.station_user,
            on=day,
        )
        end = item["end"]
        if end != "submitted":
            issue = self._screen(issue, item, day, code)
        if end in {"rated", "closed", "quiet", "answered", "unsatisfied"}:
            issue = self._answer(issue, item)
        if end == "rated" and issue.channel == Channel.HOTLINE:
            # the deputy who reported it rates a hotline answer
            if self.deputy_user and issue.reported_by == self.demo_deputy:
                issue = services.issue_rate(issue=issue, rating="satisfied", actor=self.deputy_user)
            else:
                issue = services.issue_close(issue=issue, actor=self.station_user, note="代表电话确认")
        elif end == "rated":
            issue = services.issue_rate(
                issue=issue,
                rating=rng.choice(["satisfied", "satisfied", "satisfied", "basically"]),
                tracking_code=issue.tracking_code,
                on=day + datetime.timedelta(days=6),
            )
        elif end == "closed":
            issue = services.issue_close(issue=issue, actor=self.station_user, note="电话回访，群众表示满意")
        elif end == "unsatisfied" and self.deputy_user and issue.reported_by == self.demo_deputy:
            issue = services.issue_rate(
                issue=issue,
                rating="unsatisfied",
                comment="企业仍未足额发放工资",
                actor=self.deputy_user,
                on=day + datetime.timedelta(days=8),
            )
            # reopened at tier 3: the station names the unit, the committee supervises
            issue = services.issue_assign(
                issue=issue, actor=self.station_user, handling_unit=self.units[UNIT_OF["HS-SOC"]]
            )
        elif end == "converted":
            lead = issue.deputy or (self.deputies[0] if self.deputies else None)
            issue = services.issue_convert(
                issue=issue, actor=self.station_user, lead_deputy=lead, title="关于加快老旧小区加装电梯的建议"
            )
        self._backdate(issue, day, quiet=end == "quiet")
        self.made.append(issue)

    def _screen(self, issue: PublicIssue, item: dict[str, Any], day: datetime.date, code: str) -> PublicIssue:
        if item["end"] == "rejected":
            return services.issue_screen(
                issue=issue,
                actor=self.station_user,
                accept=False,
                reason="该事项已进入司法程序，请依法通过诉讼途径解决；联络站可提供法律援助咨询。",
                on=day,
            )
        tier = item["tier"]
        issue = services.issue_screen(
            issue=issue,
            actor=self.station_user,
            accept=True,
            tier=1 if tier == 3 else tier,
            on=day,
        )
        if tier == 3:  # raised through the tiers: the subdistrict, then a unit of the district
            issue = services.issue_escalate(issue=issue, actor=self.station_user, note="需街道协调", on=day)
            issue = services.issue_escalate(
                issue=issue,
                actor=self.station_user,
                note="需区直部门办理",
                handling_unit=self.units[UNIT_OF[code]],
                on=day + datetime.timedelta(days=2),
            )
        return issue

    def _answer(self, issue: PublicIssue, item: dict[str, Any]) -> PublicIssue:
        tier = issue.tier or 1
        if tier == 1 and item.get("mine") and self.deputy_user:
            actor = self.deputy_user
        elif tier == 3:
            actor = self.office_user
        else:
            actor = self.station_user
        name = issue.handling_unit.name if tier == 3 and issue.handling_unit else ""
        return services.issue_answer(issue=issue, actor=actor, body=ANSWERS[tier], answerer_name=name)

    def _backdate(self, issue: PublicIssue, day: datetime.date, *, quiet: bool) -> None:
        """The rows carry the dates of the story, not of the seeding run (dates only, never status)."""
        tz = timezone.get_current_timezone()
        now = timezone.now()
        start = datetime.datetime.combine(day, datetime.time(9, self.rng.randrange(60)), tzinfo=tz)
        events = list(IssueEvent.objects.filter(issue=issue).order_by("pk").values_list("pk", flat=True))
        step_days = 1 if issue.status in {IssueStatus.HANDLING, IssueStatus.ANSWERED} else 2
        for step, pk in enumerate(events):
            moment = min(start + datetime.timedelta(days=step * step_days, hours=step), now)
            IssueEvent.objects.filter(pk=pk).update(created_at=moment)
        last = min(start + datetime.timedelta(days=max(len(events) - 1, 0) * step_days), now)
        fields: dict[str, Any] = {"created_at": start, "intake_notified_at": start}
        if issue.screened_at:
            fields["screened_at"] = start + datetime.timedelta(hours=3)
        if issue.answered_at:
            fields["answered_at"] = last if not quiet else start + datetime.timedelta(days=4)
        if issue.closed_at:
            fields["closed_at"] = last
        if issue.rated_at:
            fields["rated_at"] = last
        if issue.status == IssueStatus.SUBMITTED:
            fields.pop("intake_notified_at")  # the newest waits for the station: its notice goes out
        PublicIssue.objects.filter(pk=issue.pk).update(**fields)

    def _outcomes(self) -> None:
        solved_tier3 = [issue for issue in self.made if issue.tier == 3 and issue.status == IssueStatus.CLOSED]
        outcomes = [(562, Decimal("3680000")), (240, Decimal("12120000")), (36, Decimal("180000")), (12, None)]
        for issue, (people, money) in zip(solved_tier3, outcomes, strict=False):
            services.issue_record_outcome(
                issue=issue, actor=self.office_user, people_helped=people, money_involved=money
            )

    def _close_quiet(self) -> None:
        services.issues_close_quiet(as_of=self.today)

    # --- counts for the log ----------------------------------------------------------------------

    @property
    def total(self) -> int:
        return PublicIssue.objects.filter(station=self.station).count()

    def count(self, status: str) -> int:
        return PublicIssue.objects.filter(station=self.station, status=status).count()

    @property
    def in_progress(self) -> int:
        return (
            PublicIssue.objects.filter(station=self.station)
            .exclude(status__in=[IssueStatus.CLOSED, IssueStatus.NOT_ACCEPTED])
            .count()
        )
