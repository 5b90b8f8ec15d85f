"""The structure rules ST002–ST010 and the section matching behind them (nianbao.rules.structure.sections).

Most expectations live in case files under ``cases/st/``: each ``[[case]]`` is a report (inline
``text``, or a ``file`` relative to the case file with optional ``replace`` edits) linted by the
real engine, and the diagnostics of the selected codes must be exactly the expected ones.
Line and column numbers there were worked out from the case text by hand.

The property tests build whole reports of each era from the canonical headings, minimal bodies
and official tables, and check that a complete report gives no ST diagnostic and that removing
any one section gives exactly one ST003, at the heading of the section that follows.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nianbao.config.files import ConfigResolver
from nianbao.engine.linter import Linter
from nianbao.plugins.manager import load_plugins
from nianbao.plugins.rule import Severity
from nianbao.rules.structure.st003_missing_section import MissingSection
from nianbao.rules.structure.st008_empty_section import EmptySection
from nianbao.rules.structure.sections import (
    fold_heading,
    match_sections,
    parse_count,
    report_sections,
    scheme_for_era,
    structure_data,
)

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib

CASES = Path(__file__).resolve().parent / "cases" / "st"
EXPECT_KEYS = ("code", "line", "column", "end_line", "end_column", "severity", "message")

PLUGINS = load_plugins(entry_points=False)
ISOLATED = Linter(PLUGINS, ConfigResolver(isolated=True))


def lint(text: str, linter: Linter = ISOLATED):
    return linter.lint_bytes(text.encode("utf-8"), "case.md")


def structure_diagnostics(result, prefixes=("ST",)):
    return [item for item in result.diagnostics if item.code.startswith(tuple(prefixes))]


# --- case files ------------------------------------------------------------------------------------


@dataclass
class Case:
    source: Path
    name: str
    text: str
    select: tuple[str, ...]
    rules: dict
    expect: list[dict]


def load_case_file(path: Path) -> list[Case]:
    data = tomllib.loads(path.read_text("utf-8"))
    cases = []
    for entry in data["case"]:
        if "text" in entry:
            text = entry["text"]
        else:
            text = (path.parent / entry["file"]).read_text("utf-8")
        for old, new in entry.get("replace", []):
            assert old in text, f"{path.name}: {entry['name']}: “{old}” not in the report"
            text = text.replace(old, new)
        for expected in entry["expect"]:
            assert set(expected) <= set(EXPECT_KEYS), expected
        cases.append(
            Case(
                source=path,
                name=entry["name"],
                text=text,
                select=tuple(entry.get("select", data.get("select", ["ST"]))),
                rules=entry.get("rules", data.get("rules", {})),
                expect=list(entry["expect"]),
            )
        )
    return cases


ALL_CASES = [case for path in sorted(CASES.glob("*.toml")) for case in load_case_file(path)]


def config_file(directory: Path, rules: dict) -> Path:
    """A nianbao.toml with ``[rules.CODE]`` tables (values are strings, lists of strings, bools)."""
    lines = []
    for code, settings_ in rules.items():
        lines.append(f"[rules.{code}]")
        lines.extend(f"{key} = {json.dumps(value, ensure_ascii=False)}" for key, value in settings_.items())
    path = directory / "nianbao.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def matches(expected: dict, diagnostic) -> bool:
    location = diagnostic.location
    actual = {
        "code": diagnostic.code,
        "line": location.line,
        "column": location.column,
        "end_line": location.end_line,
        "end_column": location.end_column,
        "severity": diagnostic.severity.value,
    }
    if any(actual[key] != value for key, value in expected.items() if key != "message"):
        return False
    return expected.get("message", "") in diagnostic.message


def show(diagnostic) -> str:
    location = diagnostic.location
    return (
        f"{location.line}:{location.column}-{location.end_line}:{location.end_column} "
        f"{diagnostic.code} [{diagnostic.severity.value}] {diagnostic.message}"
    )


@pytest.mark.parametrize("case", ALL_CASES, ids=[f"{case.source.stem}:{case.name}" for case in ALL_CASES])
def test_case(case: Case, tmp_path: Path):
    linter = ISOLATED
    if case.rules:
        linter = Linter(PLUGINS, ConfigResolver(explicit=config_file(tmp_path, case.rules)))
    result = lint(case.text, linter)
    assert not [item for item in result.diagnostics if item.code == "PS900"], [show(d) for d in result.diagnostics]
    remaining = structure_diagnostics(result, case.select)
    missing = []
    for expected in case.expect:
        found = next((diagnostic for diagnostic in remaining if matches(expected, diagnostic)), None)
        if found is None:
            missing.append(expected)
        else:
            remaining.remove(found)
    assert not missing and not remaining, (
        f"missing: {missing}\nunexpected: {[show(d) for d in remaining]}\n"
        f"all: {[show(d) for d in structure_diagnostics(result, case.select)]}"
    )


def test_every_rule_has_a_case_file_with_passing_and_failing_cases():
    for code in range(2, 11):
        rule = f"ST{code:03d}"
        cases = [case for case in ALL_CASES if case.source.name.startswith(rule.lower())]
        assert any(not case.expect for case in cases), rule
        assert any(any(item["code"] == rule for item in case.expect) for case in cases), rule


# --- section matching ------------------------------------------------------------------------------


def test_headings_fold_to_the_same_key_in_any_writing():
    canonical = fold_heading("主动公开政府信息情况")
    for written in (
        "二、主动公开政府信息情况",
        "## 二、主动公开政府信息情况",
        "二. 主动公开政府信息的情况",
        "(二)主动公开政府信息情况",
        "第二部分 主动公开政府信息情况",
        "主动公开政府信息情况：",
    ):
        assert fold_heading(written) == canonical, written


def test_the_format_and_the_2008_items_are_six_each():
    format_scheme, items = scheme_for_era("2021"), scheme_for_era("2008")
    assert scheme_for_era("2019") is format_scheme
    assert [section.numbered for section in format_scheme.sections] == [
        "一、总体情况",
        "二、主动公开政府信息情况",
        "三、收到和处理政府信息公开申请情况",
        "四、政府信息公开行政复议、行政诉讼情况",
        "五、存在的主要问题及改进情况",
        "六、其他需要报告的事项",
    ]
    assert [section.key for section in items.sections] == [
        "active", "application", "fees", "review", "problems", "other"
    ]
    assert scheme_for_era(None) is None


@pytest.mark.parametrize(
    "title, key, how",
    [
        ("行政机关收到和处理政府信息公开申请情况", "application", "variant"),
        ("因政府信息公开工作被申请行政复议、提起行政诉讼情况", "review", "variant"),
        ("依申请公开政府信息办理情况", "application", "keywords"),
        ("因政府信息公开申请行政复议、提起行政诉讼的情况", "review", "keywords"),
        ("概述", "overview", "keywords"),
    ],
)
def test_format_sections_accept_variants_and_meaning(title, key, how):
    scheme = scheme_for_era("2021")
    found = {section.key: section.match(title) for section in scheme.sections}
    assert found[key] == how
    # A review heading mentions 申请 but is not about applications.
    if key == "review":
        assert found["application"] is None


def test_2008_items_are_matched_by_meaning():
    scheme = scheme_for_era("2008")
    fees = scheme.get("fees")
    assert fees.match("政府信息公开的收费及减免情况") == "heading"
    assert fees.match("收取费用情况") == "keywords"
    assert fees.match("依申请公开情况") is None
    assert scheme.get("other").match("需要说明的其他事项与附表") == "keywords"


def test_match_sections_on_seed_004_finds_five_items_and_places_the_missing_one():
    path = Path(__file__).resolve().parent.parent / "docs" / "examples" / "004_843d7a1260357fac.txt"
    result = ISOLATED.lint_path(str(path))
    match = match_sections(result.document)
    assert [section.key for section in match.missing()] == ["fees"]
    review = match.hits["review"]
    assert result.document.text_at(review.heading_span) == "四、因政府信息公开申请行政复议、提起行政诉讼的情况"
    assert match.expected_span("fees") == review.heading_span


def test_report_sections_is_the_match_for_the_report_era_made_once_per_document():
    path = Path(__file__).resolve().parent.parent / "docs" / "examples" / "004_843d7a1260357fac.txt"
    document = ISOLATED.lint_path(str(path)).document
    shared = report_sections(document)
    assert report_sections(document) is shared  # ST003–ST006 read one match
    assert shared.scheme is scheme_for_era(document.era)
    assert [section.key for section in shared.missing()] == ["fees"]
    numbered = [ref.title for ref in shared.headings if ref.level == 1]
    assert numbered == [section.title for section in document.report.sections]


def test_headings_without_ordinal_extend_to_the_next_heading():
    text = "\n".join(
        [
            "某某市商务局2021年政府信息公开工作年度报告",
            "总体情况",
            "2021年，我局认真贯彻落实政府信息公开条例。",
            "主动公开政府信息情况",
            "主动公开情况见下表。",
            "收到和处理政府信息公开申请情况",
            "本年度收到申请3件。",
        ]
    )
    document = lint(text).document
    match = match_sections(document)
    assert set(match.hits) == {"overview", "active", "application"}
    active = match.hits["active"]
    assert document.text_at(active.extent) == "主动公开政府信息情况\n主动公开情况见下表。\n"


def test_parse_count():
    assert [parse_count(text) for text in ("八", "两", "十二", "6", "")] == [8, 2, 12, 6, None]


def test_data_file_patterns_compile_and_name_the_superseded_notice():
    data = structure_data()
    assert data.title_suffix == "政府信息公开工作年度报告"
    assert data.notices[0].pattern.search("国办公开办函〔2019〕60号")
    assert data.notices[0].superseded_in == frozenset({"2021"})


# --- options -----------------------------------------------------------------------------------


def test_options_are_validated():
    assert EmptySection.resolve_options({})["empty_bodies"] == ["无"]
    with pytest.raises(ValueError, match="empty_bodies"):
        EmptySection.resolve_options({"empty_bodies": ["无", ""]})
    with pytest.raises(ValueError, match="empty_bodies"):
        EmptySection.resolve_options({"empty_bodies": "无"})
    with pytest.raises(ValueError, match="extra_sections"):
        MissingSection.resolve_options({"extra_sections": [3]})
    with pytest.raises(ValueError, match="没有选项"):
        MissingSection.resolve_options({"extra": []})


# --- generated reports -----------------------------------------------------------------------------

ZEROS = " | ".join(["0"] * 7) + " |"
APPLICATION_HEAD = [
    "(本列数据的勾稽关系为:第一项加第二项之和,等于第三项加第四项之和) | 申请人情况 | |||||||",
    "自然人 | 法人或其他组织 | | | | | 总计 |",
    "商业企业 | 科研机构 | 社会公益组织 | 法律服务机构 | 其他 |",
]
APPLICATION_ROWS = [
    "一、本年新收政府信息公开申请数量", "二、上年结转政府信息公开申请数量", "三、本年度办理结果 | (一)予以公开",
    "(二)部分公开(区分处理的,只计这一情形,不计其他情形)", "(三)不予公开 | 1.属于国家秘密", "2.其他法律行政法规禁止公开",
    "3.危及“三安全一稳定”", "4.保护第三方合法权益", "5.属于三类内部事务信息", "6.属于四类过程性信息",
    "7.属于行政执法案卷", "8.属于行政查询事项", "(四)无法提供 | 1.本机关不掌握相关政府信息",
    "2.没有现成信息需要另行制作", "3.补正后申请内容仍不明确", "(五)不予处理 | 1.信访举报投诉类申请", "2.重复申请",
    "3.要求提供公开出版物", "4.无正当理由大量反复申请", "5.要求行政机关确认或重新出具已获取信息",
]
OTHER_PROCESSING = {
    "2019": ["(六)其他处理"],
    "2021": [
        "(六)其他处理 | 1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
        "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
        "3.其他",
    ],
}
APPLICATION_END = ["(七)总计", "四、结转下年度继续办理"]
REVIEW = [
    "行政复议 | 行政诉讼 | |||||||||||||",
    "结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计 | 未经复议直接起诉 | 复议后起诉 | ||||||||",
    "结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计 | 结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计 |",
    " | ".join(["0"] * 15) + " |",
]
ACTIVE = {
    "2019": [
        "第二十条第(一)项 | |||", "信息内容 | 本年新制作数量 | 本年新公开数量 | 对外公开总数量 |",
        "规章 | 0 | 0 | 0 |", "规范性文件 | 1 | 1 | 3 |",
        "第二十条第(五)项 | |||", "信息内容 | 上一年项目数量 | 本年增/减 | 处理决定数量 |",
        "行政许可 | 5 | 0 | 5 |", "其他对外管理服务事项 | 0 | 0 | 0 |",
        "第二十条第(六)项 | |||", "信息内容 | 上一年项目数量 | 本年增/减 | 处理决定数量 |",
        "行政处罚 | 2 | 0 | 2 |", "行政强制 | 0 | 0 | 0 |",
        "第二十条第(八)项 | |||", "信息内容 | 上一年项目数量 | 本年增/减 |", "行政事业性收费 | 0 | 0 |",
        "第二十条第(九)项 | |||", "信息内容 | 采购项目数量 | 采购总金额 |", "政府集中采购 | 0 | 0 |",
    ],
    "2021": [
        "第二十条第(一)项 | |||", "信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |",
        "规章 | 0 | 0 | 0 |", "行政规范性文件 | 1 | 0 | 3 |",
        "第二十条第(五)项 | |||", "信息内容 | 本年处理决定数量 |", "行政许可 | 5 |",
        "第二十条第(六)项 | |||", "信息内容 | 本年处理决定数量 |", "行政处罚 | 2 |", "行政强制 | 0 |",
        "第二十条第(八)项 | |||", "信息内容 | 本年收费金额(单位:万元) |", "行政事业性收费 | 0 |",
    ],
}


def application_table(era: str) -> list[str]:
    rows = APPLICATION_ROWS + OTHER_PROCESSING[era] + APPLICATION_END
    return APPLICATION_HEAD + [f"{label} | {ZEROS}" for label in rows]


NUMERALS = "一二三四五六七八九十"
# Headings as formats.md gives them (canonical wording first, then wordings seen in real reports).
FORMAT_HEADINGS = [
    ["总体情况"],
    ["主动公开政府信息情况", "主动公开政府信息的情况", "行政机关主动公开政府信息情况"],
    ["收到和处理政府信息公开申请情况", "行政机关收到和处理政府信息公开申请情况"],
    [
        "政府信息公开行政复议、行政诉讼情况",
        "因政府信息公开工作被申请行政复议、提起行政诉讼情况",
        "政府信息公开行政复议行政诉讼情况",
    ],
    ["存在的主要问题及改进情况", "政府信息公开工作存在的主要问题及改进情况"],
    ["其他需要报告的事项"],
]
# 条例（2008）第三十二条: the six items, each with a wording by meaning seen in real reports.
ITEM_HEADINGS = [
    ["主动公开政府信息的情况", "主动公开政府信息情况"],
    ["依申请公开政府信息和不予公开政府信息的情况", "政府信息依申请公开办理情况"],
    ["政府信息公开的收费及减免情况", "收费及减免情况"],
    ["因政府信息公开申请行政复议、提起行政诉讼的情况", "行政复议和行政诉讼情况"],
    ["政府信息公开工作存在的主要问题及改进情况", "存在的主要问题及改进措施"],
    ["其他需要报告的事项", "需要说明的其他事项"],
]
ITEM_BODIES = [
    "本年度主动公开政府信息20条。",
    "本年度受理申请3件，均已办结。",
    "本年度未收取任何费用。",
    "本年度未发生行政复议、行政诉讼。",
    "工作人员业务水平有待提高。",
    "无。",
]


@dataclass
class Generated:
    text: str
    year: int
    heading_lines: list[int]
    """1-based line of each section's heading, in order."""
    last_line: str
    last_line_number: int


