"""Which reader a file goes to, and the refusal for every file nianbao does not read: the format
named, what to do said, in one Chinese sentence. Every file here is a real one of its kind,
written in the test (documents/other_formats.py for the formats no library here writes)."""

from __future__ import annotations

import importlib
import importlib.util
import io
import re

import docx
import pytest
from documents import other_formats
from documents.ofd import typeset_layout
from hypothesis import given, settings
from hypothesis import strategies as st
from nianbao.read import formats
from nianbao.read.formats import available_formats, decode_document, detect_format
from nianbao.read.source import _FILE_SIGNATURES, ReadError, SourceText, decode_bytes
from PIL import Image

REPORT_LINE = "一、总体情况"


def word_document() -> bytes:
    document = docx.Document()
    document.add_paragraph(REPORT_LINE)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def pdf_document() -> bytes:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument.new()
    document.new_page(595, 842)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def ofd_document() -> bytes:
    return typeset_layout(REPORT_LINE).build()


def image(kind: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (16, 16), "white").save(buffer, kind)
    return buffer.getvalue()


# --- what a message may say ------------------------------------------------------------------------

# How people call the formats and programs (not jargon), and the commands a message may end with.
_NAMES = re.compile(r"nianbao|Word|WPS|Excel|PowerPoint|PDF|OFD|OpenDocument|Office|RTF|PNG|JPEG|GIF|TIFF|gzip|RAR|7z|XML|MB")
_COMMAND = re.compile(r"(?:libreoffice|pip install) .*$")
_EXTENSION = re.compile(r"\.[a-z]{2,5}\b")


def assert_one_plain_sentence(message: str) -> None:
    """One sentence (no full stop inside it, no line break), in Chinese, with no English beyond
    the names of formats and programs, file extensions and a closing command, and a space
    between Chinese and a Latin word."""
    assert "\n" not in message and re.search("[\u4e00-\u9fff]", message), message
    assert not re.search("[。！？]", message.rstrip("。")), message
    assert not re.search("[\u4e00-\u9fff][A-Za-z]|[A-Za-z][\u4e00-\u9fff]", message), message
    rest = _NAMES.sub("", _EXTENSION.sub("", _COMMAND.sub("", message)))
    assert not re.search("[A-Za-z]", rest), message


def refusal(data: bytes, path: str) -> ReadError:
    with pytest.raises(ReadError) as caught:
        detect_format(data, path)
    assert_one_plain_sentence(caught.value.message)
    return caught.value


# --- what is read ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("make", "path", "kind"),
    [
        (word_document, "报告.docx", "docx"),
        (word_document, "报告.wpsx", "docx"),
        (ofd_document, "报告.ofd", "ofd"),
        (ofd_document, "报告.zip", "ofd"),  # the content decides, not the name
        (pdf_document, "报告.pdf", "pdf"),
        (pdf_document, "报告.txt", "pdf"),  # a PDF saved as .txt is still a PDF
        (lambda: b"<!DOCTYPE html><html><body><p>" + REPORT_LINE.encode() + b"</p></body></html>", "报告.doc", "html"),
        (lambda: REPORT_LINE.encode("gb18030"), "报告.txt", "text"),
        (lambda: b"<html><body>" + REPORT_LINE.encode() + b"</body></html>", "报告.md", "text"),
    ],
)
def test_the_content_decides_the_reader(make, path, kind):
    assert detect_format(make(), path) == kind


def test_an_ofd_is_read_whatever_it_is_called():
    source = decode_document(ofd_document(), "报告.zip")
    assert source.format == "ofd" and source.text == REPORT_LINE + "\n"


# --- what is refused ------------------------------------------------------------------------------

REFUSALS = [
    # (file, name, reason, words the message must have)
    (other_formats.legacy_word, "报告.doc", "unsupported", ["旧版 Word 文档（.doc）", "另存为", "libreoffice"]),
    (other_formats.legacy_word, "报告.wps", "unsupported", ["旧版 WPS 文字文档（.wps）", "另存为"]),
    (other_formats.legacy_word, "报告.docx", "unsupported", ["旧版 Word 文档（.doc）"]),  # renamed, told by content
    (other_formats.legacy_excel, "统计.xls", "unsupported", ["旧版 Excel 表格（.xls）", "不是报告"]),
    (other_formats.legacy_excel, "统计.doc", "unsupported", ["旧版 Excel 表格（.xls）"]),
    (other_formats.encrypted_ooxml, "报告.docx", "encrypted", ["打开密码", "取消密码"]),
    (other_formats.xlsx, "报告.docx", "unsupported", ["Excel 表格（.xlsx）", "不是 Word 文档"]),
    (other_formats.pptx, "报告.docx", "unsupported", ["PowerPoint 演示文稿（.pptx）"]),
    (other_formats.odt, "报告.odt", "unsupported", ["OpenDocument 文字文档（.odt）", "另存为"]),
    (other_formats.odt, "报告.docx", "unsupported", ["OpenDocument 文字文档（.odt）"]),
    (other_formats.plain_zip, "报告.zip", "unsupported", ["压缩包", "解压"]),
    (other_formats.plain_zip, "报告.docx", "damaged", [".docx", "没有 Word 文档的正文"]),
    (other_formats.plain_zip, "报告.ofd", "damaged", [".ofd", "OFD"]),
    (other_formats.rtf, "报告.rtf", "unsupported", ["RTF", "另存为” .docx"]),
    (other_formats.rtf, "报告.doc", "unsupported", ["RTF"]),
    (lambda: image("PNG"), "报告.png", "unsupported", ["PNG 图片", "原件"]),
    (lambda: image("JPEG"), "扫描件.txt", "unsupported", ["JPEG 图片"]),
    (lambda: image("GIF"), "报告.docx", "unsupported", ["GIF 图片"]),
    (lambda: image("TIFF"), "报告.pdf", "unsupported", ["TIFF 图片"]),
    (lambda: REPORT_LINE.encode("utf-8"), "报告.docx", "damaged", ["扩展名是 .docx", "Word/WPS 文档（.docx）"]),
    (lambda: REPORT_LINE.encode("utf-8"), "报告.ofd", "damaged", ["扩展名是 .ofd"]),
    (lambda: b"", "报告.pdf", "damaged", ["空的", "PDF 文件"]),
    (lambda: b"", "报告.docx", "damaged", ["空的", "Word/WPS 文档（.docx）"]),
    (lambda: b"PK\x03\x04" + b"\x00" * 40, "报告.docx", "damaged", ["Word 文档（.docx）已损坏"]),
]


