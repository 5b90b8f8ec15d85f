from __future__ import annotations

from nianbao.api import (
    Finding,
    Heading,
    Node,
    Option,
    Related,
    Rule,
    Section,
    Severity,
    SubSection,
)
from nianbao.rules.structure.sections import SectionHit, report_sections


class SectionOrder(Rule):
    """部分的顺序或编号有误：编号跳号、重号，或格式规定的部分顺序颠倒。

    ## 检查什么
    - 一级标题（一、二、三……）和二级标题（（一）（二）（三）……）的编号应从一开始、逐个递增；
      跳号（一、二、四）或重号（二、二）都会报告，诊断指向出问题的那个标题。
    - 2019年及以后按年度报告格式编写的报告，六个部分应按格式规定的顺序排列；排错位置的部分
      （如"三、收到和处理政府信息公开申请情况"写在"二、主动公开政府信息情况"之前）会被指出。

    选项 `sub_sections`（默认 true）：是否也检查二级标题的编号。

    ## 为什么重要
    跳号、重号通常说明有一部分被删掉、复制重复或合并时没有整理；顺序颠倒的报告不便与其他
    机关的报告逐项对照，也不符合年度报告格式。

    ## 反例
    ```
    一、总体情况
    二、主动公开政府信息情况
    四、政府信息公开行政复议、行政诉讼情况
    ```

    ## 正例
    ```
    一、总体情况
    二、主动公开政府信息情况
    三、收到和处理政府信息公开申请情况
    四、政府信息公开行政复议、行政诉讼情况
    ```
    """

    code = "ST004"
    name = "section-order"
    summary = "部分编号跳号、重号，或格式规定的部分顺序颠倒"
    severity = Severity.WARNING
    options = (Option("sub_sections", bool, True, "是否也检查二级标题（（一）（二）……）的编号"),)
    tags = ("structure",)

    def check(self, document):
        report = document.report
        yield from _numbering(document, [section.heading for section in report.sections], "")
        if self.config["sub_sections"]:
            containers: list[tuple[str, list[Node]]] = [("preamble", report.preamble)]
            containers.extend((f"section:{_ordinal(s.heading)}", s.body) for s in report.sections)
            for place, body in containers:
                subs = [node.heading for node in body if isinstance(node, SubSection) and node.heading.level == 2]
                yield from _numbering(document, subs, place)
        if document.era in ("2019", "2021"):
            yield from _canonical_order(document)


def _ordinal(heading: Heading) -> str:
    return heading.ordinal.rstrip("、.").strip()


def _numbering(document, headings: list[Heading], place: str):
    """Sibling headings numbered 1, 2, 3 …; ``place`` is the parent's place ("" at the top)."""
    previous: Heading | None = None
    seen: dict[int, Heading] = {}
    for heading in headings:
        if heading.number <= 0:
            continue
        where = f"{place}/{_ordinal(heading)}" if place else f"section:{_ordinal(heading)}"
        if previous is None:
            if heading.number != 1:
                yield Finding(
                    heading.span,
                    f"编号没有从一开始：第一个标题是“{heading.ordinal}”",
                    place=f"{where}/first",
                )
        elif heading.number in seen:
            earlier = seen[heading.number]
            yield Finding(
                heading.span,
                f"编号重复：“{heading.ordinal}”在前面已经用过（“{document.text_at(earlier.span)}”）",
                related=(Related(earlier.span, f"前面的“{earlier.ordinal}”"),),
                place=f"{where}/repeated",
            )
        elif heading.number != previous.number + 1:
            skipped = "、".join(_label(previous, n) for n in range(previous.number + 1, heading.number))
            message = (
                f"编号跳号：“{previous.ordinal}”之后是“{heading.ordinal}”，缺少{skipped}"
                if heading.number > previous.number
                else f"编号倒退：“{previous.ordinal}”之后是“{heading.ordinal}”"
            )
            yield Finding(heading.span, message, related=(Related(previous.span, "前一个标题"),), place=f"{where}/skipped")
        seen.setdefault(heading.number, heading)
        previous = heading


_NUMERALS = "一二三四五六七八九十"


def _label(like: Heading, number: int) -> str:
    numeral = _NUMERALS[number - 1] if 1 <= number <= 10 else str(number)
    if like.ordinal.startswith("("):
        return f"“({numeral})”"
    return f"“{numeral}、”"


def _canonical_order(document):
    match = report_sections(document)
    if match.old_structure:
        return  # ST005 reports the structure as a whole
    hits = [hit for hit in match.hits.values() if isinstance(hit.node, Section)]
    hits.sort(key=lambda hit: hit.heading_span.start)
    numbers = [match.scheme.get(hit.key).number for hit in hits]
    in_order = _longest_increasing(numbers)
    for index, hit in enumerate(hits):
        if index in in_order:
            continue
        canonical = match.scheme.get(hit.key)
        later = _first_later_section(hits[:index], canonical.number, match)
        message = f"“{canonical.heading}”是年度报告格式的第{canonical.ordinal}部分，排错了位置"
        related = ()
        if later is not None:
            message += f"：应在“{document.text_at(later.heading_span)}”之前"
            related = (Related(later.heading_span, "应排在这一部分之前"),)
        yield Finding(hit.heading_span, message, related=related, place=f"section:{hit.key}/order")


def _first_later_section(before: list[SectionHit], number: int, match) -> SectionHit | None:
    return next((hit for hit in before if match.scheme.get(hit.key).number > number), None)


def _longest_increasing(numbers: list[int]) -> set[int]:
    """Indexes of one longest strictly increasing subsequence (the sections in order)."""
    best: list[list[int]] = []
    for index, number in enumerate(numbers):
        chain = max(
            (previous for previous in best if numbers[previous[-1]] < number),
            key=len,
            default=[],
        )
        best.append([*chain, index])
    return set(max(best, key=len, default=[]))
