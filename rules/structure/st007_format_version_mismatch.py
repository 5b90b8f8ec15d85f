from __future__ import annotations

from functools import lru_cache

from nianbao.api import (
    Finding,
    Related,
    Rule,
    SemanticTable,
    Severity,
    Span,
    Template,
    default_templates,
    fold_label,
)
from nianbao.rules.structure.sections import scheme_for_era, structure_data

FORMAT_ERAS = ("2019", "2021")
# How many of the other format's labels the message names.
NAMED_IN_MESSAGE = 3


class FormatVersionMismatch(Rule):
    """统计表用了另一版年度报告格式的栏目。

    ## 检查什么
    2019、2020年度报告用《年度报告格式（试行）》（国办公开办函〔2019〕60号），2021年度起用新的
    《年度报告格式》（国办公开办函〔2021〕30号），两版的统计表不同：

    - 第二十条第（一）项：试行格式为"本年新制作数量、本年新公开数量、对外公开总数量"和
      "规范性文件"，新格式为"本年制发件数、本年废止件数、现行有效件数"和"行政规范性文件"；
    - 第二十条第（五）（六）（八）项的栏目不同，新格式没有第（九）项（政府集中采购）和
      "其他对外管理服务事项"；
    - 依申请表的"（六）其他处理"：试行格式是一行，新格式分为三行。

    本规则指出报告年度对应格式之外的表格、栏目或行，诊断指向第一个属于另一版格式的栏目或行。
    2021年度及以后的报告仍引用已被替代的国办公开办函〔2019〕60号时，作为提示（info）报告。

    ## 为什么重要
    用错版本的表格，数据口径就不对：例如"本年增/减"与"本年废止件数"含义不同，"其他处理"一行
    无法拆分为新格式的三种情形。上级汇总时这些数字无法与同年度其他机关的报告合并。

    ## 反例
    ```
    2022年度报告中：
    | 第二十条第（一）项 | | | |
    | 信息内容 | 本年新制作数量 | 本年新公开数量 | 对外公开总数量 |
    ```

    ## 正例
    ```
    2022年度报告中：
    | 第二十条第（一）项 | | | |
    | 信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |
    ```
    """

    code = "ST007"
    name = "format-version-mismatch"
    summary = "统计表用了另一版年度报告格式的栏目，或引用了已被替代的格式通知"
    severity = Severity.ERROR
    eras = frozenset(FORMAT_ERAS)
    tags = ("structure", "table")

    def check(self, document):
        era = document.era
        if era not in FORMAT_ERAS:
            return
        for table in document.tables:
            if not table.eras or not table.eras <= frozenset(FORMAT_ERAS):
                continue  # 2008 附表 and plugin tables of other kinds are not format versions
            if era in table.eras:
                yield from _other_format_rows(document, table, era)
            else:
                finding = _other_format_table(document, table, era)
                if finding is not None:
                    yield finding
        yield from _superseded_notices(document, era)


def _format_name(era: str) -> str:
    scheme = scheme_for_era(era)
    return scheme.basis.get(era, era) if scheme is not None else era


@lru_cache(maxsize=None)
def _labels_of_era(era: str) -> frozenset[str]:
    """Every folded label (caption, header, column, group, row) of the built-in tables of ``era``."""
    labels: set[str] = set()
    for template in default_templates().templates:
        if era in template.eras and template.eras <= frozenset(FORMAT_ERAS):
            labels.update(template.labels)
    return frozenset(labels)


@lru_cache(maxsize=None)
def _row_labels_of_era(era: str) -> frozenset[str]:
    labels: set[str] = set()
    for template in default_templates().templates:
        if era in template.eras and template.eras <= frozenset(FORMAT_ERAS):
            for row in template.rows:
                labels.update(fold_label(text) for text in (row.label, *row.aliases))
    return frozenset(labels)


def _counterpart(table: SemanticTable, era: str) -> Template | None:
    """The table of ``era`` that plays the same part (2019.active.20-1 → 2021.active.20-1)."""
    _, _, rest = table.template.partition(".")
    return default_templates().template(f"{era}.{rest}") if rest else None