def section_bodies(era: str, year: int) -> list[list[str]]:
    if era == "2008":
        return [[body] for body in ITEM_BODIES]
    return [
        [f"{year}年，我局认真贯彻落实政府信息公开条例。"],
        ACTIVE[era],
        application_table(era),
        REVIEW,
        ["工作人员业务水平有待提高。"],
        ["无。"],
    ]


def build_report(era: str, year: int, wordings: list[int], keep: list[int], style: str) -> Generated:
    """A report of ``era`` with the sections ``keep`` (indexes 0–5), numbered in order."""
    headings = ITEM_HEADINGS if era == "2008" else FORMAT_HEADINGS
    bodies = section_bodies(era, year)
    lines = [f"某某市商务局{year}年政府信息公开工作年度报告"]
    heading_lines = []
    for number, index in enumerate(keep):
        options = headings[index]
        title = options[wordings[index] % len(options)]
        ordinal = f"{NUMERALS[number]}、"
        if style == "full-width":
            heading = f"{NUMERALS[number]}．{title}"  # U+FF0E, normalised to "."
        elif style == "markdown":
            heading = f"## {ordinal}{title}"
        elif style == "unnumbered":
            heading = title
        else:
            heading = f"{ordinal}{title}"
        lines.append(heading)
        heading_lines.append(len(lines))
        lines.extend(bodies[index])
    last_line, last_line_number = lines[-1], len(lines)
    lines.extend(["某某市商务局", f"{year + 1}年1月20日"])
    return Generated("\n".join(lines) + "\n", year, heading_lines, last_line, last_line_number)


