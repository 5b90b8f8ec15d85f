"""Which files configuration reaches: ``include``, ``exclude`` and the globs of ``per-file-ignores``.

Patterns are relative to the configuration's root (the directory of its file). A pattern
without '/' names a file or directory anywhere below the root; one with '/' is matched against
the path relative to the root; '*' and '?' stay within one path component, '**' spans them.
"""

from __future__ import annotations

import functools
import os
import re
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from nianbao.config.files import Config

__all__ = ["absolute_path", "is_excluded", "is_included", "path_matches", "relative_parts"]


def is_excluded(config: Config, path: Path) -> bool:
    """Whether ``path`` (file or directory) matches ``exclude``/``extend-exclude``.

    A pattern without '/' (".git", "草稿*") matches any file or directory of that name below
    the config's root; a pattern with '/' ("docs/old", "reports/*.md") is matched against the
    path relative to the root and excludes everything under a matching directory.
    """
    parts, absolute = relative_parts(config, path)
    return any(path_matches(pattern, parts, absolute) for pattern in config.exclude)


def is_included(config: Config, path: Path) -> bool:
    """Whether a file met while recursing a directory is one to lint (``include``).

    A pattern without '/' ("*.txt") is matched against the file name, one with '/' against
    the path relative to the config's root ("reports/**/*.txt").
    """
    parts, absolute = relative_parts(config, path)
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


def relative_parts(config: Config, path: Path) -> tuple[tuple[str, ...], Path]:
    """Path components relative to the config root (or as given, for a path outside it)."""
    absolute = absolute_path(path)
    try:
        return absolute.relative_to(absolute_path(config.root)).parts, absolute
    except ValueError:
        given = Path(os.path.normpath(path))
        parts = given.parts[1:] if given.anchor else given.parts
        return tuple(part for part in parts if part not in (".", "..")), absolute


def path_matches(pattern: str, parts: tuple[str, ...], absolute: Path) -> bool:
    """Whether ``pattern`` names the path or a directory above it: ``parts`` are its components
    below the root (see :func:`relative_parts`), ``absolute`` its absolute form."""
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



def absolute_path(path: Path) -> Path:
    """``path`` made absolute and normalised, without resolving symbolic links."""
    return Path(os.path.normpath(Path(path).absolute()))
