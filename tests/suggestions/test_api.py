"""The suggestion workflow's REST API: the whole story through it, who may call what (anonymous 401,
wrong role 403, out of scope 404), refused moves (409, nothing written), bad input (400 by field)
and query budgets (the same with 2 and with 20 rows)."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.apps import apps
from django.utils import translation

from congress.models import Notification
from congress.roles import Role
from congress.services import calendar_load_official, notify, user_assign_role
from suggestions import services
from suggestions.choices import AssignmentMode, CosignerStatus, EventAction, Rating, SuggestionStatus
from suggestions.models import Assignment, Cosigner, Reply, Suggestion, SuggestionEvent
from tests.congress.factories import SessionFactory, SubjectCategoryFactory, UserFactory
from tests.queries import assert_same_query_count

pytestmark = pytest.mark.django_db

API = "/api/v1"
ASSIGNED_ON = datetime.date(2026, 3, 2)  # a Monday, long before today: its window and due dates have passed


def post(client: Any, path: str, data: dict[str, Any] | None = None) -> Any:
    return client.post(f"{API}/{path}", data or {}, content_type="application/json")


def get(client: Any, path: str, params: dict[str, Any] | None = None) -> Any:
    return client.get(f"{API}/{path}", params or {})


def results(response: Any) -> list[dict[str, Any]]:
    assert response.status_code == 200, response.content
    return response.json()["results"]


def ids(response: Any) -> set[int]:
    return {row["id"] for row in results(response)}


def in_chinese(label: Any) -> str:
    """A label as the API renders it: in the product's default language."""
    with translation.override("zh-hans"):
        return str(label)


def snapshot() -> dict[str, list[dict[str, Any]]]:
    """Every row of the suggestion app (through tables included) and every notification."""
    models = [*apps.get_app_config("suggestions").get_models(include_auto_created=True), Notification]
    return {model._meta.label: list(model._default_manager.order_by("pk").values()) for model in models}


def reload(obj: Any) -> Any:
    return type(obj)._default_manager.get(pk=obj.pk)


# --- driving suggestions of congress A through the services ----------------------------------------


class Story:
    """Suggestions of congress A's deputy, taken through the services to the state a test needs."""

    def __init__(
        self,
        *,
        world: Any,
        deputy_user: Any,
        cosigner_user: Any,
        office_user: Any,
        unit_user: Any,
        co_unit: Any,
        co_unit_user: Any,
        reply_classes: dict[str, Any],
    ) -> None:
        self.a = world.a
        self.deputy_user = deputy_user
        self.cosigner_user = cosigner_user
        self.office_user = office_user
        self.unit_user = unit_user
        self.co_unit = co_unit
        self.co_unit_user = co_unit_user
        self.reply_classes = reply_classes
        self.count = 0

    def draft(self, *, invite: bool = False, confirm: bool = False) -> Suggestion:
        self.count += 1
        suggestion = services.suggestion_create(
            actor=self.deputy_user,
            deputy=self.deputy_user.deputy,
            session=self.a.session,
            title=f"关于改善农村学校寄宿条件的建议（{self.count}）",
            body="建议加大投入……",
            category=self.a.subject_category,
            cosigners=[self.cosigner_user.deputy] if invite or confirm else [],
        )
        if confirm:
            services.cosigner_respond(suggestion=suggestion, actor=self.cosigner_user, accept=True)
        return suggestion

    def submitted(self, **options: Any) -> Suggestion:
        return services.suggestion_submit(suggestion=self.draft(**options), actor=self.deputy_user)

    def accepted(self, **options: Any) -> Suggestion:
        suggestion = self.submitted(**options)
        return services.suggestion_review(suggestion=suggestion, actor=self.office_user, decision="accept")

    def assigned(self, *, on: datetime.date | None = None, co: bool = True, **options: Any) -> Suggestion:
        """Assigned to the lead unit (and the co unit); today unless `on` says otherwise."""
        return services.suggestion_assign(
            suggestion=self.accepted(**options),
            actor=self.office_user,
            lead_units=[self.a.unit],
            co_units=[self.co_unit] if co else [],
            on=on,
        )

    def replied(self, **options: Any) -> tuple[Suggestion, Reply]:
        suggestion = self.assigned(**options)
        reply = self.reply(self.lead(suggestion))
        return reload(suggestion), reply

    def reply(self, assignment: Assignment, *, code: str = "B", actor: Any = None) -> Reply:
        return services.reply_submit(
            assignment=assignment,
            actor=actor or self.unit_user,
            reply_class=self.reply_classes[code],
            text="已列入明年计划，逐步解决。",
            document_number=f"甲自然资函〔2026〕{assignment.pk}号",
            signer="张局长",
        )

    def lead(self, suggestion: Suggestion) -> Assignment:
        return Assignment.objects.live().get(suggestion=suggestion, unit=self.a.unit)

    def co(self, suggestion: Suggestion) -> Assignment:
        return Assignment.objects.live().get(suggestion=suggestion, unit=self.co_unit)


@pytest.fixture
def story(world, deputy_user, cosigner_user, office_user, unit_user, co_unit, co_unit_user, reply_classes) -> Story:
    return Story(
        world=world,
        deputy_user=deputy_user,
        cosigner_user=cosigner_user,
        office_user=office_user,
        unit_user=unit_user,
        co_unit=co_unit,
        co_unit_user=co_unit_user,
        reply_classes=reply_classes,
    )


@pytest.fixture
def child_unit_user(world: Any) -> Any:
    """Staff of congress A's second unit, the other unit in split mode."""
    user = UserFactory(username="child-unit")
    return user_assign_role(user=user, role=Role.UNIT, congress=world.a.congress, unit=world.a.child_unit)


# --- the whole story through the API ------------------------------------------------------------------


STORY_MOVES = [
    "create",
    "invite",
    "cosign",
    "submit",
    "accept",
    "pre_assign",
    "assign",
    "sign",
    "opinion",
    "reply",
    "evaluate",
    "rehandle",
    "supervise",
    "close",
]


