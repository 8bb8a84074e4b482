"""Demo suggestions: the city congress's fifth session with suggestions in every state — drafts,
under review, returned, not accepted, pre-assigned, assigned (on track, signed, overdue), adjustment
and extension requests, replies waiting for a rating, closed ones, an unsatisfied one under
supervision, key topics. Built through the services, so every event is real. Runs once: skipped
when the session already has suggestions."""

from __future__ import annotations

import datetime
import random
from typing import Any

from django.contrib.auth import get_user_model

from congress.models import HandlingUnit, StaffProfile, SubjectCategory
from congress.roles import Role
from congress.services import user_assign_role
from deputies.duty import duty_snapshot
from deputies.models import Deputy
from deputies.services import deputy_create_account

from . import services
from .choices import AssignmentMode, ExclusionReason, Rating, ReviewDecision
from .models import KeySuggestionTopic, Suggestion

TITLES = {
    "education": [
        "关于加强农村学校寄宿条件建设的建议",
        "关于推进城区义务教育学位扩容的建议",
        "关于加强中小学心理健康教育的建议",
        "关于提高乡村教师待遇的建议",
    ],
    "health": ["关于推进县域医共体建设的建议", "关于加强基层卫生院人才队伍建设的建议", "关于支持中医药事业发展的建议"],
    "transport": ["关于优化城区公交线路的建议", "关于加快资阳至沅江快速通道建设的建议"],
    "environment": ["关于加强资江河道采砂管理的建议", "关于推进农村生活污水治理的建议"],
    "agriculture": ["关于扶持安化黑茶产业发展的建议", "关于加强高标准农田建设管护的建议"],
    "social-security": ["关于解决失地农民养老保险补差问题的建议", "关于完善城乡居民医保缴费政策的建议"],
    "urban": ["关于加快老旧小区改造的建议", "关于加强自建房安全整治的建议"],
    "safety": ["关于加强汛期地质灾害防治的建议"],
    "economy": ["关于支持中小微企业融资的建议"],
}
UNIT_FOR = {
    "education": "益阳市教育局",
    "health": "益阳市卫生健康委员会",
    "transport": "益阳市交通运输局",
    "environment": "益阳市生态环境局",
    "agriculture": "益阳市农业农村局",
    "social-security": "益阳市人力资源和社会保障局",
    "urban": "益阳市住房和城乡建设局",
    "safety": "益阳市应急管理局",
    "economy": "益阳市发展和改革委员会",
}
CO_UNIT = "益阳市财政局"
BODY = (
    "一、基本情况\n{title}所涉及的问题，在我所联系的选区群众中反映较多。\n"
    "二、存在的问题\n投入不足、统筹不够、政策落实不到位。\n"
    "三、具体建议\n1. 加大财政投入；2. 明确部门职责；3. 建立长效机制，定期向人大常委会报告。"
)
SESSION_DAY = datetime.date(2026, 1, 9)
REVIEW_DAY = datetime.date(2026, 1, 10)
ASSIGN_DAY = datetime.date(2026, 1, 20)


