"""The plugin author kit: case files, the pytest plugin, the hook reference, the example plugin
installed with pip, isolation of broken plugins and --require-plugins."""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from nianbao.plugins import hookspecs
from nianbao.plugins.hookspecs import hookimpl
from nianbao.plugins.manager import load_plugins, missing_plugins
from nianbao.plugins.rule import Rule, Severity
from nianbao.testing import CaseError, Expected, check_case, compare, lint_text, load_cases

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "plugins" / "nianbao-plugin-example"
GUIDE = ROOT / "docs" / "writing-plugins.md"
REPORT = """示例市商务局2020年政府信息公开工作年度报告
一、总体情况
全年主动公开政府信息213条，详见附件。
"""


def load_example_module():
    """The example plugin's module, imported from its folder (no installation needed)."""
    sys.path.insert(0, str(EXAMPLE / "src"))
    try:
        import nianbao_example.plugin as plugin
    finally:
        sys.path.remove(str(EXAMPLE / "src"))
    return plugin


# --- hook reference and API version ------------------------------------------------------------------


def test_hook_reference_is_generated_from_the_hookspecs():
    spec = importlib.util.spec_from_file_location("generate_hook_docs", ROOT / "scripts" / "generate_hook_docs.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    names = [function.__name__ for function in module.hook_functions()]
    assert {"nianbao_rules", "nianbao_profiles", "nianbao_table_templates", "nianbao_lexicons"} <= set(names)
    page = (ROOT / "docs" / "hooks.md").read_text("utf-8")
    assert page == module.render(), "docs/hooks.md is stale: run python3 scripts/generate_hook_docs.py"
    for name in names:
        assert f"## `{name}`" in page


def test_plugin_api_version_is_documented():
    major, minor = hookspecs.PLUGIN_API_VERSION.split(".")
    assert major.isdigit() and minor.isdigit()
    assert f"插件接口版本：{hookspecs.PLUGIN_API_VERSION}" in (ROOT / "docs" / "plugin-api.md").read_text("utf-8")


class FutureApiPlugin:
    NIANBAO_PLUGIN_API = "3.0"

    @hookimpl
    def nianbao_rules(self):
        return []


def test_a_plugin_written_for_another_major_api_version_is_refused_by_name():
    plugins = load_plugins(entry_points=False, extra=[("nianbao-future", FutureApiPlugin())])
    assert "nianbao-future" not in plugins.names
    assert any("nianbao-future" in problem.message and "3.0" in problem.message for problem in plugins.problems)


# --- case files ---------------------------------------------------------------------------------------


def write_cases(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "demo.cases.toml"
    path.write_text(textwrap.dedent(body), "utf-8")
    return path


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ('select = ["EX"]\n', "至少需要一个"),
        ('[[case]]\nname = "a"\nexpect = []\n', "text 和 file 必须且只能给一个"),
        ('[[case]]\nname = "a"\ntext = "x"\nfile = "y"\n', "text 和 file 必须且只能给一个"),
        ('[[case]]\nname = "a"\ntext = "x"\nexpected = []\n', "未知的键 expected"),
        ('[[case]]\nname = "a"\ntext = "x"\nreplace = [["y", "z"]]\n', "“y”在报告中找不到"),
        ('[[case]]\nname = "a"\ntext = "x"\n[[case]]\nname = "a"\ntext = "x"\n', "名称“a”重复"),
        ('[[case]]\nname = "a"\ntext = "x"\nexpect = [{ line = 1 }]\n', "含 code 的表"),
        ('[[case]]\nname = "a"\nfile = "missing.txt"\n', "无法读取报告文件 missing.txt"),
    ],
)
def test_malformed_case_files_are_refused_with_a_message(tmp_path, body, message):
    with pytest.raises(CaseError, match=message):
        load_cases(write_cases(tmp_path, body))


def test_comparison_pairs_expected_and_actual_one_to_one():
    from nianbao.engine.diagnostic import Diagnostic
    from nianbao.text.location import Location

    def diagnostic(line, column):
        return Diagnostic("r.txt", Location(line, column, line, column + 1), "EX001", "x", Severity.WARNING, "消息")

    actual = [diagnostic(3, 16), diagnostic(3, 16), diagnostic(5, 1)]
    missing, unexpected = compare([Expected("EX001", 3, 16), Expected("EX001", 4)], actual)
    assert missing == [Expected("EX001", 4)]
    assert [(item.location.line, item.location.column) for item in unexpected] == [(3, 16), (5, 1)]


