from __future__ import annotations

import difflib
import unicodedata

from nianbao.api import (
    Finding,
    Option,
    Rule,
    Severity,
    fold_label,
    row_values,
    section_prefix,
    template_of,
)

FORMAT_ERAS = frozenset({"2019", "2021"})
# Characters of unchanged text shown around each difference.
CONTEXT = 2


class LabelMismatch(Rule):
    """统计表的固定行名被改动或写错。

    ## 检查什么
    2019 年试行格式和 2021 年格式的统计表，行名是格式规定的固定文字（如"（二）部分公开（区分处理的，
    只计这一情形，不计其他情形）""5.属于三类内部事务信息"）。行名与规定文字相近但不相同时（错字、
    漏字、改写），诊断指向这个行名，给出规定的写法，并指出不同之处（选项 `max_differences`：
    最多列出几处，默认 3）。全角半角、空格和标点的差别不算改动。表格没有表头、第一行的行名就写错时
    （如“一、本年新收政府信息公开申请数”），这一行仍按格式规定的行读取并在此报告，不当作无法识别的
    表格内容。

    ## 为什么重要
    固定行名是各机关报告可以相互比较、逐级汇总的基础；改动行名可能改变统计口径，错别字则显得
    报告未经认真核对（格式通知把"发布内容不准确"列为要纠正的问题）。

    ## 反例
    ```
    （二）部分公开（区分处理的，只计这一情况，不计其他情形）
    5.属于三类内容事务信息
    ```

    ## 正例
    ```
    （二）部分公开（区分处理的，只计这一情形，不计其他情形）
    5.属于三类内部事务信息
    ```
    """

    code = "TB005"
    name = "label-mismatch"
    summary = "统计表的固定行名被改动或写错"
    severity = Severity.WARNING
    eras = FORMAT_ERAS
    options = (Option("max_differences", int, 3, "消息中最多列出几处不同（正整数）"),)
    tags = ("table",)

    @classmethod
    def resolve_options(cls, given):
        resolved = super().resolve_options(given)
        if resolved["max_differences"] < 1:
            raise ValueError(f"规则 {cls.code}：选项 max_differences 应为正整数，得到 {resolved['max_differences']}")
        return resolved

    def check(self, document):
        for table in document.tables:
            if not table.eras & FORMAT_ERAS:
                continue  # the 2008 附表 has no fixed wording
            rows, _ = row_values(template_of(document, table), table)
            section = section_prefix(document, table)
            for values in rows:
                row = values.row
                if row.label_exact or not row.canonical_label or not row.label:
                    continue
                differences = _differences(row.label, row.canonical_label)
                detail = "；".join(differences[: self.config["max_differences"]])
                if len(differences) > self.config["max_differences"]:
                    detail += "等"
                message = f"行名“{row.label}”与格式规定的“{row.canonical_label}”不一致"
                if detail:
                    message += f"（{detail}）"
                yield Finding(row.label_span, message, place=f"{section}table:{table.template}/row:{row.key}/label")


def _plain(text: str) -> str:
    """The label without widths, spaces and punctuation: only the words are compared."""
    return "".join(char for char in fold_label(text) if not unicodedata.category(char).startswith(("P", "S")))


def _differences(written: str, canonical: str) -> list[str]:
    """"“只计这一情况”应为“只计这一情形”", with a little unchanged text around each change."""
    have, want = _plain(written), _plain(canonical)
    found = []
    for tag, a1, a2, b1, b2 in difflib.SequenceMatcher(None, have, want, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        before = _common_suffix(have[:a1], want[:b1])
        after = _common_prefix(have[a2:], want[b2:])
        old = have[a1 - before:a2 + after]
        new = want[b1 - before:b2 + after]
        if not old:
            found.append(f"缺少“{new}”")
        elif not new:
            found.append(f"多了“{old}”")
        else:
            found.append(f"“{old}”应为“{new}”")
    return found


def _common_suffix(a: str, b: str) -> int:
    count = 0
    while count < CONTEXT and count < len(a) and count < len(b) and a[-1 - count] == b[-1 - count]:
        count += 1
    return count


def _common_prefix(a: str, b: str) -> int:
    count = 0
    while count < CONTEXT and count < len(a) and count < len(b) and a[count] == b[count]:
        count += 1
    return count
