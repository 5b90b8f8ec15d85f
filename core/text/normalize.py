"""Text normalisation with an exact map back to the original file.

The grammar and the rules see one canonical spelling of the many variants real reports use
(full-width punctuation, odd spaces, ㈠, Traditional characters, labels wrapped over two lines),
while every diagnostic still points at the original line and column.

The map is kept as two arrays, ``starts[i]``/``ends[i]``: the original code-point range that
normalised character ``i`` came from. While no step has inserted or removed characters the map is
the identity and is not stored at all, which keeps ordinary UTF-8 reports cheap.
"""

from __future__ import annotations

import re
from array import array
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Optional

from nianbao.text.location import Location, Span

__all__ = ["NormalizedText", "normalize", "fold_label"]

# --- step tables -------------------------------------------------------------------------------

# One character in, one character out: applied with str.translate, the map is unchanged.
_ONE_TO_ONE: dict[int, str] = {
    0x0D: "\n",  # a lone CR; CRLF pairs are merged before this table runs
    **{code: chr(code - 0xFEE0) for code in range(0xFF01, 0xFF5F)},  # full-width ASCII forms
    **{code: " " for code in (0x00A0, 0x3000, 0x202F, 0x205F, *range(0x2000, 0x200B))},
}

# Characters that change the length: deleted or expanded. Each maps to its replacement.
_ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff"
_CHINESE_NUMERALS = "一二三四五六七八九十"
_RESIZING: dict[str, str] = {
    "\r\n": "\n",
    **{char: "" for char in _ZERO_WIDTH},
    # ㈠…㈩ (U+3220–U+3229) → (一)…(十)
    **{chr(0x3220 + index): f"({numeral})" for index, numeral in enumerate(_CHINESE_NUMERALS)},
    # ⑴…⒇ (U+2474–U+2487) → (1)…(20)
    **{chr(0x2474 + index): f"({index + 1})" for index in range(20)},
}
_RESIZING_PATTERN = re.compile(
    "\r\n|[" + "".join(sorted(key for key in _RESIZING if len(key) == 1)) + "]"
)

# For fold_label, where no map is needed, one translate does steps 2–4 at once.
_FOLD_TABLE: dict[int, str] = {
    **_ONE_TO_ONE,
    **{ord(key): value for key, value in _RESIZING.items() if len(key) == 1},
}

# CJK ideographs: the only characters OpenCC's t2s changes that we care to look for.
_HANZI_RUN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]+")
_ORIGINAL_LINE_BREAK = re.compile("\r\n|\r|\n")
_INDENT = " \t"


# --- the result ----------------------------------------------------------------------------------


