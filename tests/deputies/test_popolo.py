"""The Popolo export at /api/popolo.json, validated against the Popolo JSON Schemas (draft-03)."""

import json
import os
from pathlib import Path

import pytest
from django.conf import settings
from jsonschema import Draft3Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT3
from rest_framework.authtoken.models import Token

from congress.choices import CongressLevel
from tests.congress.factories import CongressFactory
from tests.deputies.factories import DeputyFactory, MandateFactory
from tests.queries import assert_same_query_count

SCHEMA_FOLDER = Path(settings.BASE_DIR).parent / "shared" / "schemas" / "popolo"
SCHEMA_URL = "http://www.popoloproject.com/schemas/{name}.json#"


@pytest.fixture(scope="module")
def popolo_validators():
    """A validator per Popolo type, resolving every `$ref` from the local copies of the schemas."""
    if not SCHEMA_FOLDER.is_dir():
        message = f"The Popolo schemas are missing at {SCHEMA_FOLDER}."
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    schemas = [json.loads(path.read_text(encoding="utf-8")) for path in sorted(SCHEMA_FOLDER.glob("*.json"))]
    registry = Registry().with_resources(
        (schema["id"], Resource.from_contents(schema, default_specification=DRAFT3)) for schema in schemas
    )
    by_id = {schema["id"]: schema for schema in schemas}
    return {
        name: Draft3Validator(
            by_id[SCHEMA_URL.format(name=name)], registry=registry, format_checker=Draft3Validator.FORMAT_CHECKER
        )
        for name in ("person", "organization", "membership")
    }


def export_as(client, user):
    client.force_login(user)
    response = client.get("/api/popolo.json")
    assert response.status_code == 200
    return response.json()


def schema_errors(validators, export):
    errors = []
    for key, name in (("persons", "person"), ("organizations", "organization"), ("memberships", "membership")):
        for item in export[key]:
            errors += [f"{key} {item.get('id')}: {error.message}" for error in validators[name].iter_errors(item)]
    return errors


def test_the_validators_reject_what_the_schemas_forbid(popolo_validators):
    # given the Popolo validators
    # when a person with a malformed birth date and an identifier without its value is checked
    person = {"id": "deputy/1", "name": "张三", "birth_date": "1975/06", "identifiers": [{"scheme": "x"}]}
    errors = list(popolo_validators["person"].iter_errors(person))

    # then both faults are found (so the schemas, and the $refs between them, are really applied)
    assert len(errors) == 2


def test_export_is_valid_popolo(client, world, office_user, popolo_validators):
    # given office staff of A
    # when they export the registry
    export = export_as(client, office_user)

    # then persons, organizations and memberships are all there and valid Popolo
    assert export["persons"]
    assert export["organizations"]
    assert export["memberships"]
    assert schema_errors(popolo_validators, export) == []


def test_export_references_resolve_and_names_are_present(client, world, office_user):
    # given congress A under a province congress that office staff of A cannot see
    world.a.congress.parent = CongressFactory(level=CongressLevel.PROVINCE)
    world.a.congress.save()

    # when office staff of A export the registry
    export = export_as(client, office_user)

    # then every id that is referred to is exported, and everything has a name
    person_ids = {person["id"] for person in export["persons"]}
    organization_ids = {organization["id"] for organization in export["organizations"]}
    assert len(person_ids) == len(export["persons"])
    assert len(organization_ids) == len(export["organizations"])
    for membership in export["memberships"]:
        assert membership["person_id"] in person_ids
        assert membership["organization_id"] in organization_ids
    parent_ids = {organization["parent_id"] for organization in export["organizations"] if "parent_id" in organization}
    assert parent_ids
    assert parent_ids <= organization_ids
    assert all(item["name"].strip() for item in export["persons"] + export["organizations"])


def test_export_has_a_membership_per_seat_and_delegation(client, world, office_user):
    # given office staff of A; the first deputy of A sits in A's delegation
    deputy = world.a.deputies[0]

    # when they export the registry
    export = export_as(client, office_user)

    # then the deputy is a member of congress A and of the delegation
    organizations = {
        membership["organization_id"]
        for membership in export["memberships"]
        if membership["person_id"] == f"deputy/{deputy.pk}"
    }
    assert organizations == {f"congress/{world.a.congress.pk}", f"delegation/{world.a.delegation.pk}"}


def test_export_contains_no_phone_number(client, world, office_user):
    # given deputies with mobile numbers
    phones = {deputy.phone for deputy in [*world.a.deputies, world.dual_deputy]}

    # when office staff (who may see the numbers elsewhere) export the registry
    client.force_login(office_user)
    text = client.get("/api/popolo.json").content.decode()

    # then no number is in it
    assert all(phone and phone not in text for phone in phones)


def test_export_is_scoped_to_the_users_congress(client, world, office_user_b):
    # given office staff of congress B
    # when they export the registry
    export = export_as(client, office_user_b)

    # then A's own deputies, A and A's bodies are not in it, and the shared person's seat in A is not either
    person_ids = {person["id"] for person in export["persons"]}
    organization_ids = {organization["id"] for organization in export["organizations"]}
    assert not {f"deputy/{deputy.pk}" for deputy in world.a.deputies} & person_ids
    assert f"deputy/{world.dual_deputy.pk}" in person_ids
    assert f"congress/{world.a.congress.pk}" not in organization_ids
    assert f"committee/{world.a.committee.pk}" not in organization_ids
    assert all(membership["organization_id"] in organization_ids for membership in export["memberships"])


def test_export_with_a_token(client, world, office_user):
    # given a token of office staff
    token = Token.objects.create(user=office_user)

    # when the export is read with it
    response = client.get("/api/popolo.json", headers={"Authorization": f"Token {token.key}"})

    # then it is served
    assert response.status_code == 200
    assert response.json()["persons"]


def test_export_needs_authentication(client, world):
    # when the export is read anonymously
    response = client.get("/api/popolo.json")

    # then the answer is 401
    assert response.status_code == 401


def test_export_query_count_does_not_grow_with_deputies(client, world, office_user, django_assert_num_queries):
    # given office staff of A, whose congress has 2 deputies
    world.dual_deputy.delete()
    client.force_login(office_user)

    def add_deputies():
        for _ in range(18):
            MandateFactory(term=world.a.term, delegation=world.a.delegation, deputy=DeputyFactory())

    # when the export is read with 2 deputies and with 20
    few, many = assert_same_query_count(
        django_assert_num_queries, fetch=lambda: client.get("/api/popolo.json"), add_rows=add_deputies
    )

    # then the query counts were equal (asserted above) and everyone is exported
    assert len(few.json()["persons"]) == 2
    assert len(many.json()["persons"]) == 20
