"""Profiles: the schema, deadlines, rule settings under the user's, and choosing one per report."""

from __future__ import annotations

import datetime
from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nianbao.cli import main
from nianbao.config.files import DEFAULT_CONFIG, ConfigError
from nianbao.config.profiles import apply_profile
from nianbao.config.selection import RuleRef
from nianbao.document.facts import ReportFacts, era_of_year
from nianbao.document.profile_choice import UnknownProfileError, choose_profile
from nianbao.plugins.hookspecs import hookimpl
from nianbao.plugins.manager import load_plugins, validated_profile
from nianbao.plugins.rule import Finding, Option, Rule, Severity
from nianbao.testing import lint_text
from nianbao.text.location import Span
from nianbao.variants.bodies import kind_of_body
from nianbao.variants.profile import NATIONAL, Profile, ProfileError, load_profile, profile_from_mapping
from nianbao.variants.resolver import VariantResolver

REPORT = """示例市商务局2020年政府信息公开工作年度报告
根据《中华人民共和国政府信息公开条例》编制本报告。
一、总体情况
2020年，我局主动公开政府信息213条。

示例市商务局
2021年1月20日
"""


def facts(body: str, year: int | None) -> ReportFacts:
    return ReportFacts(year=year, era=era_of_year(year), body=body, body_kind=kind_of_body(body))


# --- the national profile: formats.md §1 ------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "year", "deadline"),
    [
        # 2008–2018: 3月31日 of the next year, every body, 乡镇 included.
        ("某市商务局", 2015, datetime.date(2016, 3, 31)),
        ("某市人民政府", 2018, datetime.date(2019, 3, 31)),
        ("某某镇人民政府", 2012, datetime.date(2013, 3, 31)),
        # 2019 on: 县级以上人民政府部门 1月31日, 县级以上地方人民政府 3月31日.
        ("某市商务局", 2020, datetime.date(2021, 1, 31)),
        ("某县人民政府办公室", 2021, datetime.date(2022, 1, 31)),
        ("某县人民政府", 2019, datetime.date(2020, 3, 31)),
    ],
)
def test_national_deadlines(body, year, deadline):
    found = VariantResolver().deadline(facts(body, year))
    assert (found.date, found.source) == (deadline, "national")


def test_national_profile_sets_no_deadline_for_townships_from_2019_or_for_unknown_years():
    assert VariantResolver().deadline(facts("某某镇人民政府", 2020)).date is None
    assert VariantResolver().deadline(facts("某市商务局", None)).date is None


@settings(max_examples=60, deadline=None)
@given(
    year=st.integers(min_value=2008, max_value=2040),
    body=st.sampled_from(["某市商务局", "某县人民政府", "某某街道办事处", "某镇人民政府", "某研究中心", "某某"]),
)
def test_a_deadline_always_falls_in_the_year_after_the_report_year(year, body):
    found = VariantResolver().deadline(facts(body, year))
    assert found.date is None or found.date.year == year + 1


# --- a local profile's deadlines --------------------------------------------------------------

CITY = profile_from_mapping(
    {
        "name": "city",
        "description": "某市",
        "places": ["某市"],
        "years": [2021],
        "deadlines": {"department@某市": "01-28", "grassroots": "02-20", "government": "02-20"},
    }
)


@pytest.mark.parametrize(
    ("body", "year", "deadline", "source"),
    [
        ("某市商务局", 2021, datetime.date(2022, 1, 28), "profile"),  # the place narrows the key
        ("某县商务局", 2021, datetime.date(2022, 1, 31), "national"),  # no local key fits
        ("某镇人民政府", 2022, datetime.date(2023, 2, 20), "profile"),  # the national profile has none
        ("某县人民政府", 2021, datetime.date(2022, 2, 20), "profile"),
        ("某镇人民政府", 2020, None, ""),  # before the profile's years: national rules
        ("某市商务局", 2020, datetime.date(2021, 1, 31), "national"),
    ],
)
def test_local_deadlines_layer_over_the_national_ones(body, year, deadline, source):
    found = VariantResolver(CITY).deadline(facts(body, year))
    assert (found.date, found.source) == (deadline, source)
    if source == "profile":
        assert found.reason.startswith("配置档 city（某市）规定")


def test_a_local_key_for_any_body_wins_over_a_national_key_for_the_category():
    # Layers are asked in turn, not merged: the profile's "*" decides before the national "department".
    anywhere = Profile("anywhere", "某地", deadlines={"*": "02-28"})
    assert VariantResolver(anywhere).deadline(facts("某市商务局", 2021)).date == datetime.date(2022, 2, 28)


