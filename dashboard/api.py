"""The stats API (/api/v1/stats/…): the dashboard's figures as JSON, for leaders and office staff.

Filters come as query parameters (see `filters.FILTER_NAMES`); a congress outside the user's scope
is not found (404), other bad values answer 400 with a message per field, other roles 403.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from congress.db_router import replica_reads

from .filters import FILTER_NAMES, FilterError, StatsFilter, can_view_dashboard
from .stats import STATS

_TYPES = {
    "congress": OpenApiTypes.INT,
    "term": OpenApiTypes.INT,
    "session": OpenApiTypes.INT,
    "year": OpenApiTypes.INT,
    "date_from": OpenApiTypes.DATE,
    "date_to": OpenApiTypes.DATE,
    "station": OpenApiTypes.INT,
    "committee": OpenApiTypes.INT,
    "unit": OpenApiTypes.INT,
    "category": OpenApiTypes.INT,
    "block": OpenApiTypes.INT,
    "tier": OpenApiTypes.INT,
    "key_topic": OpenApiTypes.INT,
    "bucket": OpenApiTypes.INT,
    "reply_class": OpenApiTypes.INT,
}
FILTER_PARAMETERS = [
    OpenApiParameter(name, _TYPES.get(name, OpenApiTypes.STR), OpenApiParameter.QUERY, required=False)
    for name in FILTER_NAMES
]


def parse_filter(request: Request) -> StatsFilter:
    if not can_view_dashboard(request.user):
        raise PermissionDenied
    try:
        return StatsFilter.parse(request.user, request.query_params)
    except FilterError as error:
        raise ValidationError(error.errors) from error


class StatsView(APIView):
    """One set of figures; rates are {"numerator", "denominator", "value"}."""

    permission_classes: ClassVar[list[Any]] = [IsAuthenticated]


def _view(name: str, summary: str) -> type[StatsView]:
    compute: Callable[[StatsFilter], dict[str, Any]] = STATS[name]

    @extend_schema(
        operation_id=f"stats_{name.replace('-', '_')}",
        summary=summary,
        parameters=FILTER_PARAMETERS,
        responses={200: OpenApiTypes.OBJECT},
        tags=["stats"],
    )
    def get(self: StatsView, request: Request) -> Response:
        with replica_reads():  # only reads: the replica when there is one (congress.db_router)
            return Response(compute(parse_filter(request)))

    return type(f"Stats{name.title().replace('-', '')}View", (StatsView,), {"get": get, "__doc__": summary})


VIEWS = {
    "suggestions": _view("suggestions", "Suggestions: totals, rates, overdue, supervision, key suggestions"),
    "units": _view("units", "The units' league: assigned, replied, on time, satisfaction, adjustments, overdue"),
    "deputies": _view("deputies", "Deputies: in office, trained, meeting coverage, groups, activities, points"),
    "public-issues": _view("public-issues", "Citizens' issues: collected, solved, rates, breakdowns, outcomes"),
    "stations": _view("stations", "Stations: receptions, deputy receptions, visits, forums, checklist"),
}

urlpatterns = [path(f"stats/{name}/", view.as_view(), name=f"api-stats-{name}") for name, view in VIEWS.items()]
