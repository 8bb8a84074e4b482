"""The kinds of records the figures count, and each figure as a condition on them.

A figure is always "how many records of a kind meet a condition under the filter", so the number
on the dashboard and the list behind it are one queryset: `Kind.counts` aggregates it in the
database (one query for any number of figures), `Kind.records` lists it. Rates are two figures of
one kind. See docs/dashboard.md for every figure in words.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import (
    Case,
    CharField,
    Count,
    DecimalField,
    Exists,
    F,
    IntegerField,
    Model,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, Concat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from congress.privacy import mask_phones_in_text
from deputies.choices import ActivityKind, ActivityState, ActivityStatus, InvitationStatus, MandateStatus
from deputies.models import Activity, ActivityRecord, Deputy, DutySnapshot, GroupMembership, Invitation, Mandate
from liaison_stations.choices import ChecklistState, IssueRating, IssueStatus
from liaison_stations.models import ChecklistStatus, Forum, PublicIssue, ReceptionDay, StationDeputy, Visit
from suggestions.choices import (
    AssignmentRole,
    AssignmentStatus,
    CloseReason,
    Rating,
    RequestStatus,
    SuggestionStatus,
    SupervisionStatus,
)
from suggestions.models import AdjustmentRequest, Assignment, ExtensionRequest, Suggestion, SupervisionCase

from .filters import StatsFilter

S = SuggestionStatus
A = AssignmentStatus

# Suggestions accepted (立案) and on their way, or done.
ACCEPTED_STATUSES = (S.ACCEPTED, S.PRE_ASSIGNED, S.ASSIGNED, S.REPLIED, S.CLOSED)
AWAITING_REPLY = (A.ASSIGNED, A.SIGNED, A.ADJUSTMENT_REQUESTED)
SATISFIED_RATINGS = (Rating.SATISFIED, Rating.BASICALLY_SATISFIED)
ISSUE_IN_PROGRESS = (IssueStatus.SUBMITTED, IssueStatus.HANDLING, IssueStatus.ANSWERED)
ISSUE_SATISFIED = (IssueRating.SATISFIED, IssueRating.BASICALLY)
# Duty points bands of the yearly record (the base is often 60).
POINT_BANDS: tuple[tuple[Decimal | None, Decimal | None], ...] = (
    (None, Decimal(20)),
    (Decimal(20), Decimal(40)),
    (Decimal(40), Decimal(60)),
    (Decimal(60), Decimal(80)),
    (Decimal(80), Decimal(100)),
    (Decimal(100), None),
)


def band_label(index: int) -> str:
    low, high = POINT_BANDS[index]
    if low is None:
        return f"<{high}"
    if high is None:
        return f"≥{low}"
    return f"{low}–{high}"


def aware_bounds(start: datetime.date | None, end: datetime.date | None) -> tuple[Any, Any]:
    """Local-day bounds as aware datetimes [start 00:00, end+1 00:00), so indexes on timestamps serve."""
    tz = timezone.get_current_timezone()
    low = datetime.datetime.combine(start, datetime.time.min, tzinfo=tz) if start else None
    high = datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz) if end else None
    return low, high


def period_q(path: str, f: StatsFilter, *, timestamp: bool) -> Q:
    """The filter's date range on a date field, or on a timestamp taken as the local day."""
    start, end = f.period()
    if start is None and end is None:
        return Q()
    if timestamp:
        start, end = aware_bounds(start, end)
        q = Q()
        if start is not None:
            q &= Q(**{f"{path}__gte": start})
        if end is not None:
            q &= Q(**{f"{path}__lt": end})
        return q
    q = Q()
    if start is not None:
        q &= Q(**{f"{path}__gte": start})
    if end is not None:
        q &= Q(**{f"{path}__lte": end})
    return q


@dataclass(frozen=True)
class Figure:
    label: Any
    condition: Callable[[StatsFilter], Q] = lambda f: Q()


@dataclass(frozen=True)
class Column:
    label: Any
    value: Callable[[Any], Any]
    link: Callable[[Any], str] | None = None