def test_full_story_from_draft_to_closed_after_rehandling(
    client,
    django_capture_on_commit_callbacks,
    world,
    deputy_user,
    cosigner_user,
    office_user,
    committee_user,
    unit_user,
    co_unit,
    co_unit_user,
    reply_classes,
):
    calendar_load_official()
    a = world.a

    # given a draft with a co-signer, written through the API
    client.force_login(deputy_user)
    created = post(
        client,
        "suggestions/",
        {
            "title": "关于加强农村学校寄宿条件建设的建议",
            "body": "建议……",
            "category": a.subject_category.pk,
            "cosigners": [cosigner_user.deputy.pk],
        },
    )
    assert created.status_code == 201, created.content
    draft = created.json()
    pk = draft["id"]
    assert draft["status"] == SuggestionStatus.DRAFT
    assert draft["session"] == a.session.pk  # the latest session of the deputy's congress
    assert draft["number"] is None
    assert draft["cosigners"] == [
        {
            "deputy": cosigner_user.deputy.pk,
            "deputy_name": "附议代表",
            "status": "invited",
            "status_label": in_chinese(CosignerStatus.INVITED.label),
            "responded_at": None,
        }
    ]

    # when the co-signer accepts, the deputy submits and the office accepts, pre-assigns and assigns
    client.force_login(cosigner_user)
    assert post(client, f"suggestions/{pk}/cosign/", {"accept": True}).status_code == 200
    client.force_login(deputy_user)
    submitted = post(client, f"suggestions/{pk}/submit/")
    client.force_login(office_user)
    accepted = post(client, f"suggestions/{pk}/review/", {"decision": "accept"})
    units = {"lead_units": [a.unit.pk], "co_units": [co_unit.pk], "mode": "lead"}
    pre_assigned = post(client, f"suggestions/{pk}/pre-assign/", units)
    assigned = post(client, f"suggestions/{pk}/assign/", units)

    # then each move answers with the new status, and the suggestion got its number
    assert submitted.json()["status"] == SuggestionStatus.SUBMITTED
    assert submitted.json()["number"] == 1
    assert accepted.json()["status"] == SuggestionStatus.ACCEPTED
    assert pre_assigned.json()["status"] == SuggestionStatus.PRE_ASSIGNED
    assert assigned.json()["status"] == SuggestionStatus.ASSIGNED

    # when the lead unit signs, the co unit sends its opinion and the lead unit replies B
    client.force_login(unit_user)
    [lead] = results(get(client, "assignments/"))
    client.force_login(co_unit_user)
    [co] = results(get(client, "assignments/"))
    assert (lead["role"], lead["unit"], lead["suggestion"]) == ("lead", a.unit.pk, pk)
    assert (co["role"], co["unit"]) == ("co", co_unit.pk)
    opinion = post(client, f"assignments/{co['id']}/opinion/", {"text": "同意主办单位意见"})
    client.force_login(unit_user)
    signed = post(client, f"assignments/{lead['id']}/sign/")
    first_reply = post(
        client,
        f"assignments/{lead['id']}/reply/",
        {"reply_class": "B", "text": "已列入明年计划", "document_number": "甲自然资函〔2026〕12号", "signer": "张局长"},
    )

    # then the unit's moves are recorded and the suggestion waits for the deputy's rating
    assert opinion.status_code == 201
    assert signed.json()["status"] == "signed"
    assert first_reply.status_code == 201, first_reply.content
    assert first_reply.json()["reply_class"] == "B"
    assert first_reply.json()["round"] == 1

    # when the deputy rates the result unsatisfied (notifications go out after the commit)
    client.force_login(deputy_user)
    with django_capture_on_commit_callbacks(execute=True):
        rated = post(client, f"suggestions/{pk}/evaluate/", {"attitude": "satisfied", "result": "unsatisfied"})

    # then the detail shows round 2 for the lead unit and a supervision case of the counterpart committee
    assert rated.json()["status"] == SuggestionStatus.ASSIGNED
    detail = get(client, f"suggestions/{pk}/").json()
    [case] = detail["supervision_cases"]
    assert (case["committee"], case["trigger"], case["status"]) == (a.committee.pk, "unsatisfied", "open")
    lead_detail = next(row for row in detail["assignments"] if row["role"] == "lead")
    assert [r["number"] for r in lead_detail["rounds"]] == [1, 2]
    round_1, round_2 = lead_detail["rounds"]
    assert round_1["replies"][0]["reply_class"] == "B"
    assert round_1["replies"][0]["evaluation"]["result"] == "unsatisfied"
    assert (round_2["reason"], round_2["replies"]) == ("rehandling", [])
    assert lead_detail["due_on"] == round_2["due_on"] == case["due_on"]
    assert [r["number"] for r in detail["rounds"]] == [1, 2]

    # and the committee finds it among its unread notifications
    client.force_login(committee_user)
    notifications = get(client, "notifications/").json()
    assert notifications["unread_count"] >= 1
    assert any(detail["title"] in row["body"] or detail["title"] in row["title"] for row in notifications["results"])

    # when the unit replies again (class given by id) and the deputy is satisfied
    client.force_login(unit_user)
    second_reply = post(
        client,
        f"assignments/{lead['id']}/reply/",
        {
            "reply_class": reply_classes["A"].pk,
            "text": "已解决",
            "document_number": "甲自然资函〔2026〕30号",
            "signer": "张局长",
        },
    )
    client.force_login(deputy_user)
    closed = post(client, f"suggestions/{pk}/evaluate/", {"attitude": "satisfied", "result": "satisfied"})

    # then the suggestion is closed and the timeline tells every move, with who and which unit
    assert second_reply.json()["round"] == 2
    assert second_reply.json()["reply_class"] == "A"
    assert closed.json()["status"] == SuggestionStatus.CLOSED
    detail = get(client, f"suggestions/{pk}/").json()
    assert detail["status"] == SuggestionStatus.CLOSED
    timeline = detail["timeline"]
    moves = [event["action"] for event in timeline]
    for expected in STORY_MOVES:
        assert expected in moves
    signing = next(event for event in timeline if event["action"] == "sign")
    assert (signing["actor_name"], signing["unit_name"]) == (unit_user.get_full_name(), a.unit.name)
    assert (signing["from_status"], signing["to_status"], signing["action_label"]) == (
        "assigned",
        "signed",
        in_chinese(EventAction.SIGN.label),
    )
    assert timeline[-1]["action"] == "close"


