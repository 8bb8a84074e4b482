"""Pages of the workflow: the deputy portal, the unit desk, the committee's view, published replies.
Access (anonymous → login, wrong role → 403, out of scope → 404), the story through the forms, and
query budgets (the same with 2 and with 20 rows)."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from django.utils.translation import gettext

from congress.models import Notification
from suggestions import services
from suggestions.choices import AssignmentStatus, Rating, SuggestionStatus, SupervisionStatus
from suggestions.models import Assignment, Reply, Suggestion, SupervisionCase
from tests.queries import assert_same_query_count

pytestmark = pytest.mark.django_db


def reload(obj):
    return type(obj).objects.get(pk=obj.pk)


# --- access ----------------------------------------------------------------------------------------


PAGES = [
    ("portal_list", "/portal/suggestions/", "deputy_user", "unit_user"),
    ("desk_list", "/desk/assignments/", "unit_user", "deputy_user"),
    ("committee_list", "/desk/committee/", "committee_user", "unit_user"),
]


@pytest.mark.parametrize(("name", "url", "owner", "wrong_role"), PAGES, ids=[page[0] for page in PAGES])
def test_list_pages_answer_by_role(client, request, name, url, owner, wrong_role):
    # given the page's users
    owner_user = request.getfixturevalue(owner)
    wrong_user = request.getfixturevalue(wrong_role)

    # when anonymous, the wrong role and the right role open it
    anonymous = client.get(url)
    client.force_login(wrong_user)
    wrong = client.get(url)
    client.force_login(owner_user)
    right = client.get(url)

    # then: login, 403, 200
    assert anonymous.status_code == 302
    assert anonymous.url.startswith("/accounts/login/")
    assert wrong.status_code == 403
    assert right.status_code == 200


def test_detail_pages_outside_scope_answer_404(client, flow, other_deputy_user, unit_user_b, committee_user_b):
    # given an assigned suggestion of congress A
    suggestion = flow.assigned()
    assignment = flow.assignment(suggestion)

    # when users of congress B open its pages
    client.force_login(other_deputy_user)
    portal = client.get(f"/portal/suggestions/{suggestion.pk}/")
    client.force_login(unit_user_b)
    desk = client.get(f"/desk/assignments/{assignment.pk}/")
    client.force_login(committee_user_b)
    committee = client.get(f"/desk/committee/suggestions/{suggestion.pk}/")

    # then each answers 404 like a missing one
    assert (portal.status_code, desk.status_code, committee.status_code) == (404, 404, 404)


def test_a_unit_does_not_open_another_units_assignment(client, flow, co_unit_user, unit_user):
    # given an assignment of the lead unit and one of the co unit
    suggestion = flow.assigned()
    lead = flow.assignment(suggestion)

    # when the co unit opens the lead unit's assignment
    client.force_login(co_unit_user)
    response = client.get(f"/desk/assignments/{lead.pk}/")

    # then it is not found, while the lead unit sees it
    assert response.status_code == 404
    client.force_login(unit_user)
    assert client.get(f"/desk/assignments/{lead.pk}/").status_code == 200


def test_drafts_stay_private_to_the_deputy(client, flow, office_user, cosigner_user, deputy_user):
    # given a draft with an invited co-signer
    draft = flow.draft(cosigners=(cosigner_user.deputy,))

    # then the office does not see it in the admin, the co-signer and the deputy do in the portal
    client.force_login(office_user)
    assert client.get(f"/admin/suggestions/suggestion/{draft.pk}/change/").status_code == 302
    client.force_login(cosigner_user)
    assert client.get(f"/portal/suggestions/{draft.pk}/").status_code == 200
    client.force_login(deputy_user)
    assert client.get(f"/portal/suggestions/{draft.pk}/").status_code == 200


# --- the story through the pages --------------------------------------------------------------------


def test_deputy_writes_and_submits_through_the_portal(client, world, deputy_user, cosigner_user):
    # given a deputy in the portal
    client.force_login(deputy_user)

    # when they write a draft with a co-signer
    response = client.post(
        "/portal/suggestions/new/",
        {
            "title": "关于加强社区养老服务的建议",
            "body": "建议……",
            "category": world.a.subject_category.pk,
            "confidentiality": "public",
            "publication": "full",
            "cosigners": [cosigner_user.deputy.pk],
        },
    )

    # then a draft exists and the co-signer is invited
    suggestion = Suggestion.objects.get(title="关于加强社区养老服务的建议")
    assert response.status_code == 302
    assert suggestion.status == SuggestionStatus.DRAFT
    assert suggestion.cosigners.get().deputy == cosigner_user.deputy

    # when they submit before the co-signer answered
    client.post(f"/portal/suggestions/{suggestion.pk}/submit/")

    # then it stays a draft with a message, and after the co-signer confirms it is submitted and numbered
    assert reload(suggestion).status == SuggestionStatus.DRAFT
    client.force_login(cosigner_user)
    client.post(f"/portal/suggestions/{suggestion.pk}/accept/")
    client.force_login(deputy_user)
    client.post(f"/portal/suggestions/{suggestion.pk}/submit/")
    assert reload(suggestion).status == SuggestionStatus.SUBMITTED
    assert reload(suggestion).number == 1


def test_empty_form_shows_field_errors_and_writes_nothing(client, deputy_user):
    # given a deputy
    client.force_login(deputy_user)

    # when they send an empty form
    response = client.post("/portal/suggestions/new/", {})

    # then the form comes back with errors and nothing is saved
    assert response.status_code == 200
    assert set(response.context["form"].errors) >= {"title", "body", "category"}
    assert not Suggestion.objects.exists()


def test_unit_signs_and_replies_at_the_desk_and_the_deputy_rates_unsatisfied(
    client, flow, unit_user, deputy_user, committee_user, reply_classes, django_capture_on_commit_callbacks
):
    # given a suggestion assigned to the unit
    suggestion = flow.assigned(co=False)
    assignment = flow.assignment(suggestion)
    client.force_login(unit_user)

    # when the unit signs and replies with a file
    client.post(f"/desk/assignments/{assignment.pk}/sign/")
    client.post(
        f"/desk/assignments/{assignment.pk}/reply/",
        {
            "reply_class": reply_classes["B"].pk,
            "document_number": "甲自然资函〔2026〕7号",
            "signer": "张局长",
            "text": "已列入计划。",
            "publication": "full",
            "attachment": SimpleUploadedFile("reply.pdf", b"%PDF-1.4 demo", content_type="application/pdf"),
        },
    )

    # then the suggestion waits for the rating
    assert reload(assignment).status == AssignmentStatus.REPLIED
    assert reload(suggestion).status == SuggestionStatus.REPLIED
    reply = Reply.objects.get(assignment=assignment)
    assert reply.attachment.name.endswith(".pdf")

    # when the deputy rates the result 不满意 in the portal
    client.force_login(deputy_user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/portal/suggestions/{suggestion.pk}/replies/{reply.pk}/rate/",
            {"attitude": Rating.SATISFIED, "result": Rating.UNSATISFIED, "comment": "未解决"},
        )

    # then a supervision case appears on the committee's page and the committee is told
    case = SupervisionCase.objects.get(suggestion=suggestion)
    assert case.status == SupervisionStatus.OPEN
    client.force_login(committee_user)
    page = client.get("/desk/committee/")
    assert case in page.context["cases"]
    assert Notification.objects.filter(user=committee_user).exists()


def test_reply_with_a_forbidden_file_type_is_refused(client, flow, unit_user, reply_classes):
    # given an assigned item
    assignment = flow.assignment(flow.assigned(co=False))
    client.force_login(unit_user)

    # when the unit uploads an executable as the reply file
    client.post(
        f"/desk/assignments/{assignment.pk}/reply/",
        {
            "reply_class": reply_classes["A"].pk,
            "document_number": "1",
            "signer": "张",
            "text": "答复",
            "publication": "full",
            "attachment": SimpleUploadedFile("virus.exe", b"MZ", content_type="application/octet-stream"),
        },
    )

    # then nothing is replied
    assert reload(assignment).status == AssignmentStatus.ASSIGNED
    assert not Reply.objects.exists()


def test_adjustment_after_the_window_is_refused_with_a_message(client, flow, unit_user):
    # given an item assigned long ago (the window of 5 working days has passed)
    assignment = flow.assignment(flow.assigned(co=False, on=datetime.date(2025, 1, 6)))
    client.force_login(unit_user)

    # when the unit asks for an adjustment
    response = client.post(
        f"/desk/assignments/{assignment.pk}/adjustment/", {"reason": "不属于本单位职责"}, follow=True
    )

    # then it is refused, the page says why (in Chinese) and the assignment is unchanged
    assert reload(assignment).status == AssignmentStatus.ASSIGNED
    with translation.override("zh-hans"):
        expected = gettext("The window for adjustment requests closed on %(day)s.") % {
            "day": assignment.adjustment_deadline
        }
    assert expected in [str(message) for message in response.context["messages"]]


def test_committee_records_a_face_to_face_meeting_and_closes_after_a_second_unsatisfied(
    client, flow, unit_user, deputy_user, committee_user
):
    # given a suggestion rated 不满意 twice
    suggestion, reply = flow.replied()
    flow.rate(reply, Rating.UNSATISFIED)
    second = flow.reply(flow.assignment(suggestion), code="B", on=datetime.date(2026, 6, 1))
    flow.rate(second, Rating.UNSATISFIED, on=datetime.date(2026, 6, 3))
    case = SupervisionCase.objects.get(suggestion=suggestion, status=SupervisionStatus.OPEN)
    client.force_login(committee_user)

    # when the committee tries to close without a meeting, then records one and closes
    client.post(f"/desk/committee/cases/{case.pk}/close/", {"outcome": "已当面说明"})
    assert reload(case).status == SupervisionStatus.OPEN
    client.post(
        f"/desk/committee/cases/{case.pk}/record/",
        {"kind": "face_to_face", "date": "2026-06-10", "note": "与代表当面沟通"},
    )
    client.post(f"/desk/committee/cases/{case.pk}/close/", {"outcome": "已当面说明，代表理解"})

    # then the case and the suggestion are closed with an explanation
    assert reload(case).status == SupervisionStatus.CLOSED
    closed = reload(suggestion)
    assert closed.status == SuggestionStatus.CLOSED
    assert closed.close_reason == "explained"


def test_published_replies_hide_contacts_and_confidential_items(client, flow, office_user):
    # given two replied suggestions, one confidential, with a phone number in the reply text
    _public, reply = flow.replied(code="A")
    flow.rate(reply, Rating.SATISFIED)
    Reply.objects.filter(pk=reply.pk).update(text="联系人王科长，电话13812345678，邮箱wang@example.cn")
    services.reply_publish(reply=reply, actor=office_user)
    _secret, secret_reply = flow.replied(code="A", confidentiality="confidential")

    # when anyone opens the public pages
    listing = client.get("/replies/")
    detail = client.get(f"/replies/{reply.pk}/")

    # then the public reply shows without contacts and the confidential one is absent
    assert list(listing.context["page"].object_list) == [reply]
    assert "13812345678" not in detail.content.decode()
    assert "wang@example.cn" not in detail.content.decode()
    assert client.get(f"/replies/{secret_reply.pk}/").status_code == 404


# --- query budgets -----------------------------------------------------------------------------------


def test_portal_list_takes_the_same_queries_with_2_and_20(client, flow, deputy_user, django_assert_num_queries):
    client.force_login(deputy_user)
    for _ in range(2):
        flow.submitted()
    assert_same_query_count(
        django_assert_num_queries,
        lambda: client.get("/portal/suggestions/"),
        lambda: [flow.submitted() for _ in range(18)],
    )


def test_unit_desk_list_takes_the_same_queries_with_2_and_20(client, flow, unit_user, django_assert_num_queries):
    client.force_login(unit_user)
    for _ in range(2):
        flow.assigned()
    assert_same_query_count(
        django_assert_num_queries,
        lambda: client.get("/desk/assignments/"),
        lambda: [flow.assigned() for _ in range(18)],
    )


def test_committee_list_takes_the_same_queries_with_2_and_20(client, flow, committee_user, django_assert_num_queries):
    client.force_login(committee_user)
    for _ in range(2):
        flow.assigned()
    assert_same_query_count(
        django_assert_num_queries,
        lambda: client.get("/desk/committee/"),
        lambda: [flow.assigned() for _ in range(18)],
    )


def test_detail_page_queries_do_not_grow_with_the_timeline(client, flow, deputy_user, django_assert_num_queries):
    # given a suggestion with a short and then a long history
    client.force_login(deputy_user)
    suggestion, _reply = flow.replied(co=True)
    url = f"/portal/suggestions/{suggestion.pk}/"
    client.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as short:
        client.get(url)
    assignment = Assignment.objects.get(suggestion=suggestion, role="lead")
    for day in range(1, 9):
        services.communication_record(
            assignment=assignment,
            actor=flow.unit_user,
            way="phone",
            date=datetime.date(2026, 3, day),
            summary="电话沟通",
        )

    # then the page takes as many queries as before
    with django_assert_num_queries(len(short)):
        client.get(url)


def test_committee_proposes_other_units_before_the_assignment(client, flow, committee_user, co_unit, office_user):
    # given an accepted suggestion in the committee's counterpart category
    suggestion = flow.accepted()
    client.force_login(committee_user)

    # when the committee proposes a unit with a reason
    client.post(
        f"/desk/committee/suggestions/{suggestion.pk}/propose/", {"units": [co_unit.pk], "reason": "职责在教育局"}
    )

    # then the proposal is recorded on the timeline and shown to the office in the admin
    proposal = suggestion.unit_proposals.get()
    assert list(proposal.units.all()) == [co_unit]
    assert suggestion.events.filter(action="propose_adjustment").count() == 1
    client.force_login(office_user)
    page = client.get(f"/admin/suggestions/suggestion/{suggestion.pk}/change/")
    assert co_unit.name in page.content.decode()


def test_unit_sends_a_follow_up_reply_for_a_class_b_item(client, flow, unit_user, reply_classes):
    # given a class B reply rated satisfied (the unit owes a follow-up when it is done)
    suggestion, reply = flow.replied(code="B")
    flow.rate(reply, Rating.SATISFIED)
    client.force_login(unit_user)
    assignment = flow.assignment(suggestion)
    assert client.get(f"/desk/assignments/{assignment.pk}/").context["follow_up_due"] == reply

    # when the unit sends the follow-up reply at the desk
    client.post(
        f"/desk/assignments/{assignment.pk}/follow-up/",
        {
            "reply_class": reply_classes["A"].pk,
            "document_number": "甲函〔2026〕99号",
            "signer": "张局长",
            "text": "已解决",
        },
    )

    # then it is recorded as a follow-up and nothing is owed any more; the suggestion stays closed
    follow_up = Reply.objects.get(assignment=assignment, is_follow_up=True)
    assert follow_up.reply_class.code == "A"
    assert client.get(f"/desk/assignments/{assignment.pk}/").context["follow_up_due"] is None
    assert reload(suggestion).status == SuggestionStatus.CLOSED


def test_the_full_story_through_the_pages(
    client,
    world,
    deputy_user,
    cosigner_user,
    office_user,
    committee_user,
    unit_user,
    co_unit,
    co_unit_user,
    reply_classes,
    django_capture_on_commit_callbacks,
):
    a = world.a

    def post_as(user, url, data=None):
        client.force_login(user)
        return client.post(url, data or {})

    # the deputy drafts with a co-signer, who confirms; the deputy submits
    post_as(
        deputy_user,
        "/portal/suggestions/new/",
        {
            "title": "关于完善乡村公交的建议",
            "body": "建议……",
            "category": a.subject_category.pk,
            "confidentiality": "public",
            "publication": "full",
            "cosigners": [cosigner_user.deputy.pk],
        },
    )
    suggestion = Suggestion.objects.get(title="关于完善乡村公交的建议")
    post_as(cosigner_user, f"/portal/suggestions/{suggestion.pk}/accept/")
    post_as(deputy_user, f"/portal/suggestions/{suggestion.pk}/submit/")

    # the office accepts, pre-assigns and assigns a lead and a co unit in the admin
    changelist = "/admin/suggestions/suggestion/"
    post_as(office_user, changelist, {"action": "accept", "_selected_action": [suggestion.pk]})
    units = {"mode": "lead", "lead_units": [a.unit.pk], "co_units": [co_unit.pk], "apply": "1"}
    for action in ("pre_assign", "assign"):
        post_as(office_user, changelist, {"action": action, "_selected_action": [suggestion.pk], **units})
    assert reload(suggestion).status == SuggestionStatus.ASSIGNED
    lead = Assignment.objects.get(suggestion=suggestion, unit=a.unit, status="assigned")
    co = Assignment.objects.get(suggestion=suggestion, unit=co_unit, status="assigned")

    # the units sign; the co unit sends its opinion; the lead unit replies B
    post_as(unit_user, f"/desk/assignments/{lead.pk}/sign/")
    post_as(co_unit_user, f"/desk/assignments/{co.pk}/sign/")
    post_as(co_unit_user, f"/desk/assignments/{co.pk}/opinion/", {"text": "同意"})
    reply_form = {
        "reply_class": reply_classes["B"].pk,
        "document_number": "1号",
        "signer": "张",
        "text": "列入计划",
        "publication": "full",
    }
    post_as(unit_user, f"/desk/assignments/{lead.pk}/reply/", reply_form)
    first = Reply.objects.get(assignment=lead)

    # the deputy rates 不满意: round 2 and a supervision case for the committee
    with django_capture_on_commit_callbacks(execute=True):
        post_as(
            deputy_user,
            f"/portal/suggestions/{suggestion.pk}/replies/{first.pk}/rate/",
            {"attitude": "satisfied", "result": "unsatisfied"},
        )
    client.force_login(committee_user)
    assert [case.suggestion_id for case in client.get("/desk/committee/").context["cases"]] == [suggestion.pk]
    assert lead.rounds.count() == 2

    # the unit replies again (A) and the deputy is satisfied: closed
    post_as(
        unit_user,
        f"/desk/assignments/{lead.pk}/reply/",
        {**reply_form, "reply_class": reply_classes["A"].pk, "document_number": "2号", "text": "已解决"},
    )
    second = Reply.objects.get(assignment=lead, round__number=2)
    post_as(
        deputy_user,
        f"/portal/suggestions/{suggestion.pk}/replies/{second.pk}/rate/",
        {"attitude": "satisfied", "result": "satisfied"},
    )
    assert reload(suggestion).status == SuggestionStatus.CLOSED
