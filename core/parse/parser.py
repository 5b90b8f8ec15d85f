"""From normalised text to the typed syntax tree, with the Lark grammar in ``nianbao.grammars``."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Iterable

from lark import Lark, Token
from lark import Tree as LarkTree
from lark.exceptions import UnexpectedInput
from lark.lark import PostLex

from nianbao.parse.lines import is_layout_row, is_spaced_line
from nianbao.parse.tree import (
    Heading,
    Node,
    Paragraph,
    Report,
    Section,
    SignOff,
    SubSection,
    Title,
    Unparsed,
)
from nianbao.text.location import Span

# Line terminals the lexer produces but the grammar rules do not name: the context pass
# below turns them into TABLE_START / CELL / TEXT.
LEXED_TABLE_OPENERS = frozenset(
    {"BAR", "PIPE_LINE", "APPLICATION_ROW", "CAPTION", "TABLE_HEAD", "REVIEW_HEAD", "TAB_LINE"}
)
# A row of pdftotext layout text ("行政许可      30      17"): found by the context pass itself,
# in lines the lexer typed as one of LAYOUT_ROW_SOURCES; a section heading only inside a table
# ("三、本年度办理" beside a row), as "一、总体情况      1" outside one is a table of contents.
LAYOUT_ROW = "LAYOUT_ROW"
LAYOUT_ROW_SOURCES = frozenset({"TEXT", "SUB_HEAD", "ITEM_HEAD", "DATE_LINE"})
TABLE_OPENERS = LEXED_TABLE_OPENERS | {LAYOUT_ROW}
PIPE_KINDS = frozenset({"BAR", "PIPE_LINE"})

# A tab-indented line this long is an indented paragraph, not a table cell.
MAX_TAB_CELL = 48
# Inside a cell table, a plain line this long (or a sentence) is prose again.
MAX_PLAIN_CELL = 40
MAX_TITLE = 60
SIGNOFF_WINDOW = 6
# Header lines of a layout table above its first row: at most this many are taken into it, and a
# line of one cell only when indented this far (a header cell sits in its column; a short line
# of prose starts at the margin or a paragraph indent).
MAX_LAYOUT_HEADER_LINES = 8
MIN_LAYOUT_HEADER_INDENT = 8

CHINESE_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
HEADING = re.compile(
    r"^(?P<lead>[ \t]*(?P<hashes>#{1,6})?[ \t]*)"
    r"(?P<ordinal>[一二三四五六七八九十]{1,3}[ \t]*[、.]|\([一二三四五六七八九十]{1,3}\)|\d{1,2}[ \t]*[.、])"
    r"(?P<rest>.*)$"
)
MARKDOWN_HASHES = re.compile(r"#{1,6}[ \t]+")
COMMENT_LINE = re.compile(r"^[ \t]*<!--.*?-->[ \t]*$")
# A heading whose text runs on into the paragraph: "（一）基本情况。2020年，我局…"
HEADING_TITLE_END = re.compile(r"[。:]")
MAX_HEADING_TITLE = 40


class _AcceptLineTerminals(PostLex):
    """Keeps the line terminals in the lexer although no grammar rule names them."""

    always_accept = tuple(sorted(LEXED_TABLE_OPENERS | {"DATE_LINE"}))

    def process(self, stream):
        return stream


@lru_cache(maxsize=1)
def grammar_parser() -> Lark:
    """The compiled LALR parser; Lark caches the tables on disk, so a run does not rebuild them."""
    grammar = resources.files("nianbao.grammars").joinpath("report.lark").read_text(encoding="utf-8")
    return Lark(
        grammar,
        parser="lalr",
        lexer="basic",
        postlex=_AcceptLineTerminals(),
        propagate_positions=True,
        maybe_placeholders=False,
        cache=True,
    )


@lru_cache(maxsize=1)
def page_footer() -> re.Pattern[str]:
    """The grammar's PAGE_FOOTER pattern ("- 2 -", "第 1 页 共 3 页"), for whole lines."""
    return re.compile(grammar_parser().get_terminal("PAGE_FOOTER").pattern.to_regexp())


def chinese_ordinal_value(text: str) -> int:
    """一 → 1, 十 → 10, 十二 → 12, 二十三 → 23."""
    if not text:
        return 0
    if text.isdigit():
        return int(text)
    if "十" in text:
        tens, _, units = text.partition("十")
        return CHINESE_DIGITS.get(tens, 1) * 10 + CHINESE_DIGITS.get(units, 0)
    return CHINESE_DIGITS.get(text, 0)


