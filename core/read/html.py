"""Web pages: the report as a government portal shows it, without the portal around it.

A report published on a portal sits in an article container (``div.TRS_Editor``, ``div#zoom``…)
inside the site's chrome: header, navigation, breadcrumbs, sidebars, share and print buttons,
footer. The reader

1. decodes the page (:mod:`nianbao.read.html_decode`) and parses the string with the safe lxml
   HTML parser (no network, no entities; nothing is fetched or run, scripts and styles are dropped);
2. finds the article by the readability scoring of text blocks (their length and punctuation
   credited to their container and its parent, weighted by class/id hints and discounted by link
   density), with the portals' usual container names as strong priors; residue *inside* the
   article stays, so rules can report it;
3. keeps the report's title when the page shows it above the article (an ``<h1>`` outside the
   container) and takes the publication date and source from the page's meta data or from the
   "发布时间：… 来源：…" line above the article (:class:`~nianbao.read.source.SourceFacts`);
4. writes the text as a browser lays it out (block elements break lines, whitespace collapses,
   a line break between two Chinese characters disappears, ``&nbsp;`` is a space) and each table
   without nested tables as a grid with its merges; a table holding tables is page layout and is
   read as a container;
5. maps every character to its offset in the decoded page, so diagnostics point at the page's
   own lines and columns.

``readability-lxml`` and ``trafilatura`` implement the same scoring but rebuild the tree and lose
where each character came from; the scoring here is theirs, kept compact.
"""

from __future__ import annotations

import re
import time
import unicodedata
from typing import TYPE_CHECKING, Callable, Iterable

from nianbao.read.assemble import Grid, GridCell, TextAssembler
from nianbao.read.html_decode import RAW_TEXT_TAGS, SourcePositions, decode_html, parser_input, text_nodes
from nianbao.read.source import ReadError, SourceFacts, SourceText, iso_date
from nianbao.text.location import Place

if TYPE_CHECKING:
    from nianbao.read.formats import ReadLimits

__all__ = ["read_html"]

_LABEL = "网页（HTML）"

# Elements that start and end a line. Everything else flows inline.
_BLOCKS = frozenset({
    "address", "article", "aside", "blockquote", "body", "caption", "center", "dd", "details", "dialog", "dir",
    "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6",
    "header", "hgroup", "hr", "html", "legend", "li", "main", "menu", "nav", "ol", "p", "pre", "section",
    "summary", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul", "option",
})
# Never shown as text: scripts and styles, what only scripting shows, form controls, embeds.
_SKIPPED = RAW_TEXT_TAGS | frozenset({
    "head", "noscript", "template", "select", "button", "input", "object", "embed", "svg", "math", "map",
    "audio", "video", "canvas",
})
# Text blocks that are paragraphs: their score goes to the element holding them.
_PARAGRAPHS = frozenset({"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "pre", "blockquote", "dd", "dt", "caption",
                         "address", "figcaption", "center", "font", "span"})
_SEGMENT_SPACE = " \t\n\r\f"

# Readability's class/id hints, with the containers Chinese portal systems (TRS, Hanweb, …) use.
_PORTAL_CONTAINER = re.compile(
    r"TRS_Editor|TRS_UEDITOR|\bzoom\b|article[-_]?con|xxgk[-_]?(?:content|con|nr|main|detail)|pages?[-_]?content"
    r"|zwnr|wzcon|news[-_]?content|detail[-_]?content|content[-_]?text|Custom_UnionStyle|art[-_]?text",
    re.IGNORECASE,
)
_POSITIVE = re.compile(r"article|body|content|entry|main|page|post|text|story|detail|zoom|\bcon\b|\bnr\b|\bzw",
                       re.IGNORECASE)
_NEGATIVE = re.compile(
    r"nav|menu|header|banner|breadcrumb|crumb|position|location|dqwz|sidebar|\bside|aside|foot|copyright|share"
    r"|print|toolbar|\btool|related|xglj|links?\b|friend|comment|search|login|advert|\bad\b|widget|sponsor"
    r"|popup|\bqr",
    re.IGNORECASE,
)
_TAG_WEIGHTS = {
    "div": 5, "td": 3, "pre": 3, "blockquote": 3, "article": 10, "main": 10,
    "form": -3, "address": -3, "ol": -3, "ul": -3, "dl": -3, "dd": -3, "dt": -3, "li": -3,
    "h1": -5, "h2": -5, "h3": -5, "h4": -5, "h5": -5, "h6": -5, "th": -5,
    "nav": -50, "header": -50, "footer": -50, "aside": -50,
}
_PUNCTUATION = re.compile(r"[，,。；;、：:！？]")
_MIN_BLOCK_CHARS = 20
# A report page has a few thousand elements; Word's HTML export of a long one some tens of thousands.
_MAX_ELEMENTS = 300_000
_SPAN_BUDGET = 100_000  # grid rows all the rowspans of one table may cover together

