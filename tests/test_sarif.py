"""SARIF output: valid against the official 2.1.0 schema and the SARIF Multitool (GitHub rules
included), with rules, locations, related locations, fingerprints and baseline states right.

Every SARIF log the tests produce is made by the module fixture ``sarif_logs`` through the
real command line, so the schema and the Multitool check all of them.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import shutil
import subprocess
from pathlib import Path
from urllib.parse import quote

import jsonschema
import pytest

from nianbao import cli
from nianbao.config.files import ConfigResolver
from nianbao.engine.linter import Linter
from nianbao.output.formats import RunContext
from nianbao.output.formats.sarif import build_sarif
from nianbao.plugins.hookspecs import hookimpl
from nianbao.plugins.manager import load_plugins
from nianbao.plugins.rule import Finding, Rule, Severity

from tests.documents.make_docx import change_number, write_docx

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
TEMPLATE = ROOT / "docs" / "examples" / "2021-template.md"
EXAMPLES = ROOT / "docs" / "examples"
CLEAN_2020 = EXAMPLES / "003_92d244c9ede656a3.txt"
MULTITOOL_PACKAGE = "@microsoft/sarif-multitool@5.7.0"
MULTITOOL_POLICY = DATA / "sarif-multitool.config.xml"
MULTITOOL_HOME = ROOT / ".cache" / "sarif-multitool"
MULTITOOL_BINARY = MULTITOOL_HOME / "node_modules" / "@microsoft" / "sarif-multitool-linux" / "Sarif.Multitool"

# Seed 003 adds up; carrying 3 requests over from last year (一 29 + 二 3 = 32) while (七)总计 stays
# 29 breaks 一 + 二 = (七)总计 + 四 in the 自然人 column.
CARRIED_OVER_CLEAN = "二、上年结转政府信息公开申请数量 | 0 |"
CARRIED_OVER_FAULT = "二、上年结转政府信息公开申请数量 | 3 |"
TOTAL_ROW = "(七)总计 | 29 |"
APPLICATION_HEADING = "三、收到和处理政府信息公开申请情况"
SPAM_TARGET = "我局政府信息公开主要平台有"
SPAM = "beat365体育亚洲入口_365bet最新备用_bte365、"
SWAPPED_PARAGRAPH = "为加强对政务信息公开及舆论安全管理的组织领导"


class LongParagraph(Rule):
    """段落过长（测试用的插件规则）。

    ## 检查什么
    超过 200 字的段落。

    ## 为什么重要
    测试插件规则在 SARIF 中的位置。

    ## 反例
    一段 400 字的段落。

    ## 正例
    分段书写。
    """

    code = "XMPL001"
    name = "long-paragraph"
    summary = "段落过长"
    severity = Severity.INFO
    tags = ("style",)

    def check(self, document):
        for paragraph in document.paragraphs():
            if len(paragraph.text) > 200:
                yield Finding(paragraph.span, f"段落有 {len(paragraph.text)} 个字", place=f"paragraph:{paragraph.text[:12]}")


class ExamplePlugin:
    @hookimpl
    def nianbao_rules(self):
        return [LongParagraph]


@contextlib.contextmanager
def working_directory(path: Path):
    previous = os.getcwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(previous)


def run_check(arguments: list[str], cwd: Path) -> int:
    with working_directory(cwd), contextlib.redirect_stderr(io.StringIO()), contextlib.redirect_stdout(io.StringIO()):
        return cli.main(["check", "--isolated", *arguments])


def faulty_report() -> str:
    text = CLEAN_2020.read_text(encoding="utf-8")
    assert CARRIED_OVER_CLEAN in text and TOTAL_ROW in text
    return text.replace(CARRIED_OVER_CLEAN, CARRIED_OVER_FAULT)


def edited_report() -> str:
    """The faulty report with gambling spam pasted into a paragraph of section 一 and the two
    paragraphs of its (四) swapped."""
    text = faulty_report()
    assert SPAM_TARGET in text
    lines = text.replace(SPAM_TARGET, SPAM_TARGET + SPAM).split("\n")
    first = next(index for index, line in enumerate(lines) if line.startswith(SWAPPED_PARAGRAPH))
    lines[first], lines[first + 1] = lines[first + 1], lines[first]
    return "\n".join(lines)


def load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def sarif_logs(tmp_path_factory) -> dict[str, Path]:
    """Every SARIF log of this module, by name, made with ``nianbao check --format sarif -o FILE``."""
    out = tmp_path_factory.mktemp("sarif")
    logs: dict[str, Path] = {}

    def produce(name: str, arguments: list[str], cwd: Path, plugin: bool = False) -> None:
        logs[name] = out / f"{name}.sarif"
        with pytest.MonkeyPatch.context() as patch:
            if plugin:
                real = load_plugins
                patch.setattr(
                    "nianbao.plugins.manager.load_plugins",
                    lambda entry_points=True: real(entry_points=False, extra=[("nianbao-example", ExamplePlugin())]),
                )
            status = run_check([*arguments, "--format", "sarif", "-o", str(logs[name])], cwd)
        assert status in (0, 1), f"{name}: exit status {status}"

    # The seeds, from the repository root as CI runs it.
    produce("seeds", ["docs/examples"], ROOT)

    reports = tmp_path_factory.mktemp("reports")
    (reports / "年报.txt").write_text(faulty_report(), encoding="utf-8")
    produce("plugin", ["年报.txt"], reports, plugin=True)

    # A baseline of the faulty report, then one more fault and a moved paragraph: one new result.
    baseline = reports / "baseline.json"
    assert run_check(["年报.txt", "--write-baseline", str(baseline)], reports) == 0
    (reports / "年报.txt").write_text(edited_report(), encoding="utf-8")
    produce("baseline", ["年报.txt", "--baseline", str(baseline)], reports)

    suppressed = reports / "suppressed.md"
    suppressed.write_text(
        faulty_report().replace(APPLICATION_HEADING, APPLICATION_HEADING + "\n<!-- nianbao: disable-next=AR001 -->")
        + "\n<!-- nianbao: disable=AR9999 -->\n",
        encoding="utf-8",
    )
    produce("suppressed", ["suppressed.md"], reports)

    (reports / "二进制.txt").write_bytes(b"\x00\x01\x02binary\x00")
    produce("unreadable", ["二进制.txt"], reports)

    # Documents: a Word report with a changed cell, and the real published PDF.
    documents = tmp_path_factory.mktemp("documents")
    write_docx(TEMPLATE.read_text(encoding="utf-8"), documents / "年报.docx")
    change_number(documents / "年报.docx", "（一）予以公开", 1)
    shutil.copy(DATA / "documents" / "huaian-2024.pdf", documents / "huaian-2024.pdf")
    produce("documents", ["年报.docx", "huaian-2024.pdf"], documents)

    empty = tmp_path_factory.mktemp("empty")
    produce("empty", ["."], empty)
    return logs


@pytest.fixture(scope="module")
def schema_validator():
    schema = json.loads((DATA / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    jsonschema.Draft4Validator.check_schema(schema)
    return jsonschema.Draft4Validator(schema, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER)


LOG_NAMES = ["seeds", "plugin", "baseline", "suppressed", "unreadable", "empty", "documents"]


@pytest.mark.parametrize("name", LOG_NAMES)
def test_every_log_matches_the_official_schema(sarif_logs, schema_validator, name):
    errors = [f"{list(error.absolute_path)}: {error.message}" for error in schema_validator.iter_errors(load(sarif_logs[name]))]
    assert errors == []


def test_the_schema_check_catches_a_broken_log(sarif_logs, schema_validator):
    log = load(sarif_logs["plugin"])
    log["runs"][0]["results"][0]["level"] = "fatal"
    del log["version"]
    assert len(list(schema_validator.iter_errors(log))) == 2


@pytest.fixture(scope="module")
def multitool() -> Path:
    """The SARIF Multitool, installed once into .cache/ (ignored by git) from the npm registry."""
    if not MULTITOOL_BINARY.is_file():
        npm = shutil.which("npm")
        if npm is None:
            pytest.fail("npm is needed to install the SARIF Multitool (deselect with -m 'not slow')")
        MULTITOOL_HOME.mkdir(parents=True, exist_ok=True)
        ignore = ROOT / ".cache" / ".gitignore"
        if not ignore.exists():
            ignore.write_text("*\n", encoding="utf-8")
        subprocess.run(
            [npm, "install", "--no-audit", "--no-fund", "--prefix", str(MULTITOOL_HOME), MULTITOOL_PACKAGE],
            check=True,
            capture_output=True,
            timeout=600,
        )
    # npm may skip the package's install script that makes the binary executable.
    MULTITOOL_BINARY.chmod(MULTITOOL_BINARY.stat().st_mode | 0o100)
    return MULTITOOL_BINARY


def multitool_validate(multitool: Path, logs: list[Path], outcome: Path) -> dict[str, list[dict]]:
    """The Multitool's findings on each of ``logs`` (by file name), GitHub and SARIF rule sets."""
    completed = subprocess.run(
        [str(multitool), "validate", "--rule-kind", "Gh;Sarif", "-c", str(MULTITOOL_POLICY), *map(str, logs),
         "-o", str(outcome), "--log", "ForceOverwrite"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert f"{len(logs)} files scanned" in completed.stdout, completed.stdout
    run = load(outcome)["runs"][0]
    assert run["invocations"][0]["executionSuccessful"] is True
    findings: dict[str, list[dict]] = {log.name: [] for log in logs}
    for item in run["results"]:
        uri = item["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        findings[Path(uri).name].append(item)
    return findings


@pytest.fixture(scope="module")
def multitool_findings(sarif_logs, multitool, tmp_path_factory) -> dict[str, list[dict]]:
    return multitool_validate(multitool, list(sarif_logs.values()), tmp_path_factory.mktemp("multitool") / "out.sarif")


@pytest.mark.slow
@pytest.mark.parametrize("name", LOG_NAMES)
def test_the_multitool_finds_no_errors_with_the_github_rules(sarif_logs, multitool_findings, name):
    errors = [
        f"{item['ruleId']}: {item['message'].get('text') or item['message'].get('arguments')}"
        for item in multitool_findings[sarif_logs[name].name]
        if item.get("level") == "error"
    ]
    assert errors == []


@pytest.mark.slow
def test_the_multitool_does_report_an_error_in_a_broken_log(sarif_logs, multitool, tmp_path):
    broken = load(sarif_logs["plugin"])
    result = next(item for item in broken["runs"][0]["results"] if item["ruleId"] == "AR001")
    result["locations"][0]["physicalLocation"]["region"]["startLine"] = 60
    result["locations"][0]["physicalLocation"]["region"]["endLine"] = 50
    path = tmp_path / "broken.sarif"
    path.write_text(json.dumps(broken), encoding="utf-8")
    findings = multitool_validate(multitool, [path], tmp_path / "validation.sarif")
    errors = [item["ruleId"] for item in findings[path.name] if item.get("level") == "error"]
    assert errors == ["SARIF1007"]  # RegionPropertiesMustBeConsistent


# --- what the log says -------------------------------------------------------------------


def builtin_rules():
    return load_plugins(entry_points=False).rules


def test_the_driver_describes_every_builtin_rule_from_its_doc(sarif_logs):
    driver = load(sarif_logs["seeds"])["runs"][0]["tool"]["driver"]
    assert driver["name"] == "nianbao"
    assert driver["version"] == cli.__version__
    assert driver["informationUri"].startswith("https://")
    descriptors = {item["id"]: item for item in driver["rules"]}
    expected_levels = {"error": "error", "warning": "warning", "info": "note"}
    for info in builtin_rules():
        rule = info.rule
        descriptor = descriptors[rule.code]
        assert descriptor["name"] == rule.name
        assert descriptor["shortDescription"]["text"] == rule.summary
        assert rule.doc().splitlines()[0] in descriptor["fullDescription"]["text"]
        assert descriptor["help"]["markdown"] == rule.doc()
        assert "## " not in descriptor["help"]["text"] and "```" not in descriptor["help"]["text"]
        assert descriptor["helpUri"].endswith(f"/docs/rules/{rule.code}.md")
        assert descriptor["defaultConfiguration"]["level"] == expected_levels[rule.severity.value]
        assert set(rule.tags) <= set(descriptor["properties"]["tags"])


def test_plugin_rules_are_described_by_an_extension_and_referenced_through_it(sarif_logs):
    run = load(sarif_logs["plugin"])["runs"][0]
    assert "XMPL001" not in {item["id"] for item in run["tool"]["driver"]["rules"]}
    (extension,) = run["tool"]["extensions"]
    assert extension["name"] == "nianbao-example"
    assert [item["id"] for item in extension["rules"]] == ["XMPL001"]
    assert "helpUri" not in extension["rules"][0]
    results = [item for item in run["results"] if item["ruleId"] == "XMPL001"]
    assert results, "seed 003's section 五 is a paragraph of 233 characters"
    for result in results:
        assert result["rule"] == {"id": "XMPL001", "index": 0, "toolComponent": {"index": 0}}
        assert result["ruleIndex"] == 0
        assert result["level"] == "note"
    for result in run["results"]:
        if result["ruleId"] != "XMPL001":
            assert run["tool"]["driver"]["rules"][result["ruleIndex"]]["id"] == result["ruleId"]


def region_text(lines: list[str], region: dict) -> str:
    assert region["startLine"] == region["endLine"]
    return lines[region["startLine"] - 1][region["startColumn"] - 1 : region["endColumn"] - 1]


def test_an_arithmetic_fault_is_located_at_its_cells(sarif_logs):
    run = load(sarif_logs["plugin"])["runs"][0]
    assert run["columnKind"] == "unicodeCodePoints"
    root_uri = run["originalUriBaseIds"]["%SRCROOT%"]["uri"]
    assert root_uri.startswith("file:///") and root_uri.endswith("/")
    lines = faulty_report().split("\n")
    total_line = next(number for number, line in enumerate(lines, 1) if line.startswith(TOTAL_ROW))
    carried_line = next(number for number, line in enumerate(lines, 1) if line.startswith(CARRIED_OVER_FAULT))
    (result,) = [item for item in run["results"] if item["ruleId"] == "AR001"]
    assert result["level"] == "error"
    assert "≠" in result["message"]["text"]
    location = result["locations"][0]["physicalLocation"]
    # 年报.txt, percent-encoded as UTF-8 (年 E5 B9 B4, 报 E6 8A A5).
    assert location["artifactLocation"]["uri"] == "%E5%B9%B4%E6%8A%A5.txt"
    assert location["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
    assert run["artifacts"][location["artifactLocation"]["index"]]["location"]["uri"] == "%E5%B9%B4%E6%8A%A5.txt"
    # Whichever term the rule blames, the regions (code-point columns, end exclusive) cover
    # exactly the numbers of the equation: 29 (一), 3 (二), 29 ((七)总计), 0 (四).
    regions = [location["region"], *(item["physicalLocation"]["region"] for item in result["relatedLocations"])]
    assert {region_text(lines, region) for region in regions} == {"29", "3", "0"}
    assert {carried_line, total_line} <= {region["startLine"] for region in regions}
    carried = next(region for region in regions if region["startLine"] == carried_line)
    assert carried["startColumn"] == lines[carried_line - 1].index("| 3 |") + 3
    assert all(item["message"]["text"] for item in result["relatedLocations"])


def test_standard_output_carries_the_same_log_as_the_file(sarif_logs, monkeypatch, capsys):
    monkeypatch.chdir(ROOT)
    assert cli.main(["check", "--isolated", "--format", "sarif", "docs/examples"]) == 1
    assert json.loads(capsys.readouterr().out) == load(sarif_logs["seeds"])


def test_seed_paths_are_relative_to_the_repository_root(sarif_logs):
    run = load(sarif_logs["seeds"])["runs"][0]
    uris = {item["location"]["uri"] for item in run["artifacts"]}
    assert uris == {f"docs/examples/{path.name}" for path in EXAMPLES.iterdir() if path.suffix in (".txt", ".md")}
    assert all(item["location"]["uriBaseId"] == "%SRCROOT%" for item in run["artifacts"])


def test_baseline_states_mark_the_one_new_fault(sarif_logs):
    results = load(sarif_logs["baseline"])["runs"][0]["results"]
    states = [(item["ruleId"], item["baselineState"]) for item in results]
    assert [code for code, state in states if state == "new"] == ["SR001"]
    assert ("AR001", "unchanged") in states
    assert {state for _, state in states} == {"new", "unchanged"}


def test_suppressed_findings_are_recorded_as_suppressed_in_source(sarif_logs):
    results = load(sarif_logs["suppressed"])["runs"][0]["results"]
    (arithmetic,) = [item for item in results if item["ruleId"] == "AR001"]
    assert arithmetic["suppressions"] == [{"kind": "inSource"}]
    unknown = [item for item in results if item["ruleId"] == "PS004"]
    assert len(unknown) == 1 and "AR9999" in unknown[0]["message"]["text"]
    assert "suppressions" not in unknown[0]


def test_an_unreadable_file_is_a_result_at_its_first_line(sarif_logs):
    run = load(sarif_logs["unreadable"])["runs"][0]
    (result,) = run["results"]
    assert result["ruleId"] == "PS001"
    assert result["locations"][0]["physicalLocation"]["region"]["startLine"] == 1


def test_an_empty_run_is_still_a_complete_log(sarif_logs):
    log = load(sarif_logs["empty"])
    assert log["version"] == "2.1.0"
    assert log["runs"][0]["results"] == []
    assert log["runs"][0]["tool"]["driver"]["rules"]


# --- fingerprints ------------------------------------------------------------------------


def fingerprints(text: str, tmp_path: Path, name: str = "report.txt") -> dict[str, list[str]]:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    plugins = load_plugins(entry_points=False)
    linter = Linter(plugins, ConfigResolver(isolated=True, cwd=tmp_path))
    result = linter.lint_path(str(path))
    log = build_sarif(result.diagnostics, RunContext(rules=plugins.rules, files=[str(path)], root=str(tmp_path)))
    found: dict[str, list[str]] = {}
    for item in log["runs"][0]["results"]:
        found.setdefault(item["ruleId"], []).append(item["partialFingerprints"]["nianbao/v1"])
    return found


def test_fingerprints_survive_moved_lines_but_not_changed_text(tmp_path):
    original = faulty_report()
    before = fingerprints(original, tmp_path)
    # Move the paragraph of section 五 above section 一's first paragraph: every line number after shifts.
    lines = original.split("\n")
    problems = next(index for index, line in enumerate(lines) if line.startswith("2020年,我局政府信息公开工作虽有成效"))
    moved = lines.pop(problems)
    lines.insert(2, moved)
    after_move = fingerprints("\n".join(lines), tmp_path)
    assert after_move["AR001"] == before["AR001"]
    changed = fingerprints(original.replace(TOTAL_ROW, "(七)总计 | 28 |"), tmp_path)
    assert changed["AR001"] != before["AR001"]
    assert changed.get("ST001") == before.get("ST001")


def test_a_finding_in_a_word_report_carries_its_cell_as_a_logical_location(sarif_logs):
    run = load(sarif_logs["documents"])["runs"][0]
    (result,) = [item for item in run["results"] if item["ruleId"] == "AR002"]
    location = result["locations"][0]
    assert location["physicalLocation"]["artifactLocation"]["uri"] == quote("年报.docx")
    assert location["logicalLocations"] == [{"name": "表5 第5行第3列", "kind": "element"}]
    assert location["properties"]["nianbao/original"] == {"table": 5, "row": 5, "column": 3}
    assert result["message"]["text"].endswith(" 〔表5 第5行第3列〕")
    artifacts = {item["location"]["uri"]: item["mimeType"] for item in run["artifacts"]}
    assert artifacts == {
        quote("年报.docx"): "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "huaian-2024.pdf": "application/pdf",
    }
