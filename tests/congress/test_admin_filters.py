"""congress.admin_filters.ScopedRelatedFilter: choices from the related table in the user's scope,
one congress at a time, and never a DISTINCT scan of the listed rows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.congress.factories import SubjectCategoryFactory

CHANGELIST = "/admin/suggestions/suggestion/"


def choices(response, field_path):
    """The labels a filter offers; a filter without choices is not shown at all (empty set)."""
    specs = [spec for spec in response.context["cl"].filter_specs if getattr(spec, "field_path", "") == field_path]
    return {label for spec in specs for _pk, label in spec.lookup_choices}


@pytest.fixture
def categories(world):
    SubjectCategoryFactory(counterpart_committee=world.a.committee, name="甲市城建")
    SubjectCategoryFactory(counterpart_committee=world.b.committee, name="乙市城建")
    return world


def test_office_staff_see_the_categories_of_their_congress(client, office_user, categories):
    client.force_login(office_user)
    response = client.get(CHANGELIST)
    assert response.status_code == 200
    assert choices(response, "category") == {"甲市教育", "甲市城建"}


def test_a_global_admin_chooses_a_congress_first(client, admin_user, categories):
    client.force_login(admin_user)

    # with several congresses and none chosen, the category filter waits (not shown)
    response = client.get(CHANGELIST)
    assert choices(response, "category") == set()
    assert choices(response, "congress") >= {categories.a.congress.name, categories.b.congress.name}

    # once a congress is chosen, its categories are offered
    response = client.get(CHANGELIST, {"congress__id__exact": categories.b.congress.pk})
    assert choices(response, "category") == {"乙市教育", "乙市城建"}


def test_the_changelist_runs_no_distinct_scan(client, office_user, categories):
    client.force_login(office_user)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(CHANGELIST).status_code == 200
    assert not [query["sql"] for query in queries if "DISTINCT" in query["sql"].upper()]
