"""``nianbao export``: the tables, reports and findings of a run as data (CSV, JSON Lines, SQLite).

Rows are built from the small records the workers send back (:mod:`nianbao.document.record`) and
written as results come, so an export of any number of reports runs in constant memory. Every
writer writes to temporary files and renames them only when the export is complete: an export
that is interrupted or fails leaves no half-written output. The columns, their types and their
meaning are documented in ``docs/export.md``; they change only with :data:`SCHEMA_VERSION`.
"""

from __future__ import annotations

import csv
import json
import os
import sqlite3
import sys
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any

from nianbao.document.record import ReportRecord
from nianbao.engine.diagnostic import Diagnostic
from nianbao.engine.fingerprint import finding_key

__all__ = [
    "CELL_COLUMNS",
    "EXPORT_FORMATS",
    "FAMILIES",
    "FINDING_COLUMNS",
    "REPORT_COLUMNS",
    "SCHEMA_VERSION",
    "ExportError",
    "Exporter",
    "RowMaker",
    "open_export",
]

SCHEMA_VERSION = 1
"""Raised when a column is renamed, removed or changes meaning; adding a column keeps it."""

FAMILIES = ("PS", "ST", "TB", "AR", "DT", "NR", "SR", "XR")
"""Rule families counted per report (``findings_ps`` …); findings of other prefixes (plugins) are
counted in ``findings_other``."""

# (name, SQLite type) of each table's columns, in the order CSV and SQLite write them.
REPORT_COLUMNS: tuple[tuple[str, str], ...] = (
    ("report_id", "INTEGER PRIMARY KEY"),
    ("path", "TEXT NOT NULL"),
    ("read_ok", "INTEGER NOT NULL"),
    ("name", "TEXT"),
    ("body", "TEXT"),
    ("region", "TEXT"),
    ("level", "TEXT"),
    ("kind", "TEXT"),
    ("category", "TEXT"),
    ("body_key", "TEXT"),
    ("year", "INTEGER"),
    ("era", "TEXT"),
    ("publication_date", "TEXT"),
    ("publication_line", "INTEGER"),
    ("deadline", "TEXT"),
    ("timeliness", "TEXT NOT NULL"),
    ("cells", "INTEGER NOT NULL"),
    ("findings", "INTEGER NOT NULL"),
    ("errors", "INTEGER NOT NULL"),
    ("warnings", "INTEGER NOT NULL"),
    ("infos", "INTEGER NOT NULL"),
    *((f"findings_{family.lower()}", "INTEGER NOT NULL") for family in FAMILIES),
    ("findings_other", "INTEGER NOT NULL"),
)
CELL_COLUMNS: tuple[tuple[str, str], ...] = (
    (
        "report_id",
        "INTEGER NOT NULL REFERENCES reports(report_id) DEFERRABLE INITIALLY DEFERRED",
    ),
    ("body", "TEXT"),
    ("region", "TEXT"),
    ("level", "TEXT"),
    ("year", "INTEGER"),
    ("era", "TEXT"),
    ("table_id", "TEXT NOT NULL"),
    ("row_key", "TEXT"),
    ("column_key", "TEXT"),
    ("row_label", "TEXT NOT NULL"),
    ("template_row_label", "TEXT"),
    ("template_column_label", "TEXT"),
    ("text", "TEXT NOT NULL"),
    ("value", "TEXT"),
    ("unit", "TEXT"),
    ("kind", "TEXT NOT NULL"),
    ("blank", "INTEGER NOT NULL"),
    ("non_numeric", "INTEGER NOT NULL"),
    ("line", "INTEGER NOT NULL"),
    ("column", "INTEGER NOT NULL"),
    ("page", "INTEGER"),
    ("source_table", "INTEGER"),
    ("source_row", "INTEGER"),
    ("source_column", "INTEGER"),
)
FINDING_COLUMNS: tuple[tuple[str, str], ...] = (
    (
        "report_id",
        "INTEGER NOT NULL REFERENCES reports(report_id) DEFERRABLE INITIALLY DEFERRED",
    ),
    ("code", "TEXT NOT NULL"),
    ("name", "TEXT NOT NULL"),
    ("severity", "TEXT NOT NULL"),
    ("message", "TEXT NOT NULL"),
    ("line", "INTEGER NOT NULL"),
    ("column", "INTEGER NOT NULL"),
    ("end_line", "INTEGER NOT NULL"),
    ("end_column", "INTEGER NOT NULL"),
    ("page", "INTEGER"),
    ("place", "TEXT NOT NULL"),
    ("fingerprint", "TEXT NOT NULL"),
)
TABLES = {"reports": REPORT_COLUMNS, "cells": CELL_COLUMNS, "findings": FINDING_COLUMNS}
_TYPE_OF_TABLE = {"reports": "report", "cells": "cell", "findings": "finding"}
_INDEXES = (
    ("cells_by_report", "cells", "report_id"),
    ("cells_by_table_row_column", "cells", "table_id, row_key, column_key"),
    ("cells_by_body_year", "cells", "body, region, year"),
    ("reports_by_body_year", "reports", "body_key, year"),
    ("findings_by_report", "findings", "report_id"),
    ("findings_by_code", "findings", "code"),
)

