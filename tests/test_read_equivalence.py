"""The same report in every format gives the same findings at the same structural places.

The 2021 template is read as the Markdown original, as a Word document written by the test-document
generator, as the PDF LibreOffice made from that document, and as a portal page in UTF-8 and GB2312. The faulted PDF and
a Word document with the same fault find it once each, at the place the format has for that cell.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from nianbao.config.files import ConfigResolver
from nianbao.engine.linter import Linter
from nianbao.plugins.manager import load_plugins
from nianbao.read.formats import read_document

from tests.documents.make_docx import write_docx
from tests.documents.make_html import render, report_model

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = ROOT / "docs" / "examples" / "2021-template.md"
DOCUMENTS = Path(__file__).resolve().parent / "data" / "documents"
# The committed fault: 「（七）总计」 of 自然人 written 5 instead of 4 (tests/data/documents/README.md).
TOTAL_CLEAN = "| | （七）总计 | 4 |"
TOTAL_FAULT = "| | （七）总计 | 5 |"


@pytest.fixture(scope="module")
def linter():
    return Linter(load_plugins(entry_points=False), ConfigResolver(isolated=True))


def findings(linter, path: Path) -> tuple[set[tuple[str, str]], list[str]]:
    source = read_document(path)
    result = linter.lint_source(source, linter.config_for(str(path)))
    return {(item.code, item.place) for item in result.diagnostics}, [t.template for t in result.document.tables]


def formats_of(text: str, directory: Path, pdf: Path) -> dict[str, Path]:
    markdown = directory / "report.md"
    markdown.write_text(text, encoding="utf-8")
    model = report_model(markdown)
    return {
        "markdown": markdown,
        "docx": write_docx(text, directory / "report.docx"),
        "pdf": pdf,
        "html (UTF-8)": render(model).write(directory / "report.html"),
        "html (GB2312)": render(model, encoding="gbk").write(directory / "report-gb.html"),
    }


def test_every_format_of_the_clean_template_gives_the_same_findings_and_tables(linter, tmp_path):
    text = TEMPLATE.read_text(encoding="utf-8")
    results = {name: findings(linter, path) for name, path in formats_of(text, tmp_path, DOCUMENTS / "2021-template.pdf").items()}
    expected = results.pop("markdown")
    assert len(expected[1]) == 6  # every official table of the 2021 format
    assert results and all(found == expected for found in results.values()), results


def test_every_format_of_the_faulted_template_finds_the_fault_once(linter, tmp_path):
    text = TEMPLATE.read_text(encoding="utf-8")
    assert text.count(TOTAL_CLEAN) == 1
    faulty = text.replace(TOTAL_CLEAN, TOTAL_FAULT)
    clean = findings(linter, TEMPLATE)[0]
    results = {
        name: findings(linter, path)[0] - clean
        for name, path in formats_of(faulty, tmp_path, DOCUMENTS / "2021-template-total-fault.pdf").items()
    }
    expected = results.pop("markdown")
    assert [code for code, _ in expected] == ["AR001"]
    assert all(found == expected for found in results.values()), results
