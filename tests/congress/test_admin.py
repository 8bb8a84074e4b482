"""The admin: every changelist of our apps, its query budget, scope (404-like answers) and Chinese."""

import datetime

import pytest
from django.contrib import admin
from django.contrib.messages import get_messages
from django.urls import reverse

from congress.models import (
    CalendarDay,
    Committee,
    Congress,
    HandlingUnit,
    Heartbeat,
    Session,
    StaffProfile,
    SubjectCategory,
    Term,
)
from deputies.duty import duty_record_act
from deputies.models import ActivityRecord, ActivityType, Delegation, Deputy, DutyRules, DutySnapshot, Mandate
from liaison_stations.models import IssueRules, Station
from tests.congress.factories import (
    CalendarDayFactory,
    CommitteeFactory,
    CongressFactory,
    HandlingUnitFactory,
    HeartbeatFactory,
    SessionFactory,
    StaffProfileFactory,
    SubjectCategoryFactory,
    TermFactory,
)
from tests.deputies import (
    rows_activities,
    rows_campaigns,
    rows_groups,
    rows_legislation,
    rows_meetings,
    rows_supervision,
    rows_training,
)
from tests.deputies.factories import DelegationFactory, MandateFactory
from tests.liaison_stations import rows_issues, rows_receptions, rows_stations
from tests.liaison_stations.factories import StationFactory
from tests.queries import assert_same_query_count

OUR_APPS = {"congress", "deputies", "liaison_stations"}

# model -> makes 18 more rows in congress A (rows the office staff of A can see)
ROW_MAKERS = {
    Congress: lambda world: CongressFactory.create_batch(18, parent=world.a.congress),
    Term: lambda world: [TermFactory(congress=world.a.congress, number=10 + n) for n in range(18)],
    Session: lambda world: SessionFactory.create_batch(18, term=world.a.term),
    Committee: lambda world: CommitteeFactory.create_batch(18, congress=world.a.congress),
    SubjectCategory: lambda world: SubjectCategoryFactory.create_batch(18, counterpart_committee=world.a.committee),
    HandlingUnit: lambda world: HandlingUnitFactory.create_batch(18, congress=world.a.congress, parent=world.a.unit),
    CalendarDay: lambda world: CalendarDayFactory.create_batch(18),
    StaffProfile: lambda world: StaffProfileFactory.create_batch(
        18, congress=world.a.congress, committee=world.a.committee, handling_unit=world.a.unit
    ),
    Heartbeat: lambda world: HeartbeatFactory.create_batch(18),
    Deputy: lambda world: MandateFactory.create_batch(18, term=world.a.term),
    Mandate: lambda world: MandateFactory.create_batch(18, term=world.a.term, delegation=world.a.delegation),
    Delegation: lambda world: DelegationFactory.create_batch(18, term=world.a.term),
    Station: lambda world: StationFactory.create_batch(18, congress=world.a.congress),
    ActivityType: lambda world: [
        ActivityType.objects.create(congress=world.a.congress, code=f"type-{n}", name=f"类型{n}", points=1)
        for n in range(18)
    ],
    ActivityRecord: lambda world: [
        duty_record_act(
            deputy_id=world.a.deputies[n % 2].pk,
            congress_id=world.a.congress.pk,
            code="training",
            on=datetime.date(2026, 3, 1),
            source_key=f"course:{n}",
        )
        for n in range(18)
    ],
    DutySnapshot: lambda world: [
        DutySnapshot.objects.create(
            congress=world.a.congress, deputy=world.a.deputies[0], year=2000 + n, points=60, rank=1
        )
        for n in range(18)
    ],
    DutyRules: lambda world: [
        DutyRules.objects.create(congress=congress)
        for congress in CongressFactory.create_batch(18, parent=world.a.congress)
    ],
}
# Committee-driven deputy work: each area keeps its row makers beside its tests.
for _area in (
    rows_stations,
    rows_receptions,
    rows_issues,
    rows_activities,
    rows_campaigns,
    rows_training,
    rows_meetings,
    rows_groups,
    rows_legislation,
    rows_supervision,
):
    ROW_MAKERS.update(_area.ROW_MAKERS)


def changelist_url(model):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")


def change_url(obj):
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])


