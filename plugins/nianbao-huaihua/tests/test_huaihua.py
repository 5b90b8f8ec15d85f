"""The huaihua profile's deadlines by body type, and its choice under profile = "auto"."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from nianbao.testing import lint_text, plugin_set

REPORT = (Path(__file__).parent / "reports" / "chengnan-2021.txt").read_text("utf-8")


@pytest.fixture(scope="module")
def plugins():
    return plugin_set(("nianbao-huaihua",))


def document_for(text, plugins, profile="huaihua"):
    return lint_text(text, profile=profile, select=["HH"], plugins=plugins).document


@pytest.mark.parametrize(
    ("body", "deadline"),
    [
        ("怀化市鹤城区城南街道办事处", datetime.date(2022, 2, 20)),  # 乡镇（街道）
        ("沅陵县人民政府", datetime.date(2022, 2, 20)),  # 县市区
        ("怀化市教育局", datetime.date(2022, 1, 28)),  # 市直单位
        ("沅陵县教育局", datetime.date(2022, 1, 31)),  # a county department keeps the statutory date
        ("怀化市人民政府", datetime.date(2022, 3, 31)),  # the city government's own report too
    ],
)
def test_deadline_by_body_type(plugins, body, deadline):
    text = REPORT.replace("怀化市鹤城区城南街道办事处", body)
    document = document_for(text, plugins)
    assert document.facts.body == body
    assert document.variants.deadline(document.facts).date == deadline


def test_national_profile_has_no_deadline_for_a_subdistrict(plugins):
    document = document_for(REPORT, plugins, profile="national")
    assert document.variants.deadline(document.facts).date is None


def test_before_2021_the_national_deadlines_apply(plugins):
    text = REPORT.replace("2021年", "2020年").replace("怀化市鹤城区城南街道办事处", "怀化市教育局")
    document = document_for(text, plugins)
    deadline = document.variants.deadline(document.facts)
    assert (deadline.date, deadline.source) == (datetime.date(2021, 1, 31), "national")


def test_auto_picks_huaihua_from_the_body_name(plugins):
    result = lint_text(REPORT, profile="auto", select=["HH"], plugins=plugins)
    assert result.profile.profile.name == "huaihua"
    assert "鹤城区" in result.profile.reason
