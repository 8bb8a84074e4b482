"""Citizens' issues of the scale data, each written as the loop's services would have left it.

Issues come in through every channel at every station (QR issues are written to one of the
station's deputies, whose station takes them in, as `issue_submit` finds it), are screened (a few
not accepted), handled at a tier with the due date of `IssueRules` and the working calendar,
sometimes raised a tier, answered (`IssueAnswer`), and closed by the citizen's rating, by the
station after a phone call, or by the sweep after the quiet period; a few are rated 不满意 and
answered again a tier up. Most are closed; the open ones are the last weeks'. Each move writes the
`IssueEvent` its service writes; a rating of what a deputy handled counts in the deputy's duty record.
Every intake notice went out (`intake_notified_at` is set). Tracking codes are drawn like
`new_tracking_code` (12 characters of 31, from the operating system's random source).

Not made: photos, visits and forums, hotline supervision cases, issues turned into suggestions,
outcomes (people helped, money).
"""

from __future__ import annotations

import datetime
import os
import struct
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from deputies.choices import ActivityStatus
from deputies.models import ActivityRecord
from liaison_stations.choices import Channel, CloseReason, IssueAction, IssueRating, IssueStatus
from liaison_stations.demo_issues import ANSWERS, WORDS
from liaison_stations.models import IssueAnswer, IssueEvent, IssueRules, PublicIssue
from liaison_stations.models.issues import TRACKING_ALPHABET

from .dates import moment
from .people import Picker
from .suggestions import RECORD_COLUMNS
from .world import CongressInfo, Maker, StationInfo, World

ST = IssueStatus
X = IssueAction
MINUTE = datetime.timedelta(minutes=1)
DAY = datetime.timedelta(days=1)
CONTENTS = [text for texts in WORDS.values() for text in texts]
SURNAMES = "王李张刘陈杨黄赵周吴徐孙马朱胡郭何高林罗"
TITLES = ["先生", "女士", "大爷", "阿姨"]
REJECTION = "该事项已进入司法程序，请依法通过诉讼途径解决；联络站可提供法律援助咨询。"
ESCALATION_NOTES = {2: "需街道协调", 3: "需区直部门办理"}
STAFF_CLOSE_NOTE = "电话回访，群众表示满意"
UNSATISFIED_COMMENT = "问题还没有解决"
CHANNELS = [
    (Channel.QR, 30),
    (Channel.VISIT, 22),
    (Channel.FORUM, 8),
    (Channel.HOTLINE, 5),
    (Channel.WECHAT, 18),
    (Channel.DEPUTY, 12),
    (Channel.OPEN311, 5),
]
# The state each issue has reached now, with its share.
ENDS = [(ST.SUBMITTED, 1.5), (ST.HANDLING, 5.0), (ST.ANSWERED, 2.5), (ST.NOT_ACCEPTED, 3.0), (ST.CLOSED, 88.0)]
TIERS = [(1, 55), (2, 30), (3, 15)]

ISSUE_COLUMNS = (
    "id",
    "congress_id",
    "tracking_code",
    "channel",
    "station_id",
    "block_id",
    "deputy_id",
    "reported_by_id",
    "visit_id",
    "forum_id",
    "category_id",
    "content",
    "location",
    "citizen_name",
    "citizen_phone",
    "consent",
    "status",
    "tier",
    "handling_unit_id",
    "due_on",
    "screened_at",
    "rejection_reason",
    "answered_at",
    "rating",
    "rated_at",
    "rating_comment",
    "closed_at",
    "close_reason",
    "reopen_count",
    "suggestion_id",
    "supervision_case_id",
    "people_helped",
    "money_involved",
    "intake_notified_at",
    "submitted_ip",
    "created_by_id",
    "created_at",
    "updated_at",
)
ANSWER_COLUMNS = (
    "id",
    "congress_id",
    "issue_id",
    "tier",
    "body",
    "answered_by_id",
    "answerer_name",
    "created_at",
    "updated_at",
)
EVENT_COLUMNS = (
    "id",
    "congress_id",
    "issue_id",
    "action",
    "actor_id",
    "actor_label",
    "from_status",
    "to_status",
    "tier",
    "note",
    "is_public",
    "created_at",
    "updated_at",
)


def tracking_codes(count: int) -> list[str]:
    """`count` codes like `new_tracking_code`: 12 characters of 31 from the OS's random source (one
    8-byte draw each, about 59 bits kept)."""
    alphabet = TRACKING_ALPHABET
    base = len(alphabet)
    codes = []
    for value in struct.unpack(f"<{count}Q", os.urandom(8 * count)):
        characters = []
        for _digit in range(12):
            value, digit = divmod(value, base)
            characters.append(alphabet[digit])
        codes.append("".join(characters))
    return codes


