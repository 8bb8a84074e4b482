"""Bad input on Open311 GeoReport v2 (POST /open311/v2/requests.json): any form fields, any text.

Properties: never a 500; a refusal is the spec's error list [{"code", "description"}] with the
HTTP status, in Chinese, and writes nothing; an accepted request is stored as sent (trimmed).
"""

from __future__ import annotations

import math
import re
from typing import Any

import pytest
from django.test import Client
from hypothesis import event, given
from hypothesis import strategies as st

from liaison_stations.choices import Channel
from liaison_stations.models import PublicIssue
from tests.properties.conftest import (
    budget,
    chinese,
    chinese_text,
    db_state,
    hostile_text,
    isolated,
    phone_strings,
    state_diff,
)

pytestmark = pytest.mark.django_db

URL = "/open311/v2/requests.json"
IP = "10.31.1.1"
PHONE = re.compile(r"(?:\+?86)?1[3-9][0-9]{9}|0[0-9]{2,3}-?[0-9]{7,8}")
# A NUL character has a property of its own below: PostgreSQL cannot store one.
text = hostile_text.map(lambda value: value.replace("\x00", ""))


@st.composite
def requests(draw: Any, world: Any, intake_deputy: Any) -> dict[str, str]:
    a, b = world.a, world.b
    fields = {
        "jurisdiction_id": st.sampled_from([a.congress.area_code] * 6 + [b.congress.area_code, ""]) | text,
        "service_code": st.sampled_from([a.subject_category.code] * 6 + [b.subject_category.code, ""]) | text,
        "description": chinese_text.map(lambda value: f"{value}，请帮忙解决。") | text,
        "media_url": st.sampled_from(
            ["http://photos.example/a.jpg", "https://x.example/1.png", "ftp://x/y", "javascript:alert(1)"]
        )
        | st.just("http://x.example/" + "a" * 500)
        | text,
        "lat": st.sampled_from(["28.5538", "-90", "91", "nan", "inf", "1e400", "٢٨", "", " 28.5 "]) | text,
        "long": st.sampled_from(["112.3557", "180", "-181", "nan", ""]) | text,
        "address_string": chinese_text | text,
        "attribute[station_id]": st.sampled_from(
            [str(a.station.pk), str(b.station.pk), "0", "abc", "9" * 30, "-1", "٣", " 1"]
        )
        | text,
        "attribute[deputy_code]": st.sampled_from([intake_deputy.public_code, b.deputies[0].public_code, ""]) | text,
        "first_name": chinese_text | text,
        "last_name": chinese_text | text,
        "phone": phone_strings.map(lambda value: value.replace("\x00", "")),
    }
    chosen = {}
    for name, strategy in fields.items():
        if draw(st.booleans()) or name in ("jurisdiction_id", "service_code", "description"):
            chosen[name] = draw(strategy)
    return chosen


def _float(value: str) -> float | None:
    try:
        return float(value)
    except ValueError:
        return None


