"""What the audit view shows, computed in Python: one compact row per report for the filters and
rankings, totals and counts for the charts, and per report the findings with their source excerpt and
the recognised tables a finding points into, drawn later as grids with the faulty cells marked.

Everything here is plain data (strings, numbers, lists); nothing is escaped yet — the page escapes
at the one place data enters HTML (:mod:`nianbao.output.audit.page`).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

from nianbao.data.toml import read_toml
from nianbao.document.identity import LEVEL_LABELS
from nianbao.document.record import CellRecord, ReportRecord
from nianbao.engine.diagnostic import Diagnostic

__all__ = ["AuditEntry", "Labels", "audit_data", "family_of", "labels"]

SEVERITIES = ("error", "warning", "info")
EXCERPT_WIDTH = 80
"""Characters of the source line kept on each side of a finding's text."""
TOP_RULES = 20
HEATMAP_BODIES = 20


@dataclass
class AuditEntry:
    """One checked report as the view needs it: its record (None when it could not be read), its
    findings, and the source lines those findings are on (line number → text)."""

    path: str
    record: ReportRecord | None
    diagnostics: list[Diagnostic] = field(default_factory=list)
    lines: dict[int, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Labels:
    families: Mapping[str, str]
    severities: Mapping[str, str]
    timeliness: Mapping[str, str]

    def family(self, code: str) -> str:
        return self.families.get(code, code)


@lru_cache(maxsize=1)
def labels() -> Labels:
    data = read_toml(resources.files("nianbao.output.audit") / "static" / "labels.toml", "界面文字文件")
    return Labels(data["families"], data["severities"], data["timeliness"])


_FAMILY = re.compile(r"[A-Z]+")


def family_of(code: str) -> str:
    match = _FAMILY.match(code)
    return match.group(0) if match else code


def excerpt_lines(text: str | None, diagnostics: Iterable[Diagnostic]) -> dict[int, str]:
    """The lines of ``text`` that ``diagnostics`` are on (what a report keeps for its excerpts)."""
    if not text:
        return {}
    wanted = {item.location.line for item in diagnostics}
    return {number: line for number, line in enumerate(text.splitlines(), 1) if number in wanted}


def timeliness(record: ReportRecord | None) -> str:
    if record is None or record.publication_date is None:
        return "missing"
    if record.deadline is None:
        return "unknown"
    return "on_time" if record.on_time else "late"


def audit_data(entries: Iterable[AuditEntry], rules: Mapping[str, tuple[str, str]], templates=None, kind_labels: Mapping[str, str] | None = None) -> dict[str, Any]:
    """The view's data: ``rules`` maps a code to its (name, summary); ``templates`` (a TemplateSet)
    gives tables their titles and columns their order; ``kind_labels`` names the kinds of body."""
    text = labels()
    reports: list[dict[str, Any]] = []
    details: list[dict[str, Any]] = []
    index_of: dict[str, int] = {}
    cross: list[tuple[int, Diagnostic]] = []
    for entry in entries:
        index_of[entry.path] = len(reports)
        reports.append(_report_row(entry, kind_labels or {}))
        details.append(_detail(entry, templates))
        cross += [(len(reports) - 1, item) for item in entry.diagnostics if family_of(item.code) == "XR"]
    used = sorted({code for report in reports for code in report["rc"]})
    return {
        "labels": {"families": dict(text.families), "severities": dict(text.severities), "timeliness": dict(text.timeliness)},
        "rules": {code: [*rules.get(code, (code, "")), family_of(code)] for code in used},
        "reports": reports,
        "details": details,
        "xr": [_cross_row(report, item, index_of) for report, item in cross],
        "summary": summary(reports),
    }


def _report_row(entry: AuditEntry, kind_labels: Mapping[str, str]) -> dict[str, Any]:
    record = entry.record
    identity = record.identity if record is not None else None
    severities = Counter(item.severity.value for item in entry.diagnostics)
    return {
        "p": entry.path,
        "n": (identity.name if identity else None) or "",
        "b": (identity.body_key if identity else None) or "",
        "r": (identity.region if identity else "") or "",
        "k": kind_labels.get(identity.kind or "", "") if identity else "",
        "lv": LEVEL_LABELS.get(identity.level or "", "") if identity else "",
        "y": record.year if record is not None else None,
        "t": timeliness(record),
        "pd": record.publication_date.isoformat() if record is not None and record.publication_date else "",
        "dl": record.deadline.isoformat() if record is not None and record.deadline else "",
        "c": [severities.get(severity, 0) for severity in SEVERITIES],
        "rc": dict(Counter(item.code for item in entry.diagnostics)),
    }


def _cross_row(report: int, item: Diagnostic, index_of: Mapping[str, int]) -> dict[str, Any]:
    return {
        "i": report,
        "c": item.code,
        "s": item.severity.value,
        "m": item.message,
        "rel": [[index_of.get(related.path or "", -1), related.path or "", related.message] for related in item.related],
    }


# --- one report's findings and tables ----------------------------------------------


def _detail(entry: AuditEntry, templates) -> dict[str, Any]:
    cells = entry.record.cells if entry.record is not None else ()
    grids = _Grids(cells, templates)
    findings = []
    for item in entry.diagnostics:
        marks = [(*position, "f") for position in grids.at(item.location.line, item.location.column)]
        for related in item.related:
            if related.path is None or related.path == entry.path:
                marks += [(*position, "r") for position in grids.at(related.location.line, related.location.column)]
        findings.append(
            {
                "c": item.code,
                "s": item.severity.value,
                "m": item.message_with_place,
                "l": item.location.line,
                "col": item.location.column,
                "x": _excerpt(entry.lines.get(item.location.line), item),
                "rel": [[related.location.line, related.location.column, related.path or "", related.message] for related in item.related],
                "g": grids.keep(marks),
            }
        )
    return {"f": findings, "tables": grids.kept()}


def _excerpt(line: str | None, item: Diagnostic) -> list[str] | None:
    """[before, the finding's text, after] on its line, cut to a readable width."""
    if line is None:
        return None
    start = max(0, item.location.column - 1)
    end = item.location.end_column - 1 if item.location.end_line == item.location.line else len(line)
    end = max(start, min(end, len(line)))
    before = line[max(0, start - EXCERPT_WIDTH) : start]
    after = line[end : end + EXCERPT_WIDTH]
    return [("…" if start > EXCERPT_WIDTH else "") + before, line[start:end], after + ("…" if end + EXCERPT_WIDTH < len(line) else "")]


class _Grids:
    """A report's recognised tables as grids (rows × template columns), and which grid cell is at a
    line and column. Only tables a finding points into are kept for the page, which bounds its size."""

    def __init__(self, cells: Iterable[CellRecord], templates) -> None:
        self.tables: list[dict[str, Any]] = []
        self._by_line: dict[int, list[tuple[int, int, int, int, int]]] = defaultdict(list)
        self._kept: dict[int, int] = {}
        current: dict[str, Any] | None = None
        for cell in cells:
            if current is None or current["id"] != cell.table or (cell.row, cell.label, cell.column) in current["seen"]:
                current = self._start(cell.table, templates)
            row_key = (cell.row, cell.label)
            if row_key not in current["row_index"]:
                current["row_index"][row_key] = len(current["rows"])
                current["rows"].append([_row_label(current["template"], cell), {}])
            column = cell.column or "?"
            if column not in current["column_index"]:
                current["column_index"][column] = None
            current["seen"].add((cell.row, cell.label, cell.column))
            row = current["row_index"][row_key]
            current["rows"][row][1][column] = cell.text
            location = cell.location
            end = location.end_column if location.end_line == location.line else 1 << 30
            self._by_line[location.line].append((location.column, max(end, location.column + 1), len(self.tables) - 1, row, column))

    def _start(self, template_id: str, templates) -> dict[str, Any]:
        template = templates.template(template_id) if templates is not None else None
        table = {
            "id": template_id,
            "template": template,
            "title": template.title if template is not None else template_id,
            "order": [column.key for column in template.columns] if template is not None else [],
            "titles": {column.key: column.title for column in template.columns} if template is not None else {},
            "rows": [],
            "row_index": {},
            "column_index": {},
            "seen": set(),
        }
        self.tables.append(table)
        return table

    def at(self, line: int, column: int) -> list[tuple[int, int, str]]:
        return [(table, row, key) for start, end, table, row, key in self._by_line.get(line, ()) if start <= column < end]

    def keep(self, marks: list[tuple[int, int, str, str]]) -> list[list[Any]]:
        """``marks`` in the page's terms: [kept table index, row, column index, role]."""
        found = []
        for table, row, key, role in marks:
            kept = self._kept.setdefault(table, len(self._kept))
            found.append([kept, row, self._columns(table).index(key), role])
        return found

    def _columns(self, table: int) -> list[str]:
        data = self.tables[table]
        present = data["column_index"]
        return [key for key in data["order"] if key in present] + [key for key in present if key not in data["order"]]

    def kept(self) -> list[dict[str, Any]]:
        out = []
        for table in sorted(self._kept, key=self._kept.get):
            data = self.tables[table]
            columns = self._columns(table)
            out.append(
                {
                    "title": data["title"],
                    "cols": [data["titles"].get(key, key) for key in columns],
                    "rows": [[label, [values.get(key) for key in columns]] for label, values in data["rows"]],
                }
            )
        return out


def _row_label(template, cell: CellRecord) -> str:
    """The template's label of a known row (as the official format writes it), else the report's."""
    row = template.row(cell.row) if template is not None and cell.row is not None else None
    return row.label if row is not None else cell.label


# --- what the charts show ----------------------------------------------------------


def summary(reports: list[dict[str, Any]]) -> dict[str, Any]:
    """Totals and the counts the overview charts draw (over every report)."""
    families: Counter[str] = Counter()
    by_rule: Counter[str] = Counter()
    body_families: dict[str, Counter[str]] = defaultdict(Counter)
    body_errors: Counter[str] = Counter()
    timely: dict[Any, Counter[str]] = defaultdict(Counter)
    years: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0])
    for report in reports:
        body = report["b"] or report["p"]
        for code, count in report["rc"].items():
            families[family_of(code)] += count
            by_rule[code] += count
            body_families[body][family_of(code)] += count
        body_errors[body] += report["c"][0]
        timely[report["y"]][report["t"]] += 1
        if report["y"] is not None:
            year = years[report["y"]]
            year[0] += 1
            year[1] += report["c"][0]
            year[2] += sum(report["c"])
    heat_bodies = sorted(body_families, key=lambda body: (-body_errors[body], -sum(body_families[body].values()), body))[:HEATMAP_BODIES]
    heat_families = sorted(families, key=lambda family: -families[family])
    return {
        "reports": len(reports),
        "bodies": len({report["b"] or report["p"] for report in reports}),
        "regions": len({report["r"] for report in reports if report["r"]}),
        "severities": [sum(report["c"][index] for report in reports) for index in range(len(SEVERITIES))],
        "families": families.most_common(),
        "rules": by_rule.most_common(TOP_RULES),
        "heat": {"bodies": heat_bodies, "families": heat_families, "counts": [[body_families[body][family] for family in heat_families] for body in heat_bodies]},
        "timeliness": [[year, dict(counts)] for year, counts in sorted(timely.items(), key=lambda item: (item[0] is None, item[0] or 0))],
        "years": [[year, *values] for year, values in sorted(years.items())],
    }