def seed(context: dict[str, Any]) -> None:
    city, session = context["city"], context["sessions"]["city"]
    if Suggestion.objects.filter(congress=city, session=session).exists():
        context["log"]("suggestions: already loaded")
        return
    rng = random.Random(20260109)
    services.rules_for(city)
    classes = {reply_class.code: reply_class for reply_class in services.reply_classes_ensure(congress=city)}
    office = get_user_model().objects.get(username="office")
    units = {unit.name: unit for unit in HandlingUnit.objects.filter(congress=city)}
    categories = {category.code: category for category in SubjectCategory.objects.filter(congress=city)}
    deputies = [d for d in Deputy.objects.in_congress(city.pk).filter(phone__isnull=False).order_by("pk")[:60]]
    demo_deputy = Deputy.objects.get(user__username="deputy")
    demo_deputy2 = Deputy.objects.get(user__username="deputy2")
    authors = [demo_deputy, demo_deputy2, *[d for d in deputies if d.pk not in (demo_deputy.pk, demo_deputy2.pk)]]

    topic, _created = KeySuggestionTopic.objects.get_or_create(
        congress=city,
        year=2026,
        title="推进义务教育优质均衡发展",
        defaults={"leader": "周建国", "committee": context["committees"]["education"]},
    )
    topic.lead_units.set([units["益阳市教育局"]])

    plan = [
        # (category, final state) — every state of the workflow appears
        ("education", "draft"),
        ("education", "replied_waiting"),
        ("education", "closed"),
        ("education", "unsatisfied"),
        ("health", "assigned_signed"),
        ("health", "overdue"),
        ("transport", "submitted"),
        ("transport", "returned"),
        ("environment", "rejected"),
        ("environment", "accepted"),
        ("agriculture", "pre_assigned"),
        ("agriculture", "closed"),
        ("social-security", "extension"),
        ("social-security", "closed_b"),
        ("urban", "adjustment"),
        ("urban", "overdue"),
        ("safety", "replied_waiting"),
        ("economy", "closed"),
        ("education", "overdue"),
        ("health", "closed"),
    ]
    made = []
    for index, (code, state) in enumerate(plan):
        author = authors[index % len(authors)]
        titles = TITLES[code]
        title = titles[index % len(titles)]
        made.append(
            _story(
                state=state,
                author=author,
                cosigner=authors[(index + 3) % len(authors)],
                title=title,
                category=categories[code],
                unit=units[UNIT_FOR[code]],
                co_unit=units[CO_UNIT],
                session=session,
                office=office,
                classes=classes,
                rng=rng,
            )
        )
    for suggestion in made[:4]:
        Suggestion.objects.filter(pk=suggestion.pk).update(is_key=True, key_topic=topic)
    context["log"](f"suggestions: {len(made)} in session {session}")
    ranked = duty_snapshot(congress_id=city.pk, year=session.start_date.year)
    context["log"](f"duty record: {ranked} deputies ranked for {session.start_date.year}")


def _deputy_user(deputy: Deputy) -> Any:
    if deputy.user_id:
        return deputy.user
    return deputy_create_account(deputy=deputy) or Deputy.objects.get(pk=deputy.pk).user


def _unit_user(unit: HandlingUnit) -> Any:
    """The demo `unit` account works for 市教育局; other units get a liaison account without a password."""
    existing = StaffProfile.objects.filter(handling_unit=unit).select_related("user").first()
    if existing:
        return existing.user
    user = get_user_model().objects.create(
        username=f"unit{unit.pk}", first_name=f"{unit.short_name or unit.name}联络员"
    )
    user.set_unusable_password()
    user.save()
    return user_assign_role(user=user, role=Role.UNIT, congress=unit.congress, unit=unit)


