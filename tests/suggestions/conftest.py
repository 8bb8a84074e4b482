"""Fixtures of the suggestion workflow: a second deputy to co-sign, a co-handling unit and its staff."""

from typing import Any

import pytest

from congress.roles import Role
from congress.services import user_assign_role
from deputies.choices import MandateStatus
from suggestions.services import reply_classes_ensure
from tests.conftest import make_deputy_user
from tests.congress.factories import HandlingUnitFactory, UserFactory


@pytest.fixture
def reply_classes(world: Any) -> dict[str, Any]:
    return {reply_class.code: reply_class for reply_class in reply_classes_ensure(congress=world.a.congress)}


@pytest.fixture
def cosigner_user(world: Any) -> Any:
    return make_deputy_user(username="cosigner", name="附议代表", seats=[(world.a.term, MandateStatus.SERVING)])


@pytest.fixture
def co_unit(world: Any) -> Any:
    return HandlingUnitFactory(congress=world.a.congress, name="甲市教育局")


@pytest.fixture
def co_unit_user(world: Any, co_unit: Any) -> Any:
    user = UserFactory(username="co-unit")
    return user_assign_role(user=user, role=Role.UNIT, congress=world.a.congress, unit=co_unit)
