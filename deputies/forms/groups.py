"""Forms of professional groups: the group, members, themed activities, invitations, outputs,
adoption and special supervisors. Choices are limited to the congress the form works in."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from congress.models import Committee, HandlingUnit, Term

from ..choices import GROUP_ACTIVITY_KINDS, GroupRole, MandateStatus, OutputKind
from ..models import Activity, Deputy, ProfessionalGroup
from ..services.groups import OUTPUT_FILE_EXTENSIONS

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def serving_deputies(congress_id: int) -> Any:
    return (
        Deputy.objects.filter(mandates__congress_id=congress_id, mandates__status=MandateStatus.SERVING)
        .distinct()
        .order_by("name", "pk")
    )


class GroupForm(forms.ModelForm):
    class Meta:
        model = ProfessionalGroup
        fields = ["name", "field", "counterpart_committee", "keywords", "description", "is_active"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, congress_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["counterpart_committee"].queryset = Committee.objects.filter(
            congress_id=congress_id, is_active=True
        )

    def validate_unique(self) -> None:
        """The service checks the name (the form has no congress to check it with)."""


class MemberAddForm(forms.Form):
    deputy = forms.ModelChoiceField(label=_("Deputy"), queryset=Deputy.objects.none())
    role = forms.ChoiceField(label=_("Role"), choices=GroupRole.choices, initial=GroupRole.MEMBER)
    joined_on = forms.DateField(label=_("Joined on"), required=False, widget=DATE)

    def __init__(self, *args: Any, group: ProfessionalGroup, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["deputy"].queryset = serving_deputies(group.congress_id).exclude(group_memberships__group=group)


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=GroupRole.choices)


class GroupActivityForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=[(kind.value, kind.label) for kind in GROUP_ACTIVITY_KINDS])
    title = forms.CharField(label=_("Title"), max_length=200)
    topic = forms.CharField(label=_("Topic"), max_length=200, required=False)
    starts_at = forms.DateTimeField(label=_("Starts at"), widget=DATETIME)
    ends_at = forms.DateTimeField(label=_("Ends at"), widget=DATETIME)
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    hours = forms.DecimalField(label=_("Hours"), max_digits=5, decimal_places=1, min_value=0, initial=0)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("starts_at") and data.get("ends_at") and data["ends_at"] < data["starts_at"]:
            self.add_error("ends_at", _("The end must not be before the start."))
        return data


class InviteMembersForm(forms.Form):
    activity = forms.ModelChoiceField(label=_("Activity"), queryset=Activity.objects.none())
    deputies = forms.ModelMultipleChoiceField(
        label=_("Members (none chosen: every member)"),
        queryset=Deputy.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, group: ProfessionalGroup, activities: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["activity"].queryset = activities
        self.fields["activity"].label_from_instance = lambda a: (
            f"{a.get_kind_display()} · {a.title} · {a.starts_at:%Y-%m-%d}"
        )
        self.fields["deputies"].queryset = Deputy.objects.filter(group_memberships__group=group).order_by("name", "pk")


class OutputForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=OutputKind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    content = forms.CharField(label=_("Text"), required=False, widget=forms.Textarea(attrs={"rows": 6}))
    file = forms.FileField(
        label=_("File"),
        required=False,
        help_text=_("Research reports: PDF, Word, Excel, WPS or OFD, at most 20 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(f".{ext}" for ext in OUTPUT_FILE_EXTENSIONS)}),
    )
    authors = forms.ModelMultipleChoiceField(
        label=_("Authors"), queryset=Deputy.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    activity = forms.ModelChoiceField(label=_("From the activity"), queryset=Activity.objects.none(), required=False)
    submitted_on = forms.DateField(label=_("Submitted on"), required=False, widget=DATE)

    def __init__(self, *args: Any, group: ProfessionalGroup, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["authors"].queryset = Deputy.objects.filter(group_memberships__group=group).order_by("name", "pk")
        self.fields["activity"].queryset = Activity.objects.filter(group=group).order_by("-starts_at", "pk")


class AdoptForm(forms.Form):
    adopted_on = forms.DateField(label=_("Adopted on"), widget=DATE)
    adopted_where = forms.CharField(
        label=_("Where adopted"), max_length=200, help_text=_("e.g. the meeting or document that adopted it.")
    )


class SupervisorForm(forms.Form):
    deputy = forms.ModelChoiceField(label=_("Deputy"), queryset=Deputy.objects.none())
    unit = forms.ModelChoiceField(label=_("Unit watched"), queryset=HandlingUnit.objects.none())
    term = forms.ModelChoiceField(label=_("Term"), queryset=Term.objects.none())
    appointed_on = forms.DateField(label=_("Appointed on"), widget=DATE)

    def __init__(self, *args: Any, congress_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["deputy"].queryset = serving_deputies(congress_id)
        self.fields["unit"].queryset = HandlingUnit.objects.filter(congress_id=congress_id, is_active=True).order_by(
            "name"
        )
        self.fields["term"].queryset = Term.objects.filter(congress_id=congress_id).order_by("-number")
        self.fields["term"].initial = self.fields["term"].queryset.first()


class EndForm(forms.Form):
    ends_on = forms.DateField(label=_("Ends on"), widget=DATE)
