"""The access matrix as data: who may open each page and API action, and what everyone else gets.

Read a row as: "URL `name`, behind `gate`, finds its object (in congress A) for the roles in `sees`;
of those, the roles in `acts` may do it (the rest get 403); everybody else who passes the gate gets a
404, as if the object did not exist". Rows come from the code's decorators (`role_required`,
`deputy_required`, `dashboard_view`, DRF's `IsAuthenticated`), the querysets' `visible_to` rules
(docs/ARCHITECTURE.md, "Tenancy and scoping") and the services' role checks (`NotAllowed`, 403).

Every object row is requested twice: with congress A's object and with congress B's (built the same
way for B's people). A role of A finding B's object, or a role of B finding A's, gets 404. Public
rows are also requested with a made-up code (404 for everyone).

The admin is a generated family (`tests/security/admin_matrix.py`); API routes of the router are rows
here, and their DRF format-suffix twins (`…\\.(?P<format>…)`) are covered by the `FORMAT_SUFFIX` rule:
requested with `.json`, they must answer exactly as the row of their base route.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from congress.roles import Role

# --- outcomes ----------------------------------------------------------------------------------------

OK = "200"
CREATED = "201"
INVALID = "400"
UNAUTHORIZED = "401"
FORBIDDEN = "403"
NOT_FOUND = "404"
NOT_ALLOWED = "405"
CONFLICT = "409"
LOGIN = "login"  # 302 to the login page (pages)
ADMIN_LOGIN = "admin-login"  # 302 to the admin's login page
ADMIN_INDEX = "admin-index"  # 302 to the admin's index: Django's admin answer for an object it cannot find
REDIRECT = "redirect"  # any other 302
ALLOWED = "allowed"  # a write that went through to the service: anything but 401/403/404/405, a login or a 5xx
HEALTH = "health"  # 200 or 503: the health check answers either way

DENIED = frozenset({UNAUTHORIZED, FORBIDDEN, NOT_FOUND, NOT_ALLOWED, LOGIN, ADMIN_LOGIN})


def matches(expected: str, got: str) -> bool:
    if expected == ALLOWED:
        return got not in DENIED and not got.startswith("5") and not got.startswith("EXC")
    if expected == HEALTH:
        return got in {"200", "503"}
    return expected == got


# --- roles -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RoleInfo:
    """What the matrix needs to know of a role: its groups, its congress, whether it acts for a deputy,
    sees every tenant, holds every permission or works in the admin, and which role it mirrors in the
    table (congress B's roles mirror A's; the administrators' group mirrors the superuser outside the
    admin, where only its permissions differ)."""

    key: str
    groups: frozenset[str] = frozenset()
    congress: str | None = None
    deputy: bool = False
    is_global: bool = False
    superuser: bool = False
    staff: bool = False
    like: str | None = None

    @property
    def anonymous(self) -> bool:
        return self.key == "anonymous"

    @property
    def mirrors(self) -> str:
        return self.like or self.key


def _role(key: str, *groups: str, **facts: Any) -> RoleInfo:
    return RoleInfo(key=key, groups=frozenset(groups), **facts)


ROLES: dict[str, RoleInfo] = {
    role.key: role
    for role in (
        _role("anonymous"),
        _role("admin", is_global=True, superuser=True, staff=True),
        _role("administrator", Role.ADMINISTRATOR, is_global=True, staff=True, like="admin"),
        _role("office", Role.OFFICE, congress="a", staff=True),
        _role("committee", Role.COMMITTEE, congress="a", staff=True),
        _role("unit", Role.UNIT, congress="a"),
        _role("leader", Role.LEADER, congress="a", staff=True),
        _role("station", Role.STATION, congress="a"),
        _role("deputy", Role.DEPUTY, congress="a", deputy=True),
        _role("plain"),
        # the other congress
        _role("office_b", Role.OFFICE, congress="b", staff=True, like="office"),
        _role("deputy_b", Role.DEPUTY, congress="b", deputy=True, like="deputy"),
        # out of scope in congress A: another deputy, another unit, another station
        _role("deputy_2", Role.DEPUTY, congress="a", deputy=True),
        _role("unit_2", Role.UNIT, congress="a"),
        _role("station_2", Role.STATION, congress="a"),
    )
}

# Who finds an object of congress A (role keys of A; B's roles mirror A's, admin finds everything).
STAFF = frozenset({"office", "committee", "leader"})  # committee work: the congress's staff read it all
WORK = STAFF | {"deputy", "deputy_2"}  # CommitteeWorkQuerySet: staff and every deputy of the congress
OWNED = STAFF | {"deputy"}  # DeputyOwnedQuerySet / invited: staff and the deputy it belongs to
TENANT = frozenset({"office", "committee", "unit", "leader", "station", "deputy", "deputy_2", "unit_2", "station_2"})
SUGGESTION = frozenset({"office", "leader", "committee", "unit", "deputy"})  # submitted, counterpart, assigned, led
STATION_DESK = frozenset({"office", "leader", "station"})  # of those behind the station desk's gate
ISSUE = frozenset({"office", "leader", "station", "deputy", "unit"})  # PublicIssueQuerySet: who handles or watches

# Who may do it (of those who find the object); administrators pass the staff checks, not the deputies'.
WRITERS = frozenset({"admin", "office", "committee"})  # ensure_work_staff
OFFICE_ONLY = frozenset({"admin", "office"})
THE_DEPUTY = frozenset({"deputy"})
THE_UNIT = frozenset({"unit"})
UNIT_ACTS = frozenset({"admin", "unit"})  # _ensure_unit: staff of the unit; administrators pass
STATION_RUNNERS = frozenset({"admin", "office", "station"})  # can_run_station

# --- gates ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Gate:
    """The check a view makes before it looks anything up."""

    kind: str  # public | login | roles | deputy
    groups: frozenset[str] = frozenset()

    def admits(self, role: RoleInfo) -> bool:
        if self.kind == "public":
            return True
        if role.anonymous:
            return False
        if self.kind == "roles":
            return role.is_global or bool(role.groups & self.groups)
        if self.kind == "deputy":
            return role.deputy
        return True


PUBLIC = Gate("public")
SIGNED_IN = Gate("login")
DEPUTY = Gate("deputy")  # congress.permissions.deputy_required


def roles(*groups: str) -> Gate:  # congress.permissions.role_required
    return Gate("roles", frozenset(groups))


DESK_READERS = roles(Role.OFFICE, Role.COMMITTEE, Role.LEADER)
DESK_WRITERS = roles(Role.OFFICE, Role.COMMITTEE)
UNIT = roles(Role.UNIT)
COMMITTEE = roles(Role.COMMITTEE)
STATION_READERS = roles(Role.OFFICE, Role.STATION, Role.LEADER)
STATION_WRITERS = roles(Role.OFFICE, Role.STATION)
ISSUE_READERS = roles(Role.STATION, Role.OFFICE, Role.LEADER, Role.COMMITTEE)
ISSUE_WRITERS = roles(Role.STATION, Role.OFFICE)
DASHBOARD = roles(Role.LEADER, Role.OFFICE)

# --- rows -------------------------------------------------------------------------------------------

Payload = Callable[[Any], dict[str, Any]]


@dataclass(frozen=True)
class Row:
    """One URL name (pages and API routes). `objects` maps URL kwargs to keys of a congress's objects
    (`world.Objects`; "issue.tracking_code" reads an attribute); `values` gives literal kwargs (one
    request each); `payload` builds a POST body from the congress's objects; `query` a query string."""

    name: str
    gate: Gate
    method: str = "GET"
    api: bool = False
    objects: Mapping[str, str] = field(default_factory=dict)
    values: Mapping[str, Sequence[str]] = field(default_factory=dict)
    sees: frozenset[str] = frozenset()
    acts: frozenset[str] | None = None
    payload: Payload | None = None
    payload_names_objects: bool = False  # the body names the congress's objects: A and B variants
    query: Payload | None = None  # names the congress's objects: A and B variants (plus one without)
    unseen: str = NOT_FOUND
    success: str | None = None
    variant_success: Mapping[str, str] = field(default_factory=dict)  # the outcome of a variant for all
    special: Mapping[str, str | Mapping[str, str]] = field(default_factory=dict)
    note: str = ""

    @property
    def variants(self) -> list[str]:
        if self.objects:
            return ["a", "b", "missing"] if self.gate.kind == "public" else ["a", "b"]
        if self.payload_names_objects:
            return ["a", "b"]
        if self.query is not None:
            return ["-", "a", "b"]
        return ["-"]

    def expected(self, role: RoleInfo, variant: str) -> str:
        if role.key in self.special or role.mirrors in self.special:
            special = self.special.get(role.key, self.special.get(role.mirrors))
            if isinstance(special, str):
                return special
            if variant in special:
                return special[variant]
        if not self.gate.admits(role):
            if role.anonymous:
                return UNAUTHORIZED if self.api else LOGIN
            return FORBIDDEN
        success = self.variant_success.get(variant) or self.success or (OK if self.method == "GET" else ALLOWED)
        if variant == "-":
            return success
        if variant == "missing":
            return NOT_FOUND
        if self.gate.kind == "public":
            return success
        if role.is_global:
            return success if self.acts is None or role.mirrors in self.acts else FORBIDDEN
        if role.congress != variant or role.mirrors not in self.sees:
            return self.unseen
        if self.acts is not None and role.mirrors not in self.acts:
            return FORBIDDEN
        return success