def _story(
    *,
    state: str,
    author: Deputy,
    cosigner: Deputy,
    title: str,
    category: SubjectCategory,
    unit: HandlingUnit,
    co_unit: HandlingUnit,
    session: Any,
    office: Any,
    classes: dict[str, Any],
    rng: random.Random,
) -> Suggestion:
    author_user = _deputy_user(author)
    cosigner_user = _deputy_user(cosigner)
    suggestion = services.suggestion_create(
        actor=author_user,
        deputy=author,
        session=session,
        title=title,
        body=BODY.format(title=title),
        category=category,
        cosigners=[cosigner] if cosigner.pk != author.pk else [],
    )
    if cosigner.pk != author.pk:
        services.cosigner_respond(suggestion=suggestion, actor=cosigner_user, accept=True)
    if state == "draft":
        return suggestion
    services.suggestion_submit(suggestion=suggestion, actor=author_user, on=SESSION_DAY)
    if state == "submitted":
        return suggestion
    if state == "returned":
        services.suggestion_review(
            suggestion=suggestion, actor=office, decision=ReviewDecision.RETURN, reason="请补充具体情况和可操作的建议。"
        )
        return suggestion
    if state == "rejected":
        services.suggestion_review(
            suggestion=suggestion,
            actor=office,
            decision=ReviewDecision.REJECT,
            exclusion_reason=ExclusionReason.PERSONAL,
            reason="反映的是个人事项，已转有关部门作来信处理。",
        )
        return suggestion
    services.suggestion_review(suggestion=suggestion, actor=office, decision=ReviewDecision.ACCEPT)
    if state == "accepted":
        return suggestion
    services.suggestion_pre_assign(suggestion=suggestion, actor=office, lead_units=[unit], co_units=[co_unit])
    if state == "pre_assigned":
        return suggestion
    # Most were assigned after the session; the overdue ones too, the active ones later in the year.
    active = state in {"assigned_signed", "extension", "adjustment", "replied_waiting", "unsatisfied"}
    day = datetime.date(2026, 9, 15) if active else ASSIGN_DAY
    services.suggestion_assign(
        suggestion=suggestion, actor=office, lead_units=[unit], co_units=[co_unit], mode=AssignmentMode.LEAD, on=day
    )
    lead = suggestion.assignments.live().get(unit=unit)
    co = suggestion.assignments.live().get(unit=co_unit)
    unit_user, co_user = _unit_user(unit), _unit_user(co_unit)
    if state == "adjustment":
        services.adjustment_request_create(
            assignment=lead,
            actor=unit_user,
            reason="该事项属住房公积金管理中心职责。",
            suggested_unit=HandlingUnit.objects.get(congress=unit.congress, name="益阳市住房公积金管理中心"),
            on=day + datetime.timedelta(days=2),
        )
        return suggestion
    services.assignment_sign(assignment=lead, actor=unit_user)
    if state == "overdue":
        return suggestion
    services.assignment_sign(assignment=co, actor=co_user)
    services.co_opinion_send(assignment=co, actor=co_user, text="同意主办单位意见，资金按程序统筹安排。")
    if state == "assigned_signed":
        return suggestion
    if state == "extension":
        services.extension_request_create(
            assignment=lead,
            actor=unit_user,
            reason="涉及多个部门协调，需要更多时间调研论证。",
            requested_due_on=lead.due_on + datetime.timedelta(days=45),
        )
        return suggestion
    services.communication_record(
        assignment=lead,
        actor=unit_user,
        way="meeting",
        date=day + datetime.timedelta(days=20),
        summary="当面听取代表意见。",
    )
    code = {"closed_b": "B", "unsatisfied": "B"}.get(state, rng.choice("AAB"))
    reply = services.reply_submit(
        assignment=lead,
        actor=unit_user,
        reply_class=classes[code],
        text=f"关于《{title}》的答复：经认真研究，已采取措施……",
        document_number=f"益{unit.short_name or '政'}函〔2026〕{rng.randint(10, 99)}号",
        signer="局长",
        on=datetime.date(2026, 11, 16) if active else datetime.date(2026, 4, 10),
    )
    if state == "replied_waiting":
        return suggestion
    if state == "unsatisfied":
        services.evaluation_submit(
            reply=reply,
            actor=author_user,
            attitude=Rating.BASICALLY_SATISFIED,
            result=Rating.UNSATISFIED,
            comment="问题没有实质解决。",
            on=datetime.date(2026, 11, 20),
        )
        return suggestion
    services.evaluation_submit(
        reply=reply,
        actor=author_user,
        attitude=Rating.SATISFIED,
        result=rng.choice([Rating.SATISFIED, Rating.BASICALLY_SATISFIED]),
    )
    if reply.reply_class.counts_as_solved or state == "closed_b":
        services.reply_publish(reply=reply, actor=office)
    return suggestion
