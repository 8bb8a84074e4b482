"""Forms of standing-committee meetings: the meeting, agenda items, invitations, pre-meeting
activities, opinions, hand-over and answers. Forms parse; services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from congress.models import Committee, HandlingUnit

from ..choices import PRE_MEETING_KINDS, ActivityKind
from ..models import AgendaTopic, Deputy

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class MeetingForm(forms.Form):
    title = forms.CharField(label=_("title"), max_length=200)
    number = forms.IntegerField(
        label=_("meeting number"), min_value=1, required=False, help_text=_("Empty: the next number of the term.")
    )
    starts_on = forms.DateField(label=_("starts on"), widget=DATE)
    ends_on = forms.DateField(label=_("ends on"), widget=DATE, required=False)
    place = forms.CharField(label=_("place"), max_length=200, required=False)
    invitees_min = forms.IntegerField(
        label=_("fewest deputies invited"),
        min_value=1,
        max_value=100,
        required=False,
        help_text=_("Empty: as at the previous meeting (8 by default)."),
    )
    invitees_max = forms.IntegerField(
        label=_("most deputies invited"),
        min_value=1,
        max_value=100,
        required=False,
        help_text=_("Empty: as at the previous meeting (16 by default)."),
    )


class AgendaTopicForm(forms.Form):
    title = forms.CharField(label=_("title"), max_length=200)
    committee = forms.ModelChoiceField(label=_("committee"), queryset=Committee.objects.none(), required=False)
    keywords = forms.CharField(
        label=_("keywords"),
        max_length=200,
        required=False,
        help_text=_("Words matched against deputies' work and groups."),
    )

    def __init__(self, *args: Any, congress_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["committee"].queryset = Committee.objects.filter(congress_id=congress_id, is_active=True)


class InviteForm(forms.Form):
    deputies = forms.ModelMultipleChoiceField(label=_("deputies"), queryset=Deputy.objects.none())

    def __init__(self, *args: Any, deputies: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["deputies"].queryset = deputies


class PreMeetingActivityForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("kind"), choices=[(kind.value, kind.label) for kind in ActivityKind if kind in PRE_MEETING_KINDS]
    )
    title = forms.CharField(label=_("title"), max_length=200)
    starts_at = forms.DateTimeField(label=_("starts at"), widget=DATETIME)
    ends_at = forms.DateTimeField(label=_("ends at"), widget=DATETIME)
    place = forms.CharField(label=_("place"), max_length=200, required=False)
    hours = forms.DecimalField(label=_("hours"), max_digits=5, decimal_places=1, min_value=0, initial=0)
    description = forms.CharField(label=_("description"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    invite_invitees = forms.BooleanField(
        label=_("Invite the deputies invited to the meeting"), required=False, initial=True
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("starts_at") and data.get("ends_at") and data["ends_at"] < data["starts_at"]:
            self.add_error("ends_at", _("The activity cannot end before it starts."))
        return data


class OpinionForm(forms.Form):
    topic = forms.ModelChoiceField(label=_("agenda topic"), queryset=AgendaTopic.objects.none(), required=False)
    content = forms.CharField(label=_("opinion"), widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args: Any, meeting: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["topic"].queryset = AgendaTopic.objects.filter(meeting=meeting)


class StaffOpinionForm(OpinionForm):
    deputy = forms.ModelChoiceField(label=_("deputy"), queryset=Deputy.objects.none())

    def __init__(self, *args: Any, meeting: Any, deputies: Any, **kwargs: Any) -> None:
        super().__init__(*args, meeting=meeting, **kwargs)
        self.fields["deputy"].queryset = deputies
        self.order_fields(["deputy", "topic", "content"])


class HandOverForm(forms.Form):
    handling_unit = forms.ModelChoiceField(label=_("handling unit"), queryset=HandlingUnit.objects.none())
    due_on = forms.DateField(
        label=_("answer due on"), widget=DATE, required=False, help_text=_("Empty: 15 working days from today.")
    )

    def __init__(self, *args: Any, congress_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["handling_unit"].queryset = HandlingUnit.objects.filter(congress_id=congress_id, is_active=True)


class AnswerForm(forms.Form):
    answer = forms.CharField(label=_("answer"), widget=forms.Textarea(attrs={"rows": 3}))