def page(name: str, gate: Gate, **options: Any) -> Row:
    return Row(name=name, gate=gate, **options)


def post(name: str, gate: Gate, **options: Any) -> Row:
    return Row(name=name, gate=gate, method="POST", **options)


def api(name: str, gate: Gate = SIGNED_IN, **options: Any) -> Row:
    return Row(name=name, gate=gate, api=True, **options)


def api_post(name: str, gate: Gate = SIGNED_IN, **options: Any) -> Row:
    return Row(name=name, gate=gate, api=True, method="POST", **options)


def pk(key: str) -> dict[str, str]:
    return {"pk": key}


# Views that need the user's own congress (`desk_congress_id`, `congress_for_user`, `min(congress_ids)`):
# a superuser or administrator with no congress gets 404 there, as those helpers document.
NO_CONGRESS = {"admin": NOT_FOUND}
# The unit's desk acts for the user's unit: a superuser or administrator has none, so nothing is found.
NO_UNIT = {"admin": NOT_FOUND}
# Leaders pass the desk's readers' gate, and `ensure_writer` refuses them before any form.
LEADER_READS_ONLY = {"leader": FORBIDDEN, **NO_CONGRESS}
# Station staff of one station are sent straight to it.
ONE_STATION = {"station": REDIRECT, "station_2": REDIRECT}
# Open311 without `jurisdiction_id` serves the only active congress; with several it asks which (400).
ONE_OF_SEVERAL = {"-": INVALID}
# Users who are only deputies are sent from the home page to the portal.
DEPUTIES_TO_PORTAL = {"deputy": REDIRECT, "deputy_2": REDIRECT, "deputy_b": REDIRECT}

