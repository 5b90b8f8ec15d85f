"""``nianbao export``: the rows of cells, reports and findings, in every format."""

from __future__ import annotations

import csv
import io
import json
import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from nianbao.cli import main
from nianbao.output.export import (
    CELL_COLUMNS,
    FINDING_COLUMNS,
    REPORT_COLUMNS,
    SCHEMA_VERSION,
    TABLES,
    open_export,
)

from tests.documents.make_docx import write_docx

EXAMPLES = Path(__file__).parent.parent / "docs" / "examples"
TEMPLATE = EXAMPLES / "2021-template.md"
CELL_LINES = EXAMPLES / "001_9e37d6351cd66a1a.txt"
ORIGINAL = ("value", "source_table", "source_row", "source_column")
RUN = ("--isolated", "--no-cache", "--no-progress", "-q")


def export(capsys, *argv: str) -> tuple[int, str, str]:
    status = main(["export", *argv, *RUN])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def csv_rows(directory: Path, table: str) -> list[dict[str, str]]:
    raw = (directory / f"{table}.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # the BOM Excel and WPS need to read UTF-8
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))


def jsonl_rows(text: str) -> dict[str, list[dict]]:
    tables: dict[str, list[dict]] = {
        "export": [],
        "report": [],
        "cell": [],
        "finding": [],
    }
    for line in filter(None, text.split("\n")):  # JSON Lines ends lines at \n only
        item = json.loads(line)
        tables[item.pop("type")].append(item)
    return tables


def sqlite_rows(path: Path, table: str) -> list[dict]:
    with sqlite3.connect(path) as connection:
        connection.row_factory = sqlite3.Row
        return [
            dict(row)
            for row in connection.execute(f"SELECT * FROM {table} ORDER BY rowid")
        ]


def cell(rows, report_id, table, row, column):
    found = [
        item
        for item in rows
        if str(item["report_id"]) == str(report_id)
        and item["table_id"] == table
        and item["row_key"] == row
        and item["column_key"] == column
    ]
    assert len(found) == 1, found
    return found[0]


@pytest.fixture()
def two_reports(tmp_path) -> Path:
    folder = tmp_path / "reports"
    folder.mkdir()
    shutil.copy(TEMPLATE, folder / "a-2021.md")
    shutil.copy(CELL_LINES, folder / "b-2020.txt")
    return folder


# --- rows as the reports write them ----------------------------------------------------------------


def test_csv_cells_are_the_values_written_in_the_report(capsys, tmp_path, two_reports):
    status, _, _ = export(
        capsys, str(two_reports), "--format", "csv", "-o", str(tmp_path / "out")
    )
    assert status == 0
    cells = csv_rows(tmp_path / "out", "cells")
    # a-2021.md line 56: "| 一、本年新收政府信息公开申请数量 | | 4 | 1 | 0 | 0 | 0 | 0 | 5 |"; the 4 is in column 24.
    natural = cell(cells, 1, "2021.application", "new", "natural_person")
    assert (natural["value"], natural["text"], natural["line"], natural["column"]) == (
        "4",
        "4",
        "56",
        "24",
    )
    assert natural["row_label"] == "一、本年新收政府信息公开申请数量"
    assert natural["template_column_label"] == "自然人"
    assert (natural["body"], natural["level"], natural["year"], natural["era"]) == (
        "市场监督管理局",
        "county",
        "2021",
        "2021",
    )
    assert cell(cells, 1, "2021.application", "new", "total")["value"] == "5"
    # Line 38: "| 行政许可 | 1240 |".
    licensing = cell(cells, 1, "2021.active.20-5", "licensing", "decisions")
    assert (
        licensing["value"],
        licensing["line"],
        licensing["column"],
        licensing["kind"],
    ) == ("1240", "38", "10", "number")
    # b-2020.txt is one cell per line; line 78 is "\t21738元", the amount of 政府集中采购.
    amount = cell(cells, 2, "2019.active.20-9", "procurement", "amount")
    assert (
        amount["text"],
        amount["value"],
        amount["unit"],
        amount["line"],
        amount["column"],
    ) == ("21738元", "21738", "元", "78", "2")
    assert (amount["blank"], amount["non_numeric"], amount["page"]) == ("0", "0", "")
    assert (amount["region"], amount["year"], amount["era"]) == (
        "绿园区",
        "2020",
        "2019",
    )


