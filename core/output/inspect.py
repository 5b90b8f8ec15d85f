"""What nianbao saw in a file, for people checking it: ``nianbao extract`` and ``nianbao parse``.

``extract`` shows the text a reader took out of a DOCX, PDF or web page, line by line, with the
place in the original each line comes from, so a user can see what the rules read. ``parse``
shows the syntax tree, the report's facts and the recognised tables.
"""

from __future__ import annotations

from wcwidth import wcswidth

from nianbao.read.source import SourceText

__all__ = ["render_extract", "render_parse"]

_FORMAT_NAMES = {"text": "文本", "html": "网页（HTML）", "docx": "Word/WPS 文档", "pdf": "PDF", "ofd": "OFD 版式文件"}
_PLACE_WIDTH = 22


def render_extract(source: SourceText, tables: bool = False) -> str:
    """The extracted text, one numbered line each with where it starts in the original."""
    facts = source.facts
    out = [f"# {source.path}（{_FORMAT_NAMES.get(source.format, source.format)}"
           + (f"，{facts.pages} 页" if facts.pages else "") + "）"]
    for label, value in (("标题", facts.title), ("发布日期", facts.published), ("作者", facts.author),
                         ("创建", facts.created), ("修改", facts.modified), ("生成程序", facts.producer)):
        if value:
            out.append(f"# {label}：{value}")
    if facts.ocr_pages:
        out.append(f"# 由扫描图像识别文字的页：{'、'.join(str(page) for page in facts.ocr_pages)}")
    origin = source.origin
    offset = 0
    for number, line in enumerate(source.text.split("\n"), 1):
        if origin is None:
            out.append(f"{number:>5} │ {line}")
        else:
            start = offset + len(line) - len(line.lstrip())
            where = _where(source, start, len(line.strip()))
            out.append(f"{number:>5}  {where}{' ' * max(_PLACE_WIDTH - wcswidth(where), 1)}│ {line}")
        offset += len(line) + 1
    if tables and origin is not None:
        out.extend(_table_cells(source))
    return "\n".join(out).rstrip("\n") + "\n"


def _where(source: SourceText, start: int, length: int) -> str:
    origin = source.origin
    if not length:
        return ""
    if origin.file_text is not None:
        location = origin.locate(start, start + 1, None)
        return f"L{location.line}:C{location.column}"
    place = origin.place(start, start + 1)
    if place is None:
        return ""
    if place.table is not None:  # a row line: the row, not its first cell
        return f"第{place.page}页 表{place.table} 第{place.row}行" if place.page else f"表{place.table} 第{place.row}行"
    return place.describe()


def _table_cells(source: SourceText) -> list[str]:
    """Every table cell with its grid position, as the reader found them."""
    origin = source.origin
    out: list[str] = []
    ends = [*origin.starts[1:], len(source.text)]
    current = None
    for start, end, place in zip(origin.starts, ends, origin.places):
        if place.table is None:
            continue
        if place.table != current:
            current = place.table
            out.extend(["", f"表{place.table}" + (f"（第{place.page}页起）" if place.page else "")])
        text = source.text[start:end].strip().strip("|").strip()
        out.append(f"  第{place.row}行第{place.column}列: {text or '□'}")
    return out


_SOURCE_LABELS = {"report": "报告", "path": "路径模式", "mapping": "对照文件"}


def _describe_identity(identity) -> str:
    """"机关 商务局，地区 淮安市，市级，年度 2021（机关、地区来自报告，年度来自路径模式）"."""
    if identity.body is None:
        return "未能确定机关（标题和落款都没有机关名称；可在 [identity] 中用路径模式或对照文件指定）"
    parts = [f"机关 {identity.body}", f"地区 {identity.region or '未写明'}"]
    if identity.level_label:
        parts.append(identity.level_label)
    parts.append(f"年度 {identity.year if identity.year is not None else '未知'}")
    sources: dict[str, list[str]] = {}
    names = {"body": "机关", "region": "地区", "level": "级别", "year": "年度"}
    for key, source in identity.sources:
        if key in names:
            sources.setdefault(_SOURCE_LABELS.get(source, source), []).append(names[key])
    where = "，".join(f"{'、'.join(keys)}来自{source}" for source, keys in sources.items())
    return "，".join(parts) + (f"（{where}）" if where else "")