PAGE_ROWS: list[Row] = [
    # --- the project: home, health, notifications, sign-in, language ---
    page("home", SIGNED_IN, special=DEPUTIES_TO_PORTAL),
    page("healthz", PUBLIC, success=HEALTH),
    page("livez", PUBLIC),
    page("notifications", SIGNED_IN),
    post("notifications", SIGNED_IN, note="marks the user's own notifications read"),
    page(
        "login",
        PUBLIC,
        special={role: REDIRECT for role in ROLES if role != "anonymous"},
        note="redirect_authenticated_user: signed-in users go on",
    ),
    post("logout", PUBLIC, success=LOGIN, note="signs out and goes to the login page; the runner signs in again"),
    post("set_language", PUBLIC, success=REDIRECT, payload=lambda o: {"language": "zh-hans"}),
    # --- deputies: portal, duty record ---
    page("deputies:portal_home", DEPUTY),
    page("deputies:portal_record", DEPUTY),
    page("deputies:portal_declare", DEPUTY),
    page("deputies:portal_record_export", DEPUTY),
    page("deputies:work_duty_ranking", roles(Role.OFFICE, Role.LEADER), special=NO_CONGRESS),
    # --- activities ---
    page("deputies:portal_invitations", DEPUTY),
    page("deputies:portal_activity", DEPUTY, objects=pk("activity"), sees=OWNED),
    post("deputies:portal_respond", DEPUTY, objects=pk("activity"), sees=OWNED, payload=lambda o: {"answer": "accept"}),
    post(
        "deputies:portal_sign_in_code",
        DEPUTY,
        objects=pk("activity"),
        sees=OWNED,
        payload=lambda o: {"code": "123456"},
    ),
    page("deputies:portal_sign_in_qr", DEPUTY, objects={"token": "activity.sign_in_token"}, sees=OWNED),
    page("deputies:work_activities", DESK_READERS),
    page("deputies:work_activity_create", DESK_WRITERS, special=NO_CONGRESS),
    page("deputies:work_activity", DESK_READERS, objects=pk("activity"), sees=STAFF),
    page("deputies:work_activity_qr", DESK_READERS, objects=pk("activity"), sees=STAFF),
    post("deputies:work_activity_invite", DESK_WRITERS, objects=pk("activity"), sees=STAFF),
    post(
        "deputies:work_invitation_attended",
        DESK_WRITERS,
        objects={"pk": "activity", "invitation_pk": "invitation"},
        sees=STAFF,
    ),
    post(
        "deputies:work_activity_close",
        DESK_WRITERS,
        objects=pk("activity"),
        values={"action": ["hold", "cancel"]},
        sees=STAFF,
    ),
    # --- training and learning ---
    page("deputies:portal_trainings", DEPUTY),
    post("deputies:portal_training_enroll", DEPUTY, objects=pk("course"), sees=OWNED),
    page("deputies:portal_training_certificate", DEPUTY, objects=pk("certificate"), sees=OWNED),
    page("deputies:portal_learning", DEPUTY),
    post("deputies:portal_learning_complete", DEPUTY, objects=pk("material"), sees=WORK),
    page("deputies:work_trainings", DESK_READERS),
    post(
        "deputies:work_training_plan_create",
        roles(Role.OFFICE),
        payload=lambda o: {"year": "2032", "title": "培训计划"},
    ),
    page("deputies:work_training_plan", DESK_READERS, objects=pk("plan"), sees=STAFF),
    post("deputies:work_training_planned_add", DESK_WRITERS, objects=pk("plan"), sees=STAFF),
    post(
        "deputies:work_training_plan_action",
        DESK_WRITERS,
        objects=pk("plan"),
        values={"action": ["approve", "schedule"]},
        sees=STAFF,
        acts=OFFICE_ONLY,
        note="plans are the office's to approve (training.ensure_office)",
    ),
    page("deputies:work_training_course_open", DESK_WRITERS),
    page("deputies:work_training_course", DESK_READERS, objects=pk("course"), sees=STAFF),
    post("deputies:work_training_course_invite", DESK_WRITERS, objects=pk("course"), sees=STAFF),
    post("deputies:work_training_certificates_issue", DESK_WRITERS, objects=pk("course"), sees=STAFF),
    page("deputies:work_training_certificates", DESK_READERS, objects=pk("course"), sees=STAFF),
    page("deputies:work_learning", DESK_READERS),
    page("deputies:work_learning_material", DESK_READERS, objects=pk("material"), sees=STAFF),
    # --- standing-committee meetings ---
    page("deputies:work_meetings", DESK_READERS),
    page("deputies:work_meeting_create", DESK_WRITERS),
    page("deputies:work_meeting", DESK_READERS, objects=pk("meeting"), sees=STAFF),
    post("deputies:work_meeting_topic_add", DESK_WRITERS, objects=pk("meeting"), sees=STAFF),
    post("deputies:work_meeting_invite", DESK_WRITERS, objects=pk("meeting"), sees=STAFF),
    post("deputies:work_meeting_pre_activity", DESK_WRITERS, objects=pk("meeting"), sees=STAFF),
    page("deputies:work_meeting_opinions", DESK_READERS, objects=pk("meeting"), sees=STAFF),
    post("deputies:work_meeting_opinion_record", DESK_WRITERS, objects=pk("meeting"), sees=STAFF),
    post("deputies:work_opinion_hand_over", DESK_WRITERS, objects=pk("opinion"), sees=STAFF),
    page("deputies:desk_meeting_opinions", UNIT),
    post(
        "deputies:desk_meeting_opinion_answer",
        UNIT,
        objects=pk("opinion"),
        sees=THE_UNIT,
        payload=lambda o: {"answer": "已办理。"},
        special=NO_UNIT,
    ),
    page("deputies:portal_meetings", DEPUTY),
    page("deputies:portal_meeting", DEPUTY, objects=pk("meeting"), sees=WORK),
    # --- professional groups ---
    page("deputies:work_groups", DESK_READERS),
    page("deputies:work_group_create", DESK_WRITERS, special=NO_CONGRESS),
    page("deputies:work_group", DESK_READERS, objects=pk("group"), sees=STAFF),
    page("deputies:work_group_edit", DESK_WRITERS, objects=pk("group"), sees=STAFF),
    post("deputies:work_group_member_add", DESK_WRITERS, objects=pk("group"), sees=STAFF),
    post(
        "deputies:work_group_member_role",
        DESK_WRITERS,
        objects={"pk": "group", "membership_pk": "membership"},
        sees=STAFF,
        payload=lambda o: {"role": "leader"},
    ),
    page(
        "deputies:work_group_member_remove",
        DESK_WRITERS,
        objects={"pk": "group", "membership_pk": "membership"},
        sees=STAFF,
    ),
    page("deputies:work_group_activity_create", DESK_WRITERS, objects=pk("group"), sees=STAFF),
    post("deputies:work_group_invite", DESK_WRITERS, objects=pk("group"), sees=STAFF),
    page("deputies:work_group_output_create", DESK_WRITERS, objects=pk("group"), sees=STAFF),
    page("deputies:work_group_outputs", DESK_READERS),
    page("deputies:work_group_output", DESK_READERS, objects=pk("output"), sees=STAFF),
    post("deputies:work_group_output_adopt", DESK_WRITERS, objects=pk("output"), sees=STAFF),
    page("deputies:work_special_supervisors", DESK_READERS, special=NO_CONGRESS),
    post("deputies:work_special_supervisors", DESK_READERS, special=LEADER_READS_ONLY, note="appoints: writers only"),
    post(
        "deputies:work_special_supervisor_end",
        DESK_WRITERS,
        objects=pk("supervisor"),
        sees=STAFF,
        payload=lambda o: {"ends_on": "2026-12-31"},
    ),
    page("deputies:portal_groups", DEPUTY),
    page("deputies:portal_group_output_create", DEPUTY, objects=pk("group"), sees=THE_DEPUTY, note="members only"),
    page("deputies:portal_group_output", DEPUTY, objects=pk("output"), sees=THE_DEPUTY, note="their groups' outputs"),
    # --- legislation ---
    page("deputies:portal_legislation", DEPUTY),
    page("deputies:portal_propose", DEPUTY, objects=pk("round"), sees=WORK),
    page("deputies:portal_draft", DEPUTY, objects=pk("draft_regulation"), sees=THE_DEPUTY, note="sent to them"),
    page("deputies:work_legislation", DESK_READERS),
    page("deputies:work_round_create", DESK_READERS, special=LEADER_READS_ONLY),
    page("deputies:work_round", DESK_READERS, objects=pk("round"), sees=STAFF),
    post("deputies:work_round_close", DESK_READERS, objects=pk("round"), sees=STAFF, acts=WRITERS),
    post(
        "deputies:work_proposal_sort",
        DESK_READERS,
        objects=pk("proposal"),
        values={"action": ["include", "exclude"]},
        sees=STAFF,
        acts=WRITERS,
    ),
    page("deputies:work_plan", DESK_READERS),
    page("deputies:work_draft_create", DESK_READERS, special=LEADER_READS_ONLY),
    page("deputies:work_draft", DESK_READERS, objects=pk("draft_regulation"), sees=STAFF),
    page("deputies:work_draft_edit", DESK_READERS, objects=pk("draft_regulation"), sees=STAFF, acts=WRITERS),
    post(
        "deputies:work_draft_open",
        DESK_READERS,
        objects=pk("draft_regulation"),
        sees=STAFF,
        acts=WRITERS,
        payload=lambda o: {"everyone": "on"},
    ),
    post("deputies:work_draft_close", DESK_READERS, objects=pk("draft_regulation"), sees=STAFF, acts=WRITERS),
    page("deputies:work_draft_report", DESK_READERS, objects=pk("draft_regulation"), sees=STAFF),
    page("deputies:work_research_create", DESK_READERS, special=LEADER_READS_ONLY),
    # --- supervision and evaluations ---
    page("deputies:portal_evaluations", DEPUTY),
    post(
        "deputies:portal_score",
        DEPUTY,
        objects={"pk": "evaluation_group", "unit_pk": "tenant.unit"},
        sees=THE_DEPUTY,
        payload=lambda o: {"score": "90"},
        note="members of the evaluation group",
    ),
    page("deputies:work_supervision", DESK_READERS),
    page("deputies:work_supervision_activity_create", DESK_READERS, special=LEADER_READS_ONLY),
    page("deputies:work_evaluation_create", DESK_READERS, special=LEADER_READS_ONLY),
    page("deputies:work_evaluation", DESK_READERS, objects=pk("project"), sees=STAFF),
    page("deputies:work_evaluation_group_create", DESK_READERS, objects=pk("project"), sees=STAFF, acts=WRITERS),
    page("deputies:work_evaluation_results", DESK_READERS, objects=pk("project"), sees=STAFF),
    # --- campaigns ---
    page("deputies:work_campaigns", DESK_READERS),
    post(
        "deputies:work_campaigns",
        DESK_READERS,
        special={"leader": FORBIDDEN, "admin": FORBIDDEN},
        payload=lambda o: {"title": "联系群众", "starts_on": "2026-05-01", "ends_on": "2026-07-31"},
        note="leaders read, never write (NotAllowed); a superuser has no congress to open it in",
    ),
    page("deputies:work_campaign", DESK_READERS, objects=pk("campaign"), sees=STAFF),
    page("deputies:work_campaign_export", DESK_READERS, objects=pk("campaign"), sees=STAFF),
    page("deputies:portal_campaigns", DEPUTY),
    page("deputies:portal_campaign", DEPUTY, objects=pk("campaign"), sees=WORK),
    # --- suggestions: the deputy's portal ---
    page("suggestions:portal_list", DEPUTY),
    page("suggestions:portal_create", DEPUTY),
    page("suggestions:portal_detail", DEPUTY, objects=pk("suggestion"), sees=THE_DEPUTY),
    page(
        "suggestions:portal_from_group_output",
        DEPUTY,
        objects={"output_pk": "output"},
        sees=THE_DEPUTY,
        note="their groups' outputs",
    ),
    page("suggestions:portal_edit", DEPUTY, objects=pk("suggestion"), sees=THE_DEPUTY),
    post("suggestions:portal_guidance", DEPUTY, objects=pk("draft"), sees=THE_DEPUTY),
    post(
        "suggestions:portal_evaluate",
        DEPUTY,
        objects={"pk": "suggestion", "reply_pk": "reply"},
        sees=THE_DEPUTY,
        payload=lambda o: {"attitude": "satisfied", "result": "satisfied"},
    ),
    post(
        "suggestions:portal_action",
        DEPUTY,
        objects=pk("draft"),
        values={"action": ["submit", "withdraw"]},
        sees=THE_DEPUTY,
    ),
    post(
        "suggestions:portal_action",
        DEPUTY,
        objects=pk("cosign_draft"),
        values={"action": ["accept", "decline"]},
        sees=frozenset({"deputy", "deputy_2"}),
        acts=THE_DEPUTY,
        note="a draft of deputy_2 that A's deputy was invited to co-sign; its lead is not invited (403)",
    ),
    # --- suggestions: the unit's desk ---
    page("suggestions:desk_list", UNIT),
    page("suggestions:desk_detail", UNIT, objects=pk("assignment"), sees=THE_UNIT, special=NO_UNIT),
    post(
        "suggestions:desk_action",
        UNIT,
        objects=pk("assignment"),
        values={"action": ["sign", "adjustment", "extension", "opinion", "communication", "reply", "follow-up"]},
        sees=THE_UNIT,
        special=NO_UNIT,
    ),
    # --- suggestions: the committee's counterpart view ---
    page("suggestions:committee_list", COMMITTEE),
    page("suggestions:committee_detail", COMMITTEE, objects=pk("suggestion"), sees=frozenset({"committee"})),
    post(
        "suggestions:committee_supervise",
        COMMITTEE,
        objects=pk("suggestion"),
        sees=frozenset({"committee"}),
        special=NO_CONGRESS,
        note="acts for the user's committee: a superuser has none (404)",
    ),
    post(
        "suggestions:committee_propose_units",
        COMMITTEE,
        objects=pk("suggestion"),
        sees=frozenset({"committee"}),
        special=NO_CONGRESS,
    ),
    page("suggestions:committee_case", COMMITTEE, objects=pk("case_free"), sees=frozenset({"committee"})),
    post(
        "suggestions:committee_case_action",
        COMMITTEE,
        objects=pk("case_free"),
        values={"action": ["record", "close"]},
        sees=frozenset({"committee"}),
    ),
    post(
        "suggestions:committee_answer_guidance",
        COMMITTEE,
        objects=pk("guidance"),
        sees=frozenset({"committee"}),
        special=NO_CONGRESS,
        payload=lambda o: {"answer": "可参考有关规定。"},
    ),
    # --- published replies (public) ---
    page("suggestions:published_list", PUBLIC),
    page("suggestions:published_detail", PUBLIC, objects=pk("reply")),
    # --- stations: the desk ---
    page("liaison_stations:desk_stations", STATION_READERS, special=ONE_STATION),
    page("liaison_stations:desk_station", STATION_READERS, objects=pk("station"), sees=STATION_DESK),
    page("liaison_stations:desk_station_edit", STATION_WRITERS, objects=pk("station"), sees=STATION_DESK),
    post("liaison_stations:desk_station_clear_map", STATION_WRITERS, objects=pk("station"), sees=STATION_DESK),
    page("liaison_stations:desk_checklist", STATION_READERS, objects=pk("station"), sees=STATION_DESK),
    page(
        "liaison_stations:desk_checklist_status",
        STATION_WRITERS,
        objects={"pk": "station", "item_pk": "checklist_item"},
        sees=STATION_DESK,
    ),
    post(
        "liaison_stations:desk_evidence_delete",
        STATION_WRITERS,
        objects={"pk": "station", "evidence_pk": "evidence"},
        sees=STATION_DESK,
    ),
    page("liaison_stations:desk_documents", STATION_READERS, objects=pk("station"), sees=STATION_DESK),
    page("liaison_stations:desk_document_create", STATION_WRITERS, objects=pk("station"), sees=STATION_DESK),
    page(
        "liaison_stations:desk_document_edit",
        STATION_WRITERS,
        objects={"pk": "station", "document_pk": "document"},
        sees=STATION_DESK,
    ),
    post(
        "liaison_stations:desk_document_delete",
        STATION_WRITERS,
        objects={"pk": "station", "document_pk": "document"},
        sees=STATION_DESK,
    ),
    page("liaison_stations:desk_deputies", STATION_READERS, objects=pk("station"), sees=STATION_DESK),
    post(
        "liaison_stations:desk_deputies",
        STATION_READERS,
        objects=pk("station"),
        sees=STATION_DESK,
        acts=STATION_RUNNERS,
        note="adds a station deputy: those who run the station (leaders read only)",
    ),
    post(
        "liaison_stations:desk_deputy_remove",
        STATION_WRITERS,
        objects={"pk": "station", "post_pk": "station_deputy"},
        sees=STATION_DESK,
    ),
    page("liaison_stations:desk_blocks", STATION_READERS, objects=pk("station"), sees=STATION_DESK),
    page("liaison_stations:desk_block_assignments", STATION_READERS, objects=pk("station"), sees=STATION_DESK),
    page("liaison_stations:desk_block_create", STATION_WRITERS, objects=pk("station"), sees=STATION_DESK),
    page("liaison_stations:desk_block", STATION_READERS, objects={"block_pk": "block"}, sees=STATION_DESK),
    page("liaison_stations:desk_block_edit", STATION_WRITERS, objects={"block_pk": "block"}, sees=STATION_DESK),
    post("liaison_stations:desk_block_delete", STATION_WRITERS, objects={"block_pk": "block"}, sees=STATION_DESK),
    post(
        "liaison_stations:desk_block_task_create",
        STATION_WRITERS,
        objects={"block_pk": "block"},
        sees=STATION_DESK,
    ),
    page("liaison_stations:desk_block_task_edit", STATION_WRITERS, objects={"task_pk": "task"}, sees=STATION_DESK),
    post(
        "liaison_stations:desk_block_task_status",
        STATION_WRITERS,
        objects={"task_pk": "task"},
        sees=STATION_DESK,
        payload=lambda o: {"status": "doing"},
    ),
    post(
        "liaison_stations:desk_block_task_delete",
        STATION_WRITERS,
        objects={"task_pk": "task"},
        sees=STATION_DESK,
    ),
    page("liaison_stations:portal_blocks", DEPUTY),
    post(
        "liaison_stations:portal_task_status",
        DEPUTY,
        objects={"task_pk": "task"},
        sees=THE_DEPUTY,
        payload=lambda o: {"status": "doing"},
    ),
    page("liaison_stations:station_public", PUBLIC, objects=pk("station")),
    # --- stations: receptions, visits, forums ---
    page("liaison_stations:desk_receptions", STATION_READERS, objects=pk("station"), sees=STATION_DESK),
    page("liaison_stations:desk_reception_create", STATION_WRITERS, objects=pk("station"), sees=STATION_DESK),
    page("liaison_stations:desk_reception", STATION_READERS, objects={"reception_pk": "reception"}, sees=STATION_DESK),
    page(
        "liaison_stations:desk_reception_edit",
        STATION_WRITERS,
        objects={"reception_pk": "reception"},
        sees=STATION_DESK,
    ),
    post(
        "liaison_stations:desk_reception_confirm",
        STATION_WRITERS,
        objects={"reception_pk": "reception"},
        sees=STATION_DESK,
    ),
    post(
        "liaison_stations:desk_reception_delete",
        STATION_WRITERS,
        objects={"reception_pk": "reception"},
        sees=STATION_DESK,
    ),
    page("liaison_stations:desk_visits", STATION_READERS, objects=pk("station"), sees=STATION_DESK),
    page("liaison_stations:desk_visit_create", STATION_WRITERS, objects=pk("station"), sees=STATION_DESK),
    page("liaison_stations:desk_visit", STATION_READERS, objects={"visit_pk": "visit"}, sees=STATION_DESK),
    page("liaison_stations:desk_forums", STATION_READERS, objects=pk("station"), sees=STATION_DESK),
    page("liaison_stations:desk_forum_create", STATION_WRITERS, objects=pk("station"), sees=STATION_DESK),
    page("liaison_stations:desk_forum", STATION_READERS, objects={"forum_pk": "forum"}, sees=STATION_DESK),
    page("liaison_stations:desk_forum_edit", STATION_WRITERS, objects={"forum_pk": "forum"}, sees=STATION_DESK),
    post("liaison_stations:desk_forum_delete", STATION_WRITERS, objects={"forum_pk": "forum"}, sees=STATION_DESK),
    # --- citizens' issues: the station's and the unit's desks ---
    page("liaison_stations:issue_list", ISSUE_READERS),
    page("liaison_stations:issue_create", ISSUE_WRITERS, special=NO_CONGRESS),
    page(
        "liaison_stations:issue_detail",
        ISSUE_READERS,
        objects=pk("issue"),
        sees=STATION_DESK,
        note="committee staff only see issues their committee supervises",
    ),
    post(
        "liaison_stations:issue_action",
        ISSUE_WRITERS,
        objects=pk("issue"),
        values={"action": ["screen", "assign", "escalate", "answer", "close", "convert", "outcome"]},
        sees=STATION_DESK,
    ),
    page("liaison_stations:unit_issue_list", UNIT),
    page("liaison_stations:unit_issue_detail", UNIT, objects=pk("issue"), sees=THE_UNIT, special=NO_UNIT),
    post(
        "liaison_stations:unit_issue_answer",
        UNIT,
        objects=pk("issue"),
        sees=THE_UNIT,
        payload=lambda o: {"body": "已处理。"},
        special=NO_UNIT,
    ),
    # --- citizens: the QR page, the tracking page (public) ---
    page("liaison_stations:intake", PUBLIC, objects={"code": "deputy.public_code"}),
    page(
        "liaison_stations:intake_thanks",
        PUBLIC,
        objects={"code": "deputy.public_code"},
        success=REDIRECT,
        note="without a code just sent, back to the intake page",
    ),
    page("liaison_stations:deputy_qr_svg", PUBLIC, objects={"code": "deputy.public_code"}),
    page("liaison_stations:deputy_qr_png", PUBLIC, objects={"code": "deputy.public_code"}),
    page("liaison_stations:track_lookup", PUBLIC),
    page("liaison_stations:track", PUBLIC, objects={"tracking_code": "issue.tracking_code"}),
    page(
        "liaison_stations:deputy_placard",
        roles(Role.OFFICE, Role.STATION, Role.DEPUTY),
        objects={"deputy_id": "deputy"},
        sees=frozenset({"office", "station", "deputy"}),
        note="the deputy, office staff of their congress, staff of their station",
    ),
    page(
        "liaison_stations:station_placards",
        roles(Role.OFFICE, Role.STATION),
        objects=pk("station"),
        sees=frozenset({"office", "station"}),
    ),
    # --- citizens' issues and the QR code in the deputy's portal ---
    page("liaison_stations:portal_issues", DEPUTY),
    page("liaison_stations:portal_issue", DEPUTY, objects=pk("issue"), sees=THE_DEPUTY),
    post(
        "liaison_stations:portal_issue_rate",
        DEPUTY,
        objects=pk("hotline_issue"),
        sees=THE_DEPUTY,
        payload=lambda o: {"rating": "satisfied"},
    ),
    page("liaison_stations:portal_qr", DEPUTY),
    page("liaison_stations:portal_placard", DEPUTY),
    # --- Open311 GeoReport v2 (public) ---
    page("liaison_stations:open311-discovery", PUBLIC, values={"fmt": ["json"]}),
    page(
        "liaison_stations:open311-services",
        PUBLIC,
        values={"fmt": ["json"]},
        query=lambda o: {"jurisdiction_id": o.tenant.congress.area_code},
        variant_success=ONE_OF_SEVERAL,
    ),
    page(
        "liaison_stations:open311-service",
        PUBLIC,
        values={"fmt": ["json"]},
        objects={"service_code": "tenant.subject_category.code"},
        query=lambda o: {"jurisdiction_id": o.tenant.congress.area_code},
    ),
    page(
        "liaison_stations:open311-requests",
        PUBLIC,
        values={"fmt": ["json"]},
        query=lambda o: {"jurisdiction_id": o.tenant.congress.area_code},
        variant_success=ONE_OF_SEVERAL,
    ),
    page(
        "liaison_stations:open311-request",
        PUBLIC,
        values={"fmt": ["json"]},
        objects={"request_id": "issue.tracking_code"},
    ),
    # --- the leaders' dashboard ---
    *[
        page(f"dashboard:{name}", DASHBOARD, query=lambda o: {"congress": o.tenant.congress.pk}, sees=DASHBOARD_SEES)
        for name, DASHBOARD_SEES in (
            ("overview", frozenset({"office", "leader"})),
            ("suggestions", frozenset({"office", "leader"})),
            ("units", frozenset({"office", "leader"})),
            ("deputies", frozenset({"office", "leader"})),
            ("issues", frozenset({"office", "leader"})),
            ("stations", frozenset({"office", "leader"})),
            ("report", frozenset({"office", "leader"})),
            ("report_xlsx", frozenset({"office", "leader"})),
        )
    ],
    page(
        "dashboard:records",
        DASHBOARD,
        values={"kind": ["suggestions"], "figure": ["received"]},
        query=lambda o: {"congress": o.tenant.congress.pk},
        sees=frozenset({"office", "leader"}),
    ),
]

