"""Excel import/export of deputies with their mandates (django-import-export).

One row is one mandate of one person: a deputy serving at two levels is two rows with the same
mobile number. Errors are reported per row under the column's (translated) header, and a file with
any bad row imports nothing.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import fields, resources

from congress.models import Congress, Term
from congress.resources import ChoiceWidget, DateWidget, ScopedResourceMixin, TextWidget, WholeNumberWidget

from .choices import DeputyCategory, DeputyStatus, Education, Ethnicity, Gender, MandateStatus, Party
from .models import Delegation, Deputy, Mandate


class DeputyImportResource(ScopedResourceMixin, resources.ModelResource):
    """Deputy (person) fields plus the mandate's columns; keyed by the mobile number."""

    name = fields.Field(attribute="name", column_name=gettext_lazy("Name"), widget=TextWidget())
    gender = fields.Field(
        attribute="gender", column_name=gettext_lazy("Gender"), widget=ChoiceWidget(Gender, required=True)
    )
    ethnicity = fields.Field(
        attribute="ethnicity", column_name=gettext_lazy("Ethnicity"), widget=ChoiceWidget(Ethnicity)
    )
    birth_date = fields.Field(attribute="birth_date", column_name=gettext_lazy("Date of birth"), widget=DateWidget())
    party = fields.Field(attribute="party", column_name=gettext_lazy("Party"), widget=ChoiceWidget(Party))
    education = fields.Field(
        attribute="education", column_name=gettext_lazy("Education"), widget=ChoiceWidget(Education)
    )
    work_unit = fields.Field(attribute="work_unit", column_name=gettext_lazy("Work unit"), widget=TextWidget())
    job_title = fields.Field(attribute="job_title", column_name=gettext_lazy("Position"), widget=TextWidget())
    category = fields.Field(
        attribute="category",
        column_name=gettext_lazy("Deputy category"),
        widget=ChoiceWidget(DeputyCategory, required=True),
    )
    phone = fields.Field(attribute="phone", column_name=gettext_lazy("Mobile phone"), widget=TextWidget())
    status = fields.Field(
        attribute="status",
        column_name=gettext_lazy("Status"),
        widget=ChoiceWidget(DeputyStatus, default=DeputyStatus.ACTIVE),
    )
    # Mandate columns: no attribute, read in import_instance and saved after the person.
    congress = fields.Field(column_name=gettext_lazy("Congress"), widget=TextWidget())
    term_number = fields.Field(column_name=gettext_lazy("Term"), widget=WholeNumberWidget())
    delegation = fields.Field(column_name=gettext_lazy("Delegation"), widget=TextWidget())
    constituency = fields.Field(column_name=gettext_lazy("Constituency"), widget=TextWidget())
    mandate_start = fields.Field(column_name=gettext_lazy("Mandate start date"), widget=DateWidget())
    mandate_status = fields.Field(column_name=gettext_lazy("Mandate status"), widget=ChoiceWidget(MandateStatus))

    MANDATE_COLUMNS = ("congress", "term_number", "delegation", "constituency", "mandate_start", "mandate_status")

    class Meta:
        model = Deputy
        import_id_fields = ("phone",)
        fields = (
            "name",
            "gender",
            "ethnicity",
            "birth_date",
            "party",
            "education",
            "work_unit",
            "job_title",
            "category",
            "phone",
            "status",
            "congress",
            "term_number",
            "delegation",
            "constituency",
            "mandate_start",
            "mandate_status",
        )
        skip_unchanged = False
        clean_model_instances = True
        use_transactions = True

    @property
    def extra_headers(self) -> dict[str, str]:
        return {name: str(self.fields[name].column_name) for name in self.MANDATE_COLUMNS}

    def get_or_init_instance(self, instance_loader: Any, row: Any) -> tuple[Deputy, bool]:
        phone = TextWidget().clean(row.get(str(self.fields["phone"].column_name)))
        if not phone:
            return self.init_instance(row), True
        existing = Deputy.objects.filter(phone=phone).first()
        return (existing, False) if existing else (self.init_instance(row), True)

    def import_instance(self, instance: Deputy, row: Any, **kwargs: Any) -> None:
        errors: dict[str, list[str]] = {}
        # A person already registered by another congress keeps their details; only the seat is added.
        visible = instance.pk is None or Deputy.objects.visible_to(self.user).filter(pk=instance.pk).exists()
        if visible:
            try:
                super().import_instance(instance, row, **kwargs)
            except ValidationError as error:
                errors.update(error.message_dict)
        if not instance.phone:
            errors.setdefault("phone", []).append(
                _("The mobile number is required: it identifies the deputy and is the login name.")
            )
        values: dict[str, Any] = {}
        for name in self.MANDATE_COLUMNS:
            field = self.fields[name]
            try:
                values[name] = field.clean(row)
            except (ValueError, KeyError) as error:
                message = str(error) if isinstance(error, ValueError) else _("This column is missing.")
                errors.setdefault(name, []).append(message)
        self._check_lengths(values, errors)
        instance._import_mandate = self._resolve_mandate(values, errors)  # type: ignore[attr-defined]
        if errors:
            raise ValidationError(errors)

    # Mandate columns stored as text, with the model field that holds each (its length and characters).
    TEXT_COLUMNS = (("delegation", Delegation, "name"), ("constituency", Mandate, "constituency"))

    def _check_lengths(self, values: dict[str, Any], errors: dict[str, list[str]]) -> None:
        """The seat's text columns are checked like the person's (which `full_clean` checks): too long
        a 代表团 or 选区 is a fault of its cell, not a database error when the seat is saved."""
        for name, model, field_name in self.TEXT_COLUMNS:
            if values.get(name):
                try:
                    model._meta.get_field(field_name).run_validators(values[name])
                except ValidationError as error:
                    errors.setdefault(name, []).extend(error.messages)

    def _resolve_mandate(self, values: dict[str, Any], errors: dict[str, list[str]]) -> dict[str, Any] | None:
        if errors.keys() & set(self.MANDATE_COLUMNS):
            return None
        congress_name = values["congress"]
        if not congress_name:
            errors.setdefault("congress", []).append(_("This column is required."))
            return None
        congress = (
            Congress.objects.visible_to(self.user)
            .filter(models.Q(name=congress_name) | models.Q(short_name=congress_name))
            .first()
        )
        if congress is None:
            errors.setdefault("congress", []).append(
                _("No congress named “%(name)s” within your scope.") % {"name": congress_name}
            )
            return None
        if values["term_number"] is None:
            errors.setdefault("term_number", []).append(_("This column is required."))
            return None
        term = Term.objects.filter(congress=congress, number=values["term_number"]).first()
        if term is None:
            errors.setdefault("term_number", []).append(
                _("%(congress)s has no term %(number)s.") % {"congress": congress, "number": values["term_number"]}
            )
            return None
        start = values["mandate_start"] or term.start_date
        return {
            "congress": congress,
            "term": term,
            "delegation_name": values["delegation"],
            "constituency": values["constituency"],
            "start_date": start,
            "status": values["mandate_status"] or MandateStatus.SERVING,
        }

    def after_save_instance(self, instance: Deputy, row: Any, **kwargs: Any) -> None:
        seat = getattr(instance, "_import_mandate", None)
        if seat is None:
            return
        delegation = None
        if seat["delegation_name"]:
            delegation, _created = Delegation.objects.get_or_create(
                congress=seat["congress"], term=seat["term"], name=seat["delegation_name"]
            )
        Mandate.objects.update_or_create(
            deputy=instance,
            congress=seat["congress"],
            term=seat["term"],
            defaults={
                "delegation": delegation,
                "constituency": seat["constituency"],
                "start_date": seat["start_date"],
                "status": seat["status"],
            },
        )


