"""Regular expressions compiled when they are first used.

Python compiles a regular expression in Python code, which costs far more than most searches with
it; and one report uses only some of the patterns the stages and rules define (those for the
statements it makes and the faults it has). A :class:`LazyPattern` stands where a compiled pattern
would: it compiles on its first use and from then on hands out the compiled pattern's own methods,
so a use costs what it costs on the compiled pattern.
"""

from __future__ import annotations

import re
from typing import Any

__all__ = ["LazyPattern"]


class LazyPattern:
    """``re.compile(pattern, flags)``, compiled when a method or attribute other than ``pattern``
    is first asked for. Use its methods (``search``, ``finditer``, ``sub``, …); functions of
    ``re`` that take a pattern (``re.sub(p, …)``) need ``compiled()``."""

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self.pattern = pattern
        self._flags = flags

    def compiled(self) -> re.Pattern[str]:
        return re.compile(self.pattern, self._flags)

    def __getattr__(self, name: str) -> Any:
        # Only attributes the instance lacks come here: the compiled pattern's methods, kept on the
        # instance after the first use so that later uses find them directly.
        if name.startswith("__") or name in ("pattern", "_flags"):
            raise AttributeError(name)
        value = getattr(self.compiled(), name)
        self.__dict__[name] = value
        return value

    def __reduce__(self) -> tuple:
        return (LazyPattern, (self.pattern, self._flags))

    def __eq__(self, other: object) -> bool:
        if isinstance(other, LazyPattern):
            return (self.pattern, self._flags) == (other.pattern, other._flags)
        return NotImplemented

    def __hash__(self) -> int:
        return hash((LazyPattern, self.pattern, self._flags))

    def __repr__(self) -> str:
        return f"LazyPattern({self.pattern!r}{f', {self._flags}' if self._flags else ''})"
