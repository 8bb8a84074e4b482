"""Import/export building blocks shared by every app's resources, and the units' resource."""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import fields, resources, widgets

from .choices import HandlingUnitKind
from .models import Congress, HandlingUnit


class ChoiceWidget(widgets.Widget):
    """Reads a choice by its code or by its label in any of the site's languages; writes the label."""

    def __init__(self, choices: type[models.TextChoices], *, required: bool = False, default: str = "") -> None:
        super().__init__()
        self.choices = choices
        self.required = required
        self.default = default

    def _lookup(self) -> dict[str, str]:
        table = {value: value for value in self.choices.values}
        for language, _name in settings.LANGUAGES:
            with translation.override(language):
                table.update({str(label): value for value, label in self.choices.choices})
        return table

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> str:
        text = "" if value is None else str(value).strip()
        if not text:
            if self.required:
                raise ValueError(_("This column is required."))
            return self.default
        found = self._lookup().get(text)
        if found is None:
            allowed = "、".join(str(label) for label in self.choices.labels)
            raise ValueError(
                _("“%(value)s” is not a valid choice; use one of: %(allowed)s.") % {"value": text, "allowed": allowed}
            )
        return found

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> str:
        return str(dict(self.choices.choices).get(value, value or ""))


class TextWidget(widgets.CharWidget):
    """Text cells; numbers typed into Excel (phone numbers) come back without a trailing '.0'."""

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> str:
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return "" if value is None else str(value).strip()


class DateWidget(widgets.DateWidget):
    """Dates: an Excel date, or text in one of the site's date formats (2024-01-31). A cell that is
    not a date is a fault of that cell, told in the user's language (import-export's own message is
    English only)."""

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> Any:
        if isinstance(value, str):
            value = value.strip()
        try:
            return super().clean(value, row, **kwargs)
        except (ValueError, TypeError, OverflowError) as error:
            raise ValueError(_("Enter a valid date.")) from error


class WholeNumberWidget(widgets.IntegerWidget):
    """Whole numbers such as a term (届次): 7, "7" or 7.0. Text such as 第七届, seven or Infinity, a
    fraction, or a number too large for the database is a fault of the cell, not a crash of the import."""

    LIMIT = 2**31 - 1  # what an integer column holds in every database
    PATTERN = re.compile(r"([+-]?[0-9]{1,12})(?:\.0*)?")

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> int | None:
        if self.is_empty(value):
            return None
        if isinstance(value, bool):
            raise ValueError(_("Enter a whole number."))
        if isinstance(value, float):
            if not value.is_integer():  # fractions, inf and nan
                raise ValueError(_("Enter a whole number."))
            value = int(value)
        if isinstance(value, int):
            number = value
        else:
            match = self.PATTERN.fullmatch(str(value).strip())
            if match is None:
                raise ValueError(_("Enter a whole number."))
            number = int(match.group(1))
        if number > self.LIMIT:
            raise ValueError(
                _("Ensure this value is less than or equal to %(limit_value)s.") % {"limit_value": self.LIMIT}
            )
        if number < -self.LIMIT:
            raise ValueError(
                _("Ensure this value is greater than or equal to %(limit_value)s.") % {"limit_value": -self.LIMIT}
            )
        return number


