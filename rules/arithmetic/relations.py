"""Table arithmetic: the relations the templates declare, checked over a document's tables.

The relations are data (``[[relations]]`` in ``nianbao/data/templates/*.toml``, see
:class:`~nianbao.tables.templates.TemplateRelation`): "一 + 二 = （七）总计 + 四 in every column",
"总计 = the six applicant columns in every row", "历年累计 ≥ 本年 in every row" … This module
evaluates each relation in each column (or row) it holds in, once per document, and decides for
the failures which single cell is the likely culprit.

One wrong cell usually breaks several relations at once (a wrong 自然人 figure in （一）予以公开
breaks that row's 总计 and the 自然人 column's （七）总计). The *culprit* of a failure is the one
cell whose correction makes every relation it takes part in hold again: it must lie in the
failure, one value must satisfy every relation containing it, and no relation that holds now
may break. Among the cells that qualify, the one that repairs the most failures wins; a tie
leaves the failure without a culprit (a single failing sum of five cells cannot say which of
them is wrong). Failures that share a culprit form one group, reported once at the culprit
cell by the first AR rule that asks for it (the rules run in code order, so the rule owning the
first failing relation), naming the other failures as related locations. A failure without a
culprit is reported by its own rule at its anchor cell (the total that disagrees).

Cells that are blank, a dash (``/``, ``—``) or text make a relation inapplicable: those are the
table-shape rules' business (TB002, TB003), so is a missing row or a short row (TB001, TB009).

How tables are read and named in messages (``row_title``, ``cell_name``, ``format_number`` …) is
shared with the other families through :mod:`nianbao.api` (:mod:`nianbao.tables.reading`).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import TYPE_CHECKING

from nianbao.api import (
    Finding,
    Related,
    SemanticCell,
    SemanticTable,
    Template,
    TemplateRelation,
    cell_name,
    column_kind,
    column_title,
    format_number,
    row_title,
    section_prefix,
    template_of,
    value_columns,
)

if TYPE_CHECKING:
    from nianbao.api import Document

__all__ = [
    "Analysis",
    "Check",
    "Culprit",
    "FailureGroup",
    "Term",
    "analyse",
    "holding_checks",
    "relation_findings",
]

# A corrected value may not be negative in a column of these kinds.
_NON_NEGATIVE_KINDS = frozenset({"count", "amount", "money-10k"})
# A sum longer than this lists only its non-zero terms in messages.
_TERMS_SHOWN_IN_FULL = 8
# Unsigned 本年增/减 values make a relation ambiguous (either sign may be meant); beyond this
# many such terms the combinations are not tried and the check is skipped.
_MAX_AMBIGUOUS_TERMS = 4


# --- evaluating relations --------------------------------------------------------------------------


@dataclass(frozen=True)
class Term:
    """One cell of a relation as evaluated: where it is and the value it contributes."""

    row: str
    column: str
    label: str
    cell: SemanticCell
    value: Decimal
    """The value as used, with the sign chosen for an unsigned 本年增/减."""
    ambiguous: bool = False
    """An unsigned, non-zero 本年增/减: either sign may be meant."""

    @property
    def position(self) -> tuple[str, str]:
        return (self.row, self.column)


_VIOLATED = {"=": "≠", ">=": "<", "<=": ">"}


@dataclass
class Check:
    """One relation evaluated in one column (or row) of one table."""

    table_number: int
    table: SemanticTable
    template: Template
    relation: TemplateRelation
    order: int
    """The relation's position in its template (the fixed reporting order)."""
    line: str
    """The column (``per = "column"``) or row (``per = "row"``) it was checked in."""
    left: tuple[Term, ...]
    right: tuple[Term, ...]
    holds: bool

    @property
    def terms(self) -> tuple[Term, ...]:
        return self.left + self.right

    @property
    def anchor(self) -> Term:
        """The term a failure is reported at (the relation's ``anchor``: usually the total)."""
        for term in self.terms:
            key = term.row if self.relation.per == "column" else term.column
            if key == self.relation.anchor:
                return term
        return self.left[0]

    @property
    def ambiguous(self) -> bool:
        return any(term.ambiguous for term in self.terms)

    @property
    def prefix(self) -> str:
        """The line the relation was checked in, for messages: "“自然人”栏", "“规章”行", "复议后起诉"."""
        if self.relation.label:
            return self.relation.label
        if self.relation.per == "column":
            return f"“{column_title(self.template, self.table, self.line)}”栏"
        return f"“{row_title(self.template, self.table, self.line)}”行"

    def equation(self) -> str:
        """"总计 0 ≠ 结果维持 5 + 结果纠正 0 + 其他结果 0 + 尚未审结 0 = 5" (with the relation's
        operator when it holds)."""
        operator = self.relation.op.replace(">=", "≥").replace("<=", "≤") if self.holds else _VIOLATED[self.relation.op]
        return f"{_side(self.left)} {operator} {_side(self.right)}"

    def statement(self) -> str:
        """The equation under its line's name: "复议后起诉：总计 0 ≠ … = 5"."""
        return f"{self.prefix}：{self.equation()}"

    def place(self, section: str) -> str:
        where = "col" if self.relation.per == "column" else "row"
        return f"{section}table:{self.table.template}/{where}:{self.line}/relation:{self.relation.id}"