@pytest.mark.parametrize(("make", "path", "reason", "words"), REFUSALS)
def test_a_file_no_reader_takes_is_named_with_what_to_do(make, path, reason, words):
    error = refusal(make(), path)
    assert error.reason == reason
    for word in words:
        assert word in error.message, (word, error.message)


def test_a_refusal_comes_the_same_through_decode_document():
    with pytest.raises(ReadError) as caught:
        decode_document(other_formats.xlsx(), "报告.docx")
    assert caught.value.reason == "unsupported" and "Excel" in caught.value.message


@pytest.mark.parametrize(("signature", "kind"), _FILE_SIGNATURES)
def test_what_is_not_text_is_named_whichever_way_it_comes(signature, kind):
    data = signature + b"\x00\x01" * 64
    with pytest.raises(ReadError) as caught:
        decode_bytes(data, "<stdin>")  # handed over as text: piped in, or by a caller that reads text
    assert caught.value.reason == "binary" and kind in caught.value.message
    assert_one_plain_sentence(caught.value.message)
    try:
        kind_read = detect_format(data, "报告.txt")
    except ReadError as error:  # what no reader takes is refused by name here too
        assert_one_plain_sentence(error.message)
    else:
        assert kind_read in {"pdf", "docx", "ofd"}


# --- a reader whose libraries are missing ---------------------------------------------------------


@pytest.fixture
def fresh_formats():
    available_formats.cache_clear()
    yield
    available_formats.cache_clear()


def test_a_missing_library_names_the_extra_to_install(monkeypatch, fresh_formats):
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *rest: None if name == "pdfplumber" else real(name, *rest))
    assert "pdf" not in available_formats() and "ofd" in available_formats()
    with pytest.raises(ReadError) as caught:
        decode_document(pdf_document(), "报告.pdf")
    assert caught.value.reason == "needs-extra"
    assert caught.value.message == "是 PDF 文件，读取它需要安装 nianbao 的扩展：pip install 'nianbao[pdf]'"
    assert_one_plain_sentence(caught.value.message)


def test_a_reader_that_cannot_be_imported_names_its_extra(monkeypatch):
    real = importlib.import_module

    def import_module(name, *rest):
        if name == "nianbao.read.ofd":
            raise ImportError("lxml is broken")
        return real(name, *rest)

    monkeypatch.setattr(importlib, "import_module", import_module)
    with pytest.raises(ReadError) as caught:
        decode_document(ofd_document(), "报告.ofd")
    assert caught.value.reason == "needs-extra" and "pip install 'nianbao[ofd]'" in caught.value.message


# --- any bytes at all -----------------------------------------------------------------------------

_STARTS = [
    b"", b"PK\x03\x04", b"PK\x05\x06", b"%PDF-1.7\n", other_formats.OLE_SIGNATURE, b"{\\rtf1", b"\x89PNG\r\n\x1a\n",
    b"<!DOCTYPE html><html>", b"<?xml version='1.0'?>", b"\xef\xbb\xbf", b"\xff\xfe",
]
_SUFFIXES = st.one_of(
    st.sampled_from(["", ".txt", ".md", ".docx", ".docm", ".wpsx", ".pdf", ".ofd", ".html", ".doc", ".wps", ".xls", ".zip"]),
    st.text(max_size=6).map(lambda text: "." + text),
)


def _mangled(data: bytes, cuts: list[int], flips: list[tuple[int, int]]) -> bytes:
    mutable = bytearray(data)
    for position, value in flips:
        mutable[position % len(mutable)] = value
    for cut in cuts:
        del mutable[cut % max(len(mutable), 1):]
    return bytes(mutable)


# Real documents, then broken: cut short or with bytes overwritten.
_DOCUMENTS = [word_document(), ofd_document(), other_formats.xlsx(), other_formats.odt(), other_formats.legacy_word()]


@st.composite
def any_file(draw) -> bytes:
    if draw(st.booleans()):
        return draw(st.sampled_from(_STARTS)) + draw(st.binary(max_size=400))
    document = draw(st.sampled_from(_DOCUMENTS))
    cuts = draw(st.lists(st.integers(0, 10**6), max_size=1))
    flips = draw(st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 255)), max_size=8))
    return _mangled(document, cuts, flips)


@settings(max_examples=300, deadline=None)
@given(data=any_file(), suffix=_SUFFIXES)
def test_any_bytes_with_any_name_give_text_or_a_refusal(data, suffix):
    try:
        source = decode_document(data, "报告" + suffix)
    except ReadError as error:
        assert error.reason in {
            "binary", "encoding", "too-large", "needs-extra", "unsupported", "damaged", "encrypted",
            "too-many-pages", "unsafe", "timeout",
        }
        assert error.message and "\n" not in error.message
    else:
        assert isinstance(source, SourceText)
        assert source.format in formats.FORMATS.keys() | {"text"}
