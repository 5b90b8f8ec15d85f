"""Figures in report prose: sentences, totals with their parts, percentages and statements
that describe table cells.

The rules NR001–NR006 and any plugin that reads the narrative use this module; the words and
patterns it looks for are data (``data/narrative.toml``), figures come from
:func:`nianbao.text.numbers.extract_counts`. Every position is an offset into the NORMALISED text.

* :func:`document_sentences` splits a report's paragraphs into :class:`Sentence` objects: a
  sentence knows its figures, the bracket group each character is in (so that "（含上年结转2件）"
  or a title in 《》 stays apart from the sentence around it), its clauses and the headings above.
* :func:`breakdowns` finds "a total and its parts" in a sentence ("共1025份，其中主动公开213份、
  依申请公开223份…", "272条，分布情况为:…", "a件、b件，合计N件", "213份（包括6份…和93份…）").
* :func:`percent_claims` pairs a percentage with the two counts it is the ratio of.
* :func:`find_statements` finds statements about what the report's tables hold ("收到申请31件",
  "行政复议案件1件", "未发生行政诉讼") and :func:`resolve_target` the table cells they describe.
* :func:`is_count` / :func:`is_change` classify a figure (a count of things; a change or a figure
  of another period), :func:`place_prefix` gives the section part of a finding's ``place``.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field, replace
from decimal import Decimal
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING, Iterable, Iterator, Mapping

from nianbao.api import (
    Node,
    NumberMention,
    Paragraph,
    Section,
    SemanticCell,
    SemanticTable,
    Span,
    SubSection,
    cached,
    extract_counts,
)

if TYPE_CHECKING:
    from nianbao.api import Document

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

__all__ = [
    "Breakdown",
    "CellTarget",
    "Clause",
    "Figure",
    "NarrativeLexicon",
    "Part",
    "PercentClaim",
    "Placeholder",
    "ResolvedTarget",
    "SelfReferenceWord",
    "Sentence",
    "Statement",
    "StatementPattern",
    "breakdowns",
    "document_sentences",
    "find_statements",
    "is_change",
    "is_count",
    "narrative_lexicon",
    "percent_claims",
    "place_prefix",
    "resolve_target",
    "sentences_in",
]

# Sentence ends; a line break also ends a sentence (list items, headings run into paragraphs).
_SENTENCE_ENDS = frozenset("。!?！？\n")
# Clause separators inside a sentence (normalised text has half-width forms).
_CLAUSE_SEPARATORS = frozenset(",;:，；：")
_SEMICOLONS = frozenset(";；")
_BRACKETS = {"(": ")", "（": "）", "[": "]", "【": "】", "〔": "〕", "《": "》", "“": "”", "‘": "’", "「": "」", "『": "』"}
# Text inside these is a title or a quotation: its figures are names ("《…8条措施》"), not counts.
_QUOTING = frozenset("《“‘「『")
# Between list items ("103条、信息公开指南1条和…").
_ITEM_JOINERS = ("以及", "、", "和", "及", "与", ",", ";", ":", "，", "；", "：")
_LABEL_TRIM = " \t“”‘’\"'。!?"
# Words around a part's name that are not part of it ("“同意公开”的53条", "共计").
_LABEL_AFFIXES = ("共计", "的", "为", "是", "有", "共", "达")
_LABEL_PREFIXES = ("共计", "共")
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*年")
_LABEL_LENGTH = 16


# --- lexicon ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CellTarget:
    """Table cells a statement describes: the cells of one table, added up."""

    table: str
    """A template id or its era-free end: ``application`` matches ``2021.application``."""
    cells: tuple[tuple[str, str], ...]
    """(row key, column key) pairs."""


@dataclass(frozen=True)
class StatementPattern:
    id: str
    what: str
    subjects: tuple[re.Pattern[str], ...]
    exclude: tuple[str, ...]
    context: tuple[str, ...]
    sentence_requires: tuple[str, ...]
    zero: bool
    targets: tuple[CellTarget, ...]
    accept: tuple[CellTarget, ...] = ()
    with_carried_over: CellTarget | None = None
    heading_context: tuple[str, ...] = ()
    exclude_in_sentence: bool = False
    at_most_after: tuple[str, ...] = ()


@dataclass(frozen=True)
class Placeholder:
    what: str
    pattern: re.Pattern[str]


@dataclass(frozen=True)
class SelfReferenceWord:
    word: str
    kind_characters: tuple[str, ...]
    unless_followed_by: tuple[str, ...] = ()


@dataclass(frozen=True)
class NarrativeLexicon:
    count_units: frozenset[str]
    interchangeable_units: tuple[frozenset[str], ...]
    change_words: tuple[str, ...]
    comparison_words: tuple[str, ...]
    average_words: tuple[str, ...]
    markers: tuple[tuple[str, bool], ...]
    trailing_totals: tuple[str, ...]
    catch_all: tuple[str, ...]
    overlapping_channels: tuple[str, ...]
    dimensions: Mapping[str, tuple[str, ...]]
    share_words: tuple[str, ...]
    general_denominators: tuple[str, ...]
    each_words: tuple[str, ...]
    rate_fillers: tuple[str, ...]
    statistic_words: tuple[str, ...]
    placeholders: tuple[Placeholder, ...]
    self_references: tuple[SelfReferenceWord, ...]
    self_reference_tolerated: Mapping[str, tuple[str, ...]]
    max_gap: int
    other_scope: tuple[str, ...]
    subset: tuple[str, ...]
    includes_carried_over: tuple[str, ...]
    negations: tuple[str, ...]
    negation_false: tuple[str, ...]
    negation_limits: tuple[str, ...]
    zero_words: tuple[str, ...]
    statements: tuple[StatementPattern, ...]

    def same_unit(self, first: str | None, second: str | None) -> bool:
        """Whether two figures count the same kind of thing (a missing unit fits any)."""
        if first is None or second is None or first == second:
            return True
        return any(first in group and second in group for group in self.interchangeable_units)


def _words(data: Mapping, key: str) -> tuple[str, ...]:
    return tuple(sorted(data.get(key, []), key=len, reverse=True))


def _target(data: Mapping) -> CellTarget:
    return CellTarget(str(data["table"]), tuple((str(row), str(column)) for row, column in data["cells"]))


@lru_cache(maxsize=1)
def narrative_lexicon() -> NarrativeLexicon:
    """The contents of ``data/narrative.toml`` (loaded once)."""
    return cached("narrative", _read_narrative_lexicon)


def _read_narrative_lexicon() -> NarrativeLexicon:
    raw = tomllib.loads(resources.files("nianbao.data").joinpath("narrative.toml").read_text("utf-8"))
    figures, breakdown, percent = raw["figures"], raw["breakdown"], raw["percent"]
    statements = raw["statements"]
    patterns = tuple(
        StatementPattern(
            id=entry["id"],
            what=entry["what"],
            subjects=tuple(re.compile(subject) for subject in entry["subjects"]),
            exclude=tuple(entry.get("exclude", [])),
            context=tuple(entry.get("context", [])),
            sentence_requires=tuple(entry.get("sentence_requires", [])),
            zero=bool(entry.get("zero", False)),
            targets=tuple(_target(target) for target in entry["targets"]),
            accept=tuple(_target(target) for target in entry.get("accept", [])),
            with_carried_over=_target(entry["with_carried_over"]) if "with_carried_over" in entry else None,
            heading_context=tuple(entry.get("heading_context", [])),
            exclude_in_sentence=bool(entry.get("exclude_in_sentence", False)),
            at_most_after=tuple(entry.get("at_most_after", [])),
        )
        for entry in statements["patterns"]
    )
    return NarrativeLexicon(
        count_units=frozenset(figures["count_units"]),
        interchangeable_units=tuple(frozenset(group) for group in figures["interchangeable_units"]),
        change_words=_words(figures, "change_words"),
        comparison_words=_words(figures, "comparison_words"),
        average_words=_words(figures, "average_words"),
        markers=tuple(
            sorted(((entry["word"], bool(entry["exhaustive"])) for entry in breakdown["markers"]), key=lambda m: -len(m[0]))
        ),
        trailing_totals=_words(breakdown, "trailing_totals"),
        catch_all=_words(breakdown, "catch_all"),
        overlapping_channels=_words(breakdown, "overlapping_channels"),
        dimensions={name: tuple(words) for name, words in breakdown["dimensions"].items()},
        share_words=_words(percent, "share_words"),
        general_denominators=_words(percent, "general_denominators"),
        each_words=_words(percent, "each_words"),
        rate_fillers=_words(percent, "rate_fillers"),
        statistic_words=_words(raw["approximate"], "statistic_words"),
        placeholders=tuple(Placeholder(entry["what"], re.compile(entry["pattern"])) for entry in raw["placeholders"]),
        self_references=tuple(
            SelfReferenceWord(entry["word"], tuple(entry["kind_characters"]), tuple(entry.get("unless_followed_by", [])))
            for entry in raw["self_reference"]["words"]
        ),
        self_reference_tolerated={
            kind: tuple(words) for kind, words in raw["self_reference"].get("tolerated", {}).items()
        },
        max_gap=int(statements["max_gap"]),
        other_scope=_words(statements, "other_scope"),
        subset=_words(statements, "subset"),
        includes_carried_over=_words(statements, "includes_carried_over"),
        negations=_words(statements, "negations"),
        negation_false=_words(statements, "negation_false"),
        negation_limits=_words(statements, "negation_limits"),
        zero_words=_words(statements, "zero_words"),
        statements=patterns,
    )


# --- sentences ---------------------------------------------------------------------------------------


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

    def in_quote(self, offset: int) -> bool:
        group = self.group_at(offset)
        while group:
            info = self._group_info[group]
            if info.quoting:
                return True
            group = info.parent
        return False

    def separators(self, group: int, start: int, end: int, kinds: frozenset[str] = _CLAUSE_SEPARATORS) -> list[int]:
        """Offsets of separators of ``kinds`` that belong to ``group`` itself in [start, end)."""
        return [
            self.start + index
            for index in range(max(start, self.start) - self.start, min(end, self.end) - self.start)
            if self.text[index] in kinds and self._groups[index] == group
        ]

    def clauses(self, group: int = 0, kinds: frozenset[str] = _CLAUSE_SEPARATORS) -> list[Clause]:
        """The clauses of ``group`` (nested brackets stay inside the clause they are in)."""
        low, high = self.group_bounds(group)
        found = []
        start, before = low, ""
        for offset in self.separators(group, low, high, kinds):
            found.append(Clause(start, offset, before))
            start, before = offset + 1, self.text[offset - self.start]
        found.append(Clause(start, high, before))
        return [clause for clause in found if clause.end > clause.start]

    def clause_at(self, offset: int, kinds: frozenset[str] = _CLAUSE_SEPARATORS) -> Clause:
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


def document_sentences(document: Document) -> list[Sentence]:
    """The sentences of every paragraph of the report (title, headings and tables excluded),
    each with the headings above it; computed once per document."""
    return document.analysis(_sentences)


def _sentences(document: Document) -> list[Sentence]:
    found: list[Sentence] = []
    text = document.text

    def visit(nodes: Iterable[Node], headings: tuple[str, ...]) -> None:
        for node in nodes:
            if isinstance(node, Paragraph):
                found.extend(sentences_in(text, node.span.start, node.span.end, headings))
            elif isinstance(node, (Section, SubSection)):
                visit(node.body, (*headings, node.heading.title))

    visit(document.report.preamble, ())
    visit(document.report.sections, ())
    return found


# --- figure kinds ------------------------------------------------------------------------------------


def is_count(figure: Figure, lexicon: NarrativeLexicon, allow_no_unit: bool = False) -> bool:
    """A count of things: not a percentage, not inside a title, with a counting unit."""
    if figure.quoted or figure.mention.percent:
        return False
    if figure.unit is None:
        return allow_no_unit
    return figure.unit in lexicon.count_units


def is_change(sentence: Sentence, figure: Figure, lexicon: NarrativeLexicon) -> bool:
    """A change or a figure of another period ("比上年增加15条", "同比", "历年累计384条")."""
    clause = sentence.clause_at(figure.start)
    before = sentence.at(clause.start, figure.start)
    if any(word in before for word in lexicon.comparison_words):
        return True
    near = before[-5:]
    return any(word in near for word in lexicon.change_words)


def _amount(sentence: Sentence, figure: Figure, lexicon: NarrativeLexicon) -> bool:
    """A count that can be a total or a part (its unit says what it counts)."""
    return is_count(figure, lexicon) and not is_change(sentence, figure, lexicon)


# --- breakdowns --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Part:
    figure: Figure
    label: str
    """The words naming the part ("公示公告类", "同意公开"), possibly empty."""


@dataclass(frozen=True)
class Breakdown:
    """A total and parts of it stated in one sentence."""

    whole: Figure
    parts: tuple[Part, ...]
    marker: str
    marker_span: Span
    exhaustive: bool
    """The text presents the parts as all of the total (分别为, 分布情况为, 合计, a "其他" part)."""
    overlapping: bool
    """The parts are publication channels: one item may be counted on several."""

    @property
    def total(self) -> Decimal:
        return sum((part.figure.value for part in self.parts), Decimal(0))


@dataclass(frozen=True)
class _Marker:
    start: int
    end: int
    word: str
    exhaustive: bool
    group: int


def _markers(sentence: Sentence, lexicon: NarrativeLexicon) -> list[_Marker]:
    found: list[_Marker] = []
    taken: set[int] = set()
    for word, exhaustive in lexicon.markers:  # longest first
        for found_start, found_end in _occurrences(word, sentence.text):
            start, end = sentence.start + found_start, sentence.start + found_end
            if any(offset in taken for offset in range(start, end)) or sentence.in_quote(start):
                continue
            if word != ":" and sentence.at(end, end + 1) in (":", "："):
                end += 1  # "分布情况为:" is one marker
            taken.update(range(start, end))
            found.append(_Marker(start, end, word, exhaustive, sentence.group_at(start)))
    return sorted(found, key=lambda marker: marker.start)


def _whole_before(sentence: Sentence, marker: _Marker, markers: list[_Marker], lexicon: NarrativeLexicon) -> Figure | None:
    low, _ = sentence.group_bounds(marker.group)
    earlier_markers = [other.end for other in markers if other.group == marker.group and other.end <= marker.start]
    semicolons = sentence.separators(marker.group, low, marker.start, _SEMICOLONS)
    region_start = max([low, *earlier_markers, *(offset + 1 for offset in semicolons)])
    candidates = sentence.figures_in(marker.group, region_start, marker.start)
    skipped = 0  # changes and percentages between the total and the marker
    for figure in reversed(candidates):
        if figure.mention.approximate:
            return None  # an approximate total cannot be checked
        if _amount(sentence, figure, lexicon):
            # The total is in the marker's clause or the one before; clauses holding only a
            # change or a percentage ("较上年增加5件") may stand between.
            between = sentence.separators(marker.group, figure.end, marker.start)
            return figure if len(between) <= 1 + skipped else None
        if is_count(figure, lexicon, allow_no_unit=True) or figure.mention.percent:
            skipped += 1
            continue
        return None
    if marker.group and not sentence.at(low, marker.start).strip():
        # "213份（包括6份…）": the total stands right before the bracket.
        parent = sentence.group_parent(marker.group)
        opening = low - 1
        before = [figure for figure in sentence.figures if figure.group == parent and figure.end <= opening]
        if before and not sentence.at(before[-1].end, opening).strip():
            figure = before[-1]
            if is_count(figure, lexicon) and not figure.mention.approximate and not is_change(sentence, figure, lexicon):
                return figure
    return None


def _label(sentence: Sentence, figure: Figure, segment_start: int, segment_end: int, previous_end: int) -> str:
    left = sentence.at(max(segment_start, previous_end), figure.start)
    for joiner in _ITEM_JOINERS:
        if joiner in left:
            left = left.rsplit(joiner, 1)[-1]
    left = _trim_label(left)
    if left:
        return left[-_LABEL_LENGTH:]
    right = sentence.at(figure.end, segment_end)
    for joiner in _ITEM_JOINERS:
        right = right.split(joiner, 1)[0]
    return _trim_label(right)[:_LABEL_LENGTH]


def _trim_label(text: str) -> str:
    text = text.strip(_LABEL_TRIM)
    changed = True
    while changed and text:
        changed = False
        for affix in _LABEL_AFFIXES:
            if text.endswith(affix) and len(text) > len(affix):
                text, changed = text[: -len(affix)].strip(_LABEL_TRIM), True
            elif affix in _LABEL_PREFIXES and text.startswith(affix) and len(text) > len(affix):
                text, changed = text[len(affix) :].strip(_LABEL_TRIM), True
    return text


def _stop_words(lexicon: NarrativeLexicon) -> tuple[str, ...]:
    return tuple(word for word, _ in lexicon.markers if word != ":") + lexicon.trailing_totals


def _parts_after(sentence: Sentence, start: int, group: int, lexicon: NarrativeLexicon) -> list[Part]:
    """The counts listed from ``start`` in one bracket group, up to where the list ends.

    The first part must be in the first clause. When the first two parts are separated by a
    semicolon the items are ";"-separated (an item may hold ",占42%"), otherwise the list is
    ","-separated and ends at the next semicolon. It also ends at a clause without figures, at
    another marker (其中, 分别为 …) or total word (合计 …) and at the end of the group.
    """
    _, high = sentence.group_bounds(group)
    figures = sentence.figures_in(group, start, high)
    counts = [figure for figure in figures if _amount(sentence, figure, lexicon)]
    if not counts:
        return []
    first = counts[0]
    lead = sentence.at(start, first.start)
    if sentence.separators(group, start + (len(lead) - len(lead.lstrip(",;:，；： "))), first.start):
        return []  # the first part must be in the first clause after the marker
    level = _SEMICOLONS
    if len(counts) > 1 and not sentence.separators(group, first.end, counts[1].start, _SEMICOLONS):
        level = _CLAUSE_SEPARATORS
    parts: list[Part] = []
    segment_start = start
    boundaries = [*sentence.separators(group, start, high, level), high]
    stop_words = _stop_words(lexicon)
    for index, segment_end in enumerate(boundaries):
        if index and level is _CLAUSE_SEPARATORS and sentence.at(segment_start - 1, segment_start) in _SEMICOLONS:
            break  # a comma-separated list ends at the semicolon
        segment_figures = [figure for figure in figures if segment_start <= figure.start < segment_end]
        text = sentence.at(segment_start, segment_end)
        if index and any(word in text for word in stop_words):
            break
        if not segment_figures:
            if text.strip():
                break
            segment_start = segment_end + 1
            continue
        previous_end = segment_start
        for figure in segment_figures:
            if figure in counts:
                label = _label(sentence, figure, segment_start, segment_end, previous_end)
                for word in stop_words:  # "其中自然人": the marker is not part of the name
                    if label.startswith(word) and len(label) > len(word):
                        label = _trim_label(label[len(word) :])
                parts.append(Part(figure, label))
            previous_end = figure.end
        segment_start = segment_end + 1
    return parts


def _bracket_parts(sentence: Sentence, group: int, lexicon: NarrativeLexicon) -> tuple[Figure, list[Part]] | None:
    """"213份（政策文件6份、业务信息114份、其他93份）": a bracket listing parts of the figure before it."""
    if sentence._group_info[group].quoting:
        return None
    low, high = sentence.group_bounds(group)
    parent = sentence.group_parent(group)
    opening = low - 1
    before = [figure for figure in sentence.figures if figure.group == parent and figure.end <= opening]
    if not before or sentence.at(before[-1].end, opening).strip():
        return None
    whole = before[-1]
    if not is_count(whole, lexicon) or whole.mention.approximate or is_change(sentence, whole, lexicon):
        return None
    parts = _parts_after(sentence, low, group, lexicon)
    return (whole, parts) if len(parts) >= 2 else None


def _trailing(sentence: Sentence, lexicon: NarrativeLexicon, markers: list[_Marker]) -> Iterator[tuple[Figure, list[Part], int, int, str]]:
    """"a件、b件，合计N件": parts before a total word that is right before its figure.

    The parts are the list after a marker ("其中a件，b件，合计N件") or, without one, the counts of
    the clause just before the total (earlier clauses may be about other things).
    """
    for word in lexicon.trailing_totals:
        for found_start, found_end in _occurrences(word, sentence.text):
            start, end = sentence.start + found_start, sentence.start + found_end
            group = sentence.group_at(start)
            after = [figure for figure in sentence.figures if figure.group == group and figure.start >= end]
            if not after or sentence.at(end, after[0].start).strip(" 为:：") or not is_count(after[0], lexicon):
                continue
            whole = after[0]
            low, _ = sentence.group_bounds(group)
            semicolons = sentence.separators(group, low, start, _SEMICOLONS)
            earlier = [marker.end for marker in markers if marker.group == group and marker.end <= start]
            region_start = max([low, *(offset + 1 for offset in semicolons)])
            if earlier and earlier[-1] >= region_start:
                parts = _parts_after(sentence, earlier[-1], group, lexicon)
            else:
                total_clause = sentence.clause_at(start)
                if sentence.at(total_clause.start, start).strip():
                    region = Clause(total_clause.start, start, "")  # "a件、b件合计N件"
                else:
                    previous = [clause for clause in sentence.clauses(group) if clause.end < total_clause.start]
                    if not previous:
                        continue
                    region = previous[-1]
                parts = []
                previous_end = region.start
                for figure in sentence.figures_in(group, region.start, region.end):
                    if _amount(sentence, figure, lexicon):
                        parts.append(Part(figure, _label(sentence, figure, region.start, region.end, previous_end)))
                    previous_end = figure.end
            parts = [part for part in parts if part.figure.end <= start]
            if len(parts) >= 2:
                yield whole, parts, start, end, word


def _dimensions(parts: Iterable[Part], lexicon: NarrativeLexicon) -> set[str]:
    return {
        name for part in parts for name, words in lexicon.dimensions.items() if any(word in part.label for word in words)
    }


def _breakdown(
    whole: Figure, parts: list[Part], marker: str, span: Span, exhaustive: bool, lexicon: NarrativeLexicon
) -> Breakdown | None:
    if not parts or any(part.figure.mention.approximate for part in parts):
        return None
    if any(not lexicon.same_unit(whole.unit, part.figure.unit) for part in parts):
        return None  # counts of different things: not a breakdown of this total
    if len(_dimensions(parts, lexicon)) > 1:
        return None  # the list runs on into another breakdown
    labels = [part.label for part in parts]
    exhaustive = exhaustive or any(word in label for label in labels for word in lexicon.catch_all)
    overlapping = any(word in label for label in labels for word in lexicon.overlapping_channels)
    return Breakdown(whole, tuple(parts), marker, span, exhaustive, overlapping)


def breakdowns(sentence: Sentence, lexicon: NarrativeLexicon | None = None) -> list[Breakdown]:
    """Totals with their parts in one sentence, in order of the total."""
    lexicon = lexicon or narrative_lexicon()
    markers = _markers(sentence, lexicon)
    found: list[Breakdown] = []
    covered: set[int] = set()  # bracket groups already read through a marker
    for marker in markers:
        whole = _whole_before(sentence, marker, markers, lexicon)
        if whole is None:
            continue
        parts = _parts_after(sentence, marker.end, marker.group, lexicon)
        result = _breakdown(whole, parts, marker.word, Span(marker.start, marker.end), marker.exhaustive, lexicon)
        if result is not None:
            found.append(result)
            covered.add(marker.group)
    for group in sentence.groups():
        if group in covered:
            continue
        bracket = _bracket_parts(sentence, group, lexicon)
        if bracket is not None:
            low, _ = sentence.group_bounds(group)
            result = _breakdown(bracket[0], bracket[1], "()", Span(low - 1, low), False, lexicon)
            if result is not None:
                found.append(result)
    for whole, parts, start, end, word in _trailing(sentence, lexicon, markers):
        result = _breakdown(whole, parts, word, Span(start, end), True, lexicon)
        if result is not None:
            found.append(result)
    return sorted(found, key=lambda item: item.whole.start)


# --- percentages -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PercentClaim:
    """A percentage the text gives and the ratio it must be: ``numerator / denominator``."""

    percent: Figure
    numerator: Figure
    denominator: Decimal
    denominator_figures: tuple[Figure, ...]
    """The figure(s) the denominator comes from (several: the sum of parts)."""
    how: str
    """``share`` ("53条，占42%"), ``rate`` ("通过293个，通过率86.4%") or ``each`` ("分别为80%和20%")."""


def _strip_words(text: str, words: Iterable[str]) -> str:
    for word in words:  # longest first
        text = text.replace(word, "")
    return text.strip(" ,;:，；：")


def percent_claims(
    sentence: Sentence, found: list[Breakdown] | None = None, lexicon: NarrativeLexicon | None = None
) -> list[PercentClaim]:
    """The percentages of a sentence whose numerator and denominator the sentence gives."""
    lexicon = lexicon or narrative_lexicon()
    found = breakdowns(sentence, lexicon) if found is None else found
    whole_of = {part.figure: item.whole for item in found for part in item.parts}
    claims: list[PercentClaim] = []
    handled: set[Figure] = set()
    for percent in (figure for figure in sentence.figures if figure.mention.percent and not figure.quoted):
        if percent in handled or percent.mention.approximate:
            continue
        clause = sentence.clause_at(percent.start)
        before = sentence.at(clause.start, percent.start)
        group = percent.group
        low, _ = sentence.group_bounds(group)
        semicolons = sentence.separators(group, low, percent.start, _SEMICOLONS)
        region_start = max([low, *(offset + 1 for offset in semicolons)])
        # Counts before the percentage in its group, back to a semicolon.
        counts = [
            figure
            for figure in sentence.figures_in(group, low, percent.start)
            if _amount(sentence, figure, lexicon) and not figure.mention.approximate
        ]
        share = next((word for word in lexicon.share_words if word in before), None)
        each = next((word for word in lexicon.each_words if word in before), None)
        if each is not None:
            claims.extend(_each_claims(sentence, percent, counts, region_start, whole_of, handled, lexicon))
        elif share is not None:
            claim = _share_claim(sentence, percent, before, share, counts, region_start, whole_of, lexicon)
            if claim is not None:
                claims.append(claim)
        elif "率" in before:
            claim = _rate_claim(sentence, percent, before, counts, lexicon)
            if claim is not None:
                claims.append(claim)
    return claims


def _share_claim(sentence, percent, before, share, counts, region_start, whole_of, lexicon) -> PercentClaim | None:
    share_at = percent.start - len(before) + before.rindex(share)
    numerators = [figure for figure in counts if figure.end <= share_at and figure.start >= region_start]
    if not numerators:
        return None
    numerator = numerators[-1]
    if len(sentence.separators(percent.group, numerator.end, share_at)) > 1:
        return None
    named = _strip_words(sentence.at(share_at + len(share), percent.start), lexicon.general_denominators)
    if named:
        # "占收到申请总数的40%": the count whose clause names that.
        candidates = [
            figure
            for figure in counts
            if figure.end <= numerator.start and named in sentence.at(sentence.clause_at(figure.start).start, figure.start)
        ]
        if len(candidates) != 1:
            return None
        denominator = candidates[0]
    else:
        denominator = whole_of.get(numerator)
        if denominator is None:
            return None
    if denominator.value <= 0 or not lexicon.same_unit(numerator.unit, denominator.unit):
        return None
    return PercentClaim(percent, numerator, denominator.value, (denominator,), "share")


def _rate_claim(sentence, percent, before, counts, lexicon) -> PercentClaim | None:
    """"预审项目339个，通过293个，通过率86.4%": the rate names its numerator ("通过")."""
    rate_at = before.rindex("率")
    run = re.search(r"[\u4e00-\u9fff]+$", before[:rate_at])
    if run is None:
        return None
    phrase = run.group()
    for filler in lexicon.rate_fillers:
        if phrase.startswith(filler):
            phrase = phrase[len(filler) :]
    if len(phrase) < 2:
        return None
    rate_clause = sentence.clause_at(percent.start)

    def names(figure: Figure) -> bool:
        return phrase in sentence.at(sentence.clause_at(figure.start).start, figure.start)

    numerators = [figure for figure in counts if names(figure) and figure.start < rate_clause.start]
    if not numerators:
        return None
    numerator = numerators[-1]
    if len(sentence.separators(percent.group, numerator.end, rate_clause.start)) > 1:
        return None  # the rate must follow its numerator's clause
    denominators = [
        figure
        for figure in counts
        if figure.end <= numerator.start and not names(figure) and lexicon.same_unit(figure.unit, numerator.unit)
    ]
    if not denominators:
        return None
    denominator = denominators[-1]
    if denominator.value <= 0 or numerator.value > denominator.value:
        return None
    return PercentClaim(percent, numerator, denominator.value, (denominator,), "rate")


def _each_claims(sentence, first_percent, counts, region_start, whole_of, handled, lexicon) -> list[PercentClaim]:
    """"其中自然人20件、法人5件，分别为80%和20%": one percentage per part, in order."""
    clause = sentence.clause_at(first_percent.start)
    percents = [
        figure
        for figure in sentence.figures_in(first_percent.group, first_percent.start, clause.end)
        if figure.mention.percent and not figure.quoted
    ]
    handled.update(percents)
    parts = [figure for figure in counts if region_start <= figure.start and figure.end <= clause.start]
    if len(percents) < 2 or len(parts) < len(percents):
        return []
    parts = parts[-len(percents) :]
    if any(not lexicon.same_unit(parts[0].unit, part.unit) for part in parts):
        return []
    wholes = {whole_of.get(part) for part in parts}
    if len(wholes) == 1 and None not in wholes:
        whole = wholes.pop()
        denominator, sources = whole.value, (whole,)
    elif abs(sum(p.value for p in percents) - 100) <= 1:
        denominator, sources = sum((part.value for part in parts), Decimal(0)), tuple(parts)
    else:
        return []
    if denominator <= 0:
        return []
    return [PercentClaim(percent, part, denominator, sources, "each") for percent, part in zip(percents, parts)]


# --- statements about table cells ------------------------------------------------------------------


@dataclass(frozen=True)
class Statement:
    """The text states a value for table cells: a figure ("收到申请31件") or a denial (zero)."""

    pattern: StatementPattern
    value: Decimal
    span: Span
    """The figure, or the denying words through the subject ("未发生…行政复议")."""
    figure: Figure | None
    sentence: Sentence
    includes_carried_over: bool = False
    at_most: bool = False
    """The figure is a part of the cell's value (published decisions): it may be smaller."""

    def agrees_with(self, value: Decimal) -> bool:
        return self.value <= value if self.at_most else self.value == value

    @property
    def targets(self) -> tuple[CellTarget, ...]:
        if self.includes_carried_over and self.pattern.with_carried_over is not None:
            return (self.pattern.with_carried_over,)
        return self.pattern.targets

    @property
    def accepted(self) -> tuple[CellTarget, ...]:
        return () if self.includes_carried_over else self.pattern.accept


