"""The world the access matrix runs in: every role's user, and one object of every kind the URLs name,
in congress A and (built the same way) in congress B.

Congress A's objects are owned by A's deputy (`deputy_user`), handled by A's unit (`unit_user`) at
A's station (`station_user`), in the categories of A's committee (`committee_user`), so each role of A
sees them where its scope says it should. Congress B's objects are owned by B's people in the same
way (B's deputy is `other_deputy_user`, B's office `office_user_b`); B's unit, committee and station
staff are made here only to drive B's services.

The out-of-scope users of A (another deputy, another unit, another station) own nothing: A's objects
must look missing to them.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.utils import timezone
from django_celery_beat.models import (
    ClockedSchedule,
    CrontabSchedule,
    IntervalSchedule,
    PeriodicTask,
    SolarSchedule,
)
from rest_framework.authtoken.models import Token

from congress.models import Notification, StaffProfile
from congress.roles import Role
from congress.services import user_assign_role
from deputies.choices import ActivityKind, MandateStatus
from deputies.duty import activity_types_ensure, duty_record_act
from deputies.models import DutyRules, DutySnapshot
from liaison_stations.models import ChecklistEvidence
from suggestions import services as suggestion_services
from suggestions.choices import Rating, SupervisionTrigger
from suggestions.models import KeySuggestionTopic, ReminderDispatch
from tests.conftest import Tenant, World, build_tenant, make_deputy_user
from tests.congress.factories import CalendarDayFactory, HeartbeatFactory, UserFactory
from tests.deputies.factories import ActivityFactory, DeputyFactory, InvitationFactory, MandateFactory
from tests.deputies.factories_groups import (
    CampaignFactory,
    CampaignOpinionFactory,
    GroupMembershipFactory,
    GroupOutputFactory,
    ProfessionalGroupFactory,
    SpecialSupervisorFactory,
)
from tests.deputies.factories_legislation import (
    DraftCommentFactory,
    DraftProvisionFactory,
    DraftRegulationFactory,
    EvaluationGroupFactory,
    EvaluationProjectFactory,
    EvaluationScoreFactory,
    LegislativeProposalFactory,
    LegislativeRoundFactory,
)
from tests.deputies.factories_meetings import AgendaTopicFactory, MeetingOpinionFactory, meeting_with_sitting
from tests.deputies.factories_training import (
    LearningMaterialFactory,
    MaterialCompletionFactory,
    PlannedCourseFactory,
    TrainingPlanFactory,
)
from tests.liaison_stations.factories import StationStaffFactory
from tests.liaison_stations.factories_issues import (
    IssueAnswerFactory,
    IssueEventFactory,
    IssuePhotoFactory,
    IssueRulesFactory,
    PublicIssueFactory,
)
from tests.liaison_stations.factories_stations import (
    BlockFactory,
    BlockTaskFactory,
    ChecklistItemFactory,
    ChecklistStatusFactory,
    ForumFactory,
    ReceptionDayFactory,
    StationDeputyFactory,
    StationDocumentFactory,
    VisitFactory,
)

SUBMITTED_ON = datetime.date(2026, 1, 9)  # in the session of the conftest world (8–11 January 2026)
ASSIGNED_ON = datetime.date(2026, 3, 2)
REPLIED_ON = datetime.date(2026, 5, 11)
RATED_ON = datetime.date(2026, 5, 20)


@dataclass
class People:
    """The users who own and handle a congress's objects."""

    office: Any
    committee: Any
    unit: Any
    station: Any
    deputy: Any
    peer: Any  # another deputy of the congress, who leads the draft the deputy is invited to co-sign


@dataclass
class Objects:
    """Every object of one congress the URLs name, by key (see `build_objects`)."""

    key: str
    tenant: Tenant
    people: People
    rows: dict[str, Any] = field(default_factory=dict)

    def __getitem__(self, key: str) -> Any:
        return self.rows[key]


