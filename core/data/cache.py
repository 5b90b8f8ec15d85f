"""Data derived from the built-in data files, kept between runs.

Reading ``nianbao/data`` (TOML) and deriving what the code uses from it (validated templates,
normalised lexicon terms) costs a large share of a short ``nianbao check`` run, and the result
is the same every time. :func:`cached` stores such a result under the user's cache directory
(``$XDG_CACHE_HOME/nianbao`` or ``~/.cache/nianbao``; ``NIANBAO_NO_CACHE=1`` turns it off) and reuses it while nothing it came from
has changed: the key covers the nianbao and Python versions, the size and modification time of
every data file of the package, of the module that derives the value and of the modules it names
(a changed module may derive differently), and of OpenCC (which normalises Traditional terms). Any trouble with the cache (no home directory, a
read-only disk, a damaged or foreign file) only means the data is derived again.

Only pure functions of the built-in data may be cached, unless the caller names what else the
result depends on: plugin and configuration data change without the package key noticing.
"""

from __future__ import annotations

import os
import pickle
import sys
import tempfile
from contextlib import suppress
from functools import lru_cache
from pathlib import Path
from typing import Callable, TypeVar

from nianbao import __version__

__all__ = ["cache_directory", "cached"]

T = TypeVar("T")

# Bumped when the layout of a cache file changes.
_FORMAT = 1
_PACKAGE = Path(__file__).resolve().parent.parent  # the nianbao package


def cache_directory() -> Path | None:
    """Where derived data is kept, or None when there is no usable place or
    ``NIANBAO_NO_CACHE`` is set."""
    if os.environ.get("NIANBAO_NO_CACHE"):
        return None
    base = os.environ.get("XDG_CACHE_HOME")
    try:
        root = Path(base) if base else Path.home() / ".cache"
    except RuntimeError:  # no home directory
        return None
    return root / "nianbao"


def cached(name: str, build: Callable[[], T], depends_on: tuple = (), modules: tuple[str, ...] = ()) -> T:
    """``build()``, or its result from an earlier run when nothing it comes from has changed since:
    the data files, the module defining ``build``, the ``modules`` it relies on to derive the value
    (names of imported modules), and ``depends_on`` (a picklable description of anything else)."""
    package_key = _key()
    directory = cache_directory()
    if package_key is None or directory is None:
        return build()
    key = (package_key, tuple(_module_stamp(module) for module in (build.__module__, *modules)), depends_on)
    path = directory / f"{name}.pickle"
    try:
        with open(path, "rb") as file:
            stored_key, value = pickle.load(file)
        if stored_key == key:
            return value
    except Exception:  # missing, damaged or written by another version: derive again
        pass
    value = build()
    _store(path, (key, value))
    return value


def _store(path: Path, entry: tuple) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(path, pickle.dumps(entry, protocol=pickle.HIGHEST_PROTOCOL))
    except Exception:  # unwritable or unpicklable: the next run derives the data again
        pass


def write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` aside in ``path``'s directory and rename it into place, so that parallel runs
    (pre-commit, worker processes) never read half a file; the temporary file never stays behind."""
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".tmp")
    try:
        with os.fdopen(descriptor, "wb") as file:
            file.write(data)
        os.replace(temporary, path)
    except BaseException:
        with suppress(OSError):
            os.unlink(temporary)
        raise


@lru_cache(maxsize=1)
def _key() -> tuple | None:
    """The versions and data-file signature that cached data must match (None: do not cache)."""
    try:
        files = sorted((_PACKAGE / "data").rglob("*.toml"))
        if not files:
            return None  # not installed as plain files (a zip): nothing to tell a change by
        signature = [(str(path.relative_to(_PACKAGE)), *_stamp(path)) for path in files]
        signature.append(("opencc", *_opencc_stamp()))
    except OSError:
        return None
    return (_FORMAT, __version__, sys.version, tuple(signature))


@lru_cache(maxsize=None)
def _module_stamp(name: str) -> tuple:
    """A loaded module's name, size and modification time (its name alone when it has no file)."""
    path = getattr(sys.modules.get(name), "__file__", None)
    try:
        return (name, *_stamp(Path(path))) if path else (name,)
    except OSError:
        return (name,)


def _stamp(path: Path) -> tuple[int, int]:
    status = path.stat()
    return status.st_size, status.st_mtime_ns


def _opencc_stamp() -> tuple[int, int]:
    from importlib.util import find_spec

    spec = find_spec("opencc")
    if spec is None or spec.origin is None or not os.path.exists(spec.origin):
        return (-1, -1)
    return _stamp(Path(spec.origin))