@dataclass
class Kind:
    """A kind of record: its scoped base queryset, the filters it understands, its figures, and
    the columns of its drill-down list and export."""

    key: str
    label: Any
    model: type[Model]
    base: Callable[[StatsFilter], QuerySet]
    dims: dict[str, Callable[[StatsFilter], Q]]
    figures: dict[str, Figure]
    columns: list[Column]
    select_related: tuple[str, ...] = ()
    order_by: tuple[str, ...] = ("-pk",)
    sums: dict[str, Any] = field(default_factory=dict)

    def understands(self, name: str) -> bool:
        return name == "congress" or name in self.dims or (name in PERIOD_NAMES and "period" in self.dims)

    def ignored(self, f: StatsFilter) -> list[str]:
        return [name for name in f.given() if not self.understands(name)]

    def queryset(self, f: StatsFilter) -> QuerySet:
        """Every record of the kind under the filter (the base of all its figures)."""
        qs = self.base(f)
        for name, condition in self.dims.items():
            if name == "period":
                start, end = f.period()
                if start or end:
                    qs = qs.filter(condition(f))
            elif getattr(f, name, None) is not None:
                qs = qs.filter(condition(f))
        return qs

    def counts(self, f: StatsFilter, keys: Iterable[str] | None = None, sums: Iterable[str] = ()) -> dict[str, Any]:
        """The figures (and sums) named, in one aggregate query."""
        keys = list(keys) if keys is not None else list(self.figures)
        aggregates: dict[str, Any] = {key: Count("pk", filter=self.figures[key].condition(f)) for key in keys}
        aggregates.update({key: self.sums[key] for key in sums})
        return self.queryset(f).aggregate(**aggregates)

    def breakdown(
        self, f: StatsFilter, by: str | Any, keys: Iterable[str], *, extra: Iterable[str] = (), sums: Iterable[str] = ()
    ) -> list[dict[str, Any]]:
        """The figures per value of `by` (a field path or an expression named `group`), one query."""
        qs = self.queryset(f)
        if isinstance(by, str):
            group = by
            qs = qs.values(by, *extra)
        else:
            group = "group"
            qs = qs.annotate(group=by).values("group", *extra)
        aggregates: dict[str, Any] = {key: Count("pk", filter=self.figures[key].condition(f)) for key in keys}
        aggregates.update({key: self.sums[key] for key in sums})
        rows = list(qs.annotate(**aggregates).order_by(group))
        for row in rows:
            row["value"] = row.pop(group)
        return rows

    def records(self, f: StatsFilter, figure: str) -> QuerySet:
        """The records behind a figure: exactly as many as `counts` gives for it."""
        qs = self.queryset(f).filter(self.figures[figure].condition(f))
        if self.select_related:
            qs = qs.select_related(*self.select_related)
        return qs.order_by(*self.order_by)


PERIOD_NAMES = ("year", "month", "date_from", "date_to")


def in_congresses(path: str = "congress_id") -> Callable[[StatsFilter], Q]:
    return lambda f: Q() if f.congress_ids is None else Q(**{f"{path}__in": sorted(f.congress_ids)})


def scoped(model: type[Model], path: str = "congress_id", **always: Any) -> Callable[[StatsFilter], QuerySet]:
    def base(f: StatsFilter) -> QuerySet:
        return model._default_manager.filter(in_congresses(path)(f), **always)

    return base


def station_suggestions(f: StatsFilter) -> Any:
    return PublicIssue.objects.filter(station_id=f.station, suggestion__isnull=False).values("suggestion_id")


# --- suggestions ----------------------------------------------------------------------------------


def _suggestion_dims(prefix: str = "") -> dict[str, Callable[[StatsFilter], Q]]:
    p = prefix
    return {
        "term": lambda f: Q(**{f"{p}session__term_id": f.term}),
        "session": lambda f: Q(**{f"{p}session_id": f.session}),
        "period": lambda f: period_q(f"{p}submitted_at", f, timestamp=True),
        "committee": lambda f: Q(**{f"{p}category__counterpart_committee_id": f.committee}),
        "category": lambda f: Q(**{f"{p}category_id": f.category}),
        "key_topic": lambda f: Q(**{f"{p}key_topic_id": f.key_topic}),
        "station": lambda f: Q(**{f"{p}pk__in": station_suggestions(f)}),
    }


def _suggestion_unit(f: StatsFilter) -> Q:
    live = Assignment.objects.filter(unit_id=f.unit).exclude(status=A.CANCELLED).values("suggestion_id")
    return Q(pk__in=live)


