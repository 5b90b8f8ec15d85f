"""Paths as code-hosting services want them: relative to the root of the repository."""

from __future__ import annotations

import os
from pathlib import Path, PurePosixPath
from urllib.parse import quote


def repository_root(start: str | os.PathLike) -> Path:
    """The closest directory at or above ``start`` holding ``.git``; ``start`` itself if none does.

    Code scanning and workflow annotations resolve paths against the repository's root, which
    is not always the directory nianbao was started in.
    """
    start_path = Path(os.path.abspath(start))
    for directory in (start_path, *start_path.parents):
        if (directory / ".git").exists():
            return directory
    return start_path


def relative_to_root(path: str, root: Path, cwd: str | os.PathLike) -> str | None:
    """``path`` (as given, relative to ``cwd``) relative to ``root`` in POSIX form, or None when outside."""
    absolute = Path(os.path.normpath(os.path.join(os.fspath(cwd), path)))
    try:
        relative = absolute.relative_to(root)
    except ValueError:
        return None
    return PurePosixPath(*relative.parts).as_posix()


def uri_reference(posix_path: str) -> str:
    """A relative URI reference for a POSIX path: non-ASCII and reserved characters percent-encoded."""
    return quote(posix_path, safe="/")


def absolute_uri(path: str, cwd: str | os.PathLike) -> str:
    return Path(os.path.normpath(os.path.join(os.fspath(cwd), path))).as_uri()
