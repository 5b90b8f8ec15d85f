"""Numbered headings: ``一、`` (a section), ``(一)`` (a sub-section), ``1.`` (an item).

The one definition of what a heading's ordinal looks like. The line lexer and the tree builder
read headings with it, the tables stage recognises row labels that start with the same ordinals
("(三)不予公开", "1.属于国家秘密"), and rules get it through ``nianbao.api``. The grammar's
SECTION_HEAD, SUB_HEAD and ITEM_HEAD terminals spell the same patterns after
:data:`HEADING_LEAD`; tests/test_parser.py checks that they agree. Patterns are over normalised
text: ASCII punctuation, and ㈠ already written (一).
"""

from __future__ import annotations

import re

from nianbao.parse.tree import Heading
from nianbao.text.location import Span
from nianbao.text.numerals import chinese_ordinal_value

__all__ = [
    "CHINESE_ORDINAL",
    "HEADING_LEAD",
    "HEADING_ORDINAL",
    "ITEM_ORDINAL",
    "ORDINALS",
    "SECTION_ORDINAL",
    "SUB_ORDINAL",
    "read_heading",
]

# 一 … 十, 十二, 二十三: the numeral of a Chinese ordinal.
CHINESE_ORDINAL = "[一二三四五六七八九十]{1,3}"
SECTION_ORDINAL = rf"{CHINESE_ORDINAL}[ \t]*[、.]"
SUB_ORDINAL = rf"\({CHINESE_ORDINAL}\)"
# 1. / 1、, but not the 1.5 of a number or the 2020.1.21 of a date.
ITEM_ORDINAL = r"\d{1,2}[ \t]*[.、](?![\d.])"
# By heading level: 1 section, 2 sub-section, 3 item.
ORDINALS = {1: SECTION_ORDINAL, 2: SUB_ORDINAL, 3: ITEM_ORDINAL}
HEADING_ORDINAL = "(?:" + "|".join(ORDINALS.values()) + ")"
# What may stand before the ordinal on a heading line: blanks and Markdown hashes ("## 一、总体情况").
HEADING_LEAD = r"[ \t]*(?:#{1,6}[ \t]*)?"

_HEADING = re.compile(rf"(?P<lead>{HEADING_LEAD})(?P<ordinal>{HEADING_ORDINAL})(?P<rest>.*)")
_NOT_DIGITS = re.compile(r"[ \t、.()]")
# A heading whose text runs on into the paragraph: "(一)基本情况。2020年，我局…"
_TITLE_END = re.compile(r"[。:]")
MAX_HEADING_TITLE = 40


def read_heading(line: str, start: int, level: int) -> Heading:
    """The heading written on ``line``, a heading line without its surrounding blanks that starts
    at ``start`` in the text.

    The title is the text after the ordinal up to a full stop or colon within
    :data:`MAX_HEADING_TITLE` characters; a longer run-on text gives an empty title. The heading's
    span covers the ordinal and the title, not what runs on after them.
    """
    match = _HEADING.match(line)
    if match is None:
        raise ValueError(f"not a heading line: {line!r}")
    ordinal = match.group("ordinal")
    rest = match.group("rest")
    title_start = start + match.start("rest") + (len(rest) - len(rest.lstrip()))
    title = rest.strip()
    cut = _TITLE_END.search(title)
    if cut is not None and cut.start() <= MAX_HEADING_TITLE:
        title = title[: cut.start()]
    elif len(title) > MAX_HEADING_TITLE:
        title = ""
    title_span = Span(title_start, title_start + len(title))
    return Heading(
        Span(start, max(title_span.end, start + match.end("ordinal"))),
        level=level,
        ordinal=ordinal.strip(),
        number=chinese_ordinal_value(_NOT_DIGITS.sub("", ordinal)),
        title=title,
        title_span=title_span,
        markdown="#" in match.group("lead"),
    )
