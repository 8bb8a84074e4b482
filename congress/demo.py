"""Demo organisation: a city congress (Yiyang-like) with its province and districts, term and
session, committees with their subject categories, about sixty handling units, the working calendar,
and the staff accounts. Idempotent: natural keys, update_or_create."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.auth import get_user_model

from .choices import CommitteeKind, CongressLevel, HandlingUnitKind
from .models import Committee, Congress, HandlingUnit, Session, SubjectCategory, Term
from .roles import Role
from .services import calendar_load_official, user_assign_role

CONGRESSES = [
    # key, name, short name, level, area, code, parent key
    ("province", "湖南省人民代表大会", "湖南省人大", CongressLevel.PROVINCE, "湖南省", "430000", None),
    ("city", "益阳市人民代表大会", "益阳市人大", CongressLevel.CITY, "益阳市", "430900", "province"),
    ("heshan", "益阳市赫山区人民代表大会", "赫山区人大", CongressLevel.COUNTY, "赫山区", "430903", "city"),
    ("ziyang", "益阳市资阳区人民代表大会", "资阳区人大", CongressLevel.COUNTY, "资阳区", "430902", "city"),
]

TERMS = {
    # key: (term number, start, end)
    "province": (14, datetime.date(2023, 1, 12), datetime.date(2028, 1, 11)),
    "city": (7, datetime.date(2022, 1, 6), datetime.date(2027, 1, 5)),
    "heshan": (19, datetime.date(2021, 12, 28), datetime.date(2026, 12, 27)),
    "ziyang": (7, datetime.date(2021, 12, 27), datetime.date(2026, 12, 26)),
}

CITY_SESSIONS = [
    (1, datetime.date(2022, 1, 6), datetime.date(2022, 1, 9)),
    (2, datetime.date(2023, 1, 5), datetime.date(2023, 1, 8)),
    (3, datetime.date(2024, 1, 9), datetime.date(2024, 1, 12)),
    (4, datetime.date(2025, 1, 7), datetime.date(2025, 1, 10)),
    (5, datetime.date(2026, 1, 8), datetime.date(2026, 1, 11)),
]

COMMITTEES = [
    # key, name, short name, kind, deputy-affairs office?
    ("legal", "法制委员会", "法制委", CommitteeKind.SPECIAL, False),
    ("finance", "财政经济委员会", "财经委", CommitteeKind.SPECIAL, False),
    ("education", "教育科学文化卫生委员会", "教科文卫委", CommitteeKind.SPECIAL, False),
    ("social", "社会建设委员会", "社会委", CommitteeKind.SPECIAL, False),
    ("environment", "环境与资源保护委员会", "环资委", CommitteeKind.SPECIAL, False),
    ("agriculture", "农业与农村委员会", "农委", CommitteeKind.SPECIAL, False),
    ("justice", "监察和司法委员会", "监察司法委", CommitteeKind.SPECIAL, False),
    ("deputy_affairs", "代表工作委员会", "联工委", CommitteeKind.WORKING, True),
]

SUBJECT_CATEGORIES = [
    # code, name, committee key
    ("rule-of-law", "法治建设", "legal"),
    ("economy", "经济发展", "finance"),
    ("finance", "财政金融", "finance"),
    ("industry", "工业和信息化", "finance"),
    ("education", "教育", "education"),
    ("science", "科技", "education"),
    ("culture-tourism", "文化旅游", "education"),
    ("health", "医疗卫生", "education"),
    ("social-security", "社会保障", "social"),
    ("urban", "城乡建设", "social"),
    ("transport", "交通运输", "social"),
    ("safety", "安全生产", "social"),
    ("environment", "生态环境", "environment"),
    ("natural-resources", "自然资源", "environment"),
    ("agriculture", "农业农村", "agriculture"),
    ("water", "水利", "agriculture"),
    ("justice", "政法司法", "justice"),
]

GOVERNMENT_DEPARTMENTS = [
    "发展和改革委员会",
    "教育局",
    "科学技术局",
    "工业和信息化局",
    "公安局",
    "民政局",
    "司法局",
    "财政局",
    "人力资源和社会保障局",
    "自然资源和规划局",
    "生态环境局",
    "住房和城乡建设局",
    "交通运输局",
    "水利局",
    "农业农村局",
    "商务局",
    "文化旅游广电体育局",
    "卫生健康委员会",
    "退役军人事务局",
    "应急管理局",
    "审计局",
    "市场监督管理局",
    "统计局",
    "医疗保障局",
    "林业局",
    "城市管理和综合执法局",
    "信访局",
    "数据资源局",
    "行政审批服务局",
    "国有资产监督管理委员会",
    "乡村振兴局",
    "粮食和物资储备局",
    "人民防空办公室",
    "机关事务管理局",
    "住房公积金管理中心",
    "地方金融监督管理局",
    "体育事业发展中心",
    "供销合作社",
]
# Units whose 归口 (parent) is another unit.
UNIT_PARENTS = {
    "林业局": "自然资源和规划局",
    "住房公积金管理中心": "住房和城乡建设局",
    "体育事业发展中心": "文化旅游广电体育局",
}
OTHER_UNITS = [
    ("益阳市中级人民法院", HandlingUnitKind.COURT),
    ("益阳市人民检察院", HandlingUnitKind.PROCURATORATE),
    ("益阳市监察委员会", HandlingUnitKind.SUPERVISORY),
    ("中共益阳市委组织部", HandlingUnitKind.PARTY),
    ("中共益阳市委宣传部", HandlingUnitKind.PARTY),
    ("国网益阳供电公司", HandlingUnitKind.ENTERPRISE),
    ("益阳市城市建设投资运营集团", HandlingUnitKind.ENTERPRISE),
    ("益阳市公共交通集团", HandlingUnitKind.ENTERPRISE),
    ("益阳市中心医院", HandlingUnitKind.PUBLIC_INSTITUTION),
    ("湖南城市学院", HandlingUnitKind.PUBLIC_INSTITUTION),
    ("赫山区人民政府", HandlingUnitKind.GOVERNMENT),
    ("资阳区人民政府", HandlingUnitKind.GOVERNMENT),
    ("沅江市人民政府", HandlingUnitKind.GOVERNMENT),
    ("南县人民政府", HandlingUnitKind.GOVERNMENT),
    ("桃江县人民政府", HandlingUnitKind.GOVERNMENT),
    ("安化县人民政府", HandlingUnitKind.GOVERNMENT),
    ("大通湖区管理委员会", HandlingUnitKind.GOVERNMENT),
    ("益阳高新技术产业开发区管理委员会", HandlingUnitKind.GOVERNMENT),
    ("益阳市人民政府办公室", HandlingUnitKind.GOVERNMENT),
    ("中国移动益阳分公司", HandlingUnitKind.ENTERPRISE),
    ("益阳市水务集团", HandlingUnitKind.ENTERPRISE),
]

STAFF_ACCOUNTS = [
    # username, full name, role, committee key, unit name, superuser
    ("admin", "系统管理员", Role.ADMINISTRATOR, None, None, True),
    ("office", "联工委 刘敏", Role.OFFICE, "deputy_affairs", None, False),
    ("committee", "教科文卫委 陈静", Role.COMMITTEE, "education", None, False),
    ("unit", "市教育局 王强", Role.UNIT, None, "益阳市教育局", False),
    ("leader", "常委会副主任 周建国", Role.LEADER, None, None, False),
]


def seed(context: dict[str, Any]) -> None:
    congresses = _congresses()
    terms, sessions = _terms_and_sessions(congresses)
    city = congresses["city"]
    committees = _committees(city)
    units = _units(city)
    calendar_load_official()
    context.update(congresses=congresses, terms=terms, sessions=sessions, city=city, committees=committees, units=units)
    _staff_accounts(context)
    context["log"](f"congress: {len(congresses)} congresses, {len(committees)} committees, {len(units)} handling units")


def _congresses() -> dict[str, Congress]:
    result: dict[str, Congress] = {}
    for key, name, short, level, area, code, parent in CONGRESSES:
        result[key], _created = Congress.objects.update_or_create(
            area_code=code,
            level=level,
            defaults={"name": name, "short_name": short, "area_name": area, "parent": result.get(parent or "")},
        )
    return result


def _terms_and_sessions(congresses: dict[str, Congress]) -> tuple[dict[str, Term], dict[str, Session]]:
    terms: dict[str, Term] = {}
    for key, (number, start, end) in TERMS.items():
        terms[key], _created = Term.objects.update_or_create(
            congress=congresses[key], number=number, defaults={"start_date": start, "end_date": end}
        )
    sessions: dict[str, Session] = {}
    for number, start, end in CITY_SESSIONS:
        sessions[f"city-{number}"], _created = Session.objects.update_or_create(
            term=terms["city"],
            number=number,
            defaults={"congress": congresses["city"], "start_date": start, "end_date": end},
        )
    sessions["city"] = sessions[f"city-{CITY_SESSIONS[-1][0]}"]
    return terms, sessions


def _committees(city: Congress) -> dict[str, Committee]:
    committees: dict[str, Committee] = {}
    for key, name, short, kind, is_office in COMMITTEES:
        committees[key], _created = Committee.objects.update_or_create(
            congress=city,
            name=name,
            defaults={"short_name": short, "kind": kind, "is_deputy_affairs_office": is_office},
        )
    for order, (code, name, committee_key) in enumerate(SUBJECT_CATEGORIES, start=1):
        SubjectCategory.objects.update_or_create(
            congress=city,
            code=code,
            defaults={"name": name, "counterpart_committee": committees[committee_key], "sort_order": order},
        )
    return committees


def _units(city: Congress) -> dict[str, HandlingUnit]:
    units: dict[str, HandlingUnit] = {}
    for index, department in enumerate(GOVERNMENT_DEPARTMENTS):
        name = f"益阳市{department}"
        units[name], _created = HandlingUnit.objects.update_or_create(
            congress=city,
            name=name,
            defaults={
                "short_name": f"市{department[:4]}",
                "kind": HandlingUnitKind.GOVERNMENT,
                "contact_name": "办公室",
                "contact_phone": f"0737-42{index:05d}",
            },
        )
    for department, parent in UNIT_PARENTS.items():
        unit = units[f"益阳市{department}"]
        unit.parent = units[f"益阳市{parent}"]
        unit.save(update_fields=["parent", "updated_at"])
    for name, kind in OTHER_UNITS:
        units[name], _created = HandlingUnit.objects.update_or_create(congress=city, name=name, defaults={"kind": kind})
    return units


def _staff_accounts(context: dict[str, Any]) -> None:
    user_model = get_user_model()
    for username, full_name, role, committee_key, unit_name, superuser in STAFF_ACCOUNTS:
        user, _created = user_model.objects.get_or_create(username=username)
        user.first_name = full_name
        user.is_superuser = superuser
        user.set_password(context["password"])
        user.save()
        user_assign_role(
            user=user,
            role=role,
            congress=context["city"],
            committee=context["committees"].get(committee_key or ""),
            unit=context["units"].get(unit_name or ""),
        )
        context["accounts"].append((username, str(Role(role).label)))