Row = dict[str, Any]


class ExportError(Exception):
    """An output that cannot be written (exists without ``--force``, not writable); Chinese."""


# --- rows -----------------------------------------------------------------------------------------


class RowMaker:
    """The rows of one report, with the template labels of the run's templates."""

    def __init__(self, templates) -> None:
        """``templates``: the run's TemplateSet (the linter's, plugins' templates included)."""
        self.row_labels: dict[tuple[str, str], str] = {}
        self.column_labels: dict[tuple[str, str], str] = {}
        for template in templates.templates:
            self.row_labels.update(
                {(template.id, row.key): row.label for row in template.rows}
            )
            self.column_labels.update(
                {(template.id, column.key): column.label for column in template.columns}
            )

    def cells(self, report_id: int, record: ReportRecord) -> Iterator[Row]:
        identity = record.identity
        for cell in record.cells:
            place = cell.location.place
            yield {
                "report_id": report_id,
                "body": identity.body,
                "region": identity.region,
                "level": identity.level,
                "year": identity.year,
                "era": record.era,
                "table_id": cell.table,
                "row_key": cell.row,
                "column_key": cell.column,
                "row_label": cell.label,
                "template_row_label": self.row_labels.get((cell.table, cell.row or "")),
                "template_column_label": self.column_labels.get(
                    (cell.table, cell.column or "")
                ),
                "text": cell.text,
                "value": cell.value,
                "unit": cell.unit,
                "kind": cell.kind,
                "blank": cell.kind == "blank",
                "non_numeric": cell.kind != "number",
                "line": cell.location.line,
                "column": cell.location.column,
                "page": place.page if place else None,
                "source_table": place.table if place else None,
                "source_row": place.row if place else None,
                "source_column": place.column if place else None,
            }


def finding_rows(report_id: int, diagnostics: Iterable[Diagnostic]) -> Iterator[Row]:
    for item in diagnostics:
        location = item.location
        yield {
            "report_id": report_id,
            "code": item.code,
            "name": item.name,
            "severity": item.severity.value,
            "message": item.message,
            "line": location.line,
            "column": location.column,
            "end_line": location.end_line,
            "end_column": location.end_column,
            "page": location.place.page if location.place is not None else None,
            "place": item.place,
            "fingerprint": finding_key(item),
        }


class ReportCounts:
    """A report's cells, and its findings counted by severity and by rule family."""

    def __init__(self, cells: int = 0) -> None:
        self.cells = cells
        self.findings = 0
        self.by_column: dict[str, int] = dict.fromkeys(
            ("errors", "warnings", "infos", *_family_columns()), 0
        )

    def add(self, diagnostics: Iterable[Diagnostic]) -> None:
        for item in diagnostics:
            self.findings += 1
            self.by_column[_SEVERITY_COLUMNS[item.severity.value]] += 1
            family = item.code[:2].upper()
            self.by_column[
                f"findings_{family.lower()}" if family in FAMILIES else "findings_other"
            ] += 1


