"""Reading TOML files: configuration, profiles, lexicons and nianbao's own data files.

:func:`read_toml` takes a path or an ``importlib.resources`` file and raises :class:`TomlError`
when the file cannot be read or is not TOML. Its ``problem`` says, in Chinese a report author can
act on, what is wrong and where (line and column); it does not name the file, so that each caller
names it in its own words (a configuration file by its path, a profile by the plugin that ships it).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Protocol

__all__ = ["TomlError", "TomlSource", "read_toml"]

# tomllib reports errors in English; the common ones are translated so that a report author can
# act on them. Unlisted messages are shown as they are.
_TRANSLATIONS = (
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


class TomlSource(Protocol):
    """A file to read: a :class:`~pathlib.Path` or an ``importlib.resources`` traversable."""

    def read_bytes(self) -> bytes: ...


class TomlError(ValueError):
    """A TOML file that cannot be used. ``problem`` is the Chinese explanation (without the
    file's name); ``missing`` is true when the file does not exist."""

    def __init__(self, problem: str, *, missing: bool = False) -> None:
        self.problem = problem
        self.missing = missing
        super().__init__(problem)


def read_toml(source: TomlSource | str | Path, what: str = "文件") -> dict[str, Any]:
    """The parsed contents of ``source``; ``what`` names the kind of file in messages
    (``配置文件``, ``配置档文件`` …)."""
    if isinstance(source, str):
        source = Path(source)
    try:
        data = source.read_bytes()
    except FileNotFoundError:
        raise TomlError(f"找不到{what}", missing=True) from None
    except IsADirectoryError:
        raise TomlError(f"这是一个目录，不是{what}") from None
    except PermissionError:
        raise TomlError(f"没有读取{what}的权限") from None
    except OSError as error:
        raise TomlError(f"无法读取{what}（{error.strerror or error}）") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise TomlError(f"第 {line} 行不是 UTF-8 编码；TOML {what}必须以 UTF-8 保存") from None
    # Imported here: a run whose data comes from the cache and that has no settings file reads no TOML.
    try:
        import tomllib
    except ImportError:  # Python 3.10
        import tomli as tomllib  # type: ignore[no-redef]
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise TomlError(_describe_syntax_error(str(error), text)) from None


def _describe_syntax_error(message: str, text: str) -> str:
    position = re.search(r"\s*\(at line (\d+), column (\d+)\)\s*$", message)
    if position:
        where = f"第 {position.group(1)} 行第 {position.group(2)} 列"
        reason = message[: position.start()]
    else:
        at_end = re.search(r"\s*\(at end of document\)\s*$", message)
        reason = message[: at_end.start()] if at_end else message
        last_line = text.count("\n") + (0 if text.endswith("\n") else 1)
        where = f"文件末尾（第 {max(last_line, 1)} 行）"
    for english, chinese in _TRANSLATIONS:
        if reason.startswith(english):
            reason = chinese
            break
    return f"{where}有 TOML 语法错误：{reason}"