SUGGESTIONS = Kind(
    key="suggestions",
    label=_("Suggestions"),
    model=Suggestion,
    # Received: every suggestion that was submitted (drafts are the deputy's own).
    base=scoped(Suggestion, number__isnull=False),
    dims={
        **_suggestion_dims(),
        "unit": _suggestion_unit,
        "status": lambda f: Q(status=f.status),
    },
    figures={
        "received": Figure(_("Received")),
        "accepted": Figure(_("Accepted (立案)"), lambda f: Q(status__in=ACCEPTED_STATUSES)),
        "rejected": Figure(_("Not accepted"), lambda f: Q(status=S.REJECTED)),
        "withdrawn": Figure(_("Withdrawn"), lambda f: Q(status=S.WITHDRAWN)),
        "waiting": Figure(_("Waiting for review"), lambda f: Q(status=S.SUBMITTED)),
        "in_handling": Figure(_("Being handled"), lambda f: Q(status__in=(S.ACCEPTED, S.PRE_ASSIGNED, S.ASSIGNED))),
        "replied": Figure(_("Replied, waiting for the rating"), lambda f: Q(status=S.REPLIED)),
        "closed": Figure(_("Closed"), lambda f: Q(status=S.CLOSED)),
        "no_feedback": Figure(_("Closed without feedback"), lambda f: Q(close_reason=CloseReason.NO_FEEDBACK)),
        "key": Figure(_("Key suggestions"), lambda f: Q(is_key=True)),
        "key_closed": Figure(_("Key suggestions closed"), lambda f: Q(is_key=True, status=S.CLOSED)),
    },
    columns=[
        Column(_("Number"), lambda s: s.number_display),
        Column(_("Title"), lambda s: s.title),
        Column(_("Lead deputy"), lambda s: s.lead_deputy.name),
        Column(_("Category"), lambda s: s.category.name),
        Column(_("Status"), lambda s: s.get_status_display()),
        Column(_("Submitted"), lambda s: timezone.localtime(s.submitted_at).date() if s.submitted_at else ""),
    ],
    select_related=("lead_deputy", "category"),
    order_by=("-submitted_at", "-pk"),
)


def _assignment_dims() -> dict[str, Callable[[StatsFilter], Q]]:
    return {
        **_suggestion_dims("suggestion__"),
        "unit": lambda f: Q(unit_id=f.unit),
        # In the suggestions' figures a status is always the suggestion's.
        "status": lambda f: Q(suggestion__status=f.status),
        "reply_class": lambda f: Q(reply_class_id=f.reply_class),
    }


def _extended(f: StatsFilter) -> Q:
    approved = ExtensionRequest.objects.filter(assignment_id=OuterRef("pk"), status=RequestStatus.APPROVED)
    return Q(Exists(approved))


def _overdue(f: StatsFilter) -> Q:
    return Q(status__in=AWAITING_REPLY, due_on__lt=f.today)


ASSIGNMENT_COLUMNS = [
    Column(_("Number"), lambda a: a.suggestion.number_display),
    Column(_("Suggestion"), lambda a: a.suggestion.title),
    Column(_("Unit"), lambda a: a.unit.name),
    Column(_("Role"), lambda a: a.get_role_display()),
    Column(_("Status"), lambda a: a.get_status_display()),
    Column(_("Assigned on"), lambda a: a.assigned_on),
    Column(_("Due on"), lambda a: a.due_on),
    Column(_("First replied on"), lambda a: a.first_replied_on or ""),
    Column(_("Reply class"), lambda a: a.reply_class.code if a.reply_class_id else ""),
    Column(_("Rating"), lambda a: a.get_rating_display()),
]