_SEVERITY_COLUMNS = {"error": "errors", "warning": "warnings", "info": "infos"}


def _family_columns() -> list[str]:
    return [*(f"findings_{family.lower()}" for family in FAMILIES), "findings_other"]


def report_row(
    report_id: int, path: str, record: ReportRecord | None, counts: ReportCounts
) -> Row:
    identity = record.identity if record is not None else None
    on_time = record.on_time if record is not None else None
    location = record.publication_location if record is not None else None
    return {
        "report_id": report_id,
        "path": path,
        "read_ok": record is not None,
        "name": identity.name if identity else None,
        "body": identity.body if identity else None,
        "region": identity.region if identity else None,
        "level": identity.level if identity else None,
        "kind": identity.kind if identity else None,
        "category": identity.category if identity else None,
        "body_key": identity.body_key if identity else None,
        "year": identity.year if identity else None,
        "era": record.era if record is not None else None,
        "publication_date": _iso(record.publication_date)
        if record is not None
        else None,
        "publication_line": location.line if location is not None else None,
        "deadline": _iso(record.deadline) if record is not None else None,
        "timeliness": "unknown"
        if on_time is None
        else "on_time"
        if on_time
        else "late",
        "cells": counts.cells,
        "findings": counts.findings,
        **counts.by_column,
    }


def _iso(date) -> str | None:
    return None if date is None else date.isoformat()


# --- writers --------------------------------------------------------------------------------------


class Exporter:
    """Where rows go. Used as a context manager: the output appears only when the block ends
    without an exception; otherwise every temporary file is removed."""

    def write(self, table: str, row: Row) -> None:
        raise NotImplementedError

    def commit(self) -> None:
        raise NotImplementedError

    def abort(self) -> None:
        raise NotImplementedError

    def __enter__(self) -> Exporter:
        return self

    def __exit__(self, kind, error, trace) -> None:
        if kind is None:
            self.commit()
        else:
            self.abort()


class _Staged:
    """A temporary file beside its target, renamed onto it by ``publish``."""

    def __init__(self, target: Path) -> None:
        self.target = target
        handle, name = tempfile.mkstemp(
            prefix=f".{target.name}.", suffix=".part", dir=target.parent
        )
        os.close(handle)
        self.path = Path(name)

    def publish(self) -> None:
        os.replace(self.path, self.target)

    def discard(self) -> None:
        self.path.unlink(missing_ok=True)


def _check_target(path: Path, force: bool) -> None:
    if path.exists() and not force:
        raise ExportError(f"{path} 已存在；加 --force 覆盖")
    if path.is_dir():
        raise ExportError(f"{path} 是目录，不能写成文件")


class CsvExporter(Exporter):
    """cells.csv, reports.csv and findings.csv in a directory, UTF-8 with a BOM (Excel and WPS
    then read Chinese correctly); booleans as 1/0, unknown values empty."""

    def __init__(self, directory: Path, force: bool) -> None:
        try:
            directory.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise ExportError(
                f"无法创建目录 {directory}：{error.strerror or error}"
            ) from None
        if not directory.is_dir():
            raise ExportError(f"{directory} 不是目录（csv 格式写入目录中的三个文件）")
        targets = {table: directory / f"{table}.csv" for table in TABLES}
        for target in targets.values():
            _check_target(target, force)
        self.staged = {table: _Staged(target) for table, target in targets.items()}
        self.files: dict[str, IO[str]] = {}
        self.writers = {}
        for table, staged in self.staged.items():
            file = open(staged.path, "w", encoding="utf-8-sig", newline="")  # noqa: SIM115 (closed by commit or abort)
            self.files[table] = file
            self.writers[table] = csv.writer(file)
            self.writers[table].writerow(name for name, _ in TABLES[table])

    def write(self, table: str, row: Row) -> None:
        self.writers[table].writerow(_csv_value(row[name]) for name, _ in TABLES[table])

    def commit(self) -> None:
        for file in self.files.values():
            file.close()
        for staged in self.staged.values():
            staged.publish()

    def abort(self) -> None:
        for file in self.files.values():
            file.close()
        for staged in self.staged.values():
            staged.discard()


