"""Configuration: finding files, checking them, and selecting rules."""

from __future__ import annotations

import fnmatch
import re
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import nianbao.config.files as config_files
import nianbao.config.paths as config_paths
from nianbao.cli import main
from nianbao.config.files import DEFAULT_CONFIG, Config, ConfigError, ConfigResolver, find_config_file, load_config
from nianbao.config.paths import is_excluded, is_included
from nianbao.config.profiles import profiles_for
from nianbao.config.selection import RuleRef, Selection
from nianbao.data.toml import TomlError, read_toml
from nianbao.variants.profile import profile_from_mapping

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib

RULES = (
    RuleRef("AR001", "application-balance"),
    RuleRef("AR002", "applicant-total"),
    RuleRef("AR003", "outcome-total"),
    RuleRef("ST001", "missing-title"),
    RuleRef("ST002", "malformed-title"),
    RuleRef("TB001", "row-cell-count"),
    RuleRef("TB010", "invented-for-prefix-tests"),
)
ALL_CODES = [rule.code for rule in RULES]


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def config_with(tmp_path: Path, **fields) -> Config:
    return Config(path=tmp_path / "nianbao.toml", root=tmp_path, **fields)


def enabled_codes(selection: Selection, path: Path | None = None) -> set[str]:
    return {code for code in ALL_CODES if selection.enabled(code, path)}


# --- finding the configuration -----------------------------------------------------------------


def test_closest_configuration_wins_when_walking_up(tmp_path):
    outer = write(tmp_path / "a" / "nianbao.toml", 'select = ["AR"]\n')
    inner = write(tmp_path / "a" / "b" / "nianbao.toml", 'select = ["ST"]\n')
    resolver = ConfigResolver(cwd=tmp_path)

    deep = resolver.for_path(tmp_path / "a" / "b" / "c" / "d" / "report.txt")
    assert deep.path == inner
    assert deep.select == ("ST",)
    assert deep.root == inner.parent

    beside_outer = resolver.for_path(tmp_path / "a" / "x" / "report.txt")
    assert beside_outer.path == outer
    assert beside_outer.select == ("AR",)

    assert find_config_file(tmp_path / "a" / "b" / "c" / "report.txt") == inner


def test_no_configuration_gives_defaults_rooted_at_cwd(tmp_path):
    config = ConfigResolver(cwd=tmp_path).for_path(tmp_path / "report.txt")
    assert config.path is None
    assert config.root == tmp_path
    assert config.select is None
    assert config.fail_on == "error"
    assert config.profile == "national"
    assert config.include == ("*.txt", "*.md", "*.docx", "*.html", "*.htm", "*.pdf", "*.ofd")


def test_relative_paths_are_resolved_against_cwd(tmp_path):
    expected = write(tmp_path / "proj" / "nianbao.toml", 'select = ["AR"]\n')
    config = ConfigResolver(cwd=tmp_path).for_path(Path("proj/reports/2022.txt"))
    assert config.path == expected


def test_nianbao_toml_beats_pyproject_in_the_same_directory(tmp_path):
    write(tmp_path / "pyproject.toml", '[tool.nianbao]\nselect = ["ST"]\n')
    dedicated = write(tmp_path / "nianbao.toml", 'select = ["AR"]\n')
    config = ConfigResolver(cwd=tmp_path).for_path(tmp_path / "report.txt")
    assert config.path == dedicated
    assert config.select == ("AR",)


def test_pyproject_with_the_table_is_used(tmp_path):
    pyproject = write(tmp_path / "pyproject.toml", '[tool.nianbao]\nignore = ["NR004"]\nprofile = "auto"\n')
    config = ConfigResolver(cwd=tmp_path).for_path(tmp_path / "sub" / "report.txt")
    assert config.path == pyproject
    assert config.ignore == ("NR004",)
    assert config.profile == "auto"


def test_pyproject_without_the_table_is_passed_over(tmp_path):
    outer = write(tmp_path / "nianbao.toml", 'select = ["AR"]\n')
    write(tmp_path / "proj" / "pyproject.toml", '[project]\nname = "x"\n\n[tool.black]\nline-length = 100\n')
    config = ConfigResolver(cwd=tmp_path).for_path(tmp_path / "proj" / "report.txt")
    assert config.path == outer
    assert find_config_file(tmp_path / "proj" / "report.txt") == outer


