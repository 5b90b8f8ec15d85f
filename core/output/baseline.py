"""Baselines: record today's findings, then report only new ones.

A baseline file is JSON. Each entry names the file (relative to the baseline file's own
directory, so the baseline works from any working directory), the rule and the finding's key
(:func:`nianbao.engine.fingerprint.finding_key`: rule, structural place and normalised text — no line
numbers). Line and message are stored for the reader of the file only; matching ignores them,
so moving a paragraph does not bring its findings back.

Equal keys are counted: a baseline holding one finding with some key absorbs one occurrence,
and a second identical one is new.
"""

from __future__ import annotations

import json
import os
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Iterable, Sequence

from nianbao.engine.diagnostic import Diagnostic
from nianbao.engine.fingerprint import finding_key

__all__ = ["BASELINE_FORMAT", "BaselineError", "BaselineEntry", "Baseline", "BaselineComparison", "write_baseline"]

BASELINE_FORMAT = 1
"""Version of the file layout; bumped on an incompatible change."""


class BaselineError(Exception):
    """A baseline file that cannot be read; the text is a complete Chinese message."""


@dataclass(frozen=True)
class BaselineEntry:
    path: str
    """POSIX path relative to the baseline file's directory."""
    code: str
    key: str
    line: int = 0
    message: str = ""

    @property
    def identity(self) -> tuple[str, str, str]:
        return (self.path, self.code, self.key)


@dataclass
class BaselineComparison:
    new: list[Diagnostic] = field(default_factory=list)
    unchanged: list[Diagnostic] = field(default_factory=list)
    stale: list[BaselineEntry] = field(default_factory=list)
    """Entries for checked files that no longer occur: the fault was fixed (or its text changed)."""


class Baseline:
    def __init__(self, entries: Sequence[BaselineEntry], directory: Path) -> None:
        self.entries = list(entries)
        self.directory = directory
        self._by_path: dict[str, list[BaselineEntry]] = defaultdict(list)
        for entry in self.entries:
            self._by_path[entry.path].append(entry)

    @classmethod
    def load(cls, path: str | os.PathLike) -> Baseline:
        path = Path(path)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise BaselineError(f"找不到基线文件 {path}（先用 --write-baseline {path} 生成）") from None
        except (OSError, UnicodeDecodeError) as error:
            raise BaselineError(f"无法读取基线文件 {path}：{getattr(error, 'strerror', None) or error}") from None
        except json.JSONDecodeError as error:
            raise BaselineError(f"基线文件 {path} 不是有效的 JSON（第 {error.lineno} 行）") from None
        return cls(_entries(data, path), _directory_of(path))

    def compare(self, diagnostics: Iterable[Diagnostic], checked_paths: Iterable[str]) -> BaselineComparison:
        """Split ``diagnostics`` into new and already-recorded; find stale entries of the checked files.
        Only the entries of those files are looked at, so comparing file by file stays linear."""
        diagnostics = list(diagnostics)
        checked = {relative_path(path, self.directory) for path in checked_paths}
        involved = checked | {relative_path(item.path, self.directory) for item in diagnostics}
        remaining: dict[tuple[str, str, str], list[BaselineEntry]] = defaultdict(list)
        for path in involved:
            for entry in self._by_path.get(path, ()):
                remaining[entry.identity].append(entry)
        comparison = BaselineComparison()
        for diagnostic in diagnostics:
            waiting = remaining.get(identity_of(diagnostic, self.directory))
            if waiting:
                waiting.pop(0)
                comparison.unchanged.append(diagnostic)
            else:
                comparison.new.append(diagnostic)
        comparison.stale = [
            entry for entries in remaining.values() for entry in entries if entry.path in checked
        ]
        comparison.stale.sort(key=lambda entry: (entry.path, entry.line, entry.code))
        return comparison


def write_baseline(path: str | os.PathLike, diagnostics: Iterable[Diagnostic]) -> int:
    """Write every diagnostic into a baseline file at ``path``; returns how many were written."""
    path = Path(path)
    directory = _directory_of(path)
    entries = sorted(
        (
            BaselineEntry(relative_path(item.path, directory), item.code, finding_key(item), item.line, item.message)
            for item in diagnostics
        ),
        key=lambda entry: (entry.path, entry.line, entry.code, entry.key),
    )
    payload = {
        "nianbao-baseline": BASELINE_FORMAT,
        "findings": [
            {"path": entry.path, "code": entry.code, "key": entry.key, "line": entry.line, "message": entry.message}
            for entry in entries
        ],
    }
    try:
        path.write_text(json.dumps(payload, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    except OSError as error:
        raise BaselineError(f"无法写入基线文件 {path}：{error.strerror or error}") from None
    return len(entries)


def identity_of(diagnostic: Diagnostic, directory: Path) -> tuple[str, str, str]:
    return (relative_path(diagnostic.path, directory), diagnostic.code, finding_key(diagnostic))


def relative_path(path: str, directory: Path) -> str:
    """``path`` (as given on the command line) relative to ``directory``, in POSIX form."""
    absolute = os.path.abspath(path)
    try:
        relative = os.path.relpath(absolute, directory)
    except ValueError:  # another drive on Windows
        return PurePosixPath(Path(absolute).as_posix()).as_posix()
    return PurePosixPath(*Path(relative).parts).as_posix()


def _directory_of(path: Path) -> Path:
    return Path(os.path.abspath(path)).parent


def _entries(data: object, path: Path) -> list[BaselineEntry]:
    if not isinstance(data, dict) or "nianbao-baseline" not in data:
        raise BaselineError(f"{path} 不是 nianbao 基线文件（缺少 \"nianbao-baseline\" 字段）")
    if data["nianbao-baseline"] != BASELINE_FORMAT:
        raise BaselineError(
            f"基线文件 {path} 的格式版本 {data['nianbao-baseline']!r} 不受支持（支持 {BASELINE_FORMAT}），请重新生成"
        )
    findings = data.get("findings")
    if not isinstance(findings, list):
        raise BaselineError(f"基线文件 {path} 的 findings 应为数组")
    entries = []
    for number, item in enumerate(findings, 1):
        if not isinstance(item, dict) or not all(isinstance(item.get(key), str) for key in ("path", "code", "key")):
            raise BaselineError(f"基线文件 {path} 的第 {number} 条记录缺少 path、code 或 key")
        line = item.get("line", 0)
        message = item.get("message", "")
        entries.append(
            BaselineEntry(
                item["path"],
                item["code"],
                item["key"],
                line if isinstance(line, int) else 0,
                message if isinstance(message, str) else "",
            )
        )
    return entries
