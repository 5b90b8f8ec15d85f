"""Baselines: today's findings recorded, then only new ones reported, matched without line numbers."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from nianbao import cli
from nianbao.output.baseline import Baseline, BaselineError, write_baseline
from nianbao.engine.diagnostic import Diagnostic
from nianbao.engine.fingerprint import finding_key
from nianbao.text.location import Location
from nianbao.plugins.rule import Severity

EXAMPLES = Path(__file__).resolve().parent.parent / "docs" / "examples"
SEED_001 = "001_9e37d6351cd66a1a.txt"
SEED_000 = "000_b67df828cb4a1735.txt"
SPAM = "beat365体育亚洲入口_365bet最新备用_bte365"
# Seed 001, section 一: three paragraphs, one line each and without findings.
FIRST_PARAGRAPH = "建立机制，强化落实。"
SECOND_PARAGRAPH = "完善制度，扎实推进。"
THIRD_PARAGRAPH = "落实经费，阳光行政。"
# Seed 000, line 5: one of its nine injected spam runs.
FIXED_SPAM = f"完善《{SPAM}市商务局政府信息公开指南》"


@pytest.fixture
def reports(tmp_path, monkeypatch) -> Path:
    """A copy of the seeds as the working directory."""
    directory = tmp_path / "reports"
    directory.mkdir()
    for seed in EXAMPLES.glob("*.txt"):
        shutil.copy(seed, directory / seed.name)
    monkeypatch.chdir(directory)
    return directory


def check(capsys, *arguments: str) -> tuple[int, str, str]:
    status = cli.main(["check", "--isolated", *arguments])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def findings_json(capsys, *arguments: str) -> list[dict]:
    status, out, _ = check(capsys, "--format", "json", *arguments)
    assert status in (0, 1)
    return json.loads(out)


def edit_seed_001(directory: Path) -> int:
    """Move the third paragraph of section 一 to its top and paste spam into the second paragraph.

    Returns the 1-based line of the spam after the edit.
    """
    path = directory / SEED_001
    lines = path.read_text(encoding="utf-8").split("\n")
    first = next(index for index, line in enumerate(lines) if line.startswith(FIRST_PARAGRAPH))
    third = next(index for index, line in enumerate(lines) if line.startswith(THIRD_PARAGRAPH))
    assert third == first + 2
    lines.insert(first, lines.pop(third))
    second = next(index for index, line in enumerate(lines) if line.startswith(SECOND_PARAGRAPH))
    lines[second] = lines[second].replace(SECOND_PARAGRAPH, SECOND_PARAGRAPH + SPAM, 1)
    path.write_text("\n".join(lines), encoding="utf-8")
    return second + 1


def test_a_baseline_of_the_seeds_makes_the_next_run_clean(reports, capsys):
    everything = findings_json(capsys, ".")
    assert everything, "the seeds have findings"
    status, out, err = check(capsys, ".", "--write-baseline", "baseline.json")
    assert status == 0 and out == ""
    assert f"已把 {len(everything)} 个问题记入基线文件 baseline.json" in err
    recorded = json.loads((reports / "baseline.json").read_text(encoding="utf-8"))["findings"]
    assert len(recorded) == len(everything)
    assert {item["path"] for item in recorded} <= {path.name for path in EXAMPLES.glob("*.txt")}

    status, out, err = check(capsys, ".", "--baseline", "baseline.json")
    assert (status, out) == (0, "")
    assert f"基线 baseline.json 中已有的 {len(everything)} 个问题未显示" in err
    assert "不再出现" not in err


def test_a_new_fault_is_the_only_finding_after_a_paragraph_moved(reports, capsys):
    assert [item for item in findings_json(capsys, SEED_001) if item["line"] in (5, 6, 7)] == []
    check(capsys, ".", "--write-baseline", "baseline.json")
    spam_line = edit_seed_001(reports)
    new = findings_json(capsys, ".", "--baseline", "baseline.json")
    assert [(item["path"], item["line"], item["column"], item["code"]) for item in new] == [
        (SEED_001, spam_line, len(SECOND_PARAGRAPH) + 1, "SR001")
    ]
    status, _, err = check(capsys, ".", "--baseline", "baseline.json")
    assert status == 1  # SR001 is an error
    assert "不再出现" not in err


def test_a_fixed_fault_is_reported_as_a_stale_entry(reports, capsys):
    check(capsys, ".", "--write-baseline", "baseline.json")
    path = reports / SEED_000
    text = path.read_text(encoding="utf-8")
    assert text.count(FIXED_SPAM) == 1
    path.write_text(text.replace(FIXED_SPAM, "完善《某市商务局政府信息公开指南》"), encoding="utf-8")
    status, out, err = check(capsys, ".", "--baseline", "baseline.json")
    assert (status, out) == (0, "")
    assert "基线中有 1 条记录已不再出现" in err
    assert "--write-baseline baseline.json" in err


def test_entries_of_files_not_checked_are_not_stale(reports, capsys):
    check(capsys, ".", "--write-baseline", "baseline.json")
    status, out, err = check(capsys, SEED_001, "--baseline", "baseline.json")
    assert (status, out) == (0, "")
    assert "不再出现" not in err


def test_paths_are_relative_to_the_baseline_file_not_the_working_directory(reports, capsys, monkeypatch):
    (reports / "ci").mkdir()
    check(capsys, ".", "--write-baseline", "ci/baseline.json")
    recorded = json.loads((reports / "ci" / "baseline.json").read_text(encoding="utf-8"))["findings"]
    assert all(item["path"].startswith("../") for item in recorded)
    monkeypatch.chdir(reports / "ci")
    status, out, _ = check(capsys, "..", "--baseline", "baseline.json")
    assert (status, out) == (0, "")


def test_the_json_fingerprint_is_the_baseline_key(reports, capsys):
    check(capsys, SEED_000, "--write-baseline", "baseline.json")
    recorded = json.loads((reports / "baseline.json").read_text(encoding="utf-8"))["findings"]
    reported = findings_json(capsys, SEED_000)
    assert sorted(item["key"] for item in recorded) == sorted(item["fingerprint"] for item in reported)


@pytest.mark.parametrize(
    "content, message",
    [
        ("{", "不是有效的 JSON"),
        ('{"findings": []}', "不是 nianbao 基线文件"),
        ('{"nianbao-baseline": 9, "findings": []}', "格式版本 9 不受支持"),
        ('{"nianbao-baseline": 1, "findings": [{"path": "a.txt"}]}', "第 1 条记录缺少 path、code 或 key"),
    ],
)
def test_a_broken_baseline_file_is_a_usage_error(reports, capsys, content, message):
    (reports / "baseline.json").write_text(content, encoding="utf-8")
    status, out, err = check(capsys, ".", "--baseline", "baseline.json")
    assert status == 2 and out == ""
    assert message in err


def test_a_missing_baseline_file_says_how_to_make_one(reports, capsys):
    status, _, err = check(capsys, ".", "--baseline", "missing.json")
    assert status == 2
    assert "--write-baseline missing.json" in err


def test_reading_and_writing_a_baseline_at_once_is_refused(reports, capsys):
    status, _, err = check(capsys, ".", "--baseline", "a.json", "--write-baseline", "b.json")
    assert status == 2 and "不能同时使用" in err


# --- matching ----------------------------------------------------------------------------


def diagnostic(line: int, snippet: str = "2020年", place: str = "section:一/paragraph", code: str = "DT001") -> Diagnostic:
    return Diagnostic(
        path="report.txt",
        location=Location(line, 3, line, 8),
        code=code,
        name="year-mismatch",
        severity=Severity.ERROR,
        message=f"第 {line} 行的年份不对",
        place=place,
        snippet=snippet,
    )


def test_matching_ignores_lines_and_messages_but_not_place_text_or_rule(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write_baseline(tmp_path / "baseline.json", [diagnostic(3)])
    baseline = Baseline.load(tmp_path / "baseline.json")
    assert baseline.compare([diagnostic(40)], ["report.txt"]).new == []
    assert baseline.compare([diagnostic(3, snippet="2019年")], ["report.txt"]).new != []
    assert baseline.compare([diagnostic(3, place="section:二/paragraph")], ["report.txt"]).new != []
    assert baseline.compare([diagnostic(3, code="DT002")], ["report.txt"]).new != []
    # Whitespace in the text at fault (a re-wrapped or re-indented line) is no change.
    assert finding_key(diagnostic(3, snippet="2020\n  年")) == finding_key(diagnostic(3, snippet="2020年"))


def test_equal_findings_are_counted(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write_baseline(tmp_path / "baseline.json", [diagnostic(3)])
    comparison = Baseline.load(tmp_path / "baseline.json").compare([diagnostic(3), diagnostic(9)], ["report.txt"])
    assert len(comparison.unchanged) == 1 and len(comparison.new) == 1
    assert comparison.new[0].line == 9
    comparison = Baseline.load(tmp_path / "baseline.json").compare([], ["report.txt"])
    assert [entry.line for entry in comparison.stale] == [3]


def test_loading_a_directory_is_a_baseline_error(tmp_path):
    with pytest.raises(BaselineError):
        Baseline.load(tmp_path)


def test_a_baseline_of_a_word_report_survives_a_paragraph_added_above_its_findings(tmp_path, capsys, monkeypatch):
    """Fingerprints hold no line or paragraph number: after a sentence is added to an earlier
    paragraph, only the new finding it causes is reported against the baseline."""
    from tests.documents.make_docx import change_number, insert_sentence, write_docx

    monkeypatch.chdir(tmp_path)
    template = (Path(__file__).resolve().parent.parent / "docs" / "examples" / "2021-template.md").read_text(encoding="utf-8")
    report = write_docx(template, tmp_path / "年报.docx")
    change_number(report, "（一）予以公开", 1)
    assert cli.main(["check", "--isolated", "年报.docx", "--write-baseline", "baseline.json"]) == 0
    capsys.readouterr()
    insert_sentence(report, "我局通过县政府门户网站主动公开", "详见beat365体育官网。")
    status = cli.main(["check", "--isolated", "--format", "json", "年报.docx", "--baseline", "baseline.json"])
    reported = json.loads(capsys.readouterr().out)
    assert status == 1
    assert [item["code"] for item in reported] == ["SR001"]
    assert reported[0]["original"]["paragraph"] == 5