def test_profile_month_days_are_read_like_the_dt004_option():
    profile = profile_from_mapping({"name": "x", "deadlines": {"department": "1-28", "grassroots": " 02-20 "}})
    assert profile.deadlines == {"department": "01-28", "grassroots": "02-20"}


# --- the schema ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": "Bad Name"}, "name 应为"),
        ({"name": "auto"}, "不能是 auto"),
        ({"name": "x", "place": ["某市"]}, "未知的键 place"),
        ({"name": "x", "years": [2020, 2019]}, "早于起始年度"),
        ({"name": "x", "deadlines": {"county": "01-31"}}, "deadlines 的键 'county' 无效"),
        ({"name": "x", "deadlines": {"department": "1月31日"}}, "应写成 MM-DD"),
        ({"name": "x", "deadlines": {"department": "02-30"}}, "不是有效的月日"),
        ({"name": "x", "expected_rows": [{"key": "k", "label": "l", "pattern": "(", "tables": ["x"]}]}, "正则表达式"),
        ({"name": "x", "expected_rows": [{"key": "k", "label": "l", "pattern": "p"}]}, "tables 至少"),
        ({"name": "x", "rules": {"AR001": {"severity": "fatal"}}}, "severity 应为"),
    ],
)
def test_malformed_profiles_are_refused_with_a_message_naming_them(data, message):
    with pytest.raises(ProfileError, match=message) as error:
        profile_from_mapping(data, origin="某插件/profile.toml")
    assert "某插件/profile.toml" in str(error.value)


def test_a_profile_file_that_is_not_toml_is_refused_with_the_line_and_column(tmp_path):
    path = tmp_path / "profile.toml"
    path.write_text('name = "city"\nplaces = ["某市" "某县"]\n', "utf-8")
    with pytest.raises(ProfileError) as error:
        load_profile(path, "某插件/profile.toml")
    # The same explanation as for a configuration file: the comma is missing at line 2, column 16.
    assert str(error.value) == "配置档文件 某插件/profile.toml：第 2 行第 16 列有 TOML 语法错误：数组没有用 ] 结束"
    with pytest.raises(ProfileError, match="^配置档文件 某插件/missing.toml：找不到配置档文件$"):
        load_profile(tmp_path / "missing.toml", "某插件/missing.toml")


# --- rule settings: the profile's first, the user's over them ---------------------------------


class Counting(Rule):
    """测试用规则：报告中每个“公开”。

    ## 检查什么
    每个“公开”。
    ## 为什么重要
    测试。
    ## 反例
    公开
    ## 正例
    无
    """

    code = "PF001"
    name = "counting"
    summary = "测试"
    severity = Severity.INFO
    options = (Option("word", str, "公开", "要找的词"),)

    def check(self, document):
        start = document.text.find(self.config["word"])
        while start >= 0:
            yield Finding(Span(start, start + len(self.config["word"])), "找到了", place=f"at:{start}")
            start = document.text.find(self.config["word"], start + 1)


class ProfilePlugin:
    """A plugin with one rule and two profiles, registered without installing anything."""

    @hookimpl
    def nianbao_rules(self):
        return [Counting]

    @hookimpl
    def nianbao_profiles(self):
        return [
            profile_from_mapping(
                {
                    "name": "loud",
                    "places": ["示例市"],
                    "rules": {"PF001": {"severity": "error", "word": "我局"}, "NO999": {"severity": "off"}},
                    "lexicons": {"spam": {"brands": ["示例娱乐城"]}},
                }
            ),
            profile_from_mapping({"name": "broken", "rules": {"counting": {"colour": "red"}}}),
        ]


@pytest.fixture(scope="module")
def plugins():
    return load_plugins(entry_points=False, extra=[("profile-test", ProfilePlugin())])


def test_profile_rule_settings_apply(plugins):
    result = lint_text(REPORT, profile="loud", select=["PF"], plugins=plugins)
    assert [(item.code, item.severity.value) for item in result.diagnostics] == [("PF001", "error")]
    assert result.document.profile.name == "loud"


def test_user_settings_win_over_the_profile(plugins):
    result = lint_text(REPORT, profile="loud", select=["PF"], rules={"counting": {"severity": "warning"}}, plugins=plugins)
    # The user's severity wins; the profile's option (word = 我局) still applies.
    assert [(item.code, item.severity.value, item.snippet) for item in result.diagnostics] == [
        ("PF001", "warning", "我局")
    ]


