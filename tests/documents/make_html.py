"""Portal-style web pages made from the example reports, and faults injected into them.

A report is read with nianbao's own parser (title lines, headings, sign-off, the raw table
rows), laid out as a Chinese government portal publishes it — header, navigation, breadcrumb,
the title in an ``<h1>``, a "发布时间：… 来源：…" line, the article in a ``div.TRS_Editor``, share
and print buttons, a sidebar of related links, a footer — and written in UTF-8 or GBK. A
Markdown table's empty cells next to a label are its merges (``docs/examples/2021-template.md``),
written as ``colspan``/``rowspan``. Every block and cell keeps the span of the report text it
came from, so a fault injected into the page (:func:`change_cell`, :func:`drop_section`,
:func:`misspell_label`, :func:`insert_paragraph`) can be applied to the original report too
(:meth:`Change.apply`), and the page records the line and column where each cell's text is.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field, replace
from pathlib import Path

from nianbao.config.files import ConfigResolver
from nianbao.engine.linter import Linter
from nianbao.parse.tree import Heading, SignOff, Table
from nianbao.plugins.manager import load_plugins
from nianbao.read.source import read_path

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples"
TEMPLATE_2021 = EXAMPLES / "2021-template.md"

# Text of the portal around the article; none of it may reach the extracted report.
CHROME_MARKERS = ("网站地图", "无障碍浏览", "当前位置", "相关链接", "主办单位", "网站标识码", "分享到", "打印本页",
                  "关闭窗口", "智能问答")
_NUMBER = re.compile(r"[+\-]?\d+(?:\.\d+)?")


@dataclass
class Cell:
    text: str
    span: tuple[int, int]
    """Where the text is in the report file."""
    rowspan: int = 1
    colspan: int = 1


@dataclass
class Block:
    kind: str
    """``title``, ``heading``, ``paragraph``, ``signoff`` or ``table``."""
    text: str = ""
    span: tuple[int, int] = (0, 0)
    level: int = 0
    rows: list[list[Cell]] = field(default_factory=list)


@dataclass
class Model:
    """A report as blocks, with the report file's text the spans refer to."""

    path: Path
    source: str
    blocks: list[Block]
    sections: dict[int, tuple[int, int]]
    """Section number → the range of block indexes it covers."""

    @property
    def title(self) -> str:
        return "".join(block.text for block in self.blocks if block.kind == "title")

    def tables(self) -> list[Block]:
        return [block for block in self.blocks if block.kind == "table"]


@dataclass(frozen=True)
class Change:
    """What a fault changed: the report text at ``span`` became ``after`` (``before`` was there)."""

    description: str
    span: tuple[int, int]
    before: str
    after: str
    cell: tuple[int, int, int] | None = None
    """``(table, row, cell)`` 1-based, model rows and cells, for a changed cell."""

    def apply(self, source: str) -> str:
        start, end = self.span
        return source[:start] + self.after + source[end:]


@dataclass
class Page:
    html: str
    encoding: str
    declared: str
    cells: dict[tuple[int, int, int], tuple[int, int]]
    """``(table, row, cell)`` → line and column (1-based) of the cell's text in :attr:`html`."""

    @property
    def data(self) -> bytes:
        return self.html.encode(self.encoding)

    def write(self, path: Path) -> Path:
        path.write_bytes(self.data)
        return path


# --- the report as blocks ------------------------------------------------------------------------


