"""The deputies API: scoped list, search by name, private phone numbers, query budget."""

import re

import pytest

from tests.deputies.factories import DeputyFactory, MandateFactory
from tests.queries import assert_same_query_count

MASKED = re.compile(r"^1\d{2}\*{4}\d{4}$")


def rows_by_id(response):
    return {row["id"]: row for row in response.json()["results"]}


def test_deputy_list_is_scoped(client, world, office_user):
    # given office staff of A
    client.force_login(office_user)

    # when they list deputies
    response = client.get("/api/v1/deputies/")

    # then A's deputies (and the person also serving in B) are there, B's own are not
    assert response.status_code == 200
    assert set(rows_by_id(response)) == {deputy.pk for deputy in world.a.deputies} | {world.dual_deputy.pk}


def test_deputy_list_shows_only_the_mandates_in_scope(client, world, office_user):
    # given office staff of A and a person with seats in A and B
    client.force_login(office_user)

    # when they list deputies
    row = rows_by_id(client.get("/api/v1/deputies/"))[world.dual_deputy.pk]

    # then only the seat in A is shown
    assert [mandate["congress"] for mandate in row["mandates"]] == [world.a.congress.pk]


def test_deputies_are_searchable_by_name(client, world, office_user):
    # given office staff of A
    client.force_login(office_user)
    wanted = world.a.deputies[0]

    # when they search for a deputy by name
    response = client.get("/api/v1/deputies/", {"search": wanted.name})

    # then that deputy is found, and only them
    assert set(rows_by_id(response)) == {wanted.pk}


def test_search_does_not_reach_outside_scope(client, world, office_user):
    # given office staff of A
    client.force_login(office_user)

    # when they search for a deputy of B by name
    response = client.get("/api/v1/deputies/", {"search": world.b.deputies[0].name})

    # then nothing is found
    assert rows_by_id(response) == {}


def test_deputies_filtered_by_congress(client, world, admin_user):
    # given a superuser
    client.force_login(admin_user)

    # when they list deputies of congress B
    response = client.get("/api/v1/deputies/", {"congress": world.b.congress.pk})

    # then B's deputies are listed
    assert set(rows_by_id(response)) == {deputy.pk for deputy in world.b.deputies} | {world.dual_deputy.pk}


def test_out_of_scope_deputy_answers_404(client, world, office_user):
    # given office staff of A and a deputy of B
    client.force_login(office_user)
    other = world.b.deputies[0]

    # when they read B's deputy
    response = client.get(f"/api/v1/deputies/{other.pk}/")

    # then the answer is 404, naming nothing of them
    assert response.status_code == 404
    assert other.name not in response.content.decode()


@pytest.mark.parametrize("role", ["office_user", "admin_user"])
def test_office_staff_see_full_phone_numbers(client, request, world, role):
    # given office staff (or a superuser)
    client.force_login(request.getfixturevalue(role))
    deputy = world.a.deputies[0]

    # when they read a deputy
    row = client.get(f"/api/v1/deputies/{deputy.pk}/").json()

    # then the full mobile number is there
    assert row["phone"] == deputy.phone


def test_a_deputy_sees_their_own_full_number_and_their_peers_masked(client, world, deputy_user):
    # given a deputy of A
    client.force_login(deputy_user)
    peer = world.a.deputies[0]

    # when they list deputies
    rows = rows_by_id(client.get("/api/v1/deputies/"))

    # then their own number is full and a peer's is masked as 138****5678
    assert rows[deputy_user.deputy.pk]["phone"] == deputy_user.deputy.phone
    assert MASKED.match(rows[peer.pk]["phone"])
    assert rows[peer.pk]["phone"] == f"{peer.phone[:3]}****{peer.phone[-4:]}"


@pytest.mark.parametrize("role", ["committee_user", "unit_user", "leader_user", "station_user"])
def test_other_staff_see_masked_numbers(client, request, world, role):
    # given staff of A who are not office staff
    client.force_login(request.getfixturevalue(role))

    # when they list deputies
    rows = client.get("/api/v1/deputies/").json()["results"]

    # then every number is masked
    assert rows
    assert all(MASKED.match(row["phone"]) for row in rows)
    assert not {deputy.phone for deputy in world.a.deputies} & {row["phone"] for row in rows}


def test_a_deputy_without_a_number_shows_an_empty_one(client, world, committee_user):
    # given a deputy of A with no mobile number
    deputy = MandateFactory(term=world.a.term, deputy=DeputyFactory(phone=None)).deputy
    client.force_login(committee_user)

    # when committee staff read them
    row = client.get(f"/api/v1/deputies/{deputy.pk}/").json()

    # then the number is empty
    assert row["phone"] == ""


def test_deputy_list_query_count_does_not_grow_with_rows(client, world, office_user, django_assert_num_queries):
    # given office staff of A, whose congress has 2 deputies
    world.dual_deputy.delete()
    client.force_login(office_user)

    def add_deputies():
        for _ in range(18):
            MandateFactory(term=world.a.term, delegation=world.a.delegation)

    # when the list is read with 2 deputies and again with 20
    few, many = assert_same_query_count(
        django_assert_num_queries, fetch=lambda: client.get("/api/v1/deputies/"), add_rows=add_deputies
    )

    # then both took the same number of queries (asserted above) and listed everyone
    assert len(few.json()["results"]) == 2
    assert len(many.json()["results"]) == 20
