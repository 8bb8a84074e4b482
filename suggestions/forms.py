"""Forms of the portal and the desks; each feeds one service."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from congress.models import Committee, HandlingUnit, SubjectCategory
from congress.uploads import MB, check_upload
from deputies.models import Deputy

from .choices import CommunicationWay, Confidentiality, Publication, Rating, SupervisionActionKind, SupervisionTrigger
from .models import ReplyClass

ALLOWED_UPLOADS = (".pdf", ".doc", ".docx", ".ofd", ".jpg", ".jpeg", ".png")
MAX_UPLOAD_BYTES = 10 * 1024 * 1024


def _check_upload(upload: Any) -> Any:
    """A PDF, Word, OFD or image file of at most 10 MB whose content matches its type."""
    if upload:
        if not upload.name.lower().endswith(ALLOWED_UPLOADS):
            raise forms.ValidationError(_("Upload a PDF, Word, OFD or image file of at most 10 MB."))
        check_upload(upload, kind="document", max_mb=MAX_UPLOAD_BYTES // MB)
    return upload


class SuggestionForm(forms.Form):
    title = forms.CharField(label=_("title (案由)"), max_length=200)
    body = forms.CharField(label=_("text"), widget=forms.Textarea(attrs={"rows": 10}))
    category = forms.ModelChoiceField(label=_("category"), queryset=SubjectCategory.objects.none())
    confidentiality = forms.ChoiceField(label=_("confidentiality"), choices=Confidentiality.choices)
    publication = forms.ChoiceField(label=_("publication of the reply"), choices=Publication.choices)
    cosigners = forms.ModelMultipleChoiceField(
        label=_("co-signers"),
        queryset=Deputy.objects.none(),
        required=False,
        help_text=_("Deputies of your congress invited to co-sign; each must confirm before you submit."),
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )

    def __init__(
        self, *args: Any, congress_id: int, deputy_id: int, with_cosigners: bool = True, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = SubjectCategory.objects.filter(congress_id=congress_id, is_active=True)
        if with_cosigners:
            self.fields["cosigners"].queryset = (
                Deputy.objects.in_congress(congress_id).exclude(pk=deputy_id).order_by("name")
            )
        else:
            del self.fields["cosigners"]


class GuidanceForm(forms.Form):
    committee = forms.ModelChoiceField(label=_("committee"), queryset=Committee.objects.none())
    question = forms.CharField(label=_("question"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, congress_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["committee"].queryset = Committee.objects.filter(congress_id=congress_id, is_active=True)


class EvaluationForm(forms.Form):
    attitude = forms.ChoiceField(label=_("handling attitude"), choices=Rating.choices, widget=forms.RadioSelect)
    result = forms.ChoiceField(label=_("handling result"), choices=Rating.choices, widget=forms.RadioSelect)
    comment = forms.CharField(label=_("comment"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


class AdjustmentForm(forms.Form):
    reason = forms.CharField(label=_("why it is not for your unit"), widget=forms.Textarea(attrs={"rows": 3}))
    suggested_unit = forms.ModelChoiceField(
        label=_("the right unit"), queryset=HandlingUnit.objects.none(), required=False
    )

    def __init__(self, *args: Any, congress_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["suggested_unit"].queryset = HandlingUnit.objects.filter(congress_id=congress_id, is_active=True)


class ExtensionForm(forms.Form):
    requested_due_on = forms.DateField(
        label=_("new due date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    reason = forms.CharField(label=_("reason"), widget=forms.Textarea(attrs={"rows": 3}))


class OpinionForm(forms.Form):
    text = forms.CharField(label=_("opinion"), widget=forms.Textarea(attrs={"rows": 5}))
    attachment = forms.FileField(label=_("attachment"), required=False)

    def clean_attachment(self) -> Any:
        return _check_upload(self.cleaned_data.get("attachment"))


class CommunicationForm(forms.Form):
    way = forms.ChoiceField(label=_("way"), choices=CommunicationWay.choices)
    date = forms.DateField(
        label=_("date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"), initial=datetime.date.today
    )
    summary = forms.CharField(label=_("summary"), widget=forms.Textarea(attrs={"rows": 3}))


class ReplyForm(forms.Form):
    reply_class = forms.ModelChoiceField(label=_("class"), queryset=ReplyClass.objects.none())
    document_number = forms.CharField(label=_("document number"), max_length=50)
    signer = forms.CharField(label=_("signed by"), max_length=50)
    text = forms.CharField(label=_("text"), widget=forms.Textarea(attrs={"rows": 8}))
    publication = forms.ChoiceField(label=_("publication"), choices=Publication.choices)
    public_summary = forms.CharField(
        label=_("summary for publication"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    attachment = forms.FileField(label=_("file"), required=False)

    def __init__(self, *args: Any, congress_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reply_class"].queryset = ReplyClass.objects.filter(congress_id=congress_id)

    def clean_attachment(self) -> Any:
        return _check_upload(self.cleaned_data.get("attachment"))


class SupervisionOpenForm(forms.Form):
    trigger = forms.ChoiceField(
        label=_("trigger"),
        choices=[
            (value, label) for value, label in SupervisionTrigger.choices if value != SupervisionTrigger.UNSATISFIED
        ],
    )
    due_on = forms.DateField(
        label=_("due on"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )


class SupervisionActionForm(forms.Form):
    kind = forms.ChoiceField(label=_("kind"), choices=SupervisionActionKind.choices)
    date = forms.DateField(
        label=_("date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"), initial=datetime.date.today
    )
    note = forms.CharField(label=_("note"), widget=forms.Textarea(attrs={"rows": 3}))


class SupervisionCloseForm(forms.Form):
    outcome = forms.CharField(label=_("outcome"), widget=forms.Textarea(attrs={"rows": 3}))


class UnitProposalForm(forms.Form):
    units = forms.ModelMultipleChoiceField(
        label=_("proposed units"), queryset=HandlingUnit.objects.none(), widget=forms.SelectMultiple(attrs={"size": 6})
    )
    reason = forms.CharField(label=_("reason"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, congress_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["units"].queryset = HandlingUnit.objects.filter(congress_id=congress_id, is_active=True)


class FollowUpForm(forms.Form):
    """The unit's second answer when a B or C item is done (it does not reopen the rating)."""

    reply_class = forms.ModelChoiceField(label=_("class"), queryset=ReplyClass.objects.none())
    document_number = forms.CharField(label=_("document number"), max_length=50)
    signer = forms.CharField(label=_("signed by"), max_length=50)
    text = forms.CharField(label=_("text"), widget=forms.Textarea(attrs={"rows": 6}))

    def __init__(self, *args: Any, congress_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reply_class"].queryset = ReplyClass.objects.filter(congress_id=congress_id)