def test_a_case_fails_with_a_readable_difference(tmp_path):
    path = write_cases(
        tmp_path,
        '''
        plugin-modules = ["nianbao_example.plugin"]
        select = ["EX"]

        [[case]]
        name = "位置写错"
        text = """
        示例市商务局2020年政府信息公开工作年度报告
        全年主动公开政府信息213条，详见附件。
        """
        expect = [{ code = "EX001", line = 2, column = 1 }]
        ''',
    )
    load_example_module()
    (case,) = load_cases(path)
    with pytest.raises(AssertionError) as error:
        check_case(case)
    text = str(error.value)
    assert "预期报告但没有报告：\n    EX001 第 2 行第 1 列" in text
    assert "报告了但不在预期中：\n    2:16: EX001 正文说“详见附件”，但报告中没有附件或附表 [warning]" in text


def test_a_case_file_can_load_a_data_only_profile_package_by_module_name(tmp_path, monkeypatch):
    package = tmp_path / "kitcase_profiles"
    package.mkdir()
    (package / "__init__.py").write_text("", "utf-8")
    (package / "strict.toml").write_text('name = "strict"\n[rules.DT006]\nseverity = "error"\n', "utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    path = write_cases(
        tmp_path,
        '''
        profile-packages = ["kitcase_profiles"]
        profile = "strict"
        select = ["DT006"]

        [[case]]
        name = "没有统计期限：错误"
        text = """
        示例市商务局2020年政府信息公开工作年度报告
        一、总体情况
        全年主动公开政府信息213条。
        """
        expect = [{ code = "DT006", line = 2, column = 1, severity = "error" }]
        ''',
    )
    (case,) = load_cases(path)
    assert case.profile_packages == ("kitcase_profiles",)
    check_case(case)


def test_pytest_collects_case_files_through_the_nianbao_plugin(tmp_path):
    shutil.copy(EXAMPLE / "tests" / "example.cases.toml", tmp_path / "example.cases.toml")
    text = (tmp_path / "example.cases.toml").read_text("utf-8")
    # Register the example from its source folder instead of its entry point.
    text = text.replace('plugins = ["nianbao-plugin-example"]', 'plugin-modules = ["nianbao_example.plugin"]')
    (tmp_path / "example.cases.toml").write_text(text, "utf-8")
    (tmp_path / "broken.cases.toml").write_text('[[case]]\nname = "坏"\n', "utf-8")
    environment = dict(os.environ, PYTHONPATH=os.pathsep.join([str(EXAMPLE / "src"), os.environ.get("PYTHONPATH", "")]))
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--continue-on-collection-errors", str(tmp_path)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=environment,
        timeout=120,
    )
    assert "4 passed" in run.stdout and "1 error" in run.stdout, run.stdout + run.stderr
    assert "text 和 file 必须且只能给一个" in run.stdout


# --- isolation ------------------------------------------------------------------------------------


class CrashingRule(Rule):
    """测试用规则：总是出错。

    ## 检查什么
    无。
    ## 为什么重要
    测试。
    ## 反例
    无
    ## 正例
    无
    """

    code = "BRK001"
    name = "always-crashes"
    summary = "测试"
    severity = Severity.ERROR

    def check(self, document):
        raise RuntimeError("故意出错")


class ReservedPrefixRule(CrashingRule):
    __doc__ = CrashingRule.__doc__
    code = "ST901"
    name = "reserved-prefix"


class DuplicateCodeRule(CrashingRule):
    __doc__ = CrashingRule.__doc__
    code = "BRK001"
    name = "duplicate-code"


class BuiltinNameRule(CrashingRule):
    __doc__ = CrashingRule.__doc__
    code = "BRK002"
    name = "missing-title"


class BrokenPlugin:
    @hookimpl
    def nianbao_rules(self):
        return [CrashingRule, ReservedPrefixRule, DuplicateCodeRule, BuiltinNameRule]

    @hookimpl
    def nianbao_table_templates(self):
        return [{"id": "broken.table", "eras": ["2077"]}]

    @hookimpl
    def nianbao_lexicons(self):
        return {"spam": {"no_such_section": ["x"]}}


class FailingHookPlugin:
    @hookimpl
    def nianbao_profiles(self):
        raise ValueError("配置档文件丢了")


