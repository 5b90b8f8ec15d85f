"""The fujian profile is chosen for Fujian bodies' pre-2019 reports only."""

from __future__ import annotations

from pathlib import Path

import pytest
from nianbao.testing import lint_text, plugin_set

REPORTS = Path(__file__).parent / "reports"


@pytest.fixture(scope="module")
def plugins():
    return plugin_set(("nianbao-fujian",))


def test_auto_picks_fujian_for_the_seed_report_written_in_traditional_characters(plugins):
    # The title reads 福建省商務廳: the body's name is matched after normalisation to Simplified.
    text = (REPORTS / "fujian-commerce-2017.txt").read_text("utf-8")
    choice = lint_text(text, profile="auto", select=["FJ"], plugins=plugins).profile
    assert choice.profile.name == "fujian"
    assert "福建省商务厅" in choice.reason


def test_auto_prefers_the_longest_place_name(plugins):
    text = (REPORTS / "chengxiang-2016.txt").read_text("utf-8")
    choice = lint_text(text, profile="auto", select=["FJ"], plugins=plugins).profile
    assert choice.profile.name == "fujian"
    assert "“莆田”" in choice.reason


def test_auto_keeps_the_national_profile_from_2019_on(plugins):
    text = (REPORTS / "chengxiang-2016.txt").read_text("utf-8").replace("2016年", "2019年")
    choice = lint_text(text, profile="auto", select=["FJ"], plugins=plugins).profile
    assert choice.profile.name == "national"
