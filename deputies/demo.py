"""Demo registry: about 400 deputies at province, city and district level (some at two levels),
in delegations, with realistic names and backgrounds, and the `deputy` and `deputy2` accounts.
Deterministic (fixed random seed, phone numbers by index), so running it again changes nothing."""

from __future__ import annotations

import datetime
import random
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from congress.roles import Role

from . import demo_groups, demo_legislation, demo_meetings, demo_training
from .choices import DeputyCategory, Education, Ethnicity, Gender, MandateStatus, Party
from .duty import activity_types_ensure, duty_record_act
from .models import Delegation, Deputy, Mandate

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡"
    "余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯"
    "龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
# Characters of given names, by the gender they are more often used for.
GIVEN_CHARACTERS = {
    "male": "伟强磊军洋勇杰涛明超刚建文辉力国庆志德胜永福林波宇鹏飞浩然俊峰立新光荣卫东爱民长青振华",
    "female": "芳娜敏静丽艳娟秀霞平桂英华玉兰萍红春梅海燕晓雪佳慧婷欣怡金凤翠兰思",
}
CITY_DELEGATIONS = [
    "赫山区代表团",
    "资阳区代表团",
    "沅江市代表团",
    "南县代表团",
    "桃江县代表团",
    "安化县代表团",
    "大通湖区代表团",
]
WORK = {
    DeputyCategory.OFFICIAL: [
        ("益阳市人民政府", "副市长"),
        ("赫山区人民政府", "区长"),
        ("资阳区委", "副书记"),
        ("益阳市财政局", "局长"),
        ("沅江市人民政府", "副市长"),
        ("益阳市教育局", "副局长"),
    ],
    DeputyCategory.ENTERPRISE: [
        ("益阳橡胶塑料机械集团有限公司", "董事长"),
        ("湖南益阳黑茶产业园", "总经理"),
        ("桃江竹业发展有限公司", "总经理"),
        ("安化黑茶集团", "副总经理"),
        ("益阳电力建设公司", "工程师"),
    ],
    DeputyCategory.GRASSROOTS: [
        ("会龙山街道桃花仑社区", "党委书记"),
        ("泉交河镇新塘村", "村委会主任"),
        ("南县茅草街镇", "种粮大户"),
        ("资阳区长春镇", "农民"),
        ("益阳市公交公司", "驾驶员"),
    ],
    DeputyCategory.PROFESSIONAL: [
        ("益阳市中心医院", "主任医师"),
        ("湖南城市学院", "教授"),
        ("益阳市第一中学", "教师"),
        ("湖南金州律师事务所", "律师"),
        ("益阳市农业科学研究所", "研究员"),
    ],
}
CATEGORY_WEIGHTS = [
    (DeputyCategory.OFFICIAL, 30),
    (DeputyCategory.ENTERPRISE, 20),
    (DeputyCategory.GRASSROOTS, 35),
    (DeputyCategory.PROFESSIONAL, 15),
]
PARTY_WEIGHTS = [(Party.CPC, 70), (Party.NONE, 18), (Party.CDL, 3), (Party.CAPD, 3), (Party.JS, 3), (Party.CPWDP, 3)]
EDUCATION_WEIGHTS = [
    (Education.DOCTORATE, 4),
    (Education.MASTER, 16),
    (Education.BACHELOR, 45),
    (Education.COLLEGE, 20),
    (Education.SECONDARY, 10),
    (Education.JUNIOR, 5),
]
ETHNICITY_WEIGHTS = [
    (Ethnicity.HAN, 92),
    (Ethnicity.TUJIA, 3),
    (Ethnicity.MIAO, 2),
    (Ethnicity.HUI, 1),
    (Ethnicity.YAO, 2),
]

# How many persons hold which seats: (city, province, heshan, ziyang) flags, count.
SEAT_PLAN = [
    ((True, False, False, False), 190),
    ((True, True, False, False), 20),
    ((True, False, True, False), 25),
    ((True, False, False, True), 15),
    ((False, True, False, False), 20),
    ((False, False, True, False), 90),
    ((False, False, False, True), 40),
]


def _pick(rng: random.Random, weighted: list[tuple[Any, int]]) -> Any:
    values, weights = zip(*weighted, strict=True)
    return rng.choices(values, weights=weights, k=1)[0]