# --- who may call what --------------------------------------------------------------------------------


SUGGESTION_MOVES = ["submit", "cosign", "review", "pre-assign", "assign", "evaluate", "withdraw"]
ASSIGNMENT_MOVES = ["sign", "request-adjustment", "request-extension", "opinion", "reply"]
ENDPOINTS = [
    ("get", "categories/"),
    ("get", "suggestions/"),
    ("post", "suggestions/"),
    ("get", "suggestions/1/"),
    *[("post", f"suggestions/1/{move}/") for move in SUGGESTION_MOVES],
    ("get", "assignments/"),
    ("get", "assignments/1/"),
    *[("post", f"assignments/1/{move}/") for move in ASSIGNMENT_MOVES],
    ("get", "supervision-cases/"),
    ("get", "notifications/"),
    ("post", "notifications/1/read/"),
]


@pytest.mark.parametrize(("method", "path"), ENDPOINTS, ids=[f"{m} {p}" for m, p in ENDPOINTS])
def test_anonymous_callers_are_unauthorised(client, db, method, path):
    # when an endpoint is called without credentials
    response = getattr(client, method)(f"{API}/{path}", {}, content_type="application/json")

    # then the answer is 401 (token auth comes first and asks for a token)
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "Token"


@dataclass(frozen=True)
class Move:
    """An action: the state it starts from, its path, and who is in scope, of the wrong role or outside."""

    state: str
    path: str
    allowed: str
    wrong_role: str
    outside: str
    payload: Callable[[dict[str, Any]], dict[str, Any]] = field(default=lambda objects: {})
    success: int = 200
    # what the move changes: the status of "suggestion", "lead", "co", "cosigner" or of the row "answered"
    changes: tuple[str, str] = ("suggestion", "")


def units_payload(objects: dict[str, Any]) -> dict[str, Any]:
    return {"lead_units": [objects["world"].a.unit.pk], "co_units": [objects["co_unit"].pk]}


def reply_payload(objects: dict[str, Any]) -> dict[str, Any]:
    return {"reply_class": "A", "text": "已解决", "document_number": "甲函〔2026〕1号", "signer": "张局长"}


MOVES = {
    "submit": Move(
        "draft",
        "suggestions/{suggestion}/submit/",
        "deputy_user",
        "cosigner_user",
        "other_deputy_user",
        changes=("suggestion", "submitted"),
    ),
    "cosign": Move(
        "invited",
        "suggestions/{suggestion}/cosign/",
        "cosigner_user",
        "deputy_user",
        "other_deputy_user",
        payload=lambda objects: {"accept": True},
        changes=("cosigner", "confirmed"),
    ),
    "withdraw": Move(
        "draft",
        "suggestions/{suggestion}/withdraw/",
        "deputy_user",
        "cosigner_user",
        "other_deputy_user",
        changes=("suggestion", "withdrawn"),
    ),
    "review": Move(
        "submitted",
        "suggestions/{suggestion}/review/",
        "office_user",
        "deputy_user",
        "office_user_b",
        payload=lambda objects: {"decision": "accept"},
        changes=("suggestion", "accepted"),
    ),
    "pre-assign": Move(
        "accepted",
        "suggestions/{suggestion}/pre-assign/",
        "office_user",
        "deputy_user",
        "office_user_b",
        payload=units_payload,
        changes=("suggestion", "pre_assigned"),
    ),
    "assign": Move(
        "accepted",
        "suggestions/{suggestion}/assign/",
        "office_user",
        "committee_user",
        "office_user_b",
        payload=units_payload,
        changes=("suggestion", "assigned"),
    ),
    "evaluate": Move(
        "replied",
        "suggestions/{suggestion}/evaluate/",
        "deputy_user",
        "office_user",
        "other_deputy_user",
        payload=lambda objects: {"attitude": "satisfied", "result": "satisfied"},
        changes=("suggestion", "closed"),
    ),
    "sign": Move(
        "assigned", "assignments/{lead}/sign/", "unit_user", "office_user", "co_unit_user", changes=("lead", "signed")
    ),
    "request-adjustment": Move(
        "assigned",
        "assignments/{lead}/request-adjustment/",
        "unit_user",
        "office_user",
        "co_unit_user",
        payload=lambda objects: {"reason": "不属于本单位职责"},
        success=201,
        changes=("lead", "adjustment_requested"),
    ),
    "request-extension": Move(
        "assigned",
        "assignments/{lead}/request-extension/",
        "unit_user",
        "office_user",
        "office_user_b",
        payload=lambda objects: {
            "reason": "需要调研",
            "requested_due_on": str(objects["lead"].due_on + datetime.timedelta(days=7)),
        },
        success=201,
        changes=("answered", "pending"),
    ),
    "opinion": Move(
        "assigned",
        "assignments/{co}/opinion/",
        "co_unit_user",
        "office_user",
        "unit_user",
        payload=lambda objects: {"text": "同意"},
        success=201,
        changes=("co", "opinion_sent"),
    ),
    "reply": Move(
        "assigned",
        "assignments/{lead}/reply/",
        "unit_user",
        "office_user",
        "co_unit_user",
        payload=reply_payload,
        success=201,
        changes=("lead", "replied"),
    ),
}


def prepare(story: Story, world: Any, co_unit: Any, state: str) -> dict[str, Any]:
    """A suggestion in the state, and the objects a move's path and payload name."""
    if state == "replied":
        suggestion, _reply = story.replied()
    else:
        suggestion = {
            "draft": lambda: story.draft(confirm=True),
            "invited": lambda: story.draft(invite=True),
            "submitted": story.submitted,
            "accepted": story.accepted,
            "assigned": story.assigned,
        }[state]()
    objects: dict[str, Any] = {"world": world, "co_unit": co_unit, "suggestion": suggestion.pk}
    if state in {"assigned", "replied"}:
        objects.update(lead=story.lead(suggestion), co=story.co(suggestion))
    return objects


def call(client: Any, move: Move, objects: dict[str, Any]) -> Any:
    path = move.path.format(**{key: getattr(value, "pk", value) for key, value in objects.items()})
    return post(client, path, move.payload(objects))