ASSIGNMENTS = Kind(
    key="assignments",
    label=_("Assignments to answer (lead and split units)"),
    model=Assignment,
    # Units that answer the deputy (lead or split), formally assigned (the clock runs), not taken off.
    base=lambda f: (
        scoped(Assignment)(f)
        .filter(role__in=(AssignmentRole.LEAD, AssignmentRole.SPLIT), assigned_on__isnull=False)
        .exclude(status=A.CANCELLED)
    ),
    dims=_assignment_dims(),
    figures={
        "assigned": Figure(_("Assigned")),
        "replied": Figure(_("Replied"), lambda f: Q(first_replied_on__isnull=False)),
        "due": Figure(
            _("Due for a reply (replied, or past the due date)"),
            lambda f: Q(first_replied_on__isnull=False) | Q(due_on__lt=f.today),
        ),
        "on_time": Figure(
            _("Replied on time"),
            lambda f: Q(first_replied_on__isnull=False, first_replied_on__lte=F("first_reply_due_on")),
        ),
        "late": Figure(
            _("Replied late or overdue"),
            lambda f: (
                Q(first_replied_on__gt=F("first_reply_due_on")) | Q(first_replied_on__isnull=True, due_on__lt=f.today)
            ),
        ),
        "evaluated": Figure(_("Rated by the deputy"), lambda f: ~Q(rating="")),
        "satisfied": Figure(_("Rated satisfied or basically satisfied"), lambda f: Q(rating__in=SATISFIED_RATINGS)),
        "unsatisfied": Figure(_("Rated unsatisfied"), lambda f: Q(rating=Rating.UNSATISFIED)),
        "solved": Figure(_("Solved (A)"), lambda f: Q(reply_class__counts_as_solved=True)),
        "solved_or_planned": Figure(
            _("Solved or planned (A+B)"),
            lambda f: Q(reply_class__counts_as_solved=True) | Q(reply_class__counts_as_planned=True),
        ),
        "overdue": Figure(_("Overdue now"), _overdue),
        # An assignment may have had several extension requests: it counts once.
        "extended": Figure(_("With an approved extension"), _extended),
    },
    columns=ASSIGNMENT_COLUMNS,
    select_related=("suggestion", "unit", "reply_class"),
    order_by=("due_on", "pk"),
)

CO_ASSIGNMENTS = Kind(
    key="co_assignments",
    label=_("Co-handling assignments"),
    model=Assignment,
    base=lambda f: (
        scoped(Assignment)(f).filter(role=AssignmentRole.CO, assigned_on__isnull=False).exclude(status=A.CANCELLED)
    ),
    dims=_assignment_dims(),
    figures={
        "assigned": Figure(_("Co-handling")),
        "opinion_sent": Figure(_("Opinion sent"), lambda f: Q(status=A.OPINION_SENT)),
    },
    columns=ASSIGNMENT_COLUMNS[:7],
    select_related=("suggestion", "unit"),
    order_by=("due_on", "pk"),
)

ADJUSTMENTS = Kind(
    key="adjustments",
    label=_("Adjustment requests"),
    model=AdjustmentRequest,
    base=scoped(AdjustmentRequest),
    dims={
        **_suggestion_dims("assignment__suggestion__"),
        "unit": lambda f: Q(assignment__unit_id=f.unit),
        "status": lambda f: Q(assignment__suggestion__status=f.status),
    },
    figures={
        "requested": Figure(_("Adjustments requested")),
        "approved": Figure(_("Approved"), lambda f: Q(status=RequestStatus.APPROVED)),
        "refused": Figure(_("Refused"), lambda f: Q(status=RequestStatus.REFUSED)),
        "pending": Figure(_("Pending"), lambda f: Q(status=RequestStatus.PENDING)),
    },
    columns=[
        Column(_("Number"), lambda r: r.assignment.suggestion.number_display),
        Column(_("Suggestion"), lambda r: r.assignment.suggestion.title),
        Column(_("Unit"), lambda r: r.assignment.unit.name),
        Column(_("Reason"), lambda r: r.reason),
        Column(_("Status"), lambda r: r.get_status_display()),
        Column(_("Requested"), lambda r: timezone.localtime(r.created_at).date()),
    ],
    select_related=("assignment__suggestion", "assignment__unit"),
    order_by=("-created_at", "-pk"),
)

SUPERVISION = Kind(
    key="supervision",
    label=_("Supervision cases on suggestions"),
    model=SupervisionCase,
    base=scoped(SupervisionCase, suggestion__isnull=False),
    dims={
        **{name: q for name, q in _suggestion_dims("suggestion__").items() if name != "committee"},
        "committee": lambda f: Q(committee_id=f.committee),
        "unit": lambda f: Q(assignment__unit_id=f.unit),
        "status": lambda f: Q(suggestion__status=f.status),
        "kind": lambda f: Q(trigger=f.kind),
    },
    figures={
        "cases": Figure(_("Supervision cases")),
        "open": Figure(_("Open"), lambda f: Q(status=SupervisionStatus.OPEN)),
        "closed": Figure(_("Closed"), lambda f: Q(status=SupervisionStatus.CLOSED)),
    },
    columns=[
        Column(_("Subject"), lambda c: c.subject_display),
        Column(_("Committee"), lambda c: c.committee.name),
        Column(_("Trigger"), lambda c: c.get_trigger_display()),
        Column(_("Status"), lambda c: c.get_status_display()),
        Column(_("Opened on"), lambda c: c.opened_on),
        Column(_("Closed on"), lambda c: c.closed_on or ""),
    ],
    select_related=("suggestion", "committee"),
    order_by=("-opened_on", "-pk"),
)

