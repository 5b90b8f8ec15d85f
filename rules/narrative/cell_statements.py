"""Statements about what the report's tables hold, and the table cells they describe (NR001).

:func:`find_statements` finds "收到申请31件", "行政复议案件1件", "未发生行政诉讼" in sentences by the
statement patterns of ``data/narrative.toml``; :func:`resolve_target` finds the cells a statement
names in the document's tables.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Iterable, Iterator

from nianbao.api import Clause, Figure, SemanticCell, SemanticTable, Sentence, Span
from nianbao.rules.narrative.figures import is_change, is_count, occurrences
from nianbao.rules.narrative.lexicon import (
    CellTarget,
    NarrativeLexicon,
    StatementPattern,
    narrative_lexicon,
)

_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*年")


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
        for at, _ in occurrences(word, text):
            if any(text.startswith(false, at) for false in lexicon.negation_false):
                continue
            if best is None or at < best:
                best = at
    return best


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
