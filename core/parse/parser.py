"""From normalised text to the typed syntax tree: line lexer → grammar → builder.

The line lexer (:mod:`nianbao.parse.lexer`) gives one context-level token per line, the LALR
parser of ``grammars/report.lark`` nests them, and :class:`~nianbao.parse.builder.ReportBuilder`
turns the parse tree into the nodes of :mod:`nianbao.parse.tree`. A line the grammar has no place
for is skipped and kept as :class:`~nianbao.parse.tree.Unparsed` (PS002), so parsing always
gives a report.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterable

from lark import Token
from lark import Tree as LarkTree
from lark.exceptions import UnexpectedInput, VisitError
from nianbao.parse.builder import ReportBuilder
from nianbao.parse.grammar import grammar_parser
from nianbao.parse.tree import Report, Table, Unparsed
from nianbao.text.location import Span

__all__ = ["ParseOutcome", "parse_report", "parse_tokens"]


@dataclass
class ParseOutcome:
    report: Report


def parse_report(text: str, build_table: Callable[[list[tuple[int, str]]], Table]) -> ParseOutcome:
    """Parse normalised ``text`` into a :class:`Report`.

    ``build_table(lines)`` turns a table block's lines into a :class:`Table` node; it is
    passed in so that the table renderings stay in one module (``nianbao.tables``).
    """
    tree, unparsed = parse_tokens(grammar_parser().lex(text))
    if tree is None:
        report = Report(Span(0, len(text)), title=None)
    else:
        try:
            report = ReportBuilder(text, build_table).transform(tree)
        except VisitError as error:  # a bug in building a node: report what it was, not Lark's wrapper
            raise error.orig_exc from None
    report.unparsed.extend(unparsed)
    report.unparsed.sort(key=lambda node: node.span.start)
    return ParseOutcome(report)


def parse_tokens(tokens: Iterable[Token]) -> tuple[LarkTree | None, list[Unparsed]]:
    """The grammar over the line lexer's tokens: the parse tree, and the lines it had no place for.

    Such a line is skipped, so the lines after it are still placed; the tree is None only when
    the grammar cannot end the report at all.
    """
    interactive = grammar_parser().parse_interactive("")
    unparsed: list[Unparsed] = []
    token = None
    for token in tokens:
        try:
            interactive.feed_token(token)
        except UnexpectedInput:
            unparsed.append(Unparsed(Span(token.start_pos, token.end_pos), token.value, "此处不应出现的内容"))
    try:
        return interactive.feed_eof(token), unparsed  # the end takes the last token's position
    except UnexpectedInput:
        return None, unparsed
