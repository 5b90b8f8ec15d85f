"""When the wuwei profile applies on its own: place names and report years."""

from __future__ import annotations

from pathlib import Path

import pytest
from nianbao.testing import lint_text, plugin_set

REPORT = (Path(__file__).parent / "reports" / "liangzhou-2025.txt").read_text("utf-8")


@pytest.fixture(scope="module")
def plugins():
    return plugin_set(("nianbao-wuwei",))


def test_auto_picks_wuwei_for_a_2025_report_of_a_wuwei_body(plugins):
    choice = lint_text(REPORT, profile="auto", select=["WW"], plugins=plugins).profile
    assert choice.profile.name == "wuwei"
    assert "凉州区" in choice.reason


def test_auto_keeps_the_national_profile_for_earlier_years(plugins):
    earlier = REPORT.replace("2025年", "2023年").replace("2026年", "2024年")
    choice = lint_text(earlier, profile="auto", select=["WW"], plugins=plugins).profile
    assert choice.profile.name == "national"
    assert "2025年度及以后" in choice.reason


def test_profile_sets_the_rule_options(plugins):
    profile = plugins.profiles["wuwei"]
    assert profile.rules["WW001"] == {"max_chars": 1000}
    assert profile.rules["WW002"]["platforms"] == ["政府网站", "政务新媒体", "政府公报", "公示栏"]
