"""Forms of supervision pages: supervision activities, evaluation projects, groups and scores."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from congress.models import Committee, HandlingUnit

from ..choices import SUPERVISION_KINDS, ActivityKind, EvaluationKind
from ..models import Deputy
from .legislation import DATE, ActivityForm, CongressFormMixin


class SupervisionActivityForm(ActivityForm):
    kind = forms.ChoiceField(label=_("kind"), choices=[(kind.value, kind.label) for kind in SUPERVISION_KINDS])

    field_order = ["kind"]

    def activity_fields(self) -> dict[str, Any]:
        return {**super().activity_fields(), "kind": self.cleaned_data["kind"]}


class EvaluationProjectForm(CongressFormMixin, forms.Form):
    year = forms.IntegerField(label=_("year"), min_value=2000, max_value=2100)
    kind = forms.ChoiceField(label=_("kind"), choices=EvaluationKind.choices)
    title = forms.CharField(label=_("title"), max_length=200)
    description = forms.CharField(label=_("description"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    committee = forms.ModelChoiceField(label=_("committee"), queryset=Committee.objects.none(), required=False)
    scoring_closes_on = forms.DateField(label=_("scores due by"), widget=DATE, required=False)

    def __init__(self, *args: Any, congress_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.limit(congress_id)


class EvaluationGroupForm(CongressFormMixin, forms.Form):
    name = forms.CharField(label=_("name"), max_length=100)
    members = forms.ModelMultipleChoiceField(
        label=_("members (3 to 5 deputies)"),
        queryset=Deputy.objects.none(),
        widget=forms.SelectMultiple(attrs={"size": 10}),
    )
    units = forms.ModelMultipleChoiceField(
        label=_("target units"), queryset=HandlingUnit.objects.none(), widget=forms.SelectMultiple(attrs={"size": 8})
    )

    def __init__(self, *args: Any, congress_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.limit(congress_id)
        self.fields["units"].queryset = HandlingUnit.objects.filter(congress_id=congress_id, is_active=True).order_by(
            "name"
        )


class ScoreForm(forms.Form):
    score = forms.IntegerField(label=_("score"), min_value=0, max_value=100)
    comment = forms.CharField(label=_("comment"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


SUPERVISION_KIND_LABELS = {kind.value: ActivityKind(kind).label for kind in SUPERVISION_KINDS}
