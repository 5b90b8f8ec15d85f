from __future__ import annotations

import re
from decimal import Decimal

from nianbao.api import (
    Finding,
    Option,
    Related,
    Rule,
    Severity,
    Span,
    fold_label,
    format_number,
    numeric_cells,
)

MONEY_UNITS = {"元": Decimal(1), "万元": Decimal(10_000), "亿元": Decimal(100_000_000)}
# "（单位：万元）", "(万元)" in a header cell (folded: half-width brackets and colon).
_HEADER_UNIT = re.compile(r"[(（]\s*(?:单位\s*[:：]?\s*)?(亿元|万元|元)\s*[)）]")
_PARENTHESISED = re.compile(r"[(（][^)）]*[)）]")


class SuspectUnit(Rule):
    """金额的单位可疑：元填进了万元栏、与表头的单位不一致，或数额大得不合常理。

    ## 检查什么
    - 2021 年格式第二十条第（八）项"本年收费金额（单位：万元）"以万元为单位，单元格却写成"元"
      （如"21738元"），或者数额大到不合常理（默认超过 100 万万元，即 100 亿元，选项
      `max_amount_10k`），多半是把以元计的金额直接填进了万元栏；
    - 表头写明了单位（如"采购总金额（万元）"），单元格却写了另一种单位。

    诊断指向该金额单元格，表头单位作为相关位置。2019 年格式的"采购总金额"没有规定单位，
    只写数字或只写"元"都不报告。

    ## 为什么重要
    元和万元相差一万倍：把 21738 元填成 21738 万元，收费金额就被夸大了一万倍，汇总到上级时
    会严重失真。

    ## 反例
    | 信息内容 | 本年收费金额（单位：万元） |
    |---|---|
    | 行政事业性收费 | 21738元 |

    ## 正例
    | 信息内容 | 本年收费金额（单位：万元） |
    |---|---|
    | 行政事业性收费 | 2.1738 |
    """

    code = "TB007"
    name = "suspect-unit"
    summary = "金额的单位可疑（元填进万元栏、与表头单位不一致或数额异常）"
    severity = Severity.WARNING
    eras = frozenset({"2019", "2021"})
    options = (
        Option("max_amount_10k", float, 1_000_000.0, "以万元为单位的金额超过此值即视为数额异常（默认 100 亿元）"),
    )
    tags = ("table",)

    @classmethod
    def resolve_options(cls, given):
        resolved = super().resolve_options(given)
        if resolved["max_amount_10k"] <= 0:
            raise ValueError(f"规则 {cls.code}：选项 max_amount_10k 应为正数，得到 {resolved['max_amount_10k']}")
        return resolved

    def check(self, document):
        limit = Decimal(str(self.config["max_amount_10k"]))
        for numeric in numeric_cells(document):
            cell, template = numeric.cell, numeric.template
            if numeric.kind not in ("amount", "money-10k") or cell.value.kind != "number" or cell.value.value is None:
                continue
            header = _header_unit(numeric.table, template.column(cell.column).label if template else "")
            expected = "万元" if numeric.kind == "money-10k" else (header[0] if header else None)
            written = cell.value.unit if cell.value.unit in MONEY_UNITS else None
            related = (Related(header[1], f"表头的单位：{header[0]}"),) if header else ()
            value = cell.value.value
            if expected and written and written != expected:
                converted = format_number(value * MONEY_UNITS[written] / MONEY_UNITS[expected])
                yield Finding(
                    cell.span,
                    f"{numeric.name}写的是“{cell.text}”，而这一栏以{expected}为单位：应填 {converted}（{expected}）",
                    related=related,
                    place=numeric.place,
                )
            elif expected == "万元" and written in (None, "万元") and value > limit:
                yield Finding(
                    cell.span,
                    f"{numeric.name}为 {format_number(value)} 万元（{format_number(value / 10_000)} 亿元），数额异常："
                    "这一栏以万元为单位，请核对是否把以元计的金额直接填了进来",
                    related=related,
                    place=numeric.place,
                )


def _header_unit(table, label: str) -> tuple[str, Span] | None:
    """The unit a header cell of the column states ("本年收费金额（单位：万元）"), and where."""
    if table.source is None or not label:
        return None
    base = fold_label(_PARENTHESISED.sub("", label))
    first_row = min((row.label_span.start for row in table.rows), default=table.span.end)
    for cell in table.source.cells():
        if not table.span.start <= cell.span.start < first_row:
            continue
        folded = fold_label(cell.text)
        if base and base in folded:
            match = _HEADER_UNIT.search(folded)
            if match:
                return match.group(1), cell.span
    return None
