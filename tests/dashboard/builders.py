"""The small known data set the dashboard's figures are checked against, built through the services.

`build_known(request)` drives congress A (and a little of congress B, which A's leaders must never
see) through the real services, with explicit dates wherever a service takes one, so due dates are
deterministic. Three things cannot be passed to the services and are set here:

- `Suggestion.submitted_at`, `PublicIssue.created_at` are stamped with the clock; they are set back
  to the day the story says (10:00 local), so year and date filters are deterministic;
- "not yet due" must be in the future whatever day the suite runs: S10 is assigned a week before
  today, and the issues answered on time are screened today (answers are stamped now);
- key suggestions and the duty record's yearly base are set on the rows (the admin does it; there
  is no service).

Each test module's docstring has the hand counts of the figures it checks.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Model
from django.utils import timezone

from congress.roles import Role
from congress.services import user_assign_role
from dashboard.filters import StatsFilter
from dashboard.kinds import KINDS
from deputies.choices import DeputyCategory, TrainingKind
from deputies.duty import duty_snapshot_run
from deputies.models import Activity, Deputy, DutyRules, Invitation
from deputies.services import activities as activity_services
from deputies.services import groups as group_services
from deputies.services import meetings as meeting_services
from deputies.services import training as training_services
from liaison_stations.choices import Channel, ChecklistState, IssueRating, VisitDisposition
from liaison_stations.models import ChecklistItem, PublicIssue
from liaison_stations.services import issues as issue_services
from liaison_stations.services import receptions as reception_services
from liaison_stations.services import stations as station_services
from suggestions import services
from suggestions.choices import AssignmentMode, ExclusionReason, Rating, SupervisionTrigger
from suggestions.models import Assignment, KeySuggestionTopic, Suggestion
from tests.congress.factories import (
    CommitteeFactory,
    HandlingUnitFactory,
    SessionFactory,
    SubjectCategoryFactory,
    UserFactory,
)
from tests.suggestions.conftest import Flow, reload

API = "/api/v1/stats"
ENDPOINTS = ("suggestions", "units", "deputies", "public-issues", "stations")

SUBMITTED_ON = datetime.date(2026, 1, 9)  # in session 5 (8–11 January 2026)
OLD_SUBMITTED_ON = datetime.date(2025, 1, 10)  # in session 4 (2025)
ASSIGNED_ON = datetime.date(2026, 3, 2)  # due 2026-06-02 (three months, a Tuesday)
REPLIED_ON = datetime.date(2026, 5, 11)  # on time
LATE_ON = datetime.date(2026, 6, 10)  # after 2026-06-02
RATED_ON = datetime.date(2026, 5, 20)
EXTENDED_TO = datetime.date(2026, 7, 1)
REPLIED_EXTENDED_ON = datetime.date(2026, 6, 22)  # after the first due date, before the extended one
POINTS_YEAR = 2026
YEARLY_BASE = Decimal(10)  # congress A's duty base, so the points spread over two bands


def at_ten(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(10), tzinfo=timezone.get_current_timezone())


@dataclass
class Known:
    """The rows of the known data set a test needs to name."""

    world: Any
    today: datetime.date
    office: Any
    office_b: Any
    deputy_user: Any
    unit_user: Any
    committee_user: Any
    lead_unit: Any
    split_unit: Any
    co_unit: Any
    other_unit: Any
    committee2: Any
    category2: Any
    session2: Any
    suggestions: dict[str, Suggestion] = field(default_factory=dict)
    issues: dict[str, PublicIssue] = field(default_factory=dict)
    rows: dict[str, Model] = field(default_factory=dict)

    @property
    def a(self) -> Any:
        return self.world.a

    @property
    def b(self) -> Any:
        return self.world.b

    def deputy(self, key: str) -> Deputy:
        """甲 and 乙 of congress A, dual (两级代表, A and B), own (the deputy_user of A)."""
        return {
            "jia": self.a.deputies[0],
            "yi": self.a.deputies[1],
            "dual": self.world.dual_deputy,
            "own": self.deputy_user.deputy,
        }[key]


def unit_staff(congress: Any, unit: Any, username: str) -> Any:
    return user_assign_role(user=UserFactory(username=username), role=Role.UNIT, congress=congress, unit=unit)


def build_known(request: Any) -> Known:
    """The whole data set (about two seconds); `request` is the test's pytest request."""
    world = request.getfixturevalue("world")
    a = world.a
    office = request.getfixturevalue("office_user")
    known = Known(
        world=world,
        today=timezone.localdate(),
        office=office,
        office_b=request.getfixturevalue("office_user_b"),
        deputy_user=request.getfixturevalue("deputy_user"),
        unit_user=request.getfixturevalue("unit_user"),
        committee_user=request.getfixturevalue("committee_user"),
        lead_unit=a.unit,
        split_unit=a.child_unit,
        co_unit=HandlingUnitFactory(congress=a.congress, name="甲市教育局"),
        other_unit=HandlingUnitFactory(congress=a.congress, name="甲市交通运输局"),
        committee2=CommitteeFactory(congress=a.congress, name="甲市农业农村委员会"),
        category2=None,
        session2=SessionFactory(
            term=a.term, number=4, start_date=datetime.date(2025, 1, 8), end_date=datetime.date(2025, 1, 11)
        ),
    )
    known.category2 = SubjectCategoryFactory(counterpart_committee=known.committee2, name="甲市农业")
    _suggestions(known)
    _deputy_work(known)
    _stations(known)
    _issues(known)
    _congress_b(known, request)
    # The duty record's points of 2026 (A's base lowered so the bands differ; see test_figures_deputies).
    DutyRules.objects.update_or_create(congress=a.congress, defaults={"yearly_base": YEARLY_BASE})
    duty_snapshot_run(as_of=datetime.date(POINTS_YEAR, 12, 31))
    return known