@dataclass
class Everything:
    """The built world: the role users, A's and B's objects, and the rows no congress owns."""

    world: World
    users: dict[str, Any]
    a: Objects
    b: Objects
    shared: dict[str, Any]
    notifications: dict[str, Any]

    def of(self, key: str) -> Objects:
        return {"a": self.a, "b": self.b}[key]

    def notification_for(self, role: str, *, own: bool) -> Any:
        """The role's own notification, or another user's (B's deputy's; A's deputy's for B's deputy)."""
        if own:
            return self.notifications.get(role, self.notifications["deputy"])
        return self.notifications["deputy" if role == "deputy_b" else "deputy_b"]

    def admin_object(self, model: Any, variant: str) -> Any:
        """The object the admin's pages of `model` are tried with: of congress A or B, or shared."""
        from .admin_matrix import SHARED_OBJECTS

        label = model._meta.label_lower
        if variant == "shared":
            return self.shared[SHARED_OBJECTS[label]]
        objects = self.of(variant)
        tenant = objects.tenant
        fixed = {
            "congress.congress": tenant.congress,
            "congress.term": tenant.term,
            "congress.session": tenant.session,
            "congress.committee": tenant.committee,
            "congress.subjectcategory": tenant.subject_category,
            "congress.handlingunit": tenant.unit,
            "congress.staffprofile": StaffProfile.objects.get(user__username=f"colleague-{objects.key}"),
            "deputies.deputy": objects["deputy"],
            "deputies.mandate": objects["deputy"].mandates.get(congress=tenant.congress),
            "deputies.delegation": tenant.delegation,
        }
        if label in fixed:
            return fixed[label]
        found = [row for row in objects.rows.values() if isinstance(row, model)]
        assert found, f"the world has no {label} of congress {variant}"
        return found[0]


# --- users ---------------------------------------------------------------------------------------------


def make_unit_user(username: str, tenant: Tenant, unit: Any) -> Any:
    return user_assign_role(user=UserFactory(username=username), role=Role.UNIT, congress=tenant.congress, unit=unit)


def make_station_user(username: str, station: Any) -> Any:
    user = UserFactory(username=username)
    user.groups.add(Group.objects.get(name=Role.STATION))
    StationStaffFactory(user=user, station=station)
    return user


def build_world() -> World:
    """The conftest's two congresses (the `world` fixture, built here once for the whole module)."""
    a = build_tenant("甲")
    b = build_tenant("乙")
    dual = DeputyFactory(name="两级代表")
    MandateFactory(deputy=dual, term=a.term)
    MandateFactory(deputy=dual, term=b.term)
    return World(a=a, b=b, dual_deputy=dual)


def _staff(username: str, role: str, **scope: Any) -> Any:
    return user_assign_role(user=UserFactory(username=username), role=role, **scope)


def role_users(world: World) -> dict[str, Any]:
    """The user of every role of the matrix (None for the anonymous visitor), made as the conftest's
    role fixtures make them (`admin_user`, `office_user`, ... `other_deputy_user`, `plain_user`)."""
    a, b = world.a, world.b
    return {
        "anonymous": None,
        "admin": UserFactory(username="admin", is_superuser=True, is_staff=True),
        "administrator": _staff("administrator", Role.ADMINISTRATOR),
        "office": _staff("office", Role.OFFICE, congress=a.congress, committee=a.office_committee),
        "committee": _staff("committee", Role.COMMITTEE, congress=a.congress, committee=a.committee),
        "unit": _staff("unit", Role.UNIT, congress=a.congress, unit=a.unit),
        "leader": _staff("leader", Role.LEADER, congress=a.congress),
        "station": make_station_user("station", a.station),
        "deputy": make_deputy_user(username="deputy", name="甲本人代表", seats=[(a.term, MandateStatus.SERVING)]),
        "plain": UserFactory(username="plain"),
        "office_b": _staff("office-b", Role.OFFICE, congress=b.congress, committee=b.office_committee),
        "deputy_b": make_deputy_user(username="deputy-b", name="乙本人代表", seats=[(b.term, MandateStatus.SERVING)]),
        # out of scope in congress A: they own nothing of A's objects
        "deputy_2": make_deputy_user(
            username="deputy-peer", name="甲另一代表", seats=[(a.term, MandateStatus.SERVING)]
        ),
        "unit_2": make_unit_user("unit-other", a, a.child_unit),
        "station_2": make_station_user("station-other", a.other_station),
    }


def b_people(world: World, users: dict[str, Any]) -> People:
    """B's office and deputy are roles of the matrix; B's committee, unit and station staff only act."""
    b = world.b
    committee = user_assign_role(
        user=UserFactory(username="committee-b"), role=Role.COMMITTEE, congress=b.congress, committee=b.committee
    )
    return People(
        office=users["office_b"],
        committee=committee,
        unit=make_unit_user("unit-b", b, b.unit),
        station=make_station_user("station-b", b.station),
        deputy=users["deputy_b"],
        peer=make_deputy_user(username="deputy-b-peer", name="乙另一代表", seats=[(b.term, MandateStatus.SERVING)]),
    )


