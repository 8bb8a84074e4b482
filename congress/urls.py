"""Root URL map: admin, pages of each interface, API, health."""

from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from deputies.api import PopoloView

from . import views

admin.site.site_header = _("Deputy Work Platform — administration")
admin.site.site_title = _("Deputy Work Platform")
admin.site.index_title = _("Deputy work")
admin.site.login = views.limit_failed_logins(admin.site.login)  # the same per-address limit as /accounts/login/
_admin_urls = admin.site.get_urls


def _scoped_admin_urls() -> list:
    """The admin's URLs with its "view on site" redirect replaced by the scoped one (same route, same name)."""
    urls = _admin_urls()
    for index, pattern in enumerate(urls):
        if getattr(pattern, "name", None) == "view_on_site":
            urls[index] = path(str(pattern.pattern), admin.site.admin_view(views.view_on_site), name="view_on_site")
    return urls


admin.site.get_urls = _scoped_admin_urls

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("livez", views.livez, name="livez"),
    path("notifications/", views.notifications, name="notifications"),
    path("accounts/login/", views.login, name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("", include("deputies.urls")),
    path("", include("suggestions.urls")),
    path("", include("liaison_stations.urls")),
    path("dashboard/", include("dashboard.urls")),
    path("api/v1/", include("congress.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/popolo.json", PopoloView.as_view(), name="popolo"),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
