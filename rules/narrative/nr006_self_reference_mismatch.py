from __future__ import annotations

import re

from nianbao.api import Finding, Option, Related, Rule, Severity, Span
from nianbao.rules.narrative.lexicon import narrative_lexicon


class SelfReferenceMismatch(Rule):
    """报告对本机关的自称与发布机关不符（乡政府的报告里写"我办"）。

    ## 检查什么
    报告里的"我局""我办""我乡""我镇""我街（道）""我委""我厅""我公司"要与发布机关（标题或落款
    中的机关名称）相符：局的报告称"我局"，办公室称"我办"，乡镇称"我乡""我镇"，街道办事处称
    "我街道""我办"。只报告明显不符的情况：

    - 机关名称里有这个字的不报告（"某局办公室"的报告写"我局"）；
    - 人民政府的报告由政府办公室编写，写"我办"不报告；
    - "我市""我区""我县""我省"指本地，任何机关都可以用，不检查；
    - 认不出发布机关或机关类型时不检查。

    每个不符的自称只在第一次出现处报告一次，并说明全文出现了几次。选项 `accept` 可以列出本机关
    另外认可的自称。

    ## 为什么重要
    自称与机关不符，几乎都是照抄了别的机关或往年的报告、套用模板后没有改全，说明报告内容可能
    与本机关实际不符，属于"内容雷同、敷衍塞责"。

    ## 反例
    ```
    某某镇人民政府2021年政府信息公开工作年度报告
    2021年，我办认真贯彻落实《中华人民共和国政府信息公开条例》……
    ```

    ## 正例
    ```
    某某镇人民政府2021年政府信息公开工作年度报告
    2021年，我镇认真贯彻落实《中华人民共和国政府信息公开条例》……
    ```
    """

    code = "NR006"
    name = "self-reference-mismatch"
    summary = "“我局/我办/我乡/我镇…”与发布机关不符，疑似照抄"
    severity = Severity.WARNING
    options = (
        Option("accept", list, [], "本机关另外认可的自称（字符串列表，如 \"我局\"）"),
    )
    tags = ("narrative",)

    @classmethod
    def resolve_options(cls, given):
        resolved = super().resolve_options(given)
        if not all(isinstance(word, str) and word.startswith("我") and len(word) >= 2 for word in resolved["accept"]):
            raise ValueError(f"规则 {cls.code}：选项 accept 应为以“我”开头的自称列表，如 [\"我局\"]")
        return resolved

    def check(self, document):
        facts = document.facts
        kind, body = facts.body_kind, facts.body
        if kind is None or not body:
            return
        lexicon = narrative_lexicon()
        fitting = {*kind.self_references, *lexicon.self_reference_tolerated.get(kind.key, ()), *self.config["accept"]}
        text = document.text
        for word in lexicon.self_references:
            if word.word in fitting or any(character in body for character in word.kind_characters):
                continue
            places = [
                match.start()
                for match in re.finditer(re.escape(word.word), text)
                if not any(text.startswith(follower, match.end()) for follower in word.unless_followed_by)
            ]
            if not places:
                continue
            first = places[0]
            own = "、".join(_own_words(kind.self_references, body))
            count = f"（全文共 {len(places)} 处）" if len(places) > 1 else ""
            message = (
                f"自称“{word.word}”与发布机关“{body}”（{kind.label}）不符{count}，可能照抄了别的机关或模板"
                + (f"；本机关应自称{own}" if own else "")
            )
            related = (Related(facts.body_span, f"发布机关：{body}"),) if facts.body_span is not None else ()
            yield Finding(
                Span(first, first + len(word.word)),
                message,
                related=related,
                place=f"{document.place_prefix(first)}self-reference:{word.word}",
            )


def _own_words(references: tuple[str, ...], body: str) -> list[str]:
    """The kind's 我… words, those whose last character is in the body's name first (我局 for a 局)."""
    words = [reference for reference in references if reference.startswith("我")]
    named = [word for word in words if word[-1] in body]
    return named or words