# --- objects of one congress ---------------------------------------------------------------------------


def build_objects(key: str, tenant: Tenant, people: People) -> Objects:
    objects = Objects(key=key, tenant=tenant, people=people)
    _suggestions(objects)
    _deputy_work(objects)
    _stations(objects)
    _issues(objects)
    return objects


def _suggestions(o: Objects) -> None:
    t, p, rows = o.tenant, o.people, o.rows
    classes = {rc.code: rc for rc in suggestion_services.reply_classes_ensure(congress=t.congress)}
    deputy = p.deputy.deputy
    rows["deputy"] = deputy

    def assigned(title: str) -> Any:
        suggestion = suggestion_services.suggestion_create(
            actor=p.deputy,
            deputy=deputy,
            session=t.session,
            title=title,
            body="建议加大投入。",
            category=t.subject_category,
        )
        suggestion_services.suggestion_submit(suggestion=suggestion, actor=p.deputy, on=SUBMITTED_ON)
        suggestion_services.suggestion_review(suggestion=suggestion, actor=p.office, decision="accept")
        return suggestion_services.suggestion_assign(
            suggestion=suggestion, actor=p.office, lead_units=[t.unit], on=ASSIGNED_ON
        )

    def reply_to(suggestion: Any) -> Any:
        assignment = suggestion.assignments.get(unit=t.unit)
        return suggestion_services.reply_submit(
            assignment=assignment,
            actor=p.unit,
            reply_class=classes["B"],
            text="已列入明年计划。",
            document_number=f"{o.key}-函〔2026〕{assignment.pk}号",
            signer="张局长",
            on=REPLIED_ON,
        )

    # The suggestion of the matrix: accepted, assigned to the unit (which asked for more time), replied,
    # the reply published, waiting for the deputy's rating; the committee supervises it.
    suggestion = assigned(f"{o.key}：关于改善农村学校寄宿条件的建议")
    rows["assignment"] = suggestion.assignments.get(unit=t.unit)
    rows["extension"] = suggestion_services.extension_request_create(
        assignment=rows["assignment"],
        actor=p.unit,
        reason="需要实地调研。",
        requested_due_on=datetime.date(2026, 7, 1),
    )
    reply = reply_to(suggestion)
    suggestion_services.reply_publish(reply=reply, actor=p.office)
    rows["suggestion"] = type(suggestion).objects.get(pk=suggestion.pk)
    rows["assignment"] = suggestion.assignments.get(unit=t.unit)
    rows["reply"] = reply
    rows["case"] = suggestion_services.supervision_open(
        suggestion=suggestion, actor=p.committee, committee=t.committee, trigger=SupervisionTrigger.KEY
    )
    # Another one whose unit asked for an adjustment.
    adjusting = assigned(f"{o.key}：关于城区停车的建议")
    rows["adjustment"] = suggestion_services.adjustment_request_create(
        assignment=adjusting.assignments.get(unit=t.unit), actor=p.unit, reason="不属于本单位职责。", on=ASSIGNED_ON
    )
    # A second one, rated: an evaluation exists.
    rated = assigned(f"{o.key}：关于农村公路养护的建议")
    rows["evaluation"] = suggestion_services.evaluation_submit(
        reply=reply_to(rated), actor=p.deputy, attitude=Rating.SATISFIED, result=Rating.SATISFIED, on=RATED_ON
    )
    # A draft on which the deputy asked the committee for guidance.
    draft = suggestion_services.suggestion_create(
        actor=p.deputy,
        deputy=deputy,
        session=t.session,
        title=f"{o.key}：草稿",
        body="草稿。",
        category=t.subject_category,
    )
    rows["draft"] = draft
    rows["guidance"] = suggestion_services.guidance_request_create(
        suggestion=draft, actor=p.deputy, committee=t.committee, question="请指导。"
    )
    # A draft of the congress's other deputy, who invited the deputy to co-sign it.
    rows["cosign_draft"] = suggestion_services.suggestion_create(
        actor=p.peer,
        deputy=p.peer.deputy,
        session=t.session,
        title=f"{o.key}：附议草稿",
        body="草稿。",
        category=t.subject_category,
        cosigners=[deputy],
    )
    # A case on something that is not a suggestion (as a hotline issue rated 不满意 opens one).
    rows["case_free"], _created = suggestion_services.supervision_open_on_subject(
        congress_id=t.congress.pk,
        committee_id=t.committee.pk,
        subject=f"{o.key}：热线问题",
        source_key=f"matrix:{o.key}",
    )
    rows["topic"] = KeySuggestionTopic.objects.create(
        congress=t.congress, year=2026, title="农村教育", leader="王主任", committee=t.committee
    )
    rows["reply_class"] = classes["B"]
    rows["handling_rules"] = suggestion_services.rules_for(t.congress)


