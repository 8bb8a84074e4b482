"""Excel import of deputies with their mandates: the service, the admin view, and Chinese errors."""

import datetime

import pytest
from django.conf import settings
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from deputies.choices import MandateStatus
from deputies.models import Delegation, Deputy, Mandate
from deputies.resources import deputy_import
from tests.excel import dataset, errors_by_row, xlsx

CHINESE_HEADERS = [
    "姓名",
    "性别",
    "民族",
    "出生日期",
    "党派",
    "学历",
    "工作单位",
    "职务",
    "代表类别",
    "手机号码",
    "状态",
    "所属人大",
    "届次",
    "代表团",
    "选区",
    "任职开始日期",
    "代表资格状态",
]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# keyword of person() -> column header
COLUMNS = {
    "name": "Name",
    "gender": "Gender",
    "ethnicity": "Ethnicity",
    "birth_date": "Date of birth",
    "party": "Party",
    "education": "Education",
    "work_unit": "Work unit",
    "position": "Position",
    "category": "Deputy category",
    "phone": "Mobile phone",
    "status": "Status",
    "congress": "Congress",
    "term": "Term",
    "delegation": "Delegation",
    "constituency": "Constituency",
    "mandate_start": "Mandate start date",
    "mandate_status": "Mandate status",
}


HEADERS = list(COLUMNS.values())


def person(**values):
    """One row of the import file (English labels); keywords of COLUMNS override the defaults."""
    row = {
        "name": "王芳",
        "gender": "Female",
        "ethnicity": "Han",
        "birth_date": datetime.date(1975, 6, 1),
        "party": "Communist Party of China",
        "education": "Bachelor's degree",
        "work_unit": "桃花仑社区",
        "position": "党委书记",
        "category": "Grassroots",
        "phone": "13900000001",
        "status": "Active",
        "congress": "",
        "term": 7,
        "delegation": "",
        "constituency": "赫山区第3选区",
        "mandate_start": datetime.date(2022, 1, 6),
        "mandate_status": "Serving",
    }
    row.update(values)
    return [row[key] for key in COLUMNS]


def counts():
    return Deputy.objects.count(), Mandate.objects.count(), Delegation.objects.count()


@pytest.fixture
def english():
    with translation.override("en"):
        yield


pytestmark = pytest.mark.usefixtures("english")


# --- the service ---------------------------------------------------------------------------------


def test_good_file_creates_deputies_and_mandates(world, office_user):
    # given a file with two deputies of congress A, one in an existing delegation, one in a new one
    congress = world.a.congress.name
    data = dataset(
        HEADERS,
        [
            person(congress=congress, delegation=world.a.delegation.name),
            person(name="李强", gender="Male", phone="13900000002", congress=congress, delegation="新代表团"),
        ],
    )
    before = Deputy.objects.count()

    # when office staff of A import it
    result = deputy_import(dataset=data, user=office_user)

    # then two deputies with their seats in A are written
    assert not result.has_errors()
    assert not result.has_validation_errors()
    assert result.totals["new"] == 2
    assert Deputy.objects.count() == before + 2
    fang = Deputy.objects.get(phone="13900000001")
    assert (fang.name, fang.gender, fang.party, fang.birth_date) == ("王芳", "female", "cpc", datetime.date(1975, 6, 1))
    seat = fang.mandates.get()
    assert (seat.congress, seat.term, seat.delegation) == (world.a.congress, world.a.term, world.a.delegation)
    assert (seat.constituency, seat.start_date, seat.status) == (
        "赫山区第3选区",
        datetime.date(2022, 1, 6),
        MandateStatus.SERVING,
    )
    qiang = Deputy.objects.get(phone="13900000002")
    assert qiang.mandates.get().delegation.name == "新代表团"


def test_same_person_on_two_rows_gets_two_mandates_in_two_congresses(world, admin_user):
    # given a file where one person (one mobile number) holds seats in A and in B
    data = dataset(
        HEADERS,
        [person(congress=world.a.congress.name), person(congress=world.b.congress.short_name)],
    )

    # when a superuser imports it
    result = deputy_import(dataset=data, user=admin_user)

    # then there is one person with two seats
    assert not result.has_validation_errors()
    deputy = Deputy.objects.get(phone="13900000001")
    assert set(deputy.mandates.values_list("congress_id", flat=True)) == {world.a.congress.pk, world.b.congress.pk}


