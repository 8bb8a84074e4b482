"""Exports: by default no file carries a phone column or a phone number; the deputies' export with
mobile numbers is a deliberate choice offered only to office staff and administrators, and logged
(docs/PRIVACY.md). Every Excel download of the site is opened cell by cell."""

from __future__ import annotations

import io
import logging
from collections.abc import Callable
from typing import Any

import openpyxl
import pytest
from django.urls import reverse
from django.utils import translation

from dashboard.kinds import KINDS
from deputies.resources import DeputyExportResource, DeputyExportWithPhonesResource
from tests.deputies.factories_groups import CampaignFactory, CampaignOpinionFactory
from tests.deputies.factories_legislation import (
    DraftCommentFactory,
    DraftRegulationFactory,
    EvaluationGroupFactory,
    EvaluationProjectFactory,
    EvaluationScoreFactory,
    LegislativeProposalFactory,
    LegislativeRoundFactory,
)
from tests.deputies.factories_meetings import MeetingFactory, MeetingOpinionFactory
from tests.privacy.conftest import ALL_PHONES, CITIZEN_MASKED, DEPUTY_PHONE, login

pytestmark = pytest.mark.django_db

EXPORT_URL = "admin:deputies_deputy_export"


def cells(response: Any) -> list[str]:
    """Every cell of every sheet of an .xlsx response, as text."""
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats"), response["Content-Type"]
    workbook = openpyxl.load_workbook(io.BytesIO(response.content), read_only=True)
    return [
        "" if value is None else str(value)
        for sheet in workbook.worksheets
        for row in sheet.iter_rows(values_only=True)
        for value in row
    ]


def phone_header() -> str:
    with translation.override("zh-hans"):
        return str(DeputyExportWithPhonesResource.fields["phone"].column_name)


def export_form_data(client: Any, resource_index: int) -> dict[str, Any]:
    """What the export form posts: the resource, xlsx, and every column of that resource ticked."""
    form = client.get(reverse(EXPORT_URL)).context["form"]
    xlsx = next(value for value, label in form.fields["format"].choices if str(label).lower() == "xlsx")
    data: dict[str, Any] = {"resource": str(resource_index), "format": str(xlsx)}
    for name, field in form.fields.items():
        if getattr(field, "resource_index", None) == resource_index:
            data[name] = "on"
    return data


@pytest.mark.parametrize("role", ["admin_user", "office_user", "committee_user", "leader_user"])
def test_the_default_deputies_export_has_no_phone(client, request, private, role):
    # given a user who may export deputies
    login(client, request, role)

    # when they export with the first (default) choice
    response = client.post(reverse(EXPORT_URL), export_form_data(client, 0))

    # then the file has the deputies but no phone column and no number
    values = cells(response)
    assert private.deputy.name in values
    assert phone_header() not in values
    assert not [value for value in values if any(phone in value for phone in ALL_PHONES)]


@pytest.mark.parametrize(("role", "offered"), [("admin_user", True), ("office_user", True), ("leader_user", False)])
def test_the_export_with_phones_is_offered_only_to_the_office(client, request, private, role, offered):
    login(client, request, role)
    form = client.get(reverse(EXPORT_URL)).context["form"]
    choices = [str(label) for _value, label in form.fields["resource"].choices]
    assert (len(choices) == 2) is offered
    # the default is always the one without phone numbers
    assert choices[0] == str(DeputyExportResource.get_display_name())


@pytest.mark.parametrize("role", ["admin_user", "office_user"])
def test_the_office_may_choose_the_export_with_phones_and_it_is_logged(client, request, private, caplog, role):
    # given office staff (or an administrator)
    user = login(client, request, role)

    # when they choose the export with mobile numbers
    with caplog.at_level(logging.WARNING, logger="congress.privacy"):
        response = client.post(reverse(EXPORT_URL), export_form_data(client, 1))

    # then the file carries the numbers (so it re-imports) and one audit line names them and the rows
    values = cells(response)
    assert phone_header() in values
    assert DEPUTY_PHONE in values
    audit = [record for record in caplog.records if record.name == "congress.privacy"]
    assert len(audit) == 1
    message = audit[0].getMessage()
    assert user.get_username() in message
    assert phone_header() in message


