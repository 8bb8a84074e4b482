"""The organisation of the scale data: congresses at five levels (national, a province, its cities,
counties and townships), each with its current term (started 2022, or 2023 for the national and
provincial congresses) and a session a year, committees with the deputy-affairs office, subject
categories with their counterpart committees, handling units, and the rules and tables the services
create on first use (HandlingRules, the A/B/C/D reply classes, IssueRules, DutyRules, activity types)."""

from __future__ import annotations

import datetime

from congress.choices import CommitteeKind, CongressLevel, HandlingUnitKind
from congress.demo import COMMITTEES, GOVERNMENT_DEPARTMENTS, SUBJECT_CATEGORIES
from congress.models import Committee, Congress, HandlingUnit, Session, SubjectCategory, Term
from deputies.duty import DEFAULT_ACTIVITY_TYPES
from deputies.models import DutyRules, registry
from liaison_stations.models import IssueRules
from suggestions.models import HandlingRules, ReplyClass
from suggestions.services import DEFAULT_REPLY_CLASSES

from .world import CategoryInfo, CongressInfo, SessionInfo, UnitInfo, World

L = CongressLevel
# Deputies a congress of each level has, in proportion (全国 ~3000, 省 ~800, 市 ~500, 县 ~250, 乡 ~60).
LEVEL_WEIGHTS = {L.NATIONAL: 3000, L.PROVINCE: 800, L.CITY: 500, L.COUNTY: 250, L.TOWNSHIP: 60}
UNITS_PER_LEVEL = {L.NATIONAL: 30, L.PROVINCE: 36, L.CITY: 30, L.COUNTY: 30, L.TOWNSHIP: 8}
SESSION_DAYS = {L.NATIONAL: 7, L.PROVINCE: 6, L.CITY: 4, L.COUNTY: 3, L.TOWNSHIP: 1}
TERM_NUMBERS = {L.NATIONAL: 14, L.PROVINCE: 14, L.CITY: 8, L.COUNTY: 18, L.TOWNSHIP: 19}
# Where the current term started: the national and provincial congresses in 2023, the others in 2022.
TERM_START_YEAR = {L.NATIONAL: 2023, L.PROVINCE: 2023, L.CITY: 2022, L.COUNTY: 2022, L.TOWNSHIP: 2022}

CITIES = [
    ("长沙市", "430100"),
    ("株洲市", "430200"),
    ("湘潭市", "430300"),
    ("衡阳市", "430400"),
    ("邵阳市", "430500"),
    ("岳阳市", "430600"),
    ("常德市", "430700"),
    ("张家界市", "430800"),
    ("益阳市", "430900"),
    ("郴州市", "431000"),
    ("永州市", "431100"),
    ("怀化市", "431200"),
    ("娄底市", "431300"),
    ("湘西土家族苗族自治州", "433100"),
]


def _words(text: str) -> list[str]:
    """Names written as one text, separated by spaces."""
    return text.split()


COUNTY_STEMS = _words(
    "芙蓉 天心 岳麓 开福 雨花 望城 浏阳 宁乡 荷塘 芦淞 石峰 天元 醴陵 攸县 茶陵 炎陵 雨湖 岳塘 "
    "湘乡 韶山 珠晖 雁峰 石鼓 蒸湘 南岳 衡山 衡东 祁东 耒阳 常宁 双清 大祥 北塔 邵东 新邵 隆回 "
    "洞口 绥宁 新宁 武冈 云溪 君山 华容 湘阴 平江 汨罗 临湘 武陵 鼎城 安乡 汉寿 澧县 临澧 桃源 "
    "石门 津市 永定 慈利 桑植 资阳 赫山 南县 桃江 安化 沅江 北湖 苏仙 桂阳 宜章 永兴 嘉禾 临武 "
    "汝城 桂东 安仁 资兴 零陵 祁阳 东安 双牌 道县 江永 宁远 蓝山 新田 江华 鹤城 中方 沅陵 辰溪 "
    "溆浦 会同 麻阳 新晃 芷江 靖州 通道 洪江 娄星 双峰 新化 涟源 吉首 泸溪 凤凰 花垣 保靖 古丈 "
    "永顺 龙山"
)
TOWN_STEMS = _words(
    "城关 东山 西湖 龙潭 白沙 清水 黄土 金山 石桥 新塘 长春 兰溪 沙头 泉交 沧水 谢林 欧江 笔架 茈湖 枫林"
)
NATIONAL_UNITS = _words(
    "外交部 国防部 国家发展和改革委员会 教育部 科学技术部 工业和信息化部 国家民族事务委员会 公安部 民政部 司法部 "
    "财政部 人力资源和社会保障部 自然资源部 生态环境部 住房和城乡建设部 交通运输部 水利部 农业农村部 商务部 "
    "文化和旅游部 国家卫生健康委员会 退役军人事务部 应急管理部 中国人民银行 审计署 国家市场监督管理总局 "
    "国家医疗保障局 国家林业和草原局 国家铁路局 中国民用航空局"
)
TOWNSHIP_UNITS = [
    "党政综合办公室",
    "经济发展办公室",
    "社会事务办公室",
    "自然资源和生态环境办公室",
    "综合行政执法大队",
    "财政所",
    "农业综合服务中心",
    "便民服务中心",
]