def test_a_broken_plugin_is_reported_by_name_and_the_other_rules_still_run():
    example = load_example_module()
    plugins = load_plugins(
        entry_points=False,
        extra=[("nianbao-plugin-example", example), ("nianbao-broken", BrokenPlugin()), ("nianbao-hook", FailingHookPlugin())],
    )
    messages = [problem.message for problem in plugins.problems]
    assert any("nianbao-broken" in text and "ST901" in text and "保留给内置规则" in text for text in messages)
    assert any("nianbao-broken" in text and "BRK001 已由插件 nianbao-broken 定义" in text for text in messages)
    # A plugin cannot take a built-in rule's name (or code) away from it.
    assert any("nianbao-broken" in text and "missing-title 已由插件 nianbao.rules 使用" in text for text in messages)
    assert any("nianbao-broken" in text and "表格模板" in text for text in messages)
    assert any("nianbao-broken" in text and "词库" in text for text in messages)
    assert any("nianbao-hook" in text and "配置档文件丢了" in text for text in messages)

    result = lint_text(REPORT, select=["EX", "BRK"], plugins=plugins)
    codes = sorted(item.code for item in result.diagnostics)
    assert codes == ["EX001", "PS900"]
    (crash,) = [item for item in result.diagnostics if item.code == "PS900"]
    assert "BRK001" in crash.message and "插件 nianbao-broken" in crash.message and "故意出错" in crash.message
    assert result.crashed_rules == ["BRK001"]


def test_plugin_lexicon_entries_reach_every_document():
    class LexiconPlugin:
        @hookimpl
        def nianbao_lexicons(self):
            return {"spam": {"brands": ["示例博彩"]}}

    plugins = load_plugins(entry_points=False, extra=[("nianbao-words", LexiconPlugin())])
    document = lint_text(REPORT, select=["ST001"], plugins=plugins).document
    assert "示例博彩" in document.lexicon("spam").terms("brands")


def test_plugin_table_templates_are_used_to_recognise_tables():
    class TemplatePlugin:
        @hookimpl
        def nianbao_table_templates(self):
            return [
                {
                    "id": "local.contacts",
                    "title": "咨询情况统计表",
                    "eras": ["2019", "2021"],
                    "captions": ["咨询情况统计表"],
                    "start": ["咨询渠道"],
                    "header": ["咨询渠道"],
                    "columns": [{"key": "count", "label": "咨询数量", "kind": "count"}],
                    "rows": [{"key": "phone", "label": "电话咨询"}, {"key": "visit", "label": "现场咨询"}],
                }
            ]

    plugins = load_plugins(entry_points=False, extra=[("nianbao-contacts", TemplatePlugin())])
    assert plugins.problems == []
    text = (
        "某市商务局2020年政府信息公开工作年度报告\n一、总体情况\n"
        "\t咨询情况统计表\n\n\t咨询渠道\n\t咨询数量\n\n\t电话咨询\n\t12\n\n\t现场咨询\n\t3\n"
    )
    document = lint_text(text, select=["ST001"], plugins=plugins).document
    (table,) = document.tables_of("local.contacts")
    assert (table.value("phone", "count"), table.value("visit", "count")) == (12, 3)


def test_require_plugins_names_missing_and_failed_plugins():
    plugins = load_plugins(entry_points=False, extra=[("nianbao-broken", BrokenPlugin())])
    # Loaded, but with rules refused: a CI run that requires it must not pass.
    [message] = missing_plugins(plugins, ["nianbao-broken"])
    assert message.startswith("缺少必需的插件 nianbao-broken：部分内容未能加载（")
    assert missing_plugins(plugins, ["nianbao_Broken"]) == [message.replace("nianbao-broken：", "nianbao_Broken：", 1)]
    assert missing_plugins(plugins, ["nianbao-jilin-xyz"]) == ["缺少必需的插件 nianbao-jilin-xyz：未安装（pip install nianbao-jilin-xyz）"]


# --- the example plugin, copied, renamed and installed with pip ------------------------------------


def copy_example_as(destination: Path, package: str, distribution: str, prefix: str) -> Path:
    """What an author does first: copy the example and rename it (package, distribution, codes)."""
    shutil.copytree(EXAMPLE, destination, ignore=shutil.ignore_patterns("build", "*.egg-info", "__pycache__"))
    source = destination / "src" / "nianbao_example"
    source.rename(destination / "src" / package)
    for path in sorted(destination.rglob("*")):
        if path.is_file() and path.suffix in (".py", ".toml", ".md"):
            text = path.read_text("utf-8")
            text = text.replace("nianbao_example", package).replace("nianbao-plugin-example", distribution)
            text = text.replace("EX001", f"{prefix}001").replace("example-city", f"{distribution}-city")
            path.write_text(text, "utf-8")
        if path.name.startswith("ex001_"):
            path.rename(path.with_name(path.name.replace("ex001_", f"{prefix.lower()}001_")))
    return destination