@pytest.mark.parametrize("name", list(MOVES))
def test_a_move_in_scope_succeeds(client, request, story, world, co_unit, name):
    # given the state the move starts from
    move = MOVES[name]
    objects = prepare(story, world, co_unit, move.state)
    events = SuggestionEvent.objects.count()

    # when the person whose move it is calls it
    client.force_login(request.getfixturevalue(move.allowed))
    response = call(client, move, objects)

    # then it succeeds, the item moved as the workflow says, and the move is on the timeline
    assert response.status_code == move.success, response.content
    assert status_after(move, objects, response) == move.changes[1]
    assert SuggestionEvent.objects.count() > events


def status_after(move: Move, objects: dict[str, Any], response: Any) -> str:
    which = move.changes[0]
    if which == "answered":
        return response.json()["status"]
    if which == "cosigner":
        return Cosigner.objects.get(suggestion_id=objects["suggestion"]).status
    if which == "suggestion":
        return Suggestion.objects.get(pk=objects["suggestion"]).status
    return reload(objects[which]).status


@pytest.mark.parametrize("name", list(MOVES))
def test_a_move_by_the_wrong_role_is_forbidden(client, request, story, world, co_unit, name):
    # given the state the move starts from, and someone who sees the item but may not make the move
    move = MOVES[name]
    objects = prepare(story, world, co_unit, move.state)
    before = snapshot()

    # when they call it
    client.force_login(request.getfixturevalue(move.wrong_role))
    response = call(client, move, objects)

    # then the answer is 403 with a reason, and nothing is written
    assert response.status_code == 403, response.content
    assert response.json()["detail"]
    assert snapshot() == before


@pytest.mark.parametrize("name", list(MOVES))
def test_a_move_outside_scope_is_not_found(client, request, story, world, co_unit, name):
    # given the state the move starts from, and someone who does not see the item
    move = MOVES[name]
    objects = prepare(story, world, co_unit, move.state)
    before = snapshot()

    # when they call it
    client.force_login(request.getfixturevalue(move.outside))
    response = call(client, move, objects)

    # then the answer is 404, as for a missing id, and nothing is written
    assert response.status_code == 404, response.content
    assert snapshot() == before


def test_a_move_on_a_missing_id_is_not_found(client, story, office_user):
    # given office staff
    client.force_login(office_user)

    # when they move ids that do not exist (or are not ids)
    responses = [
        post(client, "suggestions/999999/review/", {"decision": "accept"}),
        post(client, "suggestions/abc/review/", {"decision": "accept"}),
        post(client, "assignments/999999/sign/"),
        get(client, "suggestions/abc/"),
    ]

    # then each is not found
    assert [response.status_code for response in responses] == [404, 404, 404, 404]


def test_only_deputies_draft_suggestions(client, world, office_user):
    # given office staff
    client.force_login(office_user)

    # when they try to draft a suggestion
    response = post(client, "suggestions/", {"title": "标题", "body": "正文", "category": world.a.subject_category.pk})

    # then it is forbidden and nothing is written
    assert response.status_code == 403
    assert response.json()["detail"]
    assert not Suggestion.objects.exists()


def test_a_deputy_drafts_only_in_a_congress_where_they_serve(client, world, other_deputy_user):
    # given a deputy of congress B
    client.force_login(other_deputy_user)

    # when they draft with a category of congress A
    response = post(client, "suggestions/", {"title": "标题", "body": "正文", "category": world.a.subject_category.pk})

    # then A's category is unknown to them
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"category"}
    assert not Suggestion.objects.exists()


def test_the_default_session_is_the_latest_of_the_categorys_congress(client, world, deputy_user):
    # given congress A with a later session than the one of the fixtures
    later = SessionFactory(term=world.a.term, start_date=datetime.date(2027, 1, 7), end_date=datetime.date(2027, 1, 10))
    client.force_login(deputy_user)
    data = {"title": "标题", "body": "正文", "category": world.a.subject_category.pk}

    # when the deputy drafts without a session, and with the earlier one named
    default = post(client, "suggestions/", data)
    named = post(client, "suggestions/", {**data, "session": world.a.session.pk, "confidentiality": "confidential"})

    # then the first goes to the latest session, the second to the one named, with its options
    assert default.json()["session"] == later.pk
    assert named.json()["session"] == world.a.session.pk
    assert named.json()["confidentiality"] == "confidential"


def test_the_suggestion_list_is_scoped(client, story, deputy_user, office_user, office_user_b, unit_user):
    # given a draft, a submitted and an assigned suggestion of congress A
    draft = story.draft()
    submitted = story.submitted()
    assigned = story.assigned(co=False)

    # when the deputy, the office of A, its unit and the office of B list suggestions
    seen = {}
    for name, user in [("deputy", deputy_user), ("office", office_user), ("unit", unit_user), ("b", office_user_b)]:
        client.force_login(user)
        seen[name] = ids(get(client, "suggestions/"))

    # then the deputy sees all three, the office those submitted, the unit its own, B nothing
    assert seen["deputy"] == {draft.pk, submitted.pk, assigned.pk}
    assert seen["office"] == {submitted.pk, assigned.pk}
    assert seen["unit"] == {assigned.pk}
    assert seen["b"] == set()


def test_the_suggestion_list_filters_by_status_category_and_title(client, story, world, deputy_user):
    # given two drafts and a submitted suggestion, one draft in another category
    other_category = SubjectCategoryFactory(congress=world.a.congress, counterpart_committee=world.a.committee)
    first = story.draft()
    second = story.draft()
    Suggestion.objects.filter(pk=second.pk).update(category=other_category, title="关于城市停车难的建议")
    submitted = story.submitted()
    client.force_login(deputy_user)

    # when the deputy filters
    by_status = ids(get(client, "suggestions/", {"status": "submitted"}))
    by_category = ids(get(client, "suggestions/", {"category": other_category.pk}))
    by_title = ids(get(client, "suggestions/", {"search": "停车"}))

    # then each filter keeps what it names
    assert by_status == {submitted.pk}
    assert by_category == {second.pk}
    assert by_title == {second.pk}
    assert first.pk not in by_status | by_category | by_title


