"""``nianbao diff`` output: readable Chinese text for a terminal, and JSON of a documented shape
(docs/usage.md, 比较两份年报). Both show the same :class:`~nianbao.output.diff.ReportDiff`."""

from __future__ import annotations

import json
from decimal import Decimal

from nianbao.output.diff import (
    CHANGED,
    ONLY_NEW,
    ONLY_OLD,
    UNCHANGED,
    CellChange,
    ReportDiff,
    ReportSide,
    SectionDiff,
    TableDiff,
    TextChange,
    TextUnit,
    era_label,
)

__all__ = ["DIFF_JSON_VERSION", "diff_as_json", "diff_as_text"]

DIFF_JSON_VERSION = 1

_RED, _GREEN, _BOLD, _DIM, _RESET = "\033[31m", "\033[32m", "\033[1m", "\033[2m", "\033[0m"


# --- text ----------------------------------------------------------------------------------------


class _Paint:
    def __init__(self, colour: bool) -> None:
        self.colour = colour

    def __call__(self, style: str, text: str) -> str:
        return f"{style}{text}{_RESET}" if self.colour else text


def diff_as_text(diff: ReportDiff, colour: bool = False) -> str:
    """The comparison in Chinese, one part after the other; ANSI colours only when ``colour``."""
    paint = _Paint(colour)
    out = [*_side_lines("旧报告", diff.old), *_side_lines("新报告", diff.new)]
    if diff.mask_numbers:
        out.append("（比较时不看数字：只改了数字的句子算作沿用。）")
    out += ["", paint(_BOLD, "【各部分文字】")]
    for section in diff.sections:
        out += _section_lines(section, paint)
    out += ["", paint(_BOLD, "【表格】")]
    if not diff.tables:
        out.append("两份报告都没有识别出的官方表格。")
    for table in diff.tables:
        out += _table_lines(table)
    out += ["", _summary(diff)]
    return "\n".join(out) + "\n"


def _side_lines(label: str, side: ReportSide) -> list[str]:
    facts = [
        f"发布机关：{side.body or '未识别'}",
        f"年度：{side.year}" if side.year is not None else "年度：未识别",
        f"格式：{era_label(side.era)}",
    ]
    return [f"{label}：{side.path}", f"  {side.title or '（无标题）'}", f"  {'，'.join(facts)}"]


def _lines_note(old: int | None, new: int | None) -> str:
    where = [f"旧报告第 {old} 行" if old is not None else "", f"新报告第 {new} 行" if new is not None else ""]
    shown = "，".join(part for part in where if part)
    return f"（{shown}）" if shown else ""


def _section_lines(section: SectionDiff, paint: _Paint) -> list[str]:
    name = section.heading
    written = {title for title in (section.old_title, section.new_title) if title}
    if written and name not in written and section.key != "preamble":
        name += f"〔原文：{'／'.join(sorted(written))}〕"
    where = _lines_note(section.old_line, section.new_line)
    if section.status == ONLY_OLD:
        return [f"{name}{where}：仅旧报告有"]
    if section.status == ONLY_NEW:
        return [f"{name}{where}：仅新报告有"]
    if section.status == UNCHANGED:
        return [f"{name}：未变" + ("（无文字）" if section.unchanged_share is None else "")]
    share = f"，新报告本部分 {_percent(section.unchanged_share)} 的文字沿用旧报告" if section.unchanged_share is not None else ""
    lines = [f"{name}{where}：有改动{share}"]
    for change in section.changes:
        if change.unchanged_before:
            lines.append(paint(_DIM, f"    ……（{change.unchanged_before} 句未变）"))
        lines += _change_lines(change, paint)
    if section.unchanged_after:
        lines.append(paint(_DIM, f"    ……（{section.unchanged_after} 句未变）"))
    return lines


def _change_lines(change: TextChange, paint: _Paint) -> list[str]:
    return [paint(_RED, _unit_line("-", unit)) for unit in change.old] + [
        paint(_GREEN, _unit_line("+", unit)) for unit in change.new
    ]


def _unit_line(sign: str, unit: TextUnit) -> str:
    return f"  {sign} 第{unit.line}行  {unit.text}"


def _table_lines(table: TableDiff) -> list[str]:
    where = _lines_note(table.old_line, table.new_line)
    if table.status == ONLY_OLD:
        return [f"{table.title}{where}：仅旧报告有"]
    if table.status == ONLY_NEW:
        return [f"{table.title}{where}：仅新报告有"]
    template = table.new_template if table.old_template == table.new_template else f"{table.old_template} → {table.new_template}"
    changed = f"变化 {len(table.changes)} 格" if table.changes else "数值未变"
    lines = [f"{table.title}〔{template}〕{where}：比较 {table.cells_compared} 格，{changed}"]
    lines += [_cell_line(change) for change in table.changes]
    for label, items in (
        ("仅旧报告有的行", table.only_old_rows),
        ("仅新报告有的行", table.only_new_rows),
        ("仅旧报告有的列", table.only_old_columns),
        ("仅新报告有的列", table.only_new_columns),
    ):
        if items:
            lines.append(f"  {label}：{'、'.join(name for _, name in items)}")
    return lines


