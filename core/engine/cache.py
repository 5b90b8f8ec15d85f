"""Results of earlier runs, so that a report nothing has changed for is not linted again.

The layout follows ruff's cache::

    <directory>/CACHEDIR.TAG                 marks the directory for backup tools
    <directory>/.gitignore                   "*": never committed
    <directory>/<version>/nianbao-cache-version
    <directory>/<version>/3f/3f9a….json      one file's lean result per key

An entry's key is the SHA-256 of everything the file's findings depend on: its bytes, its path as
shown and as an absolute path (per-file configuration matches either), the file's effective
configuration, nianbao's version, Python's, the reading libraries and which formats can be read,
the plugins with their distributions' versions and the rules, templates, profiles and lexicons they
provide, the size and modification time of every source file of nianbao and of the plugins (a
checkout or an editable install changes without a new version), the reader limits and whether the
source text is kept. What cannot be fingerprinted reliably is not cached.

Entries are JSON written to a temporary file beside them and renamed into place, so runs sharing
the directory never read half an entry; a damaged, foreign or unreadable entry is a miss. Trouble
with the directory disables the cache for the run and leaves one message in
:attr:`ResultCache.warning`; it never fails the run.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import os
import re
import shutil
import sys
import tempfile
from collections.abc import Mapping
from contextlib import suppress
from dataclasses import fields, is_dataclass
from enum import Enum
from importlib import metadata, util
from pathlib import Path, PurePath
from types import ModuleType
from typing import Any

from nianbao import __version__
from nianbao.config.files import Config
from nianbao.engine.linter import FileResult, Linter
from nianbao.document.record import RecordRequest
from nianbao.data.cache import write_atomically
from nianbao.engine.serialize import result_from_json, result_to_json
from nianbao.plugins.manager import BUILTIN_NAMES, PluginSet
from nianbao.read.formats import DEFAULT_LIMITS, ReadLimits, available_formats

__all__ = ["ResultCache"]

CACHE_FORMAT = 2
"""Changes with the form of an entry or of its key."""
CACHEDIR_TAG = (
    "Signature: 8a477f597d28d172789f06886806bc55\n"
    "# This file is a cache directory tag created by nianbao.\n"
    "# For information about cache directory tags see https://bford.info/cachedir/\n"
)
VERSION_MARKER = "nianbao-cache-version"
"""Marks a version's folder, so that pruning removes only folders this cache made."""
READING_LIBRARIES = ("lark", "opencc", "python-docx", "lxml", "pdfplumber", "pdfminer.six", "pypdfium2",
                     "rapidocr-onnxruntime", "onnxruntime")
"""Distributions whose behaviour decides what is read from a file (and so the findings)."""
NOT_FINDINGS = frozenset({"include", "exclude", "fail_on", "require_plugins", "run", "history", "identity_mapping"})
"""Configuration fields that decide which files are linted, the exit status or how the run goes
(processes, time limit, cache directory, executor), not a file's findings."""
_KEY = re.compile(r"[0-9a-f]{64}")


class _Unfingerprintable(Exception):
    """A value whose identity cannot be told from its contents."""


