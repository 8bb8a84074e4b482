"""Forms of the station desk: the station's details, checklist status and evidence, documents,
station deputies, blocks and their duty lists. Each feeds one service, which checks the rest."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from deputies.models import Deputy

from ..choices import ChecklistState, StationDeputyRole, TaskStatus
from ..services.stations import geometry_clean

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class StationForm(forms.Form):
    managing_body = forms.CharField(label=_("managing body"), max_length=100, required=False)
    address = forms.CharField(label=_("address"), max_length=200, required=False)
    opening_hours = forms.CharField(label=_("opening hours"), max_length=100, required=False)
    phone = forms.CharField(label=_("station phone"), max_length=30, required=False)
    description = forms.CharField(label=_("description"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    is_model_station = forms.BooleanField(label=_("model station"), required=False)
    notice_days = forms.IntegerField(
        label=_("days a reception is published ahead"), min_value=0, max_value=30, initial=2
    )
    map_image = forms.FileField(
        label=_("map of the blocks"), required=False, help_text=_("PNG, JPEG or WebP, at most 5 MB.")
    )


class ChecklistStatusForm(forms.Form):
    state = forms.ChoiceField(label=_("state"), choices=ChecklistState.choices)
    note = forms.CharField(label=_("note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    checked_on = forms.DateField(label=_("checked on"), required=False, widget=DATE_INPUT)
    file = forms.FileField(
        label=_("evidence file"), required=False, help_text=_("PDF, Word, OFD, text or image, at most 10 MB.")
    )
    caption = forms.CharField(label=_("caption"), max_length=200, required=False)


class DocumentForm(forms.Form):
    title = forms.CharField(label=_("title"), max_length=200)
    text = forms.CharField(label=_("text"), required=False, widget=forms.Textarea(attrs={"rows": 8}))
    file = forms.FileField(
        label=_("file"), required=False, help_text=_("PDF, Word, OFD, text or image, at most 10 MB.")
    )
    sort_order = forms.IntegerField(label=_("sort order"), min_value=0, max_value=32767, initial=0)


class DeputyChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Deputy) -> str:
        return f"{obj.name}（{obj.work_unit}）" if obj.work_unit else obj.name


class StationDeputyForm(forms.Form):
    deputy = DeputyChoiceField(label=_("deputy"), queryset=Deputy.objects.none())
    role = forms.ChoiceField(label=_("role"), choices=StationDeputyRole.choices, initial=StationDeputyRole.RESIDENT)
    since = forms.DateField(label=_("since"), required=False, widget=DATE_INPUT)

    def __init__(self, *args: Any, deputies: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["deputy"].queryset = deputies


class BlockForm(forms.Form):
    number = forms.IntegerField(label=_("number"), min_value=1, max_value=32767)
    name = forms.CharField(label=_("name"), max_length=100)
    area = forms.CharField(label=_("area covered"), max_length=300, required=False)
    wechat_group = forms.CharField(label=_("residents' WeChat group"), max_length=100, required=False)
    instructor_name = forms.CharField(label=_("instructor (指导员)"), max_length=50, required=False)
    instructor_phone = forms.CharField(label=_("instructor's phone"), max_length=20, required=False)
    liaison_name = forms.CharField(label=_("community liaison (联络员)"), max_length=50, required=False)
    liaison_phone = forms.CharField(label=_("liaison's phone"), max_length=20, required=False)
    supervising_deputy = DeputyChoiceField(
        label=_("supervising deputy"), queryset=Deputy.objects.none(), required=False
    )
    geometry = forms.CharField(
        label=_("map outline"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5, "class": "font-monospace small"}),
        help_text=_(
            'A GeoJSON Polygon or MultiPolygon, e.g. {"type": "Polygon", "coordinates": '
            "[[[112.35, 28.55], [112.36, 28.55], [112.36, 28.56], [112.35, 28.56], [112.35, 28.55]]]}"
        ),
    )

    def __init__(self, *args: Any, deputies: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["supervising_deputy"].queryset = deputies

    def clean_geometry(self) -> dict[str, Any] | None:
        try:
            return geometry_clean(self.cleaned_data["geometry"])
        except ValidationError as error:
            raise forms.ValidationError(error.message_dict["geometry"]) from error


class BlockTaskForm(forms.Form):
    title = forms.CharField(label=_("task"), max_length=200)
    description = forms.CharField(label=_("description"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    deputy = DeputyChoiceField(label=_("deputy"), queryset=Deputy.objects.none(), required=False)
    due_on = forms.DateField(label=_("due on"), required=False, widget=DATE_INPUT)

    def __init__(self, *args: Any, deputies: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["deputy"].queryset = deputies


class TaskStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("status"), choices=TaskStatus.choices)
    result = forms.CharField(label=_("result"), required=False, max_length=2000)
