"""Where a narrative finding is, for its ``place`` (the baseline and SARIF fingerprint)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from nianbao.api import Document


def place_prefix(document: Document, offset: int) -> str:
    """"section:三/" for a finding at ``offset`` (empty outside numbered sections), for ``place``."""
    section = document.section_at(offset)
    return f"section:{section.heading.ordinal.rstrip('、.．')}/" if section is not None else ""
