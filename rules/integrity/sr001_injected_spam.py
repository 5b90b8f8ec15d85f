from __future__ import annotations

import re
from dataclasses import dataclass

from nianbao.api import Finding, Lexicon, Option, Rule, Severity, Span
from nianbao.rules.integrity.helpers import section_place

# ASCII letters mixed with digits: the shape of gambling brand tokens (beat365, 365bet, bte365).
# Not a part of a domain or an e-mail address (preceded by . @ /), where SR006 looks instead.
_BRAND_TOKEN = re.compile(
    r"(?<![A-Za-z0-9.@/])(?=[A-Za-z0-9]*[A-Za-z])(?=[A-Za-z0-9]*[0-9])[A-Za-z0-9]{3,}(?![A-Za-z0-9])"
)
# What may join the pieces of one injected run: beat365体育亚洲入口_365bet最新备用_bte365.
_JOINER = re.compile(r"[ \t_\-|/·~]{0,3}")
# Two spam stretches on one line this close, without sentence punctuation between, are one place
# (国产精品久久久久久一区二区).
_NEARBY_GAP = re.compile(r"[^。，,；;！!？?\n]{0,6}")

_CATEGORY_LABELS = {"gambling": "博彩", "lottery": "彩票", "porn": "色情"}
_PHRASE_SECTIONS = (("gambling_phrases", "gambling"), ("lottery_phrases", "lottery"), ("porn_phrases", "porn"))
# Kinds of piece, by priority when two overlap at one position.
_PRIORITY = {"brand": 0, "phrase": 1, "ambiguous": 2, "token": 3, "strong": 4, "weak": 5, "filler": 6}


@dataclass(frozen=True)
class _Piece:
    start: int
    end: int
    kind: str
    category: str = "gambling"
    generic: bool = False
    brand_shaped: bool = False
    """A token with at least two letters and two digits (beat365, not P2P or e12345)."""


@dataclass(frozen=True)
class _Run:
    start: int
    end: int
    category: str


class InjectedSpam(Rule):
    """正文中混入了博彩、彩票或色情广告。

    ## 检查什么
    报告文字中出现博彩、彩票、色情网站的广告词，常见于从被劫持的政府网站镜像转载的文本：
    品牌词（如 beat365、365bet、bte365、威廉希尔）与"体育、官网、入口、备用、网址、app下载、娱乐"
    等词连成一串，或"买球""时时彩""国产精品""一区二区"之类的广告语。广告顶替了地名或机关名称时
    （"beat365体育亚洲入口_365bet最新备用_bte365市商务局"），会特别指出。

    "体育局""成人教育""平台建设""门户网站"等正常用语不会被报告：只有与品牌词相连，
    或者本身就是广告语时才算。

    可用选项 `extra_brands`（字符串列表）补充本地发现的品牌词。

    ## 为什么重要
    这类文字说明报告文本被篡改，或取自被黑客篡改的网页。公开这样的报告会损害机关公信力，
    地名、机关名称被替换还会让报告失去归属。

    ## 反例
    ```
    完善《beat365体育亚洲入口_365bet最新备用_bte365市商务局政府信息公开指南》
    ```

    ## 正例
    ```
    完善《某某市商务局政府信息公开指南》
    ```
    """

    code = "SR001"
    name = "injected-spam"
    summary = "正文混入博彩、彩票或色情广告"
    severity = Severity.ERROR
    options = (
        Option("extra_brands", list, [], "补充的博彩品牌词（字符串列表），出现即报告", item_type=str),
        Option("extra_phrases", list, [], "补充的广告语（字符串列表），按博彩类报告", item_type=str),
    )
    tags = ("source-integrity",)

    def check(self, document):
        text = document.text
        lexicon = document.lexicon(
            "spam", [{"brands": self.config["extra_brands"], "gambling_phrases": self.config["extra_phrases"]}]
        )
        body = document.facts.body

        def replaced_name(run: _Run) -> str | None:
            return _replaced_name(text, run.start, run.end, body, lexicon)

        runs = _merge_nearby(text, list(_spam_runs(text, lexicon)), replaced_name)
        for run in runs:
            span = Span(run.start, run.end)
            written_start, written_end = document.normalized.original_range(span)
            snippet = document.normalized.original[written_start:written_end]  # as written, for finding it
            label = _CATEGORY_LABELS[run.category]
            replaced = replaced_name(run)
            if replaced is not None:
                restore = "地名" if replaced.endswith("地名") else replaced
                message = f"疑似被篡改：{replaced}被替换为{label}广告“{snippet}”，请按原件恢复{restore}"
            else:
                message = f"疑似被植入{label}广告“{snippet}”：报告文本可能被篡改或转载自被劫持的网页，请删除并核对原件"
            yield Finding(span, message, place=f"{section_place(document, run.start)}spam:{run.category}")