def _retype(token: Token, kind: str) -> Token:
    return Token.new_borrow_pos(kind, token.value, token)


def _is_title_like(text: str) -> bool:
    text = text.strip()
    if not text or len(text) > MAX_TITLE or "。" in text:
        return False
    return "报告" in text or ("政府信息公开" in text and "年" in text)


def _is_short_line(text: str, limit: int) -> bool:
    text = text.strip()
    return len(text) <= limit and "。" not in text


def classify_lines(tokens: list[Token]) -> list[Token]:
    """Retype line tokens by their context: title, sign-off, table cells."""
    out = list(tokens)
    if not out:
        return out
    _mark_title(out)
    signoff_date = _mark_signoff(out)
    in_table = False
    pipe_table = False
    for index, token in enumerate(out):
        kind = token.type
        if kind in ("TITLE", "TITLE_CONT", "SIGNOFF_BODY", "SIGNOFF_DATE"):
            in_table = False
            continue
        if (kind in LAYOUT_ROW_SOURCES or (in_table and kind == "SECTION_HEAD")) and is_layout_row(token.value):
            kind = LAYOUT_ROW
        if in_table:
            if kind == "SECTION_HEAD":
                in_table = False
            elif pipe_table and kind not in PIPE_KINDS:
                in_table = False
            elif (
                kind in ("TEXT", "DATE_LINE")
                and not _is_short_line(token.value, MAX_PLAIN_CELL)
                and not is_spaced_line(token.value)  # a header line of a layout table
            ):
                in_table = False
            else:
                out[index] = _retype(token, "CELL")
                continue
        if kind == LAYOUT_ROW:
            # The header lines above the first row belong to the table (no opener among them,
            # or the table would have started there).
            start = _layout_header_start(out, index)
            out[start] = _retype(out[start], "TABLE_START")
            for position in range(start + 1, index + 1):
                out[position] = _retype(out[position], "CELL")
            in_table = True
            pipe_table = False
        elif kind in TABLE_OPENERS and not (kind == "TAB_LINE" and not _is_short_line(token.value, MAX_TAB_CELL)):
            out[index] = _retype(token, "TABLE_START")
            in_table = True
            pipe_table = kind in PIPE_KINDS
        elif kind in ("DATE_LINE", "TAB_LINE") and index != signoff_date:
            out[index] = _retype(token, "TEXT")
    return out


def _layout_header_start(tokens: list[Token], index: int) -> int:
    """Index of the first line of a layout table whose first row is ``tokens[index]``."""
    start = index
    while start > 0 and index - start < MAX_LAYOUT_HEADER_LINES:
        before = tokens[start - 1]
        if before.type != "TEXT" or not _is_layout_header_line(before.value):
            break
        start -= 1
    return start


def _is_layout_header_line(text: str) -> bool:
    if is_spaced_line(text):
        return True
    indent = len(text) - len(text.lstrip(" "))
    return indent >= MIN_LAYOUT_HEADER_INDENT and _is_short_line(text, MAX_PLAIN_CELL)


def _mark_title(tokens: list[Token]) -> None:
    first = tokens[0]
    if first.type not in ("TEXT", "TAB_LINE"):
        return
    second = tokens[1] if len(tokens) > 1 else None
    second_text = second.value.strip() if second is not None and second.type == "TEXT" else ""
    if _is_title_like(first.value):
        tokens[0] = _retype(first, "TITLE")
        # "新余市商务局2019年度政府信息公开" + "工作报告"
        if "报告" not in first.value and second_text.endswith("报告") and len(second_text) <= 12:
            tokens[1] = _retype(second, "TITLE_CONT")
    elif (
        _is_short_line(first.value, 30)
        and second_text
        and "报告" in second_text
        and _is_title_like(second_text)
    ):
        # "某某县人民政府办公室" + "2021年政府信息公开工作年度报告"
        tokens[0] = _retype(first, "TITLE")
        tokens[1] = _retype(second, "TITLE_CONT")


def _mark_signoff(tokens: list[Token]) -> int | None:
    """Mark the closing date line (and the body line before it); return the date's index."""
    start = max(0, len(tokens) - SIGNOFF_WINDOW)
    for index in range(len(tokens) - 1, start - 1, -1):
        if tokens[index].type != "DATE_LINE":
            continue
        tokens[index] = _retype(tokens[index], "SIGNOFF_DATE")
        before = tokens[index - 1] if index > 0 else None
        if (
            before is not None
            and before.type in ("TEXT", "TAB_LINE")
            and _is_short_line(before.value, MAX_PLAIN_CELL)
        ):
            tokens[index - 1] = _retype(before, "SIGNOFF_BODY")
        return index
    return None


