"""The admin of the stations' areas: every changelist's query budget (the row makers the lead merges
into tests/congress/test_admin.py), outlines and uploads checked, confidential words hidden from
leaders, the confirm action."""

import datetime

import pytest
from django.contrib import admin
from django.urls import reverse

from congress.models import Heartbeat
from deputies.models import ActivityRecord
from liaison_stations.models import Block
from tests.congress.factories import CalendarDayFactory
from tests.liaison_stations import rows_receptions, rows_stations
from tests.liaison_stations.factories_stations import ReceptionDayFactory, VisitFactory, square
from tests.queries import assert_same_query_count

ROW_MAKERS = {**rows_stations.ROW_MAKERS, **rows_receptions.ROW_MAKERS}


def changelist_url(model):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")


def test_every_model_of_the_areas_is_registered_with_a_row_maker():
    registered = {model for model in admin.site._registry if model._meta.app_label == "liaison_stations"}
    assert set(ROW_MAKERS) <= registered


@pytest.mark.parametrize("role", ["admin_user", "office_user"])
@pytest.mark.parametrize("model", list(ROW_MAKERS), ids=lambda model: model.__name__)
def test_changelists_take_the_same_queries(client, request, world, django_assert_num_queries, role, model):
    client.force_login(request.getfixturevalue(role))
    Heartbeat.objects.create(name="celery", last_run_at="2026-03-02T08:00:00+08:00")
    CalendarDayFactory.create_batch(2)
    few, many = assert_same_query_count(
        django_assert_num_queries,
        fetch=lambda: client.get(changelist_url(model)),
        add_rows=lambda: ROW_MAKERS[model](world),
    )
    assert few.status_code == many.status_code == 200
    assert many.context["cl"].result_count == few.context["cl"].result_count + 18


def test_a_bad_outline_is_refused_in_the_admin(client, world, office_user):
    client.force_login(office_user)
    response = client.post(
        reverse("admin:liaison_stations_block_add"),
        {
            "congress": world.a.congress.pk,
            "station": world.a.station.pk,
            "number": "1",
            "name": "一片区",
            "geometry": '{"type": "Point", "coordinates": [112, 28]}',
            "tasks-TOTAL_FORMS": "0",
            "tasks-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert "geometry" in response.context["adminform"].form.errors
    assert not Block.objects.exists()


def test_a_good_outline_is_kept_in_the_admin(client, world, office_user):
    client.force_login(office_user)
    response = client.post(
        reverse("admin:liaison_stations_block_add"),
        {
            "congress": world.a.congress.pk,
            "station": world.a.station.pk,
            "number": "1",
            "name": "一片区",
            "geometry": str(square(112.35, 28.55)).replace("'", '"'),
            "tasks-TOTAL_FORMS": "0",
            "tasks-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302
    assert Block.objects.get().geometry["type"] == "Polygon"


def test_leaders_browsing_the_admin_do_not_read_confidential_words(client, world, leader_user, office_user):
    visit = VisitFactory(station=world.a.station, confidentiality="confidential", words="不得外传的反映内容")
    url = reverse("admin:liaison_stations_visit_change", args=[visit.pk])
    client.force_login(leader_user)
    response = client.get(url)
    assert response.status_code == 200
    assert "不得外传" not in response.content.decode()
    client.force_login(office_user)
    assert "不得外传" in client.get(url).content.decode()


def test_the_confirm_action_writes_the_duty_record(client, world, office_user):
    reception = ReceptionDayFactory(
        station=world.a.station, date=datetime.date(2026, 3, 15), deputies=[world.a.deputies[0]]
    )
    client.force_login(office_user)
    client.post(
        changelist_url(type(reception)),
        {"action": "confirm", admin.helpers.ACTION_CHECKBOX_NAME: [reception.pk]},
    )
    assert ActivityRecord.objects.filter(source_key=f"reception:{reception.pk}").count() == 1
