"""A suggestion's journey through three interfaces in a real Chromium: the deputy-affairs office assigns
it in the admin, the handling unit signs and replies at its desk, the deputy rates the reply 不满意 on a
phone, and the counterpart committee finds the supervision case that opened."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from suggestions.choices import AssignmentStatus, Rating, SuggestionStatus, SupervisionTrigger
from suggestions.models import Assignment, Evaluation, Reply, Suggestion, SupervisionCase
from tests.e2e.conftest import with_password

pytestmark = pytest.mark.e2e

# The message the site shows after a move (base.html), not the coloured boxes of the pages themselves.
MESSAGE_OK = "main > .alert-success[role=alert]"


def reload(obj):
    return type(obj)._default_manager.get(pk=obj.pk)


def test_office_staff_assign_a_suggestion_to_a_unit_in_the_admin(browsing, flow, office_user, world):
    # given an accepted suggestion, and the office's clerk logging in through the login form
    suggestion = flow.accepted()
    unit = world.a.unit
    with_password(office_user)
    page = browsing.open()
    browsing.login(page, office_user, next_url="/admin/suggestions/suggestion/")
    expect(page.locator("#result_list")).to_contain_text(suggestion.title)
    browsing.shot(page, "1-changelist")

    # when the clerk ticks it and runs the action 交办
    page.locator(f"input.action-select[value='{suggestion.pk}']").check()
    page.locator("select[name=action]").select_option("assign")
    page.locator("button[name=index]").click()
    # then the intermediate page names the suggestion and offers the units of congress A only
    expect(page.locator("#content")).to_contain_text(suggestion.title)
    lead_units = page.locator("select[name=lead_units]")
    offered = lead_units.locator("option").all_inner_texts()
    assert unit.name in offered
    assert world.b.unit.name not in offered
    lead_units.select_option(str(unit.pk))
    browsing.shot(page, "2-choose-units")
    page.locator("input[name=apply]").click()

    # then the changelist says it is done, and the suggestion is assigned to the unit from today
    expect(page.locator("ul.messagelist li.success")).to_be_visible()
    expect(page.locator("#result_list tbody tr").filter(has_text=suggestion.title)).to_contain_text("已交办")
    browsing.shot(page, "3-assigned")
    assert reload(suggestion).status == SuggestionStatus.ASSIGNED
    assignment = Assignment.objects.live().get(suggestion=suggestion)
    assert assignment.unit == unit
    assert assignment.status == AssignmentStatus.ASSIGNED
    assert assignment.assigned_on == timezone.localdate()
    assert assignment.due_on > assignment.assigned_on
    browsing.assert_no_console_errors()


def test_a_unit_signs_for_its_assignment_and_replies_at_the_desk(browsing, flow, unit_user, reply_classes):
    # given a suggestion assigned to the unit, whose clerk logs in
    suggestion = flow.assigned(co=False, on=timezone.localdate() - datetime.timedelta(days=20))
    assignment = flow.assignment(suggestion)
    with_password(unit_user)
    page = browsing.open()
    browsing.login(page, unit_user, next_url="/desk/assignments/")
    browsing.shot(page, "1-desk-list")

    # when the clerk opens it from the to-do list and signs for it (签收)
    page.get_by_role("link", name=suggestion.title).click()
    expect(page).to_have_url(f"{browsing.base_url}/desk/assignments/{assignment.pk}/")
    page.get_by_role("button", name="签收").click()
    expect(page.locator(MESSAGE_OK)).to_be_visible()
    assert reload(assignment).status == AssignmentStatus.SIGNED
    browsing.shot(page, "2-signed")

    # and opens "答复代表" and sends a B-class reply
    page.get_by_role("button", name="答复代表").click()
    reply_form = page.locator("#reply form")
    expect(reply_form).to_be_visible()
    reply_form.locator("select[name=reply_class]").select_option(str(reply_classes["B"].pk))
    reply_form.locator("input[name=document_number]").fill("甲自然资函〔2026〕88号")
    reply_form.locator("input[name=signer]").fill("张局长")
    reply_form.locator("textarea[name=text]").fill("已列入明年计划，逐步改善寄宿条件。")
    browsing.shot(page, "3-reply-form")
    reply_form.locator("button").click()

    # then the desk confirms it, the assignment is replied and the deputy is waiting to rate it
    expect(page.locator(MESSAGE_OK)).to_be_visible()
    browsing.shot(page, "4-replied")
    assert reload(assignment).status == AssignmentStatus.REPLIED
    assert reload(suggestion).status == SuggestionStatus.REPLIED
    reply = Reply.objects.get(assignment=assignment)
    assert (reply.document_number, reply.signer, reply.reply_class.code) == ("甲自然资函〔2026〕88号", "张局长", "B")
    browsing.assert_no_console_errors()


def test_the_deputy_rates_a_reply_unsatisfied_on_a_phone_and_the_committee_sees_the_case(
    browsing, flow, deputy_user, committee_user, world
):
    # given a reply waiting for the lead deputy's rating
    today = timezone.localdate()
    suggestion = flow.assigned(co=False, on=today - datetime.timedelta(days=40))
    reply = flow.reply(flow.assignment(suggestion), on=today - datetime.timedelta(days=3))
    with_password(deputy_user)

    # when the deputy logs in on a phone and opens 我的建议 from the collapsed menu
    phone = browsing.open(phone=True)
    browsing.login(phone, deputy_user)
    phone.locator(".navbar-toggler").tap()
    phone.locator("#main-nav").get_by_role("link", name="我的建议").tap()
    browsing.shot(phone, "1-my-suggestions")
    phone.locator(".card.border-warning").get_by_role("link", name=suggestion.title).tap()

    # and rates the attitude 满意 and the result 不满意
    rating = phone.locator(f"form[action$='/replies/{reply.pk}/rate/']")
    expect(rating).to_be_visible()
    rating.locator("input[name=attitude][value=satisfied]").check()
    result = rating.locator("input[name=result][value=unsatisfied]")
    expect(rating.locator(f"label[for='{result.get_attribute('id')}']")).to_have_text("不满意")
    result.check()
    rating.locator("textarea[name=comment]").fill("寄宿条件仍未改善。")
    browsing.shot(phone, "2-rating")
    rating.get_by_role("button").tap()

    # then the portal thanks the deputy, the reply goes back to the unit, and a case opens
    expect(phone.locator(MESSAGE_OK)).to_be_visible()
    browsing.shot(phone, "3-rated")
    evaluation = Evaluation.objects.get(reply=reply)
    assert (evaluation.attitude, evaluation.result) == (Rating.SATISFIED, Rating.UNSATISFIED)
    case = SupervisionCase.objects.get(suggestion=suggestion)
    assert case.trigger == SupervisionTrigger.UNSATISFIED
    assert case.committee == world.a.committee

    # when the counterpart committee opens its desk (a user of its own, on a desktop)
    desk = browsing.open(user=committee_user)
    desk.goto("/desk/committee/")
    cases = desk.locator(".card.border-danger")
    expect(cases).to_contain_text(suggestion.title)
    browsing.shot(desk, "4-committee-cases")
    # then the case leads to the suggestion, with the open case and its forms
    cases.get_by_role("link", name=suggestion.title).click()
    expect(desk).to_have_url(f"{browsing.base_url}/desk/committee/suggestions/{suggestion.pk}/")
    opened = desk.locator(".card.border-danger").filter(has_text=world.a.committee.name)
    expect(opened).to_be_visible()
    expect(opened.locator(f"form[action$='/desk/committee/cases/{case.pk}/record/']")).to_be_visible()
    browsing.shot(desk, "5-case")
    assert Suggestion.objects.get(pk=suggestion.pk).status == SuggestionStatus.ASSIGNED  # re-handling
    browsing.assert_no_console_errors()

    # and the date of the action to record starts at today, as the form's initial value says.
    # BUG (left failing): a type="date" input needs YYYY-MM-DD, but suggestions/forms.py renders the
    # date in the zh-hans input format (2026/11/26), which Chromium drops: the field shows empty.
    record_date = opened.locator(f"form[action$='/cases/{case.pk}/record/'] input[name=date]")
    expect(record_date).to_have_value(today.isoformat(), timeout=1000)  # the page is loaded already