ERAS_AND_YEARS = st.one_of(
    st.tuples(st.just("2008"), st.integers(2008, 2018)),
    st.tuples(st.just("2019"), st.sampled_from([2019, 2020])),
    st.tuples(st.just("2021"), st.integers(2021, 2024)),
)
WORDINGS = st.lists(st.integers(0, 2), min_size=6, max_size=6)
STYLES = st.sampled_from(["numbered", "full-width", "markdown", "unnumbered"])
PROPERTY_SETTINGS = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def style_applies(era: str, style: str, wordings: list[int]) -> bool:
    # Without an ordinal only the exact wordings are headings in the 2019/2021 format; a 2008
    # heading by meaning needs no ordinal either, as long as it ends like a heading.
    return not (style == "unnumbered" and era != "2008" and any(wordings))


@PROPERTY_SETTINGS
@given(ERAS_AND_YEARS, WORDINGS, STYLES)
def test_a_complete_generated_report_has_no_structure_diagnostic(era_and_year, wordings, style):
    era, year = era_and_year
    if not style_applies(era, style, wordings):
        wordings = [0] * 6
    report = build_report(era, year, wordings, list(range(6)), style)
    result = lint(report.text)
    assert result.document.era == era
    assert [show(d) for d in structure_diagnostics(result)] == []


