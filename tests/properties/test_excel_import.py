"""Bad input in the Excel imports (django-import-export): deputies with their mandates, and handling
units, through the import services and the admin's import page. Workbooks are generated: good rows
with any text (markup, formula-like text, Chinese, long runs) mixed with bad rows (dates that are not
dates, unknown congresses, terms and parents, empty required cells, overlong text, unknown choices).

Properties: never an exception or a 500; each bad row, and only those, is reported under the column
at fault, in Chinese; nothing is written when any row is bad (no partial import); a file of good
rows is imported exactly (text trimmed, stored as typed).
"""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass
from typing import Any

import openpyxl
import pytest
import tablib
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from hypothesis import event, given
from hypothesis import strategies as st
from import_export.formats import base_formats
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from congress.models import HandlingUnit
from congress.resources import handling_unit_import
from deputies.models import Deputy
from deputies.resources import DeputyExportResource, deputy_import
from tests.properties.conftest import (
    HTML_PAYLOADS,
    budget,
    chinese,
    chinese_text,
    db_state,
    good_mobiles,
    hostile_text,
    isolated,
    state_diff,
)

pytestmark = pytest.mark.django_db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# --- workbooks -------------------------------------------------------------------------------------------


def workbook(headers: list[str], rows: list[list[Any]]) -> bytes:
    """An .xlsx file; text cells are text even when they start with "=" (typed, not a formula)."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(headers)
    for number, row in enumerate(rows, start=2):
        for column, value in enumerate(row, start=1):
            cell = sheet.cell(row=number, column=column)
            cell.value = value
            if isinstance(value, str):
                cell.data_type = "s"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def read(content: bytes) -> tablib.Dataset:
    return tablib.Dataset().load(content, format="xlsx")


def errors_by_row(result: Any) -> dict[int, dict[str, list[str]]]:
    return {row.number: {str(key): list(value) for key, value in row.error_dict.items()} for row in result.invalid_rows}


def crashed_rows(result: Any) -> list[tuple[int, list[str]]]:
    """Rows whose import raised (reported with a traceback, not under a column)."""
    return [(number, [str(error.error) for error in errors]) for number, errors in result.row_errors()]


# Any text a spreadsheet cell can hold (no control characters: Excel's format has none).
cell_text = st.one_of(
    hostile_text.map(lambda value: ILLEGAL_CHARACTERS_RE.sub("", value)),
    st.sampled_from(HTML_PAYLOADS),
    st.sampled_from(["=1+1", '=HYPERLINK("http://evil.example","点我")', "+cmd|' /C calc'!A0", "@SUM(A1)"]),
)


def fits(limit: int) -> st.SearchStrategy[str]:
    """Text that is still there after trimming and fits the column."""
    return st.one_of(cell_text, chinese_text).map(lambda value: value.strip()[:limit].strip() or "人大代表")


# --- deputies -----------------------------------------------------------------------------------------------

# column key -> Chinese header (the default language's)
DEPUTY_COLUMNS = {
    "name": "姓名",
    "gender": "性别",
    "ethnicity": "民族",
    "birth_date": "出生日期",
    "party": "党派",
    "education": "学历",
    "work_unit": "工作单位",
    "position": "职务",
    "category": "代表类别",
    "phone": "手机号码",
    "status": "状态",
    "congress": "所属人大",
    "term": "届次",
    "delegation": "代表团",
    "constituency": "选区",
    "mandate_start": "任职开始日期",
    "mandate_status": "代表资格状态",
}


@st.composite
def good_deputy(draw: Any, congress: str) -> dict[str, Any]:
    return {
        "name": draw(fits(50)),
        "gender": draw(st.sampled_from(["男", "女", "male", "female"])),
        "ethnicity": draw(st.sampled_from(["汉族", "01", "回族"])),
        "birth_date": draw(st.dates(datetime.date(1940, 1, 1), datetime.date(2005, 12, 31))),
        "party": draw(st.sampled_from(["中国共产党", "cpc", "九三学社"])),
        "education": draw(st.sampled_from(["", "大学本科", "硕士研究生", "master"])),
        "work_unit": draw(st.one_of(st.just(""), fits(100))),
        "position": draw(st.one_of(st.just(""), fits(100))),
        "category": draw(st.sampled_from(["基层代表", "grassroots", "专业代表"])),
        "phone": None,  # given per row, unique in the file
        "status": draw(st.sampled_from(["", "正常履职", "active"])),
        "congress": congress,
        "term": draw(st.sampled_from([7, "7", 7.0])),
        "delegation": draw(st.one_of(st.just(""), fits(50))),
        "constituency": draw(st.one_of(st.just(""), fits(100))),
        "mandate_start": draw(st.one_of(st.none(), st.dates(datetime.date(2022, 1, 1), datetime.date(2026, 1, 1)))),
        "mandate_status": draw(st.sampled_from(["", "在任", "serving"])),
    }


# A defect: (column key, a bad value). Overlong mandate cells (选区, 代表团) and terms written in words
# have properties of their own below, so that each known fault fails one property.
DEPUTY_DEFECTS = st.one_of(
    st.tuples(st.just("birth_date"), st.sampled_from(["2020-13-45", "明年", "1990/02/30", "31.12.1990x", "-"])),
    st.tuples(st.just("mandate_start"), st.sampled_from(["2022-02-30", "去年", "0000-00-00"])),
    st.tuples(st.just("congress"), st.one_of(st.sampled_from(["不存在的人大", "乙市人民代表大会"]), chinese_text)),
    st.tuples(st.just("term"), st.sampled_from([99, -1, 0, "99"])),
    st.tuples(
        st.sampled_from(["name", "gender", "category", "phone", "congress", "term"]), st.sampled_from(["", None])
    ),
    st.tuples(st.just("name"), st.integers(51, 300).map(lambda count: "长" * count)),
    st.tuples(st.sampled_from(["work_unit", "position"]), st.integers(101, 500).map(lambda count: "长" * count)),
    st.tuples(st.sampled_from(["gender", "category", "ethnicity", "party", "status", "mandate_status"]), cell_text),
    st.tuples(st.just("phone"), st.sampled_from(["12345", "2390000000a", "139000000011", "+8613900000001", "电话"])),
)


CHOICE_COLUMNS = ("gender", "category", "ethnicity", "party", "status", "mandate_status")


@dataclass
class Row:
    values: dict[str, Any]
    defect: str | None  # the column key at fault, None for a good row


@st.composite
def deputy_files(draw: Any, congress: str, *, defects: bool = True) -> list[Row]:
    rows = []
    count = draw(st.integers(1, 6))
    phones = draw(st.lists(good_mobiles, min_size=count, max_size=count, unique=True))
    for phone in phones:
        values = draw(good_deputy(congress))
        values["phone"] = phone
        defect = None
        if defects and draw(st.booleans()):
            defect, bad = draw(DEPUTY_DEFECTS)
            # a choice column given text that happens to be a valid choice is not a defect
            if defect in CHOICE_COLUMNS:
                bad = f"不是选项{bad}"
            values[defect] = bad
        rows.append(Row(values, defect))
    return rows


def deputy_workbook(rows: list[Row]) -> bytes:
    return workbook(list(DEPUTY_COLUMNS.values()), [[row.values[key] for key in DEPUTY_COLUMNS] for row in rows])


def assert_reported(result: Any, rows: list[Row], headers: dict[str, str]) -> dict[int, dict[str, list[str]]]:
    """Each bad row, and only those, reported under the column at fault (not as a crash). The
    language of the messages has a property of its own (`test_each_kind_of_fault_is_reported_in_chinese`)."""
    crashed = crashed_rows(result)
    assert not crashed, crashed
    errors = errors_by_row(result)
    expected = {number for number, row in enumerate(rows, start=1) if row.defect}
    assert set(errors) == expected, (errors, [row.defect for row in rows])
    for number, columns in errors.items():
        assert headers[rows[number - 1].defect] in columns, (number, rows[number - 1].defect, columns)
    return errors


@budget(25)
@given(data=st.data())
def test_a_deputy_file_with_any_bad_row_imports_nothing_and_names_each_fault(world, office_user, data):
    rows = data.draw(deputy_files(world.a.congress.name))
    content = deputy_workbook(rows)
    with isolated(), translation.override("zh-hans"):
        before = db_state()

        # when office staff import the file
        result = deputy_import(dataset=read(content), user=office_user)

        event("bad rows" if any(row.defect for row in rows) else "all good")
        if any(row.defect for row in rows):
            # then nothing is written, and each bad row is reported under its column
            assert result.has_validation_errors() or result.has_errors()
            assert_reported(result, rows, DEPUTY_COLUMNS)
            assert db_state() == before, state_diff(before, db_state())
        else:
            # then every row is a deputy with their seat, stored as typed (trimmed)
            assert not result.has_errors(), crashed_rows(result)
            assert not result.has_validation_errors(), errors_by_row(result)
            for row in rows:
                deputy = Deputy.objects.get(phone=row.values["phone"])
                assert deputy.name == row.values["name"]
                assert (deputy.work_unit, deputy.job_title) == (row.values["work_unit"], row.values["position"])
                mandate = deputy.mandates.get()
                assert mandate.congress == world.a.congress
                assert mandate.constituency == row.values["constituency"]
                delegation = mandate.delegation.name if mandate.delegation else ""
                assert delegation == row.values["delegation"]


# --- the admin's import page ---------------------------------------------------------------------------------


def upload(client: Any, url: str, content: bytes) -> Any:
    model_admin = admin.site._registry[Deputy]
    formats = [format_class().get_title() for format_class in model_admin.get_import_formats()]
    return client.post(
        url,
        {
            "import_file": SimpleUploadedFile("deputies.xlsx", content, content_type=XLSX),
            "format": str(formats.index("xlsx")),
            "resource": "0",
        },
    )


@budget(8)
@given(data=st.data())
def test_the_admin_import_page_shows_each_fault_and_writes_nothing(client, world, office_user, data):
    rows = data.draw(deputy_files(world.a.congress.name))
    content = deputy_workbook(rows)
    client.force_login(office_user)
    with isolated():
        before = db_state()

        # when office staff upload the file in the admin
        response = client.post(reverse("admin:deputies_deputy_import"), {})  # the page, without a file
        assert response.status_code == 200
        response = upload(client, reverse("admin:deputies_deputy_import"), content)

        # then the preview answers (never a 500), writes nothing, and offers to confirm only a good file
        assert response.status_code == 200
        assert db_state() == before, state_diff(before, db_state())
        if any(row.defect for row in rows):
            assert "confirm_form" not in response.context
            assert_reported(response.context["result"], rows, DEPUTY_COLUMNS)
            html = response.content.decode()
            for payload in HTML_PAYLOADS:
                if payload in str([row.values for row in rows]) and escape(payload) != payload:
                    assert payload not in html
        else:
            assert "confirm_form" in response.context, errors_by_row(response.context["result"])
            confirm = response.context["confirm_form"]
            done = client.post(reverse("admin:deputies_deputy_process_import"), confirm.initial)
            assert done.status_code == 302
            assert Deputy.objects.filter(phone__in=[row.values["phone"] for row in rows]).count() == len(rows)


# --- handling units -----------------------------------------------------------------------------------------

UNIT_COLUMNS = {
    "congress": "所属人大",
    "name": "单位名称",
    "short_name": "简称",
    "kind": "类型",
    "parent": "归口单位",
    "active": "启用",
    "contact": "联系人",
    "phone": "联系电话",
    "address": "地址",
}


@st.composite
def unit_files(draw: Any, congress: str, existing_parent: str) -> list[Row]:
    rows: list[Row] = []
    bad_names: set[str] = set()
    names = draw(st.lists(fits(50).filter(lambda name: name != existing_parent), min_size=1, max_size=5, unique=True))
    for index, name in enumerate(names):
        values = {
            "congress": congress,
            "name": name,
            "short_name": draw(st.one_of(st.just(""), fits(20))),
            "kind": draw(st.sampled_from(["政府部门", "government"])),
            # a parent named in the database, or on an earlier row of the file
            "parent": draw(st.sampled_from(["", existing_parent, *names[:index]])),
            "active": draw(st.sampled_from(["", "是", "否", "yes", 1, 0])),
            "contact": draw(st.one_of(st.just(""), fits(50))),
            "phone": draw(st.sampled_from(["", "0737-4200001", "13900000001"])),
            "address": draw(st.one_of(st.just(""), fits(200))),
        }
        defect = None
        if draw(st.booleans()):
            defect, bad = draw(
                st.one_of(
                    st.tuples(st.just("congress"), st.sampled_from(["", "不存在的人大", "乙市人民代表大会"])),
                    st.tuples(st.just("name"), st.sampled_from(["", "长" * 300])),
                    st.tuples(st.just("kind"), st.sampled_from(["", "不是类型", "<script>alert(1)</script>"])),
                    st.tuples(st.just("parent"), st.sampled_from(["不存在的单位", "=A1"])),
                    st.tuples(st.just("active"), st.sampled_from(["也许", "2"])),
                    st.tuples(st.just("contact"), st.just("长" * 300)),
                    st.tuples(st.just("address"), st.just("长" * 600)),
                )
            )
            values[defect] = bad
        if defect is None and values["parent"] in bad_names:
            defect = "parent"  # its parent is a bad row above: not imported, so not found
        if defect is not None:
            bad_names.add(name)
        rows.append(Row(values, defect))
    return rows


@budget(20)
@given(data=st.data())
def test_a_unit_file_with_any_bad_row_imports_nothing_and_names_each_fault(world, office_user, data):
    rows = data.draw(unit_files(world.a.congress.name, world.a.unit.name))
    content = workbook(list(UNIT_COLUMNS.values()), [[row.values[key] for key in UNIT_COLUMNS] for row in rows])
    with isolated(), translation.override("zh-hans"):
        before = db_state()

        # when office staff import the file
        result = handling_unit_import(dataset=read(content), user=office_user)

        if any(row.defect for row in rows):
            # then nothing is written, and each bad row is reported under its column
            assert_reported(result, rows, UNIT_COLUMNS)
            assert db_state() == before, state_diff(before, db_state())
        else:
            assert not result.has_errors(), crashed_rows(result)
            assert not result.has_validation_errors(), errors_by_row(result)
            for row in rows:
                unit = HandlingUnit.objects.get(congress=world.a.congress, name=row.values["name"])
                assert (unit.short_name, unit.contact_name, unit.address) == (
                    row.values["short_name"],
                    row.values["contact"],
                    row.values["address"],
                )
                assert (unit.parent.name if unit.parent else "") == row.values["parent"]


# --- the language of the report ---------------------------------------------------------------------------------


@budget(15)
@given(defect=DEPUTY_DEFECTS, data=st.data())
def test_each_kind_of_fault_is_reported_in_chinese(world, office_user, defect, data):
    """One bad row among good ones: its fault is told in Chinese, the product's language."""
    rows = data.draw(deputy_files(world.a.congress.name, defects=False))
    column, bad = defect
    rows[0].values[column] = f"不是选项{bad}" if column in CHOICE_COLUMNS else bad
    rows[0].defect = column
    with isolated(), translation.override("zh-hans"):
        result = deputy_import(dataset=read(deputy_workbook(rows)), user=office_user)
        errors = assert_reported(result, rows, DEPUTY_COLUMNS)
        for messages in errors[1].values():
            assert all(chinese(message) for message in messages), errors[1]


