"""Statements about what the report's tables hold, and the table cells they describe (NR001).

:func:`find_statements` finds "收到申请31件", "行政复议案件1件", "未发生行政诉讼" in sentences by the
statement patterns of ``data/narrative.toml``; :func:`resolve_target` finds the cells a statement
names in the document's tables.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Iterable

from nianbao.api import (
    Clause,
    Figure,
    LazyPattern,
    SemanticCell,
    SemanticRow,
    SemanticTable,
    Sentence,
    Span,
    Template,
    template_of,
)
from nianbao.rules.narrative.figures import is_change, is_count, occurrences
from nianbao.rules.narrative.lexicon import (
    CellTarget,
    NarrativeLexicon,
    StatementPattern,
    narrative_lexicon,
)
from nianbao.rules.narrative.percentages import Share, document_percent_claims, shares

if TYPE_CHECKING:
    from nianbao.api import Document

# The look-behind after 19/20, not before: then only places where 1 or 2 stands are tried.
_YEAR = LazyPattern(r"((?:19|20)(?<!\d..)\d{2})\s*年")


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
    subject: Span | None = None
    """The words naming what is counted ("收到…申请", "予以公开及部分公开")."""
    combined: tuple[CellTarget, ...] = ()
    """For a pattern that joins others ("予以公开及部分公开"): the cells of the ones named, together."""

    def agrees_with(self, value: Decimal) -> bool:
        return self.value <= value if self.at_most else self.value == value

    @property
    def what(self) -> str:
        subject = self.sentence.at(self.subject.start, self.subject.end) if self.subject else ""
        return self.pattern.what.replace("{subject}", subject)

    @property
    def targets(self) -> tuple[CellTarget, ...]:
        if self.combined:
            return self.combined
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
        candidates = _without_joined_parts(_sentence_statements(sentence, report_year, lexicon))
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


def _without_joined_parts(candidates: list[Statement]) -> list[Statement]:
    """Drop "予以公开" and "部分公开" read alone where "予以公开及部分公开" was read as one statement."""
    joined = [candidate for candidate in candidates if candidate.combined and candidate.subject is not None]
    if not joined:
        return candidates

    def inside(candidate: Statement) -> bool:
        subject = candidate.subject
        return subject is not None and any(
            candidate.pattern.id in whole.pattern.combines
            and whole.subject.start <= subject.start
            and subject.end <= whole.subject.end
            for whole in joined
        )

    return [candidate for candidate in candidates if not inside(candidate)]


def _combined_targets(
    pattern: StatementPattern, subject_text: str, lexicon: NarrativeLexicon
) -> tuple[CellTarget, ...]:
    """"予以公开及部分公开": the cells of each joined pattern named, in one target (empty unless two
    different ones are named)."""
    by_id = {candidate.id: candidate for candidate in lexicon.statements}
    named: list[tuple[int, StatementPattern]] = []
    for pattern_id in pattern.combines:
        part = by_id.get(pattern_id)
        if part is None or not part.targets:
            continue
        at = min((match.start() for subject in part.subjects if (match := subject.search(subject_text))), default=None)
        if at is not None:
            named.append((at, part))
    if len(named) < 2:
        return ()
    named.sort(key=lambda item: item[0])
    first = named[0][1].targets[0]
    if any(part.targets[0].table != first.table for _, part in named):
        return ()
    return (CellTarget(first.table, tuple(cell for _, part in named for cell in part.targets[0].cells)),)


def _sentence_statements(sentence: Sentence, report_year: int | None, lexicon: NarrativeLexicon) -> list[Statement]:
    """Every statement a pattern reads in the sentence, clause by clause, then in pattern order.

    Each subject is searched once in the whole sentence (a subject holds no clause separator, so a
    match lies in one clause) rather than once per clause."""
    found: list[tuple[tuple[int, int, int, int], Statement]] = []
    if lexicon.any_subject.search(sentence.text) is None:
        return []
    for pattern_index, pattern in enumerate(lexicon.statements):
        if (pattern.context or pattern.heading_context) and not (
            any(word in sentence.text for word in pattern.context)
            or any(word in heading for heading in sentence.headings for word in pattern.heading_context)
        ):
            continue
        for subject_index, subject in enumerate(pattern.subjects):
            for match in subject.finditer(sentence.text):
                subject_start, subject_end = sentence.start + match.start(), sentence.start + match.end()
                if sentence.group_at(subject_start) != 0:
                    continue
                clause = sentence.clause_at(subject_start)
                if clause.end < subject_end:
                    continue  # not within one clause
                statement = _statement_at(sentence, clause, pattern, subject_start, subject_end, report_year, lexicon)
                if statement is not None:
                    found.append(((clause.start, pattern_index, subject_index, subject_start), statement))
    found.sort(key=lambda item: item[0])
    return [statement for _, statement in found]


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
    if _is_subset(sentence, pattern, subject_start, lexicon) or any(word in prefix for word in lexicon.other_scope):
        return None
    subject = Span(subject_start, subject_end)
    combined = ()
    if pattern.combines:
        combined = _combined_targets(pattern, sentence.at(subject_start, subject_end), lexicon)
        if not combined:
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
        return Statement(
            pattern, Decimal(0), Span(clause.start + negation, subject_end), None, sentence,
            subject=subject, combined=combined,
        )
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
        return Statement(
            pattern, Decimal(0), Span(at, at + len(word)), None, sentence, subject=subject, combined=combined
        )
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
    return Statement(
        pattern, figure.value, figure.span, figure, sentence, carried, at_most, subject=subject, combined=combined
    )


def _next_clause_end(sentence: Sentence, clause: Clause) -> int:
    clauses = sentence.clauses(0)
    for index, item in enumerate(clauses):
        if item.start == clause.start:
            return clauses[index + 1].end if index + 1 < len(clauses) else item.end
    return clause.end


def _is_subset(sentence: Sentence, pattern: StatementPattern, until: int, lexicon: NarrativeLexicon) -> bool:
    """Whether a subset word before ``until`` ("其中网上申请20件") makes the figure a part of another.

    A pattern listed after 其中 (the outcomes of the requests handled) is not a subset when every
    count between the last subset word and ``until`` is itself an item of such a list
    ("其中予以公开12件、部分公开3件"); after "其中自然人20件" it is (the list is another one).
    """
    prefix = sentence.at(sentence.start, until)
    last = max((prefix.rfind(word) + len(word) for word in lexicon.subset if word in prefix), default=None)
    if last is None:
        return False
    if not pattern.listed_after_subset:
        return True
    listed = [other for other in lexicon.statements if other.listed_after_subset]
    for figure in sentence.figures_in(0, sentence.start + last, until):
        if figure.mention.percent or not is_count(figure, lexicon, allow_no_unit=True):
            continue
        clause = sentence.clause_at(figure.start)
        text = sentence.at(clause.start, figure.start)
        if not any(subject.search(text) for other in listed for subject in other.subjects):
            return True
    return False


def _in_scope(sentence: Sentence, pattern: StatementPattern, until: int, report_year: int | None, lexicon: NarrativeLexicon) -> bool:
    prefix = sentence.at(sentence.start, until)
    if _is_subset(sentence, pattern, until, lexicon) or any(word in prefix for word in lexicon.other_scope):
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
    blank_totals: tuple[tuple[str, str], ...] = ()
    """(row, column) of named cells left blank, whose parts (the applicant columns) stand in ``cells``."""

    @property
    def value(self) -> Decimal:
        return sum((cell.value.value for _, _, cell in self.cells), Decimal(0))


def resolve_target(document: Document, target: CellTarget) -> ResolvedTarget | None:
    """The cells of ``target`` when exactly one table matches and every cell holds a number.

    A blank cell that a row relation of the template adds up ("总计" = the six applicant columns)
    stands for the sum of those cells when at least one of them holds a number.
    """
    matching = [
        table
        for table in document.tables
        if table.template == target.table or table.template.endswith("." + target.table)
    ]
    if len(matching) != 1:
        return None
    table = matching[0]
    template = template_of(document, table)
    cells: list[tuple[str, str, SemanticCell]] = []
    blank: list[tuple[str, str]] = []
    for row_key, column in target.cells:
        rows = _rows(table, row_key)
        if rows is None:
            return None
        for row in rows:
            cell = row.cell(column)
            if cell is not None and cell.value.kind == "number" and cell.value.value is not None:
                cells.append((row.key, column, cell))
                continue
            parts = _parts_of_blank(template, row, column) if cell is not None and cell.value.kind == "blank" else None
            if parts is None:
                return None
            cells.extend((row.key, part_column, part) for part_column, part in parts)
            blank.append((row.key, column))
    return ResolvedTarget(target, table, tuple(cells), tuple(blank))


def _rows(table: SemanticTable, key: str) -> list[SemanticRow] | None:
    """The rows a target's row key names: one row, or every row of a group (``withheld.*``).

    A group the table writes as one row (the 2019 （六）其他处理) is that row; a group with some of
    its rows missing names nothing.
    """
    if not key.endswith(".*"):
        row = table.row(key)
        return [row] if row is not None else None
    group = key[:-1]
    members = [row for row in table.rows if row.key is not None and row.key.startswith(group)]
    if not members:
        row = table.row(key[:-2])
        return [row] if row is not None else None
    if any(missing.startswith(group) for missing in table.missing_rows):
        return None
    return members


def _parts_of_blank(template: Template | None, row: SemanticRow, column: str) -> list[tuple[str, SemanticCell]] | None:
    """The cells of ``row`` a row relation adds up to ``column``, those holding numbers; None when
    there is no such relation, a cell is missing or holds text, or none holds a number."""
    if template is None:
        return None
    for relation in template.relations:
        if relation.per != "row" or relation.op != "=" or [term.key for term in relation.left] != [column]:
            continue
        parts = []
        for term in relation.right:
            cell = row.cell(term.key)
            if cell is None or cell.value.kind == "text":
                return None
            if cell.value.kind == "number" and cell.value.value is not None:
                parts.append((term.key, cell))
        return parts or None
    return None


def unexplained_share(document: Document, statement: Statement) -> Share | None:
    """"予以公开12件，占52.2%" where no total of the text is the denominator (NR003 checks the
    shares of totals the text gives): the share of the figure, for the pattern's ``percent_of``."""
    if statement.figure is None or not statement.pattern.percent_of:
        return None
    claimed = {claim.percent for claim in document_percent_claims(document)}
    return next(
        (
            share
            for share in shares(statement.sentence)
            if share.numerator == statement.figure and not share.named and share.percent not in claimed
        ),
        None,
    )
