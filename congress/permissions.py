"""Access checks for views: wrong role answers 403; objects outside scope answer 404 (via querysets)."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from .scoping import get_scope


def role_required(*roles: str) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Anonymous users go to the login page; users in none of `roles` get 403."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not get_scope(request.user).has_role(*roles):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return login_required(wrapped)

    return decorator


def deputy_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """For portal pages: the user must be linked to a Deputy."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if get_scope(request.user).deputy_id is None:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return login_required(wrapped)