# --- suggestions -----------------------------------------------------------------------------------


def _suggestions(known: Known) -> None:
    a = known.a
    reply_classes = {rc.code: rc for rc in services.reply_classes_ensure(congress=a.congress)}
    co_unit_user = unit_staff(a.congress, known.co_unit, "co-unit")
    split_unit_user = unit_staff(a.congress, known.split_unit, "split-unit")
    other_unit_user = unit_staff(a.congress, known.other_unit, "other-unit")
    flow = Flow(
        world=known.world,
        deputy_user=known.deputy_user,
        office_user=known.office,
        unit_user=known.unit_user,
        co_unit=known.co_unit,
        co_unit_user=co_unit_user,
        split_unit_user=split_unit_user,
        reply_classes=reply_classes,
    )
    s = known.suggestions

    # S0: a draft, never submitted (not received).
    s["S0"] = flow.draft()

    # S1: lead + co-handling unit; A on time, satisfied -> closed. Key (topic T1).
    s["S1"] = flow.assigned(co=True, on=ASSIGNED_ON)
    flow.rate(flow.reply(flow.assignment(s["S1"]), code="A", on=REPLIED_ON), Rating.SATISFIED, on=RATED_ON)
    co = flow.assignment(s["S1"], known.co_unit)
    services.co_opinion_send(assignment=co, actor=co_unit_user, text="同意主办单位意见。")

    # S2: B on time, basically satisfied -> closed; a follow-up reply of class A later -> solved. Key (T1).
    s["S2"] = flow.assigned(co=False, on=ASSIGNED_ON)
    reply = flow.reply(flow.assignment(s["S2"]), code="B", on=REPLIED_ON)
    flow.rate(reply, Rating.BASICALLY_SATISFIED, on=RATED_ON)
    services.follow_up_reply_submit(
        assignment=flow.assignment(s["S2"]),
        actor=known.unit_user,
        reply_class=reply_classes["A"],
        text="已经解决。",
        document_number="甲自然资函〔2026〕99号",
        signer="张局长",
        on=datetime.date(2026, 8, 3),
    )

    # S3: C on time, never rated; closed without feedback once the evaluation window passed.
    s["S3"] = flow.assigned(co=False, on=ASSIGNED_ON)
    flow.reply(flow.assignment(s["S3"]), code="C", on=REPLIED_ON)
    assert services.suggestion_close_without_feedback(suggestion=s["S3"], on=datetime.date(2026, 6, 15))

    # S4: B on time, unsatisfied -> round 2 and an (open) supervision case; A in round 2, satisfied
    # -> closed (the rating is the latest: satisfied; the class the latest: A). Key (T1).
    s["S4"] = flow.assigned(co=False, on=ASSIGNED_ON)
    reply = flow.reply(flow.assignment(s["S4"]), code="B", on=REPLIED_ON)
    flow.rate(reply, Rating.UNSATISFIED, on=RATED_ON)
    reply = flow.reply(flow.assignment(s["S4"]), code="A", on=datetime.date(2026, 6, 15))
    flow.rate(reply, Rating.SATISFIED, on=datetime.date(2026, 6, 25))

    # S5: D late, unsatisfied -> round 2 due 2026-07-27, not replied: overdue again; open case.
    s["S5"] = flow.assigned(co=False, on=ASSIGNED_ON)
    reply = flow.reply(flow.assignment(s["S5"]), code="D", on=LATE_ON)
    flow.rate(reply, Rating.UNSATISFIED, on=datetime.date(2026, 6, 25))

    # S6: an extension to 2026-07-01 approved before the reply; B on 2026-06-22 is on time; satisfied.
    s["S6"] = flow.assigned(co=False, on=ASSIGNED_ON)
    extension = services.extension_request_create(
        assignment=flow.assignment(s["S6"]),
        actor=known.unit_user,
        reason="需要实地调研。",
        requested_due_on=EXTENDED_TO,
    )
    services.extension_decide(request=extension, actor=known.office, approve=True, note_to_deputy="同意延期。")
    reply = flow.reply(flow.assignment(s["S6"]), code="B", on=REPLIED_EXTENDED_ON)
    flow.rate(reply, Rating.SATISFIED, on=datetime.date(2026, 6, 25))

    # S7: never replied, due 2026-06-02: overdue now. A committee's case on it, closed. Key (T2).
    s["S7"] = flow.assigned(co=False, on=ASSIGNED_ON)
    case = services.supervision_open(
        suggestion=s["S7"],
        actor=known.committee_user,
        committee=a.committee,
        trigger=SupervisionTrigger.OVERDUE,
        on=datetime.date(2026, 6, 10),
    )
    services.supervision_close(
        case=case, actor=known.committee_user, outcome="已督促承办单位。", on=datetime.date(2026, 6, 20)
    )

    # S8: split between the lead unit and 林业局; both reply B on time; the first rated satisfied, the
    # second not yet -> the suggestion stays replied.
    s["S8"] = flow.assigned(mode=AssignmentMode.SPLIT, on=ASSIGNED_ON)
    first = flow.reply(flow.assignment(s["S8"], known.lead_unit), code="B", on=REPLIED_ON)
    flow.reply(flow.assignment(s["S8"], known.split_unit), code="B", on=REPLIED_ON)
    flow.rate(first, Rating.SATISFIED, on=RATED_ON)

    # S9: the lead unit asks for an adjustment, approved to 交通运输局 (the first assignment is
    # cancelled); that unit replies D on time, satisfied -> closed.
    s["S9"] = flow.assigned(co=False, on=ASSIGNED_ON)
    adjustment = services.adjustment_request_create(
        assignment=flow.assignment(s["S9"]),
        actor=known.unit_user,
        reason="不属于本单位职责。",
        suggested_unit=known.other_unit,
        on=datetime.date(2026, 3, 4),
    )
    services.adjustment_decide(request=adjustment, actor=known.office, approve=True, on=datetime.date(2026, 3, 5))
    reply = services.reply_submit(
        assignment=flow.assignment(s["S9"], known.other_unit),
        actor=other_unit_user,
        reply_class=reply_classes["D"],
        text="留作参考。",
        document_number="甲交函〔2026〕1号",
        signer="李局长",
        on=REPLIED_ON,
    )
    flow.rate(reply, Rating.SATISFIED, on=RATED_ON)

    # S10: assigned a week ago: not due yet (whatever day the suite runs).
    s["S10"] = flow.assigned(co=False, on=known.today - datetime.timedelta(days=7))

    # S11 rejected, S12 waiting for review, S13 withdrawn after submitting, S14 accepted (category 2).
    s["S11"] = flow.submitted()
    services.suggestion_review(
        suggestion=s["S11"], actor=known.office, decision="reject", exclusion_reason=ExclusionReason.PERSONAL
    )
    s["S12"] = flow.submitted()
    s["S13"] = services.suggestion_withdraw(suggestion=flow.submitted(), actor=known.deputy_user)
    s["S14"] = flow.accepted(category=known.category2)

    # S15: session 4, submitted in 2025, category 2, accepted.
    draft = flow.draft(session=known.session2, category=known.category2)
    s["S15"] = services.suggestion_review(
        suggestion=flow.submit(draft, on=OLD_SUBMITTED_ON), actor=known.office, decision="accept"
    )

    # The services stamp the submission with the clock: put it on the story's day.
    for key, suggestion in s.items():
        if key == "S0":
            continue
        day = OLD_SUBMITTED_ON if key == "S15" else SUBMITTED_ON
        Suggestion.objects.filter(pk=suggestion.pk).update(submitted_at=at_ten(day))
    # Key suggestions (marked in the admin).
    t1 = KeySuggestionTopic.objects.create(
        congress=a.congress, year=2026, title="农村教育", leader="王主任", committee=a.committee
    )
    t2 = KeySuggestionTopic.objects.create(
        congress=a.congress, year=2026, title="城乡交通", leader="李主任", committee=a.committee
    )
    Suggestion.objects.filter(pk__in=[s["S1"].pk, s["S2"].pk, s["S4"].pk]).update(is_key=True, key_topic=t1)
    Suggestion.objects.filter(pk=s["S7"].pk).update(is_key=True, key_topic=t2)
    known.rows.update(topic1=t1, topic2=t2, extension=extension, adjustment=adjustment, case_s7=case)
    for key, suggestion in list(s.items()):
        s[key] = reload(suggestion)