def test_explicit_file_applies_everywhere(tmp_path):
    explicit = write(tmp_path / "settings" / "strict.toml", 'fail-on = "warning"\n')
    write(tmp_path / "reports" / "nianbao.toml", 'fail-on = "info"\n')
    resolver = ConfigResolver(explicit=Path("settings/strict.toml"), cwd=tmp_path)
    config = resolver.for_path(tmp_path / "reports" / "report.txt")
    assert config.path == explicit
    assert config.fail_on == "warning"
    # Relative patterns in an explicit file are relative to that file's directory.
    assert config.root == explicit.parent


def test_explicit_missing_file_is_an_error(tmp_path):
    resolver = ConfigResolver(explicit=tmp_path / "missing.toml", cwd=tmp_path)
    with pytest.raises(ConfigError) as caught:
        resolver.for_path(tmp_path / "report.txt")
    assert "missing.toml" in str(caught.value)
    assert "找不到配置文件" in str(caught.value)


def test_isolated_ignores_every_file(tmp_path):
    write(tmp_path / "nianbao.toml", 'select = ["AR"]\n')
    write(tmp_path / "pyproject.toml", '[tool.nianbao]\nselect = ["ST"]\n')
    config = ConfigResolver(isolated=True, cwd=tmp_path).for_path(tmp_path / "report.txt")
    assert config.path is None
    assert config.select is None


def test_virtual_stdin_path_need_not_exist(tmp_path):
    expected = write(tmp_path / "reports" / "nianbao.toml", 'ignore = ["ST001"]\n')
    missing = tmp_path / "reports" / "2023" / "pasted.txt"
    assert not missing.exists()
    assert ConfigResolver(cwd=tmp_path).for_path(missing).path == expected


def test_each_configuration_file_is_read_once(tmp_path, monkeypatch):
    write(tmp_path / "pyproject.toml", '[project]\nname = "x"\n')
    nianbao_toml = write(tmp_path / "reports" / "nianbao.toml", 'select = ["AR"]\n')
    reads: list[Path] = []
    real_read = config_files._read_toml

    def counting_read(path: Path):
        reads.append(path)
        return real_read(path)

    monkeypatch.setattr(config_files, "_read_toml", counting_read)
    resolver = ConfigResolver(cwd=tmp_path)
    for number in range(1000):
        assert resolver.for_path(tmp_path / "reports" / f"{number}.txt").path == nianbao_toml
    for number in range(50):
        # Both walks end at the top pyproject.toml (without the table): it too is read once.
        assert resolver.for_path(tmp_path / "other" / f"{number}.txt").path is None
        assert resolver.for_path(tmp_path / "other" / "deeper" / f"{number}.txt").path is None
    assert sorted(reads) == sorted([nianbao_toml, tmp_path / "pyproject.toml"])


def test_broken_file_is_not_reread_for_every_linted_file(tmp_path, monkeypatch):
    write(tmp_path / "nianbao.toml", "select = [\n")
    reads: list[Path] = []
    real_read = config_files._read_toml
    monkeypatch.setattr(config_files, "_read_toml", lambda path: reads.append(path) or real_read(path))
    resolver = ConfigResolver(cwd=tmp_path)
    for number in range(20):
        with pytest.raises(ConfigError):
            resolver.for_path(tmp_path / f"{number}.txt")
    assert len(reads) == 1


# --- checking the file -------------------------------------------------------------------------


def test_malformed_toml_names_the_file_and_line(tmp_path):
    path = write(tmp_path / "nianbao.toml", 'select = ["AR"]\nignore = ["ST001"]\nfail-on warning\n')
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    message = str(caught.value)
    assert "nianbao.toml" in message
    assert "第 3 行" in message
    assert "缺少 '='" in message
    assert caught.value.path == path


def test_error_at_end_of_document_gives_the_last_line(tmp_path):
    path = write(tmp_path / "nianbao.toml", 'profile = "national"\nselect = [\n"AR",\n')
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert "第 3 行" in str(caught.value)


