"""The duty record: idempotent acts from services, declarations verified by staff, points with caps
and base, snapshots with ranks, the portal page and the API, scoped."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from deputies.choices import ActivityStatus, MandateStatus
from deputies.duty import activity_types_ensure, duty_declare, duty_record_act, duty_snapshot, duty_totals, duty_verify
from deputies.models import ActivityRecord, DutySnapshot
from tests.conftest import make_deputy_user
from tests.queries import assert_same_query_count

pytestmark = pytest.mark.django_db


def act(deputy, congress, code, source, on=datetime.date(2026, 3, 1)):
    return duty_record_act(deputy_id=deputy.pk, congress_id=congress.pk, code=code, on=on, source_key=source)


def test_an_act_is_recorded_once_per_source(world):
    # given a deputy of congress A
    deputy, congress = world.a.deputies[0], world.a.congress

    # when the same act is recorded twice (a retried task) and another once
    act(deputy, congress, "training", "course:1")
    act(deputy, congress, "training", "course:1")
    act(deputy, congress, "training", "course:2")

    # then there are two records with the type's points
    records = ActivityRecord.objects.filter(deputy=deputy)
    assert records.count() == 2
    assert {record.points for record in records} == {Decimal(2)}


def test_points_add_the_base_and_stop_at_the_yearly_cap(world):
    # given a deputy with 7 trainings (2 points each, cap 10) and one speech at session (2 points, cap 10)
    deputy, congress = world.a.deputies[0], world.a.congress
    for number in range(7):
        act(deputy, congress, "training", f"course:{number}")
    act(deputy, congress, "session_speech", "speech:1")
    act(deputy, congress, "training", "course:last-year", on=datetime.date(2025, 12, 31))

    # when the year's points are computed
    totals = duty_totals(congress_id=congress.pk, year=2026, deputy_ids=[deputy.pk])[deputy.pk]

    # then the trainings count up to the cap, last year's does not count, and the base of 60 is added
    assert totals.by_type == {"training": Decimal(10), "session_speech": Decimal(2)}
    assert totals.counts["training"] == 7
    assert totals.total == Decimal(72)


def test_a_declared_activity_counts_once_verified(world, deputy_user, office_user):
    # given a deputy who declares reporting to voters
    congress = world.a.congress
    activity_types_ensure(congress=congress)
    record = duty_declare(
        actor=deputy_user, congress=congress, code="report_to_voters", on=datetime.date(2026, 6, 1), description="述职"
    )
    deputy_id = deputy_user.deputy.pk
    before = duty_totals(congress_id=congress.pk, year=2026, deputy_ids=[deputy_id])[deputy_id].total

    # when office staff verify it
    duty_verify(record=record, actor=office_user, approve=True)

    # then it counts
    after = duty_totals(congress_id=congress.pk, year=2026, deputy_ids=[deputy_id])[deputy_id].total
    assert ActivityRecord.objects.get(pk=record.pk).status == ActivityStatus.VERIFIED
    assert after - before == Decimal(5)


def test_only_declarable_types_can_be_declared_and_only_office_verifies(world, deputy_user, unit_user):
    congress = world.a.congress
    activity_types_ensure(congress=congress)
    with pytest.raises(ValueError, match=r".+"):
        duty_declare(
            actor=deputy_user, congress=congress, code="sc_meeting", on=datetime.date(2026, 6, 1), description="x"
        )
    record = duty_declare(
        actor=deputy_user, congress=congress, code="other", on=datetime.date(2026, 6, 1), description="x"
    )
    with pytest.raises(PermissionError):
        duty_verify(record=record, actor=unit_user, approve=True)


def test_snapshot_ranks_deputies_with_ties_sharing_a_rank(world):
    # given three serving deputies of A: two with a speech each, one with two trainings
    first, second = world.a.deputies
    third = world.dual_deputy
    act(first, world.a.congress, "session_speech", "s:1")
    act(second, world.a.congress, "session_speech", "s:2")
    act(third, world.a.congress, "training", "c:1")
    act(third, world.a.congress, "training", "c:2")

    # when the year is snapshotted
    duty_snapshot(congress_id=world.a.congress.pk, year=2026)

    # then the one with most points ranks first and the two equal ones share second place
    ranks = dict(DutySnapshot.objects.filter(congress=world.a.congress, year=2026).values_list("deputy_id", "rank"))
    assert ranks[third.pk] == 1
    assert ranks[first.pk] == ranks[second.pk] == 2


def test_portal_record_page_shows_the_deputy_their_points(client, world, deputy_user):
    # given a deputy with an act this year
    act(deputy_user.deputy, world.a.congress, "training", "c:1", on=timezone.localdate())
    client.force_login(deputy_user)

    # when they open their record
    response = client.get("/portal/record/")

    # then it shows the base plus the act
    assert response.status_code == 200
    assert response.context["total"] == Decimal(62)


def test_duty_record_api_is_for_the_deputy_office_and_leaders(
    client, world, deputy_user, other_deputy_user, office_user, unit_user
):
    deputy = deputy_user.deputy
    peer_user = make_deputy_user(username="peer", name="同届代表", seats=[(world.a.term, MandateStatus.SERVING)])
    act(deputy, world.a.congress, "training", "c:1", on=datetime.date(2026, 5, 1))
    url = f"/api/v1/deputies/{deputy.pk}/duty-record/?year=2026"

    client.force_login(deputy_user)
    own = client.get(url)
    client.force_login(office_user)
    office = client.get(url)
    client.force_login(peer_user)  # a fellow deputy of the same congress
    peer = client.get(url)
    client.force_login(unit_user)
    unit = client.get(url)
    client.force_login(other_deputy_user)  # another congress
    outsider = client.get(url)

    assert (own.status_code, office.status_code) == (200, 200)
    assert own.json()["total"] == "62.0"
    assert [row["code"] for row in own.json()["by_type"]] == ["training"]
    assert (peer.status_code, unit.status_code, outsider.status_code) == (404, 404, 404)
    client.force_login(deputy_user)
    assert client.get(f"/api/v1/deputies/{deputy.pk}/duty-record/?year=abc").status_code == 400


def test_record_page_queries_do_not_grow_with_the_acts(client, world, deputy_user, django_assert_num_queries):
    client.force_login(deputy_user)
    deputy = deputy_user.deputy
    today = timezone.localdate()
    act(deputy, world.a.congress, "training", "c:0", on=today)
    act(deputy, world.a.congress, "inspection", "i:0", on=today)
    assert_same_query_count(
        django_assert_num_queries,
        lambda: client.get("/portal/record/"),
        lambda: [act(deputy, world.a.congress, "group_activity", f"g:{n}", on=today) for n in range(18)],
    )
