"""Output formats for ``nianbao check --format NAME``; plugins add more through a hook."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol, Sequence

if TYPE_CHECKING:
    from nianbao.diagnostic import Diagnostic
    from nianbao.rule import RuleInfo


@dataclass
class RunContext:
    """What a formatter may need besides the diagnostics."""

    rules: Sequence[RuleInfo] = ()
    files: Sequence[str] = ()
    root: str = "."
    tool_version: str = ""
    extras: dict = field(default_factory=dict)


class Formatter(Protocol):
    name: str
    description: str

    def format(self, diagnostics: Sequence[Diagnostic], context: RunContext) -> str:
        """The whole output for a run; diagnostics come sorted by path, line, column, code."""