def _csv_value(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return int(value)
    return value


class JsonLinesExporter(Exporter):
    """One JSON object per line, each with ``type`` (``export`` first, then ``report``, ``cell``,
    ``finding``), to a file or standard output."""

    def __init__(self, target: Path | None, force: bool, tool_version: str) -> None:
        self.staged = None
        if target is None:
            self.file: IO[str] = sys.stdout
        else:
            _check_target(target, force)
            self.staged = _Staged(target)
            self.file = open(self.staged.path, "w", encoding="utf-8")  # noqa: SIM115 (closed by commit or abort)
        header = {
            "type": "export",
            "schema_version": SCHEMA_VERSION,
            "tool_version": tool_version,
        }
        self.file.write(json.dumps(header) + "\n")

    def write(self, table: str, row: Row) -> None:
        self.file.write(
            json.dumps({"type": _TYPE_OF_TABLE[table], **row}, ensure_ascii=False)
            + "\n"
        )

    def commit(self) -> None:
        self.file.flush()
        if self.staged is not None:
            self.file.close()
            self.staged.publish()

    def abort(self) -> None:
        if self.staged is not None:
            self.file.close()
            self.staged.discard()


class SqliteExporter(Exporter):
    """One database file with the tables reports, cells and findings, foreign keys from cells and
    findings to their report, the indexes of the usual joins and a ``schema_version`` table. All in
    one transaction; the indexes are built at the end, which is faster than keeping them up."""

    def __init__(self, target: Path, force: bool, tool_version: str) -> None:
        _check_target(target, force)
        self.staged = _Staged(target)
        self.connection = sqlite3.connect(self.staged.path, isolation_level=None)
        self.connection.execute("PRAGMA foreign_keys = ON")
        self.connection.execute("PRAGMA journal_mode = OFF")
        self.connection.execute("BEGIN")
        self.connection.execute(
            "CREATE TABLE schema_version (version INTEGER NOT NULL, tool_version TEXT NOT NULL)"
        )
        self.connection.execute(
            "INSERT INTO schema_version VALUES (?, ?)", (SCHEMA_VERSION, tool_version)
        )
        self.statements = {}
        for table, columns in TABLES.items():
            definition = ", ".join(f'"{name}" {kind}' for name, kind in columns)
            self.connection.execute(f"CREATE TABLE {table} ({definition})")
            names = ", ".join(f'"{name}"' for name, _ in columns)
            self.statements[table] = (
                f"INSERT INTO {table} ({names}) VALUES ({', '.join('?' * len(columns))})"
            )

    def write(self, table: str, row: Row) -> None:
        self.connection.execute(
            self.statements[table], [row[name] for name, _ in TABLES[table]]
        )

    def commit(self) -> None:
        for name, table, columns in _INDEXES:
            self.connection.execute(f"CREATE INDEX {name} ON {table} ({columns})")
        self.connection.execute("COMMIT")
        self.connection.close()
        self.staged.publish()

    def abort(self) -> None:
        self.connection.close()
        self.staged.discard()


EXPORT_FORMATS = ("csv", "jsonl", "sqlite")


def open_export(
    format_name: str, output: str | None, force: bool, tool_version: str
) -> Exporter:
    """The writer of ``format_name`` for ``output`` (raises ExportError when it cannot be used)."""
    if format_name == "jsonl":
        return JsonLinesExporter(
            Path(output) if output and output != "-" else None, force, tool_version
        )
    if not output or output == "-":
        raise ExportError(
            f"{format_name} 格式需要用 -o 指定{'目录' if format_name == 'csv' else '数据库文件'}"
        )
    try:
        if format_name == "csv":
            return CsvExporter(Path(output), force)
        return SqliteExporter(Path(output), force, tool_version)
    except (OSError, sqlite3.Error) as error:
        raise ExportError(
            f"无法写入 {output}：{getattr(error, 'strerror', None) or error}"
        ) from None
