"""Reading report files: bytes → text, with encoding detection and clear refusals.

Reports come from Chinese government machines, so besides UTF-8 (with or without BOM) and
BOM-marked UTF-16/32 we must read GB18030/GBK and Big5. Detection is not a blind guess: each
legacy candidate is decoded strictly and kept only if the result looks like real Chinese text.
Anything that goes wrong surfaces as one :class:`ReadError` carrying a Chinese message.
"""

from __future__ import annotations

import codecs
import os
import re
import stat
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from nianbao.read.origin import Origin

__all__ = ["ReadError", "SourceFacts", "SourceText", "decode_bytes", "read_path"]


class ReadError(Exception):
    """A file could not be turned into text.

    ``message`` is one Chinese sentence for the report author; ``reason`` is a short ASCII tag:
    ``binary``, ``encoding``, ``missing``, ``permission``, ``directory``, ``too-large``, ``io``, or
    for documents ``needs-extra`` (the reader's extra is not installed), ``unsupported`` (a format
    nianbao does not read), ``damaged``, ``encrypted``, ``too-many-pages``, ``unsafe`` (a zip bomb or
    a document that tries to fetch or expand what it should not) and ``timeout``.
    """

    def __init__(self, message: str, reason: str) -> None:
        # Both in args so the error survives pickling (e.g. when files are read in worker processes).
        super().__init__(message, reason)
        self.message = message
        self.reason = reason

    def __str__(self) -> str:
        return self.message

    def __repr__(self) -> str:
        return f"ReadError({self.message!r}, {self.reason!r})"


@dataclass(frozen=True)
class SourceFacts:
    """What a document says about itself outside its text: HTML ``<title>`` and publication-date
    meta, DOCX core properties, PDF metadata. Dates are ISO ``YYYY-MM-DD`` strings; a fact the file
    does not carry is None. ``ocr_pages`` are the pages whose text was recognised from an image."""

    title: str | None = None
    published: str | None = None
    author: str | None = None
    created: str | None = None
    modified: str | None = None
    producer: str | None = None
    pages: int | None = None
    ocr_pages: tuple[int, ...] = ()


@dataclass(frozen=True)
class SourceText:
    """A decoded file, or the text read out of a document.

    ``text`` is the original text with any BOM removed and line ends kept exactly as in the file.
    ``encoding`` is a Python codec name; ``utf-16``/``utf-32`` mean the file carried a BOM.
    ``format`` is ``text``, ``html``, ``docx`` or ``pdf``; for all but ``text``, ``text`` is what the
    reader extracted and ``origin`` leads from it back to the file (:mod:`nianbao.read.origin`).
    """

    path: str
    text: str
    encoding: str
    format: str = "text"
    origin: Origin | None = field(default=None, compare=False, repr=False)
    facts: SourceFacts = field(default_factory=SourceFacts)
    undecodable: tuple[tuple[int, bytes], ...] = ()
    """Runs of bytes the encoding could not decode, as ``(offset in text, the bytes)``: each read as
    one "\ufffd" so the rest of the file is linted (PS005 reports them)."""

    @property
    def located_text(self) -> str:
        """The text diagnostics' lines and columns count in: the HTML file itself for a web page,
        else ``text`` (for a DOCX or PDF the extracted text ``nianbao extract`` shows)."""
        if self.origin is not None and self.origin.file_text is not None:
            return self.origin.file_text
        return self.text