def test_every_registered_model_of_our_apps_is_covered():
    # given the admin site
    # when the models of our apps registered on it are listed
    registered = {model for model in admin.site._registry if model._meta.app_label in OUR_APPS}

    # then each has a row maker here, so each changelist is tested below
    assert registered == set(ROW_MAKERS)


@pytest.mark.parametrize("role", ["admin_user", "office_user"])
@pytest.mark.parametrize("model", list(ROW_MAKERS), ids=lambda model: model.__name__)
def test_changelist_query_count_does_not_grow_with_rows(client, request, world, django_assert_num_queries, role, model):
    # given a superuser or office staff of A, signed in to the admin
    client.force_login(request.getfixturevalue(role))
    Heartbeat.objects.create(name="celery", last_run_at="2026-03-02T08:00:00+08:00")
    CalendarDayFactory.create_batch(2)

    # when the changelist is read with the few rows there are and again with 18 more
    few, many = assert_same_query_count(
        django_assert_num_queries,
        fetch=lambda: client.get(changelist_url(model)),
        add_rows=lambda: ROW_MAKERS[model](world),
    )

    # then both answered 200 with the same number of queries (asserted above)
    assert few.status_code == 200
    assert many.status_code == 200
    listed_before, listed_after = few.context["cl"].result_count, many.context["cl"].result_count
    if model is Congress and role == "office_user":
        assert listed_after == listed_before == 1  # office staff only ever see their own congress
    elif model in (DutyRules, IssueRules) and role == "office_user":
        assert listed_after == listed_before  # the new rules belong to other congresses
    else:
        assert listed_after == listed_before + 18


def test_office_changelist_lists_only_their_congress(client, world, office_user):
    # given office staff of A
    client.force_login(office_user)

    # when they open the committee changelist
    response = client.get(changelist_url(Committee))

    # then only A's committees are listed
    assert {committee.pk for committee in response.context["cl"].result_list} == {
        world.a.office_committee.pk,
        world.a.committee.pk,
    }


@pytest.mark.parametrize(
    "attribute", ["congress", "term", "session", "committee", "subject_category", "unit", "delegation", "station"]
)
def test_out_of_scope_change_page_answers_like_a_missing_object(client, world, office_user, attribute):
    # given office staff of A and an object of B
    client.force_login(office_user)
    other = getattr(world.b, attribute)
    url = change_url(other)

    # when they open B's object's change page, and then the page of an id that does not exist
    response = client.get(url)
    shown = [str(message) for message in get_messages(response.wsgi_request)]
    missing = client.get(url.replace(f"/{other.pk}/", "/999999/"))
    shown_for_missing = [str(message) for message in get_messages(missing.wsgi_request)]

    # then, as for a missing object, Django's admin sends them to the index saying (in Chinese) it doesn't exist
    assert response.status_code == 302
    assert response.url == reverse("admin:index")
    assert missing.status_code == 302
    assert missing.url == response.url
    assert len(shown) == 1
    assert "不存在" in shown[0]
    assert shown[0] == shown_for_missing[0].replace("999999", str(other.pk))
    assert str(other) not in shown[0]


def test_out_of_scope_object_names_nothing_on_the_page_after_the_redirect(client, world, office_user):
    # given office staff of A and a committee of B
    client.force_login(office_user)

    # when they open B's committee and follow the redirect
    response = client.get(change_url(world.b.committee), follow=True)

    # then the page they land on does not name it
    assert response.status_code == 200
    assert world.b.committee.name not in response.content.decode()


def test_in_scope_change_page_opens(client, world, office_user):
    # given office staff of A
    client.force_login(office_user)

    # when they open A's committee
    response = client.get(change_url(world.a.committee))

    # then the page opens on it
    assert response.status_code == 200
    assert response.context["original"] == world.a.committee


@pytest.mark.parametrize("attribute", ["committee", "unit", "station"])
def test_out_of_scope_history_page_does_not_show_the_object(client, world, office_user, attribute):
    # given office staff of A and an object of B (with its change history)
    client.force_login(office_user)
    other = getattr(world.b, attribute)
    url = reverse(f"admin:{other._meta.app_label}_{other._meta.model_name}_history", args=[other.pk])

    # when they open B's object's history page
    response = client.get(url)

    # then it answers like a missing object (404, or a redirect), naming nothing of it
    assert response.status_code in {302, 404}
    assert str(other) not in response.content.decode()


