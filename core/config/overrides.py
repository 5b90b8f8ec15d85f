"""Command-line selection flags laid over each file's configuration."""

from __future__ import annotations

import dataclasses
from pathlib import Path


class OverridingResolver:
    """Applies command-line selection flags on top of each file's configuration."""

    def __init__(self, resolver, overrides: dict) -> None:
        self.resolver = resolver
        self.overrides = overrides
        self._cache: dict[int, object] = {}

    def for_path(self, path: Path):
        config = self.resolver.for_path(path)
        if not self.overrides:
            return config
        key = id(config)
        if key not in self._cache:
            changes = dict(self.overrides)
            if "extend_select" in changes:
                changes["extend_select"] = config.extend_select + changes["extend_select"]
            if "ignore" in changes:
                changes["ignore"] = config.ignore + changes["ignore"]
            self._cache[key] = dataclasses.replace(config, **changes)
        return self._cache[key]