_DATE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})")
_DATE_META = frozenset({
    "pubdate", "publishdate", "publish_date", "publishtime", "article:published_time", "dc.date",
    "dc.date.issued", "dcterms.issued", "dcterms.date", "articlepublishdate", "firstpublishedtime",
    "og:release_date", "date", "releasedate",
})
_SOURCE_META = ("contentsource", "source", "dc.publisher", "author", "dc.creator")
_DATE_LINE = re.compile(r"(?:发布|发文|公开|生成|成文)(?:时间|日期)\s*[:：]?\s*|(?:时间|日期)\s*[:：]\s*")
_SOURCE_LINE = re.compile(r"(?:来源|信息来源|发布机构|发文机关|发布单位)\s*[:：]\s*([^\s|｜【\[（(]{2,40})")
_REPORT_TITLE = re.compile(r"报告|報告|年报|年報")


def read_html(data: bytes, path: str, limits: ReadLimits) -> SourceText:
    """The report text of a web page, each character mapped to its offset in the page."""
    deadline = time.monotonic() + limits.max_seconds
    decoded = decode_html(data, path)
    page = decoded.text
    root = _parse(page)
    body = root.find("body")
    positions = _positions(root, page, deadline)
    assembler = TextAssembler(file_offsets=True)
    facts = SourceFacts()
    if body is not None:
        container = _article(body)
        before = _text_before(body, container[0])
        title = _outside_title(body, container[0])
        # No container stands out (a short page): the whole body, less what is plainly chrome.
        flow = _Flow(positions, assembler, deadline, drop_chrome=container == [body])
        if title is not None:
            flow.walk(title)
            flow.end_line()
        for element in container:
            flow.walk(element)
        flow.end_line()
        facts = _facts(root, before, title)
    return assembler.result(path, "html", facts, file_text=page, encoding=decoded.encoding)


def _parse(page: str):
    from lxml import etree

    from nianbao.read.safety import xml_parser

    parser = xml_parser(html=True)
    try:
        root = etree.fromstring(parser_input(page), parser=parser)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError) as error:
        if not page.strip():
            raise ReadError(f"{_LABEL}是空的，没有可读取的内容", "damaged") from None
        raise ReadError(f"{_LABEL}无法解析（{error}）", "damaged") from None
    for entry in parser.error_log:
        if entry.level_name == "FATAL" and "depth" in entry.message.lower():
            raise ReadError(f"{_LABEL}结构嵌套过深（第 {entry.line} 行附近超过 255 层），无法读取", "damaged")
        if entry.level_name == "FATAL":
            raise ReadError(f"{_LABEL}第 {entry.line} 行附近有一段过长的内容（超过 10 MB），无法读取", "too-large")
    if root is None:
        raise ReadError(f"{_LABEL}是空的，没有可读取的内容", "damaged")
    if sum(1 for _ in root.iter()) > _MAX_ELEMENTS:
        raise ReadError(f"{_LABEL}的元素过多（超过 {_MAX_ELEMENTS} 个），不像是一份年度报告，已拒绝读取", "too-large")
    return root


def _positions(root, page: str, deadline: float) -> dict:
    """``(element, "text" | "tail") → offsets`` of every text node, scanned once in document order."""
    scanner = SourcePositions(page)
    positions = {}
    for count, (element, kind, text) in enumerate(text_nodes(root)):
        if count % 1024 == 0:
            _check_time(deadline)
        positions[element, kind] = scanner.map_node(element, kind, text)
    return positions


def _check_time(deadline: float) -> None:
    if time.monotonic() > deadline:
        raise ReadError(f"{_LABEL}过于复杂，读取超时", "timeout")


def _tag(element) -> str | None:
    tag = element.tag
    return tag.lower() if isinstance(tag, str) else None


# --- the article container ---------------------------------------------------------------------


