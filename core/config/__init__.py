"""Configuration: where it lives, what it may say, and which rules it enables for a file.

Configuration is the ``[tool.nianbao]`` table of a ``pyproject.toml`` or the top level of a
``nianbao.toml``. For each linted file the closest such file, walking up from the file's
directory, applies; in one directory ``nianbao.toml`` wins over ``pyproject.toml``, and a
``pyproject.toml`` without a ``[tool.nianbao]`` table is passed over.

Loading checks the shape of the file (key names, value types, severities). Whether the
selectors and ``[rules.…]`` tables name real rules is checked by :class:`Selection`, because
only the caller knows which rules (built-in and from plugins) exist.

Every error a user can see is a :class:`ConfigError` whose text is Chinese and names the file
and the offending key.
"""

from __future__ import annotations

import difflib
import functools
import os
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Callable, Sequence

try:
    import tomllib
except ImportError:  # Python 3.10
    import tomli as tomllib  # type: ignore[no-redef]

__all__ = [
    "ConfigError",
    "Config",
    "DEFAULT_CONFIG",
    "SEVERITIES",
    "FAIL_ON_LEVELS",
    "load_config",
    "find_config_file",
    "ConfigResolver",
    "RuleRef",
    "Selection",
    "is_excluded",
    "is_included",
]

NIANBAO_TOML = "nianbao.toml"
PYPROJECT_TOML = "pyproject.toml"
# In one directory the dedicated file wins over pyproject.toml.
CONFIG_FILE_NAMES = (NIANBAO_TOML, PYPROJECT_TOML)

SEVERITIES = ("error", "warning", "info", "off")
FAIL_ON_LEVELS = ("error", "warning", "info")
ALL_SELECTOR = "ALL"

DEFAULT_INCLUDE = ("*.txt", "*.md")
DEFAULT_EXCLUDE = (".git", "node_modules", ".venv", "__pycache__")

_SELECTOR_LIST_KEYS = ("select", "extend-select", "ignore")

# tomllib reports errors in English; the common ones are translated so that a report author can
# act on them. Unlisted messages are shown as they are.
_TOML_ERROR_TRANSLATIONS = (
    ("Expected '=' after a key", "键后面缺少 '='（键名含空格或特殊字符时需要加引号）"),
    ("Expected newline or end of document after a statement", "一行只能写一条语句，语句后面出现了多余内容"),
    ("Invalid value", "值无效（字符串需要加引号，数组需要用 ] 结束）"),
    ("Invalid statement", "无法识别的语句"),
    ("Unclosed array", "数组没有用 ] 结束"),
    ("Unclosed inline table", "内联表没有用 } 结束"),
    ("Unterminated string", "字符串没有结束引号"),
    ("Cannot overwrite a value", "同一个键被重复赋值"),
    ("Cannot declare", "同一个表被重复声明"),
    ("Illegal character", "非法字符"),
    ("Invalid initial character for a key part", "键名以非法字符开头"),
)

_TYPE_NAMES = {
    str: "字符串",
    bool: "布尔值",
    int: "整数",
    float: "小数",
    list: "数组",
    dict: "表",
}


class ConfigError(Exception):
    """A configuration problem; ``str(error)`` is the complete Chinese message.

    ``path`` is the configuration file (None when the configuration did not come from a
    file) and ``key`` the offending key as written in the file (dotted for nested keys).
    """

    def __init__(self, message: str, *, path: Path | None = None, key: str | None = None) -> None:
        self.path = path
        self.key = key
        self.detail = message
        super().__init__(f"{_source_label(path)}：{message}")


@dataclass
class Config:
    path: Path | None
    """The file the configuration came from; None for the built-in defaults."""
    root: Path
    """Directory that relative patterns (per-file-ignores, include, exclude) are relative to."""
    select: tuple[str, ...] | None = None
    """None means "every rule"."""
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    include: tuple[str, ...] = DEFAULT_INCLUDE
    exclude: tuple[str, ...] = DEFAULT_EXCLUDE
    """Already includes ``extend-exclude``."""
    fail_on: str = "error"
    profile: str = "national"
    require_plugins: tuple[str, ...] = ()
    rules: dict[str, dict[str, object]] = field(default_factory=dict)
    """``[rules.<code or name>]`` tables as written, including ``severity``."""