@dataclass
class ParseOutcome:
    report: Report


def parse_report(text: str, build_table) -> ParseOutcome:
    """Parse normalised ``text`` into a :class:`Report`.

    ``build_table(lines)`` turns a table block's lines into a :class:`Table` node; it is
    passed in so that the table renderings stay in one module (``nianbao.tables``).
    """
    parser = grammar_parser()
    unparsed: list[Unparsed] = []
    try:
        tokens = list(parser.lex(text))
    except UnexpectedInput as error:  # only possible with characters no terminal accepts
        position = getattr(error, "pos_in_stream", 0) or 0
        unparsed.append(Unparsed(Span(position, len(text)), text[position:], "无法识别的字符"))
        tokens = list(parser.lex(text[:position])) if position else []
    tokens = classify_lines(tokens)
    tree = _parse_tokens(parser, tokens, unparsed)
    builder = _TreeBuilder(text, build_table)
    report = builder.build(tree)
    report.unparsed.extend(unparsed)
    report.unparsed.sort(key=lambda node: node.span.start)
    return ParseOutcome(report)


def _parse_tokens(parser: Lark, tokens: list[Token], unparsed: list[Unparsed]) -> LarkTree | None:
    interactive = parser.parse_interactive("")
    for token in tokens:
        try:
            interactive.feed_token(token)
        except UnexpectedInput:
            # The grammar has no place for this line here: report it and go on.
            unparsed.append(
                Unparsed(Span(token.start_pos, token.end_pos), token.value, "此处不应出现的内容")
            )
    try:
        return interactive.feed_eof(tokens[-1] if tokens else None)
    except UnexpectedInput:
        return None


