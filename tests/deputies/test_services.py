"""Writes of the registry: giving a deputy a login account."""

from django.contrib.auth import get_user_model

from congress.roles import Role
from congress.scoping import get_scope
from deputies.services import deputy_create_account
from tests.deputies.factories import DeputyFactory


def test_account_is_named_after_the_mobile_number(world):
    # given a deputy of A without an account
    deputy = world.a.deputies[0]

    # when an account is created for them
    user = deputy_create_account(deputy=deputy)

    # then it is named after their number, in the deputies group, linked, without a usable password
    deputy.refresh_from_db()
    assert user.username == deputy.phone
    assert user.first_name == deputy.name
    assert user.groups.filter(name=Role.DEPUTY).exists()
    assert deputy.user == user
    assert not user.has_usable_password()
    assert get_scope(user).deputy_id == deputy.pk


def test_account_with_a_given_username_and_password(world):
    # given a deputy
    deputy = world.a.deputies[0]

    # when an account is created with a username and password
    user = deputy_create_account(deputy=deputy, username="wangfang", password="s3cret-Passw0rd")

    # then they can log in with them
    assert user.username == "wangfang"
    assert user.check_password("s3cret-Passw0rd")


def test_no_account_without_a_mobile_number(world):
    # given a deputy without a mobile number
    deputy = DeputyFactory(phone=None)
    users_before = get_user_model().objects.count()

    # when an account is asked for
    user = deputy_create_account(deputy=deputy)

    # then none is made
    assert user is None
    assert get_user_model().objects.count() == users_before


def test_second_call_makes_no_second_account(world):
    # given a deputy who already got an account
    deputy = world.a.deputies[0]
    first = deputy_create_account(deputy=deputy)
    users_before = get_user_model().objects.count()

    # when an account is asked for again
    second = deputy_create_account(deputy=deputy)

    # then none is made and the first stays linked
    assert second is None
    assert get_user_model().objects.count() == users_before
    deputy.refresh_from_db()
    assert deputy.user == first


def test_no_account_when_the_username_is_taken(world, plain_user):
    # given a deputy whose number is already someone's username
    deputy = world.a.deputies[0]
    plain_user.username = deputy.phone
    plain_user.save()

    # when an account is asked for
    # then none is made, and the deputy is not linked to the other user
    assert deputy_create_account(deputy=deputy) is None
    deputy.refresh_from_db()
    assert deputy.user is None