def test_apply_profile_merges_per_rule_and_drops_rules_that_are_not_loaded():
    refs = [RuleRef("PF001", "counting")]
    profile = Profile("p", "p", rules={"PF001": {"severity": "error", "word": "我局"}, "NO999": {"severity": "off"}})
    config = replace(DEFAULT_CONFIG, rules={"counting": {"word": "本局"}})
    merged = apply_profile(config, profile, refs)
    assert merged.rules == {"counting": {"severity": "error", "word": "本局"}}
    assert apply_profile(DEFAULT_CONFIG, profile, refs).rules == {"PF001": {"severity": "error", "word": "我局"}}


def test_a_profile_setting_the_rule_refuses_is_dropped_with_a_message(plugins):
    assert plugins.profiles["broken"].rules == {}
    assert any("broken" in problem.message and "colour" in problem.message for problem in plugins.problems)
    fixed, problems = validated_profile(Profile("ok", "ok", rules={"PF001": {"word": "x"}}), plugins.rules)
    assert problems == [] and fixed.rules == {"PF001": {"word": "x"}}


def test_profile_lexicon_entries_reach_the_document(plugins):
    document = lint_text(REPORT, profile="loud", select=["PF"], plugins=plugins).document
    assert "示例娱乐城" in document.lexicon("spam").terms("brands")
    national = lint_text(REPORT, select=["PF"], plugins=plugins).document
    assert "示例娱乐城" not in national.lexicon("spam").terms("brands")


# --- choosing the profile ------------------------------------------------------------------------


def test_default_configuration_uses_the_national_profile(plugins):
    choice = choose_profile("national", None, plugins.profiles)
    assert choice.profile is NATIONAL and choice.how == "default"


def test_an_unknown_profile_name_is_a_configuration_error_with_a_suggestion(plugins, tmp_path):
    with pytest.raises(UnknownProfileError, match="未知的配置档 'lod'.*是否想写 'loud'"):
        choose_profile("lod", tmp_path / "nianbao.toml", plugins.profiles)
    # The engine reports it against the configuration's profile key.
    with pytest.raises(ConfigError, match="未知的配置档 'lod'.*是否想写 'loud'") as error:
        lint_text(REPORT, profile="lod", plugins=plugins)
    assert error.value.key == "profile"


def test_auto_infers_from_the_issuing_body_and_says_why(plugins):
    result = lint_text(REPORT, profile="auto", select=["PF"], plugins=plugins)
    assert result.profile.profile.name == "loud"
    assert result.profile.how == "auto"
    assert "发布机关“示例市商务局”中的地名“示例市”" in result.profile.reason


def test_auto_prefers_the_longest_place_and_skips_ambiguous_or_out_of_years_ones():
    province = Profile("province", "某省", places=("某省",))
    city = Profile("city", "某省某市", places=("某省某市",))
    twin = Profile("twin", "另一个某省某市", places=("某省某市",))
    old = Profile("old", "旧", places=("某省某市",), years=(2008, 2018))
    body = facts("某省某市商务局", 2020)
    assert choose_profile("auto", None, {"province": province, "city": city}, body).profile.name == "city"
    ambiguous = choose_profile("auto", None, {"city": city, "twin": twin}, body)
    assert ambiguous.profile is NATIONAL and "同时对应配置档 city、twin" in ambiguous.reason
    out_of_years = choose_profile("auto", None, {"old": old}, body)
    assert out_of_years.profile is NATIONAL and "只适用于2008–2018年度报告" in out_of_years.reason


def test_check_verbose_says_which_profile_applied_and_why(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "nianbao.toml").write_text('profile = "auto"\n', "utf-8")
    (tmp_path / "report.txt").write_text(REPORT, "utf-8")
    main(["check", "-v", "--no-plugins", "report.txt"])
    err = capsys.readouterr().err
    assert "report.txt：配置档 national（profile = \"auto\"" in err


def test_unknown_profile_on_the_command_line_exits_2(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "report.txt").write_text(REPORT, "utf-8")
    assert main(["check", "--no-plugins", "--profile", "nowhere", "report.txt"]) == 2
    assert "未知的配置档 'nowhere'（--profile）" in capsys.readouterr().err


def test_unknown_profile_in_configuration_exits_2_naming_the_file(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "nianbao.toml").write_text('profile = "nowhere"\n', "utf-8")
    (tmp_path / "report.txt").write_text(REPORT, "utf-8")
    assert main(["check", "--no-plugins", "report.txt"]) == 2
    err = capsys.readouterr().err
    assert "nianbao.toml" in err and "未知的配置档 'nowhere'" in err
