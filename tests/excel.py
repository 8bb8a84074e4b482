"""Excel files made in memory for the import tests."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from typing import Any

import openpyxl
import tablib


def xlsx(headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    """An .xlsx workbook with one sheet: a header row, then the rows."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append([str(header) for header in headers])
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def dataset(headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> tablib.Dataset:
    """The workbook read back the way the import reads an uploaded file."""
    return tablib.Dataset().load(xlsx(headers, rows), format="xlsx")


def errors_by_row(result: Any) -> dict[int, dict[str, list[str]]]:
    """Validation errors of an import result: {row number: {column header: [messages]}}."""
    return {row.number: {str(key): list(value) for key, value in row.error_dict.items()} for row in result.invalid_rows}