class ScopedResourceMixin:
    """Resources built for a user: lookups stay inside the user's scope; errors use column headers."""

    def __init__(self, user: Any = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.user = user

    def before_import(self, dataset: Any, **kwargs: Any) -> None:
        # Empty spreadsheet cells arrive as None; as "" they read as blank in the error report too.
        for index, row in enumerate(dataset):
            dataset[index] = tuple("" if value is None else value for value in row)
        super().before_import(dataset, **kwargs)

    def validate_instance(
        self, instance: Any, import_validation_errors: Any = None, validate_unique: bool = True
    ) -> None:
        try:
            super().validate_instance(instance, import_validation_errors, validate_unique)
        except ValidationError as error:
            headers = {field.attribute: str(field.column_name) for field in self.get_import_fields() if field.attribute}
            headers.update(getattr(self, "extra_headers", {}))
            renamed: dict[str, Any] = {}
            for key, messages in error.message_dict.items():
                label = NON_FIELD_ERRORS if key == NON_FIELD_ERRORS else headers.get(key, key)
                renamed.setdefault(label, []).extend(messages)
            raise ValidationError(renamed) from error


class YesNoWidget(widgets.Widget):
    """Booleans written as 是/否 (or Yes/No, 1/0, true/false); an empty cell means yes."""

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> bool:
        text = "" if value is None else str(value).strip().lower()
        if text == "":
            return True
        yes = {"1", "true", "y"}
        no = {"0", "false", "n"}
        for language, _name in settings.LANGUAGES:
            with translation.override(language):
                yes.add(str(_("Yes")).lower())
                no.add(str(_("No")).lower())
        if text in yes:
            return True
        if text in no:
            return False
        raise ValueError(_("Write Yes or No."))

    def render(self, value: Any, obj: Any = None, **kwargs: Any) -> str:
        return str(_("Yes") if value else _("No"))


class HandlingUnitResource(ScopedResourceMixin, resources.ModelResource):
    """Units keyed by (congress, name). The congress is named and must be within the importing user's
    scope; the parent (归口) is named and looked up in the row's congress (earlier rows count)."""

    congress = fields.Field(column_name=gettext_lazy("Congress"), widget=TextWidget())
    name = fields.Field(attribute="name", column_name=gettext_lazy("Unit name"), widget=TextWidget())
    short_name = fields.Field(attribute="short_name", column_name=gettext_lazy("Short name"), widget=TextWidget())
    kind = fields.Field(
        attribute="kind", column_name=gettext_lazy("Kind"), widget=ChoiceWidget(HandlingUnitKind, required=True)
    )
    parent = fields.Field(column_name=gettext_lazy("Parent unit"), widget=TextWidget())
    is_active = fields.Field(attribute="is_active", column_name=gettext_lazy("Active"), widget=YesNoWidget())
    contact_name = fields.Field(
        attribute="contact_name", column_name=gettext_lazy("Contact person"), widget=TextWidget()
    )
    contact_phone = fields.Field(
        attribute="contact_phone", column_name=gettext_lazy("Contact phone"), widget=TextWidget()
    )
    address = fields.Field(attribute="address", column_name=gettext_lazy("Address"), widget=TextWidget())

    RESOLVED_COLUMNS = ("congress", "parent")

    class Meta:
        model = HandlingUnit
        fields = (
            "congress",
            "name",
            "short_name",
            "kind",
            "parent",
            "is_active",
            "contact_name",
            "contact_phone",
            "address",
        )
        skip_unchanged = False
        clean_model_instances = True
        use_transactions = True

    @property
    def extra_headers(self) -> dict[str, str]:
        return {name: str(self.fields[name].column_name) for name in self.RESOLVED_COLUMNS}

    def _cell(self, name: str, row: Any) -> str:
        return TextWidget().clean(row.get(str(self.fields[name].column_name)))

    def _congress(self, row: Any) -> Congress | None:
        name = self._cell("congress", row)
        if not name:
            return None
        visible = Congress.objects.visible_to(self.user)
        return visible.filter(models.Q(name=name) | models.Q(short_name=name)).order_by("pk").first()

    def get_or_init_instance(self, instance_loader: Any, row: Any) -> tuple[HandlingUnit, bool]:
        congress = self._congress(row)
        name = self._cell("name", row)
        existing = HandlingUnit.objects.filter(congress=congress, name=name).first() if congress and name else None
        if existing is not None:
            return existing, False
        unit = self.init_instance(row)
        unit.congress = congress
        return unit, True

    def import_instance(self, instance: HandlingUnit, row: Any, **kwargs: Any) -> None:
        errors: dict[str, list[str]] = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors.update(error.message_dict)
        congress_name = self._cell("congress", row)
        if instance.congress_id is None:
            message = (
                _("No congress named “%(name)s” within your scope.") % {"name": congress_name}
                if congress_name
                else _("This column is required.")
            )
            errors.setdefault("congress", []).append(message)
        parent_name = self._cell("parent", row)
        instance.parent = None
        if parent_name and instance.congress_id is not None:
            parent = HandlingUnit.objects.filter(congress_id=instance.congress_id, name=parent_name).first()
            if parent is None:
                errors.setdefault("parent", []).append(
                    _("No unit named “%(name)s” in %(congress)s; list the parent before its units.")
                    % {"name": parent_name, "congress": instance.congress}
                )
            instance.parent = parent
        if errors:
            raise ValidationError(errors)

    def dehydrate_congress(self, unit: HandlingUnit) -> str:
        return unit.congress.name

    def dehydrate_parent(self, unit: HandlingUnit) -> str:
        return unit.parent.name if unit.parent_id else ""


def handling_unit_import(*, dataset: Any, user: Any, dry_run: bool = False) -> Any:
    """Import units; any bad row rolls the whole file back."""
    resource = HandlingUnitResource(user=user)
    return resource.import_data(dataset, dry_run=dry_run, use_transactions=True, rollback_on_validation_errors=True)