def test_report_rows_hold_identity_dates_and_counts(capsys, tmp_path, two_reports):
    export(capsys, str(two_reports), "--format", "csv", "-o", str(tmp_path / "out"))
    reports = csv_rows(tmp_path / "out", "reports")
    assert [row["name"] for row in reports] == ["某某县市场监督管理局", "绿园区商务局"]
    first = reports[0]
    # Signed "2022年1月20日" (line 100); a county department's deadline is 31 January.
    assert (
        first["publication_date"],
        first["publication_line"],
        first["deadline"],
        first["timeliness"],
    ) == ("2022-01-20", "100", "2022-01-31", "on_time")
    assert (first["read_ok"], first["body_key"], first["kind"], first["category"]) == (
        "1",
        "/市场监督管理局",
        "bureau",
        "department",
    )
    findings = csv_rows(tmp_path / "out", "findings")
    for report in reports:
        own = [row for row in findings if row["report_id"] == report["report_id"]]
        assert int(report["findings"]) == len(own)
        for severity, column in (
            ("error", "errors"),
            ("warning", "warnings"),
            ("info", "infos"),
        ):
            assert int(report[column]) == sum(
                row["severity"] == severity for row in own
            )
        families = sum(
            int(value) for key, value in report.items() if key.startswith("findings_")
        )
        assert families == len(own)
    cells = csv_rows(tmp_path / "out", "cells")
    assert [int(row["cells"]) for row in reports] == [
        sum(item["report_id"] == row["report_id"] for item in cells) for row in reports
    ]


def test_finding_rows_are_the_findings_of_check_with_their_fingerprints(
    capsys, tmp_path, two_reports
):
    main(["check", str(two_reports), "--format", "json", *RUN])
    checked = json.loads(capsys.readouterr().out)
    assert checked, "the cell-per-line example has findings"
    export(capsys, str(two_reports), "--format", "csv", "-o", str(tmp_path / "out"))
    paths = {
        row["report_id"]: row["path"] for row in csv_rows(tmp_path / "out", "reports")
    }
    exported = [
        (
            paths[row["report_id"]],
            row["code"],
            int(row["line"]),
            int(row["column"]),
            row["message"],
            row["fingerprint"],
        )
        for row in csv_rows(tmp_path / "out", "findings")
    ]
    expected = [
        (
            item["path"],
            item["code"],
            item["line"],
            item["column"],
            item["message"],
            item["fingerprint"],
        )
        for item in checked
    ]
    assert sorted(exported) == sorted(expected)


def test_docx_cells_carry_their_place_in_the_original(capsys, tmp_path):
    path = write_docx(TEMPLATE.read_text(encoding="utf-8"), tmp_path / "report.docx")
    status, out, _ = export(capsys, str(path), "--format", "jsonl")
    assert status == 0
    rows = jsonl_rows(out)
    # The application table is the document's 5th table: row 3 is 一、本年新收…, column 9 is 总计.
    total = cell(rows["cell"], 1, "2021.application", "new", "total")
    assert [total[name] for name in ORIGINAL] == ["5", 5, 3, 9]
    granted = cell(rows["cell"], 1, "2021.application", "granted", "natural_person")
    assert [granted[name] for name in ORIGINAL] == ["2", 5, 5, 3]
    assert rows["report"][0]["read_ok"] is True and rows["report"][0]["year"] == 2021


# --- formats ---------------------------------------------------------------------------------------


def test_jsonl_starts_with_the_schema_version_and_types_every_line(
    capsys, tmp_path, two_reports
):
    status, out, _ = export(capsys, str(two_reports), "--format", "jsonl")
    assert status == 0
    rows = jsonl_rows(out)
    assert rows["export"] == [
        {
            "schema_version": SCHEMA_VERSION,
            "tool_version": rows["export"][0]["tool_version"],
        }
    ]
    assert len(rows["report"]) == 2 and rows["cell"] and rows["finding"]
    assert set(rows["cell"][0]) == {name for name, _ in CELL_COLUMNS}
    assert set(rows["report"][0]) == {name for name, _ in REPORT_COLUMNS}
    assert set(rows["finding"][0]) == {name for name, _ in FINDING_COLUMNS}
    assert (
        export(
            capsys,
            str(two_reports),
            "--format",
            "jsonl",
            "-o",
            str(tmp_path / "x.jsonl"),
        )[1]
        == ""
    )
    assert jsonl_rows((tmp_path / "x.jsonl").read_text(encoding="utf-8")) == rows


