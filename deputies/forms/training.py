"""Forms of trainings: a new plan, a planned course, opening a course, inviting deputies."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from congress.models import Committee

from ..choices import DeputyCategory, MandateStatus, TrainingKind
from ..models import Deputy

DATETIME_INPUT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class PlanForm(forms.Form):
    year = forms.IntegerField(label=_("year"), min_value=2000, max_value=2100)
    title = forms.CharField(label=_("title"), max_length=200)
    notes = forms.CharField(label=_("notes"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class PlannedCourseForm(forms.Form):
    title = forms.CharField(label=_("title"), max_length=200)
    kind = forms.ChoiceField(label=_("training kind"), choices=TrainingKind.choices)
    organiser = forms.ModelChoiceField(label=_("organising committee"), queryset=Committee.objects.none())
    month = forms.IntegerField(label=_("month"), min_value=1, max_value=12, required=False)
    planned_deputies = forms.IntegerField(label=_("planned number of deputies"), min_value=0, initial=0)
    audience = forms.CharField(label=_("audience"), max_length=200, required=False)

    def __init__(self, *args: Any, congress_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organiser"].queryset = Committee.objects.filter(congress_id=congress_id).order_by("kind", "name")


class CourseOpenForm(forms.Form):
    title = forms.CharField(label=_("title"), max_length=200)
    training_kind = forms.ChoiceField(label=_("training kind"), choices=TrainingKind.choices)
    organiser = forms.ModelChoiceField(
        label=_("organising committee"), queryset=Committee.objects.none(), required=False
    )
    starts_at = forms.DateTimeField(label=_("starts at"), widget=DATETIME_INPUT)
    ends_at = forms.DateTimeField(label=_("ends at"), widget=DATETIME_INPUT)
    place = forms.CharField(label=_("place"), max_length=200, required=False)
    capacity = forms.IntegerField(label=_("capacity"), min_value=1, required=False, help_text=_("Empty: no limit."))
    hours = forms.DecimalField(label=_("hours"), min_value=0, max_digits=5, decimal_places=1, initial=0)
    open_enrollment = forms.BooleanField(label=_("open for enrollment"), required=False)
    topic = forms.CharField(label=_("topic"), max_length=200, required=False)
    description = forms.CharField(label=_("description"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, congress_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organiser"].queryset = Committee.objects.filter(congress_id=congress_id).order_by("kind", "name")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("starts_at") and data.get("ends_at") and data["ends_at"] < data["starts_at"]:
            self.add_error("ends_at", _("The course must end after it starts."))
        return data


class CourseInviteForm(forms.Form):
    categories = forms.MultipleChoiceField(
        label=_("deputy categories"),
        choices=DeputyCategory.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Every serving deputy of the chosen categories is invited."),
    )
    deputies = forms.ModelMultipleChoiceField(
        label=_("individual deputies"),
        queryset=Deputy.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    exclude_trained = forms.BooleanField(label=_("leave out deputies already trained this year"), required=False)

    def __init__(self, *args: Any, congress_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["deputies"].queryset = (
            Deputy.objects.filter(mandates__congress_id=congress_id, mandates__status=MandateStatus.SERVING)
            .distinct()
            .order_by("name", "pk")
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not data.get("categories") and not data.get("deputies"):
            raise forms.ValidationError(_("Choose categories of deputies or individual deputies."))
        return data
