"""The duty record beyond the deputy's page: nightly snapshots, declaring in the portal, the yearly
record as Excel, and the office's ranking."""

from __future__ import annotations

import datetime
import io

import openpyxl
import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse

from deputies.choices import ActivityStatus
from deputies.duty import duty_record_act, duty_snapshot_run, snapshot_periods
from deputies.models import ActivityRecord, ActivityType, DutySnapshot
from deputies.tasks import duty_snapshots
from tests.queries import assert_same_query_count


@pytest.mark.parametrize(
    ("day", "periods"),
    [
        (datetime.date(2026, 5, 20), [(2026, 2), (2026, 0)]),
        (datetime.date(2026, 4, 3), [(2026, 2), (2026, 0), (2026, 1)]),
        (datetime.date(2027, 1, 5), [(2027, 1), (2027, 0), (2026, 4), (2026, 0)]),
    ],
)
def test_the_periods_kept_fresh_on_a_day(day, periods):
    assert snapshot_periods(day) == periods


def test_the_nightly_run_ranks_every_serving_deputy_and_repeats_safely(world):
    # given one deputy of A with a training in May
    first, second = world.a.deputies
    duty_record_act(
        deputy_id=first.pk,
        congress_id=world.a.congress.pk,
        code="training",
        on=datetime.date(2026, 5, 2),
        source_key="t:1",
    )

    # when the run happens twice on 20 May
    duty_snapshot_run(as_of=datetime.date(2026, 5, 20))
    result = duty_snapshots.delay("2026-05-20").get()

    # then each serving deputy of A has one year and one quarter snapshot, the trained one first
    year = DutySnapshot.objects.filter(congress=world.a.congress, year=2026, quarter=0)
    assert {s.deputy_id: s.rank for s in year} == {first.pk: 1, second.pk: 2, world.dual_deputy.pk: 2}
    assert DutySnapshot.objects.filter(congress=world.a.congress, year=2026, quarter=2).count() == 3
    assert result["congresses"] == 2


def test_beat_runs_the_snapshots_nightly():
    assert settings.CELERY_BEAT_SCHEDULE["duty-snapshots"]["task"] == "deputies.tasks.duty_snapshots"


def test_the_command_reports_what_it_did(world, capsys):
    call_command("duty_snapshots", "--as-of", "2026-05-20")
    assert "2026 Q2" in capsys.readouterr().out


def test_a_deputy_declares_an_activity_for_verification(client, deputy_user, world):
    client.force_login(deputy_user)
    response = client.get(reverse("deputies:portal_declare"))
    report = response.context["form"].fields["activity_type"].queryset.get(code="report_to_voters")

    response = client.post(
        reverse("deputies:portal_declare"),
        {"activity_type": report.pk, "date": "2026-03-01", "description": "向第3选区选民述职"},
    )

    assert response.status_code == 302
    record = ActivityRecord.objects.get(deputy=deputy_user.deputy)
    assert (record.status, record.activity_type.code) == (ActivityStatus.DECLARED, "report_to_voters")


def test_an_automatic_type_cannot_be_declared(client, deputy_user, world):
    client.force_login(deputy_user)
    client.get(reverse("deputies:portal_declare"))  # the page makes the default types
    automatic = ActivityType.objects.get(congress=world.a.congress, code="training")
    response = client.post(
        reverse("deputies:portal_declare"), {"activity_type": automatic.pk, "date": "2026-03-01", "description": "x"}
    )
    assert response.status_code == 200
    assert "activity_type" in response.context["form"].errors
    assert not ActivityRecord.objects.exists()


def test_the_yearly_record_downloads_as_excel(client, deputy_user, world):
    duty_record_act(
        deputy_id=deputy_user.deputy.pk,
        congress_id=world.a.congress.pk,
        code="training",
        on=datetime.date(2026, 5, 2),
        source_key="t:1",
    )
    client.force_login(deputy_user)

    response = client.get(reverse("deputies:portal_record_export") + "?year=2026")

    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    values = [cell for row in sheet.iter_rows(values_only=True) for cell in row]
    assert "2026-05-02" in values
    assert 62.0 in values  # base 60 + training 2


@pytest.mark.parametrize(
    ("role", "expected"),
    [("deputy_user", 403), ("unit_user", 403), ("committee_user", 403), ("leader_user", 200), ("office_user", 200)],
)
def test_who_may_open_the_ranking(client, request, world, role, expected):
    client.force_login(request.getfixturevalue(role))
    assert client.get(reverse("deputies:work_duty_ranking")).status_code == expected


def test_the_ranking_lists_serving_deputies_by_points_and_exports(client, office_user, world):
    second = world.a.deputies[1]
    duty_record_act(
        deputy_id=second.pk,
        congress_id=world.a.congress.pk,
        code="training",
        on=datetime.date(2026, 5, 2),
        source_key="t:1",
    )
    client.force_login(office_user)

    response = client.get(reverse("deputies:work_duty_ranking") + "?year=2026")
    assert response.context["rows"][0]["deputy"] == second
    assert [row["rank"] for row in response.context["rows"]] == [1, 2, 2]

    workbook = client.get(reverse("deputies:work_duty_ranking") + "?year=2026&format=xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(workbook.content)).active
    assert sheet.max_row == 4  # header + three serving deputies of A


def test_the_ranking_takes_the_same_queries_with_more_deputies(client, office_user, world, django_assert_num_queries):
    from tests.deputies.factories import MandateFactory

    client.force_login(office_user)
    assert_same_query_count(
        django_assert_num_queries,
        fetch=lambda: client.get(reverse("deputies:work_duty_ranking")),
        add_rows=lambda: MandateFactory.create_batch(18, term=world.a.term),
    )