def test_importing_the_same_file_twice_changes_nothing_the_second_time(world, office_user):
    # given a file imported once
    data = dataset(HEADERS, [person(congress=world.a.congress.name)])
    deputy_import(dataset=data, user=office_user)
    before = counts()

    # when it is imported again
    result = deputy_import(dataset=dataset(HEADERS, [person(congress=world.a.congress.name)]), user=office_user)

    # then the row updates the same person and seat
    assert result.totals["update"] == 1
    assert counts() == before


def test_numbers_typed_into_excel_are_read_as_text(world, office_user):
    # given a file whose mobile number cell is a number
    data = dataset(HEADERS, [person(congress=world.a.congress.name, phone=13900000003)])

    # when it is imported
    result = deputy_import(dataset=data, user=office_user)

    # then the number is stored without a trailing ".0"
    assert not result.has_validation_errors()
    assert Deputy.objects.filter(phone="13900000003").exists()


def test_blank_optional_cells_take_their_defaults(world, office_user):
    # given a row whose status, mandate status and delegation cells are empty
    row = person(congress=world.a.congress.name, status=None, mandate_status=None, delegation=None)

    # when it is imported
    result = deputy_import(dataset=dataset(HEADERS, [row]), user=office_user)

    # then the deputy is active and the mandate serving
    assert not result.has_validation_errors()
    deputy = Deputy.objects.get(phone="13900000001")
    assert deputy.status == "active"
    assert deputy.mandates.get().status == MandateStatus.SERVING


def test_dry_run_writes_nothing(world, office_user):
    # given a good file
    data = dataset(HEADERS, [person(congress=world.a.congress.name)])
    before = counts()

    # when it is imported as a dry run
    result = deputy_import(dataset=data, user=office_user, dry_run=True)

    # then it would succeed, but nothing is written
    assert not result.has_validation_errors()
    assert counts() == before


def test_a_file_with_bad_rows_imports_nothing_and_names_each_fault(world, office_user):
    # given a file with one good row and four bad ones
    congress = world.a.congress.name
    data = dataset(
        HEADERS,
        [
            person(congress=congress),
            person(gender="Unknown", phone="13900000002", congress=congress),
            person(phone="12345", congress=congress),
            person(phone="13900000004", congress="No such congress"),
            person(phone="13900000005", congress=congress, term=None),
        ],
    )
    before = counts()

    # when office staff import it
    result = deputy_import(dataset=data, user=office_user)

    # then nothing is written, and each bad row is reported under the column at fault
    assert counts() == before
    assert result.has_validation_errors()
    errors = errors_by_row(result)
    assert sorted(errors) == [2, 3, 4, 5]
    assert "Gender" in errors[2]
    assert "Mobile phone" in errors[3]
    assert set(errors[4]) == {"Congress"}
    assert set(errors[5]) == {"Term"}
    assert "“Unknown” is not a valid choice" in errors[2]["Gender"][0]
    assert errors[3]["Mobile phone"] == ["Enter an 11-digit mobile number starting with 1."]
    assert errors[4]["Congress"] == ["No congress named “No such congress” within your scope."]
    assert errors[5]["Term"] == ["This column is required."]


def test_office_staff_cannot_import_into_another_congress(world, office_user):
    # given a file with a seat in congress B
    data = dataset(HEADERS, [person(congress=world.b.congress.name)])
    before = counts()

    # when office staff of A import it
    result = deputy_import(dataset=data, user=office_user)

    # then it is refused as an unknown congress, and nothing is written
    assert errors_by_row(result) == {
        1: {"Congress": [f"No congress named “{world.b.congress.name}” within your scope."]}
    }
    assert counts() == before


def test_unknown_term_is_reported(world, office_user):
    # given a file naming a term congress A does not have
    data = dataset(HEADERS, [person(congress=world.a.congress.name, term=99)])

    # when it is imported
    result = deputy_import(dataset=data, user=office_user)

    # then the term column is at fault
    assert errors_by_row(result) == {1: {"Term": [f"{world.a.congress.name} has no term 99."]}}


def test_a_missing_mobile_number_is_reported(world, office_user):
    # given a row without a mobile number
    data = dataset(HEADERS, [person(congress=world.a.congress.name, phone=None)])

    # when it is imported
    result = deputy_import(dataset=data, user=office_user)

    # then the number is required
    errors = errors_by_row(result)
    assert list(errors) == [1]
    assert "Mobile phone" in errors[1]


def test_a_missing_column_is_reported(world, office_user):
    # given a file without the term column
    headers = [header for header in HEADERS if header != "Term"]
    row = [
        value for header, value in zip(HEADERS, person(congress=world.a.congress.name), strict=True) if header != "Term"
    ]

    # when it is imported
    result = deputy_import(dataset=dataset(headers, [row]), user=office_user)

    # then the missing column is named, and nothing is written
    assert errors_by_row(result) == {1: {"Term": ["This column is missing."]}}
    assert not Deputy.objects.filter(phone="13900000001").exists()