@budget(8)
@given(term=st.sampled_from(["第七届", "七", "seven", "Infinity", "7届", "1e999"]), data=st.data())
def test_a_term_that_is_not_a_number_is_reported_under_its_column(world, office_user, term, data):
    """届次 typed as words (第七届) is a fault of the row's term cell, not a crash of the import."""
    rows = data.draw(deputy_files(world.a.congress.name, defects=False))
    rows[0].values["term"] = term
    rows[0].defect = "term"
    with isolated(), translation.override("zh-hans"):
        before = db_state()
        result = deputy_import(dataset=read(deputy_workbook(rows)), user=office_user)
        assert_reported(result, rows, DEPUTY_COLUMNS)
        assert db_state() == before, state_diff(before, db_state())


# --- what is imported goes out as text ---------------------------------------------------------------------

FORMULAS = ["=1+1", '=HYPERLINK("http://evil.example","点我")', "=cmd|' /C calc'!A0", "+1+1", "-1+1", "@SUM(1)"]


@budget(6)
@given(
    formula=st.sampled_from(FORMULAS),
    column=st.sampled_from(["work_unit", "position", "constituency"]),
    data=st.data(),
)
def test_formula_like_text_is_imported_as_text_and_exported_as_text(world, office_user, formula, column, data):
    """A cell typed as text that starts like a formula is kept as typed, and the admin's export
    (the same resource and format) does not turn it back into a live formula."""
    row = data.draw(deputy_files(world.a.congress.name, defects=False))[0]
    row.values[column] = formula
    with isolated(), translation.override("zh-hans"):
        result = deputy_import(dataset=read(deputy_workbook([row])), user=office_user)
        assert not result.has_errors(), crashed_rows(result)
        assert not result.has_validation_errors(), errors_by_row(result)
        deputy = Deputy.objects.get(phone=row.values["phone"])
        kept = {"work_unit": deputy.work_unit, "position": deputy.job_title}
        kept["constituency"] = deputy.mandates.get().constituency
        assert kept[column] == formula

        mandates = DeputyExportResource.mandates_of(Deputy.objects.filter(pk=deputy.pk))
        exported = base_formats.XLSX().export_data(DeputyExportResource().export(queryset=mandates))
        sheet = openpyxl.load_workbook(io.BytesIO(exported)).active
        formulas = [cell.coordinate for line in sheet.iter_rows() for cell in line if cell.data_type == "f"]
        assert formulas == [], f"{formula!r} exported as a live formula in {formulas}"


@budget(8)
@given(
    column=st.sampled_from(["constituency", "delegation"]),
    length=st.integers(101, 400),
    data=st.data(),
)
def test_overlong_mandate_cells_are_reported_and_nothing_is_written(world, office_user, column, length, data):
    """选区 and 代表团 hold 100 characters at most (Mandate.constituency, Delegation.name)."""
    rows = data.draw(deputy_files(world.a.congress.name, defects=False))
    rows[0].values[column] = "长" * length
    rows[0].defect = column
    with isolated(), translation.override("zh-hans"):
        before = db_state()
        result = deputy_import(dataset=read(deputy_workbook(rows)), user=office_user)
        assert_reported(result, rows, DEPUTY_COLUMNS)
        assert db_state() == before, state_diff(before, db_state())
