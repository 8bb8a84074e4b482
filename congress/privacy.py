"""Personal data in code: who sees deputies' and citizens' phone numbers in full, how they are masked
for everyone else, and the audit line of a deliberate export with phone numbers (docs/PRIVACY.md).

The citizen's contact on an issue is decided by `liaison_stations.services.issues.can_see_contact`;
the functions here take plain objects (ids on them), so `congress` imports no higher app.
"""

from __future__ import annotations

import copy
import dataclasses
import logging
import re
from collections.abc import Callable
from typing import Any

from simple_history.admin import SimpleHistoryAdmin
from simple_history.template_utils import HistoricalRecordContextHelper

from .roles import Role
from .scoping import get_scope

logger = logging.getLogger("congress.privacy")

# A mobile (optionally +86) or a landline with its area code, not inside a longer run of digits.
PHONE_IN_TEXT = re.compile(r"(?<![\d+])(?:\+?86[- ]?)?(?:1[3-9]\d{9}|0\d{2,3}-?\d{7,8})(?!\d)")
# Digits enough to probe a masked number through a text search.
PROBING_DIGITS = re.compile(r"\d{4,}")


def mask_phone(phone: str | None) -> str:
    """139****0044 for 13900000044; a short number is all stars; empty stays empty."""
    phone = (phone or "").strip()
    if len(phone) >= 7:
        return f"{phone[:3]}****{phone[-4:]}"
    return "****" if phone else ""


def mask_phones_in_text(text: str | None) -> str:
    """Free text (a citizen's words) with every phone number in it masked."""
    return PHONE_IN_TEXT.sub(lambda match: mask_phone(match.group(0)), text or "")


def sees_deputies_phones(user: Any) -> bool:
    """Whether the user manages deputies' contacts at all: administrators and office staff (联工委).

    Their querysets hold only the deputies with a seat in their congress, so this is need-to-know
    for every deputy they can reach."""
    scope = get_scope(user)
    return scope.is_global or Role.OFFICE in scope.roles


def sees_deputy_phone(user: Any, deputy: Any) -> bool:
    """A deputy's mobile number in full: the deputy themself, office staff, administrators."""
    scope = get_scope(user)
    if deputy is not None and scope.deputy_id is not None and scope.deputy_id == deputy.pk:
        return True
    return sees_deputies_phones(user)


def deputy_phone_for(user: Any, deputy: Any) -> str:
    """The deputy's number as this user may see it."""
    phone = deputy.phone or ""
    return phone if sees_deputy_phone(user, deputy) else mask_phone(phone)


def sees_visitor_contact(user: Any, visit: Any) -> bool:
    """A station visitor's phone in full: those who handle the visit (office staff of its congress,
    staff of its station, the deputy who received the visitor) and administrators. Leaders browsing
    see it masked, confidential or not."""
    scope = get_scope(user)
    if scope.is_global:
        return True
    if Role.OFFICE in scope.roles and visit.congress_id in scope.congress_ids:
        return True
    if Role.STATION in scope.roles and visit.station_id in scope.station_ids:
        return True
    return scope.deputy_id is not None and scope.deputy_id == visit.deputy_id


def searches_private_digits(user: Any) -> bool:
    """Whether a text search for digits may run over citizens' words for this user: those who handle
    issues and visits (office, station and unit staff, deputies) see the numbers anyway; leaders and
    committee staff, who see them masked, could otherwise probe the hidden digits."""
    return get_scope(user).has_role(Role.OFFICE, Role.STATION, Role.UNIT, Role.DEPUTY)


def user_label(user: Any) -> str:
    """How a user is named to others: the full name; a login name that is a phone number (deputies
    log in with their mobile number) masked."""
    if user is None:
        return ""
    return user.get_full_name() or mask_phones_in_text(user.get_username())


def log_personal_export(*, user: Any, what: str, rows: int, fields: list[str]) -> None:
    """The audit line of an export carrying phone numbers: who, what, how many rows, which columns."""
    logger.warning(
        "personal-data export: user=%s (id %s) exported %s rows of %s with %s",
        getattr(user, "get_username", lambda: "?")(),
        getattr(user, "pk", None),
        rows,
        what,
        ", ".join(fields),
    )


# --- admin history pages ---------------------------------------------------------------------


class _MaskingContextHelper(HistoricalRecordContextHelper):
    """Formats a history row's changes with some fields' old and new values masked."""

    def __init__(self, model: Any, record: Any, *, maskers: dict[str, Callable[[str], str]]) -> None:
        super().__init__(model, record)
        self.maskers = maskers

    def format_delta_change(self, change: Any) -> Any:
        mask = self.maskers.get(change.field)
        if mask is not None:
            change = dataclasses.replace(change, old=mask(str(change.old or "")), new=mask(str(change.new or "")))
        return super().format_delta_change(change)


class PrivateHistoryAdmin(SimpleHistoryAdmin):
    """A `SimpleHistoryAdmin` whose history pages keep the phone rule. Changes of the fields in
    `private_phone_fields` are masked unless `history_shows_phones(request, obj)` (more fields through
    `history_maskers`), and the "changed by" column names people by their full name, since a deputy's
    login name is their mobile number.

    Put it last among the bases (`class X(ScopedHistoryAdmin, PrivateHistoryAdmin)`): it then sits
    right before `SimpleHistoryAdmin`, also once `ScopedHistoryAdmin` itself is based on it."""

    private_phone_fields: tuple[str, ...] = ()

    def history_shows_phones(self, request: Any, obj: Any) -> bool:
        return sees_deputies_phones(request.user)

    def history_maskers(self, request: Any, obj: Any) -> dict[str, Callable[[str], str]]:
        """field name -> how its values are shown on this user's history page."""
        if self.history_shows_phones(request, obj):
            return {}
        return dict.fromkeys(self.private_phone_fields, mask_phone)

    def get_historical_record_context_helper(self, request: Any, historical_record: Any) -> Any:
        maskers = self.history_maskers(request, historical_record.instance)
        if maskers:
            return _MaskingContextHelper(self.model, historical_record, maskers=maskers)
        return super().get_historical_record_context_helper(request, historical_record)

    def set_history_delta_changes(self, request: Any, historical_records: Any, **kwargs: Any) -> None:
        super().set_history_delta_changes(request, historical_records, **kwargs)
        if sees_deputies_phones(request.user):
            return
        for record in historical_records:
            user = record.history_user
            if user is not None and user.get_username() != user_label(user):
                shown = copy.copy(user)  # only for the page: the label replaces the login name
                setattr(shown, user.USERNAME_FIELD, user_label(user))
                record.history_user = shown
