from __future__ import annotations

import re
from dataclasses import dataclass

from nianbao.api import Finding, Rule, Severity, Span
from nianbao.rules.integrity.helpers import group_nearby, section_place

_REPLACEMENT = re.compile("\ufffd+")
_QUESTION_MARKS = re.compile(r"\?{2,}")
# One "?" between Chinese characters or Chinese punctuation (normalised to ASCII ",;:" …): a lost
# character ("我局?年共收到"). Only a half-width one in the original: a real question in Chinese
# text is written with the full-width "？", which normalisation also turns into "?".
_CJK_NEIGHBOUR = "\u3400-\u4dbf\u4e00-\u9fff、。《》“”‘’「」,;:()"
_LONE_QUESTION_MARK = re.compile(f"(?<=[{_CJK_NEIGHBOUR}])\\?(?=[{_CJK_NEIGHBOUR}])")
# Control characters other than tab and line feed (CR is already a line break after
# normalisation). Form feed is left alone: pdftotext writes one at every page break.
_CONTROL = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]+")
# Characters UTF-8 or GBK bytes turn into when read as Latin-1 / Windows-1252.
_CP1252_EXTRAS = (
    "\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2013\u2014"
    "\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122"
)
_LATIN_RUN = re.compile(f"[\u0080-\u00ff{_CP1252_EXTRAS}]{{3,}}")
_ACCENTED = re.compile("[\u00c0-\u00ff]")
_HANZI = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
# Stretches that may be UTF-8 bytes read as GBK: non-ASCII characters (mojibake also yields
# kana, box drawing and ℃), possibly broken by replacement characters.
_NON_ASCII_RUN = re.compile(r"[^\x00-\x7f\s]{3,}")
# Pieces this close on one line are one place ("锟斤拷锟斤拷", "鏀垮簻淇℃伅鍏").
_NEARBY = re.compile(r"[^\n]{0,2}")


@dataclass(frozen=True)
class _Piece:
    start: int
    end: int
    kind: str  # replacement, question, mojibake, control
    recovered: str = ""


class GarbledText(Rule):
    """报告中有乱码或丢失的文字。

    ## 检查什么
    - 替换字符"�"（U+FFFD）：转换编码时无法识别的文字；
    - 连续的问号"??"：文字丢失后常见的占位；夹在汉字或中文标点之间的单个半角问号"?"（"我局?年"）
      也是丢失的文字（中文的问句用全角"？"，不算）；
    - 编码错误造成的乱码，如"锟斤拷""烫烫烫"、UTF-8 文字按 GBK 读出的"鏀垮簻淇℃伅"、
      按 Latin-1 读出的"æ”¿åºœ"（能还原时给出原文）；
    - 看不见的控制字符（制表符、换行和分页符除外）。

    相邻的几处合并为一处报告。

    ## 为什么重要
    乱码处的文字已经丢失或无法阅读，数字、名称可能因此出错；发布前应按原件补正。

    ## 反例
    ```
    数量居前的申请事项主要包含：原油、成品油等大宗商品交易所的经营资质。??
    ```

    ## 正例
    ```
    数量居前的申请事项主要包含：原油、成品油等大宗商品交易所的经营资质。
    ```
    """

    code = "SR005"
    name = "garbled-text"
    summary = "含乱码或丢失的文字"
    severity = Severity.WARNING
    tags = ("source-integrity",)

    def check(self, document):
        text = document.text
        pieces = sorted(_pieces(text, document), key=lambda piece: (piece.start, -piece.end))
        for group in group_nearby(text, pieces, _NEARBY):
            span = Span(group[0].start, max(piece.end for piece in group))
            # Quoted as written: normalisation may have changed mojibake further.
            written_start, written_end = document.normalized.original_range(span)
            written = document.normalized.original[written_start:written_end]
            yield Finding(span, _message(written, group), place=f"{section_place(document, span.start)}garbled")


