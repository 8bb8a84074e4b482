"""Bad input on the citizens' pages without an account: the QR page of a deputy (/q/<code>), its
photos, the tracking page (/track/<code>) with its rating form, and the tracking-code lookup.

Properties: never a 500; a refused letter is shown again with Chinese errors under the fields at
fault and writes nothing; an accepted one is stored as typed (trimmed) and, shown back on the
tracking page and the station desk, its markup is escaped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.html import escape
from hypothesis import assume, event, given
from hypothesis import strategies as st

from liaison_stations.choices import IssueRating, IssueStatus
from liaison_stations.models import IssuePhoto, PublicIssue
from tests.liaison_stations.factories_public import answered_issue
from tests.properties.conftest import (
    HTML_PAYLOADS,
    assert_escaped,
    budget,
    chinese,
    chinese_text,
    damaged_photos,
    db_state,
    foreign_digit_phones,
    good_mobiles,
    hostile_text,
    html_payloads,
    image_bytes,
    isolated,
    phone_strings,
    state_diff,
    verified_but_unreadable,
)

pytestmark = pytest.mark.django_db

IP = "10.8.0.1"
# The intake form's checks, restated here as the citizen is told them (forms/public.py).
MOBILE = re.compile(r"1[3-9][0-9]{9}")  # an 11-digit mobile number: ASCII digits only
SEPARATORS = re.compile(r"[\s\-]+")


# --- form values: absent, one text, several texts (the last counts), or a file ----------------------


@dataclass(frozen=True)
class Posted:
    kind: str  # "absent", "text", "list", "file"
    value: Any = None

    @property
    def text(self) -> str | None:
        """What the form reads: the last of several values; nothing for a file in a text field."""
        if self.kind == "text":
            return self.value
        if self.kind == "list":
            return self.value[-1] if self.value else None
        return None


def posted(texts: st.SearchStrategy[str]) -> st.SearchStrategy[Posted]:
    return st.one_of(
        st.just(Posted("absent")),
        texts.map(lambda text: Posted("text", text)),
        texts.map(lambda text: Posted("text", text)),
        st.lists(texts, max_size=3).map(lambda texts: Posted("list", texts)),
        st.binary(max_size=50).map(lambda data: Posted("file", data)),
    )


def form_data(fields: dict[str, Posted]) -> dict[str, Any]:
    """The POST a browser sends: never empty, since the CSRF token is always in it."""
    data: dict[str, Any] = {"csrfmiddlewaretoken": "token"}
    for name, value in fields.items():
        if value.kind in ("text", "list"):
            data[name] = value.value
        elif value.kind == "file":
            data[name] = SimpleUploadedFile(f"{name}.txt", value.value, content_type="text/plain")
    return data


def char_field_ok(text: str | None, *, required: bool, min_length: int = 0, max_length: int) -> bool:
    """A Django CharField (stripped) with its length and null-character checks."""
    value = (text or "").strip()
    if not value:
        return not required
    return min_length <= len(value) <= max_length and "\x00" not in value


def phone_of(text: str | None) -> str | None:
    """The phone as the form should keep it, or None when it is not a mobile number."""
    value = (text or "").strip()
    phone = SEPARATORS.sub("", value)
    if phone.startswith("+86"):
        phone = phone[3:]
    return phone if phone == "" or MOBILE.fullmatch(phone) else None


def checkbox(text: str | None) -> bool:
    """Django's CheckboxInput: absent, empty or "false" is unticked; anything else is ticked."""
    return bool(text) and text.lower() != "false"


def expected_errors(fields: dict[str, Posted]) -> set[str]:
    """The fields a citizen must be told about."""
    bad = set()
    if not char_field_ok(fields["content"].text, required=True, min_length=5, max_length=2000):
        bad.add("content")
    if not char_field_ok(fields["location"].text, required=False, max_length=200):
        bad.add("location")
    if not char_field_ok(fields["citizen_name"].text, required=False, max_length=50):
        bad.add("citizen_name")
    phone_text = fields["citizen_phone"].text
    phone_ok = char_field_ok(phone_text, required=False, max_length=20) and phone_of(phone_text) is not None
    if not phone_ok:
        bad.add("citizen_phone")
    elif phone_of(phone_text) and not checkbox(fields["consent"].text):
        bad.add("consent")
    return bad