def _side(terms: tuple[Term, ...]) -> str:
    shown = list(terms)
    hidden = 0
    if len(terms) > _TERMS_SHOWN_IN_FULL:
        shown = [term for term in terms if term.value != 0]
        hidden = len(terms) - len(shown)
    parts: list[str] = []
    for term in shown:
        value = format_number(abs(term.value))
        if not parts:
            parts.append(f"{term.label} {'-' if term.value < 0 else ''}{value}")
        else:
            parts.append(f"{'−' if term.value < 0 else '+'} {term.label} {value}")
    if hidden:
        parts.append(f"{'+ ' if parts else ''}其余{hidden}项（均为0）")
    text = " ".join(parts)
    if len(terms) > 1:
        text += f" = {format_number(sum((term.value for term in terms), Decimal(0)))}"
    return text


def _compare(left: Decimal, op: str, right: Decimal) -> bool:
    if op == "=":
        return left == right
    if op == ">=":
        return left >= right
    return left <= right


def _column_label(template: Template | None, key: str) -> str:
    column = template.column(key) if template is not None else None
    return column.label if column is not None else key


def _evaluate(
    number: int, table: SemanticTable, template: Template, relation: TemplateRelation, order: int, line: str
) -> Check | None:
    """The relation in one column or row, or None when a cell is missing, blank, a dash or text."""

    def side(terms) -> list[Term] | None:
        found: list[Term] = []
        for term in terms:
            row_key, column = (term.key, line) if relation.per == "column" else (line, term.key)
            row = table.row(row_key)
            if row is None:
                if term.required:
                    return None
                continue  # an optional "其中" row this table does not list
            cell = row.cell(column)
            if cell is None or cell.value.kind != "number" or cell.value.value is None:
                return None
            label = row_title(template, table, row_key) if relation.per == "column" else _column_label(template, column)
            ambiguous = column_kind(template, column) == "delta" and cell.value.sign == 0 and cell.value.value != 0
            found.append(Term(row_key, column, label, cell, cell.value.value, ambiguous))
        return found or None

    left, right = side(relation.left), side(relation.right)
    if left is None or right is None:
        return None
    ambiguous = [index for index, term in enumerate(left + right) if term.ambiguous]
    if len(ambiguous) > _MAX_AMBIGUOUS_TERMS:
        return None
    terms = left + right
    chosen = terms
    holds = False
    # An unsigned 本年增/减 may mean an increase or a decrease: the relation holds if a reading does.
    for signs in itertools.product((1, -1), repeat=len(ambiguous)):
        trial = list(terms)
        for index, sign in zip(ambiguous, signs):
            trial[index] = replace(trial[index], value=terms[index].value * sign)
        total_left = sum((term.value for term in trial[: len(left)]), Decimal(0))
        total_right = sum((term.value for term in trial[len(left):]), Decimal(0))
        if _compare(total_left, relation.op, total_right):
            chosen, holds = trial, True
            break
    chosen_left, chosen_right = tuple(chosen[: len(left)]), tuple(chosen[len(left):])
    return Check(number, table, template, relation, order, line, chosen_left, chosen_right, holds)