def assignment_of(suggestion: Suggestion, unit: Any) -> Assignment:
    return Assignment.objects.live().get(suggestion=suggestion, unit=unit)


# --- deputies ----------------------------------------------------------------------------------------


def _aware(day: datetime.date, hour: int) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=timezone.get_current_timezone())


def _course(actor: Any, congress: Any, title: str, day: datetime.date, hours: int, organiser: Any = None) -> Activity:
    return training_services.course_open(
        actor=actor,
        congress=congress,
        title=title,
        training_kind=TrainingKind.THEMATIC_AWAY,
        starts_at=_aware(day, 9),
        ends_at=_aware(day, 17),
        hours=hours,
        organiser=organiser,
    )


def attend(activity: Activity, deputies: list[Deputy], actor: Any) -> None:
    for deputy in deputies:
        invitation = Invitation.objects.get(activity=activity, deputy=deputy)
        activity_services.invitation_mark_attended(invitation=invitation, actor=actor)


def _deputy_work(known: Known) -> None:
    a, office = known.a, known.office
    jia, yi, dual, own = (known.deputy(key) for key in ("jia", "yi", "dual", "own"))
    Deputy.objects.filter(pk=yi.pk).update(category=DeputyCategory.PROFESSIONAL)

    # C1: 6 hours; jia and dual attend, own is invited and absent. Held.
    c1 = _course(office, a.congress, "履职能力培训班", datetime.date(2026, 4, 10), 6, a.committee)
    training_services.course_invite(course=c1, actor=office, deputy_ids=[jia.pk, dual.pk, own.pk])
    attend(c1, [jia, dual], office)
    activity_services.activity_hold(activity=c1, actor=office)
    # C2: 3 hours; jia attends. Held.
    c2 = _course(office, a.congress, "预算审查培训", datetime.date(2026, 9, 15), 3, a.committee)
    training_services.course_invite(course=c2, actor=office, deputy_ids=[jia.pk])
    attend(c2, [jia], office)
    activity_services.activity_hold(activity=c2, actor=office)
    # C3: yi marked present, but the course is not held (still planned): not counted as training.
    c3 = _course(office, a.congress, "法律知识讲座", datetime.date(2026, 10, 20), 2, a.committee)
    training_services.course_invite(course=c3, actor=office, deputy_ids=[yi.pk])
    attend(c3, [yi], office)

    # A standing-committee meeting of the term: yi sits in (held).
    meeting = meeting_services.meeting_create(
        actor=office, term=a.term, title="常委会第三十次会议", starts_on=datetime.date(2026, 6, 25)
    )
    meeting_services.meeting_invite(actor=office, meeting=meeting, deputy_ids=[yi.pk])
    sitting = meeting_services.meeting_sitting(meeting)
    attend(sitting, [yi], office)
    activity_services.activity_hold(activity=sitting, actor=office)

    # A professional group of A (counterpart: A's education committee): jia and own.
    group = group_services.group_create(
        actor=office, congress=a.congress, name="教育专业小组", field="教育", counterpart_committee=a.committee
    )
    group_services.member_add(group=group, actor=office, deputy=jia)
    group_services.member_add(group=group, actor=office, deputy=own)
    known.rows.update(c1=c1, c2=c2, c3=c3, meeting=meeting, sitting=sitting, group=group)