@dataclass
class NormalizedText:
    """Normalised text plus the way back to the original.

    ``_starts``/``_ends`` are the offset map (``None`` = identity, only valid when the two texts
    have the same length); build instances with :func:`normalize`.
    """

    text: str
    original: str
    _starts: Optional[array] = field(default=None, repr=False, compare=False)
    _ends: Optional[array] = field(default=None, repr=False, compare=False)
    _original_line_starts: Optional[array] = field(
        default=None, init=False, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        if self._starts is None:
            if len(self.text) != len(self.original):
                raise ValueError("an identity offset map needs texts of equal length")
        elif not (len(self._starts) == len(self._ends) == len(self.text)):
            raise ValueError("offset map length differs from the normalised text")

    def original_range(self, span: Span) -> tuple[int, int]:
        """The ``[start, end)`` code-point range in the original text that ``span`` came from."""
        length = len(self.text)
        if not 0 <= span.start <= span.end <= length:
            raise ValueError(f"span {span.start}..{span.end} outside text of length {length}")
        if self._starts is None:
            return span.start, span.end
        start = self._boundary(span.start)
        if span.start == span.end:
            return start, start
        return start, self._ends[span.end - 1]

    def locate(self, span: Span) -> Location:
        """1-based line and column (code points, end exclusive) of ``span`` in the original."""
        start, end = self.original_range(span)
        start_line, start_column = self._line_column(start)
        end_line, end_column = self._line_column(end)
        return Location(start_line, start_column, end_line, end_column)

    def from_original(self, offset: int) -> int:
        """The normalised offset of the character that original ``offset`` became (the next one
        when it was deleted)."""
        if self._starts is None:
            return min(offset, len(self.text))
        return bisect_left(self._starts, offset)

    def line_of(self, offset: int) -> int:
        """1-based original line of normalised ``offset`` (``len(text)`` allowed)."""
        return self._line_column(self.original_range(Span(offset, offset))[0])[0]

    def _boundary(self, offset: int) -> int:
        """Original offset where normalised character ``offset`` begins (end of text past the last)."""
        if offset < len(self.text):
            return self._starts[offset]
        return len(self.original)

    def _line_column(self, original_offset: int) -> tuple[int, int]:
        if self._original_line_starts is None:
            self._original_line_starts = array(
                "l", [0, *(match.end() for match in _ORIGINAL_LINE_BREAK.finditer(self.original))]
            )
        line_index = bisect_right(self._original_line_starts, original_offset) - 1
        return line_index + 1, original_offset - self._original_line_starts[line_index] + 1


# --- the steps -----------------------------------------------------------------------------------


def normalize(original: str, joinable_labels: frozenset[str] = frozenset()) -> NormalizedText:
    """Normalise ``original`` for parsing; ``joinable_labels`` are template labels already passed
    through :func:`fold_label`, used to rejoin labels wrapped over two or three lines."""
    text, starts, ends = _apply_resizing(original)
    text = text.translate(_ONE_TO_ONE)
    text = _to_simplified(text)
    if joinable_labels:
        deletions = _label_join_deletions(text, frozenset(joinable_labels))
        if deletions:
            if starts is None:
                identity = _identity(len(text) + 1)
                starts, ends = identity[:-1], identity[1:]
            text, starts, ends = _delete_ranges(text, starts, ends, deletions)
    return NormalizedText(text, original, starts, ends)


@lru_cache(maxsize=16384)  # table matching folds the same few hundred labels over and over
def fold_label(text: str) -> str:
    """Canonical comparison key for a label: the normalised characters without any whitespace."""
    folded = _to_simplified(text.replace("\r\n", "\n").translate(_FOLD_TABLE))
    return "".join(folded.split())


def _apply_resizing(original: str) -> tuple[str, Optional[array], Optional[array]]:
    """Merge CRLF, delete zero-width characters, expand ㈠ and ⑴; build the map if anything moved."""
    matches = list(_RESIZING_PATTERN.finditer(original))
    if not matches:
        return original, None, None
    # Unchanged stretches are copied from one identity array: slice copies run at C speed.
    identity = _identity(len(original) + 1)
    pieces: list[str] = []
    starts = array("i")
    ends = array("i")
    # Bound methods hoisted: a CRLF file has one match per line.
    add_piece, extend_starts, extend_ends = pieces.append, starts.extend, ends.extend
    add_start, add_end = starts.append, ends.append
    position = 0
    for match in matches:
        match_start, match_end = match.span()
        if position < match_start:
            add_piece(original[position:match_start])
            extend_starts(identity[position:match_start])
            extend_ends(identity[position + 1 : match_start + 1])
        replacement = _RESIZING[match.group()]
        add_piece(replacement)
        # Every character of an expansion maps to the whole source character(s).
        for _ in replacement:
            add_start(match_start)
            add_end(match_end)
        position = match_end
    pieces.append(original[position:])
    starts.extend(identity[position : len(original)])
    ends.extend(identity[position + 1 :])
    return "".join(pieces), starts, ends


def _identity(length: int) -> array:
    return array("i", range(length))


@lru_cache(maxsize=1)
def _traditional_to_simplified():
    # Imported on first use only: most reports are Simplified and never need OpenCC.
    import opencc

    return opencc.OpenCC("t2s")


def _may_contain_traditional(text: str) -> bool:
    """Every Simplified character in common use is in GB2312; anything else may be Traditional."""
    hanzi = "".join(_HANZI_RUN.findall(text))
    if not hanzi:
        return False
    try:
        hanzi.encode("gb2312")
    except UnicodeEncodeError:
        return True
    return False


def _to_simplified(text: str) -> str:
    """Traditional → Simplified, character for character so the offset map is untouched."""
    if not _may_contain_traditional(text):
        return text
    converter = _traditional_to_simplified()
    try:
        # Whole-text conversion lets OpenCC use its phrase tables (乾燥 → 干燥, but 乾隆 stays).
        converted = converter.convert(text)
    except Exception:  # e.g. text OpenCC cannot encode; fall back to single characters below
        converted = None
    if converted is not None and len(converted) == len(text):
        return converted
    table: dict[int, str] = {}
    for char in set("".join(_HANZI_RUN.findall(text))):
        try:
            simplified = converter.convert(char)
        except Exception:
            continue
        if len(simplified) == 1 and simplified != char:
            table[ord(char)] = simplified
    return text.translate(table)


@lru_cache(maxsize=8)
def _label_prefixes(labels: frozenset[str]) -> frozenset[str]:
    return frozenset(label[:cut] for label in labels for cut in range(1, len(label)))


def _label_join_deletions(text: str, labels: frozenset[str]) -> list[tuple[int, int]]:
    """Ranges to delete so that a label wrapped over two or three lines becomes one line.

    Deleted at each join: the first line's trailing spaces, the line break, and the next line's
    indentation.
    """
    prefixes = _label_prefixes(labels)
    lines = text.split("\n")
    folded = ["".join(line.split()) for line in lines]
    line_starts = [0] * len(lines)
    for index in range(1, len(lines)):
        line_starts[index] = line_starts[index - 1] + len(lines[index - 1]) + 1

    def join_point(index: int) -> tuple[int, int]:
        """Deletion range between line ``index`` and line ``index + 1``."""
        upper, lower = lines[index], lines[index + 1]
        start = line_starts[index] + len(upper.rstrip(_INDENT))
        end = line_starts[index + 1] + len(lower) - len(lower.lstrip(_INDENT))
        return start, end

    deletions: list[tuple[int, int]] = []
    index = 0
    last = len(lines) - 1
    while index < last:
        head = folded[index]
        if not head or head in labels or head not in prefixes or not folded[index + 1]:
            index += 1
            continue
        two_lines = head + folded[index + 1]
        if two_lines in labels:
            deletions.append(join_point(index))
            index += 2
            continue
        if two_lines in prefixes and index + 2 <= last and folded[index + 2]:
            if two_lines + folded[index + 2] in labels:
                deletions.append(join_point(index))
                deletions.append(join_point(index + 1))
                index += 3
                continue
        index += 1
    return deletions


def _delete_ranges(
    text: str, starts: array, ends: array, deletions: list[tuple[int, int]]
) -> tuple[str, array, array]:
    """Remove sorted, disjoint ``[start, end)`` ranges from the text and its map."""
    pieces: list[str] = []
    kept_starts = array(starts.typecode)
    kept_ends = array(ends.typecode)
    position = 0
    for start, end in deletions:
        pieces.append(text[position:start])
        kept_starts.extend(starts[position:start])
        kept_ends.extend(ends[position:start])
        position = end
    pieces.append(text[position:])
    kept_starts.extend(starts[position:])
    kept_ends.extend(ends[position:])
    return "".join(pieces), kept_starts, kept_ends
