"""Writes of the registry, one function per use case."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction

from congress.roles import Role
from congress.scoping import clear_scope

from ..models import Deputy


@transaction.atomic
def deputy_create_account(*, deputy: Deputy, username: str | None = None, password: str | None = None) -> Any:
    """Give a deputy a login: the username is their mobile number unless given. Returns the user, or
    None when the deputy has no number and no username was given, or already has an account.

    Without a password the account gets an unusable one; the office sets it (or a reset) later.
    """
    deputy = Deputy.objects.select_for_update().get(pk=deputy.pk)
    if deputy.user_id:
        return None
    login = username or deputy.phone
    if not login:
        return None
    user_model = get_user_model()
    if user_model.objects.filter(username=login).exists():
        return None
    user = user_model(username=login, first_name=deputy.name)
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    user.groups.add(Group.objects.get(name=Role.DEPUTY))
    deputy.user = user
    deputy.save(update_fields=["user", "updated_at"])
    clear_scope(user)
    return user
