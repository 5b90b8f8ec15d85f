"""Reports for the cross-report tests, made from the example reports and from generated sentences:
a report copied from the body's previous year with figures and dates changed, one copied from
another body with the name replaced, and reports sharing a known number of sentences."""

from __future__ import annotations

import random
import re
from pathlib import Path

EXAMPLES = Path(__file__).resolve().parent.parent / "docs" / "examples"
COMMERCE_2020 = EXAMPLES / "000_b67df828cb4a1735.txt"
"""市商务局 2020 年的报告, without a publication date."""
LVYUAN_2020 = EXAMPLES / "001_9e37d6351cd66a1a.txt"
"""绿园区商务局 2020 年的报告, another body's and other words."""

STATUTORY = (
    "本报告根据《中华人民共和国政府信息公开条例》（以下简称《条例》）第五十条规定编制。",
    "本报告所列数据的统计期限为{year}年1月1日至12月31日。",
)

# Characters of generated sentences: none is a number (一, 十 …) or punctuation, which masking drops.
_CHARACTERS = "政务公开工作推进信息平台建设管理规范制度服务群众办理答复栏目网站发布审核解读回应培训监督考核落实完善优化强化"

SENTENCE_LENGTH = 20


def previous_year_copy(text: str, year: int) -> str:
    """``text`` (a report of ``year``) as next year's report: every year moved on by one and every
    other figure changed, the words kept."""
    moved = re.sub(r"(?<!\d)" + str(year) + r"(?!\d)", str(year + 1), text)
    moved = re.sub(r"(?<!\d)" + str(year - 1) + r"(?!\d)", str(year), moved)
    return re.sub(r"(?<![\d年])\b(\d{1,3})(?=[条件个项次名])", lambda match: str(int(match.group(1)) + 7), moved)


def other_body_copy(text: str, name: str, replacement: str) -> str:
    """``text`` with the body's name replaced, as another body that took it over would write it."""
    return text.replace(name, replacement)


def with_statutory(text: str, year: int) -> str:
    """``text`` with the statutory sentences of the 2021 format after its title line."""
    title, _, rest = text.partition("\n")
    sentences = "".join(sentence.format(year=year) for sentence in STATUTORY)
    return f"{title}\n{sentences}\n{rest}"


def sentences(count: int, seed: int) -> list[str]:
    """``count`` different sentences of ``SENTENCE_LENGTH`` characters each (after masking)."""
    rng = random.Random(seed)
    made: list[str] = []
    while len(made) < count:
        sentence = "".join(rng.choice(_CHARACTERS) for _ in range(SENTENCE_LENGTH)) + "。"
        if sentence not in made:
            made.append(sentence)
    return made


def report(name: str, year: int, body: list[str], paragraph: int = 4) -> str:
    """A report of ``name`` for ``year`` whose overview is ``body``, ``paragraph`` sentences a paragraph,
    and which ends with the statutory sentences and a sign-off."""
    paragraphs = ["".join(body[start : start + paragraph]) for start in range(0, len(body), paragraph)]
    statutory = "".join(sentence.format(year=year) for sentence in STATUTORY)
    return "\n".join(
        [f"{name}{year}年政府信息公开工作年度报告", statutory, "一、总体情况", *paragraphs, "六、其他需要报告的事项", "无。", name, f"{year + 1}年1月20日", ""]
    )


def copied_report(source: list[str], copied: list[int], total: int, seed: int) -> list[str]:
    """``total`` sentences: those of ``source`` at the positions ``copied``, fresh ones elsewhere."""
    fresh = iter(sentence for sentence in sentences(total + len(source), seed) if sentence not in source)
    chosen = set(copied)
    return [source[position] if position in chosen else next(fresh) for position in range(total)]