# --- stations ----------------------------------------------------------------------------------------


def _stations(known: Known) -> None:
    a, office = known.a, known.office
    jia, yi, dual = (known.deputy(key) for key in ("jia", "yi", "dual"))
    for station, deputy in ((a.station, jia), (a.station, yi), (a.other_station, dual)):
        station_services.station_deputy_add(station=station, actor=office, deputy=deputy, role="resident")
    k1 = station_services.block_save(station=a.station, actor=office, data={"number": 1, "name": "第一片区"})
    k2 = station_services.block_save(station=a.station, actor=office, data={"number": 2, "name": "第二片区"})
    k3 = station_services.block_save(station=a.other_station, actor=office, data={"number": 1, "name": "桃花片区"})

    def reception(station: Any, day: datetime.date, deputies: list[Deputy]) -> Any:
        return reception_services.reception_save(
            station=station, actor=office, date=day, deputy_ids=[d.pk for d in deputies], topic="代表接待日"
        )

    r1 = reception(a.station, datetime.date(2026, 3, 16), [jia, yi])
    reception_services.reception_confirm(reception=r1, actor=office, absent_ids=[yi.pk])
    r2 = reception(a.station, datetime.date(2026, 4, 15), [jia, yi])
    reception_services.reception_confirm(reception=r2, actor=office)
    r3 = reception(a.station, datetime.date(2026, 5, 15), [jia])  # not confirmed
    r4 = reception(a.other_station, datetime.date(2026, 3, 20), [dual])
    reception_services.reception_confirm(reception=r4, actor=office)

    v1 = reception_services.visit_record(
        station=a.station,
        actor=office,
        visited_on=r1.date,
        reception_day=r1,
        deputy=jia,
        words="小区停车难。",
        disposition=VisitDisposition.ANSWERED,
        disposition_note="已协调物业增加车位。",
        visitors=3,
    )
    # Taken into the loop: this visit makes issue I3 (channel "visit").
    v2 = reception_services.visit_record(
        station=a.station,
        actor=office,
        visited_on=r2.date,
        reception_day=r2,
        words="老旧小区加装电梯的补贴标准不清楚。",
        disposition=VisitDisposition.LOOP,
        visitors=1,
    )
    v3 = reception_services.visit_record(
        station=a.other_station,
        actor=office,
        visited_on=datetime.date(2026, 3, 20),
        words="邻里纠纷。",
        disposition=VisitDisposition.NOT_ACCEPTED,
        disposition_note="属于民事纠纷，已告知调解途径。",
        visitors=2,
    )

    f1 = reception_services.forum_save(
        station=a.station,
        actor=office,
        held_on=datetime.date(2026, 4, 20),
        topic="背街小巷改造",
        deputy_ids=[jia.pk],
        block=k1,
        residents=40,
    )
    f2 = reception_services.forum_save(
        station=a.other_station,
        actor=office,
        held_on=datetime.date(2026, 5, 10),
        topic="农贸市场搬迁",
        deputy_ids=[dual.pk],
        block=k3,
        residents=25,
    )
    # Planned for next month: not held yet.
    f3 = reception_services.forum_save(
        station=a.station,
        actor=office,
        held_on=known.today + datetime.timedelta(days=30),
        topic="垃圾分类",
        residents=0,
    )

    items = {item.code: item for item in station_services.checklist_items_ensure_default(congress=a.congress)}

    def check(station: Any, code: str, state: str, year: int = 2026) -> None:
        station_services.checklist_status_set(station=station, item=items[code], year=year, actor=office, state=state)

    check(a.station, "place", ChecklistState.MET)
    check(a.station, "signs", ChecklistState.MET)
    check(a.station, "rules", ChecklistState.PARTLY)
    check(a.station, "deputies", ChecklistState.NOT_MET)
    check(a.station, "results", ChecklistState.MET)  # its item is made inactive below: not counted
    check(a.other_station, "place", ChecklistState.MET)
    check(a.station, "place", ChecklistState.NOT_MET, year=2025)
    results = items["results"]
    station_services.checklist_item_save(
        actor=office,
        congress=a.congress,
        code=results.code,
        name=results.name,
        sort_order=results.sort_order,
        is_active=False,
        item=ChecklistItem.objects.get(pk=results.pk),
    )
    known.rows.update(k1=k1, k2=k2, k3=k3, r1=r1, r2=r2, r3=r3, r4=r4, v1=v1, v2=v2, v3=v3, f1=f1, f2=f2, f3=f3)