# --- deputies -------------------------------------------------------------------------------------


def _serving_mandates(f: StatsFilter) -> QuerySet:
    mandates = Mandate.objects.filter(in_congresses()(f), status=MandateStatus.SERVING)
    if f.term is not None:
        mandates = mandates.filter(term_id=f.term)
    return mandates


def _attended(f: StatsFilter, kinds: Iterable[str], *, over_term: bool = False) -> QuerySet:
    """Attended invitations of the kinds in the filter's congresses, for the OuterRef deputy: within
    the filter's period, or (`over_term`) at meetings of the chosen term, else of the terms of the
    serving mandates (the current term)."""
    qs = Invitation.objects.filter(
        in_congresses("activity__congress_id")(f),
        deputy_id=OuterRef("pk"),
        status=InvitationStatus.ATTENDED,
        activity__kind__in=list(kinds),
        activity__state=ActivityState.HELD,
    )
    if not over_term:
        return qs.filter(period_q("activity__starts_at", f, timestamp=True))
    if f.term is not None:
        return qs.filter(activity__meeting__term_id=f.term)
    return qs.filter(activity__meeting__term_id__in=_serving_mandates(f).values("term_id"))


DEPUTIES = Kind(
    key="deputies",
    label=_("Deputies in office"),
    model=Deputy,
    # Persons, not mandates: a deputy of two levels in the filter's congresses counts once.
    base=lambda f: Deputy.objects.filter(pk__in=_serving_mandates(f).values("deputy_id")),
    dims={
        "term": lambda f: Q(),  # applied in the base (serving mandates of the term)
        "station": lambda f: Q(pk__in=StationDeputy.objects.filter(station_id=f.station).values("deputy_id")),
        "committee": lambda f: Q(
            pk__in=GroupMembership.objects.filter(group__counterpart_committee_id=f.committee).values("deputy_id")
        ),
        "deputy_category": lambda f: Q(category=f.deputy_category),
    },
    figures={
        "in_office": Figure(_("Deputies in office")),
        "trained": Figure(
            _("Trained (attended a training course)"),
            lambda f: Q(Exists(_attended(f, [ActivityKind.TRAINING_COURSE]))),
        ),
        "sat_in": Figure(
            _("Sat in on a standing-committee meeting"),
            lambda f: Q(Exists(_attended(f, [ActivityKind.SC_SITTING], over_term=True))),
        ),
        "not_sat_in": Figure(
            _("Not yet sat in on a meeting"),
            lambda f: ~Q(Exists(_attended(f, [ActivityKind.SC_SITTING], over_term=True))),
        ),
        "group_members": Figure(
            _("Members of a professional group"),
            lambda f: Q(
                Exists(
                    GroupMembership.objects.filter(
                        in_congresses("group__congress_id")(f), deputy_id=OuterRef("pk"), group__is_active=True
                    )
                )
            ),
        ),
        "active": Figure(
            _("With an act in the duty record"),
            lambda f: Q(
                Exists(
                    ActivityRecord.objects.filter(
                        in_congresses()(f),
                        period_q("date", f, timestamp=False),
                        deputy_id=OuterRef("pk"),
                        status__in=(ActivityStatus.RECORDED, ActivityStatus.VERIFIED),
                    )
                )
            ),
        ),
    },
    columns=[
        Column(_("Name"), lambda d: d.name),
        Column(_("Gender"), lambda d: d.get_gender_display()),
        Column(_("Category"), lambda d: d.get_category_display()),
        Column(_("Work unit"), lambda d: d.work_unit),
        Column(_("Position"), lambda d: d.job_title),
    ],
    order_by=("name", "pk"),
)

TRAINING_KINDS = (ActivityKind.TRAINING_COURSE,)