def write_distribution(destination: Path, package: str, files: dict[str, str], entry_points: str) -> Path:
    """A one-package distribution ``nianbao-<package without nianbao_>`` whose package holds an
    empty ``__init__.py`` and ``files``, with the ``entry_points`` tables and its TOML as data."""
    (destination / package).mkdir(parents=True)
    (destination / package / "__init__.py").write_text("", "utf-8")
    for name, text in files.items():
        (destination / package / name).write_text(text, "utf-8")
    distribution = package.replace("nianbao_", "nianbao-")
    pyproject = f"""\
[build-system]
requires = ["setuptools>=61"]
build-backend = "setuptools.build_meta"

[project]
name = "{distribution}"
version = "0.1.0"

{entry_points.strip()}

[tool.setuptools]
packages = ["{package}"]

[tool.setuptools.package-data]
{package} = ["*.toml"]
"""
    (destination / "pyproject.toml").write_text(pyproject, "utf-8")
    return destination


def write_broken_distribution(destination: Path) -> Path:
    return write_distribution(
        destination,
        "nianbao_kitbroken",
        {"plugin.py": "raise ImportError('缺少依赖 kitbroken-helper')\n"},
        '[project.entry-points.nianbao]\nnianbao-kitbroken = "nianbao_kitbroken.plugin"',
    )


def write_profile_distribution(destination: Path) -> Path:
    """A data-only distribution, as docs/writing-plugins.md describes it: an empty package with a
    profile file, named in the nianbao.profiles entry-point group."""
    return write_distribution(
        destination,
        "nianbao_kitprofile",
        {"kitprofile.toml": 'name = "kitprofile"\ndescription = "示例省"\n\n[rules.DT006]\nseverity = "error"\n'},
        '[project.entry-points."nianbao.profiles"]\nnianbao-kitprofile = "nianbao_kitprofile"',
    )