def _deputy_work(o: Objects) -> None:
    t, p, rows = o.tenant, o.people, o.rows
    deputy = p.deputy.deputy
    congress = t.congress
    today = timezone.localdate()

    rows["activity"] = ActivityFactory(congress=congress, organiser=t.committee, kind=ActivityKind.GROUP_RESEARCH)
    rows["invitation"] = InvitationFactory(activity=rows["activity"], deputy=deputy)
    rows["course"] = ActivityFactory(
        congress=congress, organiser=t.committee, kind=ActivityKind.TRAINING_COURSE, state="held"
    )
    rows["certificate"] = InvitationFactory(
        activity=rows["course"], deputy=deputy, status="attended", certificate_number=f"2026-{o.key}-0001"
    )
    rows["plan"] = TrainingPlanFactory(congress=congress, year=2031)
    rows["planned_course"] = PlannedCourseFactory(plan=rows["plan"], organiser=t.committee)
    rows["material"] = LearningMaterialFactory(congress=congress)
    rows["completion"] = MaterialCompletionFactory(material=rows["material"], deputy=deputy)

    meeting = meeting_with_sitting(term=t.term, number=30)
    rows["meeting"] = meeting
    rows["sitting"] = meeting.activities.get(kind=ActivityKind.SC_SITTING)
    rows["sitting_invitation"] = InvitationFactory(activity=rows["sitting"], deputy=deputy, status="accepted")
    topic = AgendaTopicFactory(meeting=meeting)
    rows["opinion"] = MeetingOpinionFactory(
        meeting=meeting, deputy=deputy, topic=topic, handling_unit=t.unit, status="handed", due_on=today
    )

    rows["group"] = ProfessionalGroupFactory(counterpart_committee=t.committee)
    rows["membership"] = GroupMembershipFactory(group=rows["group"], deputy=deputy)
    rows["output"] = GroupOutputFactory(group=rows["group"], kind="suggestion")
    rows["output"].authors.set([deputy])
    rows["supervisor"] = SpecialSupervisorFactory(unit=t.unit, term=t.term, deputy=deputy)

    rows["round"] = LegislativeRoundFactory(congress=congress, committee=t.committee, deadline=today)
    rows["proposal"] = LegislativeProposalFactory(round=rows["round"], deputy=deputy)
    draft = DraftRegulationFactory(
        congress=congress, committee=t.committee, status="consulting", comment_deadline=today
    )
    draft.recipients.set([deputy])
    rows["draft_regulation"] = draft
    rows["provision"] = DraftProvisionFactory(draft=draft)
    rows["comment"] = DraftCommentFactory(draft=draft, deputy=deputy, provision=rows["provision"])

    rows["project"] = EvaluationProjectFactory(congress=congress, committee=t.committee, scoring_closes_on=None)
    rows["evaluation_group"] = EvaluationGroupFactory(project=rows["project"])
    rows["evaluation_group"].members.set([deputy])
    rows["evaluation_group"].units.set([t.unit])
    rows["score"] = EvaluationScoreFactory(group=rows["evaluation_group"], unit=t.unit, deputy=deputy)

    rows["campaign"] = CampaignFactory(
        congress=congress, starts_on=today - datetime.timedelta(days=10), ends_on=today + datetime.timedelta(days=30)
    )
    rows["campaign_opinion"] = CampaignOpinionFactory(campaign=rows["campaign"], deputy=deputy)

    types = activity_types_ensure(congress=congress)
    rows["activity_type"] = types["training"]
    rows["activity_record"] = duty_record_act(
        deputy_id=deputy.pk, congress_id=congress.pk, code="training", on=today, source_key=f"matrix:{o.key}"
    )
    rows["duty_snapshot"] = DutySnapshot.objects.create(congress=congress, deputy=deputy, year=2026, points=60, rank=1)
    rows["duty_rules"], _created = DutyRules.objects.get_or_create(congress=congress)