class _TreeBuilder:
    def __init__(self, text: str, build_table) -> None:
        self.text = text
        self.build_table = build_table

    def build(self, tree: LarkTree | None) -> Report:
        report = Report(Span(0, len(self.text)), title=None)
        if tree is None:
            return report
        for child in tree.children:
            if not isinstance(child, LarkTree):
                continue
            if child.data == "title":
                report.title = self._title(child)
            elif child.data == "preamble":
                report.preamble = self._nest(child.children)
            elif child.data == "section":
                self._add_section(report, child)
            elif child.data == "closing":
                self._closing(report, child)
        return report

    # --- pieces ---------------------------------------------------------------------

    def _title(self, tree: LarkTree) -> Title:
        tokens = [token for token in tree.children if isinstance(token, Token)]
        spans = [self._without_markdown_hashes(self._stripped_span(token)) for token in tokens]
        text = "".join(self.text[span.start : span.end] for span in spans)
        return Title(spans[0].cover(spans[-1]), text=text, lines=spans)

    def _add_section(self, report: Report, tree: LarkTree) -> None:
        head_token, *blocks = tree.children
        heading = self._heading(head_token, level=1)
        previous = report.sections[-1] if report.sections else None
        if previous is not None and heading.number <= previous.number and _reads_as_prose(heading.title):
            # "一、…" used as a list marker inside a section, not a new section.
            previous.body.extend(self._nest([_as_item(head_token), *blocks]))
            self._extend_span(previous)
            return
        section = Section(heading.span, heading)
        rest = self._heading_rest(head_token, heading)  # "六、其他需要报告的事项：无"
        section.body = ([rest] if rest is not None else []) + self._nest(blocks)
        report.sections.append(section)
        self._extend_span(section)

    def _closing(self, report: Report, tree: LarkTree) -> None:
        signoff_tree, trailer = tree.children
        body_token = date_token = None
        for token in signoff_tree.children:
            if token.type == "SIGNOFF_BODY":
                body_token = token
            else:
                date_token = token
        date_span = self._stripped_span(date_token)
        body_span = self._stripped_span(body_token) if body_token is not None else None
        report.signoff = SignOff(
            (body_span or date_span).cover(date_span),
            body=self.text[body_span.start : body_span.end] if body_span else None,
            body_span=body_span,
            date_text=self.text[date_span.start : date_span.end],
            date_span=date_span,
        )
        for item in trailer.children:
            token = item if isinstance(item, Token) else _first_token(item)
            end = _last_token(item).end_pos if isinstance(item, LarkTree) else item.end_pos
            span = Span(token.start_pos, end)
            report.unparsed.append(Unparsed(span, self.text[span.start : span.end], "落款之后的内容"))

    def _nest(self, blocks: Iterable) -> list[Node]:
        """Turn the flat block list into paragraphs, tables and sub-sections nested by heading level."""
        top: list[Node] = []
        stack: list[SubSection] = []
        for block in blocks:
            nodes, heading = self._block(block)
            if heading is not None:
                while stack and stack[-1].heading.level >= heading.level:
                    stack.pop()
                sub = SubSection(heading.span, heading)
                (stack[-1].body if stack else top).append(sub)
                stack.append(sub)
                target = sub.body
            else:
                target = stack[-1].body if stack else top
            target.extend(nodes)
            for sub in reversed(stack):  # innermost first, so outer spans see the grown inner ones
                self._extend_span(sub)
        return top

    def _block(self, block) -> tuple[list[Node], Heading | None]:
        if block.data == "paragraph":
            token = block.children[0]
            span = self._stripped_span(token)
            return [Paragraph(span, self.text[span.start : span.end])], None
        if block.data in ("subheading", "item"):
            token = block.children[0]
            level = 2 if block.data == "subheading" else 3
            heading = self._heading(token, level=level)
            rest = self._heading_rest(token, heading)
            return ([rest] if rest is not None else []), heading
        if block.data == "table":
            return self._table(block), None
        raise ValueError(f"unexpected block {block.data}")

    def _table(self, block: LarkTree) -> list[Node]:
        tokens = [token for token in block.children if isinstance(token, Token)]
        start = self.text.rfind("\n", 0, tokens[0].start_pos) + 1
        end = tokens[-1].end_pos
        lines: list[tuple[int, str]] = []
        offset = start
        for line in self.text[start:end].split("\n"):
            # Suppression comments and page footers (ignored by the grammar) are not cells.
            if not COMMENT_LINE.match(line) and not page_footer().fullmatch(line):
                lines.append((offset, line))
            offset += len(line) + 1
        return [self.build_table(lines)]

    def _heading(self, token: Token, level: int) -> Heading:
        span = self._stripped_span(token)
        line = self.text[span.start : span.end]
        match = HEADING.match(line)
        if match is None:  # cannot happen for the heading terminals; keep the text anyway
            return Heading(span, level, "", 0, line, span)
        ordinal = match.group("ordinal")
        digits = re.sub(r"[ \t、.()]", "", ordinal)
        rest = match.group("rest")
        title_start = span.start + match.start("rest") + (len(rest) - len(rest.lstrip()))
        title = rest.strip()
        cut = HEADING_TITLE_END.search(title)
        if cut is not None and cut.start() <= MAX_HEADING_TITLE:
            title = title[: cut.start()]
        elif len(title) > MAX_HEADING_TITLE:
            title = title[:0]
        title_span = Span(title_start, title_start + len(title))
        return Heading(
            Span(span.start, max(title_span.end, span.start + match.end("ordinal"))),
            level=level,
            ordinal=ordinal.strip(),
            number=chinese_ordinal_value(digits),
            title=title,
            title_span=title_span,
            markdown=bool(match.group("hashes")),
        )

    def _heading_rest(self, token: Token, heading: Heading) -> Paragraph | None:
        """The text after a heading's title on the same line, as a paragraph."""
        line_end = self._stripped_span(token).end
        start = heading.span.end
        while start < line_end and self.text[start] in "。: \t":
            start += 1
        if start >= line_end:
            return None
        return Paragraph(Span(start, line_end), self.text[start:line_end])

    def _without_markdown_hashes(self, span: Span) -> Span:
        """"# 某局2021年…报告" → the title text itself."""
        match = MARKDOWN_HASHES.match(self.text, span.start, span.end)
        return Span(match.end(), span.end) if match else span

    def _stripped_span(self, token: Token) -> Span:
        value = token.value
        start = token.start_pos + (len(value) - len(value.lstrip()))
        end = token.start_pos + len(value.rstrip())
        return Span(start, max(start, end))

    @staticmethod
    def _extend_span(node: Section | SubSection) -> None:
        for child in node.body:
            node.span = node.span.cover(child.span)


def _reads_as_prose(title: str) -> bool:
    return not title or len(title) > 25


def _as_item(token: Token) -> LarkTree:
    return LarkTree("item", [token])


def _first_token(tree: LarkTree) -> Token:
    return next(tree.scan_values(lambda value: isinstance(value, Token)))


def _last_token(tree: LarkTree) -> Token:
    return list(tree.scan_values(lambda value: isinstance(value, Token)))[-1]