def assert_no_raw_markup(html: str, fields: dict[str, Posted]) -> None:
    """Whatever markup was typed never comes back raw; what the form shows again (the value it read)
    comes back escaped."""
    sent = " ".join(str(value.value) for value in fields.values() if value.kind in ("text", "list"))
    shown = " ".join(value.text or "" for value in fields.values())
    for payload in HTML_PAYLOADS:
        if payload in shown:
            assert_escaped(html, payload)
        elif payload in sent and escape(payload) != payload:
            assert payload not in html


# --- the QR page ---------------------------------------------------------------------------------------

# Each field: often what a citizen types, else anything at all.
good_content = chinese_text.map(lambda text: f"{text}，请帮忙解决。")
letters = {
    "content": posted(st.one_of(good_content, good_content, hostile_text)),
    "location": posted(st.one_of(st.just(""), chinese_text, hostile_text)),
    "citizen_name": posted(st.one_of(st.just(""), chinese_text.map(lambda text: text[:8]), hostile_text)),
    "citizen_phone": posted(st.one_of(st.just(""), good_mobiles, phone_strings)),
    "consent": posted(st.sampled_from(["on", "on", "true", "false", "", "0", "否", "FALSE"])),
}


@budget(60)
@given(fields=st.fixed_dictionaries(letters))
def test_the_qr_page_answers_every_letter_by_field_and_stores_what_it_accepts(client, intake_deputy, fields):
    url = reverse("liaison_stations:intake", args=[intake_deputy.public_code])
    bad = expected_errors(fields)
    with isolated():
        before = db_state()

        # when a citizen (or a script) sends the letter
        response = client.post(url, form_data(fields), REMOTE_ADDR=IP)

        # then it is never a server error
        event(f"answered {response.status_code}")
        assert response.status_code in (200, 302), response.status_code
        if bad:
            # refused: the page again, Chinese errors under exactly the fields at fault, nothing written
            assert response.status_code == 200
            form = response.context["form"]
            assert set(form.errors) == bad, (form.errors, bad)
            for messages in form.errors.values():
                assert all(chinese(message) for message in messages), messages
            html = response.content.decode()
            assert "Please check the marked fields." not in html  # the page itself is in Chinese
            assert_no_raw_markup(html, fields)
            assert db_state() == before, state_diff(before, db_state())
        else:
            # accepted: one issue, stored as typed (trimmed), the phone as 11 ASCII digits
            assert response.status_code == 302, response.context["form"].errors
            issue = PublicIssue.objects.get()
            assert issue.content == fields["content"].text.strip()
            assert issue.location == (fields["location"].text or "").strip()
            assert issue.citizen_name == (fields["citizen_name"].text or "").strip()
            phone = phone_of(fields["citizen_phone"].text)
            assert issue.citizen_phone == phone
            assert issue.consent == bool(phone and checkbox(fields["consent"].text))
            assert (issue.deputy, issue.status, issue.submitted_ip) == (intake_deputy, IssueStatus.SUBMITTED, IP)


@budget(10)
@given(phone=foreign_digit_phones)
def test_a_mobile_number_in_the_digits_of_another_script_is_refused(client, intake_deputy, phone):
    """No network dials 13٥٩٦٨٥٣٤٧٢: the form must ask for the number again, not keep it."""
    url = reverse("liaison_stations:intake", args=[intake_deputy.public_code])
    with isolated():
        before = db_state()

        # when a citizen types their number with Arabic-Indic (or other) digits
        response = client.post(url, {"content": "路灯坏了，请帮忙看看。", "citizen_phone": phone, "consent": "on"})

        # then the phone field is refused in Chinese and nothing is written
        assert response.status_code == 200, f"kept as {PublicIssue.objects.values_list('citizen_phone', flat=True)}"
        errors = response.context["form"].errors
        assert set(errors) == {"citizen_phone"}, errors
        assert all(chinese(message) for message in errors["citizen_phone"])
        assert db_state() == before, state_diff(before, db_state())


