from __future__ import annotations

from nianbao.api import (
    Finding,
    Option,
    Related,
    Rule,
    Severity,
    cell_name,
    document_sentences,
    format_number,
    template_of,
)
from nianbao.rules.narrative.cell_statements import (
    ResolvedTarget,
    Statement,
    find_statements,
    resolve_target,
)
from nianbao.rules.narrative.lexicon import narrative_lexicon


class NarrativeTableMismatch(Rule):
    """正文中的数字与统计表不一致。

    ## 检查什么
    正文里说到表格中也有的数字时，两处必须相同：

    - "收到（新收、受理）政府信息公开申请 N 件" 与第三部分表格"一、本年新收政府信息公开申请数量"
      的"总计"（正文写明"含上年结转"时与"一"加"二"比较）；"办结（答复）申请 N 件"与"（七）总计"；
      "上年结转 N 件"与"二"；"结转下年度 N 件"与"四"；
    - "行政复议案件 N 件"与第四部分表格行政复议的"总计"，"行政诉讼 N 件"与两类行政诉讼"总计"之和；
    - "行政处罚决定 / 行政许可决定 / 行政强制决定 N 件"与第二部分第二十条第（五）（六）项的
      "处理决定数量"（2021 年格式为"本年处理决定数量"）；
    - "制发规范性文件 N 件"与第二十条第（一）项"规范性文件"行（2019 年格式"本年新制作数量"，
      2021 年格式"本年制发件数"；"废止""现行有效"对应 2021 年格式的同名栏目）。

    "未收到申请""未发生行政复议、行政诉讼""无行政诉讼案件"等于说数字是 0。

    只在对应关系明确时检查：说的是全区（全市、全县、各部门）的数字、"其中"之后的部分数字、同比或
    往年的数字、约数，或者一个数字同时对应两项（"收到并办结申请 31 件"）时，都不检查。诊断指向
    正文中的数字，并给出表格单元格的位置和数值。

    规则数据（说法、范围词）在 `nianbao/data/narrative.toml`；选项 `skip` 可以关闭其中某类说法的检查
    （如 `["applications.handled"]`）。

    ## 为什么重要
    正文和表格是同一份统计的两种写法，读者和上级汇总时会引用其中任意一处。两处不一致说明至少有一处
    填错，报告就失去了可信度；这也是"发布内容不准确"的典型表现。

    ## 反例
    ```
    2020年，我局共收到政府信息公开申请32件，均已按期答复。
    ……（第三部分表格"一、本年新收政府信息公开申请数量"的"总计"为 31）
    ```

    ## 正例
    ```
    2020年，我局共收到政府信息公开申请31件，均已按期答复。
    ……（第三部分表格"一、本年新收政府信息公开申请数量"的"总计"为 31）
    ```
    """

    code = "NR001"
    name = "narrative-table-mismatch"
    summary = "正文中的数字（收到申请、行政复议、处罚决定等）与统计表不一致"
    severity = Severity.ERROR
    eras = frozenset({"2019", "2021"})
    options = (
        Option(
            "skip",
            list,
            [],
            "不检查的说法（字符串列表），取 narrative.toml 中的编号，如 \"applications.handled\"、\"litigation\"",
        ),
    )
    tags = ("narrative", "table")

    @classmethod
    def resolve_options(cls, given):
        resolved = super().resolve_options(given)
        known = {pattern.id for pattern in narrative_lexicon().statements}
        unknown = [item for item in resolved["skip"] if not isinstance(item, str) or item not in known]
        if unknown:
            raise ValueError(
                f"规则 {cls.code}：选项 skip 中的 {unknown!r} 不是已知的说法；可选：{'、'.join(sorted(known))}"
            )
        return resolved

    def check(self, document):
        skipped = set(self.config["skip"])
        statements = find_statements(document_sentences(document), document.facts.year)
        occurrences: dict[str, int] = {}
        for statement in statements:
            if statement.pattern.id in skipped:
                continue
            # The n-th statement of this kind in its section: stable when other text changes.
            where = f"{document.place_prefix(statement.span.start)}statement:{statement.pattern.id}"
            occurrences[where] = index = occurrences.get(where, 0) + 1
            resolved = next(
                (found for target in statement.targets if (found := resolve_target(document.tables, target))), None
            )
            if resolved is None or statement.agrees_with(resolved.value):
                continue
            alternatives = (resolve_target(document.tables, target) for target in statement.accepted)
            if any(found is not None and statement.agrees_with(found.value) for found in alternatives):
                continue
            yield self._finding(document, statement, resolved, f"{where}/{index}")

    def _finding(self, document, statement: Statement, resolved: ResolvedTarget, place: str) -> Finding:
        template = template_of(document, resolved.table)
        names = [
            (cell_name(template, resolved.table, row, column), cell) for row, column, cell in resolved.cells
        ]
        if len(names) == 1:
            table_side = f"{names[0][0]}为 {format_number(resolved.value)}"
        else:
            terms = " + ".join(f"{name} {format_number(cell.value.value)}" for name, cell in names)
            table_side = f"{terms} = {format_number(resolved.value)}"
        if statement.figure is not None:
            text_side = f"正文中{statement.pattern.what}为“{statement.figure.text}”"
        else:
            text_side = f"正文说“{document.text_at(statement.span)}”，即{statement.pattern.what}为 0"
        scope = "（正文写明含上年结转）" if statement.includes_carried_over else ""
        if statement.at_most:
            message = f"{text_side}，比表格“{resolved.table.title}”中的总数还多：{table_side}"
        else:
            message = f"{text_side}{scope}，与表格“{resolved.table.title}”不一致：{table_side}"
        related = tuple(
            Related(cell.span, f"表格中的数值：{name} {cell.text}") for name, cell in names
        )
        return Finding(statement.span, message, related=related, place=place)