def test_malformed_pyproject_met_while_walking_is_reported(tmp_path):
    write(tmp_path / "pyproject.toml", "[tool.nianbao\n")
    with pytest.raises(ConfigError) as caught:
        ConfigResolver(cwd=tmp_path).for_path(tmp_path / "report.txt")
    assert "pyproject.toml" in str(caught.value)
    assert "第 1 行" in str(caught.value)


def test_non_utf8_file_is_reported(tmp_path):
    path = tmp_path / "nianbao.toml"
    path.write_bytes('profile = "national"\n# 说明\n'.encode("gbk"))
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert "UTF-8" in str(caught.value)
    assert "第 2 行" in str(caught.value)


class InMemory:
    """A file for read_toml that is only bytes."""

    def __init__(self, data: bytes) -> None:
        self.data = data

    def read_bytes(self) -> bytes:
        return self.data


SYNTAX_ERROR = re.compile(r"^(?:第 (\d+) 行第 (\d+) 列|文件末尾（第 (\d+) 行）)有 TOML 语法错误：.+$")


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet='ab =[]{}"\'\n#.,1\t', max_size=40))
def test_a_toml_syntax_error_is_placed_on_a_line_and_column_of_the_file(text):
    try:
        tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        english = str(error)
    else:
        assume(False)
    with pytest.raises(TomlError) as caught:
        read_toml(InMemory(text.encode("utf-8")))
    match = SYNTAX_ERROR.match(caught.value.problem)
    assert match is not None, caught.value.problem
    lines = text.split("\n")
    position = re.search(r"\(at line (\d+), column (\d+)\)$", english)
    if match.group(1):
        # The place tomllib found, within the file.
        line, column = int(match.group(1)), int(match.group(2))
        assert position is not None and (line, column) == (int(position.group(1)), int(position.group(2)))
        assert column <= len(lines[line - 1]) + 1
    else:
        # tomllib ran off the end: the message names the file's last line (a final newline ends it).
        assert english.endswith("(at end of document)")
        last = len(lines) - 1 if text.endswith("\n") else len(lines)
        assert int(match.group(3)) == max(last, 1)


def test_the_toml_reader_says_what_kind_of_file_it_could_not_read(tmp_path):
    with pytest.raises(TomlError) as missing:
        read_toml(tmp_path / "profiles" / "huaian.toml", "配置档文件")
    assert (missing.value.problem, missing.value.missing) == ("找不到配置档文件", True)
    with pytest.raises(TomlError) as directory:
        read_toml(tmp_path, "配置档文件")
    assert directory.value.problem == "这是一个目录，不是配置档文件"
    with pytest.raises(TomlError) as encoding:
        read_toml(InMemory("# 说明\nname = 1\n".encode("gbk")), "词库文件")
    assert encoding.value.problem == "第 1 行不是 UTF-8 编码；TOML 词库文件必须以 UTF-8 保存"
    with pytest.raises(TomlError) as syntax:
        read_toml(InMemory('name = "x"\nplaces = ["怀化" "鹤城区"]\n'.encode("utf-8")))
    # The comma is missing before the second string, column 16 of line 2 (columns count characters).
    assert syntax.value.problem == "第 2 行第 16 列有 TOML 语法错误：数组没有用 ] 结束"
    with pytest.raises(TomlError) as unfinished:
        read_toml(InMemory(b'name = "x"\nplaces = ["a"\n'))
    assert unfinished.value.problem == "文件末尾（第 2 行）有 TOML 语法错误：数组没有用 ] 结束"


def test_unknown_key_suggests_the_close_match(tmp_path):
    path = write(tmp_path / "nianbao.toml", 'selct = ["AR"]\n')
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert str(caught.value).endswith("nianbao.toml：未知的配置项 'selct'（是否想写 'select'？）")
    assert caught.value.key == "selct"


def test_unknown_key_in_pyproject_is_named_with_its_table(tmp_path):
    path = write(tmp_path / "pyproject.toml", '[tool.nianbao]\nextend_select = ["AR"]\n')
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    message = str(caught.value)
    assert "pyproject.toml" in message
    assert "'tool.nianbao.extend_select'" in message
    assert "'tool.nianbao.extend-select'" in message


def test_unknown_key_without_a_close_match_has_no_suggestion(tmp_path):
    path = write(tmp_path / "nianbao.toml", "colour = true\n")
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert "未知的配置项 'colour'" in str(caught.value)
    assert "是否想写" not in str(caught.value)