def _attendance_kind(key: str, label: Any, kinds: Iterable[str]) -> Kind:
    kinds = tuple(kinds)
    return Kind(
        key=key,
        label=label,
        model=Invitation,
        base=lambda f: Invitation.objects.filter(
            in_congresses("activity__congress_id")(f),
            status=InvitationStatus.ATTENDED,
            activity__state=ActivityState.HELD,
            activity__kind__in=kinds,
        ),
        dims={
            "period": lambda f: period_q("activity__starts_at", f, timestamp=True),
            "committee": lambda f: Q(activity__organiser_id=f.committee),
            "station": lambda f: Q(
                deputy_id__in=StationDeputy.objects.filter(station_id=f.station).values("deputy_id")
            ),
        },
        figures={"attended": Figure(_("Person-times"))},
        sums={
            "hours": Coalesce(Sum(Coalesce("hours", "activity__hours")), Value(Decimal(0)), output_field=DecimalField())
        },
        columns=[
            Column(_("Deputy"), lambda i: i.deputy.name),
            Column(_("Activity"), lambda i: i.activity.title),
            Column(_("Date"), lambda i: timezone.localtime(i.activity.starts_at).date()),
            Column(_("Hours"), lambda i: i.hours if i.hours is not None else (i.activity.hours or "")),
        ],
        select_related=("deputy", "activity"),
        order_by=("-activity__starts_at", "deputy__name", "pk"),
    )


TRAININGS = _attendance_kind("trainings", _("Training attendance"), TRAINING_KINDS)
SITTINGS = _attendance_kind("sittings", _("Sittings on standing-committee meetings"), (ActivityKind.SC_SITTING,))
SITTINGS.dims["term"] = lambda f: Q(activity__meeting__term_id=f.term)

ACTIVITIES = Kind(
    key="activities",
    label=_("Activities held"),
    model=Activity,
    base=scoped(Activity, state=ActivityState.HELD),
    dims={
        "period": lambda f: period_q("starts_at", f, timestamp=True),
        "committee": lambda f: Q(organiser_id=f.committee),
        "kind": lambda f: Q(kind=f.kind),
    },
    figures={"held": Figure(_("Activities held"))},
    columns=[
        Column(_("Title"), lambda a: a.title),
        Column(_("Kind"), lambda a: a.get_kind_display()),
        Column(_("Starts"), lambda a: timezone.localtime(a.starts_at).strftime("%Y-%m-%d %H:%M")),
        Column(_("Place"), lambda a: a.place),
    ],
    order_by=("-starts_at", "pk"),
)


def _band_case() -> Case:
    whens = []
    for index, (low, high) in enumerate(POINT_BANDS):
        q = Q()
        if low is not None:
            q &= Q(points__gte=low)
        if high is not None:
            q &= Q(points__lt=high)
        whens.append(When(q, then=Value(index)))
    return Case(*whens, output_field=IntegerField())


def _band_q(f: StatsFilter) -> Q:
    low, high = POINT_BANDS[min(f.bucket or 0, len(POINT_BANDS) - 1)]
    q = Q()
    if low is not None:
        q &= Q(points__gte=low)
    if high is not None:
        q &= Q(points__lt=high)
    return q


POINTS = Kind(
    key="points",
    label=_("Duty points of the year"),
    model=DutySnapshot,
    # The nightly snapshot of the year (quarter 0) of deputies serving now.
    base=lambda f: DutySnapshot.objects.filter(
        in_congresses()(f),
        quarter=0,
        year=f.year or f.today.year,
        deputy_id__in=_serving_mandates(f).values("deputy_id"),
    ),
    dims={
        "bucket": _band_q,
        "term": lambda f: Q(),
        "year": lambda f: Q(),
        # The deputies the distribution is of narrow as the deputies' own figures do.
        "station": lambda f: Q(deputy_id__in=StationDeputy.objects.filter(station_id=f.station).values("deputy_id")),
        "committee": lambda f: Q(
            deputy_id__in=GroupMembership.objects.filter(group__counterpart_committee_id=f.committee).values(
                "deputy_id"
            )
        ),
        "deputy_category": lambda f: Q(deputy__category=f.deputy_category),
    },
    figures={"deputies": Figure(_("Deputies"))},
    columns=[
        Column(_("Deputy"), lambda s: s.deputy.name),
        Column(_("Year"), lambda s: s.year),
        Column(_("Points"), lambda s: s.points),
        Column(_("Rank"), lambda s: s.rank),
    ],
    select_related=("deputy",),
    order_by=("rank", "pk"),
)

# --- the citizens' loop and the stations ----------------------------------------------------------


def _issue_on_time(f: StatsFilter) -> Q:
    return Q(
        status__in=(IssueStatus.ANSWERED, IssueStatus.CLOSED),
        answered_at__isnull=False,
        due_on__isnull=False,
        answered_at__date__lte=F("due_on"),
    )