def test_out_of_scope_historical_version_is_not_shown(client, world, office_user):
    # given office staff of A and a recorded version of B's committee
    client.force_login(office_user)
    other = world.b.committee
    version = other.history.latest()
    url = reverse("admin:congress_committee_simple_history", args=[other.pk, version.history_id])

    # when they open that version
    response = client.get(url)

    # then it answers like a missing object, naming nothing of it
    assert response.status_code in {302, 404}
    assert other.name not in response.content.decode()


def test_out_of_scope_object_cannot_be_changed_through_its_history(client, world, office_user):
    # given office staff of A and a recorded version of B's committee
    client.force_login(office_user)
    other = world.b.committee
    name = other.name
    version = other.history.latest()
    url = reverse("admin:congress_committee_simple_history", args=[other.pk, version.history_id])

    # when they post that version back as a form, renamed and moved into their own congress
    client.post(
        url,
        {
            "congress": world.a.congress.pk,
            "name": "改名",
            "kind": "special",
            "is_active": "on",
            "subject_categories-TOTAL_FORMS": "0",
            "subject_categories-INITIAL_FORMS": "0",
            "subject_categories-MIN_NUM_FORMS": "0",
            "subject_categories-MAX_NUM_FORMS": "1000",
        },
    )

    # then B's committee is untouched
    other.refresh_from_db()
    assert other.name == name
    assert other.congress == world.b.congress


def test_out_of_scope_object_cannot_be_changed(client, world, office_user):
    # given office staff of A and a committee of B
    client.force_login(office_user)
    other = world.b.committee

    # when they post a change to it
    response = client.post(change_url(other), {"name": "改名", "kind": "special", "congress": world.a.congress.pk})

    # then nothing changed
    assert response.status_code in {302, 404}
    other.refresh_from_db()
    assert other.name != "改名"


def test_foreign_key_choices_are_scoped(client, world, office_user):
    # given office staff of A
    client.force_login(office_user)

    # when they open the form to add a subject category
    response = client.get(reverse("admin:congress_subjectcategory_add"))

    # then only A's committees can be chosen as its counterpart
    choices = response.context["adminform"].form.fields["counterpart_committee"].queryset
    assert set(choices.values_list("pk", flat=True)) == {world.a.office_committee.pk, world.a.committee.pk}


@pytest.mark.parametrize("role", ["unit_user", "station_user", "deputy_user", "plain_user"])
def test_non_admin_roles_are_kept_out_of_the_admin(client, request, world, role):
    # given a user whose role does not work in the admin
    client.force_login(request.getfixturevalue(role))

    # when they open the admin
    response = client.get(reverse("admin:index"))

    # then they are sent to the admin's login page
    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


@pytest.mark.parametrize("role", ["committee_user", "leader_user"])
def test_committee_staff_and_leaders_can_view_but_not_add(client, request, world, role):
    # given committee staff or a leader of A (view permissions only)
    client.force_login(request.getfixturevalue(role))

    # when they open the committee changelist and the add form
    listing = client.get(changelist_url(Committee))
    adding = client.get(reverse("admin:congress_committee_add"))

    # then they can read, not add
    assert listing.status_code == 200
    assert adding.status_code == 403


def test_admin_index_in_chinese(client, admin_user):
    # given a superuser whose browser asks for Chinese
    client.force_login(admin_user)

    # when they open the admin index
    response = client.get(reverse("admin:index"), HTTP_ACCEPT_LANGUAGE="zh-hans")

    # then Django's admin speaks Chinese
    assert response.status_code == 200
    assert response.headers["Content-Language"] == "zh-hans"
    assert "认证和授权" in response.content.decode()


def test_admin_index_in_english_once_chosen(client, admin_user):
    # given a superuser who chose English with the language switch
    client.force_login(admin_user)
    client.post(reverse("set_language"), {"language": "en", "next": "/admin/"})

    # when they open the admin index
    response = client.get(reverse("admin:index"))

    # then it is in English
    assert response.headers["Content-Language"] == "en"
    assert "Authentication and Authorization" in response.content.decode()
