"""Which reader a file needs, and a precise refusal for the files nianbao does not read.

The file's first bytes decide, not its name: a ``.docx`` that is really a spreadsheet, or a
``.txt`` that is a PDF, is told apart and named. The name only decides between plain text and
HTML, which both start as text. Each document reader lives in its own module, imported only when
a file of its format comes, and needs its optional extra (``pip install 'nianbao[pdf]'``).
"""

from __future__ import annotations

import importlib
import importlib.util
import io
import os
import stat
import zipfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import PurePath

from nianbao.read.source import ReadError, SourceText, decode_bytes
from nianbao.read.source import _format_size

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

# Magic numbers of the formats no reader takes, so the refusal can say what the file is.
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_OLE_KINDS = {
    ".doc": "旧版 Word 文档（.doc）",
    ".wps": "旧版 WPS 文字文档（.wps）",
    ".xls": "旧版 Excel 表格（.xls）",
    ".et": "旧版 WPS 表格（.et）",
    ".ppt": "旧版 PowerPoint 演示文稿（.ppt）",
}
_CONVERT_TO_DOCX = "请用 Word 或 WPS 打开后“另存为” .docx，或转换：libreoffice --headless --convert-to docx 文件名"
_ZIP_KINDS = (
    ("xl/", "Excel 表格（.xlsx），不是 Word 文档", "年度报告请以 .docx、PDF 或网页提交"),
    ("ppt/", "PowerPoint 演示文稿（.pptx），不是 Word 文档", "年度报告请以 .docx、PDF 或网页提交"),
)


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
    display_path = _display_path(path)
    try:
        with open(display_path, "rb") as handle:
            info = os.fstat(handle.fileno())
            if stat.S_ISDIR(info.st_mode):
                raise ReadError("是目录而不是文件", "directory")
            cap = max(limits.max_text_bytes, limits.max_document_bytes)
            if stat.S_ISREG(info.st_mode) and info.st_size > cap:
                raise ReadError(f"文件过大（超过 {_format_size(cap)}）", "too-large")
            data = handle.read(cap + 1)  # pipes have no size: one byte past the limit tells
    except ReadError:
        raise
    except FileNotFoundError:
        raise ReadError("文件不存在", "missing") from None
    except NotADirectoryError:
        raise ReadError("文件不存在（路径中有一段不是目录）", "missing") from None
    except IsADirectoryError:
        raise ReadError("是目录而不是文件", "directory") from None
    except PermissionError:
        raise ReadError("没有读取权限", "permission") from None
    except OSError as error:
        raise ReadError(f"读取文件时出错（{error.strerror or type(error).__name__}）", "io") from None
    except ValueError:
        raise ReadError("文件名无效", "missing") from None
    return decode_document(data, display_path, limits)


def decode_document(data: bytes, path: str = "<stdin>", limits: ReadLimits = DEFAULT_LIMITS) -> SourceText:
    """The text of a file's bytes, by the reader its format needs."""
    kind = detect_format(data, path)
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


def detect_format(data: bytes, path: str = "") -> str:
    """``text``, ``html``, ``docx``, ``pdf`` or ``ofd``; a :class:`ReadError` for what no reader takes."""
    suffix = PurePath(path).suffix.lower()
    head = data[:1024]
    # A PDF may have junk before its header (viewers accept it within the first kilobyte).
    if head.lstrip(b"\r\n\t \x00\xef\xbb\xbf").startswith(b"%PDF-") or (suffix == ".pdf" and b"%PDF-" in head):
        return "pdf"
    if data.startswith(b"PK\x03\x04") or data.startswith(b"PK\x05\x06"):
        return _zip_kind(data, suffix)
    if data.startswith(_OLE):
        kind = _OLE_KINDS.get(suffix, "旧版 Office/WPS 文档（.doc/.wps/.xls）")
        raise ReadError(f"是{kind}，nianbao 不读取这种旧格式：{_CONVERT_TO_DOCX}", "unsupported")
    if suffix in FORMATS["html"].suffixes or (suffix not in TEXT_SUFFIXES and _looks_like_html(head)):
        return "html"
    if suffix in DOCUMENT_SUFFIXES:
        spec = next(spec for spec in FORMATS.values() if suffix in spec.suffixes)
        raise ReadError(f"文件扩展名是 {suffix}，但内容不是{spec.label}（文件已损坏或扩展名有误）", "damaged")
    return "text"


def _zip_kind(data: bytes, suffix: str) -> str:
    try:
        names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        label = {".docx": "Word 文档（.docx）", ".ofd": "OFD 文件"}.get(suffix, "压缩文件")
        raise ReadError(f"{label}已损坏，无法打开（不是完整的压缩包）", "damaged") from None
    members = set(names)
    if "word/document.xml" in members:
        return "docx"
    if "OFD.xml" in members or any(name.lower() == "ofd.xml" for name in members):
        return "ofd"
    for prefix, kind, advice in _ZIP_KINDS:
        if any(name.startswith(prefix) for name in names):
            raise ReadError(f"是{kind}：{advice}", "unsupported")
    if "mimetype" in members and "content.xml" in members:
        raise ReadError(f"是 OpenDocument 文档（.odt 等），nianbao 不读取：{_CONVERT_TO_DOCX}", "unsupported")
    if suffix == ".docx":
        raise ReadError("扩展名是 .docx，但压缩包中没有 Word 正文（word/document.xml）：文件已损坏或不是 Word 文档", "damaged")
    raise ReadError("是压缩包（.zip），不是报告文件：请解压后检查其中的报告", "unsupported")


def _looks_like_html(head: bytes) -> bool:
    start = head.lstrip(b"\xef\xbb\xbf\xff\xfe\r\n\t ").lower()
    if start.startswith(b"<\x00"):  # UTF-16
        start = start.replace(b"\x00", b"")
    return start.startswith((b"<!doctype html", b"<html", b"<?xml")) and b"<html" in head.lower().replace(b"\x00", b"")


def _reader(spec: Format):
    missing = [name for name in spec.requires if importlib.util.find_spec(name) is None]
    if missing:
        raise ReadError(
            f"是{spec.label}，读取它需要安装 nianbao 的 {spec.extra} 扩展：pip install 'nianbao[{spec.extra}]'",
            "needs-extra",
        )
    return getattr(importlib.import_module(spec.module), spec.function)


def _display_path(path: str | os.PathLike) -> str:
    try:
        display_path = os.fspath(path)
    except TypeError:
        raise ReadError("文件名无效", "missing") from None
    return os.fsdecode(display_path) if isinstance(display_path, bytes) else display_path
