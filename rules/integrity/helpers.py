"""What the SR rules share: runs of nearby suspicious pieces, and the section part of a place."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Iterator
from itertools import pairwise
from typing import TYPE_CHECKING

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
    index = document.analysis(_section_index)
    if index is None:
        section = document.section_at(offset)
    else:
        starts, sections = index
        position = bisect_right(starts, offset) - 1
        section = sections[position] if position >= 0 and offset < sections[position].span.end else None
    return f"section:{section.heading.ordinal}/" if section is not None else ""


def _section_index(document: Document) -> tuple[list[int], list] | None:
    """The numbered sections by where they start, for finding a finding's section by bisection
    (a report with a finding in every paragraph would otherwise cost sections × findings);
    None if they overlap or are out of order, where only a walk through them is right."""
    sections = list(document.report.sections)
    if any(later.span.start < earlier.span.end for earlier, later in pairwise(sections)):
        return None
    return [section.span.start for section in sections], sections
