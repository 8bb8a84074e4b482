"""Forms of the desk's moves on a citizen issue; choices limited to the issue's congress."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from congress.models import HandlingUnit, SubjectCategory
from deputies.models import Deputy

from ..choices import Channel, Tier
from ..models import Block, Station


def _deputies(congress_id: int) -> Any:
    return (
        Deputy.objects.filter(mandates__congress_id=congress_id, mandates__status="serving")
        .distinct()
        .order_by("name", "pk")
    )


def _units(congress_id: int) -> Any:
    return HandlingUnit.objects.filter(congress_id=congress_id, is_active=True).order_by("name", "pk")


def _categories(congress_id: int) -> Any:
    return SubjectCategory.objects.filter(congress_id=congress_id, is_active=True).order_by("sort_order", "pk")


class CongressForm(forms.Form):
    """A form whose choices come from one congress."""

    def __init__(self, *args: Any, congress_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = {"deputy": _deputies, "lead_deputy": _deputies, "reported_by": _deputies}
        choices |= {"handling_unit": _units, "category": _categories}
        for name, queryset in choices.items():
            if name in self.fields:
                self.fields[name].queryset = queryset(congress_id)


class ScreenForm(CongressForm):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("accept", _("Accept")), ("reject", _("Do not accept"))],
        widget=forms.RadioSelect,
        initial="accept",
    )
    tier = forms.TypedChoiceField(
        label=_("Tier"), choices=[c for c in Tier.choices if c[0] != 4], coerce=int, initial=1, required=False
    )
    deputy = forms.ModelChoiceField(
        label=_("Deputy handling it (tier 1)"), queryset=Deputy.objects.none(), required=False
    )
    handling_unit = forms.ModelChoiceField(
        label=_("Handling unit (tier 3)"), queryset=HandlingUnit.objects.none(), required=False
    )
    category = forms.ModelChoiceField(label=_("Category"), queryset=SubjectCategory.objects.none(), required=False)
    reason = forms.CharField(
        label=_("Reason for not accepting (shown to the citizen)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=1000,
    )


class AssignForm(CongressForm):
    deputy = forms.ModelChoiceField(label=_("Deputy (tier 1)"), queryset=Deputy.objects.none(), required=False)
    handling_unit = forms.ModelChoiceField(
        label=_("Handling unit (tier 3)"), queryset=HandlingUnit.objects.none(), required=False
    )


class EscalateForm(CongressForm):
    handling_unit = forms.ModelChoiceField(
        label=_("Handling unit (needed for tier 3)"), queryset=HandlingUnit.objects.none(), required=False
    )
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=1000)


class AnswerForm(forms.Form):
    body = forms.CharField(label=_("Answer to the citizen"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000)
    answerer_name = forms.CharField(label=_("Answered by (as the citizen sees it)"), max_length=100, required=False)


class CloseForm(forms.Form):
    note = forms.CharField(
        label=_("How the citizen confirmed"), widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=1000
    )


class ConvertForm(CongressForm):
    lead_deputy = forms.ModelChoiceField(label=_("Lead deputy"), queryset=Deputy.objects.none(), required=False)
    title = forms.CharField(label=_("Title of the suggestion"), max_length=200, required=False)


class OutcomeForm(forms.Form):
    people_helped = forms.IntegerField(label=_("People helped"), min_value=0, required=False)
    money_involved = forms.DecimalField(
        label=_("Money involved (yuan)"), min_value=0, max_digits=14, decimal_places=2, required=False
    )


class RecordForm(CongressForm):
    """Staff record an issue from any channel (a visit, a forum, the hotline, a WeChat group...)."""

    channel = forms.ChoiceField(label=_("Channel"), choices=Channel.choices)
    content = forms.CharField(
        label=_("What the citizen said"), widget=forms.Textarea(attrs={"rows": 4}), max_length=2000
    )
    station = forms.ModelChoiceField(label=_("Station"), queryset=Station.objects.none(), required=False)
    block = forms.ModelChoiceField(label=_("Block"), queryset=Block.objects.none(), required=False)
    deputy = forms.ModelChoiceField(label=_("Deputy written to"), queryset=Deputy.objects.none(), required=False)
    reported_by = forms.ModelChoiceField(
        label=_("Reported by deputy (hotline)"), queryset=Deputy.objects.none(), required=False
    )
    category = forms.ModelChoiceField(label=_("Category"), queryset=SubjectCategory.objects.none(), required=False)
    location = forms.CharField(label=_("Where"), max_length=200, required=False)
    citizen_name = forms.CharField(label=_("Citizen's name"), max_length=50, required=False)
    citizen_phone = forms.CharField(label=_("Citizen's phone"), max_length=20, required=False)
    consent = forms.BooleanField(label=_("Consents to being contacted"), required=False)

    def __init__(self, *args: Any, congress_id: int, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, congress_id=congress_id, **kwargs)
        stations = Station.objects.visible_to(user).filter(congress_id=congress_id).order_by("name", "pk")
        self.fields["station"].queryset = stations
        self.fields["block"].queryset = Block.objects.filter(station__in=stations).order_by("station_id", "number")
