"""The filters every figure, chart, drill-down list and export of the dashboard share.

One `StatsFilter` is parsed from the query string (API and pages alike), checked against the user's
scope, and carried into the record lists behind each figure, so a figure and its list are the same
query. Filters a data set has no notion of (a session for stations, say) are ignored for it and
reported as such by the API.
"""

from __future__ import annotations

import datetime
import hashlib
from dataclasses import dataclass, field, fields
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.http import Http404, QueryDict
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from congress.models import Committee, Congress, HandlingUnit, SubjectCategory, Term
from congress.models import Session as CongressSession
from congress.roles import Role
from congress.scoping import Scope, get_scope
from deputies.choices import DeputyCategory
from liaison_stations.models import Station
from suggestions.models import ReplyClass

# The query-string names of the filters, in the order links carry them.
FILTER_NAMES = (
    "congress",
    "term",
    "session",
    "year",
    "date_from",
    "date_to",
    "station",
    "committee",
    "unit",
    # the dimensions a chart element or table row narrows to when it is clicked
    "category",
    "status",
    "channel",
    "block",
    "tier",
    "month",
    "key_topic",
    "kind",
    "deputy_category",
    "reply_class",
    "bucket",
)

# Choosing any of these chooses the period; without one, pages and the report show the current year.
PERIOD_CHOICES = ("year", "month", "date_from", "date_to", "term", "session")

DASHBOARD_ROLES = (Role.LEADER, Role.OFFICE)


def can_view_dashboard(user: Any) -> bool:
    scope = get_scope(user)
    return scope.authenticated and scope.has_role(*DASHBOARD_ROLES)


