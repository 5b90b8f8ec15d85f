"""Cross-report rules XR001–XR003 over body histories, report identity, and the run around them
(--history, configuration, parallel and cached runs)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from body_histories import (
    CARRIED_OVER,
    CARRY_FORWARD,
    NORMATIVE,
    line_of,
    pipe_cell,
    report_2008_pair,
    report_2020_trial_format,
    report_2021_format,
)
from nianbao.document.identity import IdentitySettings, identify, split_region
from nianbao.testing import check_case, load_cases


def nianbao(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "nianbao", *args], cwd=cwd, capture_output=True, text=True, encoding="utf-8"
    )


def findings(*args: str, cwd: Path) -> list[dict]:
    done = nianbao("check", "--no-cache", "--select", "XR001,XR002,XR003", "--format", "json", *args, cwd=cwd)
    assert done.returncode in (0, 1), done.stderr
    return json.loads(done.stdout)


def write(directory: Path, name: str, text: str) -> Path:
    path = directory / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


# --- identity --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("淮安市淮安区商务局", ("淮安市淮安区", "商务局", "county")),
        ("江苏省商务厅", ("江苏省", "商务厅", "province")),
        ("北京市商务局", ("北京市", "商务局", "province")),
        ("沛县人民政府", ("沛县", "人民政府", "county")),
        ("涟水县高沟镇人民政府", ("涟水县高沟镇", "人民政府", "township")),
        ("中共淮安市委宣传部", ("淮安市", "市委宣传部", "city")),
        # placeholders and a bare level: the same body as the other year's "市商务局"
        ("××市商务局", ("", "商务局", "city")),
        ("市商务局", ("", "商务局", "city")),
        # no place at the start: the words that look like units belong to the body
        ("住房和城乡建设局", ("", "住房和城乡建设局", None)),
        ("城市管理局", ("", "城市管理局", None)),
        ("淮安市城市管理局", ("淮安市", "城市管理局", "city")),
        ("国家税务总局淮安市税务局", ("", "国家税务总局淮安市税务局", None)),
    ],
)
def test_a_body_name_splits_into_region_body_and_level(name, expected):
    assert split_region(name) == expected


def test_the_path_pattern_and_the_mapping_file_override_the_report(tmp_path):
    mapping = write(
        tmp_path,
        "bodies.toml",
        '[[report]]\nnames = ["××市商务局"]\nregion = "淮安市"\n\n[[report]]\npaths = ["archive/*"]\nlevel = "county"\n',
    )
    settings = IdentitySettings.create("reports/{region}/{body}/{year}.*", mapping, tmp_path)
    by_path = identify("市商务局", 2020, str(tmp_path / "reports" / "淮安市" / "商务局" / "2021.docx"), settings)
    assert (by_path.region, by_path.body, by_path.year, by_path.body_key) == ("淮安市", "商务局", 2021, "淮安市/商务局")
    assert dict(by_path.sources)["year"] == "path"
    by_name = identify("××市商务局", 2020, str(tmp_path / "x.txt"), settings)
    assert (by_name.region, by_name.body, dict(by_name.sources)["region"]) == ("淮安市", "商务局", "mapping")
    by_glob = identify("淮安市商务局", 2020, str(tmp_path / "archive" / "a.txt"), settings)
    assert (by_glob.level, by_glob.region) == ("county", "淮安市")


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ('[identity]\npath-pattern = "reports/{place}/{year}.txt"\n', "{place} 无法识别"),
        ('[identity]\nmapping = "missing.toml"\n', "missing.toml"),
        ('[identity]\nmapping = "m.toml"\n', "应以字符串数组 names 或 paths"),
    ],
)
def test_a_bad_identity_setting_is_a_configuration_error_naming_it(tmp_path, table, message):
    write(tmp_path, "nianbao.toml", table)
    write(tmp_path, "m.toml", '[[report]]\nbody = "商务局"\n')
    write(tmp_path, "a.txt", report_2021_format(2021))
    write(tmp_path, "b.txt", report_2021_format(2022))
    done = nianbao("check", "--no-cache", "a.txt", "b.txt", cwd=tmp_path)
    assert done.returncode == 2
    assert message in done.stderr and "identity" in done.stderr
    assert "Traceback" not in done.stderr


def test_parse_shows_the_identity_and_where_it_came_from(tmp_path):
    write(tmp_path, "nianbao.toml", '[identity]\npath-pattern = "{region}/{year}.md"\n')
    write(tmp_path, "淮安市/2021.md", report_2021_format(2021))
    done = nianbao("parse", "淮安市/2021.md", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    line = next(line for line in done.stdout.splitlines() if "跨报告身份" in line)
    assert "机关 市场监督管理局" in line and "地区 淮安市" in line and "年度 2021" in line
    assert "地区、年度来自路径模式" in line


# --- XR001 -----------------------------------------------------------------------------------


def test_xr001_reports_the_carried_over_cell_with_the_previous_years_cell_beside_it(tmp_path):
    write(tmp_path, "2021.md", report_2021_format(2021, carry_forward=(2, 0, 0, 0, 0, 0, 2)))
    later = report_2021_format(2022, carried_over=(3, 0, 0, 0, 0, 0, 2))
    write(tmp_path, "2022.md", later)
    found = findings("2021.md", "2022.md", cwd=tmp_path)
    assert [item["code"] for item in found] == ["XR001"]  # 总计 2 = 2 agrees; only 自然人 differs
    item = found[0]
    natural_person = pipe_cell(later, CARRIED_OVER, 1)
    assert (item["path"], item["line"], item["column"]) == ("2022.md", natural_person.line, natural_person.column)
    assert "（自然人）为 3" in item["message"] and "为 2" in item["message"] and "2021 年报告" in item["message"]
    earlier_cell = pipe_cell(report_2021_format(2021, carry_forward=(2, 0, 0, 0, 0, 0, 2)), CARRY_FORWARD, 1)
    (related,) = item["related"]
    assert (related["path"], related["line"], related["column"]) == ("2021.md", earlier_cell.line, earlier_cell.column)


def test_xr001_is_silent_when_the_years_carry_over(tmp_path):
    write(tmp_path, "a.md", report_2021_format(2021, carry_forward=(4, 1, 0, 0, 0, 0, 5)))
    write(tmp_path, "b.md", report_2021_format(2022, carried_over=(4, 1, 0, 0, 0, 0, 5)))
    write(tmp_path, "c.md", report_2021_format(2024, carried_over=(9, 9, 9, 9, 9, 9, 9)))  # no 2023 report
    assert findings("a.md", "b.md", "c.md", cwd=tmp_path) == []


def test_xr001_compares_across_the_trial_and_the_2021_format(tmp_path):
    write(tmp_path, "2020.txt", report_2020_trial_format(carry_forward_natural_person=6))
    # The 2020 example is 市商务局's: the same body, once its placeholder-free name is read.
    write(tmp_path, "2021.md", report_2021_format(2021, carried_over=(1, 0, 0, 0, 0, 0, 1), body="××市商务局"))
    found = findings("2020.txt", "2021.md", cwd=tmp_path)
    assert [(item["code"], item["path"]) for item in found] == [("XR001", "2021.md"), ("XR001", "2021.md")]
    related_lines = {item["related"][0]["line"] for item in found}
    # 自然人 6 ≠ 1, and 总计 0 ≠ 1 (the trial example's 总计 stays 0)
    assert line_of(report_2020_trial_format(6), CARRY_FORWARD) < min(related_lines)


def test_reports_of_different_bodies_are_not_compared(tmp_path):
    write(tmp_path, "a.md", report_2021_format(2021, carry_forward=(2, 0, 0, 0, 0, 0, 2), body="淮安市商务局"))
    write(tmp_path, "b.md", report_2021_format(2022, carried_over=(5, 0, 0, 0, 0, 0, 5), body="淮安市教育局"))
    assert findings("a.md", "b.md", cwd=tmp_path) == []


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    before=st.lists(st.integers(0, 30), min_size=7, max_size=7),
    changed=st.sets(st.integers(0, 6), max_size=7),
)
def test_xr001_fires_exactly_on_the_columns_that_do_not_carry_over(tmp_path_factory, before, changed):
    from nianbao.config.files import ConfigResolver
    from nianbao.corpus.check import corpus_rules, record_request, run_corpus_rules
    from nianbao.corpus.corpus import Corpus
    from nianbao.engine.linter import Linter
    from nianbao.plugins.manager import load_plugins
    from nianbao.read.source import decode_bytes

    after = [value + 1 if column in changed else value for column, value in enumerate(before)]
    linter = Linter(load_plugins(entry_points=False), ConfigResolver(isolated=True))
    rules = [info for info in corpus_rules(linter, ["a.md"]) if info.rule.code == "XR001"]
    request = record_request(rules)
    records = []
    for name, text in (("a.md", report_2021_format(2021, carry_forward=tuple(before))), ("b.md", report_2021_format(2022, carried_over=tuple(after)))):
        records.append(linter.lint_source(decode_bytes(text.encode("utf-8"), name), linter.config_for(name), request).record)
    results = run_corpus_rules(linter, Corpus(records), rules, linter.config_for("b.md"))
    columns = [pipe_cell(report_2021_format(2022, carried_over=tuple(after)), CARRIED_OVER, 1 + column).column for column in sorted(changed)]
    assert [item.location.column for result in results for item in result.diagnostics] == columns


# --- XR002, XR003 ------------------------------------------------------------------------------


def test_xr002_checks_documents_in_force_against_the_previous_year(tmp_path):
    write(tmp_path, "2021.md", report_2021_format(2021, normative=(3, 0, 20)))
    later = report_2021_format(2022, normative=(4, 1, 25))
    write(tmp_path, "2022.md", later)
    write(tmp_path, "ok-2021.md", report_2021_format(2021, normative=(3, 0, 20), body="淮安市教育局"))
    write(tmp_path, "ok-2022.md", report_2021_format(2022, normative=(4, 1, 23), body="淮安市教育局"))
    found = findings("2021.md", "2022.md", "ok-2021.md", "ok-2022.md", cwd=tmp_path)
    assert [(item["code"], item["path"]) for item in found] == [("XR002", "2022.md")]
    item = found[0]
    in_force = pipe_cell(later, NORMATIVE, 2)
    assert (item["line"], item["column"]) == (in_force.line, in_force.column)
    assert "应为 23 件" in item["message"] and "现行有效件数为 25" in item["message"]
    assert [related["path"] for related in item["related"]] == ["2021.md", "2022.md", "2022.md"]


def test_xr003_checks_the_appendix_cumulative_figures(tmp_path):
    earlier, later = report_2008_pair(annual=150, earlier_cumulative=1200, later_cumulative=1300)
    write(tmp_path, "2016.txt", earlier)
    write(tmp_path, "2017.txt", later)
    found = findings("2016.txt", "2017.txt", cwd=tmp_path)
    assert [(item["code"], item["path"]) for item in found] == [("XR003", "2017.txt")]
    assert "应为 1350" in found[0]["message"] and "“主动公开档案数”的历年累计为 1300" in found[0]["message"]
    assert found[0]["line"] == line_of(later, "1300")
    assert [related["path"] for related in found[0]["related"]] == ["2016.txt", "2017.txt"]
    earlier, later = report_2008_pair(annual=150, earlier_cumulative=1200, later_cumulative=1350)
    write(tmp_path, "2016.txt", earlier)
    write(tmp_path, "2017.txt", later)
    assert findings("2016.txt", "2017.txt", cwd=tmp_path) == []


# --- the run ---------------------------------------------------------------------------------


def test_history_reports_are_compared_with_but_not_reported_on(tmp_path):
    write(tmp_path, "archive/2020.md", report_2021_format(2020, carried_over=(7, 7, 7, 7, 7, 7, 7), carry_forward=(2, 0, 0, 0, 0, 0, 2)))
    write(tmp_path, "archive/2019.md", report_2021_format(2019, carry_forward=(0, 0, 0, 0, 0, 0, 0)))
    write(tmp_path, "2021.md", report_2021_format(2021, carried_over=(1, 0, 0, 0, 0, 0, 2)))
    found = findings("2021.md", "--history", "archive", cwd=tmp_path)
    # 2020 ≠ 2019 in the archive is not this run's business; 2021's 自然人 1 ≠ 2020's 2 is.
    assert [(item["path"], item["code"]) for item in found] == [("2021.md", "XR001")]
    assert found[0]["related"][0]["path"] == str(Path("archive") / "2020.md")
    done = nianbao("check", "--no-cache", "--select", "XR001,XR002,XR003", "2021.md", "--history", "archive", cwd=tmp_path)
    assert "检查了 1 个文件" in done.stderr
    write(tmp_path, "nianbao.toml", 'history = ["archive"]\n')
    assert [item["code"] for item in findings("2021.md", cwd=tmp_path)] == ["XR001"]


def test_cross_report_findings_are_the_same_serial_parallel_and_cached(tmp_path):
    write(tmp_path, "a.md", report_2021_format(2021, carry_forward=(2, 0, 0, 0, 0, 0, 2), normative=(1, 0, 5)))
    write(tmp_path, "b.md", report_2021_format(2022, carried_over=(3, 0, 0, 0, 0, 0, 3), normative=(1, 1, 9)))
    serial = findings("--jobs", "1", "a.md", "b.md", cwd=tmp_path)
    assert {item["code"] for item in serial} == {"XR001", "XR002"}
    assert findings("--jobs", "2", "a.md", "b.md", cwd=tmp_path) == serial
    cache = ["--cache-dir", str(tmp_path / "cache")]
    for _ in range(2):  # cold, then every result (and its record) from the cache
        done = nianbao("check", *cache, "--select", "XR001,XR002,XR003", "--format", "json", "a.md", "b.md", cwd=tmp_path)
        assert json.loads(done.stdout) == serial


def test_per_file_ignores_and_severity_apply_to_cross_report_rules(tmp_path):
    write(tmp_path, "a.md", report_2021_format(2021, carry_forward=(2, 0, 0, 0, 0, 0, 2)))
    write(tmp_path, "b.md", report_2021_format(2022, carried_over=(3, 0, 0, 0, 0, 0, 3)))
    write(tmp_path, "nianbao.toml", '[rules.XR001]\nseverity = "error"\n')
    assert {item["severity"] for item in findings("a.md", "b.md", cwd=tmp_path)} == {"error"}
    write(tmp_path, "nianbao.toml", '[per-file-ignores]\n"b.md" = ["XR001"]\n')
    assert findings("a.md", "b.md", cwd=tmp_path) == []


XR_CASES = [case for path in sorted((Path(__file__).parent / "cases" / "xr").glob("*.toml")) for case in load_cases(path)]


@pytest.mark.parametrize("case", XR_CASES, ids=lambda case: f"{case.source.stem}:{case.name}")
def test_case_file(case):
    check_case(case)