def _stations(o: Objects) -> None:
    t, p, rows = o.tenant, o.people, o.rows
    deputy = p.deputy.deputy
    station = t.station
    rows["station"] = station
    rows["station_staff"] = station.staff.get(user=p.station)
    rows["checklist_item"] = ChecklistItemFactory(congress=t.congress)
    rows["checklist_status"] = ChecklistStatusFactory(station=station, item=rows["checklist_item"], year=2026)
    rows["evidence"] = ChecklistEvidence.objects.create(
        congress=t.congress,
        status=rows["checklist_status"],
        file=ContentFile(b"%PDF-1.4\n%%EOF\n", name="evidence.pdf"),
        caption="照片",
    )
    rows["document"] = StationDocumentFactory(station=station)
    rows["station_deputy"] = StationDeputyFactory(station=station, deputy=deputy)
    rows["block"] = BlockFactory(station=station, supervising_deputy=deputy)
    rows["task"] = BlockTaskFactory(block=rows["block"], deputy=deputy)
    rows["reception"] = ReceptionDayFactory(station=station, deputies=[deputy], date=timezone.localdate())
    rows["visit"] = VisitFactory(station=station, deputy=deputy, reception_day=rows["reception"])
    rows["forum"] = ForumFactory(station=station, deputies=[deputy])


def _issues(o: Objects) -> None:
    t, p, rows = o.tenant, o.people, o.rows
    deputy = p.deputy.deputy
    rows["issue_rules"] = IssueRulesFactory(congress=t.congress)
    # Written to the deputy at the station, handled by the unit at tier 3.
    rows["issue"] = PublicIssueFactory(
        station=t.station,
        deputy=deputy,
        status="handling",
        tier=3,
        handling_unit=t.unit,
        due_on=timezone.localdate() + datetime.timedelta(days=10),
    )
    rows["issue_answer"] = IssueAnswerFactory(issue=rows["issue"])
    rows["issue_event"] = IssueEventFactory(issue=rows["issue"])
    rows["issue_photo"] = IssuePhotoFactory(issue=rows["issue"])
    rows["tracking_code"] = rows["issue"].tracking_code
    # A problem the deputy reported on the hotline, answered: the deputy rates it.
    rows["hotline_issue"] = PublicIssueFactory(
        station=None,
        congress=t.congress,
        channel="hotline",
        reported_by=deputy,
        status="answered",
        tier=1,
        category=t.subject_category,
    )


def _shared(users: dict[str, Any]) -> dict[str, Any]:
    """Rows no congress owns: the calendar, the heartbeat, accounts, schedules, sign-in records."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    interval = IntervalSchedule.objects.create(every=10, period=IntervalSchedule.MINUTES)
    return {
        "calendar_day": CalendarDayFactory(),
        "heartbeat": HeartbeatFactory(),
        "user": users["plain"],
        "group": Group.objects.get(name=Role.OFFICE),
        "token": Token.objects.create(user=users["plain"]),
        "interval": interval,
        "periodic_task": PeriodicTask.objects.create(name="matrix", task="congress.tasks.heartbeat", interval=interval),
        "clocked": ClockedSchedule.objects.create(clocked_time=timezone.now()),
        "crontab": CrontabSchedule.objects.create(minute="30", hour="6"),
        "solar": SolarSchedule.objects.create(event="sunrise", latitude=28.55, longitude=112.35),
        "access_attempt": AccessAttempt.objects.create(
            username="someone", ip_address="10.0.0.9", user_agent="matrix", failures_since_start=1
        ),
        "access_log": AccessLog.objects.create(username="someone", ip_address="10.0.0.9", user_agent="matrix"),
        "access_failure": AccessFailureLog.objects.create(
            username="someone", ip_address="10.0.0.9", user_agent="matrix", locked_out=False
        ),
        "reminder_dispatch": ReminderDispatch.objects.create(
            target_type="assignment", target_id=1, kind="matrix", due_on=datetime.date(2026, 6, 1)
        ),
    }


def build_everything() -> Everything:
    world = build_world()
    users = role_users(world)
    a_people = People(
        office=users["office"],
        committee=users["committee"],
        unit=users["unit"],
        station=users["station"],
        deputy=users["deputy"],
        peer=users["deputy_2"],
    )
    a = build_objects("甲", world.a, a_people)
    b = build_objects("乙", world.b, b_people(world, users))
    notifications = {
        role: Notification.objects.create(user=user, title=f"给{role}的通知")
        for role, user in users.items()
        if user is not None
    }
    return Everything(world=world, users=users, a=a, b=b, shared=_shared(users), notifications=notifications)
