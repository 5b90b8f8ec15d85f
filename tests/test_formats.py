"""Output formats for CI and people: text with source excerpts, statistics, GitHub workflow
commands, JUnit XML, JSON, and ``-o FILE`` for every format."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from wcwidth import wcswidth, wcwidth

from nianbao import cli
from nianbao.engine.diagnostic import Diagnostic
from nianbao.output.formats import RunContext
from nianbao.output.formats.github import GithubFormatter, escape_data, escape_property
from nianbao.output.formats.junit import JunitFormatter
from nianbao.output.formats.text import MAX_SOURCE_WIDTH, TextFormatter, source_excerpt
from nianbao.text.location import Location
from nianbao.plugins.rule import Severity

EXAMPLES = Path(__file__).resolve().parent.parent / "docs" / "examples"
CLEAN_2020 = EXAMPLES / "003_92d244c9ede656a3.txt"
CARRIED_OVER_CLEAN = "二、上年结转政府信息公开申请数量 | 0 |"
CARRIED_OVER_FAULT = "二、上年结转政府信息公开申请数量 | 3 |"


def make(line: int, column: int, end_column: int, *, path="年报.txt", code="AR001", message="总计不符",
         severity=Severity.ERROR, end_line: int | None = None) -> Diagnostic:
    return Diagnostic(
        path=path,
        location=Location(line, column, end_line or line, end_column),
        code=code,
        name="application-balance",
        severity=severity,
        message=message,
    )


def under_carets(excerpt: list[str]) -> str:
    """The characters of the shown line that stand above the carets, by display column."""
    shown, carets = excerpt[0], excerpt[1]
    gutter = shown.index(" | ") + 3
    assert carets[:gutter] == " " * (gutter - 3) + " | "
    start = gutter + len(carets[gutter:]) - len(carets[gutter:].lstrip(" "))
    width = carets.count("^")
    picked, column = [], gutter
    for char in shown[gutter:]:
        if start <= column < start + width:
            picked.append(char)
        column += max(wcwidth(char), 0)
    return "".join(picked)


# --- text and --show-source ---------------------------------------------------------------


def test_the_caret_sits_under_a_number_after_full_width_characters():
    line = "三、收到 | 29 | 0"
    # 三、收到 are four double-width characters (8 columns), then " | " (3): "29" starts at column 12.
    excerpt = source_excerpt(make(7, 8, 10), line)
    assert excerpt == ["7 | 三、收到 | 29 | 0", "  |            ^^"]


def test_a_chinese_fault_gets_two_carets_per_character():
    line = "本年新收政府信息公开申请数量"
    excerpt = source_excerpt(make(12, 5, 11), line)
    assert excerpt[1] == "   | " + " " * 8 + "^" * 12
    assert under_carets(excerpt) == "政府信息公开"


def test_an_empty_fault_gets_one_caret_and_a_tab_counts_as_four_columns():
    excerpt = source_excerpt(make(3, 2, 2), "\t行政许可")
    assert excerpt == ["3 |     行政许可", "  |     ^"]


def test_a_fault_running_past_its_line_is_underlined_to_the_line_end():
    excerpt = source_excerpt(make(3, 3, 2, end_line=5), "一、总体情况")
    assert excerpt[1] == "  | " + " " * 4 + "^" * 8


def test_a_long_line_is_cut_to_a_window_around_the_fault():
    line = "甲" * 200 + "beat365" + "乙" * 200
    excerpt = source_excerpt(make(4, 201, 208), line)
    shown = excerpt[0][len("4 | "):]
    assert shown.startswith("...") and shown.endswith("...")
    assert wcswidth(shown) <= MAX_SOURCE_WIDTH + 6
    assert under_carets(excerpt) == "beat365"


@settings(max_examples=200, deadline=None)
@given(
    line=st.text(alphabet=st.sampled_from("年报表一二三ABC123 |（）、，%"), min_size=1, max_size=60),
    data=st.data(),
)
def test_carets_always_stand_under_the_fault(line, data):
    start = data.draw(st.integers(min_value=0, max_value=len(line) - 1))
    end = data.draw(st.integers(min_value=start + 1, max_value=len(line)))
    excerpt = source_excerpt(make(1, start + 1, end + 1), line)
    assert under_carets(excerpt) == line[start:end]


def test_a_fault_on_trailing_blanks_is_shown_with_them():
    assert under_carets(source_excerpt(make(1, 2, 4), "表  ")) == "  "


def test_show_source_on_a_real_report_points_at_the_faulty_cells(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    Path("report.txt").write_text(CLEAN_2020.read_text(encoding="utf-8").replace(CARRIED_OVER_CLEAN, CARRIED_OVER_FAULT), encoding="utf-8")
    status = cli.main(["check", "--isolated", "--show-source", "--select", "AR001", "report.txt"])
    out = capsys.readouterr().out.splitlines()
    assert status == 1
    (index,) = [number for number, line in enumerate(out) if " AR001 " in line]
    excerpt = out[index + 1 : index + 3]
    line_number = int(out[index].split(":")[1])
    assert excerpt[0].startswith(f"{line_number} | ")
    assert under_carets(excerpt) in {"3", "29", "0"}


def test_without_show_source_the_text_format_is_one_line_per_diagnostic():
    items = [make(7, 8, 10), make(9, 1, 3, code="ST001", severity=Severity.WARNING)]
    output = TextFormatter().format(items, RunContext(sources={"年报.txt": "x\n" * 10}))
    assert output.splitlines() == [
        "年报.txt:7:8: AR001 错误：总计不符 [application-balance]",
        "年报.txt:9:1: ST001 警告：总计不符 [application-balance]",
    ]


# --- statistics ---------------------------------------------------------------------------


def test_statistics_count_findings_per_rule_most_frequent_first(monkeypatch, capsys):
    monkeypatch.chdir(EXAMPLES.parent.parent)
    status = cli.main(["check", "--isolated", "--format", "json", "docs/examples"])
    reported = json.loads(capsys.readouterr().out)
    status = cli.main(["check", "--isolated", "--statistics", "docs/examples"])
    out = capsys.readouterr().out.splitlines()
    table = out[len(reported):]
    counts = {}
    for item in reported:
        counts[item["code"]] = counts.get(item["code"], 0) + 1
    parsed = [line.split() for line in table]
    assert {code: int(count) for count, code, _ in parsed} == counts
    assert [int(count) for count, _, _ in parsed] == sorted(counts.values(), reverse=True)
    assert status in (0, 1)


def test_statistics_keep_machine_output_parseable(monkeypatch, capsys):
    monkeypatch.chdir(EXAMPLES.parent.parent)
    cli.main(["check", "--isolated", "--statistics", "--format", "sarif", "docs/examples"])
    captured = capsys.readouterr()
    assert json.loads(captured.out)["version"] == "2.1.0"
    assert "SR001  injected-spam" in captured.err


# --- GitHub workflow commands ------------------------------------------------------------


def test_github_commands_escape_messages_and_properties(tmp_path):
    item = make(55, 9, 11, path="reports/a,b:c.txt", message="比例 50%\n见第 2 行", severity=Severity.WARNING)
    output = GithubFormatter().format([item], RunContext(root=str(tmp_path)))
    assert output == (
        "::warning file=reports/a%2Cb%3Ac.txt,line=55,col=9,endLine=55,endColumn=11,title=AR001"
        "::比例 50%25%0A见第 2 行 [application-balance]\n"
    )


def test_github_severities_map_to_error_warning_and_notice(tmp_path):
    items = [make(1, 1, 2, severity=severity) for severity in (Severity.ERROR, Severity.WARNING, Severity.INFO)]
    lines = GithubFormatter().format(items, RunContext(root=str(tmp_path))).splitlines()
    assert [line.split(" ", 1)[0] for line in lines] == ["::error", "::warning", "::notice"]


def test_github_escaping_round_trips():
    text = "a%b\r\nc:d,e"
    decoded = escape_property(text).replace("%2C", ",").replace("%3A", ":").replace("%0A", "\n")
    assert decoded.replace("%0D", "\r").replace("%25", "%") == text
    assert "\n" not in escape_data(text) and "\r" not in escape_data(text)


def test_github_paths_are_relative_to_the_repository_root(tmp_path, monkeypatch, capsys):
    (tmp_path / ".git").mkdir()
    (tmp_path / "reports").mkdir()
    (tmp_path / "reports" / "r.txt").write_text(CLEAN_2020.read_text(encoding="utf-8"), encoding="utf-8")
    monkeypatch.chdir(tmp_path / "reports")
    cli.main(["check", "--isolated", "--format", "github", "r.txt"])
    lines = capsys.readouterr().out.splitlines()
    assert lines and all(line.startswith("::") and "file=reports/r.txt," in line for line in lines)


# --- JUnit --------------------------------------------------------------------------------


def test_junit_has_a_suite_per_file_and_a_failure_per_diagnostic():
    items = [make(3, 1, 2), make(9, 4, 5, code="ST001", message="缺少标题 <&>", severity=Severity.WARNING)]
    context = RunContext(files=["年报.txt", "clean.txt"], fail_on="warning")
    root = ElementTree.fromstring(JunitFormatter().format(items, context).encode("utf-8"))
    assert root.tag == "testsuites" and root.get("failures") == "2" and root.get("tests") == "3"
    suites = {suite.get("name"): suite for suite in root}
    assert set(suites) == {"年报.txt", "clean.txt"}
    failing = suites["年报.txt"]
    assert failing.get("failures") == "2"
    failures = [case.find("failure") for case in failing]
    assert [failure.get("message") for failure in failures] == ["总计不符", "缺少标题 <&>"]
    assert [case.get("line") for case in failing] == ["3", "9"]
    assert "年报.txt:9:4: ST001" in failures[1].text
    (clean_case,) = list(suites["clean.txt"])
    assert clean_case.find("failure") is None and suites["clean.txt"].get("failures") == "0"


def test_junit_fails_only_findings_at_or_above_fail_on():
    """A warning does not fail a run with fail-on = error, so it is no failure in the CI report either:
    its testcase passes and keeps the finding's line in system-out."""
    items = [make(3, 1, 2), make(9, 4, 5, code="ST001", message="缺少标题", severity=Severity.WARNING)]
    root = ElementTree.fromstring(JunitFormatter().format(items, RunContext(files=["年报.txt"])).encode("utf-8"))
    assert root.get("failures") == "1" and root.get("tests") == "2"
    (suite,) = list(root)
    assert suite.get("failures") == "1"
    error_case, warning_case = list(suite)
    assert error_case.find("failure") is not None and error_case.find("system-out") is None
    assert warning_case.find("failure") is None
    assert warning_case.find("system-out").text.startswith("年报.txt:9:4: ST001 警告：缺少标题")


