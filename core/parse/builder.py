"""The typed syntax tree from the grammar's parse tree: one method per grammar rule.

The grammar has already nested everything (``grammars/report.lark``); each method here builds the
node of one rule from its children, which are built first, so a container's span simply covers
its heading and its children. Spans are in the normalised text the tokens came from.
"""

from __future__ import annotations

import re
from typing import Callable, NamedTuple, TypeVar

from lark import Token, Transformer
from nianbao.parse.grammar import ignored_line
from nianbao.parse.lexer import heading_of, line_span
from nianbao.parse.tree import (
    Heading,
    Node,
    Paragraph,
    Report,
    Section,
    SignOff,
    SubSection,
    Table,
    Title,
    Unparsed,
)
from nianbao.text.location import Span

__all__ = ["ReportBuilder"]

MARKDOWN_HASHES = re.compile(r"#{1,6}[ \t]+")
# What separates a heading's title from the text that runs on after it on the same line.
RUN_ON_SEPARATORS = "。: \t"


Container = TypeVar("Container", Section, SubSection)


class _Closing(NamedTuple):
    signoff: SignOff
    trailer: list[Unparsed]


class ReportBuilder(Transformer):
    """Builds a :class:`Report` from the parse tree of ``text``.

    ``build_table(lines)`` turns a table block's ``(offset, line)`` pairs into a :class:`Table`;
    it comes from the tables stage, which knows the renderings.
    """

    def __init__(self, text: str, build_table: Callable[[list[tuple[int, str]]], Table]) -> None:
        super().__init__(visit_tokens=False)
        self.text = text
        self.build_table = build_table

    # --- the report ------------------------------------------------------------------------------

    def start(self, children: list) -> Report:
        report = Report(Span(0, len(self.text)), title=None)
        for child in children:
            if isinstance(child, Title):
                report.title = child
            elif isinstance(child, Section):
                report.sections.append(child)
            elif isinstance(child, _Closing):
                report.signoff = child.signoff
                report.unparsed.extend(child.trailer)
            else:
                report.preamble = child
        return report

    def title(self, tokens: list[Token]) -> Title:
        spans = [self._without_markdown_hashes(line_span(token)) for token in tokens]
        text = "".join(self.text[span.start : span.end] for span in spans)
        return Title(spans[0].cover(spans[-1]), text=text, lines=spans)

    def preamble(self, children: list[Node]) -> list[Node]:
        return children

    # --- headed containers -----------------------------------------------------------------------

    def section(self, children: list) -> Section:
        heading, body = self._headed(children, level=1)
        return _covering(Section(heading.span, heading, body))

    def subsection(self, children: list) -> SubSection:
        heading, body = self._headed(children, level=2)
        return _covering(SubSection(heading.span, heading, body))

    def item(self, children: list) -> SubSection:
        heading, body = self._headed(children, level=3)
        return _covering(SubSection(heading.span, heading, body))

    # A list marker is an item of its section; the grammar only places it differently.
    list_item = item

    def _headed(self, children: list, level: int) -> tuple[Heading, list[Node]]:
        """The heading of a container and its body: the text run on after the heading's title on
        the same line ("六、其他需要报告的事项：无。"), then the children."""
        head_token, *nodes = children
        heading = heading_of(head_token, level)
        line_end = line_span(head_token).end
        start = heading.span.end
        while start < line_end and self.text[start] in RUN_ON_SEPARATORS:
            start += 1
        if start < line_end:
            nodes.insert(0, Paragraph(Span(start, line_end), self.text[start:line_end]))
        return heading, nodes

    # --- blocks ----------------------------------------------------------------------------------

    def paragraph(self, tokens: list[Token]) -> Paragraph:
        span = line_span(tokens[0])
        return Paragraph(span, self.text[span.start : span.end])

    def table(self, tokens: list[Token]) -> Table:
        start = self.text.rfind("\n", 0, tokens[0].start_pos) + 1
        end = tokens[-1].end_pos
        lines: list[tuple[int, str]] = []
        offset = start
        for line in self.text[start:end].split("\n"):
            # Suppression comments and page footers (ignored by the grammar) are not cells.
            if not ignored_line().fullmatch(line):
                lines.append((offset, line))
            offset += len(line) + 1
        return self.build_table(lines)

    # --- closing ---------------------------------------------------------------------------------

    def closing(self, children: list) -> _Closing:
        signoff, trailer = children
        return _Closing(signoff, trailer)

    def signoff(self, tokens: list[Token]) -> SignOff:
        *body, date = tokens
        date_span = line_span(date)
        body_span = line_span(body[0]) if body else None
        return SignOff(
            (body_span or date_span).cover(date_span),
            body=self.text[body_span.start : body_span.end] if body_span else None,
            body_span=body_span,
            date_text=self.text[date_span.start : date_span.end],
            date_span=date_span,
        )

    def trailer(self, children: list[Token | Span]) -> list[Unparsed]:
        spans = [Span(child.start_pos, child.end_pos) if isinstance(child, Token) else child for child in children]
        return [Unparsed(span, self.text[span.start : span.end], "落款之后的内容") for span in spans]

    def trailer_table(self, tokens: list[Token]) -> Span:
        return Span(tokens[0].start_pos, tokens[-1].end_pos)

    # --- helpers ---------------------------------------------------------------------------------

    def _without_markdown_hashes(self, span: Span) -> Span:
        """"# 某局2021年…报告" → the title text itself."""
        match = MARKDOWN_HASHES.match(self.text, span.start, span.end)
        return Span(match.end(), span.end) if match else span


def _covering(node: Container) -> Container:
    """The container's span grown from its heading over everything in its body."""
    for child in node.body:
        node.span = node.span.cover(child.span)
    return node
