"""Every run of the suite keeps its result cache in a directory of its own: never in the
repository, never shared with a developer's own runs, and exercised by every test that checks."""

from __future__ import annotations

import os
import shutil
import tempfile

_CACHE = tempfile.mkdtemp(prefix="nianbao-test-cache-")
os.environ["NIANBAO_CACHE_DIR"] = _CACHE


def pytest_unconfigure(config):
    shutil.rmtree(_CACHE, ignore_errors=True)