def test_the_detail_answers_in_scope_and_not_outside(
    client, story, deputy_user, cosigner_user, office_user, other_deputy_user, office_user_b
):
    # given a draft with a confirmed co-signer
    suggestion = story.draft(confirm=True)

    # when the lead deputy, the co-signer, the office (drafts stay the deputy's) and people of B read it
    answers = {}
    for name, user in [
        ("lead", deputy_user),
        ("cosigner", cosigner_user),
        ("office", office_user),
        ("other deputy", other_deputy_user),
        ("office b", office_user_b),
    ]:
        client.force_login(user)
        answers[name] = get(client, f"suggestions/{suggestion.pk}/").status_code

    # then the deputies of the suggestion read it; everyone else gets 404
    assert answers == {"lead": 200, "cosigner": 200, "office": 404, "other deputy": 404, "office b": 404}


def test_categories_are_those_of_the_users_congress(client, world, deputy_user, office_user_b):
    # given a deputy of congress A and office staff of congress B
    client.force_login(deputy_user)
    mine = results(get(client, "categories/"))
    client.force_login(office_user_b)
    theirs = ids(get(client, "categories/"))

    # then each sees their own congress's categories, with the counterpart committee
    assert mine == [
        {
            "id": world.a.subject_category.pk,
            "congress": world.a.congress.pk,
            "name": world.a.subject_category.name,
            "code": world.a.subject_category.code,
            "counterpart_committee": world.a.committee.pk,
            "counterpart_committee_name": world.a.committee.name,
            "is_active": True,
        }
    ]
    assert theirs == {world.b.subject_category.pk}


def test_assignments_are_scoped_by_unit_and_congress(
    client, story, office_user, office_user_b, unit_user, co_unit_user, committee_user
):
    # given an assigned suggestion with a lead and a co unit
    suggestion = story.assigned()
    lead, co = story.lead(suggestion), story.co(suggestion)

    # when each lists assignments
    seen = {}
    for name, user in [
        ("unit", unit_user),
        ("co unit", co_unit_user),
        ("office", office_user),
        ("committee", committee_user),
        ("office b", office_user_b),
    ]:
        client.force_login(user)
        seen[name] = ids(get(client, "assignments/"))

    # then a unit sees its own; the office and the counterpart committee both; B nothing
    assert seen == {
        "unit": {lead.pk},
        "co unit": {co.pk},
        "office": {lead.pk, co.pk},
        "committee": {lead.pk, co.pk},
        "office b": set(),
    }


def test_assignments_filter_by_status_and_overdue(client, story, unit_user):
    # given an item assigned long ago (past due) and one assigned today, which the unit signs for
    late = story.lead(story.assigned(on=ASSIGNED_ON, co=False))
    fresh = story.lead(story.assigned(co=False))
    services.assignment_sign(assignment=fresh, actor=unit_user)
    client.force_login(unit_user)

    # when the unit filters its list
    overdue = results(get(client, "assignments/", {"overdue": "true"}))
    not_overdue = ids(get(client, "assignments/", {"overdue": "false"}))
    signed = ids(get(client, "assignments/", {"status": "signed"}))

    # then the late item is overdue (and says so), the fresh one is not, and the status filter works
    assert [row["id"] for row in overdue] == [late.pk]
    assert overdue[0]["is_overdue"] is True
    assert overdue[0]["days_left"] < 0
    assert not_overdue == {fresh.pk}
    assert signed == {fresh.pk}


def test_supervision_cases_are_scoped(
    client, story, deputy_user, committee_user, office_user_b, other_deputy_user, unit_user
):
    # given a reply rated unsatisfied, which opened a case for the counterpart committee
    suggestion, reply = story.replied(co=False)
    services.evaluation_submit(reply=reply, actor=deputy_user, attitude=Rating.SATISFIED, result=Rating.UNSATISFIED)

    # when the committee, the deputy, the unit and people of B list cases
    seen = {}
    for name, user in [
        ("committee", committee_user),
        ("deputy", deputy_user),
        ("unit", unit_user),
        ("office b", office_user_b),
        ("other deputy", other_deputy_user),
    ]:
        client.force_login(user)
        seen[name] = results(get(client, "supervision-cases/"))

    # then the people of the suggestion see the case; B sees nothing
    [case] = seen["committee"]
    assert (case["suggestion"], case["trigger"], case["unit_name"]) == (suggestion.pk, "unsatisfied", story.a.unit.name)
    assert [row["id"] for row in seen["deputy"]] == [row["id"] for row in seen["unit"]] == [case["id"]]
    assert seen["office b"] == seen["other deputy"] == []


def test_notifications_are_the_users_own_and_can_be_marked_read(client, deputy_user, office_user):
    # given two notifications for the deputy and one for the office
    older, newer = notify(users=[deputy_user], title="旧消息")[0], notify(users=[deputy_user], title="新消息")[0]
    [theirs] = notify(users=[office_user], title="别人的消息")
    client.force_login(deputy_user)

    # when the deputy lists them, marks the older one read (twice), and tries the office's
    listed = get(client, "notifications/").json()
    marked = post(client, f"notifications/{older.pk}/read/")
    first_read_at = reload(older).read_at
    post(client, f"notifications/{older.pk}/read/")
    foreign = post(client, f"notifications/{theirs.pk}/read/")
    after = get(client, "notifications/").json()
    unread_only = ids(get(client, "notifications/", {"unread": "true"}))

    # then only their own, newest first, with the unread count going down once
    assert [row["id"] for row in listed["results"]] == [newer.pk, older.pk]
    assert listed["unread_count"] == 2
    assert marked.status_code == 200
    assert marked.json()["is_read"] is True
    assert reload(older).read_at == first_read_at
    assert foreign.status_code == 404
    assert reload(theirs).read_at is None
    assert after["unread_count"] == 1
    assert unread_only == {newer.pk}


# --- forbidden moves: 409 with a message, nothing written ----------------------------------------------


@dataclass(frozen=True)
class Refusal:
    state: str
    user: str
    path: str
    payload: Callable[[dict[str, Any]], dict[str, Any]] = field(default=lambda objects: {})


