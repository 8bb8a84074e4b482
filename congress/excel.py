"""Excel downloads: a table shown on a page (one sheet), or a workbook of several sheets."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from django.http import HttpResponse

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PERCENT_FORMAT = "0.0%"


@dataclass
class Sheet:
    """One sheet: a title, a header row, then the rows; `percent` names the columns (0-based) holding
    rates as fractions, shown as percentages."""

    title: Any
    headers: Sequence[Any]
    rows: Iterable[Sequence[Any]]
    percent: set[int] = field(default_factory=set)


def sheet_title(title: Any) -> str:
    """A title Excel accepts: none of []:*?/\\ and at most 31 characters."""
    text = str(title)
    for character in "[]:*?/\\":
        text = text.replace(character, " ")
    return text[:31]


# Text that a spreadsheet would take for a formula when the cell is edited (or, for "=", that openpyxl
# itself writes as one): a citizen's or a deputy's words must never run in the reader's Excel.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: Any) -> Any:
    return value if value is None or isinstance(value, int | float) else str(value)


def _append(worksheet: Any, values: Sequence[Any]) -> None:
    """Append a row. Text that starts like a formula stays text: a string cell (openpyxl would write
    "=…" as a formula) with Excel's quote prefix (editing the cell does not turn it into one either);
    the text shown is unchanged."""
    worksheet.append(values)
    for column, value in enumerate(values, start=1):
        if isinstance(value, str) and value.startswith(FORMULA_STARTS):
            cell = worksheet.cell(row=worksheet.max_row, column=column)
            cell.data_type = "s"
            cell.quotePrefix = True


def workbook_bytes(sheets: Sequence[Sheet]) -> bytes:
    """An .xlsx workbook: bold frozen header rows; numbers stay numbers, text stays text (never a formula)."""
    import openpyxl
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for sheet in sheets:
        worksheet = workbook.create_sheet(sheet_title(sheet.title))
        _append(worksheet, [str(header) for header in sheet.headers])
        for cell in worksheet[1]:
            cell.font = Font(bold=True)
        for row in sheet.rows:
            _append(worksheet, [_cell(value) for value in row])
            for column in sheet.percent:
                worksheet.cell(row=worksheet.max_row, column=column + 1).number_format = PERCENT_FORMAT
        worksheet.freeze_panes = "A2"
        for index, header in enumerate(sheet.headers, start=1):
            worksheet.column_dimensions[get_column_letter(index)].width = max(10, min(48, len(str(header)) * 2 + 4))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def workbook_response(filename: str, sheets: Sequence[Sheet]) -> HttpResponse:
    """An .xlsx attachment; `filename` may be Chinese (sent RFC 5987-encoded), without the extension."""
    response = HttpResponse(workbook_bytes(sheets), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}.xlsx"
    return response


def xlsx_response(filename: str, title: str, headers: Sequence[Any], rows: Iterable[Sequence[Any]]) -> HttpResponse:
    """One table as an .xlsx attachment (one sheet, a header row, then the rows)."""
    return workbook_response(filename, [Sheet(title, headers, rows)])
