"""Finding and loading plugins: the built-in ones by name, third-party ones by entry point."""

from __future__ import annotations

import importlib
import os
import re
import stat
import sys
from dataclasses import dataclass, field, replace
from importlib import resources
from typing import TYPE_CHECKING, Any, Callable, Sequence

import pluggy
from nianbao.plugins import hookspecs
from nianbao.plugins.hookspecs import PROFILES_GROUP, PROJECT_NAME
from nianbao.plugins.rule import Rule, RuleInfo, Severity

if TYPE_CHECKING:
    from nianbao.variants.profile import Profile

# Registered explicitly, by module name, so that core never imports the rule packages itself.
BUILTIN_PLUGINS = (
    ("nianbao.builtin", "nianbao.builtin"),
    ("nianbao.rules", "nianbao.rules"),
    ("nianbao.formats", "nianbao.output.formats.builtin"),
)
BUILTIN_NAMES = frozenset(name for name, _ in BUILTIN_PLUGINS)
CODE_PATTERN = re.compile(r"^[A-Z]{2,5}\d{3}$")
NAME_PATTERN = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
# Code families of the built-in catalog; a third-party rule must use a prefix of its own.
RESERVED_PREFIXES = ("PS", "ST", "TB", "AR", "DT", "NR", "SR", "XR")


@dataclass
class PluginProblem:
    """A plugin that could not be used, with a Chinese message naming it."""

    plugin: str
    message: str


@dataclass
class PluginSet:
    """Everything the loaded plugins provide, with the problems met on the way."""

    manager: pluggy.PluginManager
    rules: list[RuleInfo] = field(default_factory=list)
    formats: dict[str, Any] = field(default_factory=dict)
    templates: list[dict] = field(default_factory=list)
    profiles: dict[str, Any] = field(default_factory=dict)
    lexicons: dict[str, list[dict]] = field(default_factory=dict)
    """Lexicon name → the extensions plugins add to it (section → entries), one per plugin."""
    problems: list[PluginProblem] = field(default_factory=list)
    names: list[str] = field(default_factory=list)
    distributions: dict[str, str] = field(default_factory=dict)
    """Plugin name → the distribution that installed it (for ``--require-plugins``)."""

    def rule(self, code_or_name: str) -> RuleInfo | None:
        wanted = code_or_name.upper()
        for info in self.rules:
            if info.rule.code == wanted or info.rule.name == code_or_name:
                return info
        return None


def new_manager() -> pluggy.PluginManager:
    manager = pluggy.PluginManager(PROJECT_NAME)
    manager.add_hookspecs(hookspecs)
    return manager


def load_plugins(
    entry_points: bool = True,
    extra: Sequence[tuple[str, object]] = (),
    profile_packages: Sequence[tuple[str, str]] = (),
) -> PluginSet:
    """Register the built-in plugins, then each third-party entry point on its own.

    ``extra`` are ``(name, plugin)`` pairs registered as if installed, ``profile_packages``
    ``(name, package)`` pairs of data-only profile packages (every ``*.toml`` file in the package
    is a profile), loaded as if installed in the ``nianbao.profiles`` entry-point group.
    A plugin that fails to import, does not validate against the hook specifications, or
    raises in a hook is reported in ``problems`` and left out; the rest go on.
    """
    manager = new_manager()
    plugins = PluginSet(manager)
    for name, module_name in BUILTIN_PLUGINS:
        manager.register(importlib.import_module(module_name), name=name)
    if entry_points:
        _load_entry_points(manager, plugins)
    for name, plugin in extra:
        _register(manager, plugins, name, lambda plugin=plugin: plugin)
    try:
        manager.check_pending()
    except pluggy.PluginValidationError as error:
        name = manager.get_name(error.plugin) or getattr(error.plugin, "__name__", "?")
        known = {name for name in dir(hookspecs) if name.startswith("nianbao_")}
        unknown = [attribute for attribute in dir(error.plugin) if attribute.startswith("nianbao_") and attribute not in known]
        detail = f"定义了未知的钩子 {'、'.join(sorted(unknown))}（钩子名见 docs/hooks.md）" if unknown else str(error)
        plugins.problems.append(PluginProblem(name, f"插件 {name} 未通过校验：{detail}"))
    plugins.names = [name for name, _ in manager.list_name_plugin()]
    _collect_rules(manager, plugins)
    for plugin_name, result in _call_each(manager, plugins, "nianbao_output_formats"):
        for formatter in result or ():
            plugins.formats.setdefault(formatter.name, formatter)
    for plugin_name, result in _call_each(manager, plugins, "nianbao_table_templates"):
        plugins.templates.extend(_valid_templates(plugins, plugin_name, result or ()))
    for plugin_name, result in _call_each(manager, plugins, "nianbao_profiles"):
        for profile in result or ():
            _add_profile(plugins, plugin_name, profile)
    installed = [entry for entry in _entry_points() if entry[0] == PROFILES_GROUP] if entry_points else []
    for _, name, package, distribution in installed:
        _load_profile_package(plugins, name, package, distribution)
    for name, package in profile_packages:
        _load_profile_package(plugins, name, package)
    for plugin_name, result in _call_each(manager, plugins, "nianbao_lexicons"):
        _add_lexicons(plugins, plugin_name, result or {})
    return plugins


