"""Duty-record pages beyond the deputy's own record: declaring an act, the yearly record as Excel,
and the office's yearly ranking (page and Excel)."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from congress.excel import xlsx_response
from congress.models import Congress
from congress.permissions import deputy_required, role_required
from congress.roles import Role

from ..duty import activity_types_ensure, duty_declare, duty_ranking, duty_record_for
from ..models import ActivityType
from ..selectors import deputy_for_user
from .common import desk_congress_id, year_param


class DeclareForm(forms.Form):
    activity_type = forms.ModelChoiceField(label=gettext_lazy("Kind of activity"), queryset=ActivityType.objects.none())
    date = forms.DateField(
        label=gettext_lazy("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    description = forms.CharField(
        label=gettext_lazy("What you did"), max_length=300, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: object, congress_id: int, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["activity_type"].queryset = ActivityType.objects.filter(congress_id=congress_id, declarable=True)

    def clean_date(self) -> object:
        day = self.cleaned_data["date"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."))
        return day


@deputy_required
def portal_declare(request: HttpRequest) -> HttpResponse:
    """A deputy declares an act the system did not see (e.g. reporting to voters); staff verify it."""
    congress_id = desk_congress_id(request)
    activity_types_ensure(congress=Congress.objects.get(pk=congress_id))  # the declarable types exist
    form = DeclareForm(request.POST or None, congress_id=congress_id)
    if request.method == "POST" and form.is_valid():
        try:
            duty_declare(
                actor=request.user,
                congress=Congress.objects.get(pk=congress_id),
                code=form.cleaned_data["activity_type"].code,
                on=form.cleaned_data["date"],
                description=form.cleaned_data["description"],
            )
        except (ValueError, PermissionError) as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Declared. It counts once the deputy-affairs office verifies it."))
            return redirect("deputies:portal_record")
    return render(request, "deputies/duty/portal_declare.html", {"form": form})


@deputy_required
def portal_record_export(request: HttpRequest) -> HttpResponse:
    """My yearly duty record as an Excel file: each act, then the points per type and the total."""
    deputy = deputy_for_user(user=request.user)
    if deputy is None:
        raise Http404
    year = year_param(request)
    record = duty_record_for(deputy=deputy, congress_id=desk_congress_id(request), year=year)
    rows: list[list[object]] = [
        [r.date.isoformat(), r.activity_type.name, r.description, float(r.points), r.get_status_display()]
        for r in record["records"]
    ]
    rows.append([])
    rows += [
        ["", row["name"], _("%(count)s times") % {"count": row["count"]}, float(row["points"]), ""]
        for row in record["by_type"]
    ]
    rows.append(["", _("Yearly base"), "", float(record["base"]), ""])
    rows.append(
        ["", _("Total points"), "", float(record["total"]), _("Rank %(rank)s") % {"rank": record["rank"] or "—"}]
    )
    return xlsx_response(
        _("Duty record %(name)s %(year)s") % {"name": deputy.name, "year": year},
        str(year),
        [_("Date"), _("Activity"), _("Description"), _("Points"), _("Status")],
        rows,
    )


@role_required(Role.OFFICE, Role.LEADER)
def work_duty_ranking(request: HttpRequest) -> HttpResponse:
    """The congress's serving deputies ranked by the year's points, with points per type; Excel too."""
    congress_id = desk_congress_id(request)
    year = year_param(request)
    rows = duty_ranking(congress_id=congress_id, year=year)
    types = list(ActivityType.objects.filter(congress_id=congress_id).order_by("sort_order", "code"))
    for row in rows:
        row["cells"] = [row["totals"].by_type.get(t.code, Decimal(0)) for t in types]
    if request.GET.get("format") == "xlsx":
        return xlsx_response(
            _("Duty points %(year)s") % {"year": year},
            str(year),
            [_("Rank"), _("Deputy"), _("Work unit"), *[t.name for t in types], _("Yearly base"), _("Total points")],
            (
                [
                    row["rank"],
                    row["deputy"].name,
                    row["deputy"].work_unit,
                    *map(float, row["cells"]),
                    float(row["totals"].base),
                    float(row["totals"].total),
                ]
                for row in rows
            ),
        )
    return render(request, "deputies/duty/work_ranking.html", {"rows": rows, "types": types, "year": year})


urlpatterns = [
    path("portal/record/declare/", portal_declare, name="portal_declare"),
    path("portal/record/export.xlsx", portal_record_export, name="portal_record_export"),
    path("work/duty-record/", work_duty_ranking, name="work_duty_ranking"),
]
