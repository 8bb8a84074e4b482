"""One writer for every table `seed_scale` fills: given a model and its column names (attnames, e.g.
`congress_id`), it takes row tuples and writes them.

- PostgreSQL: `COPY … FROM STDIN (FORMAT csv)` through psycopg2's `copy_expert`, the CSV made from
  the rows on demand by a file-like object (`RowStream`), so no large string is ever held. For the
  duration of the load the tables' foreign keys and secondary indexes are dropped and put back
  afterwards inside the same transaction (checking a foreign key row by row costs more than the
  COPY itself; one validating join per key at the end is cheap). Primary keys and unique
  constraints stay, so uniqueness is checked while loading; conditional unique constraints are
  indexes, rebuilt (and so checked) at the end.
- Other databases: `bulk_create` in batches (auto_now fields are switched off for it, so the rows
  keep the times of their story).

Ids are ours: each table continues after its largest id (read once), and the sequences are reset at
the end. Call everything inside one `transaction.atomic()` block.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from itertools import islice
from typing import Any

from django.core.management.color import no_style
from django.db import connection as default_connection
from django.db import models

CHUNK_ROWS = 50_000
BULK_BATCH = 500
READ_SIZE = 1 << 18
# An unquoted empty CSV field is NULL, except in these columns (NOT NULL ones), where it is ''.
COPY_SQL = "COPY {table} ({columns}) FROM STDIN WITH (FORMAT csv{force})"


class RowStream(io.TextIOBase):
    """A readable text file whose content is the CSV of `rows`, made a little at a time as COPY reads."""

    def __init__(self, rows: Iterable[tuple], adapt: Callable[[tuple], tuple] | None = None) -> None:
        super().__init__()
        self._rows: Iterator[tuple] = iter(rows) if adapt is None else map(adapt, rows)
        self._buffer = io.StringIO()
        self._csv = csv.writer(self._buffer, lineterminator="\n")
        self.count = 0

    def readable(self) -> bool:
        return True

    def read(self, size: int | None = -1) -> str:
        target = size if size and size > 0 else READ_SIZE
        buffer = self._buffer
        while buffer.tell() < target:
            batch = list(islice(self._rows, 1000))
            if not batch:
                break
            self.count += len(batch)
            self._csv.writerows(batch)
        data = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate(0)
        return data

    def chunks(self) -> Iterator[str]:
        while data := self.read(READ_SIZE):
            yield data


class Table:
    """What the writer knows of one (model, columns) pair."""

    def __init__(self, model: type[models.Model], columns: tuple[str, ...]) -> None:
        self.model = model
        self.columns = columns
        meta = model._meta
        fields = [meta.get_field(name) for name in columns]
        self.attnames = tuple(field.attname for field in fields)
        self.db_columns = tuple(field.column for field in fields)
        self.not_null = tuple(field.column for field in fields if not field.null)
        self.json_positions = tuple(index for index, field in enumerate(fields) if isinstance(field, models.JSONField))

    def adapter(self) -> Callable[[tuple], tuple] | None:
        """JSON columns go to COPY as JSON text; everything else as Python writes it."""
        positions = self.json_positions
        if not positions:
            return None
        dumps = json.dumps

        def adapt(row: tuple) -> tuple:
            values = list(row)
            for position in positions:
                if values[position] is not None:
                    values[position] = dumps(values[position], ensure_ascii=False)
            return tuple(values)

        return adapt


class Sink:
    """Rows of one table on their way: kept until `limit`, then written in one go."""

    __slots__ = ("limit", "rows", "table", "writer")

    def __init__(self, writer: Writer, table: Table, limit: int) -> None:
        self.writer = writer
        self.table = table
        self.rows: list[tuple] = []
        self.limit = limit

    def add(self, row: tuple) -> None:
        rows = self.rows
        rows.append(row)
        if len(rows) >= self.limit:
            self.flush()

    def extend(self, rows: Iterable[tuple]) -> None:
        self.rows.extend(rows)
        if len(self.rows) >= self.limit:
            self.flush()

    def flush(self) -> None:
        if self.rows:
            rows, self.rows = self.rows, []
            self.writer.write(self.table.model, self.table.columns, rows)


class Writer:
    """Writes rows of any model; `prepare` once before, `finish` once after (same transaction)."""

    def __init__(self, connection: Any = None, *, chunk_rows: int = CHUNK_ROWS) -> None:
        self.connection = connection or default_connection
        self.chunk_rows = chunk_rows
        self.rows: Counter[str] = Counter()
        self._tables: dict[tuple[type[models.Model], tuple[str, ...]], Table] = {}
        self._sinks: dict[tuple[type[models.Model], tuple[str, ...]], Sink] = {}
        self._counters: dict[type[models.Model], Iterator[int]] = {}
        self._full: dict[type[models.Model], tuple[tuple[str, ...], list[Any]]] = {}
        self.now: Any = None
        self._models: list[type[models.Model]] = []
        self._dropped_keys: list[tuple[str, str, str]] = []
        self._dropped_indexes: list[str] = []
        self.timings: list[tuple[str, float]] = []  # seconds of each index built and key validated

    @property
    def vendor(self) -> str:
        return self.connection.vendor

    @property
    def copies(self) -> bool:
        return self.vendor == "postgresql"

    # --- ids ---------------------------------------------------------------------------------------

    def counter(self, model: type[models.Model]) -> Iterator[int]:
        """The model's ids, after its table's largest id (read once); `next()` gives one."""
        if model not in self._counters:
            largest = model._base_manager.using(self.connection.alias).aggregate(models.Max("pk"))["pk__max"]
            self._counters[model] = itertools.count((largest or 0) + 1)
        return self._counters[model]

    def ids(self, model: type[models.Model], count: int) -> list[int]:
        return list(islice(self.counter(model), count))

    def next_id(self, model: type[models.Model]) -> int:
        return next(self.counter(model))

    # --- writing -----------------------------------------------------------------------------------

    def table(self, model: type[models.Model], columns: Iterable[str]) -> Table:
        key = (model, tuple(columns))
        if key not in self._tables:
            self._tables[key] = Table(model, key[1])
            if model not in self._models:
                self._models.append(model)
        return self._tables[key]

    def sink(self, model: type[models.Model], columns: Iterable[str]) -> Sink:
        """A buffered writer of rows of `model` with these columns (one per model and columns)."""
        table = self.table(model, columns)
        key = (model, table.columns)
        if key not in self._sinks:
            self._sinks[key] = Sink(self, table, self.chunk_rows)
        return self._sinks[key]

    def write(self, model: type[models.Model], columns: Iterable[str], rows: Iterable[tuple]) -> int:
        """Write the rows (an iterable, e.g. a generator) now; returns how many."""
        table = self.table(model, columns)
        count = self._copy(table, rows) if self.copies else self._bulk_create(table, rows)
        self.rows[model._meta.db_table] += count
        return count

    def put(self, model: type[models.Model], **values: Any) -> None:
        """One row of a small table: every concrete column, the model's default where not given
        (auto_now fields: `self.now`)."""
        if model not in self._full:
            fields = list(model._meta.concrete_fields)
            self._full[model] = (tuple(field.attname for field in fields), fields)
        columns, fields = self._full[model]
        row = []
        for name, field in zip(columns, fields, strict=True):
            if name in values:
                row.append(values[name])
            elif getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
                row.append(self.now)
            else:
                row.append(field.get_default())
        self.sink(model, columns).add(tuple(row))

    def flush(self) -> None:
        for sink in self._sinks.values():
            sink.flush()

    def _copy(self, table: Table, rows: Iterable[tuple]) -> int:
        quote = self.connection.ops.quote_name
        force = ", FORCE_NOT_NULL ({})".format(", ".join(quote(c) for c in table.not_null)) if table.not_null else ""
        sql = COPY_SQL.format(
            table=quote(table.model._meta.db_table),
            columns=", ".join(quote(c) for c in table.db_columns),
            force=force,
        )
        stream = RowStream(rows, table.adapter())
        self.connection.ensure_connection()
        with self.connection.cursor() as cursor:
            raw = cursor.cursor
            if hasattr(raw, "copy_expert"):  # psycopg2
                raw.copy_expert(sql, stream, size=READ_SIZE)
            else:  # psycopg 3
                with raw.copy(sql) as copy:
                    for chunk in stream.chunks():
                        copy.write(chunk)
        return stream.count

    def _bulk_create(self, table: Table, rows: Iterable[tuple]) -> int:
        model, attnames = table.model, table.attnames
        count = 0
        with _without_auto_now(model):
            batch: list[models.Model] = []
            for row in rows:
                batch.append(model(**dict(zip(attnames, row, strict=True))))
                if len(batch) >= BULK_BATCH * 10:
                    model._base_manager.using(self.connection.alias).bulk_create(batch, batch_size=BULK_BATCH)
                    count += len(batch)
                    batch = []
            if batch:
                model._base_manager.using(self.connection.alias).bulk_create(batch, batch_size=BULK_BATCH)
                count += len(batch)
        return count

    # --- around the load ---------------------------------------------------------------------------

    def prepare(self, models_to_fill: Iterable[type[models.Model]]) -> None:
        """Before the first row: on PostgreSQL drop the foreign keys and secondary indexes of the
        tables about to be filled (put back by `finish`, in the same transaction)."""
        if not self.copies:
            return
        if not self.connection.in_atomic_block:
            raise RuntimeError("Writer.prepare must run inside transaction.atomic().")
        tables = [model._meta.db_table for model in models_to_fill]
        with self.connection.cursor() as cursor:
            # A table with deferred checks pending (rows written earlier in this transaction)
            # cannot be altered: run them now.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
            cursor.execute("SET LOCAL synchronous_commit TO off")
            cursor.execute("SET LOCAL maintenance_work_mem TO '512MB'")
            cursor.execute("SET LOCAL work_mem TO '256MB'")
            cursor.execute(
                "SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid) FROM pg_constraint c "
                "WHERE c.contype = 'f' AND c.conrelid = ANY(%s::regclass[]) ORDER BY c.conrelid, c.conname",
                [tables],
            )
            self._dropped_keys = list(cursor.fetchall())
            cursor.execute(
                "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i "
                "WHERE i.indrelid = ANY(%s::regclass[]) AND NOT i.indisprimary AND NOT EXISTS ("
                "  SELECT 1 FROM pg_constraint k WHERE k.conrelid = i.indrelid AND k.conindid = i.indexrelid"
                "  AND k.contype IN ('p', 'u', 'x')) ORDER BY i.indrelid, i.indexrelid",
                [tables],
            )
            indexes = cursor.fetchall()
            quote = self.connection.ops.quote_name
            for table, name, _definition in self._dropped_keys:
                cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {quote(name)}")
            for name, _definition in indexes:
                cursor.execute(f"DROP INDEX {name}")
            self._dropped_indexes = [definition for _name, definition in indexes]

    def finish(self) -> None:
        """After the last row: write what is buffered, put the indexes and foreign keys back (each
        key validated with one query) and move every sequence past the ids used."""
        self.flush()
        if not self._models:
            return
        with self.connection.cursor() as cursor:
            if self.copies:
                # Rows written through the ORM meanwhile may have deferred checks pending; a table
                # with pending checks cannot be altered, so run them now.
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                quote = self.connection.ops.quote_name
                statements = list(self._dropped_indexes) + [
                    f"ALTER TABLE {table} ADD CONSTRAINT {quote(name)} {definition}"
                    for table, name, definition in self._dropped_keys
                ]
                for statement in statements:
                    started = time.perf_counter()
                    cursor.execute(statement)
                    self.timings.append((statement, time.perf_counter() - started))
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")
                self._dropped_indexes, self._dropped_keys = [], []
            for sql in self.connection.ops.sequence_reset_sql(no_style(), self._models):
                cursor.execute(sql)

    def analyze(self) -> None:
        """VACUUM (ANALYZE) the filled tables (PostgreSQL, after the commit): planner statistics, and
        hint bits and the visibility map set now rather than by the first benchmark that reads them."""
        if not self.copies or self.connection.in_atomic_block:
            return
        quote = self.connection.ops.quote_name
        with self.connection.cursor() as cursor:
            for model in self._models:
                cursor.execute(f"VACUUM (ANALYZE) {quote(model._meta.db_table)}")

    @property
    def models(self) -> list[type[models.Model]]:
        return list(self._models)


@contextmanager
def _without_auto_now(model: type[models.Model]) -> Iterator[None]:
    """bulk_create would stamp auto_now(_add) fields with the current time; the rows have their own."""
    switched = []
    for field in model._meta.concrete_fields:
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            switched.append((field, field.auto_now, field.auto_now_add))
            field.auto_now = field.auto_now_add = False
    try:
        yield
    finally:
        for field, auto_now, auto_now_add in switched:
            field.auto_now, field.auto_now_add = auto_now, auto_now_add