@PROPERTY_SETTINGS
@given(ERAS_AND_YEARS, WORDINGS, STYLES, st.integers(0, 5))
def test_removing_one_section_gives_one_missing_section_where_it_belongs(era_and_year, wordings, style, removed):
    era, year = era_and_year
    if not style_applies(era, style, wordings):
        wordings = [0] * 6
    keep = [index for index in range(6) if index != removed]
    report = build_report(era, year, wordings, keep, style)
    result = lint(report.text)
    found = structure_diagnostics(result)
    assert [d.code for d in found] == ["ST003"], [show(d) for d in found]
    location = found[0].location
    if removed < 5:
        # At the heading of the section that now takes its place.
        assert (location.line, location.column) == (report.heading_lines[removed], 1)
    else:
        # At the end of the last section's text.
        assert (location.line, location.column) == (report.last_line_number, len(report.last_line) + 1)
    expected = Severity.WARNING if year == 2019 else Severity.ERROR
    assert found[0].severity is expected
    canonical = (ITEM_HEADINGS if era == "2008" else FORMAT_HEADINGS)[removed][0]
    assert canonical in found[0].message


def test_generated_reports_recognise_their_tables():
    """The property tests rely on the tables being the official ones of their era."""
    for era, year in (("2019", 2020), ("2021", 2022)):
        document = lint(build_report(era, year, [0] * 6, list(range(6)), "numbered").text).document
        assert document.tables and all(era in table.eras for table in document.tables)
        assert document.unrecognized_tables == []


