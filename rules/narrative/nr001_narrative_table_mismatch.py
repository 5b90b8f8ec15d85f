from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from nianbao.api import (
    Finding,
    Option,
    Related,
    Rule,
    SemanticCell,
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
    unexplained_share,
)
from nianbao.rules.narrative.lexicon import narrative_lexicon
from nianbao.rules.narrative.percentages import Share, percent_agrees, ratio_percent


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
      2021 年格式"本年制发件数"；"废止""现行有效"对应 2021 年格式的同名栏目）；
    - 办理结果："予以公开（同意公开）N 件"与"（一）予以公开"，"部分公开"与"（二）"，"不予公开"与
      "（三）不予公开"下八行之和，"无法提供"与"（四）"下三行之和，"不予处理"与"（五）"下五行之和，
      "其他处理"与"（六）其他处理"（2021 年格式为其下三行之和，2019 年格式为一行），都取"总计"栏；
      合并的说法（"予以公开及部分公开 N 件""不予公开、无法提供共 N 件"）与所说各行之和比较。
      办理结果常列在"其中"之后（"办结申请 23 件，其中予以公开 12 件、部分公开 3 件"），照样比较；
      但"其中"之后先列了别的分项（"其中网上申请 20 件，予以公开 15 件"）时不检查。
    - 办理结果后紧跟的百分比（"予以公开及部分公开 15 件，占 65.2%"），句中没有可作分母的总数时，按
      表格计算：与"（七）总计"（或"一、本年新收"、"一"加"二"）之比按写出的精度四舍五入后相差超过
      0.1 个百分点才报告，诊断指向百分比。句中写了总数的百分比由 NR003 检查。

    表格中某行的"总计"栏空白时，用同一行各申请人栏（自然人和五类法人或其他组织）之和代替，诊断里
    写明这一点；整行都空白或有文字时不比较。

    "未收到申请""未发生行政复议、行政诉讼""无行政诉讼案件"等于说数字是 0。

    只在对应关系明确时检查：说的是全区（全市、全县、各部门）的数字、"其中"之后的部分数字（办理结果除外）、同比或
    往年的数字、约数，或者一个数字同时对应两项（"收到并办结申请 31 件"）时，都不检查。诊断指向
    正文中的数字，并给出表格单元格的位置和数值。

    规则数据（说法、范围词）在 `nianbao/data/narrative.toml`；选项 `skip` 可以关闭其中某类说法的检查
    （如 `["applications.handled"]`；办理结果为 `outcomes.granted`、`outcomes.combined` 等）。

    ## 为什么重要
    正文和表格是同一份统计的两种写法，读者和上级汇总时会引用其中任意一处。两处不一致说明至少有一处
    填错，报告就失去了可信度；这也是"发布内容不准确"的典型表现。

    ## 反例
    ```
    2020年，我局共收到政府信息公开申请32件，均已按期答复。
    ……（第三部分表格"一、本年新收政府信息公开申请数量"的"总计"为 31）
    ```

    ```
    全年办结申请23件，其中予以公开及部分公开16件。
    ……（表格"（一）予以公开"总计 12，"（二）部分公开"总计 3）
    ```

    ## 正例
    ```
    2020年，我局共收到政府信息公开申请31件，均已按期答复。
    ……（第三部分表格"一、本年新收政府信息公开申请数量"的"总计"为 31）
    ```

    ```
    全年办结申请23件，其中予以公开及部分公开15件。
    ……（表格"（一）予以公开"总计 12，"（二）部分公开"总计 3）
    ```
    """

    code = "NR001"
    name = "narrative-table-mismatch"
    summary = "正文中的数字（收到申请、办理结果、行政复议、处罚决定等）与统计表不一致"
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
                (found for target in statement.targets if (found := resolve_target(document, target))), None
            )
            if resolved is None:
                continue
            if not statement.agrees_with(resolved.value):
                alternatives = (resolve_target(document, target) for target in statement.accepted)
                if not any(found is not None and statement.agrees_with(found.value) for found in alternatives):
                    yield self._finding(document, statement, resolved, f"{where}/{index}")
                continue
            share = unexplained_share(document, statement)
            if share is not None:
                finding = self._share_finding(document, statement, share, f"{where}/{index}")
                if finding is not None:
                    yield finding

    def _share_finding(self, document, statement: Statement, share: Share, place: str) -> Finding | None:
        """"予以公开12件，占50%" with no total in the text: the share of the table's total."""
        totals = [found for target in statement.pattern.percent_of if (found := resolve_target(document, target))]
        totals = [total for total in totals if total.value > 0]
        if not totals or any(
            percent_agrees(share.percent.value, statement.value, total.value) for total in totals
        ):
            return None
        total = totals[0]
        exact = ratio_percent(statement.value, total.value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        message = (
            f"百分比“{share.percent.text}”与表格不符：正文中{statement.what}“{statement.figure.text}”占"
            f"{self._table_side(document, total, stated=False)} 的比例是 {format_number(statement.value)} ÷ "
            f"{format_number(total.value)} = {format_number(exact)}%"
        )
        related = (Related(statement.figure.span, f"分子：{statement.figure.text}"), *self._related(document, total))
        return Finding(share.percent.span, message, related=related, place=f"{place}/percent")

    def _finding(self, document, statement: Statement, resolved: ResolvedTarget, place: str) -> Finding:
        if statement.figure is not None:
            text_side = f"正文中{statement.what}为“{statement.figure.text}”"
        else:
            text_side = f"正文说“{document.text_at(statement.span)}”，即{statement.what}为 0"
        scope = "（正文写明含上年结转）" if statement.includes_carried_over else ""
        table_side = self._table_side(document, resolved)
        if statement.at_most:
            message = f"{text_side}，比表格“{resolved.table.title}”中的总数还多：{table_side}"
        else:
            message = f"{text_side}{scope}，与表格“{resolved.table.title}”不一致：{table_side}"
        return Finding(statement.span, message, related=self._related(document, resolved), place=place)

    @staticmethod
    def _names(document, resolved: ResolvedTarget) -> list[tuple[str, SemanticCell]]:
        template = template_of(document, resolved.table)
        return [(cell_name(template, resolved.table, row, column), cell) for row, column, cell in resolved.cells]

    def _table_side(self, document, resolved: ResolvedTarget, stated: bool = True) -> str:
        """"“二”行“总计”栏为 1" (``stated``: as a sentence, else "“二”行“总计”栏 1"), or the cells
        added up, zeros counted together."""
        names = self._names(document, resolved)
        if len(names) == 1 and not resolved.blank_totals:
            return f"{names[0][0]}{'为 ' if stated else ' '}{format_number(resolved.value)}"
        shown = [(name, cell) for name, cell in names if cell.value.value != 0]
        zeros = len(names) - len(shown)
        if zeros == 1 or not shown:
            shown, zeros = names, 0
        terms = [f"{name} {format_number(cell.value.value)}" for name, cell in shown]
        if zeros:
            terms.append(f"其余{zeros}项（均为 0）")
        side = f"{' + '.join(terms)} = {format_number(resolved.value)}"
        if resolved.blank_totals:
            template = template_of(document, resolved.table)
            blank = "、".join(cell_name(template, resolved.table, row, column) for row, column in resolved.blank_totals)
            side += f"（{blank}空白，按同一行各栏之和计）"
        return side

    def _related(self, document, resolved: ResolvedTarget) -> tuple[Related, ...]:
        return tuple(Related(cell.span, f"表格中的数值：{name} {cell.text}") for name, cell in self._names(document, resolved))