def report_model(path: Path = TEMPLATE_2021) -> Model:
    """The report at ``path`` as nianbao parses it."""
    linter = Linter(load_plugins(entry_points=False), ConfigResolver(isolated=True))
    source = read_path(path)
    document = linter.parse(source)
    text = source.text

    def original(span) -> tuple[int, int]:
        return document.normalized.original_range(span)

    roles: dict[int, tuple[str, int]] = {}  # line start offset → (kind, level)
    tables: dict[int, tuple[Table, int]] = {}  # line start offset → (table, its end offset)
    report = document.report
    for line in report.title.lines if report.title else []:
        roles[_line_start(text, original(line)[0])] = ("title", 0)
    for node in report.walk():
        if isinstance(node, Heading):
            roles[_line_start(text, original(node.span)[0])] = ("heading", node.level)
        elif isinstance(node, SignOff):
            for span in (node.body_span, node.date_span):
                if span is not None:
                    roles[_line_start(text, original(span)[0])] = ("signoff", 0)
        elif isinstance(node, Table):
            start, end = original(node.span)
            tables[_line_start(text, start)] = (node, end)
    blocks: list[Block] = []
    starts: list[tuple[int, int]] = []  # block index, its start offset
    position = 0
    while position < len(text):
        end = text.find("\n", position)
        end = len(text) if end < 0 else end
        if position in tables:
            node, table_end = tables[position]
            for block in _table_blocks(node, text, original, markdown=node.rendering == "markdown"):
                blocks.append(block)
                starts.append((len(blocks) - 1, block.span[0]))
            position = text.find("\n", table_end)
            position = len(text) if position < 0 else position + 1
            continue
        line = text[position:end].rstrip("\r")
        if line.strip():
            kind, level = roles.get(position, ("paragraph", 0))
            lead = len(line) - len(line.lstrip())
            if kind in ("title", "heading") and line.lstrip().startswith("#"):
                lead = len(line) - len(line.lstrip().lstrip("#").lstrip())
            blocks.append(Block(kind, line[lead:].rstrip(), (position + lead, position + len(line.rstrip())), level))
            starts.append((len(blocks) - 1, position))
        position = end + 1
    sections = {}
    for section in report.sections:
        first, last = original(section.span)
        inside = [index for index, start in starts if first <= start < last]
        if inside:
            sections[section.number] = (inside[0], inside[-1] + 1)
    return Model(Path(path), text, blocks, sections)


def _line_start(text: str, offset: int) -> int:
    return text.rfind("\n", 0, offset) + 1


def _table_blocks(node: Table, text: str, original, *, markdown: bool) -> list[Block]:
    """The table's rows as HTML tables: one per run of rows without a blank line between (the
    parser reads consecutive Markdown tables as one block)."""
    groups: list[list[list[Cell]]] = []
    previous_end = None
    for row in node.rows:
        cells = []
        for cell in row.cells:
            start, end = original(cell.span)
            raw = text[start:end]
            cells.append(Cell(raw.strip(), (start + len(raw) - len(raw.lstrip()), start + len(raw.rstrip()))))
        row_start, row_end = original(row.span)
        if previous_end is None or "\n\n" in text[previous_end:row_start].replace("\r", ""):
            groups.append([])
        groups[-1].append(cells)
        previous_end = row_end
    return [
        Block("table", rows=_merged(rows) if markdown else rows, span=(rows[0][0].span[0], rows[-1][-1].span[1]))
        for rows in groups
    ]


def _merged(rows: list[list[Cell]]) -> list[list[Cell]]:
    """A rectangular table's empty cells folded into the label beside them: below a label when
    they lead their row and the label ends where they do, right of a label in a header row or
    before the row's next cell. Other empty cells stay empty cells."""
    owner: dict[tuple[int, int], Cell] = {}
    for r, row in enumerate(rows):
        width = len(row)
        gap = next((c for c, cell in enumerate(row) if cell.text), width)
        c = 0
        if r and 0 < gap < width and all((r - 1, column) in owner for column in range(gap + 1)):
            above = [owner[r - 1, column] for column in range(gap)]
            if all(cell.text for cell in above) and owner[r - 1, gap] is not above[-1]:
                for cell in {id(cell): cell for cell in above}.values():
                    cell.rowspan += 1
                for column in range(gap):
                    owner[r, column] = above[column]
                c = gap
        header = not any(_NUMBER.fullmatch(cell.text) for cell in row)
        while c < width:
            cell = row[c]
            run = c + 1
            while run < width and not row[run].text:
                run += 1
            if cell.text and not _NUMBER.fullmatch(cell.text) and run > c + 1 and (header or run < width):
                cell.colspan = run - c
            for column in range(c, c + cell.colspan):
                owner[r, column] = cell
            c += cell.colspan
    placed: set[int] = set()
    result = []
    for r, row in enumerate(rows):
        line = []
        for c in range(len(row)):
            cell = owner[r, c]
            if id(cell) not in placed:
                placed.add(id(cell))
                line.append(cell)
        result.append(line)
    return result


# --- faults --------------------------------------------------------------------------------------