class ResultCache:
    """Lean results by key under ``directory`` (see the module docstring), for one linter's run.

    Build one per process; ``limits``, ``keep_source`` and ``record`` are the run's and enter every key.
    """

    def __init__(
        self,
        directory: str | os.PathLike,
        linter: Linter,
        *,
        limits: ReadLimits = DEFAULT_LIMITS,
        keep_source: bool = False,
        record: RecordRequest | None = None,
        version: str = __version__,
    ) -> None:
        self.directory = Path(directory)
        self.warning: str | None = None
        """Why the cache is off for this run (Chinese, for the user), or None."""
        self._versioned = self.directory / re.sub(r"[^A-Za-z0-9._+-]", "_", version)
        self._configs: dict[int, tuple[Config, str | None]] = {}
        self._software: str | None = None
        self._linter = linter
        self._record = record
        try:
            software = _software_digest(linter.plugins, version, limits, [keep_source, record])
        except _Unfingerprintable as error:
            self.warning = f"{error}，本次不使用检查结果缓存"
            return
        try:
            _prepare(self.directory, self._versioned, version)
        except OSError as error:
            self._disable(error)
            return
        self._software = software

    @property
    def enabled(self) -> bool:
        return self._software is not None

    def key(self, path: str, data: bytes, config: Config) -> str | None:
        """The key of ``data`` read from ``path`` (as shown in results) under ``config``; None when
        the cache is off or ``config`` holds something that cannot be fingerprinted."""
        if self._software is None:
            return None
        config_digest = self._config_digest(config)
        if config_digest is None:
            return None
        parts = [self._software, config_digest, str(path), os.path.abspath(path), hashlib.sha256(data).hexdigest()]
        return hashlib.sha256(json.dumps(parts).encode("ascii")).hexdigest()

    def get(self, key: str | None) -> FileResult | None:
        """The result stored under ``key``, or None (no key, no entry, or one that cannot be used)."""
        if key is None or self._software is None or not _KEY.fullmatch(key):
            return None
        try:
            with open(self._entry(key), "rb") as file:
                entry = json.loads(file.read().decode("utf-8", "surrogatepass"))
            if entry["format"] != CACHE_FORMAT or entry["key"] != key:
                return None
            return result_from_json(entry["result"])
        except Exception:  # missing, damaged, forged or unreadable: lint the file again
            return None

    def put(self, key: str | None, result: FileResult) -> bool:
        """Store ``result`` under ``key``; whether it was stored. A result in which a rule or the
        parser crashed is not: the next run must meet the crash again (or its fix)."""
        if key is None or self._software is None or result.crashed_rules or not _KEY.fullmatch(key):
            return False
        entry = {"format": CACHE_FORMAT, "key": key, "result": result_to_json(result)}
        text = json.dumps(entry, ensure_ascii=False, separators=(",", ":"))
        path = self._entry(key)
        try:
            path.parent.mkdir(exist_ok=True)
            write_atomically(path, text.encode("utf-8", "surrogatepass"))
        except OSError as error:
            self._disable(error)
            return False
        return True

    def prune(self) -> int:
        """Remove what other versions of nianbao left here; the number of their folders removed."""
        if self._software is None:
            return 0
        try:
            children = list(os.scandir(self.directory))
        except OSError:
            return 0
        removed = 0
        for child in children:
            if child.name == self._versioned.name or not child.is_dir(follow_symlinks=False):
                continue
            if os.path.isfile(os.path.join(child.path, VERSION_MARKER)):
                shutil.rmtree(child.path, ignore_errors=True)
                removed += 1
        return removed

    def _entry(self, key: str) -> Path:
        return self._versioned / key[:2] / f"{key}.json"

    def _config_digest(self, config: Config) -> str | None:
        known = self._configs.get(id(config))
        if known is None or known[0] is not config:  # the object is kept, so its id is not reused
            settings = {item.name: getattr(config, item.name) for item in fields(config) if item.name not in NOT_FINDINGS}
            if self._record is not None:
                # A record's identity depends on the mapping file's contents, not only on its name.
                identity = self._linter.identity_settings(config)
                settings["identity"] = [identity.path_pattern, identity.mappings, identity.root]
            try:
                digest: str | None = _digest(settings)
            except _Unfingerprintable:
                digest = None
            known = self._configs[id(config)] = (config, digest)
        return known[1]

    def _disable(self, error: OSError) -> None:
        self._software = None
        if self.warning is None:
            reason = error.strerror or str(error)
            self.warning = f"缓存目录 {self.directory} 无法使用（{reason}），本次不使用检查结果缓存"


# --- the directory ----------------------------------------------------------------------------


def _prepare(directory: Path, versioned: Path, version: str) -> None:
    """Make the cache directory with its tag files, and the version's folder; raises OSError."""
    if not (directory / "CACHEDIR.TAG").is_file():
        _create(directory)
        if not (directory / "CACHEDIR.TAG").is_file():
            raise OSError("目录已存在且不是缓存目录（其中没有 CACHEDIR.TAG），为免改动其中的文件而不使用")
    versioned.mkdir(exist_ok=True)
    # Written on every start: this is also the check that the folder can be written.
    write_atomically(versioned / VERSION_MARKER, version.encode("utf-8"))


def _create(directory: Path) -> None:
    """Make ``directory`` complete with its tag files in one rename, so a run never meets a cache
    directory without them (and a directory without them is someone else's)."""
    directory.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=directory.parent, prefix=f".{directory.name}.", suffix=".tmp"))
    try:
        (staging / "CACHEDIR.TAG").write_text(CACHEDIR_TAG, encoding="utf-8")
        (staging / ".gitignore").write_text("*\n", encoding="utf-8")
        with suppress(OSError):
            directory.rmdir()  # an empty directory made beforehand (renaming onto it fails on Windows)
        with suppress(OSError):
            os.rename(staging, directory)  # fails when another run made it meanwhile, or it holds files
    finally:
        shutil.rmtree(staging, ignore_errors=True)


# --- fingerprints -----------------------------------------------------------------------------


def _software_digest(plugins: PluginSet, version: str, limits: ReadLimits, kept: list) -> str:
    """What every key of the run shares: the program, its plugins and the run's reading settings."""
    code_files = _code_files(plugins)
    return _digest(
        {
            "format": CACHE_FORMAT,
            "nianbao": version,
            "python": sys.version,
            "libraries": {name: _distribution_version(name) for name in READING_LIBRARIES},
            "formats": sorted(available_formats()),
            "plugins": [_plugin_identity(plugins, name, version, code_files) for name in plugins.names],
            "rules": [[info.rule.code, info.rule.name, info.plugin] for info in plugins.rules],
            "templates": plugins.templates,
            "profiles": plugins.profiles,
            "lexicons": plugins.lexicons,
            "sources": [_tree_stamp(root) for root in _source_roots(code_files)],
            "limits": limits,
            "kept": kept,
        }
    )


