"""The table-shape rules TB001–TB009 and the row reading behind them (nianbao.tables.reading.row_values).

Most expectations live in case files under ``cases/tb/`` (the format of ``nianbao.testing``):
each ``[[case]]`` is a report, inline or a seed from ``docs/examples`` with ``replace`` edits,
linted by the real engine; the diagnostics of the selected codes must be exactly the expected
ones. Lines and columns there were worked out from the case text by hand.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from nianbao.config.files import ConfigResolver
from nianbao.engine.linter import Linter
from nianbao.plugins.hookspecs import hookimpl
from nianbao.plugins.manager import load_plugins
from nianbao.variants.profile import profile_from_mapping
from nianbao.rules.table_shape.tb003_blank_cell import BlankCell
from nianbao.rules.table_shape.tb005_label_mismatch import LabelMismatch, _differences
from nianbao.rules.table_shape.tb007_suspect_unit import SuspectUnit
from nianbao.testing import compare, lint_text, load_cases

HERE = Path(__file__).resolve().parent
EXAMPLES = HERE.parent / "docs" / "examples"
PLUGINS = load_plugins(entry_points=False)
ISOLATED = Linter(PLUGINS, ConfigResolver(isolated=True))


def lint_case(case):
    """A case through the real engine: default configuration unless the case sets rules or a profile."""
    if case.rules or case.profile != "national":
        return lint_text(case.text, profile=case.profile, rules=case.rules, plugins=PLUGINS, path="case.md")
    return ISOLATED.lint_bytes(case.text.encode("utf-8"), "case.md")


def check(case, default_select: tuple[str, ...]) -> None:
    result = lint_case(case)
    assert result.crashed_rules == [], [d.message for d in result.diagnostics if d.code == "PS900"]
    select = case.select or default_select
    chosen = [item for item in result.diagnostics if item.code.startswith(tuple(select))]
    missing, unexpected = compare(case.expect, chosen)
    shown = "\n".join(f"  {d.location.line}:{d.location.column} {d.code} {d.message}" for d in chosen)
    assert not missing and not unexpected, f"{case.name}: missing {missing}, unexpected:\n{shown}"


TB_CASES = [case for path in sorted((HERE / "cases" / "tb").glob("*.toml")) for case in load_cases(path)]


@pytest.mark.parametrize("case", TB_CASES, ids=lambda case: f"{case.source.stem}:{case.name}")
def test_case_file(case) -> None:
    check(case, ("TB",))


def test_every_tb_rule_has_passing_and_failing_cases() -> None:
    for code in [f"TB00{number}" for number in range(1, 10)]:
        cases = [case for case in TB_CASES if case.select and code in case.select]
        assert any(not case.expect for case in cases), f"{code}: no passing case"
        assert any(expected.code == code for case in cases for expected in case.expect), f"{code}: no failing case"


def lint(text: str):
    return ISOLATED.lint_bytes(text.encode("utf-8"), "case.md")


def table_codes(result) -> list[tuple[str, int, int]]:
    return [(d.code, d.location.line, d.location.column) for d in result.diagnostics if d.code[:2] in ("TB", "AR")]


# --- one fault, one diagnostic -------------------------------------------------------------------


def test_text_in_a_value_cell_is_reported_once() -> None:
    """"若干" in a value cell: TB002 only, not also a short row (TB001) or an unknown row (TB008)."""
    result = lint(
        "某某市商务局2020年政府信息公开工作年度报告\n"
        "二、主动公开政府信息情况\n"
        "| 第二十条第（六）项 | | | |\n"
        "|---|---|---|---|\n"
        "| 信息内容 | 上一年项目数量 | 本年增/减 | 处理决定数量 |\n"
        "| 行政处罚 | 若干 | +2 | 3 |\n"
        "| 行政强制 | 1 | +2 | 3 |\n"
    )
    assert table_codes(result) == [("TB002", 6, 10)]


def test_blank_cell_is_tb003_and_the_arithmetic_skips_its_relations() -> None:
    text = (EXAMPLES / "003_92d244c9ede656a3.txt").read_text("utf-8")
    seed_total = "(七)总计 | 29 | 2 | 0 | 0 | 0 | 0 | 31 | ||"
    assert seed_total in text
    blanked = text.replace(seed_total, "(七)总计 |  | 2 | 0 | 0 | 0 | 0 | 31 | ||")
    # Only the blank is reported: the balance, applicant and outcome sums that need it are skipped
    # (TB006 and AR008 concern section 二 of this seed and are reported as before).
    assert table_codes(lint(blanked)) == [("TB006", 18, 16), ("AR008", 18, 23), ("TB003", 55, 8)]


# --- profiles declare extra rows -----------------------------------------------------------------


class _ReleaseTotalProfile:
    """A local profile that expects seed 001's 发布总数量 line (as the Jilin plugin does)."""

    @hookimpl
    def nianbao_profiles(self):
        return [
            profile_from_mapping(
                {
                    "name": "release-total",
                    "description": "测试：第二十条各表之后填报发布总数量",
                    "expected_rows": [
                        {
                            "key": "published_total",
                            "label": "政府信息公开发布总数量",
                            "pattern": "政府信息公开发布总数量",
                            "tables": ["2019.active", "2021.active"],
                        }
                    ],
                }
            )
        ]