def _article(body) -> list:
    """The elements holding the article, in document order: the best-scored container and the
    siblings that score nearly as well (readability's sibling rule)."""
    measures = _Measures(body)
    scores = measures.candidate_scores()
    if not scores:
        return [body]
    top = max(scores, key=lambda element: (scores[element], -measures.depth[element]))
    parent = top.getparent()
    if parent is None or top is body:
        return [top]
    threshold = max(10.0, scores[top] * 0.2)
    chosen = []
    for sibling in parent:
        if sibling is top or scores.get(sibling, -1.0) >= threshold:
            chosen.append(sibling)
        elif _tag(sibling) == "p" and measures.chars[sibling] >= 80 and measures.link_density(sibling) < 0.25:
            chosen.append(sibling)
    return chosen


class _Measures:
    """Text and link characters per element, and the text blocks readability scores."""

    def __init__(self, body) -> None:
        self.chars: dict = {}
        self.links: dict = {}
        self.depth: dict = {}
        self.block_text: dict = {}  # block element → (characters, punctuation marks) of its own text
        block_of: dict = {}
        in_link: dict = {}
        elements = list(body.iter())
        for element in elements:
            parent = element.getparent()
            tag = _tag(element)
            self.chars[element] = self.links[element] = 0
            self.depth[element] = self.depth.get(parent, -1) + 1
            block_of[element] = element if tag in _BLOCKS or element is body else block_of.get(parent, body)
            in_link[element] = tag == "a" or in_link.get(parent, False)
        for element, kind, text in text_nodes(body, _SKIPPED):
            owner = element if kind == "text" else element.getparent()
            block = block_of[owner]
            count = len(text) - sum(text.count(space) for space in _SEGMENT_SPACE)
            self.chars[owner] += count
            if in_link[owner]:
                self.links[owner] += count
            characters, marks = self.block_text.get(block, (0, 0))
            self.block_text[block] = (characters + count, marks + len(_PUNCTUATION.findall(text)))
        for element in reversed(elements):  # children before their parents
            parent = element.getparent()
            if parent is not None and element is not body:
                self.chars[parent] += self.chars[element]
                self.links[parent] += self.links[element]

    def link_density(self, element) -> float:
        return self.links[element] / self.chars[element] if self.chars[element] else 0.0

    def candidate_scores(self) -> dict:
        credit: dict = {}
        for block, (characters, marks) in self.block_text.items():
            if characters < _MIN_BLOCK_CHARS:
                continue
            score = 1 + marks + min(characters / 100, 3)
            holder = block.getparent() if _is_paragraph(block) else block
            for element, share in ((holder, 1.0), (holder.getparent() if holder is not None else None, 0.5)):
                if element is not None and element in self.chars:
                    credit[element] = credit.get(element, 0.0) + score * share
        return {
            element: (score + _class_weight(element)) * (1 - self.link_density(element))
            for element, score in credit.items()
        }


def _is_paragraph(element) -> bool:
    """Whether a text block is a paragraph of its parent rather than a container of its own text
    (a container named like one, such as a TRS_Editor holding lines split by <br>, is not)."""
    tag = _tag(element)
    if tag in _PARAGRAPHS:
        return True
    if tag not in ("div", "section", "article") or any(_tag(child) in _BLOCKS for child in element):
        return False
    hints = f"{element.get('class', '')} {element.get('id', '')}"
    return not (_PORTAL_CONTAINER.search(hints) or _POSITIVE.search(hints))


def _is_chrome(element) -> bool:
    if _tag(element) in ("nav", "header", "footer", "aside"):
        return True
    return bool(_NEGATIVE.search(f"{element.get('class', '')} {element.get('id', '')}"))


def _class_weight(element) -> float:
    hints = f"{element.get('class', '')} {element.get('id', '')}".strip()
    weight = _TAG_WEIGHTS.get(_tag(element), 0)
    if hints:
        if _PORTAL_CONTAINER.search(hints):
            weight += 50
        elif _POSITIVE.search(hints):
            weight += 25
        if _NEGATIVE.search(hints):
            weight -= 25
    return weight


# --- what the page says above the article -------------------------------------------------------


def _text_before(body, start) -> str:
    """The page's text before the article, one text node a line (for the date and source)."""
    pieces = []
    for element, kind, text in text_nodes(body, _SKIPPED):
        if element is start or start in element.iterancestors():
            break
        pieces.append(text.strip())
    return "\n".join(piece for piece in pieces if piece)


