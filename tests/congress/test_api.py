"""The organisation API: token auth, who-am-I, and the scoped congress, committee and unit lists."""

import pytest
from rest_framework.authtoken.models import Token

from congress.roles import Role
from congress.services import user_assign_role, user_create
from tests.congress.factories import CommitteeFactory, HandlingUnitFactory
from tests.queries import assert_same_query_count


def ids(response):
    return {row["id"] for row in response.json()["results"]}


@pytest.fixture
def password_office_user(world):
    user = user_create(username="office-with-password", password="s3cret-Passw0rd", full_name="刘敏")
    return user_assign_role(user=user, role=Role.OFFICE, congress=world.a.congress, committee=world.a.office_committee)


# --- token auth and /me ------------------------------------------------------------------------


def test_token_is_issued_for_the_right_password(client, password_office_user):
    # given a user with a password
    # when they ask for a token
    response = client.post("/api/v1/auth/token/", {"username": "office-with-password", "password": "s3cret-Passw0rd"})

    # then they get their token
    assert response.status_code == 200
    assert response.json()["token"] == Token.objects.get(user=password_office_user).key


def test_no_token_for_a_wrong_password(client, password_office_user):
    # given a user with a password
    # when they ask for a token with a wrong one
    response = client.post("/api/v1/auth/token/", {"username": "office-with-password", "password": "wrong"})

    # then the request is refused and no token is made
    assert response.status_code == 400
    assert "non_field_errors" in response.json()["errors"]
    assert not Token.objects.filter(user=password_office_user).exists()


def test_me_with_a_token_names_roles_and_scope(client, world, password_office_user):
    # given a token obtained with the password
    token = client.post(
        "/api/v1/auth/token/", {"username": "office-with-password", "password": "s3cret-Passw0rd"}
    ).json()["token"]

    # when /me is read with the token
    response = client.get("/api/v1/me/", headers={"Authorization": f"Token {token}"})

    # then it names the user's roles, congress and committee
    assert response.status_code == 200
    body = response.json()
    assert body["username"] == "office-with-password"
    assert body["roles"] == [Role.OFFICE]
    assert body["is_global"] is False
    assert body["congress"]["id"] == world.a.congress.pk
    assert body["congress_ids"] == [world.a.congress.pk]
    assert body["committee_id"] == world.a.office_committee.pk
    assert body["unit_id"] is None
    assert body["deputy_id"] is None
    assert body["station_ids"] == []


def test_me_with_a_bad_token_is_unauthorised(client, world):
    # when /me is read with a token that does not exist
    response = client.get("/api/v1/me/", headers={"Authorization": "Token not-a-token"})

    # then the answer is 401
    assert response.status_code == 401


def test_me_for_anonymous_is_unauthorised(client, db):
    # when /me is read without credentials
    response = client.get("/api/v1/me/")

    # then the answer is 401 (token auth comes first and asks for a token)
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "Token"


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("deputy_user", {"roles": [Role.DEPUTY], "committee_id": None, "unit_id": None}),
        ("unit_user", {"roles": [Role.UNIT], "deputy_id": None, "station_ids": []}),
        ("station_user", {"roles": [Role.STATION], "deputy_id": None, "unit_id": None}),
    ],
)
def test_me_names_the_deputy_unit_or_station(client, request, world, role, expected):
    # given a user of the role, signed in with a session
    user = request.getfixturevalue(role)
    client.force_login(user)

    # when they read /me
    body = client.get("/api/v1/me/").json()

    # then it names what they act for, in congress A
    assert {key: body[key] for key in expected} == expected
    assert body["congress_ids"] == [world.a.congress.pk]
    if role == "deputy_user":
        assert body["deputy_id"] == user.deputy.pk
    if role == "unit_user":
        assert body["unit_id"] == world.a.unit.pk
    if role == "station_user":
        assert body["station_ids"] == [world.a.station.pk]


def test_me_for_a_superuser_is_global(client, admin_user):
    # given a superuser
    client.force_login(admin_user)

    # when they read /me
    body = client.get("/api/v1/me/").json()

    # then they are global, with no congress of their own
    assert body["is_global"] is True
    assert body["congress"] is None


# --- lists ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["congresses", "committees", "units", "deputies"])
def test_lists_need_authentication(client, world, path):
    # when a list is read anonymously
    response = client.get(f"/api/v1/{path}/")

    # then the answer is 401
    assert response.status_code == 401


def test_congress_list_is_scoped(client, world, office_user):
    # given office staff of congress A
    client.force_login(office_user)

    # when they list congresses
    response = client.get("/api/v1/congresses/")

    # then only A is there
    assert response.status_code == 200
    assert ids(response) == {world.a.congress.pk}


