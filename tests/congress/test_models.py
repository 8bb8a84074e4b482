"""Tenant rows refuse related rows of another congress (model validation, used by forms and imports)."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from congress.models import HandlingUnit, Session, StaffProfile, SubjectCategory
from deputies.models import Delegation, Mandate
from tests.congress.factories import UserFactory
from tests.deputies.factories import DeputyFactory


def build(model, world, related_from):
    """An unsaved row of congress A whose related rows come from `related_from` (world.a or world.b)."""
    other = related_from
    if model is Session:
        return Session(
            congress=world.a.congress,
            term=other.term,
            number=9,
            start_date=datetime.date(2026, 1, 8),
            end_date=datetime.date(2026, 1, 9),
        )
    if model is SubjectCategory:
        return SubjectCategory(
            congress=world.a.congress, name="新类别", code="new", counterpart_committee=other.committee
        )
    if model is HandlingUnit:
        return HandlingUnit(congress=world.a.congress, name="新单位", parent=other.unit)
    if model is StaffProfile:
        return StaffProfile(congress=world.a.congress, user=UserFactory(), committee=other.committee)
    if model is Delegation:
        return Delegation(congress=world.a.congress, term=other.term, name="新代表团")
    if model is Mandate:
        return Mandate(
            congress=world.a.congress,
            deputy=DeputyFactory(),
            term=world.a.term,
            delegation=other.delegation,
            start_date=datetime.date(2022, 1, 6),
        )
    raise AssertionError(model)


CASES = [
    (Session, "term"),
    (SubjectCategory, "counterpart_committee"),
    (HandlingUnit, "parent"),
    (StaffProfile, "committee"),
    (Delegation, "term"),
    (Mandate, "delegation"),
]


@pytest.mark.parametrize(("model", "field"), CASES, ids=[model.__name__ for model, _field in CASES])
def test_a_related_row_of_another_congress_is_refused(world, model, field):
    # given a row of congress A pointing at a row of congress B
    row = build(model, world, world.b)

    # when it is validated
    with pytest.raises(ValidationError) as raised:
        row.full_clean(validate_unique=False)

    # then the field pointing across is at fault
    assert field in raised.value.message_dict


@pytest.mark.parametrize(("model", "field"), CASES, ids=[model.__name__ for model, _field in CASES])
def test_a_related_row_of_the_same_congress_is_accepted(world, model, field):
    # given a row of congress A pointing at a row of congress A
    row = build(model, world, world.a)

    # when it is validated
    # then nothing is at fault
    row.full_clean(validate_unique=False)
