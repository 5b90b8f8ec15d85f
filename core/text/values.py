"""What a table value cell says: a number (with sign and unit), nothing (blank or a dash), or text.

``parse_cell_value`` reads the cell text as the renderings give it: ``0``, `` 0``, ``13``,
``+1036``, ``减71``, ``加89``, ``增12``, ``减少3``, ``21738元``, ``6603610.09``, ``12.5万元``,
``1,025``, ``1 025``, ``3件``. A written sign sets ``sign`` and the value carries it (``减71`` is
-71), so ``上一年项目数量 + 本年增/减`` can be computed directly. ``/``, ``-``, ``—`` and ``无`` are
dashes (explicitly nothing); approximate figures (``约30``) are text, since a table must be exact.
Numbers follow :mod:`nianbao.text.numbers` (``12.5万元`` is 12.5 in 万元, ``2.5万`` is 25000).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from nianbao.text.numbers import extract_numbers, lexicon
from nianbao.text.numerals import parse_chinese_numeral

__all__ = ["CellValue", "parse_cell_value"]


@dataclass
class CellValue:
    """What a value cell says.

    ``kind`` is one of ``number`` (``value`` set), ``blank`` (empty cell),
    ``dash`` (``/``, ``-``, ``—``: explicitly nothing) or ``text`` (not a number).
    ``sign`` is ``+1``/``-1`` when the cell carries one (``+12``, ``减71``, ``加89``), else 0.
    """

    kind: str
    value: Decimal | None = None
    sign: int = 0
    unit: str | None = None

# "1 025", "6 603 610.09": digit groups of three after spaces are one number.
_SPACED_THOUSANDS = re.compile(r"\d{1,3}(?: \d{3})+(?:\.\d+)?")


def parse_cell_value(text: str) -> CellValue:
    """Classify one value cell; never raises."""
    # Tables repeat the same few cell texts ("0", "/"); a fresh CellValue each time, as the
    # caller may keep and change it.
    return CellValue(*_cell_fields(text))


@lru_cache(maxsize=4096)
def _cell_fields(text: str) -> tuple[str, Decimal | None, int, str | None]:
    value = _parse(text)
    return value.kind, value.value, value.sign, value.unit


def _parse(text: str) -> CellValue:
    lex = lexicon()
    stripped = text.strip()
    if not stripped:
        return CellValue(kind="blank")
    if stripped in lex.dashes or _repeated_dash(stripped, lex.dashes):
        return CellValue(kind="dash")

    sign = 0
    body = stripped
    positive = _prefix(body, lex.positive_signs)
    negative = _prefix(body, lex.negative_signs)
    # The longer sign word wins: "减少3" is 减少, not 减.
    if positive and (not negative or len(positive) >= len(negative)):
        sign, body = 1, body[len(positive):].strip()
    elif negative:
        sign, body = -1, body[len(negative):].strip()

    if _SPACED_THOUSANDS.fullmatch(body):
        body = body.replace(" ", "")
    number = _whole_number(body)
    if number is None:
        return CellValue(kind="text")
    value, unit = number
    if sign < 0:
        value = -value
    return CellValue(kind="number", value=value, sign=sign, unit=unit)


def _repeated_dash(text: str, dashes: frozenset[str]) -> bool:
    """"--", "//", "— —": dash characters only, however many."""
    marks = {dash for dash in dashes if len(dash) == 1 and not dash.isalpha()}
    return all(ch in marks or ch.isspace() for ch in text)


def _prefix(text: str, words: tuple[str, ...]) -> str | None:
    for word in words:  # longest first
        if text.startswith(word) and len(text) > len(word):
            return word
    return None


def _whole_number(body: str) -> tuple[Decimal, str | None] | None:
    """The number if ``body`` is exactly one exact number with an optional unit."""
    if not body:
        return None
    mentions = extract_numbers(body)
    if len(mentions) == 1:
        mention = mentions[0]
        if mention.start == 0 and mention.end == len(body) and not mention.approximate:
            return mention.value, mention.unit
        return None
    if not mentions:
        # A bare Chinese numeral (十二) has no unit, so prose extraction does not take it.
        value = parse_chinese_numeral(body)
        if value is not None and not body.isascii():
            return Decimal(value), None
    return None
