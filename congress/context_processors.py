"""Template context shared by every page: the user's congress and the navigation for their roles."""

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from .models import Notification
from .roles import ADMIN_ROLES, Role
from .scoping import get_scope
from .selectors import congress_for_user


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"site_title": settings.PRODUCT_NAME, "nav": {}}
    scope = get_scope(user)
    congress = congress_for_user(user=user)
    nav = {
        "admin": scope.is_global or bool(scope.roles & ADMIN_ROLES),
        "portal": scope.deputy_id is not None,
        "unit_desk": Role.UNIT in scope.roles,
        "station_desk": Role.STATION in scope.roles,
        "dashboard": scope.has_role(Role.LEADER, Role.OFFICE),
        "committee_work": scope.has_role(Role.OFFICE, Role.COMMITTEE, Role.LEADER),
        "stations": scope.has_role(Role.OFFICE, Role.LEADER),
    }
    nav.update(
        committee_desk=Role.COMMITTEE in scope.roles and scope.committee_id is not None,
        unread=Notification.objects.filter(user=user, read_at__isnull=True).count(),
    )
    return {"site_title": congress.display_name if congress else settings.PRODUCT_NAME, "nav": nav, "scope": scope}
