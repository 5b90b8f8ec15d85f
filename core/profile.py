"""Profiles: bundles of local requirements layered over the national format."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Profile:
    """A named set of local requirements.

    ``places`` are place names (吉林, 长春 …) that select the profile when configuration
    says ``profile = "auto"``; ``rules`` maps a rule code to settings (``severity`` and
    options) applied before the user's own configuration.
    """

    name: str
    description: str
    places: tuple[str, ...] = ()
    rules: dict[str, dict[str, Any]] = field(default_factory=dict)


NATIONAL = Profile("national", "全国统一格式（国办公开办函〔2019〕60号、〔2021〕30号）")