def test_committee_list_is_scoped(client, world, office_user):
    # given office staff of congress A
    client.force_login(office_user)

    # when they list committees
    response = client.get("/api/v1/committees/")

    # then A's committees are there with their subject categories, and B's are not
    assert response.status_code == 200
    assert ids(response) == {world.a.office_committee.pk, world.a.committee.pk}
    committee = next(row for row in response.json()["results"] if row["id"] == world.a.committee.pk)
    assert [category["id"] for category in committee["subject_categories"]] == [world.a.subject_category.pk]


def test_unit_list_is_scoped(client, world, office_user_b):
    # given office staff of congress B
    client.force_login(office_user_b)

    # when they list units
    response = client.get("/api/v1/units/")

    # then only B's units are there
    assert response.status_code == 200
    assert ids(response) == {world.b.unit.pk, world.b.child_unit.pk}


def test_everything_is_listed_for_a_superuser(client, world, admin_user):
    # given a superuser
    client.force_login(admin_user)

    # when they list congresses
    response = client.get("/api/v1/congresses/")

    # then both congresses are there
    assert ids(response) == {world.a.congress.pk, world.b.congress.pk}


def test_nothing_is_listed_for_a_user_without_a_role(client, world, plain_user):
    # given a signed-in user with no role
    client.force_login(plain_user)

    # when they list committees and units
    # then both lists are empty
    assert ids(client.get("/api/v1/committees/")) == set()
    assert ids(client.get("/api/v1/units/")) == set()


def test_units_filtered_by_congress(client, world, admin_user):
    # given a superuser
    client.force_login(admin_user)

    # when they list units of congress B
    response = client.get("/api/v1/units/", {"congress": world.b.congress.pk})

    # then only B's units are there
    assert ids(response) == {world.b.unit.pk, world.b.child_unit.pk}


def test_congress_filter_outside_scope_lists_nothing(client, world, office_user):
    # given office staff of A
    client.force_login(office_user)

    # when they ask for B's committees
    response = client.get("/api/v1/committees/", {"congress": world.b.congress.pk})

    # then nothing is listed
    assert response.status_code == 200
    assert ids(response) == set()


@pytest.mark.parametrize("path", ["committees", "units", "deputies"])
@pytest.mark.parametrize("value", ["abc", "1.5", "-1", "²"], ids=["letters", "decimal", "negative", "superscript-2"])
def test_malformed_congress_filter_is_a_field_error(client, world, office_user, path, value):
    # given office staff
    client.force_login(office_user)

    # when a list is asked for with a congress id that is not a whole number
    response = client.get(f"/api/v1/{path}/", {"congress": value})

    # then the answer is 400 with an error on the congress field, in the API's error shape
    assert response.status_code == 400
    body = response.json()
    assert set(body) == {"detail", "errors"}
    assert list(body["errors"]) == ["congress"]


@pytest.mark.parametrize(
    ("path", "attribute"),
    [
        ("congresses", "congress"),
        ("committees", "committee"),
        ("units", "unit"),
    ],
)
def test_out_of_scope_detail_answers_404_like_a_missing_one(client, world, office_user, path, attribute):
    # given office staff of A and an object of B
    client.force_login(office_user)
    other = getattr(world.b, attribute)

    # when they read B's object, and an id that does not exist
    response = client.get(f"/api/v1/{path}/{other.pk}/")
    missing = client.get(f"/api/v1/{path}/999999/")

    # then both answer 404 the same way, naming nothing of B
    assert response.status_code == 404
    assert response.json() == missing.json()
    assert other.name not in response.content.decode()


def test_in_scope_detail_answers_200(client, world, office_user):
    # given office staff of A
    client.force_login(office_user)

    # when they read A's committee
    response = client.get(f"/api/v1/committees/{world.a.committee.pk}/")

    # then it is there
    assert response.status_code == 200
    assert response.json()["name"] == world.a.committee.name


def test_api_is_read_only(client, world, office_user):
    # given office staff of A
    client.force_login(office_user)

    # when they try to create a committee through the API
    response = client.post(
        "/api/v1/committees/", {"congress": world.a.congress.pk, "name": "新委员会"}, content_type="application/json"
    )

    # then it is not allowed
    assert response.status_code == 405


@pytest.mark.parametrize(("path", "factory"), [("committees", CommitteeFactory), ("units", HandlingUnitFactory)])
def test_list_query_count_does_not_grow_with_rows(client, world, office_user, django_assert_num_queries, path, factory):
    # given office staff of A, whose congress has 2 rows of the list
    client.force_login(office_user)

    # when the list is read with 2 rows and again with 20
    few, many = assert_same_query_count(
        django_assert_num_queries,
        fetch=lambda: client.get(f"/api/v1/{path}/"),
        add_rows=lambda: factory.create_batch(18, congress=world.a.congress),
    )

    # then both took the same number of queries (asserted above) and listed all rows
    assert len(few.json()["results"]) == 2
    assert len(many.json()["results"]) == 20