@pytest.mark.parametrize(
    ("text", "key", "expected"),
    [
        ('select = "AR"\n', "select", '应为字符串数组，例如 select = ["AR"]'),
        ("ignore = [1]\n", "ignore", "第 1 项应为字符串，实际为整数"),
        ('include = ["*.txt", ""]\n', "include", "第 2 项是空字符串"),
        ("profile = 3\n", "profile", "应为字符串，实际为整数"),
        ('fail-on = "warn"\n', "fail-on", "'warn' 无效，可选 error、warning、info（是否想写 'warning'？）"),
        ('per-file-ignores = ["AR001"]\n', "per-file-ignores", "应为表"),
        ('[per-file-ignores]\n"drafts/*.txt" = "AR001"\n', 'per-file-ignores."drafts/*.txt"', "应为字符串数组"),
        ('rules = ["AR001"]\n', "rules", "应为表"),
        ('[rules]\nAR001 = "off"\n', "rules.AR001", '下写 severity = "warning"'),
        ('require-plugins = "jilin"\n', "require-plugins", "应为字符串数组"),
    ],
)
def test_wrong_types_name_the_key(tmp_path, text, key, expected):
    path = write(tmp_path / "nianbao.toml", text)
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert caught.value.key == key
    assert f"'{key}'" in str(caught.value)
    assert expected in str(caught.value)


# --- profile files ------------------------------------------------------------------------------

CITY_PROFILE = 'name = "huaian"\ndescription = "淮安市"\nplaces = ["淮安"]\n[deadlines]\ndepartment = "01-20"\n'


def test_profile_files_are_read_relative_to_the_configuration_file(tmp_path):
    write(tmp_path / "project" / "profiles" / "huaian.toml", CITY_PROFILE)
    path = write(tmp_path / "project" / "pyproject.toml", '[tool.nianbao]\nprofile-files = ["profiles/huaian.toml"]\n')
    config = ConfigResolver(cwd=tmp_path).for_path(tmp_path / "project" / "reports" / "report.txt")
    assert config.path == path
    assert list(config.profiles) == ["huaian"]
    assert config.profiles["huaian"].deadlines == {"department": "01-20"}
    assert config.profiles["huaian"].origin == "profiles/huaian.toml"
    assert load_config(write(tmp_path / "elsewhere" / "nianbao.toml", "")).profiles == {}


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        ({}, "'profile-files' 的第 1 项 'profiles/huaian.toml'：找不到配置档文件（相对路径从配置文件所在的目录算起）"),
        (
            {"profiles/huaian.toml": 'name = "huaian"\nplaces = ["淮安" "涟水"]\n'},
            # The comma is missing before "涟水", column 16 of line 2.
            "'profile-files' 的第 1 项：配置档文件 profiles/huaian.toml：第 2 行第 16 列有 TOML 语法错误：数组没有用 ] 结束",
        ),
        (
            {"profiles/huaian.toml": 'name = "huaian"\nplace = ["淮安"]\n'},
            "'profile-files' 的第 1 项：配置档 huaian（profiles/huaian.toml）：未知的键 place；",
        ),
        (
            {"profiles/huaian.toml": 'name = "national"\n'},
            "'profile-files' 的第 1 项 'profiles/huaian.toml'：配置档名称 national 已被使用，请换一个名称",
        ),
    ],
)
def test_a_bad_profile_file_is_a_configuration_error_naming_the_entry(tmp_path, files, expected):
    for name, text in files.items():
        write(tmp_path / name, text)
    path = write(tmp_path / "nianbao.toml", 'profile-files = ["profiles/huaian.toml"]\n')
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert caught.value.key == "profile-files"
    assert caught.value.detail.startswith(expected), caught.value.detail


def test_two_profile_files_may_not_give_the_same_name(tmp_path):
    write(tmp_path / "a.toml", CITY_PROFILE)
    write(tmp_path / "b.toml", CITY_PROFILE)
    path = write(tmp_path / "nianbao.toml", 'profile-files = ["a.toml", "b.toml"]\n')
    with pytest.raises(ConfigError, match="'profile-files' 的第 2 项 'b.toml'：配置档名称 huaian 已被使用"):
        load_config(path)