# Magic numbers of formats that are not text, so the refusal can say what the file really is.
# Checked before anything else: some (RTF, PDF) would otherwise decode as "text". The document
# formats nianbao reads (PDF, Word, OFD) reach this only when handed over as text (piped in).
_SEE_ORIGINAL = "请检查报告的 Word、PDF、OFD 或网页原件"
_SAVE_AS_DOCX = "请用 Word 或 WPS 打开后“另存为” .docx"
_FILE_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "PDF 文件：请直接检查 .pdf 文件本身，不要当作纯文本输入"),
    (b"PK\x03\x04", "压缩包或 Word/WPS/OFD 文档：请直接检查 .docx 或 .ofd 文件本身，不要当作纯文本输入"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", f"旧版 Word/WPS/Excel 文档（.doc/.wps/.xls）：{_SAVE_AS_DOCX}"),
    (b"{\\rtf", f"RTF 格式文档：{_SAVE_AS_DOCX}"),
    (b"\x89PNG\r\n\x1a\n", f"PNG 图片：{_SEE_ORIGINAL}"),
    (b"\xff\xd8\xff", f"JPEG 图片：{_SEE_ORIGINAL}"),
    (b"GIF87a", f"GIF 图片：{_SEE_ORIGINAL}"),
    (b"GIF89a", f"GIF 图片：{_SEE_ORIGINAL}"),
    (b"II*\x00", f"TIFF 图片：{_SEE_ORIGINAL}"),
    (b"MM\x00*", f"TIFF 图片：{_SEE_ORIGINAL}"),
    (b"\x1f\x8b", "gzip 压缩文件：请解压后检查其中的报告"),
    (b"Rar!\x1a\x07", "RAR 压缩文件：请解压后检查其中的报告"),
    (b"7z\xbc\xaf\x27\x1c", "7z 压缩文件：请解压后检查其中的报告"),
    (b"\x7fELF", "可执行程序，不是报告"),
)

# Longest BOMs first: the UTF-32-LE BOM starts with the UTF-16-LE one.
_BOMS: tuple[tuple[bytes, str, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32", "UTF-32"),
    (codecs.BOM_UTF32_BE, "utf-32", "UTF-32"),
    (codecs.BOM_UTF8, "utf-8-sig", "UTF-8"),
    (codecs.BOM_UTF16_LE, "utf-16", "UTF-16"),
    (codecs.BOM_UTF16_BE, "utf-16", "UTF-16"),
)

# Legacy encodings tried, in order of preference on a tie. GB18030 is a superset of GBK and GB2312;
# cp950 (Windows) and Big5-HKSCS (Hong Kong) extend Big5.
_LEGACY_CANDIDATES = ("gb18030", "big5", "cp950", "big5hkscs")

# Encodings whose files are worth diagnosing when only a few bytes are broken (e.g. a file cut
# inside a character, or one pasted fragment in another encoding).
_DAMAGE_CANDIDATES = (("utf-8", "UTF-8"), ("gb18030", "GB18030/GBK"))

# Below this share of plausible non-ASCII characters a legacy decoding is treated as garbage. Real
# report lines score above 0.98; random bytes that happen to decode as GB18030 average 0.64.
_MIN_PLAUSIBILITY = 0.85

# Control characters an ordinary text file may contain: tab, line feed, vertical tab, form feed
# (page breaks from pdftotext), carriage return.
_ALLOWED_CONTROLS = frozenset("\t\n\v\f\r")
_CONTROL_CHARACTER = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f]")

_MESSAGE_BINARY = "不是文本文件（含二进制数据）"
_MESSAGE_UNKNOWN_ENCODING = "无法识别文件编码：既不是 UTF-8、UTF-16，也不是 GB18030（GBK）或 Big5"


def decode_bytes(data: bytes, path: str = "<stdin>") -> SourceText:
    """Decode a whole file's bytes; raise :class:`ReadError` for binary or undecodable data."""
    if not data:
        return SourceText(path, "", "utf-8")

    for signature, kind in _FILE_SIGNATURES:
        if data.startswith(signature):
            separator = " " if kind[0].isascii() else ""  # a space between Chinese and Latin text
            raise ReadError(f"不是文本文件，而是{separator}{kind}", "binary")

    for bom, codec, name in _BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(codec)  # these codecs consume the BOM
            except UnicodeDecodeError:
                raise ReadError(f"文件开头标明是 {name} 编码，但内容不符合该编码", "encoding") from None
            _refuse_control_heavy(text)
            return SourceText(path, text, codec)

    if b"\x00" in data:
        raise ReadError(_MESSAGE_BINARY, "binary")

    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text, codec, *undecodable = _decode_legacy(data)
        return SourceText(path, text, codec, undecodable=undecodable[0] if undecodable else ())
    _refuse_control_heavy(text)
    return SourceText(path, text, "utf-8")