class DeputyExportResource(resources.ModelResource):
    """One row per mandate with the import's columns (so an export re-imports); no phone numbers."""

    name = fields.Field(attribute="deputy__name", column_name=gettext_lazy("Name"))
    gender = fields.Field(attribute="deputy__gender", column_name=gettext_lazy("Gender"), widget=ChoiceWidget(Gender))
    ethnicity = fields.Field(
        attribute="deputy__ethnicity", column_name=gettext_lazy("Ethnicity"), widget=ChoiceWidget(Ethnicity)
    )
    birth_date = fields.Field(
        attribute="deputy__birth_date", column_name=gettext_lazy("Date of birth"), widget=DateWidget()
    )
    party = fields.Field(attribute="deputy__party", column_name=gettext_lazy("Party"), widget=ChoiceWidget(Party))
    education = fields.Field(
        attribute="deputy__education", column_name=gettext_lazy("Education"), widget=ChoiceWidget(Education)
    )
    work_unit = fields.Field(attribute="deputy__work_unit", column_name=gettext_lazy("Work unit"))
    job_title = fields.Field(attribute="deputy__job_title", column_name=gettext_lazy("Position"))
    category = fields.Field(
        attribute="deputy__category", column_name=gettext_lazy("Deputy category"), widget=ChoiceWidget(DeputyCategory)
    )
    status = fields.Field(
        attribute="deputy__status", column_name=gettext_lazy("Status"), widget=ChoiceWidget(DeputyStatus)
    )
    congress = fields.Field(attribute="congress__name", column_name=gettext_lazy("Congress"))
    term_number = fields.Field(attribute="term__number", column_name=gettext_lazy("Term"))
    delegation = fields.Field(attribute="delegation__name", column_name=gettext_lazy("Delegation"))
    constituency = fields.Field(attribute="constituency", column_name=gettext_lazy("Constituency"))
    mandate_start = fields.Field(
        attribute="start_date", column_name=gettext_lazy("Mandate start date"), widget=DateWidget()
    )
    mandate_status = fields.Field(
        attribute="status", column_name=gettext_lazy("Mandate status"), widget=ChoiceWidget(MandateStatus)
    )

    class Meta:
        model = Mandate
        name = gettext_lazy("Deputies and mandates (no phone numbers)")
        fields = (
            "name",
            "gender",
            "ethnicity",
            "birth_date",
            "party",
            "education",
            "work_unit",
            "job_title",
            "category",
            "status",
            "congress",
            "term_number",
            "delegation",
            "constituency",
            "mandate_start",
            "mandate_status",
        )

    @staticmethod
    def mandates_of(deputies: models.QuerySet[Deputy]) -> models.QuerySet[Mandate]:
        return (
            Mandate.objects.filter(deputy__in=deputies)
            .select_related("deputy", "congress", "term", "delegation")
            .order_by("deputy__name", "deputy_id", "start_date")
        )


class DeputyExportWithPhonesResource(DeputyExportResource):
    """The same rows with the mobile number, the import's key, so the file re-imports. Offered by the
    admin only to those who may see deputies' phones (office staff), never the default; each export
    is logged (`congress.privacy.log_personal_export`)."""

    phone = fields.Field(attribute="deputy__phone", column_name=gettext_lazy("Mobile phone"), widget=TextWidget())

    class Meta(DeputyExportResource.Meta):
        name = gettext_lazy("Deputies and mandates with mobile numbers (office only, logged)")
        fields = (*DeputyExportResource.Meta.fields[:9], "phone", *DeputyExportResource.Meta.fields[9:])


def deputy_import(*, dataset: Any, user: Any, dry_run: bool = False) -> Any:
    """Import a dataset of deputies with mandates; any bad row rolls the whole file back."""
    resource = DeputyImportResource(user=user)
    return resource.import_data(dataset, dry_run=dry_run, use_transactions=True, rollback_on_validation_errors=True)