def test_a_person_registered_by_another_congress_keeps_their_details(world, office_user):
    # given a deputy of B (not visible to A's office) and a row of A with their number and another name
    other = world.b.deputies[0]
    registered_name = other.name
    data = dataset(HEADERS, [person(name="改过的名字", congress=world.a.congress.name, phone=other.phone)])

    # when office staff of A import it
    result = deputy_import(dataset=data, user=office_user)

    # then the person gets a seat in A and keeps the details B registered
    assert not result.has_validation_errors()
    other.refresh_from_db()
    assert other.name == registered_name
    assert set(other.mandates.values_list("congress_id", flat=True)) == {world.a.congress.pk, world.b.congress.pk}


# --- the admin import view ------------------------------------------------------------------------


def admin_import_format():
    deputy_admin = admin.site._registry[Deputy]
    return [format_class().get_title() for format_class in deputy_admin.get_import_formats()].index("xlsx")


def upload(client, content):
    return client.post(
        reverse("admin:deputies_deputy_import"),
        {
            "import_file": SimpleUploadedFile("deputies.xlsx", content, content_type=XLSX),
            "format": str(admin_import_format()),
            "resource": "0",
        },
    )


@pytest.fixture
def english_admin(client, office_user):
    client.force_login(office_user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_admin_import_previews_then_imports_on_confirmation(world, english_admin):
    # given office staff of A in the admin (in English) and a good file
    content = xlsx(HEADERS, [person(congress=world.a.congress.name)])
    before = counts()

    # when they upload it
    preview = upload(english_admin, content)

    # then they see a clean preview and nothing is written yet
    assert preview.status_code == 200
    assert not preview.context["result"].has_validation_errors()
    assert counts() == before

    # when they confirm
    confirm = preview.context["confirm_form"]
    done = english_admin.post(reverse("admin:deputies_deputy_process_import"), confirm.initial)

    # then the deputy and their seat are written, and they are back on the list with a message
    assert done.status_code == 302
    assert done.url == reverse("admin:deputies_deputy_changelist")
    deputy = Deputy.objects.get(phone="13900000001")
    assert deputy.mandates.get().congress == world.a.congress


def test_admin_import_of_a_bad_file_shows_the_errors_and_writes_nothing(world, english_admin):
    # given a file with a bad gender and an unknown congress
    content = xlsx(
        HEADERS,
        [
            person(gender="Unknown", congress=world.a.congress.name),
            person(phone="13900000002", congress="No such congress"),
        ],
    )
    before = counts()

    # when office staff upload it
    response = upload(english_admin, content)

    # then each row's fault is shown under its column, nothing is offered for confirmation, nothing written
    assert response.status_code == 200
    errors = errors_by_row(response.context["result"])
    assert sorted(errors) == [1, 2]
    assert "Gender" in errors[1]
    assert "Congress" in errors[2]
    assert "confirm_form" not in response.context
    assert counts() == before


def test_committee_staff_may_not_import(world, client, committee_user):
    # given committee staff (view permissions only)
    client.force_login(committee_user)

    # when they open the import page
    response = client.get(reverse("admin:deputies_deputy_import"))

    # then it is forbidden
    assert response.status_code == 403


# --- Chinese ------------------------------------------------------------------------------------


def test_errors_are_reported_in_chinese_under_chinese_headers(world, office_user):
    """Needs the compiled Chinese catalogue (locale/zh_Hans/LC_MESSAGES/django.mo)."""
    # given a file with Chinese headers: an unknown gender and an empty term
    row = person(
        congress=world.a.congress.name,
        term=None,
        gender="未知",
        ethnicity="汉族",
        party="中国共产党",
        education="",
        category="基层代表",
        status="active",
        mandate_status="serving",
    )

    # when it is imported in Chinese
    with translation.override("zh-hans"):
        result = deputy_import(dataset=dataset(CHINESE_HEADERS, [row]), user=office_user)
        errors = errors_by_row(result)

    # then the faults are named by the Chinese column headers, in Chinese
    assert set(errors[1]) == {"性别", "届次"}
    assert errors[1]["届次"] == ["此列为必填项，请填写。"]
    assert errors[1]["性别"][0].startswith("“未知”不是有效选项")
    assert not Deputy.objects.filter(phone="13900000001").exists()
