"""Excel downloads of tables shown on pages (one sheet, a header row, then the rows)."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from typing import Any
from urllib.parse import quote

from django.http import HttpResponse

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_response(filename: str, title: str, headers: Sequence[Any], rows: Iterable[Sequence[Any]]) -> HttpResponse:
    """An .xlsx attachment; `filename` may be Chinese (sent RFC 5987-encoded), without the extension."""
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = str(title)[:31]  # Excel's limit
    sheet.append([str(header) for header in headers])
    for row in rows:
        sheet.append([value if isinstance(value, int | float) or value is None else str(value) for value in row])
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}.xlsx"
    return response