def change_cell(model: Model, table: int, row: int, cell: int, value: str) -> tuple[Model, Change]:
    """Cell ``cell`` of model row ``row`` of table ``table`` (all 1-based) now holds ``value``."""
    blocks = [replace(block, rows=[[replace(item) for item in line] for line in block.rows]) for block in model.blocks]
    target = [block for block in blocks if block.kind == "table"][table - 1].rows[row - 1][cell - 1]
    change = Change(f"表{table}第{row}行第{cell}格“{target.text}”改为“{value}”", target.span, target.text, value,
                    (table, row, cell))
    target.text = value
    return replace(model, blocks=blocks), change


def misspell_label(model: Model, table: int, wrong: str, right: str) -> tuple[Model, Change]:
    """The first cell of table ``table`` holding ``right`` now says ``wrong``."""
    for row_number, line in enumerate(model.tables()[table - 1].rows, 1):
        for cell_number, item in enumerate(line, 1):
            if right in item.text:
                new, change = change_cell(model, table, row_number, cell_number, item.text.replace(right, wrong))
                return new, replace(change, description=f"表{table}的“{right}”误写为“{wrong}”")
    raise ValueError(f"表{table}中没有“{right}”")


def drop_section(model: Model, number: int) -> tuple[Model, Change]:
    """Section ``number`` (its heading and everything in it) is gone."""
    first, last = model.sections[number]
    start, end = model.blocks[first].span[0], model.blocks[last - 1].span[1]
    change = Change(f"删去第{number}部分", (start, end), model.source[start:end], "")
    return replace(model, blocks=model.blocks[:first] + model.blocks[last:]), change


def insert_paragraph(model: Model, after: int, text: str) -> tuple[Model, Change]:
    """A paragraph ``text`` after block ``after`` (spam, web residue…), inside the article."""
    offset = model.blocks[after].span[1]
    block = Block("paragraph", text, (offset, offset))
    change = Change(f"在第{after + 1}段后插入“{text}”", (offset, offset), "", "\n\n" + text)
    return replace(model, blocks=model.blocks[: after + 1] + [block] + model.blocks[after + 1 :]), change


# --- the page ------------------------------------------------------------------------------------


def render(model: Model, *, encoding: str = "utf-8", declared: str | None = None, layout: str = "div",
           published: str = "2022-01-20", source_name: str = "某某县市场监督管理局") -> Page:
    """The portal page: ``encoding`` of its bytes, ``declared`` the charset its ``<meta>`` names
    (the encoding when not given), ``layout`` ``div`` or ``table`` (an old portal's nested tables)."""
    declared = declared or {"gbk": "gb2312"}.get(encoding, encoding)
    out = _Lines()
    title = html.escape(model.title, quote=False)
    out.add("<!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML 1.0 Transitional//EN\">")
    out.add("<html>")
    out.add("<head>")
    out.add(f'<meta http-equiv="Content-Type" content="text/html; charset={declared}">')
    out.add(f'<meta name="PubDate" content="{published} 09:30">')
    out.add(f'<meta name="ContentSource" content="{source_name}">')
    out.add(f"<title>{title}_某某县人民政府</title>")
    out.add('<link rel="stylesheet" href="/css/style.css"><script src="/js/jquery.min.js"></script>')
    out.add("<style>.TRS_Editor p { text-indent: 2em; } td { border: 1px solid #000; }</style>")
    out.add("</head>")
    out.add("<body>")
    out.add('<div class="top"><a href="/">网站地图</a> | <a href="/wza">无障碍浏览</a> | 智能问答</div>')
    out.add('<div class="header"><img src="/images/logo.png" alt="某某县人民政府"><h1 class="site">某某县人民政府</h1></div>')
    out.add('<ul class="nav"><li><a href="/">首页</a></li><li><a href="/zwgk">政务公开</a></li>'
            '<li><a href="/xxgk">政府信息公开年报</a></li><li><a href="/hdjl">互动交流</a></li></ul>')
    if layout == "table":
        out.add('<table width="1000" align="center"><tr><td width="240" class="left">')
        _sidebar(out)
        out.add('</td><td width="760" valign="top">')
    out.add('<div class="position">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk">政务公开</a> &gt; 年度报告</div>')
    out.add('<div class="article">')
    title_blocks = [block for block in model.blocks if block.kind == "title"]
    if title_blocks:
        out.add('<h1 class="article-title">' + "<br>".join(html.escape(b.text, quote=False) for b in title_blocks)
                + "</h1>")
    out.add(f'<div class="info">发布时间：{published}&nbsp;&nbsp;来源：{source_name}&nbsp;&nbsp;'
            '【字体：<a href="#">大</a> <a href="#">中</a> <a href="#">小</a>】'
            '<script>document.write("浏览次数：" + hits);</script></div>')
    out.add('<div class="TRS_Editor">')
    _article(model, out)
    out.add("</div>")
    out.add('<div class="share">分享到：<a href="#">微信</a> <a href="#">微博</a></div>')
    out.add('<div class="print"><a href="javascript:window.print()">【打印本页】</a>'
            '<a href="javascript:window.close()">【关闭窗口】</a></div>')
    out.add("</div>")
    if layout == "table":
        out.add("</td></tr></table>")
    else:
        _sidebar(out)
    out.add('<div class="footer"><p>主办单位：某某县人民政府办公室&nbsp;&nbsp;地址：某某县人民路1号</p>'
            "<p>网站标识码：1234000001&nbsp;&nbsp;<a href=\"https://beian.miit.gov.cn\">某ICP备12345678号</a></p>"
            '<script type="text/javascript">var hits = 1024; fetch("/count?id=1");</script></div>')
    out.add("</body>")
    out.add("</html>")
    return Page(out.text(), encoding, declared, out.cells)