REFUSALS = {
    "submit before every co-signer answered": Refusal("invited", "deputy_user", "suggestions/{suggestion}/submit/"),
    "submit twice": Refusal("submitted", "deputy_user", "suggestions/{suggestion}/submit/"),
    "co-sign after submission": Refusal(
        "submitted-cosigned", "cosigner_user", "suggestions/{suggestion}/cosign/", lambda objects: {"accept": False}
    ),
    "co-sign twice": Refusal(
        "draft", "cosigner_user", "suggestions/{suggestion}/cosign/", lambda objects: {"accept": True}
    ),
    "withdraw after acceptance": Refusal("accepted", "deputy_user", "suggestions/{suggestion}/withdraw/"),
    "review twice": Refusal(
        "accepted",
        "office_user",
        "suggestions/{suggestion}/review/",
        lambda objects: {"decision": "reject", "exclusion_reason": "personal"},
    ),
    "assign before acceptance": Refusal("submitted", "office_user", "suggestions/{suggestion}/assign/", units_payload),
    "pre-assign after assignment": Refusal(
        "assigned", "office_user", "suggestions/{suggestion}/pre-assign/", units_payload
    ),
    "evaluate before any reply": Refusal(
        "assigned",
        "deputy_user",
        "suggestions/{suggestion}/evaluate/",
        lambda objects: {"attitude": "satisfied", "result": "satisfied"},
    ),
    "evaluate a reply already rated": Refusal(
        "closed",
        "deputy_user",
        "suggestions/{suggestion}/evaluate/",
        lambda objects: {"reply": objects["reply"].pk, "attitude": "satisfied", "result": "satisfied"},
    ),
    "sign twice": Refusal("signed", "unit_user", "assignments/{lead}/sign/"),
    "adjustment after the window": Refusal(
        "assigned-long-ago",
        "unit_user",
        "assignments/{lead}/request-adjustment/",
        lambda objects: {"reason": "不属于本单位职责"},
    ),
    "extension beyond six months": Refusal(
        "assigned",
        "unit_user",
        "assignments/{lead}/request-extension/",
        lambda objects: {
            "reason": "需要调研",
            "requested_due_on": str(objects["lead"].latest_due_on + datetime.timedelta(days=1)),
        },
    ),
    "opinion from the lead unit": Refusal(
        "assigned", "unit_user", "assignments/{lead}/opinion/", lambda objects: {"text": "意见"}
    ),
    "reply from the co unit": Refusal("assigned", "co_unit_user", "assignments/{co}/reply/", reply_payload),
    "reply twice in a round": Refusal("replied", "unit_user", "assignments/{lead}/reply/", reply_payload),
}


def prepare_refusal(story: Story, world: Any, co_unit: Any, state: str) -> dict[str, Any]:
    if state == "submitted-cosigned":
        return {"world": world, "co_unit": co_unit, "suggestion": story.submitted(confirm=True)}
    if state == "assigned-long-ago":
        suggestion = story.assigned(on=ASSIGNED_ON)
        return {"world": world, "co_unit": co_unit, "suggestion": suggestion, "lead": story.lead(suggestion)}
    if state == "signed":
        objects = prepare(story, world, co_unit, "assigned")
        services.assignment_sign(assignment=objects["lead"], actor=story.unit_user)
        return objects
    if state == "closed":
        suggestion, reply = story.replied()
        services.evaluation_submit(reply=reply, actor=story.deputy_user, attitude="satisfied", result="satisfied")
        return {"world": world, "co_unit": co_unit, "suggestion": suggestion, "reply": reply}
    objects = prepare(story, world, co_unit, state)
    if state in {"assigned", "replied"}:
        objects["lead"] = reload(objects["lead"])
    return objects


@pytest.mark.parametrize("name", list(REFUSALS))
def test_a_forbidden_move_answers_409_and_writes_nothing(client, request, story, world, co_unit, name):
    # given a suggestion in a state where the move is not allowed
    refusal = REFUSALS[name]
    objects = prepare_refusal(story, world, co_unit, refusal.state)
    client.force_login(request.getfixturevalue(refusal.user))
    before = snapshot()

    # when the move is tried
    path = refusal.path.format(**{key: getattr(value, "pk", value) for key, value in objects.items()})
    response = post(client, path, refusal.payload(objects))

    # then the answer is 409 with the reason, and not a row changed
    assert response.status_code == 409, response.content
    assert response.json()["detail"]
    assert response.json()["errors"] == {}
    assert snapshot() == before


def test_inviting_oneself_as_co_signer_answers_409_and_writes_nothing(client, world, deputy_user):
    # given a deputy
    client.force_login(deputy_user)

    # when they draft naming themselves as co-signer
    response = post(
        client,
        "suggestions/",
        {
            "title": "标题",
            "body": "正文",
            "category": world.a.subject_category.pk,
            "cosigners": [deputy_user.deputy.pk],
        },
    )

    # then the draft is refused as a whole
    assert response.status_code == 409
    assert response.json()["detail"]
    assert not Suggestion.objects.exists()
    assert not SuggestionEvent.objects.exists()


# --- bad input: 400 with errors by field ---------------------------------------------------------------


@dataclass(frozen=True)
class BadInput:
    state: str
    user: str
    path: str
    payload: Callable[[dict[str, Any]], dict[str, Any]]
    fields: set[str]


def valid_draft(objects: dict[str, Any]) -> dict[str, Any]:
    return {"title": "标题", "body": "正文", "category": objects["world"].a.subject_category.pk}