def test_sqlite_has_keys_indexes_and_the_schema_version(capsys, tmp_path, two_reports):
    database = tmp_path / "x.sqlite"
    assert (
        export(capsys, str(two_reports), "--format", "sqlite", "-o", str(database))[0]
        == 0
    )
    with sqlite3.connect(database) as connection:
        assert connection.execute("SELECT version FROM schema_version").fetchall() == [
            (SCHEMA_VERSION,)
        ]
        indexes = {
            row[0]
            for row in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'index'"
            )
        }
        assert {
            "cells_by_report",
            "cells_by_table_row_column",
            "cells_by_body_year",
            "findings_by_report",
            "findings_by_code",
        } <= indexes
        keys = connection.execute("PRAGMA foreign_key_list(cells)").fetchall()
        assert [(row[2], row[3], row[4]) for row in keys] == [
            ("reports", "report_id", "report_id")
        ]
        assert connection.execute("PRAGMA foreign_key_check").fetchall() == []
        value = connection.execute(
            "SELECT c.value, r.name FROM cells c JOIN reports r USING (report_id) WHERE c.table_id = '2021.application' AND c.row_key = 'new' AND c.column_key = 'total'"
        ).fetchall()
        assert value == [("5", "某某县市场监督管理局")]


@pytest.mark.skipif(
    shutil.which("sqlite3") is None,
    reason="the sqlite3 command-line shell is not installed",
)
def test_the_sqlite3_shell_joins_cells_to_reports(capsys, tmp_path, two_reports):
    database = tmp_path / "x.sqlite"
    export(capsys, str(two_reports), "--format", "sqlite", "-o", str(database))
    query = (
        "SELECT r.name, r.year, c.value, c.unit FROM cells c JOIN reports r ON r.report_id = c.report_id "
        "WHERE c.row_key = 'procurement' AND c.column_key = 'amount';"
    )
    shell = subprocess.run(
        ["sqlite3", "-bail", str(database), query],
        capture_output=True,
        text=True,
        check=True,
    )
    assert shell.stdout.splitlines() == ["绿园区商务局|2020|21738|元"]


def test_two_jobs_export_the_same_rows_as_one(capsys, tmp_path, two_reports):
    shutil.copy(EXAMPLES / "000_b67df828cb4a1735.txt", two_reports / "c.txt")
    _, one, _ = export(capsys, str(two_reports), "--format", "jsonl", "--jobs", "1")
    _, two, _ = export(capsys, str(two_reports), "--format", "jsonl", "--jobs", "2")
    assert jsonl_rows(one) == jsonl_rows(two)
    assert len(jsonl_rows(two)["report"]) == 3


# --- outputs are never clobbered or half-written -------------------------------------------------


@pytest.mark.parametrize(
    "format_name, target",
    [("sqlite", "x.sqlite"), ("jsonl", "x.jsonl"), ("csv", "out/cells.csv")],
)
def test_an_existing_output_is_kept_unless_forced(
    capsys, tmp_path, two_reports, format_name, target
):
    existing = tmp_path / "output" / target
    existing.parent.mkdir(parents=True)
    existing.write_text("keep me", encoding="utf-8")
    output = str(existing.parent if format_name == "csv" else existing)
    status, _, err = export(
        capsys, str(two_reports), "--format", format_name, "-o", output
    )
    assert status == 2 and "已存在" in err and "--force" in err
    assert existing.read_text(encoding="utf-8") == "keep me"
    assert sorted(path.name for path in existing.parent.iterdir()) == [existing.name]
    assert (
        export(
            capsys, str(two_reports), "--format", format_name, "-o", output, "--force"
        )[0]
        == 0
    )
    assert existing.read_text(encoding="utf-8", errors="replace") != "keep me"