DEFAULT_CONFIG = Config(path=None, root=Path("."))


# ---------------------------------------------------------------------------------------------
# Reading files


def _read_toml(path: Path) -> dict[str, Any]:
    """Parse one TOML file. Every read of a configuration file goes through here."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise ConfigError("找不到配置文件", path=path) from None
    except IsADirectoryError:
        raise ConfigError("这是一个目录，不是配置文件", path=path) from None
    except PermissionError:
        raise ConfigError("没有读取配置文件的权限", path=path) from None
    except OSError as error:
        raise ConfigError(f"无法读取配置文件（{error.strerror or error}）", path=path) from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise ConfigError(f"第 {line} 行不是 UTF-8 编码；TOML 配置文件必须以 UTF-8 保存", path=path) from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(_describe_toml_error(str(error), text), path=path) from None


def _describe_toml_error(message: str, text: str) -> str:
    position = re.search(r"\s*\(at line (\d+), column (\d+)\)\s*$", message)
    if position:
        where = f"第 {position.group(1)} 行第 {position.group(2)} 列"
        reason = message[: position.start()]
    else:
        at_end = re.search(r"\s*\(at end of document\)\s*$", message)
        reason = message[: at_end.start()] if at_end else message
        last_line = text.count("\n") + (0 if text.endswith("\n") else 1)
        where = f"文件末尾（第 {max(last_line, 1)} 行）"
    for english, chinese in _TOML_ERROR_TRANSLATIONS:
        if reason.startswith(english):
            reason = chinese
            break
    return f"{where}有 TOML 语法错误：{reason}"


def _is_pyproject(path: Path) -> bool:
    return path.name == PYPROJECT_TOML


def _has_nianbao_table(document: dict[str, Any]) -> bool:
    tool = document.get("tool")
    return isinstance(tool, dict) and "nianbao" in tool


def _nianbao_table(document: dict[str, Any], path: Path) -> dict[str, Any]:
    if not _is_pyproject(path):
        return document
    if not _has_nianbao_table(document):
        return {}
    table = document["tool"]["nianbao"]
    if not isinstance(table, dict):
        raise ConfigError(
            f"'tool.nianbao' 应为表（[tool.nianbao]），实际为{_type_name(table)}",
            path=path,
            key="tool.nianbao",
        )
    return table


def load_config(path: Path) -> Config:
    """Read and check one configuration file (``pyproject.toml`` or any other TOML file).

    A ``pyproject.toml`` without ``[tool.nianbao]`` gives the defaults. Raises
    :class:`ConfigError` for a missing or unreadable file, malformed TOML, unknown keys and
    values of the wrong type.
    """
    path = _absolute(path)
    return _config_from_document(_read_toml(path), path)


def _config_from_document(document: dict[str, Any], path: Path) -> Config:
    table = _nianbao_table(document, path)
    reader = _TableReader(table, path)
    reader.reject_unknown_keys()

    exclude = reader.string_list("exclude")
    extend_exclude = reader.string_list("extend-exclude") or ()
    return Config(
        path=path,
        root=path.parent,
        select=reader.string_list("select"),
        extend_select=reader.string_list("extend-select") or (),
        ignore=reader.string_list("ignore") or (),
        per_file_ignores=reader.per_file_ignores(),
        include=reader.string_list("include") if "include" in table else DEFAULT_INCLUDE,
        exclude=(DEFAULT_EXCLUDE if exclude is None else exclude) + extend_exclude,
        fail_on=reader.choice("fail-on", FAIL_ON_LEVELS, default="error"),
        profile=reader.string("profile", default="national"),
        require_plugins=reader.string_list("require-plugins") or (),
        rules=reader.rules(),
    )


class _TableReader:
    """Typed access to the keys of the nianbao table, raising errors that name the key."""

    KEYS = (
        "select",
        "extend-select",
        "ignore",
        "per-file-ignores",
        "include",
        "exclude",
        "extend-exclude",
        "fail-on",
        "profile",
        "require-plugins",
        "rules",
    )

    def __init__(self, table: dict[str, Any], path: Path) -> None:
        self.table = table
        self.path = path

    def error(self, key: str, message: str) -> ConfigError:
        return ConfigError(message, path=self.path, key=_qualified(self.path, key))

    def label(self, key: str) -> str:
        return f"'{_qualified(self.path, key)}'"

    def reject_unknown_keys(self) -> None:
        for key in self.table:
            if key in self.KEYS:
                continue
            hint = _suggestion(key.replace("_", "-"), self.KEYS, qualify=lambda k: _qualified(self.path, k))
            raise self.error(key, f"未知的配置项 {self.label(key)}{hint}")

    def string_list(self, key: str) -> tuple[str, ...] | None:
        if key not in self.table:
            return None
        return self._strings(key, self.table[key])

    def _strings(self, key: str, value: Any) -> tuple[str, ...]:
        if isinstance(value, str):
            raise self.error(key, f"{self.label(key)} 应为字符串数组，例如 {_key_tail(key)} = [\"{value}\"]，实际为字符串")
        if not isinstance(value, list):
            raise self.error(key, f"{self.label(key)} 应为字符串数组，实际为{_type_name(value)}")
        for position, item in enumerate(value, 1):
            if not isinstance(item, str):
                raise self.error(key, f"{self.label(key)} 的第 {position} 项应为字符串，实际为{_type_name(item)}")
            if not item.strip():
                raise self.error(key, f"{self.label(key)} 的第 {position} 项是空字符串")
        return tuple(item.strip() for item in value)

    def string(self, key: str, *, default: str) -> str:
        if key not in self.table:
            return default
        value = self.table[key]
        if not isinstance(value, str):
            raise self.error(key, f"{self.label(key)} 应为字符串，实际为{_type_name(value)}")
        if not value.strip():
            raise self.error(key, f"{self.label(key)} 不能为空")
        return value.strip()

    def choice(self, key: str, choices: Sequence[str], *, default: str) -> str:
        value = self.string(key, default=default)
        if value.lower() in choices:
            return value.lower()
        raise self.error(key, _bad_choice_message(self.label(key), value, choices))

    def per_file_ignores(self) -> tuple[tuple[str, tuple[str, ...]], ...]:
        key = "per-file-ignores"
        if key not in self.table:
            return ()
        value = self.table[key]
        if not isinstance(value, dict):
            raise self.error(key, f"{self.label(key)} 应为表（模式 = [规则列表]），实际为{_type_name(value)}")
        return tuple(
            (pattern, self._strings(f"{key}.{_toml_key(pattern)}", selectors))
            for pattern, selectors in value.items()
        )

    def rules(self) -> dict[str, dict[str, object]]:
        key = "rules"
        if key not in self.table:
            return {}
        value = self.table[key]
        if not isinstance(value, dict):
            raise self.error(key, f"{self.label(key)} 应为表（[rules.规则代码]），实际为{_type_name(value)}")
        rules: dict[str, dict[str, object]] = {}
        for rule_key, settings in value.items():
            dotted = f"{key}.{_toml_key(rule_key)}"
            if not isinstance(settings, dict):
                raise self.error(
                    dotted,
                    f"{self.label(dotted)} 应为表，例如 [{_qualified(self.path, dotted)}] 下写 severity = \"warning\"，"
                    f"实际为{_type_name(settings)}",
                )
            settings = dict(settings)
            if "severity" in settings:
                settings["severity"] = _check_severity(settings["severity"], self.path, f"{dotted}.severity")
            rules[rule_key] = settings
        return rules


def _check_severity(value: object, path: Path | None, key: str) -> str:
    label = f"'{_qualified(path, key)}'"
    if not isinstance(value, str):
        raise ConfigError(
            f"{label} 应为字符串（{'、'.join(SEVERITIES)}），实际为{_type_name(value)}",
            path=path,
            key=_qualified(path, key),
        )
    if value.strip().lower() in SEVERITIES:
        return value.strip().lower()
    raise ConfigError(_bad_choice_message(label, value, SEVERITIES), path=path, key=_qualified(path, key))


def _bad_choice_message(label: str, value: str, choices: Sequence[str]) -> str:
    hint = _suggestion(value.lower(), choices)
    return f"{label} 的值 '{value}' 无效，可选 {'、'.join(choices)}{hint}"


# ---------------------------------------------------------------------------------------------
# Finding files


def find_config_file(start: Path) -> Path | None:
    """The closest configuration file for ``start`` (a file, a directory or a virtual path)."""
    return _find_config_file(_start_directory(_absolute(start)), _read_toml, {})


def _find_config_file(
    directory: Path,
    read: Callable[[Path], dict[str, Any]],
    known: dict[Path, Path | None],
) -> Path | None:
    """Walk up from ``directory``; record the answer for every directory passed in ``known``."""
    visited: list[Path] = []
    found: Path | None = None
    for candidate_dir in (directory, *directory.parents):
        if candidate_dir in known:
            found = known[candidate_dir]
            break
        visited.append(candidate_dir)
        found = _config_file_in(candidate_dir, read)
        if found is not None:
            break
    for passed in visited:
        known[passed] = found
    return found


def _config_file_in(directory: Path, read: Callable[[Path], dict[str, Any]]) -> Path | None:
    dedicated = directory / NIANBAO_TOML
    if dedicated.is_file():
        return dedicated
    pyproject = directory / PYPROJECT_TOML
    if pyproject.is_file() and _has_nianbao_table(read(pyproject)):
        return pyproject
    return None


def _start_directory(path: Path) -> Path:
    # A virtual path (--stdin-filename) need not exist: its parent is where the search starts.
    return path if path.is_dir() else path.parent


class ConfigResolver:
    """Finds the configuration for each linted path, reading every file at most once.

    ``explicit`` (``--config FILE``) applies to every path; ``isolated`` (``--isolated``)
    ignores all configuration files. ``cwd`` resolves relative paths and is the root of the
    defaults; it is the process's working directory when not given.
    """

    def __init__(self, explicit: Path | None = None, isolated: bool = False, cwd: Path | None = None) -> None:
        self.cwd = _absolute(cwd if cwd is not None else Path.cwd())
        self.explicit = self._absolute(explicit) if explicit is not None else None
        self.isolated = isolated
        self.defaults = replace(DEFAULT_CONFIG, root=self.cwd)
        self._file_for_directory: dict[Path, Path | None] = {}
        self._documents: dict[Path, dict[str, Any] | ConfigError] = {}
        self._configs: dict[Path, Config | ConfigError] = {}

    def for_path(self, path: Path) -> Config:
        """The configuration for ``path``; raises :class:`ConfigError`."""
        if self.isolated:
            return self.defaults
        if self.explicit is not None:
            return self._config(self.explicit)
        directory = _start_directory(self._absolute(path))
        found = _find_config_file(directory, self._document, self._file_for_directory)
        return self.defaults if found is None else self._config(found)

    def _absolute(self, path: Path) -> Path:
        return Path(os.path.normpath(self.cwd / path))

    def _document(self, path: Path) -> dict[str, Any]:
        # Errors are remembered too, so a broken file is not re-read for every linted file.
        if path not in self._documents:
            try:
                self._documents[path] = _read_toml(path)
            except ConfigError as error:
                self._documents[path] = error
        result = self._documents[path]
        if isinstance(result, ConfigError):
            raise result
        return result

    def _config(self, path: Path) -> Config:
        if path not in self._configs:
            try:
                self._configs[path] = _config_from_document(self._document(path), path)
            except ConfigError as error:
                self._configs[path] = error
        result = self._configs[path]
        if isinstance(result, ConfigError):
            raise result
        return result


# ---------------------------------------------------------------------------------------------
# Selecting rules


@dataclass(frozen=True)
class RuleRef:
    code: str
    name: str


# A full code or a rule name outranks any prefix, whatever its length.
_EXACT = 1000


class Selection:
    """Config validated against the known rules."""

    def __init__(self, config: Config, rules: Sequence[RuleRef]) -> None:
        self.config = config
        self._by_code = {rule.code: rule for rule in rules}
        self._by_name = {rule.name: rule for rule in rules}
        self._prefixes = {code[:length] for code in self._by_code for length in range(1, len(code) + 1)}

        select = config.select if config.select is not None else (ALL_SELECTOR,)
        for key, selectors in (("select", select), ("extend-select", config.extend_select), ("ignore", config.ignore)):
            for selector in selectors:
                self._check_selector(selector, key)
        for pattern, selectors in config.per_file_ignores:
            for selector in selectors:
                self._check_selector(selector, f"per-file-ignores.{_toml_key(pattern)}")

        self._settings = self._settings_by_code()
        self._chosen = (*select, *config.extend_select)
        self._enabled = {code: self._decide(code, self._chosen, config.ignore) for code in self._by_code}
        self._ignores_for_path: dict[Path, tuple[str, ...]] = {}

    def enabled(self, code: str, path: Path | None = None) -> bool:
        """Whether the rule runs (on ``path``, when given). ``severity = "off"`` disables it."""
        code = self._code_of(code)
        if self.severity_override(code) == "off":
            return False
        # A code outside the known rules is judged by code selectors alone.
        selected = self._enabled.get(code)
        if selected is None:
            selected = self._decide(code, self._chosen, self.config.ignore)
        return selected and (path is None or not self._ignored_on(path, code))

    def severity_override(self, code: str) -> str | None:
        """The configured severity ('error'|'warning'|'info'|'off'), or None for the rule's default."""
        severity = self._settings.get(self._code_of(code), {}).get("severity")
        return None if severity is None else str(severity)

    def options(self, code: str) -> dict[str, object]:
        """The rule's ``[rules.…]`` settings other than ``severity``."""
        settings = self._settings.get(self._code_of(code), {})
        return {key: value for key, value in settings.items() if key != "severity"}

    # -- internals

    def _code_of(self, code_or_name: str) -> str:
        rule = self._by_name.get(code_or_name)
        return rule.code if rule is not None else code_or_name

    def _error(self, key: str, message: str) -> ConfigError:
        return ConfigError(message, path=self.config.path, key=_qualified(self.config.path, key))

    def _check_selector(self, selector: str, key: str) -> None:
        if selector == ALL_SELECTOR or selector in self._by_name or selector in self._prefixes:
            return
        where = f"'{_qualified(self.config.path, key)}' 中"
        raise self._error(key, f"{where}未知的规则 '{selector}'{self._rule_suggestion(selector)}")

    def _rule_suggestion(self, written: str) -> str:
        # Codes are upper case and names lower case; a wrong case is the likeliest slip.
        if written.upper() in self._prefixes:
            return f"（是否想写 '{written.upper()}'？）"
        if written.lower() in self._by_name:
            return f"（是否想写 '{written.lower()}'？）"
        return _suggestion(written, [*self._by_code, *self._by_name])

    def _settings_by_code(self) -> dict[str, dict[str, object]]:
        settings: dict[str, dict[str, object]] = {}
        written_as: dict[str, str] = {}
        for rule_key, rule_settings in self.config.rules.items():
            key = f"rules.{_toml_key(rule_key)}"
            rule = self._by_code.get(rule_key) or self._by_name.get(rule_key)
            if rule is None:
                raise self._error(key, f"'{_qualified(self.config.path, key)}'：未知的规则 '{rule_key}'"
                                  f"{self._rule_suggestion(rule_key)}")
            if rule.code in written_as:
                raise self._error(
                    key,
                    f"规则 {rule.code}（{rule.name}）被配置了两次：'rules.{_toml_key(written_as[rule.code])}' "
                    f"和 '{key}'，请合并为一个表",
                )
            if "severity" in rule_settings:
                rule_settings = {
                    **rule_settings,
                    "severity": _check_severity(rule_settings["severity"], self.config.path, f"{key}.severity"),
                }
            written_as[rule.code] = rule_key
            settings[rule.code] = dict(rule_settings)
        return settings

    def _specificity(self, selector: str, code: str) -> int | None:
        """How specifically ``selector`` names ``code``; None when it does not match."""
        if selector == ALL_SELECTOR:
            return 0
        if selector == code:
            return _EXACT
        rule = self._by_code.get(code)
        if rule is not None and selector == rule.name:
            return _EXACT
        if code.startswith(selector):
            return len(selector)
        return None

    def _best(self, selectors: Sequence[str], code: str) -> int | None:
        ranks = [rank for rank in (self._specificity(s, code) for s in selectors) if rank is not None]
        return max(ranks, default=None)

    def _decide(self, code: str, chosen: Sequence[str], ignored: Sequence[str]) -> bool:
        selected_rank = self._best(chosen, code)
        if selected_rank is None:
            return False
        ignored_rank = self._best(ignored, code)
        # On a tie, ignore wins.
        return ignored_rank is None or selected_rank > ignored_rank

    def _ignored_on(self, path: Path, code: str) -> bool:
        if not self.config.per_file_ignores:
            return False
        if path not in self._ignores_for_path:
            parts, absolute = _parts_for_matching(self.config, path)
            self._ignores_for_path[path] = tuple(
                selector
                for pattern, pattern_selectors in self.config.per_file_ignores
                if _path_matches(pattern, parts, absolute)
                for selector in pattern_selectors
            )
        return self._best(self._ignores_for_path[path], code) is not None