BAD_INPUTS = {
    "missing title": BadInput(
        "none",
        "deputy_user",
        "suggestions/",
        lambda o: {k: v for k, v in valid_draft(o).items() if k != "title"},
        {"title"},
    ),
    "unknown category": BadInput(
        "none", "deputy_user", "suggestions/", lambda o: {**valid_draft(o), "category": 999999}, {"category"}
    ),
    "category of another congress": BadInput(
        "none",
        "deputy_user",
        "suggestions/",
        lambda o: {**valid_draft(o), "category": o["world"].b.subject_category.pk},
        {"category"},
    ),
    "co-signer of another congress": BadInput(
        "none",
        "deputy_user",
        "suggestions/",
        lambda o: {**valid_draft(o), "cosigners": [o["world"].b.deputies[0].pk]},
        {"cosigners"},
    ),
    "title too long": BadInput(
        "none", "deputy_user", "suggestions/", lambda o: {**valid_draft(o), "title": "长" * 201}, {"title"}
    ),
    "cosign without an answer": BadInput(
        "invited", "cosigner_user", "suggestions/{suggestion}/cosign/", lambda o: {}, {"accept"}
    ),
    "unknown review decision": BadInput(
        "submitted", "office_user", "suggestions/{suggestion}/review/", lambda o: {"decision": "maybe"}, {"decision"}
    ),
    "reject without an exclusion reason": BadInput(
        "submitted",
        "office_user",
        "suggestions/{suggestion}/review/",
        lambda o: {"decision": "reject"},
        {"exclusion_reason"},
    ),
    "return without a reason": BadInput(
        "submitted",
        "office_user",
        "suggestions/{suggestion}/review/",
        lambda o: {"decision": "return", "reason": "  "},
        {"reason"},
    ),
    "no lead unit": BadInput(
        "accepted", "office_user", "suggestions/{suggestion}/assign/", lambda o: {"lead_units": []}, {"lead_units"}
    ),
    "unknown unit": BadInput(
        "accepted",
        "office_user",
        "suggestions/{suggestion}/assign/",
        lambda o: {"lead_units": [999999]},
        {"lead_units"},
    ),
    "unit of another congress": BadInput(
        "accepted",
        "office_user",
        "suggestions/{suggestion}/pre-assign/",
        lambda o: {"lead_units": [o["world"].b.unit.pk]},
        {"lead_units"},
    ),
    "two lead units in lead mode": BadInput(
        "accepted",
        "office_user",
        "suggestions/{suggestion}/assign/",
        lambda o: {"lead_units": [o["world"].a.unit.pk, o["co_unit"].pk]},
        {"lead_units"},
    ),
    "co units in split mode": BadInput(
        "accepted",
        "office_user",
        "suggestions/{suggestion}/assign/",
        lambda o: {**units_payload(o), "mode": "split"},
        {"co_units"},
    ),
    "unknown mode": BadInput(
        "accepted",
        "office_user",
        "suggestions/{suggestion}/assign/",
        lambda o: {**units_payload(o), "mode": "sideways"},
        {"mode"},
    ),
    "bad rating": BadInput(
        "replied",
        "deputy_user",
        "suggestions/{suggestion}/evaluate/",
        lambda o: {"attitude": "satisfied", "result": "great"},
        {"result"},
    ),
    "missing attitude": BadInput(
        "replied", "deputy_user", "suggestions/{suggestion}/evaluate/", lambda o: {"result": "satisfied"}, {"attitude"}
    ),
    "unknown reply class": BadInput(
        "assigned",
        "unit_user",
        "assignments/{lead}/reply/",
        lambda o: {**reply_payload(o), "reply_class": "Z"},
        {"reply_class"},
    ),
    "reply without document number": BadInput(
        "assigned",
        "unit_user",
        "assignments/{lead}/reply/",
        lambda o: {**reply_payload(o), "document_number": ""},
        {"document_number"},
    ),
    "unknown publication": BadInput(
        "assigned",
        "unit_user",
        "assignments/{lead}/reply/",
        lambda o: {**reply_payload(o), "publication": "everywhere"},
        {"publication"},
    ),
    "extension without a date": BadInput(
        "assigned",
        "unit_user",
        "assignments/{lead}/request-extension/",
        lambda o: {"reason": "需要调研", "requested_due_on": "next spring"},
        {"requested_due_on"},
    ),
    "adjustment without a reason": BadInput(
        "assigned", "unit_user", "assignments/{lead}/request-adjustment/", lambda o: {"reason": ""}, {"reason"}
    ),
    "opinion without text": BadInput("assigned", "co_unit_user", "assignments/{co}/opinion/", lambda o: {}, {"text"}),
}


@pytest.mark.parametrize("name", list(BAD_INPUTS))
def test_bad_input_answers_400_by_field_and_writes_nothing(client, request, story, world, co_unit, name):
    # given a suggestion in the state the move starts from
    bad = BAD_INPUTS[name]
    objects = {"world": world, "co_unit": co_unit}
    if bad.state != "none":
        objects = prepare(story, world, co_unit, bad.state)
    client.force_login(request.getfixturevalue(bad.user))
    before = snapshot()

    # when the move is sent with bad input
    path = bad.path.format(**{key: getattr(value, "pk", value) for key, value in objects.items()})
    response = post(client, path, bad.payload(objects))

    # then the answer is 400 with the errors of the fields at fault, and nothing is written
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["detail"]
    assert set(body["errors"]) == bad.fields
    assert all(isinstance(message, str) and message for messages in body["errors"].values() for message in messages)
    assert snapshot() == before


@pytest.mark.parametrize(
    ("path", "params", "field_name"),
    [
        ("suggestions/", {"status": "lost"}, "status"),
        ("suggestions/", {"category": "abc"}, "category"),
        ("assignments/", {"overdue": "perhaps"}, "overdue"),
        ("assignments/", {"status": "lost"}, "status"),
        ("supervision-cases/", {"status": "lost"}, "status"),
        ("notifications/", {"unread": "perhaps"}, "unread"),
    ],
)
def test_bad_list_filters_answer_400_by_field(client, office_user, path, params, field_name):
    # when a list is read with a malformed filter
    client.force_login(office_user)
    response = get(client, path, params)

    # then the filter is named in the errors
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {field_name}


def test_several_replies_waiting_need_the_reply_named(client, story, deputy_user, child_unit_user, world):
    # given a suggestion split between two units, both of which replied
    suggestion = services.suggestion_assign(
        suggestion=story.accepted(),
        actor=story.office_user,
        lead_units=[world.a.unit, world.a.child_unit],
        mode=AssignmentMode.SPLIT,
    )
    first = story.reply(story.lead(suggestion))
    second = story.reply(Assignment.objects.get(suggestion=suggestion, unit=world.a.child_unit), actor=child_unit_user)
    client.force_login(deputy_user)
    rating = {"attitude": "satisfied", "result": "satisfied"}

    # when the deputy rates without naming the reply, then names each in turn
    unnamed = post(client, f"suggestions/{suggestion.pk}/evaluate/", rating)
    named_first = post(client, f"suggestions/{suggestion.pk}/evaluate/", {**rating, "reply": first.pk})
    named_second = post(client, f"suggestions/{suggestion.pk}/evaluate/", {**rating, "reply": second.pk})

    # then the first asks which reply; naming them rates each, and the suggestion closes
    assert unnamed.status_code == 400
    assert set(unnamed.json()["errors"]) == {"reply"}
    assert named_first.json()["status"] == SuggestionStatus.REPLIED
    assert named_second.json()["status"] == SuggestionStatus.CLOSED


