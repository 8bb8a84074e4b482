"""Forms of the public pages (码上找代表): the citizen's letter to a deputy, the rating of an answer
and the tracking-code lookup. Phone-first: big inputs, the right keyboards."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from ..choices import IssueRating
from ..models.issues import TRACKING_ALPHABET
from ..services.public import photos_check

# ASCII digits only: `\d` takes the digits of every script (13٠٠٠٠٠٠٠٠٠), which no network dials.
MOBILE_PATTERN = re.compile(r"^1[3-9][0-9]{9}$")
SEPARATORS = re.compile(r"[\s\-]+")

CONSENT_STATEMENT = _(
    "I agree that the people handling my message may call me at this number about it. My number is "
    "shown to them only, and masked everywhere else."
)


class MultiplePhotoInput(forms.FileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Up to three photos in one input; each is read with Pillow (type) and measured (size)."""

    widget = MultiplePhotoInput

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        uploads = [item for item in (data if isinstance(data, list | tuple) else [data]) if item]
        cleaned = []
        for item in uploads:
            cleaned.append(super().clean(item, initial))
        return photos_check(cleaned)


class IntakeForm(forms.Form):
    """A citizen writes to a deputy: the words, where, up to three photos, and how to reach them."""

    content = forms.CharField(
        label=_("What would you like to tell the deputy?"),
        min_length=5,
        max_length=2000,
        widget=forms.Textarea(
            attrs={"rows": 6, "placeholder": _("A problem you met, an opinion or a suggestion (5–2000 characters).")}
        ),
    )
    location = forms.CharField(
        label=_("Where (optional)"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": _("e.g. the gate of compound 3, 桃花仑路")}),
    )
    photos = PhotosField(
        label=_("Photos (optional, up to 3)"),
        required=False,
        help_text=_("JPEG, PNG or WebP, at most 5 MB each."),
        widget=MultiplePhotoInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
    citizen_name = forms.CharField(label=_("Your name (optional)"), max_length=50, required=False)
    citizen_phone = forms.CharField(
        label=_("Your mobile number (optional)"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
        help_text=_("So that the people handling it can call you back."),
    )
    consent = forms.BooleanField(label=CONSENT_STATEMENT, required=False)
    # The honeypot: hidden from people, filled in by bots (the view checks it before anything else).
    website = forms.CharField(label=_("Leave this empty"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            css = "form-check-input" if name == "consent" else "form-control form-control-lg"
            field.widget.attrs.setdefault("class", css)

    def clean_content(self) -> str:
        return self.cleaned_data["content"].strip()

    def clean_citizen_phone(self) -> str:
        phone = SEPARATORS.sub("", self.cleaned_data["citizen_phone"])
        if phone.startswith("+86"):
            phone = phone[3:]
        if phone and not MOBILE_PATTERN.match(phone):
            raise ValidationError(_("Enter an 11-digit mobile number, e.g. 13812345678."), code="bad_phone")
        return phone

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("citizen_phone") and not data.get("consent"):
            self.add_error("consent", _("Tick the box to agree to be called back, or leave the number out."))
        return data


class RatingForm(forms.Form):
    """The citizen (or, for the hotline, the reporting deputy) rates the answer."""

    rating = forms.ChoiceField(
        label=_("Are you satisfied with the answer?"),
        choices=IssueRating.choices,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )
    comment = forms.CharField(
        label=_("Anything to add (optional)"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["comment"].widget.attrs.setdefault("class", "form-control")


class TrackingLookupForm(forms.Form):
    """Look up my tracking code: tolerant of spaces, dashes and lower case."""

    code = forms.CharField(
        label=_("Tracking code"),
        max_length=30,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["code"].widget.attrs.setdefault("class", "form-control form-control-lg text-uppercase")

    def clean_code(self) -> str:
        code = SEPARATORS.sub("", self.cleaned_data["code"]).upper()
        if not code or len(code) > 16 or any(char not in TRACKING_ALPHABET for char in code):
            raise ValidationError(_("A tracking code has 12 letters and digits, e.g. 7KQ4M2XR9PHD."), code="bad_code")
        return code
