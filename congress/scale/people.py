"""Deputies of the scale data and the bench accounts.

Deputies: persons spread over the congresses in proportion to their level, each with a serving
mandate in their own congress; about 5 % also sit in the congress one level up (a county deputy who
is also a city deputy). Delegations (代表团) for the national, provincial and city congresses, one
per congress below. Public codes come from the model's own generator; phones follow the ids.

Bench accounts (all in the focus congress, the largest city congress): users only for them, roles
through `congress.services.user_assign_role`, deputies linked by `Deputy.user`, station staff by
`StationStaff` (written by the stations stage), as the demo does.
"""

from __future__ import annotations

import bisect
import datetime
import itertools
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group

from congress.choices import CongressLevel
from congress.models import Committee, Congress, HandlingUnit
from congress.roles import Role
from congress.services import user_assign_role
from deputies.choices import DeputyStatus, MandateStatus
from deputies.demo import (
    CATEGORY_WEIGHTS,
    EDUCATION_WEIGHTS,
    ETHNICITY_WEIGHTS,
    GIVEN_CHARACTERS,
    PARTY_WEIGHTS,
    SURNAMES,
    WORK,
)
from deputies.models import Delegation, Deputy, Mandate, new_public_code

from .world import CongressInfo, World

L = CongressLevel
SECOND_SEAT_SHARE = 0.05
DELEGATION_LEVELS = (L.NATIONAL, L.PROVINCE, L.CITY)
DEPUTY_COLUMNS = (
    "id",
    "name",
    "gender",
    "ethnicity",
    "birth_date",
    "party",
    "education",
    "work_unit",
    "job_title",
    "category",
    "phone",
    "photo",
    "status",
    "public_code",
    "user_id",
    "created_at",
    "updated_at",
)
MANDATE_COLUMNS = (
    "id",
    "congress_id",
    "deputy_id",
    "term_id",
    "delegation_id",
    "constituency",
    "start_date",
    "end_date",
    "status",
    "created_at",
    "updated_at",
)
# Users of the bench: username, name shown, role.
BENCH_ACCOUNTS = [
    ("bench_admin", "压测 系统管理员", Role.ADMINISTRATOR),
    ("bench_office", "压测 联工委工作人员", Role.OFFICE),
    ("bench_leader", "压测 常委会副主任", Role.LEADER),
    ("bench_committee", "压测 教科文卫委工作人员", Role.COMMITTEE),
    ("bench_deputy", "", Role.DEPUTY),
    ("bench_deputy_small", "", Role.DEPUTY),
    ("bench_unit", "", Role.UNIT),
    ("bench_unit_small", "", Role.UNIT),
    ("bench_station", "", Role.STATION),
    ("bench_station_small", "", Role.STATION),
]


def allocate(total: int, weights: list[float], minimum: int = 0) -> list[int]:
    """`total` split in proportion to `weights` (largest remainders), each at least `minimum`."""
    count = len(weights)
    if not count:
        return []
    base = [minimum] * count
    left = total - minimum * count
    if left < 0:
        raise ValueError(f"Cannot give {count} parts at least {minimum} out of {total}.")
    whole = sum(weights) or 1.0
    shares = [left * weight / whole for weight in weights]
    floors = [int(share) for share in shares]
    rest = left - sum(floors)
    order = sorted(range(count), key=lambda index: shares[index] - floors[index], reverse=True)
    for index in order[:rest]:
        floors[index] += 1
    return [b + f for b, f in zip(base, floors, strict=True)]


class Picker:
    """A weighted choice from (value, weight) pairs with one random number."""

    def __init__(self, weighted: list[tuple[Any, float]]) -> None:
        self.values = [value for value, _weight in weighted]
        self.bounds = list(itertools.accumulate(weight for _value, weight in weighted))
        self.total = self.bounds[-1]

    def __call__(self, rng: Any) -> Any:
        return self.values[bisect.bisect_right(self.bounds, rng.random() * self.total)]


# --- accounts --------------------------------------------------------------------------------------


def build_accounts(world: World) -> int:
    """The bench users, their roles and their staff profiles; returns the users made or updated."""
    focus = world.the_focus
    user_model = get_user_model()
    hashed = make_password(world.password)  # hashed once: the same known password for every bench user
    units = {"bench_unit": focus.units[1], "bench_unit_small": focus.units[-1]}
    world.bench["units"] = {name: unit.id for name, unit in units.items()}
    office_committee = focus.committees["deputy_affairs"]
    bench_committee = focus.committees["education"]
    congress = Congress(pk=focus.id)
    for username, label, role in BENCH_ACCOUNTS:
        user, _created = user_model.objects.get_or_create(username=username)
        if username in units:
            label = f"{units[username].short}联络员"
        user.first_name = label or user.first_name
        user.password = hashed
        user.is_active = True
        user.save()
        if role == Role.DEPUTY:
            user.groups.add(Group.objects.get(name=Role.DEPUTY))
            # A second run (--force) moves the account to this run's deputy.
            Deputy.objects.filter(user=user).update(user=None)
        elif role == Role.STATION:
            user.groups.add(Group.objects.get(name=Role.STATION))
        else:
            user_assign_role(
                user=user,
                role=role,
                congress=congress,
                committee=Committee(pk={Role.OFFICE: office_committee, Role.COMMITTEE: bench_committee}[role])
                if role in (Role.OFFICE, Role.COMMITTEE)
                else None,
                unit=HandlingUnit(pk=units[username].id) if username in units else None,
            )
        world.users[username] = user.pk
        world.user_labels[user.pk] = user.first_name or username
    world.office_users[focus.id] = world.users["bench_office"]
    world.committee_users[bench_committee] = world.users["bench_committee"]
    for name, unit in units.items():
        world.unit_users[unit.id] = world.users[name]
    return len(BENCH_ACCOUNTS)


