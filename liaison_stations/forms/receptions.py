"""Forms of reception days, visits and forums at the station desk."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from congress.models import SubjectCategory
from deputies.models import Deputy

from ..choices import Confidentiality, VisitDisposition
from ..models import Block, ReceptionDay
from .stations import DATE_INPUT, DeputyChoiceField

TIME_INPUT = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class DeputiesField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj: Deputy) -> str:
        return obj.name


class ReceptionForm(forms.Form):
    date = forms.DateField(label=_("date"), widget=DATE_INPUT)
    starts_at = forms.TimeField(label=_("from"), initial=datetime.time(9, 0), widget=TIME_INPUT)
    ends_at = forms.TimeField(label=_("until"), initial=datetime.time(11, 30), widget=TIME_INPUT)
    topic = forms.CharField(label=_("topic"), max_length=200, required=False)
    deputies = DeputiesField(label=_("deputies on duty"), queryset=Deputy.objects.none())
    note = forms.CharField(label=_("note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, deputies: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["deputies"].queryset = deputies


class ConfirmForm(forms.Form):
    absent = forms.ModelMultipleChoiceField(
        label=_("on duty but did not come"), queryset=Deputy.objects.none(), required=False
    )

    def __init__(self, *args: Any, deputies: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["absent"].queryset = deputies


class ReceptionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: ReceptionDay) -> str:
        return f"{obj.date:%Y-%m-%d} {obj.starts_at:%H:%M} {obj.topic}".strip()


class VisitForm(forms.Form):
    visited_on = forms.DateField(label=_("date"), widget=DATE_INPUT)
    reception_day = ReceptionChoiceField(label=_("reception day"), queryset=ReceptionDay.objects.none(), required=False)
    deputy = DeputyChoiceField(label=_("received by"), queryset=Deputy.objects.none(), required=False)
    visitor_name = forms.CharField(label=_("visitor"), max_length=50, required=False)
    visitor_phone = forms.CharField(label=_("visitor's phone"), max_length=20, required=False)
    visitors = forms.IntegerField(label=_("number of visitors"), min_value=1, max_value=999, initial=1)
    words = forms.CharField(
        label=_("what the visitor said"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("As spoken, without rewording."),
    )
    category = forms.ModelChoiceField(label=_("category"), queryset=SubjectCategory.objects.none(), required=False)
    confidentiality = forms.ChoiceField(
        label=_("confidentiality"), choices=Confidentiality.choices, initial=Confidentiality.PUBLIC
    )
    disposition = forms.ChoiceField(label=_("disposition"), choices=VisitDisposition.choices)
    disposition_note = forms.CharField(
        label=_("answer given or reason"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when answered on the spot (the answer) or not accepted (the reason)."),
    )
    consent = forms.BooleanField(label=_("the visitor agrees to be contacted"), required=False)

    def __init__(self, *args: Any, receptions: Any, deputies: Any, categories: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reception_day"].queryset = receptions
        self.fields["deputy"].queryset = deputies
        self.fields["category"].queryset = categories


class ForumForm(forms.Form):
    held_on = forms.DateField(label=_("held on"), widget=DATE_INPUT)
    block = forms.ModelChoiceField(label=_("block"), queryset=Block.objects.none(), required=False)
    topic = forms.CharField(label=_("topic"), max_length=200)
    place = forms.CharField(label=_("place"), max_length=200, required=False)
    deputies = DeputiesField(label=_("deputies present"), queryset=Deputy.objects.none(), required=False)
    residents = forms.IntegerField(label=_("residents present"), min_value=0, max_value=100000, initial=0)
    summary = forms.CharField(label=_("summary"), required=False, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args: Any, blocks: Any, deputies: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["block"].queryset = blocks
        self.fields["deputies"].queryset = deputies