@pytest.mark.parametrize("role", ["committee_user", "leader_user"])
def test_others_cannot_force_the_export_with_phones(client, request, private, caplog, role):
    # given a reader of the deputies
    login(client, request, role)
    data = export_form_data(client, 0)

    # when they post the second choice by hand
    with caplog.at_level(logging.WARNING, logger="congress.privacy"):
        response = client.post(reverse(EXPORT_URL), {**data, "resource": "1"})

    # then no file is made, no number is shown, nothing is logged
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert DEPUTY_PHONE not in response.content.decode()
    assert not [record for record in caplog.records if record.name == "congress.privacy"]


# --- every Excel download ------------------------------------------------------------------------


def _work_objects(world: Any, deputy: Any) -> dict[str, Any]:
    """One object of each work area with something written by the deputy whose phone we look for."""
    campaign = CampaignFactory(congress=world.a.congress)
    CampaignOpinionFactory(campaign=campaign, deputy=deputy)
    meeting = MeetingFactory(term=world.a.term)
    MeetingOpinionFactory(meeting=meeting, deputy=deputy)
    LegislativeProposalFactory(round=LegislativeRoundFactory(congress=world.a.congress), deputy=deputy)
    draft = DraftRegulationFactory(congress=world.a.congress)
    DraftCommentFactory(draft=draft, deputy=deputy)
    project = EvaluationProjectFactory(congress=world.a.congress)
    EvaluationScoreFactory(group=EvaluationGroupFactory(project=project), deputy=deputy, unit=world.a.unit)
    return {"campaign": campaign, "meeting": meeting, "draft": draft, "project": project}


# name -> (role, url of the objects)
DOWNLOADS: dict[str, tuple[str, Callable[[Any, dict[str, Any]], str]]] = {
    "duty ranking": ("office_user", lambda p, o: reverse("deputies:work_duty_ranking") + "?format=xlsx"),
    "my duty record": ("deputy_user", lambda p, o: reverse("deputies:portal_record_export")),
    "campaign opinions": (
        "office_user",
        lambda p, o: reverse("deputies:work_campaign_export", args=[o["campaign"].pk]),
    ),
    "meeting opinions": (
        "office_user",
        lambda p, o: reverse("deputies:work_meeting_opinions", args=[o["meeting"].pk]) + "?format=xlsx",
    ),
    "legislative plan": ("office_user", lambda p, o: reverse("deputies:work_plan") + "?format=xlsx"),
    "draft comments": (
        "office_user",
        lambda p, o: reverse("deputies:work_draft_report", args=[o["draft"].pk]) + "?format=xlsx",
    ),
    "evaluation results": (
        "office_user",
        lambda p, o: reverse("deputies:work_evaluation_results", args=[o["project"].pk]) + "?format=xlsx",
    ),
    "dashboard report": ("leader_user", lambda p, o: reverse("dashboard:report_xlsx")),
    **{
        f"dashboard records: {key}": (
            "office_user",
            lambda p, o, key=key, kind=kind: (
                reverse("dashboard:records", args=[key, next(iter(kind.figures))]) + "?format=xlsx"
            ),
        )
        for key, kind in KINDS.items()
    },
}


# Downloads that list the deputy whose number we look for.
NAMES_THE_DEPUTY = {
    "duty ranking",
    "campaign opinions",
    "meeting opinions",
    "draft comments",
    "dashboard records: deputies",
}


@pytest.mark.parametrize("name", list(DOWNLOADS))
def test_no_excel_download_carries_a_phone_number(client, request, world, private, name):
    # given the deputy wrote in every work area, and the issue and the visit hold the other numbers
    objects = _work_objects(world, private.deputy)
    role, url_of = DOWNLOADS[name]
    login(client, request, role)

    # when the file is downloaded
    values = cells(client.get(url_of(private, objects)))

    # then no cell holds any of the numbers
    leaked = [value for value in values if any(phone in value for phone in ALL_PHONES)]
    assert not leaked, f"{name}: {leaked}"
    if name in NAMES_THE_DEPUTY:  # the file is not empty: the deputy's row is there, without their number
        assert any(private.deputy.name in value for value in values), name


def test_the_dashboards_issue_records_keep_the_words_with_the_number_masked(client, office_user, private):
    client.force_login(office_user)
    url = reverse("dashboard:records", args=["issues", "collected"])
    values = cells(client.get(url, {"format": "xlsx"}))
    assert any(CITIZEN_MASKED in value for value in values)