def _pieces(text: str, document):
    normalized = document.normalized
    # Bytes the file's encoding could not decode are read as "\ufffd" and reported by PS005.
    undecodable = {span.start for span, _ in document.undecodable}
    for match in _REPLACEMENT.finditer(text):
        if not set(range(match.start(), match.end())) <= undecodable:
            yield _Piece(match.start(), match.end(), "replacement")
    for match in _QUESTION_MARKS.finditer(text):
        yield _Piece(match.start(), match.end(), "question")
    for match in _LONE_QUESTION_MARK.finditer(text):
        start, end = normalized.original_range(Span(match.start(), match.end()))
        if normalized.original[start:end] == "?":
            yield _Piece(match.start(), match.end(), "question")
    for start, end, _ in document.lexicon("garbled").finditer("mojibake", text):
        yield _Piece(start, end, "mojibake")
    for match in _LATIN_RUN.finditer(text):
        recovered = _recover_latin(match.group())
        if recovered is not None or len(_ACCENTED.findall(match.group())) >= 2:
            yield _Piece(match.start(), match.end(), "mojibake", recovered or "")
    for match in _NON_ASCII_RUN.finditer(text):
        # Decoded from the original characters: Traditional → Simplified conversion has already
        # changed some of the mojibake (鎶 → 鿔) in the normalised text.
        start, end = normalized.original_range(Span(match.start(), match.end()))
        recovered = _recover_gbk(normalized.original[start:end])
        if recovered is not None:
            yield _Piece(match.start(), match.end(), "mojibake", recovered)
    for match in _CONTROL.finditer(text):
        yield _Piece(match.start(), match.end(), "control")


def _recover_latin(run: str) -> str | None:
    """The text that ``run`` was before UTF-8 (possibly twice) or GBK bytes were read as
    Latin-1 / Windows-1252, if it can be told."""
    for _ in range(2):  # "Ã¤Â¸Â­" is UTF-8 read as Latin-1 twice over
        data = _latin_bytes(run)
        if data is None:
            return None
        decoded = _mostly_decoded(data, "utf-8")
        if decoded is None:
            break
        if re.search(f"[{_HANZI}]", decoded):
            return decoded
        run = decoded
    data = _latin_bytes(run)
    if data is None:
        return None
    try:
        decoded = data.decode("gb18030")
    except UnicodeDecodeError:
        return None
    # GBK read as Latin-1 decodes back to Chinese text: Hanzi and Chinese punctuation.
    chinese = len(re.findall(f"[{_HANZI}\u2018-\u201d\u3000-\u303f\uff01-\uff5e]", decoded))
    return decoded if chinese * 10 >= len(decoded) * 7 else None


def _latin_bytes(run: str) -> bytes | None:
    data = bytearray()
    for char in run:
        try:
            data += char.encode("cp1252")
        except UnicodeEncodeError:
            try:
                data += char.encode("latin-1")  # the five bytes cp1252 leaves undefined
            except UnicodeEncodeError:
                return None
    return bytes(data)


def _recover_gbk(run: str) -> str | None:
    """The text behind characters that are UTF-8 bytes read as GBK ("鏀垮簻淇" → "政府").

    Ordinary text re-encoded as GBK is not UTF-8: decoding it yields replacement characters almost
    everywhere, while real mojibake decodes mostly cleanly (the ends may be cut mid-character).
    """
    # Replacement characters mark bytes already lost: decode the stretches between them apart,
    # or everything after the first one would be misaligned.
    kept: list[str] = []
    lost = 0
    for stretch in run.split("\ufffd"):
        data = stretch.encode("gbk", errors="ignore")
        decoded = data.decode("utf-8", errors="replace")
        lost += decoded.count("\ufffd")
        kept.append(decoded.replace("\ufffd", ""))
    recovered = "".join(kept)
    hanzi = len(re.findall(f"[{_HANZI}]", recovered))
    if hanzi >= 2 and lost * 3 <= hanzi + 1:
        return recovered
    return None


def _mostly_decoded(data: bytes, codec: str) -> str | None:
    """``data`` decoded with lost bytes dropped, when little was lost and something non-ASCII
    came out; None otherwise."""
    decoded = data.decode(codec, errors="replace")
    lost = decoded.count("\ufffd")
    kept = decoded.replace("\ufffd", "")
    meaningful = sum(1 for char in kept if not char.isascii())
    if meaningful >= 1 and lost * 3 <= meaningful + 1:
        return kept
    return None


def _message(snippet: str, group: list[_Piece]) -> str:
    kinds = {piece.kind for piece in group}
    if kinds == {"control"}:
        codes = "、".join(sorted({f"U+{ord(char):04X}" for char in snippet if _CONTROL.fullmatch(char)}))
        return f"含不可见的控制字符（{codes}）：可能来自复制或格式转换，应删除"
    shown = snippet if len(snippet) <= 30 else snippet[:30] + "…"
    if "mojibake" in kinds:
        recovered = "".join(piece.recovered for piece in group if piece.recovered)
        hint = f"，原文可能是“{recovered}”" if recovered else ""
        return f"乱码“{shown}”：文字按错误的编码读取后变成了乱码{hint}，请按原件补正"
    if kinds == {"question"}:
        return f"文字丢失：“{shown}”处可能是转换时无法显示而丢失的文字，请按原件补正"
    count = snippet.count("\ufffd")
    return f"乱码“{shown}”：含 {count} 个无法识别的字符（�），文字在转换编码时已丢失，请按原件补正"