def _pieces(text: str, lexicon: Lexicon) -> list[_Piece]:
    """Every piece a spam run can be made of, overlaps resolved in favour of the longer, then
    the more telling piece."""
    found: list[_Piece] = []
    for start, end, _ in lexicon.finditer("brands", text):
        found.append(_Piece(start, end, "brand"))
    for section, category in _PHRASE_SECTIONS:
        for start, end, _ in lexicon.finditer(section, text):
            found.append(_Piece(start, end, "phrase", category))
    for start, end, _ in lexicon.finditer("ambiguous_brands", text):
        found.append(_Piece(start, end, "ambiguous"))
    legit = {token.casefold() for token in lexicon.terms("legit_tokens")}
    for match in _BRAND_TOKEN.finditer(text):
        token = match.group()
        if token.casefold() not in legit:
            digits = sum(char.isdigit() for char in token)
            shaped = digits >= 2 and len(token) - digits >= 2
            found.append(_Piece(match.start(), match.end(), "token", brand_shaped=shaped))
    for start, end, term in lexicon.finditer("strong_suffixes", text):
        found.append(_Piece(start, end, "strong", generic=bool(term.get("generic"))))
    for start, end, _ in lexicon.finditer("weak_suffixes", text):
        found.append(_Piece(start, end, "weak"))
    for start, end, _ in lexicon.finditer("fillers", text):
        found.append(_Piece(start, end, "filler"))
    found.sort(key=lambda piece: (piece.start, -(piece.end - piece.start), _PRIORITY[piece.kind]))
    kept: list[_Piece] = []
    for piece in found:
        if kept and piece.start < kept[-1].end:
            continue
        kept.append(piece)
    return kept


def _spam_runs(text: str, lexicon: Lexicon):
    """Maximal runs of adjacent pieces that make up an advertisement."""
    group: list[_Piece] = []
    for piece in _pieces(text, lexicon):
        if group and not _JOINER.fullmatch(text, group[-1].end, piece.start):
            yield from _judge(group)
            group = []
        group.append(piece)
    if group:
        yield from _judge(group)


def _judge(group: list[_Piece]):
    """The run in ``group`` if it is spam, trimmed of neutral words at its edges."""
    if not _is_spam(group):
        return
    edge_kinds = ("weak", "filler")
    first = 0
    while group[first].kind in edge_kinds:
        first += 1
    last = len(group) - 1
    while group[last].kind == "filler":
        last -= 1
    telling = next(
        (piece for piece in group if piece.kind in ("brand", "phrase", "token", "ambiguous")), group[first]
    )
    yield _Run(group[first].start, group[last].end, telling.category)


def _is_spam(group: list[_Piece]) -> bool:
    kinds = [piece.kind for piece in group]
    if "brand" in kinds or "phrase" in kinds:
        return True
    tokens = kinds.count("token")
    words = sum(kind in ("strong", "weak", "filler") for kind in kinds)
    if tokens >= 2 and words:
        return True
    # Beside a word brand only 体育, 娱乐 … (generic) could be a real name (半岛体育中心,
    # 银河娱乐集团): it takes a second ad word of the run (金沙体育平台).
    ad_words = sum(kind in ("strong", "weak") for kind in kinds)
    for index, piece in enumerate(group):
        neighbours = group[max(index - 1, 0) : index] + group[index + 1 : index + 2]
        if piece.kind == "token":
            if any(other.kind == "strong" for other in neighbours):
                return True
            # 入口, 平台 … are common beside standards and models (P2P平台, IPv6平台); beside a
            # brand-like token with several letters and several digits they mark an advert.
            if any(other.kind == "weak" for other in neighbours) and piece.brand_shaped:
                return True
        if piece.kind == "ambiguous":
            strong = [other for other in neighbours if other.kind == "strong"]
            if any(not other.generic for other in strong):
                return True
            if strong and ad_words >= 2:
                return True
    return False


def _merge_nearby(text: str, runs: list[_Run], replaced_name) -> list[_Run]:
    """Runs of one category close together on a line as one place, unless the earlier one
    stands in for a name: each tampered name is a place of its own."""
    merged: list[_Run] = []
    for run in runs:
        if (
            merged
            and merged[-1].category == run.category
            and _NEARBY_GAP.fullmatch(text, merged[-1].end, run.start)
            and replaced_name(merged[-1]) is None
        ):
            merged[-1] = _Run(merged[-1].start, run.end, run.category)
        else:
            merged.append(run)
    return merged


def _replaced_name(text: str, start: int, end: int, body: str | None, lexicon: Lexicon) -> str | None:
    """The kind of name the run stands in for (地名, 机关名称中的地名, 机关名称), judged by what
    follows it; None when it does not take a name's place."""
    following = text[end : end + 12]
    place_suffix = next((suffix for suffix in lexicon.terms("place_suffixes") if following.startswith(suffix)), None)
    if place_suffix is not None:
        after_place = following[len(place_suffix) :]
        if any(after_place.startswith(word) for word in lexicon.terms("organ_words")):
            return "机关名称中的地名"
        return "地名"
    if any(following.startswith(word) for word in lexicon.terms("organ_words")):
        return "机关名称"
    # The body's name from the title, unless the title is itself the spam (a banner first line).
    if body and len(following) >= 2 and following[:2] in body and text[start:end] not in body:
        return "机关名称"
    return None