def render_parse(document, identity=None) -> str:
    """The tree with original line:column positions, then the facts and the semantic tables.

    One node a line, indented by depth: section → sub-section → item → paragraph or table. A
    section or sub-section line shows its heading; a sub-section numbered 1. / 2. is an item.
    """
    from nianbao.parse.tree import (
        Cell,
        Paragraph,
        Row,
        Section,
        SubSection,
        Table,
        Title,
    )

    lines: list[str] = []

    def position(span) -> str:
        location = document.locate(span)
        place = f" {location.place.describe()}" if location.place is not None else ""
        return f"[L{location.line:>4}:C{location.column:<3}{place}]"

    def show(node, depth: int) -> None:
        label = node.kind
        children = node.children()
        if isinstance(node, (Section, SubSection)):
            heading = node.heading
            label = "Item" if heading.level == 3 else label
            label += f"  {heading.ordinal} {heading.title!r}"
            children = node.body
        elif isinstance(node, Title):
            label += f"  {node.text!r}"
        elif isinstance(node, Paragraph):
            label += f"  {_excerpt(node.text)!r}"
        elif isinstance(node, Table):
            label += f"  rendering={node.rendering} rows={len(node.rows)} cells={len(node.cells())}"
        elif isinstance(node, Cell):
            label += f"  {_excerpt(node.text, 20)!r}"
        elif hasattr(node, "date_text"):
            label += f"  body={node.body!r} date={node.date_text!r}"
        elif hasattr(node, "reason"):
            label += f"  {node.reason}: {_excerpt(node.text)!r}"
        lines.append(f"{position(node.span)} {'    ' * depth}{label}")
        if isinstance(node, (Table, Row)):
            return  # cells are shown with the semantic tables below
        for child in children:
            show(child, depth + 1)

    show(document.report, 0)
    facts = document.facts
    lines.append("")
    lines.append("报告信息:")
    lines.append(f"  年度: {facts.year}（来源: {facts.year_source}）  格式: {facts.era}")
    kind = facts.body_kind.label if facts.body_kind else None
    lines.append(f"  发布机关: {facts.body}（类型: {kind}）")
    lines.append(f"  发布日期: {facts.publication_date or '未找到（没有落款日期或发布日期）'}")
    lines.append(f"  配置档: {document.profile.name}（{document.profile_choice.reason}）")
    if identity is not None:
        lines.append(f"  跨报告身份: {_describe_identity(identity)}")
    lines.append("")
    lines.append(f"识别出的表格: {len(document.tables)}")
    for table in document.tables:
        values = sum(1 for row in table.rows for cell in row.cells if cell.value.kind != "blank")
        lines.append(
            f"{position(table.span)} {table.template} {table.title}  行 {len(table.rows)}，数值 {values}"
            + (f"，缺少行 {', '.join(table.missing_rows)}" if table.missing_rows else "")
        )
        for row in table.rows:
            cells = " | ".join(cell.text or "□" for cell in row.cells)
            key = row.key or "（模板外）"
            lines.append(f"{position(row.label_span)}     {key}: {_excerpt(row.label, 24)!r} → {cells}")
    for span, reason in document.unrecognized_tables:
        lines.append(f"{position(span)} 无法识别的表格: {reason}")
    return "\n".join(lines) + "\n"


def _excerpt(text: str, limit: int = 30) -> str:
    text = text.replace("\n", " ")
    return text if len(text) <= limit else text[: limit - 1] + "…"
