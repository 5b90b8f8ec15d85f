"""Testing rules and plugins: case files, a lint helper and a pytest plugin.

nianbao registers this module with pytest (entry point ``pytest11``), so in any project where
nianbao is installed pytest collects **case files**: files named ``*.cases.toml``. Each holds
passing and failing examples with the diagnostics expected, by code, line and column::

    plugins = ["nianbao-jilin"]        # entry points to load (default: every installed plugin)
    profile = "jilin"                  # defaults for every case below
    select = ["JL"]

    [[case]]
    name = "发布总数量是数字：通过"
    file = "reports/changchun-2020.txt"   # relative to the case file; or text = '''…'''
    expect = []

    [[case]]
    name = "发布总数量写成文字"
    file = "reports/changchun-2020.txt"
    replace = [["消息类）：1", "消息类）：若干"]]   # edit the report first (each must occur)
    expect = [{ code = "JL001", line = 80, column = 36, message = "若干" }]

An expected diagnostic needs ``code``; ``line``, ``column``, ``end_line``, ``end_column``,
``severity`` and ``message`` (a substring of the message) are checked when given. The
diagnostics of the selected rules must match the expected ones exactly, no more, no fewer;
a rule that crashes fails the case with its traceback. Further keys, per file or per case:
``plugin-modules`` (modules registered as plugins without being installed), ``profile-packages``
(data-only profile packages, by module name, loaded without being installed), ``rules``
(``[rules.CODE]`` settings as in configuration) and ``path`` (the report's display name). A case
for a cross-report rule lists earlier reports as ``[[case.earlier]]`` tables (``path`` and ``text``
or ``file``, with ``replace`` as a case has); only the case's own report's diagnostics are compared.

Outside case files, :func:`lint_text` lints a string and the ``nianbao_lint`` fixture hands it
to a test.
"""

from __future__ import annotations

import dataclasses
import importlib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Mapping, Sequence

import pytest
from nianbao.data.toml import TomlError, read_toml

if TYPE_CHECKING:
    from nianbao.engine.diagnostic import Diagnostic
    from nianbao.engine.linter import FileResult
    from nianbao.plugins.manager import PluginSet

__all__ = [
    "CASE_FILE_SUFFIX",
    "Case",
    "CaseError",
    "Expected",
    "check_case",
    "lint_text",
    "load_cases",
    "plugin_set",
]

CASE_FILE_SUFFIX = ".cases.toml"
_FILE_KEYS = ("plugins", "plugin-modules", "profile-packages", "profile", "select", "rules", "path", "case")
# A case may say what its file says (but not hold cases of its own).
_CASE_KEYS = ("name", "text", "file", "replace", "expect", "earlier", *(key for key in _FILE_KEYS if key != "case"))
_EARLIER_KEYS = ("path", "text", "file", "replace")
_EXPECT_KEYS = ("code", "line", "column", "end_line", "end_column", "severity", "message")


class CaseError(Exception):
    """A malformed case file or a case whose plugins cannot be loaded."""


# --- linting a string ----------------------------------------------------------------------------


def plugin_set(
    plugins: Iterable[str] | None = None,
    plugin_modules: Iterable[str] = (),
    profile_packages: Iterable[str] = (),
) -> PluginSet:
    """The built-in plugins plus ``plugins`` (installed entry points, by name, plugin modules or
    data-only profile packages alike), ``plugin_modules`` (importable modules registered under
    their own name) and ``profile_packages`` (importable packages whose ``*.toml`` files are
    profiles, under their own name); with none of them, every installed plugin. Each is a list
    or tuple of names (a single string is one name).

    Raises :class:`CaseError` when a named plugin is not installed or does not load cleanly:
    a plugin under test must not fail quietly.
    """
    def names(value: Iterable[str]) -> tuple[str, ...]:
        return (value,) if isinstance(value, str) else tuple(value)

    return _plugin_set(None if plugins is None else names(plugins), names(plugin_modules), names(profile_packages))