class IssueMaker(Maker):
    def __init__(self, world: World) -> None:
        super().__init__(world)
        writer = world.writer
        self.issues = writer.sink(PublicIssue, ISSUE_COLUMNS)
        self.answers = writer.sink(IssueAnswer, ANSWER_COLUMNS)
        self.events = writer.sink(IssueEvent, EVENT_COLUMNS)
        self.records = writer.sink(ActivityRecord, RECORD_COLUMNS)
        self.issue_ids = writer.counter(PublicIssue)
        self.answer_ids = writer.counter(IssueAnswer)
        self.event_ids = writer.counter(IssueEvent)
        self.record_ids = writer.counter(ActivityRecord)
        rules = IssueRules()
        self.screening_days = rules.screening_days
        self.tier_days = {tier: rules.days_for_tier(tier) for tier in (1, 2, 3)}
        self.quiet_days = rules.quiet_days
        self.pick_channel = Picker(CHANNELS)
        self.pick_end = Picker(ENDS)
        self.pick_tier = Picker(TIERS)
        self.citizen = str(_("Citizen"))
        self.system = str(_("System"))
        self.due_text = _("Due on %(day)s")
        self.deputy_text = _("Deputy %(name)s")
        self.quiet_note = _("No rating within %(days)d days of the answer.") % {"days": self.quiet_days}
        self.channel_label = {channel: str(Channel(channel).label) for channel in Channel.values}
        self.rating_label = {rating: str(IssueRating(rating).label) for rating in IssueRating.values}
        self.loop_start = datetime.date(self.today.year - 2, 1, 1)
        self.codes: set[str] = set()
        self.made = 0

    def run(self, stage: Any) -> None:
        world = self.world
        bench_station = world.bench["stations"]["bench_station"]
        for info in world.congresses:
            for station in info.stations:
                self.station(info, station, bench=station.id == bench_station)
                stage.advance(station.issues)

    def _codes(self, count: int) -> list[str]:
        codes = []
        while len(codes) < count:
            for code in tracking_codes(count - len(codes)):
                if code not in self.codes:
                    self.codes.add(code)
                    codes.append(code)
        return codes

    def _after(self, previous: datetime.datetime, day: datetime.date) -> datetime.datetime:
        at = moment(day, 8 * 60 + 30 + int(self.rng.random() * 540))
        if at <= previous:
            at = previous + MINUTE * (5 + int(self.rng.random() * 85))
        if at > self.now:  # an open issue's last move today: just before now
            at = previous + (self.now - previous) / 2
        return at

    def station(self, info: CongressInfo, station: StationInfo, *, bench: bool) -> None:
        rng, cal, now, today, world = self.rng, self.cal, self.now, self.today, self.world
        count = station.issues
        if not count:
            return
        staff_user = world.station_users.get(station.id)
        staff_label = world.user_labels[staff_user] if staff_user else f"{station.name}联络员"[:100]
        deputies = station.deputies
        deputy_names = world.deputy_names
        blocks = station.blocks
        categories = info.categories
        units = info.units
        citizen_issue_type, citizen_points = info.activity_types["citizen_issue"]
        citizen_points = Decimal(citizen_points)
        tier_days = self.tier_days
        add_wd = cal.add_working_days
        add_issue, add_answer, add_record = self.issues.add, self.answers.add, self.records.add
        add_event = self.events.add
        issue_ids, event_ids, answer_ids, record_ids = self.issue_ids, self.event_ids, self.answer_ids, self.record_ids
        congress_id, station_id = info.id, station.id
        citizen, system = self.citizen, self.system
        stamp = self.stamp
        terminal_span = max((today - 50 * DAY - self.loop_start).days, 1)
        for index, code in enumerate(self._codes(count)):
            issue_id = next(issue_ids)
            # The bench station's first issue has every step (the manifest's tracking code).
            plain = bench and index == 0
            end = ST.CLOSED if plain else self.pick_end(rng)
            channel = Channel.QR if plain and deputies else self.pick_channel(rng)
            if not deputies and channel in (Channel.QR, Channel.VISIT, Channel.DEPUTY, Channel.HOTLINE):
                channel = Channel.WECHAT
            deputy = reported_by = None
            if channel in (Channel.QR, Channel.VISIT, Channel.DEPUTY):
                deputy = deputies[int(rng.random() * len(deputies))]
            elif channel == Channel.HOTLINE:
                reported_by = deputies[int(rng.random() * len(deputies))]
            # When it came in.
            if end == ST.CLOSED or end == ST.NOT_ACCEPTED:
                day = self.loop_start + DAY * int(rng.random() * terminal_span)
            elif end == ST.SUBMITTED:
                day = today - DAY * int(rng.random() * 3)
            elif end == ST.HANDLING:
                day = today - DAY * (2 + int(rng.random() * 24))
            else:
                day = today - DAY * (2 + int(rng.random() * 10))
            created_at = moment(day, 7 * 60 + int(rng.random() * 900))
            if created_at > now:
                created_at = now - MINUTE * (1 + int(rng.random() * 120))
                day = created_at.date()
            public_channel = channel in (Channel.QR, Channel.OPEN311)
            if public_channel:
                actor, label = None, citizen
            elif channel == Channel.DEPUTY:
                actor, label = world.deputy_users.get(deputy), deputy_names[deputy]
            else:
                actor, label = staff_user, staff_label
            events = [(created_at, X.SUBMIT, actor, label, "", ST.SUBMITTED, None, self.channel_label[channel])]
            status = ST.SUBMITTED
            due = add_wd(day, self.screening_days)
            tier = unit = screened_at = answered_at = rated_at = closed_at = None
            rejection = rating = comment = close_reason = ""
            reopened = 0
            last = created_at
            rated_by_citizen = False
            answers: list[tuple] = []
            if end != ST.SUBMITTED:
                screened_at = self._after(created_at, day + DAY * int(rng.random() * 2))
                last = screened_at
                if end == ST.NOT_ACCEPTED:
                    events.append(
                        (screened_at, X.REJECT, staff_user, staff_label, ST.SUBMITTED, ST.NOT_ACCEPTED, None, REJECTION)
                    )
                    status, due, rejection = ST.NOT_ACCEPTED, None, REJECTION
                else:
                    tier = self.pick_tier(rng)
                    if tier == 3:
                        unit = units[int(rng.random() * len(units))]
                    due = add_wd(screened_at.date(), tier_days[tier])
                    note = self.due_text % {"day": due}
                    events.append(
                        (screened_at, X.ACCEPT, staff_user, staff_label, ST.SUBMITTED, ST.HANDLING, tier, note)
                    )
                    status = ST.HANDLING
                    if tier < 3 and rng.random() < 0.12 and (end != ST.HANDLING or day <= today - 5 * DAY):
                        raised_at = self._after(last, last.date() + DAY * (1 + int(rng.random() * 2)))
                        tier += 1
                        if tier == 3:
                            unit = units[int(rng.random() * len(units))]
                        due = add_wd(raised_at.date(), tier_days[tier])
                        note = f"{ESCALATION_NOTES[tier]} {self.due_text % {'day': due}}"
                        events.append(
                            (raised_at, X.ESCALATE, staff_user, staff_label, ST.HANDLING, ST.HANDLING, tier, note)
                        )
                        last = raised_at
            if end in (ST.ANSWERED, ST.CLOSED):
                if end == ST.ANSWERED:  # answered in the last days: the quiet period has not run out
                    low = max(last.date(), today - 5 * DAY)
                    answer_day = low + DAY * int(rng.random() * max((today - DAY - low).days + 1, 1))
                elif rng.random() < 0.88:
                    answer_day = last.date() + DAY * int(rng.random() * max((due - last.date()).days + 1, 1))
                else:
                    answer_day = due + DAY * (1 + int(rng.random() * 10))
                last = self._answer(
                    events, answers, station, staff_user, staff_label, last, answer_day, tier, deputy, unit
                )
                answered_at = last
                status = ST.ANSWERED
            if end == ST.CLOSED:
                mode = 0.0 if plain else rng.random()
                if channel == Channel.HOTLINE:
                    mode = 0.7  # the reporting deputy confirms by phone: the station closes it
                if mode < 0.62 and tier == 1 and rng.random() < 0.05 and not plain:
                    # 不满意: reopened a tier up, answered again by the subdistrict
                    rated = self._after(last, last.date() + DAY * (1 + int(rng.random() * 4)))
                    tier, reopened = 2, 1
                    due = add_wd(rated.date(), tier_days[tier])
                    note = (
                        f"{self.rating_label[IssueRating.UNSATISFIED]} {UNSATISFIED_COMMENT}".strip()
                        + " · "
                        + self.due_text % {"day": due}
                    )
                    events.append((rated, X.REOPEN, None, citizen, ST.ANSWERED, ST.HANDLING, tier, note))
                    again = rated.date() + DAY * int(rng.random() * max((due - rated.date()).days + 1, 1))
                    last = self._answer(
                        events, answers, station, staff_user, staff_label, rated, again, tier, deputy, unit
                    )
                    answered_at = last
                if mode < 0.62:
                    rated_at = self._after(last, last.date() + DAY * int(rng.random() * 7))
                    rating = IssueRating.SATISFIED if rng.random() < 0.75 else IssueRating.BASICALLY
                    events.append(
                        (rated_at, X.RATE, None, citizen, ST.ANSWERED, ST.CLOSED, tier, self.rating_label[rating])
                    )
                    closed_at, close_reason, rated_by_citizen = rated_at, CloseReason.CONFIRMED, True
                elif mode < 0.75:
                    closed_at = self._after(last, last.date() + DAY * (1 + int(rng.random() * 5)))
                    events.append(
                        (closed_at, X.CLOSE, staff_user, staff_label, ST.ANSWERED, ST.CLOSED, tier, STAFF_CLOSE_NOTE)
                    )
                    close_reason = CloseReason.CONFIRMED
                else:
                    closed_at = moment(last.date() + DAY * self.quiet_days, 2 * 60 + int(rng.random() * 60))
                    events.append((closed_at, X.CLOSE, None, system, ST.ANSWERED, ST.CLOSED, tier, self.quiet_note))
                    close_reason = CloseReason.QUIET
                status = ST.CLOSED
                last = closed_at
            content = CONTENTS[int(rng.random() * len(CONTENTS))]
            add_issue(
                (
                    issue_id,
                    congress_id,
                    code,
                    channel,
                    station_id,
                    blocks[int(rng.random() * len(blocks))] if blocks and rng.random() < 0.85 else None,
                    deputy,
                    reported_by,
                    None,
                    None,
                    categories[int(rng.random() * len(categories))].id,
                    content,
                    f"{station.area}{1 + int(rng.random() * 200)}号附近",
                    SURNAMES[int(rng.random() * len(SURNAMES))] + TITLES[int(rng.random() * len(TITLES))],
                    f"139{int(rng.random() * 10**8):08d}",
                    rng.random() < 0.9,
                    status,
                    tier,
                    unit.id if unit else None,
                    due,
                    stamp(screened_at),
                    rejection,
                    stamp(answered_at),
                    rating,
                    stamp(rated_at),
                    comment,
                    stamp(closed_at),
                    close_reason,
                    reopened,
                    None,
                    None,
                    None,
                    None,
                    stamp(created_at + MINUTE / 6),
                    None,
                    None if public_channel or channel == Channel.DEPUTY else staff_user,
                    stamp(created_at),
                    stamp(last),
                )
            )
            for at, action, event_actor, event_label, before, after, event_tier, note in events:
                text = stamp(at)
                add_event(
                    (
                        next(event_ids),
                        congress_id,
                        issue_id,
                        action,
                        event_actor,
                        event_label,
                        before,
                        after,
                        event_tier,
                        note,
                        True,
                        text,
                        text,
                    )
                )
            for at, answer_tier, body, answered_by, answerer in answers:
                text = stamp(at)
                add_answer(
                    (next(answer_ids), congress_id, issue_id, answer_tier, body, answered_by, answerer, text, text)
                )
            if rated_by_citizen and deputy is not None:
                # The citizens' rating of what a deputy handled counts in the deputy's duty record, once.
                add_record(
                    (
                        next(record_ids),
                        congress_id,
                        deputy,
                        citizen_issue_type,
                        rated_at.date(),
                        content[:100],
                        f"issue:{issue_id}",
                        citizen_points,
                        ActivityStatus.RECORDED,
                        None,
                        None,
                        stamp(rated_at),
                        stamp(rated_at),
                    )
                )
            if bench and rated_by_citizen and "tracking_code" not in world.manifest:
                world.manifest["tracking_code"] = code
            self.made += 1

    def _answer(
        self,
        events: list[tuple],
        answers: list[tuple],
        station: StationInfo,
        staff_user: int | None,
        staff_label: str,
        previous: datetime.datetime,
        day: datetime.date,
        tier: int,
        deputy: int | None,
        unit: Any,
    ) -> datetime.datetime:
        """码上回 at the issue's tier: the deputy written to or the station (tier 1), the station
        (tier 2), the handling unit (tier 3)."""
        at = self._after(previous, day)
        world = self.world
        if tier == 3 and unit is not None:
            actor, label, name = world.unit_users.get(unit.id), unit.name, unit.name
        elif tier == 1 and deputy is not None and self.rng.random() < 0.5:
            deputy_name = world.deputy_names[deputy]
            actor, label, name = world.deputy_users.get(deputy), deputy_name, self.deputy_text % {"name": deputy_name}
        else:
            actor, label, name = staff_user, staff_label, station.name
        answers.append((at, tier, ANSWERS[tier], actor, name[:100]))
        events.append((at, X.ANSWER, actor, label[:100], ST.HANDLING, ST.ANSWERED, tier, name[:100]))
        return at