def _lines(table: SemanticTable, template: Template, relation: TemplateRelation) -> list[str]:
    if relation.per == "column":
        lines = value_columns(template, table)
    else:
        lines = list(dict.fromkeys(row.key for row in table.rows if row.key is not None))
    return [line for line in lines if not relation.within or line in relation.within]


# --- culprits and groups ---------------------------------------------------------------------------


@dataclass
class Culprit:
    """The cell whose correction makes every failure of its group hold again."""

    table: SemanticTable
    template: Template
    row: str
    column: str
    cell: SemanticCell
    value: Decimal | None
    """The corrected value when the relations fix it (None when only a bound is known)."""


@dataclass
class FailureGroup:
    """Failures reported together: those with one culprit, or a single failure without one."""

    failures: list[Check]
    culprit: Culprit | None = None

    @property
    def key(self) -> tuple:
        first = self.failures[0]
        if self.culprit is not None:
            return ("culprit", first.table_number, self.culprit.row, self.culprit.column)
        return ("failure", first.table_number, first.relation.id, first.line)

    @property
    def rules(self) -> list[str]:
        return list(dict.fromkeys(failure.relation.rule for failure in self.failures))


@dataclass
class Analysis:
    """Every relation check of a document, the failures grouped by culprit, and who reported what."""

    checks: list[Check]
    groups: list[FailureGroup]
    claims: dict[tuple, str] = field(default_factory=dict)
    """Group key → the code of the rule that reported it."""

    @property
    def failures(self) -> list[Check]:
        return [check for check in self.checks if check.relation.meaning == "fault" and not check.holds]


def analyse(document: Document) -> Analysis:
    """Every relation of every table, evaluated once per document."""
    return document.analysis(_analyse)


def _analyse(document: Document) -> Analysis:
    checks: list[Check] = []
    groups: list[FailureGroup] = []
    for number, table in enumerate(document.tables):
        template = template_of(document, table)
        if template is None or not template.relations:
            continue
        table_checks = []
        for order, relation in enumerate(template.relations):
            for line in _lines(table, template, relation):
                check = _evaluate(number, table, template, relation, order, line)
                if check is not None:
                    table_checks.append(check)
        checks.extend(table_checks)
        groups.extend(_group(table_checks))
    groups.sort(key=lambda group: (group.culprit.cell if group.culprit else group.failures[0].anchor.cell).span.start)
    return Analysis(checks, groups)


def _reporting_order(check: Check) -> tuple:
    return (check.relation.rule, check.order, check.anchor.cell.span.start)


def _group(checks: list[Check]) -> list[FailureGroup]:
    faults = [check for check in checks if check.relation.meaning == "fault"]
    failing = [check for check in faults if not check.holds]
    if not failing:
        return []
    containing: dict[tuple[str, str], list[Check]] = {}
    for check in faults:
        if check.ambiguous:
            continue  # an unsigned 本年增/减 has no single value to solve for
        for position in dict.fromkeys(term.position for term in check.terms):
            containing.setdefault(position, []).append(check)
    repairs: dict[tuple[str, str], tuple[list[Check], Decimal | None]] = {}
    for check in failing:
        for term in check.terms:
            if term.position not in repairs and term.position in containing:
                repaired = _repair(term, containing[term.position])
                if repaired is not None:
                    repairs[term.position] = repaired
    culprit_of: dict[int, tuple[str, str]] = {}
    for check in failing:
        candidates = list(
            dict.fromkeys(
                term.position
                for term in check.terms
                if term.position in repairs and _fixes(repairs[term.position][0], check)
            )
        )
        if not candidates:
            continue
        most = max(len(repairs[position][0]) for position in candidates)
        best = [position for position in candidates if len(repairs[position][0]) == most]
        if len(best) == 1:
            culprit_of[id(check)] = best[0]
    groups: list[FailureGroup] = []
    by_culprit: dict[tuple[str, str], FailureGroup] = {}
    for check in sorted(failing, key=_reporting_order):
        position = culprit_of.get(id(check))
        if position is None:
            groups.append(FailureGroup([check]))
            continue
        group = by_culprit.get(position)
        if group is None:
            term = next(term for term in check.terms if term.position == position)
            culprit = Culprit(check.table, check.template, position[0], position[1], term.cell, repairs[position][1])
            group = by_culprit[position] = FailureGroup([], culprit)
            groups.append(group)
        group.failures.append(check)
    return groups