def _valid_templates(plugins: PluginSet, plugin_name: str, templates) -> list[dict]:
    """A plugin's templates that the table module accepts; a bad one is left out with a message."""
    from nianbao.tables.templates import template_from_mapping

    valid = []
    for template in templates:
        try:
            template_from_mapping(template, origin=f"插件 {plugin_name}")
        except (ValueError, TypeError, AttributeError) as error:
            plugins.problems.append(PluginProblem(plugin_name, f"插件 {plugin_name} 的表格模板未加载：{error}"))
            continue
        valid.append(dict(template, plugin=plugin_name))
    return valid


def _add_profile(plugins: PluginSet, plugin_name: str, profile: Any) -> None:
    from nianbao.variants.profile import AUTO, NATIONAL_NAME, Profile

    if not isinstance(profile, Profile):
        message = f"插件 {plugin_name} 的配置档未加载：应为 nianbao.variants.profile.Profile，得到 {type(profile).__name__}"
        plugins.problems.append(PluginProblem(plugin_name, message))
        return
    if profile.name in (NATIONAL_NAME, AUTO) or profile.name in plugins.profiles:
        message = f"插件 {plugin_name} 的配置档 {profile.name} 未加载：该名称已被使用"
        plugins.problems.append(PluginProblem(plugin_name, message))
        return
    profile, problems = validated_profile(profile, plugins.rules)
    plugins.problems.extend(PluginProblem(plugin_name, f"插件 {plugin_name}：{problem}") for problem in problems)
    plugins.profiles[profile.name] = profile


def _load_profile_package(plugins: PluginSet, name: str, package: str, distribution: str | None = None) -> None:
    """Every ``*.toml`` file of ``package`` as a profile of the plugin ``name``: a province or city
    that is only data ships its profiles this way, without hooks (entry-point group
    ``nianbao.profiles``)."""
    from nianbao.variants.profile import ProfileError, load_profile

    if name in plugins.names or name in BUILTIN_NAMES:
        plugins.problems.append(PluginProblem(name, f"插件 {name} 与已加载的插件重名，已忽略"))
        return
    try:
        files = [entry for entry in resources.files(package).iterdir() if entry.name.endswith(".toml")]
    except Exception as error:  # the package is missing or fails to import
        plugins.problems.append(PluginProblem(name, f"插件 {name} 加载失败：{type(error).__name__}: {error}"))
        return
    plugins.names.append(name)
    if distribution is not None:
        plugins.distributions[name] = distribution
    if not files:
        plugins.problems.append(PluginProblem(name, f"插件 {name} 的包 {package} 中没有配置档文件（*.toml）"))
    for entry in sorted(files, key=lambda entry: entry.name):
        try:
            profile = load_profile(entry, f"{name}/{entry.name}")
        except ProfileError as error:
            plugins.problems.append(PluginProblem(name, f"插件 {name} 的配置档未加载：{error}"))
            continue
        _add_profile(plugins, name, profile)


def validated_profile(profile: Profile, rules: Sequence[RuleInfo]) -> tuple[Profile, list[str]]:
    """The profile with rule settings that cannot apply removed, and why each was removed.

    Settings for a rule that is not installed are kept silently (the rule may come from a
    plugin that is simply absent); settings a rule would refuse (unknown option, wrong type)
    are removed so that they cannot crash the rule on every report.
    """
    by_key = {info.rule.code: info.rule for info in rules} | {info.rule.name: info.rule for info in rules}
    problems = []
    kept = {}
    for key, settings in profile.rules.items():
        rule = by_key.get(key)
        if rule is not None:
            options = {name: value for name, value in settings.items() if name != "severity"}
            try:
                rule.resolve_options(options)
            except ValueError as error:
                problems.append(f"配置档 {profile.name} 对规则 {key} 的设置无效，已忽略：{error}")
                continue
        kept[key] = settings
    return (replace(profile, rules=kept) if problems else profile), problems