def _negation_before(text: str, lexicon: NarrativeLexicon) -> int | None:
    """Offset in ``text`` of the first word denying what follows, if any."""
    best = None
    for word in lexicon.negations:
        for at, _ in _occurrences(word, text):
            if any(text.startswith(false, at) for false in lexicon.negation_false):
                continue
            if best is None or at < best:
                best = at
    return best


def _occurrences(word: str, text: str) -> Iterator[tuple[int, int]]:
    """Where ``word`` occurs in ``text``, left to right, without overlaps: what
    ``re.finditer(re.escape(word), text)`` finds, without building a regex per word and sentence."""
    start = text.find(word)
    while start != -1:
        end = start + len(word)
        yield start, end
        start = text.find(word, end if end > start else start + 1)


def _years_before(sentence: Sentence, offset: int) -> list[int]:
    return [int(match.group(1)) for match in _YEAR.finditer(sentence.at(sentence.start, offset))]


def find_statements(
    sentences: Iterable[Sentence], report_year: int | None = None, lexicon: NarrativeLexicon | None = None
) -> list[Statement]:
    """Statements whose link to a table cell is unambiguous (see ``data/narrative.toml``).

    Skipped: figures about a wider area (全区…), a subset (after 其中), another period (同比,
    another year), approximate figures, and figures two patterns claim at once ("收到并办结…31件").
    """
    lexicon = lexicon or narrative_lexicon()
    found: list[Statement] = []
    for sentence in sentences:
        candidates: list[Statement] = []
        for clause in sentence.clauses(0):
            for pattern in lexicon.statements:
                candidates.extend(_clause_statements(sentence, clause, pattern, report_year, lexicon))
        by_figure: dict[Figure, set[str]] = {}
        for candidate in candidates:
            if candidate.figure is not None:
                by_figure.setdefault(candidate.figure, set()).add(candidate.pattern.id)
        seen: set[tuple[str, Span]] = set()
        for candidate in candidates:
            if candidate.figure is not None and len(by_figure[candidate.figure]) > 1:
                continue  # one figure, two meanings
            key = (candidate.pattern.id, candidate.span)
            if key not in seen:
                seen.add(key)
                found.append(candidate)
    return found


