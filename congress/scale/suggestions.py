"""Suggestions of the scale data, each written as the suggestion services would have left it.

Every suggestion has a story on the calendar: drafted, submitted (numbered in submission order, so
numbers are gap-free per session and the counter holds the last), reviewed (a few not accepted or
withdrawn), assigned to a lead unit (sometimes with co-handling units, sometimes split between two
units) with the due dates of `HandlingRules`, signed for, answered, rated and closed. The story
stops at the present, so past sessions are closed and this year's suggestions are spread over
submitted, accepted, assigned, replied and closed. A few ratings are 不满意: a second round opens with
a supervision case for the counterpart committee. Each move writes the `SuggestionEvent` the service
writes, with the same statuses and notes; the assignment's kept fields (`first_replied_on`,
`first_reply_due_on`, `reply_class`, `rating`, `replied_on`, `due_on`) are set exactly as
`reply_submit` and `evaluation_submit` set them; submitting writes the lead deputy's duty record.

Not made (the services allow stories without them): co-signers, guidance requests, pre-assignment,
adjustment and extension requests, contact records, follow-up replies, key topics.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from deputies.choices import ActivityStatus
from deputies.models import ActivityRecord
from suggestions.choices import (
    AssignmentRole,
    AssignmentStatus,
    CloseReason,
    Confidentiality,
    EventAction,
    ExclusionReason,
    HandlingRoundReason,
    Publication,
    Rating,
    SuggestionStatus,
    SupervisionStatus,
    SupervisionTrigger,
)
from suggestions.demo import BODY
from suggestions.models import (
    Assignment,
    CoUnitOpinion,
    Evaluation,
    HandlingRound,
    Reply,
    Suggestion,
    SuggestionCounter,
    SuggestionEvent,
    SupervisionCase,
)

from .dates import moment
from .people import allocate
from .world import CongressInfo, Maker, SessionInfo, World

S = SuggestionStatus
A = AssignmentStatus
E = EventAction
MINUTE = datetime.timedelta(minutes=1)
DAY = datetime.timedelta(days=1)

TOPICS = {
    "rule-of-law": ["加强基层法治宣传教育", "完善行政执法监督机制", "推进公共法律服务体系建设"],
    "economy": ["支持中小微企业融资", "优化营商环境", "促进民营经济高质量发展"],
    "finance": ["加强地方政府债务管理", "完善财政资金绩效评价", "推进普惠金融发展"],
    "industry": ["推动制造业数字化转型", "支持专精特新企业发展", "加快工业园区基础设施建设"],
    "education": ["加强农村学校寄宿条件建设", "推进城区义务教育学位扩容", "加强中小学心理健康教育", "提高乡村教师待遇"],
    "science": ["加大基础研究投入", "完善科技成果转化机制", "支持企业建设研发平台"],
    "culture-tourism": ["加强历史文化街区保护", "推动全域旅游发展", "完善公共文化服务设施"],
    "health": ["推进县域医共体建设", "加强基层卫生院人才队伍建设", "支持中医药事业发展"],
    "social-security": ["解决失地农民养老保险补差问题", "完善城乡居民医保缴费政策", "加强困难群众救助"],
    "urban": ["加快老旧小区改造", "加强自建房安全整治", "推进城市更新"],
    "transport": ["优化城区公交线路", "加快农村公路提质改造", "缓解城区停车难问题"],
    "safety": ["加强汛期地质灾害防治", "加强电动自行车消防安全管理", "强化危险化学品安全监管"],
    "environment": ["推进农村生活污水治理", "加强河道采砂管理", "加强大气污染联防联控"],
    "natural-resources": ["加强耕地保护", "推进矿山生态修复", "规范农村宅基地管理"],
    "agriculture": ["扶持特色农业产业发展", "加强高标准农田建设管护", "完善农产品冷链物流体系"],
    "water": ["加强小型水库除险加固", "推进农村饮水安全巩固提升", "完善防洪排涝设施"],
    "justice": ["加强未成年人司法保护", "推进诉源治理", "加强社区矫正工作"],
}
GENERIC_TOPICS = ["加强民生保障", "推进基层治理现代化", "提升公共服务水平"]
REJECTIONS = [
    (ExclusionReason.PERSONAL, "反映的是个人事项，已转有关部门作来信处理。"),
    (ExclusionReason.FORWARDED_LETTER, "属于转交群众来信，已按来信转办。"),
    (ExclusionReason.NO_SUBSTANCE, "内容空泛，没有具体意见，已按来信处理。"),
]
SIGNERS = ["局长", "主任", "副局长", "党组书记、局长"]
OPINION_TEXT = "同意主办单位意见，资金按程序统筹安排。"
CASE_OUTCOME = "承办单位已重新研究答复，代表对办理结果表示满意。"
UNSATISFIED_COMMENT = "问题没有实质解决。"

SUGGESTION_COLUMNS = (
    "id",
    "congress_id",
    "session_id",
    "number",
    "title",
    "body",
    "category_id",
    "lead_deputy_id",
    "raised_in_session",
    "is_key",
    "key_topic_id",
    "confidentiality",
    "publication",
    "status",
    "submitted_at",
    "frozen",
    "return_reason",
    "exclusion_reason",
    "review_note",
    "closed_at",
    "close_reason",
    "created_by_id",
    "group_output_id",
    "created_at",
    "updated_at",
)
ASSIGNMENT_COLUMNS = (
    "id",
    "congress_id",
    "suggestion_id",
    "unit_id",
    "role",
    "status",
    "assigned_on",
    "due_on",
    "original_due_on",
    "latest_due_on",
    "adjustment_deadline",
    "signed_at",
    "replied_on",
    "first_replied_on",
    "first_reply_due_on",
    "reply_class_id",
    "rating",
    "created_at",
    "updated_at",
)
ROUND_COLUMNS = (
    "id",
    "congress_id",
    "assignment_id",
    "number",
    "reason",
    "opened_on",
    "due_on",
    "created_at",
    "updated_at",
)
REPLY_COLUMNS = (
    "id",
    "congress_id",
    "assignment_id",
    "round_id",
    "reply_class_id",
    "document_number",
    "signer",
    "text",
    "attachment",
    "publication",
    "public_summary",
    "replied_on",
    "is_follow_up",
    "evaluation_due_on",
    "follow_up_due_on",
    "published_at",
    "replied_by_id",
    "created_at",
    "updated_at",
)
EVALUATION_COLUMNS = (
    "id",
    "congress_id",
    "reply_id",
    "deputy_id",
    "attitude",
    "result",
    "comment",
    "created_at",
    "updated_at",
)
CASE_COLUMNS = (
    "id",
    "congress_id",
    "suggestion_id",
    "subject",
    "subject_url",
    "source_key",
    "assignment_id",
    "round_id",
    "evaluation_id",
    "committee_id",
    "trigger",
    "status",
    "opened_on",
    "due_on",
    "closed_on",
    "outcome",
    "created_at",
    "updated_at",
)
OPINION_COLUMNS = ("id", "congress_id", "assignment_id", "text", "attachment", "sent_by_id", "created_at", "updated_at")
EVENT_COLUMNS = (
    "id",
    "congress_id",
    "suggestion_id",
    "assignment_id",
    "actor_id",
    "action",
    "from_status",
    "to_status",
    "note",
    "created_at",
    "updated_at",
)
RECORD_COLUMNS = (
    "id",
    "congress_id",
    "deputy_id",
    "activity_type_id",
    "date",
    "description",
    "source_key",
    "points",
    "status",
    "verified_by_id",
    "verified_at",
    "created_at",
    "updated_at",
)
COUNTER_COLUMNS = ("id", "congress_id", "session_id", "last_number")


class Story:
    """One suggestion to be told: who, when, and what is forced (a bench unit's open item, a plain
    story with every step for the detail page)."""

    __slots__ = ("deputy", "hold_day", "hold_unit", "plain", "session", "submitted_at")

    def __init__(
        self,
        session: SessionInfo,
        submitted_at: datetime.datetime,
        deputy: int,
        *,
        hold_unit: int | None = None,
        hold_day: datetime.date | None = None,
        plain: bool = False,
    ) -> None:
        self.session = session
        self.submitted_at = submitted_at
        self.deputy = deputy
        self.hold_unit = hold_unit  # assigned to this unit on `hold_day` and still open
        self.hold_day = hold_day
        self.plain = plain  # every step, no rare turn (for the detail page)


class SuggestionMaker(Maker):
    def __init__(self, world: World) -> None:
        super().__init__(world)
        writer = world.writer
        self.suggestions = writer.sink(Suggestion, SUGGESTION_COLUMNS)
        self.assignments = writer.sink(Assignment, ASSIGNMENT_COLUMNS)
        self.rounds = writer.sink(HandlingRound, ROUND_COLUMNS)
        self.replies = writer.sink(Reply, REPLY_COLUMNS)
        self.evaluations = writer.sink(Evaluation, EVALUATION_COLUMNS)
        self.cases = writer.sink(SupervisionCase, CASE_COLUMNS)
        self.opinions = writer.sink(CoUnitOpinion, OPINION_COLUMNS)
        self.events = writer.sink(SuggestionEvent, EVENT_COLUMNS)
        self.records = writer.sink(ActivityRecord, RECORD_COLUMNS)
        self.counters = writer.sink(SuggestionCounter, COUNTER_COLUMNS)
        self.suggestion_ids = writer.counter(Suggestion)
        self.assignment_ids = writer.counter(Assignment)
        self.round_ids = writer.counter(HandlingRound)
        self.reply_ids = writer.counter(Reply)
        self.evaluation_ids = writer.counter(Evaluation)
        self.case_ids = writer.counter(SupervisionCase)
        self.opinion_ids = writer.counter(CoUnitOpinion)
        self.event_ids = writer.counter(SuggestionEvent)
        self.record_ids = writer.counter(ActivityRecord)
        self.counter_ids = writer.counter(SuggestionCounter)
        # Texts as the services write them, in the site's language.
        self.role_label = {role: str(AssignmentRole(role).label) for role in AssignmentRole.values}
        self.rating_label = {rating: str(Rating(rating).label) for rating in Rating.values}
        self.close_label = {reason: str(CloseReason(reason).label) for reason in CloseReason.values}
        self.rehandle_note = _("Round %(number)s, due %(day)s")
        self._titles: dict[str, list[tuple[str, str, str]]] = {}
        self.detail_suggestion_id: int | None = None
        self.detail_assignment_id: int | None = None
        self.made = 0

    # --- the plan ----------------------------------------------------------------------------------

    def run(self, stage: Any) -> None:
        world = self.world
        sizes = world.sizes
        special = 2 * sizes.focus_rows + 4
        counts = allocate(sizes.suggestions - special, [len(info.deputies) for info in world.congresses], minimum=1)
        for info, count in zip(world.congresses, counts, strict=True):
            self.congress(info, count)
            stage.advance(info.suggestions)
        world.manifest["detail_suggestion_id"] = self.detail_suggestion_id
        world.manifest["detail_assignment_id"] = self.detail_assignment_id

    def congress(self, info: CongressInfo, count: int) -> None:
        rng, world = self.rng, self.world
        sessions = [session for session in info.sessions if session.start <= self.today - 7 * DAY]
        if not sessions:
            raise ValueError(f"{info.name} has no session a week old to file suggestions in.")
        focus = info is world.focus
        reserved = set(info.primary[:3]) if focus else set()
        leads = [deputy for deputy in info.deputies if deputy not in reserved] or info.deputies
        bench_units = set(world.bench["units"].values()) if focus else set()
        self.pool = [unit for unit in info.units if unit.id not in bench_units]
        self.unit_names = {unit.id: unit for unit in info.units}
        stories: list[list[Story]] = [[] for _ in sessions]
        for index, per_session in enumerate(allocate(count, [1.0] * len(sessions))):
            for _story in range(per_session):
                lead = leads[int(rng.random() * len(leads))]
                stories[index].append(Story(sessions[index], self._submit_moment(sessions, index), lead))
        if focus:
            self._bench_stories(info, sessions, stories, leads)
        for index, session in enumerate(sessions):
            told = sorted(stories[index], key=lambda story: story.submitted_at)
            for number, story in enumerate(told, start=1):
                self.tell(info, next(self.suggestion_ids), number, story)
            if told:
                self.counters.add((next(self.counter_ids), info.id, session.id, len(told)))
            info.suggestions += len(told)

    def _bench_stories(
        self, info: CongressInfo, sessions: list[SessionInfo], stories: list[list[Story]], leads: list[int]
    ) -> None:
        """bench_deputy leads `focus_rows` suggestions over the sessions (the first one with every
        step, for the detail page); bench_deputy_small leads 2; bench_unit and bench_unit_small
        have `focus_rows` and 2 items open on their desk, assigned in the last months."""
        rng, world = self.rng, self.world
        deputies = world.bench["deputies"]
        for number in range(world.sizes.focus_rows):
            index = number % len(sessions)
            stories[index].append(
                Story(
                    sessions[index], self._submit_moment(sessions, index), deputies["bench_deputy"], plain=number == 0
                )
            )
        for index in (0, len(sessions) - 1):
            stories[index].append(
                Story(sessions[index], self._submit_moment(sessions, index), deputies["bench_deputy_small"])
            )
        last = len(sessions) - 1
        session = sessions[last]
        for username, count in (("bench_unit", world.sizes.focus_rows), ("bench_unit_small", 2)):
            unit_id = world.bench["units"][username]
            for _item in range(count):
                assign_day = self._open_assign_day(session)
                first = max(session.start, assign_day - 30 * DAY)
                span = max((assign_day - first).days - 2, 0)
                day = first + DAY * int(rng.random() * (span + 1))
                submitted = moment(day, 8 * 60 + int(rng.random() * 540))
                lead = leads[int(rng.random() * len(leads))]
                stories[last].append(Story(session, submitted, lead, hold_unit=unit_id, hold_day=assign_day))

    def _open_assign_day(self, session: SessionInfo) -> datetime.date:
        """An assignment day of a still open item: in the last 100 days, after the session."""
        low = max(session.start + 3 * DAY, self.today - 100 * DAY)
        high = self.today - DAY
        if low > high:
            low = high
        return low + DAY * int(self.rng.random() * ((high - low).days + 1))

    def _submit_moment(self, sessions: list[SessionInfo], index: int) -> datetime.datetime:
        """Most suggestions are raised during the session, the rest over the year after it (this
        year's more evenly, so the current session has items at every step)."""
        rng = self.rng
        session = sessions[index]
        current = index + 1 == len(sessions)
        window_end = self.today - DAY if current else sessions[index + 1].start - DAY
        if rng.random() < (0.4 if current else 0.65) or window_end <= session.end:
            span = (min(session.end, window_end) - session.start).days
            day = session.start + DAY * int(rng.random() * (span + 1))
        else:
            span = (window_end - session.end).days
            day = session.end + DAY * (1 + int(rng.random() * span))
        return moment(day, 8 * 60 + int(rng.random() * 600))

    # --- one suggestion ----------------------------------------------------------------------------

    def _after(self, previous: datetime.datetime, day: datetime.date) -> datetime.datetime:
        """A working-hours moment on `day`, strictly after `previous`."""
        at = moment(day, 8 * 60 + 30 + int(self.rng.random() * 540))
        if at <= previous:
            at = previous + MINUTE * (5 + int(self.rng.random() * 85))
        return at

    def _title(self, category: Any) -> tuple[str, str, str]:
        titles = self._titles.get(category.code)
        if titles is None:
            titles = []
            for topic in TOPICS.get(category.code, GENERIC_TOPICS):
                title = f"关于{topic}的建议"
                titles.append((title, BODY.format(title=title), f"关于《{title}》的答复：经认真研究，已采取措施……"))
            self._titles[category.code] = titles
        return titles[int(self.rng.random() * len(titles))]

    def tell(self, info: CongressInfo, suggestion_id: int, number: int, story: Story) -> None:
        rng, cal, now, world = self.rng, self.cal, self.now, self.world
        session = story.session
        hold_unit = story.hold_unit
        hold_day = story.hold_day
        plain = story.plain
        deputy = story.deputy
        deputy_user = world.deputy_users.get(deputy)
        office = world.office_users.get(info.id)
        category = info.categories[int(rng.random() * len(info.categories))]
        title, body, reply_text = self._title(category)
        submitted_at = story.submitted_at
        submit_day = submitted_at.date()
        created_at = submitted_at - MINUTE * (30 + int(rng.random() * 4000))
        events: list[tuple] = [
            (created_at, E.CREATE, None, "", S.DRAFT, "", deputy_user),
            (submitted_at, E.SUBMIT, None, S.DRAFT, S.SUBMITTED, "", deputy_user),
        ]
        status = S.SUBMITTED
        closed_at = None
        close_reason = exclusion = review_note = ""
        is_key = False
        confidential = rng.random() < 0.05 and not plain
        publication = Publication.WITHHELD if confidential else Publication.FULL
        assignment_rows: list[list[Any]] = []
        reply_rows: list[list[Any]] = []
        chance = 1.0 if (plain or hold_unit) else rng.random()
        try:
            if chance < 0.01:  # withdrawn by the deputy before the review
                withdrawn_at = submitted_at + MINUTE * (60 + int(rng.random() * 2000))
                if withdrawn_at <= now:
                    events.append((withdrawn_at, E.WITHDRAW, None, S.SUBMITTED, S.WITHDRAWN, "", deputy_user))
                    status = S.WITHDRAWN
                return
            if hold_day:
                review_day = submit_day + (hold_day - submit_day) // 2
            else:
                review_day = cal.add_working_days(submit_day, 2 + int(rng.random() * 8))
            review_at = self._after(submitted_at, review_day)
            if review_at > now:
                return
            if chance < 0.04:  # not accepted: handled as a letter
                exclusion, review_note = REJECTIONS[int(rng.random() * len(REJECTIONS))]
                events.append((review_at, E.REJECT, None, S.SUBMITTED, S.REJECTED, review_note, office))
                status = S.REJECTED
                return
            events.append((review_at, E.ACCEPT, None, S.SUBMITTED, S.ACCEPTED, "", office))
            status = S.ACCEPTED
            if hold_day:
                assign_day = max(hold_day, review_day)
            else:
                start = max(review_day, session.end)
                assign_day = cal.add_working_days(start, 5 + int(rng.random() * 15))
            assign_at = self._after(review_at, assign_day)
            if assign_at > now:
                return
            # The plan: one lead unit with 0–2 co-handling units, or two split units (分办).
            pool = self.pool
            split = False
            if hold_unit:
                answering = [hold_unit]
                co = [pool[int(rng.random() * len(pool))].id] if rng.random() < 0.2 and pool else []
            else:
                split = rng.random() < 0.06 and len(pool) >= 2 and not plain
                if split:
                    answering = [unit.id for unit in rng.sample(pool, 2)]
                    co = []
                else:
                    answering = [pool[int(rng.random() * len(pool))].id]
                    roll = rng.random()
                    wanted = 0 if roll < 0.74 else (1 if roll < 0.95 else 2)  # about 1.3 units a suggestion
                    co = []
                    for unit in rng.sample(pool, min(len(pool), wanted + 1)):
                        if unit.id not in answering and len(co) < wanted:
                            co.append(unit.id)
            answer_role = AssignmentRole.SPLIT if split else AssignmentRole.LEAD
            names = self.unit_names
            note = "；".join(
                [f"{names[unit].name}（{self.role_label[answer_role]}）" for unit in answering]
                + [f"{names[unit].name}（{self.role_label[AssignmentRole.CO]}）" for unit in co]
            )
            events.append((assign_at, E.ASSIGN, None, S.ACCEPTED, S.ASSIGNED, note, office))
            status = S.ASSIGNED
            is_key = rng.random() < 0.02
            due = cal.due_in_months(assign_day, 3)
            co_due = cal.due_in_months(assign_day, 1)
            latest = cal.due_in_months(assign_day, 6)
            window = cal.add_working_days(assign_day, 5)
            for unit in answering + co:
                role = AssignmentRole.CO if unit in co else answer_role
                assignment_id = next(self.assignment_ids)
                unit_user = world.unit_users.get(unit)
                row = [
                    assignment_id,
                    info.id,
                    suggestion_id,
                    unit,
                    role,
                    A.ASSIGNED,
                    assign_day,
                    co_due if role == AssignmentRole.CO else due,
                    co_due if role == AssignmentRole.CO else due,
                    latest,
                    window,
                    None,  # signed_at
                    None,  # replied_on
                    None,  # first_replied_on
                    None,  # first_reply_due_on
                    None,  # reply_class_id
                    "",  # rating
                    assign_at,
                    assign_at,
                    unit_user,  # (not a column: dropped when written)
                    None,  # round 1 id (not a column)
                ]
                assignment_rows.append(row)
                if unit == world.bench["units"].get("bench_unit") and self.detail_assignment_id is None:
                    self.detail_assignment_id = assignment_id
                if role != AssignmentRole.CO:
                    round_id = next(self.round_ids)
                    row[20] = round_id
                    stamp = self.stamp(assign_at)
                    self.rounds.add(
                        (
                            round_id,
                            info.id,
                            assignment_id,
                            1,
                            HandlingRoundReason.INITIAL,
                            assign_day,
                            due,
                            stamp,
                            stamp,
                        )
                    )
                signed_at = assign_at + MINUTE * (60 + int(rng.random() * 4300))
                if signed_at <= now and not (hold_unit and rng.random() < 0.3):
                    row[5], row[11], row[18] = A.SIGNED, signed_at, signed_at
                    events.append((signed_at, E.SIGN, assignment_id, A.ASSIGNED, A.SIGNED, "", unit_user))
                    if role == AssignmentRole.CO:
                        opinion_at = self._after(signed_at, assign_day + DAY * (7 + int(rng.random() * 21)))
                        if opinion_at <= now:
                            row[5], row[18] = A.OPINION_SENT, opinion_at
                            stamp = self.stamp(opinion_at)
                            self.opinions.add(
                                (
                                    next(self.opinion_ids),
                                    info.id,
                                    assignment_id,
                                    OPINION_TEXT,
                                    "",
                                    unit_user,
                                    stamp,
                                    stamp,
                                )
                            )
                            events.append(
                                (opinion_at, E.OPINION, assignment_id, A.SIGNED, A.OPINION_SENT, "", unit_user)
                            )
            if hold_unit:
                return
            # Replies of the lead or split units.
            span = (due - assign_day).days
            replied = []
            for row in assignment_rows:
                if row[4] == AssignmentRole.CO:
                    continue
                if rng.random() < 0.08 and not plain:  # late
                    reply_day = due + DAY * (1 + int(rng.random() * 30))
                else:
                    reply_day = assign_day + DAY * (20 + int(rng.random() * max(span - 19, 1)))
                reply_at = self._after(row[11] or assign_at, reply_day)
                if reply_at > now:
                    continue
                reply = self._reply(info, row, reply_day, reply_at, reply_text, publication)
                reply_rows.append(reply)
                events.append((reply_at, E.REPLY, row[0], row[5], A.REPLIED, f"{reply[-1]} {reply[5]}", row[19]))
                row[5], row[12], row[13], row[14], row[15], row[16], row[18] = (
                    A.REPLIED,
                    reply_day,
                    reply_day,
                    due,
                    reply[4],
                    "",
                    reply_at,
                )
                replied.append((reply_at, row, reply))
            if len(replied) < len(answering):
                return
            all_replied_at = max(entry[0] for entry in replied)
            last_replier = max(replied, key=lambda entry: entry[0])[1][19]
            events.append((all_replied_at, E.REPLY, None, S.ASSIGNED, S.REPLIED, "", last_replier))
            status = S.REPLIED
            if split:
                status, closed_at, close_reason = self._rate_split(
                    info, replied, all_replied_at, deputy, deputy_user, events
                )
            else:
                status, closed_at, close_reason = self._rate_lead(
                    info,
                    replied[0],
                    deputy,
                    deputy_user,
                    events,
                    category,
                    suggestion_id,
                    reply_text,
                    publication,
                    plain,
                )
                reply_rows.extend(replied[0][2][-2] or ())
            if status == S.CLOSED and close_reason == CloseReason.SATISFIED and not confidential and rng.random() < 0.5:
                published_at = closed_at + DAY * (3 + int(rng.random() * 17))
                if published_at <= now:
                    for _at, row, reply in replied:
                        current = reply[19][-1] if reply[19] else reply
                        current[15] = current[18] = published_at
                        events.append((published_at, E.PUBLISH, row[0], "", "", "", office))
        finally:
            self._write(
                info,
                suggestion_id,
                number,
                story,
                category,
                title,
                body,
                status,
                closed_at,
                close_reason,
                exclusion,
                review_note,
                is_key,
                confidential,
                publication,
                events,
                assignment_rows,
                reply_rows,
                created_at,
            )

    def _reply(
        self,
        info: CongressInfo,
        row: list[Any],
        day: datetime.date,
        at: datetime.datetime,
        text: str,
        publication: str,
        round_id: int | None = None,
    ) -> list[Any]:
        """A reply row (a list, so publication can be stamped later); its class code rides at the end."""
        rng, cal = self.rng, self.cal
        roll = rng.random()
        code = "A" if roll < 0.55 else ("B" if roll < 0.90 else ("C" if roll < 0.98 else "D"))
        unit = self.unit_names[row[3]]
        return [
            next(self.reply_ids),
            info.id,
            row[0],
            round_id or row[20],
            info.reply_classes[code],
            f"{unit.short}函〔{day.year}〕{1 + int(rng.random() * 300)}号",
            SIGNERS[int(rng.random() * len(SIGNERS))],
            text,
            "",
            publication,
            "",
            day,
            False,
            cal.add_working_days(day, 20),
            cal.add_months(day, 6) if code in ("B", "C") else None,
            None,  # published_at
            row[19],
            at,
            at,
            None,  # replies that follow from this one (a second round), not a column
            code,  # not a column
        ]

    def _rate_lead(
        self,
        info: CongressInfo,
        replied: tuple,
        deputy: int,
        deputy_user: int | None,
        events: list[tuple],
        category: Any,
        suggestion_id: int,
        reply_text: str,
        publication: str,
        plain: bool,
    ) -> tuple[str, datetime.datetime | None, str]:
        """The deputy rates the lead unit's reply; 不满意 opens round 2 and a supervision case."""
        rng, cal, now, world = self.rng, self.cal, self.now, self.world
        reply_at, row, reply = replied
        reply_day, evaluation_due = reply[11], reply[13]
        roll = 1.0 if plain else rng.random()
        if roll < 0.04:  # no rating in time: the daily sweep closes it the day after the window
            closed_at = moment(evaluation_due + DAY, 2 * 60 + int(rng.random() * 60))
            if closed_at > now:
                return S.REPLIED, None, ""
            events.append(
                (closed_at, E.CLOSE, None, S.REPLIED, S.CLOSED, self.close_label[CloseReason.NO_FEEDBACK], None)
            )
            return S.CLOSED, closed_at, CloseReason.NO_FEEDBACK
        rated_day = min(reply_day + DAY * (2 + int(rng.random() * 23)), evaluation_due)
        rated_at = self._after(reply_at, rated_day)
        if rated_at > now:
            return S.REPLIED, None, ""
        unsatisfied = roll < 0.09  # 5 % 不满意
        result = (
            Rating.UNSATISFIED
            if unsatisfied
            else (Rating.SATISFIED if rng.random() < 0.93 else Rating.BASICALLY_SATISFIED)
        )
        evaluation_id = self._evaluate(info, reply, deputy, result, rated_at, events, row, deputy_user)
        row[16], row[18] = result, rated_at
        if not unsatisfied:
            events.append(
                (rated_at, E.CLOSE, None, S.REPLIED, S.CLOSED, self.close_label[CloseReason.SATISFIED], deputy_user)
            )
            return S.CLOSED, rated_at, CloseReason.SATISFIED
        # 不满意: round 2 for the unit and a case for the counterpart committee, in one transaction.
        due = cal.due_in_months(rated_day, 1)
        round_id = next(self.round_ids)
        stamp = self.stamp(rated_at)
        self.rounds.add((round_id, info.id, row[0], 2, HandlingRoundReason.REHANDLING, rated_day, due, stamp, stamp))
        row[5], row[7], row[18] = A.ASSIGNED, due, rated_at
        case_id = next(self.case_ids)
        committee_id = category.committee_id
        case = [
            case_id,
            info.id,
            suggestion_id,
            "",
            "",
            "",
            row[0],
            round_id,
            evaluation_id,
            committee_id,
            SupervisionTrigger.UNSATISFIED,
            SupervisionStatus.OPEN,
            rated_day,
            due,
            None,
            "",
            rated_at,
            rated_at,
        ]
        note = self.rehandle_note % {"number": 2, "day": due}
        events.append((rated_at, E.REHANDLE, row[0], A.REPLIED, A.ASSIGNED, note, deputy_user))
        events.append(
            (rated_at, E.SUPERVISE, None, S.REPLIED, S.ASSIGNED, info.committee_names[committee_id], deputy_user)
        )
        try:
            second_day = rated_day + DAY * (10 + int(rng.random() * 20))
            second_at = self._after(rated_at, second_day)
            if second_at > now:
                return S.ASSIGNED, None, ""
            second = self._reply(info, row, second_day, second_at, reply_text, publication, round_id)
            reply[-2] = [second]
            events.append((second_at, E.REPLY, row[0], A.ASSIGNED, A.REPLIED, f"{second[-1]} {second[5]}", row[19]))
            events.append((second_at, E.REPLY, None, S.ASSIGNED, S.REPLIED, "", row[19]))
            row[5], row[12], row[15], row[16], row[18] = A.REPLIED, second_day, second[4], "", second_at
            final_day = min(second_day + DAY * (2 + int(rng.random() * 12)), second[13])
            final_at = self._after(second_at, final_day)
            if final_at > now:
                return S.REPLIED, None, ""
            result = Rating.SATISFIED if rng.random() < 0.8 else Rating.BASICALLY_SATISFIED
            self._evaluate(info, second, deputy, result, final_at, events, row, deputy_user)
            row[16], row[18] = result, final_at
            events.append(
                (final_at, E.CLOSE, None, S.REPLIED, S.CLOSED, self.close_label[CloseReason.SATISFIED], deputy_user)
            )
            closed_on = final_day + DAY * (1 + int(rng.random() * 10))
            closed_case_at = self._after(final_at, closed_on)
            if closed_case_at <= now:
                case[11], case[14], case[15], case[17] = (
                    SupervisionStatus.CLOSED,
                    closed_on,
                    CASE_OUTCOME,
                    closed_case_at,
                )
                actor = world.committee_users.get(committee_id)
                events.append((closed_case_at, E.CLOSE_SUPERVISION, None, "", "", CASE_OUTCOME, actor))
            return S.CLOSED, final_at, CloseReason.SATISFIED
        finally:
            case[16], case[17] = self.stamp(case[16]), self.stamp(case[17])
            self.cases.add(tuple(case))

    def _rate_split(
        self,
        info: CongressInfo,
        replied: list[tuple],
        all_replied_at: datetime.datetime,
        deputy: int,
        deputy_user: int | None,
        events: list[tuple],
    ) -> tuple[str, datetime.datetime | None, str]:
        """Each split unit's reply is rated on its own; the suggestion closes when both are."""
        rng, now = self.rng, self.now
        last = None
        for reply_at, row, reply in replied:
            rated_day = min(all_replied_at.date() + DAY * (2 + int(rng.random() * 20)), reply[13])
            rated_at = self._after(max(reply_at, all_replied_at), rated_day)
            if rated_at > now:
                return S.REPLIED, None, ""
            result = Rating.SATISFIED if rng.random() < 0.93 else Rating.BASICALLY_SATISFIED
            self._evaluate(info, reply, deputy, result, rated_at, events, row, deputy_user)
            row[16], row[18] = result, rated_at
            last = max(last or rated_at, rated_at)
        events.append((last, E.CLOSE, None, S.REPLIED, S.CLOSED, self.close_label[CloseReason.SATISFIED], deputy_user))
        return S.CLOSED, last, CloseReason.SATISFIED

    def _evaluate(
        self,
        info: CongressInfo,
        reply: list[Any],
        deputy: int,
        result: str,
        at: datetime.datetime,
        events: list[tuple],
        row: list[Any],
        deputy_user: int | None,
    ) -> int:
        attitude = (
            Rating.SATISFIED if result == Rating.SATISFIED or self.rng.random() < 0.6 else Rating.BASICALLY_SATISFIED
        )
        evaluation_id = next(self.evaluation_ids)
        comment = UNSATISFIED_COMMENT if result == Rating.UNSATISFIED else ""
        stamp = self.stamp(at)
        self.evaluations.add((evaluation_id, info.id, reply[0], deputy, attitude, result, comment, stamp, stamp))
        note = f"{self.rating_label[attitude]} / {self.rating_label[result]}"
        events.append((at, E.EVALUATE, row[0], "", "", note, deputy_user))
        return evaluation_id

    def _write(
        self,
        info: CongressInfo,
        suggestion_id: int,
        number: int,
        story: Story,
        category: Any,
        title: str,
        body: str,
        status: str,
        closed_at: datetime.datetime | None,
        close_reason: str,
        exclusion: str,
        review_note: str,
        is_key: bool,
        confidential: bool,
        publication: str,
        events: list[tuple],
        assignment_rows: list[list[Any]],
        reply_rows: list[list[Any]],
        created_at: datetime.datetime,
    ) -> None:
        world = self.world
        events.sort(key=lambda event: event[0])
        congress_id = info.id
        add_event = self.events.add
        event_ids = self.event_ids
        stamp = self.stamp
        for at, action, assignment_id, before, after, note, actor in events:
            text = stamp(at)
            add_event(
                (
                    next(event_ids),
                    congress_id,
                    suggestion_id,
                    assignment_id,
                    actor,
                    action,
                    before,
                    after,
                    note,
                    text,
                    text,
                )
            )
        for row in assignment_rows:
            row[11], row[17], row[18] = stamp(row[11]), stamp(row[17]), stamp(row[18])
            self.assignments.add(tuple(row[:19]))
        for reply in reply_rows:
            reply[15], reply[17], reply[18] = stamp(reply[15]), stamp(reply[17]), stamp(reply[18])
            self.replies.add(tuple(reply[:19]))
        submitted_at = stamp(story.submitted_at)
        day = story.submitted_at.date()
        session = story.session
        deputy = story.deputy
        frozen = {
            "title": title,
            "body": body,
            "category": category.name,
            "lead_deputy": world.deputy_names[deputy],
            "cosigners": [],
            "submitted_on": day.isoformat(),
        }
        self.suggestions.add(
            (
                suggestion_id,
                congress_id,
                session.id,
                number,
                title,
                body,
                category.id,
                deputy,
                session.start <= day <= session.end,
                is_key,
                None,
                Confidentiality.CONFIDENTIAL if confidential else Confidentiality.PUBLIC,
                publication,
                status,
                submitted_at,
                frozen,
                "",
                exclusion,
                review_note,
                stamp(closed_at),
                close_reason,
                world.deputy_users.get(deputy),
                None,
                stamp(created_at),
                stamp(events[-1][0]),
            )
        )
        type_id, points = info.activity_types["suggestion_lead"]
        self.records.add(
            (
                next(self.record_ids),
                congress_id,
                deputy,
                type_id,
                day,
                title[:300],
                f"suggestion:{suggestion_id}",
                Decimal(points),
                ActivityStatus.RECORDED,
                None,
                None,
                submitted_at,
                submitted_at,
            )
        )
        if story.plain and self.detail_suggestion_id is None and status == S.CLOSED:
            self.detail_suggestion_id = suggestion_id
        self.made += 1
