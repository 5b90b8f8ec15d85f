"""Sentences of report prose, with their figures, bracket groups and clauses.

:func:`sentences_in` splits a stretch of text (a paragraph) into :class:`Sentence` objects;
``Document.sentences()`` does it for every paragraph of a report, once. A sentence ends at 。!?！？ or a line break (a run of more than
``LONGEST_SENTENCE`` characters without one is cut at a clause separator). It knows

* its figures (:class:`Figure`): the quantities :func:`nianbao.text.numbers.extract_counts`
  finds in it (no dates, years, ordinals, document or phone numbers);
* the bracket group each character is in, so that "（含上年结转2件）" or a title in 《》 stays
  apart from the sentence around it; a figure inside 《》 or quotation marks is ``quoted``
  (part of a name: "《…8条措施》");
* its clauses (:class:`Clause`), the stretches of one bracket group between ``,`` ``;`` ``:``;
* the titles of the headings above its paragraph.

Every offset is an offset into the NORMALISED text (half-width ``,;:()``), like every ``Span``.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field, replace
from decimal import Decimal

from nianbao.text.location import Span
from nianbao.text.numbers import NumberMention, extract_counts, lexicon

__all__ = [
    "CLAUSE_SEPARATORS",
    "SEMICOLONS",
    "Clause",
    "Figure",
    "Sentence",
    "approximation_words",
    "sentences_in",
]

# Sentence ends; a line break also ends a sentence (list items, headings run into paragraphs).
_SENTENCE_ENDS = frozenset("。!?！？\n")
CLAUSE_SEPARATORS = frozenset(",;:，；：")
"""What separates the clauses of a sentence (normalised text has the half-width forms)."""
SEMICOLONS = frozenset(";；")
"""The clause separators that end a list of items ("…3件;…")."""
_BRACKETS = {"(": ")", "（": "）", "[": "]", "【": "】", "〔": "〕", "《": "》", "“": "”", "‘": "’", "「": "」", "『": "』"}
LONGEST_SENTENCE = 1000
"""Characters a sentence may have: a run without a sentence end is cut into pieces of this size."""
_SENTENCE_END = re.compile("[" + re.escape("".join(sorted(_SENTENCE_ENDS))) + "]")
_BRACKET_CHARACTER = re.compile("[" + re.escape("".join(sorted({*_BRACKETS, *_BRACKETS.values()}))) + "]")
# Text inside these is a title or a quotation: its figures are names ("《…8条措施》"), not counts.
_QUOTING = frozenset("《“‘「『")
# The nodes whose heading titles the sentences of their body carry.
_CONTAINERS = ("Section", "SubSection")


@dataclass(frozen=True)
class Figure:
    """A figure of a sentence (offsets in the normalised text) and the bracket group it is in."""

    mention: NumberMention
    group: int
    """0 outside brackets; otherwise the id of the innermost bracket group."""
    quoted: bool
    """Inside 《》 or quotation marks: part of a name or title, not a count."""

    @property
    def start(self) -> int:
        return self.mention.start

    @property
    def end(self) -> int:
        return self.mention.end

    @property
    def span(self) -> Span:
        return Span(self.mention.start, self.mention.end)

    @property
    def value(self) -> Decimal:
        return self.mention.value

    @property
    def unit(self) -> str | None:
        return self.mention.unit

    @property
    def text(self) -> str:
        return self.mention.text


@dataclass(frozen=True)
class _Group:
    open: int  # offset of the opening bracket (absolute); -1 for the sentence itself
    close: int  # offset of the closing bracket, or the sentence end
    parent: int
    quoting: bool


@dataclass(frozen=True)
class Clause:
    """A stretch of one bracket group between clause separators (``,`` ``;`` ``:``)."""

    start: int
    end: int
    separator_before: str
    """The separator that opens the clause ("" at the start of the group)."""


@dataclass
class Sentence:
    """One sentence of a paragraph, with its figures and bracket structure.

    Every question about separators, clauses and figures is answered from indexes built once per
    sentence (offsets sorted per bracket group, found by binary search), so that asking it for
    every figure of a long sentence stays linear in the sentence's length.
    """

    start: int
    end: int
    text: str
    headings: tuple[str, ...] = ()
    """Titles of the headings above the paragraph, outermost first."""
    paragraph: str = ""
    """The whole paragraph the sentence is in."""
    figures: list[Figure] = field(default_factory=list)
    _groups: list[int] = field(default_factory=list, repr=False)
    _group_info: dict[int, _Group] = field(default_factory=dict, repr=False)
    _separator_index: dict[int, list[int]] | None = field(default=None, repr=False, compare=False)
    _clause_index: dict[tuple[int, frozenset[str]], tuple[list[Clause], list[int]]] = field(
        default_factory=dict, repr=False, compare=False
    )
    _figure_index: tuple[int, dict[int, tuple[list[Figure], list[int]]]] | None = field(
        default=None, repr=False, compare=False
    )

    @property
    def span(self) -> Span:
        return Span(self.start, self.end)

    def at(self, start: int, end: int) -> str:
        """The text between two absolute offsets inside the sentence."""
        return self.text[max(start, self.start) - self.start : min(end, self.end) - self.start]

    def group_at(self, offset: int) -> int:
        index = offset - self.start
        return self._groups[index] if 0 <= index < len(self._groups) else 0

    def group_bounds(self, group: int) -> tuple[int, int]:
        """Where the inside of a bracket group starts and ends (the whole sentence for group 0)."""
        if group == 0:
            return self.start, self.end
        info = self._group_info[group]
        return info.open + 1, info.close

    def group_parent(self, group: int) -> int:
        return self._group_info[group].parent if group else 0

    def groups(self) -> list[int]:
        return sorted(self._group_info)

    def is_quoting(self, group: int) -> bool:
        """Whether bracket group ``group`` itself is a title or a quotation (《…》, “…”)."""
        return bool(group) and self._group_info[group].quoting

    def in_quote(self, offset: int) -> bool:
        group = self.group_at(offset)
        while group:
            info = self._group_info[group]
            if info.quoting:
                return True
            group = info.parent
        return False

    def _separators_of(self, group: int) -> list[int]:
        """Offsets of every clause separator of ``group`` itself, in order."""
        if self._separator_index is None:
            index: dict[int, list[int]] = {}
            for position, character in enumerate(self.text):
                if character in CLAUSE_SEPARATORS:
                    index.setdefault(self._groups[position], []).append(self.start + position)
            self._separator_index = index
        return self._separator_index.get(group, [])

    def separators(self, group: int, start: int, end: int, kinds: frozenset[str] = CLAUSE_SEPARATORS) -> list[int]:
        """Offsets of separators of ``kinds`` that belong to ``group`` itself in [start, end)."""
        low, high = max(start, self.start), min(end, self.end)
        if not kinds <= CLAUSE_SEPARATORS:  # other characters are not indexed
            return [
                self.start + index
                for index in range(low - self.start, high - self.start)
                if self.text[index] in kinds and self._groups[index] == group
            ]
        offsets = self._separators_of(group)
        found = offsets[bisect_left(offsets, low) : bisect_left(offsets, high)]
        if kinds is CLAUSE_SEPARATORS:
            return found
        return [offset for offset in found if self.text[offset - self.start] in kinds]

    def _clauses_of(self, group: int, kinds: frozenset[str]) -> tuple[list[Clause], list[int]]:
        key = (group, kinds)
        cached = self._clause_index.get(key)
        if cached is None:
            low, high = self.group_bounds(group)
            found = []
            start, before = low, ""
            for offset in self.separators(group, low, high, kinds):
                found.append(Clause(start, offset, before))
                start, before = offset + 1, self.text[offset - self.start]
            found.append(Clause(start, high, before))
            clauses = [clause for clause in found if clause.end > clause.start]
            cached = self._clause_index[key] = (clauses, [clause.start for clause in clauses])
        return cached

    def clauses(self, group: int = 0, kinds: frozenset[str] = CLAUSE_SEPARATORS) -> list[Clause]:
        """The clauses of ``group`` (nested brackets stay inside the clause they are in)."""
        return list(self._clauses_of(group, kinds)[0])

    def clause_at(self, offset: int, kinds: frozenset[str] = CLAUSE_SEPARATORS) -> Clause:
        clauses, starts = self._clauses_of(self.group_at(offset), kinds)
        index = bisect_right(starts, offset) - 1
        if index >= 0 and offset < clauses[index].end:
            return clauses[index]
        return Clause(offset, offset, "")

    def figures_in(self, group: int, start: int, end: int) -> list[Figure]:
        if self._figure_index is None or self._figure_index[0] != len(self.figures):
            by_group: dict[int, tuple[list[Figure], list[int]]] = {}
            for figure in self.figures:
                found, starts = by_group.setdefault(figure.group, ([], []))
                found.append(figure)
                starts.append(figure.start)
            self._figure_index = (len(self.figures), by_group)
        found, starts = self._figure_index[1].get(group, ([], []))
        return found[bisect_left(starts, start) : bisect_left(starts, end)]


def _bracket_structure(text: str, offset: int) -> tuple[list[int], dict[int, _Group]]:
    groups: list[int] = []
    info: dict[int, _Group] = {}
    stack: list[tuple[int, str]] = []  # (group id, expected closer)
    opened: dict[int, tuple[int, int, bool]] = {}
    next_id = 1
    done = 0  # characters whose group is known
    for match in _BRACKET_CHARACTER.finditer(text):  # the text between brackets is in the current group
        index, ch = match.start(), match.group()
        current = stack[-1][0] if stack else 0
        groups.extend([current] * (index - done))
        done = index + 1
        if stack and ch == stack[-1][1]:
            group_id = stack.pop()[0]
            start, parent, quoting = opened[group_id]
            info[group_id] = _Group(start, offset + index, parent, quoting)
            groups.append(group_id)  # the closing bracket belongs to its group
            continue
        groups.append(current)
        if ch in _BRACKETS:
            opened[next_id] = (offset + index, current, ch in _QUOTING)
            stack.append((next_id, _BRACKETS[ch]))
            next_id += 1
    groups.extend([stack[-1][0] if stack else 0] * (len(text) - done))
    for group_id, _ in stack:  # unclosed: the group runs to the end of the sentence
        start, parent, quoting = opened[group_id]
        info[group_id] = _Group(start, offset + len(text), parent, quoting)
    return groups, info


def _bounded(block: str, start: int, end: int) -> list[tuple[int, int]]:
    """``[start, end)`` as sentences of at most ``LONGEST_SENTENCE`` characters: a longer run is
    cut after its last semicolon (else comma) before the limit, so that work per sentence stays
    bounded whatever the input (real sentences are far shorter)."""
    pieces = []
    while end - start > LONGEST_SENTENCE:
        window = block[start : start + LONGEST_SENTENCE]
        cut = max(window.rfind(";"), window.rfind("；"))
        if cut <= 0:
            cut = max(window.rfind(character) for character in CLAUSE_SEPARATORS)
        cut = start + (cut + 1 if cut > 0 else LONGEST_SENTENCE)
        pieces.append((start, cut))
        start = cut
        while start < end and block[start] in " \t\n":
            start += 1
    if start < end:
        pieces.append((start, end))
    return pieces


def sentences_in(
    text: str, start: int = 0, end: int | None = None, headings: tuple[str, ...] = ()
) -> list[Sentence]:
    """Split ``text[start:end]`` into sentences, with their figures (absolute offsets)."""
    end = len(text) if end is None else end
    block = text[start:end]
    counts = sorted(extract_counts(block), key=lambda mention: mention.start)
    sentences = []
    position = 0
    next_count = 0
    while position < len(block):
        found_end = _SENTENCE_END.search(block, position)
        stop = found_end.start() if found_end else len(block)
        piece_end = min(stop + 1, len(block)) if stop < len(block) and block[stop] != "\n" else stop
        # Surrounding whitespace is not part of the sentence.
        left = position
        while left < piece_end and block[left] in " \t\n":
            left += 1
        while piece_end > left and block[piece_end - 1] in " \t\n":
            piece_end -= 1
        for first, last in _bounded(block, left, piece_end):
            sentence_text = block[first:last]
            groups, info = _bracket_structure(sentence_text, start + first)
            sentence = Sentence(
                start=start + first,
                end=start + last,
                text=sentence_text,
                headings=headings,
                paragraph=block,
                _groups=groups,
                _group_info=info,
            )
            # The counts are in order: skip those before the sentence, take those inside it.
            while next_count < len(counts) and counts[next_count].start < first:
                next_count += 1
            scan = next_count
            while scan < len(counts) and counts[scan].start < last:
                mention = counts[scan]
                scan += 1
                if mention.end <= last:
                    shifted = replace(mention, start=mention.start + start, end=mention.end + start)
                    sentence.figures.append(
                        Figure(shifted, sentence.group_at(shifted.start), sentence.in_quote(shifted.start))
                    )
            sentences.append(sentence)
        position = max(piece_end, stop + 1)
    return sentences


def approximation_words() -> frozenset[str]:
    """Every word that makes a figure approximate ("约", "余", "多", "左右" …): a figure's
    ``mention.approx_word`` is one of them (``data/numbers.toml`` [approximation])."""
    numbers = lexicon()
    return frozenset((*numbers.before_number, *numbers.after_number, *numbers.after_unit))