def _cell_line(change: CellChange) -> str:
    name = f"{change.row_label} × {change.column_label}"
    if (change.old_row_label, change.old_column_label) != (change.row_label, change.column_label):
        name += f"（旧报告：{change.old_row_label} × {change.old_column_label}）"
    delta = change.delta
    moved = f"（{_signed(delta)}）" if delta is not None else ""
    return (
        f"  {name}：{_cell_text(change.old_text)} → {_cell_text(change.new_text)}{moved}"
        f"  {_lines_note(change.old_line, change.new_line)}"
    )


def _cell_text(text: str | None) -> str:
    if text is None:
        return "（无此格）"
    return text or "（空）"


def _summary(diff: ReportDiff) -> str:
    sections = [section for section in diff.sections if section.status != UNCHANGED]
    cells = sum(len(table.changes) for table in diff.tables)
    if not diff.changed:
        return "结论：两份报告的文字和表格数值都相同。"
    parts = [
        f"{len([s for s in sections if s.status == CHANGED])} 个部分文字有改动",
        f"{len([s for s in sections if s.status in (ONLY_OLD, ONLY_NEW)])} 个部分只在一份报告中",
        f"{cells} 个表格单元格数值有变化",
    ]
    only = len([table for table in diff.tables if table.status in (ONLY_OLD, ONLY_NEW)])
    if only:
        parts.append(f"{only} 张表只在一份报告中")
    return "结论：" + "，".join(parts) + "。"


def _percent(share: float) -> str:
    return f"{round(share * 100)}%"


def _signed(value: Decimal) -> str:
    if value == 0:
        return "±0"
    return ("+" if value > 0 else "") + _plain(value)


def _plain(value: Decimal) -> str:
    return str(int(value)) if value == value.to_integral_value() else format(value.normalize(), "f")


# --- JSON ----------------------------------------------------------------------------------------


def diff_as_json(diff: ReportDiff) -> str:
    return json.dumps(diff_payload(diff), ensure_ascii=False, indent=2) + "\n"


def diff_payload(diff: ReportDiff) -> dict:
    """The comparison as plain data (the shape docs/usage.md documents; ``version`` changes with it)."""
    return {
        "version": DIFF_JSON_VERSION,
        "old": _side_payload(diff.old),
        "new": _side_payload(diff.new),
        "mask_numbers": diff.mask_numbers,
        "changed": diff.changed,
        "sections": [_section_payload(section) for section in diff.sections],
        "tables": [_table_payload(table) for table in diff.tables],
    }


def _side_payload(side: ReportSide) -> dict:
    return {"path": side.path, "title": side.title, "body": side.body, "year": side.year, "era": side.era}


def _section_payload(section: SectionDiff) -> dict:
    return {
        "key": section.key,
        "heading": section.heading,
        "status": section.status,
        "old_title": section.old_title,
        "new_title": section.new_title,
        "old_line": section.old_line,
        "new_line": section.new_line,
        "unchanged_share": None if section.unchanged_share is None else round(section.unchanged_share, 4),
        "unchanged_units": section.unchanged_units,
        "changes": [
            {
                "op": change.op,
                "old": [{"line": unit.line, "text": unit.text} for unit in change.old],
                "new": [{"line": unit.line, "text": unit.text} for unit in change.new],
            }
            for change in section.changes
        ],
    }


def _table_payload(table: TableDiff) -> dict:
    def keyed(items: list[tuple[str, str]]) -> list[dict]:
        return [{"key": key, "label": label} for key, label in items]

    return {
        "old_template": table.old_template,
        "new_template": table.new_template,
        "title": table.title,
        "status": table.status,
        "old_line": table.old_line,
        "new_line": table.new_line,
        "cells_compared": table.cells_compared,
        "cells_changed": len(table.changes),
        "changes": [_cell_payload(change) for change in table.changes],
        "only_old_rows": keyed(table.only_old_rows),
        "only_new_rows": keyed(table.only_new_rows),
        "only_old_columns": keyed(table.only_old_columns),
        "only_new_columns": keyed(table.only_new_columns),
    }


def _cell_payload(change: CellChange) -> dict:
    return {
        "row": change.row,
        "column": change.column,
        "old_row": change.old_row,
        "old_column": change.old_column,
        "row_label": change.row_label,
        "column_label": change.column_label,
        "old": change.old_text,
        "new": change.new_text,
        "old_value": _json_number(change.old_value),
        "new_value": _json_number(change.new_value),
        "delta": _json_number(change.delta),
        "old_line": change.old_line,
        "new_line": change.new_line,
    }


def _json_number(value: Decimal | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)
