"""The API's URL map. A wiring module: it may import every app's `api`, the apps never import it."""

from django.urls import include, path
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.routers import DefaultRouter

from dashboard.api import urlpatterns as stats_urls
from deputies.api import DeputyViewSet, activities, campaigns, groups, legislation, meetings, supervision, training
from liaison_stations.api import issues as station_issues
from liaison_stations.api import public as station_public
from liaison_stations.api import receptions as station_receptions
from liaison_stations.api import stations as station_stations
from suggestions.api import (
    AssignmentViewSet,
    NotificationViewSet,
    SubjectCategoryViewSet,
    SuggestionViewSet,
    SupervisionCaseViewSet,
)

from .api import CommitteeViewSet, CongressViewSet, HandlingUnitViewSet, MeView


# No `.json` twins of every route: the API speaks JSON only (content negotiation), and the twins
# would double the surface without being tested.
class Router(DefaultRouter):
    include_format_suffixes = False


router = Router()
router.register("congresses", CongressViewSet, basename="congress")
router.register("committees", CommitteeViewSet, basename="committee")
router.register("units", HandlingUnitViewSet, basename="unit")
router.register("deputies", DeputyViewSet, basename="deputy")
router.register("categories", SubjectCategoryViewSet, basename="category")
router.register("suggestions", SuggestionViewSet, basename="suggestion")
router.register("assignments", AssignmentViewSet, basename="assignment")
router.register("supervision-cases", SupervisionCaseViewSet, basename="supervision-case")
router.register("notifications", NotificationViewSet, basename="notification")
for area in (
    activities,
    training,
    meetings,
    groups,
    legislation,
    supervision,
    campaigns,
    station_stations,
    station_receptions,
    station_issues,
    station_public,
):
    for prefix, viewset, basename in area.ROUTES:
        router.register(prefix, viewset, basename=basename)

urlpatterns = [
    *stats_urls,
    path("auth/token/", ObtainAuthToken.as_view(), name="api-token"),
    path("me/", MeView.as_view(), name="api-me"),
    path("", include(router.urls)),
]
