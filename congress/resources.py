"""Import/export building blocks shared by every app's resources, and the units' resource."""

from __future__ import annotations

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

    def __init__(self, choices: type[models.TextChoices], *, required: bool = False) -> None:
        super().__init__()
        self.choices = choices
        self.required = required

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
            return ""
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


class ScopedResourceMixin:
    """Resources built for a user: lookups stay inside the user's scope; errors use column headers."""

    def __init__(self, user: Any = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.user = user

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


class ScopedForeignKeyWidget(widgets.ForeignKeyWidget):
    """Finds the related row by a field, only among the rows the importing user may see."""

    def __init__(self, model: Any, field: str, *, resource: Any) -> None:
        super().__init__(model, field)
        self.resource = resource

    def get_queryset(self, value: Any, row: Any, *args: Any, **kwargs: Any) -> Any:
        return self.model.objects.visible_to(self.resource.user)

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> Any:
        if value in (None, ""):
            return None
        try:
            return super().clean(value, row, **kwargs)
        except self.model.DoesNotExist:
            raise ValueError(_("“%(value)s” was not found within your scope.") % {"value": value}) from None


class HandlingUnitResource(ScopedResourceMixin, resources.ModelResource):
    """Units keyed by (congress, name); the parent (归口) is named and must be in the same file or database."""

    def __init__(self, user: Any = None, **kwargs: Any) -> None:
        super().__init__(user=user, **kwargs)
        self.fields["congress"] = fields.Field(
            attribute="congress",
            column_name=gettext_lazy("Congress"),
            widget=ScopedForeignKeyWidget(Congress, "name", resource=self),
        )
        self.fields["parent"] = fields.Field(
            attribute="parent",
            column_name=gettext_lazy("Parent unit"),
            widget=ScopedForeignKeyWidget(HandlingUnit, "name", resource=self),
        )

    name = fields.Field(attribute="name", column_name=gettext_lazy("Unit name"), widget=TextWidget())
    short_name = fields.Field(attribute="short_name", column_name=gettext_lazy("Short name"), widget=TextWidget())
    kind = fields.Field(
        attribute="kind", column_name=gettext_lazy("Kind"), widget=ChoiceWidget(HandlingUnitKind, required=True)
    )
    is_active = fields.Field(attribute="is_active", column_name=gettext_lazy("Active"), widget=widgets.BooleanWidget())
    contact_name = fields.Field(
        attribute="contact_name", column_name=gettext_lazy("Contact person"), widget=TextWidget()
    )
    contact_phone = fields.Field(
        attribute="contact_phone", column_name=gettext_lazy("Contact phone"), widget=TextWidget()
    )
    address = fields.Field(attribute="address", column_name=gettext_lazy("Address"), widget=TextWidget())

    class Meta:
        model = HandlingUnit
        import_id_fields = ("congress", "name")
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


def handling_unit_import(*, dataset: Any, user: Any, dry_run: bool = False) -> Any:
    """Import units; any bad row rolls the whole file back."""
    resource = HandlingUnitResource(user=user)
    return resource.import_data(dataset, dry_run=dry_run, use_transactions=True, rollback_on_validation_errors=True)