def test_a_profile_file_may_not_take_a_plugin_profiles_name(tmp_path):
    write(tmp_path / "huaian.toml", CITY_PROFILE)
    config = load_config(write(tmp_path / "pyproject.toml", '[tool.nianbao]\nprofile-files = ["huaian.toml"]\n'))
    plugin_profile = profile_from_mapping({"name": "huaian"})
    assert set(profiles_for(config, {"other": plugin_profile})) == {"other", "huaian"}
    with pytest.raises(ConfigError) as caught:
        profiles_for(config, {"huaian": plugin_profile})
    assert caught.value.key == "tool.nianbao.profile-files"
    assert "'tool.nianbao.profile-files' 的第 1 项 'huaian.toml'：配置档名称 huaian 与已安装插件提供的配置档同名" in str(caught.value)


def test_a_profile_file_taking_a_plugin_profiles_name_is_named_by_its_place_in_the_list(tmp_path):
    write(tmp_path / "a.toml", CITY_PROFILE.replace("huaian", "other-city"))
    write(tmp_path / "b.toml", CITY_PROFILE)
    config = load_config(write(tmp_path / "nianbao.toml", 'profile-files = ["a.toml", "b.toml"]\n'))
    with pytest.raises(ConfigError) as caught:
        profiles_for(config, {"huaian": profile_from_mapping({"name": "huaian"})})
    assert caught.value.detail == (
        "'profile-files' 的第 2 项 'b.toml'：配置档名称 huaian 与已安装插件提供的配置档同名，请给文件中的配置档换一个名称"
    )


def test_check_uses_a_profile_file_chosen_by_name(tmp_path, capsys, monkeypatch):
    # A 部门 of 淮安 whose city (this test's profile) sets 1月20日: published 1月25日, five days late.
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "profiles" / "huaian.toml", CITY_PROFILE)
    write(tmp_path / "nianbao.toml", 'profile = "huaian"\nprofile-files = ["profiles/huaian.toml"]\n')
    write(tmp_path / "report.txt", "淮安市商务局2021年政府信息公开工作年度报告\n一、总体情况\n全年主动公开政府信息12条。\n\n淮安市商务局\n2022年1月25日\n")
    assert main(["check", "--no-plugins", "--select", "DT004", "-v", "report.txt"]) == 0
    captured = capsys.readouterr()
    assert "晚于发布期限2022年1月20日（晚了5天）：配置档 huaian（淮安市）规定县级以上人民政府部门" in captured.out
    assert "配置档 huaian（来自配置档文件 profiles/huaian.toml）" in captured.err
    assert main(["check", "--no-plugins", "--profile", "nowhere", "report.txt"]) == 2
    assert "可选：national、auto、huaian" in capsys.readouterr().err


def test_full_file_is_read_into_config(tmp_path):
    path = write(
        tmp_path / "nianbao.toml",
        """
select = ["AR", "ST001"]
extend-select = ["TB"]
ignore = ["AR003"]
include = ["*.txt"]
extend-exclude = ["drafts"]
fail-on = "Warning"
profile = "jilin"
require-plugins = ["nianbao-jilin"]

[per-file-ignores]
"archive/*.txt" = ["ST"]

[rules.AR001]
severity = "WARNING"
tolerance = 2

[rules.missing-title]
severity = "off"
""",
    )
    config = load_config(path)
    assert config.path == path
    assert config.root == tmp_path
    assert config.select == ("AR", "ST001")
    assert config.extend_select == ("TB",)
    assert config.ignore == ("AR003",)
    assert config.include == ("*.txt",)
    assert config.exclude == (".git", "node_modules", ".venv", "__pycache__", "drafts")
    assert config.fail_on == "warning"
    assert config.profile == "jilin"
    assert config.require_plugins == ("nianbao-jilin",)
    assert config.per_file_ignores == (("archive/*.txt", ("ST",)),)
    assert config.rules == {"AR001": {"severity": "warning", "tolerance": 2}, "missing-title": {"severity": "off"}}


def test_exclude_replaces_the_defaults_and_extend_exclude_adds(tmp_path):
    path = write(tmp_path / "nianbao.toml", 'exclude = ["old"]\nextend-exclude = ["drafts"]\n')
    assert load_config(path).exclude == ("old", "drafts")