def _clause_statements(
    sentence: Sentence, clause: Clause, pattern: StatementPattern, report_year: int | None, lexicon: NarrativeLexicon
) -> Iterator[Statement]:
    clause_text = sentence.at(clause.start, clause.end)
    if (pattern.context or pattern.heading_context) and not (
        any(word in sentence.text for word in pattern.context)
        or any(word in heading for heading in sentence.headings for word in pattern.heading_context)
    ):
        return
    for subject in pattern.subjects:
        for match in subject.finditer(clause_text):
            subject_start, subject_end = clause.start + match.start(), clause.start + match.end()
            if sentence.group_at(subject_start) != 0:
                continue
            statement = _statement_at(sentence, clause, pattern, subject_start, subject_end, report_year, lexicon)
            if statement is not None:
                yield statement


def _statement_at(
    sentence: Sentence,
    clause: Clause,
    pattern: StatementPattern,
    subject_start: int,
    subject_end: int,
    report_year: int | None,
    lexicon: NarrativeLexicon,
) -> Statement | None:
    prefix = sentence.at(sentence.start, subject_start)
    if any(word in prefix for word in lexicon.subset) or any(word in prefix for word in lexicon.other_scope):
        return None
    negation = _negation_before(sentence.at(clause.start, subject_start), lexicon)
    clause_figures = [figure for figure in sentence.figures_in(0, clause.start, clause.end) if not figure.quoted]
    after = [figure for figure in clause_figures if figure.start >= subject_end]
    if negation is not None:
        if clause_figures or not pattern.zero:
            return None  # "未办结2件" is about something else
        whole_clause = sentence.at(clause.start, clause.end)
        if any(word in whole_clause for word in (*pattern.exclude, *lexicon.negation_limits)):
            return None
        if not _in_scope(sentence, pattern, subject_end, report_year, lexicon):
            return None
        return Statement(pattern, Decimal(0), Span(clause.start + negation, subject_end), None, sentence)
    if not after:
        if not pattern.zero:
            return None
        rest = sentence.at(subject_end, clause.end)
        word = next((word for word in lexicon.zero_words if word in rest), None)
        if word is None or any(word in sentence.at(clause.start, clause.end) for word in pattern.exclude):
            return None
        if not _in_scope(sentence, pattern, subject_end, report_year, lexicon):
            return None
        at = subject_end + rest.index(word)
        return Statement(pattern, Decimal(0), Span(at, at + len(word)), None, sentence)
    figure = after[0]
    if figure.start - subject_end > lexicon.max_gap:
        return None
    lead_in = sentence.at(subject_end, figure.start)[-1:]
    if figure.mention.approximate or not (
        is_count(figure, lexicon) or (figure.unit is None and lead_in != "" and lead_in in "为是:：计")
    ):
        return None
    if figure.mention.percent or is_change(sentence, figure, lexicon):
        return None
    excluded_from = sentence.start if pattern.exclude_in_sentence else clause.start
    if any(word in sentence.at(excluded_from, figure.end) for word in pattern.exclude):
        return None
    if not _in_scope(sentence, pattern, figure.start, report_year, lexicon):
        return None
    follows = sentence.at(figure.end, _next_clause_end(sentence, clause))
    carried = any(word in follows for word in lexicon.includes_carried_over)
    at_most = any(word in sentence.at(clause.start, subject_start) for word in pattern.at_most_after)
    return Statement(pattern, figure.value, figure.span, figure, sentence, carried, at_most)


