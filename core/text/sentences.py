"""Sentences of report prose, with their figures, bracket groups and clauses.

:func:`sentences_in` splits a stretch of text (a paragraph) into :class:`Sentence` objects;
``Document.sentences()`` does it for every paragraph of a report, once. A sentence ends at 。!?！？ or a line break. It knows

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
    """One sentence of a paragraph, with its figures and bracket structure."""

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

    def separators(self, group: int, start: int, end: int, kinds: frozenset[str] = CLAUSE_SEPARATORS) -> list[int]:
        """Offsets of separators of ``kinds`` that belong to ``group`` itself in [start, end)."""
        return [
            self.start + index
            for index in range(max(start, self.start) - self.start, min(end, self.end) - self.start)
            if self.text[index] in kinds and self._groups[index] == group
        ]

    def clauses(self, group: int = 0, kinds: frozenset[str] = CLAUSE_SEPARATORS) -> list[Clause]:
        """The clauses of ``group`` (nested brackets stay inside the clause they are in)."""
        low, high = self.group_bounds(group)
        found = []
        start, before = low, ""
        for offset in self.separators(group, low, high, kinds):
            found.append(Clause(start, offset, before))
            start, before = offset + 1, self.text[offset - self.start]
        found.append(Clause(start, high, before))
        return [clause for clause in found if clause.end > clause.start]

    def clause_at(self, offset: int, kinds: frozenset[str] = CLAUSE_SEPARATORS) -> Clause:
        group = self.group_at(offset)
        for clause in self.clauses(group, kinds):
            if clause.start <= offset < clause.end:
                return clause
        return Clause(offset, offset, "")

    def figures_in(self, group: int, start: int, end: int) -> list[Figure]:
        return [figure for figure in self.figures if figure.group == group and start <= figure.start < end]


def _bracket_structure(text: str, offset: int) -> tuple[list[int], dict[int, _Group]]:
    groups: list[int] = []
    info: dict[int, _Group] = {}
    stack: list[tuple[int, str]] = []  # (group id, expected closer)
    opened: dict[int, tuple[int, int, bool]] = {}
    next_id = 1
    for index, ch in enumerate(text):
        current = stack[-1][0] if stack else 0
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
    for group_id, _ in stack:  # unclosed: the group runs to the end of the sentence
        start, parent, quoting = opened[group_id]
        info[group_id] = _Group(start, offset + len(text), parent, quoting)
    return groups, info


def sentences_in(
    text: str, start: int = 0, end: int | None = None, headings: tuple[str, ...] = ()
) -> list[Sentence]:
    """Split ``text[start:end]`` into sentences, with their figures (absolute offsets)."""
    end = len(text) if end is None else end
    block = text[start:end]
    counts = extract_counts(block)
    sentences = []
    position = 0
    while position < len(block):
        stop = position
        while stop < len(block) and block[stop] not in _SENTENCE_ENDS:
            stop += 1
        piece_end = min(stop + 1, len(block)) if stop < len(block) and block[stop] != "\n" else stop
        # Surrounding whitespace is not part of the sentence.
        left = position
        while left < piece_end and block[left] in " \t\n":
            left += 1
        while piece_end > left and block[piece_end - 1] in " \t\n":
            piece_end -= 1
        if left < piece_end:
            sentence_text = block[left:piece_end]
            groups, info = _bracket_structure(sentence_text, start + left)
            sentence = Sentence(
                start=start + left,
                end=start + piece_end,
                text=sentence_text,
                headings=headings,
                paragraph=block,
                _groups=groups,
                _group_info=info,
            )
            for mention in counts:
                if left <= mention.start and mention.end <= piece_end:
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