def _add_lexicons(plugins: PluginSet, plugin_name: str, lexicons: Any) -> None:
    from nianbao.variants.lexicon import LexiconError, load_lexicon

    if not isinstance(lexicons, dict):
        message = f"插件 {plugin_name} 的词库条目未加载：应为 {{词库名: {{类别: [条目]}}}}"
        plugins.problems.append(PluginProblem(plugin_name, message))
        return
    for name, extension in lexicons.items():
        try:
            load_lexicon(name, [extension])  # checked now so a bad entry cannot crash a rule later
        except (LexiconError, TypeError) as error:
            plugins.problems.append(PluginProblem(plugin_name, f"插件 {plugin_name} 的词库条目未加载：{error}"))
            continue
        plugins.lexicons.setdefault(name, []).append(dict(extension))


def missing_plugins(plugins: PluginSet, required: list[str] | tuple[str, ...]) -> list[str]:
    """Chinese messages for each required plugin (by plugin or distribution name) not loaded."""
    loaded = {_canonical(name) for name in plugins.names} | {_canonical(d) for d in plugins.distributions.values()}
    messages = []
    for name in required:
        failures = [problem.message for problem in plugins.problems if _canonical(problem.plugin) == _canonical(name)]
        if _canonical(name) in loaded and not failures:
            continue
        if _canonical(name) in loaded:
            # Loaded, but some of what it provides was refused: CI must not pass without it.
            reason = f"部分内容未能加载（{failures[0]}）"
        else:
            reason = f"加载失败（{failures[0]}）" if failures else f"未安装（pip install {name}）"
        messages.append(f"缺少必需的插件 {name}：{reason}")
    return messages


def _canonical(name: str) -> str:
    """Distribution names compare case-insensitively, with - _ . alike (PEP 503)."""
    return re.sub(r"[-_.]+", "-", name).lower()


def _load_entry_points(manager: pluggy.PluginManager, plugins: PluginSet) -> None:
    for group, name, value, distribution in _entry_points():
        if group != PROJECT_NAME:
            continue
        _register(manager, plugins, name, lambda value=value: _load_object(value))
        if distribution is not None and manager.has_plugin(name):
            plugins.distributions[name] = distribution


def _entry_points() -> list[tuple[str, str, str, str | None]]:
    """``(group, name, value, distribution)`` of every entry point in the ``nianbao`` (plugin
    modules) and ``nianbao.profiles`` (profile packages) groups.

    Asking importlib.metadata means importing it and reading the metadata of every installed
    distribution, a tenth of a short run; the answer is kept between runs (nianbao.data.cache)
    while no distribution on ``sys.path`` is added, removed or given other entry points.
    """
    from nianbao.data.cache import cached

    return cached("entry-points", _read_entry_points, depends_on=_installed_metadata())


def _read_entry_points() -> list[tuple[str, str, str, str | None]]:
    from importlib.metadata import entry_points

    installed = entry_points()
    return [
        (group, entry_point.name, entry_point.value, entry_point.dist.name if entry_point.dist is not None else None)
        for group in (PROJECT_NAME, PROFILES_GROUP)
        for entry_point in installed.select(group=group)
    ]


def _installed_metadata() -> tuple:
    """The interpreter, ``sys.path`` and, in each of its folders, the metadata folders of the
    installed distributions with the state of their ``entry_points.txt``: where
    importlib.metadata finds entry points."""
    stamps: list[tuple] = [(sys.executable,)]
    for entry in sys.path:
        folder = entry or "."
        try:
            status = os.stat(folder)
        except OSError:
            stamps.append((entry,))
            continue
        stamps.append((entry, status.st_mtime_ns, status.st_size))
        if not stat.S_ISDIR(status.st_mode):
            continue  # a zip file: its modification time stands for its contents
        try:
            names = sorted(name for name in os.listdir(folder) if name.endswith((".dist-info", ".egg-info")))
        except OSError:
            continue
        for name in names:
            try:
                listed = os.stat(os.path.join(folder, name, "entry_points.txt"))
                stamps.append((name, listed.st_mtime_ns, listed.st_size))
            except OSError:
                stamps.append((name,))
    return tuple(stamps)


# The form of an entry point's value (importlib.metadata.EntryPoint.pattern).
_ENTRY_POINT_VALUE = re.compile(r"(?P<module>[\w.]+)\s*(:\s*(?P<attr>[\w.]+)\s*)?((?P<extras>\[.*\])\s*)?$")


