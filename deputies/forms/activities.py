"""Forms of activities: create, invite, answer and sign in."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from congress.models import Committee

from ..choices import ActivityKind, DeputyCategory
from ..models import Activity


class ActivityForm(forms.ModelForm):
    class Meta:
        model = Activity
        fields = [
            "kind",
            "title",
            "topic",
            "organiser",
            "starts_at",
            "ends_at",
            "place",
            "hours",
            "capacity",
            "open_enrollment",
            "description",
        ]
        widgets = {
            "starts_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            "ends_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, congress_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organiser"].queryset = Committee.objects.filter(congress_id=congress_id, is_active=True)
        self.fields["kind"].choices = ActivityKind.choices

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("starts_at") and data.get("ends_at") and data["ends_at"] < data["starts_at"]:
            self.add_error("ends_at", _("The end must not be before the start."))
        return data


class InviteForm(forms.Form):
    deputies = forms.MultipleChoiceField(label=_("Deputies"), required=False, widget=forms.CheckboxSelectMultiple)
    categories = forms.MultipleChoiceField(
        label=_("Or everyone of these categories"),
        required=False,
        choices=DeputyCategory.choices,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, candidates: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.candidates = candidates
        self.fields["deputies"].choices = [(str(d.pk), f"{d.name}（{d.work_unit}）") for d in candidates]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not data.get("deputies") and not data.get("categories"):
            raise forms.ValidationError(_("Choose deputies or categories to invite."))
        return data

    def deputy_ids(self) -> list[int]:
        chosen = {int(pk) for pk in self.cleaned_data.get("deputies") or []}
        categories = self.cleaned_data.get("categories") or []
        if categories:
            chosen |= {d.pk for d in self.candidates if d.category in categories}
        return sorted(chosen)


class DeclineForm(forms.Form):
    reason = forms.CharField(label=_("Reason for declining"), max_length=200)


class SignInCodeForm(forms.Form):
    code = forms.RegexField(
        label=_("Sign-in code"),
        regex=r"^\d{6}$",
        error_messages={"invalid": _("The sign-in code has six digits.")},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "maxlength": 6}),
    )
