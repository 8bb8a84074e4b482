"""Project-level pages: the landing page that routes each role, log-in, the health check and the liveness probe."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from . import ratelimit
from .models import Notification
from .roles import Role
from .scoping import get_scope
from .selectors import health_report
from .services import notifications_mark_all_read


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Send each role to where it works; show a page of links to those in several roles."""
    scope = get_scope(request.user)
    if scope.deputy_id and not scope.is_global and scope.roles <= {Role.DEPUTY}:
        return redirect("deputies:portal_home")
    return render(request, "home.html", {"scope": scope})


def limit_failed_logins(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Wrap a log-in view (ours and the admin's). django-axes locks a user name at one address after a
    few failures; this also pauses every log-in POST from an address that failed
    `LOGIN_FAILURES_PER_HOUR` times within the hour, whatever names it tried (password spraying), with
    a 429 page. A failed attempt is a POST answered with the form again (200)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method != "POST":
            return view(request, *args, **kwargs)
        who = ratelimit.client_ip(request.META)
        if ratelimit.exceeded(bucket=LOGIN_BUCKET, who=who, limit=settings.LOGIN_FAILURES_PER_HOUR):
            response = render(
                request, "registration/too_many_attempts.html", {"minutes": ratelimit.HOUR // 60}, status=429
            )
            response["Retry-After"] = str(ratelimit.HOUR)
            return response
        response = view(request, *args, **kwargs)
        if response.status_code == 200:
            ratelimit.hit(bucket=LOGIN_BUCKET, who=who)
        return response

    return wrapped


LOGIN_BUCKET = "login-failed"
login = limit_failed_logins(auth_views.LoginView.as_view(redirect_authenticated_user=True))


@never_cache
@require_GET
def livez(request: HttpRequest) -> HttpResponse:
    """The liveness probe: the process answers, nothing else is touched (no database, no cache).

    Load balancers poll it; `make bench` uses it as the trivial view every page is compared with."""
    return HttpResponse("ok\n", content_type="text/plain; charset=utf-8")


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    report = health_report()
    return JsonResponse(report, status=503 if report["status"] == "error" else 200)


@login_required
def notifications(request: HttpRequest) -> HttpResponse:
    """The user's notifications, newest first; POST marks them all read."""
    items = Notification.objects.filter(user=request.user)
    if request.method == "POST":
        notifications_mark_all_read(user=request.user)
        return redirect("notifications")
    page = Paginator(items.order_by("-created_at", "-pk"), 30).get_page(request.GET.get("page"))
    return render(request, "notifications.html", {"page": page})


def view_on_site(request: HttpRequest, content_type_id: int, object_id: str) -> HttpResponse:
    """The admin's "view on site" redirect (/admin/r/<type>/<id>/), scoped: Django's own looks up any
    object of any model for any staff user. Here the object must be in the user's admin queryset (their
    scope) and the user must be allowed to view it; otherwise it is not found, like every admin page."""
    from django.contrib import admin
    from django.contrib.contenttypes.models import ContentType
    from django.contrib.contenttypes.views import shortcut
    from django.core.exceptions import ValidationError
    from django.http import Http404

    content_type = ContentType.objects.filter(pk=content_type_id).first()
    model = content_type.model_class() if content_type else None
    model_admin = admin.site._registry.get(model) if model else None
    if model_admin is None or not model_admin.has_view_or_change_permission(request):
        raise Http404
    try:
        found = model_admin.get_queryset(request).filter(pk=object_id).exists()
    except (ValueError, ValidationError):
        found = False
    if not found:
        raise Http404
    return shortcut(request, content_type_id, object_id)
