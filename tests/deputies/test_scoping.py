"""`visible_to(user)` of the registry models (deputies, mandates, delegations), for every role."""

import pytest

from deputies.choices import MandateStatus
from deputies.models import Delegation, Deputy, Mandate
from tests.conftest import make_deputy_user
from tests.roles import ROLES, expected_rows, rows_of_congress, visible_ids

REGISTRY_MODELS = [Deputy, Mandate, Delegation]


@pytest.mark.parametrize("model", REGISTRY_MODELS, ids=lambda model: model.__name__)
def test_both_congresses_have_rows_of_their_own(world, model):
    # given the two congresses of the fixtures
    # when their rows are listed without any scope
    rows_a = rows_of_congress(model, world.a.congress)
    rows_b = rows_of_congress(model, world.b.congress)

    # then each has rows of its own
    assert rows_a - rows_b
    assert rows_b - rows_a


@ROLES
def test_visible_to_limits_rows_to_the_roles_congress(request, world, role):
    # given a user of the role
    user = request.getfixturevalue(role)

    # when the rows of each model visible to them are listed
    visible = {model.__name__: visible_ids(model, user) for model in REGISTRY_MODELS}

    # then they are exactly the rows of the role's congress (all for superusers and administrators)
    assert visible == {model.__name__: expected_rows(model, role, world) for model in REGISTRY_MODELS}


def test_a_person_with_seats_in_both_congresses_is_visible_to_both_offices(world, office_user, office_user_b):
    # given a deputy with a seat in A and a seat in B
    dual = world.dual_deputy

    # when each office lists deputies and mandates
    # then both see the person, each only their own congress's seat
    assert dual.pk in visible_ids(Deputy, office_user)
    assert dual.pk in visible_ids(Deputy, office_user_b)
    seats_a = set(Mandate.objects.visible_to(office_user).filter(deputy=dual).values_list("congress_id", flat=True))
    assert seats_a == {world.a.congress.pk}


def test_a_deputy_sees_their_peers_but_not_other_congresses(world, deputy_user):
    # given a deputy serving in A
    # when they list deputies
    visible = visible_ids(Deputy, deputy_user)

    # then their peers in A are there, B's own deputies are not
    assert {deputy.pk for deputy in world.a.deputies} <= visible
    assert deputy_user.deputy.pk in visible
    assert not {deputy.pk for deputy in world.b.deputies} & visible


def test_a_deputy_whose_only_mandate_is_resigned_sees_no_deputies(world):
    # given a deputy whose only seat (in A) is resigned
    user = make_deputy_user(username="former", name="前代表", seats=[(world.a.term, MandateStatus.RESIGNED)])

    # when they list deputies and mandates
    # then nothing of A is visible
    assert visible_ids(Deputy, user) == set()
    assert visible_ids(Mandate, user) == set()
