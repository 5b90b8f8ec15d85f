"""Plugin loading problems are explained in Chinese and name the plugin."""

from __future__ import annotations

import types

from nianbao.config.files import ConfigError, ConfigResolver
from nianbao.engine.linter import Linter
from nianbao.plugins.hookspecs import hookimpl
from nianbao.plugins.manager import load_plugins
from nianbao.plugins.rule import Finding, Option, Rule, Severity


def test_a_misspelt_hook_is_named():
    plugin = types.SimpleNamespace(nianbao_rule=hookimpl(lambda: []))
    plugins = load_plugins(entry_points=False, extra=[("my-plugin", plugin)])
    [problem] = plugins.problems
    assert problem.plugin == "my-plugin"
    assert problem.message == "插件 my-plugin 未通过校验：定义了未知的钩子 nianbao_rule（钩子名见 docs/hooks.md）"


def test_a_plugin_for_a_newer_api_asks_to_upgrade_nianbao_and_an_older_one_the_plugin():
    newer = types.SimpleNamespace(NIANBAO_PLUGIN_API="99.0")
    older = types.SimpleNamespace(NIANBAO_PLUGIN_API="0.1")
    plugins = load_plugins(entry_points=False, extra=[("newer", newer), ("older", older)])
    messages = {problem.plugin: problem.message for problem in plugins.problems}
    assert messages["newer"].endswith("请升级 nianbao")
    assert messages["older"].endswith("请升级该插件")


class Picky(Rule):
    """挑剔。

    ## 检查什么
    无。
    """

    code = "PK001"
    name = "picky"
    summary = "picky"
    severity = Severity.WARNING
    options = (Option("limit", int, 1, "上限"),)

    @classmethod
    def resolve_options(cls, given):
        resolved = super().resolve_options(given)
        if resolved["limit"] < 0:
            raise ValueError("上限不能为负数")
        return resolved

    def check(self, document):
        yield Finding(document.report.span, "x")


def test_a_rules_own_option_check_is_a_configuration_error_naming_the_rule(tmp_path):
    plugin = types.SimpleNamespace(nianbao_rules=hookimpl(lambda: [Picky]))
    (tmp_path / "nianbao.toml").write_text("[rules.PK001]\nlimit = -1\n", encoding="utf-8")
    report = tmp_path / "r.txt"
    report.write_text("一、总体情况\n", encoding="utf-8")
    linter = Linter(load_plugins(entry_points=False, extra=[("picky", plugin)]), ConfigResolver())
    try:
        linter.lint_path(str(report))
    except ConfigError as error:
        assert "规则 PK001：上限不能为负数" in str(error)
    else:
        raise AssertionError("a negative limit must be refused when the configuration loads")


def test_a_required_plugin_whose_rules_were_refused_counts_as_missing():
    from nianbao.plugins.manager import missing_plugins

    class Reserved(Picky):
        """保留前缀。

        ## 检查什么
        无。
        """

        code = "AR901"
        name = "reserved-prefix"

    plugin = types.SimpleNamespace(nianbao_rules=hookimpl(lambda: [Reserved]))
    plugins = load_plugins(entry_points=False, extra=[("reserving", plugin)])
    [message] = missing_plugins(plugins, ["reserving"])
    assert message.startswith("缺少必需的插件 reserving：部分内容未能加载（") and "AR901" in message
    assert missing_plugins(load_plugins(entry_points=False, extra=[("picky", types.SimpleNamespace(nianbao_rules=hookimpl(lambda: [Picky])))]), ["picky"]) == []


# --- data-only profile packages ------------------------------------------------------------------


def profile_package(root, name: str, files: dict[str, str]) -> str:
    """An importable package ``name`` under ``root`` holding ``files`` and an empty __init__.py."""
    folder = root / name
    folder.mkdir()
    (folder / "__init__.py").write_text("", "utf-8")
    for file_name, text in files.items():
        (folder / file_name).write_text(text, "utf-8")
    return name


def test_every_toml_file_of_a_profile_package_is_a_profile(tmp_path, monkeypatch):
    from nianbao.plugins.manager import missing_plugins

    monkeypatch.syspath_prepend(str(tmp_path))
    package = profile_package(
        tmp_path,
        "pkgprofiles_two",
        {"a.toml": 'name = "city-a"\nplaces = ["甲市"]\n', "b.toml": 'name = "city-b"\n', "notes.txt": "not a profile"},
    )
    plugins = load_plugins(entry_points=False, profile_packages=[("nianbao-two", package)])
    assert plugins.problems == []
    assert sorted(plugins.profiles) == ["city-a", "city-b"]
    assert plugins.profiles["city-a"].origin == "nianbao-two/a.toml"
    assert "nianbao-two" in plugins.names and missing_plugins(plugins, ["nianbao-two"]) == []


