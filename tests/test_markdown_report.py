"""A 2021 report written by hand in Markdown from the official template (docs/examples/2021-template.md).

The official 依申请 table has a two-column label area (group | item): written in Markdown that
leaves an empty cell after 一、/二、/四、 and puts "（三）不予公开 1.属于国家秘密" in one cell.
"""

from __future__ import annotations

from pathlib import Path

from nianbao.config.files import ConfigResolver
from nianbao.engine.linter import Linter
from nianbao.plugins.manager import load_plugins

TEMPLATE = Path(__file__).resolve().parent.parent / "docs" / "examples" / "2021-template.md"
LINTER = Linter(load_plugins(entry_points=False), ConfigResolver(isolated=True))


def lint(text: str):
    return LINTER.lint_bytes(text.encode("utf-8"), "report.md")


def test_the_clean_template_report_gives_no_finding():
    result = lint(TEMPLATE.read_text(encoding="utf-8"))
    assert [f"{d.line}:{d.column} {d.code} {d.message}" for d in result.diagnostics] == []
    application = result.document.tables_of("2021.application")[0]
    assert application.missing_rows == []
    assert application.value("new", "natural_person") == 4
    assert application.value("new", "total") == 5
    assert application.value("withheld.state_secret", "total") == 0
    assert application.value("unavailable.not_held", "total") == 1


def test_one_wrong_total_is_reported_once_at_that_cell():
    text = TEMPLATE.read_text(encoding="utf-8")
    line = "| | （七）总计 | 4 | 1 | 0 | 0 | 0 | 0 | 5 |"
    assert text.count(line) == 1
    text = text.replace(line, "| | （七）总计 | 4 | 1 | 0 | 0 | 0 | 0 | 6 |")
    result = lint(text)
    arithmetic = [d for d in result.diagnostics if d.code.startswith("AR")]
    assert len(arithmetic) == 1
    [finding] = arithmetic
    line_number = text.split("\n").index("| | （七）总计 | 4 | 1 | 0 | 0 | 0 | 0 | 6 |") + 1
    assert finding.location.line == line_number
    assert text.split("\n")[line_number - 1][finding.location.column - 1] == "6"


def test_a_narrative_figure_that_disagrees_names_the_table_cell():
    text = TEMPLATE.read_text(encoding="utf-8")
    sentence = "2021年，我局共收到政府信息公开申请5件"
    assert sentence in text
    result = lint(text.replace(sentence, "2021年，我局共收到政府信息公开申请7件"))
    [finding] = [d for d in result.diagnostics if d.code == "NR001"]
    assert "7件" in finding.message and "5" in finding.message
    assert finding.related, "the table cell compared with is a related location"