# --- citizens' issues --------------------------------------------------------------------------------


def _issues(known: Known) -> None:
    a, office = known.a, known.office
    jia, dual, own = known.deputy("jia"), known.deputy("dual"), known.deputy("own")
    rows = known.rows
    i = known.issues
    day = datetime.date

    def submit(channel: str, on: datetime.date, **options: Any) -> PublicIssue:
        return issue_services.issue_submit(
            congress=a.congress, channel=channel, content="小区路灯不亮，晚上出行不便。", actor=office, on=on, **options
        )

    # I1: QR at 会龙山 block 1, not accepted.
    i["I1"] = submit(Channel.QR, day(2026, 3, 2), station=a.station, block=rows["k1"])
    issue_services.issue_screen(issue=i["I1"], actor=office, accept=False, reason="不受理。", on=day(2026, 3, 3))
    # I2: WeChat at 会龙山 block 2, tier 1 (jia), due 2026-03-05, answered (now: late), not rated.
    i["I2"] = submit(Channel.WECHAT, day(2026, 3, 3), station=a.station, block=rows["k2"])
    issue_services.issue_screen(issue=i["I2"], actor=office, accept=True, tier=1, deputy=jia, on=day(2026, 3, 3))
    issue_services.issue_answer(issue=i["I2"], actor=office, body="已联系社区维修。")
    # I3: from visit V2 (channel visit, 会龙山, no block); tier 2 today, answered on time, satisfied,
    # closed; outcome 30 people, 12000.50 yuan.
    i["I3"] = PublicIssue.objects.get(visit=rows["v2"])
    issue_services.issue_screen(issue=i["I3"], actor=office, accept=True, tier=2)
    issue_services.issue_answer(issue=i["I3"], actor=office, body="补贴标准已公示。")
    issue_services.issue_rate(
        issue=i["I3"], rating=IssueRating.SATISFIED, tracking_code=i["I3"].tracking_code, on=day(2026, 10, 9)
    )
    issue_services.issue_record_outcome(
        issue=i["I3"], actor=office, people_helped=30, money_involved=Decimal("12000.50")
    )
    # I4: hotline from the own deputy (no station), tier 1, answered (late), rated unsatisfied by the
    # deputy on 2026-05-20 -> tier 2 due 2026-05-27, being handled again: reopened, overdue.
    i["I4"] = issue_services.issue_submit(
        congress=a.congress,
        channel=Channel.HOTLINE,
        content="农村公路破损严重。",
        category=a.subject_category,
        actor=known.deputy_user,
        on=day(2026, 5, 4),
    )
    issue_services.issue_screen(issue=i["I4"], actor=office, accept=True, tier=1, on=day(2026, 5, 4))
    issue_services.issue_answer(issue=i["I4"], actor=office, body="已转交公路部门。")
    issue_services.issue_rate(
        issue=i["I4"], rating=IssueRating.UNSATISFIED, actor=known.deputy_user, on=day(2026, 5, 20)
    )
    # I5: collected by jia (station 会龙山 through jia's post), tier 3 (lead unit), turned into a
    # suggestion (a draft for the own deputy: not received).
    i["I5"] = submit(Channel.DEPUTY, day(2026, 6, 1), deputy=jia)
    issue_services.issue_screen(
        issue=i["I5"], actor=office, accept=True, tier=3, handling_unit=known.lead_unit, on=day(2026, 6, 1)
    )
    issue_services.issue_convert(issue=i["I5"], actor=office, lead_deputy=own)
    # I6: forum F2 at 桃花仑, tier 3 (交通运输局) due 2026-05-25, answered (late), closed by staff;
    # outcome 562 people, 3680000 yuan.
    i["I6"] = submit(Channel.FORUM, day(2026, 5, 10), station=a.other_station, forum=rows["f2"])
    issue_services.issue_screen(
        issue=i["I6"], actor=office, accept=True, tier=3, handling_unit=known.other_unit, on=day(2026, 5, 11)
    )
    issue_services.issue_answer(issue=i["I6"], actor=office, body="市场搬迁方案已公示。")
    issue_services.issue_close(issue=i["I6"], actor=office, note="电话回访确认。")
    issue_services.issue_record_outcome(
        issue=i["I6"], actor=office, people_helped=562, money_involved=Decimal("3680000")
    )
    # I7: QR at 会龙山, never screened, due 2026-02-03: overdue.
    i["I7"] = submit(Channel.QR, day(2026, 2, 2), station=a.station)
    # I9: WeChat at 桃花仑 block 3, tier 1 (dual) today, answered on time, basically satisfied, closed.
    i["I9"] = submit(Channel.WECHAT, day(2026, 7, 1), station=a.other_station, block=rows["k3"], deputy=dual)
    issue_services.issue_screen(issue=i["I9"], actor=office, accept=True, tier=1)
    issue_services.issue_answer(issue=i["I9"], actor=office, body="已修好。")
    issue_services.issue_rate(
        issue=i["I9"], rating=IssueRating.BASICALLY, tracking_code=i["I9"].tracking_code, on=day(2026, 10, 9)
    )
    for key, issue in i.items():
        day_submitted = rows["v2"].visited_on if key == "I3" else _submitted_day(key)
        PublicIssue.objects.filter(pk=issue.pk).update(created_at=at_ten(day_submitted))
        i[key] = PublicIssue.objects.get(pk=issue.pk)