def test_pyproject_without_table_loads_as_defaults(tmp_path):
    path = write(tmp_path / "pyproject.toml", '[project]\nname = "x"\n')
    config = load_config(path)
    assert config.path == path
    assert config.select is None
    assert config.exclude == DEFAULT_CONFIG.exclude


@pytest.mark.parametrize(
    ("severity", "expected"),
    [
        ('"fatal"', "'rules.AR001.severity' 的值 'fatal' 无效，可选 error、warning、info、off"),
        ('"warn"', "（是否想写 'warning'？）"),
        ("2", "'rules.AR001.severity' 应为字符串"),
    ],
)
def test_bad_severity_is_reported_when_loading(tmp_path, severity, expected):
    path = write(tmp_path / "nianbao.toml", f"[rules.AR001]\nseverity = {severity}\n")
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert expected in str(caught.value)
    assert caught.value.key == "rules.AR001.severity"


# --- selecting rules ---------------------------------------------------------------------------


def test_default_selects_every_rule(tmp_path):
    selection = Selection(config_with(tmp_path), RULES)
    assert enabled_codes(selection) == set(ALL_CODES)


def test_select_prefix_then_ignore_one_code(tmp_path):
    selection = Selection(config_with(tmp_path, select=("AR",), ignore=("AR001",)), RULES)
    assert enabled_codes(selection) == {"AR002", "AR003"}


def test_select_all_ignore_a_family(tmp_path):
    selection = Selection(config_with(tmp_path, select=("ALL",), ignore=("ST",)), RULES)
    assert enabled_codes(selection) == {"AR001", "AR002", "AR003", "TB001", "TB010"}


def test_selected_code_beats_ignored_prefix(tmp_path):
    selection = Selection(config_with(tmp_path, select=("AR001", "TB"), ignore=("AR",)), RULES)
    assert enabled_codes(selection) == {"AR001", "TB001", "TB010"}


def test_longer_prefix_decides(tmp_path):
    # TB00 is more specific than TB, so TB001 is ignored while TB010 stays selected.
    selection = Selection(config_with(tmp_path, select=("TB",), ignore=("TB00",)), RULES)
    assert enabled_codes(selection) == {"TB010"}
    # The other way round: ignore the family, select back the narrower prefix.
    selection = Selection(config_with(tmp_path, select=("TB00",), extend_select=("TB01",), ignore=("TB",)), RULES)
    assert enabled_codes(selection) == {"TB001", "TB010"}


def test_ignore_wins_a_tie(tmp_path):
    selection = Selection(config_with(tmp_path, select=("AR001", "ST"), ignore=("AR001", "ST")), RULES)
    assert enabled_codes(selection) == set()
    # A name is as specific as a code.
    selection = Selection(config_with(tmp_path, select=("AR001",), ignore=("application-balance",)), RULES)
    assert enabled_codes(selection) == set()


def test_rule_names_select_and_ignore(tmp_path):
    selection = Selection(config_with(tmp_path, select=("missing-title", "AR"), ignore=("applicant-total",)), RULES)
    assert enabled_codes(selection) == {"ST001", "AR001", "AR003"}
    assert selection.enabled("missing-title")


def test_extend_select_adds_to_select(tmp_path):
    selection = Selection(config_with(tmp_path, select=("ST001",), extend_select=("AR003",)), RULES)
    assert enabled_codes(selection) == {"ST001", "AR003"}
    selection = Selection(config_with(tmp_path, select=(), extend_select=("TB001",)), RULES)
    assert enabled_codes(selection) == {"TB001"}


@pytest.mark.parametrize(
    ("field", "selector", "expected"),
    [
        ("select", "AR010", "'select' 中未知的规则 'AR010'（是否想写 'AR001'？）"),
        ("ignore", "aplication-balance", "'ignore' 中未知的规则 'aplication-balance'（是否想写 'application-balance'？）"),
        ("extend_select", "ar", "'extend-select' 中未知的规则 'ar'（是否想写 'AR'？）"),
        ("ignore", "XYZ", "'ignore' 中未知的规则 'XYZ'"),
    ],
)
def test_unknown_selectors_are_reported_with_suggestions(tmp_path, field, selector, expected):
    config = config_with(tmp_path, **{field: (selector,)})
    with pytest.raises(ConfigError) as caught:
        Selection(config, RULES)
    assert str(caught.value).endswith(expected)
    assert "nianbao.toml" in str(caught.value)


