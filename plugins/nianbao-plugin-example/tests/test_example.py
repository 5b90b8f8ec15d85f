"""Tests that need more than a case file use the nianbao_lint fixture (nianbao.testing.lint_text)."""

from __future__ import annotations

from nianbao.testing import plugin_set

REPORT = """示例市商务局2020年政府信息公开工作年度报告
一、总体情况
全年主动公开政府信息213条，详见附件。
"""


def test_auto_picks_the_example_profile_by_place_name(nianbao_lint):
    result = nianbao_lint(REPORT, profile="auto", select=["EX"], plugins=plugin_set(("nianbao-plugin-example",)))
    assert result.profile.profile.name == "example-city"
    assert [(item.code, item.severity.value) for item in result.diagnostics] == [("EX001", "error")]