# ---------------------------------------------------------------------------------------------
# Paths and patterns


def is_excluded(config: Config, path: Path) -> bool:
    """Whether ``path`` (file or directory) matches ``exclude``/``extend-exclude``.

    A pattern without '/' (".git", "草稿*") matches any file or directory of that name below
    the config's root; a pattern with '/' ("docs/old", "reports/*.md") is matched against the
    path relative to the root and excludes everything under a matching directory.
    """
    parts, absolute = _parts_for_matching(config, path)
    return any(_path_matches(pattern, parts, absolute) for pattern in config.exclude)


def is_included(config: Config, path: Path) -> bool:
    """Whether a file met while recursing a directory is one to lint (``include``).

    A pattern without '/' ("*.txt") is matched against the file name, one with '/' against
    the path relative to the config's root ("reports/**/*.txt").
    """
    parts, absolute = _parts_for_matching(config, path)
    if not parts:
        return False
    relative = "/".join(parts)
    for pattern in config.include:
        pattern = _clean_pattern(pattern)
        if not pattern:
            continue
        if os.path.isabs(pattern):
            if _glob_regex(Path(pattern).as_posix()).fullmatch(absolute.as_posix()):
                return True
        elif "/" in pattern:
            if _glob_regex(pattern).fullmatch(relative):
                return True
        elif _glob_regex(pattern).fullmatch(parts[-1]):
            return True
    return False