def read_path(path: str | os.PathLike, max_bytes: int = 20 * 1024 * 1024) -> SourceText:
    """Read and decode one text file; every failure becomes a :class:`ReadError`."""
    display_path = shown_path(path)
    try:
        with open(display_path, "rb") as handle:
            info = os.fstat(handle.fileno())
            if stat.S_ISDIR(info.st_mode):
                raise ReadError("是目录而不是文件", "directory")
            if stat.S_ISREG(info.st_mode) and info.st_size > max_bytes:
                raise ReadError(f"文件过大（超过 {_format_size(max_bytes)}）", "too-large")
            # Pipes and devices have no size: read one byte past the limit to notice overflow.
            data = handle.read(max_bytes + 1)
    except (OSError, ValueError) as error:
        raise file_error(error) from None
    if len(data) > max_bytes:
        raise ReadError(f"文件过大（超过 {_format_size(max_bytes)}）", "too-large")
    return decode_bytes(data, display_path)


def iso_date(match: re.Match[str] | None) -> str | None:
    """The ``YYYY-MM-DD`` of a match whose groups are year, month and day (the form of the dates in
    :class:`SourceFacts`); None for no match or a day no calendar has."""
    if match is None or None in match.groups():
        return None
    try:
        return date(*(int(part) for part in match.groups())).isoformat()
    except ValueError:
        return None


def shown_path(path: str | os.PathLike) -> str:
    """``path`` as a string for messages and results (bytes paths decoded as the OS does)."""
    try:
        shown = os.fspath(path)
    except TypeError:
        raise ReadError("文件名无效", "missing") from None
    return os.fsdecode(shown) if isinstance(shown, bytes) else shown


def file_error(error: OSError | ValueError) -> ReadError:
    """The :class:`ReadError` for a failure to open or read a file."""
    if isinstance(error, FileNotFoundError):
        return ReadError("文件不存在", "missing")
    if isinstance(error, NotADirectoryError):
        return ReadError("文件不存在（路径中有一段不是目录）", "missing")
    if isinstance(error, IsADirectoryError):
        return ReadError("是目录而不是文件", "directory")
    if isinstance(error, PermissionError):
        return ReadError("没有读取权限", "permission")
    if isinstance(error, OSError):
        return ReadError(f"读取文件时出错（{error.strerror or type(error).__name__}）", "io")
    return ReadError("文件名无效", "missing")  # embedded NUL or unencodable characters in the path


def _format_size(size: int) -> str:
    mebibyte = 1024 * 1024
    if size >= mebibyte:
        amount = size / mebibyte
        return f"{amount:.0f} MB" if amount == int(amount) else f"{amount:.1f} MB"
    if size >= 1024:
        amount = size / 1024
        return f"{amount:.0f} KB" if amount == int(amount) else f"{amount:.1f} KB"
    return f"{size} 字节"


def _is_control(char: str) -> bool:
    code = ord(char)
    return (code < 0x20 or 0x7F <= code <= 0x9F) and char not in _ALLOWED_CONTROLS


def _refuse_control_heavy(text: str) -> None:
    """Text decodes but is full of control characters: a binary file, not a report."""
    if _CONTROL_CHARACTER.search(text) is None:  # the usual case, answered at C speed
        return
    controls = len(_CONTROL_CHARACTER.findall(text))
    # A stray control character or two is a defect inside a text file, not proof of binary data.
    if controls > 2 and controls * 100 > len(text):
        raise ReadError(_MESSAGE_BINARY, "binary")


def _decode_legacy(data: bytes) -> tuple:
    """Pick the legacy encoding whose strict decoding reads as real text: ``(text, codec)``, or for
    an almost valid file ``(text, codec, undecodable runs)``."""
    best: tuple[float, str, str] | None = None
    for codec in _LEGACY_CANDIDATES:
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        score = _plausibility(text)
        if best is None or score > best[0]:
            best = (score, text, codec)
        if score >= 1.0:
            break  # nothing later can win a tie
    if best is not None and best[0] >= _MIN_PLAUSIBILITY:
        _refuse_control_heavy(best[1])
        return best[1], best[2]

    if _looks_binary(data):
        raise ReadError(_MESSAGE_BINARY, "binary")
    damaged = _decode_damaged(data)
    if damaged is not None:
        return damaged
    raise ReadError(_MESSAGE_UNKNOWN_ENCODING, "encoding")