def test_unknown_selector_in_per_file_ignores_names_the_pattern(tmp_path):
    config = config_with(tmp_path, per_file_ignores=(("drafts/*.txt", ("ST01",)),))
    with pytest.raises(ConfigError) as caught:
        Selection(config, RULES)
    assert "'per-file-ignores.\"drafts/*.txt\"' 中未知的规则 'ST01'" in str(caught.value)


def test_unknown_rule_table_is_reported(tmp_path):
    path = write(tmp_path / "pyproject.toml", '[tool.nianbao.rules.AR010]\nseverity = "warning"\n')
    with pytest.raises(ConfigError) as caught:
        Selection(load_config(path), RULES)
    message = str(caught.value)
    assert "pyproject.toml" in message
    assert "'tool.nianbao.rules.AR010'" in message
    assert "未知的规则 'AR010'（是否想写 'AR001'？）" in message


def test_rule_table_prefix_is_not_a_rule(tmp_path):
    with pytest.raises(ConfigError) as caught:
        Selection(config_with(tmp_path, rules={"AR": {"severity": "info"}}), RULES)
    assert "未知的规则 'AR'" in str(caught.value)


def test_same_rule_configured_by_code_and_name_is_rejected(tmp_path):
    config = config_with(tmp_path, rules={"AR001": {"severity": "info"}, "application-balance": {"tolerance": 1}})
    with pytest.raises(ConfigError) as caught:
        Selection(config, RULES)
    assert "AR001" in str(caught.value)
    assert "两次" in str(caught.value)


def test_severity_overrides_and_options(tmp_path):
    config = config_with(
        tmp_path,
        rules={"AR001": {"severity": "info", "tolerance": 2}, "missing-title": {"severity": "off"}, "TB001": {"x": 1}},
    )
    selection = Selection(config, RULES)
    assert selection.severity_override("AR001") == "info"
    assert selection.options("AR001") == {"tolerance": 2}
    assert selection.severity_override("ST001") == "off"
    assert not selection.enabled("ST001")
    assert selection.severity_override("TB001") is None
    assert selection.options("TB001") == {"x": 1}
    assert selection.severity_override("AR002") is None
    assert selection.options("AR002") == {}


def test_bad_severity_in_a_built_config_is_rejected(tmp_path):
    # Configurations built in code (e.g. from command-line options) are checked too.
    with pytest.raises(ConfigError) as caught:
        Selection(config_with(tmp_path, rules={"outcome-total": {"severity": "serious"}}), RULES)
    assert "'rules.outcome-total.severity' 的值 'serious' 无效" in str(caught.value)


def test_per_file_ignores_are_relative_to_the_config_directory(tmp_path):
    path = write(
        tmp_path / "proj" / "nianbao.toml",
        '[per-file-ignores]\n"archive/*.txt" = ["ST"]\n"**/2008/*.txt" = ["AR001"]\n"草稿*.txt" = ["TB001"]\n',
    )
    selection = Selection(load_config(path), RULES)
    project = tmp_path / "proj"

    assert enabled_codes(selection, project / "archive" / "2019.txt") == set(ALL_CODES) - {"ST001", "ST002"}
    # "archive/*.txt" is anchored at the config's directory: a nested archive/ does not match,
    # and '*' does not cross directories.
    assert enabled_codes(selection, project / "old" / "archive" / "2019.txt") == set(ALL_CODES)
    assert enabled_codes(selection, project / "archive" / "x" / "2019.txt") == set(ALL_CODES)
    # '**/' matches any depth, including none.
    assert not selection.enabled("AR001", project / "2008" / "report.txt")
    assert not selection.enabled("AR001", project / "a" / "b" / "2008" / "report.txt")
    assert selection.enabled("AR002", project / "a" / "b" / "2008" / "report.txt")
    # A pattern without '/' matches the file name anywhere below the root.
    assert not selection.enabled("TB001", project / "x" / "草稿1.txt")
    assert selection.enabled("TB001", project / "x" / "定稿1.txt")
    # Without a path only select/ignore count.
    assert selection.enabled("ST001")