def _next_clause_end(sentence: Sentence, clause: Clause) -> int:
    clauses = sentence.clauses(0)
    for index, item in enumerate(clauses):
        if item.start == clause.start:
            return clauses[index + 1].end if index + 1 < len(clauses) else item.end
    return clause.end


def _in_scope(sentence: Sentence, pattern: StatementPattern, until: int, report_year: int | None, lexicon: NarrativeLexicon) -> bool:
    prefix = sentence.at(sentence.start, until)
    if any(word in prefix for word in lexicon.subset) or any(word in prefix for word in lexicon.other_scope):
        return False
    if pattern.sentence_requires and not any(word in prefix for word in pattern.sentence_requires):
        return False
    years = _years_before(sentence, until)
    if years and report_year is not None and years[-1] != report_year:
        return False  # about another year
    return True


@dataclass(frozen=True)
class ResolvedTarget:
    """The table cells a target names in one document, with their values."""

    target: CellTarget
    table: SemanticTable
    cells: tuple[tuple[str, str, SemanticCell], ...]

    @property
    def value(self) -> Decimal:
        return sum((cell.value.value for _, _, cell in self.cells), Decimal(0))


def resolve_target(tables: Iterable[SemanticTable], target: CellTarget) -> ResolvedTarget | None:
    """The cells of ``target`` when exactly one table matches and every cell holds a number."""
    matching = [table for table in tables if table.template == target.table or table.template.endswith("." + target.table)]
    if len(matching) != 1:
        return None
    table = matching[0]
    cells = []
    for row, column in target.cells:
        cell = table.cell(row, column)
        if cell is None or cell.value.kind != "number" or cell.value.value is None:
            return None
        cells.append((row, column, cell))
    return ResolvedTarget(target, table, tuple(cells))


def place_prefix(document: Document, offset: int) -> str:
    """"section:三/" for a finding at ``offset`` (empty outside numbered sections), for ``place``."""
    section = document.section_at(offset)
    return f"section:{section.heading.ordinal.rstrip('、.．')}/" if section is not None else ""
