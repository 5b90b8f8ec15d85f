"""What the SR rules share: runs of nearby suspicious pieces, and the section part of a place."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Iterable, Iterator

if TYPE_CHECKING:
    from nianbao.api import Document


def group_nearby(text: str, pieces: Iterable, joiner: re.Pattern[str]) -> Iterator[list]:
    """Runs of found pieces (anything with ``start`` and ``end``, in text order) that overlap
    or are separated only by text ``joiner`` matches in full: one finding per run, not per term."""
    group: list = []
    for piece in pieces:
        if group:
            group_end = max(item.end for item in group)
            if piece.start <= group_end or joiner.fullmatch(text, group_end, piece.start):
                group.append(piece)
                continue
            yield group
        group = [piece]
    if group:
        yield group


def section_place(document: Document, offset: int) -> str:
    """"section:三、/" for a finding at ``offset`` (the ordinal as written; empty outside numbered
    sections): the start of the finding's ``place``."""
    section = document.section_at(offset)
    return f"section:{section.heading.ordinal}/" if section is not None else ""