def test_a_profile_package_that_cannot_be_used_is_reported_by_name(tmp_path, monkeypatch):
    monkeypatch.syspath_prepend(str(tmp_path))
    empty = profile_package(tmp_path, "pkgprofiles_empty", {})
    broken = profile_package(tmp_path, "pkgprofiles_broken", {"x.toml": 'name = "x"\nyears = [2020, 2019]\n'})
    plugin = types.SimpleNamespace(nianbao_rules=hookimpl(lambda: []))
    plugins = load_plugins(
        entry_points=False,
        extra=[("nianbao-hooks", plugin)],
        profile_packages=[
            ("nianbao-missing", "pkgprofiles_nowhere"),
            ("nianbao-empty", empty),
            ("nianbao-broken", broken),
            ("nianbao-hooks", empty),
        ],
    )
    messages = [problem.message for problem in plugins.problems]
    assert messages == [
        "插件 nianbao-missing 加载失败：ModuleNotFoundError: No module named 'pkgprofiles_nowhere'",
        "插件 nianbao-empty 的包 pkgprofiles_empty 中没有配置档文件（*.toml）",
        "插件 nianbao-broken 的配置档未加载：配置档 x（nianbao-broken/x.toml）：years 的截止年度 2019 早于起始年度 2020",
        "插件 nianbao-hooks 与已加载的插件重名，已忽略",
    ]
    assert plugins.profiles == {}


def test_a_refused_rule_is_told_the_names_of_the_plugin_api():
    from nianbao.plugins.manager import validate_rule_class

    class NotARule:
        pass

    class LongPrefix(Picky):
        """前缀太长。"""

        code = "ABCDEF001"

    class TextSeverity(Picky):
        """级别写成了字符串。"""

        severity = "warning"

    assert validate_rule_class(NotARule) == "不是 nianbao.api.Rule 的子类"
    assert validate_rule_class(LongPrefix) == "规则代码 'ABCDEF001' 不合格式（两到五个大写字母的前缀加三位数字，如 MP001）"
    assert validate_rule_class(TextSeverity) == "severity 应为 nianbao.api.Severity 的成员（如 Severity.WARNING）"


def test_plugin_set_takes_lists_as_well_as_tuples(tmp_path, monkeypatch):
    from nianbao.testing import plugin_set

    monkeypatch.syspath_prepend(str(tmp_path))
    name = profile_package(tmp_path, "nianbao_listed_profiles", {"listed.toml": 'name = "listed"\n'})
    assert "listed" in plugin_set(profile_packages=[name]).profiles
    assert plugin_set(profile_packages=[name]) is plugin_set(profile_packages=(name,)) is plugin_set(profile_packages=name)
    assert plugin_set(plugins=[]) is plugin_set(plugins=())


# --- profile files: a bad rule setting names the file ---------------------------------------------


def test_a_profile_files_bad_rule_setting_names_the_file(tmp_path):
    plugin = types.SimpleNamespace(nianbao_rules=hookimpl(lambda: [Picky]))
    (tmp_path / "profiles").mkdir()
    (tmp_path / "profiles" / "city.toml").write_text('name = "city"\n[rules.PK001]\nlimit = -1\n', encoding="utf-8")
    config = tmp_path / "nianbao.toml"
    config.write_text('profile = "city"\nprofile-files = ["profiles/city.toml"]\n', encoding="utf-8")
    report = tmp_path / "r.txt"
    report.write_text("一、总体情况\n", encoding="utf-8")

    def problem() -> ConfigError:
        linter = Linter(load_plugins(entry_points=False, extra=[("picky", plugin)]), ConfigResolver())
        try:
            linter.lint_path(str(report))
        except ConfigError as error:
            return error
        raise AssertionError("no configuration error")

    error = problem()
    assert error.key == "profile-files"
    assert error.detail == "'profile-files' 中的配置档 city（profiles/city.toml）对规则 PK001 的设置无效：规则 PK001：上限不能为负数"
    # When the user's own setting is wrong too, the message is about the user's own file.
    config.write_text('profile = "city"\nprofile-files = ["profiles/city.toml"]\n[rules.PK001]\nlimit = -2\n', encoding="utf-8")
    error = problem()
    assert error.key == "rules.PK001" and error.detail == "规则 PK001：上限不能为负数"