def test_a_profile_can_declare_the_extra_line_expected() -> None:
    plugins = load_plugins(entry_points=False, extra=[("release-total", _ReleaseTotalProfile())])
    assert plugins.problems == []
    text = (EXAMPLES / "001_9e37d6351cd66a1a.txt").read_text("utf-8")
    national = lint_text(text, plugins=plugins, path="case.md")
    assert [(d.code, d.location.line, d.location.column) for d in national.diagnostics if d.code == "TB008"] == [
        ("TB008", 80, 2)
    ]
    local = lint_text(text, profile="release-total", plugins=plugins, path="case.md")
    assert [d for d in local.diagnostics if d.code == "TB008"] == []
    # The profile only covers the line it declares: another stray line is still reported.
    edited = text.replace("\t21738元\n", "\t21738元\n\n\t合计\n\t5\n")
    local = lint_text(edited, profile="release-total", plugins=plugins, path="case.md")
    assert [(d.code, d.location.line, d.location.column) for d in local.diagnostics if d.code == "TB008"] == [
        ("TB008", 80, 2)
    ]


# --- label differences and options ------------------------------------------------------------------


@pytest.mark.parametrize(
    "written, canonical, differences",
    [
        (
            "（二）部分公开（区分处理的，只计这一情况，不计其他情形）",
            "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
            ["“一情况不计”应为“一情形不计”"],
        ),
        ("5.属于三类内容事务信息", "5.属于三类内部事务信息", ["“类内容事务”应为“类内部事务”"]),
        ("1.本机关不掌握政府信息", "1.本机关不掌握相关政府信息", ["“掌握政府”应为“掌握相关政府”"]),
        ("2.重复的申请", "2.重复申请", ["“重复的申请”应为“重复申请”"]),
        ("", "3.其他", ["缺少“3其他”"]),
    ],
)
def test_label_differences_are_shown_with_context(written, canonical, differences) -> None:
    assert _differences(written, canonical) == differences


@pytest.mark.parametrize(
    "rule, options, complaint",
    [
        (BlankCell, {"dashes": "yes"}, "bool"),
        (LabelMismatch, {"max_differences": 0}, "正整数"),
        (SuspectUnit, {"max_amount_10k": -1}, "正数"),
        (SuspectUnit, {"max_amount": 5}, "没有选项"),
    ],
)
def test_invalid_options_are_refused_in_chinese(rule, options, complaint) -> None:
    with pytest.raises(ValueError, match=complaint):
        rule(options)


def test_options_are_documented() -> None:
    for rule in (BlankCell, LabelMismatch, SuspectUnit):
        for option in rule.options:
            assert option.description
            assert f"`{option.name}`" in rule.doc(), (rule.code, option.name)