def _other_format_table(document, table: SemanticTable, era: str) -> Finding | None:
    own = _labels_of_era(era)
    table_format = _format_name("、".join(sorted(table.eras)))
    # The table's own cells (a raw block may hold several official tables), in document order.
    written: list[tuple[Span, str]] = []
    if table.source is not None:
        written.extend(
            (cell.span, cell.text)
            for cell in table.source.cells()
            if table.span.start <= cell.span.start < table.span.end
        )
    written.extend((row.label_span, row.label) for row in table.rows)
    written.sort(key=lambda item: item[0].start)
    template = default_templates().template(table.template)
    foreign = template.labels - own if template is not None else set()
    found: list[tuple[Span, str]] = []
    seen: set[str] = set()
    for span, text in written:
        folded = fold_label(text)
        if folded in foreign and folded not in seen:
            seen.add(folded)
            found.append((span, text.strip()))
    span = found[0][0] if found else Span(table.span.start, table.span.start)
    message = f"“{table.title}”是按{table_format}填写的"
    if found:
        names = "".join(f"“{text}”" for _, text in found[:NAMED_IN_MESSAGE])
        message += f"（{names}{'等' if len(found) > NAMED_IN_MESSAGE else ''}）"
    message += f"，{document.facts.year}年度报告应使用{_format_name(era)}"
    counterpart = _counterpart(table, era)
    if counterpart is None:
        message += "，该格式没有这张表"
    elif template is not None:
        replacements = _replacement_labels(template, counterpart)
        if replacements:
            message += "：应为" + "".join(f"“{label}”" for label in replacements)
    related = tuple(Related(other, f"{table_format}的写法") for other, _ in found[1:])
    return Finding(span, message, related=related, place=f"table:{table.template}/format")


def _replacement_labels(written: Template, wanted: Template) -> list[str]:
    """Columns, then rows, of ``wanted`` that ``written`` does not have, in template order."""
    written_columns = {fold_label(text) for column in written.columns for text in (column.label, *column.aliases)}
    written_rows = {fold_label(text) for row in written.rows for text in (row.label, *row.aliases)}
    labels = [column.title for column in wanted.columns if fold_label(column.label) not in written_columns]
    labels.extend(
        row.label for row in wanted.rows if not row.unlabeled and fold_label(row.label) not in written_rows
    )
    return labels


def _other_format_rows(document, table: SemanticTable, era: str):
    """Rows of the other format inside a table of the right one (a 2019-style single
    "（六）其他处理" row in a 2021 依申请 table)."""
    own_rows = _row_labels_of_era(era)
    for other in FORMAT_ERAS:
        if other == era:
            continue
        foreign = _row_labels_of_era(other) - own_rows
        for row in table.rows:
            if not row.cells or not any(cell.value.kind != "blank" for cell in row.cells):
                continue  # a group label without values is shared by both formats
            texts = {fold_label(row.label)}
            if row.canonical_label:
                texts.add(fold_label(row.canonical_label))
            if texts & foreign:
                message = f"“{row.label.strip()}”是{_format_name(other)}的行，{_format_name(era)}没有这一行"
                split = _split_rows(table, texts)
                if split:
                    message += "：应分为" + "".join(f"“{label}”" for label in split) + "分别填写"
                yield Finding(
                    row.label_span,
                    message,
                    place=f"table:{table.template}/row:{row.key or row.label}/format",
                )


def _split_rows(table: SemanticTable, folded_labels: set[str]) -> list[str]:
    """The rows that replace a group label written as one row (（六）其他处理 → its three rows)."""
    template = default_templates().template(table.template)
    if template is None:
        return []
    for group in template.groups:
        if {fold_label(text) for text in (group.label, *group.aliases)} & folded_labels:
            return [row.label for row in template.group_rows(group.key)]
    return []


def _superseded_notices(document, era: str):
    for notice in structure_data().notices:
        if era not in notice.superseded_in:
            continue
        for match in notice.pattern.finditer(document.text):
            yield Finding(
                Span(match.start(), match.end()),
                f"引用的{notice.name}已被{notice.replacement}替代：{document.facts.year}年度报告应按新的年度报告格式编写",
                severity=Severity.INFO,
                place=f"notice:{notice.name}",
            )