def _parts_for_matching(config: Config, path: Path) -> tuple[tuple[str, ...], Path]:
    """Path components relative to the config root (or as given, for a path outside it)."""
    absolute = _absolute(path)
    try:
        return absolute.relative_to(_absolute(config.root)).parts, absolute
    except ValueError:
        given = Path(os.path.normpath(path))
        parts = given.parts[1:] if given.anchor else given.parts
        return tuple(part for part in parts if part not in (".", "..")), absolute


def _path_matches(pattern: str, parts: tuple[str, ...], absolute: Path) -> bool:
    pattern = _clean_pattern(pattern)
    if not pattern:
        return False
    if os.path.isabs(pattern):
        regex = _glob_regex(Path(pattern).as_posix())
        return any(regex.fullmatch(ancestor.as_posix()) for ancestor in (absolute, *absolute.parents))
    regex = _glob_regex(pattern)
    if "/" not in pattern:
        return any(regex.fullmatch(part) for part in parts)
    return any(regex.fullmatch("/".join(parts[:length])) for length in range(1, len(parts) + 1))


def _clean_pattern(pattern: str) -> str:
    pattern = pattern.strip().replace("\\", "/")
    while pattern.startswith("./"):
        pattern = pattern[2:]
    return pattern.rstrip("/") if pattern != "/" else pattern