def _decode_damaged(data: bytes) -> tuple[str, str, tuple[tuple[int, bytes], ...]] | None:
    """An almost valid file (a file cut inside a character, one pasted fragment in another
    encoding): the text with each run of bad bytes read as one "\ufffd", the codec, and the runs as
    ``(offset in the text, the bytes)``, so the rest is linted and each run reported where it is."""
    for codec, _ in _DAMAGE_CANDIDATES:
        replaced = data.decode(codec, errors="replace")
        if replaced.count("\ufffd") * 100 > len(data):  # more than 1 % broken: not this encoding
            continue
        if _plausibility(replaced.replace("\ufffd", "")) < _MIN_PLAUSIBILITY:
            continue
        pieces: list[str] = []
        runs: list[tuple[int, bytes]] = []
        length = position = 0
        decoder = codecs.getincrementaldecoder(codec)()
        while position < len(data):
            try:
                piece = decoder.decode(data[position:], final=True)
            except UnicodeDecodeError as error:
                piece = data[position : position + error.start].decode(codec)
                bad = data[position + error.start : position + error.end]
                pieces.extend((piece, "\ufffd"))
                length += len(piece)
                if runs and runs[-1][0] + 1 == length and runs[-1][1]:  # the run goes on
                    runs[-1] = (runs[-1][0], runs[-1][1] + bad)
                    pieces.pop()
                else:
                    runs.append((length, bad))
                    length += 1
                position += error.end
                decoder.reset()
                continue
            pieces.append(piece)
            break
        text = "".join(pieces)
        _refuse_control_heavy(text)
        return text, codec, tuple(runs)
    return None


_CONTROL_BYTES = bytes(byte for byte in [*range(0x20), 0x7F] if chr(byte) not in _ALLOWED_CONTROLS)


def _looks_binary(data: bytes) -> bool:
    sample = data[:65536]
    controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    return controls * 100 > len(sample)


def _plausibility(text: str) -> float:
    """Share (0–1) of the non-ASCII characters that look like ordinary Chinese document text.

    A wrong legacy decoding yields kana, Cyrillic, private-use and rare ideographs where the real
    text has common Chinese characters, so it scores far lower than the right one.
    """
    total = 0
    weighted = 0.0
    for char, count in Counter(text).items():
        if char < "\x80" and not _is_control(char):
            continue
        total += count
        weighted += count * _char_weight(char)
    if total == 0:
        return 1.0
    return weighted / total


def _char_weight(char: str) -> float:
    if _is_control(char):
        return 0.0
    code = ord(char)
    if 0x3400 <= code <= 0x9FFF or 0x20000 <= code <= 0x3FFFF or 0xF900 <= code <= 0xFAFF:
        return _hanzi_weight(char)
    if 0x3040 <= code <= 0x31FF or 0xAC00 <= code <= 0xD7AF or 0x0400 <= code <= 0x04FF:
        # Kana, bopomofo, Hangul, Cyrillic: the typical debris of a wrong CJK decoding.
        return 0.0
    if (
        0x3000 <= code <= 0x303F  # CJK punctuation
        or 0xFF01 <= code <= 0xFF5E  # full-width ASCII
        or 0x2010 <= code <= 0x2027  # dashes, quotes, ellipsis
        or 0x2160 <= code <= 0x217F  # Roman numerals
        or 0x2460 <= code <= 0x24FF  # ①, ⑴, ⒈
        or 0x3220 <= code <= 0x3243  # ㈠
    ):
        return 1.0
    if 0x2500 <= code <= 0x257F:  # box drawing: debris of Big5 read as GBK
        return 0.2
    category = unicodedata.category(char)
    if category in ("Co", "Cn", "Cs", "Cc"):
        return 0.0
    return 0.8


def _hanzi_weight(char: str) -> float:
    """How ordinary a Chinese character is, judged by the classic character-set levels.

    Level 1 of GB2312 holds the 3755 most used Simplified characters and level 1 of Big5 the 5401
    most used Traditional ones; a wrong decoding lands mostly on level 2 or outside both.
    """
    weight = 0.3
    try:
        encoded = char.encode("gb2312")
    except UnicodeEncodeError:
        pass
    else:
        if 0xB0A1 <= int.from_bytes(encoded, "big") <= 0xD7FE:
            return 1.0
        weight = 0.7
    try:
        encoded = char.encode("big5")
    except UnicodeEncodeError:
        return weight
    if 0xA440 <= int.from_bytes(encoded, "big") <= 0xC67E:
        return 1.0
    return max(weight, 0.6)
