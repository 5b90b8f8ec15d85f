from __future__ import annotations

import difflib
import re

from nianbao.api import YEAR_IN_TITLE, Finding, Rule, Severity, Span, Title
from nianbao.rules.structure.sections import structure_data

# A body's name has at least this many Chinese characters ("某局" is the shortest real one).
MIN_BODY_CHARACTERS = 2
# Characters of unchanged text shown either side of a wording difference ("工作报告").
CONTEXT = 2
_HANZI = re.compile(r"[\u4e00-\u9fff]")
_TITLE_NOISE = re.compile(r"[\s《》<>“”\"]")


class MalformedTitle(Rule):
    """标题不是"〈机关〉〈年份〉年(度)政府信息公开工作年度报告"的规范写法。

    ## 检查什么
    标题应由发布机关名称、报告年度和"政府信息公开工作年度报告"组成，写在一行。本规则指出：

    - 缺少机关名称（"2020年政府信息公开工作年度报告"）；
    - 缺少年份（"某某局政府信息公开工作年度报告"）；
    - 固定的后半部分被改写，如"工作报告"（少了"年度"）、"政府信息公开年度报告"（少了"工作"）、
      "政务公开工作年度报告"；诊断指向改写处并给出规范写法；
    - 标题被拆成两行或多行（排版或转存时断开）。

    ## 为什么重要
    年度报告的标题是《条例》和年度报告格式规定的固定写法，检索、归档和考核都靠它识别
    "哪个机关哪一年的年度报告"。少了机关或年份，报告无法归属；改写或拆行的标题在政府网站
    目录中与其他文件混在一起，也说明报告没有经过认真核对。

    ## 反例
    ```
    新余市商务局2019年度政府信息公开

    工作报告
    ```

    ## 正例
    ```
    新余市商务局2019年度政府信息公开工作年度报告
    ```
    """

    code = "ST002"
    name = "malformed-title"
    summary = "标题不规范：缺机关、缺年份、改写了固定用语或被拆成多行"
    severity = Severity.WARNING
    tags = ("structure", "title")

    def check(self, document):
        title = document.report.title
        if title is None:
            return  # ST001 reports a missing title
        if len(title.lines) > 1:
            parts = "”＋“".join(document.text_at(line) for line in title.lines)
            yield Finding(
                title.span,
                f"标题被拆成了{len(title.lines)}行（“{parts}”），应写在同一行",
                place="title/split",
            )
        text = title.text
        year = YEAR_IN_TITLE.search(text)
        data = structure_data()
        if year is None:
            yield Finding(
                title.span,
                f"标题缺少报告年度：应为“〈机关名称〉〈年份〉年{data.title_suffix}”",
                place="title/year",
            )
            before, tail, tail_offset = "", text, 0
        else:
            before, tail, tail_offset = text[: year.start()], text[year.end() :], year.end()
        anchor = _anchor(tail, data.title_anchors)
        body_after_year = tail[:anchor] if anchor is not None else ""
        if year is not None and not _is_body_name(before) and not _is_body_name(body_after_year):
            yield Finding(
                _title_span(title, 0, year.end()) or title.span,
                f"标题缺少发布机关名称：应为“〈机关名称〉{year.group(0)}{data.title_suffix}”",
                place="title/body",
            )
        suffix_start = tail_offset + (anchor if anchor is not None else 0)
        finding = self._wording(title, text, suffix_start, data.title_suffix)
        if finding is not None:
            yield finding

    def _wording(self, title: Title, text: str, start: int, canonical: str) -> Finding | None:
        written = text[start:]
        # Quotes and spaces inside the title are the ST rules' least concern; compare the words.
        compared = _TITLE_NOISE.sub("", written)
        if compared == canonical or not written:
            return None
        matcher = difflib.SequenceMatcher(a=written, b=canonical, autojunk=False)
        changes = [op for op in matcher.get_opcodes() if op[0] != "equal"]
        first, last = changes[0], changes[-1]
        # Widen the difference by a few unchanged characters so the message shows words
        # ("工作报告" → "工作年度报告"), not a lone inserted "年度".
        a_start, a_end = max(0, first[1] - CONTEXT), min(len(written), last[2] + CONTEXT)
        b_start, b_end = max(0, first[3] - CONTEXT), min(len(canonical), last[4] + CONTEXT)
        shown, expected = written[a_start:a_end], canonical[b_start:b_end]
        span = _title_span(title, start + a_start, start + a_end) or title.span
        return Finding(
            span,
            f"标题的固定用语写成了“{shown}”，应为“{expected}”（标题应以“{canonical}”结尾）",
            place="title/wording",
        )


def _anchor(tail: str, anchors: tuple[str, ...]) -> int | None:
    for anchor in anchors:
        position = tail.find(anchor)
        if position != -1:
            return position
    return None


def _is_body_name(text: str) -> bool:
    return len(_HANZI.findall(text)) >= MIN_BODY_CHARACTERS


def _title_span(title: Title, start: int, end: int) -> Span | None:
    """Map ``[start, end)`` of the joined title text to the normalised text.

    A range that crosses a line break covers from its first to its last character.
    """
    if end <= start:
        return None
    first = last = None
    consumed = 0
    for line in title.lines:
        length = line.end - line.start
        if first is None and start < consumed + length:
            first = line.start + start - consumed
        if end <= consumed + length:
            last = line.start + end - consumed
            break
        consumed += length
    if first is None or last is None:
        return None
    return Span(first, last)