# --- deputies --------------------------------------------------------------------------------------


def build_deputies(world: World) -> int:
    rng, writer, sizes = world.rng, world.writer, world.sizes
    focus = world.the_focus
    congresses = world.congresses
    seats = allocate(sizes.deputies - 5, [c.weight for c in congresses], minimum=3)
    seats[congresses.index(focus)] += 5  # room for the bench deputies, the QR deputy and the focus stations
    _delegations(world)
    deputy_ids = writer.ids(Deputy, sizes.deputies)
    pick_category = Picker(CATEGORY_WEIGHTS)
    pick_party = Picker(PARTY_WEIGHTS)
    pick_education = Picker(EDUCATION_WEIGHTS)
    pick_ethnicity = Picker(ETHNICITY_WEIGHTS)
    surnames = SURNAMES
    given = {gender: chars for gender, chars in GIVEN_CHARACTERS.items()}
    born_from = datetime.date(1960, 1, 1).toordinal()
    now = world.now
    deputies = writer.sink(Deputy, DEPUTY_COLUMNS)
    mandates = writer.sink(Mandate, MANDATE_COLUMNS)
    mandate_ids = writer.counter(Mandate)
    reserved_users = [world.users.get("bench_deputy"), world.users.get("bench_deputy_small")]
    position = 0
    serving = MandateStatus.SERVING
    active = DeputyStatus.ACTIVE
    codes: set[str] = set()
    for info, count in zip(congresses, seats, strict=True):
        block = deputy_ids[position : position + count]
        position += count
        for offset, deputy_id in enumerate(block):
            gender = "male" if rng.random() < 0.66 else "female"
            characters = given[gender]
            name = surnames[int(rng.random() * len(surnames))] + "".join(
                characters[int(rng.random() * len(characters))] for _ in range(1 if rng.random() < 0.3 else 2)
            )
            category = pick_category(rng)
            work_unit, job_title = WORK[category][int(rng.random() * len(WORK[category]))]
            user_id = reserved_users[offset] if info is focus and offset < 2 else None
            code = new_public_code()
            while code in codes:
                code = new_public_code()
            codes.add(code)
            world.deputy_names[deputy_id] = name
            if info is focus and offset == 2:
                world.manifest["qr_code"] = code
            if user_id:
                world.deputy_users[deputy_id] = user_id
            deputies.add(
                (
                    deputy_id,
                    name,
                    gender,
                    pick_ethnicity(rng),
                    datetime.date.fromordinal(born_from + int(rng.random() * 365 * 35)),
                    pick_party(rng),
                    pick_education(rng),
                    work_unit,
                    job_title,
                    category,
                    f"14{deputy_id % 10**9:09d}",
                    "",
                    active,
                    code,
                    user_id,
                    now,
                    now,
                )
            )
            delegation_id, constituency = _seat_place(rng, info)
            mandates.add(
                (
                    next(mandate_ids),
                    info.id,
                    deputy_id,
                    info.term_id,
                    delegation_id,
                    constituency,
                    info.term_start,
                    None,
                    serving,
                    now,
                    now,
                )
            )
            info.deputies.append(deputy_id)
            info.primary.append(deputy_id)
    # The bench deputies and the QR deputy (the first three of the focus congress) sit only there.
    world.bench["deputies"] = {"bench_deputy": focus.primary[0], "bench_deputy_small": focus.primary[1]}
    world.bench["qr_deputy"] = focus.primary[2]
    reserved = set(focus.primary[:3])
    for info in congresses:
        parent = world.by_id.get(info.parent_id) if info.parent_id else None
        if parent is None:
            continue
        for deputy_id in info.primary:
            if rng.random() >= SECOND_SEAT_SHARE or deputy_id in reserved:
                continue
            delegation_id = next((d for d, _name, child in parent.delegations if child == info.id), None)
            constituency = f"{info.area}" if parent.level in DELEGATION_LEVELS else f"第{rng.randint(1, 40)}选区"
            mandates.add(
                (
                    next(mandate_ids),
                    parent.id,
                    deputy_id,
                    parent.term_id,
                    delegation_id,
                    constituency,
                    parent.term_start,
                    None,
                    serving,
                    now,
                    now,
                )
            )
            parent.deputies.append(deputy_id)
    for username, deputy_id in world.bench["deputies"].items():
        get_user_model().objects.filter(pk=world.users[username]).update(first_name=world.deputy_names[deputy_id])
        world.user_labels[world.users[username]] = world.deputy_names[deputy_id]
    return sizes.deputies


def _delegations(world: World) -> None:
    writer = world.writer
    for info in world.congresses:
        if info.level not in DELEGATION_LEVELS:
            continue
        for child_id in info.children:
            child = world.by_id[child_id]
            delegation_id = writer.next_id(Delegation)
            name = f"{child.area}代表团"
            info.delegations.append((delegation_id, name, child_id))
            writer.put(
                Delegation,
                id=delegation_id,
                congress_id=info.id,
                term_id=info.term_id,
                name=name,
                created_at=world.now,
                updated_at=world.now,
            )


def _seat_place(rng: Any, info: CongressInfo) -> tuple[int | None, str]:
    """The delegation and constituency of a seat in `info` held by one of its own deputies."""
    if info.delegations:
        delegation_id, name, _child = info.delegations[int(rng.random() * len(info.delegations))]
        return delegation_id, name[: -len("代表团")]
    return None, f"第{int(rng.random() * 40) + 1}选区"