@lru_cache(maxsize=16)
def _plugin_set(
    plugins: tuple[str, ...] | None, plugin_modules: tuple[str, ...], profile_packages: tuple[str, ...]
) -> PluginSet:
    from importlib.metadata import entry_points

    from nianbao.plugins.hookspecs import PROFILES_GROUP, PROJECT_NAME
    from nianbao.plugins.manager import load_plugins

    extra: list[tuple[str, object]] = []
    packages = [(name, name) for name in profile_packages]
    if plugins is not None:
        available = {entry_point.name: entry_point for entry_point in entry_points(group=PROJECT_NAME)}
        data_only = {entry_point.name: entry_point.value for entry_point in entry_points(group=PROFILES_GROUP)}
        for name in plugins:
            if name in data_only:
                packages.append((name, data_only[name]))
                continue
            if name not in available:
                raise CaseError(
                    f"插件 {name} 未安装（入口点组 {PROJECT_NAME} 和 {PROFILES_GROUP} 中都没有它）：在插件目录运行 pip install -e ."
                )
            try:
                extra.append((name, available[name].load()))
            except Exception as error:
                raise CaseError(f"插件 {name} 加载失败：{type(error).__name__}: {error}") from error
    for module_name in plugin_modules:
        try:
            extra.append((module_name, importlib.import_module(module_name)))
        except Exception as error:
            raise CaseError(f"模块 {module_name} 导入失败：{type(error).__name__}: {error}") from error
    # Naming plugins, modules or packages isolates the test from whatever else is installed.
    everything = plugins is None and not plugin_modules and not profile_packages
    loaded = load_plugins(entry_points=everything, extra=extra, profile_packages=packages)
    under_test = {name for name, _ in extra} | {name for name, _ in packages}
    problems = [problem.message for problem in loaded.problems if problem.plugin in under_test]
    if problems:
        raise CaseError("插件有问题：\n" + "\n".join(problems))
    return loaded


class _FixedResolver:
    """One configuration for every path (the engine asks a resolver per file)."""

    def __init__(self, config) -> None:
        self.config = config

    def for_path(self, path: Path):
        return self.config


def lint_text(
    text: str,
    *,
    profile: str = "national",
    select: Sequence[str] | None = None,
    rules: Mapping[str, Mapping[str, Any]] | None = None,
    plugins: PluginSet | None = None,
    path: str = "report.txt",
    earlier: Sequence[tuple[str, str]] = (),
) -> FileResult:
    """Lint ``text`` as the report file ``path`` with the given configuration.

    ``plugins`` defaults to the built-in rules plus every installed plugin. With ``select``,
    PS900 (rule-crashed) is selected too, so a crashing rule shows up as a diagnostic.
    ``earlier`` are other reports, as ``(path, text)``, that the cross-report rules (XR) compare
    ``text`` with (as ``--history`` does); their own findings are not reported.
    """
    from nianbao.config.files import DEFAULT_CONFIG
    from nianbao.engine.linter import Linter

    if select is not None and "PS900" not in select:
        select = (*select, "PS900")
    config = dataclasses.replace(
        DEFAULT_CONFIG,
        root=Path.cwd(),
        select=None if select is None else tuple(select),
        profile=profile,
        rules={key: dict(value) for key, value in (rules or {}).items()},
    )
    linter = Linter(plugins if plugins is not None else plugin_set(), _FixedResolver(config), debug=True)
    if not earlier:
        return linter.lint_bytes(text.encode("utf-8"), path)
    from nianbao.corpus.check import corpus_rules, record_request, run_corpus_rules
    from nianbao.corpus.corpus import Corpus

    rules = corpus_rules(linter, [path])
    request = record_request(rules)
    result = linter.lint_bytes(text.encode("utf-8"), path, request)
    history = [linter.lint_bytes(other.encode("utf-8"), name, request).record for name, other in earlier]
    if result.record is not None:
        corpus = Corpus([result.record], [record for record in history if record is not None])
        for found in run_corpus_rules(linter, corpus, rules, config):
            result.diagnostics.extend(found.diagnostics)
            result.crashed_rules.extend(found.crashed_rules)
        result.diagnostics.sort(key=lambda item: item.sort_key())
    return result


# --- case files ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Expected:
    """One diagnostic a case expects; unset fields are not compared."""

    code: str
    line: int | None = None
    column: int | None = None
    end_line: int | None = None
    end_column: int | None = None
    severity: str | None = None
    message: str | None = None

    def matches(self, diagnostic: Diagnostic) -> bool:
        location = diagnostic.location
        checks = (
            (self.code, diagnostic.code),
            (self.line, location.line),
            (self.column, location.column),
            (self.end_line, location.end_line),
            (self.end_column, location.end_column),
            (self.severity, diagnostic.severity.value),
        )
        if any(wanted is not None and wanted != actual for wanted, actual in checks):
            return False
        return self.message is None or self.message in diagnostic.message

    def describe(self) -> str:
        where = ""
        if self.line is not None:
            where = f" 第 {self.line} 行" + (f"第 {self.column} 列" if self.column is not None else "")
        extra = f"，级别 {self.severity}" if self.severity else ""
        text = f"，消息含“{self.message}”" if self.message else ""
        return f"{self.code}{where}{extra}{text}"