# --- ST007 on whole reports ---------------------------------------------------------------------


def full_report(era: str, year: int) -> str:
    return build_report(era, year, [0] * 6, list(range(6)), "numbered").text


def test_2019_style_other_processing_row_in_a_2021_report():
    text = full_report("2021", 2022)
    text = text.replace("\n".join(application_table("2021")), "\n".join(application_table("2019")))
    lines = text.split("\n")
    row_line = next(number for number, line in enumerate(lines, 1) if line.startswith("(六)其他处理"))
    found = structure_diagnostics(lint(text), ["ST007"])
    assert [(d.code, d.location.line, d.location.column) for d in found] == [("ST007", row_line, 1)]
    assert "应分为“1.申请人无正当理由逾期不补正" in found[0].message


def test_2021_application_table_in_a_2020_report():
    text = full_report("2019", 2020)
    text = text.replace("\n".join(application_table("2019")), "\n".join(application_table("2021")))
    lines = text.split("\n")
    row_line = next(number for number, line in enumerate(lines, 1) if line.startswith("(六)其他处理"))
    found = structure_diagnostics(lint(text), ["ST007"])
    # "(六)其他处理 | " is 10 characters: the first 2021-only row label starts at column 11.
    assert [(d.location.line, d.location.column) for d in found] == [(row_line, 11)]
    assert "“（六）其他处理”" in found[0].message


def test_2019_active_tables_in_a_2022_report():
    text = full_report("2021", 2022).replace("\n".join(ACTIVE["2021"]), "\n".join(ACTIVE["2019"]))
    lines = text.split("\n")
    found = structure_diagnostics(lint(text), ["ST007"])
    # One finding per 2019 block (（一）（五）（六）（八）（九）), at its first 2019-only label: the
    # first value column of the header, or the caption of the （九） block that 2021 dropped.
    headers = [number for number, line in enumerate(lines, 1) if line.startswith("信息内容")]
    expected = [(number, 8) for number in headers[:4]]
    expected.append((lines.index("第二十条第(九)项 | |||") + 1, 1))
    assert sorted((d.location.line, d.location.column) for d in found) == sorted(expected)
    assert all(d.severity is Severity.ERROR for d in found)
