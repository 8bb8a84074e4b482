"""Forms of legislation pages: rounds, proposals, drafts, sending a draft, comments, research."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from congress.models import Committee

from ..choices import MandateStatus
from ..models import Deputy

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


def serving_deputies(congress_id: int) -> Any:
    return (
        Deputy.objects.filter(mandates__congress_id=congress_id, mandates__status=MandateStatus.SERVING)
        .distinct()
        .order_by("name", "pk")
    )


class CongressFormMixin:
    """Committee and deputy choices limited to one congress."""

    def limit(self, congress_id: int) -> None:
        fields = self.fields  # type: ignore[attr-defined]
        if "committee" in fields:
            fields["committee"].queryset = Committee.objects.filter(congress_id=congress_id).order_by("name")
        for name in ("deputies", "members", "recipients"):
            if name in fields:
                fields[name].queryset = serving_deputies(congress_id)


class RoundForm(CongressFormMixin, forms.Form):
    year = forms.IntegerField(label=_("plan year"), min_value=2000, max_value=2100)
    title = forms.CharField(label=_("title"), max_length=200)
    call = forms.CharField(label=_("call for proposals"), widget=forms.Textarea(attrs={"rows": 4}), required=False)
    deadline = forms.DateField(label=_("deadline"), widget=DATE)
    committee = forms.ModelChoiceField(label=_("committee"), queryset=Committee.objects.none(), required=False)

    def __init__(self, *args: Any, congress_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.limit(congress_id)


class ProposalForm(forms.Form):
    title = forms.CharField(label=_("proposed regulation"), max_length=200)
    reason = forms.CharField(label=_("why it is needed"), widget=forms.Textarea(attrs={"rows": 4}))
    content = forms.CharField(label=_("main content"), widget=forms.Textarea(attrs={"rows": 6}), required=False)


class PlanNoteForm(forms.Form):
    note = forms.CharField(label=_("note on the plan"), max_length=200, required=False)


class DraftForm(CongressFormMixin, forms.Form):
    title = forms.CharField(label=_("title"), max_length=200)
    committee = forms.ModelChoiceField(label=_("committee"), queryset=Committee.objects.none(), required=False)
    comment_deadline = forms.DateField(label=_("comments due by"), widget=DATE)
    text = forms.CharField(
        label=_("text"),
        widget=forms.Textarea(attrs={"rows": 18}),
        help_text=_(
            "Chapters (第一章), sections (第一节) and articles (第一条) are found automatically when a heading "
            "starts a line followed by a space. Text before the first heading belongs to no provision."
        ),
    )

    def __init__(self, *args: Any, congress_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.limit(congress_id)


class SendDraftForm(CongressFormMixin, forms.Form):
    everyone = forms.BooleanField(label=_("All serving deputies of the congress"), required=False)
    recipients = forms.ModelMultipleChoiceField(
        label=_("or these deputies"),
        queryset=Deputy.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 10}),
    )

    def __init__(self, *args: Any, congress_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.limit(congress_id)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not data.get("everyone") and not data.get("recipients"):
            raise forms.ValidationError(_("Choose the deputies to ask for comments, or all of them."))
        return data


class CommentForm(forms.Form):
    provision = forms.IntegerField(required=False, widget=forms.HiddenInput)
    content = forms.CharField(label=_("comment"), widget=forms.Textarea(attrs={"rows": 2}))


class ActivityForm(CongressFormMixin, forms.Form):
    """An activity with invited deputies (legislative research, inspections...)."""

    title = forms.CharField(label=_("title"), max_length=200)
    topic = forms.CharField(label=_("topic"), max_length=200, required=False)
    starts_at = forms.DateTimeField(label=_("starts at"), widget=DATETIME)
    ends_at = forms.DateTimeField(label=_("ends at"), widget=DATETIME)
    place = forms.CharField(label=_("place"), max_length=200, required=False)
    hours = forms.DecimalField(label=_("hours"), max_digits=5, decimal_places=1, min_value=0, initial=0)
    organiser = forms.ModelChoiceField(
        label=_("organising committee"), queryset=Committee.objects.none(), required=False
    )
    deputies = forms.ModelMultipleChoiceField(
        label=_("deputies invited"),
        queryset=Deputy.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 10}),
    )

    def __init__(self, *args: Any, congress_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.limit(congress_id)
        self.fields["organiser"].queryset = Committee.objects.filter(congress_id=congress_id).order_by("name")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("starts_at") and data.get("ends_at") and data["ends_at"] < data["starts_at"]:
            self.add_error("ends_at", _("The end is before the start."))
        return data

    def activity_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "title": data["title"],
            "starts_at": data["starts_at"],
            "ends_at": data["ends_at"],
            "topic": data["topic"],
            "place": data["place"],
            "hours": data["hours"],
            "organiser": data["organiser"],
            "deputy_ids": [deputy.pk for deputy in data["deputies"]],
        }
