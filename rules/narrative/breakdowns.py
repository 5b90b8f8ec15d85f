"""A total and its parts stated in one sentence (NR002; NR003 takes denominators from them).

"共1025份，其中主动公开213份、依申请公开223份…", "272条，分布情况为:…", "a件、b件，合计N件",
"213份（包括6份…和93份…）": :func:`breakdowns` finds them in a sentence, :func:`document_breakdowns`
in every sentence of a report, once per document.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Iterable, Iterator

from nianbao.api import (
    CLAUSE_SEPARATORS,
    SEMICOLONS,
    Clause,
    Figure,
    Sentence,
    Span,
    document_sentences,
)
from nianbao.rules.narrative.figures import is_amount, is_change, is_count, occurrences
from nianbao.rules.narrative.lexicon import NarrativeLexicon, narrative_lexicon

if TYPE_CHECKING:
    from nianbao.api import Document

# Between list items ("103条、信息公开指南1条和…").
_ITEM_JOINERS = ("以及", "、", "和", "及", "与", ",", ";", ":", "，", "；", "：")
_LABEL_TRIM = " \t“”‘’\"'。!?"
# Words around a part's name that are not part of it ("“同意公开”的53条", "共计").
_LABEL_AFFIXES = ("共计", "的", "为", "是", "有", "共", "达")
_LABEL_PREFIXES = ("共计", "共")
_LABEL_LENGTH = 16


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
        for found_start, found_end in occurrences(word, sentence.text):
            start, end = sentence.start + found_start, sentence.start + found_end
            if any(offset in taken for offset in range(start, end)) or sentence.in_quote(start):
                continue
            if word != ":" and sentence.at(end, end + 1) in (":", "："):
                end += 1  # "分布情况为:" is one marker
            taken.update(range(start, end))
            found.append(_Marker(start, end, word, exhaustive, sentence.group_at(start)))
    return sorted(found, key=lambda marker: marker.start)


def _total_region(sentence: Sentence, marker: _Marker, markers: list[_Marker]) -> int:
    """Where the text a marker's total may stand in starts: its group's start, the last earlier
    marker or the last semicolon before it."""
    low, _ = sentence.group_bounds(marker.group)
    earlier_markers = [other.end for other in markers if other.group == marker.group and other.end <= marker.start]
    semicolons = sentence.separators(marker.group, low, marker.start, SEMICOLONS)
    return max([low, *earlier_markers, *(offset + 1 for offset in semicolons)])


def _whole_before(sentence: Sentence, marker: _Marker, markers: list[_Marker], lexicon: NarrativeLexicon) -> Figure | None:
    low, _ = sentence.group_bounds(marker.group)
    region_start = _total_region(sentence, marker, markers)
    candidates = sentence.figures_in(marker.group, region_start, marker.start)
    skipped = 0  # changes and percentages between the total and the marker
    for figure in reversed(candidates):
        if figure.mention.approximate:
            return None  # an approximate total cannot be checked
        if is_amount(sentence, figure, lexicon):
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


def _whole_for_parts(
    sentence: Sentence, marker: _Marker, markers: list[_Marker], whole: Figure, parts: list[Part], lexicon: NarrativeLexicon
) -> Figure | None:
    """The total the parts belong to when the text before the marker states several.

    "行政复议5件、行政诉讼3件，其中行政复议维持4件": the parts repeat the subject of one total
    ("复议"), which is theirs. When they repeat none, the total right before the marker is theirs
    if it stands alone in its clause ("收到申请25件，办结23件，其中予以公开12件"); totals joined in
    one clause ("复议5件和诉讼3件，其中…") leave the parts without a total. Parts repeating
    several totals have none.
    """
    if whole.group != marker.group:
        return whole  # the total before a bracket ("213份（包括…）")
    totals = [
        figure
        for figure in sentence.figures_in(marker.group, _total_region(sentence, marker, markers), whole.start)
        if is_amount(sentence, figure, lexicon) and not figure.mention.approximate and lexicon.same_unit(figure.unit, whole.unit)
    ]
    if not totals:
        return whole
    totals.append(whole)
    subjects = [_subject_words(sentence, figure, marker.group) for figure in totals]
    repeated = set()
    for index, words in enumerate(subjects):
        own = words.difference(*(other for position, other in enumerate(subjects) if position != index))
        if any(word in part.label for part in parts for word in own):
            repeated.add(index)
    if len(repeated) == 1:
        return totals[repeated.pop()]
    if repeated:
        return None
    joined = sentence.clause_at(totals[-2].start).start == sentence.clause_at(whole.start).start
    return None if joined else whole


def _subject_words(sentence: Sentence, figure: Figure, group: int) -> set[str]:
    """Pairs of Chinese characters naming what a total counts: the words of its item before it."""
    clause = sentence.clause_at(figure.start)
    earlier = [other.end for other in sentence.figures_in(group, clause.start, figure.start)]
    label = _label(sentence, figure, clause.start, clause.end, max([clause.start, *earlier]))
    return {label[index : index + 2] for index in range(len(label) - 1) if _chinese(label[index : index + 2])}


def _chinese(text: str) -> bool:
    return all("\u4e00" <= ch <= "\u9fff" for ch in text)


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
    counts = [figure for figure in figures if is_amount(sentence, figure, lexicon)]
    if not counts:
        return []
    first = counts[0]
    lead = sentence.at(start, first.start)
    if sentence.separators(group, start + (len(lead) - len(lead.lstrip(",;:，；： "))), first.start):
        return []  # the first part must be in the first clause after the marker
    level = SEMICOLONS
    if len(counts) > 1 and not sentence.separators(group, first.end, counts[1].start, SEMICOLONS):
        level = CLAUSE_SEPARATORS
    parts: list[Part] = []
    segment_start = start
    boundaries = [*sentence.separators(group, start, high, level), high]
    stop_words = _stop_words(lexicon)
    for index, segment_end in enumerate(boundaries):
        if index and level is CLAUSE_SEPARATORS and sentence.at(segment_start - 1, segment_start) in SEMICOLONS:
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
    if sentence.is_quoting(group):
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
        for found_start, found_end in occurrences(word, sentence.text):
            start, end = sentence.start + found_start, sentence.start + found_end
            group = sentence.group_at(start)
            after = [figure for figure in sentence.figures if figure.group == group and figure.start >= end]
            if not after or sentence.at(end, after[0].start).strip(" 为:：") or not is_count(after[0], lexicon):
                continue
            whole = after[0]
            low, _ = sentence.group_bounds(group)
            semicolons = sentence.separators(group, low, start, SEMICOLONS)
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
                    if is_amount(sentence, figure, lexicon):
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
        whole = _whole_for_parts(sentence, marker, markers, whole, parts, lexicon)
        if whole is None:
            continue
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


def document_breakdowns(document: Document) -> list[tuple[Sentence, list[Breakdown]]]:
    """Every sentence of the report with its breakdowns, computed once per document (NR002 checks
    them, NR003 takes the totals of the parts a percentage is about from them)."""
    return document.analysis(_document_breakdowns)


def _document_breakdowns(document: Document) -> list[tuple[Sentence, list[Breakdown]]]:
    lexicon = narrative_lexicon()
    return [(sentence, breakdowns(sentence, lexicon)) for sentence in document_sentences(document)]