def _submitted_day(key: str) -> datetime.date:
    return {
        "I1": datetime.date(2026, 3, 2),
        "I2": datetime.date(2026, 3, 3),
        "I4": datetime.date(2026, 5, 4),
        "I5": datetime.date(2026, 6, 1),
        "I6": datetime.date(2026, 5, 10),
        "I7": datetime.date(2026, 2, 2),
        "I9": datetime.date(2026, 7, 1),
    }[key]


# --- congress B (never in A's figures) --------------------------------------------------------------


def _congress_b(known: Known, request: Any) -> None:
    b, office_b = known.b, known.office_b
    deputy_b_user = request.getfixturevalue("other_deputy_user")
    dual = known.deputy("dual")
    # A suggestion assigned 2026-03-02 to B's unit, not replied: overdue.
    suggestion = services.suggestion_create(
        actor=deputy_b_user,
        deputy=deputy_b_user.deputy,
        session=b.session,
        title="关于乙市的建议",
        body="建议……",
        category=b.subject_category,
    )
    services.suggestion_submit(suggestion=suggestion, actor=deputy_b_user, on=SUBMITTED_ON)
    services.suggestion_review(suggestion=suggestion, actor=office_b, decision="accept")
    services.suggestion_assign(suggestion=suggestion, actor=office_b, lead_units=[b.unit], on=ASSIGNED_ON)
    Suggestion.objects.filter(pk=suggestion.pk).update(submitted_at=at_ten(SUBMITTED_ON))
    # A citizens' issue at B's station, not screened.
    issue = issue_services.issue_submit(
        congress=b.congress,
        channel=Channel.QR,
        station=b.station,
        content="乙市小区路灯不亮。",
        actor=office_b,
        on=datetime.date(2026, 3, 2),
    )
    PublicIssue.objects.filter(pk=issue.pk).update(created_at=at_ten(datetime.date(2026, 3, 2)))
    # A reception day at B's station, confirmed.
    deputy_b = b.deputies[0]
    station_services.station_deputy_add(station=b.station, actor=office_b, deputy=deputy_b, role="resident")
    reception = reception_services.reception_save(
        station=b.station, actor=office_b, date=datetime.date(2026, 3, 16), deputy_ids=[deputy_b.pk]
    )
    reception_services.reception_confirm(reception=reception, actor=office_b)
    # A training course of B (4 hours) the dual deputy attends, held; a group of B with the dual deputy.
    course = _course(office_b, b.congress, "乙市培训班", datetime.date(2026, 5, 10), 4)
    training_services.course_invite(course=course, actor=office_b, deputy_ids=[dual.pk])
    attend(course, [dual], office_b)
    activity_services.activity_hold(activity=course, actor=office_b)
    group = group_services.group_create(
        actor=office_b, congress=b.congress, name="乙市教育小组", field="教育", counterpart_committee=b.committee
    )
    group_services.member_add(group=group, actor=office_b, deputy=dual)
    # B's checklist: one item met.
    item = station_services.checklist_items_ensure_default(congress=b.congress)[0]
    station_services.checklist_status_set(
        station=b.station, item=item, year=2026, actor=office_b, state=ChecklistState.MET
    )
    known.rows.update(suggestion_b=suggestion, issue_b=issue, reception_b=reception, course_b=course)


