"""Which reader a file needs, and a precise refusal for the files nianbao does not read.

The file's first bytes decide, not its name: a ``.docx`` that is really a spreadsheet, or a
``.txt`` that is a PDF, is told apart and named. The name only decides between plain text and
HTML, which both start as text. Each document reader lives in its own module, imported only when
a file of its format comes, and needs its optional extra (``pip install 'nianbao[pdf]'``).
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import select
import stat
import time
from dataclasses import dataclass
from functools import lru_cache
from pathlib import PurePath

from nianbao.read.source import (
    _FILE_SIGNATURES,
    ReadError,
    SourceText,
    _format_size,
    decode_bytes,
    file_error,
    shown_path,
)

__all__ = [
    "DOCUMENT_SUFFIXES",
    "FORMATS",
    "ReadLimits",
    "available_formats",
    "decode_document",
    "detect_format",
    "read_document",
]


@dataclass(frozen=True)
class ReadLimits:
    """Bounds on what one file may cost. Reports are a few pages; anything far beyond is refused
    with a message rather than read for minutes."""

    max_text_bytes: int = 20 * 1024 * 1024
    max_document_bytes: int = 100 * 1024 * 1024
    max_pages: int = 300
    max_zip_members: int = 5000
    max_unzipped_bytes: int = 256 * 1024 * 1024
    max_xml_bytes: int = 64 * 1024 * 1024
    max_characters: int = 1_000_000
    """Characters of text one document may yield; a long report has about 50,000."""
    max_seconds: float = 120.0


DEFAULT_LIMITS = ReadLimits()


@dataclass(frozen=True)
class Format:
    name: str
    label: str
    """How messages name the format."""
    module: str
    function: str
    extra: str
    requires: tuple[str, ...]
    """Modules the reader imports; all present means the reader is available."""
    suffixes: tuple[str, ...]


FORMATS: dict[str, Format] = {
    "docx": Format("docx", "Word/WPS 文档（.docx）", "nianbao.read.docx", "read_docx", "docx", ("docx", "lxml"),
                   (".docx", ".docm", ".wpsx")),
    "html": Format("html", "网页（HTML）", "nianbao.read.html", "read_html", "html", ("lxml",),
                   (".html", ".htm", ".shtml", ".xhtml")),
    "pdf": Format("pdf", "PDF 文件", "nianbao.read.pdf", "read_pdf", "pdf", ("pdfplumber",), (".pdf",)),
    "ofd": Format("ofd", "OFD 版式文件（.ofd）", "nianbao.read.ofd", "read_ofd", "ofd", ("lxml",), (".ofd",)),
}
DOCUMENT_SUFFIXES = frozenset(suffix for spec in FORMATS.values() for suffix in spec.suffixes)
TEXT_SUFFIXES = frozenset({".txt", ".md", ".markdown", ".text"})

# What an OLE2 compound file (the container of the legacy Office and WPS formats) holds is told by
# the names of its streams, written in UTF-16 in its directory.
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_CONVERT_TO_DOCX = "请用 Word 或 WPS 打开后“另存为” .docx，或转换：libreoffice --headless --convert-to docx 文件名"
_NOT_A_REPORT = "年度报告请以 Word 文档、PDF、OFD 或网页检查"
_OLE_STREAMS = (
    ("WordDocument", {".wps": "旧版 WPS 文字文档（.wps）"}, "旧版 Word 文档（.doc）", _CONVERT_TO_DOCX),
    ("Workbook", {".et": "旧版 WPS 表格（.et）"}, "旧版 Excel 表格（.xls）", _NOT_A_REPORT),
    ("Book", {".et": "旧版 WPS 表格（.et）"}, "旧版 Excel 表格（.xls）", _NOT_A_REPORT),
    ("PowerPoint Document", {".dps": "旧版 WPS 演示文稿（.dps）"}, "旧版 PowerPoint 演示文稿（.ppt）", _NOT_A_REPORT),
)
_OLE_KINDS = {
    ".doc": "旧版 Word 文档（.doc）",
    ".wps": "旧版 WPS 文字文档（.wps）",
    ".xls": "旧版 Excel 表格（.xls）",
    ".et": "旧版 WPS 表格（.et）",
    ".ppt": "旧版 PowerPoint 演示文稿（.ppt）",
}
_ZIP_KINDS = (
    ("xl/", "Excel 表格（.xlsx），不是 Word 文档"),
    ("ppt/", "PowerPoint 演示文稿（.pptx），不是 Word 文档"),
)
_OPEN_DOCUMENT_KINDS = {
    b"application/vnd.oasis.opendocument.text": ("OpenDocument 文字文档（.odt）", _CONVERT_TO_DOCX),
    b"application/vnd.oasis.opendocument.spreadsheet": ("OpenDocument 表格（.ods）", _NOT_A_REPORT),
    b"application/vnd.oasis.opendocument.presentation": ("OpenDocument 演示文稿（.odp）", _NOT_A_REPORT),
}
_ZIP_LABELS = {".docx": "Word 文档（.docx）", ".ofd": "OFD 文件"}
# Formats whose empty file is no document at all (an empty web page is still a page).
_BINARY_FORMATS = ("docx", "pdf", "ofd")
_RE_EXPORT = "请重新导出或下载该文件"


@lru_cache(maxsize=None)
def available_formats() -> frozenset[str]:
    """Formats whose reader's libraries are installed."""
    found = set()
    for spec in FORMATS.values():
        if all(importlib.util.find_spec(name) is not None for name in spec.requires):
            found.add(spec.name)
    return frozenset(found)