@budget(15)
@given(
    payload=html_payloads,
    before_text=chinese_text,
    location=html_payloads,
    name=html_payloads.map(lambda text: text[:50]),
)
def test_markup_in_a_letter_is_shown_escaped_to_the_citizen_and_at_the_desk(
    client, intake_deputy, station_user, payload, before_text, location, name
):
    url = reverse("liaison_stations:intake", args=[intake_deputy.public_code])
    with isolated():
        # given a letter whose every text field carries markup
        content = f"{before_text}：{payload}"
        response = client.post(
            url,
            {"content": content, "location": location, "citizen_name": name, "citizen_phone": "", "consent": ""},
            REMOTE_ADDR=IP,
        )
        assert response.status_code == 302, response.context["form"].errors
        issue = PublicIssue.objects.get()
        assert (issue.content, issue.location, issue.citizen_name) == (content, location, name)

        # when the citizen opens the tracking page, then the markup is shown as text
        thanks = client.get(response["Location"])
        assert thanks.status_code == 200
        tracking = client.get(reverse("liaison_stations:track", args=[issue.tracking_code]), REMOTE_ADDR=IP)
        assert tracking.status_code == 200
        assert_escaped(tracking.content.decode(), payload)
        assert_escaped(tracking.content.decode(), location)

        # and so it is at the station's desk, with the citizen's name
        client.force_login(station_user)
        desk = client.get(reverse("liaison_stations:issue_detail", args=[issue.pk]))
        client.logout()
        assert desk.status_code == 200
        html = desk.content.decode()
        for text in (payload, location, name):
            assert_escaped(html, text)


# --- photos ----------------------------------------------------------------------------------------


@st.composite
def photo_files(draw: Any) -> tuple[bytes, str, bool]:
    """(bytes, name, whether it is a readable JPEG, PNG or WebP photo): real photos, other image types,
    junk, and real photos cut short or with bytes flipped."""
    kind = draw(st.sampled_from(["JPEG", "PNG", "WEBP", "GIF", "BMP", "TIFF"]))
    size = (draw(st.integers(1, 40)), draw(st.integers(1, 40)))
    data = image_bytes(kind, size)
    damage = draw(st.sampled_from(["none", "none", "cut", "flip", "junk", "header"]))
    if damage == "none":
        return data, f"photo.{kind.lower()}", kind in ("JPEG", "PNG", "WEBP")
    if damage == "cut":
        data = data[: draw(st.integers(0, max(len(data) - 1, 0)))]
    elif damage == "flip":
        position = draw(st.integers(0, len(data) - 1))
        data = data[:position] + bytes([data[position] ^ draw(st.integers(1, 255))]) + data[position + 1 :]
    elif damage == "junk":
        data = draw(st.binary(max_size=300))
    else:  # a photo's header on junk
        data = data[:32] + draw(st.binary(min_size=1, max_size=300))
    # Damage that Pillow's verify() misses has a property of its own (below): leave it to that one.
    assume(not verified_but_unreadable(data))
    return data, draw(st.sampled_from(["photo.jpg", "photo.png", "a.webp", "x.php", "图片.jpeg"])), False


@budget(40)
@given(photos=st.lists(photo_files(), max_size=5))
def test_photos_are_checked_and_a_refused_one_writes_nothing(client, intake_deputy, photos):
    url = reverse("liaison_stations:intake", args=[intake_deputy.public_code])
    uploads = [SimpleUploadedFile(name, data, content_type="image/jpeg") for data, name, _ok in photos]
    with isolated():
        before = db_state()

        # when a citizen sends a good letter with these files as photos
        response = client.post(url, {"content": "路灯坏了，请帮忙看看。", "photos": uploads}, REMOTE_ADDR=IP)

        # then never a server error: either the letter and every photo are kept, or the photos are refused
        assert response.status_code in (200, 302), response.status_code
        if response.status_code == 302:
            issue = PublicIssue.objects.get()
            assert IssuePhoto.objects.filter(issue=issue).count() == len(photos)
            assert len(photos) <= 3
        else:
            form = response.context["form"]
            assert set(form.errors) == {"photos"}, form.errors
            assert all(chinese(message) for message in form.errors["photos"]), form.errors
            assert db_state() == before, state_diff(before, db_state())
        if len(photos) > 3:
            assert response.status_code == 200
        elif all(ok for _data, _name, ok in photos):
            assert response.status_code == 302


