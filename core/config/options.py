"""What the nianbao table may say: its keys, the type of each value, and a "did you mean" for slips.

The schema knows keys, not files: a refused value raises :class:`OptionError` with the key as the
user would look for it (``tool.nianbao.select`` in a ``pyproject.toml``), and the caller, who knows
the file, turns it into a :class:`~nianbao.config.files.ConfigError`.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Callable, Sequence

from nianbao.variants.profile import (
    AUTO,
    NATIONAL_NAME,
    SEVERITIES,
    Profile,
    ProfileError,
    load_profile,
)

__all__ = [
    "DEFAULT_EXCLUDE",
    "DEFAULT_INCLUDE",
    "FAIL_ON_LEVELS",
    "KEYS",
    "OptionError",
    "TableReader",
    "check_severity",
    "qualified",
    "suggestion",
    "toml_key",
    "type_name",
]

FAIL_ON_LEVELS = ("error", "warning", "info")

# Documents are only picked up from a directory when their reader's extra is installed (the CLI
# leaves the others out and says which extra reads them).
DEFAULT_INCLUDE = ("*.txt", "*.md", "*.docx", "*.html", "*.htm", "*.pdf", "*.ofd")
DEFAULT_EXCLUDE = (".git", "node_modules", ".venv", "__pycache__")

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
    "profile-files",
    "require-plugins",
    "rules",
    "suppress",
    "jobs",
    "time-limit",
    "cache-dir",
    "executor",
    "scheduler",
    "identity",
    "history",
)

IDENTITY_KEYS = ("path-pattern", "mapping")

_TYPE_NAMES = {
    str: "字符串",
    bool: "布尔值",
    int: "整数",
    float: "小数",
    list: "数组",
    dict: "表",
}


_FINGERPRINT = re.compile("[0-9a-f]{32}")


class OptionError(Exception):
    """A value the schema refuses: ``detail`` is the Chinese message, ``key`` the key as written
    in the file (dotted for nested keys, qualified with ``tool.nianbao`` in a pyproject.toml)."""

    def __init__(self, detail: str, key: str) -> None:
        self.detail = detail
        self.key = key
        super().__init__(detail)


class TableReader:
    """Typed access to the keys of the nianbao table, raising errors that name the key."""

    def __init__(self, table: dict[str, Any], in_pyproject: bool) -> None:
        self.table = table
        self.in_pyproject = in_pyproject

    def error(self, key: str, message: str) -> OptionError:
        return OptionError(message, qualified(key, self.in_pyproject))

    def label(self, key: str) -> str:
        return f"'{qualified(key, self.in_pyproject)}'"

    def reject_unknown_keys(self) -> None:
        for key in self.table:
            if key in KEYS:
                continue
            hint = suggestion(key.replace("_", "-"), KEYS, qualify=lambda k: qualified(k, self.in_pyproject))
            raise self.error(key, f"未知的配置项 {self.label(key)}{hint}")

    def string_list(self, key: str) -> tuple[str, ...] | None:
        if key not in self.table:
            return None
        return self._strings(key, self.table[key])

    def _strings(self, key: str, value: Any) -> tuple[str, ...]:
        if isinstance(value, str):
            raise self.error(key, f"{self.label(key)} 应为字符串数组，例如 {_key_tail(key)} = [\"{value}\"]，实际为字符串")
        if not isinstance(value, list):
            raise self.error(key, f"{self.label(key)} 应为字符串数组，实际为{type_name(value)}")
        for position, item in enumerate(value, 1):
            if not isinstance(item, str):
                raise self.error(key, f"{self.label(key)} 的第 {position} 项应为字符串，实际为{type_name(item)}")
            if not item.strip():
                raise self.error(key, f"{self.label(key)} 的第 {position} 项是空字符串")
        return tuple(item.strip() for item in value)

    def string(self, key: str, *, default: str) -> str:
        if key not in self.table:
            return default
        value = self.table[key]
        if not isinstance(value, str):
            raise self.error(key, f"{self.label(key)} 应为字符串，实际为{type_name(value)}")
        if not value.strip():
            raise self.error(key, f"{self.label(key)} 不能为空")
        return value.strip()

    def optional_string(self, key: str) -> str | None:
        return self.string(key, default="") if key in self.table else None

    def positive_number(self, key: str, kind: type) -> int | float | None:
        """A positive ``int`` (or, for ``float``, any positive number) or None when not given."""
        if key not in self.table:
            return None
        value = self.table[key]
        if isinstance(value, bool) or not isinstance(value, (int, float) if kind is float else int):
            raise self.error(key, f"{self.label(key)} 应为{_TYPE_NAMES[kind]}，实际为{type_name(value)}")
        if value <= 0:
            raise self.error(key, f"{self.label(key)} 应大于 0，实际为 {value}")
        return value

    def choice(self, key: str, choices: Sequence[str], *, default: str) -> str:
        value = self.string(key, default=default)
        if value.lower() in choices:
            return value.lower()
        raise self.error(key, _bad_choice_message(self.label(key), value, choices))

    def identity(self) -> tuple[str | None, str | None]:
        """``[identity]``: the path pattern and the mapping file as written (checked when used)."""
        key = "identity"
        value = self.table.get(key, {})
        if not isinstance(value, dict):
            raise self.error(key, f"{self.label(key)} 应为表（[identity]），实际为{type_name(value)}")
        for name in value:
            if name not in IDENTITY_KEYS:
                hint = suggestion(name, IDENTITY_KEYS, qualify=lambda k: qualified(f"{key}.{k}", self.in_pyproject))
                raise self.error(f"{key}.{name}", f"未知的配置项 {self.label(f'{key}.{name}')}{hint}")
        inner = TableReader(value, self.in_pyproject)
        try:
            return inner.optional_string("path-pattern"), inner.optional_string("mapping")
        except OptionError as error:
            raise self.error(f"{key}.{error.key.rsplit('.', 1)[-1]}", error.detail.replace("'", f"'{key}.", 1)) from None

    def per_file_ignores(self) -> tuple[tuple[str, tuple[str, ...]], ...]:
        key = "per-file-ignores"
        if key not in self.table:
            return ()
        value = self.table[key]
        if not isinstance(value, dict):
            raise self.error(key, f"{self.label(key)} 应为表（模式 = [规则列表]），实际为{type_name(value)}")
        return tuple(
            (pattern, self._strings(f"{key}.{toml_key(pattern)}", selectors))
            for pattern, selectors in value.items()
        )

    def profile_files(self, directory: Path) -> dict[str, Profile]:
        """The profiles of ``profile-files`` (paths relative to ``directory``, the configuration
        file's), by name: a place's requirements kept beside the reports instead of in a plugin."""
        key = "profile-files"
        profiles: dict[str, Profile] = {}
        for position, written in enumerate(self.string_list(key) or (), 1):
            where = f"{self.label(key)} 的第 {position} 项"
            path = directory / written
            if not path.is_file():
                raise self.error(key, f"{where} '{written}'：找不到配置档文件（相对路径从配置文件所在的目录算起）")
            try:
                profile = load_profile(path, written)
            except ProfileError as error:
                raise self.error(key, f"{where}：{error}") from None
            if profile.name in (NATIONAL_NAME, AUTO) or profile.name in profiles:
                raise self.error(key, f"{where} '{written}'：配置档名称 {profile.name} 已被使用，请换一个名称")
            profiles[profile.name] = profile
        return profiles

    def suppressions(self) -> tuple[tuple[str, str, str], ...]:
        """``[[suppress]]`` entries as ``(path pattern, fingerprint, reason)``: findings silenced in
        files that cannot carry a suppression comment (DOCX, PDF, web pages)."""
        key = "suppress"
        if key not in self.table:
            return ()
        value = self.table[key]
        example = '[[suppress]] 下写 path = "2024年报.docx"、fingerprint = "…"、reason = "…"'
        if not isinstance(value, list):
            raise self.error(key, f"{self.label(key)} 应为表数组（{example}），实际为{type_name(value)}")
        entries = []
        for position, entry in enumerate(value, 1):
            where = f"{self.label(key)} 的第 {position} 项"
            if not isinstance(entry, dict):
                raise self.error(key, f"{where}应为表（{example}），实际为{type_name(entry)}")
            unknown = sorted(set(entry) - {"path", "fingerprint", "reason"})
            if unknown:
                raise self.error(key, f"{where}有未知的键 '{unknown[0]}'（可用：path、fingerprint、reason）")
            fields = []
            for name in ("path", "fingerprint", "reason"):
                item = entry.get(name, "")
                if not isinstance(item, str) or (name != "reason" and not item.strip()):
                    raise self.error(key, f"{where}的 {name} 应为非空字符串（{example}）")
                fields.append(item.strip())
            fingerprint = fields[1].split(":")[0].lower()
            if not _FINGERPRINT.fullmatch(fingerprint):
                raise self.error(key, f"{where}的 fingerprint '{fields[1]}' 不是 32 位十六进制的问题标识（见 --format json 的 fingerprint）")
            entries.append((fields[0], fingerprint, fields[2]))
        return tuple(entries)

    def rules(self) -> dict[str, dict[str, object]]:
        key = "rules"
        if key not in self.table:
            return {}
        value = self.table[key]
        if not isinstance(value, dict):
            raise self.error(key, f"{self.label(key)} 应为表（[rules.规则代码]），实际为{type_name(value)}")
        rules: dict[str, dict[str, object]] = {}
        for rule_key, settings in value.items():
            dotted = f"{key}.{toml_key(rule_key)}"
            if not isinstance(settings, dict):
                raise self.error(
                    dotted,
                    f"{self.label(dotted)} 应为表，例如 [{qualified(dotted, self.in_pyproject)}] 下写 severity = \"warning\"，"
                    f"实际为{type_name(settings)}",
                )
            settings = dict(settings)
            if "severity" in settings:
                settings["severity"] = check_severity(settings["severity"], f"{dotted}.severity", self.in_pyproject)
            rules[rule_key] = settings
        return rules


def check_severity(value: object, key: str, in_pyproject: bool) -> str:
    """``value`` as a severity name, lower case; raises :class:`OptionError` naming ``key``."""
    label = f"'{qualified(key, in_pyproject)}'"
    if not isinstance(value, str):
        raise OptionError(
            f"{label} 应为字符串（{'、'.join(SEVERITIES)}），实际为{type_name(value)}", qualified(key, in_pyproject)
        )
    if value.strip().lower() in SEVERITIES:
        return value.strip().lower()
    raise OptionError(_bad_choice_message(label, value, SEVERITIES), qualified(key, in_pyproject))


def _bad_choice_message(label: str, value: str, choices: Sequence[str]) -> str:
    hint = suggestion(value.lower(), choices)
    return f"{label} 的值 '{value}' 无效，可选 {'、'.join(choices)}{hint}"


def qualified(key: str, in_pyproject: bool) -> str:
    """The key as the user would look for it in their file."""
    return f"tool.nianbao.{key}" if in_pyproject else key


def _key_tail(key: str) -> str:
    return key.rsplit(".", 1)[-1]


def toml_key(key: str) -> str:
    """``key`` as it is written in TOML: bare when it can be, quoted otherwise."""
    return key if re.fullmatch(r"[A-Za-z0-9_-]+", key) else '"' + key.replace('"', '\\"') + '"'


def type_name(value: object) -> str:
    """The Chinese name of a TOML value's type, for "应为……，实际为……" messages."""
    for python_type, name in _TYPE_NAMES.items():
        if isinstance(value, python_type):
            return name
    return "日期或时间"


def suggestion(written: str, candidates: Sequence[str], qualify: Callable[[str], str] = str) -> str:
    """A "did you mean" hint: the closest candidate by difflib, or nothing."""
    import difflib  # only when a setting is misspelt

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