def level_plan(count: int) -> list[str]:
    """The level of each congress: one national, one province, ~14 % cities, ~24 % townships, the rest counties."""
    cities = max(1, round(count * 0.14))
    townships = max(0, round(count * 0.24)) if count >= 5 else 0
    counties = count - 2 - cities - townships
    return [L.NATIONAL, L.PROVINCE] + [L.CITY] * cities + [L.COUNTY] * counties + [L.TOWNSHIP] * townships


def build_organisation(world: World) -> None:
    rng, writer = world.rng, world.writer
    levels = level_plan(world.sizes.congresses)
    ids = writer.ids(Congress, len(levels))
    taken = set(Congress.objects.values_list("area_code", "level"))
    infos: list[CongressInfo] = []
    cities: list[CongressInfo] = []
    counties: list[CongressInfo] = []
    for index, (congress_id, level) in enumerate(zip(ids, levels, strict=True)):
        if level == L.NATIONAL:
            area, code, parent = "中华人民共和国", "100000", None
            name, short = "全国人民代表大会", "全国人大"
        elif level == L.PROVINCE:
            area, code, parent = "湖南省", "430000", infos[0]
            name, short = None, None
        elif level == L.CITY:
            number = len(cities)
            area, code = CITIES[number % len(CITIES)]
            if number >= len(CITIES):
                area, code = f"{area[:-1]}{number // len(CITIES) + 1}{area[-1]}", f"43{number + 20:02d}00"
            parent = infos[1]
            name, short = None, None
        elif level == L.COUNTY:
            number = len(counties)
            parent = cities[number % len(cities)]
            stem = COUNTY_STEMS[number % len(COUNTY_STEMS)] + ("" if number < len(COUNTY_STEMS) else str(number))
            area = stem if stem.endswith(("县", "市", "区")) else stem + ("区" if number % 3 else "县")
            code = f"{parent.code[:4]}{number // len(cities) + 2:02d}"
            name, short = None, None
        else:
            number = index - len(levels) + levels.count(L.TOWNSHIP)
            parent = counties[number % len(counties)]
            area = f"{parent.area}{TOWN_STEMS[(number // len(counties)) % len(TOWN_STEMS)]}镇"
            if number >= len(counties) * len(TOWN_STEMS):
                area = f"{area[:-1]}{number}镇"
            code = f"{parent.code[:4]}{50 + number % 50:02d}"
            name, short = None, None
        name = name or f"{area}人民代表大会"
        short = short or f"{area}人大"
        if (code, level) in taken:  # another dataset already uses the code: one of our own instead
            code = f"{900000 + congress_id % 100000:06d}"
        taken.add((code, level))
        weight = LEVEL_WEIGHTS[level] * (rng.uniform(0.75, 1.2) if level != L.NATIONAL else 1.0)
        if level == L.CITY and not cities:
            weight = LEVEL_WEIGHTS[level] * 1.35  # the capital: the largest city congress, the focus
        info = CongressInfo(
            id=congress_id,
            level=level,
            name=name,
            short=short,
            area=area,
            parent_id=parent.id if parent else None,
            weight=weight,
            code=code,
        )
        infos.append(info)
        if level == L.CITY:
            cities.append(info)
        elif level == L.COUNTY:
            counties.append(info)
        if parent is not None:
            parent.children.append(congress_id)
        writer.put(
            Congress,
            id=congress_id,
            name=name,
            short_name=short[:50],
            level=level,
            area_name=area,
            area_code=code,
            parent_id=info.parent_id,
            is_active=True,
            created_at=world.now,
            updated_at=world.now,
        )
    world.congresses = infos
    world.by_id = {info.id: info for info in infos}
    world.focus = max(cities, key=lambda info: info.weight)
    for info in infos:
        _term_and_sessions(world, info, rng)
        _committees_and_categories(world, info)
        _units(world, info)
        _rules(world, info)


def _term_and_sessions(world: World, info: CongressInfo, rng) -> None:
    writer, today = world.writer, world.today
    year = TERM_START_YEAR[info.level]
    # The national congress opens on 5 March (两会); local congresses in January.
    start = datetime.date(year, 3, 5) if info.level == L.NATIONAL else datetime.date(year, 1, 4 + rng.randrange(14))
    end = datetime.date(start.year + 5, start.month, start.day) - datetime.timedelta(days=1)
    info.term_id = writer.next_id(Term)
    info.term_start = start
    writer.put(
        Term,
        id=info.term_id,
        congress_id=info.id,
        number=TERM_NUMBERS[info.level],
        start_date=start,
        end_date=end,
        created_at=world.now,
        updated_at=world.now,
    )
    length = SESSION_DAYS[info.level]
    for number, session_year in enumerate(range(start.year, today.year + 1), start=1):
        opening = start if number == 1 else datetime.date(session_year, start.month, start.day)
        if opening > today or opening > end:
            break
        session = SessionInfo(writer.next_id(Session), number, opening, opening + datetime.timedelta(days=length - 1))
        info.sessions.append(session)
        writer.put(
            Session,
            id=session.id,
            congress_id=info.id,
            term_id=info.term_id,
            number=number,
            start_date=session.start,
            end_date=session.end,
            created_at=world.now,
            updated_at=world.now,
        )