@budget(10)
@given(photo=damaged_photos().filter(verified_but_unreadable))
def test_a_damaged_photo_is_refused_never_a_server_error(client, intake_deputy, photo):
    """The photo check must read the pixels, since saving the photo (without its metadata) does."""
    url = reverse("liaison_stations:intake", args=[intake_deputy.public_code])
    upload = SimpleUploadedFile("damaged.jpg", photo, content_type="image/jpeg")
    with isolated():
        before = db_state()
        response = client.post(url, {"content": "路灯坏了，请帮忙看看。", "photos": [upload]}, REMOTE_ADDR=IP)
        assert response.status_code == 200, response.status_code
        assert set(response.context["form"].errors) == {"photos"}
        assert db_state() == before, state_diff(before, db_state())


# --- the tracking page and its rating form ---------------------------------------------------------------

ratings = {
    "rating": posted(st.one_of(st.sampled_from(IssueRating.values), hostile_text)),
    "comment": posted(hostile_text),
}


@pytest.fixture
def answered(world: Any, intake_deputy: Any) -> Any:
    """An issue answered at tier 1, waiting for the citizen's rating."""
    return answered_issue(station=world.a.station, deputy=intake_deputy)


@budget(40)
@given(fields=st.fixed_dictionaries(ratings))
def test_the_rating_form_takes_a_known_rating_or_says_what_is_wrong(client, answered, fields):
    url = reverse("liaison_stations:track", args=[answered.tracking_code])
    rating = fields["rating"].text
    rating_ok = rating in IssueRating.values
    comment_ok = char_field_ok(fields["comment"].text, required=False, max_length=500)
    with isolated():
        before = db_state()

        # when the citizen sends the rating form
        response = client.post(url, form_data(fields), REMOTE_ADDR=IP)

        # then never a server error
        assert response.status_code in (200, 302), response.status_code
        issue = PublicIssue.objects.get(pk=answered.pk)
        if rating_ok and comment_ok:
            # the rating and the comment (trimmed) are kept, and the comment is shown escaped
            assert response.status_code == 302
            comment = (fields["comment"].text or "").strip()
            assert (issue.rating, issue.rating_comment) == (rating, comment)
            page = client.get(url, REMOTE_ADDR=IP).content.decode()
            for payload in HTML_PAYLOADS:
                if payload in comment:
                    assert_escaped(page, payload)
        else:
            assert response.status_code == 200
            errors = response.context["rating_form"].errors
            assert set(errors) == {name for name, ok in (("rating", rating_ok), ("comment", comment_ok)) if not ok}
            assert all(chinese(message) for messages in errors.values() for message in messages), errors
            assert_no_raw_markup(response.content.decode(), fields)
            assert db_state() == before, state_diff(before, db_state())


@budget(40)
@given(code=st.one_of(hostile_text, st.from_regex(r"\A[0-9A-Za-z]{10,14}\Z")))
def test_a_tracking_code_of_any_shape_never_fails(client, answered, code):
    with isolated():
        before = db_state()

        # when someone types any code into the lookup, or into the address
        lookup = client.get(reverse("liaison_stations:track_lookup"), {"code": code}, REMOTE_ADDR=IP)
        # a NUL anywhere in the address is refused before any view (RejectNulMiddleware: PostgreSQL
        # cannot compare text with it), in the query string as in the path
        has_nul = "\x00" in code
        assert lookup.status_code in ((400,) if has_nul else (200, 302)), lookup.status_code
        if lookup.status_code == 200:
            errors = lookup.context["form"].errors
            assert set(errors) == {"code"}, errors
            assert all(chinese(message) for message in errors["code"]), errors
        path_code = code.replace("/", "").replace("?", "").replace("#", "") or "X"
        page = client.get(reverse("liaison_stations:track", args=[path_code]), REMOTE_ADDR=IP)

        # then the answer is the page, "not found" or "too many", and nothing is written
        assert page.status_code in ((400,) if has_nul else (200, 404, 429)), page.status_code
        assert db_state() == before, state_diff(before, db_state())