@dataclass(frozen=True)
class Case:
    name: str
    source: Path
    """The case file."""
    text: str
    path: str
    profile: str
    select: tuple[str, ...] | None
    rules: Mapping[str, Mapping[str, Any]]
    plugins: tuple[str, ...] | None
    plugin_modules: tuple[str, ...]
    profile_packages: tuple[str, ...] = ()
    expect: tuple[Expected, ...] = field(default_factory=tuple)
    earlier: tuple[tuple[str, str], ...] = ()
    """Reports of earlier years, as (path, text), for the cross-report rules (``[[case.earlier]]``)."""


def load_cases(case_file: str | Path) -> list[Case]:
    """Read a case file; raise :class:`CaseError` (Chinese, naming the file) when malformed."""
    case_file = Path(case_file)
    try:
        data = read_toml(case_file, "案例文件")
    except TomlError as error:
        raise CaseError(f"{case_file.name}：无法读取案例文件：{error.problem}") from None
    _reject_unknown(data, _FILE_KEYS, case_file.name)
    entries = data.get("case", [])
    if not isinstance(entries, list) or not entries:
        raise CaseError(f"{case_file.name}：至少需要一个 [[case]]")
    cases = []
    names: set[str] = set()
    for number, entry in enumerate(entries, 1):
        where = f"{case_file.name} 第 {number} 个案例"
        if not isinstance(entry, dict):
            raise CaseError(f"{where}：应为表")
        _reject_unknown(entry, _CASE_KEYS, where)
        name = entry.get("name")
        if not isinstance(name, str) or not name.strip():
            raise CaseError(f"{where}：需要 name")
        if name in names:
            raise CaseError(f"{where}：名称“{name}”重复")
        names.add(name)
        setting = {**{key: value for key, value in data.items() if key != "case"}, **entry}
        text, default_path = _case_text(entry, case_file, where)
        cases.append(
            Case(
                name=name,
                source=case_file,
                text=text,
                path=str(setting.get("path", default_path)),
                profile=str(setting.get("profile", "national")),
                select=_optional_strings(setting.get("select"), f"{where} 的 select"),
                rules=setting.get("rules", {}),
                plugins=_optional_strings(setting.get("plugins"), f"{where} 的 plugins"),
                plugin_modules=_optional_strings(setting.get("plugin-modules"), f"{where} 的 plugin-modules") or (),
                profile_packages=_optional_strings(setting.get("profile-packages"), f"{where} 的 profile-packages")
                or (),
                expect=tuple(_expected(item, where) for item in _list(entry.get("expect"), f"{where} 的 expect")),
                earlier=tuple(_earlier(item, case_file, f"{where} 的 earlier") for item in _list(entry.get("earlier"), f"{where} 的 earlier")),
            )
        )
    return cases


def _reject_unknown(data: Mapping[str, Any], known: Sequence[str], where: str) -> None:
    unknown = sorted(set(data) - set(known))
    if unknown:
        raise CaseError(f"{where}：未知的键 {'、'.join(unknown)}；可用：{'、'.join(known)}")


def _case_text(entry: Mapping[str, Any], case_file: Path, where: str) -> tuple[str, str]:
    if ("text" in entry) == ("file" in entry):
        raise CaseError(f"{where}：text 和 file 必须且只能给一个")
    if "text" in entry:
        text, display = entry["text"], "report.txt"
    else:
        report = case_file.parent / entry["file"]
        try:
            text = report.read_text("utf-8")
        except OSError as error:
            raise CaseError(f"{where}：无法读取报告文件 {entry['file']}：{error.strerror or error}") from None
        display = Path(entry["file"]).name
    for pair in _list(entry.get("replace"), f"{where} 的 replace"):
        if not (isinstance(pair, list) and len(pair) == 2 and all(isinstance(item, str) for item in pair)):
            raise CaseError(f"{where}：replace 的每一项应为 [原文, 替换为]")
        old, new = pair
        if old not in text:
            raise CaseError(f"{where}：要替换的文本“{old}”在报告中找不到")
        text = text.replace(old, new)
    return text, display