def test_per_file_ignores_with_relative_path_and_cwd(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    config = Config(path=Path("nianbao.toml"), root=Path("."), per_file_ignores=(("a/*.txt", ("AR",)),))
    selection = Selection(config, RULES)
    assert not selection.enabled("AR002", Path("a/r.txt"))
    assert selection.enabled("AR002", Path("b/r.txt"))


def test_code_outside_the_known_rules_follows_code_selectors(tmp_path):
    # The engine may ask about a code it did not list (e.g. a core parse diagnostic).
    config = config_with(tmp_path, select=("ALL",), ignore=("TB0",), per_file_ignores=(("old/*.txt", ("AR",)),))
    selection = Selection(config, RULES)
    assert not selection.enabled("TB099")
    assert selection.enabled("PS001")
    assert not selection.enabled("AR999", tmp_path / "old" / "r.txt")
    assert selection.enabled("AR999", tmp_path / "new" / "r.txt")


# --- include and exclude -----------------------------------------------------------------------


def test_default_exclude_matches_named_directories_anywhere(tmp_path):
    config = replace_root(DEFAULT_CONFIG, tmp_path)
    assert is_excluded(config, tmp_path / ".git")
    assert is_excluded(config, tmp_path / "site" / "node_modules" / "pkg" / "README.md")
    assert is_excluded(config, tmp_path / ".venv" / "lib" / "x.txt")
    assert not is_excluded(config, tmp_path / "reports" / "2022.txt")
    assert not is_excluded(config, tmp_path / "git" / "2022.txt")


def test_excluded_directory_above_the_root_does_not_count(tmp_path):
    root = tmp_path / "node_modules" / "project"
    config = replace_root(DEFAULT_CONFIG, root)
    assert not is_excluded(config, root / "report.txt")


def test_exclude_patterns_relative_to_the_root(tmp_path):
    path = write(tmp_path / "nianbao.toml", 'extend-exclude = ["docs/old", "drafts/*.md", "备份*"]\n')
    config = load_config(path)
    assert is_excluded(config, tmp_path / "docs" / "old")
    assert is_excluded(config, tmp_path / "docs" / "old" / "2010" / "report.txt")
    assert not is_excluded(config, tmp_path / "x" / "docs" / "old" / "report.txt")
    assert is_excluded(config, tmp_path / "drafts" / "a.md")
    assert not is_excluded(config, tmp_path / "drafts" / "a.txt")
    assert is_excluded(config, tmp_path / "any" / "备份2021" / "a.txt")
    # The defaults still apply with extend-exclude.
    assert is_excluded(config, tmp_path / "__pycache__")


def test_include_defaults_and_patterns(tmp_path):
    config = replace_root(DEFAULT_CONFIG, tmp_path)
    assert is_included(config, tmp_path / "a" / "2022年报.txt")
    assert is_included(config, tmp_path / "README.md")
    assert is_included(config, tmp_path / "a" / "2022年报.pdf")
    assert not is_included(config, tmp_path / "a" / "2022年报.xlsx")

    path = write(tmp_path / "nianbao.toml", 'include = ["reports/**/*.txt", "*.TXT"]\n')
    config = load_config(path)
    assert is_included(config, tmp_path / "reports" / "2022.txt")
    assert is_included(config, tmp_path / "reports" / "a" / "b" / "2022.txt")
    assert not is_included(config, tmp_path / "other" / "2022.txt")
    assert is_included(config, tmp_path / "other" / "2022.TXT")
    assert not is_included(config, tmp_path / "reports" / "notes.md")


def replace_root(config: Config, root: Path) -> Config:
    return replace(config, root=root)


# A pattern without '/' or '**' means the same as fnmatch on a single name.
_name_parts = st.text(alphabet="ab.-年", min_size=0, max_size=6)


@settings(max_examples=200, deadline=None)
@given(
    pattern=st.lists(st.sampled_from(["a", "b", ".", "*", "?", "年", "[ab]", "[!a]"]), max_size=6).map("".join),
    name=_name_parts,
)
def test_name_glob_agrees_with_fnmatch(pattern, name):
    expected = fnmatch.fnmatchcase(name, pattern)
    assert bool(config_paths._glob_regex(pattern).fullmatch(name)) == expected