def write_guide_plugin(destination: Path) -> Path:
    """The plugin docs/writing-plugins.md builds, made of the page's code blocks as printed: each
    file the paragraph before a block names (`src/…`, `tests/…`), pyproject.toml from section 3,
    and the rule's resolve_options (the indented block of section 4) added to the rule's class."""
    page = GUIDE.read_text("utf-8")
    block = re.compile(r"^(?P<indent> *)```\w*\n(?P<body>.*?)^(?P=indent)```$", re.MULTILINE | re.DOTALL)
    files: dict[str, str] = {"README.md": "# nianbao-myplace\n"}
    method = None
    for match in block.finditer(page):
        body = textwrap.dedent(match["body"])
        before = page[: match.start()].rstrip().rsplit("\n\n", 1)[-1]
        named = re.search(r"`((?:src|tests)/[^`]+\.\w+)`", before)
        if before == "## 3. pyproject.toml":
            files["pyproject.toml"] = body
        elif named and named[1] not in files:
            files[named[1]] = body
        elif match["indent"] and "def resolve_options" in body:
            method = body
    rule = "src/nianbao_myplace/rules/mp001_attachment_not_included.py"
    assert {"pyproject.toml", rule, "src/nianbao_myplace/plugin.py", "src/nianbao_myplace/profile.toml",
            "tests/reports/good.txt", "tests/myplace.cases.toml", "tests/test_myplace.py"} <= set(files), sorted(files)
    assert method is not None
    files[rule] += "\n" + textwrap.indent(method, "    ")
    for package in ("src/nianbao_myplace/__init__.py", "src/nianbao_myplace/rules/__init__.py"):
        files[package] = ""
    for name, text in files.items():
        (destination / name).parent.mkdir(parents=True, exist_ok=True)
        (destination / name).write_text(text, "utf-8")
    return destination


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """A renamed copy of the example, a plugin that fails to import, a data-only profile
    distribution and the plugin of docs/writing-plugins.md, pip-installed into a target folder
    that only the subprocesses below put on their path."""
    base = tmp_path_factory.mktemp("pip")
    copy = copy_example_as(base / "nianbao-kitcheck", "nianbao_kitcheck", "nianbao-kitcheck", "KC")
    broken = write_broken_distribution(base / "nianbao-kitbroken")
    profile_only = write_profile_distribution(base / "nianbao-kitprofile")
    guide = write_guide_plugin(base / "nianbao-myplace")
    target = base / "site"
    subprocess.run(
        # Built in pip's isolated build environment, as an author's first install would be.
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--disable-pip-version-check",
         "--target", str(target), str(copy), str(broken), str(profile_only), str(guide)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    (base / "report.txt").write_text(REPORT, "utf-8")
    return base, target


def nianbao(arguments: list[str], cwd: Path, target: Path | None) -> subprocess.CompletedProcess:
    path = [str(target)] if target else []
    environment = dict(os.environ, PYTHONPATH=os.pathsep.join([*path, os.environ.get("PYTHONPATH", "")]))
    return subprocess.run(
        [sys.executable, "-m", "nianbao", *arguments], capture_output=True, text=True, cwd=cwd, env=environment, timeout=120
    )


def test_installed_plugin_rule_is_listed_and_fires_while_a_broken_one_is_reported(installed):
    base, target = installed
    listing = nianbao(["rules"], base, target)
    assert listing.returncode == 0
    assert any(line.startswith("KC001  attachment-not-included") and "（插件 nianbao-kitcheck）" in line
               for line in listing.stdout.splitlines())
    assert "插件 nianbao-kitbroken 加载失败：ImportError: 缺少依赖 kitbroken-helper" in listing.stderr

    check = nianbao(["check", "--isolated", "report.txt"], base, target)
    assert "report.txt:3:16: KC001 警告：正文说“详见附件”，但报告中没有附件或附表 [attachment-not-included]" in check.stdout
    assert "nianbao-kitbroken 加载失败" in check.stderr
    # The built-in rules still ran beside it (DT006: no statistical-period statement).
    assert " DT006 " in check.stdout


def test_require_plugins_fails_the_run_when_a_plugin_is_missing_or_broken(installed):
    base, target = installed
    assert nianbao(["check", "--isolated", "--require-plugins", "nianbao-kitcheck", "report.txt"], base, target).returncode in (0, 1)
    broken = nianbao(["check", "--isolated", "--require-plugins", "nianbao-kitbroken", "report.txt"], base, target)
    assert broken.returncode == 2
    assert "缺少必需的插件 nianbao-kitbroken：加载失败" in broken.stderr
    absent = nianbao(["check", "--require-plugins", "nianbao-kitcheck", "report.txt"], base, None)
    assert absent.returncode == 2 and "缺少必需的插件 nianbao-kitcheck：未安装" in absent.stderr
    (base / "nianbao.toml").write_text('require-plugins = ["nianbao-kitcheck"]\n', "utf-8")
    try:
        from_config = nianbao(["check", "report.txt"], base, None)
        assert from_config.returncode == 2 and "缺少必需的插件 nianbao-kitcheck" in from_config.stderr
    finally:
        (base / "nianbao.toml").unlink()


def test_an_installed_data_only_distribution_provides_its_profile(installed):
    base, target = installed
    arguments = ["check", "--isolated", "--select", "DT006", "--format", "json", "report.txt"]
    required = nianbao([*arguments, "--profile", "kitprofile", "--require-plugins", "nianbao-kitprofile"], base, target)
    # The profile raises DT006 (no statistical-period statement) to an error: the run fails.
    assert required.returncode == 1, required.stderr
    assert [(item["code"], item["severity"]) for item in json.loads(required.stdout)] == [("DT006", "error")]
    absent = nianbao([*arguments, "--profile", "kitprofile"], base, None)
    assert absent.returncode == 2 and "未知的配置档 'kitprofile'（--profile）" in absent.stderr


def test_the_plugin_of_the_guide_works_as_printed(installed):
    """Every file of docs/writing-plugins.md, copied as printed and installed: its rule is listed,
    its profile turns it on, and its own case file and pytest test pass."""
    base, target = installed
    guide = base / "nianbao-myplace"
    listing = nianbao(["rules"], base, target)
    assert any(line.startswith("MP001  myplace-attachment-missing") and "（插件 nianbao-myplace）" in line
               for line in listing.stdout.splitlines()), listing.stdout
    (base / "guide-report.txt").write_text(
        (guide / "tests" / "reports" / "good.txt").read_text("utf-8").replace("附件：政府信息公开情况统计表\n", ""), "utf-8"
    )
    check = nianbao(["check", "--isolated", "--profile", "myplace", "--select", "MP", "guide-report.txt"], base, target)
    assert check.stdout.startswith("guide-report.txt:3:16: MP001 错误：正文说“详见附件”，但报告中没有附件"), check.stdout + check.stderr
    environment = dict(os.environ, PYTHONPATH=os.pathsep.join([str(target), os.environ.get("PYTHONPATH", "")]))
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"],
        capture_output=True, text=True, cwd=guide, env=environment, timeout=120,
    )
    assert run.returncode == 0 and "4 passed" in run.stdout, run.stdout + run.stderr