def _committee_name(name: str, level: str, is_office: bool) -> str:
    """County and township congresses have working committees (工作委员会) of their standing body."""
    if level in (L.COUNTY, L.TOWNSHIP) and not is_office and name.endswith("委员会"):
        return name[: -len("委员会")] + "工作委员会"
    return name


def _committees_and_categories(world: World, info: CongressInfo) -> None:
    writer = world.writer
    for key, name, short, kind, is_office in COMMITTEES:
        committee_id = writer.next_id(Committee)
        full_name = _committee_name(name, info.level, is_office)
        info.committees[key] = committee_id
        info.committee_names[committee_id] = full_name
        writer.put(
            Committee,
            id=committee_id,
            congress_id=info.id,
            name=full_name,
            short_name=short,
            kind=CommitteeKind.WORKING if info.level in (L.COUNTY, L.TOWNSHIP) else kind,
            is_deputy_affairs_office=is_office,
            is_active=True,
            created_at=world.now,
            updated_at=world.now,
        )
    for order, (code, name, committee_key) in enumerate(SUBJECT_CATEGORIES, start=1):
        category = CategoryInfo(writer.next_id(SubjectCategory), name, code, info.committees[committee_key])
        info.categories.append(category)
        writer.put(
            SubjectCategory,
            id=category.id,
            congress_id=info.id,
            name=name,
            code=code,
            counterpart_committee_id=category.committee_id,
            sort_order=order,
            is_active=True,
            created_at=world.now,
            updated_at=world.now,
        )


def _units(world: World, info: CongressInfo) -> None:
    writer = world.writer
    count = UNITS_PER_LEVEL[info.level]
    if info.level == L.NATIONAL:
        names = [(name, name) for name in NATIONAL_UNITS[:count]]
    elif info.level == L.TOWNSHIP:
        names = [(f"{info.area}{name}", f"{info.area[-3:]}{name[:4]}") for name in TOWNSHIP_UNITS[:count]]
    else:
        prefix = info.area[:-1] if len(info.area) > 2 else info.area
        names = [(f"{info.area}{name}", f"{prefix}{name[:4]}") for name in GOVERNMENT_DEPARTMENTS[:count]]
    for index, (name, short) in enumerate(names):
        unit = UnitInfo(writer.next_id(HandlingUnit), name, short[:30])
        info.units.append(unit)
        writer.put(
            HandlingUnit,
            id=unit.id,
            congress_id=info.id,
            name=name,
            short_name=unit.short,
            kind=HandlingUnitKind.GOVERNMENT,
            parent_id=None,
            is_active=True,
            contact_name="办公室",
            contact_phone=f"0{info.id % 1000:03d}-{4200000 + index:07d}",
            created_at=world.now,
            updated_at=world.now,
        )


def _rules(world: World, info: CongressInfo) -> None:
    """What the services create on a congress's first use, with their defaults."""
    writer = world.writer
    writer.put(HandlingRules, id=writer.next_id(HandlingRules), congress_id=info.id)
    # The focus congress takes QR submissions without a per-address limit worth the name (the
    # field's largest value), so a load test of the intake page from one address is not throttled.
    intake = {"intake_per_hour": 32767} if info is world.focus else {}
    writer.put(IssueRules, id=writer.next_id(IssueRules), congress_id=info.id, **intake)
    writer.put(DutyRules, id=writer.next_id(DutyRules), congress_id=info.id)
    for order, (code, name, solved, planned, follow_up) in enumerate(DEFAULT_REPLY_CLASSES, start=1):
        class_id = writer.next_id(ReplyClass)
        info.reply_classes[code] = class_id
        writer.put(
            ReplyClass,
            id=class_id,
            congress_id=info.id,
            code=code,
            name=name,
            counts_as_solved=solved,
            counts_as_planned=planned,
            needs_follow_up=follow_up,
            sort_order=order,
            created_at=world.now,
            updated_at=world.now,
        )
    for order, (code, name, points, cap, declarable) in enumerate(DEFAULT_ACTIVITY_TYPES, start=1):
        type_id = writer.next_id(registry.ActivityType)
        info.activity_types[code] = (type_id, points)
        writer.put(
            registry.ActivityType,
            id=type_id,
            congress_id=info.id,
            code=code,
            name=name,
            points=points,
            yearly_cap=cap,
            declarable=declarable,
            sort_order=order,
            created_at=world.now,
            updated_at=world.now,
        )