def test_an_interrupted_export_leaves_nothing(tmp_path):
    for format_name, target in (
        ("sqlite", tmp_path / "x.sqlite"),
        ("jsonl", tmp_path / "x.jsonl"),
        ("csv", tmp_path / "out"),
    ):
        with (
            pytest.raises(KeyboardInterrupt),
            open_export(format_name, str(target), False, "test") as exporter,
        ):
            exporter.write(
                "findings", dict.fromkeys((name for name, _ in FINDING_COLUMNS), 1)
            )
            raise KeyboardInterrupt
    assert sorted(path.name for path in tmp_path.rglob("*")) == ["out"]


def test_an_unreadable_file_is_a_report_row_and_the_export_goes_on(
    capsys, tmp_path, two_reports
):
    (two_reports / "broken.docx").write_bytes(b"PK\x03\x04 not really a zip")
    status, out, _ = export(capsys, str(two_reports), "--format", "jsonl")
    assert status == 0
    rows = jsonl_rows(out)
    by_path = {Path(row["path"]).name: row for row in rows["report"]}
    assert set(by_path) == {"a-2021.md", "b-2020.txt", "broken.docx"}
    broken = by_path["broken.docx"]
    assert (
        broken["read_ok"],
        broken["cells"],
        broken["body"],
        broken["timeliness"],
        broken["findings_ps"],
    ) == (False, 0, None, "unknown", 1)
    assert [
        row["code"]
        for row in rows["finding"]
        if row["report_id"] == broken["report_id"]
    ] == ["PS001"]
    assert by_path["a-2021.md"]["read_ok"] is True


def test_csv_needs_an_output_directory(capsys, two_reports):
    status, _, err = export(capsys, str(two_reports), "--format", "csv")
    assert status == 2 and "-o" in err


# --- the three formats hold the same rows -----------------------------------------------------------

_text = st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
    max_size=12,
)
_values = {
    "INTEGER": st.one_of(st.none(), st.integers(-(2**40), 2**40)),
    "TEXT": st.one_of(st.none(), _text),
}


def _row(columns):
    fields = {}
    for name, kind in columns:
        base = kind.split()[0]
        strategy = _values[base]
        if name == "report_id":
            strategy = st.integers(1, 5)
        elif "NOT NULL" in kind:
            strategy = st.integers(0, 2**40) if base == "INTEGER" else _text
        fields[name] = strategy
    return st.fixed_dictionaries(fields)


def _as_csv(value) -> str:
    return "" if value is None else str(value)


@settings(max_examples=20, deadline=None)
@given(
    reports=st.lists(
        _row(REPORT_COLUMNS), max_size=3, unique_by=lambda row: row["report_id"]
    ),
    cells=st.lists(_row(CELL_COLUMNS), max_size=4),
    findings=st.lists(_row(FINDING_COLUMNS), max_size=3),
)
def test_csv_jsonl_and_sqlite_hold_the_same_rows(
    tmp_path_factory, reports, cells, findings
):
    folder = tmp_path_factory.mktemp("formats")
    reports = sorted(
        reports, key=lambda row: row["report_id"]
    )  # as an export writes them
    cells = [
        row
        for row in cells
        if row["report_id"] in {report["report_id"] for report in reports}
    ]
    findings = [
        row
        for row in findings
        if row["report_id"] in {report["report_id"] for report in reports}
    ]
    written = {"reports": reports, "cells": cells, "findings": findings}
    for format_name, target in (
        ("csv", folder / "csv"),
        ("jsonl", folder / "x.jsonl"),
        ("sqlite", folder / "x.sqlite"),
    ):
        with open_export(format_name, str(target), False, "test") as exporter:
            for table, rows in written.items():
                for row in rows:
                    exporter.write(table, row)
    lines = jsonl_rows((folder / "x.jsonl").read_bytes().decode("utf-8"))
    for table, rows in written.items():
        assert (
            lines[{"reports": "report", "cells": "cell", "findings": "finding"}[table]]
            == rows
        )
        assert sqlite_rows(folder / "x.sqlite", table) == rows
        assert csv_rows(folder / "csv", table) == [
            {name: _as_csv(row[name]) for name, _ in TABLES[table]} for row in rows
        ]


def test_the_schema_document_names_every_column():
    text = (Path(__file__).parent.parent / "docs" / "export.md").read_text(
        encoding="utf-8"
    )
    for columns in TABLES.values():
        for name, _ in columns:
            assert f"`{name}`" in text, name
