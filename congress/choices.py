"""Choices of the organisation models."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CongressLevel(models.TextChoices):
    NATIONAL = "national", _("National")
    PROVINCE = "province", _("Province")
    CITY = "city", _("City")
    COUNTY = "county", _("County / district")
    TOWNSHIP = "township", _("Township / town")


class CommitteeKind(models.TextChoices):
    SPECIAL = "special", _("Special committee")
    WORKING = "working", _("Working committee")


class HandlingUnitKind(models.TextChoices):
    GOVERNMENT = "government", _("Government department")
    COURT = "court", _("Court")
    PROCURATORATE = "procuratorate", _("Procuratorate")
    SUPERVISORY = "supervisory", _("Supervisory commission")
    PARTY = "party", _("Party organ")
    ENTERPRISE = "enterprise", _("State-owned enterprise")
    PUBLIC_INSTITUTION = "public_institution", _("Public institution")
    OTHER = "other", _("Other")


class CalendarDayKind(models.TextChoices):
    HOLIDAY = "holiday", _("Holiday (day off)")
    WORKDAY = "workday", _("Make-up working day")
