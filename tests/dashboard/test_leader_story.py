"""The issue's "done when" story at request level: a leader opens the dashboard, clicks the lagging
unit in the units' league, and lands on that unit's overdue suggestions — exactly those.

The story (congress A; every date relative to today, so the story holds whenever the suite runs):
- 自然资源和规划局 (the lead unit) has three assignments: two assigned 120 days ago and never replied
  (due about 30 days ago: overdue), one assigned a week ago (not due yet);
- 林业局 has two assigned 120 days ago, both replied 100 days ago (on time);
- congress B's unit has one overdue assignment the leader of A must never see.
"""

from __future__ import annotations

import datetime
from html.parser import HTMLParser
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import resolve, reverse
from django.utils import timezone

from congress.roles import Role
from congress.services import user_assign_role
from suggestions import services
from suggestions.models import Assignment
from tests.congress.factories import UserFactory

pytestmark = pytest.mark.django_db

OVERDUE_TITLES = ("关于修缮乡村公路的建议", "关于增设农村公交线路的建议")
NOT_DUE_TITLE = "关于建设城市公园的建议"
ON_TIME_TITLES = ("关于植树造林的建议", "关于保护古树名木的建议")
OTHER_CONGRESS_TITLE = "关于乙市路灯的建议"


class LinkParser(HTMLParser):
    """The links carrying a data-testid, with their text."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[dict[str, str]] = []
        self._open: list[dict[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            attributes = dict(attrs)
            self._open.append(
                {"href": attributes.get("href") or "", "testid": attributes.get("data-testid") or "", "text": ""}
            )

    def handle_data(self, data: str) -> None:
        for link in self._open:
            link["text"] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._open:
            self.links.append(self._open.pop())


def lagging_links(response: Any) -> list[dict[str, str]]:
    parser = LinkParser()
    parser.feed(response.content.decode())
    return [link for link in parser.links if link["testid"] == "lagging-unit"]


def assign(
    *, congress_tenant: Any, deputy_user: Any, office_user: Any, unit: Any, title: str, on: datetime.date
) -> Any:
    suggestion = services.suggestion_create(
        actor=deputy_user,
        deputy=deputy_user.deputy,
        session=congress_tenant.session,
        title=title,
        body="建议……",
        category=congress_tenant.subject_category,
    )
    services.suggestion_submit(suggestion=suggestion, actor=deputy_user, on=on)
    services.suggestion_review(suggestion=suggestion, actor=office_user, decision="accept")
    services.suggestion_assign(suggestion=suggestion, actor=office_user, lead_units=[unit], on=on)
    return Assignment.objects.live().get(suggestion=suggestion, unit=unit)


@pytest.fixture
def story(world, deputy_user, other_deputy_user, office_user, office_user_b):
    a, b = world.a, world.b
    today = timezone.localdate()
    long_ago = today - datetime.timedelta(days=120)
    for title in OVERDUE_TITLES:
        assign(
            congress_tenant=a, deputy_user=deputy_user, office_user=office_user, unit=a.unit, title=title, on=long_ago
        )
    assign(
        congress_tenant=a,
        deputy_user=deputy_user,
        office_user=office_user,
        unit=a.unit,
        title=NOT_DUE_TITLE,
        on=today - datetime.timedelta(days=7),
    )
    forestry_staff = user_assign_role(
        user=UserFactory(username="forestry"), role=Role.UNIT, congress=a.congress, unit=a.child_unit
    )
    reply_class = services.reply_classes_ensure(congress=a.congress)[0]
    for title in ON_TIME_TITLES:
        assignment = assign(
            congress_tenant=a,
            deputy_user=deputy_user,
            office_user=office_user,
            unit=a.child_unit,
            title=title,
            on=long_ago,
        )
        services.reply_submit(
            assignment=assignment,
            actor=forestry_staff,
            reply_class=reply_class,
            text="已办理。",
            document_number=f"甲林函〔2026〕{assignment.pk}号",
            signer="林局长",
            on=today - datetime.timedelta(days=100),
        )
    assign(
        congress_tenant=b,
        deputy_user=other_deputy_user,
        office_user=office_user_b,
        unit=b.unit,
        title=OTHER_CONGRESS_TITLE,
        on=long_ago,
    )
    return world


@pytest.mark.parametrize("page", ["dashboard:overview", "dashboard:units"])
def test_a_leader_clicks_the_lagging_unit_and_lands_on_its_overdue_suggestions(client, story, leader_user, page):
    # given the leader of congress A
    client.force_login(leader_user)

    # when they open the dashboard (the current year, by default)
    response = client.get(reverse(page))
    assert response.status_code == 200

    # then the league marks one lagging unit, the lead unit, with its two overdue assignments
    lagging = lagging_links(response)
    assert len(lagging) == 1
    link = lagging[0]
    assert link["text"].strip() == "2"
    query = parse_qs(urlsplit(link["href"]).query)
    assert query["unit"] == [str(story.a.unit.pk)]
    assert resolve(urlsplit(link["href"]).path).view_name == "dashboard:records"

    # when they click it
    records = client.get(link["href"])

    # then they land on exactly that unit's overdue suggestions
    assert records.status_code == 200
    content = records.content.decode()
    assert 'data-testid="record-count">2<' in content
    for title in OVERDUE_TITLES:
        assert title in content
    for title in (NOT_DUE_TITLE, *ON_TIME_TITLES, OTHER_CONGRESS_TITLE):
        assert title not in content
    assert story.a.child_unit.name not in content.split('data-testid="record-count"')[1]


def test_the_leader_of_the_other_congress_sees_only_their_own_lagging_unit(client, story, office_user_b):
    client.force_login(office_user_b)
    lagging = lagging_links(client.get(reverse("dashboard:units")))
    assert [parse_qs(urlsplit(link["href"]).query)["unit"] for link in lagging] == [[str(story.b.unit.pk)]]
    content = client.get(lagging[0]["href"]).content.decode()
    assert OTHER_CONGRESS_TITLE in content
    assert all(title not in content for title in OVERDUE_TITLES)
