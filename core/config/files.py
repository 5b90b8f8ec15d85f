"""Where configuration lives and how it is read: finding ``nianbao.toml``/``pyproject.toml``.

Configuration is the ``[tool.nianbao]`` table of a ``pyproject.toml`` or the top level of a
``nianbao.toml``. For each linted file the closest such file, walking up from the file's
directory, applies; in one directory ``nianbao.toml`` wins over ``pyproject.toml``, and a
``pyproject.toml`` without a ``[tool.nianbao]`` table is passed over.

Loading checks the shape of the file (key names, value types, severities: the schema is
:mod:`nianbao.config.options`). Whether the selectors and ``[rules.…]`` tables name real rules
is checked by :class:`nianbao.config.selection.Selection`, because only the caller knows which
rules (built-in and from plugins) exist.

Every error a user can see is a :class:`ConfigError` whose text is Chinese and names the file
and the offending key.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from nianbao.config.options import (
    DEFAULT_EXCLUDE,
    DEFAULT_INCLUDE,
    FAIL_ON_LEVELS,
    OptionError,
    TableReader,
    type_name,
)
from nianbao.config.paths import absolute_path
from nianbao.data.toml import TomlError, read_toml

if TYPE_CHECKING:
    from nianbao.variants.profile import Profile

__all__ = [
    "CONFIG_FILE_NAMES",
    "DEFAULT_CONFIG",
    "Config",
    "ConfigError",
    "ConfigResolver",
    "find_config_file",
    "is_pyproject",
    "load_config",
]

NIANBAO_TOML = "nianbao.toml"
PYPROJECT_TOML = "pyproject.toml"
# In one directory the dedicated file wins over pyproject.toml.
CONFIG_FILE_NAMES = (NIANBAO_TOML, PYPROJECT_TOML)


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

    def __reduce__(self):
        # Raised in a worker process and re-raised in the main one: keep path and key.
        return (_config_error, (self.detail, self.path, self.key))


def _config_error(message: str, path: Path | None, key: str | None) -> ConfigError:
    return ConfigError(message, path=path, key=key)


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
    profiles: dict[str, Profile] = field(default_factory=dict)
    """The profiles ``profile-files`` names, by profile name."""
    suppressions: tuple[tuple[str, str, str], ...] = ()
    """``[[suppress]]`` entries: (path pattern, finding fingerprint, reason)."""
    run: RunSettings = field(default_factory=lambda: RunSettings())
    """How a run goes (processes, time limit, cache, executor): never what a report is checked for."""
    identity_pattern: str | None = None
    """``identity.path-pattern``: where a report's region, body and year are in its path."""
    identity_mapping: Path | None = None
    """``identity.mapping``: the file that says what reports are (absolute)."""
    history: tuple[str, ...] = ()
    """``history``: earlier reports cross-report rules compare with, not reported on (absolute)."""


EXECUTORS = ("local", "dask")


@dataclass(frozen=True)
class RunSettings:
    """The keys that say how nianbao runs rather than what it checks; the command line's flags
    override them. None means "not set here"."""

    jobs: int | None = None
    time_limit: float | None = None
    cache_dir: str | None = None
    executor: str = "local"
    scheduler: str | None = None


DEFAULT_CONFIG = Config(path=None, root=Path("."))


# ---------------------------------------------------------------------------------------------
# Reading files


def _read_toml(path: Path) -> dict[str, Any]:
    """Parse one TOML file. Every read of a configuration file goes through here."""
    try:
        return read_toml(path, "配置文件")
    except TomlError as error:
        raise ConfigError(error.problem, path=path) from None


def is_pyproject(path: Path | None) -> bool:
    """Whether the configuration comes from a ``pyproject.toml`` (its keys then live under ``tool.nianbao``)."""
    return path is not None and Path(path).name == PYPROJECT_TOML


def _has_nianbao_table(document: dict[str, Any]) -> bool:
    tool = document.get("tool")
    return isinstance(tool, dict) and "nianbao" in tool


def _nianbao_table(document: dict[str, Any], path: Path) -> dict[str, Any]:
    if not is_pyproject(path):
        return document
    if not _has_nianbao_table(document):
        return {}
    table = document["tool"]["nianbao"]
    if not isinstance(table, dict):
        raise ConfigError(
            f"'tool.nianbao' 应为表（[tool.nianbao]），实际为{type_name(table)}",
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
    path = absolute_path(path)
    return _config_from_document(_read_toml(path), path)


def _config_from_document(document: dict[str, Any], path: Path) -> Config:
    table = _nianbao_table(document, path)
    reader = TableReader(table, in_pyproject=is_pyproject(path))
    try:
        reader.reject_unknown_keys()
        exclude = reader.string_list("exclude")
        extend_exclude = reader.string_list("extend-exclude") or ()
        identity = reader.identity()
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
            profiles=reader.profile_files(path.parent),
            suppressions=reader.suppressions(),
            identity_pattern=identity[0],
            identity_mapping=None if identity[1] is None else path.parent / identity[1],
            history=tuple(str(path.parent / item) for item in reader.string_list("history") or ()),
            run=RunSettings(
                jobs=reader.positive_number("jobs", int),
                time_limit=reader.positive_number("time-limit", float),
                cache_dir=_relative_to(path.parent, reader.optional_string("cache-dir")),
                executor=reader.choice("executor", EXECUTORS, default="local"),
                scheduler=reader.optional_string("scheduler"),
            ),
        )
    except OptionError as error:
        raise ConfigError(error.detail, path=path, key=error.key) from None


def _relative_to(directory: Path, written: str | None) -> str | None:
    """A path written in a configuration file, relative to that file's directory."""
    return None if written is None else str(directory / written)


# ---------------------------------------------------------------------------------------------
# Finding files


def find_config_file(start: Path) -> Path | None:
    """The closest configuration file for ``start`` (a file, a directory or a virtual path)."""
    return _find_config_file(_start_directory(absolute_path(start)), _read_toml, {})


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
        self.cwd = absolute_path(cwd if cwd is not None else Path.cwd())
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
        return _remembered(self._documents, path, _read_toml)

    def _config(self, path: Path) -> Config:
        return _remembered(self._configs, path, lambda path: _config_from_document(self._document(path), path))


def _remembered(known: dict[Path, Any], path: Path, compute: Callable[[Path], Any]) -> Any:
    """``compute(path)``, once per path. Errors are remembered too, so a broken file is not
    re-read for every linted file."""
    if path not in known:
        try:
            known[path] = compute(path)
        except ConfigError as error:
            known[path] = error
    result = known[path]
    if isinstance(result, ConfigError):
        raise result
    return result


def _source_label(path: Path | None) -> str:
    if path is None:
        return "命令行选项"
    try:
        return str(Path(path).relative_to(Path.cwd()))
    except ValueError:
        return str(path)