def _fixes(repaired: list[Check], check: Check) -> bool:
    return any(item is check for item in repaired)


def _repair(term: Term, checks: list[Check]) -> tuple[list[Check], Decimal | None] | None:
    """Whether one value of ``term``'s cell makes every relation containing it hold; if so, the
    failures it repairs and the value (None when only bounds constrain it)."""
    exact: Decimal | None = None
    low: Decimal | None = Decimal(0) if column_kind(checks[0].template, term.column) in _NON_NEGATIVE_KINDS else None
    high: Decimal | None = None
    repaired: list[Check] = []
    for check in checks:
        coefficient = sum(1 for item in check.left if item.position == term.position) - sum(
            1 for item in check.right if item.position == term.position
        )
        if coefficient == 0:
            if not check.holds:
                return None  # the cell cancels out of this failure: changing it cannot repair it
            continue
        if not check.holds:
            repaired.append(check)
        rest = sum((item.value for item in check.left if item.position != term.position), Decimal(0)) - sum(
            (item.value for item in check.right if item.position != term.position), Decimal(0)
        )
        # The relation reads coefficient·x + rest (op) 0.
        bound = -rest / coefficient + 0  # + 0 turns a negative zero into 0
        op = check.relation.op
        if op == "=":
            if exact is not None and exact != bound:
                return None
            exact = bound
        elif (op == ">=") == (coefficient > 0):
            low = bound if low is None else max(low, bound)
        else:
            high = bound if high is None else min(high, bound)
    if not repaired:
        return None
    if exact is not None:
        if (low is not None and exact < low) or (high is not None and exact > high):
            return None
    elif low is not None and high is not None and low > high:
        return None
    return repaired, exact


# --- findings ----------------------------------------------------------------------------------


def relation_findings(document: Document, rule_code: str) -> list[Finding]:
    """The findings rule ``rule_code`` reports: the failures of its relations, once per group.

    A group whose failures belong to several rules is reported by the first of them to ask
    (rules run in code order); the others skip it.
    """
    analysis = analyse(document)
    findings = []
    for group in analysis.groups:
        if rule_code not in group.rules:
            continue
        owner = analysis.claims.setdefault(group.key, rule_code)
        if owner != rule_code:
            continue
        findings.append(_finding(document, group))
    return findings


def holding_checks(document: Document, rule_code: str) -> list[Check]:
    """The evaluated checks of rule ``rule_code``'s relations, holding or not (for ``misreading``
    relations, whose holding everywhere is the finding)."""
    return [check for check in analyse(document).checks if check.relation.rule == rule_code]


def _finding(document: Document, group: FailureGroup) -> Finding:
    first = group.failures[0]
    section = section_prefix(document, first.table)
    if group.culprit is None:
        anchor = first.anchor
        message = first.statement()
        if first.relation.explain:
            message += f"（{first.relation.explain}）"
        # The cells of the equation, as the message lists them (a long sum without its zeros).
        long_sum = len(first.terms) > _TERMS_SHOWN_IN_FULL
        related = tuple(
            Related(term.cell.span, f"{term.label}：{term.cell.text}")
            for term in first.terms
            if term.position != anchor.position and not (long_sum and term.value == 0)
        )
        return Finding(anchor.cell.span, message, related=related, place=first.place(section))
    culprit = group.culprit
    name = cell_name(culprit.template, culprit.table, culprit.row, culprit.column)
    count = len(group.failures)
    noun = "等式" if all(failure.relation.op == "=" for failure in group.failures) else "关系"
    checks = f"以下{count}个{noun}都" if count > 1 else noun
    if culprit.value is not None:
        outcome = f"改为 {format_number(culprit.value)} 则{checks}成立"
    else:
        outcome = f"改正它{checks}即可成立"
    statements = "；".join(failure.statement() for failure in group.failures)
    message = f"{name}的 {culprit.cell.text} 可能有误（{outcome}）：{statements}"
    related = tuple(
        Related(failure.anchor.cell.span, failure.statement())
        for failure in group.failures
        if failure.anchor.position != (culprit.row, culprit.column)
    )
    place = f"{section}table:{culprit.table.template}/row:{culprit.row}/col:{culprit.column}/culprit"
    return Finding(culprit.cell.span, message, related=related, place=place)