def read_document(path: str | os.PathLike, limits: ReadLimits = DEFAULT_LIMITS) -> SourceText:
    """Read one file of any format into a :class:`SourceText`; every failure is a :class:`ReadError`."""
    display_path = shown_path(path)
    return decode_document(read_file_bytes(display_path, limits), display_path, limits)


def read_file_bytes(path: str, limits: ReadLimits = DEFAULT_LIMITS) -> bytes:
    """The bytes of a file, never more than the largest format's limit (a :class:`ReadError` for a
    file that cannot be read or is too large): for callers that key or ship the bytes before reading."""
    cap = max(limits.max_text_bytes, limits.max_document_bytes)
    try:
        return _read_file(path, cap, limits.max_seconds)
    except (OSError, ValueError) as error:
        raise file_error(error) from None


def _read_file(path: str, cap: int, seconds: float) -> bytes:
    """The file's bytes, at most ``cap + 1`` of them (one byte past the limit tells it is passed)."""
    # Opened without waiting: a named pipe no program writes to would otherwise block forever.
    nonblocking = getattr(os, "O_NONBLOCK", 0)
    descriptor = os.open(path, os.O_RDONLY | nonblocking | getattr(os, "O_BINARY", 0))
    try:
        info = os.fstat(descriptor)
        if stat.S_ISDIR(info.st_mode):
            raise ReadError("是目录而不是文件", "directory")
        if stat.S_ISFIFO(info.st_mode) and nonblocking:
            return _read_pipe(descriptor, cap, seconds)
        if not stat.S_ISREG(info.st_mode) and not stat.S_ISFIFO(info.st_mode):
            raise ReadError("不是普通文件（是设备或套接字）", "io")
        if info.st_size > cap:
            raise ReadError(f"文件过大（超过 {_format_size(cap)}）", "too-large")
        if nonblocking:
            os.set_blocking(descriptor, True)
        with open(descriptor, "rb", closefd=False) as handle:
            return handle.read(cap + 1)
    finally:
        os.close(descriptor)


def _read_pipe(descriptor: int, cap: int, seconds: float) -> bytes:
    """What a program writes into a named pipe until it closes it, within ``seconds`` (a pipe no
    one writes to, or a writer that stalls, is not waited for longer)."""
    deadline = time.monotonic() + seconds
    chunks: list[bytes] = []
    size = 0
    while size <= cap:
        ready, _, _ = select.select([descriptor], [], [], max(deadline - time.monotonic(), 0))
        if not ready:
            raise ReadError(f"是管道，但 {seconds:g} 秒内没有程序写完其中的内容", "timeout")
        try:
            chunk = os.read(descriptor, 65536)
        except BlockingIOError:
            continue
        if not chunk:
            break  # the writer closed the pipe
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks)


def decode_document(data: bytes, path: str = "<stdin>", limits: ReadLimits = DEFAULT_LIMITS) -> SourceText:
    """The text of a file's bytes, by the reader its format needs."""
    kind = detect_format(data, path, limits)
    if kind == "text":
        if len(data) > limits.max_text_bytes:
            raise ReadError(f"文件过大（超过 {_format_size(limits.max_text_bytes)}）", "too-large")
        return decode_bytes(data, path)
    if len(data) > limits.max_document_bytes:
        raise ReadError(f"文件过大（超过 {_format_size(limits.max_document_bytes)}）", "too-large")
    spec = FORMATS[kind]
    try:
        return _reader(spec)(data, path, limits)
    except ReadError:
        raise
    except MemoryError:
        raise ReadError(f"{spec.label}过于复杂，读取时内存不足", "too-large") from None
    except RecursionError:
        raise ReadError(f"{spec.label}结构嵌套过深，无法读取", "damaged") from None
    except Exception as error:  # a library's exception on a file it cannot take must not end the run
        raise ReadError(f"{spec.label}无法读取，文件可能已损坏（{type(error).__name__}）", "damaged") from None