def test_in_split_mode_a_reply_is_rated_while_another_unit_rehandles(
    client, story, deputy_user, child_unit_user, world
):
    # given a split suggestion whose first unit's reply the deputy rated unsatisfied (it re-handles)
    suggestion = services.suggestion_assign(
        suggestion=story.accepted(),
        actor=story.office_user,
        lead_units=[world.a.unit, world.a.child_unit],
        mode=AssignmentMode.SPLIT,
    )
    first = story.reply(story.lead(suggestion))
    second = story.reply(Assignment.objects.get(suggestion=suggestion, unit=world.a.child_unit), actor=child_unit_user)
    client.force_login(deputy_user)
    unsatisfied = {"reply": first.pk, "attitude": "satisfied", "result": "unsatisfied"}
    post(client, f"suggestions/{suggestion.pk}/evaluate/", unsatisfied)

    # when the deputy rates again without naming a reply
    response = post(client, f"suggestions/{suggestion.pk}/evaluate/", {"attitude": "satisfied", "result": "satisfied"})

    # then the other unit's reply, the only one left unrated, is rated; the first unit still re-handles
    assert response.status_code == 200, response.content
    assert reload(second).evaluation.result == Rating.SATISFIED
    assert response.json()["status"] == SuggestionStatus.ASSIGNED


def test_a_reply_of_another_suggestion_is_unknown(client, story, deputy_user):
    # given two suggestions waiting for a rating
    suggestion, _reply = story.replied(co=False)
    _other, other_reply = story.replied(co=False)
    client.force_login(deputy_user)

    # when the deputy rates one naming the other's reply
    response = post(
        client,
        f"suggestions/{suggestion.pk}/evaluate/",
        {"reply": other_reply.pk, "attitude": "satisfied", "result": "satisfied"},
    )

    # then the reply is unknown here
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"reply"}


# --- query budgets ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("reader", ["deputy_user", "office_user"])
def test_suggestion_list_takes_the_same_queries_with_2_and_20(
    client, request, story, django_assert_num_queries, reader
):
    # given two submitted suggestions with a co-signer, read by the deputy or the office
    for _ in range(2):
        story.submitted(confirm=True)
    client.force_login(request.getfixturevalue(reader))

    # when the list is read with 2 and with 20
    few, many = assert_same_query_count(
        django_assert_num_queries,
        lambda: get(client, "suggestions/"),
        lambda: [story.submitted(confirm=True) for _ in range(18)],
    )

    # then both answered in full
    assert (len(results(few)), len(results(many))) == (2, 20)


def test_assignment_list_takes_the_same_queries_with_2_and_20(client, story, unit_user, django_assert_num_queries):
    # given two items assigned to the unit
    for _ in range(2):
        story.assigned(co=False)
    client.force_login(unit_user)

    # when the list is read with 2 and with 20
    few, many = assert_same_query_count(
        django_assert_num_queries,
        lambda: get(client, "assignments/"),
        lambda: [story.assigned(co=False) for _ in range(18)],
    )

    # then both answered in full
    assert (len(results(few)), len(results(many))) == (2, 20)


def test_notification_list_takes_the_same_queries_with_2_and_20(client, deputy_user, django_assert_num_queries):
    # given two notifications
    notify(users=[deputy_user], title="消息", email=False)
    notify(users=[deputy_user], title="消息", email=False)
    client.force_login(deputy_user)

    # when the list is read with 2 and with 20
    few, many = assert_same_query_count(
        django_assert_num_queries,
        lambda: get(client, "notifications/"),
        lambda: [notify(users=[deputy_user], title="消息", email=False) for _ in range(18)],
    )

    # then both answered in full
    assert (len(results(few)), len(results(many))) == (2, 20)


def test_supervision_case_list_takes_the_same_queries_with_2_and_20(
    client, story, deputy_user, committee_user, django_assert_num_queries
):
    def unsatisfied_case() -> None:
        _suggestion, reply = story.replied(co=False)
        services.evaluation_submit(reply=reply, actor=deputy_user, attitude="satisfied", result=Rating.UNSATISFIED)

    # given two cases of the committee
    unsatisfied_case()
    unsatisfied_case()
    client.force_login(committee_user)

    # when the list is read with 2 and with 20
    few, many = assert_same_query_count(
        django_assert_num_queries,
        lambda: get(client, "supervision-cases/"),
        lambda: [unsatisfied_case() for _ in range(18)],
    )

    # then both answered in full
    assert (len(results(few)), len(results(many))) == (2, 20)


def test_detail_queries_do_not_grow_with_the_story(client, story, deputy_user, co_unit_user, django_assert_num_queries):
    # given a suggestion rated unsatisfied once (round 2 and a supervision case are open)
    suggestion, reply = story.replied()
    services.evaluation_submit(reply=reply, actor=deputy_user, attitude="satisfied", result=Rating.UNSATISFIED)
    client.force_login(deputy_user)

    def more_story() -> None:
        # a co-handling opinion, the second round's reply, its rating, and a longer timeline
        services.co_opinion_send(assignment=story.co(suggestion), actor=co_unit_user, text="同意")
        second = story.reply(story.lead(suggestion), code="A")
        services.evaluation_submit(reply=second, actor=deputy_user, attitude="satisfied", result="satisfied")
        for _ in range(10):
            services.record_event(
                suggestion=suggestion, actor=deputy_user, action="edit", assignment=story.lead(suggestion)
            )

    # when the detail is read before and after
    few, many = assert_same_query_count(
        django_assert_num_queries, lambda: get(client, f"suggestions/{suggestion.pk}/"), more_story
    )

    # then the second read shows the longer story with the same number of queries
    assert len(many.json()["timeline"]) > len(few.json()["timeline"]) + 10
    assert [len(round_["replies"]) for round_ in many.json()["rounds"]] == [1, 1]
    assert many.json()["status"] == SuggestionStatus.CLOSED
