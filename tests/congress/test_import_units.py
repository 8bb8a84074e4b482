"""Excel import of handling units (承办单位), with their parent (归口) units."""

import pytest
from django.utils import translation

from congress.choices import HandlingUnitKind
from congress.models import HandlingUnit
from congress.resources import handling_unit_import
from tests.congress.factories import HandlingUnitFactory
from tests.excel import dataset, errors_by_row

HEADERS = [
    "Congress",
    "Unit name",
    "Short name",
    "Kind",
    "Parent unit",
    "Active",
    "Contact person",
    "Contact phone",
    "Address",
]


def unit(congress, name, *, kind="Government department", parent="", phone="0737-4200001"):
    return [congress.name, name, name[:4], kind, parent, 1, "办公室", phone, "益阳市桃花仑路 1 号"]


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def test_good_file_creates_units_with_their_parents(world, office_user):
    # given a file with a unit and, below it, a unit under it (归口)
    congress = world.a.congress
    data = dataset(
        HEADERS,
        [
            unit(congress, "住房和城乡建设局"),
            unit(congress, "住房公积金管理中心", kind="Public institution", parent="住房和城乡建设局"),
        ],
    )
    before = HandlingUnit.objects.count()

    # when office staff of A import it
    result = handling_unit_import(dataset=data, user=office_user)

    # then both units are written in A, the second under the first
    assert not result.has_errors()
    assert not result.has_validation_errors()
    assert HandlingUnit.objects.count() == before + 2
    child = HandlingUnit.objects.get(congress=congress, name="住房公积金管理中心")
    assert child.parent.name == "住房和城乡建设局"
    assert child.kind == HandlingUnitKind.PUBLIC_INSTITUTION
    assert child.contact_phone == "0737-4200001"


def test_parent_already_in_the_database(world, office_user):
    # given a file whose unit is under a unit of A already registered
    data = dataset(HEADERS, [unit(world.a.congress, "测绘院", parent=world.a.unit.name)])

    # when it is imported
    result = handling_unit_import(dataset=data, user=office_user)

    # then the parent is found
    assert not result.has_validation_errors()
    assert HandlingUnit.objects.get(name="测绘院").parent == world.a.unit


def test_reimport_updates_the_unit(world, office_user):
    # given a unit of A already registered
    data = dataset(HEADERS, [unit(world.a.congress, world.a.unit.name, phone="0737-4299999")])
    before = HandlingUnit.objects.count()

    # when a file with a new phone number for it is imported
    result = handling_unit_import(dataset=data, user=office_user)

    # then the unit is updated, not duplicated
    assert result.totals["update"] == 1
    assert HandlingUnit.objects.count() == before
    world.a.unit.refresh_from_db()
    assert world.a.unit.contact_phone == "0737-4299999"


def test_a_file_with_bad_rows_imports_nothing(world, office_user):
    # given a file with a good row, an unknown kind and an unknown parent
    data = dataset(
        HEADERS,
        [
            unit(world.a.congress, "统计局"),
            unit(world.a.congress, "审计局", kind="Ministry"),
            unit(world.a.congress, "林业站", parent="没有这个单位"),
        ],
    )
    before = HandlingUnit.objects.count()

    # when office staff of A import it
    result = handling_unit_import(dataset=data, user=office_user)

    # then nothing is written, and each bad row is reported under its column
    assert HandlingUnit.objects.count() == before
    errors = errors_by_row(result)
    assert sorted(errors) == [2, 3]
    assert "Kind" in errors[2]
    assert errors[3] == {
        "Parent unit": [f"No unit named “没有这个单位” in {world.a.congress.name}; list the parent before its units."]
    }


def test_a_congress_out_of_scope_is_reported_under_its_column(world, office_user):
    # given a file with a unit of congress B
    data = dataset(HEADERS, [unit(world.a.congress, "统计局"), unit(world.b.congress, "商务局")])
    before = HandlingUnit.objects.count()

    # when office staff of A import it
    result = handling_unit_import(dataset=data, user=office_user)

    # then nothing is written, and row 2 is reported under the congress column like any other fault
    assert HandlingUnit.objects.count() == before
    assert errors_by_row(result) == {
        2: {"Congress": [f"No congress named “{world.b.congress.name}” within your scope."]}
    }


def test_superuser_import_finds_the_parent_in_the_rows_congress(world, admin_user):
    # given a parent unit name registered in both congresses
    HandlingUnitFactory(congress=world.b.congress, name=world.a.unit.name)
    data = dataset(HEADERS, [unit(world.a.congress, "测绘院", parent=world.a.unit.name)])

    # when a superuser (who sees both congresses) imports a unit of A under that name
    result = handling_unit_import(dataset=data, user=admin_user)

    # then the parent is A's unit of that name
    assert not result.has_errors()
    assert not result.has_validation_errors()
    assert HandlingUnit.objects.get(congress=world.a.congress, name="测绘院").parent == world.a.unit