def detect_format(data: bytes, path: str = "", limits: ReadLimits = DEFAULT_LIMITS) -> str:
    """``text``, ``html``, ``docx``, ``pdf`` or ``ofd``; a :class:`ReadError` for what no reader takes."""
    suffix = PurePath(path).suffix.lower()
    head = data[:1024]
    claimed = next((spec for spec in FORMATS.values() if suffix in spec.suffixes), None)
    if claimed is not None and claimed.name in _BINARY_FORMATS and not data.strip(b" \t\r\n\x00"):
        raise ReadError(f"文件是空的，不是有效的{_spaced(claimed.label)}：{_RE_EXPORT}", "damaged")
    # A PDF may have junk before its header (viewers accept it within the first kilobyte).
    if head.lstrip(b"\r\n\t \x00\xef\xbb\xbf").startswith(b"%PDF-") or (suffix == ".pdf" and b"%PDF-" in head):
        return "pdf"
    if data.startswith(b"PK\x03\x04") or data.startswith(b"PK\x05\x06"):
        return _zip_kind(data, suffix, limits)
    if data.startswith(_OLE):
        raise _ole_refusal(data, suffix)
    for signature, kind in _FILE_SIGNATURES:
        if data.startswith(signature):
            raise ReadError(f"是{_spaced(kind)}", "unsupported")
    if suffix in FORMATS["html"].suffixes or (suffix not in TEXT_SUFFIXES and _looks_like_html(head)):
        return "html"
    if claimed is not None:
        raise ReadError(
            f"文件扩展名是 {suffix}，但内容不是{_spaced(claimed.label)}：文件已损坏或扩展名有误", "damaged"
        )
    return "text"


def _ole_refusal(data: bytes, suffix: str) -> ReadError:
    if "EncryptedPackage".encode("utf-16-le") in data:
        # A password-protected .docx/.xlsx is stored inside an OLE2 container, not as a zip.
        return ReadError("是设置了打开密码的 Office 文档，无法读取：请取消密码后重新保存再检查", "encrypted")
    for stream, by_suffix, kind, advice in _OLE_STREAMS:
        if stream.encode("utf-16-le") + b"\x00\x00" in data:
            kind = by_suffix.get(suffix, kind)
            break
    else:
        kind, advice = _OLE_KINDS.get(suffix, "旧版 Office/WPS 文档（.doc/.wps/.xls）"), _CONVERT_TO_DOCX
    if advice is _CONVERT_TO_DOCX:
        return ReadError(f"是{kind}，nianbao 不读取这种旧格式：{advice}", "unsupported")
    return ReadError(f"是{kind}，不是报告文件：{advice}", "unsupported")


def _zip_kind(data: bytes, suffix: str, limits: ReadLimits) -> str:
    # Imported here: only archives need the zip and xz support.
    from nianbao.read.safety import open_zip

    archive = open_zip(data, limits, _ZIP_LABELS.get(suffix, "压缩文件"))
    names = archive.names
    if "word/document.xml" in names:
        return "docx"
    if any(name.lower() == "ofd.xml" for name in names):
        return "ofd"
    for prefix, kind in _ZIP_KINDS:
        if any(name.startswith(prefix) for name in names):
            raise ReadError(f"是{_spaced(kind)}：{_NOT_A_REPORT}", "unsupported")
    if "mimetype" in names:
        mimetype = archive.read("mimetype").strip()
        if mimetype in _OPEN_DOCUMENT_KINDS:
            kind, advice = _OPEN_DOCUMENT_KINDS[mimetype]
            raise ReadError(f"是{_spaced(kind)}，nianbao 不读取这种格式：{advice}", "unsupported")
    if suffix == ".docx":
        raise ReadError("扩展名是 .docx，但其中没有 Word 文档的正文：文件已损坏或不是 Word 文档", "damaged")
    if suffix == ".ofd":
        raise ReadError("扩展名是 .ofd，但其中没有 OFD 文档的入口：文件已损坏或不是 OFD 文件", "damaged")
    raise ReadError("是压缩包，不是报告文件：请解压后检查其中的报告", "unsupported")


def _spaced(label: str) -> str:
    """A space between Chinese text and a label that starts with Latin letters."""
    return f" {label}" if label[:1].isascii() else label


def _looks_like_html(head: bytes) -> bool:
    start = head.lstrip(b"\xef\xbb\xbf\xff\xfe\r\n\t ").lower()
    if start.startswith(b"<\x00"):  # UTF-16
        start = start.replace(b"\x00", b"")
    return start.startswith((b"<!doctype html", b"<html", b"<?xml")) and b"<html" in head.lower().replace(b"\x00", b"")


def _reader(spec: Format):
    missing = [name for name in spec.requires if importlib.util.find_spec(name) is None]
    try:
        if not missing:
            return getattr(importlib.import_module(spec.module), spec.function)
    except ImportError:
        pass  # a library of the reader is there but broken or incomplete: the same remedy
    raise ReadError(
        f"是{_spaced(spec.label)}，读取它需要安装 nianbao 的扩展：pip install 'nianbao[{spec.extra}]'",
        "needs-extra",
    )