class StatsFilterForm(forms.Form):
    """Validates the query string; every id must be of a congress the user may see."""

    congress = forms.IntegerField(label=_("Congress"), required=False, min_value=1)
    term = forms.ModelChoiceField(label=_("Term"), queryset=Term.objects.none(), required=False)
    session = forms.ModelChoiceField(label=_("Session"), queryset=CongressSession.objects.none(), required=False)
    year = forms.IntegerField(label=_("Year"), required=False, min_value=2000, max_value=2100)
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    date_to = forms.DateField(
        label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    station = forms.ModelChoiceField(label=_("Station"), queryset=Station.objects.none(), required=False)
    committee = forms.ModelChoiceField(label=_("Committee"), queryset=Committee.objects.none(), required=False)
    unit = forms.ModelChoiceField(label=_("Handling unit"), queryset=HandlingUnit.objects.none(), required=False)
    category = forms.ModelChoiceField(label=_("Category"), queryset=SubjectCategory.objects.none(), required=False)
    status = forms.SlugField(label=_("Status"), required=False, max_length=32)
    channel = forms.SlugField(label=_("Channel"), required=False, max_length=16)
    block = forms.IntegerField(label=_("Block"), required=False, min_value=1)
    tier = forms.IntegerField(label=_("Tier"), required=False, min_value=1, max_value=4)
    month = forms.RegexField(
        label=_("Month"),
        required=False,
        regex=r"^\d{4}-(0[1-9]|1[0-2])$",
        error_messages={"invalid": _("Give the month as YYYY-MM, e.g. 2026-03.")},
    )
    key_topic = forms.IntegerField(label=_("Key topic"), required=False, min_value=1)
    kind = forms.SlugField(label=_("Kind"), required=False, max_length=32)
    deputy_category = forms.ChoiceField(
        label=_("Deputy category"), required=False, choices=[("", "---------"), *DeputyCategory.choices]
    )
    reply_class = forms.ModelChoiceField(label=_("Reply class"), queryset=ReplyClass.objects.none(), required=False)
    bucket = forms.IntegerField(label=_("Points band"), required=False, min_value=0, max_value=20)

    def __init__(self, *args: Any, scope: Scope, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.scope = scope
        congresses = Congress.objects.all() if scope.is_global else Congress.objects.filter(pk__in=scope.congress_ids)
        self.congress_queryset = congresses
        self.fields["term"].queryset = Term.objects.filter(congress__in=congresses)
        self.fields["session"].queryset = CongressSession.objects.filter(congress__in=congresses)
        self.fields["committee"].queryset = Committee.objects.filter(congress__in=congresses)
        self.fields["unit"].queryset = HandlingUnit.objects.filter(congress__in=congresses)
        self.fields["station"].queryset = Station.objects.filter(congress__in=congresses)
        self.fields["reply_class"].queryset = ReplyClass.objects.filter(congress__in=congresses)
        self.fields["category"].queryset = SubjectCategory.objects.filter(congress__in=congresses)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end date must not be before the start date."))
        congress_id = data.get("congress")
        for name in ("term", "session", "station", "committee", "unit", "category", "reply_class"):
            value = data.get(name)
            if value is not None and congress_id and value.congress_id != congress_id:
                self.add_error(name, _("This belongs to another congress than the one chosen."))
        return data


class FilterError(Exception):
    """The query string has errors; `errors` maps each field to its messages."""

    def __init__(self, errors: dict[str, list[str]]) -> None:
        super().__init__(errors)
        self.errors = errors


@dataclass(frozen=True)
class StatsFilter:
    """A parsed, scope-checked set of filters. `congress_ids` None means every congress (global users)."""

    congress_ids: frozenset[int] | None
    congress: int | None = None
    term: int | None = None
    session: int | None = None
    year: int | None = None
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    station: int | None = None
    committee: int | None = None
    unit: int | None = None
    category: int | None = None
    status: str | None = None
    channel: str | None = None
    block: int | None = None
    tier: int | None = None
    month: str | None = None
    key_topic: int | None = None
    kind: str | None = None
    deputy_category: str | None = None
    reply_class: int | None = None
    bucket: int | None = None
    today: datetime.date = field(default_factory=timezone.localdate, compare=False)

    # --- construction -------------------------------------------------------------------------
    @classmethod
    def parse(cls, user: Any, params: QueryDict | dict[str, Any], *, today: datetime.date | None = None) -> StatsFilter:
        """Parse and check a query string: a congress out of scope is not found (404); other bad
        values raise FilterError with a message per field."""
        scope = get_scope(user)
        data = {name: params.get(name) for name in FILTER_NAMES if params.get(name) not in (None, "")}
        form = StatsFilterForm(data, scope=scope)
        if not form.is_valid():
            raise FilterError({name: [str(message) for message in messages] for name, messages in form.errors.items()})
        cleaned = form.cleaned_data
        congress_id = cleaned.get("congress")
        if congress_id is not None and not form.congress_queryset.filter(pk=congress_id).exists():
            raise Http404("No such congress.")
        if congress_id is not None:
            congress_ids: frozenset[int] | None = frozenset({congress_id})
        else:
            congress_ids = None if scope.is_global else frozenset(scope.congress_ids)

        def pk(name: str) -> int | None:
            value = cleaned.get(name)
            return value.pk if value is not None else None

        return cls(
            congress_ids=congress_ids,
            congress=congress_id,
            term=pk("term"),
            session=pk("session"),
            year=cleaned.get("year"),
            date_from=cleaned.get("date_from"),
            date_to=cleaned.get("date_to"),
            station=pk("station"),
            committee=pk("committee"),
            unit=pk("unit"),
            category=pk("category"),
            status=cleaned.get("status") or None,
            channel=cleaned.get("channel") or None,
            block=cleaned.get("block"),
            tier=cleaned.get("tier"),
            month=cleaned.get("month") or None,
            key_topic=cleaned.get("key_topic"),
            kind=cleaned.get("kind") or None,
            deputy_category=cleaned.get("deputy_category") or None,
            reply_class=pk("reply_class"),
            bucket=cleaned.get("bucket"),
            today=today or timezone.localdate(),
        )

    def narrowed(self, **dims: Any) -> StatsFilter:
        """The same filter narrowed to a chart element or table row (e.g. unit=5, month='2026-03')."""
        values = {f.name: getattr(self, f.name) for f in fields(self)}
        values.update({key: value for key, value in dims.items() if key in FILTER_NAMES})
        return StatsFilter(**values)

    def with_default_year(self) -> StatsFilter:
        """The filter, in the current year unless a period, a term or a session is chosen."""
        if any(getattr(self, name) is not None for name in PERIOD_CHOICES):
            return self
        return self.narrowed(year=self.today.year)

    # --- what it means ------------------------------------------------------------------------
    def period(self) -> tuple[datetime.date | None, datetime.date | None]:
        """The date range the year, month and from/until filters leave (both ends included)."""
        starts: list[datetime.date] = []
        ends: list[datetime.date] = []
        if self.year:
            starts.append(datetime.date(self.year, 1, 1))
            ends.append(datetime.date(self.year, 12, 31))
        if self.month:
            year, month = (int(part) for part in self.month.split("-"))
            starts.append(datetime.date(year, month, 1))
            following = datetime.date(year + month // 12, month % 12 + 1, 1)
            ends.append(following - datetime.timedelta(days=1))
        if self.date_from:
            starts.append(self.date_from)
        if self.date_to:
            ends.append(self.date_to)
        return (max(starts) if starts else None, min(ends) if ends else None)

    def given(self) -> dict[str, Any]:
        """The filters set, as query-string values."""
        out: dict[str, Any] = {}
        for name in FILTER_NAMES:
            value = getattr(self, name)
            if value is not None:
                out[name] = value.isoformat() if isinstance(value, datetime.date) else value
        return out

    def query_string(self, **dims: Any) -> str:
        values = self.given()
        values.update({key: value for key, value in dims.items() if value is not None})
        return urlencode(values)

    def records_url(self, kind: str, figure: str, /, **dims: Any) -> str:
        """The list of records behind a figure, under this filter (narrowed by `dims`)."""
        url = reverse("dashboard:records", args=[kind, figure])
        query = self.query_string(**dims)
        return f"{url}?{query}" if query else url

    def cache_key(self) -> str:
        ids = "all" if self.congress_ids is None else ",".join(str(i) for i in sorted(self.congress_ids))
        raw = f"{ids}|{self.today.isoformat()}|{self.query_string()}"
        return hashlib.sha256(raw.encode()).hexdigest()[:32]