def _plugin_identity(plugins: PluginSet, name: str, version: str, code_files: dict[str, set[str | None]]) -> list:
    if name in BUILTIN_NAMES:
        return [name, "nianbao", version]
    distribution = plugins.distributions.get(name)
    release = _distribution_version(distribution) if distribution else None
    files = code_files.get(name, set())
    # Without a version, only the source files (stamped in "sources") tell one state of it from another.
    if release is None and (not files or None in files):
        raise _Unfingerprintable(f"插件 {name} 既没有发行版的版本号，也找不到它的源文件")
    return [name, distribution, release]


def _code_files(plugins: PluginSet) -> dict[str, set[str | None]]:
    """For each registered plugin, the files of its module, its hook implementations and its rules
    (None for one that has no file)."""
    files: dict[str, set[str | None]] = {}
    manager = plugins.manager
    for name, plugin in manager.list_name_plugin() if manager is not None else ():
        found = files.setdefault(name, {_module_file(plugin)})
        for caller in manager.get_hookcallers(plugin) or ():
            found.update(_module_file(item.function) for item in caller.get_hookimpls() if item.plugin is plugin)
    for info in plugins.rules:
        files.setdefault(info.plugin, set()).add(_module_file(info.rule))
    return files


def _module_file(thing: object) -> str | None:
    module = thing if isinstance(thing, ModuleType) else sys.modules.get(getattr(thing, "__module__", None) or "")
    path = getattr(module, "__file__", None)
    return path if path and os.path.isfile(path) else None


def _source_roots(code_files: dict[str, set[str | None]]) -> list[Path]:
    """The package folders (or lone modules) the plugins' code lives in, with nianbao's own."""
    roots = {Path(__file__).resolve().parent.parent}  # the nianbao package
    grammars = util.find_spec("nianbao.grammars")
    if grammars is not None:
        roots.update(Path(folder) for folder in grammars.submodule_search_locations or ())
    roots.update(_package_root(Path(path).resolve()) for found in code_files.values() for path in found if path)
    return sorted(roots)


def _package_root(path: Path) -> Path:
    """The top package folder a module belongs to, or the module itself when it is in no package."""
    folder = path.parent
    if not (folder / "__init__.py").is_file():
        return path
    while (folder.parent / "__init__.py").is_file():
        folder = folder.parent
    return folder


def _tree_stamp(root: Path) -> list:
    """Size and modification time of every file under ``root`` (or of ``root``, a file)."""
    if not root.is_dir():
        return [str(root), *_stat(str(root))]
    stamps: list = [str(root)]
    for folder, subfolders, names in os.walk(root):
        subfolders[:] = sorted(name for name in subfolders if name != "__pycache__")
        for name in sorted(names):
            if not name.endswith((".pyc", ".pyo")):
                path = os.path.join(folder, name)
                stamps.append([os.path.relpath(path, root), *_stat(path)])
    return stamps


def _stat(path: str) -> tuple[int, int] | tuple[()]:
    try:
        status = os.stat(path)
    except OSError:
        return ()
    return status.st_size, status.st_mtime_ns


def _distribution_version(name: str) -> str | None:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None


def _digest(value: Any) -> str:
    text = json.dumps(_canonical(value), ensure_ascii=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("ascii")).hexdigest()


def _canonical(value: Any) -> Any:
    """``value`` as JSON in which values that differ stay different: containers are tagged, floats
    kept exactly, mappings in their (file-given) order; anything else is unfingerprintable."""
    if value is None or type(value) in (bool, int, str):
        return value
    if isinstance(value, Enum):
        return ["enum", type(value).__qualname__, _canonical(value.value)]
    if type(value) is float:
        return ["float", repr(value)]
    if isinstance(value, PurePath):
        return ["path", str(value)]
    if isinstance(value, (datetime.date, datetime.time)):  # TOML dates and times
        return [type(value).__name__, value.isoformat()]
    if is_dataclass(value) and not isinstance(value, type):
        return ["object", type(value).__qualname__, [[item.name, _canonical(getattr(value, item.name))] for item in fields(value)]]
    if isinstance(value, Mapping):
        return ["map", [[_canonical(key), _canonical(item)] for key, item in value.items()]]
    if isinstance(value, (list, tuple)):
        return ["list", [_canonical(item) for item in value]]
    if isinstance(value, (set, frozenset)):
        return ["set", sorted(json.dumps(_canonical(item)) for item in value)]
    raise _Unfingerprintable(f"插件或配置中有无法记录的值（{type(value).__name__}）")