@functools.lru_cache(maxsize=512)
def _glob_regex(pattern: str) -> re.Pattern[str]:
    """Translate a glob: '*' and '?' stay within one path component, '**' spans components."""
    out: list[str] = []
    index = 0
    length = len(pattern)
    while index < length:
        char = pattern[index]
        if pattern.startswith("**", index):
            end = index + 2
            whole_component = (index == 0 or pattern[index - 1] == "/") and (end == length or pattern[end] == "/")
            if whole_component and end < length:
                out.append("(?:[^/]+/)*")  # '**/': zero or more directories
                index = end + 1
            elif whole_component:
                out.append(".*")
                index = end
            else:
                out.append("[^/]*")
                index = end
        elif char == "*":
            out.append("[^/]*")
            index += 1
        elif char == "?":
            out.append("[^/]")
            index += 1
        elif char == "[":
            close = pattern.find("]", index + 2 if pattern[index + 1 : index + 2] in ("]", "!") else index + 1)
            if close == -1:
                out.append(re.escape(char))
                index += 1
                continue
            body = pattern[index + 1 : close]
            negate = body.startswith("!")
            if negate:
                body = body[1:]
            body = body.replace("\\", "\\\\").replace("^", "\\^").replace("[", "\\[")
            out.append(f"[{'^' if negate else ''}{body}]")
            index = close + 1
        else:
            out.append(re.escape(char))
            index += 1
    try:
        return re.compile("".join(out))
    except re.error:
        # An impossible class such as "[z-a]" matches only itself.
        return re.compile(re.escape(pattern))


