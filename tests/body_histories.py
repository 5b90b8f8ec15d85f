"""Body histories for the cross-report rules: one body's reports in consecutive years, built from the
example reports with chosen figures, so that a test knows by construction which figures carry over.

``report_2021_format(year, ...)`` is the 2021-format example (docs/examples/2021-template.md) for any
year with the 20-1 table's 行政规范性文件 row and the 上年结转 / 结转下年度 rows of the application
table set; ``report_2008_pair(...)`` is the 2017 example of 福建省商务厅 (2008 format, its appendix written one
cell per line) and a 2016 report its 历年累计 figures roll on from.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

EXAMPLES = Path(__file__).resolve().parent.parent / "docs" / "examples"
TEMPLATE_2021 = (EXAMPLES / "2021-template.md").read_text(encoding="utf-8")
FUJIAN_2017 = (EXAMPLES / "004_843d7a1260357fac.txt").read_text(encoding="utf-8")
TRIAL_2020 = (EXAMPLES / "000_b67df828cb4a1735.txt").read_text(encoding="utf-8")

CARRIED_OVER = "二、上年结转政府信息公开申请数量"
CARRY_FORWARD = "四、结转下年度继续办理"
NORMATIVE = "行政规范性文件"


@dataclass(frozen=True)
class Cell:
    """Where a value was written: 1-based line and column of its first character."""

    line: int
    column: int


def report_2021_format(
    year: int,
    *,
    carried_over: tuple[int, ...] = (1, 0, 0, 0, 0, 0, 1),
    carry_forward: tuple[int, ...] = (1, 0, 0, 0, 0, 0, 1),
    normative: tuple[int, int, int] = (1, 1, 9),
    body: str = "某某县市场监督管理局",
) -> str:
    """The 2021-format report of ``body`` for ``year``: seven application columns (自然人 … 总计)
    for 上年结转 and 结转下年度, and 行政规范性文件's (本年制发, 本年废止, 现行有效). The defaults carry
    over from one year to the next, so a history of defaults is consistent."""
    text = TEMPLATE_2021.replace("2022年1月20日", f"{year + 1}年1月20日").replace("2021", str(year))
    text = text.replace("某某县市场监督管理局", body)
    text = _pipe_row(text, CARRIED_OVER, ["", *map(str, carried_over)])
    text = _pipe_row(text, CARRY_FORWARD, ["", *map(str, carry_forward)])
    return _pipe_row(text, NORMATIVE, list(map(str, normative)))


def report_2020_trial_format(carry_forward_natural_person: int) -> str:
    """The 2020 example (2019 trial format, one cell per line) with 结转下年度 自然人 set."""
    lines = TRIAL_2020.split("\n")
    index = lines.index(CARRY_FORWARD)
    assert lines[index + 1] == "|" and lines[index + 2].isdigit()
    lines[index + 2] = str(carry_forward_natural_person)
    return "\n".join(lines)


def report_2008_pair(*, annual: int, earlier_cumulative: int, later_cumulative: int) -> tuple[str, str]:
    """福建省商务厅's 2016 and 2017 reports (2008 format): 主动公开档案数 has 本年 ``annual`` in 2017
    and 历年累计 ``earlier_cumulative`` / ``later_cumulative``; every other appendix row of 2016 has
    the 历年累计 that 2017's rolls on from (2017's 历年累计 less 2017's 本年)."""
    later = FUJIAN_2017.replace("主動公開檔案數\n213\n2676", f"主動公開檔案數\n{annual}\n{later_cumulative}", 1)
    lines = FUJIAN_2017.replace("2017", "2016").replace("2018", "2017").split("\n")
    start = lines.index("(二)附表")
    for index in range(start, len(lines) - 2):
        label, this_year, cumulative = lines[index : index + 3]
        if not label.isdigit() and this_year.isdigit() and cumulative.isdigit():
            lines[index + 2] = str(int(cumulative) - int(this_year))
    earlier = "\n".join(lines)
    earlier = re.sub(r"主動公開檔案數\n(\d+)\n\d+", lambda match: f"主動公開檔案數\n{match.group(1)}\n{earlier_cumulative}", earlier, count=1)
    return earlier, later


def pipe_cell(text: str, label: str, position: int) -> Cell:
    """Where the ``position``-th (0-based) cell after ``label`` is in ``text``'s pipe row."""
    for number, line in enumerate(text.split("\n"), 1):
        cells = line.split("|")
        if len(cells) > 2 and cells[1].strip() == label:
            offset = len("|".join(cells[: 2 + position])) + 1
            value = cells[2 + position]
            return Cell(number, offset + len(value) - len(value.lstrip()) + 1)
    raise AssertionError(f"no row {label}")


def line_of(text: str, exact: str, after: str | None = None) -> int:
    """The 1-based number of the first line equal to ``exact`` (after the line equal to ``after``)."""
    lines = text.split("\n")
    start = lines.index(after) + 1 if after is not None else 0
    return lines.index(exact, start) + 1


def _pipe_row(text: str, label: str, values: list[str]) -> str:
    pattern = re.compile(rf"^\| {re.escape(label)} \|.*$", re.MULTILINE)
    assert pattern.search(text), label
    return pattern.sub(lambda _: "| " + " | ".join([label, *values]) + " |", text, count=1)
