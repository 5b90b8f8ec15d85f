from __future__ import annotations

import calendar

from nianbao.api import (
    DateMention,
    Finding,
    LazyPattern,
    Rule,
    Severity,
    Span,
    find_malformed_dates,
)

# 〔201818号: the year and the serial number of a document number run together.
_BROKEN_DOCUMENT_NUMBER = LazyPattern(r"(?P<head>[〔\[【]\s*(?:19|20)\d{2})(?P<tail>\d+\s*号)")
_CLOSING_BRACKET = {"〔": "〕", "[": "]", "【": "】"}


class MalformedDate(Rule):
    """日期或文号残缺、不存在。

    ## 检查什么
    正文、表格和落款中写错的日期：

    - 丢了"年""月""日"字，数字连在一起（"202111日起至20211231日止""20205月"），多是从 PDF 或
      网页复制、转换时丢失的；
    - 不存在的月份或日期（"13月""2月30日""2021年2月29日"）；
    - 文号的"〕"丢了，年份和序号连在一起（"〔201818号"）。

    诊断指向写错的日期，能推断出原意时一并给出（"202111日"可能是"2021年1月1日"）。统计期限、
    落款里的日期写错时，DT002、DT003、DT004 无法判断，只由本规则报告。

    ## 为什么重要
    日期是判断统计口径、发布是否及时、文件是否有效的依据。残缺的日期读者无法确认，也说明报告
    发布前没有校对。

    ## 反例
    ```
    本报告所列数据的统计期限为202111日起至20211231日止。
    依据《关于印发……的通知》（某政办〔201818号）……
    ```

    ## 正例
    ```
    本报告所列数据的统计期限为2021年1月1日起至2021年12月31日止。
    依据《关于印发……的通知》（某政办〔2018〕18号）……
    ```
    """

    code = "DT005"
    name = "malformed-date"
    summary = "日期或文号残缺（丢了年、月、日或“〕”）或不存在"
    severity = Severity.WARNING
    tags = ("dates",)

    def check(self, document):
        for mention in find_malformed_dates(document.text):
            message = mention.problem
            intended = _intended(mention)
            if intended is not None:
                message += f"；原意可能是“{intended}”"
            section = document.section_at(mention.start)
            where = f"section:{section.number}/" if section is not None else ""
            yield Finding(Span(mention.start, mention.end), message, place=f"{where}date:{mention.text}")


def _intended(mention: DateMention) -> str | None:
    """What a date that lost characters most likely said, when its parts can still be read."""
    document_number = _BROKEN_DOCUMENT_NUMBER.fullmatch(mention.text)
    if document_number is not None:
        head = document_number.group("head")
        return f"{head}{_CLOSING_BRACKET[head[0]]}{document_number.group('tail')}"
    year, month, day = mention.year, mention.month, mention.day
    if year is None or month is None or not 1 <= month <= 12:
        return None  # an impossible month or day has no single likely reading
    if day is None:
        return f"{year}年{month}月" if mention.text.endswith("月") else None
    if not 1 <= day <= calendar.monthrange(year, month)[1]:
        return None
    return f"{year}年{month}月{day}日"