def _outside_title(body, start):
    """The heading above the article that is the report's title, when the article lacks it."""
    found = None
    for element in body.iter():
        if element is start:
            break
        tag = _tag(element)
        hints = f"{element.get('class', '')} {element.get('id', '')}".lower()
        if tag in ("h1", "h2", "h3") or (tag in ("div", "td", "p") and re.search(r"title|\bbt\b|tit\b", hints)):
            text = " ".join("".join(element.itertext()).split())
            if (6 <= len(text) <= 120 and _REPORT_TITLE.search(text)
                    and not any(_is_chrome(above) for above in element.iterancestors())):
                found = element  # the last one before the article: a sidebar's "往年年度报告" is chrome
    if found is None or start in found.iterancestors():
        return None
    title = "".join("".join(found.itertext()).split())
    opening = "".join("".join(start.itertext()).split())[: len(title) + 40]
    return None if title in opening else found


def _facts(root, before: str, title_element) -> SourceFacts:
    meta = {}
    for element in root.iter("meta"):
        key = (element.get("name") or element.get("property") or element.get("itemprop") or "").strip().lower()
        if key and key not in meta and element.get("content"):
            meta[key] = element.get("content").strip()
    published = next((found for key in meta if key in _DATE_META and (found := _iso(meta[key]))), None)
    if published is None:
        for match in _DATE_LINE.finditer(before):
            published = _iso(before[match.end() : match.end() + 24], anchored=True)
            if published:
                break
    author = meta.get("contentsource")
    if author is None:
        match = _SOURCE_LINE.search(before)
        author = match.group(1) if match else next((meta[key] for key in _SOURCE_META if meta.get(key)), None)
    title_node = root.find(".//title")
    title = " ".join((title_node.text or "").split()) if title_node is not None else ""
    if not title and title_element is not None:
        title = " ".join("".join(title_element.itertext()).split())
    return SourceFacts(title=title or None, published=published, author=author)


def _iso(text: str, *, anchored: bool = False) -> str | None:
    return iso_date(_DATE.match(text.strip()) if anchored else _DATE.search(text))


# --- text and tables ---------------------------------------------------------------------------


class _Flow:
    """Lays out elements as a browser does: a line per block, tables as grids."""

    def __init__(self, positions: dict, assembler: TextAssembler | None, deadline: float,
                 on_line: Callable[[str, list[int]], None] | None = None, *, drop_chrome: bool = False) -> None:
        self._positions = positions
        self._deadline = deadline
        self._drop_chrome = drop_chrome
        self._assembler = assembler
        self._on_line = on_line or self._emit
        self._chars: list[str] = []
        self._offsets: list[int] = []
        self._preformatted = 0
        self._paragraphs = 0
        self._tables = 0

    def walk(self, element) -> None:
        tag = _tag(element)
        if tag is None or tag in _SKIPPED or (self._drop_chrome and _is_chrome(element)):
            return
        if tag == "br":
            self.end_line()
            return
        _check_time(self._deadline)
        if tag == "table" and self._assembler is not None and self._table(element):
            return
        block = tag in _BLOCKS
        if block:
            self.end_line()
        self._preformatted += tag in ("pre", "textarea", "listing")
        self._add(element, "text")
        for child in element:
            self.walk(child)
            self._add(child, "tail")
        self._preformatted -= tag in ("pre", "textarea", "listing")
        if block:
            self.end_line()

    def end_line(self) -> None:
        if self._chars:
            text, offsets = _collapse(self._chars, self._offsets, preformatted=bool(self._preformatted))
            self._chars, self._offsets = [], []
            for line, line_offsets in _split_lines(text, offsets):
                self._on_line(line, line_offsets)

    def _add(self, element, kind: str) -> None:
        text = element.text if kind == "text" else element.tail
        if text:
            self._chars.extend(text)
            self._offsets.extend(self._positions.get((element, kind)) or [self._last_offset()] * len(text))

    def _last_offset(self) -> int:
        return self._offsets[-1] if self._offsets else 0

    def _emit(self, text: str, offsets: list[int]) -> None:
        self._paragraphs += 1
        self._assembler.line(text, Place(paragraph=self._paragraphs), file_offsets=offsets)

    def _table(self, table) -> bool:
        """A data table as a grid; False for a layout table (holding tables, or one column wide)."""
        if next(table.iterdescendants("table"), None) is not None:
            return False
        grid = _grid(table, self._positions, self._deadline)
        if grid.width <= 1:
            return False
        self.end_line()
        for caption in table.iterchildren("caption"):
            self.walk(caption)
        self.end_line()
        if any(cell.text.strip() for cell in grid.cells()):
            self._tables += 1
            self._assembler.table(grid, self._tables)
        return True