def _earlier(entry: Any, case_file: Path, where: str) -> tuple[str, str]:
    """(path, text) of one ``[[case.earlier]]`` report: a ``path`` and a text or file as a case has."""
    if not isinstance(entry, dict) or not isinstance(entry.get("path"), str):
        raise CaseError(f"{where}：每一项应为含 path 的表（报告的文件名），并给出 text 或 file")
    _reject_unknown(entry, _EARLIER_KEYS, where)
    return entry["path"], _case_text(entry, case_file, where)[0]


def _list(value: Any, where: str) -> list:
    if value is None:
        return []
    if not isinstance(value, list):
        raise CaseError(f"{where} 应为数组")
    return value


def _optional_strings(value: Any, where: str) -> tuple[str, ...] | None:
    if value is None:
        return None
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise CaseError(f"{where} 应为字符串数组")
    return tuple(value)


def _expected(item: Any, where: str) -> Expected:
    if not isinstance(item, dict) or not isinstance(item.get("code"), str):
        raise CaseError(f"{where}：expect 的每一项应为含 code 的表，如 {{ code = \"JL001\", line = 3, column = 5 }}")
    _reject_unknown(item, _EXPECT_KEYS, f"{where} 的 expect")
    return Expected(**item)


def check_case(case: Case) -> list[Diagnostic]:
    """Lint the case's report and compare; raise AssertionError listing missing and unexpected
    diagnostics. Returns the diagnostics (for further checks)."""
    plugins = plugin_set(case.plugins, case.plugin_modules, case.profile_packages)
    result = lint_text(
        case.text, profile=case.profile, select=case.select, rules=case.rules, plugins=plugins, path=case.path, earlier=case.earlier
    )
    missing, unexpected = compare(case.expect, result.diagnostics)
    if missing or unexpected:
        lines = [f"案例“{case.name}”（{case.source.name}）与预期不符："]
        if missing:
            lines.append("  预期报告但没有报告：")
            lines += [f"    {expected.describe()}" for expected in missing]
        if unexpected:
            lines.append("  报告了但不在预期中：")
            lines += [f"    {_show(diagnostic)}" for diagnostic in unexpected]
        if result.diagnostics and missing:
            lines.append("  实际报告的全部问题：")
            lines += [f"    {_show(diagnostic)}" for diagnostic in result.diagnostics]
        raise AssertionError("\n".join(lines))
    return result.diagnostics


def compare(expected: Iterable[Expected], diagnostics: Iterable[Diagnostic]) -> tuple[list[Expected], list[Diagnostic]]:
    """Pair expected with actual diagnostics one to one; return what is left on each side."""
    remaining = list(diagnostics)
    missing = []
    for wanted in expected:
        match = next((diagnostic for diagnostic in remaining if wanted.matches(diagnostic)), None)
        if match is None:
            missing.append(wanted)
        else:
            remaining.remove(match)
    return missing, remaining


def _show(diagnostic: Diagnostic) -> str:
    location = diagnostic.location
    return f"{location.line}:{location.column}: {diagnostic.code} {diagnostic.message} [{diagnostic.severity.value}]"


# --- pytest plugin ------------------------------------------------------------------------------


def pytest_collect_file(file_path: Path, parent: pytest.Collector):
    if file_path.name.endswith(CASE_FILE_SUFFIX):
        return CaseFile.from_parent(parent, path=file_path)
    return None


class CaseFile(pytest.File):
    """A ``*.cases.toml`` file: one test item per ``[[case]]``."""

    def collect(self):
        try:
            cases = load_cases(self.path)
        except CaseError as error:
            raise self.CollectError(str(error)) from None
        for case in cases:
            yield CaseItem.from_parent(self, name=case.name, case=case)


class CaseItem(pytest.Item):
    def __init__(self, *, case: Case, **kwargs) -> None:
        super().__init__(**kwargs)
        self.case = case

    def runtest(self) -> None:
        check_case(self.case)

    def repr_failure(self, excinfo, style=None):
        if isinstance(excinfo.value, (AssertionError, CaseError)):
            return str(excinfo.value)
        return super().repr_failure(excinfo)

    def reportinfo(self):
        return self.path, None, f"{self.path.name}::{self.name}"


@pytest.fixture
def nianbao_lint():
    """:func:`lint_text`, for tests that lint a string: ``nianbao_lint(text, profile="jilin")``."""
    return lint_text