# --- the API (DRF: anonymous requests answer 401) ---------------------------------------------------

STATS_READERS = roles(Role.LEADER, Role.OFFICE)
CONGRESS_QUERY: Payload = lambda o: {"congress": o.tenant.congress.pk}  # noqa: E731

API_ROWS: list[Row] = [
    *[
        api(f"api-stats-{name}", STATS_READERS, query=CONGRESS_QUERY, sees=frozenset({"office", "leader"}))
        for name in ("suggestions", "units", "deputies", "public-issues", "stations")
    ],
    api_post("api-token", PUBLIC, success=INVALID, note="no credentials given: 400 for everyone"),
    api("api-me"),
    api("api-root"),
    api("api-schema", PUBLIC),
    api("api-docs", PUBLIC),
    api("popolo"),
    # --- the organisation ---
    api("congress-list"),
    api("congress-detail", objects=pk("tenant.congress"), sees=TENANT),
    api("committee-list"),
    api("committee-detail", objects=pk("tenant.committee"), sees=TENANT),
    api("unit-list"),
    api("unit-detail", objects=pk("tenant.unit"), sees=TENANT),
    api("category-list"),
    api("category-detail", objects=pk("tenant.subject_category"), sees=TENANT),
    # --- deputies ---
    api("deputy-list"),
    api("deputy-detail", objects=pk("deputy"), sees=TENANT),
    api(
        "deputy-duty-record",
        objects=pk("deputy"),
        sees=frozenset({"office", "leader", "deputy"}),
        note="the deputy, office staff and leaders; others 404",
    ),
    # --- suggestions ---
    api("suggestion-list"),
    api_post(
        "suggestion-list",
        payload=lambda o: {"title": "新建议", "body": "内容。", "category": o.tenant.subject_category.pk},
        payload_names_objects=True,
        sees=frozenset({"deputy", "deputy_2"}),
        unseen=INVALID,
        special={role: FORBIDDEN for role in ("admin", "office", "committee", "unit", "leader", "station", "plain")}
        | {"office_b": FORBIDDEN, "unit_2": FORBIDDEN, "station_2": FORBIDDEN},
        note="only deputies draft (403 before the input is read); another congress's category is unknown (400)",
    ),
    api("suggestion-detail", objects=pk("suggestion"), sees=SUGGESTION),
    api_post(
        "suggestion-assign",
        objects=pk("suggestion"),
        sees=SUGGESTION,
        acts=OFFICE_ONLY,
        payload=lambda o: {"lead_units": [o.tenant.unit.pk]},
    ),
    api_post(
        "suggestion-pre-assign",
        objects=pk("suggestion"),
        sees=SUGGESTION,
        acts=WRITERS,
        note="the office, or the counterpart committee after the session (_ensure_office_or_counterpart)",
        payload=lambda o: {"lead_units": [o.tenant.unit.pk]},
    ),
    api_post(
        "suggestion-review",
        objects=pk("suggestion"),
        sees=SUGGESTION,
        acts=OFFICE_ONLY,
        payload=lambda o: {"decision": "accept"},
    ),
    api_post(
        "suggestion-cosign",
        objects=pk("cosign_draft"),
        sees=frozenset({"deputy", "deputy_2"}),
        acts=THE_DEPUTY,
        payload=lambda o: {"accept": True},
    ),
    api_post(
        "suggestion-evaluate",
        objects=pk("suggestion"),
        sees=SUGGESTION,
        acts=THE_DEPUTY,
        payload=lambda o: {"attitude": "satisfied", "result": "satisfied"},
    ),
    api_post(
        "suggestion-submit",
        objects=pk("draft"),
        sees=frozenset({"deputy", "committee"}),
        acts=THE_DEPUTY,
        note="the committee asked for guidance sees the draft",
    ),
    api_post("suggestion-withdraw", objects=pk("suggestion"), sees=SUGGESTION, acts=THE_DEPUTY),
    api("assignment-list"),
    api("assignment-detail", objects=pk("assignment"), sees=SUGGESTION),
    *[
        api_post(f"assignment-{action}", objects=pk("assignment"), sees=SUGGESTION, acts=UNIT_ACTS, payload=body)
        for action, body in (
            ("sign", None),
            ("opinion", lambda o: {"text": "同意。"}),
            ("reply", lambda o: {"reply_class": "B", "text": "已办理。", "document_number": "函1号", "signer": "张"}),
            ("request-adjustment", lambda o: {"reason": "不属于本单位。"}),
            ("request-extension", lambda o: {"reason": "需要时间。", "requested_due_on": "2026-08-01"}),
        )
    ],
    api("supervision-case-list"),
    api("supervision-case-detail", objects=pk("case"), sees=SUGGESTION),
    api("notification-list"),
    api_post(
        "notification-read",
        objects=pk("notification"),
        special={role: {"a": ALLOWED, "b": NOT_FOUND} for role in ROLES if role != "anonymous"},
        note="variant a: the requester's own notification; variant b: another user's (404)",
    ),
    # --- activities and invitations ---
    api("activity-list"),
    api("activity-detail", objects=pk("activity"), sees=OWNED),
    *[
        api_post(f"activity-{action}", objects=pk("activity"), sees=OWNED, acts=WRITERS, payload=body)
        for action, body in (
            ("hold", None),
            ("cancel", None),
            ("invite", lambda o: {"deputies": [o["deputy"].pk]}),
        )
    ],
    api_post("activity-enroll", objects=pk("activity"), sees=OWNED, acts=THE_DEPUTY),
    api_post(
        "activity-sign-in",
        objects=pk("activity"),
        sees=OWNED,
        acts=THE_DEPUTY,
        payload=lambda o: {"code": o["activity"].sign_in_code},
    ),
    api("invitation-list"),
    api("invitation-detail", objects=pk("invitation"), sees=OWNED),
    api_post("invitation-accept", objects=pk("invitation"), sees=OWNED, acts=THE_DEPUTY),
    api_post(
        "invitation-decline",
        objects=pk("invitation"),
        sees=OWNED,
        acts=THE_DEPUTY,
        payload=lambda o: {"reason": "出差。"},
    ),
    api_post("invitation-mark-attended", objects=pk("invitation"), sees=OWNED, acts=WRITERS),
    # --- training and learning ---
    api("training-plan-list"),
    api("training-plan-detail", objects=pk("plan"), sees=WORK),
    api_post("training-plan-approve", objects=pk("plan"), sees=WORK, acts=OFFICE_ONLY),
    api_post("training-plan-include-in-schedule", objects=pk("plan"), sees=WORK, acts=OFFICE_ONLY),
    api("training-course-list"),
    api("training-course-detail", objects=pk("course"), sees=OWNED),
    api_post(
        "training-course-invite",
        objects=pk("course"),
        sees=OWNED,
        acts=WRITERS,
        payload=lambda o: {"deputies": [o["deputy"].pk]},
    ),
    api_post("training-course-issue-certificates", objects=pk("course"), sees=OWNED, acts=WRITERS),
    api("learning-material-list"),
    api("learning-material-detail", objects=pk("material"), sees=WORK),
    api_post(
        "learning-material-complete",
        objects=pk("material"),
        sees=WORK,
        acts=frozenset({"deputy", "deputy_2"}),
    ),
    api("training-figures-list", DESK_READERS),
    # --- meetings ---
    api("meeting-list"),
    api("meeting-detail", objects=pk("meeting"), sees=WORK),
    api_post(
        "meeting-invite",
        objects=pk("meeting"),
        sees=WORK,
        acts=WRITERS,
        payload=lambda o: {"deputies": [o["deputy"].pk]},
    ),
    api("meeting-opinions", objects=pk("meeting"), sees=WORK),
    api_post(
        "meeting-opinions",
        objects=pk("meeting"),
        sees=WORK,
        acts=frozenset({"deputy", "deputy_2"}),
        payload=lambda o: {"content": "建议加大投入。"},
        note="a serving deputy raises an opinion (409 unless they accepted the sitting); staff record one "
        "for a deputy (they must name them)",
    ),
    api_post(
        "meeting-propose-attendees",
        objects=pk("meeting"),
        sees=WORK,
        acts=frozenset({"admin", "office", "committee", "leader"}),
        payload=lambda o: {"invite": False},
        note="the rotation planner: staff and leaders",
    ),
    api("meeting-opinion-list"),
    api("meeting-opinion-detail", objects=pk("opinion"), sees=OWNED | THE_UNIT),
    api_post(
        "meeting-opinion-hand-over",
        objects=pk("opinion"),
        sees=OWNED | THE_UNIT,
        acts=WRITERS,
        payload=lambda o: {"handling_unit": o.tenant.unit.pk},
    ),
    api_post(
        "meeting-opinion-answer",
        objects=pk("opinion"),
        sees=OWNED | THE_UNIT,
        acts=UNIT_ACTS,
        payload=lambda o: {"answer": "已办理。"},
    ),
    # --- groups ---
    api("group-list"),
    api("group-detail", objects=pk("group"), sees=WORK),
    api("group-output-list"),
    api_post(
        "group-output-list",
        payload=lambda o: {"group": o["group"].pk, "kind": "opinion", "title": "意见"},
        payload_names_objects=True,
        sees=WORK,
        acts=frozenset({"admin", "office", "committee", "deputy"}),
        unseen=INVALID,
        note="staff for any group of their congress, a member for their group; an unseen group is unknown (400)",
    ),
    api("group-output-detail", objects=pk("output"), sees=OWNED),
    api_post(
        "group-output-adopt",
        objects=pk("output"),
        sees=OWNED,
        acts=WRITERS,
        payload=lambda o: {"adopted_on": "2026-06-30", "adopted_where": "常委会第三十次会议"},
    ),
    api("special-supervisor-list"),
    # --- legislation ---
    api("legislative-round-list"),
    api("legislative-round-detail", objects=pk("round"), sees=WORK),
    api_post("legislative-round-close", objects=pk("round"), sees=WORK, acts=WRITERS),
    api("legislative-proposal-list"),
    api_post(
        "legislative-proposal-list",
        payload=lambda o: {"round": o["round"].pk, "title": "条例", "reason": "需要立法。"},
        payload_names_objects=True,
        sees=WORK,
        acts=frozenset({"deputy", "deputy_2"}),
        unseen=INVALID,
    ),
    api("legislative-proposal-detail", objects=pk("proposal"), sees=OWNED),
    api_post("legislative-proposal-include", objects=pk("proposal"), sees=OWNED, acts=WRITERS),
    api_post("legislative-proposal-exclude", objects=pk("proposal"), sees=OWNED, acts=WRITERS),
    api("draft-list"),
    api("draft-detail", objects=pk("draft_regulation"), sees=OWNED),
    api("draft-comments", objects=pk("draft_regulation"), sees=OWNED),
    api_post(
        "draft-comments",
        objects=pk("draft_regulation"),
        sees=OWNED,
        acts=THE_DEPUTY,
        payload=lambda o: {"content": "建议明确责任主体。"},
    ),
    api(
        "draft-report",
        objects=pk("draft_regulation"),
        sees=OWNED,
        acts=frozenset({"admin", "office", "committee", "leader"}),
    ),
    # --- evaluations ---
    api("evaluation-project-list"),
    api("evaluation-project-detail", objects=pk("project"), sees=OWNED),
    api("evaluation-score-list"),
    api("evaluation-score-detail", objects=pk("score"), sees=OWNED),
    api_post(
        "evaluation-score-list",
        payload=lambda o: {"group": o["evaluation_group"].pk, "unit": o.tenant.unit.pk, "score": 88},
        payload_names_objects=True,
        sees=WORK,
        acts=THE_DEPUTY,
        unseen=INVALID,
        note="members of the group score its units",
    ),
    # --- campaigns ---
    api("campaign-list"),
    api("campaign-detail", objects=pk("campaign"), sees=WORK),
    api("campaign-opinion-list"),
    api_post(
        "campaign-opinion-list",
        payload=lambda o: {"campaign": o["campaign"].pk, "content": "建议排查。"},
        payload_names_objects=True,
        sees=WORK,
        acts=frozenset({"deputy", "deputy_2"}),
        unseen=INVALID,
    ),
    # --- stations, receptions, visits, forums ---
    api("station-list"),
    api("station-detail", objects=pk("station"), sees=TENANT - {"station_2"}),
    api("reception-day-list"),
    api("reception-day-detail", objects=pk("reception"), sees=WORK | {"station"}),
    api_post(
        "reception-day-list",
        payload=lambda o: {"station": o["station"].pk, "date": "2026-09-15", "deputies": [o["deputy"].pk]},
        payload_names_objects=True,
        sees=TENANT - {"station_2"},
        acts=STATION_RUNNERS,
    ),
    api("visit-list"),
    api("visit-detail", objects=pk("visit"), sees=frozenset({"office", "leader", "station", "deputy"})),
    api_post(
        "visit-list",
        payload=lambda o: {
            "station": o["station"].pk,
            "visited_on": "2026-03-15",
            "words": "路灯坏了。",
            "disposition": "answered",
        },
        payload_names_objects=True,
        sees=TENANT - {"station_2"},
        acts=STATION_RUNNERS,
    ),
    api("forum-list"),
    api("forum-detail", objects=pk("forum"), sees=WORK | {"station"}),
    api_post(
        "forum-list",
        payload=lambda o: {"station": o["station"].pk, "held_on": "2026-04-10", "topic": "恳谈会"},
        payload_names_objects=True,
        sees=TENANT - {"station_2"},
        acts=STATION_RUNNERS,
    ),
    # --- citizens' issues ---
    api("issue-list"),
    api("issue-detail", objects=pk("issue"), sees=ISSUE),
    api_post(
        "issue-list",
        payload=lambda o: {"channel": "deputy", "content": "路灯不亮。", "station": o["station"].pk},
        payload_names_objects=True,
        sees=TENANT,
        acts=frozenset({"admin", "office", "station", "deputy", "deputy_2"}),
        unseen=FORBIDDEN,
        note="staff of the station, the office, or a deputy of the congress (what they collected) record "
        "issues; a station is public (its page), so another congress's is refused by role (403)",
    ),
    *[
        api_post(f"issue-{action}", objects=pk("issue"), sees=ISSUE, acts=STATION_RUNNERS, payload=body)
        for action, body in (
            ("screen", lambda o: {"accept": True, "tier": 1}),
            ("assign", lambda o: {"handling_unit": o.tenant.unit.pk}),
            ("escalate", None),
            ("close", None),
            ("outcome", lambda o: {"people_helped": 3}),
        )
    ],
    api_post(
        "issue-convert",
        objects=pk("issue"),
        sees=ISSUE,
        acts=STATION_RUNNERS | {"deputy"},
        note="the deputy the issue was written to may turn it into their suggestion",
    ),
    api_post(
        "issue-answer",
        objects=pk("issue"),
        sees=ISSUE,
        acts=frozenset({"admin", "office", "unit"}),
        payload=lambda o: {"body": "已处理。"},
        note="at tier 3 the unit answers (and the office)",
    ),
    api_post(
        "issue-rate",
        objects=pk("hotline_issue"),
        sees=frozenset({"office", "leader", "deputy"}),
        acts=THE_DEPUTY,
        payload=lambda o: {"rating": "satisfied"},
        note="the deputy who reported a hotline problem rates its answer",
    ),
    # --- the citizens' public API (no account) ---
    api_post(
        "public-issue-list",
        PUBLIC,
        payload=lambda o: {"deputy_code": o["deputy"].public_code, "content": "路灯不亮。"},
        payload_names_objects=True,
        success=CREATED,
    ),
    api("public-issue-detail", PUBLIC, objects={"tracking_code": "issue.tracking_code"}),
    api_post(
        "public-issue-rate",
        PUBLIC,
        objects={"tracking_code": "issue.tracking_code"},
        payload=lambda o: {"rating": "satisfied"},
    ),
]

TABLE: list[Row] = PAGE_ROWS + API_ROWS
