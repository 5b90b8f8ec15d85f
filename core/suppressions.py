"""Suppression comments in reports: ``<!-- nianbao: disable=AR001 -->`` and its relatives.

Four directives, each an HTML comment on one line (invisible when Markdown is rendered)::

    <!-- nianbao: disable=AR001 -->         from this line …
    <!-- nianbao: enable=AR001 -->          … to this one (or to the end of the file)
    <!-- nianbao: disable-next=AR001 -->    the next block: a table, a heading, a paragraph
    <!-- nianbao: disable-file=AR001,ST --> the whole file

Rules are named by code, code prefix, rule name or ``ALL``, separated by commas. Regions are
lines of the original file, because that is where diagnostics are located.

Malformed directives and suppressions that suppressed nothing become findings of PS004; the
engine turns them into diagnostics (see :func:`apply_suppressions`).
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from typing import Iterable, Sequence

from nianbao.config import ALL_SELECTOR, RuleRef
from nianbao.diagnostic import Diagnostic
from nianbao.location import Span
from nianbao.rule import Finding
from nianbao.tree import Heading, Paragraph, SignOff, Table, Title, Unparsed

__all__ = [
    "DIRECTIVE_KINDS",
    "SUPPRESSION_CODE",
    "Directive",
    "Suppression",
    "SuppressionSet",
    "SuppressionOutcome",
    "find_suppressions",
    "apply_suppressions",
]

SUPPRESSION_CODE = "PS004"
DIRECTIVE_KINDS = ("disable", "enable", "disable-next", "disable-file")
END_OF_FILE = 10**9
"""Last line of an open-ended region."""

# Anything that starts like one of our comments is a directive or a malformed one: never ignored.
_OPENING = re.compile(r"<!--[ \t]*nianbao\b", re.IGNORECASE)
_COMMENT_CLOSE = "-->"
_DIRECTIVE = re.compile(
    r"""[ \t]*(?P<colon>:)?[ \t]*
        (?P<kind>[A-Za-z][A-Za-z_-]*)?[ \t]*
        (?:(?P<equals>=)[ \t]*(?P<selectors>[^\n]*?))?[ \t]*$""",
    re.VERBOSE,
)
_SELECTOR_SEPARATOR = re.compile(r"[,、\s]+")
# A line with nothing but HTML comments is skipped when looking for the block after disable-next.
_COMMENT_ONLY_LINE = re.compile(r"^[ \t]*(<!--.*?-->[ \t]*)+$")
_BLOCK_NODES = (Title, Paragraph, Heading, Table, SignOff, Unparsed)


@dataclass(frozen=True)
class Directive:
    """One well-formed suppression comment."""

    kind: str
    selectors: tuple[str, ...]
    span: Span
    """The comment in the normalised text."""
    line: int
    """Original line of the comment."""


@dataclass
class Suppression:
    """One rule selector of one directive, with the original lines it covers (inclusive)."""

    directive: Directive
    selector: str
    codes: frozenset[str]
    first_line: int
    last_line: int = END_OF_FILE
    used: bool = False

    def covers(self, diagnostic: Diagnostic) -> bool:
        return diagnostic.code in self.codes and self.first_line <= diagnostic.line <= self.last_line


@dataclass
class SuppressionSet:
    """The suppressions of one document and the malformed directives met while reading them."""

    suppressions: list[Suppression] = field(default_factory=list)
    problems: list[Finding] = field(default_factory=list)

    def matching(self, diagnostic: Diagnostic) -> list[Suppression]:
        return [item for item in self.suppressions if item.covers(diagnostic)]


@dataclass
class SuppressionOutcome:
    kept: list[Diagnostic]
    suppressed: list[Diagnostic]
    findings: list[Finding]
    """PS004 findings: malformed directives, then unused suppressions."""
    suppressions: SuppressionSet

    def suppresses(self, diagnostic: Diagnostic) -> bool:
        """Whether a diagnostic made after the fact (a PS004 one) falls under a suppression."""
        return bool(self.suppressions.matching(diagnostic))


class _RuleNames:
    """Resolves what a suppression names (code, prefix, name, ALL) to rule codes."""

    def __init__(self, rules: Sequence[RuleRef]) -> None:
        self.codes = frozenset(rule.code for rule in rules)
        self.by_name = {rule.name: rule.code for rule in rules}

    def resolve(self, selector: str) -> frozenset[str]:
        if selector == ALL_SELECTOR:
            return self.codes
        if selector in self.by_name:
            return frozenset({self.by_name[selector]})
        return frozenset(code for code in self.codes if code.startswith(selector))

    def suggestion(self, selector: str) -> str:
        if self.resolve(selector.upper()):
            return f"（是否想写 {selector.upper()}？）"
        if selector.lower() in self.by_name:
            return f"（是否想写 {selector.lower()}？）"
        close = difflib.get_close_matches(selector, [*sorted(self.codes), *sorted(self.by_name)], n=1)
        return f"（是否想写 {close[0]}？）" if close else ""


def find_suppressions(document, rules: Sequence[RuleRef]) -> SuppressionSet:
    """Read every suppression comment of ``document``; malformed ones become PS004 findings."""
    names = _RuleNames(rules)
    found = SuppressionSet()
    text = document.text
    open_ranges: list[Suppression] = []
    for directive, problem in _directives(text, document):
        if problem is not None:
            found.problems.append(problem)
            continue
        resolved: list[tuple[str, frozenset[str]]] = []
        for selector in directive.selectors:
            codes = names.resolve(selector)
            if not codes:
                found.problems.append(
                    _problem(directive.span, text, f"抑制注释中有未知的规则 {selector}{names.suggestion(selector)}")
                )
                continue
            resolved.append((selector, codes))
        if directive.kind == "enable":
            _close(directive, resolved, open_ranges, found, text)
            continue
        if directive.kind == "disable-next":
            lines = _next_block_lines(document, directive)
            if lines is None:
                found.problems.append(
                    _problem(directive.span, text, "disable-next 之后没有可以抑制的内容：请把注释放在要抑制的段落或表格前")
                )
                continue
            first, last = lines
        elif directive.kind == "disable-file":
            first, last = 1, END_OF_FILE
        else:
            first, last = directive.line, END_OF_FILE
        for selector, codes in resolved:
            suppression = Suppression(directive, selector, codes, first, last)
            found.suppressions.append(suppression)
            if directive.kind == "disable":
                open_ranges.append(suppression)
    return found


def apply_suppressions(
    document, diagnostics: Iterable[Diagnostic], rules: Sequence[RuleRef], ran: Iterable[str]
) -> SuppressionOutcome:
    """Split ``diagnostics`` into kept and suppressed, and find the PS004 findings.

    ``ran`` are the codes of the rules that ran to the end on this document: a suppression is
    reported as unused only when a rule it names ran and still nothing was suppressed, so
    turning a rule off in the configuration does not make every comment about it an error.
    PS004 diagnostics themselves are not passed in here; the caller filters them with
    :meth:`SuppressionOutcome.suppresses`.
    """
    found = find_suppressions(document, rules)
    kept: list[Diagnostic] = []
    suppressed: list[Diagnostic] = []
    for diagnostic in diagnostics:
        matching = found.matching(diagnostic)
        if not matching:
            kept.append(diagnostic)
            continue
        suppressed.append(diagnostic)
        for suppression in matching:
            suppression.used = True
    ran = frozenset(ran)
    findings = list(found.problems)
    for suppression in found.suppressions:
        if suppression.used or not (suppression.codes & ran) or suppression.codes == {SUPPRESSION_CODE}:
            continue
        directive = suppression.directive
        findings.append(
            Finding(
                directive.span,
                f"抑制注释 {directive.kind}={suppression.selector} 没有抑制任何问题，可以删除",
                place=f"suppression:{directive.kind}={suppression.selector}",
            )
        )
    return SuppressionOutcome(kept, suppressed, findings, found)


# --- reading the comments --------------------------------------------------------------


def _directives(text: str, document) -> Iterable[tuple[Directive | None, Finding | None]]:
    for opening in _OPENING.finditer(text):
        line_end = text.find("\n", opening.end())
        if line_end == -1:
            line_end = len(text)
        close = text.find(_COMMENT_CLOSE, opening.end(), line_end)
        if close == -1:
            span = Span(opening.start(), line_end)
            yield None, _problem(span, text, "抑制注释没有在同一行内以 --> 结束")
            continue
        span = Span(opening.start(), close + len(_COMMENT_CLOSE))
        body = text[opening.end() : close]
        yield _parse_body(body, span, text, document)


def _parse_body(body: str, span: Span, text: str, document) -> tuple[Directive | None, Finding | None]:
    usage = "应写作 <!-- nianbao: disable=规则代码 -->"
    match = _DIRECTIVE.fullmatch(body)
    if match is None or not match.group("colon") or not match.group("kind"):
        return None, _problem(span, text, f"抑制注释格式有误：{usage}")
    kind = match.group("kind").lower()
    if kind not in DIRECTIVE_KINDS:
        close = difflib.get_close_matches(kind, DIRECTIVE_KINDS, n=1)
        hint = f"（是否想写 {close[0]}？）" if close else ""
        return None, _problem(
            span, text, f"未知的抑制指令 {match.group('kind')}{hint}；可用 {'、'.join(DIRECTIVE_KINDS)}"
        )
    selectors = tuple(
        item for item in _SELECTOR_SEPARATOR.split(match.group("selectors") or "") if item
    )
    if not match.group("equals") or not selectors:
        return None, _problem(span, text, f"抑制注释没有写明规则：{kind}=规则代码，例如 {kind}=AR001")
    line = document.locate(Span(span.start, span.start)).line
    return Directive(kind, selectors, span, line), None


def _problem(span: Span, text: str, message: str) -> Finding:
    comment = " ".join(text[span.start : span.end].split())
    return Finding(span, message, place=f"suppression:{comment}")


def _close(
    directive: Directive,
    resolved: list[tuple[str, frozenset[str]]],
    open_ranges: list[Suppression],
    found: SuppressionSet,
    text: str,
) -> None:
    """``enable`` ends every open ``disable`` whose rules it names (``enable=AR`` ends ``disable=AR001``)."""
    for selector, codes in resolved:
        closing = [item for item in open_ranges if item.codes <= codes]
        if not closing:
            found.problems.append(
                _problem(directive.span, text, f"enable={selector} 之前没有对应的 disable 注释")
            )
            continue
        for item in closing:
            item.last_line = directive.line
            open_ranges.remove(item)


def _next_block_lines(document, directive: Directive) -> tuple[int, int] | None:
    """Original lines of the block after a ``disable-next`` comment.

    The block starts on the first line after the comment that is neither blank nor only
    comments. It is the table, heading, paragraph or sign-off the parser found there; where the
    parser found none, the lines up to the next blank line.
    """
    text = document.text
    position = text.find("\n", directive.span.end)
    start = None
    while position != -1 and position < len(text):
        line_start = position + 1
        line_end = text.find("\n", line_start)
        if line_end == -1:
            line_end = len(text)
        line = text[line_start:line_end]
        if line.strip() and not _COMMENT_ONLY_LINE.match(line):
            start = line_start + (len(line) - len(line.lstrip()))
            break
        position = line_end if line_end < len(text) else -1
    if start is None:
        return None
    end = _block_end(document, start)
    if end is None:
        blank = re.compile(r"\n[ \t]*(\n|$)").search(text, start)
        end = blank.start() if blank else len(text)
    first = document.locate(Span(start, start)).line
    last = document.locate(Span(max(start, end - 1), max(start, end - 1))).line
    return first, max(first, last)


def _block_end(document, start: int) -> int | None:
    """End of the largest block node that holds ``start``, or None when the tree has none there."""
    best = None
    for node in document.report.walk():
        if isinstance(node, _BLOCK_NODES) and node.span.start <= start < node.span.end:
            if best is None or len(node.span) > len(best.span):
                best = node
    if best is None:
        return None
    # The node may stop before the line's end (a heading's trailing blanks); cover the whole line.
    line_end = document.text.find("\n", best.span.end - 1 if best.span.end else 0)
    return best.span.end if line_end == -1 else max(best.span.end, line_end)
