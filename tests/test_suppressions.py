"""Suppression comments: ranges, next block, whole file; malformed and unused ones (PS004)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from nianbao.config.files import ConfigResolver
from nianbao.engine.linter import Linter
from nianbao.plugins.manager import load_plugins

EXAMPLES = Path(__file__).resolve().parent.parent / "docs" / "examples"
CLEAN_2020 = EXAMPLES / "003_92d244c9ede656a3.txt"
# Seed 003 adds up; 3 requests carried over while (七)总计 stays 29 is an AR001 fault in table 三.
CARRIED_OVER_CLEAN = "二、上年结转政府信息公开申请数量 | 0 |"
CARRIED_OVER_FAULT = "二、上年结转政府信息公开申请数量 | 3 |"
APPLICATION_HEADING = "三、收到和处理政府信息公开申请情况"
REVIEW_HEADING = "四、政府信息公开行政复议、行政诉讼情况"
LAST_PARAGRAPH = "无。"


@pytest.fixture(scope="module")
def plugins():
    return load_plugins(entry_points=False)


@pytest.fixture
def lint(plugins, tmp_path):
    def run(text: str, name: str = "report.md", config: str | None = None):
        if config is not None:
            (tmp_path / "nianbao.toml").write_text(config, encoding="utf-8")
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        resolver = ConfigResolver(isolated=config is None, cwd=tmp_path)
        return Linter(plugins, resolver).lint_path(str(path))

    return run


def faulty() -> str:
    text = CLEAN_2020.read_text(encoding="utf-8")
    assert CARRIED_OVER_CLEAN in text
    return text.replace(CARRIED_OVER_CLEAN, CARRIED_OVER_FAULT)


def insert_after(text: str, anchor: str, comment: str) -> str:
    """Put ``comment`` on its own line after the line that starts with ``anchor``."""
    lines = text.split("\n")
    index = next(number for number, line in enumerate(lines) if line.startswith(anchor))
    lines.insert(index + 1, comment)
    return "\n".join(lines)


def insert_before(text: str, anchor: str, comment: str) -> str:
    lines = text.split("\n")
    index = next(number for number, line in enumerate(lines) if line.startswith(anchor))
    lines.insert(index, comment)
    return "\n".join(lines)


def line_of(text: str, fragment: str) -> int:
    return next(number for number, line in enumerate(text.split("\n"), 1) if fragment in line)


def codes(result) -> list[str]:
    return [item.code for item in result.diagnostics]


def suppression_problems(result) -> list[tuple[int, int, str]]:
    return [(item.line, item.column, item.message) for item in result.diagnostics if item.code == "PS004"]


def test_the_fault_is_reported_without_a_comment(lint):
    assert "AR001" in codes(lint(faulty()))


def test_disable_next_before_a_table_silences_that_table_only(lint):
    text = insert_after(faulty(), APPLICATION_HEADING, "<!-- nianbao: disable-next=AR001 -->")
    result = lint(text)
    assert "AR001" not in codes(result)
    assert [item.code for item in result.suppressed] == ["AR001"]
    assert suppression_problems(result) == []


def test_disable_next_before_another_block_does_not_reach_the_table_and_is_unused(lint):
    text = insert_before(faulty(), APPLICATION_HEADING, "<!-- nianbao: disable-next=AR001 -->")
    result = lint(text)
    assert "AR001" in codes(result)  # the next block is the heading, not the table under it
    comment_line = line_of(text, "disable-next=AR001")
    assert suppression_problems(result) == [
        (comment_line, 1, "抑制注释 disable-next=AR001 没有抑制任何问题，可以删除")
    ]


def test_a_disable_enable_range_covers_the_lines_between(lint):
    text = insert_after(faulty(), APPLICATION_HEADING, "<!-- nianbao: disable=AR001 -->")
    text = insert_before(text, REVIEW_HEADING, "<!-- nianbao: enable=AR001 -->")
    result = lint(text)
    assert "AR001" not in codes(result)
    assert suppression_problems(result) == []


def test_a_range_that_ends_before_the_fault_does_not_cover_it(lint):
    text = insert_before(faulty(), APPLICATION_HEADING, "<!-- nianbao: disable=AR001 -->")
    text = insert_before(text, APPLICATION_HEADING, "<!-- nianbao: enable=AR001 -->")
    result = lint(text)
    assert "AR001" in codes(result)
    assert [message for _, _, message in suppression_problems(result)] == [
        "抑制注释 disable=AR001 没有抑制任何问题，可以删除"
    ]


def test_a_disable_without_enable_runs_to_the_end_of_the_file(lint):
    text = insert_after(faulty(), APPLICATION_HEADING, "<!-- nianbao: disable=AR -->")
    assert "AR001" not in codes(lint(text))


@pytest.mark.parametrize("selector", ["AR001", "AR", "application-balance", "ALL"])
def test_disable_file_accepts_codes_prefixes_names_and_all(lint, selector):
    text = faulty() + f"\n<!-- nianbao: disable-file={selector} -->\n"
    result = lint(text)
    assert "AR001" not in codes(result)
    assert "AR001" in [item.code for item in result.suppressed]


def test_full_width_punctuation_typed_with_a_chinese_input_method_is_accepted(lint):
    text = faulty() + "\n<!-- nianbao：disable-file＝AR001，ST001 -->\n"
    result = lint(text)
    assert "AR001" not in codes(result) and "ST001" not in codes(result)
    assert suppression_problems(result) == []


def test_an_unrelated_rule_is_not_silenced(lint):
    text = faulty() + "\n<!-- nianbao: disable-file=ST001 -->\n"
    result = lint(text)
    assert "AR001" in codes(result)
    assert "ST001" not in codes(result)


MALFORMED = [
    ("<!-- nianbao disable=AR001 -->", "抑制注释格式有误：应写作 <!-- nianbao: disable=规则代码 -->"),
    ("<!-- nianbao: disabled=AR001 -->", "未知的抑制指令 disabled（是否想写 disable？）；可用 disable、enable、disable-next、disable-file"),
    ("<!-- nianbao: disable-file=ar001 -->", "抑制注释中有未知的规则 ar001（是否想写 AR001？）"),
    ("<!-- nianbao: disable-file=application-balanse -->", "抑制注释中有未知的规则 application-balanse（是否想写 application-balance？）"),
    ("<!-- nianbao: disable-file -->", "抑制注释没有写明规则：disable-file=规则代码，例如 disable-file=AR001"),
    ("<!-- nianbao: disable-file= -->", "抑制注释没有写明规则：disable-file=规则代码，例如 disable-file=AR001"),
    ("<!-- nianbao: disable-file=AR001", "抑制注释没有在同一行内以 --> 结束"),
    ("<!-- nianbao: enable=AR001 -->", "enable=AR001 之前没有对应的 disable 注释"),
    ("<!-- nianbao: disable-next=AR001 -->", "disable-next 之后没有可以抑制的内容：请把注释放在要抑制的段落或表格前"),
]


@pytest.mark.parametrize("comment, message", MALFORMED, ids=[message[:12] for _, message in MALFORMED])
def test_a_malformed_comment_is_reported_where_it_is(lint, comment, message):
    # Placed at the end of the last paragraph, after some text, so the column is checked too.
    text = CLEAN_2020.read_text(encoding="utf-8").rstrip("\n")
    assert text.endswith(LAST_PARAGRAPH)
    text = f"{text} {comment}\n"
    result = lint(text)
    last_line = text.count("\n")
    assert suppression_problems(result) == [(last_line, len(LAST_PARAGRAPH) + 2, message)]


def test_a_malformed_comment_does_not_suppress_anything(lint):
    result = lint(faulty() + "\n<!-- nianbao: disabled=AR001 -->\n")
    assert "AR001" in codes(result)


def test_a_comment_naming_a_rule_that_did_not_run_is_not_called_unused(lint):
    text = CLEAN_2020.read_text(encoding="utf-8") + "\n<!-- nianbao: disable-file=AR001,AR005 -->\n"
    # AR005 is for 2008–2018 reports (seed 003 is 2020); AR001 is switched off by configuration.
    result = lint(text, config='ignore = ["AR001"]\n')
    assert suppression_problems(result) == []


def test_an_unused_selector_is_reported_on_its_own(lint):
    text = faulty() + "\n<!-- nianbao: disable-file=AR001,SR001 -->\n"
    result = lint(text)
    assert [message for _, _, message in suppression_problems(result)] == [
        "抑制注释 disable-file=SR001 没有抑制任何问题，可以删除"
    ]


def test_ps004_can_itself_be_silenced(lint):
    text = faulty() + "\n<!-- nianbao: disabled=AR001 -->\n<!-- nianbao: disable-file=PS004 -->\n"
    result = lint(text)
    assert suppression_problems(result) == []
    assert "PS004" in [item.code for item in result.suppressed]


def test_ps004_follows_the_configuration(lint):
    text = faulty() + "\n<!-- nianbao: disabled=AR001 -->\n"
    result = lint(text, config='ignore = ["PS004"]\n')
    assert suppression_problems(result) == []


# --- comments do not upset the other rules -----------------------------------------------

SECTION_HEADING = re.compile(r"\s*[一二三四五六七八九十]{1,2}、")
TABLE_ROW_WORDS = re.compile("申请数量|办理结果|结转下年度")


@pytest.mark.parametrize("seed", sorted(EXAMPLES.glob("*.txt")), ids=lambda path: path.name[:3])
def test_comment_lines_between_sections_leave_every_other_finding_unchanged(lint, seed):
    text = seed.read_text(encoding="utf-8")
    lines = text.split("\n")
    headings = [
        index for index, line in enumerate(lines) if SECTION_HEADING.match(line) and not TABLE_ROW_WORDS.search(line)
    ]
    assert len(headings) >= 3
    for offset in (0, 1):  # before each section heading, and between it and what follows
        commented = list(lines)
        for index in reversed(headings):
            commented.insert(index + offset, "<!-- nianbao: disable=ZZ -->")
        before = sorted((item.code, item.message) for item in lint(text, "a.txt").diagnostics)
        after = lint("\n".join(commented), "b.txt")
        assert sorted((item.code, item.message) for item in after.diagnostics if item.code != "PS004") == before
        assert {message for _, _, message in suppression_problems(after)} == {"抑制注释中有未知的规则 ZZ"}


# --- [[suppress]] in the configuration: for files that cannot carry a comment -----------------


def test_a_configured_fingerprint_silences_that_finding_only(lint, tmp_path):
    """A DOCX or PDF has no comment lines: ``[[suppress]]`` names a finding by the fingerprint the
    JSON output shows. Shown here on a text report, where the fault is known exactly."""
    from nianbao.engine.fingerprint import finding_key

    text = faulty()
    before = lint(text, config="")
    faults = [item for item in before.diagnostics if item.code == "AR001"]
    fault_line = text[: text.index(CARRIED_OVER_FAULT)].count("\n") + 1
    assert faults and all(item.line == fault_line for item in faults)
    silenced = faults[0]
    config = (
        "[[suppress]]\n"
        'path = "report.md"\n'
        f'fingerprint = "{finding_key(silenced)}"\n'
        'reason = "结转数据经核实：上年台账漏记，另行说明"\n'
    )
    after = lint(text, config=config)
    assert [item.code for item in after.suppressed] == ["AR001"]
    assert after.suppressed[0].suppressed_by_config == "结转数据经核实：上年台账漏记，另行说明"
    assert [(item.code, item.message) for item in after.diagnostics] == [
        (item.code, item.message) for item in before.diagnostics if item is not silenced
    ]
    # The same entry for another file silences nothing here.
    other = lint(text, config=config.replace('"report.md"', '"other.docx"'))
    assert [item.code for item in other.suppressed] == []


@pytest.mark.parametrize(
    ("entry", "complaint"),
    [
        ('suppress = "x"', "应为表数组"),
        ('[[suppress]]\npath = "a.docx"', "fingerprint 应为非空字符串"),
        ('[[suppress]]\npath = "a.docx"\nfingerprint = "xyz"', "不是 32 位十六进制"),
        ('[[suppress]]\npath = "a.docx"\nfingerprint = "' + "a" * 32 + '"\nline = 3', "未知的键 'line'"),
    ],
)
def test_a_malformed_suppress_entry_is_a_configuration_error(entry, complaint, tmp_path):
    from nianbao.config.files import ConfigError, load_config

    path = tmp_path / "nianbao.toml"
    path.write_text(entry + "\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=complaint):
        load_config(path)
