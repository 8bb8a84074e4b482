"""码上找代表 in a real Chromium: a citizen scans a deputy's QR code on a phone, writes to the deputy
without an account, follows the matter with the tracking code, and rates the answer the liaison station
gave at its desk."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from liaison_stations.choices import Channel, IssueRating, IssueStatus
from liaison_stations.models import PublicIssue
from tests.liaison_stations.factories_public import StationDeputyFactory

pytestmark = pytest.mark.e2e

MESSAGE_OK = "main > .alert-success[role=alert]"
CONTENT = "小区门口的路灯坏了两个星期，晚上老人出门不安全。"
ANSWER = "已联系街道照明所，路灯将于本周内修复。"


def test_a_citizen_writes_to_a_deputy_from_the_qr_page_tracks_the_matter_and_rates_the_answer(
    browsing, world, station_user
):
    # given a deputy of congress A who serves at the station, and the placard's QR link
    deputy = world.a.deputies[0]
    StationDeputyFactory(station=world.a.station, deputy=deputy)

    # when a citizen scans it with a phone and writes to the deputy
    phone = browsing.open(phone=True)
    phone.goto(f"/q/{deputy.public_code}")
    expect(phone.locator("h1")).to_contain_text(deputy.name)
    browsing.shot(phone, "1-intake")
    form = phone.locator("form.public-form")
    form.locator("textarea[name=content]").fill(CONTENT)
    form.locator("input[name=location]").fill("桃花仑路 3 号门口")
    form.locator("input[name=citizen_name]").fill("王秀英")
    form.locator("input[name=citizen_phone]").fill("139 1234 0044")
    form.locator("input[name=consent]").check()
    browsing.shot(phone, "2-intake-filled")
    form.locator("button[type=submit]").tap()

    # then the thank-you page shows the tracking code of the saved issue, at the deputy's station
    code = phone.locator("[data-tracking-code]")
    expect(code).to_have_text(re.compile(r"^\s*[0-9A-Z]{12}\s*$"))
    tracking_code = code.inner_text().strip()
    issue = PublicIssue.objects.get(tracking_code=tracking_code)
    assert (issue.channel, issue.status, issue.content) == (Channel.QR, IssueStatus.SUBMITTED, CONTENT)
    assert (issue.deputy, issue.station, issue.citizen_phone) == (deputy, world.a.station, "13912340044")
    browsing.shot(phone, "3-thanks")

    # when the citizen follows the matter, the tracking page shows it submitted, the phone masked
    phone.locator("main a.btn-primary").tap()
    expect(phone).to_have_url(f"{browsing.base_url}/track/{tracking_code}")
    expect(phone.locator(".tracking-code")).to_have_text(tracking_code)
    expect(phone.locator("main")).to_contain_text(CONTENT)
    expect(phone.locator("main")).to_contain_text("139****0044")
    expect(phone.locator("main")).not_to_contain_text("13912340044")
    expect(phone.locator("main form[method=post]")).to_have_count(0)  # nothing to rate yet
    browsing.shot(phone, "4-tracking-submitted")

    # when the station's staff accept it at tier 1 and answer at their desk
    desk = browsing.open(user=station_user)
    desk.goto("/desk/stations/issues/")
    desk.get_by_role("link", name=tracking_code).first.click()
    expect(desk.locator("main")).to_contain_text("13912340044")  # those handling it see the number
    desk.locator("form[action$='/screen/'] button").click()
    expect(desk.locator(MESSAGE_OK)).to_be_visible()
    answer_form = desk.locator("form[action$='/answer/']")
    answer_form.locator("textarea[name=body]").fill(ANSWER)
    browsing.shot(desk, "5-station-answer")
    answer_form.locator("button").click()
    expect(desk.locator(MESSAGE_OK)).to_be_visible()
    browsing.shot(desk, "6-station-answered")
    assert PublicIssue.objects.get(pk=issue.pk).status == IssueStatus.ANSWERED

    # then the citizen reads the answer on the tracking page and rates it 满意
    phone.reload()
    expect(phone.locator("main")).to_contain_text(ANSWER)
    rating = phone.locator("main form[method=post]")
    satisfied = rating.locator("input[name=rating][value=satisfied]")
    expect(rating.locator(f"label[for='{satisfied.get_attribute('id')}']")).to_have_text("满意")
    satisfied.check()
    rating.locator("textarea[name=comment]").fill("修得很快，谢谢。")
    browsing.shot(phone, "7-rating")
    rating.locator("button[type=submit]").tap()

    # then the rating is recorded and the matter is closed, for the citizen and in the database
    expect(phone.locator(MESSAGE_OK)).to_be_visible()
    expect(phone.locator("main form[method=post]")).to_have_count(0)
    browsing.shot(phone, "8-rated")
    issue = PublicIssue.objects.get(pk=issue.pk)
    assert (issue.status, issue.rating, issue.rating_comment) == (
        IssueStatus.CLOSED,
        IssueRating.SATISFIED,
        "修得很快，谢谢。",
    )
    browsing.assert_no_console_errors()

    # and the timeline's heading speaks of the matter's progress, not of a deputy's studies.
    # BUG (left failing): track.html shares the msgid "Progress" with the learning area (学习进度).
    expect(phone.locator("main")).not_to_contain_text("学习进度", timeout=1000)  # the page is loaded already
