"""A finding's identity across edits: rule, structural place and the normalised text at fault.

Baselines and SARIF ``partialFingerprints`` both use this key. It deliberately leaves out line
and column numbers, so moving a paragraph or inserting lines above a finding keeps its identity,
while changing the text at fault (or the place it is in) makes it a new finding.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from typing import Sequence

from nianbao.engine.diagnostic import Diagnostic

FINGERPRINT_NAME = "nianbao/v1"
"""Key of the fingerprint in SARIF ``partialFingerprints``; the version changes with the recipe."""


def normalize_snippet(text: str) -> str:
    """The text at fault without whitespace, so re-wrapping or re-indenting it is no change.

    Chinese text has no spaces between words, and a line wrapped inside a sentence must not
    make a finding new; dropping whitespace altogether (not just folding it) covers both.
    """
    return "".join(text.split())


def finding_key(diagnostic: Diagnostic) -> str:
    """Hex digest of rule code, structural place and normalised text at fault.

    When a finding has neither a place nor a text (a rule that reports an empty span without
    naming a place), its message stands in, so two such findings of one rule stay apart.
    """
    snippet = normalize_snippet(diagnostic.snippet)
    parts = [diagnostic.code, diagnostic.place, snippet]
    if not diagnostic.place and not snippet:
        parts.append(diagnostic.message)
    digest = hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()
    return digest[:32]


def occurrence_keys(diagnostics: Sequence[Diagnostic]) -> list[str]:
    """``key:n`` for each diagnostic, n counting equal keys within the same file in order (from 1).

    Two findings with the same key in one file (the same phrase faulted twice in one place) get
    distinct fingerprints, as SARIF consumers expect.
    """
    seen: Counter[tuple[str, str]] = Counter()
    keys = []
    for diagnostic in diagnostics:
        key = finding_key(diagnostic)
        seen[diagnostic.path, key] += 1
        keys.append(f"{key}:{seen[diagnostic.path, key]}")
    return keys