def test_junit_of_a_passing_run_has_no_failure(monkeypatch, capsys):
    """Seed 003 has only warnings and notes: the run exits 0 and the JUnit report has no failure."""
    monkeypatch.chdir(EXAMPLES.parent.parent)
    status = cli.main(["check", "--isolated", "--format", "junit", "docs/examples/003_92d244c9ede656a3.txt"])
    root = ElementTree.fromstring(capsys.readouterr().out.encode("utf-8"))
    assert status == 0
    assert int(root.get("tests")) >= 2 and root.get("failures") == "0"


def test_junit_replaces_characters_xml_cannot_hold():
    output = JunitFormatter().format([make(1, 1, 2, message="坏字符\x01")], RunContext(files=["年报.txt"]))
    assert ElementTree.fromstring(output.encode("utf-8")).find(".//failure").get("message") == "坏字符\ufffd"


# --- JSON and -o --------------------------------------------------------------------------


def test_json_lists_every_documented_field(monkeypatch, capsys):
    monkeypatch.chdir(EXAMPLES.parent.parent)
    cli.main(["check", "--isolated", "--format", "json", "docs/examples/003_92d244c9ede656a3.txt"])
    reported = json.loads(capsys.readouterr().out)
    fields = {"path", "line", "column", "end_line", "end_column", "code", "name", "severity", "message",
              "original", "related", "fingerprint"}
    assert reported and all(set(item) == fields for item in reported)
    assert all(len(item["fingerprint"]) == 32 for item in reported)


# SARIF written with -o is covered by tests/test_sarif.py, where the Multitool validates it.
@pytest.mark.parametrize("name", ["text", "json", "github", "junit"])
def test_output_goes_to_a_file_with_o_for_every_format(name, monkeypatch, capsys, tmp_path):
    monkeypatch.chdir(EXAMPLES.parent.parent)
    arguments = ["check", "--isolated", "--format", name, "docs/examples/000_b67df828cb4a1735.txt"]
    status_stdout = cli.main(arguments)
    printed = capsys.readouterr().out
    target = tmp_path / f"out.{name}"
    status_file = cli.main([*arguments, "-o", str(target)])
    assert capsys.readouterr().out == ""
    assert status_stdout == status_file == 1
    assert target.read_text(encoding="utf-8") == printed


def test_an_unknown_format_is_a_usage_error(capsys):
    assert cli.main(["check", "--isolated", "--format", "yaml", str(CLEAN_2020)]) == 2
    err = capsys.readouterr().err
    assert "未知的输出格式" in err and "sarif" in err and "junit" in err
