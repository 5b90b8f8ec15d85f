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

from nianbao.config.selection import ALL_SELECTOR, RuleRef
from nianbao.engine.diagnostic import Diagnostic
from nianbao.parse.tree import Heading, Paragraph, SignOff, Table, Title, Unparsed
from nianbao.plugins.rule import Finding
from nianbao.text.location import Span

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
_OPENING = re.compile(r"<!--[ \t]*nianbao(?![A-Za-z0-9_])", re.IGNORECASE)
_ORIGINAL_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_COMMENT_CLOSE = "-->"
_DIRECTIVE = re.compile(
    r"""[ \t\u3000]*(?P<colon>[:：])?[ \t\u3000]*
        (?P<kind>[A-Za-z][A-Za-z_-]*)?[ \t\u3000]*
        (?:(?P<equals>[=＝])[ \t\u3000]*(?P<selectors>[^\n]*?))?[ \t\u3000]*$""",
    re.VERBOSE,
)
_SELECTOR_SEPARATOR = re.compile(r"[,，、\s]+")
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
    """Read every suppression comment of ``document``; malformed ones become PS004 findings.

    Comments are read from the original text, line by line, so that they are found whatever
    the parser makes of them; their spans are then carried over to the normalised text.
    """
    names = _RuleNames(rules)
    found = SuppressionSet()
    lines = _ORIGINAL_LINE_BREAK.split(document.source.text)
    open_ranges: list[Suppression] = []
    for directive, problem in _directives(document, lines):
        if problem is not None:
            found.problems.append(problem)
            continue
        resolved: list[tuple[str, frozenset[str]]] = []
        for selector in directive.selectors:
            codes = names.resolve(selector)
            if not codes:
                found.problems.append(
                    _problem(document, directive.span, f"抑制注释中有未知的规则 {selector}{names.suggestion(selector)}")
                )
                continue
            resolved.append((selector, codes))
        if directive.kind == "enable":
            _close(document, directive, resolved, open_ranges, found)
            continue
        if directive.kind == "disable-next":
            block = _next_block_lines(document, lines, directive.line)
            if block is None:
                found.problems.append(
                    _problem(
                        document, directive.span, "disable-next 之后没有可以抑制的内容：请把注释放在要抑制的段落或表格前"
                    )
                )
                continue
            first, last = block
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


def _directives(document, lines: list[str]) -> Iterable[tuple[Directive | None, Finding | None]]:
    line_starts = _line_starts(document.source.text)
    for number, line in enumerate(lines, 1):
        for opening in _OPENING.finditer(line):
            close = line.find(_COMMENT_CLOSE, opening.end())
            start = line_starts[number - 1] + opening.start()
            if close == -1:
                span = _normalised_span(document, start, line_starts[number - 1] + len(line))
                yield None, _problem(document, span, "抑制注释没有在同一行内以 --> 结束")
                continue
            span = _normalised_span(document, start, line_starts[number - 1] + close + len(_COMMENT_CLOSE))
            yield _parse_body(document, line[opening.end() : close], span, number)


def _parse_body(document, body: str, span: Span, line: int) -> tuple[Directive | None, Finding | None]:
    usage = "应写作 <!-- nianbao: disable=规则代码 -->"
    match = _DIRECTIVE.fullmatch(body)
    if match is None or not match.group("colon") or not match.group("kind"):
        return None, _problem(document, span, f"抑制注释格式有误：{usage}")
    kind = match.group("kind").lower()
    if kind not in DIRECTIVE_KINDS:
        close = difflib.get_close_matches(kind, DIRECTIVE_KINDS, n=1)
        hint = f"（是否想写 {close[0]}？）" if close else ""
        return None, _problem(
            document, span, f"未知的抑制指令 {match.group('kind')}{hint}；可用 {'、'.join(DIRECTIVE_KINDS)}"
        )
    selectors = tuple(item for item in _SELECTOR_SEPARATOR.split(match.group("selectors") or "") if item)
    if not match.group("equals") or not selectors:
        return None, _problem(document, span, f"抑制注释没有写明规则：{kind}=规则代码，例如 {kind}=AR001")
    return Directive(kind, selectors, span, line), None


def _problem(document, span: Span, message: str) -> Finding:
    comment = " ".join(document.text_at(span).split())
    return Finding(span, message, place=f"suppression:{comment}")


def _close(
    document,
    directive: Directive,
    resolved: list[tuple[str, frozenset[str]]],
    open_ranges: list[Suppression],
    found: SuppressionSet,
) -> None:
    """``enable`` ends every open ``disable`` whose rules it names (``enable=AR`` ends ``disable=AR001``)."""
    for selector, codes in resolved:
        closing = [item for item in open_ranges if item.codes <= codes]
        if not closing:
            found.problems.append(
                _problem(document, directive.span, f"enable={selector} 之前没有对应的 disable 注释")
            )
            continue
        for item in closing:
            item.last_line = directive.line
            open_ranges.remove(item)


def _next_block_lines(document, lines: list[str], comment_line: int) -> tuple[int, int] | None:
    """Original lines (first, last) of the block after a ``disable-next`` comment on ``comment_line``.

    The block starts on the first later line that is neither blank nor only comments. It is the
    table, heading, paragraph or sign-off the parser found there; where it found none, the lines
    up to the next blank line.
    """
    first = next(
        (
            number
            for number in range(comment_line + 1, len(lines) + 1)
            if lines[number - 1].strip() and not _COMMENT_ONLY_LINE.match(lines[number - 1])
        ),
        None,
    )
    if first is None:
        return None
    best: tuple[int, int, int] | None = None  # (length, first line, last line)
    for node in document.report.walk():
        if not isinstance(node, _BLOCK_NODES) or not len(node.span):
            continue
        start_line, end_line = _line_range(document, node.span)
        if start_line <= first <= end_line and (best is None or len(node.span) > best[0]):
            best = (len(node.span), start_line, end_line)
    if best is not None:
        return first, max(first, best[2])
    last = first
    while last < len(lines) and lines[last].strip():
        last += 1
    return first, last


def _line_range(document, span: Span) -> tuple[int, int]:
    """First and last original line a span touches (a span ending at a line break ends on its line)."""
    location = document.locate(span)
    end_line = location.end_line
    if location.end_column == 1 and end_line > location.line:
        end_line -= 1
    return location.line, end_line


def _line_starts(text: str) -> list[int]:
    return [0, *(match.end() for match in _ORIGINAL_LINE_BREAK.finditer(text))]


def _normalised_span(document, original_start: int, original_end: int) -> Span:
    """The normalised span whose characters came from ``[original_start, original_end)``."""
    return Span(_normalised_offset(document, original_start), _normalised_offset(document, original_end))


def _normalised_offset(document, original_offset: int) -> int:
    """The first normalised offset whose original position is at or after ``original_offset``.

    Normalised → original is monotonic, so a binary search over it inverts the offset map.
    """
    normalized = document.normalized
    low, high = 0, len(normalized.text)
    while low < high:
        middle = (low + high) // 2
        if normalized.original_range(Span(middle, middle))[0] < original_offset:
            low = middle + 1
        else:
            high = middle
    return low