def seed(context: dict[str, Any]) -> None:
    rng = random.Random(20261125)  # fixed: the same people on every run
    congresses, terms = context["congresses"], context["terms"]
    delegations = {
        name: Delegation.objects.get_or_create(congress=congresses["city"], term=terms["city"], name=name)[0]
        for name in CITY_DELEGATIONS
    }
    province_delegation, _created = Delegation.objects.get_or_create(
        congress=congresses["province"], term=terms["province"], name="益阳市代表团"
    )
    index = 0
    deputies: list[Deputy] = []
    for (city, province, heshan, ziyang), count in SEAT_PLAN:
        for _ in range(count):
            index += 1
            deputy = _person(rng, index)
            deputies.append(deputy)
            if city:
                delegation_name = (
                    "赫山区代表团" if heshan else "资阳区代表团" if ziyang else rng.choice(CITY_DELEGATIONS)
                )
                _seat(
                    deputy,
                    terms["city"],
                    delegations[delegation_name],
                    f"{delegation_name[:-3]}第{rng.randint(1, 12)}选区",
                )
            if province:
                _seat(deputy, terms["province"], province_delegation, "益阳市")
            if heshan:
                _seat(deputy, terms["heshan"], None, f"赫山区第{rng.randint(1, 40)}选区")
            if ziyang:
                _seat(deputy, terms["ziyang"], None, f"资阳区第{rng.randint(1, 30)}选区")
    context["deputies"] = deputies
    _duty_record(context)
    # The demo deputies: `deputy` serves in the city and Heshan district congresses, `deputy2` in the city.
    _deputy_account(context, "deputy", deputies[210])  # first of the city+heshan group
    _deputy_account(context, "deputy2", deputies[0])
    context["log"](f"deputies: {len(deputies)} persons, {Mandate.objects.count()} mandates")
    # Committee-driven work, after the accounts (the areas give the `deputy` account its share).
    # Groups come first: the rotation planner matches agenda topics to group members.
    for area in (demo_groups, demo_training, demo_meetings, demo_legislation):
        area.seed(context)


def _person(rng: random.Random, index: int) -> Deputy:
    category = _pick(rng, CATEGORY_WEIGHTS)
    work_unit, job_title = rng.choice(WORK[category])
    gender = rng.choice((Gender.MALE, Gender.MALE, Gender.FEMALE))
    given = "".join(rng.choice(GIVEN_CHARACTERS[gender]) for _ in range(rng.choice((1, 2, 2))))
    birth = datetime.date(1960, 1, 1) + datetime.timedelta(days=rng.randint(0, 365 * 35))
    deputy, _created = Deputy.objects.update_or_create(
        phone=f"1390737{index:04d}",
        defaults={
            "name": rng.choice(SURNAMES) + given,
            "gender": gender,
            "ethnicity": _pick(rng, ETHNICITY_WEIGHTS),
            "birth_date": birth,
            "party": _pick(rng, PARTY_WEIGHTS),
            "education": _pick(rng, EDUCATION_WEIGHTS),
            "work_unit": work_unit,
            "job_title": job_title,
            "category": category,
        },
    )
    return deputy


def _seat(deputy: Deputy, term: Any, delegation: Delegation | None, constituency: str) -> None:
    Mandate.objects.update_or_create(
        deputy=deputy,
        congress=term.congress,
        term=term,
        defaults={
            "delegation": delegation,
            "constituency": constituency,
            "start_date": term.start_date,
            "status": MandateStatus.SERVING,
        },
    )


def _deputy_account(context: dict[str, Any], username: str, deputy: Deputy) -> None:
    user_model = get_user_model()
    user, _created = user_model.objects.get_or_create(username=username)
    user.first_name = deputy.name
    user.set_password(context["password"])
    user.save()
    user.groups.add(Group.objects.get(name=Role.DEPUTY))
    Deputy.objects.filter(user=user).exclude(pk=deputy.pk).update(user=None)
    deputy.user = user
    deputy.save(update_fields=["user", "updated_at"])
    context["accounts"].append((username, f"{Role(Role.DEPUTY).label}（{deputy.name}）"))


def _duty_record(context: dict[str, Any]) -> None:
    """Every city deputy attended the fifth session: the first lines of their duty record."""
    city, session = context["congresses"]["city"], context["sessions"]["city"]
    activity_types_ensure(congress=city)
    for mandate in Mandate.objects.filter(congress=city, status=MandateStatus.SERVING).only("deputy_id"):
        duty_record_act(
            deputy_id=mandate.deputy_id,
            congress_id=city.pk,
            code="session_attendance",
            on=session.start_date,
            source_key=f"session:{session.pk}",
            description=str(session),
        )