# ---------------------------------------------------------------------------------------------
# Small helpers


def _absolute(path: Path) -> Path:
    return Path(os.path.normpath(Path(path).absolute()))


def _source_label(path: Path | None) -> str:
    if path is None:
        return "命令行选项"
    try:
        return str(Path(path).relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _qualified(path: Path | None, key: str) -> str:
    """The key as the user would look for it in their file."""
    if path is not None and _is_pyproject(Path(path)):
        return f"tool.nianbao.{key}"
    return key


def _key_tail(key: str) -> str:
    return key.rsplit(".", 1)[-1]


def _toml_key(key: str) -> str:
    return key if re.fullmatch(r"[A-Za-z0-9_-]+", key) else '"' + key.replace('"', '\\"') + '"'


def _type_name(value: object) -> str:
    for python_type, name in _TYPE_NAMES.items():
        if isinstance(value, python_type):
            return name
    return "日期或时间"


def _suggestion(written: str, candidates: Sequence[str], qualify: Callable[[str], str] = str) -> str:
    """A "did you mean" hint: the closest candidate by difflib, or nothing."""
    matches = difflib.get_close_matches(written, list(candidates), n=len(candidates) or 1, cutoff=0.6)
    if not matches:
        return ""
    # difflib scores "AR010" equally against AR001 and AR003; fewest edits (a swap counts as one)
    # picks the likelier slip.
    best = min(matches, key=lambda candidate: (_edit_distance(written, candidate), matches.index(candidate)))
    return f"（是否想写 '{qualify(best)}'？）"


def _edit_distance(first: str, second: str) -> int:
    """Levenshtein distance where swapping two neighbouring characters is one edit."""
    previous_row: list[int] | None = None
    row = list(range(len(second) + 1))
    for i in range(1, len(first) + 1):
        before, previous_row, row = previous_row, row, [i] + [0] * len(second)
        for j in range(1, len(second) + 1):
            cost = first[i - 1] != second[j - 1]
            row[j] = min(previous_row[j] + 1, row[j - 1] + 1, previous_row[j - 1] + cost)
            if before is not None and j > 1 and first[i - 1] == second[j - 2] and first[i - 2] == second[j - 1]:
                row[j] = min(row[j], before[j - 2] + 1)
    return row[-1]