def expect(fields: dict[str, str], world: Any, intake_deputy: Any) -> tuple[int, dict[str, Any]]:
    """(status, what is stored when 201), following the spec's order of checks."""
    congresses = {world.a.congress.area_code: world.a, world.b.congress.area_code: world.b}
    tenant = congresses.get(fields.get("jurisdiction_id", "").strip())
    if tenant is None:
        return 400, {}
    code = fields.get("service_code", "").strip()
    if not code:
        return 400, {}
    if code != tenant.subject_category.code:
        return 404, {}
    description = fields.get("description", "").strip()
    if not description or len(description) > 2000:
        return 400, {}
    media_url = fields.get("media_url", "").strip()
    if media_url:
        if not media_url.startswith(("http://", "https://")) or len(media_url) > 500:
            return 400, {}
        description = f"{description}\n\n照片: {media_url}"
    lat, long = fields.get("lat", "").strip(), fields.get("long", "").strip()
    point = None
    if lat or long:
        latitude, longitude = _float(lat), _float(long)
        if latitude is None or longitude is None:
            return 400, {}
        if math.isnan(latitude) or math.isnan(longitude):
            return 400, {}
        if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
            return 400, {}
        point = f"({latitude:.6f},{longitude:.6f})"
    address = " ".join(fields.get("address_string", "").split())
    location = address[:200] if point is None else f"{address[: 200 - len(point) - 1]} {point}".strip()
    station_id = fields.get("attribute[station_id]", "").strip()
    if station_id and not station_id.isdigit():
        return 400, {}
    stations = {world.a.station.pk: world.a.station, world.b.station.pk: world.b.station}
    station = None
    if station_id:
        station = stations.get(int(station_id))
        if station is None or station.congress != tenant.congress:
            return 400, {}
    deputy_code = fields.get("attribute[deputy_code]", "").strip()
    deputy = None
    if not deputy_code and station is None:
        return 400, {}
    if deputy_code:
        serving = {intake_deputy.public_code: (intake_deputy, world.a), world.b.deputies[0].public_code: None}
        serving[world.b.deputies[0].public_code] = (world.b.deputies[0], world.b)
        found = serving.get(deputy_code)
        if found is None or found[1] is not tenant:
            return 400, {}
        deputy = found[0]
    name = f"{fields.get('last_name', '').strip()}{fields.get('first_name', '').strip()}"[:50]
    phone = re.sub(r"[\s()]", "", fields.get("phone", "").strip())
    content = description.strip()
    if not 5 <= len(content) <= 2000:
        return 400, {}
    if phone and not PHONE.fullmatch(phone):
        return 400, {}
    if station is None and deputy is intake_deputy:
        station = world.a.station
    return 201, {
        "congress": tenant.congress,
        "category": tenant.subject_category,
        "deputy": deputy,
        "station": station,
        "content": content,
        "location": location.strip()[:200],
        "citizen_name": name.strip(),
        "citizen_phone": phone,
        "consent": bool(name or phone),
        "channel": Channel.OPEN311,
    }


@budget(60)
@given(data=st.data())
def test_a_service_request_is_refused_in_the_specs_format_or_stored_as_sent(world, intake_deputy, data):
    fields = data.draw(requests(world, intake_deputy))
    status, stored = expect(fields, world, intake_deputy)
    client = Client()
    with isolated():
        before = db_state()

        # when a client posts the service request
        response = client.post(URL, fields, REMOTE_ADDR=IP)

        # then the status is the one the spec's checks give, never a server error
        event(f"answered {response.status_code}")
        assert response.status_code == status, (response.status_code, response.content)
        body = response.json()
        if status != 201:
            assert isinstance(body, list), body
            assert body, body
            for error in body:
                assert error["code"] == status, body
                assert chinese(error["description"]), body
            assert db_state() == before, state_diff(before, db_state())
        else:
            issue = PublicIssue.objects.get(tracking_code=body[0]["service_request_id"])
            assert {name: getattr(issue, name) for name in stored} == stored


@budget(10)
@given(
    field=st.sampled_from(["description", "address_string", "first_name", "last_name"]),
    where=st.integers(0, 10),
)
def test_a_nul_character_is_refused_or_dropped_never_stored(world, intake_deputy, field, where):
    """PostgreSQL cannot store a NUL character in text: keeping one answers 500 there."""
    fields = {
        "jurisdiction_id": world.a.congress.area_code,
        "service_code": world.a.subject_category.code,
        "description": "小区门口的路灯坏了，请帮忙解决。",
        "attribute[deputy_code]": intake_deputy.public_code,
        "address_string": "桃花仑路 18 号",
        "first_name": "秀英",
        "last_name": "王",
    }
    fields[field] = fields[field][:where] + "\x00" + fields[field][where:]
    with isolated():
        before = db_state()
        response = Client().post(URL, fields, REMOTE_ADDR=IP)
        assert response.status_code in (201, 400), response.status_code
        if response.status_code == 201:
            issue = PublicIssue.objects.get()
            kept = [issue.content, issue.location, issue.citizen_name]
            assert not any("\x00" in value for value in kept), kept
        else:
            assert all(chinese(error["description"]) for error in response.json())
            assert db_state() == before, state_diff(before, db_state())