ISSUES = Kind(
    key="issues",
    label=_("Citizens' issues"),
    model=PublicIssue,
    base=scoped(PublicIssue),
    dims={
        "period": lambda f: period_q("created_at", f, timestamp=True),
        "station": lambda f: Q(station_id=f.station),
        "block": lambda f: Q(block_id=f.block),
        "channel": lambda f: Q(channel=f.channel),
        "tier": lambda f: Q(tier=f.tier),
        "committee": lambda f: Q(category__counterpart_committee_id=f.committee),
        "category": lambda f: Q(category_id=f.category),
        "unit": lambda f: Q(handling_unit_id=f.unit),
        "status": lambda f: Q(status=f.status),
    },
    figures={
        "collected": Figure(_("Collected")),
        "solved": Figure(_("Solved (closed)"), lambda f: Q(status=IssueStatus.CLOSED)),
        "in_progress": Figure(_("In progress"), lambda f: Q(status__in=ISSUE_IN_PROGRESS)),
        "not_accepted": Figure(_("Not accepted"), lambda f: Q(status=IssueStatus.NOT_ACCEPTED)),
        "converted": Figure(_("Turned into suggestions"), lambda f: Q(status=IssueStatus.CONVERTED)),
        "answered": Figure(
            _("Answered"), lambda f: Q(status__in=(IssueStatus.ANSWERED, IssueStatus.CLOSED), answered_at__isnull=False)
        ),
        "on_time": Figure(_("Answered on time"), _issue_on_time),
        "rated": Figure(_("Rated"), lambda f: ~Q(rating="")),
        "satisfied": Figure(_("Rated satisfied or basically satisfied"), lambda f: Q(rating__in=ISSUE_SATISFIED)),
        "reopened": Figure(_("Reopened at least once"), lambda f: Q(reopen_count__gt=0)),
        "overdue": Figure(
            _("Overdue now"),
            lambda f: Q(status__in=(IssueStatus.SUBMITTED, IssueStatus.HANDLING), due_on__lt=f.today),
        ),
        "with_outcome": Figure(
            _("With an outcome recorded"), lambda f: Q(people_helped__isnull=False) | Q(money_involved__isnull=False)
        ),
    },
    sums={
        "people_helped": Coalesce(Sum("people_helped"), Value(0)),
        "money_involved": Coalesce(
            Sum("money_involved"), Value(Decimal(0)), output_field=DecimalField(max_digits=14, decimal_places=2)
        ),
    },
    columns=[
        Column(_("Tracking code"), lambda i: i.tracking_code),
        Column(_("Channel"), lambda i: i.get_channel_display()),
        Column(_("Station"), lambda i: i.station.name if i.station_id else ""),
        # Figures need no contact: a phone number the citizen wrote is masked here and in the export.
        Column(_("Content"), lambda i: mask_phones_in_text(i.content)[:60]),
        Column(_("Status"), lambda i: i.get_status_display()),
        Column(_("Tier"), lambda i: i.tier or ""),
        Column(_("Due on"), lambda i: i.due_on or ""),
        Column(_("Received"), lambda i: timezone.localtime(i.created_at).date()),
    ],
    select_related=("station",),
    order_by=("-created_at", "-pk"),
)


def _station_dims(station_path: str, date_path: str, *, timestamp: bool = False) -> dict[str, Any]:
    return {
        "station": lambda f: Q(**{station_path: f.station}),
        "period": lambda f: period_q(date_path, f, timestamp=timestamp),
    }


RECEPTIONS = Kind(
    key="receptions",
    label=_("Reception days"),
    model=ReceptionDay,
    base=scoped(ReceptionDay),
    dims=_station_dims("station_id", "date"),
    figures={
        "scheduled": Figure(_("Reception days scheduled")),
        "held": Figure(_("Reception days held (confirmed)"), lambda f: Q(confirmed_at__isnull=False)),
    },
    columns=[
        Column(_("Station"), lambda r: r.station.name),
        Column(_("Date"), lambda r: r.date),
        Column(_("Topic"), lambda r: r.topic),
        Column(_("Confirmed"), lambda r: _("yes") if r.confirmed_at else _("no")),
    ],
    select_related=("station",),
    order_by=("-date", "pk"),
)


