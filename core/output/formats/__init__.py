"""Output formats for ``nianbao check --format NAME``; plugins add more through a hook."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Mapping, Protocol, Sequence

if TYPE_CHECKING:
    from nianbao.engine.diagnostic import Diagnostic
    from nianbao.plugins.rule import RuleInfo


@dataclass
class RunContext:
    """What a formatter may need besides the diagnostics."""

    rules: Sequence[RuleInfo] = ()
    files: Sequence[str] = ()
    root: str = "."
    """The working directory; paths of diagnostics are relative to it or absolute."""
    tool_version: str = ""
    extras: dict = field(default_factory=dict)
    sources: Mapping[str, str] = field(default_factory=dict)
    """Original text of each checked file by path, for showing source lines."""
    show_source: bool = False
    """Show the faulty source line under each diagnostic (``--show-source``)."""
    suppressed: Sequence[Diagnostic] = ()
    """Diagnostics silenced by suppression comments: not reported, but SARIF records them."""
    baseline_used: bool = False
    unchanged: Sequence[Diagnostic] = ()
    """With a baseline: findings already in it. Not reported; SARIF records them as "unchanged"."""
    execution_successful: bool = True
    """False when a rule crashed."""
    notifications: Sequence[str] = ()
    """Problems of the run itself (a plugin that could not be loaded), in Chinese."""
    fail_on: str = "error"
    """The lowest severity that fails the run (``--fail-on``): what a CI report counts as a failure."""


class Formatter(Protocol):
    name: str
    description: str

    def format(self, diagnostics: Sequence[Diagnostic], context: RunContext) -> str:
        """The whole output for a run; diagnostics come sorted by path, line, column, code.

        A formatter whose class sets ``streams = True`` promises that the output for several files
        is its output for each file in turn: it is then called once per file as each is done."""
