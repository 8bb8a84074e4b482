"""Liaison stations of the scale data: stations in the county and township congresses (and a few in
the focus city congress, where the bench station accounts work), each with its blocks and its
deputies (a manager, a liaison and resident deputies of the station's congress, each deputy at one
station at most, so a QR submission finds its station as `issue_submit` does)."""

from __future__ import annotations

from django.contrib.auth import get_user_model

from congress.choices import CongressLevel
from liaison_stations.choices import StationDeputyRole
from liaison_stations.models import Block, Station, StationDeputy, StationStaff

from .org import TOWN_STEMS
from .people import allocate
from .world import CongressInfo, StationInfo, World

L = CongressLevel
FOCUS_SHARE = 0.0025  # of the stations, in the focus city congress (at least three)
DEPUTIES_PER_STATION = 8
COMMUNITIES = ["桃花仑", "龙山港", "白鹿坡", "金银山", "梓山湖", "会龙山", "青年路", "新华路", "迎春", "建设"]
INSTRUCTORS = ["刘建国", "张志强", "李红梅", "王海燕", "陈卫东", "周晓明", "胡雪梅", "曹立新", "彭志坚"]
LIAISONS = ["谢芳", "黄丽", "罗敏", "郭静", "邓慧", "夏琴", "蒋婷", "曾艳", "熊玲", "段霞", "龚莉"]
BLOCK_COLUMNS = (
    "id",
    "congress_id",
    "station_id",
    "number",
    "name",
    "area",
    "geometry",
    "wechat_group",
    "instructor_name",
    "instructor_phone",
    "liaison_name",
    "liaison_phone",
    "supervising_deputy_id",
    "created_at",
    "updated_at",
)
STATION_DEPUTY_COLUMNS = ("id", "congress_id", "station_id", "deputy_id", "role", "since", "created_at", "updated_at")


def build_stations(world: World) -> int:
    rng, sizes = world.rng, world.sizes
    focus = world.the_focus
    in_focus = max(3, round(sizes.stations * FOCUS_SHARE))
    hosts = [info for info in world.congresses if info.level in (L.COUNTY, L.TOWNSHIP)]
    rest = sizes.stations - in_focus
    counts = allocate(rest, [len(info.primary) for info in hosts], minimum=1 if rest >= len(hosts) else 0)
    reserved = set(focus.primary[:3])
    qr_deputy = world.bench["qr_deputy"]
    # The focus congress: bench_station's, bench_station_small's, then the QR deputy's and the others.
    focus_pool = [deputy for deputy in focus.primary if deputy not in reserved]
    _stations(world, focus, in_focus, focus_pool, first_manager={2: qr_deputy})
    for info, count in zip(hosts, counts, strict=True):
        if count:
            _stations(world, info, count, list(info.primary))
    bench, small = focus.stations[0], focus.stations[1]
    world.bench["stations"] = {"bench_station": bench.id, "bench_station_small": small.id}
    world.bench["qr_station"] = focus.stations[2].id
    _issue_counts(world, rng)
    user_model = get_user_model()
    for username, station in (("bench_station", bench), ("bench_station_small", small)):
        user_id = world.users[username]
        StationStaff.objects.filter(user_id=user_id).exclude(station_id=station.id).delete()
        StationStaff.objects.get_or_create(user_id=user_id, station_id=station.id, defaults={"role": "联络员"})
        label = f"{station.name}联络员"[:150]
        user_model.objects.filter(pk=user_id).update(first_name=label)
        world.user_labels[user_id] = label
        world.station_users[station.id] = user_id
    return sizes.stations


def _stations(
    world: World,
    info: CongressInfo,
    count: int,
    pool: list[int],
    first_manager: dict[int, int] | None = None,
) -> None:
    rng, writer, now = world.rng, world.writer, world.now
    rng.shuffle(pool)
    per_station = max(1, min(DEPUTIES_PER_STATION, len(pool) // max(count, 1)))
    station_deputies = writer.sink(StationDeputy, STATION_DEPUTY_COLUMNS)
    blocks = writer.sink(Block, BLOCK_COLUMNS)
    station_deputy_ids = writer.counter(StationDeputy)
    block_ids = writer.counter(Block)
    kind = "街道" if info.level == L.COUNTY and info.area.endswith("区") else "镇"
    if info.level == L.TOWNSHIP:
        kind = "村"
    for index in range(count):
        stems = TOWN_STEMS if info.level == L.COUNTY else COMMUNITIES
        stem = stems[index % len(stems)]
        suffix = "" if index < len(stems) else str(index // len(stems) + 1)
        area = f"{stem}{suffix}{kind}" if info.level != L.CITY else f"{stem}{suffix}社区"
        station = StationInfo(
            id=writer.next_id(Station),
            congress_id=info.id,
            name=f"{info.area}{area}人大代表联络站",
            area=area,
            weight=rng.uniform(0.5, 1.5),
        )
        info.stations.append(station)
        writer.put(
            Station,
            id=station.id,
            congress_id=info.id,
            name=station.name,
            managing_body=f"{info.area}{area}人大工委",
            address=f"{info.area}{area}便民服务中心",
            opening_hours="工作日 9:00–17:00；每月 15 日为代表接待日",
            phone=f"0{info.id % 1000:03d}-{4300000 + index:07d}",
            is_model_station=index % 10 == 0,
            notice_days=2,
            is_active=True,
            created_at=now,
            updated_at=now,
        )
        members = pool[index * per_station : (index + 1) * per_station]
        if first_manager and index in first_manager:
            members = [first_manager[index], *members[: per_station - 1]]
        station.deputies = members
        for position, deputy_id in enumerate(members):
            role = StationDeputyRole.MANAGER if position == 0 else StationDeputyRole.RESIDENT
            if position == 1:
                role = StationDeputyRole.LIAISON
            station_deputies.add(
                (next(station_deputy_ids), info.id, station.id, deputy_id, role, info.term_start, now, now)
            )
        block_count = 8 if info is world.focus and index == 0 else 3 + int(rng.random() * 4)
        for number in range(1, block_count + 1):
            block_id = next(block_ids)
            station.blocks.append(block_id)
            community = COMMUNITIES[(index + number) % len(COMMUNITIES)]
            supervisor = members[(number - 1) % len(members)] if members else None
            blocks.add(
                (
                    block_id,
                    info.id,
                    station.id,
                    number,
                    f"{community}社区第{number}片区",
                    f"{community}社区 {number} 至 {number + 2} 栋及周边",
                    None,
                    f"{community}{number}片区居民群",
                    INSTRUCTORS[(index + number) % len(INSTRUCTORS)],
                    f"1397{station.id % 1000:03d}{number:04d}",
                    LIAISONS[(index + number) % len(LIAISONS)],
                    f"1398{station.id % 1000:03d}{number:04d}",
                    supervisor,
                    now,
                    now,
                )
            )


def _issue_counts(world: World, rng) -> None:
    """How many issues each station gets: the bench stations their fixed numbers, the rest by weight."""
    focus = world.the_focus
    bench, small = focus.stations[0], focus.stations[1]
    bench.issues, small.issues = world.sizes.focus_rows, 2
    others = [station for info in world.congresses for station in info.stations if station not in (bench, small)]
    left = world.sizes.issues - bench.issues - small.issues
    for station, count in zip(others, allocate(left, [station.weight for station in others], minimum=1), strict=True):
        station.issues = count