def _reception_keys(f: StatsFilter) -> QuerySet:
    """The duty-record source keys of the station's reception days ("reception:<id>")."""
    text = CharField()
    key = Concat(Value("reception:"), Cast("pk", output_field=text), output_field=text)
    return ReceptionDay.objects.filter(station_id=f.station).annotate(key=key).values("key")


RECEPTION_DUTIES = Kind(
    key="reception_duties",
    label=_("Deputies received citizens at a station (person-times)"),
    model=ActivityRecord,
    base=scoped(
        ActivityRecord,
        activity_type__code="station_reception",
        source_key__startswith="reception:",
        status__in=(ActivityStatus.RECORDED, ActivityStatus.VERIFIED),
    ),
    dims={
        "period": lambda f: period_q("date", f, timestamp=False),
        "station": lambda f: Q(source_key__in=_reception_keys(f)),
    },
    figures={"person_times": Figure(_("Person-times"))},
    columns=[
        Column(_("Deputy"), lambda r: r.deputy.name),
        Column(_("Date"), lambda r: r.date),
        Column(_("Where"), lambda r: r.description),
    ],
    select_related=("deputy",),
    order_by=("-date", "pk"),
)

VISITS = Kind(
    key="visits",
    label=_("Visits received"),
    model=Visit,
    base=scoped(Visit),
    dims={**_station_dims("station_id", "visited_on"), "category": lambda f: Q(category_id=f.category)},
    figures={
        "visits": Figure(_("Visits")),
        "into_loop": Figure(_("Taken into the loop"), lambda f: Q(disposition="loop")),
    },
    sums={"visitors": Coalesce(Sum("visitors"), Value(0))},
    # What a visitor said may be confidential: the list shows no words and no names.
    columns=[
        Column(_("Station"), lambda v: v.station.name),
        Column(_("Date"), lambda v: v.visited_on),
        Column(_("Visitors"), lambda v: v.visitors),
        Column(_("Disposition"), lambda v: v.get_disposition_display()),
    ],
    select_related=("station",),
    order_by=("-visited_on", "pk"),
)

FORUMS = Kind(
    key="forums",
    label=_("Forums"),
    model=Forum,
    # Held: a forum planned for a later day is not counted yet.
    base=lambda f: scoped(Forum)(f).filter(held_on__lte=f.today),
    dims={**_station_dims("station_id", "held_on"), "block": lambda f: Q(block_id=f.block)},
    figures={"forums": Figure(_("Forums held"))},
    sums={"residents": Coalesce(Sum("residents"), Value(0))},
    columns=[
        Column(_("Station"), lambda x: x.station.name),
        Column(_("Held on"), lambda x: x.held_on),
        Column(_("Topic"), lambda x: x.topic),
        Column(_("Residents present"), lambda x: x.residents),
    ],
    select_related=("station",),
    order_by=("-held_on", "pk"),
)

CHECKLIST = Kind(
    key="checklist",
    label=_("Station checklist"),
    model=ChecklistStatus,
    # The year's state of each active item (the current year unless a year is chosen).
    base=lambda f: scoped(ChecklistStatus)(f).filter(item__is_active=True, year=f.year or f.today.year),
    dims={"station": lambda f: Q(station_id=f.station), "year": lambda f: Q(), "status": lambda f: Q(state=f.status)},
    figures={
        "items": Figure(_("Checklist items")),
        "met": Figure(_("Met"), lambda f: Q(state=ChecklistState.MET)),
        "partly": Figure(_("Partly met"), lambda f: Q(state=ChecklistState.PARTLY)),
        "not_met": Figure(_("Not met"), lambda f: Q(state=ChecklistState.NOT_MET)),
    },
    columns=[
        Column(_("Station"), lambda c: c.station.name),
        Column(_("Item"), lambda c: c.item.name),
        Column(_("Year"), lambda c: c.year),
        Column(_("State"), lambda c: c.get_state_display()),
    ],
    select_related=("station", "item"),
    order_by=("station__name", "item__sort_order", "pk"),
)

KINDS: dict[str, Kind] = {
    kind.key: kind
    for kind in (
        SUGGESTIONS,
        ASSIGNMENTS,
        CO_ASSIGNMENTS,
        ADJUSTMENTS,
        SUPERVISION,
        DEPUTIES,
        TRAININGS,
        SITTINGS,
        ACTIVITIES,
        POINTS,
        ISSUES,
        RECEPTIONS,
        RECEPTION_DUTIES,
        VISITS,
        FORUMS,
        CHECKLIST,
    )
}