def _sidebar(out: _Lines) -> None:
    out.add('<div class="sidebar"><h3>相关链接</h3><ul>')
    for name in ("某某县2020年政府信息公开工作年度报告", "某某县人民政府门户网站", "中国政府网"):
        out.add(f'<li><a href="/link">{name}</a></li>')
    out.add("</ul></div>")


def _article(model: Model, out: _Lines) -> None:
    table_number = 0
    for block in model.blocks:
        text = html.escape(block.text, quote=False)
        if block.kind == "title":
            continue
        if block.kind == "heading" and block.level == 1:
            out.add(f'<p style="text-indent:2em"><strong><span style="font-family:黑体">{text}</span></strong></p>')
        elif block.kind == "heading":
            out.add(f'<p style="text-indent:2em"><span style="font-family:楷体">{text}</span></p>')
        elif block.kind == "signoff":
            out.add(f'<p style="text-align:right">{text}</p>')
        elif block.kind == "paragraph":
            out.add('<p style="text-indent:2em">')
            # Editors wrap long paragraphs; between two Chinese characters the break is invisible.
            cut = _wrap_point(block.text)
            if cut:
                out.add("  " + html.escape(block.text[:cut], quote=False))
                out.add("  " + html.escape(block.text[cut:], quote=False) + "</p>")
            else:
                out.add("  " + text + "</p>")
        elif block.kind == "table":
            table_number += 1
            _table(block, table_number, out)


def _wrap_point(text: str) -> int | None:
    if len(text) < 60:
        return None
    for cut in range(len(text) // 2, len(text) - 1):
        if all("\u4e00" <= char <= "\u9fff" for char in text[cut - 1 : cut + 1]):
            return cut
    return None


def _table(block: Block, number: int, out: _Lines) -> None:
    out.add('<table border="1" cellspacing="0" cellpadding="0" style="border-collapse:collapse;width:100%">')
    out.add("<tbody>")
    for row_number, row in enumerate(block.rows, 1):
        out.add("<tr>")
        for cell_number, cell in enumerate(row, 1):
            spans = "".join(
                f' {name}="{value}"' for name, value in (("rowspan", cell.rowspan), ("colspan", cell.colspan)) if value > 1
            )
            prefix = f'  <td{spans} valign="middle"><p align="center"><span style="font-size:12px">'
            out.add(prefix + html.escape(cell.text, quote=False) + "</span></p></td>",
                    key=(number, row_number, cell_number), column=len(prefix) + 1)
        out.add("</tr>")
    out.add("</tbody>")
    out.add("</table>")


class _Lines:
    def __init__(self) -> None:
        self.lines: list[str] = []
        self.cells: dict[tuple[int, int, int], tuple[int, int]] = {}

    def add(self, line: str, *, key: tuple[int, int, int] | None = None, column: int = 1) -> None:
        self.lines.append(line)
        if key is not None:
            self.cells[key] = (len(self.lines), column)

    def text(self) -> str:
        return "\n".join(self.lines) + "\n"