# --- reading the figures -----------------------------------------------------------------------------


def stats(client: Any, user: Any, endpoint: str, /, **params: Any) -> dict[str, Any]:
    """The payload of a stats endpoint for the user (200 asserted)."""
    client.force_login(user)
    response = client.get(f"{API}/{endpoint}/", params)
    assert response.status_code == 200, response.content
    return response.json()


def stats_filter(user: Any, /, **params: Any) -> StatsFilter:
    return StatsFilter.parse(user, {key: str(value) for key, value in params.items()})


def records_count(user: Any, kind: str, figure: str, /, **params: Any) -> int:
    """How many records the drill-down queryset lists for a figure."""
    return KINDS[kind].records(stats_filter(user, **params), figure).count()


def page_count(client: Any, user: Any, kind: str, figure: str, /, **params: Any) -> int:
    """The record count the drill-down page shows (data-testid="record-count")."""
    client.force_login(user)
    response = client.get(f"/dashboard/records/{kind}/{figure}/", params)
    assert response.status_code == 200, response.content[:500]
    match = re.search(rb'data-testid="record-count">(\d+)<', response.content)
    assert match, "record-count missing"
    return int(match.group(1))


def check_figure(
    client: Any, user: Any, kind: str, figure: str, expected: int, value: Any = None, /, **params: Any
) -> None:
    """The API's value (if given), the drill-down queryset and the drill-down page all equal the hand count."""
    if value is not None:
        assert value == expected, f"API {kind}.{figure}: {value} != {expected}"
    assert records_count(user, kind, figure, **params) == expected, f"records {kind}.{figure}"
    assert page_count(client, user, kind, figure, **params) == expected, f"page {kind}.{figure}"