def _grid(table, positions: dict, deadline: float) -> Grid:
    """The table's cells at their grid positions, ``rowspan``/``colspan`` expanded (HTML's table
    model: a cell takes the first column left free by the cells spanning down from rows above)."""
    rows = list(_table_rows(table))
    from_above: list[list[tuple[int, int]]] = [[] for _ in rows]  # per row: columns taken by rowspans
    budget = _SPAN_BUDGET
    grid = Grid()
    for row_index, row in enumerate(rows):
        taken = sorted(from_above[row_index])
        from_above[row_index] = []
        cells = []
        column = 1
        index = 0
        for cell in row.iterchildren("td", "th"):
            while index < len(taken) and taken[index][0] <= column:
                column = max(column, taken[index][1] + 1)
                index += 1
            rowspan = _span(cell.get("rowspan"), len(rows) - row_index)
            colspan = _span(cell.get("colspan"), 1000)
            if rowspan > budget:
                rowspan = 1  # a hostile table: spans past any real one would cost unbounded time
            budget -= rowspan - 1
            for below in from_above[row_index + 1 : row_index + rowspan]:
                below.append((column, column + colspan - 1))
            text, offsets = _cell_text(cell, positions, deadline)
            cells.append(GridCell(text, row_index + 1, column, rowspan, colspan, file_offsets=offsets))
            column += colspan
        grid.rows.append(cells)
    return grid


def _table_rows(table) -> Iterable:
    for child in table:
        tag = _tag(child)
        if tag == "tr":
            yield child
        elif tag in ("thead", "tbody", "tfoot"):
            yield from child.iterchildren("tr")


def _span(value: str | None, limit: int) -> int:
    """A span attribute as browsers read it: leading digits, at least 1 (0 = to the end), capped."""
    match = re.match(r"\s*(\d+)", value or "")
    if match is None:
        return 1
    number = int(match.group(1)[:6])
    return limit if number == 0 else max(1, min(number, limit))


def _cell_text(cell, positions: dict, deadline: float) -> tuple[str, list[int]]:
    lines: list[tuple[str, list[int]]] = []
    flow = _Flow(positions, None, deadline, lambda text, offsets: lines.append((text, offsets)))
    flow.walk(cell)
    flow.end_line()
    text, offsets = "", []
    for line, line_offsets in lines:
        if text:
            text += " "
            offsets.append(offsets[-1])
        text += line
        offsets.extend(line_offsets)
    return text, offsets


def _collapse(chars: list[str], offsets: list[int], *, preformatted: bool) -> tuple[str, list[int]]:
    """Whitespace as CSS ``white-space: normal`` renders it: a run of spaces, tabs and line breaks
    is one space, none at the line's ends, and none for a line break between two wide (Chinese)
    characters; a no-break space is a space that does not collapse; full-width spaces stay."""
    out: list[str] = []
    kept: list[int] = []
    pending: list | None = None  # [offset of the run, whether it holds a line break]
    for char, offset in zip(chars, offsets):
        if preformatted:
            out.append(" " if char == "\xa0" else char)
            kept.append(offset)
            continue
        if char in _SEGMENT_SPACE:
            if pending is None:
                pending = [offset, char in "\n\r"]
            elif char in "\n\r":
                pending[1] = True
            continue
        if pending is not None:
            if out and not (pending[1] and _wide(out[-1]) and _wide(char)):
                out.append(" ")
                kept.append(pending[0])
            pending = None
        out.append(" " if char == "\xa0" else char)
        kept.append(offset)
    return "".join(out), kept


def _split_lines(text: str, offsets: list[int]) -> Iterable[tuple[str, list[int]]]:
    """Preformatted text keeps its line breaks; each line is trimmed of spaces at its ends."""
    start = 0
    for index in [*(i for i, char in enumerate(text) if char in "\n\r"), len(text)]:
        line = text[start:index]
        lead = len(line) - len(line.lstrip(" \t"))
        trail = len(line.rstrip(" \t"))
        if trail > lead:
            yield line[lead:trail], offsets[start + lead : start + trail]
        start = index + 1


def _wide(char: str) -> bool:
    return unicodedata.east_asian_width(char) in ("W", "F") and not ("\uac00" <= char <= "\ud7af")
