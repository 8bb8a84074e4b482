"""`visible_to(user)` of the organisation models, for every role."""

import pytest

from congress.models import Committee, Congress, HandlingUnit, Session, StaffProfile, SubjectCategory, Term
from congress.roles import Role
from congress.scoping import get_scope
from congress.services import user_assign_role
from tests.congress.factories import UserFactory
from tests.roles import ROLES, expected_rows, rows_of_congress, visible_ids

TENANT_MODELS = [Congress, Term, Session, Committee, SubjectCategory, HandlingUnit]


@pytest.mark.parametrize("model", TENANT_MODELS, ids=lambda model: model.__name__)
def test_both_congresses_have_rows_of_their_own(world, model):
    # given the two congresses of the fixtures
    # when their rows are listed without any scope
    rows_a = rows_of_congress(model, world.a.congress)
    rows_b = rows_of_congress(model, world.b.congress)

    # then each has rows, and none is shared, so the scoping tests below can tell them apart
    assert rows_a
    assert rows_b
    assert not rows_a & rows_b


@ROLES
def test_visible_to_limits_rows_to_the_roles_congress(request, world, role):
    # given a user of the role
    user = request.getfixturevalue(role)

    # when the rows of each model visible to them are listed
    visible = {model.__name__: visible_ids(model, user) for model in TENANT_MODELS}

    # then they are exactly the rows of the role's congress (all for superusers and administrators)
    assert visible == {model.__name__: expected_rows(model, role, world) for model in TENANT_MODELS}


def test_deputy_with_a_resigned_mandate_sees_nothing_of_that_congress(world, resigned_deputy_user):
    # given a deputy who resigned in congress A and serves in B
    user = resigned_deputy_user

    # when they list congresses and committees
    congresses = visible_ids(Congress, user)
    committees = visible_ids(Committee, user)

    # then only B's rows are there
    assert congresses == {world.b.congress.pk}
    assert world.a.committee.pk not in committees
    assert world.b.committee.pk in committees


def test_office_staff_see_their_congresss_staff_profiles(world, office_user):
    # given office staff of congress A (and a colleague in A, another in B)
    # when they list staff profiles
    visible = visible_ids(StaffProfile, office_user)

    # then they see every profile of A and none of B
    assert visible == set(StaffProfile.objects.filter(congress=world.a.congress).values_list("pk", flat=True))
    assert office_user.staff_profile.pk in visible
    assert len(visible) >= 2


def test_office_staff_of_another_congress_see_only_that_congresss_profiles(world, office_user, office_user_b):
    # given office staff of A and of B
    # when B's office lists staff profiles
    visible = visible_ids(StaffProfile, office_user_b)

    # then A's profiles are not there
    assert office_user.staff_profile.pk not in visible
    assert visible == set(StaffProfile.objects.filter(congress=world.b.congress).values_list("pk", flat=True))


@pytest.mark.parametrize("role", ["committee_user", "unit_user", "leader_user"])
def test_other_staff_see_only_their_own_staff_profile(request, world, role):
    # given staff of congress A who are not office staff
    user = request.getfixturevalue(role)

    # when they list staff profiles
    visible = visible_ids(StaffProfile, user)

    # then they see their own profile only
    assert visible == {user.staff_profile.pk}


@pytest.mark.parametrize("role", ["station_user", "deputy_user", "other_deputy_user", "plain_user", "anonymous_user"])
def test_users_without_a_staff_profile_see_no_staff_profiles(request, world, role):
    # given a user who has no staff profile
    user = request.getfixturevalue(role)

    # when they list staff profiles
    # then there are none
    assert visible_ids(StaffProfile, user) == set()


@pytest.mark.parametrize("role", ["admin_user", "administrator_user"])
def test_superusers_and_administrators_see_every_staff_profile(request, world, office_user, role):
    # given a global user
    user = request.getfixturevalue(role)

    # when they list staff profiles
    # then every profile is there
    assert visible_ids(StaffProfile, user) == set(StaffProfile.objects.values_list("pk", flat=True))


def test_scope_of_staff_names_their_committee_and_unit(world, office_user, unit_user):
    # given office staff and unit staff
    # when their scopes are computed
    office_scope = get_scope(office_user)
    unit_scope = get_scope(unit_user)

    # then each names its congress and its committee or unit
    assert office_scope.congress_ids == {world.a.congress.pk}
    assert office_scope.committee_id == world.a.office_committee.pk
    assert unit_scope.unit_id == world.a.unit.pk
    assert not office_scope.is_global


def test_assigning_a_role_refreshes_a_cached_scope(world):
    # given a user whose (empty) scope was already computed
    user = UserFactory()
    assert visible_ids(Committee, user) == set()

    # when they are made office staff of congress A
    user_assign_role(user=user, role=Role.OFFICE, congress=world.a.congress, committee=world.a.office_committee)

    # then the same user object now sees A's committees
    assert visible_ids(Committee, user) == rows_of_congress(Committee, world.a.congress)