def _load_object(value: str) -> object:
    """What an entry point's ``value`` names, loaded as importlib.metadata's EntryPoint.load does."""
    match = _ENTRY_POINT_VALUE.match(value)
    if match is None:
        raise ValueError(f"入口点 {value!r} 格式无效")
    target: object = importlib.import_module(match.group("module"))
    for attribute in filter(None, (match.group("attr") or "").split(".")):
        target = getattr(target, attribute)
    return target


def _register(manager: pluggy.PluginManager, plugins: PluginSet, name: str, load: Callable[[], object]) -> None:
    if manager.has_plugin(name) or name in BUILTIN_NAMES:
        plugins.problems.append(PluginProblem(name, f"插件 {name} 与已加载的插件重名，已忽略"))
        return
    try:
        plugin = load()
    except Exception as error:  # any import-time failure of third-party code
        plugins.problems.append(PluginProblem(name, f"插件 {name} 加载失败：{type(error).__name__}: {error}"))
        return
    written_for = getattr(plugin, "NIANBAO_PLUGIN_API", None)
    if written_for is not None and str(written_for).split(".")[0] != hookspecs.PLUGIN_API_VERSION.split(".")[0]:
        newer = int(str(written_for).split(".")[0] or 0) > int(hookspecs.PLUGIN_API_VERSION.split(".")[0])
        advice = "请升级 nianbao" if newer else "请升级该插件"
        message = f"插件 {name} 是为插件接口 {written_for} 编写的，当前为 {hookspecs.PLUGIN_API_VERSION}，已忽略；{advice}"
        plugins.problems.append(PluginProblem(name, message))
        return
    try:
        manager.register(plugin, name=name)
    except (pluggy.PluginValidationError, ValueError) as error:
        plugins.problems.append(PluginProblem(name, f"插件 {name} 无法注册：{error}"))


def _call_each(manager: pluggy.PluginManager, plugins: PluginSet, hook_name: str):
    """Call one hook plugin by plugin, so a failing plugin only loses its own contribution."""
    caller = getattr(manager.hook, hook_name)
    # Registration order: built-ins first, so a plugin can never displace a built-in rule or format.
    for implementation in caller.get_hookimpls():
        try:
            yield implementation.plugin_name, implementation.function()
        except Exception as error:
            plugins.problems.append(
                PluginProblem(
                    implementation.plugin_name,
                    f"插件 {implementation.plugin_name} 的 {hook_name} 出错：{type(error).__name__}: {error}",
                )
            )


def _collect_rules(manager: pluggy.PluginManager, plugins: PluginSet) -> None:
    seen: dict[str, str] = {}
    seen_names: dict[str, str] = {}
    for plugin_name, result in _call_each(manager, plugins, "nianbao_rules"):
        for rule in result or ():
            problem = validate_rule_class(rule)
            if problem is None and plugin_name not in BUILTIN_NAMES and rule.code.startswith(RESERVED_PREFIXES):
                problem = f"代码前缀 {rule.code[:2]} 保留给内置规则，请使用插件自己的前缀"
            if problem is None and rule.code in seen:
                problem = f"规则代码 {rule.code} 已由插件 {seen[rule.code]} 定义"
            if problem is None and rule.name in seen_names:
                problem = f"规则名 {rule.name} 已由插件 {seen_names[rule.name]} 使用"
            if problem is not None:
                label = getattr(rule, "code", None) or getattr(rule, "__name__", repr(rule))
                plugins.problems.append(
                    PluginProblem(plugin_name, f"插件 {plugin_name} 的规则 {label} 未加载：{problem}")
                )
                continue
            seen[rule.code] = plugin_name
            seen_names[rule.name] = plugin_name
            plugins.rules.append(RuleInfo(rule, plugin_name))
    plugins.rules.sort(key=lambda info: info.rule.code)


def validate_rule_class(rule: object) -> str | None:
    """Why ``rule`` cannot be used as a rule, or None when it can."""
    if not (isinstance(rule, type) and issubclass(rule, Rule)):
        return "不是 nianbao.api.Rule 的子类"
    for attribute in ("code", "name", "summary", "severity"):
        if not hasattr(rule, attribute):
            return f"缺少属性 {attribute}"
    if not CODE_PATTERN.match(rule.code):
        return f"规则代码 {rule.code!r} 不合格式（两到五个大写字母的前缀加三位数字，如 MP001）"
    if not NAME_PATTERN.match(rule.name):
        return f"规则名 {rule.name!r} 应为小写字母和连字符（kebab-case）"
    if not isinstance(rule.severity, Severity):
        return "severity 应为 nianbao.api.Severity 的成员（如 Severity.WARNING）"
    if not rule.doc():
        return "缺少文档（类的 docstring）"
    return None
