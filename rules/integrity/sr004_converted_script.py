from __future__ import annotations

import re
from bisect import bisect_right

from nianbao.api import Finding, Lexicon, Related, Rule, Severity, Span

_HANZI_RUN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]+")
# Below this many converted characters the text is not called Traditional: OpenCC may change a
# character or two of a Simplified text that merely contains a rare character (乾县).
_MIN_CONVERTED = 3


class ConvertedScript(Rule):
    """报告原文是繁体字，或带有繁简转换网站替换进来的台湾用语。

    ## 检查什么
    原文使用繁体字时，在第一处繁体字报告一次，并说明全文有多少个字经过了转换（本工具先转为简体再检查）。
    在繁体原文中，还会逐处指出转换网站替换进来的台湾用语：檔案（文件）、網際網路（互联网）、
    視窗（窗口）、入口網站（门户网站）、程式（程序）、套用（应用）、網路（网络）等，并给出大陆规范用语。

    "档案馆""档案局""人事档案"等大陆本来的用法不会报告。

    ## 为什么重要
    大陆机关的报告应使用国家通用语言文字的规范简体字。繁体原文和"公开檔案213份"这样的用语，
    通常说明文本取自繁体转换后的网页而不是机关的原件，转换还可能改变了词义。

    ## 反例
    ```
    2017年主动公開檔案213份，通過廳入口網站發布
    ```

    ## 正例
    ```
    2017年主动公开文件213份，通过厅门户网站发布
    ```
    """

    code = "SR004"
    name = "converted-script"
    summary = "原文为繁体字或含台湾用语"
    severity = Severity.INFO
    tags = ("source-integrity",)

    def check(self, document):
        normalized = document.normalized
        text = document.text
        original = normalized.original
        converted = _converted_positions(document)
        if len(converted) < _MIN_CONVERTED:
            return
        first = _first_traditional_stretch(text, converted)
        start, end = normalized.original_range(first)
        yield Finding(
            first,
            f"原文使用繁体字（如“{original[start:end]}”，全文共 {len(converted)} 个繁体字，已转换为简体后检查）："
            "大陆机关的报告应使用规范简体字，请使用机关发布的原件",
            place="converted-script",
        )
        lexicon = document.lexicon("taiwan_vocabulary")
        line_starts = [0, *(match.end() for match in re.finditer("\n", text))]
        traditional_lines = {bisect_right(line_starts, offset) for offset in converted}
        places: dict[str, list[tuple[Span, object]]] = {}
        for start, end, term in lexicon.finditer("pairs", text):
            # 程式, 套用 read the same in both scripts: only a line that was Traditional tells
            # that a converting website wrote them.
            if bisect_right(line_starts, start) not in traditional_lines:
                continue
            if _inside_compound(text, start, term.text, lexicon):
                continue
            places.setdefault(term.text, []).append((Span(start, end), term))
        # One finding per word, at its first place; the others are related locations, so a
        # converted report does not bury its other findings under dozens of identical lines.
        for word, found in places.items():
            span, term = found[0]
            written_start, written_end = normalized.original_range(span)
            written = original[written_start:written_end]
            mainland = term.get("mainland")
            count = f"（全文共 {len(found)} 处）" if len(found) > 1 else ""
            yield Finding(
                span,
                f"台湾用语“{written}”{count}：大陆规范用语为“{mainland}”，疑似经繁简转换网站改写，请按原件核对",
                related=tuple(Related(other, f"同样的用语“{written}”") for other, _ in found[1:]),
                place=f"taiwan-vocabulary:{word}",
            )


def _converted_positions(document) -> list[int]:
    """Offsets of normalised Hanzi that differ from the original Hanzi they came from (㈠ → (一)
    is an expansion, not a conversion)."""
    normalized = document.normalized
    text = document.text
    original = normalized.original
    # Conversion changes Hanzi one for one; an expansion (㈠ → (一)) adds some. So when the text
    # has the very Hanzi of the original, in order, none was converted: the common case, decided
    # at C speed without mapping each run back to the original.
    if _HANZI_RUN.findall(text) == _HANZI_RUN.findall(original):
        return []
    positions: list[int] = []
    for match in _HANZI_RUN.finditer(text):
        start, end = normalized.original_range(Span(match.start(), match.end()))
        written = original[start:end]
        if written == match.group():
            continue
        if len(written) == len(match.group()):
            # Written all in Hanzi (the usual case): every character that differs was converted.
            all_hanzi = _HANZI_RUN.fullmatch(written) is not None
            offset = match.start()
            positions.extend(
                offset + index
                for index, (before, after) in enumerate(zip(written, match.group()))
                if before != after and (all_hanzi or _HANZI_RUN.fullmatch(before))
            )
            continue
        # Something was deleted inside the run (a zero-width space): compare character by character.
        for offset in range(match.start(), match.end()):
            char_start, char_end = normalized.original_range(Span(offset, offset + 1))
            before = original[char_start:char_end]
            if before != text[offset] and _HANZI_RUN.fullmatch(before):
                positions.append(offset)
    return positions


def _first_traditional_stretch(text: str, converted: list[int]) -> Span:
    """From the first converted character to the last converted one of the same Hanzi run."""
    first = converted[0]
    run = _HANZI_RUN.match(text, first)
    run_end = run.end() if run else first + 1
    last = max(offset for offset in converted if offset < run_end)
    return Span(first, last + 1)


def _inside_compound(text: str, start: int, term: str, lexicon: Lexicon) -> bool:
    for compound in lexicon.terms("legit_compounds"):
        offset = compound.find(term)
        while offset != -1:
            if start - offset >= 0 and text.startswith(compound, start - offset):
                return True
            offset = compound.find(term, offset + 1)
    return False
