"""Writing to a deputy without an account (/q/<code>): the phone page, the checks of what is typed and
uploaded, the honeypot, the per-address limit (IssueRules.intake_per_hour), and the thank-you page
with the tracking code. The issue itself is written by `issue_submit` (liaison_stations.services.issues)."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.urls import reverse

from congress import ratelimit
from congress.choices import CongressLevel
from deputies.choices import DeputyStatus, MandateStatus
from deputies.models import Mandate
from liaison_stations.choices import Channel, IssueStatus
from liaison_stations.models import IssuePhoto, IssueRules, PublicIssue
from liaison_stations.services import public as guards
from liaison_stations.views.public import THANKS_SESSION_KEY
from tests.congress.factories import CongressFactory, TermFactory
from tests.deputies.factories import MandateFactory
from tests.liaison_stations.factories import StationFactory
from tests.liaison_stations.factories_public import (
    StationDeputyFactory,
    big_upload,
    fake_image_upload,
    image_upload,
)

PHONE = {"HTTP_USER_AGENT": "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Mobile/15E148 MicroMessenger"}
GOOD = {
    "content": "小区门口的路灯坏了两个星期，晚上老人出门不安全。",
    "location": "桃花仑路 3 号门口",
    "citizen_name": "王秀英",
    "citizen_phone": "139 1234 0044",
    "consent": "on",
}


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def deputy(world):
    deputy = world.a.deputies[0]
    StationDeputyFactory(station=world.a.station, deputy=deputy)
    return deputy


def intake_url(deputy):
    return reverse("liaison_stations:intake", args=[deputy.public_code])


def post(client, deputy, data=None, ip="10.0.0.1", **extra):
    return client.post(intake_url(deputy), data if data is not None else GOOD, REMOTE_ADDR=ip, **PHONE, **extra)


# --- the page ---


def test_the_page_shows_the_deputy_and_the_form_without_an_account(client, deputy):
    response = client.get(intake_url(deputy), **PHONE)

    assert response.status_code == 200
    assert response.context["deputy"] == deputy
    content = response.content.decode()
    assert deputy.name in content
    assert 'name="website"' in content  # the honeypot is there, hidden
    assert 'enctype="multipart/form-data"' in content
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_no_page_for_an_unknown_code_or_a_deputy_who_does_not_serve(client, deputy):
    assert client.get(reverse("liaison_stations:intake", args=["no-such-code"])).status_code == 404

    deputy.status = DeputyStatus.SUSPENDED
    deputy.save()
    assert client.get(intake_url(deputy)).status_code == 404
    assert post(client, deputy).status_code == 404

    deputy.status = DeputyStatus.ACTIVE
    deputy.save()
    Mandate.objects.filter(deputy=deputy).update(status=MandateStatus.TERMINATED)
    assert client.get(intake_url(deputy)).status_code == 404
    assert PublicIssue.objects.count() == 0


# --- sending (needs issue_submit) ---


def test_a_citizen_writes_on_a_phone_and_gets_a_tracking_code(client, deputy, world):
    # when
    response = post(client, deputy, {**GOOD, "photos": [image_upload("a.jpg"), image_upload("b.png", "PNG")]})

    # then the issue is saved for the deputy's congress and station
    assert response.status_code == 302
    assert response["Location"] == reverse("liaison_stations:intake_thanks", args=[deputy.public_code])
    issue = PublicIssue.objects.get()
    assert issue.channel == Channel.QR
    assert issue.status == IssueStatus.SUBMITTED
    assert issue.congress == world.a.congress
    assert issue.deputy == deputy
    assert issue.station == world.a.station
    assert issue.content == GOOD["content"]
    assert issue.location == GOOD["location"]
    assert issue.citizen_phone == "13912340044"
    assert issue.consent is True
    assert issue.submitted_ip == "10.0.0.1"
    assert IssuePhoto.objects.filter(issue=issue).count() == 2

    # and the thank-you page shows the tracking code and its link
    thanks = client.get(response["Location"])
    assert thanks.status_code == 200
    assert thanks.context["tracking_code"] == issue.tracking_code
    assert issue.tracking_code in thanks.content.decode()
    assert f"/track/{issue.tracking_code}" in thanks.content.decode()


def test_the_issue_goes_to_the_most_local_congress_where_the_deputy_serves(client, deputy, world):
    # given a district seat and a station of the district
    district = CongressFactory(name="赫山区人民代表大会", short_name="赫山区人大", level=CongressLevel.COUNTY)
    MandateFactory(deputy=deputy, term=TermFactory(congress=district))
    district_station = StationFactory(congress=district, name="会龙山街道人大代表联络站")
    StationDeputyFactory(station=district_station, deputy=deputy)

    # when
    post(client, deputy, {"content": "菜市场旁边的下水道堵了。"})

    # then
    issue = PublicIssue.objects.get()
    assert issue.congress == district
    assert issue.station == district_station
    assert issue.citizen_phone == ""
    assert issue.consent is False


def test_the_limit_answers_429_on_the_eleventh_submission_and_saves_nothing(client, deputy):
    for number in range(10):
        assert post(client, deputy, {"content": f"第{number}条意见：路灯不亮。"}).status_code == 302

    # when
    response = post(client, deputy, {"content": "第十一条意见：路灯不亮。"})

    # then
    assert response.status_code == 429
    assert PublicIssue.objects.count() == 10
    # another address is not held back
    assert post(client, deputy, {"content": "别的地址：路灯不亮。"}, ip="10.0.0.2").status_code == 302


# --- field errors: nothing saved, what was typed is kept ---


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({**GOOD, "content": "太短"}, "content"),
        ({**GOOD, "content": "长" * 2001}, "content"),
        ({**GOOD, "citizen_phone": "1234567"}, "citizen_phone"),
        ({**GOOD, "citizen_phone": "23912340044"}, "citizen_phone"),
        ({**GOOD, "consent": ""}, "consent"),
    ],
    ids=["short-content", "long-content", "short-phone", "not-a-mobile", "phone-without-consent"],
)
def test_bad_input_shows_field_errors_keeps_the_text_and_saves_nothing(client, deputy, data, field):
    # when
    response = post(client, deputy, data)

    # then
    assert response.status_code == 200
    form = response.context["form"]
    assert list(form.errors) == [field]
    assert form["content"].value() == data["content"]
    assert data["location"] in response.content.decode()
    assert PublicIssue.objects.count() == 0


@pytest.mark.parametrize(
    "upload",
    [
        lambda: fake_image_upload("photo.jpg"),
        lambda: image_upload("anim.gif", "GIF"),
        lambda: big_upload("huge.jpg"),
    ],
    ids=["not-an-image", "gif", "over-5-mb"],
)
def test_a_wrong_photo_is_refused_with_a_clear_error(client, deputy, upload):
    response = post(client, deputy, {**GOOD, "photos": [image_upload("ok.webp", "WEBP"), upload()]})

    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["photos"]
    assert PublicIssue.objects.count() == 0


def test_at_most_three_photos(client, deputy):
    photos = [image_upload(f"{n}.jpg") for n in range(4)]
    response = post(client, deputy, {**GOOD, "photos": photos})
    assert list(response.context["form"].errors) == ["photos"]
    assert PublicIssue.objects.count() == 0


def test_the_photo_check_reads_the_image_not_the_name():
    from django.core.exceptions import ValidationError

    guards.photo_check(image_upload("really-a-png.jpg", "PNG"))  # a PNG named .jpg is still a PNG: accepted
    guards.photo_check(image_upload("x.webp", "WEBP"))
    with pytest.raises(ValidationError) as error:
        guards.photo_check(fake_image_upload("x.png"))
    assert error.value.code == "not_an_image"
    with pytest.raises(ValidationError) as error:
        guards.photo_check(image_upload("x.gif", "GIF"))
    assert error.value.code == "wrong_type"
    with pytest.raises(ValidationError) as error:
        guards.photo_check(big_upload())
    assert error.value.code == "too_big"


# --- the honeypot and the limit (no issue_submit needed) ---


def test_the_honeypot_pretends_success_and_saves_nothing(client, deputy):
    # when a bot fills the hidden field
    response = post(client, deputy, {**GOOD, "website": "http://cheap-pills.example"})

    # then it is told all went well
    assert response.status_code == 302
    assert response["Location"] == reverse("liaison_stations:intake_thanks", args=[deputy.public_code])
    thanks = client.get(response["Location"])
    assert thanks.status_code == 200
    assert len(thanks.context["tracking_code"]) == 12
    # but nothing was saved
    assert PublicIssue.objects.count() == 0


def test_the_limit_comes_from_the_congress_rules_and_counts_bots_too(client, deputy, world):
    # given a congress that allows 3 an hour
    IssueRules.objects.update_or_create(congress=world.a.congress, defaults={"intake_per_hour": 3})
    for _ in range(3):
        assert post(client, deputy, {**GOOD, "website": "x"}).status_code == 302

    # when
    response = post(client, deputy)

    # then
    assert response.status_code == 429
    assert response.context["message"]
    assert PublicIssue.objects.count() == 0
    assert post(client, deputy, ip="10.9.9.9", data={**GOOD, "website": "x"}).status_code == 302


def test_the_rules_are_made_with_the_default_of_ten(deputy, world):
    IssueRules.objects.filter(congress=world.a.congress).delete()
    assert guards.intake_limit(congress=world.a.congress) == 10
    assert IssueRules.objects.filter(congress=world.a.congress).exists()


def test_mistakes_do_not_count_against_the_limit(client, deputy, world):
    IssueRules.objects.update_or_create(congress=world.a.congress, defaults={"intake_per_hour": 2})
    for _ in range(5):
        assert post(client, deputy, {**GOOD, "content": "短"}).status_code == 200
    assert guards.throttle_count(bucket=guards.INTAKE_BUCKET, ip="10.0.0.1") == 0


def test_the_thank_you_page_without_a_submission_goes_back_to_the_form(client, deputy):
    response = client.get(reverse("liaison_stations:intake_thanks", args=[deputy.public_code]))
    assert response.status_code == 302
    assert response["Location"] == reverse("liaison_stations:intake", args=[deputy.public_code])


def test_the_thank_you_page_reads_the_code_from_the_session(client, deputy):
    session = client.session
    session[THANKS_SESSION_KEY] = "7KQ4M2XR9PHD"
    session.save()
    response = client.get(reverse("liaison_stations:intake_thanks", args=[deputy.public_code]))
    assert "7KQ4M2XR9PHD" in response.content.decode()


class _CacheDown:
    """A cache whose server does not answer: every call raises, as django-redis does then."""

    def __getattr__(self, name):
        def fail(*args, **kwargs):
            raise ConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

        return fail


def test_with_the_cache_server_down_the_message_is_saved_and_tracked(client, deputy, monkeypatch):
    # given the cache server (Redis) is down, so the per-address limits cannot be counted
    monkeypatch.setattr(ratelimit, "cache", _CacheDown())

    # when a citizen writes
    response = post(client, deputy)

    # then the message is saved all the same (the limit is off, not the page)
    assert response.status_code == 302
    issue = PublicIssue.objects.get()
    assert issue.content == GOOD["content"]

    # and the tracking page answers, for the code and for a wrong one
    assert client.get(reverse("liaison_stations:track", args=[issue.tracking_code])).status_code == 200
    assert client.get(reverse("liaison_stations:track", args=["NOSUCHCODE"])).status_code == 404
